//! The tenants face's use cases (seed 003): tenant users and their login
//! sessions, and the PKI a tenant theme holds, imported from a keystore.

pub mod accounts;
pub mod pki;

use std::path::Path;
use std::sync::Arc;

use chrono::Duration;

use super::ServiceError;
use super::truststore::TrustStore;
use crate::domain::Clock;
use crate::domain::tenants::TenantAccount;
use crate::pki::sealed::SealingKey;
use crate::store::{StoreError, TenantRecords, token_file};

/// How the tenants face is set up.
pub struct TenantSettings {
    /// Whether writes need the CSRF token back.
    pub csrf: bool,
    pub session: Duration,
    /// The configured sealing key (base64); None: the data dir's.
    pub sealing_key: Option<String>,
    /// Users from config, written at start and after every reset.
    pub users: Vec<TenantAccount>,
}

/// What the tenants face's use cases work with.
pub struct Tenants {
    pub(crate) settings: TenantSettings,
    sealing_key: SealingKey,
    records: TenantRecords,
    clock: Arc<dyn Clock>,
    /// An import checks its chain against the trust store (and may add to it).
    trust: Arc<TrustStore>,
    /// The directory's write lock, held across an import's trust check and
    /// write so a reset cannot fall between them.
    writes: crate::service::WriteLock,
}

/// What `Tenants` is made from, beside its settings.
pub struct TenantsParts {
    pub records: TenantRecords,
    pub clock: Arc<dyn Clock>,
    pub trust: Arc<TrustStore>,
    pub writes: crate::service::WriteLock,
}

impl Tenants {
    /// The configured sealing key, else the one kept in `data_dir` (made on
    /// first start).
    pub fn open(
        settings: TenantSettings,
        data_dir: &Path,
        parts: TenantsParts,
    ) -> Result<Self, ServiceError> {
        let text = match &settings.sealing_key {
            Some(text) => text.clone(),
            None => {
                // Made up front so a failing RNG is an error, not a panic.
                let fresh = SealingKey::generate()
                    .map_err(ServiceError::Crypto)?
                    .to_base64();
                let (text, created) =
                    token_file::load_or_create(data_dir, token_file::SEALING_KEY, || fresh)
                        .map_err(|e| {
                            StoreError::Engine(format!(
                                "cannot keep the sealing key in {}: {e}",
                                data_dir.display()
                            ))
                        })?;
                if created {
                    log::info!(
                        "generated the key imported private keys are sealed under (kept in {})",
                        data_dir.join(token_file::SEALING_KEY).display()
                    );
                }
                text
            }
        };
        let sealing_key = SealingKey::from_base64(&text).map_err(|_| StoreError::Corrupt {
            key: token_file::SEALING_KEY.into(),
            reason: "the sealing key is not 32 bytes in standard base64".into(),
        })?;
        Ok(Self {
            settings,
            sealing_key,
            records: parts.records,
            clock: parts.clock,
            trust: parts.trust,
            writes: parts.writes,
        })
    }

    pub(crate) fn sealing_key(&self) -> &SealingKey {
        &self.sealing_key
    }
}

/// What a tenants call can answer instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum TenantsError {
    /// No session, an ended one, another tenant's, or a missing or wrong
    /// CSRF token: the platform's 401.
    #[error("{0}")]
    NotLoggedIn(String),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<StoreError> for TenantsError {
    fn from(e: StoreError) -> Self {
        Self::Service(e.into())
    }
}
