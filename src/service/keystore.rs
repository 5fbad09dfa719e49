//! Which records each keystore document publishes.

use super::organisations::{organisation, software_statement};
use super::{Core, ServiceError};
use crate::domain::{CertificateOrKey, KeyUse, Kid, OrganisationId, SoftwareStatementId};
use crate::pki::encoding::decode_base64;
use crate::pki::pem::armour;

/// The JWKS documents a statement or organisation has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySet {
    /// application.jwks: signing and encryption keys.
    Application,
    /// transport.jwks: TLS client certificates.
    Transport,
}

impl KeySet {
    pub fn for_use(key_use: KeyUse) -> KeySet {
        match key_use {
            KeyUse::Tls => KeySet::Transport,
            KeyUse::Sig | KeyUse::Enc => KeySet::Application,
        }
    }
}

/// Active records of a statement that belong in `set`.
pub fn statement_keys(
    core: &Core,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    set: KeySet,
) -> Result<Vec<CertificateOrKey>, ServiceError> {
    software_statement(core, org, ss)?;
    let records = core.store.statement_certificates(org, ss)?;
    Ok(records
        .into_iter()
        .filter(|r| r.is_active() && KeySet::for_use(r.key_use()) == set)
        .collect())
}

/// Every active key of every statement of the organisation, each kid once.
pub fn organisation_keys(
    core: &Core,
    org: &OrganisationId,
) -> Result<Vec<CertificateOrKey>, ServiceError> {
    organisation(core, org)?;
    let mut records: Vec<CertificateOrKey> = core
        .store
        .organisation_certificates(org)?
        .into_iter()
        .filter(CertificateOrKey::is_active)
        .collect();
    records.sort_by(|a, b| a.kid.cmp(&b.kid));
    records.dedup_by(|a, b| a.kid == b.kid);
    Ok(records)
}

/// The certificate behind a kid, as PEM (identical to x5c[0]).
pub fn certificate_pem(
    core: &Core,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    kid: &Kid,
) -> Result<String, ServiceError> {
    let record = core.store.certificate(org, ss, kid)?.ok_or_else(|| {
        ServiceError::NotFound(format!("kid '{kid}' does not exist on {org}/{ss}"))
    })?;
    let der = record
        .x5c
        .first()
        .and_then(|leaf| decode_base64(leaf))
        .ok_or_else(|| {
            ServiceError::NotFound(format!(
                "kid '{kid}' is a bare {} key: it has no certificate",
                record.key_type
            ))
        })?;
    Ok(armour("CERTIFICATE", &der))
}
