//! The RA face (seed 002) under `/v2`: every call a POST, a session JWT in
//! `Authorization: Bearer`, errors as `{"uuid", "errorCode",
//! "errorMessages"}`.

use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, CONTENT_TYPE};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::api::routes::Routes;
use crate::api::{BodyError, auth, read_body};
use crate::domain::ra::{ClientReference, RaClient, RaFailure, RaOperator, Refusal};
use crate::service::ra::Ra;
use crate::service::ra::{accounts, session};

/// A CSR or a JSON body is small; anything bigger is a mistake.
const MAX_BODY_BYTES: usize = 64 * 1024;

mod domains;
mod orders;

use domains::{
    delete_domain, delete_token, domain, list_domains, register_domains, reset_token,
    validate_domain,
};
use orders::{chain, issue_csr, order, order_status, revoke_certificates, search_orders};

pub fn routes(r: &mut Routes) {
    const DOMAIN: &str = "/client/domain/{prevalidatedDomainReference}";
    const ORDER: &str = "/order/{orderReference}";
    r.post("/jwt/{userName}", login, "A session JWT for an RA operator (form field userSecret)")
        .post("/clients", search_clients, "Search clients and their products (?search=, wildcards)")
        .post("/client/{clientReference}", client, "A client and its products")
        .post(
            "/client/domain/{clientReference}/register",
            register_domains,
            "Register domain names for pre-validation (JSON array of names)",
        )
        // The seed spells the list both ways.
        .post(
            "/client/domains/{clientReference}/list",
            list_domains,
            "A client's registered domains and their status",
        )
        .post(
            "/client/domain/{clientReference}/list",
            list_domains,
            "A client's registered domains and their status (the seed's other spelling)",
        )
        .post(DOMAIN, domain, "A pre-validated domain")
        .post(&format!("{DOMAIN}/delete"), delete_domain, "Delete a pre-validated domain")
        .post(
            &format!("{DOMAIN}/validate"),
            validate_domain,
            "Validate a domain by its DNS TXT record",
        )
        .post(
            &format!("{DOMAIN}/token/reset"),
            reset_token,
            "A new validation token for a domain",
        )
        .post(
            &format!("{DOMAIN}/token/delete"),
            delete_token,
            "Delete a domain's validation token",
        )
        .post(
            "/issue/csr/{productReference}",
            issue_csr,
            "Order a certificate for a product from a CSR (text/plain)",
        )
        .post(&format!("{ORDER}/status"), order_status, "An order's status")
        .post(ORDER, order, "An order")
        .post("/orders", search_orders, "Search orders (optional JSON search fields)")
        .post(
            &format!("{ORDER}/certificate/chain"),
            chain,
            "An issued order's certificate chain: PEM list, or PKCS#7 with Accept: application/pkcs7-mime",
        )
        .post("/revoke", revoke_certificates, "Revoke certificates by serial and issuer");
}

/// A refused RA call in the seed's error shape.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RaError(pub RaFailure);

impl From<RaFailure> for RaError {
    fn from(f: RaFailure) -> Self {
        Self(f)
    }
}

impl ResponseError for RaError {
    fn status_code(&self) -> StatusCode {
        match self.0.refusal {
            Refusal::Invalid => StatusCode::BAD_REQUEST,
            Refusal::Unauthenticated => StatusCode::UNAUTHORIZED,
            Refusal::Forbidden => StatusCode::FORBIDDEN,
            Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Refusal::Conflict => StatusCode::CONFLICT,
            Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Refusal::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        if self.0.refusal == Refusal::Unauthenticated {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.json(json!({
            "uuid": uuid::Uuid::new_v4().to_string(),
            "errorCode": self.0.code.to_string(),
            "errorMessages": self.0.messages,
        }))
    }
}

type Answer = Result<HttpResponse, RaError>;

/// The operator whose session token the request carries: how every
/// operator route starts.
struct Operator(RaOperator);

impl FromRequest for Operator {
    type Error = RaError;
    type Future = std::future::Ready<Result<Operator, RaError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(operator(req))
    }
}

fn operator(req: &HttpRequest) -> Result<Operator, RaError> {
    let ra = req
        .app_data::<web::Data<Ra>>()
        .ok_or_else(|| RaError(RaFailure::runtime("no RA registered")))?;
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(auth::bearer_token);
    Ok(Operator(session::authenticate(ra, token)?))
}

fn parsed<T>(
    parse: impl Fn(&str) -> Result<T, crate::domain::DomainError>,
    value: &str,
) -> Result<T, RaError> {
    parse(value).map_err(|e| RaError(RaFailure::validation(e.to_string())))
}

async fn body(req: &HttpRequest, payload: web::Payload) -> Result<Vec<u8>, RaError> {
    read_body(req, payload, MAX_BODY_BYTES).await.map_err(|e| {
        RaError(match e {
            BodyError::TooLarge(m) => RaFailure {
                refusal: Refusal::TooLarge,
                ..RaFailure::validation(m)
            },
            BodyError::Unreadable(m) => RaFailure::validation(m),
        })
    })
}

fn media_type(req: &HttpRequest) -> String {
    crate::api::media_type(
        req.headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    )
}

fn ensure_json(req: &HttpRequest) -> Result<(), RaError> {
    let media = media_type(req);
    if !media.is_empty() && media != "application/json" {
        return Err(RaError(RaFailure::validation(format!(
            "Content-Type: must be application/json, got '{media}'"
        ))));
    }
    Ok(())
}

/// A JSON body (any JSON: the RA takes arrays) decoded into `T`.
fn json_body<T: serde::de::DeserializeOwned>(
    req: &HttpRequest,
    bytes: &[u8],
) -> Result<T, RaError> {
    ensure_json(req)?;
    crate::api::decode_json(bytes).map_err(|e| RaError(RaFailure::validation(e.to_string())))
}

/// A JSON object body decoded into `T`.
fn json_object_body<T: serde::de::DeserializeOwned>(
    req: &HttpRequest,
    bytes: &[u8],
) -> Result<T, RaError> {
    ensure_json(req)?;
    crate::api::decode_json_object(bytes).map_err(|e| RaError(RaFailure::validation(e.to_string())))
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(rename = "userSecret")]
    user_secret: Option<String>,
}

