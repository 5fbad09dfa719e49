//! The storage-engine seam: named, ordered key-value tables read in
//! transactions and changed by commits that are durable when they answer.
//! The repositories are written against it alone, so they run unchanged on
//! any engine that can offer it (redb embedded, a networked database).

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StoreError;

/// A table's name: repositories declare theirs as constants.
pub type Table = &'static str;

/// A commit under way: resolves once it is on disk, or left out.
pub type Committed = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send + 'static>>;

/// A change handed to `Engine::commit`: it may run more than once (when a
/// change beside it in its transaction fails), so it touches nothing outside
/// the transaction but its own answer.
pub type Change = Box<dyn FnMut(&mut dyn WriteTx) -> Result<Outcome, StoreError> + Send>;

/// What a `Change` wants done with what it wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Keep,
    /// Written nothing that should stay: a refusal.
    Abandon,
}

/// Called on each entry of a scan with its key and value; answers whether to go on.
pub type Visit<'a> = dyn FnMut(&[u8], &[u8]) -> Result<bool, StoreError> + 'a;

/// Which way a scan walks its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ascending,
    Descending,
}

/// What an engine offers the repositories.
pub trait Engine: Send + Sync {
    /// Runs `read` over one consistent view of every table.
    fn read(
        &self,
        read: &mut dyn FnMut(&dyn ReadTx) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Runs `change` in a transaction it may share with other changes
    /// waiting at the same time, and resolves once that transaction is on
    /// disk (or, for an abandoned or failed change, once it is left out).
    /// A change that fails or is abandoned is left out alone. An engine
    /// whose transactions can collide runs the change again.
    fn commit(&self, change: Change) -> Committed;

    /// How many write transactions committed since the engine was opened.
    fn commits(&self) -> u64;
}

/// Reads inside a transaction.
pub trait ReadTx {
    fn get(&self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;

    /// Visits the entries whose keys lie in `from..to` (`to` None: to the end
    /// of the table) in key order or its reverse, until `each` answers false.
    /// `each` must not use the transaction.
    fn scan(
        &self,
        table: Table,
        from: &[u8],
        to: Option<&[u8]>,
        direction: Direction,
        each: &mut Visit<'_>,
    ) -> Result<(), StoreError>;
}

/// Writes inside a transaction; what it reads includes what it wrote.
pub trait WriteTx: ReadTx {
    fn put(&mut self, table: Table, key: &[u8], value: &[u8]) -> Result<(), StoreError>;
    /// Answers whether there was an entry to remove.
    fn remove(&mut self, table: Table, key: &[u8]) -> Result<bool, StoreError>;
    /// Removes every entry of the table.
    fn clear(&mut self, table: Table) -> Result<(), StoreError>;
}

/// Keys joined with NUL (which ids can never contain), so a prefix selects an
/// owner's records.
pub fn key(parts: &[&str]) -> Vec<u8> {
    parts.join("\0").into_bytes()
}

/// The prefix every key that starts with `parts` shares.
pub fn prefix(parts: &[&str]) -> Vec<u8> {
    let mut k = key(parts);
    k.push(0);
    k
}

/// The first key after every key that starts with `prefix`, if there is one.
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Engine(format!("encoding a record: {e}")))
}

pub fn decode<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).replace('\0', "/"),
        reason: e.to_string(),
    })
}

/// Typed reads over any transaction: records are JSON.
pub trait Records: ReadTx {
    fn record<T: DeserializeOwned>(
        &self,
        table: Table,
        key: &[u8],
    ) -> Result<Option<T>, StoreError> {
        self.get(table, key)?
            .map(|bytes| decode(key, &bytes))
            .transpose()
    }

    /// Every record whose key starts with `prefix`, in key order.
    fn records<T: DeserializeOwned>(
        &self,
        table: Table,
        prefix: &[u8],
    ) -> Result<Vec<T>, StoreError> {
        let mut found = Vec::new();
        self.each_with_prefix(table, prefix, Direction::Ascending, &mut |k, v| {
            found.push(decode(k, v)?);
            Ok(true)
        })?;
        Ok(found)
    }

    /// Visits the entries whose key starts with `prefix` until `each` answers false.
    fn each_with_prefix(
        &self,
        table: Table,
        prefix: &[u8],
        direction: Direction,
        each: &mut Visit<'_>,
    ) -> Result<(), StoreError> {
        let end = prefix_end(prefix);
        self.scan(table, prefix, end.as_deref(), direction, each)
    }

