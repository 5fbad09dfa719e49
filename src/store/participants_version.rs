//! A count of this process's committed changes to what the participants
//! document shows (organisations, authorisation servers and what hangs from
//! them, a replaced state), so the document is rebuilt once per change
//! rather than per request. Repositories bump it after their write commits,
//! so a reader that sees a number also sees every write before it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone, Default)]
pub struct ParticipantsVersion(Arc<AtomicU64>);

impl ParticipantsVersion {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Called after a write commits: anything rendered before is stale.
    pub(super) fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}
