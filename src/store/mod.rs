//! Persistence: one repository per aggregate, each owning its tables, its
//! indexes and its invariants, over a narrow engine seam (`engine`) with redb
//! as the embedded engine.

mod access;
mod authorisation_servers;
mod authorities;
mod authority_claims;
mod certificates;
mod contacts;
mod contents;
mod documents;
mod domain_users;
pub mod engine;
mod events;
mod fault_rules;
mod organisations;
mod owned;
mod participants_version;
mod ra;
mod redb_engine;
mod serials;
mod sled_import;
mod statement_certifications;
mod statements;
mod tenants;
pub mod token_file;
mod trust_anchors;

use std::path::Path;
use std::sync::Arc;

pub use access::ClientCredentials;
pub use authorisation_servers::AuthorisationServers;
pub use authorities::Authorities;
pub use authority_claims::{AuthorityClaims, StatementClaimRefused};
pub use certificates::{Added, Certificates, Revocation};
pub use contacts::Contacts;
pub use contents::{StoreContents, StoredEntry};
pub use documents::{DocumentCache, Ticket};
pub use domain_users::DomainUsers;
pub use engine::{Committed, Database};
pub use events::Events;
pub use fault_rules::FaultRuleRecords;
pub use organisations::Organisations;
pub use owned::{Put, Refused as ServerRefused};
pub use participants_version::ParticipantsVersion;
pub use ra::RaRecords;
pub use serials::Serials;
pub use statement_certifications::StatementCertifications;
pub use statements::SoftwareStatements;
pub use tenants::TenantRecords;
pub use trust_anchors::TrustAnchors;

/// Every table of every repository, in the order `StoreContents` lists them.
const TABLES: [engine::Table; 35] = [
    organisations::ORGANISATIONS,
    statements::STATEMENTS,
    statements::STATEMENT_OWNERS,
    certificates::CERTIFICATES,
    certificates::OWNER_KEYS,
    authorities::AUTHORITY,
    access::CLIENT_SECRETS,
    access::SEEN_JTIS,
    access::REVOKED_TOKENS,
    authorities::ROOT_CAS,
    authorities::ISSUING_CAS,
    serials::ISSUED_SERIALS,
    serials::REVOKED_SERIALS,
    events::EVENTS,
    ra::RA_OPERATORS,
    ra::RA_CLIENTS,
    ra::RA_DOMAINS,
    ra::RA_ORDERS,
    ra::RA_OPEN_ORDERS,
    ra::RA_CLIENT_ORDERS,
    ra::DNS_TXT,
    trust_anchors::TRUST_ANCHORS,
    tenants::TENANT_USERS,
    tenants::TENANT_SESSIONS,
    tenants::THEME_PKI,
    authorisation_servers::AUTHORISATION_SERVERS,
    authorisation_servers::API_RESOURCES,
    authorisation_servers::SERVER_CERTIFICATIONS,
    authority_claims::AUTHORITY_CLAIMS,
    authority_claims::DOMAIN_CLAIMS,
    authority_claims::SOFTWARE_CLAIMS,
    contacts::CONTACTS,
    domain_users::DOMAIN_USERS,
    statement_certifications::STATEMENT_CERTIFICATIONS,
    fault_rules::FAULT_RULES,
];

/// Opens the store in `dir` with a page cache of `cache_mb` MiB, first
/// bringing over the records of an earlier version's sled database if one is
/// there.
pub fn open(dir: &Path, cache_mb: u64) -> Result<Repositories, StoreError> {
    let engine = redb_engine::RedbEngine::open(dir, cache_mb, &TABLES)?;
    if let Some(copied) = sled_import::import_sled(dir, &engine)? {
        log::info!(
            "copied {copied} records of the earlier sled store in {} to redb",
            dir.display()
        );
    }
    let db = Database::new(Arc::new(engine));
    if !db.read(certificates::is_indexed)? {
        db.commit_blocking(certificates::index_keys)?;
    }
    Ok(Repositories::new(db))
}

/// The repositories, over one engine.
pub struct Repositories {
    pub db: Database,
    pub contents: StoreContents,
    pub trust_anchors: TrustAnchors,
    pub tenants: TenantRecords,
    pub credentials: ClientCredentials,
    pub events: Events,
    pub fault_rules: FaultRuleRecords,
    pub organisations: Organisations,
    pub statements: SoftwareStatements,
    pub authorisation_servers: AuthorisationServers,
    pub authority_claims: AuthorityClaims,
    pub contacts: Contacts,
    pub domain_users: DomainUsers,
    pub statement_certifications: StatementCertifications,
    pub ra: RaRecords,
    pub serials: Serials,
    pub authorities: Authorities,
    pub certificates: Certificates,
    /// Bumped after each change to what the participants document shows.
    pub participants_version: ParticipantsVersion,
}

impl Repositories {
    fn new(db: Database) -> Self {
        let documents = Arc::new(DocumentCache::default());
        let version = ParticipantsVersion::default();
        Repositories {
            contents: StoreContents::new(db.clone(), documents.clone(), version.clone()),
            trust_anchors: TrustAnchors::new(db.clone()),
            tenants: TenantRecords::new(db.clone()),
            credentials: ClientCredentials::new(db.clone()),
            events: Events::new(db.clone()),
            fault_rules: FaultRuleRecords::new(db.clone()),
            organisations: Organisations::new(db.clone(), version.clone()),
            statements: SoftwareStatements::new(db.clone()),
            authorisation_servers: AuthorisationServers::new(db.clone(), version.clone()),
            authority_claims: AuthorityClaims::new(db.clone(), version.clone()),
            contacts: Contacts::new(db.clone(), version.clone()),
            domain_users: DomainUsers::new(db.clone()),
            statement_certifications: StatementCertifications::new(db.clone()),
            ra: RaRecords::new(db.clone()),
            serials: Serials::new(db.clone()),
            authorities: Authorities::new(db.clone()),
            certificates: Certificates::new(db.clone(), documents),
            participants_version: version,
            db,
        }
    }
}

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
