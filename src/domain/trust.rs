//! The trust store: CAs outside the directory that a certificate issued
//! elsewhere (the `*_ext` types, an imported keystore's) must chain to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::DomainError;

/// A trust anchor's id: the SHA-256 of its DER, 64 lower-case hex digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Fingerprint(String);

impl Fingerprint {
    pub const FIELD: &'static str = "fingerprint";

    /// Upper-case hex (as `openssl x509 -fingerprint` prints it, colons
    /// removed) is taken too, and kept lower-case.
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Fingerprint(value.to_ascii_lowercase()))
        } else {
            Err(DomainError::field(
                Self::FIELD,
                "must be the SHA-256 of the certificate's DER as 64 hex digits",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_conversions!(Fingerprint);

/// How an anchor came into the trust store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AnchorSource {
    /// `[truststore]` in the config, written at every start and reset.
    Config,
    /// `POST /admin/truststore`.
    Admin,
    /// Added to let in a chain uploaded with forceTrust.
    ForceTrust,
}

impl AnchorSource {
    pub fn name(self) -> &'static str {
        match self {
            Self::Config => "config",
            Self::Admin => "admin",
            Self::ForceTrust => "forceTrust",
        }
    }
}

/// A CA certificate the directory trusts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrustAnchor {
    pub fingerprint: Fingerprint,
    /// DER, kept as standard base64.
    #[serde(with = "der_base64")]
    pub certificate: Vec<u8>,
    pub subject: String,
    pub issuer: String,
    pub not_after: DateTime<Utc>,
    pub source: AnchorSource,
    pub added_at: DateTime<Utc>,
}

impl TrustAnchor {
    /// The certificate in PEM armour, 64 characters a line.
    pub fn pem(&self) -> String {
        super::pem::armour("CERTIFICATE", &self.certificate)
    }
}

mod der_base64 {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(der: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(der))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_64_hex_digits_kept_lower_case() {
        let upper = "AB".repeat(32);
        assert_eq!(
            Fingerprint::parse(&upper).unwrap().as_str(),
            "ab".repeat(32)
        );
        for bad in [
            "",
            "ab",
            &"g".repeat(64),
            &"a".repeat(65),
            &"ab:".repeat(21),
        ] {
            assert_eq!(Fingerprint::parse(bad).unwrap_err().field, "fingerprint");
        }
    }

    #[test]
    fn an_anchor_round_trips_with_its_der_as_base64() {
        let anchor = TrustAnchor {
            fingerprint: Fingerprint::parse(&"0".repeat(64)).unwrap(),
            certificate: vec![0x30, 0x82, 0xff],
            subject: "CN=x".into(),
            issuer: "CN=x".into(),
            not_after: DateTime::from_timestamp(2_000_000_000, 0).unwrap(),
            source: AnchorSource::ForceTrust,
            added_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        };
        let json = serde_json::to_value(&anchor).unwrap();
        assert_eq!(json["certificate"], "MIL/");
        assert_eq!(json["source"], "forceTrust");
        let back: TrustAnchor = serde_json::from_value(json).unwrap();
        assert_eq!(back, anchor);
        assert_eq!(
            anchor.pem(),
            "-----BEGIN CERTIFICATE-----\nMIL/\n-----END CERTIFICATE-----\n"
        );
    }
}
