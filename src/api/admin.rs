//! Administration routes: the audit events a harness can assert on.

use actix_web::{HttpRequest, HttpResponse, web};
use std::collections::HashMap;

use super::directory::DirectoryError;
use crate::domain::Caller;
use crate::domain::page::parse_limit;
use crate::service::{Core, ServiceError, events};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/events", web::get().to(list_events));
}

/// GET /admin/events?type=&since=&limit= (admin token only).
async fn list_events(
    caller: Caller,
    _req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
    core: web::Data<Core>,
) -> Result<HttpResponse, DirectoryError> {
    if !caller.is_admin() {
        return Err(ServiceError::Forbidden("reading events needs the admin token".into()).into());
    }
    let since = query
        .get("since")
        .map(|s| chrono::DateTime::parse_from_rfc3339(s).map(|d| d.to_utc()))
        .transpose()
        .map_err(|_| {
            DirectoryError::BadRequest(vec!["since: must be an RFC 3339 date-time".into()])
        })?;
    let limit = parse_limit(query.get("limit").map(String::as_str))?;
    let events = events::list(&core, query.get("type").map(String::as_str), since, limit)?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "events": events })))
}
