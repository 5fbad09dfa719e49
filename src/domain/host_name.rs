//! Host-name syntax (RFC 1035 2.3.4, RFC 1123 2.1) for every part that
//! takes one: config's host names, the RA's registered domains, and the
//! names a DNS query asks for.

/// What a use adds to the common rule (ASCII labels of 1 to 63 letters,
/// digits and hyphens, 253 characters in all).
#[derive(Debug, Clone, Copy)]
pub struct HostRules {
    /// Labels a name needs at least (2: a name under a top-level domain).
    pub min_labels: usize,
    /// Whether '_' may appear, as in DNS-only names like `_acme-challenge`.
    pub underscore: bool,
    /// Whether a label may start or end with '-' (DNS allows it; host names do not).
    pub edge_hyphens: bool,
}

impl HostRules {
    /// A host name: letters, digits and inner hyphens.
    pub const HOST: HostRules = HostRules {
        min_labels: 1,
        underscore: false,
        edge_hyphens: false,
    };
    /// A domain registered for validation: a host name under a TLD.
    pub const REGISTERED_DOMAIN: HostRules = HostRules {
        min_labels: 2,
        ..Self::HOST
    };
    /// Any name a DNS query may carry.
    pub const DNS_QUERY: HostRules = HostRules {
        min_labels: 1,
        underscore: true,
        edge_hyphens: true,
    };
}

/// Checks `name` (ASCII; internationalised names in punycode, no trailing
/// dot); the refusal says which rule it broke.
pub fn check(name: &str, rules: HostRules) -> Result<(), String> {
    if name.is_empty() {
        return Err("is empty".into());
    }
    if name.len() > 253 {
        return Err(format!(
            "is {} characters long; the limit is 253",
            name.len()
        ));
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < rules.min_labels {
        return Err(format!(
            "must have at least {} labels (a name under a top-level domain)",
            rules.min_labels
        ));
    }
    for label in labels {
        let allowed =
            |c: char| c.is_ascii_alphanumeric() || c == '-' || (rules.underscore && c == '_');
        let edges_ok = rules.edge_hyphens || !(label.starts_with('-') || label.ends_with('-'));
        if label.is_empty() || label.len() > 63 || !label.chars().all(allowed) || !edges_ok {
            let characters = if rules.underscore {
                "letters, digits, '-' or '_'"
            } else {
                "letters, digits or inner hyphens"
            };
            return Err(format!(
                "has label '{label}': each label is 1 to 63 {characters} (punycode, xn--..., for internationalised names)"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_use_adds_its_own_rule() {
        assert!(check("localhost", HostRules::HOST).is_ok());
        assert!(check("localhost", HostRules::REGISTERED_DOMAIN).is_err());
        assert!(check("_acme.example.com", HostRules::HOST).is_err());
        assert!(check("_acme.example.com", HostRules::DNS_QUERY).is_ok());
        assert!(check("-a.example.com", HostRules::HOST).is_err());
        assert!(check("a..b", HostRules::DNS_QUERY).is_err());
        let long = format!("{}.com", "a".repeat(64));
        assert!(check(&long, HostRules::HOST).unwrap_err().contains("63"));
        assert!(
            check(&"a.".repeat(130), HostRules::HOST)
                .unwrap_err()
                .contains("253")
        );
    }
}
