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
    /// Made by the directory itself at first start: not one of the roots a
    /// tenant creates (and counts against its limit). Stored as `managed`.
    #[serde(rename = "managed")]
    pub built_in: bool,
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
    #[serde(flatten)]
    pub holder: SerialHolder,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<super::RevokeReason>,
}

/// The record a serial belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SerialHolder {
    /// A certificate uploaded to an organisation or software statement.
    Record {
        organisation_id: super::OrganisationId,
        software_statement_id: Option<super::SoftwareStatementId>,
        kid: super::Kid,
    },
    /// A certificate an RA order issued.
    Order {
        order_reference: super::ra::OrderReference,
    },
}

impl IssuedSerial {
    pub fn of(record: &super::CertificateOrKey) -> Self {
        Self {
            holder: SerialHolder::Record {
                organisation_id: record.organisation_id.clone(),
                software_statement_id: record.software_statement_id.clone(),
                kid: record.kid.clone(),
            },
            revoked_at: record.revoked_at.filter(|_| record.is_revoked()),
            revoke_reason: record.revoke_reason,
        }
    }

    /// The entry of a certificate an RA order just issued.
    pub fn of_order(order: &super::ra::OrderReference) -> Self {
        Self {
            holder: SerialHolder::Order {
                order_reference: order.clone(),
            },
            revoked_at: None,
            revoke_reason: None,
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

    #[test]
    fn serial_entries_written_before_orders_existed_still_read() {
        let old = r#"{"organisation_id":"o1","software_statement_id":null,"kid":"k1","revoked_at":null,"revoke_reason":null}"#;
        let entry: IssuedSerial = serde_json::from_str(old).unwrap();
        assert!(matches!(entry.holder, SerialHolder::Record { .. }));
        let order = super::super::ra::OrderReference::from_uuid(uuid::Uuid::nil());
        let json = serde_json::to_string(&IssuedSerial::of_order(&order)).unwrap();
        let back: IssuedSerial = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back.holder,
            SerialHolder::Order {
                order_reference: order
            }
        );
    }
}
