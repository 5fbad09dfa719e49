//! Private keys at rest: AES-256-GCM under a key of the directory's own, so
//! a copied data dir or snapshot does not hand out the private keys an
//! imported keystore brought. The place a key is kept under (tenant, theme,
//! alias) is bound in as associated data: a sealed key moved to another
//! place does not open.

use openssl::symm::{Cipher, decrypt_aead, encrypt_aead};

use super::PkiError;
use super::encoding::{base64, decode_base64};
pub use crate::domain::tenants::Sealed;

const KEY_BYTES: usize = 32;
/// 96-bit nonces, as GCM is specified for (NIST SP 800-38D 8.2).
const NONCE_BYTES: usize = 12;
const TAG_BYTES: usize = 16;

/// The key private keys are sealed under. It never prints.
pub struct SealingKey([u8; KEY_BYTES]);

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(..)")
    }
}

impl SealingKey {
    /// A fresh random key.
    pub fn generate() -> Result<SealingKey, PkiError> {
        let mut key = [0u8; KEY_BYTES];
        openssl::rand::rand_bytes(&mut key)?;
        Ok(SealingKey(key))
    }

    /// A key as config or its file writes it: standard base64 of 32 bytes.
    pub fn from_base64(text: &str) -> Result<SealingKey, PkiError> {
        decode_base64(text.trim())
            .and_then(|bytes| <[u8; KEY_BYTES]>::try_from(bytes).ok())
            .map(SealingKey)
            .ok_or_else(|| {
                PkiError::Unreadable(
                    "the sealing key must be 32 bytes in standard base64 (44 characters)".into(),
                )
            })
    }

    pub fn to_base64(&self) -> String {
        base64(&self.0)
    }

    /// Seals `secret` for the place `context` names.
    pub fn seal(&self, secret: &[u8], context: &[u8]) -> Result<Sealed, PkiError> {
        let mut nonce = [0u8; NONCE_BYTES];
        openssl::rand::rand_bytes(&mut nonce)?;
        let mut tag = [0u8; TAG_BYTES];
        let mut ciphertext = encrypt_aead(
            Cipher::aes_256_gcm(),
            &self.0,
            Some(&nonce),
            context,
            secret,
            &mut tag,
        )?;
        ciphertext.extend_from_slice(&tag);
        Ok(Sealed {
            nonce: base64(&nonce),
            ciphertext: base64(&ciphertext),
        })
    }

    /// Opens what `seal` made for the same `context` with this key; any
    /// other key, context or altered byte is refused.
    pub fn open(&self, sealed: &Sealed, context: &[u8]) -> Result<Vec<u8>, PkiError> {
        let refused = || {
            PkiError::Unreadable(
                "the sealed key does not open: another sealing key, another place, or altered bytes"
                    .into(),
            )
        };
        let nonce = decode_base64(&sealed.nonce)
            .filter(|n| n.len() == NONCE_BYTES)
            .ok_or_else(refused)?;
        let data = decode_base64(&sealed.ciphertext)
            .filter(|c| c.len() >= TAG_BYTES)
            .ok_or_else(refused)?;
        let (ciphertext, tag) = data.split_at(data.len() - TAG_BYTES);
        let opened = decrypt_aead(
            Cipher::aes_256_gcm(),
            &self.0,
            Some(&nonce),
            context,
            ciphertext,
            tag,
        );
        // A failed tag check leaves errors on OpenSSL's queue.
        super::clear_openssl_errors();
        opened.map_err(|_| refused())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_place() {
        let key = SealingKey::generate().unwrap();
        let sealed = key
            .seal(b"private key bytes", b"tenant/theme/alias")
            .unwrap();
        assert_eq!(
            key.open(&sealed, b"tenant/theme/alias").unwrap(),
            b"private key bytes"
        );
        assert!(!sealed.ciphertext.contains("private"));
        assert!(key.open(&sealed, b"tenant/theme/other").is_err());
        let other = SealingKey::generate().unwrap();
        assert!(other.open(&sealed, b"tenant/theme/alias").is_err());
        let mut bytes = decode_base64(&sealed.ciphertext).unwrap();
        bytes[0] ^= 1;
        let altered = Sealed {
            ciphertext: base64(&bytes),
            ..sealed.clone()
        };
        assert!(key.open(&altered, b"tenant/theme/alias").is_err());
        let truncated = Sealed {
            ciphertext: base64(&bytes[..4]),
            ..sealed
        };
        assert!(key.open(&truncated, b"tenant/theme/alias").is_err());
    }

    #[test]
    fn two_seals_of_one_secret_differ() {
        let key = SealingKey::generate().unwrap();
        let a = key.seal(b"same", b"place").unwrap();
        let b = key.seal(b"same", b"place").unwrap();
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.ciphertext, b.ciphertext);
    }

    #[test]
    fn the_key_round_trips_as_base64_and_never_prints() {
        let key = SealingKey::generate().unwrap();
        let text = key.to_base64();
        assert_eq!(text.len(), 44);
        let again = SealingKey::from_base64(&text).unwrap();
        let sealed = key.seal(b"x", b"").unwrap();
        assert_eq!(again.open(&sealed, b"").unwrap(), b"x");
        assert_eq!(format!("{key:?}"), "SealingKey(..)");
        assert!(SealingKey::from_base64("c2hvcnQ=").is_err());
        assert!(SealingKey::from_base64("not base64!").is_err());
    }
}
