//! The fault rules set through `/admin/faults`, kept when the config asks
//! (`faults.keep_rules`), by id; apart from the directory's records, so a
//! snapshot or a reset leaves them alone. A firing is written with its
//! audit event, in one transaction.

use super::StoreError;
use super::engine::{Database, RecordWrites, Records, Table};
use super::events;
use crate::domain::event::NewEvent;
use crate::domain::fault_rules::FaultRuleView;

/// Big-endian rule id -> FaultRuleView, so a scan is in the order rules apply.
pub(super) const FAULT_RULES: Table = "fault_rules";

#[derive(Clone)]
pub struct FaultRuleRecords {
    db: Database,
}

fn rule_key(id: &str) -> Result<[u8; 8], StoreError> {
    id.parse::<u64>()
        .map(u64::to_be_bytes)
        .map_err(|_| StoreError::Engine(format!("fault rule id '{id}' is not a number")))
}

impl FaultRuleRecords {
    pub(super) fn new(db: Database) -> Self {
        FaultRuleRecords { db }
    }

    /// Every kept rule, in the order they apply.
    pub fn all(&self) -> Result<Vec<FaultRuleView>, StoreError> {
        self.db.read(|tx| tx.records(FAULT_RULES, b""))
    }

    pub async fn put(&self, rule: &FaultRuleView) -> Result<(), StoreError> {
        let k = rule_key(&rule.id)?;
        let rule = rule.clone();
        self.db
            .commit(move |tx| tx.put_record(FAULT_RULES, &k, &rule))
            .await
    }

    /// The rule as it stands after firing, with the firing's audit event.
    pub async fn fired(&self, rule: &FaultRuleView, event: &NewEvent) -> Result<(), StoreError> {
        let k = rule_key(&rule.id)?;
        let (rule, event) = (rule.clone(), event.clone());
        self.db
            .commit(move |tx| {
                tx.put_record(FAULT_RULES, &k, &rule)?;
                events::append(tx, std::slice::from_ref(&event))
            })
            .await
    }

    pub async fn remove(&self, id: &str) -> Result<(), StoreError> {
        let k = rule_key(id)?;
        self.db
            .commit(move |tx| tx.remove(FAULT_RULES, &k).map(drop))
            .await
    }

    pub async fn clear(&self) -> Result<(), StoreError> {
        self.db.commit(|tx| tx.clear(FAULT_RULES)).await
    }
}
