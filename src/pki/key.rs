//! Public keys: reading them from PEM and holding them to the key policy.

use openssl::pkey::{Id, PKey, Private, Public};

use super::PkiError;
use super::encoding::{hex, sha256};
use super::jwk::{curve_of, public_jwk, thumbprint_sha1, thumbprint_sha256};
use super::pem::{PemKind, expect_first, first_block_der};
use super::spki::{self, PublicKeyInfo};
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

pub(super) fn key_facts(key: &PublicKeyInfo) -> Result<KeyFacts, PkiError> {
    let jwk = public_jwk(&key.key)?;
    Ok(KeyFacts {
        spki_sha256: hex(&sha256(&key.der)),
        thumbprint_sha256: thumbprint_sha256(&jwk),
        thumbprint_sha1: thumbprint_sha1(&jwk),
        jwk,
    })
}

/// The facts of a key pair's public half (the directory's own keys).
pub(super) fn private_key_facts(key: &PKey<Private>) -> Result<KeyFacts, PkiError> {
    let public = spki::read(&key.public_key_to_der()?)?;
    key_facts(&public)
}

/// A bare public key upload: read, held to the key policy of its type.
pub fn parse_public_key(text: &str, key_type: CertOrKeyType) -> Result<KeyFacts, PkiError> {
    let key = parse_public_key_pem(text)?;
    check_key_policy(&key.key, &KeyPolicy::of_type(key_type))?;
    key_facts(&key)
}

/// Reads a bare public key: SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`.
fn parse_public_key_pem(text: &str) -> Result<PublicKeyInfo, PkiError> {
    let kind = expect_first(
        text,
        &[PemKind::PublicKey, PemKind::RsaPublicKey],
        "a public key (PUBLIC KEY or RSA PUBLIC KEY)",
    )?;
    let unreadable = || PkiError::Unreadable("the public key PEM does not decode".into());
    let der = first_block_der(text).ok_or_else(unreadable)?;
    match kind {
        PemKind::RsaPublicKey => spki::read_rsa_public_key(&der).map_err(|_| unreadable()),
        _ => spki::read(&der).map_err(|_| unreadable()),
    }
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
