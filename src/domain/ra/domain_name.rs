//! Domain names a client registers for pre-validation, and their proof by a
//! DNS TXT record.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{ClientReference, DomainReference, RaFailure, months_after, validation_token};
use crate::domain::DomainError;

/// How long a validation token may wait to be published (seed 002).
pub const TOKEN_DAYS: i64 = 30;
/// How long a validated domain stays valid (seed 002).
pub const VALIDATION_MONTHS: u32 = 13;

/// A host name as registered (Unicode, as the operator wrote it) and in the
/// ASCII form DNS and certificates use (punycode, RFC 5891):
/// `déjà.vu.com` is `xn--dj-kia8a.vu.com`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsName {
    pub unicode: String,
    pub ascii: String,
}

impl DnsName {
    pub const FIELD: &'static str = "domainName";

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let refuse = |rule: String| DomainError::field(Self::FIELD, format!("'{value}' {rule}"));
        let trimmed = value.strip_suffix('.').unwrap_or(value);
        if trimmed.starts_with("*.") || trimmed.contains('*') {
            return Err(refuse(
                "is a wildcard; register the domain itself, which covers its sub-domains".into(),
            ));
        }
        // An ASCII name gets the host-name rules' own message, which says
        // more than IDNA's refusal would.
        if trimmed.is_ascii() {
            check_host_name(&trimmed.to_ascii_lowercase()).map_err(refuse)?;
        }
        let ascii = idna::domain_to_ascii_strict(trimmed)
            .map_err(|_| refuse("is not a valid internationalised domain name".into()))?;
        check_host_name(&ascii).map_err(refuse)?;
        let (unicode, _) = idna::domain_to_unicode(&ascii);
        Ok(Self { unicode, ascii })
    }
}

fn check_host_name(ascii: &str) -> Result<(), String> {
    crate::domain::host_name::check(
        ascii,
        crate::domain::host_name::HostRules::REGISTERED_DOMAIN,
    )
}

/// Where a registered domain stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainStatus {
    /// Waiting for its token to appear in DNS.
    Pending,
    Validated,
    /// Validated once; the 13 months are over.
    Expired,
    /// Never validated and its token is past its 30 days.
    TokenExpired,
    /// Never validated and its token was deleted.
    NoToken,
}

impl DomainStatus {
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Validated => "VALIDATED",
            Self::Expired => "EXPIRED",
            Self::TokenExpired => "TOKEN_EXPIRED",
            Self::NoToken => "NO_TOKEN",
        }
    }
}

/// A domain registered for a client's pre-validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientDomain {
    pub reference: DomainReference,
    pub client: ClientReference,
    pub name: DnsName,
    pub token: Option<String>,
    pub token_expires: Option<DateTime<Utc>>,
    pub registered: DateTime<Utc>,
    pub validated: Option<DateTime<Utc>>,
    pub validated_until: Option<DateTime<Utc>>,
}

impl ClientDomain {
    /// A new registration with a fresh token made from `random`.
    pub fn register(
        reference: DomainReference,
        client: ClientReference,
        name: DnsName,
        random: &str,
        now: DateTime<Utc>,
    ) -> Self {
        let mut domain = Self {
            reference,
            client,
            name,
            token: None,
            token_expires: None,
            registered: now,
            validated: None,
            validated_until: None,
        };
        domain.reset_token(random, now);
        domain
    }

    pub fn status(&self, now: DateTime<Utc>) -> DomainStatus {
        let token_fresh = self.token.is_some() && self.token_expires.is_none_or(|t| now < t);
        match self.validated_until {
            Some(until) if now < until => DomainStatus::Validated,
            // A fresh token after the validation ran out: validating again.
            _ if token_fresh => DomainStatus::Pending,
            Some(_) => DomainStatus::Expired,
            None if self.token.is_some() => DomainStatus::TokenExpired,
            None => DomainStatus::NoToken,
        }
    }

    /// Whether this validated domain vouches for `ascii_name` at `now`: the
    /// name itself or any name under it (a wildcard included).
    pub fn covers(&self, ascii_name: &str, now: DateTime<Utc>) -> bool {
        if self.status(now) != DomainStatus::Validated {
            return false;
        }
        let name = ascii_name.strip_prefix("*.").unwrap_or(ascii_name);
        name == self.name.ascii
            || name
                .strip_suffix(self.name.ascii.as_str())
                .is_some_and(|head| head.ends_with('.'))
    }

