//! What a PEM upload holds, read from its armour labels before any parsing,
//! and the DER inside it.

pub use crate::domain::pem::armour;

use super::PkiError;

/// The PEM blocks an upload may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PemKind {
    CertificateRequest,
    Certificate,
    PublicKey,
    RsaPublicKey,
    PrivateKey,
    Other,
}

impl PemKind {
    pub fn describe(self) -> &'static str {
        match self {
            Self::CertificateRequest => "a certificate signing request (CERTIFICATE REQUEST)",
            Self::Certificate => "a certificate (CERTIFICATE)",
            Self::PublicKey => "a public key (PUBLIC KEY)",
            Self::RsaPublicKey => "a public key (RSA PUBLIC KEY)",
            Self::PrivateKey => "a private key, which must never be uploaded",
            Self::Other => "an unsupported PEM block",
        }
    }
}

/// The kind of the first PEM block in `text`, or None when there is none.
pub fn first_block(text: &str) -> Option<PemKind> {
    let start = text.find("-----BEGIN ")? + "-----BEGIN ".len();
    let end = text[start..].find("-----")? + start;
    Some(kind_of(&text[start..end]))
}

fn kind_of(label: &str) -> PemKind {
    match label {
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => PemKind::CertificateRequest,
        "CERTIFICATE" => PemKind::Certificate,
        "PUBLIC KEY" => PemKind::PublicKey,
        "RSA PUBLIC KEY" => PemKind::RsaPublicKey,
        l if l.contains("PRIVATE KEY") => PemKind::PrivateKey,
        _ => PemKind::Other,
    }
}

/// Every PEM block in `text`, armour included, with its kind; text between
/// blocks (a bundle's `subject=` lines) is skipped. Err names the first
/// block, counted from 1, that has no END line.
pub fn blocks(text: &str) -> Result<Vec<(PemKind, &str)>, usize> {
    const BEGIN: &str = "-----BEGIN ";
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(at) = text[rest..].find(BEGIN) {
        let begin = rest + at;
        let number = found.len() + 1;
        let label_start = begin + BEGIN.len();
        let label_end = text[label_start..]
            .find("-----")
            .map(|i| label_start + i)
            .ok_or(number)?;
        let label = &text[label_start..label_end];
        let end_line = format!("-----END {label}-----");
        let end = text[label_end..]
            .find(&end_line)
            .map(|i| label_end + i + end_line.len())
            .ok_or(number)?;
        found.push((kind_of(label), &text[begin..end]));
        rest = end;
    }
    Ok(found)
}

/// The first PEM block's kind if it is one of `accepted`; else a refusal
/// saying what was `expected` and what the body holds.
pub fn expect_first(text: &str, accepted: &[PemKind], expected: &str) -> Result<PemKind, PkiError> {
    match first_block(text) {
        Some(kind) if accepted.contains(&kind) => Ok(kind),
        Some(other) => Err(PkiError::WrongContent {
            expected: expected.into(),
            found: other.describe().into(),
        }),
        None => Err(PkiError::Unreadable(
            "the body is not PEM: no -----BEGIN line".into(),
        )),
    }
}

/// The DER inside the first PEM block of `text`, whatever its label, or
/// None when that block has no END line or its body is not base64. Later
/// blocks are not read, and base64 is read as leniently as OpenSSL reads it
/// (padding optional, stray trailing bits allowed).
pub fn first_block_der(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    const BEGIN: &str = "-----BEGIN ";
    let label_start = text.find(BEGIN)? + BEGIN.len();
    let label_end = label_start + text[label_start..].find("-----")?;
    let body_start = label_end + "-----".len();
    let end_line = format!("-----END {}-----", &text[label_start..label_end]);
    let body_end = body_start + text[body_start..].find(&end_line)?;
    let body: String = text[body_start..body_end]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    LENIENT.decode(body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_told_apart() {
        assert_eq!(
            first_block("-----BEGIN CERTIFICATE REQUEST-----\nx"),
            Some(PemKind::CertificateRequest)
        );
        assert_eq!(
            first_block("junk\n-----BEGIN PUBLIC KEY-----\n"),
            Some(PemKind::PublicKey)
        );
        assert_eq!(
            first_block("-----BEGIN EC PRIVATE KEY-----"),
            Some(PemKind::PrivateKey)
        );
        assert_eq!(first_block("no pem here"), None);
    }

    #[test]
    fn blocks_are_split_with_their_armour() {
        let text = "subject=CN=a\n-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n\
                    -----BEGIN PRIVATE KEY-----\nBB==\n-----END PRIVATE KEY-----\n";
        let found = blocks(text).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, PemKind::Certificate);
        assert_eq!(
            found[0].1,
            "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----"
        );
        assert_eq!(found[1].0, PemKind::PrivateKey);
        assert_eq!(blocks("none").unwrap(), Vec::new());
        assert_eq!(
            blocks(
                "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAA=="
            ),
            Err(2)
        );
    }
}
