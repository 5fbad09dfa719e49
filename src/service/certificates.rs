//! Reading and revoking the certificates and keys of a software statement or
//! an organisation.

use super::organisations::{find_organisation, find_software_statement};
use super::{Core, ServiceError, ensure_access};
use crate::domain::{
    Caller, CertOrKeyType, CertificateOrKey, Kid, OrganisationId, RecordStatus, RevokeReason,
    SoftwareStatementId,
};

/// The records of an owner (`ss` None: the organisation's own), optionally of
/// one type, oldest first.
pub fn list(
    core: &Core,
    caller: &Caller,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    key_type: Option<CertOrKeyType>,
) -> Result<Vec<CertificateOrKey>, ServiceError> {
    ensure_access(caller, org)?;
    ensure_owner(core, org, ss)?;
    let mut records: Vec<CertificateOrKey> = core
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
    core: &Core,
    caller: &Caller,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    key_type: Option<CertOrKeyType>,
    kid: &Kid,
) -> Result<CertificateOrKey, ServiceError> {
    ensure_access(caller, org)?;
    ensure_owner(core, org, ss)?;
    core.certificates
        .get(org, ss, kid)?
        .filter(|r| key_type.is_none_or(|t| r.key_type == t))
        .ok_or_else(|| {
            let kind = key_type.map_or(String::new(), |t| format!("{t} "));
            ServiceError::NotFound(format!(
                "CertificateOrKeyId: no {kind}certificate or key '{kid}' here"
            ))
        })
}

/// Revokes a record: it leaves the active key sets for the inactive ones, and
/// a certificate the CA issued is reported revoked from then on. On disk
/// before this returns.
pub async fn revoke(
    core: &Core,
    caller: &Caller,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    key_type: CertOrKeyType,
    kid: &Kid,
    reason: RevokeReason,
) -> Result<CertificateOrKey, ServiceError> {
    let revoked = {
        let _guard = core.writes.lock().unwrap_or_else(|e| e.into_inner());
        let mut record = get(core, caller, org, ss, Some(key_type), kid)?;
        if let Some(at) = record.revoked_at.filter(|_| record.is_revoked()) {
            return Err(ServiceError::Invalid(vec![format!(
                "CertificateOrKeyId: '{kid}' is already revoked (since {})",
                at.to_rfc3339()
            )]));
        }
        record.status = RecordStatus::Revoked;
        record.revoked_at = Some(core.clock.now());
        record.revoke_reason = Some(reason);
        core.put_certificate(&record)?;
        record
    };
    core.db.flush().await?;
    log::info!(
        "{} {kid} of {org} revoked: {}",
        revoked.key_type,
        reason.as_str()
    );
    Ok(revoked)
}

fn ensure_owner(
    core: &Core,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
) -> Result<(), ServiceError> {
    match ss {
        Some(ss) => find_software_statement(core, org, ss).map(drop),
        None => find_organisation(core, org).map(drop),
    }
}
