//! Organisations and software statements: created, then read.

use super::{Core, ServiceError};
use crate::domain::organisation::{OrganisationRequest, SoftwareStatementRequest};
use crate::domain::{Organisation, OrganisationId, SoftwareStatement, SoftwareStatementId};

pub async fn create_organisation(
    core: &Core,
    request: OrganisationRequest,
) -> Result<Organisation, ServiceError> {
    let id = request
        .organisation_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let organisation = Organisation::from_request(request, &id, core.clock.now())?;
    if !core.store.insert_organisation(&organisation)? {
        return Err(ServiceError::Conflict(format!(
            "OrganisationId: organisation '{id}' already exists"
        )));
    }
    core.store.flush().await?;
    Ok(organisation)
}

pub fn organisation(core: &Core, id: &OrganisationId) -> Result<Organisation, ServiceError> {
    core.store.organisation(id)?.ok_or_else(|| {
        ServiceError::NotFound(format!(
            "OrganisationId: organisation '{id}' does not exist"
        ))
    })
}

pub async fn create_software_statement(
    core: &Core,
    org: &OrganisationId,
    request: SoftwareStatementRequest,
) -> Result<SoftwareStatement, ServiceError> {
    organisation(core, org)?;
    let id = request
        .software_statement_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let statement = SoftwareStatement::from_request(request, org, &id)?;
    if !core.store.insert_software_statement(&statement)? {
        return Err(ServiceError::Conflict(format!(
            "SoftwareStatementId: software statement '{id}' already exists in organisation '{org}'"
        )));
    }
    core.store.flush().await?;
    Ok(statement)
}

pub fn software_statement(
    core: &Core,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
) -> Result<SoftwareStatement, ServiceError> {
    organisation(core, org)?;
    core.store.software_statement(org, ss)?.ok_or_else(|| {
        ServiceError::NotFound(format!(
            "SoftwareStatementId: software statement '{ss}' does not exist in organisation '{org}'"
        ))
    })
}