    pub fn reset_token(&mut self, random: &str, now: DateTime<Utc>) {
        self.token = Some(validation_token(random));
        self.token_expires = Some(now + Duration::days(TOKEN_DAYS));
    }

    pub fn delete_token(&mut self) {
        self.token = None;
        self.token_expires = None;
    }

    /// Validates against the TXT values published at the name: one must be
    /// the token, which must still be within its 30 days.
    pub fn validate(&mut self, txt: &[String], now: DateTime<Utc>) -> Result<(), RaFailure> {
        let token = match (&self.token, self.token_expires) {
            (None, _) => {
                return Err(RaFailure::validation(format!(
                    "domain {} has no validation token; reset it to get one",
                    self.reference
                )));
            }
            (Some(_), Some(expires)) if now >= expires => {
                return Err(RaFailure::validation(format!(
                    "the validation token of {} expired at {}; reset it to get a new one",
                    self.name.unicode,
                    expires.to_rfc3339()
                )));
            }
            (Some(token), _) => token,
        };
        if !txt.iter().any(|value| value.trim() == token) {
            let found = if txt.is_empty() {
                "no TXT record".to_owned()
            } else {
                format!("TXT records {:?}", txt)
            };
            return Err(RaFailure::validation(format!(
                "{} has {found}; publish the TXT record '{token}' at {} and validate again",
                self.name.unicode, self.name.ascii
            )));
        }
        self.validated = Some(now);
        self.validated_until = Some(months_after(now, VALIDATION_MONTHS));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
    }

    fn domain(name: &str) -> ClientDomain {
        ClientDomain::register(
            DomainReference::from_uuid(uuid::Uuid::nil()),
            ClientReference::from_uuid(uuid::Uuid::nil()),
            DnsName::parse(name).unwrap(),
            "abc",
            now(),
        )
    }

    #[test]
    fn an_idn_name_becomes_punycode() {
        let name = DnsName::parse("déjà.vu.com").unwrap();
        assert_eq!(name.ascii, "xn--dj-kia8a.vu.com");
        assert_eq!(name.unicode, "déjà.vu.com");
        assert_eq!(
            DnsName::parse("WWW.Example.COM.").unwrap().ascii,
            "www.example.com"
        );
    }

    #[test]
    fn bad_names_are_refused_with_the_rule() {
        for bad in [
            "com",
            "*.example.com",
            "a..b",
            "-a.com",
            "a b.com",
            "<x>.com",
            "",
        ] {
            assert!(DnsName::parse(bad).is_err(), "{bad}");
        }
        let long = format!("{}.com", "a".repeat(64));
        assert!(
            DnsName::parse(&long)
                .unwrap_err()
                .to_string()
                .contains("63")
        );
    }

    #[test]
    fn the_token_in_dns_validates_for_thirteen_months() {
        let mut d = domain("vu.com");
        assert_eq!(d.status(now()), DomainStatus::Pending);
        let err = d.validate(&["other".into()], now()).unwrap_err();
        assert!(err.messages[0].contains("swiss-pki=abc"));
        d.validate(&["swiss-pki=abc".into()], now()).unwrap();
        assert_eq!(d.status(now()), DomainStatus::Validated);
        assert!(d.covers("vu.com", now()));
        assert!(d.covers("www.vu.com", now()));
        assert!(d.covers("*.vu.com", now()));
        assert!(!d.covers("evilvu.com", now()));
        let later = months_after(now(), 13);
        assert_eq!(d.status(later), DomainStatus::Expired);
        assert!(!d.covers("vu.com", later));
    }

    #[test]
    fn an_old_or_deleted_token_does_not_validate() {
        let mut d = domain("vu.com");
        let late = now() + Duration::days(TOKEN_DAYS);
        assert_eq!(d.status(late), DomainStatus::TokenExpired);
        assert!(d.validate(&["swiss-pki=abc".into()], late).is_err());
        d.delete_token();
        assert_eq!(d.status(now()), DomainStatus::NoToken);
        assert!(d.validate(&["swiss-pki=abc".into()], now()).is_err());
    }
}
