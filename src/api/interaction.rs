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
