//! private_key_jwt client assertions at the token endpoint: the JOSE header,
//! the claims read before verifying (to find the client), and the signature
//! check against a client's registered keys (kids `rsa-1` and `ec-1`, whose
//! private halves signed the seed JWTs and were thrown away).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use obdir::domain::{CertOrKeyType, PublicJwk};
use obdir::pki::jws::{
    CLIENT_ASSERTION_ALGORITHMS, header_of, unverified_claims, verify_client_jwt,
};
use obdir::pki::key::parse_public_key;

static KEYS: LazyLock<[(&str, PublicJwk); 2]> = LazyLock::new(|| {
    let jwk = |pem| {
        parse_public_key(pem, CertOrKeyType::Sigkey)
            .expect("the fixed client key is accepted")
            .jwk
    };
    [
        ("rsa-1", jwk(include_str!("../keys/client-rsa.pub.pem"))),
        ("ec-1", jwk(include_str!("../keys/client-ec.pub.pem"))),
    ]
});

fn find_key(kid: &str) -> Option<PublicJwk> {
    KEYS.iter()
        .find(|(k, _)| *k == kid)
        .map(|(_, jwk)| jwk.clone())
}

fuzz_target!(|data: &[u8]| {
    // The token endpoint reads a form field: always text.
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let header = header_of(token);
    let claims = unverified_claims(token);
    if let Ok(verified) = verify_client_jwt(token, find_key) {
        let header = header.expect("a verified JWT has a header");
        assert!(CLIENT_ASSERTION_ALGORITHMS.contains(&header.alg.as_str()));
        assert!(header.kid.is_some_and(|kid| find_key(&kid).is_some()));
        // What was read to find the client is what was signed.
        assert_eq!(claims.ok(), Some(verified));
    }
});
