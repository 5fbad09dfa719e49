//! An organisation's contacts: read and written by the admin or the
//! organisation's own token, each write on disk with its audit events
//! before it is answered.

use super::authorisation_servers::{audit_events, recorded};
use super::directory::Directory;
use super::error::{NotFound, refusal};
use super::events::Audit;
use super::organisations::find_organisation;
use super::{ServiceError, ensure_access};
use crate::domain::contact::{Contact, ContactRequest};
use crate::domain::{Caller, ContactId, OrganisationId};
use crate::store::{Put, ServerRefused as Refused};

pub fn list(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
) -> Result<Vec<Contact>, ServiceError> {
    ensure_access(caller, org)?;
    find_organisation(&directory.participants, org)?;
    Ok(directory.contacts.of(org)?)
}

pub fn get(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    id: &ContactId,
) -> Result<Contact, ServiceError> {
    ensure_access(caller, org)?;
    find(directory, org, id)
}

/// A new contact (`id` None) or the replacement of a stored one.
pub async fn write(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    id: Option<&ContactId>,
    request: ContactRequest,
) -> Result<Contact, ServiceError> {
    ensure_access(caller, org)?;
    let (id, how) = match id {
        Some(id) => {
            find(directory, org, id)?;
            (id.clone(), Put::Replacing)
        }
        None => {
            find_organisation(&directory.participants, org)?;
            (
                ContactId::parse(&uuid::Uuid::new_v4().to_string())?,
                Put::New,
            )
        }
    };
    let contact = Contact::from_request(request, org, id)?;
    let events = audit_events(audit, directory.clock.now());
    if let Err(refused) = directory.contacts.write(&contact, how, &events).await? {
        let id = &contact.contact_id;
        return Err(refusal(
            refused,
            (ContactId::FIELD, id.to_string()),
            || find(directory, org, id).map(drop),
            missing(org, id),
        ));
    }
    recorded(audit, &events);
    Ok(contact)
}

pub async fn delete(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    id: &ContactId,
) -> Result<(), ServiceError> {
    ensure_access(caller, org)?;
    find_organisation(&directory.participants, org)?;
    let events = audit_events(audit, directory.clock.now());
    if let Err(Refused::Missing) = directory.contacts.remove(org, id, &events).await? {
        return Err(missing(org, id));
    }
    recorded(audit, &events);
    Ok(())
}

fn find(
    directory: &Directory,
    org: &OrganisationId,
    id: &ContactId,
) -> Result<Contact, ServiceError> {
    find_organisation(&directory.participants, org)?;
    directory
        .contacts
        .get(org, id)?
        .ok_or_else(|| missing(org, id))
}

fn missing(org: &OrganisationId, id: &ContactId) -> ServiceError {
    NotFound::Record {
        field: ContactId::FIELD,
        what: "contact",
        id: id.to_string(),
        owner: format!("organisation '{org}'"),
    }
    .into()
}
