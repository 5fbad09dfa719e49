//! `/organisations/{OrganisationId}/authorisationservers[/{AuthorisationServerId}]`:
//! the authorisation servers a bank publishes. Each write is audited.

use actix_web::{HttpResponse, web};

use super::DirectoryError;
use super::request::{Ids, JsonBody};
use crate::api::audited::Audited;
use crate::domain::Caller;
use crate::domain::authorisation_server::AuthorisationServerRequest;
use crate::service::authorisation_servers as servers;
use crate::service::directory::Directory;

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
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<AuthorisationServerRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_CREATE"));
    let work = servers::create(&directory, Some(&audit), &write.caller, &ids.org, request);
    Ok(HttpResponse::Created().json(write.run(&audit, work).await?))
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
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<AuthorisationServerRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_UPDATE"));
    let (org, id) = (&ids.org, ids.server()?);
    let work = servers::update(&directory, Some(&audit), &write.caller, org, id, request);
    Ok(HttpResponse::Ok().json(write.run(&audit, work).await?))
}

/// DELETE .../authorisationservers/{AuthorisationServerId}
pub async fn delete(
    write: Audited,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_DELETE"));
    let work = servers::delete(
        &directory,
        Some(&audit),
        &write.caller,
        &ids.org,
        ids.server()?,
    );
    write.run(&audit, work).await?;
    Ok(HttpResponse::NoContent().finish())
}
