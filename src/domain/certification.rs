//! How far an API resource or an authorisation server is certified: the
//! spec's status enum, its `dd/mm/yyyy` dates, and an authorisation server's
//! certification records (AuthorisationServerCertification).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::rules::Rules;
use super::{
    AuthorisationServerId, CertificationId, DomainError, SoftwareStatementId,
    StatementCertificationId,
};

/// The spec's certification status enum; a new record is Awaiting Certification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CertificationStatus {
    #[default]
    #[serde(rename = "Awaiting Certification")]
    AwaitingCertification,
    Certified,
    Deprecated,
    Rejected,
    #[serde(rename = "Self-Certified")]
    SelfCertified,
}

impl CertificationStatus {
    const ALL: [(CertificationStatus, &'static str); 5] = [
        (Self::AwaitingCertification, "Awaiting Certification"),
        (Self::Certified, "Certified"),
        (Self::Deprecated, "Deprecated"),
        (Self::Rejected, "Rejected"),
        (Self::SelfCertified, "Self-Certified"),
    ];

    /// The status a request names, Awaiting Certification when it names none.
    pub(crate) fn from_request(r: &mut Rules, field: &str, value: Option<String>) -> Self {
        let Some(value) = value else {
            return Self::default();
        };
        match Self::ALL.iter().find(|(_, name)| *name == value) {
            Some((status, _)) => *status,
            None => {
                let names: Vec<&str> = Self::ALL.iter().map(|(_, name)| *name).collect();
                r.broken(DomainError::field(
                    field,
                    format!("must be one of {}, got '{value}'", names.join(", ")),
                ));
                Self::default()
            }
        }
    }
}

/// A certification date, written `dd/mm/yyyy` as the spec's
/// CertificationStartDate pattern has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CertificationDate(NaiveDate);

impl CertificationDate {
    const FORMAT: &'static str = "%d/%m/%Y";

    /// `^[0-3][0-9]/[0-1][0-9]/2([0-9]{3})$`, and a day the calendar has.
    pub fn parse(value: &str) -> Result<Self, String> {
        let shaped = value.len() == 10
            && value.bytes().enumerate().all(|(i, b)| match i {
                2 | 5 => b == b'/',
                6 => b == b'2',
                _ => b.is_ascii_digit(),
            });
        match NaiveDate::parse_from_str(value, Self::FORMAT) {
            Ok(date) if shaped => Ok(Self(date)),
            _ => Err(format!(
                "Date must match the format of dd/mm/yyyy, for example 31/12/2021, got '{value}'"
            )),
        }
    }

    /// An optional date field of a request.
    pub(crate) fn from_request(r: &mut Rules, field: &str, value: Option<String>) -> Option<Self> {
        Self::parse(&value?)
            .map_err(|rule| r.broken(DomainError::field(field, rule)))
            .ok()
    }
}

impl TryFrom<String> for CertificationDate {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        Self::parse(&value)
    }
}

impl From<CertificationDate> for String {
    fn from(date: CertificationDate) -> String {
        date.0.format(CertificationDate::FORMAT).to_string()
    }
}

/// What a conformance certification says, whoever holds it: the profile
/// certified, its dates, its evidence and its status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Certified {
    pub certification_expiration_date: Option<CertificationDate>,
    pub certification_start_date: Option<CertificationDate>,
    #[serde(rename = "CertificationURI")]
    pub certification_uri: Option<String>,
    pub profile_type: Option<String>,
    pub profile_variant: String,
    pub profile_version: f64,
    pub status: CertificationStatus,
}

/// A conformance certification an authorisation server holds (the spec's
/// AuthorisationServerCertification).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ServerCertification {
    pub authorisation_server_id: AuthorisationServerId,
    pub certification_id: CertificationId,
    #[serde(flatten)]
    pub certified: Certified,
}

/// A conformance certification a software statement holds (the spec's
/// SoftwareStatementCertification).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StatementCertification {
    pub software_statement_id: SoftwareStatementId,
    pub certification_id: StatementCertificationId,
    #[serde(flatten)]
    pub certified: Certified,
}

/// The body of a POST or PUT of a certification (the spec's
/// AuthorisationServerCertificationRequest, plus the expiration date the
/// record carries).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ServerCertificationRequest {
    pub certification_start_date: Option<String>,
    pub certification_expiration_date: Option<String>,
    #[serde(rename = "CertificationURI")]
    pub certification_uri: Option<String>,
    pub profile_type: Option<String>,
    pub profile_variant: Option<String>,
    pub profile_version: Option<f64>,
    pub status: Option<String>,
}

