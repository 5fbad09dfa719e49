//! Routes outside every face: readiness, the CA chain and the OpenAPI
//! document of every route.

use crate::api::routes::Routes;
use actix_web::{HttpResponse, web};

use super::directory::DirectoryError;
use crate::service::certificate_authority::CertificateAuthority;
use crate::service::test_control::TestControl;

pub fn routes(r: &mut Routes) {
    r.get("/health", health, "Readiness")
        .get(
            "/ca/chain.pem",
            ca_chain,
            "The CA chain: issuing CAs then roots, PEM",
        )
        .get("/openapi.json", openapi, "This document");
}

/// Ready, with the store's engine and its count of write transactions (a
/// load test divides it by the writes it made to see how many share one).
async fn health(control: web::Data<TestControl>) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({
        "status": "ok",
        "store": {"engine": "redb", "commits": control.store_commits()},
    }))
}

/// Issuing CA then root, so `openssl verify -CAfile` can check any leaf.
async fn ca_chain(
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, DirectoryError> {
    Ok(HttpResponse::Ok()
        .content_type("application/x-pem-file")
        .body(authority.chain_pem()?))
}

/// The OpenAPI document, built once at start from the same registrations
/// the server mounts.
pub struct OpenApiDocument(pub serde_json::Value);

async fn openapi(document: web::Data<OpenApiDocument>) -> HttpResponse {
    HttpResponse::Ok().json(&document.0)
}
