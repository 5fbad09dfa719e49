//! Every stored record but the audit log, taken or replaced as a whole: what
//! a reset, a snapshot and a restore work on, and what tests compare to show
//! that nothing was written. A replacement is one transaction, and rebuilds
//! the certificates' key index with it.

use std::sync::Arc;

use super::ParticipantsVersion;
use super::documents::DocumentCache;
use super::engine::{Database, Direction, Table};
use super::{StoreError, TABLES, certificates, events, fault_rules};

/// One stored record: its table, key and value.
pub type StoredEntry = (String, Vec<u8>, Vec<u8>);

#[derive(Clone)]
pub struct StoreContents {
    db: Database,
    /// Rendered from the records a replacement changes.
    documents: Arc<DocumentCache>,
    participants_version: ParticipantsVersion,
}

/// The tables a snapshot holds: all but the audit log, which records refused
/// requests too and outlives resets, and the certificates' key index, which
/// is rebuilt from them.
fn snapshot_tables() -> impl Iterator<Item = Table> {
    TABLES.iter().copied().filter(|t| {
        ![
            events::EVENTS,
            certificates::OWNER_KEYS,
            fault_rules::FAULT_RULES,
        ]
        .contains(t)
    })
}

impl StoreContents {
    pub(super) fn new(
        db: Database,
        documents: Arc<DocumentCache>,
        participants_version: ParticipantsVersion,
    ) -> Self {
        StoreContents {
            db,
            documents,
            participants_version,
        }
    }

    /// Every record as (table, key, value), in table then key order: two
    /// equal answers mean nothing was written between them.
    pub fn all(&self) -> Result<Vec<StoredEntry>, StoreError> {
        self.db.read(|tx| {
            let mut entries = Vec::new();
            for table in snapshot_tables() {
                tx.scan(table, b"", None, Direction::Ascending, &mut |k, v| {
                    entries.push((table.to_owned(), k.to_vec(), v.to_vec()));
                    Ok(true)
                })?;
            }
            Ok(entries)
        })
    }

    /// Replaces every record with `entries` (as `all` lists them) in one
    /// transaction; an entry naming no table a snapshot holds refuses the
    /// whole replacement.
    pub async fn replace(&self, entries: Vec<StoredEntry>) -> Result<(), StoreError> {
        self.db
            .commit(move |tx| {
                for table in snapshot_tables() {
                    tx.clear(table)?;
                }
                for (name, k, v) in &entries {
                    let table = snapshot_tables().find(|t| t == name).ok_or_else(|| {
                        StoreError::Corrupt {
                            key: name.clone(),
                            reason: "names no table a snapshot holds".into(),
                        }
                    })?;
                    tx.put(table, k, v)?;
                }
                certificates::index_keys(tx)
            })
            .await?;
        self.documents.clear();
        self.participants_version.bump();
        Ok(())
    }
}
