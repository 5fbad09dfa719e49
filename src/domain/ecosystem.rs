//! Rules of the ecosystem API's root CA certificates (seed 001).

use chrono::{DateTime, Months, Utc};
use serde::Deserialize;

use super::DomainError;

/// The body of `POST /v1/ecosystems/certificates/ca`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RootRequest {
    pub common_name: Option<String>,
    pub country: Option<String>,
    pub organisation_name: Option<String>,
    pub not_after: Option<String>,
    pub not_before: Option<String>,
}

/// A root the rules allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRoot {
    pub common_name: String,
    pub organisation: String,
    pub country: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

/// The longest a root may last.
pub const MAX_ROOT_YEARS: u32 = 20;
/// The most roots a tenant may create (the directory's built-in root aside).
pub const MAX_ROOTS: usize = 3;
/// X.520's upper bound for commonName and organizationName.
const MAX_NAME_CHARS: usize = 64;

/// Root CA ids are UUIDs.
pub fn parse_ca_id(field: &str, id: &str) -> Result<String, DomainError> {
    uuid::Uuid::parse_str(id)
        .map(|u| u.to_string())
        .map_err(|_| DomainError::field(field, format!("must be a UUID, got '{id}'")))
}
/// How far in the past a notBefore may be and still count as "now", for
/// clients whose clocks run a little behind.
const NOT_BEFORE_SKEW_SECONDS: i64 = 300;

/// X.680's PrintableString alphabet.
fn is_printable(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c))
}

/// ISO 3166-1 alpha-2 codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

pub fn is_country_code(value: &str) -> bool {
    value.len() == 2 && COUNTRIES.split(' ').any(|c| c == value)
}

fn date(field: &str, value: &str) -> Result<DateTime<Utc>, DomainError> {
    DateTime::parse_from_rfc3339(value)
        .map(|d| d.to_utc())
        .map_err(|_| {
            DomainError::field(
                field,
                format!("must be an RFC 3339 date-time, got '{value}'"),
            )
        })
}

impl RootRequest {
    /// Applies the seed's rules, filling the defaults it gives.
    pub fn check(
        self,
        now: DateTime<Utc>,
        default_common_name: &str,
        default_country: &str,
    ) -> Result<NewRoot, Vec<DomainError>> {
        let mut errors = Vec::new();
        let common_name = self
            .common_name
            .unwrap_or_else(|| default_common_name.to_owned());
        if common_name.is_empty() || !is_printable(&common_name) {
            errors.push(DomainError::field(
                "commonName",
                "must be a non-empty PrintableString (letters, digits, space and '()+,-./:=?)",
            ));
        } else if common_name.chars().count() > MAX_NAME_CHARS {
            errors.push(DomainError::field(
                "commonName",
                format!("must be at most {MAX_NAME_CHARS} characters"),
            ));
        }
        let country = self.country.unwrap_or_else(|| default_country.to_owned());
        if !is_country_code(&country) {
            errors.push(DomainError::field(
                "country",
                format!("must be an ISO 3166-1 alpha-2 code such as BR, got '{country}'"),
            ));
        }
        let organisation = self.organisation_name.unwrap_or_default();
        if organisation.trim().is_empty() {
            errors.push(DomainError::field("organisationName", "is required"));
        } else if organisation.chars().count() > MAX_NAME_CHARS {
            errors.push(DomainError::field(
                "organisationName",
                format!("must be at most {MAX_NAME_CHARS} characters"),
            ));
        } else if organisation.chars().any(char::is_control) {
            errors.push(DomainError::field(
                "organisationName",
                "must not contain control characters",
            ));
        }
        let not_before = match self.not_before.as_deref().map(|v| date("notBefore", v)) {
            None => Some(now),
            Some(Ok(t)) if t < now - chrono::Duration::seconds(NOT_BEFORE_SKEW_SECONDS) => {
                errors.push(DomainError::field("notBefore", "must not be in the past"));
                None
            }
            Some(Ok(t)) => Some(t),
            Some(Err(e)) => {
                errors.push(e);
                None
            }
        };
        let latest = now
            .checked_add_months(Months::new(12 * MAX_ROOT_YEARS))
            .unwrap_or(now);
        let not_after = match (
            self.not_after.as_deref().map(|v| date("notAfter", v)),
            not_before,
        ) {
            (None, Some(start)) => start
                .checked_add_months(Months::new(12 * MAX_ROOT_YEARS))
                .map(|end| end.min(latest)),
            (None, None) => None,
            (Some(Ok(end)), start) => {
                if start.is_some_and(|start| end <= start) {
                    errors.push(DomainError::field("notAfter", "must be after notBefore"));
                }
                if end > latest {
                    errors.push(DomainError::field(
                        "notAfter",
                        format!("must be at most {MAX_ROOT_YEARS} years from now"),
                    ));
                }
                Some(end)
            }
            (Some(Err(e)), _) => {
                errors.push(e);
                None
            }
        };
        if let (Some(start), Some(end)) = (not_before, not_after)
            && end <= start
            && errors.is_empty()
        {
            errors.push(DomainError::field(
                "notBefore",
                format!("must leave room before notAfter, at most {MAX_ROOT_YEARS} years from now"),
            ));
        }
        match (not_before, not_after) {
            (Some(not_before), Some(not_after)) if errors.is_empty() => Ok(NewRoot {
                common_name,
                organisation,
                country,
                not_before,
                not_after,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .to_utc()
    }

    #[test]
    fn defaults_fill_name_country_and_twenty_years() {
        let req = RootRequest {
            organisation_name: Some("Org".into()),
            ..Default::default()
        };
        let root = req.check(now(), "dir.example DTS CA", "BR").unwrap();
        assert_eq!(root.common_name, "dir.example DTS CA");
        assert_eq!(root.country, "BR");
        assert_eq!(root.not_before, now());
        assert_eq!(root.not_after.to_rfc3339(), "2046-01-01T00:00:00+00:00");
    }

    #[test]
    fn every_rule_names_its_field() {
        let req = RootRequest {
            common_name: Some("bad_name".into()),
            country: Some("XX".into()),
            organisation_name: None,
            not_before: Some("2025-01-01T00:00:00Z".into()),
            not_after: Some("2050-01-01T00:00:00Z".into()),
        };
        let errors = req.check(now(), "x", "BR").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "commonName",
                "country",
                "organisationName",
                "notBefore",
                "notAfter"
            ]
        );
    }

    #[test]
    fn names_longer_than_x520_allows_are_refused() {
        let req = RootRequest {
            common_name: Some("a".repeat(65)),
            organisation_name: Some("o".repeat(65)),
            ..Default::default()
        };
        let errors = req.check(now(), "x", "BR").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["commonName", "organisationName"]);
    }

    #[test]
    fn a_far_future_start_without_an_end_is_refused() {
        let req = RootRequest {
            organisation_name: Some("Org".into()),
            not_before: Some("9999-12-31T00:00:00Z".into()),
            ..Default::default()
        };
        let errors = req.check(now(), "x", "BR").unwrap_err();
        assert_eq!(errors[0].field, "notBefore");
    }

    #[test]
    fn not_after_must_follow_not_before() {
        let req = RootRequest {
            organisation_name: Some("Org".into()),
            not_before: Some("2027-01-01T00:00:00Z".into()),
            not_after: Some("2026-06-01T00:00:00Z".into()),
            ..Default::default()
        };
        let errors = req.check(now(), "x", "BR").unwrap_err();
        assert_eq!(errors[0].to_string(), "notAfter: must be after notBefore");
    }
}
