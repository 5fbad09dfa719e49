//! Encodings and digests the JOSE and X.509 worlds share.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use openssl::hash::{MessageDigest, hash};

pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}

pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    digest(MessageDigest::sha256(), bytes)
}

pub fn sha1(bytes: &[u8]) -> Vec<u8> {
    digest(MessageDigest::sha1(), bytes)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(md: MessageDigest, bytes: &[u8]) -> Vec<u8> {
    // Digesting a byte slice with a built-in algorithm cannot fail.
    hash(md, bytes).map(|d| d.to_vec()).unwrap_or_default()
}

/// 256 random bits as base64url: a bearer secret.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The system RNG failing is not something a caller can recover from.
    openssl::rand::rand_bytes(&mut bytes).expect("the system RNG works");
    base64url(&bytes)
}

/// Equality that takes as long wherever the first difference is, for secrets.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && openssl::memcmp::eq(a, b)
}
