//! The FAPI request headers the directory API accepts, with the patterns the
//! directory's OpenAPI document gives for them.

use std::net::IpAddr;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::DomainError;

static AUTH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC)$",
    )
    .expect("static regex")
});

static INTERACTION_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z0-9][a-zA-Z0-9\-]{0,99}$").expect("static regex"));

pub const AUTH_DATE_HEADER: &str = "x-fapi-auth-date";
pub const CUSTOMER_IP_HEADER: &str = "x-fapi-customer-ip-address";
pub const INTERACTION_ID_HEADER: &str = "x-fapi-interaction-id";

/// `x-fapi-auth-date`: when the PSU last logged in, as an RFC 7231 date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FapiAuthDate(String);

impl FapiAuthDate {
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        if AUTH_DATE.is_match(value) {
            Ok(Self(value.to_owned()))
        } else {
            Err(DomainError::field(
                AUTH_DATE_HEADER,
                "must be an RFC 7231 date such as 'Sun, 10 Sep 2017 19:43:31 UTC'",
            ))
        }
    }
}

/// `x-fapi-customer-ip-address`: the PSU's IP address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerIpAddress(pub IpAddr);

impl CustomerIpAddress {
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        value
            .parse()
            .map(Self)
            .map_err(|_| DomainError::field(CUSTOMER_IP_HEADER, "must be an IPv4 or IPv6 address"))
    }
}

/// `x-fapi-interaction-id`: the correlation id every response carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractionId(String);

impl InteractionId {
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        if INTERACTION_ID.is_match(value) {
            Ok(Self(value.to_owned()))
        } else {
            Err(DomainError::field(
                INTERACTION_ID_HEADER,
                "must match ^[a-zA-Z0-9][a-zA-Z0-9\\-]{0,99}$",
            ))
        }
    }

    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_date_follows_the_rfc_7231_pattern() {
        assert!(FapiAuthDate::parse("Sun, 10 Sep 2017 19:43:31 UTC").is_ok());
        assert!(FapiAuthDate::parse("Mon, 01 Jan 2024 00:00:00 GMT").is_ok());
        for bad in [
            "Sun, 10 Sep 2017 19:43:31",
            "Sunday, 10 Sep 2017 19:43:31 UTC",
            "Sun, 1 Sep 2017 19:43:31 UTC",
            "2017-09-10T19:43:31Z",
        ] {
            assert!(FapiAuthDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn customer_ip_takes_v4_and_v6() {
        assert!(CustomerIpAddress::parse("10.0.0.1").is_ok());
        assert!(CustomerIpAddress::parse("::1").is_ok());
        assert!(CustomerIpAddress::parse("10.0.0.256").is_err());
        assert!(CustomerIpAddress::parse("localhost").is_err());
    }

    #[test]
    fn interaction_id_is_at_most_a_hundred_characters() {
        assert!(InteractionId::parse(&"a".repeat(100)).is_ok());
        assert!(InteractionId::parse(&"a".repeat(101)).is_err());
        assert!(InteractionId::parse("-abc").is_err());
        assert!(InteractionId::parse("a b").is_err());
        assert!(InteractionId::parse(InteractionId::generate().as_str()).is_ok());
    }
}
