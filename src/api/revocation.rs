//! Revocation status for relying parties: `/crl/{id}.crl` and the OCSP
//! responder at `/ocsp` (RFC 6960 appendix A: POST, or GET with the
//! base64 request in the path).

use crate::api::routes::Routes;
use actix_web::{HttpResponse, web};

use super::directory::DirectoryError;
use crate::service::certificate_authority::CertificateAuthority;
use crate::service::revocation;

pub fn routes(r: &mut Routes) {
    r.get(
        "/crl/{file}",
        crl,
        "A CA's CRL, DER: an issuing CA's, or a root's (which its issuing CAs name)",
    )
    .post("/ocsp", ocsp_post, "OCSP responder (RFC 6960), DER request")
    .get(
        "/ocsp/{request:.*}",
        ocsp_get,
        "OCSP responder (RFC 6960), base64 request in the path",
    );
}

/// GET /crl/{CA id}.crl, DER.
async fn crl(
    path: web::Path<String>,
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, DirectoryError> {
    let id = path
        .strip_suffix(".crl")
        .ok_or_else(|| DirectoryError::NotFound(format!("no CRL named '{path}'")))?;
    let der = revocation::crl(&authority, id).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pkix-crl")
        .body(der))
}

fn ocsp_answer(
    authority: &CertificateAuthority,
    request: &[u8],
) -> Result<HttpResponse, DirectoryError> {
    Ok(HttpResponse::Ok()
        .content_type("application/ocsp-response")
        .body(revocation::ocsp(authority, request)?))
}

/// POST /ocsp, `application/ocsp-request`.
async fn ocsp_post(
    body: web::Bytes,
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, DirectoryError> {
    ocsp_answer(&authority, &body)
}

/// GET /ocsp/{url-encoded base64 of the DER request}.
async fn ocsp_get(
    path: web::Path<String>,
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, DirectoryError> {
    let encoded = path.trim_start_matches('/');
    let request = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, encoded)
        .unwrap_or_default();
    ocsp_answer(&authority, &request)
}
