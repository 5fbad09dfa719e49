//! The redb engine's writer: one thread that takes every change waiting,
//! applies them in one write transaction, commits it with one fsync and
//! then answers each caller (group commit). Callers await the answer on
//! their own runtime instead of holding a thread on the write slot.
//!
//! A change that fails or is abandoned (a refusal) is left out alone: the
//! transaction is dropped and the others are applied again without it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use redb::Durability;
use tokio::sync::oneshot;

use super::{Durable, RedbWrite};
use crate::store::StoreError;
use crate::store::engine::{Change, Committed, Outcome};

/// The most changes one transaction takes: a bound on the work redone when
/// one of them fails late in a batch.
const MOST_PER_BATCH: usize = 64;

struct Job {
    change: Change,
    answer: oneshot::Sender<Result<(), StoreError>>,
}

/// The queue to the writer thread, and the thread, joined on drop so the
/// database file is closed when the engine is.
pub(super) struct Writer {
    queue: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    pub(super) fn start(durable: Arc<Durable>) -> Result<Writer, StoreError> {
        let (queue, jobs) = channel();
        let thread = std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || run(&durable, &jobs))
            .map_err(|e| StoreError::Engine(format!("starting the store's writer: {e}")))?;
        Ok(Writer {
            queue: Some(queue),
            thread: Some(thread),
        })
    }

    pub(super) fn commit(&self, change: Change) -> Committed {
        let (answer, answered) = oneshot::channel();
        let queued = self
            .queue
            .as_ref()
            .is_some_and(|queue| queue.send(Job { change, answer }).is_ok());
        Box::pin(async move {
            if !queued {
                return Err(StoreError::Engine("the store's writer has stopped".into()));
            }
            answered
                .await
                .map_err(|_| StoreError::Engine("the store's writer stopped mid-change".into()))?
        })
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        drop(self.queue.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(durable: &Durable, jobs: &Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MOST_PER_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit_batch(durable, batch);
    }
}

/// Applies `batch` in order in one durable transaction, leaving out (and
/// answering) each change that fails or abandons, then answers the rest.
fn commit_batch(durable: &Durable, mut batch: Vec<Job>) {
    while !batch.is_empty() {
        match apply(durable, &mut batch) {
            Ok(None) => {
                durable.committed.fetch_add(1, Ordering::SeqCst);
                for job in batch {
                    let _ = job.answer.send(Ok(()));
                }
                return;
            }
            Ok(Some((left_out, answer))) => {
                let job = batch.remove(left_out);
                let _ = job.answer.send(answer);
            }
            Err(e) => {
                for job in batch {
                    let _ = job.answer.send(Err(StoreError::Engine(e.to_string())));
                }
                return;
            }
        }
    }
}

/// Ok(None): every change kept and the transaction committed durably.
/// Ok(Some(i, answer)): change `i` is to be left out with that answer; the
/// transaction was dropped. Err: the engine failed.
type Applied = Option<(usize, Result<(), StoreError>)>;

fn apply(durable: &Durable, batch: &mut [Job]) -> Result<Applied, StoreError> {
    let mut tx = durable.db.begin_write()?;
    tx.set_durability(Durability::Immediate)?;
    tx.set_quick_repair(true);
    for (i, job) in batch.iter_mut().enumerate() {
        let ran = catch_unwind(AssertUnwindSafe(|| (job.change)(&mut RedbWrite(&tx))));
        let left_out = match ran {
            Ok(Ok(Outcome::Keep)) => continue,
            Ok(Ok(Outcome::Abandon)) => Ok(()),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(StoreError::Engine("a change failed while it ran".into())),
        };
        tx.abort()?;
        return Ok(Some((i, left_out)));
    }
    tx.commit()?;
    Ok(None)
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use crate::store::StoreError;
    use crate::store::engine::{Database, Records, Table};
    use crate::store::redb_engine::RedbEngine;

    const FRUIT: Table = "fruit";

    fn open(dir: &std::path::Path) -> Database {
        Database::new(Arc::new(RedbEngine::open(dir, 1, &[FRUIT]).unwrap()))
    }

    use std::sync::Arc;

    /// Keeps the writer busy on a change until told, so that commits queue
    /// up behind it the way they do under load.
    fn hold_writer(db: &Database) -> (mpsc::Sender<()>, crate::store::Committed) {
        let (release, released) = mpsc::channel::<()>();
        let (held, is_held) = mpsc::channel::<()>();
        let holder = db.commit(move |tx| {
            tx.put(FRUIT, b"holder", b"1")?;
            let _ = held.send(());
            let _ = released.recv();
            Ok(())
        });
        is_held.recv().unwrap();
        (release, Box::pin(holder))
    }

    fn put(
        key: &'static str,
    ) -> impl FnMut(&mut dyn crate::store::engine::WriteTx) -> Result<Result<(), ()>, StoreError>
    + Send
    + 'static {
        move |tx| {
            tx.put(FRUIT, key.as_bytes(), b"1")?;
            Ok(Ok(()))
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn changes_waiting_together_share_one_commit() {
        let dir = tempfile::tempdir().unwrap();
        let db = open(dir.path());
        let before = db.commits();
        let (release, holder) = hold_writer(&db);
        let keys = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"];
        let commits: Vec<_> = keys.iter().map(|k| db.commit_unless(put(k))).collect();
        let waiting = tokio::spawn(futures_util::future::join_all(commits));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        release.send(()).unwrap();
        holder.await.unwrap();
        for answer in waiting.await.unwrap() {
            answer.unwrap().unwrap();
        }
        // The held change, then at most the first change alone and the rest together.
        let commits = db.commits() - before;
        assert!((2..=3).contains(&commits), "{commits} commits");
        for k in keys {
            assert!(db.read(|tx| tx.get(FRUIT, k.as_bytes())).unwrap().is_some());
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_refused_or_failed_change_is_left_out_alone() {
        let dir = tempfile::tempdir().unwrap();
        let db = open(dir.path());
        let (release, holder) = hold_writer(&db);
        let kept = db.commit_unless(put("a"));
        let refused = db.commit_unless(|tx| {
            tx.put(FRUIT, b"b", b"1")?;
            Ok(Err::<(), _>("refused"))
        });
        let failed = db.commit_unless(|tx| {
            tx.put(FRUIT, b"c", b"1")?;
            Err::<Result<(), ()>, _>(StoreError::Engine("broken".into()))
        });
        let panicked = db.commit_unless(|tx| -> Result<Result<(), ()>, StoreError> {
            tx.put(FRUIT, b"d", b"1")?;
            panic!("a bug in a change")
        });
        let also_kept = db.commit_unless(put("e"));
        let all = tokio::spawn(async move {
            (
                kept.await,
                refused.await,
                failed.await,
                panicked.await,
                also_kept.await,
            )
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        release.send(()).unwrap();
        holder.await.unwrap();
        let (kept, refused, failed, panicked, also_kept) = all.await.unwrap();
        assert_eq!(kept.unwrap(), Ok(()));
        assert_eq!(refused.unwrap(), Err("refused"));
        assert!(matches!(failed, Err(StoreError::Engine(e)) if e == "broken"));
        assert!(panicked.is_err());
        assert_eq!(also_kept.unwrap(), Ok(()));
        let present = |k: &str| db.read(|tx| tx.get(FRUIT, k.as_bytes())).unwrap().is_some();
        assert!(present("a") && present("e"));
        assert!(!present("b") && !present("c") && !present("d"));
    }

    #[tokio::test]
    async fn a_commit_is_on_disk_when_answered() {
        let dir = tempfile::tempdir().unwrap();
        {
            let db = open(dir.path());
            db.commit_unless(put("kept")).await.unwrap().unwrap();
            // No flush: the engine is dropped (its writer joined) at once.
        }
        let db = open(dir.path());
        assert!(db.read(|tx| tx.get(FRUIT, b"kept")).unwrap().is_some());
        assert_eq!(db.read(|tx| tx.keys(FRUIT, b"")).unwrap().len(), 1);
    }
}
