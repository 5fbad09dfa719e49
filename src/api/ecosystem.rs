//! The ecosystem face (seed 001): the directory's root CA certificates.
//! Errors are `{"code", "message", "details"}`.

use crate::api::routes::Routes;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError, web};
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::api::audited::Audited;
use crate::api::negotiation::NoRoute;
use crate::domain::DomainError;
use crate::domain::ecosystem::{RootRequest, parse_ca_id};
use crate::service::ServiceError;
use crate::service::certificate_authority::CertificateAuthority;
use crate::service::ecosystem::{self, RootCa};

pub fn routes(r: &mut Routes) {
    const CA: &str = "/v1/ecosystems/certificates/ca";
    const ONE: &str = "/v1/ecosystems/certificates/ca/{dtsCaCertificateId}";
    r.post(CA, create, "Create a root CA (three at most)")
        .get(CA, list, "List root CAs (cursor)")
        .get(ONE, get, "Read a root CA")
        .put(ONE, update, "Activate or deactivate a root CA")
        .delete(ONE, delete, "Delete an inactive root CA")
        .get(&format!("{ONE}/crl"), crl, "A root CA's CRL, PEM")
        .get(
            "/v1/ecosystems/public/certificates/ca",
            public_list,
            "The public list of root certificates",
        )
        .get(
            "/v1/ecosystems/{ecosystemId}/vicals/public/certificates/ca/latest",
            latest,
            "The latest public root certificates (deprecated path)",
        )
        .get(
            "/v1/ecosystems/{ecosystemId}/vicals/public/certificates/ca/{caCertificateId}/crl",
            vical_crl,
            "A root CA's CRL (deprecated path)",
        );
}

#[derive(Debug, thiserror::Error)]
#[error("{code}: {message}")]
pub struct EcosystemError {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Vec<String>,
}

impl EcosystemError {
    /// A path or method the face does not serve.
    pub fn no_route(missing: &NoRoute) -> Self {
        let code = match missing {
            NoRoute::Path(_) => "NOT_FOUND",
            NoRoute::Method { .. } => "METHOD_NOT_ALLOWED",
        };
        Self {
            status: missing.status(),
            code,
            message: missing.message().to_owned(),
            details: Vec::new(),
        }
    }

    fn unauthorized() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            code: "UNAUTHORIZED",
            message: "a bearer token with role admin or dts-provider is required".into(),
            details: Vec::new(),
        }
    }
}

impl From<ServiceError> for EcosystemError {
    fn from(e: ServiceError) -> Self {
        let (status, code) = match &e {
            ServiceError::Invalid(_) | ServiceError::Refused(_) => {
                (StatusCode::BAD_REQUEST, "BAD_REQUEST")
            }
            ServiceError::Forbidden(_) => (StatusCode::FORBIDDEN, "FORBIDDEN"),
            ServiceError::NotFound(_) => (StatusCode::NOT_FOUND, "NOT_FOUND"),
            ServiceError::Conflict(_) => (StatusCode::CONFLICT, "CONFLICT"),
            ServiceError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "UNAVAILABLE"),
            ServiceError::Store(_) | ServiceError::Crypto(_) => {
                log::error!("internal error: {e}");
                return Self {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    code: "INTERNAL_ERROR",
                    message: "internal error; see the obdir log".into(),
                    details: Vec::new(),
                };
            }
        };
        let (message, details) = match &e {
            ServiceError::Invalid(_) | ServiceError::Refused(_) => (
                "the request breaks the rules in details".to_owned(),
                e.messages(),
            ),
            other => (other.to_string(), Vec::new()),
        };
        Self {
            status,
            code,
            message,
            details,
        }
    }
}

