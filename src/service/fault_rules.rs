//! The fault rules a harness sets while obdir runs: kept in order in memory
//! (a restart forgets them), consulted before every request, each firing
//! written to the audit log.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::error::NotFound;
use super::events::AuditLog;
use super::{ServiceError, ensure_admin};
use crate::domain::event::{NewEvent, Outcome};
use crate::domain::fault::{Face, Fault};
use crate::domain::fault_rules::{FaultRuleRequest, FaultRuleView, MAX_RULES, RuntimeFaultRule};
use crate::domain::{Caller, DomainError};

/// The audit event of a rule failing or delaying a request.
pub const FIRED_EVENT: &str = "FAULT_RULE_FIRED";

pub struct FaultRules {
    rules: Mutex<Vec<RuntimeFaultRule>>,
    /// Whether any rule is set: what every request checks first.
    any: AtomicBool,
    next_id: AtomicU64,
    log: AuditLog,
}

/// The request a rule is asked about.
pub struct Request<'a> {
    pub face: Face,
    pub method: &'a str,
    pub path: &'a str,
    pub interaction_id: Option<String>,
}

impl FaultRules {
    pub fn new(log: AuditLog) -> Self {
        FaultRules {
            rules: Mutex::new(Vec::new()),
            any: AtomicBool::new(false),
            next_id: AtomicU64::new(1),
            log,
        }
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
    pub fn add(
        &self,
        caller: &Caller,
        request: FaultRuleRequest,
    ) -> Result<FaultRuleView, ServiceError> {
        ensure_admin(caller, "setting a fault rule")?;
        let spec = request.check()?;
        let now = self.log.now();
        let mut rules = self.rules();
        rules.retain(|r| r.is_live(now));
        if rules.len() >= MAX_RULES {
            return Err(DomainError {
                field: "scope".into(),
                rule: format!(
                    "at most {MAX_RULES} fault rules may be set at once; DELETE /admin/faults clears them"
                ),
            }
            .into());
        }
        let rule = RuntimeFaultRule::new(self.next_id.fetch_add(1, Ordering::SeqCst), spec, now);
        let view = rule.view();
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

    pub fn remove(&self, caller: &Caller, id: &str) -> Result<(), ServiceError> {
        ensure_admin(caller, "removing a fault rule")?;
        let mut rules = self.rules();
        let before = rules.len();
        rules.retain(|r| r.id.to_string() != id);
        if rules.len() == before {
            return Err(NotFound::FaultRule(id.to_owned()).into());
        }
        self.any.store(!rules.is_empty(), Ordering::SeqCst);
        Ok(())
    }

    /// Removes every rule; answers how many could still fire.
    pub fn clear(&self, caller: &Caller) -> Result<usize, ServiceError> {
        ensure_admin(caller, "clearing the fault rules")?;
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
        let (id, fault) = {
            let mut rules = self.rules();
            let rule = rules.iter_mut().find(|r| {
                r.is_live(now) && r.matches(request.face, request.method, request.path)
            })?;
            (rule.id, rule.fire(roll)?)
        };
        let what = match (fault.status, fault.delay) {
            (Some(status), Some(delay)) => {
                format!("{} after {} ms", status.code(), delay.as_millis())
            }
            (Some(status), None) => status.code().to_string(),
            (None, Some(delay)) => format!("a delay of {} ms", delay.as_millis()),
            (None, None) => "nothing".to_owned(),
        };
        self.log
            .record(NewEvent {
                event_type: FIRED_EVENT.into(),
                time: now,
                actor: format!("fault rule {id}"),
                interaction_id: request.interaction_id,
                outcome: Outcome::Success,
                detail: Some(format!("{what} for {} {}", request.method, request.path)),
            })
            .await;
        Some(fault)
    }
}
