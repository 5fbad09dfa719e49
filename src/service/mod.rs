//! The use cases, one file each. They take domain types, call pki and the
//! store, and answer domain results or a `ServiceError`.

pub mod access;
pub mod authorities;
pub mod certificates;
pub mod console;
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
use std::sync::{Arc, Mutex, RwLock};

use chrono::{Months, Utc};

use crate::domain::authority::{IssuedSerial, IssuingCaRecord, RootCaRecord, SignerRecord};
use crate::domain::ecosystem::MAX_ROOT_YEARS;
use crate::domain::{Caller, Clock, DomainError, OrganisationId, PublicUrls};
use crate::pki::PkiError;
use crate::pki::authority::{CaNaming, RootSubject};
use crate::pki::jws::DirectorySigner;
use crate::store::{
    Authorities, Certificates, ClientCredentials, Database, RaRecords, Serials, StoreContents,
    StoreError,
};
use authorities::Hierarchy;

/// Everything a use case needs: the store, the CA and signing key, the clock
/// and the URL layout.
pub struct Core {
    pub(crate) db: Database,
    pub(crate) contents: StoreContents,
    pub(crate) trust_store: Arc<truststore::TrustStore>,
    pub(crate) credentials: ClientCredentials,
    pub(crate) audit_log: events::AuditLog,
    pub(crate) participants: organisations::Participants,
    pub(crate) ra_records: RaRecords,
    pub(crate) serials: Serials,
    pub(crate) authorities: Authorities,
    pub(crate) certificates: Certificates,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) hierarchy: RwLock<Hierarchy>,
    pub(crate) ca_naming: CaNaming,
    pub(crate) signer: RwLock<DirectorySigner>,
    pub(crate) urls: PublicUrls,
    pub(crate) validity_months: u32,
    pub(crate) oauth: OAuthSettings,
    /// How long a CRL or OCSP answer is good for (its nextUpdate).
    pub(crate) revocation_hours: i64,
    crl_cache: Mutex<revocation::CrlCache>,
    /// Held across a uniqueness check and the write it guards.
    pub(crate) writes: Arc<Mutex<()>>,
    /// Where the store lives; snapshots go beside it.
    pub(crate) data_dir: std::path::PathBuf,
    pub(crate) ra: ra::Ra,
    pub(crate) tenants: tenants::Tenants,
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
        let now = clock.now();
        let mut hierarchy = Hierarchy::load(&repositories.authorities)?;
        if hierarchy.roots.is_empty() && hierarchy.issuing.is_empty() {
            first_start(&repositories.authorities, &mut hierarchy, &settings.ca, now)?;
            log::info!(
                "created the directory's root and issuing CA in {}",
                data_dir.display()
            );
        }
        let signer_record = certified_signer(
            &repositories.authorities,
            &hierarchy,
            &settings.ca,
            &settings.urls,
            now,
        )?;
        repositories.db.flush().await?;
        let signer = RwLock::new(
            DirectorySigner::from_record(&signer_record).map_err(ServiceError::Crypto)?,
        );
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
        let core = Core {
            db: repositories.db,
            contents: repositories.contents,
            trust_store,
            credentials: repositories.credentials,
            audit_log: events::AuditLog::new(repositories.events, clock.clone()),
            participants,
            ra_records: repositories.ra,
            serials: repositories.serials,
            authorities: repositories.authorities,
            certificates: repositories.certificates,
            clock,
            hierarchy: RwLock::new(hierarchy),
            ca_naming: settings.ca,
            signer,
            urls: settings.urls,
            validity_months: settings.validity_months,
            oauth: settings.oauth,
            revocation_hours: settings.revocation_hours,
            crl_cache: Mutex::default(),
            writes,
            data_dir: data_dir.to_path_buf(),
            ra: ra::Ra::new(settings.ra),
            tenants,
        };
        ra::accounts::write_configured(&core)?;
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
        self.hierarchy().chain_pem(self.clock.now())
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
            let now = self.clock.now();
            let mut hierarchy = Hierarchy::load(&self.authorities)?;
            if hierarchy.roots.is_empty() && hierarchy.issuing.is_empty() {
                first_start(&self.authorities, &mut hierarchy, &self.ca_naming, now)?;
            }
            ra::accounts::write_configured(self)?;
            truststore::write_configured(&self.trust_store)?;
            tenants::accounts::write_configured(&self.tenants)?;
            let signer = certified_signer(
                &self.authorities,
                &hierarchy,
                &self.ca_naming,
                &self.urls,
                now,
            )?;
            *self.hierarchy_mut() = hierarchy;
            *self.signer.write().unwrap_or_else(|e| e.into_inner()) =
                DirectorySigner::from_record(&signer).map_err(ServiceError::Crypto)?;
            *self.crl_cache() = Default::default();
        }
        self.db.flush().await?;
        Ok(())
    }

    /// Writes a serial's entry as revoked (an RA certificate's), making its
    /// CA's CRL stale.
    pub(crate) fn put_revoked_serial(
        &self,
        issuer: &str,
        serial_hex: &str,
        entry: &IssuedSerial,
    ) -> Result<(), ServiceError> {
        let mut crls = self.crl_cache();
        self.serials.put(issuer, serial_hex, entry)?;
        crls.revoked(issuer, entry, serial_hex);
        Ok(())
    }

    pub(crate) fn crl_cache(&self) -> std::sync::MutexGuard<'_, revocation::CrlCache> {
        self.crl_cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn signer(&self) -> std::sync::RwLockReadGuard<'_, DirectorySigner> {
        self.signer.read().unwrap_or_else(|e| e.into_inner())
    }

    /// After the signing CA changed, certifies the directory's signing key
    /// again under the new one, so the keys at openbanking.jwks always chain
    /// to an active root. The key, and so its kid, stay the same.
    pub(crate) fn recertify_signer(&self) -> Result<(), ServiceError> {
        let record = {
            let hierarchy = self.hierarchy();
            certified_signer(
                &self.authorities,
                &hierarchy,
                &self.ca_naming,
                &self.urls,
                self.clock.now(),
            )?
        };
        let signer = DirectorySigner::from_record(&record).map_err(ServiceError::Crypto)?;
        *self.signer.write().unwrap_or_else(|e| e.into_inner()) = signer;
        Ok(())
    }

    pub(crate) fn hierarchy(&self) -> std::sync::RwLockReadGuard<'_, Hierarchy> {
        self.hierarchy.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn hierarchy_mut(&self) -> std::sync::RwLockWriteGuard<'_, Hierarchy> {
        self.hierarchy.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// The directory's signing key, certified by the issuing CA that signs now:
