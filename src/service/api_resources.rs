//! An authorisation server's API resources and their discovery endpoints:
//! read and written by the admin or the organisation's own token, each write
//! on disk with its audit events before it is answered.

use super::ServiceError;
use super::authorisation_servers::{audit_events, find_server, recorded};
use super::directory::Directory;
use super::ensure_access;
use super::error::{Conflict, NotFound};
use super::events::Audit;
use crate::domain::api_resource::{ApiDiscoveryEndpointRequest, ApiResourceRequest};
use crate::domain::{
    ApiDiscoveryEndpoint, ApiDiscoveryEndpointId, ApiResource, ApiResourceId,
    AuthorisationServerId, Caller, OrganisationId,
};
use crate::store::{Put, ServerRefused};

/// The server an API resource hangs from, as a route names it.
pub struct ServerOf<'a> {
    pub org: &'a OrganisationId,
    pub server: &'a AuthorisationServerId,
}

fn new_id<T>(parse: fn(&str) -> Result<T, crate::domain::DomainError>) -> T {
    parse(&uuid::Uuid::new_v4().to_string()).expect("a UUID is a valid directory id")
}

/// The server's resources, in id order.
pub fn list(
    directory: &Directory,
    caller: &Caller,
    at: ServerOf<'_>,
) -> Result<Vec<ApiResource>, ServiceError> {
    ensure_access(caller, at.org)?;
    find_server(directory, at.org, at.server)?;
    Ok(directory
        .authorisation_servers
        .resources(at.org, at.server)?)
}

/// The latest version of each API family the server offers.
pub fn family_status(
    directory: &Directory,
    caller: &Caller,
    at: ServerOf<'_>,
) -> Result<Vec<ApiResource>, ServiceError> {
    list(directory, caller, at).map(ApiResource::latest_of_each_family)
}

pub fn get(
    directory: &Directory,
    caller: &Caller,
    at: ServerOf<'_>,
    id: &ApiResourceId,
) -> Result<ApiResource, ServiceError> {
    ensure_access(caller, at.org)?;
    find_resource(directory, &at, id)
}

pub async fn create(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    at: ServerOf<'_>,
    request: ApiResourceRequest,
) -> Result<ApiResource, ServiceError> {
    ensure_access(caller, at.org)?;
    find_server(directory, at.org, at.server)?;
    let resource = ApiResource::from_request(
        request,
        new_id(ApiResourceId::parse),
        None,
        new_id(ApiDiscoveryEndpointId::parse),
    )?;
    write(directory, audit, &at, resource, Put::New).await
}

/// PUT: the request's fields replace the resource's; its endpoints stay.
pub async fn update(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    at: ServerOf<'_>,
    id: &ApiResourceId,
    request: ApiResourceRequest,
) -> Result<ApiResource, ServiceError> {
    ensure_access(caller, at.org)?;
    let current = find_resource(directory, &at, id)?;
    let resource = ApiResource::from_request(
        request,
        id.clone(),
        Some(&current),
        new_id(ApiDiscoveryEndpointId::parse),
    )?;
    write(directory, audit, &at, resource, Put::Replacing).await
}

async fn write(
    directory: &Directory,
    audit: Option<&Audit>,
    at: &ServerOf<'_>,
    resource: ApiResource,
    how: Put,
) -> Result<ApiResource, ServiceError> {
    let events = audit_events(audit, directory.clock.now());
    let servers = &directory.authorisation_servers;
    match servers
        .write_resource(at.org, at.server, &resource, how, &events)
        .await?
    {
        Ok(()) => {}
        Err(ServerRefused::Taken) => {
            return Err(Conflict::IdTaken {
                field: ApiResourceId::FIELD,
                id: resource.api_resource_id.to_string(),
            }
            .into());
        }
        Err(ServerRefused::Missing) => {
            return Err(find_resource(directory, at, &resource.api_resource_id)
                .err()
                .unwrap_or_else(|| missing_resource(at, &resource.api_resource_id)));
        }
    }
    recorded(audit, &events);
    Ok(resource)
}

