//! Recording audit events and reading them back.

use std::future::Future;

use chrono::{DateTime, Utc};

use super::{Core, ServiceError};
use crate::domain::Caller;
use crate::domain::event::{AuditEvent, Outcome};

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

/// Records `<action>_<outcome>`; a failure to record is logged, never fatal.
pub fn record(
    core: &Core,
    context: &EventContext,
    action: &str,
    outcome: Outcome,
    detail: Option<String>,
) {
    let event = core.store.next_event_id().map(|id| AuditEvent {
        id,
        event_type: format!("{action}_{}", outcome.as_str()),
        time: core.clock.now(),
        actor: context.actor.clone(),
        interaction_id: context.interaction_id.clone(),
        outcome,
        detail,
    });
    match event.and_then(|event| {
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
        core.store.put_event(&event)
    }) {
        Ok(()) => {}
        Err(e) => log::error!("could not record event {action}: {e}"),
    }
}

/// Runs a use case between its START and its SUCCESS or FAIL event.
pub async fn audited<T>(
    core: &Core,
    context: &EventContext,
    action: &str,
    work: impl Future<Output = Result<T, ServiceError>>,
) -> Result<T, ServiceError> {
    record(core, context, action, Outcome::Start, None);
    let result = work.await;
    match &result {
        Ok(_) => record(core, context, action, Outcome::Success, None),
        Err(e) => record(core, context, action, Outcome::Fail, Some(e.to_string())),
    }
    result
}

/// Events of a type (exact, or a prefix ending in `*`), since a time, oldest
/// first, at most `limit`.
pub fn list(
    core: &Core,
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
    Ok(core
        .store
        .events()?
        .into_iter()
        .filter(|e| matches(&e.event_type) && since.is_none_or(|s| e.time >= s))
        .take(limit)
        .collect())
}
