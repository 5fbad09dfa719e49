//! Opening the directory: the store in the data dir, the CA over it, and one
//! struct per group of use cases, each holding only the repositories and
//! parts it works with.

use super::participants::ParticipantsDocument;
use std::path::Path;
use std::sync::Arc;

use super::certificate_authority::{CaSettings, CertificateAuthority};
use super::directory::Directory;
use super::events::AuditLog;
use super::fault_rules::FaultRules;
use super::oauth::{AuthorisationServer, OAuthSettings};
use super::organisations::Participants;
use super::ra::{Ra, RaParts, RaSettings};
use super::tenants::{TenantSettings, Tenants, TenantsParts};
use super::test_control::TestControl;
use super::truststore::TrustStore;
use super::{ServiceError, WriteLock, ra, tenants, truststore};
use crate::domain::{Clock, PublicUrls};
use crate::pki::authority::CaNaming;
use crate::store::StoreError;

/// How the directory is set up: what it hands out and how it signs.
pub struct ServiceSettings {
    pub urls: PublicUrls,
    pub validity_months: u32,
    pub cache_mb: u64,
    /// Keep the fault rules set at run time across restarts.
    pub keep_fault_rules: bool,
    pub ca: CaNaming,
    pub oauth: OAuthSettings,
    pub revocation_hours: i64,
    pub ra: RaSettings,
    /// PEM texts of the CAs `[truststore]` names, each already read.
    pub trust_anchors: Vec<String>,
    pub tenants: TenantSettings,
    /// The participants document's Cache-Control max-age.
    pub participants_max_age_seconds: u32,
    /// The `iss` of software statement assertions.
    pub ssa_issuer: String,
}

#[derive(Clone)]
/// The use-case structs of one open directory, for the faces to serve. They
/// share the store, the CA and the write lock; no use case takes this whole.
pub struct Services {
    pub directory: Arc<Directory>,
    pub authorisation_server: Arc<AuthorisationServer>,
    pub authority: Arc<CertificateAuthority>,
    pub trust_store: Arc<TrustStore>,
    pub audit_log: AuditLog,
    pub ra: Arc<Ra>,
    pub tenants: Arc<Tenants>,
    pub test_control: Arc<TestControl>,
    pub participants: Arc<ParticipantsDocument>,
    pub fault_rules: Arc<FaultRules>,
}

/// Opens the store in `data_dir`, loading the CA and the directory's signing
/// key or making them on first start, and writes the configured accounts
/// and trust anchors.
pub async fn open(
    data_dir: &Path,
    settings: ServiceSettings,
    clock: Arc<dyn Clock>,
) -> Result<Services, ServiceError> {
    create_private_dir(data_dir).map_err(|e| {
        StoreError::Engine(format!(
            "cannot create data dir {}: {e}",
            data_dir.display()
        ))
    })?;
    let repositories = crate::store::open(data_dir, settings.cache_mb)?;
    let db = repositories.db;
    let (authority, created) = CertificateAuthority::open(
        repositories.authorities,
        repositories.serials,
        clock.clone(),
        CaSettings {
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
    let authority = Arc::new(authority);
    let trust_store = Arc::new(TrustStore::new(
        repositories.trust_anchors,
        clock.clone(),
        settings.trust_anchors,
    ));
    // Held across a uniqueness check and the write it guards, and by a reset.
    let writes = WriteLock::default();
    let tenants = Arc::new(Tenants::open(
        settings.tenants,
        data_dir,
        TenantsParts {
            records: repositories.tenants,
            clock: clock.clone(),
            trust: trust_store.clone(),
            writes: writes.clone(),
        },
    )?);
    let participants = Arc::new(ParticipantsDocument::new(
        repositories.organisations.clone(),
        repositories.authorisation_servers.clone(),
        repositories.authority_claims.clone(),
        repositories.contacts.clone(),
        repositories.participants_version.clone(),
        settings.participants_max_age_seconds,
    ));
    let directory = Arc::new(Directory {
        participants: Participants {
            organisations: repositories.organisations,
            statements: repositories.statements,
            clock: clock.clone(),
            client_secret_basic: settings.oauth.client_secret_basic,
            writes: writes.clone(),
        },
        certificates: repositories.certificates,
        authorisation_servers: repositories.authorisation_servers,
        authority_claims: repositories.authority_claims,
        contacts: repositories.contacts,
        domain_users: repositories.domain_users,
        statement_certifications: repositories.statement_certifications,
        authority: authority.clone(),
        trust_store: trust_store.clone(),
        clock: clock.clone(),
        urls: settings.urls,
        ssa_issuer: settings.ssa_issuer,
    });
    let ra = Arc::new(Ra::new(
        settings.ra,
        RaParts {
            records: repositories.ra,
            authority: authority.clone(),
            clock: clock.clone(),
            writes: writes.clone(),
        },
    ));
    ra::accounts::write_configured(&ra).await?;
    truststore::write_configured(&trust_store).await?;
    tenants::accounts::write_configured(&tenants).await?;
    let audit_log = AuditLog::new(repositories.events, clock);
    Ok(Services {
        participants,
        authorisation_server: Arc::new(AuthorisationServer {
            directory: directory.clone(),
            credentials: repositories.credentials,
            settings: settings.oauth,
        }),
        fault_rules: Arc::new(
            FaultRules::open(
                audit_log.clone(),
                repositories.fault_rules,
                settings.keep_fault_rules,
            )
            .await?,
        ),
        audit_log,
        test_control: Arc::new(TestControl {
            contents: repositories.contents,
            db,
            data_dir: data_dir.to_path_buf(),
            writes,
            authority: authority.clone(),
            ra: ra.clone(),
            trust_store: trust_store.clone(),
            tenants: tenants.clone(),
        }),
        directory,
        authority,
        trust_store,
        ra,
        tenants,
    })
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
