//! An organisation's contacts: stored only under an organisation that is
//! there, each change one transaction with its audit events, and the
//! participants document rendered again after it.

use std::collections::BTreeMap;

use super::engine::{Database, Records, Table, key, prefix};
use super::organisations::ORGANISATIONS;
use super::owned::{Outcome, Put, put, remove};
use super::{ParticipantsVersion, StoreError};
use crate::domain::contact::Contact;
use crate::domain::event::NewEvent;
use crate::domain::{ContactId, OrganisationId};

/// `org\0contact` -> Contact.
pub(super) const CONTACTS: Table = "organisation_contacts";

#[derive(Clone)]
pub struct Contacts {
    db: Database,
    participants_version: ParticipantsVersion,
}

fn contact_key(org: &OrganisationId, id: &ContactId) -> Vec<u8> {
    key(&[org.as_str(), id.as_str()])
}

impl Contacts {
    pub(super) fn new(db: Database, participants_version: ParticipantsVersion) -> Self {
        Contacts {
            db,
            participants_version,
        }
    }

    /// An organisation's contacts, in id order.
    pub fn of(&self, org: &OrganisationId) -> Result<Vec<Contact>, StoreError> {
        self.db
            .read(|tx| tx.records(CONTACTS, &prefix(&[org.as_str()])))
    }

    /// Every organisation's contacts, read together.
    pub fn by_organisation(&self) -> Result<BTreeMap<OrganisationId, Vec<Contact>>, StoreError> {
        let all: Vec<Contact> = self.db.read(|tx| tx.records(CONTACTS, b""))?;
        let mut by_organisation: BTreeMap<OrganisationId, Vec<Contact>> = BTreeMap::new();
        for contact in all {
            by_organisation
                .entry(contact.organisation_id.clone())
                .or_default()
                .push(contact);
        }
        Ok(by_organisation)
    }

    pub fn get(&self, org: &OrganisationId, id: &ContactId) -> Result<Option<Contact>, StoreError> {
        self.db
            .read(|tx| tx.record(CONTACTS, &contact_key(org, id)))
    }

    /// Adds a contact (`Put::New`) or replaces a stored one, under a stored
    /// organisation, with `audit`.
    pub async fn write(&self, contact: &Contact, how: Put, audit: &[NewEvent]) -> Outcome {
        let org = &contact.organisation_id;
        let k = contact_key(org, &contact.contact_id);
        let parent = key(&[org.as_str()]);
        let (contact, audit) = (contact.clone(), audit.to_vec());
        let outcome = self
            .db
            .commit_unless(move |tx| {
                put(
                    tx,
                    CONTACTS,
                    &k,
                    &contact,
                    how,
                    Some((ORGANISATIONS, &parent)),
                    &audit,
                )
            })
            .await;
        self.participants_version.bump();
        outcome
    }

    pub async fn remove(
        &self,
        org: &OrganisationId,
        id: &ContactId,
        audit: &[NewEvent],
    ) -> Outcome {
        let k = contact_key(org, id);
        let audit = audit.to_vec();
        let outcome = self
            .db
            .commit_unless(move |tx| remove(tx, CONTACTS, &k, &audit))
            .await;
        self.participants_version.bump();
        outcome
    }
}
