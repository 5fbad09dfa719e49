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

/// A root and the issuing CA under it that signs participants' certificates.
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
