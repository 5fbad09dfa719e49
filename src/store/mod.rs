//! Persistence behind one trait, so the engine can be swapped; sled is the
//! embedded default.

mod sled_store;
pub mod token_file;

use std::future::Future;
use std::pin::Pin;

pub use sled_store::SledStore;

use chrono::{DateTime, Utc};

use crate::domain::authority::{CaRecord, SignerRecord};
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
    /// Every organisation, in id order.
    fn organisations(&self) -> Result<Vec<Organisation>, StoreError>;
    /// Inserts unless the id is taken; answers whether it inserted.
    fn insert_organisation(&self, organisation: &Organisation) -> Result<bool, StoreError>;
    fn put_organisation(&self, organisation: &Organisation) -> Result<(), StoreError>;

    fn software_statement(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
    ) -> Result<Option<SoftwareStatement>, StoreError>;
    fn software_statements(
        &self,
        org: &OrganisationId,
    ) -> Result<Vec<SoftwareStatement>, StoreError>;
    /// The organisation a software statement id belongs to: ids are unique
    /// across the directory, as they are client ids.
    fn statement_owner(
        &self,
        ss: &SoftwareStatementId,
    ) -> Result<Option<OrganisationId>, StoreError>;
    /// Inserts unless the id is taken anywhere; answers whether it inserted.
    fn insert_software_statement(&self, statement: &SoftwareStatement) -> Result<bool, StoreError>;
    fn put_software_statement(&self, statement: &SoftwareStatement) -> Result<(), StoreError>;

    /// `ss` None: a certificate of the organisation itself.
    fn certificate(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
        kid: &Kid,
    ) -> Result<Option<CertificateOrKey>, StoreError>;
    fn put_certificate(&self, record: &CertificateOrKey) -> Result<(), StoreError>;
    /// `ss` None: the organisation's own certificates only.
    fn owned_certificates(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
    ) -> Result<Vec<CertificateOrKey>, StoreError>;
    /// Every record under the organisation, its statements' included.
    fn organisation_certificates(
        &self,
        org: &OrganisationId,
    ) -> Result<Vec<CertificateOrKey>, StoreError>;

    fn certificate_authority(&self) -> Result<Option<CaRecord>, StoreError>;
    fn put_certificate_authority(&self, record: &CaRecord) -> Result<(), StoreError>;
    fn directory_signer(&self) -> Result<Option<SignerRecord>, StoreError>;
    fn put_directory_signer(&self, record: &SignerRecord) -> Result<(), StoreError>;

    /// Hex SHA-256 of a statement's client secret, if it has one.
    fn client_secret(&self, ss: &SoftwareStatementId) -> Result<Option<String>, StoreError>;
    fn put_client_secret(
        &self,
        ss: &SoftwareStatementId,
        secret_sha256: &str,
    ) -> Result<(), StoreError>;
    /// Records a client assertion's jti until `expires`; false if it was seen before.
    fn remember_jti(
        &self,
        client: &SoftwareStatementId,
        jti: &str,
        expires: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Resolves once every write made before the call is on disk.
    fn flush(&self) -> Flush<'_>;
}
