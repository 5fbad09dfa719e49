//! What a PEM upload holds, read from its armour labels before any parsing.

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
    let label = &text[start..end];
    Some(match label {
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => PemKind::CertificateRequest,
        "CERTIFICATE" => PemKind::Certificate,
        "PUBLIC KEY" => PemKind::PublicKey,
        "RSA PUBLIC KEY" => PemKind::RsaPublicKey,
        l if l.contains("PRIVATE KEY") => PemKind::PrivateKey,
        _ => PemKind::Other,
    })
}

/// Wraps DER in PEM armour with 64-character lines.
pub fn armour(label: &str, der: &[u8]) -> String {
    let body = super::encoding::base64(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
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
}
