//! The RA face's records and rules: operators, clients and their products,
//! pre-validated domains, certificate orders and the RA's error codes.

mod accounts;
mod domain_name;
mod error;
mod order;
mod reference;
pub mod revocation;

pub use accounts::{ClientAccount, OperatorAccount, ProductAccount};
pub use domain_name::{ClientDomain, DnsName, DomainStatus, TOKEN_DAYS, VALIDATION_MONTHS};
pub use error::{Code, ErrorCode, Module, RaFailure, Refusal, Section};
pub use order::{IssuedOrderCertificate, Order, OrderState, OrderStep, OrderTiming};
pub use reference::{ClientReference, DomainReference, OrderReference, ProductReference};

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::DomainError;

/// An RA operator's account name: the `{userName}` of `/v2/jwt/{userName}`
/// and the `sub` of its session tokens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OperatorName(String);

impl OperatorName {
    pub const FIELD: &'static str = "userName";

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || "._@+-".contains(c);
        if value.is_empty() || value.len() > 64 || !value.chars().all(allowed) {
            return Err(DomainError::field(
                Self::FIELD,
                "must be 1 to 64 characters of A-Z, a-z, 0-9 and . _ @ + -",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_conversions!(OperatorName);

/// An operator's API key: the HMAC key its session tokens are signed with.
/// It never prints.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ApiKey(String);

impl ApiKey {
    pub const FIELD: &'static str = "apiKey";
    /// HS256 wants a key at least as long as its 256-bit output (RFC 7518 3.2).
    pub const MIN_CHARS: usize = 32;

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        if value.len() < Self::MIN_CHARS
            || value.len() > 512
            || !value.chars().all(|c| c.is_ascii_graphic())
        {
            return Err(DomainError::field(
                Self::FIELD,
                format!(
                    "must be {} to 512 printable ASCII characters with no spaces",
                    Self::MIN_CHARS
                ),
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The key itself, for the one answer that hands a generated key out.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(..)")
    }
}

impl TryFrom<String> for ApiKey {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ApiKey> for String {
    fn from(key: ApiKey) -> String {
        key.0
    }
}

/// An RA operator account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaOperator {
    pub user_name: OperatorName,
    pub api_key: ApiKey,
    /// The clients this operator may act for; empty means every client.
    #[serde(default)]
    pub clients: Vec<ClientReference>,
}

impl RaOperator {
    pub fn may_act_for(&self, client: &ClientReference) -> bool {
        self.clients.is_empty() || self.clients.contains(client)
    }
}

/// The claims of an RA session token (seed 002's JWT table).
pub mod session {
    use chrono::{DateTime, Duration, Utc};
    use serde_json::{Map, Value, json};

    use super::OperatorName;

    pub const ISSUER: &str = "SwissPKI";
    pub const AUDIENCE: &str = "REST API";
    pub const HOURS: i64 = 8;
    /// Clock skew tolerated on nbf and exp, for tokens operators sign themselves.
    const LEEWAY_SECONDS: i64 = 60;

    /// The claims of a token issued to `user` at `now`.
    pub fn claims(user: &OperatorName, now: DateTime<Utc>) -> Map<String, Value> {
        let mut claims = Map::new();
        claims.insert("iss".into(), json!(ISSUER));
        claims.insert("aud".into(), json!(AUDIENCE));
        claims.insert("sub".into(), json!(user.as_str()));
        claims.insert("iat".into(), json!(now.timestamp()));
        claims.insert("nbf".into(), json!(now.timestamp()));
        claims.insert(
            "exp".into(),
            json!((now + Duration::hours(HOURS)).timestamp()),
        );
        claims
    }

    /// The subject a token names, before its signature is checked (to find
    /// whose key checks it).
    pub fn subject(claims: &Map<String, Value>) -> Result<OperatorName, String> {
        let sub = claims
            .get("sub")
            .and_then(Value::as_str)
            .ok_or("the JWT has no sub naming the RA operator")?;
        OperatorName::parse(sub).map_err(|e| format!("the JWT sub is not an operator name: {e}"))
    }

    /// Checks iss, aud, nbf and exp of a token whose signature verified.
    pub fn check(claims: &Map<String, Value>, now: DateTime<Utc>) -> Result<(), String> {
        if claims.get("iss").and_then(Value::as_str) != Some(ISSUER) {
            return Err(format!("the JWT iss must be '{ISSUER}'"));
        }
        let audience_ok = match claims.get("aud") {
            Some(Value::String(a)) => a == AUDIENCE,
            Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(AUDIENCE)),
            _ => false,
        };
        if !audience_ok {
            return Err(format!("the JWT aud must be '{AUDIENCE}'"));
        }
        // NumericDate may have a fraction (RFC 7519 2); whole seconds count.
        let time = |name: &str| {
            claims
                .get(name)
                .and_then(Value::as_f64)
                .filter(|t| t.is_finite())
                .map(|t| t.floor() as i64)
                .ok_or(format!("the JWT has no numeric {name}"))
        };
        let (nbf, exp) = (time("nbf")?, time("exp")?);
        let now = now.timestamp();
        if now + LEEWAY_SECONDS < nbf {
            return Err("the JWT is not valid yet (nbf is in the future)".into());
        }
        if now - LEEWAY_SECONDS >= exp {
            return Err("the JWT has expired (exp is in the past)".into());
        }
        Ok(())
    }
}

/// What a product issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProductProfile {
    /// A TLS server certificate for the names pre-validated for the client.
    TlsServer,
    /// A TLS client-authentication certificate.
    ClientAuth,
}

impl ProductProfile {
    pub fn name(self) -> &'static str {
        match self {
            Self::TlsServer => "tls-server",
            Self::ClientAuth => "client-auth",
        }
    }
}

/// Whether a product may be ordered through the API (seed 002's
/// PRODUCT_API_DISABLED, PRODUCT_RETIRED, PRODUCT_EXPIRED).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProductState {
    Enabled,
    ApiDisabled,
    Retired,
    Expired,
}

impl ProductState {
    pub fn name(self) -> &'static str {
        match self {
            Self::Enabled => "enabled",
            Self::ApiDisabled => "api-disabled",
            Self::Retired => "retired",
            Self::Expired => "expired",
        }
    }
}

/// A certificate product of a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub reference: ProductReference,
    pub name: String,
    pub profile: ProductProfile,
    pub state: ProductState,
}

