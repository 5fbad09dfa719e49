//! Audit events: what happened, when, by whom, and how it ended, so a harness
//! can assert on it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Outcome {
    Start,
    Success,
    Fail,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Start => "START",
            Outcome::Success => "SUCCESS",
            Outcome::Fail => "FAIL",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    pub id: u64,
    /// The action and its outcome, e.g. `ECOSYSTEM_DTS_CA_CERTIFICATE_CREATE_SUCCESS`.
    #[serde(rename = "type")]
    pub event_type: String,
    pub time: DateTime<Utc>,
    /// `admin`, or the organisation and software statement of an access token.
    pub actor: String,
    pub interaction_id: Option<String>,
    pub outcome: Outcome,
    /// What the action was about, or why it failed.
    pub detail: Option<String>,
}

/// An event before the audit log numbers it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub event_type: String,
    pub time: DateTime<Utc>,
    pub actor: String,
    pub interaction_id: Option<String>,
    pub outcome: Outcome,
    pub detail: Option<String>,
}

impl NewEvent {
    pub fn numbered(&self, id: u64) -> AuditEvent {
        AuditEvent {
            id,
            event_type: self.event_type.clone(),
            time: self.time,
            actor: self.actor.clone(),
            interaction_id: self.interaction_id.clone(),
            outcome: self.outcome,
            detail: self.detail.clone(),
        }
    }
}
