//! Persistence behind one trait, so the engine can be swapped; redb is the
//! embedded default.

mod access;
mod authorities;
pub mod engine;
mod events;
mod organisations;
mod ra;
mod redb_engine;
mod redb_store;
mod serials;
mod sled_import;
mod statements;
mod tenants;
pub mod token_file;
mod trust_anchors;

use std::path::Path;

pub use access::ClientCredentials;
pub use authorities::Authorities;
pub use engine::{Database, Flush};
pub use events::Events;
pub use organisations::Organisations;
pub use ra::RaRecords;
pub use redb_store::RedbStore;
pub use serials::Serials;
pub use statements::SoftwareStatements;
pub use tenants::TenantRecords;
pub use trust_anchors::TrustAnchors;

/// Opens the store in `dir` (see `RedbStore::open`), first bringing over the
/// records of an earlier version's sled database if one is there.
pub fn open(dir: &Path, cache_mb: u64, background_flush_ms: u64) -> Result<RedbStore, StoreError> {
    let store = RedbStore::open(dir, cache_mb, background_flush_ms)?;
    if let Some(copied) = sled_import::import_sled(dir, &store)? {
        log::info!(
            "copied {copied} records of the earlier sled store in {} to redb",
            dir.display()
        );
    }
    Ok(store)
}

/// The repositories, over one engine.
pub struct Repositories {
    pub db: Database,
    pub trust_anchors: TrustAnchors,
    pub tenants: TenantRecords,
    pub credentials: ClientCredentials,
    pub events: Events,
    pub organisations: Organisations,
    pub statements: SoftwareStatements,
    pub ra: RaRecords,
    pub serials: Serials,
    pub authorities: Authorities,
}

impl Repositories {
    pub fn new(db: Database) -> Self {
        Repositories {
            trust_anchors: TrustAnchors::new(db.clone()),
            tenants: TenantRecords::new(db.clone()),
            credentials: ClientCredentials::new(db.clone()),
            events: Events::new(db.clone()),
            organisations: Organisations::new(db.clone()),
            statements: SoftwareStatements::new(db.clone()),
            ra: RaRecords::new(db.clone()),
            serials: Serials::new(db.clone()),
            authorities: Authorities::new(db.clone()),
            db,
        }
    }
}

use crate::domain::{CertificateOrKey, Kid, OrganisationId, SoftwareStatementId};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage engine failed: {0}")]
    Engine(String),
    #[error("stored record under {key} does not decode: {reason}")]
    Corrupt { key: String, reason: String },
    /// Another transaction changed what this one read; running it again may
    /// succeed. Only engines with concurrent writers answer it.
    #[error("write conflict: {0}")]
    Conflict(String),
}

/// One stored record: its tree, key and value.
pub type StoredEntry = (String, Vec<u8>, Vec<u8>);

pub trait Store: Send + Sync {
    /// `ss` None: a certificate of the organisation itself.
    fn certificate(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
        kid: &Kid,
    ) -> Result<Option<CertificateOrKey>, StoreError>;
    /// Writes a record. One the directory's CAs issued (it names its issuer
    /// and serial) is also indexed by serial in the same transaction, for
    /// OCSP, and listed for its CA's CRL once revoked.
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

    /// Every stored record but the audit log (which records refused requests
    /// too), as (tree, key, value) in order: two equal answers mean nothing
    /// was written between them.
    fn contents(&self) -> Result<Vec<StoredEntry>, StoreError>;

    /// Replaces every stored record but the audit log with `entries` (as
    /// `contents` lists them), in one transaction; an entry naming no known
    /// table refuses the whole replacement.
    fn replace_contents(&self, entries: Vec<StoredEntry>) -> Result<(), StoreError>;

    /// Resolves once every write made before the call is on disk.
    fn flush(&self) -> Flush<'_>;
}