/// Deletes a resource and its discovery endpoints.
pub async fn delete(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    at: ServerOf<'_>,
    id: &ApiResourceId,
) -> Result<(), ServiceError> {
    ensure_access(caller, at.org)?;
    find_server(directory, at.org, at.server)?;
    let events = audit_events(audit, directory.clock.now());
    let servers = &directory.authorisation_servers;
    if let Err(ServerRefused::Missing) = servers
        .remove_resource(at.org, at.server, id, &events)
        .await?
    {
        return Err(missing_resource(&at, id));
    }
    recorded(audit, &events);
    Ok(())
}

/// A resource's discovery endpoints, in the order they were added.
pub fn endpoints(
    directory: &Directory,
    caller: &Caller,
    at: ServerOf<'_>,
    resource: &ApiResourceId,
) -> Result<Vec<ApiDiscoveryEndpoint>, ServiceError> {
    get(directory, caller, at, resource).map(|r| r.api_discovery_endpoints)
}

pub fn endpoint(
    directory: &Directory,
    caller: &Caller,
    at: ServerOf<'_>,
    resource: &ApiResourceId,
    id: &ApiDiscoveryEndpointId,
) -> Result<ApiDiscoveryEndpoint, ServiceError> {
    endpoints(directory, caller, at, resource)?
        .into_iter()
        .find(|e| &e.api_discovery_id == id)
        .ok_or_else(|| missing_endpoint(resource, id))
}

/// What a write does to a resource's endpoints.
pub enum EndpointChange {
    Add(ApiDiscoveryEndpointRequest),
    Replace(ApiDiscoveryEndpointId, ApiDiscoveryEndpointRequest),
    Remove(ApiDiscoveryEndpointId),
}

/// Adds, replaces or removes one discovery endpoint; answers the endpoint
/// written, None for a removal.
pub async fn change_endpoint(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    at: ServerOf<'_>,
    resource: &ApiResourceId,
    change: EndpointChange,
) -> Result<Option<ApiDiscoveryEndpoint>, ServiceError> {
    ensure_access(caller, at.org)?;
    find_resource(directory, &at, resource)?;
    let (target, written) = match change {
        EndpointChange::Add(request) => {
            let made =
                ApiDiscoveryEndpoint::from_request(request, new_id(ApiDiscoveryEndpointId::parse))?;
            (None, Some(made))
        }
        EndpointChange::Replace(id, request) => (
            Some(id.clone()),
            Some(ApiDiscoveryEndpoint::from_request(request, id)?),
        ),
        EndpointChange::Remove(id) => (Some(id), None),
    };
    let events = audit_events(audit, directory.clock.now());
    let servers = &directory.authorisation_servers;
    let (named, new) = (target.clone(), written.clone());
    let outcome = servers
        .change_endpoints(at.org, at.server, resource, &events, move |stored| {
            let endpoints = &mut stored.api_discovery_endpoints;
            let position = named
                .as_ref()
                .map(|id| endpoints.iter().position(|e| &e.api_discovery_id == id));
            match (position, &new) {
                (None, Some(new)) => endpoints.push(new.clone()),
                (Some(Some(at)), Some(new)) => endpoints[at] = new.clone(),
                (Some(Some(at)), None) => {
                    endpoints.remove(at);
                }
                _ => return Err(ServerRefused::Missing),
            }
            Ok(())
        })
        .await?;
    if let Err(ServerRefused::Missing) = outcome {
        find_resource(directory, &at, resource)?;
        let id = target.expect("only a named endpoint can be missing");
        return Err(missing_endpoint(resource, &id));
    }
    recorded(audit, &events);
    Ok(written)
}

fn find_resource(
    directory: &Directory,
    at: &ServerOf<'_>,
    id: &ApiResourceId,
) -> Result<ApiResource, ServiceError> {
    find_server(directory, at.org, at.server)?;
    directory
        .authorisation_servers
        .resource(at.org, at.server, id)?
        .ok_or_else(|| missing_resource(at, id))
}

fn missing_resource(at: &ServerOf<'_>, id: &ApiResourceId) -> ServiceError {
    NotFound::ApiResource {
        server: at.server.clone(),
        id: id.clone(),
    }
    .into()
}

fn missing_endpoint(resource: &ApiResourceId, id: &ApiDiscoveryEndpointId) -> ServiceError {
    NotFound::ApiDiscoveryEndpoint {
        resource: resource.clone(),
        id: id.clone(),
    }
    .into()
}
