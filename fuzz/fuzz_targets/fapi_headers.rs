//! The FAPI request headers: x-fapi-auth-date, x-fapi-customer-ip-address
//! and x-fapi-interaction-id, which every response echoes when valid.
#![no_main]

use libfuzzer_sys::fuzz_target;
use obdir::domain::fapi::{CustomerIpAddress, FapiAuthDate, InteractionId};

fuzz_target!(|data: &[u8]| {
    // actix hands the validators only header values that are visible ASCII.
    let Ok(value) = std::str::from_utf8(data) else {
        return;
    };
    let _ = FapiAuthDate::parse(value);
    if let Ok(ip) = CustomerIpAddress::parse(value) {
        assert_eq!(CustomerIpAddress::parse(&ip.0.to_string()), Ok(ip));
    }
    if let Ok(id) = InteractionId::parse(value) {
        // Echoed as a response header: short, and nothing a header cannot carry.
        assert_eq!(id.as_str(), value);
        assert!(value.len() <= 100);
        assert!(
            value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        );
    }
});
