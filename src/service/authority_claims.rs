//! Authority claims: an organisation's licences (with their
//! authorisations) and domain registrations, written by the admin as a
//! regulator's register would be, and the roles a statement claims from
//! them, written by the admin or the organisation's own token. Each is read
//! by the admin or the organisation, and each write is on disk with its
//! audit events before it is answered.

use super::authorisation_servers::{audit_events, recorded};
use super::directory::Directory;
use super::error::{NotFound, refusal};
use super::events::Audit;
use super::organisations::{find_organisation, find_software_statement};
use super::{ServiceError, ensure_access, ensure_admin};
use crate::domain::authority_claim::{
    Authorisation, AuthorisationRequest, AuthorityClaim, AuthorityClaimRequest, DomainClaim,
    DomainClaimRequest, SoftwareClaim, SoftwareClaimRequest,
};
use crate::domain::{
    AuthorisationId, AuthorityClaimId, Caller, DomainClaimId, DomainError, OrganisationId,
    SoftwareClaimId, SoftwareStatementId,
};
use crate::store::{Put, ServerRefused as Refused, StatementClaimRefused};

const LICENCES: &str = "changing an organisation's authority claims";

/// A fresh id of type `T`, from a v4 UUID.
fn new_id<T>(parse: fn(&str) -> Result<T, DomainError>) -> Result<T, ServiceError> {
    Ok(parse(&uuid::Uuid::new_v4().to_string())?)
}

fn organisation(org: &OrganisationId) -> String {
    format!("organisation '{org}'")
}

// An organisation's authority claims.

pub fn claims(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
) -> Result<Vec<AuthorityClaim>, ServiceError> {
    ensure_access(caller, org)?;
    find_organisation(&directory.participants, org)?;
    Ok(directory.authority_claims.claims_of(org)?)
}

pub fn claim(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    id: &AuthorityClaimId,
) -> Result<AuthorityClaim, ServiceError> {
    ensure_access(caller, org)?;
    find_claim(directory, org, id)
}

/// A new claim (`id` None) or the replacement of a stored one, keeping its
/// authorisations.
pub async fn write_claim(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    id: Option<&AuthorityClaimId>,
    request: AuthorityClaimRequest,
) -> Result<AuthorityClaim, ServiceError> {
    ensure_admin(caller, LICENCES)?;
    let (id, how, authorisations) = match id {
        Some(id) => {
            let stored = find_claim(directory, org, id)?;
            (id.clone(), Put::Replacing, stored.authorisations)
        }
        None => {
            find_organisation(&directory.participants, org)?;
            (new_id(AuthorityClaimId::parse)?, Put::New, Vec::new())
        }
    };
    let claim =
        AuthorityClaim::from_request(request, directory.catalogue(), org, id, authorisations)?;
    let events = audit_events(audit, directory.clock.now());
    if let Err(refused) = directory
        .authority_claims
        .write_claim(&claim, how, &events)
        .await?
    {
        let id = &claim.organisation_authority_claim_id;
        return Err(refusal(
            refused,
            (AuthorityClaimId::FIELD, id.to_string()),
            || find_claim(directory, org, id).map(drop),
            missing_claim(org, id),
        ));
    }
    recorded(audit, &events);
    Ok(claim)
}

pub async fn delete_claim(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    id: &AuthorityClaimId,
) -> Result<(), ServiceError> {
    ensure_admin(caller, LICENCES)?;
    find_organisation(&directory.participants, org)?;
    let events = audit_events(audit, directory.clock.now());
    if let Err(Refused::Missing) = directory
        .authority_claims
        .remove_claim(org, id, &events)
        .await?
    {
        return Err(missing_claim(org, id));
    }
    recorded(audit, &events);
    Ok(())
}

fn find_claim(
    directory: &Directory,
    org: &OrganisationId,
    id: &AuthorityClaimId,
) -> Result<AuthorityClaim, ServiceError> {
    find_organisation(&directory.participants, org)?;
    directory
        .authority_claims
        .claim(org, id)?
        .ok_or_else(|| missing_claim(org, id))
}

fn missing_claim(org: &OrganisationId, id: &AuthorityClaimId) -> ServiceError {
    NotFound::Record {
        field: AuthorityClaimId::FIELD,
        what: "authority claim",
        id: id.to_string(),
        owner: organisation(org),
    }
    .into()
}

// The authorisations of a claim.

pub fn authorisations(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    claim: &AuthorityClaimId,
) -> Result<Vec<Authorisation>, ServiceError> {
    ensure_access(caller, org)?;
    Ok(find_claim(directory, org, claim)?.authorisations)
}

