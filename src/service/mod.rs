//! The use cases, one file each. They take domain types, call pki and the
//! store, and answer domain results or a `ServiceError`.

pub mod access;
pub mod api_resources;
pub mod authorisation_servers;
pub mod authorities;
pub mod authority_claims;
pub mod certificate_authority;
pub mod certificates;
pub mod console;
pub mod contacts;
pub mod directory;
pub mod domain_users;
pub mod ecosystem;
pub mod error;
pub mod events;
pub mod fault_rules;
pub mod keystore;
pub mod oauth;
mod open;
pub mod organisations;
pub mod participants;
pub mod ra;
pub mod revocation;
pub mod seed;
pub mod server_certifications;
pub mod ssa;
pub mod statement_certifications;
pub mod statement_roles;
pub mod tenants;
pub mod test_control;
pub mod tls;
pub mod token_lifecycle;
pub mod truststore;
pub mod upload;

pub use error::ServiceError;

/// The directory's write lock: held across a read and the write it decides
/// (a uniqueness check, an update), and by a reset, so neither falls between
/// them. It is awaited, so a holder may await the commit.
pub type WriteLock = std::sync::Arc<tokio::sync::Mutex<()>>;
pub use open::{ServiceSettings, Services, open};

use crate::domain::{Caller, OrganisationId};
use error::Forbidden;

/// Refuses a caller that may not act on `org`.
pub(crate) fn ensure_access(caller: &Caller, org: &OrganisationId) -> Result<(), ServiceError> {
    if caller.may_access(org) {
        Ok(())
    } else {
        Err(Forbidden::Organisation(org.clone()).into())
    }
}

/// Refuses a caller that is not the admin.
pub fn ensure_admin(caller: &Caller, what: &'static str) -> Result<(), ServiceError> {
    if caller.is_admin() {
        Ok(())
    } else {
        Err(Forbidden::AdminOnly(what).into())
    }
}
