//! Persistence behind one trait, so the engine can be swapped; redb is the
//! embedded default.

mod access;
pub mod engine;
mod events;
mod organisations;
mod redb_engine;
mod redb_store;
mod sled_import;
mod statements;
mod tenants;
pub mod token_file;
mod trust_anchors;

use std::path::Path;

pub use access::ClientCredentials;
pub use engine::{Database, Flush};
pub use events::Events;
pub use organisations::Organisations;
pub use redb_store::RedbStore;
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
            db,
        }
    }
}

use crate::domain::authority::{
    CaRecord, IssuedSerial, IssuingCaRecord, RootCaRecord, SignerRecord,
};
use crate::domain::ra::{
    ClientDomain, ClientReference, DomainReference, OperatorName, Order, OrderReference, RaClient,
    RaOperator,
};
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

    /// The CA as the first layout kept it, if this data dir has one.
    fn legacy_certificate_authority(&self) -> Result<Option<CaRecord>, StoreError>;
    fn remove_legacy_certificate_authority(&self) -> Result<(), StoreError>;
    fn root_cas(&self) -> Result<Vec<RootCaRecord>, StoreError>;
    fn put_root_ca(&self, record: &RootCaRecord) -> Result<(), StoreError>;
    fn remove_root_ca(&self, id: &str) -> Result<(), StoreError>;
    fn issuing_cas(&self) -> Result<Vec<IssuingCaRecord>, StoreError>;
    fn put_issuing_ca(&self, record: &IssuingCaRecord) -> Result<(), StoreError>;
    /// A serial an issuing CA signed, by issuing CA id and hex serial.
    fn issued_serial(
        &self,
        issuer: &str,
        serial_hex: &str,
    ) -> Result<Option<IssuedSerial>, StoreError>;
    /// The serials an issuing CA signed and that were revoked, in hex serial
    /// order: what its CRL lists, read without visiting the rest.
    fn revoked_serials(&self, issuer: &str) -> Result<Vec<(String, IssuedSerial)>, StoreError>;
    fn directory_signer(&self) -> Result<Option<SignerRecord>, StoreError>;
    fn put_directory_signer(&self, record: &SignerRecord) -> Result<(), StoreError>;

    /// Writes a serial's entry (an RA certificate's revocation), listing it
    /// for its CA's CRL once revoked.
    fn put_issued_serial(
        &self,
        issuer: &str,
        serial_hex: &str,
        entry: &IssuedSerial,
    ) -> Result<(), StoreError>;

    fn ra_operator(&self, name: &OperatorName) -> Result<Option<RaOperator>, StoreError>;
    fn ra_operators(&self) -> Result<Vec<RaOperator>, StoreError>;
    fn put_ra_operator(&self, operator: &RaOperator) -> Result<(), StoreError>;
    fn ra_client(&self, reference: &ClientReference) -> Result<Option<RaClient>, StoreError>;
    /// Every client, in reference order.
    fn ra_clients(&self) -> Result<Vec<RaClient>, StoreError>;
    fn put_ra_client(&self, client: &RaClient) -> Result<(), StoreError>;
    fn ra_domain(&self, reference: &DomainReference) -> Result<Option<ClientDomain>, StoreError>;
    /// Every domain registered for any client.
    fn ra_domains(&self) -> Result<Vec<ClientDomain>, StoreError>;
    fn put_ra_domain(&self, domain: &ClientDomain) -> Result<(), StoreError>;
    fn remove_ra_domain(&self, reference: &DomainReference) -> Result<(), StoreError>;
    fn ra_order(&self, reference: &OrderReference) -> Result<Option<Order>, StoreError>;
    /// A client's orders, newest first, that `keep` accepts, at most `limit`
    /// of them: read through a per-client index, so the cost follows the
    /// page, not the number of orders stored.
    fn ra_orders_newest(
        &self,
        client: &ClientReference,
        limit: usize,
        keep: &mut dyn FnMut(&Order) -> bool,
    ) -> Result<Vec<Order>, StoreError>;
    /// The orders not yet issued or failed, read without visiting the rest.
    fn open_ra_orders(&self) -> Result<Vec<Order>, StoreError>;
    /// Writes an order, and with it (in the same transaction) the serial
    /// entry of the certificate it was just issued.
    fn put_ra_order(
        &self,
        order: &Order,
        issued: Option<(&str, &str, &IssuedSerial)>,
    ) -> Result<(), StoreError>;
    /// The TXT values the emulated DNS publishes at an ASCII name.
    fn dns_txt(&self, name: &str) -> Result<Vec<String>, StoreError>;
    /// Sets them; none removes the name.
    fn put_dns_txt(&self, name: &str, values: &[String]) -> Result<(), StoreError>;

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
