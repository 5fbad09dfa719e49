//! The users of an organisation's authorisation domains: read and written
//! by the admin or the organisation's own token, each write on disk with its
//! audit events before it is answered.

use super::authorisation_servers::{audit_events, recorded};
use super::directory::Directory;
use super::error::{Conflict, NotFound};
use super::events::Audit;
use super::organisations::find_organisation;
use super::{ServiceError, ensure_access};
use crate::domain::domain_user::{DomainUser, DomainUserRequest};
use crate::domain::{Caller, OrganisationId};
use crate::store::ServerRefused as Refused;

/// Where a user is: an organisation's authorisation domain.
#[derive(Clone, Copy)]
pub struct DomainOf<'a> {
    pub org: &'a OrganisationId,
    pub domain: &'a str,
}

/// The organisation is there and the domain is the catalogue's.
fn find_domain(directory: &Directory, at: &DomainOf<'_>) -> Result<(), ServiceError> {
    find_organisation(&directory.participants, at.org)?;
    if directory.catalogue().domain(at.domain).is_none() {
        return Err(NotFound::Record {
            field: "AuthorisationDomainName",
            what: "authorisation domain",
            id: at.domain.to_owned(),
            owner: "/references/authorisationdomains".to_owned(),
        }
        .into());
    }
    Ok(())
}

/// A domain's users, or with `email` (a path's UserEmailId, parsed at the
/// edge) that user's records: a user the domain does not have is a 404.
pub fn users(
    directory: &Directory,
    caller: &Caller,
    at: DomainOf<'_>,
    email: Option<&str>,
) -> Result<Vec<DomainUser>, ServiceError> {
    ensure_access(caller, at.org)?;
    find_domain(directory, &at)?;
    let found = directory.domain_users.of(at.org, at.domain, email)?;
    match email {
        Some(email) if found.is_empty() => Err(missing(&at, email)),
        _ => Ok(found),
    }
}

pub async fn create(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    at: DomainOf<'_>,
    request: DomainUserRequest,
) -> Result<DomainUser, ServiceError> {
    ensure_access(caller, at.org)?;
    find_domain(directory, &at)?;
    let catalogue = directory.catalogue();
    let id = uuid::Uuid::new_v4().to_string();
    let user = DomainUser::from_request(request, catalogue, at.domain, id)?;
    let events = audit_events(audit, directory.clock.now());
    match directory
        .domain_users
        .insert(at.org, &user, &events)
        .await?
    {
        Ok(()) => {}
        Err(Refused::Taken) => {
            return Err(Conflict::IdTaken {
                field: "Email",
                id: format!("{} as {}", user.email, user.authorisation_domain_role),
            }
            .into());
        }
        Err(Refused::Missing) => {
            let why = find_domain(directory, &at).err();
            return Err(why.unwrap_or_else(|| missing(&at, &user.email)));
        }
    }
    recorded(audit, &events);
    Ok(user)
}

/// A PUT of the spec's update request onto every record of a user, or its
/// removal (`request` None); answers the records as they now are.
pub async fn change(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    at: DomainOf<'_>,
    email: &str,
    request: Option<DomainUserRequest>,
) -> Result<Vec<DomainUser>, ServiceError> {
    let current = users(directory, caller, at, Some(email))?;
    // Checked before the write, so a bad request changes nothing.
    let changed = match &request {
        Some(request) => current
            .iter()
            .map(|user| user.updated(request.clone()))
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    let events = audit_events(audit, directory.clock.now());
    let wanted = changed.clone();
    let outcome = directory
        .domain_users
        .change(at.org, at.domain, email, &events, move |user| {
            wanted
                .iter()
                .find(|c| c.authorisation_domain_role == user.authorisation_domain_role)
                .cloned()
        })
        .await?;
    if outcome.is_err() {
        return Err(missing(&at, email));
    }
    recorded(audit, &events);
    Ok(changed)
}

fn missing(at: &DomainOf<'_>, email: &str) -> ServiceError {
    NotFound::Record {
        field: "UserEmailId",
        what: "user",
        id: email.to_owned(),
        owner: format!(
            "authorisation domain '{}' of organisation '{}'",
            at.domain, at.org
        ),
    }
    .into()
}