impl ResponseError for EcosystemError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status).json(json!({
            "code": self.code,
            "message": self.message,
            "details": self.details,
        }))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CertificateDataView {
    subject: String,
    issuer: String,
    serial_number: String,
    not_before: String,
    not_after: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RootView {
    id: String,
    active: bool,
    certificate_pem: String,
    certificate_fingerprint: String,
    certificate_data: CertificateDataView,
    is_managed: bool,
}

impl From<RootCa> for RootView {
    fn from(root: RootCa) -> Self {
        Self {
            id: root.id,
            active: root.active,
            certificate_pem: root.data.pem,
            certificate_fingerprint: root.data.fingerprint,
            certificate_data: CertificateDataView {
                subject: root.data.subject,
                issuer: root.data.issuer,
                serial_number: root.data.serial_hex,
                not_before: super::rfc3339(root.data.not_before),
                not_after: super::rfc3339(root.data.not_after),
            },
            // The directory makes and holds every root's key: each is
            // managed, as the seed's roots are.
            is_managed: true,
        }
    }
}

fn json_body<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, ServiceError> {
    Ok(super::decode_json_object(body)?)
}

const EVENT: &str = "ECOSYSTEM_DTS_CA_CERTIFICATE";

/// POST /v1/ecosystems/certificates/ca
async fn create(
    audited: Option<Audited>,
    body: web::Bytes,
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, EcosystemError> {
    let audited = audited.ok_or_else(EcosystemError::unauthorized)?;
    let caller = &audited.caller;
    // The body is read inside the audited work, so a malformed one is a _FAIL event too.
    let work = async {
        let request: RootRequest = json_body(&body)?;
        ecosystem::create_root(&authority, caller, request).await
    };
    let root = audited.record(&format!("{EVENT}_CREATE"), work).await?;
    Ok(HttpResponse::Created().json(RootView::from(root)))
}

/// GET /v1/ecosystems/certificates/ca?limit=&cursor=
async fn list(
    audited: Option<Audited>,
    query: web::Query<HashMap<String, String>>,
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, EcosystemError> {
    let audited = audited.ok_or_else(EcosystemError::unauthorized)?;
    let caller = &audited.caller;
    let work = async {
        ecosystem::list_roots(
            &authority,
            caller,
            query.get("limit").map(String::as_str),
            query.get("cursor").map(String::as_str),
        )
    };
    let (roots, next) = audited
        .record(&format!("{EVENT}_RETRIEVE_LIST"), work)
        .await?;
    let data: Vec<RootView> = roots.into_iter().map(RootView::from).collect();
    Ok(HttpResponse::Ok().json(json!({"data": data, "nextCursor": next})))
}

/// GET /v1/ecosystems/certificates/ca/{dtsCaCertificateId}
async fn get(
    audited: Option<Audited>,
    path: web::Path<String>,
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, EcosystemError> {
    let audited = audited.ok_or_else(EcosystemError::unauthorized)?;
    let caller = &audited.caller;
    let work = async { ecosystem::get_root(&authority, caller, &path) };
    let root = audited.record(&format!("{EVENT}_RETRIEVE"), work).await?;
    Ok(HttpResponse::Ok().json(RootView::from(root)))
}

#[derive(Deserialize)]
struct UpdateRequest {
    active: Option<bool>,
}

/// PUT /v1/ecosystems/certificates/ca/{dtsCaCertificateId} `{"active": bool}`
async fn update(
    audited: Option<Audited>,
    path: web::Path<String>,
    body: web::Bytes,
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, EcosystemError> {
    let audited = audited.ok_or_else(EcosystemError::unauthorized)?;
    let caller = &audited.caller;
    let work = async {
        let request: UpdateRequest = json_body(&body)?;
        let active = request
            .active
            .ok_or_else(|| ServiceError::from(DomainError::field("active", "is required")))?;
        ecosystem::set_root_active(&authority, caller, &path, active).await
    };
    let root = audited.record(&format!("{EVENT}_UPDATE"), work).await?;
    Ok(HttpResponse::Ok().json(RootView::from(root)))
}

/// DELETE /v1/ecosystems/certificates/ca/{dtsCaCertificateId}
async fn delete(
    audited: Option<Audited>,
    path: web::Path<String>,
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, EcosystemError> {
    let audited = audited.ok_or_else(EcosystemError::unauthorized)?;
    let caller = &audited.caller;
    let work = ecosystem::delete_root(&authority, caller, &path);
    audited.record(&format!("{EVENT}_DELETE"), work).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// GET .../ca/{dtsCaCertificateId}/crl: the root's CRL, PEM in a JSON string.
async fn crl(
    path: web::Path<String>,
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, EcosystemError> {
    Ok(HttpResponse::Ok().json(ecosystem::root_crl_pem(&authority, &path).await?))
}

/// GET /v1/ecosystems/public/certificates/ca
async fn public_list(
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, EcosystemError> {
    let roots: Vec<RootView> = ecosystem::public_roots(&authority)?
        .into_iter()
        .map(RootView::from)
        .collect();
    Ok(HttpResponse::Ok().json(json!({"rootCertificates": roots})))
}

fn ecosystem_id(id: &str) -> Result<(), EcosystemError> {
    parse_ca_id("ecosystemId", id)
        .map(drop)
        .map_err(|e| ServiceError::from(e).into())
}

/// GET /v1/ecosystems/{ecosystemId}/vicals/public/certificates/ca/latest (deprecated)
async fn latest(
    path: web::Path<String>,
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, EcosystemError> {
    ecosystem_id(&path)?;
    Ok(HttpResponse::Ok().json(RootView::from(ecosystem::latest_root(&authority)?)))
}

/// GET /v1/ecosystems/{ecosystemId}/vicals/public/certificates/ca/{caCertificateId}/crl (deprecated)
async fn vical_crl(
    path: web::Path<(String, String)>,
    authority: web::Data<CertificateAuthority>,
) -> Result<HttpResponse, EcosystemError> {
    ecosystem_id(&path.0)?;
    Ok(HttpResponse::Ok().json(ecosystem::root_crl_pem(&authority, &path.1).await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::error::{STATUS_OF_EACH_KIND, as_a_client_reads_it, one_of_each_kind};

    /// `{code, message, details}`: a broken rule lists the rules in details.
    #[tokio::test]
    async fn each_kind_of_service_error_in_the_ecosystem_dialect() {
        let codes = [
            "BAD_REQUEST",
            "BAD_REQUEST",
            "FORBIDDEN",
            "NOT_FOUND",
            "CONFLICT",
            "UNAVAILABLE",
            "INTERNAL_ERROR",
        ];
        let kinds = one_of_each_kind().into_iter().zip(STATUS_OF_EACH_KIND);
        for ((e, status), code) in kinds.zip(codes) {
            let said = as_a_client_reads_it(&e);
            let (message, details) = match status {
                400 => (
                    "the request breaks the rules in details".to_owned(),
                    json!([said]),
                ),
                _ => (said, json!([])),
            };
            let response = EcosystemError::from(e).error_response();
            assert_eq!(response.status().as_u16(), status);
            let body = actix_web::body::to_bytes(response.into_body())
                .await
                .unwrap();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(
                body,
                json!({"code": code, "message": message, "details": details})
            );
        }
    }
}
