//! Organisations and software statements: created, listed, read, updated.

use std::sync::Arc;

use super::error::{Conflict, NotFound, id_changed};
use super::{ServiceError, ensure_access, ensure_admin};
use crate::domain::organisation::{
    AcceptedTerms, OrganisationRequest, OrganisationWithTnc, SoftwareStatementRequest,
};
use crate::domain::page::{Page, PageRequest};
use crate::domain::reference::Catalogue;
use crate::domain::{Caller, Organisation, OrganisationId, SoftwareStatement, SoftwareStatementId};
use crate::domain::{Clock, DomainError};
use crate::pki::encoding::{hex, random_token, sha256};
use crate::store::{Organisations, SoftwareStatements};

/// What the organisation and software statement use cases work with.
pub struct Participants {
    pub(crate) organisations: Organisations,
    pub(crate) statements: SoftwareStatements,
    pub(crate) clock: Arc<dyn Clock>,
    /// Whether a new statement gets a client secret (client_secret_basic).
    pub(crate) client_secret_basic: bool,
    /// Held across an update's read and write.
    pub(crate) writes: crate::service::WriteLock,
}

pub async fn create_organisation(
    participants: &Participants,
    caller: &Caller,
    request: OrganisationRequest,
) -> Result<Organisation, ServiceError> {
    ensure_admin(caller, "creating an organisation")?;
    let id = request
        .organisation_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let organisation = Organisation::from_request(request, &id, participants.clock.now())?;
    if !participants.organisations.insert(&organisation).await? {
        return Err(Conflict::Organisation(organisation.organisation_id).into());
    }
    Ok(organisation)
}

/// The organisations the caller may see: all for the admin, its own otherwise.
pub fn list_organisations(
    participants: &Participants,
    caller: &Caller,
    page: PageRequest,
) -> Result<Page<Organisation>, ServiceError> {
    let visible: Vec<Organisation> = participants
        .organisations
        .all()?
        .into_iter()
        .filter(|o| caller.may_access(&o.organisation_id))
        .collect();
    Ok(page.cut(visible))
}

/// An organisation with where it stands with the terms and conditions.
pub fn organisation(
    participants: &Participants,
    caller: &Caller,
    id: &OrganisationId,
) -> Result<OrganisationWithTnc, ServiceError> {
    ensure_access(caller, id)?;
    find_organisation(participants, id).map(OrganisationWithTnc::new)
}

pub(crate) fn find_organisation(
    participants: &Participants,
    id: &OrganisationId,
) -> Result<Organisation, ServiceError> {
    participants
        .organisations
        .get(id)?
        .ok_or_else(|| NotFound::Organisation(id.clone()).into())
}

/// The terms the organisation accepted (its `tnchistory`).
pub fn accepted_terms(
    participants: &Participants,
    caller: &Caller,
    org: &OrganisationId,
    catalogue: &Catalogue,
) -> Result<Vec<AcceptedTerms>, ServiceError> {
    ensure_access(caller, org)?;
    let organisation = find_organisation(participants, org)?;
    Ok(AcceptedTerms::of(&organisation, catalogue))
}

/// PUT: the fields given replace the organisation's; a status change is the admin's.
pub async fn update_organisation(
    participants: &Participants,
    caller: &Caller,
    id: &OrganisationId,
    request: OrganisationRequest,
) -> Result<Organisation, ServiceError> {
    ensure_access(caller, id)?;
    if request
        .organisation_id
        .as_deref()
        .is_some_and(|given| given != id.as_str())
    {
        return Err(id_changed(OrganisationId::FIELD, id));
    }
    let _guard = participants.writes.lock().await;
    let current = find_organisation(participants, id)?;
    if request
        .status
        .as_ref()
        .is_some_and(|s| *s != current.status)
    {
        ensure_admin(caller, "changing an organisation's Status")?;
    }
    let updated =
        Organisation::from_request(request.over(&current), id.as_str(), current.created_on)?;
    participants.organisations.put(&updated).await?;
    drop(_guard);
    Ok(updated)
}

