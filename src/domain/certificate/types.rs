//! The certificate and key types, and everything that differs between them,
//! in one table: adding a type is one row (and, for a signed type, its
//! profile in pki).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::naming::SubjectNaming;
use crate::domain::DomainError;

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

/// Who holds a type: a software statement, or the organisation itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Statement,
    Organisation,
}

/// The profile the directory's CA issues a type's CSR under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuedAs {
    /// A TLS client certificate (rtstransport and its organisation forms).
    Transport,
    /// A signing certificate: digital signature and non-repudiation.
    Signing,
    /// The Open Finance Brasil client certificate (BRCAC).
    BrazilClient,
}

/// One type's rules.
#[derive(Debug)]
pub struct TypeRule {
    pub key_type: CertOrKeyType,
    /// The API's name for it.
    pub name: &'static str,
    pub holder: Holder,
    /// What an upload's body holds.
    pub intake: UploadBody,
    /// The profile a CSR is issued under; None for types not signed here.
    pub issued_as: Option<IssuedAs>,
    /// The JWK `use` its key is published with.
    pub key_use: KeyUse,
    /// Curves an EC key may use; empty means RSA only.
    pub curves: &'static [Curve],
    /// How the subject must name the statement or organisation.
    pub naming: SubjectNaming,
    /// Over mutual TLS, a certificate of this type stands for its statement.
    pub transport_client: bool,
}

const SIGNING_CURVES: &[Curve] = &[Curve::P256, Curve::P384];
const JWK_CURVES: &[Curve] = &[Curve::P256, Curve::P384, Curve::P521];

/// Every type, in the order of `CertOrKeyType`: software statement types
/// (the API's `SoftwareStatementCertificateOrKeyType`), then organisation
/// types (`OrganisationCertificateType`).
const TYPE_RULES: [TypeRule; 14] = {
    use CertOrKeyType as T;
    use Holder::{Organisation, Statement};
    use IssuedAs::{BrazilClient, Signing, Transport};
    use UploadBody::{Certificate, Csr, PublicKey};
    [
        TypeRule {
            key_type: T::Rtstransport,
            name: "rtstransport",
            holder: Statement,
            intake: Csr,
            issued_as: Some(Transport),
            key_use: KeyUse::Tls,
            curves: &[],
            naming: SubjectNaming::Obie,
            transport_client: true,
        },
        TypeRule {
            key_type: T::Rtssigning,
            name: "rtssigning",
            holder: Statement,
            intake: Csr,
            issued_as: Some(Signing),
            key_use: KeyUse::Sig,
            curves: SIGNING_CURVES,
            naming: SubjectNaming::Obie,
            transport_client: false,
        },
        TypeRule {
            key_type: T::Sigkey,
            name: "sigkey",
            holder: Statement,
            intake: PublicKey,
            issued_as: None,
            key_use: KeyUse::Sig,
            curves: JWK_CURVES,
            naming: SubjectNaming::None,
            transport_client: false,
        },
        TypeRule {
            key_type: T::Enckey,
            name: "enckey",
            holder: Statement,
            intake: PublicKey,
            issued_as: None,
            key_use: KeyUse::Enc,
            curves: JWK_CURVES,
            naming: SubjectNaming::None,
            transport_client: false,
        },
        TypeRule {
            key_type: T::Brcac,
            name: "brcac",
            holder: Statement,
            intake: Csr,
            issued_as: Some(BrazilClient),
            key_use: KeyUse::Tls,
            curves: &[],
            naming: SubjectNaming::BrazilOrUnit,
            transport_client: true,
        },
        TypeRule {
            key_type: T::BrcacExt,
            name: "brcac_ext",
            holder: Statement,
            intake: Certificate,
            issued_as: None,
            key_use: KeyUse::Tls,
            curves: &[],
            naming: SubjectNaming::BrazilOrUnit,
            transport_client: false,
        },
        TypeRule {
            key_type: T::Brcac2022,
            name: "brcac_2022",
            holder: Statement,
            intake: Csr,
            issued_as: Some(BrazilClient),
            key_use: KeyUse::Tls,
            curves: &[],
            naming: SubjectNaming::Brazil,
            transport_client: true,
        },
        // eIDAS certificates carry the regulator's id, not the directory's.
        TypeRule {
            key_type: T::Qwac,
            name: "qwac",
            holder: Organisation,
            intake: Certificate,
            issued_as: None,
            key_use: KeyUse::Tls,
            curves: SIGNING_CURVES,
            naming: SubjectNaming::None,
            transport_client: false,
        },
        TypeRule {
            key_type: T::Qseal,
            name: "qseal",
            holder: Organisation,
            intake: Certificate,
            issued_as: None,
            key_use: KeyUse::Sig,
            curves: SIGNING_CURVES,
            naming: SubjectNaming::None,
            transport_client: false,
        },
        TypeRule {
            key_type: T::Rtswac,
            name: "rtswac",
            holder: Organisation,
            intake: Csr,
            issued_as: Some(Transport),
            key_use: KeyUse::Tls,
            curves: &[],
            naming: SubjectNaming::ObieOrganisation,
            transport_client: false,
        },
        TypeRule {
            key_type: T::Rtsseal,
            name: "rtsseal",
            holder: Organisation,
            intake: Csr,
            issued_as: Some(Signing),
            key_use: KeyUse::Sig,
            curves: SIGNING_CURVES,
            naming: SubjectNaming::ObieOrganisation,
            transport_client: false,
        },
        TypeRule {
            key_type: T::Brseal,
            name: "brseal",
            holder: Organisation,
            intake: Csr,
            issued_as: Some(Signing),
            key_use: KeyUse::Sig,
            curves: &[],
            naming: SubjectNaming::BrazilOrganisation,
            transport_client: false,
        },
        TypeRule {
            key_type: T::BrsealExt,
            name: "brseal_ext",
            holder: Organisation,
            intake: Certificate,
            issued_as: None,
            key_use: KeyUse::Sig,
            curves: &[],
            naming: SubjectNaming::BrazilOrganisation,
            transport_client: false,
        },
        TypeRule {
            key_type: T::RtstransportRs,
            name: "rtstransport_rs",
            holder: Organisation,
            intake: Csr,
            issued_as: Some(Transport),
            key_use: KeyUse::Tls,
            curves: &[],
            naming: SubjectNaming::ObieOrganisation,
            transport_client: false,
        },
    ]
};