/// POST /v2/jwt/{userName}
async fn login(
    req: HttpRequest,
    ra: web::Data<Ra>,
    user: web::Path<String>,
    payload: web::Payload,
) -> Answer {
    let media = media_type(&req);
    if media != "application/x-www-form-urlencoded" {
        return Err(RaError(RaFailure::validation(format!(
            "Content-Type: must be application/x-www-form-urlencoded, got '{media}'"
        ))));
    }
    let bytes = body(&req, payload).await?;
    let form: LoginForm = serde_urlencoded::from_bytes(&bytes)
        .map_err(|e| RaError(RaFailure::validation(format!("body: {e}"))))?;
    let secret = form
        .user_secret
        .filter(|s| !s.is_empty())
        .ok_or_else(|| RaError(RaFailure::null_value("userSecret")))?;
    let token = session::login(&ra, &user, &secret)?;
    Ok(HttpResponse::Ok().content_type("text/plain").body(token))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProductView {
    product_reference: String,
    name: String,
    profile: &'static str,
    state: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClientView {
    client_reference: String,
    name: String,
    products: Vec<ProductView>,
}

impl From<RaClient> for ClientView {
    fn from(c: RaClient) -> Self {
        Self {
            client_reference: c.reference.to_string(),
            name: c.name,
            products: c
                .products
                .into_iter()
                .map(|p| ProductView {
                    product_reference: p.reference.to_string(),
                    name: p.name,
                    profile: p.profile.name(),
                    state: p.state.name(),
                })
                .collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchQuery {
    search: Option<String>,
}

/// POST /v2/clients?search=
async fn search_clients(
    Operator(operator): Operator,
    req: HttpRequest,
    ra: web::Data<Ra>,
) -> Answer {
    let query: SearchQuery = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| RaError(RaFailure::validation(format!("query: {e}"))))?;
    let search = query.search.as_deref().filter(|s| !s.is_empty());
    if search.is_some_and(|s| s.chars().count() > 200) {
        return Err(RaError(RaFailure::validation(
            "search: must be at most 200 characters",
        )));
    }
    let clients = accounts::search(&ra, &operator, search)?;
    Ok(HttpResponse::Ok().json(
        clients
            .into_iter()
            .map(ClientView::from)
            .collect::<Vec<_>>(),
    ))
}

/// POST /v2/client/{clientReference}
async fn client(
    Operator(operator): Operator,
    ra: web::Data<Ra>,
    path: web::Path<String>,
) -> Answer {
    let reference = parsed(ClientReference::parse, &path)?;
    let client = accounts::client(&ra, &operator, &reference)?;
    Ok(HttpResponse::Ok().json(ClientView::from(client)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::error::{STATUS_OF_EACH_KIND, one_of_each_kind};

    /// `{uuid, errorCode, errorMessages}` with the seed's codes; no internal
    /// detail leaks.
    #[tokio::test]
    async fn each_kind_of_service_error_in_the_ra_dialect() {
        // Seed 002: MODULE_RAO_API 011, then SECTION_RAO_API_FORM_VALIDATION
        // 351 with VALIDATION 0226, ACCESS_DENIED, or RUNTIME.
        let validation = "011.351.0226";
        let denied = RaFailure::access_denied("").code.to_string();
        let runtime = RaFailure::runtime("").code.to_string();
        let codes = [
            validation, validation, &denied, validation, validation, validation, &runtime,
        ];
        let kinds = one_of_each_kind().into_iter().zip(STATUS_OF_EACH_KIND);
        for ((e, status), code) in kinds.zip(codes) {
            let message = match status {
                500 => "the RA could not read or write its records; see the obdir log".to_owned(),
                _ => e.to_string(),
            };
            let response = RaError(RaFailure::from(e)).error_response();
            assert_eq!(response.status().as_u16(), status);
            let body = actix_web::body::to_bytes(response.into_body())
                .await
                .unwrap();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert!(uuid::Uuid::parse_str(body["uuid"].as_str().unwrap()).is_ok());
            assert_eq!(body["errorCode"], code, "{body}");
            assert_eq!(body["errorMessages"], json!([message]), "{body}");
        }
    }
}
