//! Loading a seed file (see `domain::seed`) into the directory through the
//! same use cases the API calls, so every rule of an upload or a root CA
//! applies. Loading twice changes nothing: records whose ids exist, keys
//! already registered on their owner and roots of the same names are skipped.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

mod check;
mod records;

use super::ServiceError;
use super::directory::Directory;
use super::organisations::{create_organisation, find_organisation};
use super::ra::Ra;
use super::{authority_claims, statement_roles};
use crate::domain::authority_claim::AuthorityClaimRequest;
use crate::domain::certificate::{CertificateOwner, UploadBody};
use crate::domain::organisation::SoftwareStatementRequest;
use crate::domain::reference::Catalogue;
use crate::domain::seed::{Seed, SeedCertificate, SeedFormat, SeedOrganisation, is_seeded_claim};
use crate::domain::{
    Caller, CertOrKeyType, DomainError, Flavour, OrganisationId, SoftwareStatementId,
};
use crate::pki::CheckedCsr;
use crate::pki::external::parse_external_certificate;
use crate::pki::jwk::thumbprint_sha256;
use crate::pki::key::parse_public_key;

/// What a seed run created (existing records are left as they are).
#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedReport {
    pub trust_anchors: usize,
    pub organisations: usize,
    pub software_statements: usize,
    /// Organisation authority claims recorded.
    pub authority_claims: usize,
    pub contacts: usize,
    pub authorisation_servers: usize,
    pub api_resources: usize,
    pub discovery_endpoints: usize,
    /// Certificates and keys registered.
    pub certificates: usize,
    /// RA clients and operators created.
    pub ra_clients: usize,
    pub ra_operators: usize,
    /// The client secrets of the statements created, by SoftwareStatementId,
    /// when client_secret_basic is on: shown this once, as the API shows them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub client_secrets: BTreeMap<String, String>,
}

impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} trust anchors, {} organisations, {} authority claims, {} contacts, \
             {} authorisation servers, {} API resources, {} discovery endpoints, \
             {} software statements, {} certificates or keys, {} RA clients and \
             {} RA operators created",
            self.trust_anchors,
            self.organisations,
            self.authority_claims,
            self.contacts,
            self.authorisation_servers,
            self.api_resources,
            self.discovery_endpoints,
            self.software_statements,
            self.certificates,
            self.ra_clients,
            self.ra_operators,
        )
    }
}

/// Why a seed file cannot be used: it cannot be read, or it breaks the format.
#[derive(Debug, thiserror::Error)]
pub enum SeedFileError {
    #[error("seed file {file}: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("seed file {file}: {reason}")]
    Invalid { file: String, reason: String },
}

/// Why a seed cannot be applied: each problem with where in the seed it is.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    File(#[from] SeedFileError),
    /// Every entry that breaks a rule, found before anything is written, or
    /// the one whose creation was refused.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Entries(Vec<SeedProblem>),
    /// What has no place in the seed: the store failing, say.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<crate::store::StoreError> for SeedError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::Service(e.into())
    }
}

/// A refusal, and where in the seed the refused entry is.
#[derive(Debug)]
pub struct SeedProblem {
    /// As `organisations[1].SoftwareStatements[0]`.
    pub place: String,
    pub error: ServiceError,
}

impl std::fmt::Display for SeedProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: Vec<String> = self
            .error
            .messages()
            .into_iter()
            .map(|message| format!("{}: {message}", self.place))
            .collect();
        f.write_str(&lines.join("; "))
    }
}

impl SeedError {
    /// `error`, refused at `place`.
    fn at(place: &str, error: impl Into<ServiceError>) -> Self {
        Self::Entries(vec![SeedProblem {
            place: place.to_owned(),
            error: error.into(),
        }])
    }

    /// The same problems, placed inside `outer` (the seed file's name).
    fn within(self, outer: &str) -> Self {
        match self {
            Self::Entries(problems) => Self::Entries(
                problems
                    .into_iter()
                    .map(|p| SeedProblem {
                        place: format!("{outer}: {}", p.place),
                        error: p.error,
                    })
                    .collect(),
            ),
            other => other,
        }
    }
}

/// Reads and parses a JSON or TOML seed (by extension, else by content) and
/// the PEM files it names, relative to its own directory.
pub fn read(path: &Path) -> Result<Seed, SeedFileError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| SeedFileError::Unreadable {
        file: file.clone(),
        reason: e.to_string(),
    })?;
    let mut seed = Seed::parse(&text, SeedFormat::of(path, &text)).map_err(|reason| {
        SeedFileError::Invalid {
            file: file.clone(),
            reason,
        }
    })?;
    let base = path.parent().unwrap_or(Path::new(""));
    seed.read_pem_files(base, |p| std::fs::read_to_string(p))
        .map_err(|reason| SeedFileError::Unreadable { file, reason })?;
    Ok(seed)
}

