//! The seed file: what a directory starts with (trust anchors, organisations,
//! their software statements, and the certificates and keys registered on
//! them), in JSON or TOML with one shape. Every key is checked, so a typo
//! stops the load instead of being dropped.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::api_resource::ApiResourceRequest;
use super::authorisation_server::AuthorisationServerRequest;
use super::authority_claim::AuthorityClaimRequest;
use super::contact::ContactRequest;
use super::ecosystem::RootRequest;
use super::organisation::{OrganisationRequest, SoftwareStatementRequest};
use super::{
    AuthorisationServerId, CertOrKeyType, DomainError, OrganisationId, SoftwareStatementId,
};
use raw::split_known;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedFormat {
    Json,
    Toml,
}

impl SeedFormat {
    /// By the file's extension, else by its content: a JSON seed is an object.
    pub fn of(path: &Path, text: &str) -> SeedFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => SeedFormat::Json,
            Some(e) if e.eq_ignore_ascii_case("toml") => SeedFormat::Toml,
            _ if text.trim_start().starts_with('{') => SeedFormat::Json,
            _ => SeedFormat::Toml,
        }
    }
}

/// A whole seed file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Root CAs to add to the ecosystem, before anything is issued.
    #[serde(default)]
    pub trust_anchors: Vec<TrustAnchor>,
    #[serde(default)]
    pub organisations: Vec<SeedOrganisation>,
    /// RA clients and their products, as `[[ra.clients]]` in config.
    #[serde(default)]
    pub ra_clients: Vec<super::ra::ClientAccount>,
    /// RA operator accounts, as `[[ra.operators]]` in config.
    #[serde(default)]
    pub ra_operators: Vec<super::ra::OperatorAccount>,
}

/// An extra root CA, as `POST /v1/ecosystems/certificates/ca` takes it. It
/// is known by its organisationName and commonName: a root with both is the
/// same trust anchor, so seeding again adds none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TrustAnchor {
    pub organisation_name: String,
    pub common_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
}

impl TrustAnchor {
    pub fn request(&self) -> RootRequest {
        RootRequest {
            common_name: Some(self.common_name.clone()),
            country: self.country.clone(),
            organisation_name: Some(self.organisation_name.clone()),
            not_after: self.not_after.clone(),
            not_before: self.not_before.clone(),
        }
    }

    /// Whether a root whose subject reads `C=.., O=.., CN=..` (as the
    /// ecosystem API's certificateData.subject shows it) is this anchor.
    pub fn is_subject(&self, subject: &str) -> bool {
        let names = format!("O={}, CN={}", self.organisation_name, self.common_name);
        subject
            .split_once(", ")
            .is_some_and(|(country, rest)| match country.strip_prefix("C=") {
                Some(c) => rest == names && self.country.as_deref().is_none_or(|want| want == c),
                None => false,
            })
    }
}

/// An organisation: the OrganisationRequest members, with its software
/// statements and its own certificates beside them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "raw::RawOrganisation")]
pub struct SeedOrganisation {
    pub id: OrganisationId,
    /// The members as the file gives them: the body of `POST /organisations`.
    pub fields: Map<String, Value>,
    pub software_statements: Vec<SeedStatement>,
    pub certificates: Vec<SeedCertificate>,
    /// What the regulator licensed it for: bodies of `POST
    /// .../authorityclaims`, recorded before its statements claim roles.
    pub authority_claims: Vec<AuthorityClaimRequest>,
    /// Bodies of `POST .../contacts`; a contact is known by its
    /// ContactType and EmailAddress.
    pub contacts: Vec<ContactRequest>,
    pub authorisation_servers: Vec<SeedServer>,
}

/// An authorisation server: the AuthorisationServerRequest members, with
/// the API resources it offers beside them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "raw::RawServer")]
pub struct SeedServer {
    pub id: AuthorisationServerId,
    /// The body of `POST .../authorisationservers`.
    pub fields: Map<String, Value>,
    pub api_resources: Vec<SeedApiResource>,
}

/// An API resource: the ApiResourceRequest members but ApiEndpoint, with
/// its discovery endpoints as a list of URLs. It is known on its server by
/// its ApiFamilyType and ApiVersion, an endpoint by its URL.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "raw::RawApiResource")]
pub struct SeedApiResource {
    /// The body of `POST .../apiresources`.
    pub fields: Map<String, Value>,
    pub family: String,
    pub version: String,
    /// Each the ApiEndpoint of a `POST .../apidiscoveryendpoints`.
    pub discovery_endpoints: Vec<String>,
}

/// A software statement: the SoftwareStatementRequest members, with the
/// certificates and keys its client is known by.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "raw::RawStatement")]
pub struct SeedStatement {
    pub id: SoftwareStatementId,
    /// The body of `POST .../softwarestatements`.
    pub fields: Map<String, Value>,
    pub certificates: Vec<SeedCertificate>,
}

