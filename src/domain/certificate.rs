//! What the directory holds on a software statement or an organisation:
//! certificates and bare public keys, each published as a JWK.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{DomainError, Kid, OrganisationId, SoftwareStatementId};

/// The directory API's `SoftwareStatementCertificateOrKeyType` (the first
/// seven) and `OrganisationCertificateType` (the rest) in one enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertOrKeyType {
    Rtstransport,
    Rtssigning,
    Sigkey,
    Enckey,
    Brcac,
    BrcacExt,
    #[serde(rename = "brcac_2022")]
    Brcac2022,
    Qwac,
    Qseal,
    Rtswac,
    Rtsseal,
    Brseal,
    BrsealExt,
    RtstransportRs,
}

/// What the body of an upload must contain for a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadBody {
    /// A PKCS#10 request that the directory's CA signs.
    Csr,
    /// A certificate issued elsewhere, stored as is.
    Certificate,
    /// A bare public key, published as a JWK.
    PublicKey,
}

/// The JWK `use` a type publishes its key with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyUse {
    Tls,
    Sig,
    Enc,
}

/// Elliptic curves a key may be on, named as in JWK `crv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Curve {
    #[serde(rename = "P-256")]
    P256,
    #[serde(rename = "P-384")]
    P384,
    #[serde(rename = "P-521")]
    P521,
}

/// The smallest RSA modulus any type accepts (Open Finance Brasil and OBIE both say 2048).
pub const MIN_RSA_BITS: u32 = 2048;

impl CertOrKeyType {
    pub const STATEMENT_FIELD: &'static str = "SoftwareStatementCertificateOrKeyType";
    pub const ORGANISATION_FIELD: &'static str = "OrganisationCertificateType";
    pub const STATEMENT_TYPES: [CertOrKeyType; 7] = [
        Self::Rtstransport,
        Self::Rtssigning,
        Self::Sigkey,
        Self::Enckey,
        Self::Brcac,
        Self::BrcacExt,
        Self::Brcac2022,
    ];
    pub const ORGANISATION_TYPES: [CertOrKeyType; 7] = [
        Self::Qwac,
        Self::Qseal,
        Self::Rtswac,
        Self::Rtsseal,
        Self::Brseal,
        Self::BrsealExt,
        Self::RtstransportRs,
    ];

    /// A type a software statement can hold.
    pub fn parse_statement_type(value: &str) -> Result<Self, DomainError> {
        Self::parse_among(value, &Self::STATEMENT_TYPES, Self::STATEMENT_FIELD)
    }

    /// A type an organisation itself can hold.
    pub fn parse_organisation_type(value: &str) -> Result<Self, DomainError> {
        Self::parse_among(value, &Self::ORGANISATION_TYPES, Self::ORGANISATION_FIELD)
    }

