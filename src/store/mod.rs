//! Persistence behind one trait, so the engine can be swapped; sled is the
//! embedded default.

mod sled_store;
pub mod token_file;

use std::future::Future;
use std::pin::Pin;

pub use sled_store::SledStore;

use crate::domain::authority::CaRecord;
use crate::domain::{
    CertificateOrKey, Kid, Organisation, OrganisationId, SoftwareStatement, SoftwareStatementId,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage engine failed: {0}")]
    Engine(String),
    #[error("stored record under {key} does not decode: {reason}")]
    Corrupt { key: String, reason: String },
}

pub type Flush<'a> = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send + 'a>>;

pub trait Store: Send + Sync {
    fn organisation(&self, id: &OrganisationId) -> Result<Option<Organisation>, StoreError>;
    /// Inserts unless the id is taken; answers whether it inserted.
    fn insert_organisation(&self, organisation: &Organisation) -> Result<bool, StoreError>;

    fn software_statement(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
    ) -> Result<Option<SoftwareStatement>, StoreError>;
    /// Inserts unless the id is taken in its organisation; answers whether it inserted.
    fn insert_software_statement(&self, statement: &SoftwareStatement) -> Result<bool, StoreError>;

    fn certificate(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
        kid: &Kid,
    ) -> Result<Option<CertificateOrKey>, StoreError>;
    fn put_certificate(&self, record: &CertificateOrKey) -> Result<(), StoreError>;
    fn statement_certificates(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
    ) -> Result<Vec<CertificateOrKey>, StoreError>;
    fn organisation_certificates(
        &self,
        org: &OrganisationId,
    ) -> Result<Vec<CertificateOrKey>, StoreError>;

    fn certificate_authority(&self) -> Result<Option<CaRecord>, StoreError>;
    fn put_certificate_authority(&self, record: &CaRecord) -> Result<(), StoreError>;

    /// Resolves once every write made before the call is on disk.
    fn flush(&self) -> Flush<'_>;
}