pub fn authorisation(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    claim: &AuthorityClaimId,
    id: &AuthorisationId,
) -> Result<Authorisation, ServiceError> {
    ensure_access(caller, org)?;
    find_claim(directory, org, claim)?
        .authorisations
        .into_iter()
        .find(|a| &a.organisation_authorisation_id == id)
        .ok_or_else(|| missing_authorisation(claim, id))
}

/// What a write does to a claim's authorisations.
pub enum AuthorisationChange {
    Add(AuthorisationRequest),
    Replace(AuthorisationId, AuthorisationRequest),
    Remove(AuthorisationId),
}

/// Makes one change to a claim's authorisations in the transaction that
/// reads the claim; answers the authorisation added or replaced.
pub async fn change_authorisation(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    claim: &AuthorityClaimId,
    change: AuthorisationChange,
) -> Result<Option<Authorisation>, ServiceError> {
    ensure_admin(caller, LICENCES)?;
    find_claim(directory, org, claim)?;
    let (target, written) = match change {
        AuthorisationChange::Add(request) => {
            let id = new_id(AuthorisationId::parse)?;
            (None, Some(Authorisation::from_request(request, claim, id)?))
        }
        AuthorisationChange::Replace(id, request) => (
            Some(id.clone()),
            Some(Authorisation::from_request(request, claim, id)?),
        ),
        AuthorisationChange::Remove(id) => (Some(id), None),
    };
    let events = audit_events(audit, directory.clock.now());
    let (named, new) = (target.clone(), written.clone());
    let outcome = directory
        .authority_claims
        .change_claim(org, claim, &events, move |stored| {
            let list = &mut stored.authorisations;
            let at = named.as_ref().map(|id| {
                list.iter()
                    .position(|a| &a.organisation_authorisation_id == id)
            });
            match (at, &new) {
                (Some(None), _) => return Err(Refused::Missing),
                (Some(Some(i)), Some(new)) => list[i] = new.clone(),
                (Some(Some(i)), None) => drop(list.remove(i)),
                (None, Some(new)) => list.push(new.clone()),
                (None, None) => {}
            }
            Ok(())
        })
        .await?;
    if let Err(refused) = outcome {
        let id = target.unwrap_or_else(|| AuthorisationId::parse("-").expect("a valid id"));
        return Err(refusal(
            refused,
            (AuthorisationId::FIELD, id.to_string()),
            || find_claim(directory, org, claim).map(drop),
            missing_authorisation(claim, &id),
        ));
    }
    recorded(audit, &events);
    Ok(written)
}

fn missing_authorisation(claim: &AuthorityClaimId, id: &AuthorisationId) -> ServiceError {
    NotFound::Record {
        field: AuthorisationId::FIELD,
        what: "authorisation",
        id: id.to_string(),
        owner: format!("authority claim '{claim}'"),
    }
    .into()
}

// An organisation's domain claims.

pub fn domain_claims(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
) -> Result<Vec<DomainClaim>, ServiceError> {
    ensure_access(caller, org)?;
    find_organisation(&directory.participants, org)?;
    Ok(directory.authority_claims.domain_claims_of(org)?)
}

pub fn domain_claim(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    id: &DomainClaimId,
) -> Result<DomainClaim, ServiceError> {
    ensure_access(caller, org)?;
    find_domain_claim(directory, org, id)
}

pub async fn write_domain_claim(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    id: Option<&DomainClaimId>,
    request: DomainClaimRequest,
) -> Result<DomainClaim, ServiceError> {
    ensure_admin(caller, LICENCES)?;
    let (id, how) = match id {
        Some(id) => {
            find_domain_claim(directory, org, id)?;
            (id.clone(), Put::Replacing)
        }
        None => {
            find_organisation(&directory.participants, org)?;
            (new_id(DomainClaimId::parse)?, Put::New)
        }
    };
    let replacing = how == Put::Replacing;
    let claim = DomainClaim::from_request(request, directory.catalogue(), id, replacing)?;
    let events = audit_events(audit, directory.clock.now());
    let claims = &directory.authority_claims;
    if let Err(refused) = claims.write_domain_claim(org, &claim, how, &events).await? {
        let id = &claim.organisation_authority_domain_claim_id;
        return Err(refusal(
            refused,
            (DomainClaimId::FIELD, id.to_string()),
            || find_domain_claim(directory, org, id).map(drop),
            missing_domain_claim(org, id),
        ));
    }
    recorded(audit, &events);
    Ok(claim)
}

