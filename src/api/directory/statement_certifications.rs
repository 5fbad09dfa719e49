//! `…/softwarestatements/{SoftwareStatementId}/certifications[/{SoftwareStatementCertificationId}]`:
//! the conformance certifications a software statement holds. Each write is
//! audited.

use actix_web::{HttpResponse, web};

use super::DirectoryError;
use super::request::{Ids, JsonBody};
use crate::api::audited::Audited;
use crate::api::routes::Routes;
use crate::domain::Caller;
use crate::domain::certification::ServerCertificationRequest;
use crate::service::directory::Directory;
use crate::service::statement_certifications as certifications;

const EVENT: &str = "DIRECTORY_SOFTWARE_STATEMENT_CERTIFICATION";

/// Routes under `/organisations`.
pub fn routes(r: &mut Routes) {
    const ALL: &str = "/{OrganisationId}/softwarestatements/{SoftwareStatementId}/certifications";
    const ONE: &str = "/{OrganisationId}/softwarestatements/{SoftwareStatementId}/certifications/{SoftwareStatementCertificationId}";
    r.get(ALL, list, "List the statement's certifications")
        .post(ALL, create, "Add a statement certification")
        .get(ONE, get, "Read a statement certification")
        .put(ONE, update, "Replace a statement certification's fields")
        .delete(ONE, delete, "Delete a statement certification");
}

/// GET …/certifications
async fn list(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let found = certifications::list(&directory, &caller, &ids.org, ids.statement()?)?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET …/certifications/{SoftwareStatementCertificationId}
async fn get(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let (ss, id) = (ids.statement()?, ids.statement_certification()?);
    let found = certifications::get(&directory, &caller, &ids.org, ss, id)?;
    Ok(HttpResponse::Ok().json(found))
}

/// POST …/certifications
async fn create(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<ServerCertificationRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_CREATE"));
    let (caller, org, ss) = (&write.caller, &ids.org, ids.statement()?);
    let work = certifications::write(&directory, Some(&audit), caller, org, ss, None, request);
    Ok(HttpResponse::Created().json(write.run(&audit, work).await?))
}

/// PUT …/certifications/{SoftwareStatementCertificationId}
async fn update(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<ServerCertificationRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_UPDATE"));
    let (caller, org, ss) = (&write.caller, &ids.org, ids.statement()?);
    let id = Some(ids.statement_certification()?);
    let work = certifications::write(&directory, Some(&audit), caller, org, ss, id, request);
    Ok(HttpResponse::Ok().json(write.run(&audit, work).await?))
}

/// DELETE …/certifications/{SoftwareStatementCertificationId}
async fn delete(
    write: Audited,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_DELETE"));
    let (caller, org) = (&write.caller, &ids.org);
    let (ss, id) = (ids.statement()?, ids.statement_certification()?);
    let work = certifications::delete(&directory, Some(&audit), caller, org, ss, id);
    write.run(&audit, work).await?;
    Ok(HttpResponse::NoContent().finish())
}
