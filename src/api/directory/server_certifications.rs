//! `…/authorisationservers/{AuthorisationServerId}/certifications[/{AuthorisationServerCertificationId}]`:
//! the conformance certifications an authorisation server holds. Each write
//! is audited.

use actix_web::{HttpResponse, web};

use super::DirectoryError;
use super::request::{Ids, JsonBody};
use crate::api::audited::Audited;
use crate::domain::Caller;
use crate::domain::certification::ServerCertificationRequest;
use crate::service::directory::Directory;
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

/// POST …/certifications
pub async fn create(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<ServerCertificationRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_CREATE"));
    let at = ids.server_of()?;
    let work = certifications::write(&directory, Some(&audit), &write.caller, at, None, request);
    Ok(HttpResponse::Created().json(write.run(&audit, work).await?))
}

/// PUT …/certifications/{AuthorisationServerCertificationId}
pub async fn update(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<ServerCertificationRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_UPDATE"));
    let (at, id) = (ids.server_of()?, Some(ids.certification()?));
    let work = certifications::write(&directory, Some(&audit), &write.caller, at, id, request);
    Ok(HttpResponse::Ok().json(write.run(&audit, work).await?))
}

/// DELETE …/certifications/{AuthorisationServerCertificationId}
pub async fn delete(
    write: Audited,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_DELETE"));
    let (at, id) = (ids.server_of()?, ids.certification()?);
    let work = certifications::delete(&directory, Some(&audit), &write.caller, at, id);
    write.run(&audit, work).await?;
    Ok(HttpResponse::NoContent().finish())
}
