//! Fault rules a harness sets while obdir runs (`POST /admin/faults`): which
//! requests fail with which status or wait how long, for the next N of them,
//! by odds, or until they expire.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::DomainError;
use super::fault::{
    Face, Fault, FaultStatus, MAX_DELAY_MS, check_methods, check_scope, request_matches,
};

/// The most rules that may be set at once.
pub const MAX_RULES: usize = 100;
/// The longest a rule may be set to last.
pub const MAX_EXPIRY_SECONDS: u64 = 7 * 24 * 3600;

/// The body of `POST /admin/faults`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultRuleRequest {
    /// A face name, `*`, or a path pattern starting with `/` (`*` one
    /// segment, a final `**` the rest), as in `[[faults.rules]]`.
    pub scope: Option<String>,
    #[serde(default)]
    pub methods: Vec<String>,
    /// 429, 500, 502, 503 or 504.
    pub status: Option<u16>,
    /// Milliseconds to wait before answering (or failing).
    pub delay_ms: Option<u64>,
    /// Fire on the next `count` matching requests only.
    pub count: Option<u32>,
    /// Fire on each matching request with this probability.
    pub probability: Option<f64>,
    /// Stop firing this many seconds after the rule is set.
    pub expires_in_seconds: Option<u64>,
}

/// How many of the matching requests a rule fires on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Firing {
    Every,
    Next(u32),
    Odds(f64),
}

/// A checked rule.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRuleSpec {
    pub scope: String,
    pub methods: Vec<String>,
    pub status: Option<FaultStatus>,
    pub delay: Option<Duration>,
    pub firing: Firing,
    pub expires_in: Option<Duration>,
}

impl FaultRuleRequest {
    /// Checks every field, naming the first one that breaks its rule.
    pub fn check(self) -> Result<FaultRuleSpec, DomainError> {
        let broke = |field: &str, rule: String| DomainError {
            field: field.into(),
            rule,
        };
        let scope = self.scope.ok_or_else(|| {
            broke(
                "scope",
                "is required: a face name, * or a path pattern".into(),
            )
        })?;
        check_scope(&scope).map_err(|rule| broke("scope", rule))?;
        check_methods(&self.methods).map_err(|rule| broke("methods", rule))?;
        let status = self
            .status
            .map(|code| {
                FaultStatus::from_code(code).ok_or_else(|| {
                    broke(
                        "status",
                        format!("must be one of {}, got {code}", FaultStatus::CODES),
                    )
                })
            })
            .transpose()?;
        let delay = match self.delay_ms {
            Some(ms) if ms > MAX_DELAY_MS => {
                return Err(broke(
                    "delay_ms",
                    format!("must be at most {MAX_DELAY_MS}, got {ms}"),
                ));
            }
            ms => ms.map(Duration::from_millis),
        };
        if status.is_none() && delay.is_none() {
            return Err(broke(
                "status",
                "a rule needs a status, a delay_ms, or both".into(),
            ));
        }
        let firing = match (self.count, self.probability) {
            (Some(_), Some(_)) => {
                return Err(broke(
                    "count",
                    "give count (the next N requests) or probability, not both".into(),
                ));
            }
            (Some(0), None) => return Err(broke("count", "must be at least 1, got 0".into())),
            (Some(n), None) => Firing::Next(n),
            (None, Some(p)) if !(p > 0.0 && p <= 1.0) => {
                return Err(broke(
                    "probability",
                    format!("must be more than 0 and at most 1, got {p}"),
                ));
            }
            (None, Some(p)) => Firing::Odds(p),
            (None, None) => Firing::Every,
        };
        let expires_in = match self.expires_in_seconds {
            Some(s) if s == 0 || s > MAX_EXPIRY_SECONDS => {
                return Err(broke(
                    "expires_in_seconds",
                    format!("must be 1 to {MAX_EXPIRY_SECONDS}, got {s}"),
                ));
            }
            s => s.map(Duration::from_secs),
        };
        Ok(FaultRuleSpec {
            scope,
            methods: self.methods,
            status,
            delay,
            firing,
            expires_in,
        })
    }
}

/// A rule as it is set: what it asks, and how it has fired.
#[derive(Debug, Clone)]
pub struct RuntimeFaultRule {
    pub id: u64,
    pub spec: FaultRuleSpec,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub fired: u64,
}

impl RuntimeFaultRule {
    pub fn new(id: u64, spec: FaultRuleSpec, now: DateTime<Utc>) -> Self {
        let expires_at = spec
            .expires_in
            .and_then(|d| chrono::Duration::from_std(d).ok())
            .map(|d| now + d);
        RuntimeFaultRule {
            id,
            spec,
            created_at: now,
            expires_at,
            fired: 0,
        }
    }