/// A certificate or key to register, as an upload of that type would send
/// it: a CSR, an issued certificate or a public key, PEM.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "raw::RawCertificate")]
pub struct SeedCertificate {
    pub key_type: CertOrKeyType,
    pub pem: Pem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Pem {
    Inline(String),
    /// A path, relative to the seed file unless absolute.
    File(PathBuf),
}

impl SeedOrganisation {
    /// The members as a request; they were checked when the seed was parsed.
    pub fn request(&self) -> Result<OrganisationRequest, DomainError> {
        split_known(&self.fields).map_err(|rule| DomainError::field("fields", rule))
    }
}

impl SeedStatement {
    /// The members as a request; they were checked when the seed was parsed.
    pub fn request(&self) -> Result<SoftwareStatementRequest, DomainError> {
        split_known(&self.fields).map_err(|rule| DomainError::field("fields", rule))
    }
}

/// Whether a held claim of `authority`, `domain` and `role` is the licence a
/// seeded claim asks for.
pub fn is_seeded_claim(
    seeded: &AuthorityClaimRequest,
    authority: &str,
    domain: &str,
    role: &str,
) -> bool {
    seeded.authority_id.as_deref() == Some(authority)
        && seeded.authorisation_domain.as_deref() == Some(domain)
        && seeded.role.as_deref() == Some(role)
}

/// Whether a held contact of `contact_type` at `email` is the seeded one: a
/// seed knows a contact by its type and e-mail, having no id for it.
pub fn is_seeded_contact(seeded: &ContactRequest, contact_type: &str, email: &str) -> bool {
    seeded.contact_type.as_deref() == Some(contact_type)
        && seeded.email_address.as_deref() == Some(email)
}

impl SeedApiResource {
    /// Whether a held resource of `family` and `version` is this one.
    pub fn is(&self, family: &str, version: &str) -> bool {
        self.family == family && self.version == version
    }
}

impl SeedServer {
    /// The members as a request; they were checked when the seed was parsed.
    pub fn request(&self) -> Result<AuthorisationServerRequest, DomainError> {
        split_known(&self.fields).map_err(|rule| DomainError::field("fields", rule))
    }
}

impl SeedApiResource {
    /// The members as a request; they were checked when the seed was parsed.
    pub fn request(&self) -> Result<ApiResourceRequest, DomainError> {
        split_known(&self.fields).map_err(|rule| DomainError::field("fields", rule))
    }
}

impl SeedCertificate {
    /// The PEM text, once `Seed::read_pem_files` has read the files.
    pub fn pem_text(&self) -> Option<&str> {
        match &self.pem {
            Pem::Inline(text) => Some(text),
            Pem::File(_) => None,
        }
    }
}

impl Seed {
    /// Parses a seed, naming the place of the first error as a path
    /// (`organisations[0].SoftwareStatements[1].Certificates[0].Type`).
    pub fn parse(text: &str, format: SeedFormat) -> Result<Seed, String> {
        let located = |path: &serde_path_to_error::Path, error: String| match path.to_string() {
            p if p == "." => error,
            p => format!("{p}: {error}"),
        };
        match format {
            SeedFormat::Json => {
                let mut de = serde_json::Deserializer::from_str(text);
                serde_path_to_error::deserialize(&mut de)
                    .map_err(|e| located(e.path(), e.inner().to_string()))
            }
            SeedFormat::Toml => {
                let de = toml::Deserializer::parse(text).map_err(|e| one_line(&e.to_string()))?;
                serde_path_to_error::deserialize(de)
                    .map_err(|e| located(e.path(), one_line(&e.inner().to_string())))
            }
        }
    }

    /// Replaces every `PemFile` with the text `read` answers for it, the
    /// path taken relative to `base` (the seed file's directory).
    pub fn read_pem_files(
        &mut self,
        base: &Path,
        mut read: impl FnMut(&Path) -> std::io::Result<String>,
    ) -> Result<(), String> {
        let mut owners: Vec<(String, &mut Vec<SeedCertificate>)> = Vec::new();
        for (i, org) in self.organisations.iter_mut().enumerate() {
            owners.push((format!("organisations[{i}]"), &mut org.certificates));
            for (j, ss) in org.software_statements.iter_mut().enumerate() {
                owners.push((
                    format!("organisations[{i}].SoftwareStatements[{j}]"),
                    &mut ss.certificates,
                ));
            }
        }
        for (owner, certificates) in owners {
            for (k, certificate) in certificates.iter_mut().enumerate() {
                if let Pem::File(file) = &certificate.pem {
                    let path = base.join(file);
                    let text = read(&path).map_err(|e| {
                        format!("{owner}.Certificates[{k}].PemFile: {}: {e}", path.display())
                    })?;
                    certificate.pem = Pem::Inline(text);
                }
            }
        }
        Ok(())
    }
}

/// TOML errors draw the offending line over several; a log line or an error
/// list wants one, worded as serde_json words its own.
fn one_line(message: &str) -> String {
    let mut lines = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('|') && !l.contains(" | "));
    let first = lines.next().unwrap_or_default();
    let rest: Vec<&str> = lines.collect();
    match first.strip_prefix("TOML parse error at ") {
        Some(place) if !rest.is_empty() => format!("{} at {place}", rest.join(": ")),
        _ => [first]
            .into_iter()
            .chain(rest)
            .collect::<Vec<_>>()
            .join(": "),
    }
}

mod raw;
#[cfg(test)]
mod tests;