    fn parse_among(value: &str, types: &[Self], field: &str) -> Result<Self, DomainError> {
        types
            .iter()
            .copied()
            .find(|t| t.as_str() == value)
            .ok_or_else(|| {
                let allowed: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
                DomainError::field(
                    field,
                    format!("must be one of {}, got '{value}'", allowed.join(", ")),
                )
            })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rtstransport => "rtstransport",
            Self::Rtssigning => "rtssigning",
            Self::Sigkey => "sigkey",
            Self::Enckey => "enckey",
            Self::Brcac => "brcac",
            Self::BrcacExt => "brcac_ext",
            Self::Brcac2022 => "brcac_2022",
            Self::Qwac => "qwac",
            Self::Qseal => "qseal",
            Self::Rtswac => "rtswac",
            Self::Rtsseal => "rtsseal",
            Self::Brseal => "brseal",
            Self::BrsealExt => "brseal_ext",
            Self::RtstransportRs => "rtstransport_rs",
        }
    }

    pub fn is_organisation_level(self) -> bool {
        Self::ORGANISATION_TYPES.contains(&self)
    }

    pub fn upload_body(self) -> UploadBody {
        match self {
            Self::Rtstransport
            | Self::Rtssigning
            | Self::Brcac
            | Self::Brcac2022
            | Self::Rtswac
            | Self::Rtsseal
            | Self::Brseal
            | Self::RtstransportRs => UploadBody::Csr,
            Self::BrcacExt | Self::Qwac | Self::Qseal | Self::BrsealExt => UploadBody::Certificate,
            Self::Sigkey | Self::Enckey => UploadBody::PublicKey,
        }
    }

    pub fn key_use(self) -> KeyUse {
        match self {
            Self::Rtstransport
            | Self::Brcac
            | Self::BrcacExt
            | Self::Brcac2022
            | Self::Qwac
            | Self::Rtswac
            | Self::RtstransportRs => KeyUse::Tls,
            Self::Rtssigning
            | Self::Sigkey
            | Self::Qseal
            | Self::Rtsseal
            | Self::Brseal
            | Self::BrsealExt => KeyUse::Sig,
            Self::Enckey => KeyUse::Enc,
        }
    }

    /// Curves an EC key may use for this type; empty means RSA only.
    pub fn allowed_curves(self) -> &'static [Curve] {
        match self {
            Self::Rtssigning | Self::Rtsseal | Self::Qwac | Self::Qseal => {
                &[Curve::P256, Curve::P384]
            }
            Self::Sigkey | Self::Enckey => &[Curve::P256, Curve::P384, Curve::P521],
            _ => &[],
        }
    }

    /// How the subject must name the software statement or organisation.
    pub fn subject_naming(self) -> SubjectNaming {
        match self {
            Self::Rtstransport | Self::Rtssigning => SubjectNaming::Obie,
            Self::Brcac | Self::BrcacExt => SubjectNaming::BrazilOrUnit,
            Self::Brcac2022 => SubjectNaming::Brazil,
            Self::Rtswac | Self::Rtsseal | Self::RtstransportRs => SubjectNaming::ObieOrganisation,
            Self::Brseal | Self::BrsealExt => SubjectNaming::BrazilOrganisation,
            // eIDAS certificates carry the regulator's id, not the directory's.
            Self::Sigkey | Self::Enckey | Self::Qwac | Self::Qseal => SubjectNaming::None,
        }
    }
}

impl fmt::Display for CertOrKeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The subject attributes that tie a certificate to its software statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectNaming {
    /// OBIE: CN = SoftwareStatementId, OU = OrganisationId.
    Obie,
    /// Open Finance Brasil: UID = SoftwareStatementId,
    /// organizationIdentifier = `OFBBR-<OrganisationId>`.
    Brazil,
    /// As `Brazil`, but certificates issued before the 2022 standard carried
    /// the organisation in OU instead, and that is still accepted.
    BrazilOrUnit,
    /// Organisation-level OBIE certificates: OU = OrganisationId.
    ObieOrganisation,
    /// Open Finance Brasil signature certificate (BRSEAL): UID = OrganisationId
    /// (the participant code), per the certificate standard.
    BrazilOrganisation,
    None,
}

/// The organizationIdentifier Open Finance Brasil certificates carry.
pub fn brazil_organisation_identifier(org: &OrganisationId) -> String {
    format!("OFBBR-{org}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordStatus {
    Active,
    Revoked,
}

/// The public half of a key, as JWK members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kty")]
pub enum PublicJwk {
    #[serde(rename = "RSA")]
    Rsa { n: String, e: String },
    #[serde(rename = "EC")]
    Ec { crv: Curve, x: String, y: String },
}

/// Why a certificate or key was revoked: the directory API's RevokeReason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RevokeReason {
    Unspecified,
    KeyCompromise,
    Superseded,
    CessationOfOperation,
    PrivilegeWithdrawn,
}

impl RevokeReason {
    pub const FIELD: &'static str = "RevokeReason";
    pub const ALL: [RevokeReason; 5] = [
        Self::Unspecified,
        Self::KeyCompromise,
        Self::Superseded,
        Self::CessationOfOperation,
        Self::PrivilegeWithdrawn,
    ];

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == value)
            .ok_or_else(|| {
                let allowed: Vec<&str> = Self::ALL.iter().map(|r| r.as_str()).collect();
                DomainError::field(
                    Self::FIELD,
                    format!("must be one of {}, got '{value}'", allowed.join(", ")),
                )
            })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::KeyCompromise => "keycompromise",
            Self::Superseded => "superseded",
            Self::CessationOfOperation => "cessationofoperation",
            Self::PrivilegeWithdrawn => "privilegewithdrawn",
        }
    }

    /// The RFC 5280 CRLReason code, for CRLs and OCSP.
    pub fn crl_reason_code(self) -> u8 {
        match self {
            Self::Unspecified => 0,
            Self::KeyCompromise => 1,
            Self::Superseded => 4,
            Self::CessationOfOperation => 5,
            Self::PrivilegeWithdrawn => 9,
        }
    }
}

