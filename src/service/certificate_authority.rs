//! The directory's certificate authority as its use cases see it: the CA
//! hierarchy and the directory's signing key (loaded from the authorities
//! repository, or made on a first start), the serial index, the CRLs signed
//! so far, and what issuing needs (naming, validity, URLs, the clock).

use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, Months, Utc};

use super::ServiceError;
use super::authorities::Hierarchy;
use super::error::Unavailable;
use super::revocation::CrlCache;
use crate::domain::authority::{IssuedSerial, IssuingCaRecord, RootCaRecord, SignerRecord};
use crate::domain::ecosystem::MAX_ROOT_YEARS;
use crate::domain::{Clock, PublicUrls};
use crate::pki::authority::{CaNaming, RootSubject};
use crate::pki::jws::DirectorySigner;
use crate::store::{Authorities, Serials};

/// How the CA issues: its names and key size, and for how long.
pub struct CaSettings {
    pub naming: CaNaming,
    pub validity_months: u32,
    /// How long a CRL or OCSP answer is good for (its nextUpdate).
    pub revocation_hours: i64,
    pub urls: PublicUrls,
}

pub struct CertificateAuthority {
    pub(crate) authorities: Authorities,
    pub(crate) serials: Serials,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) ca_naming: CaNaming,
    pub(crate) validity_months: u32,
    pub(crate) revocation_hours: i64,
    pub(crate) urls: PublicUrls,
    hierarchy: RwLock<Hierarchy>,
    signer: RwLock<DirectorySigner>,
    crl_cache: Mutex<CrlCache>,
    /// Held while a CRL number is taken and the CRL carrying it is signed
    /// and kept, so CRLs come out in the order of their numbers.
    pub(crate) crl_signing: tokio::sync::Mutex<()>,
}

impl CertificateAuthority {
    /// Loads the hierarchy and the signing key, making them on a first
    /// start (answered as true).
    pub fn open(
        authorities: Authorities,
        serials: Serials,
        clock: Arc<dyn Clock>,
        settings: CaSettings,
    ) -> Result<(Self, bool), ServiceError> {
        let (hierarchy, created) =
            load_or_create(&authorities, &settings.naming, &settings.urls, clock.now())?;
        let signer = certified_signer(
            &authorities,
            &hierarchy,
            &settings.naming,
            &settings.urls,
            clock.now(),
        )?;
        let ca = CertificateAuthority {
            authorities,
            serials,
            clock,
            ca_naming: settings.naming,
            validity_months: settings.validity_months,
            revocation_hours: settings.revocation_hours,
            urls: settings.urls,
            hierarchy: RwLock::new(hierarchy),
            signer: RwLock::new(
                DirectorySigner::from_record(&signer).map_err(ServiceError::Crypto)?,
            ),
            crl_cache: Mutex::default(),
            crl_signing: tokio::sync::Mutex::default(),
        };
        Ok((ca, created))
    }

    /// Loads everything again after the stored state was replaced (making a
    /// CA as on a first start if none is left) and forgets the CRLs.
    pub(crate) fn reload(&self) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let (hierarchy, _) = load_or_create(&self.authorities, &self.ca_naming, &self.urls, now)?;
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
        Ok(())
    }

    /// Every issuing CA (the signing one first) then every root, PEM.
    pub fn chain_pem(&self) -> Result<String, ServiceError> {
        self.hierarchy().chain_pem(self.clock.now())
    }

    /// Writes a serial's entry as revoked (an RA certificate's), making its
    /// CA's CRL stale.
    pub(crate) async fn put_revoked_serial(
        &self,
        issuer: &str,
        serial_hex: &str,
        entry: &IssuedSerial,
    ) -> Result<(), ServiceError> {
        self.serials.put(issuer, serial_hex, entry).await?;
        self.crl_cache().revoked(issuer, entry, serial_hex);
        Ok(())
    }

    pub(crate) fn crl_cache(&self) -> MutexGuard<'_, CrlCache> {
        self.crl_cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn signer(&self) -> RwLockReadGuard<'_, DirectorySigner> {
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

    pub(crate) fn hierarchy(&self) -> RwLockReadGuard<'_, Hierarchy> {
        self.hierarchy.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn hierarchy_mut(&self) -> RwLockWriteGuard<'_, Hierarchy> {
        self.hierarchy.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// The stored hierarchy, or a new one as on a first start (answered as true).
fn load_or_create(
    authorities: &Authorities,
    naming: &CaNaming,
    urls: &PublicUrls,
    now: DateTime<Utc>,
) -> Result<(Hierarchy, bool), ServiceError> {
    let mut hierarchy = Hierarchy::load(authorities)?;
    let created = hierarchy.roots.is_empty() && hierarchy.issuing.is_empty();
    if created {
        first_start(authorities, &mut hierarchy, naming, urls, now)?;
    }
    Ok((hierarchy, created))
}

/// The directory's signing key, certified by the issuing CA that signs now:
/// the stored one if it already is, else the same key (or a new one on first
/// start) certified again. Its kid is the key's thumbprint, so it stays put.
fn certified_signer(
    authorities: &Authorities,
    hierarchy: &Hierarchy,
    naming: &CaNaming,
    urls: &PublicUrls,
    now: DateTime<Utc>,
) -> Result<SignerRecord, ServiceError> {
    let existing = authorities.signer()?;
    let Some(issuing) = hierarchy.current(now) else {
        // No active root: keep what there is until one is activated.
        return existing.ok_or(Unavailable::NoRootForSigner.into());
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
    urls: &PublicUrls,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if let Some(legacy) = authorities.legacy()? {
        let root = RootCaRecord {
            id: uuid::Uuid::new_v4().to_string(),
            created: legacy.created,
            active: true,
            activated: Some(legacy.created),
            built_in: true,
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
    hierarchy.add_root(authorities, &subject, naming, urls, true, now)?;
    Ok(())
}
