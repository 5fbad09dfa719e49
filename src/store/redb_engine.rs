//! The embedded engine: one redb file in the data dir.
//!
//! Every change goes through one writer thread (`writer`), which groups the
//! changes waiting into one durable commit. redb's page cache is bounded in
//! bytes, so memory stays flat however many records the store holds. redb
//! has one writer at a time, so a change never meets a conflict.

mod writer;

use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use redb::{
    Durability, ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction,
};

use super::StoreError;
use super::engine::{Change, Committed, Direction, Engine, ReadTx, Table, Visit, WriteTx};

/// The store's file inside the data dir.
pub(super) const FILE_NAME: &str = "obdir.redb";

macro_rules! engine_errors {
    ($($error:ty),*) => {$(
        impl From<$error> for StoreError {
            fn from(e: $error) -> Self {
                StoreError::Engine(e.to_string())
            }
        }
    )*};
}
engine_errors!(
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError
);

fn definition(table: &str) -> TableDefinition<'_, &'static [u8], &'static [u8]> {
    TableDefinition::new(table)
}

pub struct RedbEngine {
    durable: Arc<Durable>,
    writer: writer::Writer,
}

/// The database and how many write transactions it committed.
struct Durable {
    db: redb::Database,
    committed: AtomicU64,
}

impl RedbEngine {
    /// Opens (or creates) the file in `dir` with a page cache of `cache_mb`
    /// MiB, making every table of `tables`, and starts its writer.
    pub fn open(dir: &Path, cache_mb: u64, tables: &[&str]) -> Result<RedbEngine, StoreError> {
        let bytes = usize::try_from(cache_mb.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX);
        let db = redb::Database::builder()
            .set_cache_size(bytes)
            .create(dir.join(FILE_NAME))?;
        let tx = db.begin_write()?;
        for table in tables {
            tx.open_table(definition(table))?;
        }
        tx.commit()?;
        let durable = Arc::new(Durable {
            db,
            committed: AtomicU64::new(0),
        });
        let writer = writer::Writer::start(durable.clone())?;
        Ok(RedbEngine { durable, writer })
    }

    /// Commits `change` at once durably, beside the writer: for start-up
    /// work before any request (importing an earlier engine's data,
    /// building an index).
    pub(super) fn write_durably<T>(
        &self,
        change: impl FnOnce(&mut dyn WriteTx) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut tx = self.durable.db.begin_write()?;
        tx.set_durability(Durability::Immediate)?;
        let answer = change(&mut RedbWrite(&tx))?;
        tx.commit()?;
        Ok(answer)
    }
}

impl Engine for RedbEngine {
    fn read(
        &self,
        read: &mut dyn FnMut(&dyn ReadTx) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let tx = RedbRead(self.durable.db.begin_read()?);
        read(&tx)
    }

    fn commit(&self, change: Change) -> Committed {
        self.writer.commit(change)
    }

    fn commits(&self) -> u64 {
        self.durable.committed.load(Ordering::SeqCst)
    }
}

struct RedbRead(ReadTransaction);

struct RedbWrite<'a>(&'a WriteTransaction);

fn scan_table<T: ReadableTable<&'static [u8], &'static [u8]>>(
    table: &T,
    from: &[u8],
    to: Option<&[u8]>,
    direction: Direction,
    each: &mut Visit<'_>,
) -> Result<(), StoreError> {
    let end = to.map_or(Bound::Unbounded, Bound::Excluded);
    let range = table.range::<&[u8]>((Bound::Included(from), end))?;
    let mut visit = |entry: Result<_, redb::StorageError>| -> Result<bool, StoreError> {
        let (k, v): (redb::AccessGuard<&[u8]>, redb::AccessGuard<&[u8]>) = entry?;
        each(k.value(), v.value())
    };
    match direction {
        Direction::Ascending => {
            for entry in range {
                if !visit(entry)? {
                    break;
                }
            }
        }
        Direction::Descending => {
            for entry in range.rev() {
                if !visit(entry)? {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Both kinds of transaction read alike, each through its own `open_table`.
macro_rules! reads {
    ($tx:ty) => {
        impl ReadTx for $tx {
            fn get(&self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
                let table = self.0.open_table(definition(table))?;
                Ok(table.get(key)?.map(|v| v.value().to_vec()))
            }

            fn scan(
                &self,
                table: Table,
                from: &[u8],
                to: Option<&[u8]>,
                direction: Direction,
                each: &mut Visit<'_>,
            ) -> Result<(), StoreError> {
                let table = self.0.open_table(definition(table))?;
                scan_table(&table, from, to, direction, each)
            }
        }
    };
}
reads!(RedbRead);
reads!(RedbWrite<'_>);

impl WriteTx for RedbWrite<'_> {
    fn put(&mut self, table: Table, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.0.open_table(definition(table))?.insert(key, value)?;
        Ok(())
    }

    fn remove(&mut self, table: Table, key: &[u8]) -> Result<bool, StoreError> {
        Ok(self.0.open_table(definition(table))?.remove(key)?.is_some())
    }

    fn clear(&mut self, table: Table) -> Result<(), StoreError> {
        self.0.delete_table(definition(table))?;
        self.0.open_table(definition(table))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::engine::{Database, Records};

    const FRUIT: Table = "fruit";

    fn open(dir: &Path) -> Database {
        Database::new(Arc::new(RedbEngine::open(dir, 1, &[FRUIT]).unwrap()))
    }

    #[test]
    fn a_scan_keeps_to_its_prefix_and_walks_either_way() {
        let dir = tempfile::tempdir().unwrap();
        let db = open(dir.path());
        db.commit_blocking(|tx| {
            for k in ["a\0x", "a\0y", "a\0z", "ab", "b\0x"] {
                tx.put(FRUIT, k.as_bytes(), b"1")?;
            }
            Ok(())
        })
        .unwrap();
        let keys = db.read(|tx| tx.keys(FRUIT, b"a\0")).unwrap();
        assert_eq!(
            keys,
            vec![b"a\0x".to_vec(), b"a\0y".to_vec(), b"a\0z".to_vec()]
        );
        let mut newest = Vec::new();
        db.read(|tx| {
            tx.each_with_prefix(FRUIT, b"a\0", Direction::Descending, &mut |k, _| {
                newest.push(k.to_vec());
                Ok(newest.len() < 2)
            })
        })
        .unwrap();
        assert_eq!(newest, vec![b"a\0z".to_vec(), b"a\0y".to_vec()]);
    }

    #[test]
    fn a_failed_write_leaves_nothing_and_is_not_counted() {
        let dir = tempfile::tempdir().unwrap();
        let db = open(dir.path());
        let failed: Result<(), _> = db.commit_blocking(|tx| {
            tx.put(FRUIT, b"k", b"v")?;
            Err(StoreError::Engine("refused".into()))
        });
        assert!(failed.is_err());
        assert_eq!(db.read(|tx| tx.get(FRUIT, b"k")).unwrap(), None);
        assert_eq!(db.commits(), 0);
        db.commit_blocking(|tx| tx.put(FRUIT, b"k", b"v")).unwrap();
        assert_eq!(db.commits(), 1);
        db.commit_blocking(|tx| tx.clear(FRUIT)).unwrap();
        assert_eq!(db.read(|tx| tx.keys(FRUIT, b"")).unwrap().len(), 0);
    }
}
