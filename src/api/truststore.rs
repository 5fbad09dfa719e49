//! The trust store's admin routes: the CAs a certificate issued elsewhere
//! must chain to. Admin token only; errors in the directory's shape.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use super::audited::Audited;
use super::directory::DirectoryError;
use super::directory::request::pem_body_as;
use super::rfc3339;
use crate::api::routes::Routes;
use crate::domain::Caller;
use crate::domain::trust::{AnchorSource, TrustAnchor};
use crate::service::ensure_admin;
use crate::service::truststore::{self, TrustStore};

/// A CA bundle may hold many certificates.
const MAX_BUNDLE_BYTES: usize = 256 * 1024;

pub fn routes(r: &mut Routes) {
    r.get(
        "/admin/truststore",
        list,
        "The trust store: CAs certificates issued elsewhere must chain to",
    )
    .post(
        "/admin/truststore",
        add,
        "Add the CA certificates of a PEM body to the trust store",
    )
    .get(
        "/admin/truststore/{fingerprint}",
        get,
        "One trust anchor, by the SHA-256 of its DER",
    )
    .delete(
        "/admin/truststore/{fingerprint}",
        remove,
        "Remove a trust anchor",
    );
}

fn anchor_json(anchor: &TrustAnchor) -> Value {
    json!({
        "fingerprint": anchor.fingerprint.as_str(),
        "subject": anchor.subject,
        "issuer": anchor.issuer,
        "notAfter": rfc3339(anchor.not_after),
        "source": anchor.source.name(),
        "addedAt": rfc3339(anchor.added_at),
        "pem": anchor.pem(),
    })
}

/// GET /admin/truststore
async fn list(
    caller: Caller,
    trust_store: web::Data<TrustStore>,
) -> Result<HttpResponse, DirectoryError> {
    ensure_admin(&caller, "reading the trust store")?;
    let anchors = truststore::anchors(&trust_store)?;
    Ok(HttpResponse::Ok().json(anchors.iter().map(anchor_json).collect::<Vec<_>>()))
}

/// GET /admin/truststore/{fingerprint}
async fn get(
    caller: Caller,
    fingerprint: web::Path<String>,
    trust_store: web::Data<TrustStore>,
) -> Result<HttpResponse, DirectoryError> {
    ensure_admin(&caller, "reading the trust store")?;
    let anchor = truststore::anchor(&trust_store, &fingerprint)?;
    Ok(HttpResponse::Ok().json(anchor_json(&anchor)))
}

/// POST /admin/truststore with a PEM body: 201 if any certificate was new,
/// else 200; each certificate of the body, with whether it was new.
async fn add(
    audited: Audited,
    req: HttpRequest,
    body: web::Payload,
    trust_store: web::Data<TrustStore>,
) -> Result<HttpResponse, DirectoryError> {
    ensure_admin(&audited.caller, "changing the trust store")?;
    let pem = pem_body_as(
        &req,
        body,
        &["application/x-pem-file", "text/plain"],
        MAX_BUNDLE_BYTES,
    )
    .await?;
    let work = truststore::add(&trust_store, &pem, AnchorSource::Admin);
    let added = audited.record("TRUST_ANCHOR_ADD", work).await?;
    let answer: Vec<Value> = added
        .iter()
        .map(|(anchor, new)| {
            let mut json = anchor_json(anchor);
            json["new"] = json!(new);
            json
        })
        .collect();
    let mut response = match added.iter().any(|(_, new)| *new) {
        true => HttpResponse::Created(),
        false => HttpResponse::Ok(),
    };
    Ok(response.json(answer))
}

/// DELETE /admin/truststore/{fingerprint}
async fn remove(
    audited: Audited,
    fingerprint: web::Path<String>,
    trust_store: web::Data<TrustStore>,
) -> Result<HttpResponse, DirectoryError> {
    ensure_admin(&audited.caller, "changing the trust store")?;
    let work = truststore::remove(&trust_store, &fingerprint);
    audited.record("TRUST_ANCHOR_REMOVE", work).await?;
    Ok(HttpResponse::NoContent().finish())
}
