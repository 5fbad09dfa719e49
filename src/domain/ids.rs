//! Identifiers with a rule. Each has one constructor, `parse`, so a value of
//! these types is known good everywhere past the edge.

use serde::{Deserialize, Serialize};

use super::DomainError;

/// Raidiam's path rule for organisation and software statement ids:
/// at most 40 characters and none of `<` or `>`.
pub const MAX_ID_CHARS: usize = 40;
/// The same rule as the directory's OpenAPI document writes it.
pub const ID_PATTERN: &str = "^[^<>]*$";

fn check_directory_id(field: &'static str, value: &str) -> Result<(), DomainError> {
    if value.is_empty() {
        return Err(DomainError::field(field, "must not be empty"));
    }
    if value.chars().count() > MAX_ID_CHARS {
        return Err(DomainError::field(
            field,
            format!(
                "must be at most {MAX_ID_CHARS} characters, got {}",
                value.chars().count()
            ),
        ));
    }
    if value.contains(['<', '>']) {
        return Err(DomainError::field(
            field,
            format!("must match {ID_PATTERN} (no '<' or '>')"),
        ));
    }
    // Ids become path segments of keystore URLs and file-like keys in the store.
    if value == "." || value == ".." {
        return Err(DomainError::field(field, "must not be '.' or '..'"));
    }
    if value.contains(['/', '\\']) || value.chars().any(char::is_control) {
        return Err(DomainError::field(
            field,
            "must not contain '/', '\\' or control characters",
        ));
    }
    Ok(())
}

macro_rules! directory_id {
    ($name:ident, $field:literal) => {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const FIELD: &'static str = $field;

            pub fn parse(value: &str) -> Result<Self, DomainError> {
                check_directory_id($field, value)?;
                Ok(Self(value.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        text_conversions!($name);

        /// A string under the directory's id rule, as the document states it.
        impl schemars::JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> std::borrow::Cow<'static, str> {
                $field.into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                directory_id_schema()
            }
        }
    };
}

/// A directory id's rule as a JSON Schema.
pub fn directory_id_schema() -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_ID_CHARS,
        "pattern": ID_PATTERN,
    })
}

/// The fields every directory id is named by, in paths and bodies alike.
pub const DIRECTORY_ID_FIELDS: [&str; 12] = [
    OrganisationId::FIELD,
    SoftwareStatementId::FIELD,
    AuthorisationServerId::FIELD,
    ApiResourceId::FIELD,
    ApiDiscoveryEndpointId::FIELD,
    CertificationId::FIELD,
    AuthorityClaimId::FIELD,
    AuthorisationId::FIELD,
    DomainClaimId::FIELD,
    SoftwareClaimId::FIELD,
    ContactId::FIELD,
    StatementCertificationId::FIELD,
];

directory_id!(OrganisationId, "OrganisationId");
directory_id!(SoftwareStatementId, "SoftwareStatementId");
directory_id!(AuthorisationServerId, "AuthorisationServerId");
directory_id!(ApiResourceId, "ApiResourceId");
directory_id!(ApiDiscoveryEndpointId, "ApiDiscoveryEndpointId");
directory_id!(CertificationId, "AuthorisationServerCertificationId");
directory_id!(AuthorityClaimId, "OrganisationAuthorityClaimId");
directory_id!(AuthorisationId, "OrganisationAuthorisationId");
directory_id!(DomainClaimId, "OrganisationAuthorityDomainClaimId");
directory_id!(SoftwareClaimId, "SoftwareAuthorityClaimId");
directory_id!(ContactId, "ContactId");
directory_id!(StatementCertificationId, "SoftwareStatementCertificationId");

/// A key id as it appears in a JWKS and in `/{kid}.pem` URLs: base64url text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Kid(String);

impl Kid {
    pub const FIELD: &'static str = "CertificateOrKeyId";

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '=';
        if value.is_empty() || value.len() > 255 || !value.chars().all(base64url) {
            return Err(DomainError::field(
                Self::FIELD,
                "must be 1 to 255 base64url characters",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_conversions!(Kid);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_of_forty_characters_is_accepted_and_forty_one_refused() {
        assert!(OrganisationId::parse(&"a".repeat(40)).is_ok());
        let err = OrganisationId::parse(&"a".repeat(41)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("OrganisationId: must be at most 40")
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(SoftwareStatementId::parse(&"é".repeat(40)).is_ok());
    }

    #[test]
    fn angle_brackets_empty_and_slashes_are_refused() {
        for bad in [
            "", "a<b", "a>b", "<script>", "a/b", "a\\b", "a\nb", ".", "..",
        ] {
            assert!(SoftwareStatementId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_valid_id_round_trips_through_json() {
        for good in [
            "x",
            "c1f6e6b4-5f4e-4c6f-9b7a-1f0e2d3c4b5a",
            "Org 1 (test)",
            "ação",
        ] {
            let id = OrganisationId::parse(good).unwrap();
            let json = serde_json::to_string(&id).unwrap();
            assert_eq!(serde_json::from_str::<OrganisationId>(&json).unwrap(), id);
            assert_eq!(id.as_str(), good);
        }
    }

    #[test]
    fn a_kid_is_base64url() {
        assert!(Kid::parse("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs").is_ok());
        assert!(Kid::parse("a/b").is_err());
        assert!(Kid::parse("").is_err());
    }
}