impl CertOrKeyType {
    pub const STATEMENT_FIELD: &'static str = "SoftwareStatementCertificateOrKeyType";
    pub const ORGANISATION_FIELD: &'static str = "OrganisationCertificateType";

    /// This type's row of the table.
    pub fn rule(self) -> &'static TypeRule {
        &TYPE_RULES[self as usize]
    }

    /// Every type, statement types first.
    pub fn all() -> impl Iterator<Item = CertOrKeyType> {
        TYPE_RULES.iter().map(|rule| rule.key_type)
    }

    /// The type an upload with none in its path gets: the API's defaults.
    pub fn default_upload(holder: Holder) -> CertOrKeyType {
        match holder {
            Holder::Statement => Self::Rtssigning,
            Holder::Organisation => Self::Rtsseal,
        }
    }

    /// The types `holder` can hold, in the API's order.
    pub fn held_by(holder: Holder) -> Vec<CertOrKeyType> {
        TYPE_RULES
            .iter()
            .filter(|rule| rule.holder == holder)
            .map(|rule| rule.key_type)
            .collect()
    }

    /// A type a software statement can hold.
    pub fn parse_statement_type(value: &str) -> Result<Self, DomainError> {
        Self::parse_among(value, Holder::Statement, Self::STATEMENT_FIELD)
    }

    /// A type an organisation itself can hold.
    pub fn parse_organisation_type(value: &str) -> Result<Self, DomainError> {
        Self::parse_among(value, Holder::Organisation, Self::ORGANISATION_FIELD)
    }

    fn parse_among(value: &str, holder: Holder, field: &str) -> Result<Self, DomainError> {
        let types = Self::held_by(holder);
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
        self.rule().name
    }

    pub fn is_organisation_level(self) -> bool {
        self.rule().holder == Holder::Organisation
    }

    pub fn upload_body(self) -> UploadBody {
        self.rule().intake
    }

    pub fn key_use(self) -> KeyUse {
        self.rule().key_use
    }

    /// Curves an EC key may use for this type; empty means RSA only.
    pub fn allowed_curves(self) -> &'static [Curve] {
        self.rule().curves
    }

    /// How the subject must name the software statement or organisation.
    pub fn subject_naming(self) -> SubjectNaming {
        self.rule().naming
    }
}

impl fmt::Display for CertOrKeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_through_its_name() {
        for t in CertOrKeyType::held_by(Holder::Statement) {
            assert_eq!(CertOrKeyType::parse_statement_type(t.as_str()).unwrap(), t);
            assert!(!t.is_organisation_level());
        }
        for t in CertOrKeyType::held_by(Holder::Organisation) {
            assert_eq!(
                CertOrKeyType::parse_organisation_type(t.as_str()).unwrap(),
                t
            );
            assert!(t.is_organisation_level());
        }
        for t in CertOrKeyType::all() {
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
    fn uses_follow_the_types() {
        assert_eq!(CertOrKeyType::Rtstransport.key_use(), KeyUse::Tls);
        assert_eq!(CertOrKeyType::Brcac2022.key_use(), KeyUse::Tls);
        assert_eq!(CertOrKeyType::Rtssigning.key_use(), KeyUse::Sig);
        assert_eq!(CertOrKeyType::Sigkey.key_use(), KeyUse::Sig);
        assert_eq!(CertOrKeyType::Enckey.key_use(), KeyUse::Enc);
    }

    #[test]
    fn each_row_sits_at_its_types_place_and_says_one_consistent_thing() {
        assert_eq!(CertOrKeyType::all().count(), TYPE_RULES.len());
        for (i, rule) in TYPE_RULES.iter().enumerate() {
            assert_eq!(rule.key_type as usize, i, "{}", rule.name);
            // Only a CSR is issued under a profile, and every CSR is.
            assert_eq!(
                rule.issued_as.is_some(),
                rule.intake == UploadBody::Csr,
                "{}",
                rule.name
            );
            // Bare keys name nobody; a transport client certificate is a
            // statement's TLS certificate.
            if rule.intake == UploadBody::PublicKey {
                assert_eq!(rule.naming, SubjectNaming::None, "{}", rule.name);
            }
            if rule.transport_client {
                assert_eq!(rule.holder, Holder::Statement, "{}", rule.name);
                assert_eq!(rule.key_use, KeyUse::Tls, "{}", rule.name);
            }
        }
        let statement: Vec<&str> = CertOrKeyType::held_by(Holder::Statement)
            .into_iter()
            .map(CertOrKeyType::as_str)
            .collect();
        assert_eq!(
            statement,
            [
                "rtstransport",
                "rtssigning",
                "sigkey",
                "enckey",
                "brcac",
                "brcac_ext",
                "brcac_2022"
            ]
        );
    }
}
