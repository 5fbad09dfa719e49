//! The certifications of an authorisation server: read and written by the
//! admin or the organisation's own token, each write on disk with its audit
//! events before it is answered.

use super::ServiceError;
use super::api_resources::ServerOf;
use super::authorisation_servers::{audit_events, find_server, recorded};
use super::directory::Directory;
use super::ensure_access;
use super::error::{Conflict, NotFound};
use super::events::Audit;
use crate::domain::certification::ServerCertificationRequest;
use crate::domain::{Caller, CertificationId, ServerCertification};
use crate::store::{Put, ServerRefused};

pub fn list(
    directory: &Directory,
    caller: &Caller,
    at: ServerOf<'_>,
) -> Result<Vec<ServerCertification>, ServiceError> {
    ensure_access(caller, at.org)?;
    find_server(directory, at.org, at.server)?;
    Ok(directory
        .authorisation_servers
        .certifications(at.org, at.server)?)
}

pub fn get(
    directory: &Directory,
    caller: &Caller,
    at: ServerOf<'_>,
    id: &CertificationId,
) -> Result<ServerCertification, ServiceError> {
    ensure_access(caller, at.org)?;
    find(directory, &at, id)
}

/// A new certification (`id` None) or the replacement of a stored one.
pub async fn write(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    at: ServerOf<'_>,
    id: Option<&CertificationId>,
    request: ServerCertificationRequest,
) -> Result<ServerCertification, ServiceError> {
    ensure_access(caller, at.org)?;
    let (id, how) = match id {
        Some(id) => {
            find(directory, &at, id)?;
            (id.clone(), Put::Replacing)
        }
        None => {
            find_server(directory, at.org, at.server)?;
            let id = CertificationId::parse(&uuid::Uuid::new_v4().to_string())?;
            (id, Put::New)
        }
    };
    let certification = ServerCertification::from_request(request, at.server, id)?;
    let events = audit_events(audit, directory.clock.now());
    let servers = &directory.authorisation_servers;
    match servers
        .write_certification(at.org, &certification, how, &events)
        .await?
    {
        Ok(()) => {}
        Err(ServerRefused::Taken) => {
            return Err(Conflict::IdTaken {
                field: CertificationId::FIELD,
                id: certification.certification_id.to_string(),
            }
            .into());
        }
        Err(ServerRefused::Missing) => {
            return Err(find(directory, &at, &certification.certification_id)
                .err()
                .unwrap_or_else(|| missing(&at, &certification.certification_id)));
        }
    }
    recorded(audit, &events);
    Ok(certification)
}

pub async fn delete(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    at: ServerOf<'_>,
    id: &CertificationId,
) -> Result<(), ServiceError> {
    ensure_access(caller, at.org)?;
    find_server(directory, at.org, at.server)?;
    let events = audit_events(audit, directory.clock.now());
    let servers = &directory.authorisation_servers;
    if let Err(ServerRefused::Missing) = servers
        .remove_certification(at.org, at.server, id, &events)
        .await?
    {
        return Err(missing(&at, id));
    }
    recorded(audit, &events);
    Ok(())
}

fn find(
    directory: &Directory,
    at: &ServerOf<'_>,
    id: &CertificationId,
) -> Result<ServerCertification, ServiceError> {
    find_server(directory, at.org, at.server)?;
    directory
        .authorisation_servers
        .certification(at.org, at.server, id)?
        .ok_or_else(|| missing(at, id))
}

fn missing(at: &ServerOf<'_>, id: &CertificationId) -> ServiceError {
    NotFound::ServerCertification {
        server: at.server.clone(),
        id: id.clone(),
    }
    .into()
}
