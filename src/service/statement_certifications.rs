//! The conformance certifications of a software statement: read and
//! written by the admin or the organisation's own token, each write on disk
//! with its audit events before it is answered.

use super::authorisation_servers::{audit_events, recorded};
use super::directory::Directory;
use super::error::{NotFound, refusal};
use super::events::Audit;
use super::organisations::find_software_statement;
use super::{ServiceError, ensure_access};
use crate::domain::certification::{Certified, ServerCertificationRequest};
use crate::domain::{
    Caller, OrganisationId, SoftwareStatementId, StatementCertification, StatementCertificationId,
};
use crate::store::{Put, ServerRefused as Refused};

pub fn list(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
) -> Result<Vec<StatementCertification>, ServiceError> {
    ensure_access(caller, org)?;
    find_software_statement(&directory.participants, org, ss)?;
    Ok(directory.statement_certifications.of(org, ss)?)
}

pub fn get(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    id: &StatementCertificationId,
) -> Result<StatementCertification, ServiceError> {
    ensure_access(caller, org)?;
    find(directory, org, ss, id)
}

/// A new certification (`id` None) or the replacement of a stored one.
pub async fn write(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    id: Option<&StatementCertificationId>,
    request: ServerCertificationRequest,
) -> Result<StatementCertification, ServiceError> {
    ensure_access(caller, org)?;
    let (id, how) = match id {
        Some(id) => {
            find(directory, org, ss, id)?;
            (id.clone(), Put::Replacing)
        }
        None => {
            find_software_statement(&directory.participants, org, ss)?;
            let id = StatementCertificationId::parse(&uuid::Uuid::new_v4().to_string())?;
            (id, Put::New)
        }
    };
    let certification = StatementCertification {
        software_statement_id: ss.clone(),
        certification_id: id,
        certified: Certified::from_request(request)?,
    };
    let events = audit_events(audit, directory.clock.now());
    let certifications = &directory.statement_certifications;
    if let Err(refused) = certifications
        .write(org, &certification, how, &events)
        .await?
    {
        let id = &certification.certification_id;
        return Err(refusal(
            refused,
            (StatementCertificationId::FIELD, id.to_string()),
            || find(directory, org, ss, id).map(drop),
            missing(ss, id),
        ));
    }
    recorded(audit, &events);
    Ok(certification)
}

pub async fn delete(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    id: &StatementCertificationId,
) -> Result<(), ServiceError> {
    ensure_access(caller, org)?;
    find_software_statement(&directory.participants, org, ss)?;
    let events = audit_events(audit, directory.clock.now());
    let certifications = &directory.statement_certifications;
    if let Err(Refused::Missing) = certifications.remove(org, ss, id, &events).await? {
        return Err(missing(ss, id));
    }
    recorded(audit, &events);
    Ok(())
}

fn find(
    directory: &Directory,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    id: &StatementCertificationId,
) -> Result<StatementCertification, ServiceError> {
    find_software_statement(&directory.participants, org, ss)?;
    directory
        .statement_certifications
        .get(org, ss, id)?
        .ok_or_else(|| missing(ss, id))
}

fn missing(ss: &SoftwareStatementId, id: &StatementCertificationId) -> ServiceError {
    NotFound::Record {
        field: StatementCertificationId::FIELD,
        what: "certification",
        id: id.to_string(),
        owner: format!("software statement '{ss}'"),
    }
    .into()
}
