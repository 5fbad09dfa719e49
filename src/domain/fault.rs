//! Faults a test harness asks for: which requests fail with which status or
//! wait how long, by configured odds or by a request header.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

use super::DomainError;
pub use super::face::Face;

/// The request header that forces a fault when `faults.allow_header` is on.
pub const FAULT_HEADER: &str = "x-obdir-fault";

/// The longest delay a rule or the header may ask for.
pub const MAX_DELAY_MS: u64 = 60_000;

/// A failure status a fault can answer with, each with the text the
/// directory's API documents for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FaultStatus {
    TooManyRequests,
    InternalServerError,
    BadGateway,
    ServiceUnavailable,
    GatewayTimeout,
}

impl FaultStatus {
    pub const ALL: [FaultStatus; 5] = [
        FaultStatus::TooManyRequests,
        FaultStatus::InternalServerError,
        FaultStatus::BadGateway,
        FaultStatus::ServiceUnavailable,
        FaultStatus::GatewayTimeout,
    ];

    /// The codes, as the rule and header messages list them.
    pub const CODES: &str = "429, 500, 502, 503, 504";

    pub fn code(self) -> u16 {
        match self {
            FaultStatus::TooManyRequests => 429,
            FaultStatus::InternalServerError => 500,
            FaultStatus::BadGateway => 502,
            FaultStatus::ServiceUnavailable => 503,
            FaultStatus::GatewayTimeout => 504,
        }
    }

    /// Whether the answer says when to try again: a client should back off
    /// from these, not just retry.
    pub fn retries_after(self) -> bool {
        matches!(
            self,
            FaultStatus::TooManyRequests | FaultStatus::ServiceUnavailable
        )
    }

    pub fn from_code(code: u16) -> Option<FaultStatus> {
        FaultStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn text(self) -> &'static str {
        match self {
            FaultStatus::TooManyRequests => {
                "Too many requests, maximum capacity reached. Requests are now throttled."
            }
            FaultStatus::InternalServerError => "Internal Server Error",
            FaultStatus::BadGateway => "Bad Gateway",
            FaultStatus::ServiceUnavailable => "Service Unavailable",
            FaultStatus::GatewayTimeout => {
                "Upstream timeout, insufficient capacity to serve request. More capacity being brought online. Please try again."
            }
        }
    }

    fn parse(code: &str) -> Option<FaultStatus> {
        FaultStatus::ALL
            .into_iter()
            .find(|s| s.code().to_string() == code)
    }
}

/// What happens to one request: an optional wait, then either the handler
/// or a failure status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fault {
    pub delay: Option<Duration>,
    pub status: Option<FaultStatus>,
}

impl Fault {
    /// `429`, `500`, `502`, `503`, `504` or `delay=<n>ms` (at most 60000).
    pub fn parse_header(value: &str) -> Result<Fault, DomainError> {
        let rule = || DomainError {
            field: FAULT_HEADER.into(),
            rule: format!(
                "must be {} or delay=<milliseconds>ms up to {MAX_DELAY_MS}, got '{value}'",
                FaultStatus::CODES
            ),
        };
        let value = value.trim();
        if let Some(status) = FaultStatus::parse(value) {
            return Ok(Fault {
                delay: None,
                status: Some(status),
            });
        }
        let ms: u64 = value
            .strip_prefix("delay=")
            .and_then(|d| d.strip_suffix("ms"))
            .and_then(|d| d.parse().ok())
            .filter(|ms| *ms <= MAX_DELAY_MS)
            .ok_or_else(rule)?;
        Ok(Fault {
            delay: Some(Duration::from_millis(ms)),
            status: None,
        })
    }
}

/// `[rate_limit]`: a token bucket per client (its token's subject, else its
/// address); 0 requests per second turns it off.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitSettings {
    pub requests_per_second: f64,
    pub burst: u32,
}

