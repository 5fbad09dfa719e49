//! Public keys: reading them from PEM and holding them to the key policy.

use openssl::pkey::{Id, PKey, Public};
use openssl::rsa::Rsa;

use super::PkiError;
use super::encoding::{hex, sha256};
use super::jwk::{curve_of, public_jwk, thumbprint_sha1, thumbprint_sha256};
use super::pem::{PemKind, expect_first};
use crate::domain::certificate::{Curve, MIN_RSA_BITS};
use crate::domain::{CertOrKeyType, PublicJwk};

/// What the directory records of a public key, however it arrived.
#[derive(Debug, Clone)]
pub struct KeyFacts {
    pub jwk: PublicJwk,
    /// Hex SHA-256 of the SubjectPublicKeyInfo DER: the same key under any wrapping.
    pub spki_sha256: String,
    /// RFC 7638 thumbprints, base64url, with SHA-256 and with SHA-1.
    pub thumbprint_sha256: String,
    pub thumbprint_sha1: String,
}

pub(super) fn key_facts<T: openssl::pkey::HasPublic>(key: &PKey<T>) -> Result<KeyFacts, PkiError> {
    let jwk = public_jwk(key)?;
    Ok(KeyFacts {
        spki_sha256: hex(&sha256(&key.public_key_to_der()?)),
        thumbprint_sha256: thumbprint_sha256(&jwk),
        thumbprint_sha1: thumbprint_sha1(&jwk),
        jwk,
    })
}

/// A bare public key upload: read, held to the key policy of its type.
pub fn parse_public_key(text: &str, key_type: CertOrKeyType) -> Result<KeyFacts, PkiError> {
    let key = parse_public_key_pem(text)?;
    check_key_policy(&key, &KeyPolicy::of_type(key_type))?;
    key_facts(&key)
}

/// Reads a bare public key: SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`.
fn parse_public_key_pem(text: &str) -> Result<PKey<Public>, PkiError> {
    let kind = expect_first(
        text,
        &[PemKind::PublicKey, PemKind::RsaPublicKey],
        "a public key (PUBLIC KEY or RSA PUBLIC KEY)",
    )?;
    let parsed = match kind {
        PemKind::RsaPublicKey => {
            Rsa::public_key_from_pem_pkcs1(text.as_bytes()).and_then(PKey::from_rsa)
        }
        _ => PKey::public_key_from_pem(text.as_bytes()),
    };
    parsed.map_err(super::unreadable("the public key PEM does not decode"))
}

/// The keys a use accepts: RSA of at least 2048 bits, or EC on `curves`.
pub struct KeyPolicy {
    /// Names the use in refusals ("not accepted for rtstransport").
    pub purpose: String,
    pub curves: &'static [Curve],
}

impl KeyPolicy {
    pub fn of_type(key_type: CertOrKeyType) -> Self {
        Self {
            purpose: key_type.to_string(),
            curves: key_type.allowed_curves(),
        }
    }

    /// Certificates for TLS hosts and clients ordered through the RA: the
    /// CA/Browser Forum's keys (Baseline Requirements 6.1.5).
    pub fn tls_host() -> Self {
        Self {
            purpose: "an RA certificate".into(),
            curves: &[Curve::P256, Curve::P384],
        }
    }
}

/// RSA of at least 2048 bits with a CA/B Forum exponent, or EC on a curve the policy allows.
pub(super) fn check_key_policy(key: &PKey<Public>, policy: &KeyPolicy) -> Result<(), PkiError> {
    let key_type = &policy.purpose;
    let curves = policy.curves;
    let allowed = if curves.is_empty() {
        format!("RSA of at least {MIN_RSA_BITS} bits")
    } else {
        let names: Vec<String> = curves.iter().map(|c| curve_name(*c)).collect();
        format!(
            "RSA of at least {MIN_RSA_BITS} bits or EC on {}",
            names.join(", ")
        )
    };
    match key.id() {
        Id::RSA => {
            let rsa = key.rsa()?;
            let bits = rsa.n().num_bits() as u32;
            if bits < MIN_RSA_BITS {
                return Err(PkiError::KeyPolicy(format!(
                    "RSA key is {bits} bits; {key_type} needs at least {MIN_RSA_BITS}"
                )));
            }
            // Baseline Requirements 6.1.6: odd, and at least 65537.
            let e = rsa.e();
            if !e.is_bit_set(0) || e.num_bits() < 17 {
                return Err(PkiError::KeyPolicy(format!(
                    "RSA public exponent {e} is not accepted: it must be odd and at least 65537"
                )));
            }
            Ok(())
        }
        Id::EC => {
            let ec = key.ec_key()?;
            let curve = ec.group().curve_name().and_then(curve_of);
            match curve {
                Some(c) if curves.contains(&c) => Ok(()),
                _ => Err(PkiError::KeyPolicy(format!(
                    "EC key on {} is not accepted for {key_type}; use {allowed}",
                    curve
                        .map(curve_name)
                        .unwrap_or_else(|| "an unsupported curve".into())
                ))),
            }
        }
        _ => Err(PkiError::KeyPolicy(format!(
            "key algorithm is not accepted for {key_type}; use {allowed}"
        ))),
    }
}

fn curve_name(curve: Curve) -> String {
    match curve {
        Curve::P256 => "P-256",
        Curve::P384 => "P-384",
        Curve::P521 => "P-521",
    }
    .into()
}
