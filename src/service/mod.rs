//! The use cases, one file each. They take domain types, call pki and the
//! store, and answer domain results or a `ServiceError`.

pub mod access;
pub mod keystore;
pub mod organisations;
pub mod seed;
pub mod upload;

use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::domain::{Clock, DomainError, PublicUrls};
use crate::pki::authority::CaNaming;
use crate::pki::{CertificateAuthority, PkiError};
use crate::store::{SledStore, Store, StoreError};

/// Everything a use case needs: the store, the CA, the clock and the URL layout.
pub struct Core {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) authority: CertificateAuthority,
    pub(crate) urls: PublicUrls,
    pub(crate) validity_months: u32,
    /// Held across a uniqueness check and the insert it guards.
    pub(crate) writes: Mutex<()>,
}

/// What a use case can answer instead of a result. Each face maps these to
/// its own status codes and error shape.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{}", .0.join("; "))]
    Invalid(Vec<String>),
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

/// How the core is set up: where it keeps data and what it hands out.
pub struct CoreSettings {
    pub urls: PublicUrls,
    pub validity_months: u32,
    pub background_flush_ms: u64,
    pub ca: CaNaming,
}

impl Core {
    /// Opens the store in `data_dir`, loading the CA or making it on first start.
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
        let authority = match store.certificate_authority()? {
            Some(record) => {
                CertificateAuthority::from_record(&record).map_err(ServiceError::Crypto)?
            }
            None => {
                let now = clock.now();
                let id = uuid::Uuid::new_v4().to_string();
                let authority = CertificateAuthority::create(id, &settings.ca, now)
                    .map_err(ServiceError::Crypto)?;
                store.put_certificate_authority(
                    &authority.to_record(now).map_err(ServiceError::Crypto)?,
                )?;
                store.flush().await?;
                log::info!(
                    "created the directory CA {} in {}",
                    authority.id(),
                    data_dir.display()
                );
                authority
            }
        };
        Ok(Core {
            store,
            clock,
            authority,
            urls: settings.urls,
            validity_months: settings.validity_months,
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
