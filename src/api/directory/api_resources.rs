//! `…/authorisationservers/{AuthorisationServerId}/apiresources[/{ApiResourceId}]`,
//! their `apidiscoveryendpoints`, and the server's `familystatus`: the APIs a
//! bank publishes under an authorisation server. Each write is audited.

use actix_web::{HttpResponse, web};

use super::DirectoryError;
use super::request::{Ids, JsonBody};
use crate::api::audited::Audited;
use crate::domain::api_resource::{ApiDiscoveryEndpointRequest, ApiResourceRequest};
use crate::domain::{ApiDiscoveryEndpoint, Caller};
use crate::service::api_resources::{self as resources, EndpointChange};
use crate::service::directory::Directory;

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
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<ApiResourceRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_CREATE"));
    let at = ids.server_of()?;
    let work = resources::create(&directory, Some(&audit), &write.caller, at, request);
    Ok(HttpResponse::Created().json(write.run(&audit, work).await?))
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
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<ApiResourceRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_UPDATE"));
    let (at, id) = (ids.server_of()?, ids.resource()?);
    let work = resources::update(&directory, Some(&audit), &write.caller, at, id, request);
    Ok(HttpResponse::Ok().json(write.run(&audit, work).await?))
}

/// DELETE …/apiresources/{ApiResourceId}
pub async fn delete(
    write: Audited,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_DELETE"));
    let (at, id) = (ids.server_of()?, ids.resource()?);
    let work = resources::delete(&directory, Some(&audit), &write.caller, at, id);
    write.run(&audit, work).await?;
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
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<ApiDiscoveryEndpointRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let change = EndpointChange::Add(request);
    let endpoint = change_endpoint(&write, &ids, &directory, change, "CREATE").await?;
    Ok(HttpResponse::Created().json(endpoint))
}

/// PUT …/apidiscoveryendpoints/{ApiDiscoveryEndpointId}
pub async fn update_endpoint(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<ApiDiscoveryEndpointRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let change = EndpointChange::Replace(ids.endpoint()?.clone(), request);
    let endpoint = change_endpoint(&write, &ids, &directory, change, "UPDATE").await?;
    Ok(HttpResponse::Ok().json(endpoint))
}

/// DELETE …/apidiscoveryendpoints/{ApiDiscoveryEndpointId}
pub async fn delete_endpoint(
    write: Audited,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let change = EndpointChange::Remove(ids.endpoint()?.clone());
    change_endpoint(&write, &ids, &directory, change, "DELETE").await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Makes one audited change to a resource's discovery endpoints.
async fn change_endpoint(
    write: &Audited,
    ids: &Ids,
    directory: &Directory,
    change: EndpointChange,
    action: &str,
) -> Result<Option<ApiDiscoveryEndpoint>, DirectoryError> {
    let audit = write.audit(&format!("{ENDPOINT_EVENT}_{action}"));
    let (at, resource) = (ids.server_of()?, ids.resource()?);
    let work =
        resources::change_endpoint(directory, Some(&audit), &write.caller, at, resource, change);
    Ok(write.run(&audit, work).await?)
}
