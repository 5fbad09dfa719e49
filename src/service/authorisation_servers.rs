//! An organisation's authorisation servers: read and written by the admin or
//! by the organisation's own token, each write on disk with its audit events
//! before it is answered.

use super::directory::Directory;
use super::error::{Conflict, NotFound, id_changed};
use super::events::Audit;
use super::organisations::find_organisation;
use super::{ServiceError, ensure_access};
use crate::domain::authorisation_server::{AuthorisationServerRequest, PublishedServer};
use crate::domain::event::NewEvent;
use crate::domain::{AuthorisationServer, AuthorisationServerId, Caller, OrganisationId};
use crate::store::ServerRefused;

/// The organisation's servers, in id order.
pub fn list(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
) -> Result<Vec<PublishedServer>, ServiceError> {
    ensure_access(caller, org)?;
    find_organisation(&directory.participants, org)?;
    Ok(directory.authorisation_servers.published_of(org)?)
}

pub fn get(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    id: &AuthorisationServerId,
) -> Result<PublishedServer, ServiceError> {
    ensure_access(caller, org)?;
    find_organisation(&directory.participants, org)?;
    published(directory, org, id)
}

/// A new server, under the id the request gives or a new one.
pub async fn create(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    request: AuthorisationServerRequest,
) -> Result<PublishedServer, ServiceError> {
    ensure_access(caller, org)?;
    find_organisation(&directory.participants, org)?;
    let id = request
        .authorisation_server_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let now = directory.clock.now();
    let server = AuthorisationServer::from_request(request, org, &id, None, now)?;
    let events = audit_events(audit, now);
    if let Err(ServerRefused::Taken) = directory
        .authorisation_servers
        .insert(&server, &events)
        .await?
    {
        return Err(Conflict::AuthorisationServer(server.authorisation_server_id).into());
    }
    recorded(audit, &events);
    Ok(PublishedServer {
        server,
        api_resources: Vec::new(),
        authorisation_server_certifications: Vec::new(),
    })
}

/// PUT: the request's fields replace the server's.
pub async fn update(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    id: &AuthorisationServerId,
    request: AuthorisationServerRequest,
) -> Result<PublishedServer, ServiceError> {
    ensure_access(caller, org)?;
    if request
        .authorisation_server_id
        .as_deref()
        .is_some_and(|given| given != id.as_str())
    {
        return Err(id_changed(AuthorisationServerId::FIELD, id));
    }
    let current = find_server(directory, org, id)?;
    let now = directory.clock.now();
    let server = AuthorisationServer::from_request(request, org, id.as_str(), Some(&current), now)?;
    let events = audit_events(audit, now);
    if let Err(ServerRefused::Missing) = directory
        .authorisation_servers
        .replace(&server, &events)
        .await?
    {
        return Err(missing(org, id));
    }
    recorded(audit, &events);
    published(directory, org, id)
}

pub async fn delete(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    id: &AuthorisationServerId,
) -> Result<(), ServiceError> {
    ensure_access(caller, org)?;
    find_organisation(&directory.participants, org)?;
    let now = directory.clock.now();
    let events = audit_events(audit, now);
    if let Err(ServerRefused::Missing) = directory
        .authorisation_servers
        .remove(org, id, &events)
        .await?
    {
        return Err(missing(org, id));
    }
    recorded(audit, &events);
    Ok(())
}

fn published(
    directory: &Directory,
    org: &OrganisationId,
    id: &AuthorisationServerId,
) -> Result<PublishedServer, ServiceError> {
    directory
        .authorisation_servers
        .published(org, id)?
        .ok_or_else(|| missing(org, id))
}

/// The stored server, or why there is none: no organisation, or no server in it.
pub(super) fn find_server(
    directory: &Directory,
    org: &OrganisationId,
    id: &AuthorisationServerId,
) -> Result<AuthorisationServer, ServiceError> {
    find_organisation(&directory.participants, org)?;
    directory
        .authorisation_servers
        .get(org, id)?
        .ok_or_else(|| missing(org, id))
}

fn missing(org: &OrganisationId, id: &AuthorisationServerId) -> ServiceError {
    NotFound::AuthorisationServer {
        org: org.clone(),
        id: id.clone(),
    }
    .into()
}

/// The START and SUCCESS events a write carries, when it is audited.
pub(super) fn audit_events(
    audit: Option<&Audit>,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<NewEvent> {
    audit.map(|a| a.success(now).to_vec()).unwrap_or_default()
}

/// The write was committed with `events`: mark them stored.
pub(super) fn recorded(audit: Option<&Audit>, events: &[NewEvent]) {
    if let Some(audit) = audit {
        audit.recorded(events);
    }
}