/// `[faults]`: off unless a rule is given or the header is allowed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSettings {
    /// Honour `x-obdir-fault` on any request.
    pub allow_header: bool,
    /// Seed of the dice; 0 draws a random one. With a seed, the same
    /// sequence of requests meets the same faults.
    pub seed: u64,
    /// The first rule that matches a request decides its odds.
    pub rules: Vec<FaultRule>,
    /// Keep the rules set through `/admin/faults` in the store, so they
    /// (and how often each fired) outlive a restart.
    pub keep_rules: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// A face name (`directory`, `keystore`, `oauth`, `ecosystem`,
    /// `revocation`, `admin`, `root`), `*` for every request, or a path
    /// pattern starting with `/` where `*` is one segment and a final `**`
    /// the rest.
    pub scope: String,
    /// Methods the rule applies to; empty: all.
    #[serde(default)]
    pub methods: Vec<String>,
    /// Probability of each failure status, by code ("429", "500", "502", "503", "504").
    #[serde(default)]
    pub status: BTreeMap<String, f64>,
    /// A delay drawn uniformly from this range (milliseconds), applied with
    /// `delay_probability`.
    #[serde(default)]
    pub delay_ms: Option<DelayRange>,
    #[serde(default = "always")]
    pub delay_probability: f64,
}

