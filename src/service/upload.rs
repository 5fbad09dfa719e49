//! Adding a certificate or key to a software statement or an organisation: a CSR is signed by the
//! directory's CA, an external certificate is stored as given once it chains
//! to the trust store, a bare public key is wrapped as a JWK. The record is
//! on disk before this returns.

use chrono::{DateTime, Utc};

use super::directory::Directory;
use super::error::{Conflict, Unavailable, statement_not_active};
use super::events::Audit;
use super::organisations::{find_organisation, find_software_statement};
use super::{ServiceError, ensure_access};
use crate::domain::certificate::{CertificateOwner, UploadBody};
use crate::domain::{
    Caller, CertOrKeyType, CertificateOrKey, Flavour, Kid, OrganisationId, RecordStatus,
    SoftwareStatementId,
};
use crate::pki::encoding::base64;
use crate::pki::external::parse_external_certificate;
use crate::pki::jwk::{x5t, x5t_s256};
use crate::pki::key::{KeyFacts, parse_public_key};
use crate::pki::{CheckedCsr, PkiError, Profile};
use crate::store::Added;

/// Adds a certificate or key to a software statement, or with `ss` None to
/// the organisation itself; with `audit`, its events are written in the
/// record's own transaction.
pub async fn upload(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    key_type: CertOrKeyType,
    pem: &str,
) -> Result<CertificateOrKey, ServiceError> {
    ensure_access(caller, org)?;
    let organisation = find_organisation(&directory.participants, org)?;
    let owner = CertificateOwner {
        org,
        registration_number: organisation.registration_number.as_deref(),
        ss,
    };
    let client_name = match ss {
        Some(ss) => {
            let statement = find_software_statement(&directory.participants, org, ss)?;
            if !statement.is_active() {
                return Err(statement_not_active(
                    ss,
                    &statement.status,
                    "can get new certificates or keys",
                ));
            }
            statement.client_name
        }
        None => organisation.organisation_name.clone(),
    };
    let now = directory.clock.now();
    let flavour = directory.urls.flavour();
    let new = |key: KeyFacts, chain: Vec<Vec<u8>>, valid_from, expiry, serial| NewRecord {
        key_type,
        client_name: &client_name,
        key,
        chain,
        valid_from,
        expiry,
        serial,
    };

    let record = match key_type.upload_body() {
        UploadBody::Csr => {
            let csr = CheckedCsr::parse(pem, key_type, directory.urls.flavour(), owner)?;
            ensure_key_not_active(directory, org, ss, key_type, &csr.key().spki_sha256)?;
            let profile = Profile::for_type(key_type)
                .ok_or(ServiceError::Crypto(PkiError::NoProfile(key_type)))?;
            let (issuer, issued) = {
                let hierarchy = directory.authority.hierarchy();
                let issuing = hierarchy.current(now).ok_or(Unavailable::NoSigningRoot)?;
                let issued = issuing
                    .authority
                    .issue(
                        &csr,
                        profile,
                        now,
                        directory.authority.validity_months,
                        &directory.urls,
                    )
                    .map_err(ServiceError::Crypto)?;
                (issuing.record.id.clone(), issued)
            };
            let serial = Some(issued.serial_hex);
            let key = csr.key().clone();
            let mut record = new(
                key,
                issued.chain,
                issued.not_before,
                Some(issued.not_after),
                serial,
            )
            .into_record(org, ss, flavour)?;
            record.issuer_id = Some(issuer);
            record
        }
        UploadBody::Certificate => {
            let cert = parse_external_certificate(pem, key_type, owner, now)?;
            super::truststore::ensure_trusted(&directory.trust_store, &cert.chain, false).await?;
            new(
                cert.key,
                cert.chain,
                cert.not_before,
                Some(cert.not_after),
                None,
            )
            .into_record(org, ss, flavour)?
        }
        UploadBody::PublicKey => {
            let key = parse_public_key(pem, key_type)?;
            new(key, Vec::new(), now, None, None).into_record(org, ss, flavour)?
        }
    };

    let now = directory.clock.now();
    let events = audit.map(|a| a.success(now).to_vec()).unwrap_or_default();
    match directory.certificates.add(&record, now, &events).await? {
        Added::Stored => {}
        Added::KidTaken(existing) => {
            return Err(Conflict::KidTaken {
                kid: record.kid,
                held_by: existing.key_type,
            }
            .into());
        }
        Added::KeyActive(active) => return Err(key_active(org, ss, key_type, &active)),
    }
    if let Some(audit) = audit {
        audit.recorded(&events);
    }
    log::info!(
        "{key_type} {} added to {org}/{}",
        record.kid,
        ss.map_or("-", |s| s.as_str())
    );
    Ok(record)
}

/// One key may be active once per type on an owner.
fn ensure_key_not_active(
    directory: &Directory,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    key_type: CertOrKeyType,
    spki_sha256: &str,
) -> Result<(), ServiceError> {
    let now = directory.clock.now();
    match directory
        .certificates
        .active_with_key(org, ss, key_type, spki_sha256, now)?
    {
        Some(active) => Err(key_active(org, ss, key_type, &active)),
        None => Ok(()),
    }
}

fn key_active(
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    key_type: CertOrKeyType,
    active: &CertificateOrKey,
) -> ServiceError {
    Conflict::KeyActive {
        org: org.clone(),
        ss: ss.cloned(),
        key_type,
        kid: active.kid.clone(),
    }
    .into()
}

/// What an upload produced, before it becomes a stored record.
struct NewRecord<'a> {
    key_type: CertOrKeyType,
    client_name: &'a str,
    key: KeyFacts,
    /// Certificate chain as DER, leaf first; empty for a bare key.
    chain: Vec<Vec<u8>>,
    valid_from: DateTime<Utc>,
    expiry: Option<DateTime<Utc>>,
    serial: Option<String>,
}

impl NewRecord<'_> {
    fn into_record(
        self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
        flavour: Flavour,
    ) -> Result<CertificateOrKey, ServiceError> {
        let leaf = self.chain.first();
        let leaf_sha256 = leaf.map(|der| x5t_s256(der));
        let kid = flavour.kid(
            leaf_sha256.as_deref(),
            &self.key.thumbprint_sha256,
            &self.key.thumbprint_sha1,
        );
        Ok(CertificateOrKey {
            organisation_id: org.clone(),
            software_statement_id: ss.cloned(),
            client_name: self.client_name.to_owned(),
            key_type: self.key_type,
            status: RecordStatus::Active,
            valid_from: self.valid_from,
            expiry: self.expiry,
            revoked_at: None,
            revoke_reason: None,
            issuer_id: None,
            kid: Kid::parse(&kid)?,
            x5t: leaf.map(|der| x5t(der)),
            x5t_s256: leaf_sha256,
            x5c: self.chain.iter().map(|der| base64(der)).collect(),
            jwk: self.key.jwk,
            serial: self.serial,
            spki_sha256: self.key.spki_sha256,
        })
    }
}
