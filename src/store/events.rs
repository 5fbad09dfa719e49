//! The audit log: events numbered in the order they were written, apart from
//! the directory's records (a snapshot or a reset leaves it alone). An event
//! is appended in the transaction of the change it records, so the log never
//! claims a change that is not stored, nor misses one that is.

use super::StoreError;
use super::engine::{Database, Direction, RecordWrites, Records, Table, WriteTx};
use crate::domain::event::{AuditEvent, NewEvent};

/// Big-endian event id -> AuditEvent, so a scan is in time order.
pub(super) const EVENTS: Table = "events";

#[derive(Clone)]
pub struct Events {
    db: Database,
}

impl Events {
    pub(super) fn new(db: Database) -> Self {
        Events { db }
    }

    /// Appends `events` in one transaction of their own.
    pub async fn append(&self, events: &[NewEvent]) -> Result<(), StoreError> {
        let events = events.to_vec();
        self.db.commit(move |tx| append(tx, &events)).await
    }

    /// Every event, in the order they were written.
    pub fn all(&self) -> Result<Vec<AuditEvent>, StoreError> {
        self.db.read(|tx| tx.records(EVENTS, b""))
    }
}

/// Appends `events` inside `tx`, numbered after the last one stored.
pub(super) fn append(tx: &mut dyn WriteTx, events: &[NewEvent]) -> Result<(), StoreError> {
    let mut last = None;
    tx.scan(EVENTS, b"", None, Direction::Descending, &mut |k, _| {
        last = Some(id_of(k));
        Ok(false)
    })?;
    let first = last.map_or(0, |id| id + 1);
    for (id, event) in (first..).zip(events) {
        tx.put_record(EVENTS, &id.to_be_bytes(), &event.numbered(id))?;
    }
    Ok(())
}

fn id_of(key: &[u8]) -> u64 {
    key.try_into().map(u64::from_be_bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::domain::event::Outcome;

    #[tokio::test]
    async fn events_are_numbered_in_the_order_they_were_appended() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path(), 1).unwrap();
        let events = Events::new(store.db.clone());
        let event = |outcome| NewEvent {
            event_type: "X".into(),
            time: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            actor: "admin".into(),
            interaction_id: None,
            outcome,
            detail: None,
        };
        events
            .append(&[event(Outcome::Start), event(Outcome::Success)])
            .await
            .unwrap();
        events
            .append(&[event(Outcome::Start), event(Outcome::Fail)])
            .await
            .unwrap();
        let all = events.all().unwrap();
        let ids: Vec<u64> = all.iter().map(|e| e.id).collect();
        assert_eq!(ids, [0, 1, 2, 3]);
        assert_eq!(all[3].outcome, Outcome::Fail);
    }
}