fn always() -> f64 {
    1.0
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelayRange {
    pub min: u64,
    pub max: u64,
}

impl FaultSettings {
    pub fn is_off(&self) -> bool {
        !self.allow_header && self.rules.is_empty()
    }

    /// The rules a value of the right type can still break, named by
    /// their place in the file.
    pub fn check(&self) -> Result<(), String> {
        for (i, rule) in self.rules.iter().enumerate() {
            rule.check()
                .map_err(|e| format!("faults.rules[{i}].{}: {}", e.field, e.rule))?;
        }
        Ok(())
    }

    /// The rule deciding a request's odds.
    pub fn rule_for(&self, face: Face, method: &str, path: &str) -> Option<&FaultRule> {
        self.rules.iter().find(|r| r.matches(face, method, path))
    }
}

impl FaultRule {
    fn check(&self) -> Result<(), DomainError> {
        let broke = |field: &str, rule: String| DomainError {
            field: field.into(),
            rule,
        };
        check_scope(&self.scope).map_err(|rule| broke("scope", rule))?;
        check_methods(&self.methods).map_err(|rule| broke("methods", rule))?;
        let mut total = 0.0;
        for (code, p) in &self.status {
            if FaultStatus::parse(code).is_none() {
                return Err(broke(
                    "status",
                    format!("'{code}' is not one of {}", FaultStatus::CODES),
                ));
            }
            if !(0.0..=1.0).contains(p) {
                return Err(broke(
                    &format!("status.{code}"),
                    format!("must be a probability from 0 to 1, got {p}"),
                ));
            }
            total += p;
        }
        if total > 1.0 {
            return Err(broke(
                "status",
                format!("probabilities add up to {total}, more than 1"),
            ));
        }
        if let Some(range) = self.delay_ms
            && (range.min > range.max || range.max > MAX_DELAY_MS)
        {
            return Err(broke(
                "delay_ms",
                format!(
                    "min must not exceed max, and max must be at most {MAX_DELAY_MS}, got {}..{}",
                    range.min, range.max
                ),
            ));
        }
        if !(0.0..=1.0).contains(&self.delay_probability) {
            return Err(broke(
                "delay_probability",
                format!(
                    "must be a probability from 0 to 1, got {}",
                    self.delay_probability
                ),
            ));
        }
        Ok(())
    }

    pub fn matches(&self, face: Face, method: &str, path: &str) -> bool {
        request_matches(&self.scope, &self.methods, face, method, path)
    }

    /// Decides a request's fault from dice rolls in [0, 1).
    pub fn draw(&self, mut roll: impl FnMut() -> f64) -> Fault {
        let delay = self.delay_ms.and_then(|range| {
            (roll() < self.delay_probability).then(|| {
                let span = (range.max - range.min) as f64;
                Duration::from_millis(range.min + (roll() * (span + 1.0)).floor() as u64)
                    .min(Duration::from_millis(range.max))
            })
        });
        let dice = roll();
        let mut edge = 0.0;
        let status = FaultStatus::ALL.into_iter().find(|s| {
            edge += self
                .status
                .get(&s.code().to_string())
                .copied()
                .unwrap_or(0.0);
            dice < edge
        });
        Fault { delay, status }
    }
}

/// A rule's scope: `*`, a path pattern starting with `/`, or a face name.
pub(crate) fn check_scope(scope: &str) -> Result<(), String> {
    if scope == "*" || scope.starts_with('/') || Face::parse(scope).is_some() {
        return Ok(());
    }
    let faces: Vec<&str> = Face::ALL.iter().map(|f| f.name()).collect();
    Err(format!(
        "must be *, a path pattern starting with / or one of {}, got '{scope}'",
        faces.join(", ")
    ))
}

pub(crate) fn check_methods(methods: &[String]) -> Result<(), String> {
    match methods
        .iter()
        .find(|m| !["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"].contains(&m.as_str()))
    {
        Some(method) => Err(format!("'{method}' is not an HTTP method in capitals")),
        None => Ok(()),
    }
}

/// Whether a request is in a rule's scope and among its methods (none: all).
pub(crate) fn request_matches(
    scope: &str,
    methods: &[String],
    face: Face,
    method: &str,
    path: &str,
) -> bool {
    let scoped = match scope {
        "*" => true,
        pattern if pattern.starts_with('/') => path_matches(pattern, path),
        name => Face::parse(name) == Some(face),
    };
    scoped && (methods.is_empty() || methods.iter().any(|m| m == method))
}

/// `*` matches one path segment, a final `**` any rest (even none).
fn path_matches(pattern: &str, path: &str) -> bool {
    let mut pattern = pattern.trim_matches('/').split('/');
    let mut path = path.trim_matches('/').split('/');
    loop {
        match (pattern.next(), path.next()) {
            (Some("**"), _) => return true,
            (Some(p), Some(s)) if p == "*" || p == s => continue,
            (None, None) => return true,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(toml_text: &str) -> FaultRule {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn the_header_names_a_status_or_a_delay() {
        assert_eq!(
            Fault::parse_header("504").unwrap().status,
            Some(FaultStatus::GatewayTimeout)
        );
        assert_eq!(
            Fault::parse_header("delay=250ms").unwrap().delay,
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            Fault::parse_header("503").unwrap().status,
            Some(FaultStatus::ServiceUnavailable)
        );
        for bad in ["418", "delay=250", "delay=-1ms", "delay=60001ms", ""] {
            let e = Fault::parse_header(bad).unwrap_err();
            assert_eq!(e.field, FAULT_HEADER);
        }
    }

    #[test]
    fn patterns_match_segments() {
        let p = "/organisations/*/softwarestatements/*/certificates/**";
        assert!(path_matches(
            p,
            "/organisations/o/softwarestatements/s/certificates/rtssigning"
        ));
        assert!(path_matches(
            p,
            "/organisations/o/softwarestatements/s/certificates"
        ));
        assert!(!path_matches(p, "/organisations/o/softwarestatements/s"));
        assert!(path_matches("/token", "/token"));
        assert!(!path_matches("/token", "/token/x"));
    }

    #[test]
    fn a_rule_is_scoped_by_face_path_and_method() {
        let r = rule("scope = \"directory\"\nmethods = [\"POST\"]");
        assert!(r.matches(Face::Directory, "POST", "/organisations"));
        assert!(!r.matches(Face::Directory, "GET", "/organisations"));
        assert!(!r.matches(Face::Keystore, "POST", "/keystore/x"));
    }

    #[test]
    fn the_dice_pick_statuses_by_their_odds() {
        let r = rule("scope = \"*\"\nstatus = { \"429\" = 0.25, \"504\" = 0.25 }");
        let at = |x: f64| r.draw(|| x).status;
        assert_eq!(at(0.1), Some(FaultStatus::TooManyRequests));
        assert_eq!(at(0.3), Some(FaultStatus::GatewayTimeout));
        assert_eq!(at(0.6), None);
    }

    #[test]
    fn odds_and_ranges_are_checked() {
        let settings = |rule_text: &str| FaultSettings {
            rules: vec![rule(rule_text)],
            ..Default::default()
        };
        assert!(
            settings("scope = \"*\"\nstatus = { \"500\" = 0.7, \"502\" = 0.7 }")
                .check()
                .unwrap_err()
                .contains("more than 1")
        );
        assert!(
            settings("scope = \"*\"\nstatus = { \"418\" = 0.1 }")
                .check()
                .unwrap_err()
                .contains("'418'")
        );
        assert!(
            settings("scope = \"billing\"")
                .check()
                .unwrap_err()
                .starts_with("faults.rules[0].scope")
        );
        assert!(
            settings("scope = \"*\"\ndelay_ms = { min = 5, max = 1 }")
                .check()
                .is_err()
        );
        assert!(
            settings("scope = \"keystore\"\ndelay_ms = { min = 0, max = 10 }")
                .check()
                .is_ok()
        );
    }
}
