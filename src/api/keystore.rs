//! The keystore face: the public JWKS and PEM documents the directory's
//! records generate, in the layout of the configured flavour. No
//! authentication, as on the real keystore host.

use crate::api::routes::Routes;
use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::directory::DirectoryError;
use super::negotiation::JWK_SET;
use crate::domain::{
    CertificateOrKey, Flavour, KeySet, KeyUse, KeystoreDocument, Kid, OrganisationId, PublicJwk,
    SoftwareStatementId,
};
use crate::service::directory::Directory;
use crate::service::keystore;

pub fn routes(r: &mut Routes, flavour: Flavour) {
    r.get(
        "/openbanking.jwks",
        directory_jwks,
        "The directory's signing keys",
    );
    match flavour {
        Flavour::Raidiam => {
            r.get(
                "/{org}/application.jwks",
                raidiam_organisation,
                "An organisation's active signing and encryption keys",
            )
            .get(
                "/{org}/inactive/application.jwks",
                raidiam_organisation,
                "An organisation's revoked and expired keys",
            )
            .get(
                "/{org}/transport.jwks",
                raidiam_organisation,
                "An organisation's active transport keys",
            )
            .get(
                "/{org}/inactive/transport.jwks",
                raidiam_organisation,
                "An organisation's revoked and expired transport keys",
            )
            .get(
                "/{org}/{ss}/application.jwks",
                raidiam_statement,
                "A statement's active application keys",
            )
            .get(
                "/{org}/{ss}/transport.jwks",
                raidiam_statement,
                "A statement's active transport keys",
            )
            .get(
                "/{org}/{ss}/inactive/application.jwks",
                raidiam_statement,
                "A statement's revoked and expired application keys",
            )
            .get(
                "/{org}/{ss}/inactive/transport.jwks",
                raidiam_statement,
                "A statement's revoked and expired transport keys",
            )
            .get(
                "/{org}/{file}",
                organisation_file,
                "An organisation certificate, {kid}.pem",
            )
            .get(
                "/{org}/{ss}/{file}",
                statement_pem,
                "A statement certificate, {kid}.pem",
            );
        }
        Flavour::Obie => {
            r.get(
                "/{org}/revoked/{file}",
                obie_revoked,
                "Revoked keys, {org or ss}.jwks",
            )
            .get(
                "/{org}/{file}",
                organisation_file,
                "Keys ({org or ss}.jwks) or a certificate ({kid}.pem)",
            );
        }
    }
}

/// A JWK as the keystore publishes it.
#[derive(Serialize)]
struct PublishedJwk<'a> {
    kid: &'a str,
    #[serde(flatten)]
    key: &'a PublicJwk,
    #[serde(rename = "use")]
    key_use: KeyUse,
    #[serde(skip_serializing_if = "Option::is_none")]
    alg: Option<&'static str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    x5c: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    x5t: Option<String>,
    #[serde(rename = "x5t#S256", skip_serializing_if = "Option::is_none")]
    x5t_s256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    x5u: Option<String>,
}

#[derive(Serialize)]
struct JwkSet<'a> {
    keys: Vec<PublishedJwk<'a>>,
}

fn jwk_set(keys: Vec<PublishedJwk<'_>>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(JWK_SET)
        .json(JwkSet { keys })
}

fn published<'a>(r: &'a CertificateOrKey, directory: &Directory) -> PublishedJwk<'a> {
    let flavour = directory.urls().flavour();
    PublishedJwk {
        kid: r.kid.as_str(),
        key: &r.jwk,
        key_use: r.key_use(),
        alg: None,
        x5c: &r.x5c,
        x5t: r.x5t.as_deref().map(|d| flavour.digest_form(d)),
        x5t_s256: r.x5t_s256.as_deref().map(|d| flavour.digest_form(d)),
        x5u: r.certificate_url(directory.urls()),
    }
}

fn document(directory: &Directory, doc: KeystoreDocument) -> Result<HttpResponse, DirectoryError> {
    let body = keystore::document(directory, &doc, |records| {
        let keys = records.iter().map(|r| published(r, directory)).collect();
        serde_json::to_vec(&JwkSet { keys })
            .expect("a JWK set serialises")
            .into()
    })?;
    Ok(HttpResponse::Ok().content_type(JWK_SET).body(body))
}

