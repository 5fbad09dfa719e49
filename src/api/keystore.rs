//! The keystore face: the public JWKS and PEM documents the directory's
//! records generate. No authentication, as on the real keystore host.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::directory::DirectoryError;
use crate::domain::{
    CertificateOrKey, KeyUse, Kid, OrganisationId, PublicJwk, SoftwareStatementId,
};
use crate::service::Core;
use crate::service::keystore::{self, KeySet};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{org}/application.jwks", web::get().to(organisation_jwks))
        .route(
            "/{org}/{ss}/application.jwks",
            web::get().to(application_jwks),
        )
        .route("/{org}/{ss}/transport.jwks", web::get().to(transport_jwks))
        .route("/{org}/{ss}/{file}", web::get().to(certificate_pem));
}

/// A JWK as the keystore publishes it.
#[derive(Serialize)]
struct PublishedJwk<'a> {
    kid: &'a str,
    #[serde(flatten)]
    key: &'a PublicJwk,
    #[serde(rename = "use")]
    key_use: KeyUse,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    x5c: &'a [String],
    #[serde(rename = "x5t#S256", skip_serializing_if = "Option::is_none")]
    x5t_s256: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    x5u: Option<String>,
}

fn jwks(records: &[CertificateOrKey], core: &Core) -> HttpResponse {
    let keys: Vec<PublishedJwk<'_>> = records
        .iter()
        .map(|r| PublishedJwk {
            kid: r.kid.as_str(),
            key: &r.jwk,
            key_use: r.key_use(),
            x5c: &r.x5c,
            x5t_s256: r.x5t_s256.as_deref(),
            x5u: r.certificate_url(core.urls()),
        })
        .collect();
    HttpResponse::Ok()
        .content_type("application/jwk-set+json")
        .json(serde_json::json!({ "keys": keys }))
}

/// Keystore paths are file names: an id that cannot exist is simply not found.
fn not_found<E>(_: E) -> DirectoryError {
    DirectoryError::NotFound("no such keystore document".into())
}

fn statement_ids(
    org: &str,
    ss: &str,
) -> Result<(OrganisationId, SoftwareStatementId), DirectoryError> {
    Ok((
        OrganisationId::parse(org).map_err(not_found)?,
        SoftwareStatementId::parse(ss).map_err(not_found)?,
    ))
}

/// GET {keystore}/{org}/application.jwks
async fn organisation_jwks(
    path: web::Path<String>,
    core: web::Data<Core>,
) -> Result<HttpResponse, DirectoryError> {
    let org = OrganisationId::parse(&path).map_err(not_found)?;
    Ok(jwks(&keystore::organisation_keys(&core, &org)?, &core))
}

/// GET {keystore}/{org}/{ss}/application.jwks
async fn application_jwks(
    path: web::Path<(String, String)>,
    core: web::Data<Core>,
) -> Result<HttpResponse, DirectoryError> {
    let (org, ss) = statement_ids(&path.0, &path.1)?;
    Ok(jwks(
        &keystore::statement_keys(&core, &org, &ss, KeySet::Application)?,
        &core,
    ))
}

/// GET {keystore}/{org}/{ss}/transport.jwks
async fn transport_jwks(
    path: web::Path<(String, String)>,
    core: web::Data<Core>,
) -> Result<HttpResponse, DirectoryError> {
    let (org, ss) = statement_ids(&path.0, &path.1)?;
    Ok(jwks(
        &keystore::statement_keys(&core, &org, &ss, KeySet::Transport)?,
        &core,
    ))
}

/// GET {keystore}/{org}/{ss}/{kid}.pem
async fn certificate_pem(
    path: web::Path<(String, String, String)>,
    core: web::Data<Core>,
) -> Result<HttpResponse, DirectoryError> {
    let (org, ss) = statement_ids(&path.0, &path.1)?;
    let kid = path
        .2
        .strip_suffix(".pem")
        .ok_or_else(|| not_found(()))
        .and_then(|k| Kid::parse(k).map_err(not_found))?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-pem-file")
        .body(keystore::certificate_pem(&core, &org, &ss, &kid)?))
}
