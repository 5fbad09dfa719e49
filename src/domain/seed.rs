//! The seed file: what a directory starts with (trust anchors, organisations,
//! their software statements, and the certificates and keys registered on
//! them), in JSON or TOML with one shape. Every key is checked, so a typo
//! stops the load instead of being dropped.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
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
#[serde(try_from = "RawOrganisation")]
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
#[serde(try_from = "RawServer")]
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
#[serde(try_from = "RawApiResource")]
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
#[serde(try_from = "RawStatement")]
pub struct SeedStatement {
    pub id: SoftwareStatementId,
    /// The body of `POST .../softwarestatements`.
    pub fields: Map<String, Value>,
    pub certificates: Vec<SeedCertificate>,
}

/// A certificate or key to register, as an upload of that type would send
/// it: a CSR, an issued certificate or a public key, PEM.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawCertificate")]
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

/// Deserializes the members a request type knows and refuses any other, so a
/// misspelt member is an error rather than a silently missing field.
fn split_known<T: DeserializeOwned>(fields: &Map<String, Value>) -> Result<T, String> {
    #[derive(Deserialize)]
    #[serde(bound = "T: DeserializeOwned")]
    struct Split<T> {
        #[serde(flatten)]
        known: T,
        #[serde(flatten)]
        unknown: Map<String, Value>,
    }
    let split: Split<T> = serde_json::from_value(Value::Object(fields.clone())).map_err(|e| {
        // The flattened members lose their names in the error: find the one
        // that fails alone (every request member is optional).
        fields
            .iter()
            .find_map(|(key, value)| {
                let alone = Map::from_iter([(key.clone(), value.clone())]);
                serde_json::from_value::<T>(Value::Object(alone))
                    .err()
                    .map(|e| format!("{key}: {e}"))
            })
            .unwrap_or_else(|| e.to_string())
    })?;
    match split.unknown.keys().next() {
        Some(key) => Err(unknown_member(key)),
        None => Ok(split.known),
    }
}

fn unknown_member(key: &str) -> String {
    match key {
        "ClientSecret" => "unknown field `ClientSecret`: a seed holds nothing secret; the directory makes a statement's secret when it creates it".into(),
        _ => format!("unknown field `{key}`"),
    }
}

#[derive(Deserialize)]
struct RawOrganisation {
    #[serde(rename = "SoftwareStatements", default)]
    software_statements: Vec<SeedStatement>,
    #[serde(rename = "Certificates", default)]
    certificates: Vec<SeedCertificate>,
    #[serde(rename = "AuthorityClaims", default)]
    authority_claims: Vec<AuthorityClaimRequest>,
    #[serde(rename = "Contacts", default)]
    contacts: Vec<ContactRequest>,
    #[serde(rename = "AuthorisationServers", default)]
    authorisation_servers: Vec<SeedServer>,
    #[serde(flatten)]
    fields: Map<String, Value>,
}

impl TryFrom<RawOrganisation> for SeedOrganisation {
    type Error = String;

    fn try_from(raw: RawOrganisation) -> Result<Self, String> {
        let request: OrganisationRequest = split_known(&raw.fields)?;
        let id = required_id(request.organisation_id.as_deref(), "OrganisationId")?;
        let id = OrganisationId::parse(&id).map_err(|e| e.to_string())?;
        for (i, certificate) in raw.certificates.iter().enumerate() {
            if !certificate.key_type.is_organisation_level() {
                return Err(format!(
                    "Certificates[{i}].Type: {} belongs to a software statement: list it in that statement's Certificates",
                    certificate.key_type
                ));
            }
        }
        Ok(SeedOrganisation {
            id,
            fields: raw.fields,
            software_statements: raw.software_statements,
            certificates: raw.certificates,
            authority_claims: raw.authority_claims,
            contacts: raw.contacts,
            authorisation_servers: raw.authorisation_servers,
        })
    }
}

