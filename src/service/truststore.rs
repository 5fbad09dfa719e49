//! The trust store: the CAs a certificate issued elsewhere must chain to,
//! written from config at start, added and removed by the admin API, and
//! added by an import that asks to force trust.

use std::sync::Arc;

use super::ServiceError;
use super::error::{NotFound, Refused};
use crate::domain::Clock;
use crate::domain::trust::{AnchorSource, Fingerprint, TrustAnchor};
use crate::pki::trust::{AnchorCertificate, anchor_certificate, read_anchors, verify_chain};
use crate::store::TrustAnchors;

/// What the trust store's use cases work with.
pub struct TrustStore {
    anchors: TrustAnchors,
    clock: Arc<dyn Clock>,
    /// PEM texts of the anchors from config, written at start and after
    /// every reset or restore.
    configured: Vec<String>,
}

impl TrustStore {
    pub fn new(anchors: TrustAnchors, clock: Arc<dyn Clock>, configured: Vec<String>) -> Self {
        TrustStore {
            anchors,
            clock,
            configured,
        }
    }
}

/// Every anchor, in fingerprint order.
pub fn anchors(trust: &TrustStore) -> Result<Vec<TrustAnchor>, ServiceError> {
    Ok(trust.anchors.all()?)
}

pub fn anchor(trust: &TrustStore, fingerprint: &str) -> Result<TrustAnchor, ServiceError> {
    let fingerprint = Fingerprint::parse(fingerprint)?;
    trust
        .anchors
        .get(&fingerprint)?
        .ok_or_else(|| not_found(&fingerprint))
}

/// Adds every certificate of a PEM text (one or more CERTIFICATE blocks);
/// Invalid (names the field "certificate" and the rule) for anything else.
/// Answers each anchor and whether it was new, once written.
pub async fn add(
    trust: &TrustStore,
    pem: &str,
    source: AnchorSource,
) -> Result<Vec<(TrustAnchor, bool)>, ServiceError> {
    let certificates = read_anchors(pem)?;
    let added = write_anchors(trust, certificates, source).await?;
    for (anchor, new) in &added {
        if *new {
            log::info!(
                "trust anchor {} added ({}): {}",
                anchor.fingerprint,
                anchor.source.name(),
                anchor.subject
            );
        }
    }
    Ok(added)
}

pub async fn remove(trust: &TrustStore, fingerprint: &str) -> Result<(), ServiceError> {
    let fingerprint = Fingerprint::parse(fingerprint)?;
    if !trust.anchors.remove(&fingerprint).await? {
        return Err(not_found(&fingerprint));
    }
    log::info!("trust anchor {fingerprint} removed");
    Ok(())
}

/// Ok(None) if the chain (leaf first, DER) is trusted. If not and `force`,
/// writes the CA that would let it in, as a ForceTrust anchor, and answers it; Invalid
/// saying it is not trusted otherwise, and why forcing could not help.
pub async fn ensure_trusted(
    trust: &TrustStore,
    chain: &[Vec<u8>],
    force: bool,
) -> Result<Option<TrustAnchor>, ServiceError> {
    let mut anchors: Vec<Vec<u8>> = trust
        .anchors
        .all()?
        .into_iter()
        .map(|a| a.certificate)
        .collect();
    let now = trust.clock.now();
    let refused = match verify_chain(chain, &anchors, now) {
        Ok(()) => return Ok(None),
        Err(refused) => refused,
    };
    if !force {
        return Err(Refused::Untrusted(refused).into());
    }
    let Some(candidate) = crate::pki::trust::trust_candidate(chain) else {
        return Err(Refused::IssuerNotCarried(refused).into());
    };
    let certificate = anchor_certificate(&candidate)?;
    anchors.push(candidate);
    // Written only if it lets the chain in: a refusal writes nothing.
    if let Err(still) = verify_chain(chain, &anchors, now) {
        return Err(Refused::UntrustedWithAnchor {
            refused: still,
            anchor: certificate.subject.clone(),
        }
        .into());
    }
    let (anchor, new) = trust
        .anchors
        .add(&new_anchor(certificate, AnchorSource::ForceTrust, now)?)
        .await?;
    if !new {
        return Ok(Some(anchor));
    }
    log::info!(
        "trust anchor {} added to let in '{}' (forceTrust): {}",
        anchor.fingerprint,
        refused.subject,
        anchor.subject
    );
    Ok(Some(anchor))
}

/// Writes the configured anchors at start (idempotent; source Config).
pub async fn write_configured(trust: &TrustStore) -> Result<(), ServiceError> {
    for pem in &trust.configured {
        write_anchors(trust, read_anchors(pem)?, AnchorSource::Config).await?;
    }
    Ok(())
}

/// Writes each certificate not yet in the trust store; one already there
/// keeps its record (and its source).
async fn write_anchors(
    trust: &TrustStore,
    certificates: Vec<AnchorCertificate>,
    source: AnchorSource,
) -> Result<Vec<(TrustAnchor, bool)>, ServiceError> {
    let now = trust.clock.now();
    let mut written = Vec::with_capacity(certificates.len());
    for certificate in certificates {
        let anchor = new_anchor(certificate, source, now)?;
        written.push(trust.anchors.add(&anchor).await?);
    }
    Ok(written)
}

fn new_anchor(
    certificate: AnchorCertificate,
    source: AnchorSource,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<TrustAnchor, ServiceError> {
    Ok(TrustAnchor {
        fingerprint: Fingerprint::parse(&certificate.fingerprint)?,
        certificate: certificate.der,
        subject: certificate.subject,
        issuer: certificate.issuer,
        not_after: certificate.not_after,
        source,
        added_at: now,
    })
}

fn not_found(fingerprint: &Fingerprint) -> ServiceError {
    NotFound::TrustAnchor(fingerprint.to_string()).into()
}
