//! Authority claims: what a regulator has licensed an organisation for (a
//! role in an authorisation domain, with its per-country authorisations),
//! the domains it is registered in, and the roles each software statement
//! claims from them. Every authority, domain and role is one of the
//! reference catalogue's.

use serde::{Deserialize, Serialize};

use super::reference::Catalogue;
use super::rules::Rules;
use super::{
    AuthorisationId, AuthorityClaimId, DomainClaimId, DomainError, OrganisationId, SoftwareClaimId,
    SoftwareStatementId,
};

/// The spec's StatusEnum: a claim is in force or it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimStatus {
    Active,
    Inactive,
}

impl ClaimStatus {
    /// A required Status: the spec's message when missing, its enum when not.
    fn from_request(r: &mut Rules, value: Option<String>) -> ClaimStatus {
        match r
            .present("Status", value, "Status must be provided")
            .as_deref()
        {
            Some("Active") | None => ClaimStatus::Active,
            Some("Inactive") => ClaimStatus::Inactive,
            Some(other) => {
                r.broken(DomainError::field(
                    "Status",
                    format!("must be one of Active, Inactive, got '{other}'"),
                ));
                ClaimStatus::Active
            }
        }
    }
}

/// An organisation's licence for a role (the spec's OrganisationAuthorityClaim).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthorityClaim {
    pub organisation_authority_claim_id: AuthorityClaimId,
    pub organisation_id: OrganisationId,
    pub authority_id: String,
    pub authorisation_domain: String,
    pub role: String,
    pub registration_id: String,
    pub status: ClaimStatus,
    /// Spelled as the spec spells it.
    pub unique_technical_idenifier: Vec<String>,
    pub authorisations: Vec<Authorisation>,
}

/// Where a licence holds (the spec's OrganisationAuthorityClaimAuthorisation):
/// passporting into a member state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Authorisation {
    pub organisation_authorisation_id: AuthorisationId,
    pub organisation_authority_claim_id: AuthorityClaimId,
    pub member_state: String,
    pub status: ClaimStatus,
}

/// An organisation's registration with an authority in a domain (the
/// spec's OrganisationAuthorityDomainClaim).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DomainClaim {
    pub organisation_authority_domain_claim_id: DomainClaimId,
    pub authority_id: String,
    pub authority_name: String,
    pub authorisation_domain_name: String,
    pub registration_id: Option<String>,
    pub status: ClaimStatus,
}

/// A role a software statement claims from its organisation's licences (the
/// spec's SoftwareAuthorityClaim).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SoftwareClaim {
    pub software_authority_claim_id: SoftwareClaimId,
    pub software_statement_id: SoftwareStatementId,
    pub authorisation_domain: String,
    pub role: String,
    pub status: ClaimStatus,
}

/// An organisation's claims as the participants document shows them.
#[derive(Debug, Default)]
pub struct OrganisationClaims {
    pub domain_claims: Vec<DomainClaim>,
    pub role_claims: Vec<AuthorityClaim>,
}

/// The body of a POST or PUT of an organisation's authority claim (the
/// spec's OrganisationAuthorityClaimRequest).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AuthorityClaimRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorisation_domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_technical_idenifier: Option<Vec<String>>,
}

/// The body of a POST or PUT of an authorisation (the spec's
/// OrganisationAuthorityClaimAuthorisationRequest).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AuthorisationRequest {
    pub member_state: Option<String>,
    pub status: Option<String>,
}

/// The body of a POST (OrganisationAuthorityDomainClaimRequest) or PUT
/// (…UpdateRequest, which also requires Status and AuthorityName) of a
/// domain claim.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DomainClaimRequest {
    pub authority_id: Option<String>,
    pub authority_name: Option<String>,
    pub authorisation_domain_name: Option<String>,
    pub registration_id: Option<String>,
    pub status: Option<String>,
}

/// The body of a POST (SoftwareAuthorityClaimRequest) or PUT
/// (SoftwareAuthorityClaimUpdateRequest: Status only) of a statement's claim.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SoftwareClaimRequest {
    pub authorisation_domain: Option<String>,
    pub role: Option<String>,
    pub status: Option<String>,
}

/// The AuthorisationDomain field of a claim request, and the spec's
/// message when it is missing.
const AUTHORISATION_DOMAIN: (&str, &str) = (
    "AuthorisationDomain",
    "AuthorisationDomain must be provided",
);

/// A claim's AuthorityId: required (`missing` when it is not), and one of
/// the catalogue's.
fn authority<'c>(
    r: &mut Rules,
    catalogue: &'c Catalogue,
    value: Option<String>,
    missing: &str,
) -> Option<&'c super::reference::Authority> {
    let id = r.present("AuthorityId", value, missing);
    let id = r.text("AuthorityId", id, 1, 40).unwrap_or_default();
    if id.is_empty() {
        return None;
    }
    let found = catalogue.authority(&id);
    if found.is_none() {
        r.broken(DomainError::field(
            "AuthorityId",
            format!("no authority '{id}' in /references/authorities"),
        ));
    }
    found
}

