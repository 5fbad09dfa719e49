//! What `POST /v2/revoke` names: a serial in hex and its issuer's
//! distinguished name.

use super::{Code, ErrorCode, RaFailure, Refusal};

/// A certificate serial as hex digits, lower-case, without separators or
/// leading zeros: the form the store keys serials by.
pub fn parse_serial(text: &str) -> Result<String, RaFailure> {
    let digits: String = text
        .trim()
        .trim_start_matches("0x")
        .trim_start_matches("0X")
        .chars()
        .filter(|c| *c != ':' && *c != ' ')
        .collect();
    if digits.is_empty() || digits.len() > 64 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(RaFailure::new(
            Refusal::Invalid,
            ErrorCode::app(Code::InvalidCertificateSerial),
            format!("serialNumber: '{text}' is not a serial number in hex (at most 64 digits)"),
        ));
    }
    let trimmed = match digits.trim_start_matches('0') {
        "" => "0".to_owned(),
        rest => rest.to_ascii_lowercase(),
    };
    // The store keeps whole bytes: an odd digit count gets its leading zero back.
    Ok(if trimmed.len() % 2 == 1 {
        format!("0{trimmed}")
    } else {
        trimmed
    })
}

/// A distinguished name as `TYPE=value` pairs separated by `,` or `+`
/// (a `\` escapes the next character), in either order of RDNs: the set of
/// (upper-case type, value) pairs, sorted, so two spellings compare equal.
pub fn parse_dn(text: &str) -> Result<Vec<(String, String)>, RaFailure> {
    let refuse = |why: &str| {
        RaFailure::new(
            Refusal::Invalid,
            ErrorCode::app(Code::FailedParsingDn),
            format!("issuerName: '{text}' {why}"),
        )
    };
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.push(chars.next().ok_or_else(|| refuse("ends in a lone '\\'"))?),
            ',' | '+' | ';' => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    let mut pairs = Vec::new();
    for part in parts {
        let (kind, value) = part
            .split_once('=')
            .ok_or_else(|| refuse("is not a list of TYPE=value attributes"))?;
        let (kind, value) = (kind.trim(), value.trim());
        if kind.is_empty()
            || value.is_empty()
            || !kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        {
            return Err(refuse("has an attribute with no type or no value"));
        }
        pairs.push((kind.to_ascii_uppercase(), value.to_lowercase()));
    }
    pairs.sort();
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dn_reads_the_same_in_either_order() {
        let a = parse_dn("DC=COM,DC=Some Domain,OU=Unit,CN=Some SubCA").unwrap();
        let b = parse_dn("CN=Some SubCA, OU=Unit, DC=Some Domain, DC=COM").unwrap();
        assert_eq!(a, b);
        assert_eq!(
            parse_dn(r"CN=A\, B,O=x").unwrap(),
            vec![("CN".into(), "a, b".into()), ("O".into(), "x".into())]
        );
    }

    #[test]
    fn garbage_is_not_a_dn() {
        for bad in ["", "CN", "=x", "CN=", "C N=x", "CN=x\\"] {
            let err = parse_dn(bad).unwrap_err();
            assert_eq!(err.code.to_string(), "011.350.0237", "{bad}");
        }
    }

    #[test]
    fn serials_are_normalised() {
        assert_eq!(
            parse_serial("3893409CB666E1F0").unwrap(),
            "3893409cb666e1f0"
        );
        assert_eq!(parse_serial("00:0A:bc").unwrap(), "0abc");
        assert!(parse_serial("xyz").is_err());
        assert!(parse_serial("").is_err());
    }
}
