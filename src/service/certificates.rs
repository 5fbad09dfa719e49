//! Reading and revoking the certificates and keys of a software statement or
//! an organisation.

use super::directory::Directory;
use super::error::{NotFound, already_revoked};
use super::events::Audit;
use super::organisations::{find_organisation, find_software_statement};
use super::{ServiceError, ensure_access};
use crate::domain::authority::IssuedSerial;
use crate::domain::{
    Caller, CertOrKeyType, CertificateOrKey, Kid, OrganisationId, RevokeReason, SoftwareStatementId,
};
use crate::store::Revocation;

/// The records of an owner (`ss` None: the organisation's own), optionally of
/// one type, oldest first.
pub fn list(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    key_type: Option<CertOrKeyType>,
) -> Result<Vec<CertificateOrKey>, ServiceError> {
    ensure_access(caller, org)?;
    ensure_owner(directory, org, ss)?;
    let mut records: Vec<CertificateOrKey> = directory
        .certificates
        .owned(org, ss)?
        .into_iter()
        .filter(|r| key_type.is_none_or(|t| r.key_type == t))
        .collect();
    records.sort_by(|a, b| {
        a.valid_from
            .cmp(&b.valid_from)
            .then_with(|| a.kid.cmp(&b.kid))
    });
    Ok(records)
}

/// One record by kid; with a type, the record must be of that type.
pub fn get(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    key_type: Option<CertOrKeyType>,
    kid: &Kid,
) -> Result<CertificateOrKey, ServiceError> {
    ensure_access(caller, org)?;
    ensure_owner(directory, org, ss)?;
    directory
        .certificates
        .get(org, ss, kid)?
        .filter(|r| key_type.is_none_or(|t| r.key_type == t))
        .ok_or_else(|| not_found(key_type, kid))
}

/// Revokes a record: it leaves the active key sets for the inactive ones, and
/// a certificate the CA issued is reported revoked from then on. With
/// `audit`, its events are written in the revocation's own transaction. On
/// disk before this returns.
#[allow(clippy::too_many_arguments)]
pub async fn revoke(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    key_type: CertOrKeyType,
    kid: &Kid,
    reason: RevokeReason,
) -> Result<CertificateOrKey, ServiceError> {
    ensure_access(caller, org)?;
    ensure_owner(directory, org, ss)?;
    let now = directory.clock.now();
    let events = audit.map(|a| a.success(now).to_vec()).unwrap_or_default();
    let revoked = match directory
        .certificates
        .revoke(org, ss, Some(key_type), kid, now, reason, &events)
        .await?
    {
        Revocation::Revoked(record) => record,
        Revocation::Missing => return Err(not_found(Some(key_type), kid)),
        Revocation::AlreadyRevoked(record) => {
            return Err(already_revoked(kid, record.revoked_at.unwrap_or(now)));
        }
    };
    if let (Some(issuer), Some(serial)) = (&revoked.issuer_id, &revoked.serial) {
        directory
            .authority
            .crl_cache()
            .revoked(issuer, &IssuedSerial::of(&revoked), serial);
    }
    if let Some(audit) = audit {
        audit.recorded(&events);
    }
    log::info!(
        "{} {kid} of {org} revoked: {}",
        revoked.key_type,
        reason.as_str()
    );
    Ok(revoked)
}

fn not_found(key_type: Option<CertOrKeyType>, kid: &Kid) -> ServiceError {
    NotFound::CertificateOrKey {
        key_type,
        kid: kid.clone(),
    }
    .into()
}

fn ensure_owner(
    directory: &Directory,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
) -> Result<(), ServiceError> {
    match ss {
        Some(ss) => find_software_statement(&directory.participants, org, ss).map(drop),
        None => find_organisation(&directory.participants, org).map(drop),
    }
}
