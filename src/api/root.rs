//! Routes outside every face: readiness and the CA chain.

use actix_web::{HttpResponse, web};

use super::directory::DirectoryError;
use crate::service::Core;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(health))
        .route("/ca/chain.pem", web::get().to(ca_chain));
}

async fn health() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// Issuing CA then root, so `openssl verify -CAfile` can check any leaf.
async fn ca_chain(core: web::Data<Core>) -> Result<HttpResponse, DirectoryError> {
    Ok(HttpResponse::Ok()
        .content_type("application/x-pem-file")
        .body(core.ca_chain_pem()?))
}
