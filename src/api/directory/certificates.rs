//! POST .../softwarestatements/{SoftwareStatementId}/certificates[/{type}]:
//! add a certificate (from a CSR or as issued elsewhere) or a public key.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::DirectoryError;
use super::request::{check_fapi_headers, collect, pem_body};
use crate::api::auth::Caller;
use crate::domain::{
    CertOrKeyType, CertificateOrKey, OrganisationId, PublicJwk, PublicUrls, SoftwareStatementId,
};
use crate::service::keystore::KeySet;
use crate::service::{Core, upload as upload_service};

/// Path values, the type defaulting to rtssigning as the API says.
#[derive(serde::Deserialize)]
pub struct UploadPath {
    #[serde(rename = "OrganisationId")]
    organisation_id: String,
    #[serde(rename = "SoftwareStatementId")]
    software_statement_id: String,
    #[serde(rename = "SoftwareStatementCertificateOrKeyType")]
    key_type: Option<String>,
}

pub async fn upload(
    _caller: Caller,
    req: HttpRequest,
    path: web::Path<UploadPath>,
    body: web::Payload,
    core: web::Data<Core>,
) -> Result<HttpResponse, DirectoryError> {
    let key_type = path
        .key_type
        .as_deref()
        .map_or(Ok(CertOrKeyType::Rtssigning), CertOrKeyType::parse);
    let ids = collect(
        OrganisationId::parse(&path.organisation_id),
        SoftwareStatementId::parse(&path.software_statement_id),
    );
    let (org, ss, key_type) = match (ids, key_type) {
        (Ok((org, ss)), Ok(key_type)) => (org, ss, key_type),
        (Err(DirectoryError::BadRequest(mut errors)), Err(e)) => {
            errors.push(e.to_string());
            return Err(DirectoryError::BadRequest(errors));
        }
        (Err(e), _) => return Err(e),
        (_, Err(e)) => return Err(e.into()),
    };
    check_fapi_headers(&req)?;
    let pem = pem_body(&req, body).await?;
    let record = upload_service::upload(&core, &org, &ss, key_type, &pem).await?;
    Ok(HttpResponse::Created()
        .content_type("application/jwk+json")
        .json(CertificateOrKeyView::new(&record, core.urls())))
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The directory's CertificateOrKey object.
#[derive(Serialize)]
pub struct CertificateOrKeyView {
    #[serde(rename = "OrganisationId")]
    organisation_id: String,
    #[serde(rename = "SoftwareStatementIds")]
    software_statement_ids: Vec<String>,
    #[serde(rename = "ClientName")]
    client_name: String,
    #[serde(rename = "Status")]
    status: &'static str,
    #[serde(rename = "ValidFromDateTime")]
    valid_from: String,
    #[serde(rename = "ExpiryDateTime")]
    expiry: Option<String>,
    #[serde(rename = "RevokedDateTime", skip_serializing_if = "Option::is_none")]
    revoked: Option<String>,
    #[serde(flatten)]
    jwk: PublicJwk,
    #[serde(rename = "use")]
    key_use: crate::domain::KeyUse,
    #[serde(rename = "keyType")]
    key_type: CertOrKeyType,
    kid: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    x5c: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    x5t: Option<String>,
    #[serde(rename = "x5thashS256", skip_serializing_if = "Option::is_none")]
    x5t_s256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    x5u: Option<String>,
    #[serde(rename = "SignedCertPath", skip_serializing_if = "Option::is_none")]
    signed_cert_path: Option<String>,
    #[serde(rename = "JwkPath")]
    jwk_path: String,
    #[serde(rename = "OrgJwkPath")]
    org_jwk_path: String,
}

impl CertificateOrKeyView {
    pub fn new(record: &CertificateOrKey, urls: &PublicUrls) -> Self {
        let (org, ss) = (&record.organisation_id, &record.software_statement_id);
        let pem_url = record.certificate_url(urls);
        let jwk_path = match KeySet::for_use(record.key_use()) {
            KeySet::Application => urls.statement_jwks(org, ss),
            KeySet::Transport => urls.statement_transport_jwks(org, ss),
        };
        Self {
            organisation_id: org.to_string(),
            software_statement_ids: vec![ss.to_string()],
            client_name: record.client_name.clone(),
            status: match record.status {
                crate::domain::RecordStatus::Active => "Active",
                crate::domain::RecordStatus::Revoked => "Revoked",
            },
            valid_from: rfc3339(record.valid_from),
            expiry: record.expiry.map(rfc3339),
            revoked: record.revoked_at.map(rfc3339),
            jwk: record.jwk.clone(),
            key_use: record.key_use(),
            key_type: record.key_type,
            kid: record.kid.to_string(),
            x5c: record.x5c.clone(),
            x5t: record.x5t.clone(),
            x5t_s256: record.x5t_s256.clone(),
            x5u: pem_url.clone(),
            signed_cert_path: pem_url,
            jwk_path,
            org_jwk_path: urls.organisation_jwks(org),
        }
    }
}