/// The demo ecosystem `make run` starts with (fixtures/demo.json), built
/// in so that a reset can return to it wherever the binary runs.
pub fn demo() -> Result<Seed, SeedFileError> {
    const DEMO: &str = include_str!("../../../fixtures/demo.json");
    Seed::parse(DEMO, SeedFormat::Json).map_err(|reason| SeedFileError::Invalid {
        file: "the built-in demo seed".into(),
        reason,
    })
}

/// Creates the demo ecosystem (after a reset). The demo is built in and a
/// test applies it, so its failing is a fault of obdir, answered as one.
pub async fn apply_demo(directory: &Directory, ra: &Ra) -> Result<SeedReport, ServiceError> {
    let applied = match demo() {
        Ok(seed) => apply(directory, ra, &seed).await,
        Err(e) => Err(e.into()),
    };
    let report = applied.map_err(|e| match e {
        SeedError::Service(e) => e,
        other => {
            crate::store::StoreError::Engine(format!("the built-in demo seed: {other}")).into()
        }
    })?;
    log_client_secrets(&report);
    Ok(report)
}

/// Logs the client secrets a seed made: they are shown this once, in the
/// log as at start, never in an answer.
pub fn log_client_secrets(report: &SeedReport) {
    for (ss, secret) in &report.client_secrets {
        log::info!(
            "client secret of seeded software statement {ss} (shown once, only its hash is kept): {secret}"
        );
    }
}

/// Reads the seed at `path` and creates what is missing.
pub async fn load(directory: &Directory, ra: &Ra, path: &Path) -> Result<SeedReport, SeedError> {
    let seed = read(path)?;
    let report = apply(directory, ra, &seed)
        .await
        .map_err(|e| e.within(&format!("seed file {}", path.display())))?;
    log_client_secrets(&report);
    Ok(report)
}

/// Creates what the seed holds and the directory lacks, as the admin: trust
/// anchors first, so what the seed has issued chains to them.
pub async fn apply(directory: &Directory, ra: &Ra, seed: &Seed) -> Result<SeedReport, SeedError> {
    check::check(directory, ra, seed)?;
    let admin = Caller::Admin;
    let mut report = SeedReport::default();
    for (i, anchor) in seed.trust_anchors.iter().enumerate() {
        let roots = super::ecosystem::public_roots(&directory.authority)?;
        if roots.iter().any(|r| anchor.is_subject(&r.data.subject)) {
            continue;
        }
        let root = super::ecosystem::create_root(&directory.authority, &admin, anchor.request())
            .await
            .map_err(|e| SeedError::at(&format!("trust_anchors[{i}]"), e))?;
        log::info!("seeded trust anchor {} ({})", anchor.common_name, root.id);
        report.trust_anchors += 1;
    }

    for (i, entry) in seed.organisations.iter().enumerate() {
        let place = format!("organisations[{i}]");
        let org = &entry.id;
        if directory.participants.organisations.get(org)?.is_none() {
            let request = entry.request().map_err(|e| SeedError::at(&place, e))?;
            create_organisation(&directory.participants, &admin, request)
                .await
                .map_err(|e| SeedError::at(&place, e))?;
            report.organisations += 1;
        }
        register(
            directory,
            org,
            None,
            &entry.certificates,
            &place,
            &mut report,
        )
        .await?;

        let catalogue = directory.catalogue();
        for (c, request) in ours(catalogue, entry) {
            let held = directory.authority_claims.claims_of(org)?;
            if held.iter().any(|claim| {
                is_seeded_claim(
                    request,
                    &claim.authority_id,
                    &claim.authorisation_domain,
                    &claim.role,
                )
            }) {
                continue;
            }
            authority_claims::write_claim(directory, None, &admin, org, None, request.clone())
                .await
                .map_err(|e| SeedError::at(&format!("{place}.AuthorityClaims[{c}]"), e))?;
            report.authority_claims += 1;
        }
        records::apply(directory, entry, &place, &mut report).await?;

        for (j, statement) in entry.software_statements.iter().enumerate() {
            let place = format!("{place}.SoftwareStatements[{j}]");
            let ss = &statement.id;
            if directory.participants.statements.get(org, ss)?.is_none() {
                let request = statement.request().map_err(|e| SeedError::at(&place, e))?;
                let request = without_foreign_roles(catalogue, request);
                let (_, secret) = statement_roles::create(directory, &admin, org, request)
                    .await
                    .map_err(|e| SeedError::at(&place, e))?;
                if let Some(secret) = secret {
                    report.client_secrets.insert(ss.to_string(), secret);
                }
                report.software_statements += 1;
            }
            register(
                directory,
                org,
                Some(ss),
                &statement.certificates,
                &place,
                &mut report,
            )
            .await?;
        }
    }
    for (i, account) in seed.ra_clients.iter().enumerate() {
        let place = format!("ra_clients[{i}]");
        let client = account
            .clone()
            .into_client(super::ra::accounts::derived_uuid)
            .map_err(|e| SeedError::at(&place, e))?;
        if ra.records.client(&client.reference)?.is_none() {
            super::ra::accounts::put_client(ra, &admin, account.clone())
                .await
                .map_err(|e| SeedError::at(&place, e))?;
            report.ra_clients += 1;
        }
    }
    for (i, account) in seed.ra_operators.iter().enumerate() {
        let place = format!("ra_operators[{i}]");
        let operator = account
            .clone()
            .into_operator()
            .map_err(|e| SeedError::at(&place, e))?;
        if ra.records.operator(&operator.user_name)?.is_none() {
            super::ra::accounts::put_operator(
                ra,
                &admin,
                account.user_name.clone(),
                Some(account.api_key.clone()),
                account.clients.clone(),
            )
            .await
            .map_err(|e| SeedError::at(&place, e))?;
            report.ra_operators += 1;
        }
    }
    Ok(report)
}

