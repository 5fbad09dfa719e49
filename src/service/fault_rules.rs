//! The fault rules a harness sets while obdir runs: kept in order in memory
//! and, when the config asks, in the store (else a restart forgets them);
//! consulted before every request, each firing written to the audit log.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::error::NotFound;
use super::events::{AuditLog, log_event};
use super::{ServiceError, ensure_admin};
use crate::domain::event::{NewEvent, Outcome};
use crate::domain::fault::{Face, Fault};
use crate::domain::fault_rules::{FaultRuleRequest, FaultRuleView, MAX_RULES, RuntimeFaultRule};
use crate::domain::{Caller, DomainError};
use crate::store::FaultRuleRecords;

/// The audit event of a rule failing or delaying a request.
pub const FIRED_EVENT: &str = "FAULT_RULE_FIRED";

pub struct FaultRules {
    rules: Mutex<Vec<RuntimeFaultRule>>,
    /// Whether any rule is set: what every request checks first.
    any: AtomicBool,
    next_id: AtomicU64,
    log: AuditLog,
    /// Where the rules are kept across restarts, if they are.
    kept: Option<FaultRuleRecords>,
}

/// The request a rule is asked about.
pub struct Request<'a> {
    pub face: Face,
    pub method: &'a str,
    pub path: &'a str,
    pub interaction_id: Option<String>,
}

impl FaultRules {
    /// With `keep`, the rules the store kept come back; without it, any it
    /// kept from an earlier start are dropped, so none comes back later.
    pub async fn open(
        log: AuditLog,
        records: FaultRuleRecords,
        keep: bool,
    ) -> Result<Self, ServiceError> {
        let mut rules = Vec::new();
        if keep {
            for view in records.all()? {
                let id = view.id.clone();
                match RuntimeFaultRule::restore(view) {
                    Ok(rule) => rules.push(rule),
                    Err(e) => log::warn!("kept fault rule {id} left out: {e}"),
                }
            }
        } else if !records.all()?.is_empty() {
            records.clear().await?;
        }
        let next_id = rules.iter().map(|r| r.id + 1).max().unwrap_or(1);
        Ok(FaultRules {
            any: AtomicBool::new(!rules.is_empty()),
            rules: Mutex::new(rules),
            next_id: AtomicU64::new(next_id),
            log,
            kept: keep.then_some(records),
        })
    }

    /// Whether any rule is set (a live one or not): cheap, for every request.
    pub fn any_set(&self) -> bool {
        self.any.load(Ordering::SeqCst)
    }

    fn rules(&self) -> std::sync::MutexGuard<'_, Vec<RuntimeFaultRule>> {
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets a rule after the others: it decides only requests no earlier
    /// rule matches.
    pub async fn add(
        &self,
        caller: &Caller,
        request: FaultRuleRequest,
    ) -> Result<FaultRuleView, ServiceError> {
        ensure_admin(caller, "setting a fault rule")?;
        let spec = request.check()?;
        let now = self.log.now();
        let rule = RuntimeFaultRule::new(self.next_id.fetch_add(1, Ordering::SeqCst), spec, now);
        let view = rule.view();
        if self.rules().iter().filter(|r| r.is_live(now)).count() >= MAX_RULES {
            return Err(DomainError {
                field: "rules".into(),
                rule: format!(
                    "at most {MAX_RULES} fault rules may be set at once; DELETE /admin/faults clears them"
                ),
            }
            .into());
        }
        if let Some(kept) = &self.kept {
            kept.put(&view).await?;
        }
        let mut rules = self.rules();
        rules.retain(|r| r.is_live(now));
        rules.push(rule);
        self.any.store(true, Ordering::SeqCst);
        log::info!("fault rule {} set: {:?}", view.id, view);
        Ok(view)
    }

    /// The rules that can still fire, in the order they apply.
    pub fn list(&self, caller: &Caller) -> Result<Vec<FaultRuleView>, ServiceError> {
        ensure_admin(caller, "reading the fault rules")?;
        let now = self.log.now();
        Ok(self
            .rules()
            .iter()
            .filter(|r| r.is_live(now))
            .map(RuntimeFaultRule::view)
            .collect())
    }

    pub async fn remove(&self, caller: &Caller, id: &str) -> Result<(), ServiceError> {
        ensure_admin(caller, "removing a fault rule")?;
        if !self.rules().iter().any(|r| r.id.to_string() == id) {
            return Err(NotFound::FaultRule(id.to_owned()).into());
        }
        if let Some(kept) = &self.kept {
            kept.remove(id).await?;
        }
        let mut rules = self.rules();
        rules.retain(|r| r.id.to_string() != id);
        self.any.store(!rules.is_empty(), Ordering::SeqCst);
        Ok(())
    }

    /// Removes every rule; answers how many could still fire.
    pub async fn clear(&self, caller: &Caller) -> Result<usize, ServiceError> {
        ensure_admin(caller, "clearing the fault rules")?;
        if let Some(kept) = &self.kept {
            kept.clear().await?;
        }
        let now = self.log.now();
        let mut rules = self.rules();
        let live = rules.iter().filter(|r| r.is_live(now)).count();
        rules.clear();
        self.any.store(false, Ordering::SeqCst);
        Ok(live)
    }

    /// The fault the first live rule matching `request` decides on, if it
    /// fires (its odds drawn with `roll`). The firing is in the audit log
    /// when this answers.
    pub async fn fault_for(
        &self,
        request: Request<'_>,
        roll: impl FnOnce() -> f64,
    ) -> Option<Fault> {
        if !self.any.load(Ordering::SeqCst) {
            return None;
        }
        let now = self.log.now();
        let (id, fault, view) = {
            let mut rules = self.rules();
            let rule = rules.iter_mut().find(|r| {
                r.is_live(now) && r.matches(request.face, request.method, request.path)
            })?;
            let fault = rule.fire(roll)?;
            (rule.id, fault, rule.view())
        };
        let what = match (fault.status, fault.delay) {
            (Some(status), Some(delay)) => {
                format!("{} after {} ms", status.code(), delay.as_millis())
            }
            (Some(status), None) => status.code().to_string(),
            (None, Some(delay)) => format!("a delay of {} ms", delay.as_millis()),
            (None, None) => "nothing".to_owned(),
        };
        let event = NewEvent {
            event_type: FIRED_EVENT.into(),
            time: now,
            actor: format!("fault rule {id}"),
            interaction_id: request.interaction_id,
            outcome: Outcome::Success,
            detail: Some(format!("{what} for {} {}", request.method, request.path)),
        };
        match &self.kept {
            Some(kept) => {
                log_event(&event);
                if let Err(e) = kept.fired(&view, &event).await {
                    log::error!("could not keep fault rule {id} as fired: {e}");
                }
            }
            None => self.log.record(event).await,
        }
        Some(fault)
    }
}