    /// The keys starting with `prefix`.
    fn keys(&self, table: Table, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut found = Vec::new();
        self.each_with_prefix(table, prefix, Direction::Ascending, &mut |k, _| {
            found.push(k.to_vec());
            Ok(true)
        })?;
        Ok(found)
    }
}

impl<R: ReadTx + ?Sized> Records for R {}

/// Typed writes over any transaction.
pub trait RecordWrites: WriteTx {
    fn put_record<T: Serialize>(
        &mut self,
        table: Table,
        key: &[u8],
        value: &T,
    ) -> Result<(), StoreError> {
        self.put(table, key, &encode(value)?)
    }

    /// Inserts unless the key is taken; answers whether it inserted.
    fn insert_new<T: Serialize>(
        &mut self,
        table: Table,
        key: &[u8],
        value: &T,
    ) -> Result<bool, StoreError> {
        if self.get(table, key)?.is_some() {
            return Ok(false);
        }
        self.put_record(table, key, value)?;
        Ok(true)
    }
}

impl<W: WriteTx + ?Sized> RecordWrites for W {}

/// The handle repositories hold: an engine, with typed answers.
#[derive(Clone)]
pub struct Database(Arc<dyn Engine>);

impl Database {
    pub fn new(engine: Arc<dyn Engine>) -> Self {
        Database(engine)
    }

    /// Runs `read` over one consistent view and answers what it answers.
    pub fn read<T>(
        &self,
        mut read: impl FnMut(&dyn ReadTx) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut answer = None;
        self.0.read(&mut |tx| {
            answer = Some(read(tx)?);
            Ok(())
        })?;
        answer.ok_or_else(|| StoreError::Engine("a read ran no transaction".into()))
    }

    /// Runs `change` in a write transaction it may share with other changes
    /// waiting at the same time (it may run more than once, so it touches
    /// nothing outside the transaction), and answers what its committed run
    /// answered once that is on disk. The change is queued at the call, not
    /// when the answer is first polled.
    pub fn commit<T: Send + 'static>(
        &self,
        mut change: impl FnMut(&mut dyn WriteTx) -> Result<T, StoreError> + Send + 'static,
    ) -> impl Future<Output = Result<T, StoreError>> + Send + 'static {
        let committed = self.commit_unless(move |tx| change(tx).map(Ok::<T, Infallible>));
        async move {
            committed
                .await
                .map(|answer| answer.unwrap_or_else(|never| match never {}))
        }
    }

    /// As `commit`, but `change` may refuse with `Ok(Err(..))`: it is then
    /// left out of the transaction, and the refusal is answered.
    pub fn commit_unless<T, R>(
        &self,
        mut change: impl FnMut(&mut dyn WriteTx) -> Result<Result<T, R>, StoreError> + Send + 'static,
    ) -> impl Future<Output = Result<Result<T, R>, StoreError>> + Send + 'static
    where
        T: Send + 'static,
        R: Send + 'static,
    {
        let answer = Arc::new(std::sync::Mutex::new(None));
        let slot = answer.clone();
        let run: Change = Box::new(move |tx| {
            let result = change(tx)?;
            let outcome = match result {
                Ok(_) => Outcome::Keep,
                Err(_) => Outcome::Abandon,
            };
            *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
            Ok(outcome)
        });
        let committed = self.0.commit(run);
        async move {
            committed.await?;
            let answer = answer.lock().unwrap_or_else(|e| e.into_inner()).take();
            answer.ok_or_else(|| StoreError::Engine("a commit ran no transaction".into()))
        }
    }

    /// As `commit`, holding the calling thread until it answers: for the
    /// few writers that cannot await, because they run before the runtime
    /// does or hold a lock that must not be held across an await (the CA
    /// hierarchy's).
    pub fn commit_blocking<T: Send + 'static>(
        &self,
        change: impl FnMut(&mut dyn WriteTx) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        block_on(self.commit(change))
    }

    /// How many write transactions committed since the engine was opened.
    pub fn commits(&self) -> u64 {
        self.0.commits()
    }
}

/// Polls `future` on this thread, parking it between wake-ups.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(answer) = future.as_mut().poll(&mut context) {
            return answer;
        }
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_ends_before_the_next_owner() {
        assert_eq!(prefix_end(b"org\0"), Some(b"org\x01".to_vec()));
        assert_eq!(prefix_end(b"a\xff"), Some(b"b".to_vec()));
        assert_eq!(prefix_end(b"\xff\xff"), None);
        assert_eq!(prefix_end(b""), None);
    }
}
