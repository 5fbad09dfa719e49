//! What a seeded organisation keeps about itself beside its statements: its
//! contacts and its authorisation servers with their API resources and
//! discovery endpoints, each created through the API's own use case unless
//! the directory holds it already.

use super::{SeedError, SeedReport};
use crate::domain::api_resource::ApiDiscoveryEndpointRequest;
use crate::domain::contact::Contact;
use crate::domain::seed::{SeedOrganisation, SeedServer, is_seeded_contact};
use crate::domain::{
    ApiDiscoveryEndpoint, ApiDiscoveryEndpointId, ApiResource, ApiResourceId, AuthorisationServer,
    Caller, ContactId, DomainError,
};
use crate::service::api_resources::{self, EndpointChange, ServerOf};
use crate::service::directory::Directory;
use crate::service::{ServiceError, authorisation_servers, contacts};

const ADMIN: Caller = Caller::Admin;

/// Creates the contacts and servers of `entry` the directory lacks.
pub(super) async fn apply(
    directory: &Directory,
    entry: &SeedOrganisation,
    place: &str,
    report: &mut SeedReport,
) -> Result<(), SeedError> {
    let org = &entry.id;
    for (c, request) in entry.contacts.iter().enumerate() {
        let held = directory.contacts.of(org)?;
        if held.iter().any(|contact| {
            is_seeded_contact(
                request,
                contact.contact_type.as_str(),
                &contact.email_address,
            )
        }) {
            continue;
        }
        contacts::write(directory, None, &ADMIN, org, None, request.clone())
            .await
            .map_err(|e| SeedError::at(&format!("{place}.Contacts[{c}]"), e))?;
        report.contacts += 1;
    }
    for (s, server) in entry.authorisation_servers.iter().enumerate() {
        let place = format!("{place}.AuthorisationServers[{s}]");
        apply_server(directory, entry, server, &place, report).await?;
    }
    Ok(())
}

async fn apply_server(
    directory: &Directory,
    entry: &SeedOrganisation,
    server: &SeedServer,
    place: &str,
    report: &mut SeedReport,
) -> Result<(), SeedError> {
    let org = &entry.id;
    let at = || ServerOf {
        org,
        server: &server.id,
    };
    let servers = &directory.authorisation_servers;
    if servers.published(org, &server.id)?.is_none() {
        let request = server.request().map_err(|e| SeedError::at(place, e))?;
        authorisation_servers::create(directory, None, &ADMIN, org, request)
            .await
            .map_err(|e| SeedError::at(place, e))?;
        report.authorisation_servers += 1;
    }
    for (r, seeded) in server.api_resources.iter().enumerate() {
        let place = format!("{place}.ApiResources[{r}]");
        let held = servers.resources(org, &server.id)?;
        let found = held
            .into_iter()
            .find(|held| seeded.is(&held.api_family_type, &held.api_version));
        let resource = match found {
            Some(resource) => resource,
            None => {
                let request = seeded.request().map_err(|e| SeedError::at(&place, e))?;
                let made = api_resources::create(directory, None, &ADMIN, at(), request)
                    .await
                    .map_err(|e| SeedError::at(&place, e))?;
                report.api_resources += 1;
                made
            }
        };
        for (e, url) in seeded.discovery_endpoints.iter().enumerate() {
            if resource
                .api_discovery_endpoints
                .iter()
                .any(|held| &held.api_endpoint == url)
            {
                continue;
            }
            let request = ApiDiscoveryEndpointRequest {
                api_endpoint: Some(url.clone()),
            };
            let change = EndpointChange::Add(request);
            api_resources::change_endpoint(
                directory,
                None,
                &ADMIN,
                at(),
                &resource.api_resource_id,
                change,
            )
            .await
            .map_err(|err| SeedError::at(&format!("{place}.ApiDiscoveryEndpoints[{e}]"), err))?;
            report.discovery_endpoints += 1;
        }
    }
    Ok(())
}

/// Holds the contacts, servers, resources and endpoints of `entry` to the
/// rules their creation will; `note` takes each refusal with its place.
pub(super) fn check(
    directory: &Directory,
    entry: &SeedOrganisation,
    place: &str,
    note: &mut dyn FnMut(&str, Result<(), ServiceError>),
) {
    let now = directory.clock.now();
    let org = &entry.id;
    // Checked as the records they will be; their ids are made when written.
    let id = "seed";
    for (c, request) in entry.contacts.iter().enumerate() {
        let contact = parsed(ContactId::parse(id))
            .and_then(|id| Ok(Contact::from_request(request.clone(), org, id)?));
        note(&format!("{place}.Contacts[{c}]"), contact.map(drop));
    }
    for (s, server) in entry.authorisation_servers.iter().enumerate() {
        let place = format!("{place}.AuthorisationServers[{s}]");
        let built = server.request().map_err(ServiceError::from).and_then(|r| {
            Ok(AuthorisationServer::from_request(
                r,
                org,
                server.id.as_str(),
                None,
                now,
            )?)
        });
        note(&place, built.map(drop));
        for (r, resource) in server.api_resources.iter().enumerate() {
            let place = format!("{place}.ApiResources[{r}]");
            let built = resource
                .request()
                .map_err(ServiceError::from)
                .and_then(|r| {
                    let id = parsed(ApiResourceId::parse(id))?;
                    let endpoint = parsed(ApiDiscoveryEndpointId::parse(id.as_str()))?;
                    Ok(ApiResource::from_request(r, id, None, endpoint)?)
                });
            note(&place, built.map(drop));
            for (e, url) in resource.discovery_endpoints.iter().enumerate() {
                let request = ApiDiscoveryEndpointRequest {
                    api_endpoint: Some(url.clone()),
                };
                let built = parsed(ApiDiscoveryEndpointId::parse(id))
                    .and_then(|id| Ok(ApiDiscoveryEndpoint::from_request(request, id)?));
                note(
                    &format!("{place}.ApiDiscoveryEndpoints[{e}]"),
                    built.map(drop),
                );
            }
        }
    }
}

fn parsed<T>(id: Result<T, DomainError>) -> Result<T, ServiceError> {
    id.map_err(ServiceError::from)
}
