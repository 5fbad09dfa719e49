//! The RA face (seed 002) under `/v2`: every call a POST, a session JWT in
//! `Authorization: Bearer`, errors as `{"uuid", "errorCode",
//! "errorMessages"}`.

use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::api::routes::Routes;
use crate::api::{BodyError, auth, read_body, rfc3339};
use crate::domain::ra::{
    ClientDomain, ClientReference, DomainReference, Order, OrderReference, OrderState,
    ProductReference, RaClient, RaFailure, RaOperator, Refusal,
};
use crate::service::Core;
use crate::service::ra::orders::OrderSearch;
use crate::service::ra::revoke::RevokeItem;
use crate::service::ra::{accounts, domains, orders, revoke, session};

/// A CSR or a JSON body is small; anything bigger is a mistake.
const MAX_BODY_BYTES: usize = 64 * 1024;

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
        .post(
            "/client/domains/{clientReference}/list",
            list_domains,
            "A client's registered domains and their status",
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

/// The operator whose session token the request carries.
fn operator(req: &HttpRequest, core: &Core) -> Result<RaOperator, RaError> {
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(auth::bearer_token);
    Ok(session::authenticate(core, token)?)
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
    crate::api::decode_json(bytes).map_err(|e| RaError(RaFailure::validation(e)))
}

/// A JSON object body decoded into `T`.
fn json_object_body<T: serde::de::DeserializeOwned>(
    req: &HttpRequest,
    bytes: &[u8],
) -> Result<T, RaError> {
    ensure_json(req)?;
    crate::api::decode_json_object(bytes).map_err(|e| RaError(RaFailure::validation(e)))
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(rename = "userSecret")]
    user_secret: Option<String>,
}

/// POST /v2/jwt/{userName}
async fn login(
    req: HttpRequest,
    core: web::Data<Core>,
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
    let token = session::login(&core, &user, &secret)?;
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
async fn search_clients(req: HttpRequest, core: web::Data<Core>) -> Answer {
    let operator = operator(&req, &core)?;
    let query: SearchQuery = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| RaError(RaFailure::validation(format!("query: {e}"))))?;
    let search = query.search.as_deref().filter(|s| !s.is_empty());
    if search.is_some_and(|s| s.chars().count() > 200) {
        return Err(RaError(RaFailure::validation(
            "search: must be at most 200 characters",
        )));
    }
    let clients = accounts::search(&core, &operator, search)?;
    Ok(HttpResponse::Ok().json(
        clients
            .into_iter()
            .map(ClientView::from)
            .collect::<Vec<_>>(),
    ))
}

