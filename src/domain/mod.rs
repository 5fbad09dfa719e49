//! Plain types and rules of the directory: no I/O, no HTTP, no crypto library.

/// The conversions every text newtype with a `parse` rule has: from a
/// String through `parse` (so serde's `try_from` keeps the rule), back to
/// a String, and Display as the text itself.
macro_rules! text_conversions {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = $crate::domain::DomainError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

pub mod access;
pub mod api_resource;
pub mod authorisation_server;
pub mod authority;
pub mod authority_claim;
pub mod certificate;
pub mod certification;
pub mod clock;
pub mod contact;
pub mod domain_user;
pub mod ecosystem;
pub mod event;
pub mod face;
pub mod fapi;
pub mod fault;
pub mod fault_rules;
pub mod host_name;
pub mod ids;
pub mod organisation;
pub mod page;
pub mod participant;
pub mod pem;
pub mod ra;
pub mod reference;
mod rules;
pub mod seed;
pub mod statement_update;
pub mod tenants;
pub mod trust;
pub mod urls;

pub use access::{AdminToken, Caller};
pub use api_resource::{ApiDiscoveryEndpoint, ApiResource};
pub use authorisation_server::AuthorisationServer;
pub use certificate::{
    CertOrKeyType, CertificateOrKey, KeyUse, PublicJwk, RecordStatus, RevokeReason,
};
pub use certification::{ServerCertification, StatementCertification};
pub use clock::{Clock, FixedClock, SystemClock};
pub use ids::{
    ApiDiscoveryEndpointId, ApiResourceId, AuthorisationId, AuthorisationServerId,
    AuthorityClaimId, CertificationId, ContactId, DomainClaimId, Kid, OrganisationId,
    SoftwareClaimId, SoftwareStatementId, StatementCertificationId,
};
pub use organisation::{Organisation, SoftwareStatement};
pub use urls::{Flavour, KeySet, KeystoreDocument, PublicUrls};

/// A value that broke a rule: which field, and which rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {rule}")]
pub struct DomainError {
    pub field: String,
    pub rule: String,
}

impl DomainError {
    pub fn field(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            rule: rule.into(),
        }
    }
}
