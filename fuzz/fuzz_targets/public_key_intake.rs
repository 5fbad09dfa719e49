//! Bare public key intake (sigkey, enckey): SPKI or PKCS#1 PEM, held to the
//! key policy and turned into a JWK with its thumbprints.
#![no_main]

use libfuzzer_sys::fuzz_target;
use obdir::domain::certificate::UploadBody;
use obdir::domain::{CertOrKeyType, PublicJwk};
use obdir::pki::key::parse_public_key;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut seen = None;
    for key_type in CertOrKeyType::all().filter(|t| t.upload_body() == UploadBody::PublicKey) {
        let Ok(facts) = parse_public_key(text, key_type) else {
            continue;
        };
        // The JWK is published: it must survive a trip through JSON.
        let json = serde_json::to_string(&facts.jwk).expect("a JWK serialises");
        let back: PublicJwk = serde_json::from_str(&json).expect("a published JWK reads back");
        assert_eq!(back, facts.jwk);
        // The same key has the same facts whichever type it is uploaded as.
        let seen = seen.get_or_insert_with(|| facts.thumbprint_sha256.clone());
        assert_eq!(*seen, facts.thumbprint_sha256);
    }
});