/// The organisation's seeded claims this flavour knows, with their places;
/// a claim on another flavour's role (a seed may serve both) is passed over.
fn ours<'a>(
    catalogue: &'a Catalogue,
    entry: &'a SeedOrganisation,
) -> impl Iterator<Item = (usize, &'a AuthorityClaimRequest)> + 'a {
    entry
        .authority_claims
        .iter()
        .enumerate()
        .filter(|(_, claim)| {
            !claim
                .role
                .as_deref()
                .is_some_and(|r| catalogue.is_foreign_role(r))
        })
}

/// A statement's SoftwareRoles without another flavour's roles.
fn without_foreign_roles(
    catalogue: &Catalogue,
    mut request: SoftwareStatementRequest,
) -> SoftwareStatementRequest {
    if let Some(roles) = &mut request.software_roles {
        roles.retain(|role| !catalogue.is_foreign_role(role));
    }
    request
}

/// Uploads the certificates and keys the owner does not hold yet.
async fn register(
    directory: &Directory,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    certificates: &[SeedCertificate],
    place: &str,
    report: &mut SeedReport,
) -> Result<(), SeedError> {
    let organisation = find_organisation(&directory.participants, org)?;
    let owner = CertificateOwner {
        org,
        registration_number: organisation.registration_number.as_deref(),
        ss,
    };
    for (k, certificate) in certificates.iter().enumerate() {
        let place = format!("{place}.Certificates[{k}]");
        let pem = certificate
            .pem_text()
            .ok_or_else(|| SeedError::at(&place, DomainError::field("PemFile", "was not read")))?;
        let key_type = certificate.key_type;
        let thumbprint = key_thumbprint(pem, key_type, owner, directory.clock.now())
            .map_err(|e| SeedError::at(&place, e))?;
        let held = directory
            .certificates
            .owned(org, ss)?
            .iter()
            .any(|r| r.key_type == key_type && thumbprint_sha256(&r.jwk) == thumbprint);
        if held {
            continue;
        }
        super::upload::upload(directory, None, &Caller::Admin, org, ss, key_type, pem)
            .await
            .map_err(|e| SeedError::at(&place, e))?;
        report.certificates += 1;
    }
    Ok(())
}

/// The RFC 7638 SHA-256 thumbprint of the key in an upload's PEM, read by
/// the upload's own rules: what says whether an owner already holds it.
pub fn key_thumbprint(
    pem: &str,
    key_type: CertOrKeyType,
    owner: CertificateOwner<'_>,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    let key = match key_type.upload_body() {
        // Either flavour's naming: this reads the key; the upload applies
        // the directory's own flavour.
        UploadBody::Csr => CheckedCsr::parse(pem, key_type, Flavour::Raidiam, owner)?
            .key()
            .clone(),
        UploadBody::Certificate => parse_external_certificate(pem, key_type, owner, now)?.key,
        UploadBody::PublicKey => parse_public_key(pem, key_type)?,
    };
    Ok(key.thumbprint_sha256)
}