#[derive(Deserialize)]
struct RawServer {
    #[serde(rename = "ApiResources", default)]
    api_resources: Vec<SeedApiResource>,
    #[serde(flatten)]
    fields: Map<String, Value>,
}

impl TryFrom<RawServer> for SeedServer {
    type Error = String;

    fn try_from(raw: RawServer) -> Result<Self, String> {
        let request: AuthorisationServerRequest = split_known(&raw.fields)?;
        let id = required_id(
            request.authorisation_server_id.as_deref(),
            "AuthorisationServerId",
        )?;
        let id = AuthorisationServerId::parse(&id).map_err(|e| e.to_string())?;
        Ok(SeedServer {
            id,
            fields: raw.fields,
            api_resources: raw.api_resources,
        })
    }
}

#[derive(Deserialize)]
struct RawApiResource {
    #[serde(rename = "ApiDiscoveryEndpoints", default)]
    discovery_endpoints: Vec<String>,
    #[serde(flatten)]
    fields: Map<String, Value>,
}

impl TryFrom<RawApiResource> for SeedApiResource {
    type Error = String;

    fn try_from(raw: RawApiResource) -> Result<Self, String> {
        let request: ApiResourceRequest = split_known(&raw.fields)?;
        if request.api_endpoint.is_some() {
            return Err(
                "ApiEndpoint: list a seeded resource's endpoints in ApiDiscoveryEndpoints".into(),
            );
        }
        Ok(SeedApiResource {
            family: required_id(request.api_family_type.as_deref(), "ApiFamilyType")?,
            version: required_id(request.api_version.as_deref(), "ApiVersion")?,
            fields: raw.fields,
            discovery_endpoints: raw.discovery_endpoints,
        })
    }
}

#[derive(Deserialize)]
struct RawStatement {
    #[serde(rename = "Certificates", default)]
    certificates: Vec<SeedCertificate>,
    #[serde(flatten)]
    fields: Map<String, Value>,
}

impl TryFrom<RawStatement> for SeedStatement {
    type Error = String;

    fn try_from(raw: RawStatement) -> Result<Self, String> {
        let request: SoftwareStatementRequest = split_known(&raw.fields)?;
        let id = required_id(
            request.software_statement_id.as_deref(),
            "SoftwareStatementId",
        )?;
        let id = SoftwareStatementId::parse(&id).map_err(|e| e.to_string())?;
        for (i, certificate) in raw.certificates.iter().enumerate() {
            if certificate.key_type.is_organisation_level() {
                return Err(format!(
                    "Certificates[{i}].Type: {} is an organisation's own certificate: list it in the organisation's Certificates",
                    certificate.key_type
                ));
            }
        }
        Ok(SeedStatement {
            id,
            fields: raw.fields,
            certificates: raw.certificates,
        })
    }
}

/// A seed names its records (an API resource by its family and version),
/// so that loading it again finds them.
fn required_id(id: Option<&str>, field: &str) -> Result<String, String> {
    id.map(str::to_owned).ok_or_else(|| {
        format!("{field}: must be given in a seed, so that loading it again finds the record")
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCertificate {
    #[serde(rename = "Type")]
    key_type: CertOrKeyType,
    #[serde(rename = "Pem")]
    pem: Option<String>,
    #[serde(rename = "PemFile")]
    pem_file: Option<PathBuf>,
}

impl TryFrom<RawCertificate> for SeedCertificate {
    type Error = String;

    fn try_from(raw: RawCertificate) -> Result<Self, String> {
        let pem = match (raw.pem, raw.pem_file) {
            (Some(text), None) => Pem::Inline(text),
            (None, Some(file)) => Pem::File(file),
            (Some(_), Some(_)) => return Err("give Pem or PemFile, not both".into()),
            (None, None) => {
                return Err(format!(
                    "Pem or PemFile: the {} PEM must be given",
                    raw.key_type
                ));
            }
        };
        Ok(SeedCertificate {
            key_type: raw.key_type,
            pem,
        })
    }
}

#[cfg(test)]
mod tests;
