//! How a seed file's records are read: each record's request members are
//! split from the lists beside them, every member checked by name and type,
//! and the ids a seed must give required.

use std::path::PathBuf;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::{Pem, SeedApiResource, SeedCertificate, SeedOrganisation, SeedServer, SeedStatement};
use crate::domain::api_resource::ApiResourceRequest;
use crate::domain::authorisation_server::AuthorisationServerRequest;
use crate::domain::authority_claim::AuthorityClaimRequest;
use crate::domain::contact::ContactRequest;
use crate::domain::organisation::{OrganisationRequest, SoftwareStatementRequest};
use crate::domain::rules::mistyped_members;
use crate::domain::{AuthorisationServerId, CertOrKeyType, OrganisationId, SoftwareStatementId};

/// Deserializes the members a request type knows and refuses any other, so a
/// misspelt member is an error rather than a silently missing field.
pub(super) fn split_known<T: DeserializeOwned>(fields: &Map<String, Value>) -> Result<T, String> {
    #[derive(Deserialize)]
    #[serde(bound = "T: DeserializeOwned")]
    struct Split<T> {
        #[serde(flatten)]
        known: T,
        #[serde(flatten)]
        unknown: Map<String, Value>,
    }
    let split: Split<T> = serde_json::from_value(Value::Object(fields.clone())).map_err(|e| {
        // The flattened members lose their names in the error: name the
        // first that fails alone.
        mistyped_members::<T>(fields)
            .next()
            .map(|(key, why)| format!("{key}: {why}"))
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
pub(super) struct RawOrganisation {
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
pub(super) struct RawServer {
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
pub(super) struct RawApiResource {
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
pub(super) struct RawStatement {
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
pub(super) struct RawCertificate {
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
