//! `…/authorisationservers/{AuthorisationServerId}/certifications[/{AuthorisationServerCertificationId}]`:
//! the conformance certifications an authorisation server holds. Each write
//! is audited.

use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};

use super::request::{Ids, json_body};
use super::{DirectoryError, audit_of};
use crate::domain::Caller;
use crate::domain::certification::ServerCertificationRequest;
use crate::service::directory::Directory;
use crate::service::events::AuditLog;
use crate::service::server_certifications as certifications;

const EVENT: &str = "DIRECTORY_AUTHORISATION_SERVER_CERTIFICATION";

/// GET …/certifications
pub async fn list(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let found = certifications::list(&directory, &caller, ids.server_of()?)?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET …/certifications/{AuthorisationServerCertificationId}
pub async fn get(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let found = certifications::get(&directory, &caller, ids.server_of()?, ids.certification()?)?;
    Ok(HttpResponse::Ok().json(found))
}

/// POST …/certifications, or PUT …/certifications/{AuthorisationServerCertificationId}
pub async fn write(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    body: web::Payload,
    directory: web::Data<Directory>,
    audit_log: web::Data<AuditLog>,
) -> Result<HttpResponse, DirectoryError> {
    let request: ServerCertificationRequest = json_body(&req, body).await?;
    let replacing = req.method() == Method::PUT;
    let action = if replacing { "UPDATE" } else { "CREATE" };
    let audit = audit_of(&req, &caller, &audit_log, &format!("{EVENT}_{action}"));
    let id = if replacing {
        Some(ids.certification()?)
    } else {
        None
    };
    let work = certifications::write(
        &directory,
        Some(&audit),
        &caller,
        ids.server_of()?,
        id,
        request,
    );
    let certification = audit.run(&audit_log, work).await?;
    if replacing {
        Ok(HttpResponse::Ok().json(certification))
    } else {
        Ok(HttpResponse::Created().json(certification))
    }
}

/// DELETE …/certifications/{AuthorisationServerCertificationId}
pub async fn delete(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    directory: web::Data<Directory>,
    audit_log: web::Data<AuditLog>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = audit_of(&req, &caller, &audit_log, &format!("{EVENT}_DELETE"));
    let work = certifications::delete(
        &directory,
        Some(&audit),
        &caller,
        ids.server_of()?,
        ids.certification()?,
    );
    audit.run(&audit_log, work).await?;
    Ok(HttpResponse::NoContent().finish())
}