/// Keystore paths are file names: an id that cannot exist is simply not found.
fn not_found<E>(_: E) -> DirectoryError {
    DirectoryError::NotFound("no such keystore document".into())
}

fn organisation(org: &str) -> Result<OrganisationId, DirectoryError> {
    OrganisationId::parse(org).map_err(not_found)
}

fn statement(ss: &str) -> Result<SoftwareStatementId, DirectoryError> {
    SoftwareStatementId::parse(ss).map_err(not_found)
}

fn doc(
    org: OrganisationId,
    ss: Option<SoftwareStatementId>,
    keys: KeySet,
    inactive: bool,
) -> KeystoreDocument {
    KeystoreDocument {
        organisation_id: org,
        software_statement_id: ss,
        keys,
        inactive,
    }
}

/// GET {keystore}/openbanking.jwks: the directory's own signing key, which
/// verifies its SSAs and access tokens.
async fn directory_jwks(directory: web::Data<Directory>) -> HttpResponse {
    let key = keystore::directory_key(&directory);
    jwk_set(vec![PublishedJwk {
        kid: &key.kid,
        key: &key.jwk,
        key_use: KeyUse::Sig,
        alg: Some("PS256"),
        x5c: &key.x5c,
        x5t: key.x5t.clone(),
        x5t_s256: key.x5t_s256.clone(),
        x5u: None,
    }])
}

/// The key set and the standing (active, or with `inactive/` not) a
/// Raidiam document's route selects: read from the route's pattern, so an
/// id that reads "inactive" is never taken for the folder.
fn raidiam_document(req: &actix_web::HttpRequest) -> (KeySet, bool) {
    let pattern = req.match_pattern().unwrap_or_default();
    let keys = match pattern.ends_with("transport.jwks") {
        true => KeySet::Transport,
        false => KeySet::Application,
    };
    (keys, pattern.contains("/inactive/"))
}

async fn raidiam_organisation(
    req: actix_web::HttpRequest,
    path: web::Path<String>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let (keys, inactive) = raidiam_document(&req);
    document(&directory, doc(organisation(&path)?, None, keys, inactive))
}

async fn raidiam_statement(
    req: actix_web::HttpRequest,
    path: web::Path<(String, String)>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let (keys, inactive) = raidiam_document(&req);
    let (org, ss) = (organisation(&path.0)?, statement(&path.1)?);
    document(&directory, doc(org, Some(ss), keys, inactive))
}

fn pem(
    directory: &Directory,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    file: &str,
) -> Result<HttpResponse, DirectoryError> {
    let kid = file.strip_suffix(".pem").ok_or_else(|| not_found(()))?;
    let kid = Kid::parse(kid).map_err(not_found)?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-pem-file")
        .body(keystore::certificate_pem(directory, org, ss, &kid)?))
}

/// GET {keystore}/{org}/{ss}/{kid}.pem (Raidiam)
async fn statement_pem(
    path: web::Path<(String, String, String)>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let (org, ss) = (organisation(&path.0)?, statement(&path.1)?);
    pem(&directory, &org, Some(&ss), &path.2)
}

/// GET {keystore}/{org}/{file}: `{kid}.pem` in both layouts; in the OBIE
/// layout also `{org}.jwks` (the organisation's keys) and `{ss}.jwks`.
async fn organisation_file(
    path: web::Path<(String, String)>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let org = organisation(&path.0)?;
    let file = path.1.as_str();
    match (directory.urls().flavour(), file.strip_suffix(".jwks")) {
        (Flavour::Obie, Some(name)) => document(&directory, obie_doc(org, name, false)?),
        _ => pem(&directory, &org, None, file),
    }
}

/// GET {keystore}/{org}/revoked/{ss or org}.jwks (OBIE)
async fn obie_revoked(
    path: web::Path<(String, String)>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let org = organisation(&path.0)?;
    let name = path.1.strip_suffix(".jwks").ok_or_else(|| not_found(()))?;
    document(&directory, obie_doc(org, name, true)?)
}

fn obie_doc(
    org: OrganisationId,
    name: &str,
    inactive: bool,
) -> Result<KeystoreDocument, DirectoryError> {
    let ss = if name == org.as_str() {
        None
    } else {
        Some(statement(name)?)
    };
    Ok(doc(org, ss, KeySet::All, inactive))
}
