//! Reading one entry out of an uploaded keystore file: PKCS#12 (RFC 7292)
//! through OpenSSL, and Java's JKS and JCEKS formats by hand, since OpenSSL
//! knows neither. The format comes from the bytes, never from a file name.

mod der_reader;
mod java;
mod pkcs12;

use java::read_java;
use pkcs12::read_pkcs12;

use std::fmt;
use std::sync::OnceLock;

use openssl::error::ErrorStack;
use openssl::hash::{Hasher, MessageDigest};
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, Private};
use openssl::provider::Provider;
use openssl::symm::{Cipher, decrypt};
use openssl::x509::{X509, X509Ref};

use crate::pki::der::{BMP_STRING, CONTEXT_0, NULL, OCTET_STRING, OID, SEQUENCE, SET};

/// The keystore formats obdir reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeystoreFormat {
    Pkcs12,
    Jks,
    Jceks,
}

const JKS_MAGIC: [u8; 4] = [0xfe, 0xed, 0xfe, 0xed];
const JCEKS_MAGIC: [u8; 4] = [0xce, 0xce, 0xce, 0xce];

impl KeystoreFormat {
    /// JKS and JCEKS by their magic number; PKCS#12 when the bytes are a DER
    /// SEQUENCE that OpenSSL reads as a PFX.
    pub fn detect(bytes: &[u8]) -> Option<Self> {
        match bytes.get(..4)? {
            m if m == JKS_MAGIC => Some(Self::Jks),
            m if m == JCEKS_MAGIC => Some(Self::Jceks),
            [0x30, ..] if Pkcs12::from_der(bytes).is_ok() => Some(Self::Pkcs12),
            _ => None,
        }
    }
}

/// One keystore entry: a certificate, the rest of its chain, and the private
/// key when the entry holds one (a trusted-certificate entry does not).
pub struct KeystoreEntry {
    /// The alias as the file spells it.
    pub alias: String,
    pub certificate_der: Vec<u8>,
    /// The rest of the chain, issuer first; empty when the file holds none.
    pub chain_der: Vec<Vec<u8>>,
    /// Unencrypted PKCS#8 PrivateKeyInfo. Never printed: see the Debug impl.
    pub private_key_der: Option<Vec<u8>>,
}

impl fmt::Debug for KeystoreEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let der_len = |der: &Vec<u8>| format!("<{} bytes>", der.len());
        f.debug_struct("KeystoreEntry")
            .field("alias", &self.alias)
            .field("certificate_der", &der_len(&self.certificate_der))
            .field(
                "chain_der",
                &self.chain_der.iter().map(der_len).collect::<Vec<_>>(),
            )
            .field(
                "private_key_der",
                &self.private_key_der.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Why a keystore file gave no entry; each is the uploader's to fix.
#[derive(Debug, thiserror::Error)]
pub enum KeystoreError {
    #[error("the keystore file cannot be read: {0}")]
    Unreadable(String),
    #[error("the keystore password is wrong: the file's integrity check fails with it")]
    WrongKeystorePassword,
    #[error(
        "the password for alias '{0}' is wrong: its private key does not decrypt with it (when the key has no password of its own, give the keystore password)"
    )]
    WrongAliasPassword(String),
    #[error("the keystore has no entry with alias '{wanted}'; {}", list_aliases(.present))]
    MissingAlias {
        wanted: String,
        present: Vec<String>,
    },
    #[error("{0}")]
    Unsupported(String),
}

fn list_aliases(present: &[String]) -> String {
    if present.is_empty() {
        "it holds no entries".to_owned()
    } else {
        let quoted: Vec<String> = present.iter().map(|a| format!("'{a}'")).collect();
        format!("the aliases present are {}", quoted.join(", "))
    }
}

fn unreadable(why: impl Into<String>) -> KeystoreError {
    KeystoreError::Unreadable(why.into())
}

/// Java refuses PBE iteration counts above this (`MAX_ITERATION_COUNT` in its
/// keystores); so does obdir, so an upload cannot buy minutes of hashing.
const MAX_ITERATIONS: u64 = 5_000_000;

/// Reads the entry `alias` out of `bytes`, a PKCS#12, JKS or JCEKS file.
///
/// `keystore_pass` checks the file's integrity (and, in PKCS#12, opens its
/// certificates); `alias_pass`, when `None` the keystore password, decrypts
/// the entry's private key. Aliases match case-insensitively, as keytool
/// lower-cases them. A PKCS#12 alias is the entry's friendlyName (`-name` in
/// `openssl pkcs12 -export`). A file whose single entry has no friendlyName
/// (`-export` without `-name`) calls it "1", as keytool does; should several
/// keys lack one, they are "1", "2", ... in file order.
pub fn read_keystore(
    bytes: &[u8],
    keystore_pass: &str,
    alias: &str,
    alias_pass: Option<&str>,
) -> Result<KeystoreEntry, KeystoreError> {
    let alias_pass = alias_pass.unwrap_or(keystore_pass);
    match KeystoreFormat::detect(bytes) {
        Some(KeystoreFormat::Pkcs12) => read_pkcs12(bytes, keystore_pass, alias, alias_pass),
        Some(format) => read_java(bytes, format, keystore_pass, alias, alias_pass),
        None if bytes.starts_with(b"-----BEGIN") => Err(unreadable(
            "it is PEM text, not a keystore; upload the binary PKCS#12 (.p12, .pfx) or JKS file",
        )),
        None => Err(unreadable(
            "it is not a PKCS#12 (.p12, .pfx), JKS or JCEKS keystore",
        )),
    }
}

fn same_alias(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

#[cfg(test)]
mod tests;
