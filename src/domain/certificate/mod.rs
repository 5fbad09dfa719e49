//! What the directory holds on a software statement or an organisation:
//! certificates and bare public keys, each published as a JWK. The types and
//! their rules are in `types`, the subject naming rules in `naming`.

mod naming;
mod types;

pub use naming::{
    BUSINESS_CATEGORIES, CertificateOwner, ICP_BRASIL_CNPJ_OID, SubjectAttributes, SubjectNaming,
    brazil_organisation_identifier, cnpj,
};
pub use types::{
    CertOrKeyType, Curve, Holder, IssuedAs, KeyUse, MIN_RSA_BITS, TypeRule, UploadBody,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{DomainError, Kid, OrganisationId, SoftwareStatementId};

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
}
