//! Domain pre-validation on the RA face: register, list, read, delete,
//! validate by DNS TXT, and the validation token.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Answer, Operator, body, json_body, parsed};
use crate::api::rfc3339;
use crate::domain::ra::{ClientDomain, ClientReference, DomainReference};
use crate::service::ra::Ra;
use crate::service::ra::domains;

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

fn domains_answer(ra: &Ra, domains: Vec<ClientDomain>) -> HttpResponse {
    let now = ra.clock.now();
    HttpResponse::Ok().json(
        domains
            .into_iter()
            .map(|d| domain_view(d, now))
            .collect::<Vec<_>>(),
    )
}

/// POST /v2/client/domain/{clientReference}/register
pub(super) async fn register_domains(
    Operator(operator): Operator,
    req: HttpRequest,
    ra: web::Data<Ra>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Answer {
    let reference = parsed(ClientReference::parse, &path)?;
    let bytes = body(&req, payload).await?;
    let names: Vec<String> = json_body(&req, &bytes)?;
    let registered = domains::register(&ra, &operator, &reference, &names).await?;
    Ok(domains_answer(&ra, registered))
}

/// POST /v2/client/domains/{clientReference}/list
pub(super) async fn list_domains(
    Operator(operator): Operator,
    ra: web::Data<Ra>,
    path: web::Path<String>,
) -> Answer {
    let reference = parsed(ClientReference::parse, &path)?;
    Ok(domains_answer(
        &ra,
        domains::list(&ra, &operator, &reference)?,
    ))
}

fn one_domain(ra: &Ra, domain: ClientDomain) -> HttpResponse {
    HttpResponse::Ok().json(domain_view(domain, ra.clock.now()))
}

/// POST /v2/client/domain/{prevalidatedDomainReference}
pub(super) async fn domain(
    Operator(operator): Operator,
    ra: web::Data<Ra>,
    path: web::Path<String>,
) -> Answer {
    let reference = parsed(DomainReference::parse, &path)?;
    Ok(one_domain(&ra, domains::get(&ra, &operator, &reference)?))
}

/// POST /v2/client/domain/{prevalidatedDomainReference}/delete
pub(super) async fn delete_domain(
    Operator(operator): Operator,
    ra: web::Data<Ra>,
    path: web::Path<String>,
) -> Answer {
    let reference = parsed(DomainReference::parse, &path)?;
    domains::delete(&ra, &operator, &reference).await?;
    Ok(HttpResponse::Ok().finish())
}

/// POST /v2/client/domain/{prevalidatedDomainReference}/validate
pub(super) async fn validate_domain(
    Operator(operator): Operator,
    ra: web::Data<Ra>,
    path: web::Path<String>,
) -> Answer {
    let reference = parsed(DomainReference::parse, &path)?;
    Ok(one_domain(
        &ra,
        domains::validate(&ra, &operator, &reference).await?,
    ))
}

/// POST /v2/client/domain/{prevalidatedDomainReference}/token/reset
pub(super) async fn reset_token(
    Operator(operator): Operator,
    ra: web::Data<Ra>,
    path: web::Path<String>,
) -> Answer {
    let reference = parsed(DomainReference::parse, &path)?;
    Ok(one_domain(
        &ra,
        domains::reset_token(&ra, &operator, &reference).await?,
    ))
}

/// POST /v2/client/domain/{prevalidatedDomainReference}/token/delete
pub(super) async fn delete_token(
    Operator(operator): Operator,
    ra: web::Data<Ra>,
    path: web::Path<String>,
) -> Answer {
    let reference = parsed(DomainReference::parse, &path)?;
    Ok(one_domain(
        &ra,
        domains::delete_token(&ra, &operator, &reference).await?,
    ))
}
