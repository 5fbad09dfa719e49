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

use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::domain::{Caller, Clock, DomainError, OrganisationId, PublicUrls};
use crate::pki::PkiError;
use crate::pki::authority::CaNaming;
use crate::store::{Database, StoreContents, StoreError};

/// Everything a use case needs: the store, the CA and signing key, the clock
/// and the URL layout.
pub struct Core {
    pub(crate) db: Database,
    pub(crate) contents: StoreContents,
    pub(crate) trust_store: Arc<truststore::TrustStore>,
    pub(crate) oauth: Arc<oauth::AuthorisationServer>,
    pub(crate) audit_log: events::AuditLog,
    pub(crate) directory: Arc<directory::Directory>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) authority: Arc<certificate_authority::CertificateAuthority>,
    pub(crate) urls: PublicUrls,
    /// Held across a uniqueness check and the write it guards.
    pub(crate) writes: Arc<Mutex<()>>,
    /// Where the store lives; snapshots go beside it.
    pub(crate) data_dir: std::path::PathBuf,
    pub(crate) ra: Arc<ra::Ra>,
    pub(crate) tenants: Arc<tenants::Tenants>,
}

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

/// The directory's OAuth 2.0 server.
#[derive(Debug, Clone)]
pub struct OAuthSettings {
    pub access_token_minutes: i64,
    /// Whether statements get a client secret (client_secret_basic) at creation.
    pub client_secret_basic: bool,
    /// Whether a TLS listener asks for client certificates (tls_client_auth).
    pub tls_client_auth: bool,
}

/// How the core is set up: what it hands out and how it signs.
pub struct CoreSettings {
    pub urls: PublicUrls,
    pub validity_months: u32,
    pub background_flush_ms: u64,
    pub cache_mb: u64,
    pub ca: CaNaming,
    pub oauth: OAuthSettings,
    pub revocation_hours: i64,
    pub ra: ra::RaSettings,
    /// PEM texts of the CAs `[truststore]` names, each already read.
    pub trust_anchors: Vec<String>,
    pub tenants: tenants::TenantSettings,
}

impl Core {
    /// Opens the store in `data_dir`, loading the CA and the directory's
    /// signing key or making them on first start.
    pub async fn open(
        data_dir: &Path,
        settings: CoreSettings,
        clock: Arc<dyn Clock>,
    ) -> Result<Core, ServiceError> {
        create_private_dir(data_dir).map_err(|e| {
            StoreError::Engine(format!(
                "cannot create data dir {}: {e}",
                data_dir.display()
            ))
        })?;
        let repositories =
            crate::store::open(data_dir, settings.cache_mb, settings.background_flush_ms)?;
        let (authority, created) = certificate_authority::CertificateAuthority::open(
            repositories.authorities,
            repositories.serials,
            repositories.db.clone(),
            clock.clone(),
            certificate_authority::CaSettings {
                naming: settings.ca,
                validity_months: settings.validity_months,
                revocation_hours: settings.revocation_hours,
                urls: settings.urls.clone(),
            },
        )?;
        if created {
            log::info!(
                "created the directory's root and issuing CA in {}",
                data_dir.display()
            );
        }
        repositories.db.flush().await?;
        let trust_store = Arc::new(truststore::TrustStore::new(
            repositories.trust_anchors,
            repositories.db.clone(),
            clock.clone(),
            settings.trust_anchors,
        ));
        let writes = Arc::new(Mutex::new(()));
        let tenants = tenants::Tenants::open(
            settings.tenants,
            data_dir,
            tenants::TenantsParts {
                records: repositories.tenants,
                db: repositories.db.clone(),
                clock: clock.clone(),
                trust: trust_store.clone(),
                writes: writes.clone(),
            },
        )?;
        let participants = organisations::Participants {
            organisations: repositories.organisations,
            statements: repositories.statements,
            db: repositories.db.clone(),
            clock: clock.clone(),
            client_secret_basic: settings.oauth.client_secret_basic,
            writes: writes.clone(),
        };
        let authority = Arc::new(authority);
        let directory = Arc::new(directory::Directory {
            participants,
            certificates: repositories.certificates,
            authority: authority.clone(),
            trust_store: trust_store.clone(),
            db: repositories.db.clone(),
            clock: clock.clone(),
            urls: settings.urls.clone(),
        });
        let ra = Arc::new(ra::Ra::new(
            settings.ra,
            ra::RaParts {
                records: repositories.ra,
                authority: authority.clone(),
                db: repositories.db.clone(),
                clock: clock.clone(),
                writes: writes.clone(),
            },
        ));
        let core = Core {
            db: repositories.db,
            contents: repositories.contents,
            trust_store,
            oauth: Arc::new(oauth::AuthorisationServer {
                directory: directory.clone(),
                credentials: repositories.credentials,
                settings: settings.oauth,
            }),
            audit_log: events::AuditLog::new(repositories.events, clock.clone()),
            directory,
            clock,
            authority,
            urls: settings.urls,
            writes,
            data_dir: data_dir.to_path_buf(),
            ra,
            tenants: Arc::new(tenants),
        };
        ra::accounts::write_configured(&core.ra)?;
        truststore::write_configured(&core.trust_store)?;
        tenants::accounts::write_configured(&core.tenants)?;
        core.db.flush().await?;
        Ok(core)
    }

    /// The audit log's use cases.
    pub fn audit_log(&self) -> &events::AuditLog {
        &self.audit_log
    }

    /// The trust store's use cases.
    pub fn trust_store(&self) -> &truststore::TrustStore {
        &self.trust_store
    }

    /// How many write transactions the store committed since it was opened.
    pub fn store_commits(&self) -> u64 {
        self.db.commits()
    }

    pub fn urls(&self) -> &PublicUrls {
        &self.urls
    }

    /// Every issuing CA (the signing one first) then every root, PEM.
    pub fn ca_chain_pem(&self) -> Result<String, ServiceError> {
        self.authority.chain_pem()
    }

    /// Every stored record but the audit log; see `StoreContents::all`.
    pub fn stored_contents(&self) -> Result<Vec<crate::store::StoredEntry>, ServiceError> {
        Ok(self.contents.all()?)
    }

    /// Replaces the stored state (see `StoreContents::replace`) and all that
    /// is held from it: the CA hierarchy, the signing key, cached documents
    /// and CRLs. With no CA left, makes one as on a first start.
    pub(crate) async fn replace_state(
        &self,
        entries: Vec<crate::store::StoredEntry>,
    ) -> Result<(), ServiceError> {
        {
            let _guard = self.writes.lock().unwrap_or_else(|e| e.into_inner());
            // No RA order moves on while its record is being replaced.
            let _orders = self
                .ra
                .order_moves
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            self.contents.replace(&entries)?;
            self.authority.reload()?;
            ra::accounts::write_configured(&self.ra)?;
            truststore::write_configured(&self.trust_store)?;
            tenants::accounts::write_configured(&self.tenants)?;
        }
        self.db.flush().await?;
        Ok(())
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

/// The data dir holds the CA's private keys: only its owner may read it.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}