pub async fn delete_domain_claim(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    id: &DomainClaimId,
) -> Result<(), ServiceError> {
    ensure_admin(caller, LICENCES)?;
    find_organisation(&directory.participants, org)?;
    let events = audit_events(audit, directory.clock.now());
    let claims = &directory.authority_claims;
    if let Err(Refused::Missing) = claims.remove_domain_claim(org, id, &events).await? {
        return Err(missing_domain_claim(org, id));
    }
    recorded(audit, &events);
    Ok(())
}

fn find_domain_claim(
    directory: &Directory,
    org: &OrganisationId,
    id: &DomainClaimId,
) -> Result<DomainClaim, ServiceError> {
    find_organisation(&directory.participants, org)?;
    directory
        .authority_claims
        .domain_claim(org, id)?
        .ok_or_else(|| missing_domain_claim(org, id))
}

fn missing_domain_claim(org: &OrganisationId, id: &DomainClaimId) -> ServiceError {
    NotFound::Record {
        field: DomainClaimId::FIELD,
        what: "authority domain claim",
        id: id.to_string(),
        owner: organisation(org),
    }
    .into()
}

// A software statement's claims.

pub fn statement_claims(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
) -> Result<Vec<SoftwareClaim>, ServiceError> {
    ensure_access(caller, org)?;
    find_software_statement(&directory.participants, org, ss)?;
    Ok(directory.authority_claims.statement_claims(org, ss)?)
}

pub fn statement_claim(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    id: &SoftwareClaimId,
) -> Result<SoftwareClaim, ServiceError> {
    ensure_access(caller, org)?;
    find_statement_claim(directory, org, ss, id)
}

/// A new claim (`id` None: the spec's SoftwareAuthorityClaimRequest) or a
/// new Status for a stored one (its update request). An active claim needs
/// the organisation to hold the role by an active claim.
pub async fn write_statement_claim(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    id: Option<&SoftwareClaimId>,
    request: SoftwareClaimRequest,
) -> Result<SoftwareClaim, ServiceError> {
    ensure_access(caller, org)?;
    let (claim, how) = match id {
        Some(id) => {
            let stored = find_statement_claim(directory, org, ss, id)?;
            (stored.updated(request)?, Put::Replacing)
        }
        None => {
            find_software_statement(&directory.participants, org, ss)?;
            let id = new_id(SoftwareClaimId::parse)?;
            let claim = SoftwareClaim::from_request(request, directory.catalogue(), ss, id)?;
            (claim, Put::New)
        }
    };
    let events = audit_events(audit, directory.clock.now());
    let claims = &directory.authority_claims;
    match claims
        .write_statement_claim(org, &claim, how, &events)
        .await?
    {
        Ok(()) => {}
        Err(StatementClaimRefused::RoleNotHeld) => {
            return Err(DomainError::field(
                "Role",
                format!(
                    "organisation '{org}' holds '{}' in '{}' by no active authority claim",
                    claim.role, claim.authorisation_domain
                ),
            )
            .into());
        }
        Err(StatementClaimRefused::Refused(refused)) => {
            let id = &claim.software_authority_claim_id;
            return Err(refusal(
                refused,
                (SoftwareClaimId::FIELD, id.to_string()),
                || find_statement_claim(directory, org, ss, id).map(drop),
                missing_statement_claim(ss, id),
            ));
        }
    }
    recorded(audit, &events);
    Ok(claim)
}

pub async fn delete_statement_claim(
    directory: &Directory,
    audit: Option<&Audit>,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    id: &SoftwareClaimId,
) -> Result<(), ServiceError> {
    ensure_access(caller, org)?;
    find_software_statement(&directory.participants, org, ss)?;
    let events = audit_events(audit, directory.clock.now());
    let claims = &directory.authority_claims;
    if let Err(Refused::Missing) = claims.remove_statement_claim(org, ss, id, &events).await? {
        return Err(missing_statement_claim(ss, id));
    }
    recorded(audit, &events);
    Ok(())
}

fn find_statement_claim(
    directory: &Directory,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    id: &SoftwareClaimId,
) -> Result<SoftwareClaim, ServiceError> {
    find_software_statement(&directory.participants, org, ss)?;
    directory
        .authority_claims
        .statement_claim(org, ss, id)?
        .ok_or_else(|| missing_statement_claim(ss, id))
}

fn missing_statement_claim(ss: &SoftwareStatementId, id: &SoftwareClaimId) -> ServiceError {
    NotFound::Record {
        field: SoftwareClaimId::FIELD,
        what: "authority claim",
        id: id.to_string(),
        owner: format!("software statement '{ss}'"),
    }
    .into()
}
