//! `/organisations/{OrganisationId}/authorisationservers[/{AuthorisationServerId}]`:
//! the authorisation servers a bank publishes. Each write is audited.

use actix_web::{HttpRequest, HttpResponse, web};

use super::request::{Ids, json_body};
use super::{DirectoryError, audit_of};
use crate::domain::Caller;
use crate::domain::authorisation_server::AuthorisationServerRequest;
use crate::service::authorisation_servers as servers;
use crate::service::directory::Directory;
use crate::service::events::AuditLog;

const EVENT: &str = "DIRECTORY_AUTHORISATION_SERVER";

/// GET .../authorisationservers
pub async fn list(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    Ok(HttpResponse::Ok().json(servers::list(&directory, &caller, &ids.org)?))
}

/// POST .../authorisationservers
pub async fn create(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    body: web::Payload,
    directory: web::Data<Directory>,
    audit_log: web::Data<AuditLog>,
) -> Result<HttpResponse, DirectoryError> {
    let request: AuthorisationServerRequest = json_body(&req, body).await?;
    let audit = audit_of(&req, &caller, &audit_log, &format!("{EVENT}_CREATE"));
    let work = servers::create(&directory, Some(&audit), &caller, &ids.org, request);
    let server = audit.run(&audit_log, work).await?;
    Ok(HttpResponse::Created().json(server))
}

/// GET .../authorisationservers/{AuthorisationServerId}
pub async fn get(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let server = servers::get(&directory, &caller, &ids.org, ids.server()?)?;
    Ok(HttpResponse::Ok().json(server))
}

/// PUT .../authorisationservers/{AuthorisationServerId}
pub async fn update(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    body: web::Payload,
    directory: web::Data<Directory>,
    audit_log: web::Data<AuditLog>,
) -> Result<HttpResponse, DirectoryError> {
    let request: AuthorisationServerRequest = json_body(&req, body).await?;
    let audit = audit_of(&req, &caller, &audit_log, &format!("{EVENT}_UPDATE"));
    let work = servers::update(
        &directory,
        Some(&audit),
        &caller,
        &ids.org,
        ids.server()?,
        request,
    );
    let server = audit.run(&audit_log, work).await?;
    Ok(HttpResponse::Ok().json(server))
}

/// DELETE .../authorisationservers/{AuthorisationServerId}
pub async fn delete(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    directory: web::Data<Directory>,
    audit_log: web::Data<AuditLog>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = audit_of(&req, &caller, &audit_log, &format!("{EVENT}_DELETE"));
    let work = servers::delete(&directory, Some(&audit), &caller, &ids.org, ids.server()?);
    audit.run(&audit_log, work).await?;
    Ok(HttpResponse::NoContent().finish())
}
