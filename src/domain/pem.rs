//! PEM armour (RFC 7468): DER as base64 between BEGIN and END lines, the
//! text form every certificate the directory shows is given in.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Wraps DER in PEM armour with 64-character lines.
pub fn armour(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}
