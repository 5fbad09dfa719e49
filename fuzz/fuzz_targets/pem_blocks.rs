//! PEM labels: what an upload says it holds, read before any parsing, and
//! the armour the keystore writes its `.pem` files with.
#![no_main]

use libfuzzer_sys::fuzz_target;
use obdir::pki::encoding::decode_base64;
use obdir::pki::pem::{PemKind, armour, first_block};

const LABELS: [(&str, PemKind); 4] = [
    ("CERTIFICATE", PemKind::Certificate),
    ("CERTIFICATE REQUEST", PemKind::CertificateRequest),
    ("PUBLIC KEY", PemKind::PublicKey),
    ("X509 CRL", PemKind::Other),
];

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Some(kind) = first_block(text)
    {
        assert!(!kind.describe().is_empty());
    }
    // Whatever DER is armoured reads back as its label and its bytes.
    for (label, kind) in LABELS {
        let pem = armour(label, data);
        assert_eq!(first_block(&pem), Some(kind));
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(pem.lines().all(|l| l.len() <= 64 || l.starts_with("-----")));
        assert_eq!(decode_base64(&body).as_deref(), Some(data));
    }
});
