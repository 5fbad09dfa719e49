//! The use cases, one file each. They take domain types, call pki and the
//! store, and answer domain results or a `ServiceError`.

pub mod access;
pub mod certificates;
pub mod keystore;
pub mod oauth;
pub mod organisations;
pub mod seed;
pub mod ssa;
pub mod upload;

use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::domain::{Caller, Clock, DomainError, OrganisationId, PublicUrls};
use crate::pki::authority::CaNaming;
use crate::pki::jws::DirectorySigner;
use crate::pki::{CertificateAuthority, PkiError};
use crate::store::{SledStore, Store, StoreError};

/// Everything a use case needs: the store, the CA and signing key, the clock
/// and the URL layout.
pub struct Core {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) authority: CertificateAuthority,
    pub(crate) signer: DirectorySigner,
    pub(crate) urls: PublicUrls,
    pub(crate) validity_months: u32,
    pub(crate) oauth: OAuthSettings,
    /// Held across a uniqueness check and the write it guards.
    pub(crate) writes: Mutex<()>,
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
}

/// How the core is set up: what it hands out and how it signs.
pub struct CoreSettings {
    pub urls: PublicUrls,
    pub validity_months: u32,
    pub background_flush_ms: u64,
    pub ca: CaNaming,
    pub oauth: OAuthSettings,
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
        let store: Arc<dyn Store> =
            Arc::new(SledStore::open(data_dir, settings.background_flush_ms)?);
        let now = clock.now();
        let authority = match store.certificate_authority()? {
            Some(record) => {
                CertificateAuthority::from_record(&record).map_err(ServiceError::Crypto)?
            }
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                let authority = CertificateAuthority::create(id, &settings.ca, now)
                    .map_err(ServiceError::Crypto)?;
                store.put_certificate_authority(
                    &authority.to_record(now).map_err(ServiceError::Crypto)?,
                )?;
                log::info!(
                    "created the directory CA {} in {}",
                    authority.id(),
                    data_dir.display()
                );
                authority
            }
        };
        let signer_record = match store.directory_signer()? {
            Some(record) => record,
            None => {
                let (key, issued) = authority
                    .issue_directory_signer(&settings.ca, now, &settings.urls)
                    .map_err(ServiceError::Crypto)?;
                let facts = DirectorySigner::facts(&key).map_err(ServiceError::Crypto)?;
                let leaf_sha256 = crate::pki::jwk::x5t_s256(&issued.chain[0]);
                let kid = settings.urls.flavour().kid(
                    Some(&leaf_sha256),
                    &facts.thumbprint_sha256,
                    &facts.thumbprint_sha1,
                );
                let record = DirectorySigner::record(&key, &issued.chain, kid)
                    .map_err(ServiceError::Crypto)?;
                store.put_directory_signer(&record)?;
                record
            }
        };
        store.flush().await?;
        let signer = DirectorySigner::from_record(&signer_record).map_err(ServiceError::Crypto)?;
        Ok(Core {
            store,
            clock,
            authority,
            signer,
            urls: settings.urls,
            validity_months: settings.validity_months,
            oauth: settings.oauth,
            writes: Mutex::new(()),
        })
    }

    pub fn urls(&self) -> &PublicUrls {
        &self.urls
    }

    /// Issuing CA then root, PEM.
    pub fn ca_chain_pem(&self) -> Result<String, ServiceError> {
        self.authority.chain_pem().map_err(ServiceError::Crypto)
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
pub(crate) fn ensure_admin(caller: &Caller, what: &str) -> Result<(), ServiceError> {
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
