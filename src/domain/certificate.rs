//! What the directory holds on a software statement: certificates and bare
//! public keys, each published as a JWK.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{DomainError, Kid, OrganisationId, SoftwareStatementId};

/// `SoftwareStatementCertificateOrKeyType` from the directory API.
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
    pub const FIELD: &'static str = "SoftwareStatementCertificateOrKeyType";
    pub const ALL: [CertOrKeyType; 7] = [
        Self::Rtstransport,
        Self::Rtssigning,
        Self::Sigkey,
        Self::Enckey,
        Self::Brcac,
        Self::BrcacExt,
        Self::Brcac2022,
    ];

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == value)
            .ok_or_else(|| {
                let allowed: Vec<&str> = Self::ALL.iter().map(|t| t.as_str()).collect();
                DomainError::field(
                    Self::FIELD,
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
        }
    }

    pub fn upload_body(self) -> UploadBody {
        match self {
            Self::Rtstransport | Self::Rtssigning | Self::Brcac | Self::Brcac2022 => {
                UploadBody::Csr
            }
            Self::BrcacExt => UploadBody::Certificate,
            Self::Sigkey | Self::Enckey => UploadBody::PublicKey,
        }
    }

    pub fn key_use(self) -> KeyUse {
        match self {
            Self::Rtstransport | Self::Brcac | Self::BrcacExt | Self::Brcac2022 => KeyUse::Tls,
            Self::Rtssigning | Self::Sigkey => KeyUse::Sig,
            Self::Enckey => KeyUse::Enc,
        }
    }

    /// Curves an EC key may use for this type; empty means RSA only.
    pub fn allowed_curves(self) -> &'static [Curve] {
        match self {
            Self::Rtssigning => &[Curve::P256, Curve::P384],
            Self::Sigkey | Self::Enckey => &[Curve::P256, Curve::P384, Curve::P521],
            _ => &[],
        }
    }

    /// How the CSR subject must name the software statement and organisation.
    pub fn subject_naming(self) -> SubjectNaming {
        match self {
            Self::Rtstransport | Self::Rtssigning => SubjectNaming::Obie,
            Self::Brcac | Self::BrcacExt => SubjectNaming::BrazilOrUnit,
            Self::Brcac2022 => SubjectNaming::Brazil,
            Self::Sigkey | Self::Enckey => SubjectNaming::None,
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

/// A certificate or key held on a software statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateOrKey {
    pub organisation_id: OrganisationId,
    pub software_statement_id: SoftwareStatementId,
    pub client_name: String,
    pub key_type: CertOrKeyType,
    pub status: RecordStatus,
    pub valid_from: DateTime<Utc>,
    /// None for bare keys, which do not expire.
    pub expiry: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
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
    pub fn is_active(&self) -> bool {
        self.status == RecordStatus::Active
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
                &self.software_statement_id,
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
        for t in CertOrKeyType::ALL {
            assert_eq!(CertOrKeyType::parse(t.as_str()).unwrap(), t);
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
    }

    #[test]
    fn an_unknown_type_names_the_allowed_ones() {
        let err = CertOrKeyType::parse("qwac").unwrap_err().to_string();
        assert!(
            err.contains("rtstransport, rtssigning, sigkey, enckey, brcac, brcac_ext, brcac_2022")
        );
        assert!(err.contains("'qwac'"));
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
    pub fn check(
        self,
        subject: &SubjectAttributes,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
    ) -> Result<(), DomainError> {
        let org_identifier = brazil_organisation_identifier(org);
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
                expect_attribute("CN", &subject.common_name, ss.as_str(), statement)?;
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
                    ss.as_str(),
                    statement,
                )?;
                brazil_org()
            }
            Self::BrazilOrUnit => {
                expect_attribute(
                    "UID (0.9.2342.19200300.100.1.1)",
                    &subject.uid,
                    ss.as_str(),
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
        assert!(SubjectNaming::Obie.check(&good, &org, &ss).is_ok());
        let wrong_cn = SubjectAttributes {
            common_name: Some("abc".into()),
            ..good.clone()
        };
        let err = SubjectNaming::Obie
            .check(&wrong_cn, &org, &ss)
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
                .check(&legacy, &org, &ss)
                .is_ok()
        );
        assert!(SubjectNaming::Brazil.check(&legacy, &org, &ss).is_err());
        let modern = SubjectAttributes {
            uid: Some("ss-1".into()),
            organisation_identifier: Some("OFBBR-org-1".into()),
            ..Default::default()
        };
        assert!(SubjectNaming::Brazil.check(&modern, &org, &ss).is_ok());
        assert!(
            SubjectNaming::BrazilOrUnit
                .check(&modern, &org, &ss)
                .is_ok()
        );
    }
}
