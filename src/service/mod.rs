//! The use cases, one file each. They take domain types, call pki and the
//! store, and answer domain results or a `ServiceError`.

pub mod access;
pub mod authorities;
pub mod certificate_authority;
pub mod certificates;
pub mod console;
pub mod directory;
pub mod ecosystem;
pub mod events;
pub mod keystore;
pub mod oauth;
mod open;
pub mod organisations;
pub mod ra;
pub mod revocation;
pub mod seed;
pub mod ssa;
pub mod tenants;
pub mod test_control;
pub mod tls;
pub mod truststore;
pub mod upload;

pub use open::{ServiceSettings, Services, open};

use crate::domain::{Caller, DomainError, OrganisationId};
use crate::pki::PkiError;
use crate::store::StoreError;

/// What a use case can answer instead of a result. Each face maps these to
/// its own status codes and error shape.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{}", .0.join("; "))]
    Invalid(Vec<String>),
    /// The caller is authenticated but may not do this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// The directory cannot do this now (e.g. no active root CA to sign with).
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Crypto(PkiError),
}

impl From<PkiError> for ServiceError {
    fn from(e: PkiError) -> Self {
        if e.is_internal() {
            ServiceError::Crypto(e)
        } else {
            ServiceError::Invalid(vec![e.to_string()])
        }
    }
}

impl From<DomainError> for ServiceError {
    fn from(e: DomainError) -> Self {
        ServiceError::Invalid(vec![e.to_string()])
    }
}

impl From<Vec<DomainError>> for ServiceError {
    fn from(errors: Vec<DomainError>) -> Self {
        ServiceError::Invalid(errors.iter().map(ToString::to_string).collect())
    }
}

/// Refuses a caller that may not act on `org`.
pub(crate) fn ensure_access(caller: &Caller, org: &OrganisationId) -> Result<(), ServiceError> {
    if caller.may_access(org) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "this token may not act on organisation '{org}'"
        )))
    }
}

/// Refuses a caller that is not the admin.
pub fn ensure_admin(caller: &Caller, what: &str) -> Result<(), ServiceError> {
    if caller.is_admin() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "{what} needs the admin token"
        )))
    }
}
