//! Organisations, by id: an id is taken once, and a create never overwrites.

use super::StoreError;
use super::engine::{Database, RecordWrites, Records, Table, key};
use crate::domain::{Organisation, OrganisationId};

pub(super) const ORGANISATIONS: Table = "organisations";

#[derive(Clone)]
pub struct Organisations {
    db: Database,
}

impl Organisations {
    pub(super) fn new(db: Database) -> Self {
        Organisations { db }
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
    pub fn insert(&self, organisation: &Organisation) -> Result<bool, StoreError> {
        let k = key(&[organisation.organisation_id.as_str()]);
        self.db
            .write(|tx| tx.insert_new(ORGANISATIONS, &k, organisation))
    }

    /// Writes an organisation over its stored record.
    pub fn put(&self, organisation: &Organisation) -> Result<(), StoreError> {
        let k = key(&[organisation.organisation_id.as_str()]);
        self.db
            .write(|tx| tx.put_record(ORGANISATIONS, &k, organisation))
    }
}
