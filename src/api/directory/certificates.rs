//! Certificates and keys of a software statement (`.../softwarestatements/
//! {SoftwareStatementId}/certificates`) and of an organisation itself
//! (`/organisations/{OrganisationId}/certificates`).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::DirectoryError;
use super::request::{Ids, JsonBody, page_request, pem_body};
use super::view::{CertificateOrKeyView, PageView};
use crate::api::audited::Audited;
use crate::api::negotiation::{JWK, JWK_SET};
use crate::domain::certificate::Holder;
use crate::domain::{Caller, CertOrKeyType, RevokeReason};
use crate::service::directory::Directory;
use crate::service::{certificates, upload as uploads};

/// POST: add a certificate (from a CSR, or issued elsewhere) or a public key.
/// Without a type in the path, a statement's upload is rtssigning and an
/// organisation's rtsseal, the API's defaults.
pub async fn upload(
    write: Audited,
    req: HttpRequest,
    ids: Ids,
    body: web::Payload,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let holder = match ids.ss {
        Some(_) => Holder::Statement,
        None => Holder::Organisation,
    };
    let pem = pem_body(&req, body).await?;
    let key_type = ids
        .key_type
        .unwrap_or(CertOrKeyType::default_upload(holder));
    // The upload writes its events with the record, in one transaction.
    let audit = write.audit("DIRECTORY_CERTIFICATE_UPLOAD");
    let work = uploads::upload(
        &directory,
        Some(&audit),
        &write.caller,
        &ids.org,
        ids.ss.as_ref(),
        key_type,
        &pem,
    );
    let record = write.run(&audit, work).await?;
    Ok(HttpResponse::Created()
        .content_type(JWK)
        .json(CertificateOrKeyView::new(&record, directory.urls())))
}

/// GET: every certificate and key of the owner, optionally of one type.
pub async fn list(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let records = certificates::list(&directory, &caller, &ids.org, ids.ss.as_ref(), ids.key_type)?;
    Ok(HttpResponse::Ok()
        .content_type(JWK_SET)
        .json(CertificateOrKeyView::list(&records, directory.urls())))
}

/// GET .../softwarestatements/{ss}/certificates/{type}: one page of that type.
pub async fn list_page(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let page = page_request(&req)?;
    let records = certificates::list(&directory, &caller, &ids.org, ids.ss.as_ref(), ids.key_type)?;
    let page = page
        .cut(records)
        .map(|r| CertificateOrKeyView::new(&r, directory.urls()));
    Ok(HttpResponse::Ok().json(PageView::new(page)))
}

/// GET one certificate or key by its CertificateOrKeyId (the kid).
pub async fn get(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let record = certificates::get(
        &directory,
        &caller,
        &ids.org,
        ids.ss.as_ref(),
        ids.key_type,
        ids.kid()?,
    )?;
    Ok(HttpResponse::Ok()
        .content_type(JWK)
        .json(CertificateOrKeyView::new(&record, directory.urls())))
}

/// AmendCertificateRequest.
#[derive(Deserialize)]
pub struct AmendCertificateRequest {
    #[serde(rename = "RevokeReason")]
    revoke_reason: Option<String>,
}

/// PUT .../certificates/{type}/{CertificateOrKeyId} with a RevokeReason: 204.
pub async fn revoke(
    write: Audited,
    ids: Ids,
    JsonBody(amend): JsonBody<AmendCertificateRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let reason = amend.revoke_reason.ok_or_else(|| {
        DirectoryError::BadRequest(vec!["RevokeReason: RevokeReason must be provided".into()])
    })?;
    let reason = RevokeReason::parse(&reason)?;
    let (key_type, kid) = (ids.key_type()?, ids.kid()?);
    // The revocation writes its events with the record, in one transaction.
    let audit = write.audit("DIRECTORY_CERTIFICATE_REVOKE");
    let work = certificates::revoke(
        &directory,
        Some(&audit),
        &write.caller,
        &ids.org,
        ids.ss.as_ref(),
        key_type,
        kid,
        reason,
    );
    write.run(&audit, work).await?;
    Ok(HttpResponse::NoContent().finish())
}
