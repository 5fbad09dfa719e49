//! Data dirs of earlier versions hold a sled database in `db/`. On the first
//! start with redb its records are copied over in one transaction, and `db/`
//! is renamed so the copy happens once.

use std::path::Path;

use super::redb_engine::RedbEngine;
use super::{StoreError, StoredEntry, TABLES, serials};

const SLED_DIR: &str = "db";
const IMPORTED_DIR: &str = "db.imported";

/// Copies a sled database left in `dir` into `store`, if there is one;
/// answers how many records it copied.
pub fn import_sled(dir: &Path, engine: &RedbEngine) -> Result<Option<usize>, StoreError> {
    let sled_dir = dir.join(SLED_DIR);
    if !sled_dir.is_dir() {
        return Ok(None);
    }
    // Copying is idempotent: after a crash before the rename it runs again.
    let entries = sled_entries(&sled_dir)?;
    let copied = engine.write_durably(|tx| {
        let mut copied = 0;
        for (name, k, v) in &entries {
            if let Some(table) = TABLES.iter().find(|t| *t == name) {
                tx.put(table, k, v)?;
                copied += 1;
            }
        }
        // Stores of that age kept no list of revoked serials.
        serials::index_revoked(tx)?;
        Ok(copied)
    })?;
    std::fs::rename(&sled_dir, dir.join(IMPORTED_DIR))
        .map_err(|e| StoreError::Engine(format!("renaming {}: {e}", sled_dir.display())))?;
    Ok(Some(copied))
}

fn sled_entries(path: &Path) -> Result<Vec<StoredEntry>, StoreError> {
    let engine = |e: sled::Error| StoreError::Engine(format!("reading {}: {e}", path.display()));
    let db = sled::open(path).map_err(engine)?;
    let mut entries = Vec::new();
    for name in db.tree_names() {
        let tree_name = String::from_utf8_lossy(&name).into_owned();
        for entry in db.open_tree(&name).map_err(engine)?.iter() {
            let (k, v) = entry.map_err(engine)?;
            entries.push((tree_name.clone(), k.to_vec(), v.to_vec()));
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SoftwareStatementId;
    use crate::store::engine::Records;

    #[tokio::test]
    async fn an_earlier_sled_store_is_copied_once_and_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        {
            let sled = sled::open(dir.path().join(SLED_DIR)).unwrap();
            let secrets = sled.open_tree("client_secrets").unwrap();
            secrets.insert("ss-1", br#""abc123""#.as_slice()).unwrap();
            let serials = sled.open_tree("issued_serials").unwrap();
            let entry = |revoked_at: &str| {
                format!(
                    r#"{{"organisation_id":"o","software_statement_id":null,"kid":"k","revoked_at":{revoked_at},"revoke_reason":null}}"#
                )
            };
            serials
                .insert(b"ca\x0001", entry("null").as_bytes())
                .unwrap();
            serials
                .insert(b"ca\x0002", entry(r#""2026-01-02T03:04:05Z""#).as_bytes())
                .unwrap();
            let events = sled.open_tree("events").unwrap();
            events
                .insert(41u64.to_be_bytes(), b"{}".as_slice())
                .unwrap();
            sled.flush().unwrap();
        }

        let store = crate::store::open(dir.path(), 1).unwrap();
        let credentials = store.credentials.clone();
        let ss = SoftwareStatementId::parse("ss-1").unwrap();
        assert_eq!(
            credentials.secret_sha256(&ss).unwrap().as_deref(),
            Some("abc123")
        );
        let events = store.events.clone();
        let event = crate::domain::event::NewEvent {
            event_type: "X_START".into(),
            time: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            actor: "admin".into(),
            interaction_id: None,
            outcome: crate::domain::event::Outcome::Start,
            detail: None,
        };
        events.append(&[event]).await.unwrap();
        let ids = store
            .db
            .read(|tx| tx.keys(super::super::events::EVENTS, b""))
            .unwrap();
        assert_eq!(
            ids.last(),
            Some(&42u64.to_be_bytes().to_vec()),
            "event ids go on after the copied ones"
        );
        assert!(!dir.path().join(SLED_DIR).exists());
        assert!(dir.path().join(IMPORTED_DIR).is_dir());
        drop((store, credentials, events));

        // Opening again copies nothing more and keeps what was copied.
        let store = crate::store::open(dir.path(), 1).unwrap();
        let credentials = store.credentials.clone();
        assert_eq!(
            credentials.secret_sha256(&ss).unwrap().as_deref(),
            Some("abc123")
        );
    }
}