impl Product {
    /// Refuses an order for a product that is not enabled.
    pub fn ensure_orderable(&self) -> Result<(), RaFailure> {
        let (code, state) = match self.state {
            ProductState::Enabled => return Ok(()),
            ProductState::ApiDisabled => (Code::ProductApiDisabled, "disabled for the API"),
            ProductState::Retired => (Code::ProductRetired, "retired"),
            ProductState::Expired => (Code::ProductExpired, "expired"),
        };
        Err(RaFailure::new(
            Refusal::Invalid,
            ErrorCode::form(code),
            format!("product {} is {state}", self.reference),
        ))
    }
}

/// An RA client (an organisation the RA issues for) and its products.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaClient {
    pub reference: ClientReference,
    pub name: String,
    pub products: Vec<Product>,
}

impl RaClient {
    /// `search` as the API takes it: `*` any run of characters, `?` one,
    /// case-insensitive, over the whole name.
    pub fn matches(&self, search: &str) -> bool {
        let name: Vec<char> = self.name.to_lowercase().chars().collect();
        let pattern: Vec<char> = search.to_lowercase().chars().collect();
        wildcard_match(&pattern, &name)
    }

    pub fn product(&self, reference: &ProductReference) -> Option<&Product> {
        self.products.iter().find(|p| &p.reference == reference)
    }
}

/// Glob matching with `*` and `?`, iterative so a long pattern costs
/// O(pattern x text) at worst.
fn wildcard_match(pattern: &[char], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// A TXT record value that proves control of a name.
pub fn validation_token(random: &str) -> String {
    format!("swiss-pki={random}")
}

/// When something made at `at` with a lifetime of `months` ends.
pub fn months_after(at: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    at.checked_add_months(chrono::Months::new(months))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn client(name: &str) -> RaClient {
        RaClient {
            reference: ClientReference::parse("cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acd").unwrap(),
            name: name.into(),
            products: vec![],
        }
    }

    #[test]
    fn search_takes_wildcards_case_insensitively() {
        let c = client("Client Alpha");
        for yes in [
            "Client*",
            "client*",
            "*alpha",
            "C?ient Alpha",
            "*",
            "Client Alpha",
        ] {
            assert!(c.matches(yes), "{yes}");
        }
        for no in ["Client", "Beta*", "?", "Client Alpha?"] {
            assert!(!c.matches(no), "{no}");
        }
    }

    #[test]
    fn operator_names_and_api_keys_have_rules() {
        assert!(OperatorName::parse("service.account").is_ok());
        assert!(OperatorName::parse("a b").is_err());
        assert!(OperatorName::parse("").is_err());
        assert!(ApiKey::parse("short").is_err());
        let key = ApiKey::parse(&"k".repeat(32)).unwrap();
        assert_eq!(format!("{key:?}"), "ApiKey(..)");
    }

    #[test]
    fn session_claims_pass_their_own_check_for_eight_hours() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let user = OperatorName::parse("ops").unwrap();
        let claims = session::claims(&user, now);
        assert!(session::check(&claims, now).is_ok());
        assert!(session::check(&claims, now + chrono::Duration::hours(7)).is_ok());
        let late = session::check(
            &claims,
            now + chrono::Duration::hours(8) + chrono::Duration::minutes(2),
        );
        assert!(late.unwrap_err().contains("expired"));
        assert_eq!(session::subject(&claims).unwrap(), user);
    }

    #[test]
    fn session_check_names_the_wrong_claim() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mut claims = session::claims(&OperatorName::parse("ops").unwrap(), now);
        claims.insert("aud".into(), serde_json::json!("other"));
        assert!(session::check(&claims, now).unwrap_err().contains("aud"));
        claims.insert("aud".into(), serde_json::json!(["x", "REST API"]));
        claims.insert("iss".into(), serde_json::json!("me"));
        assert!(session::check(&claims, now).unwrap_err().contains("iss"));
    }
}
