//! The directory's own certificate authority, as it is kept on disk.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Private key bytes (base64 PKCS#8 DER). Never printed: Debug shows nothing.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PrivateKeyMaterial(String);

impl PrivateKeyMaterial {
    pub fn new(base64_pkcs8: String) -> Self {
        Self(base64_pkcs8)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PrivateKeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKeyMaterial([redacted])")
    }
}

/// A trust anchor of the ecosystem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RootCaRecord {
    pub id: String,
    pub created: DateTime<Utc>,
    /// Only active roots sign; the newest activated one signs new issuing CAs.
    pub active: bool,
    pub activated: Option<DateTime<Utc>>,
    /// Made by the directory itself at first start.
    pub managed: bool,
    /// Standard base64 DER.
    pub certificate: String,
    pub key: PrivateKeyMaterial,
    /// The number of the last CRL this root signed.
    pub crl_number: u64,
}

/// A CA under a root that signs participants' certificates. Retired ones
/// (their root inactive or deleted) still answer for what they issued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuingCaRecord {
    /// Names the CA in its CRL's URL and in the records it signed.
    pub id: String,
    pub root_id: String,
    pub created: DateTime<Utc>,
    pub certificate: String,
    pub key: PrivateKeyMaterial,
    pub crl_number: u64,
}

/// Where a serial the directory issued lives, and whether it is revoked:
/// what CRLs and OCSP answer from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuedSerial {
    pub organisation_id: super::OrganisationId,
    pub software_statement_id: Option<super::SoftwareStatementId>,
    pub kid: super::Kid,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<super::RevokeReason>,
}

impl IssuedSerial {
    pub fn of(record: &super::CertificateOrKey) -> Self {
        Self {
            organisation_id: record.organisation_id.clone(),
            software_statement_id: record.software_statement_id.clone(),
            kid: record.kid.clone(),
            revoked_at: record.revoked_at.filter(|_| record.is_revoked()),
            revoke_reason: record.revoke_reason,
        }
    }
}

/// The first layout of the CA on disk (one root, one issuing CA), read once
/// to move it into the root and issuing CA records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaRecord {
    /// Names the issuing CA in URLs (its CRL) and in records it signed.
    pub id: String,
    pub created: DateTime<Utc>,
    /// Certificates as standard base64 DER.
    pub root_certificate: String,
    pub root_key: PrivateKeyMaterial,
    pub issuing_certificate: String,
    pub issuing_key: PrivateKeyMaterial,
}

/// The directory's own signing key (SSAs, access tokens), certified by its CA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignerRecord {
    pub kid: String,
    /// Signing certificate then issuing CA, standard base64 DER.
    pub x5c: Vec<String>,
    pub key: PrivateKeyMaterial,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_material_never_prints() {
        let key = PrivateKeyMaterial::new("MIIEvQIBADANBgkq".into());
        assert!(!format!("{key:?}").contains("MIIE"));
    }
}
