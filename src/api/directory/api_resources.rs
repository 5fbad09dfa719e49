//! `…/authorisationservers/{AuthorisationServerId}/apiresources[/{ApiResourceId}]`,
//! their `apidiscoveryendpoints`, and the server's `familystatus`: the APIs a
//! bank publishes under an authorisation server. Each write is audited.

use actix_web::{HttpRequest, HttpResponse, web};

use super::request::{Ids, json_body};
use super::{DirectoryError, audit_of};
use crate::domain::api_resource::{ApiDiscoveryEndpointRequest, ApiResourceRequest};
use crate::domain::{ApiDiscoveryEndpoint, Caller};
use crate::service::api_resources::{self as resources, EndpointChange};
use crate::service::directory::Directory;
use crate::service::events::AuditLog;

const EVENT: &str = "DIRECTORY_API_RESOURCE";
const ENDPOINT_EVENT: &str = "DIRECTORY_API_DISCOVERY_ENDPOINT";

/// GET …/apiresources
pub async fn list(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let found = resources::list(&directory, &caller, ids.server_of()?)?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET …/familystatus: the latest version of each API family.
pub async fn family_status(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let found = resources::family_status(&directory, &caller, ids.server_of()?)?;
    Ok(HttpResponse::Ok().json(found))
}

/// POST …/apiresources
pub async fn create(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    body: web::Payload,
    directory: web::Data<Directory>,
    audit_log: web::Data<AuditLog>,
) -> Result<HttpResponse, DirectoryError> {
    let request: ApiResourceRequest = json_body(&req, body).await?;
    let audit = audit_of(&req, &caller, &audit_log, &format!("{EVENT}_CREATE"));
    let work = resources::create(&directory, Some(&audit), &caller, ids.server_of()?, request);
    let resource = audit.run(&audit_log, work).await?;
    Ok(HttpResponse::Created().json(resource))
}

/// GET …/apiresources/{ApiResourceId}
pub async fn get(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let resource = resources::get(&directory, &caller, ids.server_of()?, ids.resource()?)?;
    Ok(HttpResponse::Ok().json(resource))
}

/// PUT …/apiresources/{ApiResourceId}
pub async fn update(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    body: web::Payload,
    directory: web::Data<Directory>,
    audit_log: web::Data<AuditLog>,
) -> Result<HttpResponse, DirectoryError> {
    let request: ApiResourceRequest = json_body(&req, body).await?;
    let audit = audit_of(&req, &caller, &audit_log, &format!("{EVENT}_UPDATE"));
    let (at, id) = (ids.server_of()?, ids.resource()?);
    let work = resources::update(&directory, Some(&audit), &caller, at, id, request);
    let resource = audit.run(&audit_log, work).await?;
    Ok(HttpResponse::Ok().json(resource))
}

/// DELETE …/apiresources/{ApiResourceId}
pub async fn delete(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    directory: web::Data<Directory>,
    audit_log: web::Data<AuditLog>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = audit_of(&req, &caller, &audit_log, &format!("{EVENT}_DELETE"));
    let (at, id) = (ids.server_of()?, ids.resource()?);
    let work = resources::delete(&directory, Some(&audit), &caller, at, id);
    audit.run(&audit_log, work).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// GET …/apidiscoveryendpoints
pub async fn endpoints(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let found = resources::endpoints(&directory, &caller, ids.server_of()?, ids.resource()?)?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET …/apidiscoveryendpoints/{ApiDiscoveryEndpointId}
pub async fn endpoint(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let (at, resource) = (ids.server_of()?, ids.resource()?);
    let found = resources::endpoint(&directory, &caller, at, resource, ids.endpoint()?)?;
    Ok(HttpResponse::Ok().json(found))
}

/// POST …/apidiscoveryendpoints
pub async fn create_endpoint(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    body: web::Payload,
    directory: web::Data<Directory>,
    audit_log: web::Data<AuditLog>,
) -> Result<HttpResponse, DirectoryError> {
    let request: ApiDiscoveryEndpointRequest = json_body(&req, body).await?;
    let change = EndpointChange::Add(request);
    let endpoint = change_endpoint(
        &req, &caller, &ids, &directory, &audit_log, change, "CREATE",
    )
    .await?;
    Ok(HttpResponse::Created().json(endpoint))
}

/// PUT …/apidiscoveryendpoints/{ApiDiscoveryEndpointId}
pub async fn update_endpoint(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    body: web::Payload,
    directory: web::Data<Directory>,
    audit_log: web::Data<AuditLog>,
) -> Result<HttpResponse, DirectoryError> {
    let request: ApiDiscoveryEndpointRequest = json_body(&req, body).await?;
    let change = EndpointChange::Replace(ids.endpoint()?.clone(), request);
    let endpoint = change_endpoint(
        &req, &caller, &ids, &directory, &audit_log, change, "UPDATE",
    )
    .await?;
    Ok(HttpResponse::Ok().json(endpoint))
}

/// DELETE …/apidiscoveryendpoints/{ApiDiscoveryEndpointId}
pub async fn delete_endpoint(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    directory: web::Data<Directory>,
    audit_log: web::Data<AuditLog>,
) -> Result<HttpResponse, DirectoryError> {
    let change = EndpointChange::Remove(ids.endpoint()?.clone());
    change_endpoint(
        &req, &caller, &ids, &directory, &audit_log, change, "DELETE",
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Makes one audited change to a resource's discovery endpoints.
async fn change_endpoint(
    req: &HttpRequest,
    caller: &Caller,
    ids: &Ids,
    directory: &Directory,
    audit_log: &AuditLog,
    change: EndpointChange,
    action: &str,
) -> Result<Option<ApiDiscoveryEndpoint>, DirectoryError> {
    let audit = audit_of(
        req,
        caller,
        audit_log,
        &format!("{ENDPOINT_EVENT}_{action}"),
    );
    let (at, resource) = (ids.server_of()?, ids.resource()?);
    let work = resources::change_endpoint(directory, Some(&audit), caller, at, resource, change);
    Ok(audit.run(audit_log, work).await?)
}