/// A certificate or key held on a software statement, or on the organisation
/// itself when `software_statement_id` is None.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateOrKey {
    pub organisation_id: OrganisationId,
    pub software_statement_id: Option<SoftwareStatementId>,
    pub client_name: String,
    pub key_type: CertOrKeyType,
    pub status: RecordStatus,
    pub valid_from: DateTime<Utc>,
    /// None for bare keys, which do not expire.
    pub expiry: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub revoke_reason: Option<RevokeReason>,
    /// The issuing CA that signed it, for a certificate the directory issued.
    #[serde(default)]
    pub issuer_id: Option<String>,
    pub kid: Kid,
    pub jwk: PublicJwk,
    /// Certificate chain, leaf first, as standard base64 DER; empty for bare keys.
    pub x5c: Vec<String>,
    /// base64url SHA-1 and SHA-256 of the leaf DER; None for bare keys.
    pub x5t: Option<String>,
    pub x5t_s256: Option<String>,
    /// Hex serial of a certificate the directory's CA issued.
    pub serial: Option<String>,
    /// Hex SHA-256 of the SubjectPublicKeyInfo DER: the same key under any wrapping.
    pub spki_sha256: String,
}

impl CertificateOrKey {
    /// Published in the active key sets: not revoked, and not past its expiry.
    pub fn is_active_at(&self, now: DateTime<Utc>) -> bool {
        self.status == RecordStatus::Active && self.expiry.is_none_or(|expiry| expiry > now)
    }

    pub fn is_revoked(&self) -> bool {
        self.status == RecordStatus::Revoked
    }

    pub fn is_certificate(&self) -> bool {
        !self.x5c.is_empty()
    }

    pub fn key_use(&self) -> KeyUse {
        self.key_type.key_use()
    }

