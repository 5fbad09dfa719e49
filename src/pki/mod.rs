//! Crypto with no HTTP: the CA, CSR intake and policy, certificate profiles,
//! public keys as JWKs.

pub mod authority;
pub mod csr;
mod der;
pub mod encoding;
pub mod external;
pub mod hmac_jwt;
pub mod imported;
pub mod jwk;
pub mod jws;
pub mod key;
pub mod keystore_file;
mod leaf;
mod name;
pub mod pem;
pub mod pkcs7;
pub mod profile;
pub mod revocation;
pub mod sealed;
mod spki;
mod subject;
pub mod tls;
pub mod trust;

pub use authority::{IssuedCertificate, IssuingAuthority, RootAuthority};
pub use csr::CheckedCsr;
pub use profile::Profile;

use crate::domain::DomainError;

/// Why a CSR, certificate or key was refused, or why signing failed.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    #[error("{0}")]
    Unreadable(String),
    #[error("expected {expected} but the body holds {found}")]
    WrongContent { expected: String, found: String },
    #[error(
        "the CSR signature does not verify with the CSR's own public key (proof of possession failed)"
    )]
    ProofOfPossession,
    #[error(
        "signature algorithm {0} is not accepted: use SHA-256 or stronger (sha256WithRSAEncryption, RSASSA-PSS with SHA-256+, ecdsa-with-SHA256+)"
    )]
    WeakSignature(String),
    #[error("{0}")]
    KeyPolicy(String),
    #[error("subject does not name this software statement: {0}")]
    Subject(DomainError),
    #[error("{0}")]
    Validity(String),
    /// A CSR type with no certificate profile: a bug in the type table.
    #[error("no certificate profile for {0}")]
    NoProfile(crate::domain::CertOrKeyType),
    /// OpenSSL failed on input that had passed every check: a bug, not bad input.
    #[error("internal crypto error: {0}")]
    Internal(#[from] openssl::error::ErrorStack),
}

impl PkiError {
    pub fn is_internal(&self) -> bool {
        matches!(self, Self::Internal(_))
    }
}

/// OpenSSL's refusal of client input, named for the client: the failing
/// call has taken OpenSSL's own error off its queue, and it says nothing a
/// client can act on.
fn unreadable(what: &'static str) -> impl FnOnce(openssl::error::ErrorStack) -> PkiError {
    move |_| PkiError::Unreadable(what.into())
}

/// After a call that can answer false and still leave errors on OpenSSL's
/// queue (a signature or chain verification): drops them, so they are not
/// blamed on the next call.
fn clear_openssl_errors() {
    let _ = openssl::error::ErrorStack::get();
}