/// the stored one if it already is, else the same key (or a new one on first
/// start) certified again. Its kid is the key's thumbprint, so it stays put.
fn certified_signer(
    authorities: &Authorities,
    hierarchy: &Hierarchy,
    naming: &CaNaming,
    urls: &PublicUrls,
    now: chrono::DateTime<Utc>,
) -> Result<SignerRecord, ServiceError> {
    let existing = authorities.signer()?;
    let Some(issuing) = hierarchy.current(now) else {
        // No active root: keep what there is until one is activated.
        return existing.ok_or_else(|| {
            ServiceError::Unavailable(
                "no active root CA to certify the directory's signing key".into(),
            )
        });
    };
    if let Some(record) = &existing
        && record.x5c.get(1) == Some(&issuing.record.certificate)
    {
        return Ok(record.clone());
    }
    let key = match &existing {
        Some(record) => DirectorySigner::key_of(record),
        None => DirectorySigner::generate_key(naming.key_bits),
    }
    .map_err(ServiceError::Crypto)?;
    let issued = issuing
        .authority
        .certify_directory_key(&key, naming, now, urls)
        .map_err(ServiceError::Crypto)?;
    let facts = DirectorySigner::facts(&key).map_err(ServiceError::Crypto)?;
    let kid = urls
        .flavour()
        .kid(None, &facts.thumbprint_sha256, &facts.thumbprint_sha1);
    let record = DirectorySigner::record(&key, &issued.chain, kid).map_err(ServiceError::Crypto)?;
    authorities.put_signer(&record)?;
    Ok(record)
}

/// A new data dir gets root number one (managed by the directory) and its
/// issuing CA; a data dir of the first layout has its CA moved into them,
/// keeping the issuing CA's id so the CRL URLs in issued certificates hold.
fn first_start(
    authorities: &Authorities,
    hierarchy: &mut Hierarchy,
    naming: &CaNaming,
    now: chrono::DateTime<Utc>,
) -> Result<(), ServiceError> {
    if let Some(legacy) = authorities.legacy()? {
        let root = RootCaRecord {
            id: uuid::Uuid::new_v4().to_string(),
            created: legacy.created,
            active: true,
            activated: Some(legacy.created),
            managed: true,
            certificate: legacy.root_certificate.clone(),
            key: legacy.root_key.clone(),
            crl_number: 0,
        };
        let issuing = IssuingCaRecord {
            id: legacy.id.clone(),
            root_id: root.id.clone(),
            created: legacy.created,
            certificate: legacy.issuing_certificate.clone(),
            key: legacy.issuing_key.clone(),
            crl_number: 0,
        };
        authorities.adopt_legacy(&root, &issuing)?;
        *hierarchy = Hierarchy::load(authorities)?;
        return Ok(());
    }
    let subject = RootSubject {
        common_name: "obdir Root CA".into(),
        organisation: naming.organisation.clone(),
        country: naming.country.clone(),
        not_before: now,
        not_after: now
            .checked_add_months(Months::new(12 * MAX_ROOT_YEARS))
            .unwrap_or(now),
    };
    hierarchy.add_root(authorities, &subject, naming, true, now)?;
    Ok(())
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
