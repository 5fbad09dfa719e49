//! A software statement's SoftwareRoles: the roles of its authority claims
//! in force, shown wherever the statement is. A request's SoftwareRoles is
//! shorthand for those claims: each role must be one the organisation holds
//! by an active claim, and the statement's claims are made to match it.

use super::directory::Directory;
use super::organisations::{self, Participants};
use super::{ServiceError, ensure_access};
use crate::domain::authority_claim::{
    AuthorityClaim, ClaimStatus, SoftwareClaim, check_software_roles,
};
use crate::domain::organisation::SoftwareStatementRequest;
use crate::domain::reference::RoleMetadata;
use crate::domain::{
    Caller, DomainError, OrganisationId, SoftwareClaimId, SoftwareStatement, SoftwareStatementId,
};
use crate::store::{Put, StatementClaimRefused};

/// The statement's claims in force and every claim of its organisation,
/// read together, each sorted by role: what an SSA asserts.
pub fn in_force(
    directory: &Directory,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
) -> Result<(Vec<SoftwareClaim>, Vec<AuthorityClaim>), ServiceError> {
    let (mut claimed, mut held) = directory.authority_claims.in_force(org, ss)?;
    claimed.sort_by(|a, b| a.role.cmp(&b.role));
    held.sort_by(|a, b| a.role.cmp(&b.role));
    Ok((claimed, held))
}

/// `statement` as answered: its SoftwareRoles are its claims in force.
pub fn shown(
    directory: &Directory,
    mut statement: SoftwareStatement,
) -> Result<SoftwareStatement, ServiceError> {
    let (org, ss) = (&statement.organisation_id, &statement.software_statement_id);
    let (claimed, _) = in_force(directory, org, ss)?;
    statement.software_roles = claimed.into_iter().map(|c| c.role).collect();
    Ok(statement)
}

pub fn statements(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
) -> Result<Vec<SoftwareStatement>, ServiceError> {
    organisations::list_software_statements(participants(directory), caller, org)?
        .into_iter()
        .map(|s| shown(directory, s))
        .collect()
}

pub fn statement(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
) -> Result<SoftwareStatement, ServiceError> {
    let found = organisations::software_statement(participants(directory), caller, org, ss)?;
    shown(directory, found)
}

/// A new statement, with a claim for each role its request names; its
/// client secret, the one time it is shown.
pub async fn create(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    mut request: SoftwareStatementRequest,
) -> Result<(SoftwareStatement, Option<String>), ServiceError> {
    ensure_access(caller, org)?;
    let roles = request.software_roles.take();
    if let Some(roles) = &roles {
        check(directory, org, roles)?;
    }
    let (statement, secret) =
        organisations::create_software_statement(participants(directory), caller, org, request)
            .await?;
    if let Some(roles) = &roles {
        claim(directory, org, &statement.software_statement_id, roles).await?;
    }
    Ok((shown(directory, statement)?, secret))
}

/// The statement with the fields a PUT gives; a SoftwareRoles it gives
/// becomes the statement's claims.
pub async fn update(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    mut request: SoftwareStatementRequest,
) -> Result<SoftwareStatement, ServiceError> {
    ensure_access(caller, org)?;
    let roles = request.software_roles.take();
    if let Some(roles) = &roles {
        check(directory, org, roles)?;
    }
    let statement =
        organisations::update_software_statement(participants(directory), caller, org, ss, request)
            .await?;
    if let Some(roles) = &roles {
        claim(directory, org, ss, roles).await?;
    }
    shown(directory, statement)
}

/// The metadata of the roles the statement holds (the scopes each grants),
/// of one `kind` when given: its `metadata` document.
pub fn metadata(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    kind: Option<&str>,
) -> Result<Vec<RoleMetadata>, ServiceError> {
    organisations::software_statement(participants(directory), caller, org, ss)?;
    let catalogue = directory.catalogue();
    let (claimed, _) = in_force(directory, org, ss)?;
    Ok(claimed
        .iter()
        .filter_map(|claim| catalogue.role(&claim.role))
        .flat_map(|role| role.metadata())
        .filter(|item| kind.is_none_or(|kind| item.kind == kind))
        .collect())
}

/// PUT .../unlock: the statement, unlocked.
pub async fn unlock(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    unlock: Option<bool>,
) -> Result<SoftwareStatement, ServiceError> {
    let participants = participants(directory);
    let statement =
        organisations::unlock_software_statement(participants, caller, org, ss, unlock).await?;
    shown(directory, statement)
}

fn participants(directory: &Directory) -> &Participants {
    &directory.participants
}

/// Refuses a SoftwareRoles list that names a role the organisation holds by
/// no active claim, naming each.
fn check(
    directory: &Directory,
    org: &OrganisationId,
    roles: &[String],
) -> Result<(), ServiceError> {
    let catalogue = directory.catalogue();
    let held = directory.authority_claims.claims_of(org)?;
    Ok(check_software_roles(catalogue, org, &held, roles)?)
}

/// Makes the statement's claims match `roles`: an active claim for each
/// role, and none for a role not listed.
async fn claim(
    directory: &Directory,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    roles: &[String],
) -> Result<(), ServiceError> {
    let catalogue = directory.catalogue();
    let claims = &directory.authority_claims;
    let existing = claims.statement_claims(org, ss)?;
    for old in existing.iter().filter(|c| !roles.contains(&c.role)) {
        // Refused only as missing: removed meanwhile, which is what is wanted.
        let _ = claims
            .remove_statement_claim(org, ss, &old.software_authority_claim_id, &[])
            .await?;
    }
    for role in roles {
        let (claim, how) = match existing.iter().find(|c| &c.role == role) {
            Some(active) if active.is_active() => continue,
            Some(inactive) => (inactive.clone(), Put::Replacing),
            None => {
                let id = SoftwareClaimId::parse(&uuid::Uuid::new_v4().to_string())?;
                let domain = catalogue.role(role).map(|r| r.domain).unwrap_or_default();
                let claim = SoftwareClaim {
                    software_authority_claim_id: id,
                    software_statement_id: ss.clone(),
                    authorisation_domain: domain.to_owned(),
                    role: role.clone(),
                    status: ClaimStatus::Active,
                };
                (claim, Put::New)
            }
        };
        let claim = SoftwareClaim {
            status: ClaimStatus::Active,
            ..claim
        };
        if let Err(refused) = claims.write_statement_claim(org, &claim, how, &[]).await? {
            // The organisation's claim ended since `check` read it.
            let rule = match refused {
                StatementClaimRefused::RoleNotHeld => "is held by no active authority claim",
                StatementClaimRefused::Refused(_) => "could not be claimed; try again",
            };
            return Err(DomainError::field("SoftwareRoles", format!("'{role}' {rule}")).into());
        }
    }
    Ok(())
}
