//! The tenants face's intake: the multipart/form-data Content-Type and body
//! of a keystore upload, the ids of its path, a user's e-mail, and the
//! `TokenID=..,expirationTime=..` values of its cookie and CSRF header.
//!
//! Input: a Content-Type line, then the body. A line that names no usable
//! boundary still has its body read, with the seed's boundary.
#![no_main]

use libfuzzer_sys::fuzz_target;
use obdir::api::multipart::{self, Part};
use obdir::domain::tenants::{TenantId, ThemeName, UserEmail, token_id, token_value};

const SEED_BOUNDARY: &str = "---------------------------75021945131717";

fuzz_target!(|data: &[u8]| {
    let (header, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b""[..]),
    };
    let boundary = std::str::from_utf8(header)
        .ok()
        .and_then(|content_type| multipart::boundary(content_type).ok());
    if let Some(boundary) = &boundary {
        assert!((1..=70).contains(&boundary.len()), "{boundary:?}");
        let again = multipart::boundary(&format!("multipart/form-data; boundary=\"{boundary}\""));
        assert_eq!(again.as_ref(), Ok(boundary));
    }
    let boundary = boundary.as_deref().unwrap_or(SEED_BOUNDARY);
    if let Ok(parts) = multipart::parse(body, boundary) {
        // Each part's bytes are a piece of the body, in the order the parts
        // came, none overlapping the next.
        let mut from = 0;
        for part in &parts {
            let at = find(&body[from..], &part.data)
                .unwrap_or_else(|| panic!("part {:?} is not in the body", part.name));
            from += at + part.data.len();
        }
        // Written out again with the same boundary, they read back the same
        // (unless quoting grew a header past the parser's 8 KiB limit).
        let (written, longest_header) = write(&parts, boundary);
        if longest_header <= 8 * 1024 {
            assert_eq!(multipart::parse(&written, boundary).as_ref(), Ok(&parts));
        }
    }

    let Ok(value) = std::str::from_utf8(data) else {
        return;
    };
    let tenant = TenantId::parse(value).map(|t| (t.as_str().to_owned(), t.cookie_name()));
    let theme = ThemeName::parse(value).map(|t| t.as_str().to_owned());
    // The two path ids keep one rule.
    assert_eq!(tenant.is_ok(), theme.is_ok());
    if let Ok((id, cookie)) = tenant {
        assert_eq!(id, value);
        assert!((1..=64).contains(&id.len()));
        // Never a dot-segment, which a client would resolve out of a link.
        assert!(id != "." && id != "..");
        // It ends up in a cookie and a header name: token characters only.
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        );
        assert_eq!(cookie, format!("AtmoAuthToken_{id}"));
        let json = serde_json::to_string(&id).expect("a string serialises");
        assert!(serde_json::from_str::<TenantId>(&json).is_ok());
    } else {
        let json = serde_json::to_string(value).expect("a string serialises");
        assert!(serde_json::from_str::<TenantId>(&json).is_err());
        assert!(serde_json::from_str::<ThemeName>(&json).is_err());
    }
    if let Ok(email) = UserEmail::parse(value) {
        let email = email.as_str();
        assert!(email.len() <= 254 && email.contains('@'));
        assert_eq!(email, email.to_ascii_lowercase());
        assert_eq!(email, value.trim().to_ascii_lowercase());
        assert_eq!(
            UserEmail::parse(email).map(|e| e.as_str().to_owned()),
            Ok(email.to_owned())
        );
    }

    // A token id read from any value is a non-empty piece of it.
    if let Some(id) = token_id(value) {
        assert!(!id.is_empty() && value.contains(id));
    }
    // Any id written as a cookie value reads back, unless it holds the
    // encoded separator itself.
    let millis = data
        .iter()
        .take(6)
        .fold(0_i64, |n, &b| n * 256 + i64::from(b));
    let at = chrono::DateTime::from_timestamp_millis(millis).unwrap_or_default();
    let written = token_value(value, at);
    if !value.is_empty() && !value.contains("%2C") {
        assert_eq!(token_id(&written), Some(value));
    }
});

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The parts as a browser would send them: quoted names, a closing boundary;
/// and the longest header written.
fn write(parts: &[Part], boundary: &str) -> (Vec<u8>, usize) {
    let quote = |s: &str| {
        let mut out = String::from('"');
        for c in s.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    };
    let mut out = Vec::new();
    let mut longest = 0;
    for part in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name={}", quote(&part.name));
        if let Some(file_name) = &part.file_name {
            disposition.push_str(&format!("; filename={}", quote(file_name)));
        }
        longest = longest.max(disposition.len());
        out.extend_from_slice(disposition.as_bytes());
        out.extend_from_slice(b"\r\n\r\n");
        out.extend_from_slice(&part.data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (out, longest)
}
