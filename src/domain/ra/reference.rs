//! The RA's references: a kind prefix and a UUID (`cli-<uuid>`).

use serde::{Deserialize, Serialize};

use crate::domain::DomainError;

/// `8-4-4-4-12` hex digits.
fn is_uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

macro_rules! reference {
    ($name:ident, $prefix:literal, $field:literal) => {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const FIELD: &'static str = $field;
            pub const PREFIX: &'static str = $prefix;

            /// `<prefix><uuid>`, case-insensitive; kept lower-case.
            pub fn parse(value: &str) -> Result<Self, DomainError> {
                let lower = value.to_ascii_lowercase();
                match lower.strip_prefix($prefix) {
                    Some(uuid) if is_uuid(uuid) => Ok(Self(lower)),
                    _ => Err(DomainError::field(
                        $field,
                        format!(
                            "must be '{}' followed by a UUID (8-4-4-4-12 hex digits)",
                            $prefix
                        ),
                    )),
                }
            }

            pub fn from_uuid(uuid: uuid::Uuid) -> Self {
                Self(format!("{}{}", $prefix, uuid.hyphenated()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        text_conversions!($name);
    };
}

reference!(ClientReference, "cli-", "clientReference");
reference!(ProductReference, "pma-", "productReference");
reference!(DomainReference, "cld-", "prevalidatedDomainReference");
reference!(OrderReference, "ord-", "orderReference");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_its_prefix_and_a_uuid() {
        let r = ClientReference::parse("cli-90DBAEB2-0047-49e7-bc5d-1c63848e1acd").unwrap();
        assert_eq!(r.as_str(), "cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acd");
        for bad in [
            "pma-90dbaeb2-0047-49e7-bc5d-1c63848e1acd",
            "cli-",
            "cli-90dbaeb2-0047-49e7-bc5d-1c63848e1ac",
            "cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acdx",
            "cli-90dbaeb2_0047-49e7-bc5d-1c63848e1acd",
            "cli-<script>",
        ] {
            assert!(ClientReference::parse(bad).is_err(), "{bad}");
        }
        let fresh = OrderReference::from_uuid(uuid::Uuid::nil());
        assert_eq!(OrderReference::parse(fresh.as_str()).unwrap(), fresh);
    }
}
