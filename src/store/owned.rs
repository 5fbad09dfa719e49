//! Writing a record that hangs from a parent record (a certification under
//! its server, a claim under its organisation): new or replacing, or
//! removed, each refused whole, never half done, and written with its audit
//! events in the caller's transaction.

use serde::Serialize;

use super::StoreError;
use super::engine::{RecordWrites, Table, WriteTx};
use super::events;
use crate::domain::event::NewEvent;

/// Whether a record goes in as new or replaces the stored one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Put {
    New,
    Replacing,
}

/// Why a write was not made.
#[derive(Debug, PartialEq)]
pub enum Refused {
    /// A new record's id is taken under its parent.
    Taken,
    /// The record to change or delete, or the parent it hangs from, is not there.
    Missing,
}

pub(super) type Outcome = Result<Result<(), Refused>, StoreError>;

/// The parent a record hangs from: its table and key.
pub(super) type Parent<'a> = Option<(Table, &'a [u8])>;

/// Puts `record` at `k`, refusing a taken key for a new record, a missing one
/// for a replacement, and a `parent` that is not stored, with `audit`.
pub(super) fn put<T: Serialize>(
    tx: &mut dyn WriteTx,
    table: Table,
    k: &[u8],
    record: &T,
    put: Put,
    parent: Parent<'_>,
    audit: &[NewEvent],
) -> Outcome {
    if let Some((parent_table, parent_key)) = parent
        && tx.get(parent_table, parent_key)?.is_none()
    {
        return Ok(Err(Refused::Missing));
    }
    match (put, tx.get(table, k)?.is_some()) {
        (Put::New, true) => return Ok(Err(Refused::Taken)),
        (Put::Replacing, false) => return Ok(Err(Refused::Missing)),
        _ => {}
    }
    tx.put_record(table, k, record)?;
    events::append(tx, audit)?;
    Ok(Ok(()))
}

/// Removes the record at `k` with `audit`, refusing when it is not there.
pub(super) fn remove(tx: &mut dyn WriteTx, table: Table, k: &[u8], audit: &[NewEvent]) -> Outcome {
    if !tx.remove(table, k)? {
        return Ok(Err(Refused::Missing));
    }
    events::append(tx, audit)?;
    Ok(Ok(()))
}