/// A domain name `field`: required (`missing` when it is not), one of the
/// catalogue's, and one `authority` licences in.
fn domain(
    r: &mut Rules,
    catalogue: &Catalogue,
    (field, missing): (&str, &str),
    value: Option<String>,
    authority: Option<&super::reference::Authority>,
) -> String {
    let name = r.present(field, value, missing);
    let name = r.text(field, name, 1, 30).unwrap_or_default();
    if name.is_empty() {
        return name;
    }
    if catalogue.domain(&name).is_none() {
        r.broken(DomainError::field(
            field,
            format!("no authorisation domain '{name}' in /references/authorisationdomains"),
        ));
    } else if let Some(authority) = authority
        && !catalogue
            .mappings_of(authority.id)
            .iter()
            .any(|m| m.domain == name)
    {
        r.broken(DomainError::field(
            field,
            format!("authority '{}' does not licence in '{name}'", authority.id),
        ));
    }
    name
}

/// A Role: required, one of the catalogue's, and a role of `domain`.
fn role(r: &mut Rules, catalogue: &Catalogue, value: Option<String>, domain: &str) -> String {
    let name = r.present(
        "Role",
        value,
        "Authorisation domain role name must be provided",
    );
    let name = r.text("Role", name, 1, 60).unwrap_or_default();
    if name.is_empty() {
        return name;
    }
    match catalogue.role(&name) {
        None => r.broken(DomainError::field(
            "Role",
            format!("no role '{name}' in /references/authorisationdomainroles"),
        )),
        // An unknown domain is reported once, under its own field.
        Some(found) if catalogue.domain(domain).is_some() && found.domain != domain => {
            r.broken(DomainError::field(
                "Role",
                format!(
                    "'{name}' is a role of '{}', not of '{domain}'",
                    found.domain
                ),
            ))
        }
        Some(_) => {}
    }
    name
}

impl AuthorityClaim {
    /// A claim from its request, checked against `catalogue`; `authorisations`
    /// are those it already carries (none for a new claim).
    pub fn from_request(
        req: AuthorityClaimRequest,
        catalogue: &Catalogue,
        org: &OrganisationId,
        id: AuthorityClaimId,
        authorisations: Vec<Authorisation>,
    ) -> Result<AuthorityClaim, Vec<DomainError>> {
        let mut r = Rules::default();
        let found = authority(
            &mut r,
            catalogue,
            req.authority_id,
            "AuthorityId must be provided",
        );
        let authorisation_domain = domain(
            &mut r,
            catalogue,
            AUTHORISATION_DOMAIN,
            req.authorisation_domain,
            found,
        );
        let role = role(&mut r, catalogue, req.role, &authorisation_domain);
        let registration_id = r.required("RegistrationId", req.registration_id, 1, 40);
        let status = ClaimStatus::from_request(&mut r, req.status);
        let identifiers = req.unique_technical_idenifier.unwrap_or_default();
        for (i, value) in identifiers.iter().enumerate() {
            r.text(
                &format!("UniqueTechnicalIdenifier[{i}]"),
                Some(value.clone()),
                0,
                255,
            );
        }
        r.finish(found.map(|authority| AuthorityClaim {
            organisation_authority_claim_id: id,
            organisation_id: org.clone(),
            authority_id: authority.id.to_owned(),
            authorisation_domain,
            role,
            registration_id,
            status,
            unique_technical_idenifier: identifiers,
            authorisations,
        }))
    }

    pub fn is_active(&self) -> bool {
        self.status == ClaimStatus::Active
    }

    /// Whether this claim licences the same thing as `other`: one
    /// authority, domain and role.
    pub fn licences_as(&self, other: &AuthorityClaim) -> bool {
        self.authority_id == other.authority_id
            && self.authorisation_domain == other.authorisation_domain
            && self.role == other.role
    }
}

impl Authorisation {
    pub fn from_request(
        req: AuthorisationRequest,
        claim: &AuthorityClaimId,
        id: AuthorisationId,
    ) -> Result<Authorisation, Vec<DomainError>> {
        let mut r = Rules::default();
        let member_state = r.present(
            "MemberState",
            req.member_state,
            "MemberState must be provided",
        );
        let member_state = r
            .text("MemberState", member_state, 2, 10)
            .unwrap_or_default();
        let status = ClaimStatus::from_request(&mut r, req.status);
        r.finish(Some(Authorisation {
            organisation_authorisation_id: id,
            organisation_authority_claim_id: claim.clone(),
            member_state,
            status,
        }))
    }
}

