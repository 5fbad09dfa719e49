//! Recording audit events and reading them back.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};

use super::ServiceError;
use crate::domain::Caller;
use crate::domain::Clock;
use crate::domain::event::{AuditEvent, NewEvent, Outcome};
use crate::store::{Events, StoreError};

/// Who did it and under which interaction id.
#[derive(Debug, Clone)]
pub struct EventContext {
    pub actor: String,
    pub interaction_id: Option<String>,
}

impl EventContext {
    pub fn new(caller: Option<&Caller>, interaction_id: Option<String>) -> Self {
        let actor = match caller {
            Some(Caller::Admin) => "admin".to_owned(),
            Some(Caller::Software {
                organisation_id,
                software_statement_id,
            }) => {
                format!("{organisation_id}/{software_statement_id}")
            }
            None => "anonymous".to_owned(),
        };
        Self {
            actor,
            interaction_id,
        }
    }
}

/// The audit log and the clock its events are stamped by: what recording
/// and reading events needs.
#[derive(Clone)]
pub struct AuditLog {
    events: Events,
    clock: Arc<dyn Clock>,
}

impl AuditLog {
    pub fn new(events: Events, clock: Arc<dyn Clock>) -> Self {
        AuditLog { events, clock }
    }

    /// Every event, in the order they were written.
    pub fn all(&self) -> Result<Vec<AuditEvent>, StoreError> {
        self.events.all()
    }

    /// Writes one event of its own; a failure is logged, never fatal.
    pub async fn record(&self, event: NewEvent) {
        log_event(&event);
        if let Err(e) = self.events.append(std::slice::from_ref(&event)).await {
            log::error!("could not record event {}: {e}", event.event_type);
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// One use case's audit: its START and its SUCCESS or FAIL, written together
/// in one transaction, and that of the change itself when the use case
/// writes them with it (see `success`).
pub struct Audit {
    context: EventContext,
    action: String,
    started: DateTime<Utc>,
    /// Set once the use case's own transaction carried the events.
    recorded: AtomicBool,
}

impl Audit {
    pub fn new(log: &AuditLog, context: &EventContext, action: &str) -> Self {
        Audit {
            context: context.clone(),
            action: action.to_owned(),
            started: log.clock.now(),
            recorded: AtomicBool::new(false),
        }
    }

    /// START and SUCCESS, for the transaction of the change they record;
    /// call `recorded` once it committed.
    pub fn success(&self, now: DateTime<Utc>) -> [NewEvent; 2] {
        [
            self.event(Outcome::Start, self.started, None),
            self.event(Outcome::Success, now, None),
        ]
    }

    /// The events of `success` are stored.
    pub fn recorded(&self, events: &[NewEvent]) {
        self.recorded.store(true, Ordering::SeqCst);
        events.iter().for_each(log_event);
    }

    fn event(&self, outcome: Outcome, time: DateTime<Utc>, detail: Option<String>) -> NewEvent {
        NewEvent {
            event_type: format!("{}_{}", self.action, outcome.as_str()),
            time,
            actor: self.context.actor.clone(),
            interaction_id: self.context.interaction_id.clone(),
            outcome,
            detail,
        }
    }

    /// Runs the use case `work`, then records its events unless its own
    /// transaction did; a failure to record is logged, never fatal.
    pub async fn run<T>(
        &self,
        log: &AuditLog,
        work: impl Future<Output = Result<T, ServiceError>>,
    ) -> Result<T, ServiceError> {
        let result = work.await;
        let events = match &result {
            // The use case's transaction carried START and SUCCESS; a later
            // failure is the caller's to see, not a second record.
            _ if self.recorded.load(Ordering::SeqCst) => return result,
            Ok(_) => self.success(log.clock.now()),
            Err(e) => [
                self.event(Outcome::Start, self.started, None),
                self.event(Outcome::Fail, log.clock.now(), Some(e.to_string())),
            ],
        };
        events.iter().for_each(log_event);
        if let Err(e) = log.events.append(&events).await {
            log::error!("could not record event {}: {e}", self.action);
        }
        result
    }
}

pub(crate) fn log_event(event: &NewEvent) {
    log::info!(
        "event {} by {} ({}){}",
        event.event_type,
        event.actor,
        event.interaction_id.as_deref().unwrap_or("-"),
        event
            .detail
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default()
    );
}

/// Events of a type (exact, or a prefix ending in `*`), since a time, oldest
/// first, at most `limit`.
pub fn list(
    log: &AuditLog,
    event_type: Option<&str>,
    since: Option<DateTime<Utc>>,
    limit: usize,
) -> Result<Vec<AuditEvent>, ServiceError> {
    let matches = |t: &str| match event_type {
        None => true,
        Some(wanted) => match wanted.strip_suffix('*') {
            Some(prefix) => t.starts_with(prefix),
            None => t == wanted,
        },
    };
    Ok(log
        .all()?
        .into_iter()
        .filter(|e| matches(&e.event_type) && since.is_none_or(|s| e.time >= s))
        .take(limit)
        .collect())
}