/// POST /v2/client/{clientReference}
async fn client(req: HttpRequest, core: web::Data<Core>, path: web::Path<String>) -> Answer {
    let operator = operator(&req, &core)?;
    let reference = parsed(ClientReference::parse, &path)?;
    let client = accounts::client(&core, &operator, &reference)?;
    Ok(HttpResponse::Ok().json(ClientView::from(client)))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DomainView {
    prevalidated_domain_reference: String,
    client_reference: String,
    domain_name: String,
    /// The name in DNS (punycode), where the TXT record goes.
    ascii_domain_name: String,
    status: &'static str,
    token: Option<String>,
    token_expires: Option<String>,
    registered: String,
    validated: Option<String>,
    valid_until: Option<String>,
}

fn domain_view(d: ClientDomain, now: DateTime<Utc>) -> DomainView {
    DomainView {
        prevalidated_domain_reference: d.reference.to_string(),
        client_reference: d.client.to_string(),
        status: d.status(now).name(),
        domain_name: d.name.unicode,
        ascii_domain_name: d.name.ascii,
        token: d.token,
        token_expires: d.token_expires.map(rfc3339),
        registered: rfc3339(d.registered),
        validated: d.validated.map(rfc3339),
        valid_until: d.validated_until.map(rfc3339),
    }
}

fn domains_answer(core: &Core, domains: Vec<ClientDomain>) -> HttpResponse {
    let now = core.clock.now();
    HttpResponse::Ok().json(
        domains
            .into_iter()
            .map(|d| domain_view(d, now))
            .collect::<Vec<_>>(),
    )
}

/// POST /v2/client/domain/{clientReference}/register
async fn register_domains(
    req: HttpRequest,
    core: web::Data<Core>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Answer {
    let operator = operator(&req, &core)?;
    let reference = parsed(ClientReference::parse, &path)?;
    let bytes = body(&req, payload).await?;
    let names: Vec<String> = json_body(&req, &bytes)?;
    let registered = domains::register(&core, &operator, &reference, &names).await?;
    Ok(domains_answer(&core, registered))
}

/// POST /v2/client/domains/{clientReference}/list
async fn list_domains(req: HttpRequest, core: web::Data<Core>, path: web::Path<String>) -> Answer {
    let operator = operator(&req, &core)?;
    let reference = parsed(ClientReference::parse, &path)?;
    Ok(domains_answer(
        &core,
        domains::list(&core, &operator, &reference)?,
    ))
}

fn one_domain(core: &Core, domain: ClientDomain) -> HttpResponse {
    HttpResponse::Ok().json(domain_view(domain, core.clock.now()))
}

/// POST /v2/client/domain/{prevalidatedDomainReference}
async fn domain(req: HttpRequest, core: web::Data<Core>, path: web::Path<String>) -> Answer {
    let operator = operator(&req, &core)?;
    let reference = parsed(DomainReference::parse, &path)?;
    Ok(one_domain(
        &core,
        domains::get(&core, &operator, &reference)?,
    ))
}

/// POST /v2/client/domain/{prevalidatedDomainReference}/delete
async fn delete_domain(req: HttpRequest, core: web::Data<Core>, path: web::Path<String>) -> Answer {
    let operator = operator(&req, &core)?;
    let reference = parsed(DomainReference::parse, &path)?;
    domains::delete(&core, &operator, &reference).await?;
    Ok(HttpResponse::Ok().finish())
}

/// POST /v2/client/domain/{prevalidatedDomainReference}/validate
async fn validate_domain(
    req: HttpRequest,
    core: web::Data<Core>,
    path: web::Path<String>,
) -> Answer {
    let operator = operator(&req, &core)?;
    let reference = parsed(DomainReference::parse, &path)?;
    Ok(one_domain(
        &core,
        domains::validate(&core, &operator, &reference).await?,
    ))
}

/// POST /v2/client/domain/{prevalidatedDomainReference}/token/reset
async fn reset_token(req: HttpRequest, core: web::Data<Core>, path: web::Path<String>) -> Answer {
    let operator = operator(&req, &core)?;
    let reference = parsed(DomainReference::parse, &path)?;
    Ok(one_domain(
        &core,
        domains::reset_token(&core, &operator, &reference).await?,
    ))
}

/// POST /v2/client/domain/{prevalidatedDomainReference}/token/delete
async fn delete_token(req: HttpRequest, core: web::Data<Core>, path: web::Path<String>) -> Answer {
    let operator = operator(&req, &core)?;
    let reference = parsed(DomainReference::parse, &path)?;
    Ok(one_domain(
        &core,
        domains::delete_token(&core, &operator, &reference).await?,
    ))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CertificateView {
    serial_number: String,
    issuer_name: String,
    not_before: String,
    not_after: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderView {
    order_reference: String,
    client_reference: String,
    product_reference: String,
    status: &'static str,
    status_since: String,
    created: String,
    user_name: String,
    subject: String,
    dns_names: Vec<String>,
    failure_reasons: Vec<String>,
    certificate: Option<CertificateView>,
}

impl From<Order> for OrderView {
    fn from(o: Order) -> Self {
        Self {
            order_reference: o.reference.to_string(),
            client_reference: o.client.to_string(),
            product_reference: o.product.to_string(),
            status: o.state.name(),
            status_since: rfc3339(o.state_since),
            created: rfc3339(o.created),
            user_name: o.operator.to_string(),
            subject: o.subject,
            dns_names: o.names,
            failure_reasons: o.reasons,
            certificate: o.certificate.map(|c| CertificateView {
                serial_number: c.serial_hex.to_ascii_uppercase(),
                issuer_name: c.issuer_name,
                not_before: rfc3339(c.not_before),
                not_after: rfc3339(c.not_after),
            }),
        }
    }
}

/// POST /v2/issue/csr/{productReference}
async fn issue_csr(
    req: HttpRequest,
    core: web::Data<Core>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Answer {
    let operator = operator(&req, &core)?;
    let product = parsed(ProductReference::parse, &path)?;
    let media = media_type(&req);
    if !["text/plain", "application/pkcs10", "application/x-pem-file"].contains(&media.as_str()) {
        return Err(RaError(RaFailure::validation(format!(
            "Content-Type: must be text/plain (a PEM CSR), got '{media}'"
        ))));
    }
    let bytes = body(&req, payload).await?;
    let csr = String::from_utf8(bytes).map_err(|_| {
        RaError(RaFailure::validation(
            "body: the CSR must be UTF-8 PEM text",
        ))
    })?;
    if csr.trim().is_empty() {
        return Err(RaError(RaFailure::null_value("body (a PEM CSR)")));
    }
    let order = orders::submit(&core, &operator, &product, &csr).await?;
    Ok(HttpResponse::Ok().json(OrderView::from(order)))
}

/// POST /v2/order/{orderReference}/status
async fn order_status(req: HttpRequest, core: web::Data<Core>, path: web::Path<String>) -> Answer {
    let operator = operator(&req, &core)?;
    let reference = parsed(OrderReference::parse, &path)?;
    let order = orders::get(&core, &operator, &reference).await?;
    Ok(HttpResponse::Ok().json(json!({
        "orderReference": order.reference.to_string(),
        "status": order.state.name(),
        "statusSince": rfc3339(order.state_since),
        "failureReasons": order.reasons,
    })))
}

/// POST /v2/order/{orderReference}
async fn order(req: HttpRequest, core: web::Data<Core>, path: web::Path<String>) -> Answer {
    let operator = operator(&req, &core)?;
    let reference = parsed(OrderReference::parse, &path)?;
    let order = orders::get(&core, &operator, &reference).await?;
    Ok(HttpResponse::Ok().json(OrderView::from(order)))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct OrderSearchBody {
    client_reference: Option<String>,
    product_reference: Option<String>,
    status: Option<String>,
    created_from: Option<String>,
    created_to: Option<String>,
    dns_name: Option<String>,
    limit: Option<u64>,
}

fn time_field(field: &str, value: Option<&str>) -> Result<Option<DateTime<Utc>>, RaError> {
    value
        .map(|v| {
            DateTime::parse_from_rfc3339(v)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| {
                    RaError(RaFailure::validation(format!(
                        "{field}: '{v}' is not an RFC 3339 date-time (e.g. 2026-01-31T12:00:00Z)"
                    )))
                })
        })
        .transpose()
}

/// POST /v2/orders
async fn search_orders(req: HttpRequest, core: web::Data<Core>, payload: web::Payload) -> Answer {
    let operator = operator(&req, &core)?;
    let bytes = body(&req, payload).await?;
    let fields: OrderSearchBody = if bytes.iter().all(u8::is_ascii_whitespace) {
        OrderSearchBody::default()
    } else {
        json_object_body(&req, &bytes)?
    };
    let search = OrderSearch {
        client: fields
            .client_reference
            .as_deref()
            .map(|c| parsed(ClientReference::parse, c))
            .transpose()?,
        product: fields
            .product_reference
            .as_deref()
            .map(|p| parsed(ProductReference::parse, p))
            .transpose()?,
        state: fields
            .status
            .as_deref()
            .map(|s| {
                OrderState::parse(s).ok_or_else(|| {
                    RaError(RaFailure::validation(format!(
                        "status: must be one of received, validating, issued, failed; got '{s}'"
                    )))
                })
            })
            .transpose()?,
        created_from: time_field("createdFrom", fields.created_from.as_deref())?,
        created_to: time_field("createdTo", fields.created_to.as_deref())?,
        dns_name: fields.dns_name,
        limit: match fields.limit {
            None => orders::DEFAULT_PAGE,
            Some(n) if (1..=orders::MAX_PAGE as u64).contains(&n) => n as usize,
            Some(n) => {
                return Err(RaError(RaFailure::validation(format!(
                    "limit: must be 1 to {}, got {n}",
                    orders::MAX_PAGE
                ))));
            }
        },
    };
    let found = orders::list(&core, &operator, &search).await?;
    Ok(HttpResponse::Ok().json(found.into_iter().map(OrderView::from).collect::<Vec<_>>()))
}

/// POST /v2/order/{orderReference}/certificate/chain
async fn chain(req: HttpRequest, core: web::Data<Core>, path: web::Path<String>) -> Answer {
    let operator = operator(&req, &core)?;
    let reference = parsed(OrderReference::parse, &path)?;
    let chain = orders::chain(&core, &operator, &reference).await?;
    let wants_pkcs7 = req
        .headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| {
            accept
                .to_ascii_lowercase()
                .contains("application/pkcs7-mime")
        });
    if wants_pkcs7 {
        return Ok(HttpResponse::Ok()
            .content_type("application/pkcs7-mime")
            .body(chain.pkcs7()));
    }
    Ok(HttpResponse::Ok().json(chain.pem_list()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RevokeBody {
    serial_number: Option<String>,
    issuer_name: Option<String>,
    revocation_reason: Option<String>,
}

/// POST /v2/revoke
async fn revoke_certificates(
    req: HttpRequest,
    core: web::Data<Core>,
    payload: web::Payload,
) -> Answer {
    let operator = operator(&req, &core)?;
    let bytes = body(&req, payload).await?;
    let items: Vec<RevokeBody> = json_body(&req, &bytes)?;
    let items: Vec<RevokeItem> = items
        .into_iter()
        .map(|i| RevokeItem {
            serial_number: i.serial_number,
            issuer_name: i.issuer_name,
            revocation_reason: i.revocation_reason,
        })
        .collect();
    let outcomes = revoke::revoke(&core, &operator, &items).await?;
    let results: Vec<serde_json::Value> = items
        .iter()
        .zip(outcomes)
        .map(|(item, outcome)| match outcome {
            Ok(()) => json!({
                "serialNumber": item.serial_number,
                "issuerName": item.issuer_name,
                "revoked": true,
            }),
            Err(f) => json!({
                "serialNumber": item.serial_number,
                "issuerName": item.issuer_name,
                "revoked": false,
                "errorCode": f.code.to_string(),
                "errorMessages": f.messages,
            }),
        })
        .collect();
    Ok(HttpResponse::Ok().json(results))
}