/// An https URI of at most 500 characters, as the spec's ApiCertificationUri.
pub(crate) fn certification_uri(
    r: &mut Rules,
    field: &str,
    value: Option<String>,
) -> Option<String> {
    r.https_uri(field, value, 500)
}

impl Certified {
    /// A certification's fields from a request (the spec's
    /// AuthorisationServerCertificationRequest, which the statement's
    /// request copies).
    pub fn from_request(req: ServerCertificationRequest) -> Result<Certified, Vec<DomainError>> {
        let mut r = Rules::default();
        let certification_start_date = CertificationDate::from_request(
            &mut r,
            "CertificationStartDate",
            req.certification_start_date,
        );
        let certification_expiration_date = CertificationDate::from_request(
            &mut r,
            "CertificationExpirationDate",
            req.certification_expiration_date,
        );
        if let (Some(start), Some(end)) = (certification_start_date, certification_expiration_date)
            && end < start
        {
            r.broken(DomainError::field(
                "CertificationExpirationDate",
                "must not be before CertificationStartDate",
            ));
        }
        let certification_uri =
            certification_uri(&mut r, "CertificationURI", req.certification_uri);
        let profile_type = r.text("ProfileType", req.profile_type, 1, 255);
        let variant = r.present(
            "ProfileVariant",
            req.profile_variant,
            "Certification needs to have a variant",
        );
        let profile_variant = r
            .text("ProfileVariant", variant, 1, 255)
            .unwrap_or_default();
        let profile_version = r
            .present(
                "ProfileVersion",
                req.profile_version,
                "Version must be provided",
            )
            .unwrap_or(0.0);
        let status = CertificationStatus::from_request(&mut r, "Status", req.status);
        r.finish(Some(Certified {
            certification_expiration_date,
            certification_start_date,
            certification_uri,
            profile_type,
            profile_variant,
            profile_version,
            status,
        }))
    }
}

impl ServerCertification {
    pub fn from_request(
        req: ServerCertificationRequest,
        server: &AuthorisationServerId,
        id: CertificationId,
    ) -> Result<ServerCertification, Vec<DomainError>> {
        Ok(ServerCertification {
            authorisation_server_id: server.clone(),
            certification_id: id,
            certified: Certified::from_request(req)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_a_real_day_written_dd_mm_yyyy() {
        let date = CertificationDate::parse("31/12/2021").unwrap();
        assert_eq!(String::from(date), "31/12/2021");
        for bad in [
            "2021-12-31",
            "31/12/1999",
            "32/01/2021",
            "29/02/2021",
            "1/1/2021",
            "31/12/20211",
        ] {
            assert!(CertificationDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_status_is_one_of_the_spec_names_and_defaults_to_awaiting() {
        let mut r = Rules::default();
        assert_eq!(
            CertificationStatus::from_request(&mut r, "Status", Some("Self-Certified".into())),
            CertificationStatus::SelfCertified
        );
        assert_eq!(
            CertificationStatus::from_request(&mut r, "Status", None),
            CertificationStatus::AwaitingCertification
        );
        assert!(r.finish(Some(())).is_ok());
        let mut r = Rules::default();
        CertificationStatus::from_request(&mut r, "Status", Some("certified".into()));
        let errors = r.finish(Some(())).unwrap_err();
        assert_eq!(errors[0].field, "Status");
        assert_eq!(
            serde_json::to_string(&CertificationStatus::AwaitingCertification).unwrap(),
            "\"Awaiting Certification\""
        );
    }

    #[test]
    fn a_certification_needs_a_variant_and_a_version_and_an_https_uri() {
        let server = AuthorisationServerId::parse("as-1").unwrap();
        let id = CertificationId::parse("c-1").unwrap();
        let req = ServerCertificationRequest {
            certification_uri: Some("http://conformance.example/pkg.zip".into()),
            certification_start_date: Some("01/06/2026".into()),
            certification_expiration_date: Some("01/01/2026".into()),
            ..Default::default()
        };
        let errors = ServerCertification::from_request(req, &server, id.clone()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "CertificationExpirationDate",
                "CertificationURI",
                "ProfileVariant",
                "ProfileVersion"
            ]
        );
        let req = ServerCertificationRequest {
            profile_variant: Some("FAPI Adv. OP w/ MTLS".into()),
            profile_version: Some(1.0),
            ..Default::default()
        };
        let made = ServerCertification::from_request(req, &server, id).unwrap();
        assert_eq!(
            made.certified.status,
            CertificationStatus::AwaitingCertification
        );
    }
}