    /// Where the keystore serves this record's certificate (x5u,
    /// SignedCertPath); None for a bare key, which has none.
    pub fn certificate_url(&self, urls: &super::PublicUrls) -> Option<String> {
        self.is_certificate().then(|| {
            urls.certificate_pem(
                &self.organisation_id,
                self.software_statement_id.as_ref(),
                &self.kid,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_through_its_name() {
        for t in CertOrKeyType::STATEMENT_TYPES {
            assert_eq!(CertOrKeyType::parse_statement_type(t.as_str()).unwrap(), t);
            assert!(!t.is_organisation_level());
        }
        for t in CertOrKeyType::ORGANISATION_TYPES {
            assert_eq!(
                CertOrKeyType::parse_organisation_type(t.as_str()).unwrap(),
                t
            );
            assert!(t.is_organisation_level());
        }
        for t in CertOrKeyType::STATEMENT_TYPES
            .into_iter()
            .chain(CertOrKeyType::ORGANISATION_TYPES)
        {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
    }

    #[test]
    fn an_unknown_type_names_the_allowed_ones() {
        let err = CertOrKeyType::parse_statement_type("qwac")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("rtstransport, rtssigning, sigkey, enckey, brcac, brcac_ext, brcac_2022")
        );
        assert!(err.contains("'qwac'"));
        let err = CertOrKeyType::parse_organisation_type("sigkey")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("OrganisationCertificateType: must be one of qwac, qseal"),
            "{err}"
        );
    }

    #[test]
    fn revoke_reasons_round_trip_and_map_to_crl_codes() {
        for reason in RevokeReason::ALL {
            assert_eq!(RevokeReason::parse(reason.as_str()).unwrap(), reason);
            let json = serde_json::to_string(&reason).unwrap();
            assert_eq!(json, format!("\"{}\"", reason.as_str()));
        }
        assert_eq!(RevokeReason::KeyCompromise.crl_reason_code(), 1);
        let err = RevokeReason::parse("lost").unwrap_err().to_string();
        assert!(err.contains(
            "unspecified, keycompromise, superseded, cessationofoperation, privilegewithdrawn"
        ));
    }

    #[test]
    fn uses_follow_the_types() {
        assert_eq!(CertOrKeyType::Rtstransport.key_use(), KeyUse::Tls);
        assert_eq!(CertOrKeyType::Brcac2022.key_use(), KeyUse::Tls);
        assert_eq!(CertOrKeyType::Rtssigning.key_use(), KeyUse::Sig);
        assert_eq!(CertOrKeyType::Sigkey.key_use(), KeyUse::Sig);
        assert_eq!(CertOrKeyType::Enckey.key_use(), KeyUse::Enc);
    }
}

/// The subject attributes that can name a software statement and its organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectAttributes {
    pub common_name: Option<String>,
    pub organisational_unit: Option<String>,
    pub uid: Option<String>,
    pub organisation_identifier: Option<String>,
}

fn expect_attribute(
    name: &str,
    value: &Option<String>,
    expected: &str,
    what: &str,
) -> Result<(), DomainError> {
    match value {
        Some(v) if v == expected => Ok(()),
        Some(v) => Err(DomainError::field(
            name,
            format!("is '{v}' but the {what} is '{expected}'"),
        )),
        None => Err(DomainError::field(
            name,
            format!("is missing; expected the {what} '{expected}'"),
        )),
    }
}

impl SubjectNaming {
    /// `ss` is None for organisation-level certificates.
    pub fn check(
        self,
        subject: &SubjectAttributes,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
    ) -> Result<(), DomainError> {
        let org_identifier = brazil_organisation_identifier(org);
        let ss = ss.map(SoftwareStatementId::as_str).unwrap_or_default();
        let statement = "software statement";
        let brazil_org = || {
            expect_attribute(
                "organizationIdentifier (2.5.4.97)",
                &subject.organisation_identifier,
                &org_identifier,
                "organisation's participant code",
            )
        };
        match self {
            Self::None => Ok(()),
            Self::Obie => {
                expect_attribute("CN", &subject.common_name, ss, statement)?;
                expect_attribute(
                    "OU",
                    &subject.organisational_unit,
                    org.as_str(),
                    "organisation",
                )
            }
            Self::Brazil => {
                expect_attribute(
                    "UID (0.9.2342.19200300.100.1.1)",
                    &subject.uid,
                    ss,
                    statement,
                )?;
                brazil_org()
            }
            Self::ObieOrganisation => expect_attribute(
                "OU",
                &subject.organisational_unit,
                org.as_str(),
                "organisation",
            ),
            Self::BrazilOrganisation => expect_attribute(
                "UID (0.9.2342.19200300.100.1.1)",
                &subject.uid,
                org.as_str(),
                "organisation's participant code",
            ),
            Self::BrazilOrUnit => {
                expect_attribute(
                    "UID (0.9.2342.19200300.100.1.1)",
                    &subject.uid,
                    ss,
                    statement,
                )?;
                if subject.organisation_identifier.is_none()
                    && subject.organisational_unit.as_deref() == Some(org.as_str())
                {
                    return Ok(());
                }
                brazil_org()
            }
        }
    }
}

#[cfg(test)]
mod naming_tests {
    use super::*;

    fn ids() -> (OrganisationId, SoftwareStatementId) {
        (
            OrganisationId::parse("org-1").unwrap(),
            SoftwareStatementId::parse("ss-1").unwrap(),
        )
    }

    #[test]
    fn obie_naming_wants_cn_and_ou() {
        let (org, ss) = ids();
        let good = SubjectAttributes {
            common_name: Some("ss-1".into()),
            organisational_unit: Some("org-1".into()),
            ..Default::default()
        };
        assert!(SubjectNaming::Obie.check(&good, &org, Some(&ss)).is_ok());
        let wrong_cn = SubjectAttributes {
            common_name: Some("abc".into()),
            ..good.clone()
        };
        let err = SubjectNaming::Obie
            .check(&wrong_cn, &org, Some(&ss))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "CN: is 'abc' but the software statement is 'ss-1'");
    }

    #[test]
    fn brcac_accepts_ou_where_brcac_2022_wants_the_organisation_identifier() {
        let (org, ss) = ids();
        let legacy = SubjectAttributes {
            uid: Some("ss-1".into()),
            organisational_unit: Some("org-1".into()),
            ..Default::default()
        };
        assert!(
            SubjectNaming::BrazilOrUnit
                .check(&legacy, &org, Some(&ss))
                .is_ok()
        );
        assert!(
            SubjectNaming::Brazil
                .check(&legacy, &org, Some(&ss))
                .is_err()
        );
        let modern = SubjectAttributes {
            uid: Some("ss-1".into()),
            organisation_identifier: Some("OFBBR-org-1".into()),
            ..Default::default()
        };
        assert!(
            SubjectNaming::Brazil
                .check(&modern, &org, Some(&ss))
                .is_ok()
        );
        assert!(
            SubjectNaming::BrazilOrUnit
                .check(&modern, &org, Some(&ss))
                .is_ok()
        );
    }
}
