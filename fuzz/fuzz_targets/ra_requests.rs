//! The RA face's intake: references, operator names, domain names (IDNA),
//! revocation serials and issuer DNs, session-token claims and HS256
//! verification, and DNS answers read in resolver mode.
#![no_main]

use libfuzzer_sys::fuzz_target;
use obdir::dns::wire;
use obdir::domain::ra::revocation::{parse_dn, parse_serial};
use obdir::domain::ra::{
    ClientReference, DnsName, DomainReference, OperatorName, OrderReference, ProductReference,
    session,
};
use obdir::pki::hmac_jwt;

const KEY: &[u8] = b"fuzzing-api-key-0123456789abcdef0123";

fuzz_target!(|data: &[u8]| {
    // A DNS answer to a TXT question: never a panic, whatever the bytes.
    let question = wire::Question {
        id: 7,
        name: "xn--dj-kia8a.vu.com".into(),
        qtype: wire::TXT,
    };
    let _ = wire::decode_txt_answer(data, &question);
    let _ = wire::decode_question(data);
    let Ok(value) = std::str::from_utf8(data) else {
        return;
    };
    for parsed in [
        ClientReference::parse(value).map(|r| r.to_string()),
        ProductReference::parse(value).map(|r| r.to_string()),
        DomainReference::parse(value).map(|r| r.to_string()),
        OrderReference::parse(value).map(|r| r.to_string()),
    ] {
        if let Ok(reference) = parsed {
            // The canonical form is lower-case and 40 characters.
            assert_eq!(reference.len(), 40);
            assert_eq!(reference, reference.to_ascii_lowercase());
        }
    }
    if let Ok(name) = OperatorName::parse(value) {
        assert_eq!(name.as_str(), value);
    }
    if let Ok(name) = DnsName::parse(value) {
        // The ASCII form is what DNS and certificates carry: parsing it
        // again gives it back.
        assert!(name.ascii.is_ascii() && name.ascii.len() <= 253);
        assert_eq!(
            DnsName::parse(&name.ascii).map(|n| n.ascii),
            Ok(name.ascii.clone())
        );
    }
    if let Ok(serial) = parse_serial(value) {
        assert!(serial.len() % 2 == 0 && serial.chars().all(|c| c.is_ascii_hexdigit()));
    }
    if let Ok(dn) = parse_dn(value) {
        assert!(!dn.is_empty());
    }
    if let Ok(claims) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(value) {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let _ = session::subject(&claims);
        let _ = session::check(&claims, now);
        if let Ok(token) = hmac_jwt::sign_hs256(&claims, KEY) {
            // What obdir signs verifies with the same key. (Values are not
            // compared: JSON floats need not print back to the same digits.)
            let verified = hmac_jwt::verify_hs256(&token, KEY).expect("own token verifies");
            assert!(verified.keys().eq(claims.keys()));
        }
    }
    let _ = hmac_jwt::verify_hs256(value, KEY);
});
