//! The directory's JSON shapes for what it answers.

use crate::api::rfc3339;
use serde::Serialize;

use crate::domain::page::Page;
use crate::domain::{CertOrKeyType, CertificateOrKey, KeyUse, PublicJwk, PublicUrls, RecordStatus};

/// The ExpiryDateTime of a bare key, which has none: the spec's schema
/// wants a string, and RFC 5280 §4.1.2.5 names this instant for "no
/// well-defined expiration date".
pub const NO_EXPIRY: &str = "9999-12-31T23:59:59Z";

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
    expiry: String,
    #[serde(rename = "RevokedDateTime", skip_serializing_if = "Option::is_none")]
    revoked: Option<String>,
    #[serde(rename = "RevokeReason", skip_serializing_if = "Option::is_none")]
    revoke_reason: Option<&'static str>,
    #[serde(flatten)]
    jwk: PublicJwk,
    #[serde(rename = "use")]
    key_use: KeyUse,
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
        let org = &record.organisation_id;
        let ss = record.software_statement_id.as_ref();
        let pem_url = record.certificate_url(urls);
        let document = urls.document_for(org, ss, record.key_use(), false);
        let digest = |d: &Option<String>| d.as_deref().map(|d| urls.flavour().digest_form(d));
        Self {
            organisation_id: org.to_string(),
            software_statement_ids: ss.map(ToString::to_string).into_iter().collect(),
            client_name: record.client_name.clone(),
            status: match record.status {
                RecordStatus::Active => "Active",
                RecordStatus::Revoked => "Revoked",
            },
            valid_from: rfc3339(record.valid_from),
            expiry: record.expiry.map_or_else(|| NO_EXPIRY.to_owned(), rfc3339),
            revoked: record.revoked_at.map(rfc3339),
            revoke_reason: record.revoke_reason.map(|r| r.as_str()),
            jwk: record.jwk.clone(),
            key_use: record.key_use(),
            key_type: record.key_type,
            kid: record.kid.to_string(),
            x5c: record.x5c.clone(),
            x5t: digest(&record.x5t),
            x5t_s256: digest(&record.x5t_s256),
            x5u: pem_url.clone(),
            signed_cert_path: pem_url,
            jwk_path: urls.document(&document),
            org_jwk_path: urls.document(&urls.document_for(org, None, record.key_use(), false)),
        }
    }

    pub fn list(records: &[CertificateOrKey], urls: &PublicUrls) -> Vec<Self> {
        records.iter().map(|r| Self::new(r, urls)).collect()
    }
}

/// The directory's page shape (PaginationProperties with `content`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageView<T: Serialize> {
    content: Vec<T>,
    empty: bool,
    number_of_elements: usize,
    offset: usize,
    page_number: usize,
    pageable: Pageable,
    size: usize,
    total_pages: usize,
    total_size: usize,
}

#[derive(Serialize)]
struct Pageable {
    number: usize,
    offset: usize,
    size: usize,
    sorted: bool,
}

impl<T: Serialize> PageView<T> {
    pub fn new(page: Page<T>) -> Self {
        let offset = page.request.page.saturating_mul(page.request.size);
        Self {
            empty: page.content.is_empty(),
            number_of_elements: page.content.len(),
            offset,
            page_number: page.request.page,
            pageable: Pageable {
                number: page.request.page,
                offset,
                size: page.request.size,
                sorted: false,
            },
            size: page.request.size,
            total_pages: page.total_pages(),
            total_size: page.total,
            content: page.content,
        }
    }
}