impl DomainClaim {
    /// A new claim (`replacing` false: Status defaults to Active) or a
    /// replacement (which, as the spec's update request, needs Status and
    /// AuthorityName); a given AuthorityName must be the authority's own.
    pub fn from_request(
        req: DomainClaimRequest,
        catalogue: &Catalogue,
        id: DomainClaimId,
        replacing: bool,
    ) -> Result<DomainClaim, Vec<DomainError>> {
        let mut r = Rules::default();
        let found = authority(
            &mut r,
            catalogue,
            req.authority_id,
            "The Authority ID is mandatory",
        );
        let authorisation_domain_name = domain(
            &mut r,
            catalogue,
            (
                "AuthorisationDomainName",
                "The authorisation domain name is mandatory",
            ),
            req.authorisation_domain_name,
            found,
        );
        let registration_id = r.text("RegistrationId", req.registration_id, 1, 40);
        let status = match (replacing, req.status) {
            (false, None) => ClaimStatus::Active,
            (_, status) => ClaimStatus::from_request(&mut r, status),
        };
        let name = match replacing {
            true => Some(r.required("AuthorityName", req.authority_name, 1, 255)),
            false => req.authority_name,
        };
        if let (Some(name), Some(authority)) = (&name, found)
            && !name.is_empty()
            && name != authority.name
        {
            r.broken(DomainError::field(
                "AuthorityName",
                format!("must be '{}', the name of {}", authority.name, authority.id),
            ));
        }
        r.finish(found.map(|authority| DomainClaim {
            organisation_authority_domain_claim_id: id,
            authority_id: authority.id.to_owned(),
            authority_name: authority.name.to_owned(),
            authorisation_domain_name,
            registration_id,
            status,
        }))
    }
}

impl SoftwareClaim {
    /// A new statement claim, its role one of the catalogue's in its domain.
    pub fn from_request(
        req: SoftwareClaimRequest,
        catalogue: &Catalogue,
        ss: &SoftwareStatementId,
        id: SoftwareClaimId,
    ) -> Result<SoftwareClaim, Vec<DomainError>> {
        let mut r = Rules::default();
        let authorisation_domain = domain(
            &mut r,
            catalogue,
            AUTHORISATION_DOMAIN,
            req.authorisation_domain,
            None,
        );
        let role = role(&mut r, catalogue, req.role, &authorisation_domain);
        let status = ClaimStatus::from_request(&mut r, req.status);
        r.finish(Some(SoftwareClaim {
            software_authority_claim_id: id,
            software_statement_id: ss.clone(),
            authorisation_domain,
            role,
            status,
        }))
    }

    /// This claim with the Status of an update request, the only field the
    /// spec's SoftwareAuthorityClaimUpdateRequest has.
    pub fn updated(&self, req: SoftwareClaimRequest) -> Result<SoftwareClaim, Vec<DomainError>> {
        let mut r = Rules::default();
        for (field, given) in [
            ("AuthorisationDomain", req.authorisation_domain.is_some()),
            ("Role", req.role.is_some()),
        ] {
            if given {
                r.broken(DomainError::field(
                    field,
                    "cannot be changed; only Status can (delete the claim and make another)",
                ));
            }
        }
        let status = ClaimStatus::from_request(&mut r, req.status);
        r.finish(Some(SoftwareClaim {
            status,
            ..self.clone()
        }))
    }

    pub fn is_active(&self) -> bool {
        self.status == ClaimStatus::Active
    }

    /// Whether `claim` is an active licence for this claim's role.
    pub fn is_held_by(&self, claim: &AuthorityClaim) -> bool {
        claim.is_active()
            && claim.role == self.role
            && claim.authorisation_domain == self.authorisation_domain
    }
}

/// Refuses a statement's SoftwareRoles that names a role `catalogue` does
/// not have, or one the organisation holds by no active claim in `held`;
/// each is named by its place in the list.
pub fn check_software_roles(
    catalogue: &Catalogue,
    org: &OrganisationId,
    held: &[AuthorityClaim],
    roles: &[String],
) -> Result<(), Vec<DomainError>> {
    let mut r = Rules::default();
    for (i, role) in roles.iter().enumerate() {
        let field = format!("SoftwareRoles[{i}]");
        if catalogue.role(role).is_none() {
            r.broken(DomainError::field(
                &field,
                format!("no role '{role}' in /references/authorisationdomainroles"),
            ));
        } else if !held.iter().any(|c| c.is_active() && &c.role == role) {
            r.broken(DomainError::field(
                &field,
                format!("organisation '{org}' holds '{role}' by no active authority claim"),
            ));
        }
    }
    r.finish(Some(()))
}

#[cfg(test)]
mod tests;
