//! Every response carries `x-fapi-interaction-id`: the request's when it is
//! valid, else a new one.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use crate::domain::fapi::{INTERACTION_ID_HEADER, InteractionId};
use crate::service::events::EventContext;

pub async fn interaction_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req
        .headers()
        .get(INTERACTION_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| InteractionId::parse(v).ok())
        .unwrap_or_else(InteractionId::generate);
    req.extensions_mut().insert(id.clone());
    // Handler and extractor errors arrive here already rendered as responses.
    let mut response = next.call(req).await?;
    if let Ok(value) = HeaderValue::from_str(id.as_str()) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(INTERACTION_ID_HEADER), value);
    }
    Ok(response)
}

/// Who made this request and under which interaction id, for audit events.
pub fn event_context(req: &actix_web::HttpRequest, caller: &crate::domain::Caller) -> EventContext {
    let interaction = req
        .extensions()
        .get::<InteractionId>()
        .map(|i| i.as_str().to_owned());
    EventContext::new(Some(caller), interaction)
}

/// The request line as the access log writes it, with the values of query
/// parameters that carry secrets (the tenants face's `keystorePass` and
/// `aliasPass` may be sent in the query, as its seed does) blanked out.
pub fn logged_request_line(req: &ServiceRequest) -> String {
    let query = req.query_string();
    let query = if query.is_empty() {
        String::new()
    } else {
        let parts: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if is_secret_name(name) => format!("{name}=[hidden]"),
                _ => pair.to_owned(),
            })
            .collect();
        format!("?{}", parts.join("&"))
    };
    format!("{} {}{query} {:?}", req.method(), req.path(), req.version())
}

fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["pass", "secret", "token", "key"]
        .iter()
        .any(|word| name.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn secrets_in_the_query_are_not_logged() {
        let req = TestRequest::post()
            .uri("/api/tenants/acme/theme/clone/pki?keystorePass=soa&alias=gencert&aliasPass=soa&forceTrust=false")
            .to_srv_request();
        assert_eq!(
            logged_request_line(&req),
            "POST /api/tenants/acme/theme/clone/pki?keystorePass=[hidden]&alias=gencert&aliasPass=[hidden]&forceTrust=false HTTP/1.1"
        );
        let req = TestRequest::get().uri("/health").to_srv_request();
        assert_eq!(logged_request_line(&req), "GET /health HTTP/1.1");
    }
}