/// A new statement, and its client secret when client_secret_basic is on
/// (answered once; only its hash is kept).
pub async fn create_software_statement(
    participants: &Participants,
    caller: &Caller,
    org: &OrganisationId,
    request: SoftwareStatementRequest,
) -> Result<(SoftwareStatement, Option<String>), ServiceError> {
    ensure_access(caller, org)?;
    find_organisation(participants, org)?;
    let id = request
        .software_statement_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    if request.status.is_some() {
        return Err(DomainError::field(
            "Status",
            "a new software statement is always Active; change it with PUT",
        )
        .into());
    }
    let statement = SoftwareStatement::from_request(request, org, &id)?;
    let secret = participants.client_secret_basic.then(random_token);
    let secret_sha256 = secret.as_ref().map(|s| hex(&sha256(s.as_bytes())));
    if !participants
        .statements
        .insert(&statement, secret_sha256.as_deref())
        .await?
    {
        return Err(Conflict::SoftwareStatement(statement.software_statement_id).into());
    }
    Ok((statement, secret))
}

pub fn list_software_statements(
    participants: &Participants,
    caller: &Caller,
    org: &OrganisationId,
) -> Result<Vec<SoftwareStatement>, ServiceError> {
    ensure_access(caller, org)?;
    find_organisation(participants, org)?;
    Ok(participants.statements.of(org)?)
}

pub fn software_statement(
    participants: &Participants,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
) -> Result<SoftwareStatement, ServiceError> {
    ensure_access(caller, org)?;
    find_software_statement(participants, org, ss)
}

pub(crate) fn find_software_statement(
    participants: &Participants,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
) -> Result<SoftwareStatement, ServiceError> {
    find_organisation(participants, org)?;
    participants.statements.get(org, ss)?.ok_or_else(|| {
        NotFound::SoftwareStatement {
            org: org.clone(),
            ss: ss.clone(),
        }
        .into()
    })
}

/// PUT: the fields given replace the statement's; a Status change is the admin's.
pub async fn update_software_statement(
    participants: &Participants,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    request: SoftwareStatementRequest,
) -> Result<SoftwareStatement, ServiceError> {
    ensure_access(caller, org)?;
    if request
        .software_statement_id
        .as_deref()
        .is_some_and(|given| given != ss.as_str())
    {
        return Err(id_changed(SoftwareStatementId::FIELD, ss));
    }
    let _guard = participants.writes.lock().await;
    let current = find_software_statement(participants, org, ss)?;
    if current.locked {
        return Err(DomainError::field(
            "Locked",
            "the software statement is locked since its assertion was issued; \
             PUT .../unlock with {\"Unlock\": true} opens it",
        )
        .into());
    }
    if request
        .status
        .as_ref()
        .is_some_and(|s| *s != current.status)
    {
        ensure_admin(caller, "changing a software statement's Status")?;
    }
    let mut updated = SoftwareStatement::from_request(request.over(&current), org, ss.as_str())?;
    updated.locked = current.locked;
    updated.rts_client_created = current.rts_client_created;
    updated.client_id = current.client_id.clone();
    participants.statements.put(&updated).await?;
    drop(_guard);
    Ok(updated)
}

/// PUT .../unlock: an assertion locks a statement; this opens it again.
pub async fn unlock_software_statement(
    participants: &Participants,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    unlock: Option<bool>,
) -> Result<SoftwareStatement, ServiceError> {
    ensure_access(caller, org)?;
    if unlock != Some(true) {
        return Err(DomainError::field("Unlock", "Unlock equal to true must be provided").into());
    }
    let _guard = participants.writes.lock().await;
    let mut statement = find_software_statement(participants, org, ss)?;
    if statement.locked {
        statement.locked = false;
        participants.statements.put(&statement).await?;
    }
    drop(_guard);
    Ok(statement)
}