    /// Whether it can still fire at `now`: not expired, its count not used up.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        let used_up = matches!(self.spec.firing, Firing::Next(n) if self.fired >= u64::from(n));
        !used_up && self.expires_at.is_none_or(|at| now < at)
    }

    pub fn matches(&self, face: Face, method: &str, path: &str) -> bool {
        request_matches(&self.spec.scope, &self.spec.methods, face, method, path)
    }

    /// Decides with `roll` (in [0, 1)) whether it fires on a matching
    /// request, and counts it if so.
    pub fn fire(&mut self, roll: impl FnOnce() -> f64) -> Option<Fault> {
        if let Firing::Odds(p) = self.spec.firing
            && roll() >= p
        {
            return None;
        }
        self.fired += 1;
        Some(Fault {
            delay: self.spec.delay,
            status: self.spec.status,
        })
    }

    /// The rule a view (as the store kept it) describes, checked again.
    pub fn restore(view: FaultRuleView) -> Result<RuntimeFaultRule, DomainError> {
        let spec = FaultRuleRequest {
            scope: Some(view.scope),
            methods: view.methods,
            status: view.status,
            delay_ms: view.delay_ms,
            count: view.count,
            probability: view.probability,
            expires_in_seconds: None,
        }
        .check()?;
        let id = view.id.parse().map_err(|_| DomainError {
            field: "id".into(),
            rule: format!("must be a number, got '{}'", view.id),
        })?;
        Ok(RuntimeFaultRule {
            id,
            spec,
            created_at: view.created_at,
            expires_at: view.expires_at,
            fired: view.fired,
        })
    }

    pub fn view(&self) -> FaultRuleView {
        let (count, probability) = match self.spec.firing {
            Firing::Every => (None, None),
            Firing::Next(n) => (Some(n), None),
            Firing::Odds(p) => (None, Some(p)),
        };
        FaultRuleView {
            id: self.id.to_string(),
            scope: self.spec.scope.clone(),
            methods: self.spec.methods.clone(),
            status: self.spec.status.map(FaultStatus::code),
            delay_ms: self.spec.delay.map(|d| d.as_millis() as u64),
            count,
            remaining: count.map(|n| u64::from(n).saturating_sub(self.fired)),
            probability,
            created_at: self.created_at,
            expires_at: self.expires_at,
            fired: self.fired,
        }
    }
}

/// A rule as `/admin/faults` shows it, and as the store keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FaultRuleView {
    pub id: String,
    pub scope: String,
    pub methods: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// How many requests it has failed or delayed so far.
    pub fired: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(json: &str) -> FaultRuleRequest {
        serde_json::from_str(json).unwrap()
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn a_counted_rule_fires_on_the_next_n_and_then_rests() {
        let spec = request(r#"{"scope":"directory","methods":["POST"],"status":503,"count":3}"#)
            .check()
            .unwrap();
        let mut rule = RuntimeFaultRule::new(1, spec, at(0));
        assert!(rule.matches(Face::Directory, "POST", "/organisations"));
        assert!(!rule.matches(Face::Directory, "GET", "/organisations"));
        for _ in 0..3 {
            assert!(rule.is_live(at(1)));
            let fault = rule.fire(|| 0.99).unwrap();
            assert_eq!(fault.status, Some(FaultStatus::ServiceUnavailable));
        }
        assert!(!rule.is_live(at(1)));
        assert_eq!(rule.view().remaining, Some(0));
    }

    #[test]
    fn odds_decide_each_request_and_an_expiry_ends_a_rule() {
        let spec = request(
            r#"{"scope":"/token","delay_ms":20,"probability":0.5,"expires_in_seconds":60}"#,
        )
        .check()
        .unwrap();
        let mut rule = RuntimeFaultRule::new(2, spec, at(0));
        assert_eq!(rule.fire(|| 0.7), None);
        assert_eq!(
            rule.fire(|| 0.2).unwrap().delay,
            Some(Duration::from_millis(20))
        );
        assert_eq!(rule.fired, 1);
        assert!(rule.is_live(at(59)));
        assert!(!rule.is_live(at(60)));
    }

    #[test]
    fn a_rule_comes_back_from_its_view_as_it_was() {
        let spec = request(r#"{"scope":"keystore","delay_ms":5,"count":4,"expires_in_seconds":9}"#)
            .check()
            .unwrap();
        let mut rule = RuntimeFaultRule::new(7, spec, at(0));
        rule.fire(|| 0.0);
        let view = rule.view();
        let back = RuntimeFaultRule::restore(
            serde_json::from_value(serde_json::to_value(&view).unwrap()).unwrap(),
        )
        .unwrap();
        assert_eq!(back.view(), view);
        assert_eq!(back.view().remaining, Some(3));
    }

    #[test]
    fn a_bad_rule_names_its_field() {
        let field = |json: &str| request(json).check().unwrap_err().field;
        assert_eq!(field(r#"{"status":503}"#), "scope");
        assert_eq!(field(r#"{"scope":"billing","status":503}"#), "scope");
        assert_eq!(field(r#"{"scope":"*","status":418}"#), "status");
        assert_eq!(field(r#"{"scope":"*"}"#), "status");
        assert_eq!(
            field(r#"{"scope":"*","methods":["get"],"status":500}"#),
            "methods"
        );
        assert_eq!(field(r#"{"scope":"*","delay_ms":60001}"#), "delay_ms");
        assert_eq!(field(r#"{"scope":"*","status":500,"count":0}"#), "count");
        assert_eq!(
            field(r#"{"scope":"*","status":500,"count":2,"probability":0.5}"#),
            "count"
        );
        assert_eq!(
            field(r#"{"scope":"*","status":500,"probability":1.5}"#),
            "probability"
        );
        assert_eq!(
            field(r#"{"scope":"*","status":500,"expires_in_seconds":0}"#),
            "expires_in_seconds"
        );
    }
}
