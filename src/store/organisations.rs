//! Organisations, by id: an id is taken once, and a create never overwrites.

use super::engine::{Database, RecordWrites, Records, Table, key};
use super::{ParticipantsVersion, StoreError};
use crate::domain::{Organisation, OrganisationId};

pub(super) const ORGANISATIONS: Table = "organisations";

#[derive(Clone)]
pub struct Organisations {
    db: Database,
    participants_version: ParticipantsVersion,
}

impl Organisations {
    pub(super) fn new(db: Database, participants_version: ParticipantsVersion) -> Self {
        Organisations {
            db,
            participants_version,
        }
    }

    pub fn get(&self, id: &OrganisationId) -> Result<Option<Organisation>, StoreError> {
        self.db
            .read(|tx| tx.record(ORGANISATIONS, &key(&[id.as_str()])))
    }

    /// Every organisation, in id order.
    pub fn all(&self) -> Result<Vec<Organisation>, StoreError> {
        self.db.read(|tx| tx.records(ORGANISATIONS, b""))
    }

    /// Inserts unless the id is taken; answers whether it inserted.
    pub async fn insert(&self, organisation: &Organisation) -> Result<bool, StoreError> {
        let k = key(&[organisation.organisation_id.as_str()]);
        let organisation = organisation.clone();
        let inserted = self
            .db
            .commit(move |tx| tx.insert_new(ORGANISATIONS, &k, &organisation))
            .await;
        self.participants_version.bump();
        inserted
    }

    /// Writes an organisation over its stored record.
    pub async fn put(&self, organisation: &Organisation) -> Result<(), StoreError> {
        let k = key(&[organisation.organisation_id.as_str()]);
        let organisation = organisation.clone();
        let written = self
            .db
            .commit(move |tx| tx.put_record(ORGANISATIONS, &k, &organisation))
            .await;
        self.participants_version.bump();
        written
    }
}
