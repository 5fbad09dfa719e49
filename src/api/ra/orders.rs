//! Certificate orders on the RA face: a CSR ordered for a product, its
//! status, search and chain, and revocation by serial and issuer.

use actix_web::http::header::ACCEPT;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Answer, Operator, RaError, body, json_body, json_object_body, media_type, parsed};
use crate::api::rfc3339;
use crate::domain::ra::{
    ClientReference, Order, OrderReference, OrderState, ProductReference, RaFailure,
};
use crate::service::ra::Ra;
use crate::service::ra::orders::OrderSearch;
use crate::service::ra::revoke::RevokeItem;
use crate::service::ra::{orders, revoke};

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
pub(super) async fn issue_csr(
    Operator(operator): Operator,
    req: HttpRequest,
    ra: web::Data<Ra>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Answer {
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
    let order = orders::submit(&ra, &operator, &product, &csr).await?;
    Ok(HttpResponse::Ok().json(OrderView::from(order)))
}

/// POST /v2/order/{orderReference}/status
pub(super) async fn order_status(
    Operator(operator): Operator,
    ra: web::Data<Ra>,
    path: web::Path<String>,
) -> Answer {
    let reference = parsed(OrderReference::parse, &path)?;
    let order = orders::get(&ra, &operator, &reference).await?;
    Ok(HttpResponse::Ok().json(json!({
        "orderReference": order.reference.to_string(),
        "status": order.state.name(),
        "statusSince": rfc3339(order.state_since),
        "failureReasons": order.reasons,
    })))
}

/// POST /v2/order/{orderReference}
pub(super) async fn order(
    Operator(operator): Operator,
    ra: web::Data<Ra>,
    path: web::Path<String>,
) -> Answer {
    let reference = parsed(OrderReference::parse, &path)?;
    let order = orders::get(&ra, &operator, &reference).await?;
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
pub(super) async fn search_orders(
    Operator(operator): Operator,
    req: HttpRequest,
    ra: web::Data<Ra>,
    payload: web::Payload,
) -> Answer {
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
    let found = orders::list(&ra, &operator, &search).await?;
    Ok(HttpResponse::Ok().json(found.into_iter().map(OrderView::from).collect::<Vec<_>>()))
}

/// POST /v2/order/{orderReference}/certificate/chain
pub(super) async fn chain(
    Operator(operator): Operator,
    req: HttpRequest,
    ra: web::Data<Ra>,
    path: web::Path<String>,
) -> Answer {
    let reference = parsed(OrderReference::parse, &path)?;
    let chain = orders::chain(&ra, &operator, &reference).await?;
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
pub(super) async fn revoke_certificates(
    Operator(operator): Operator,
    req: HttpRequest,
    ra: web::Data<Ra>,
    payload: web::Payload,
) -> Answer {
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
    let outcomes = revoke::revoke(&ra, &operator, &items).await?;
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
