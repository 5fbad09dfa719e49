//! The users of an organisation's authorisation domain (the spec's
//! AuthorisationDomainUser): plain records of who acts for it, in which
//! role and system; obdir keeps no login for them.

use serde::{Deserialize, Serialize};

use super::DomainError;
use super::authority_claim::ClaimStatus;
use super::contact::is_email;
use super::reference::Catalogue;
use super::rules::Rules;

/// The spec's ContactRoleEnum.
const CONTACT_ROLES: &[&str] = &[
    "PTC", "STC", "PBC", "SBC", "PSDC", "SSDC", "PDRC", "SDRC", "PPC", "SPC", "PCPC", "SCPC",
];
/// The spec's SystemEnum.
const SYSTEMS: &[&str] = &[
    "Directory",
    "Service Desk",
    "Dispute Resolution",
    "Portal",
    "Centralized Platform",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DomainUser {
    pub authorisation_domain_user_id: String,
    pub authorisation_domain: String,
    pub authorisation_domain_role: String,
    pub email: String,
    pub contact_role: String,
    pub system: String,
    pub status: ClaimStatus,
}

/// The body of a POST (AuthorisationDomainUserCreateRequest: Email,
/// AuthorisationDomainRole, ContactRole and System required) or a PUT
/// (…UpdateRequest: ContactRole, Status, System).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DomainUserRequest {
    pub email: Option<String>,
    pub authorisation_domain_role: Option<String>,
    pub contact_role: Option<String>,
    pub system: Option<String>,
    pub status: Option<String>,
}

/// `value` as one of `allowed`; `missing` names it when it must be given.
fn one_of(
    r: &mut Rules,
    field: &str,
    value: Option<String>,
    allowed: &[&str],
    missing: Option<&str>,
) -> Option<String> {
    let value = match missing {
        Some(missing) => r.present(field, value, missing)?,
        None => value?,
    };
    if !allowed.contains(&value.as_str()) {
        r.broken(DomainError::field(
            field,
            format!("must be one of {}, got '{value}'", allowed.join(", ")),
        ));
    }
    Some(value)
}

/// The `{UserEmailId}` of a path: an e-mail as a user's.
pub fn user_email(value: &str) -> Result<String, DomainError> {
    let mut r = Rules::default();
    let email = check_email(&mut r, "UserEmailId", Some(value.to_owned()));
    r.finish(Some(email)).map_err(|mut errors| errors.remove(0))
}

/// A user's e-mail, the id it is known by: the spec's pattern, at most 50
/// characters (UserEmailId).
fn check_email(r: &mut Rules, field: &str, value: Option<String>) -> String {
    let email = r.present(field, value, "Email must be provided");
    let email = r.text(field, email, 1, 50).unwrap_or_default();
    if !email.is_empty() && !is_email(&email) {
        r.broken(DomainError::field(
            field,
            "EmailAddress must be a valid email",
        ));
    }
    email
}

impl DomainUser {
    /// A new user of `domain`, in a role of that domain.
    pub fn from_request(
        req: DomainUserRequest,
        catalogue: &Catalogue,
        domain: &str,
        id: String,
    ) -> Result<DomainUser, Vec<DomainError>> {
        let mut r = Rules::default();
        let email = check_email(&mut r, "Email", req.email);
        let role = r.present(
            "AuthorisationDomainRole",
            req.authorisation_domain_role,
            "Authorisation domain role name must be provided",
        );
        if let Some(role) = &role
            && catalogue
                .role(role)
                .is_none_or(|found| found.domain != domain)
        {
            r.broken(DomainError::field(
                "AuthorisationDomainRole",
                format!(
                    "'{role}' is not a role of '{domain}' in /references/authorisationdomainroles"
                ),
            ));
        }
        let must = Some("must be provided");
        let contact_role = one_of(&mut r, "ContactRole", req.contact_role, CONTACT_ROLES, must);
        let system = one_of(&mut r, "System", req.system, SYSTEMS, must);
        if req.status.is_some() {
            r.broken(DomainError::field(
                "Status",
                "a new user is Active; change it with PUT",
            ));
        }
        r.finish(Some(DomainUser {
            authorisation_domain_user_id: id,
            authorisation_domain: domain.to_owned(),
            authorisation_domain_role: role.unwrap_or_default(),
            email,
            contact_role: contact_role.unwrap_or_default(),
            system: system.unwrap_or_default(),
            status: ClaimStatus::Active,
        }))
    }

    /// This user with the fields of an update request.
    pub fn updated(&self, req: DomainUserRequest) -> Result<DomainUser, Vec<DomainError>> {
        let mut r = Rules::default();
        for (field, given) in [
            ("Email", req.email.is_some()),
            (
                "AuthorisationDomainRole",
                req.authorisation_domain_role.is_some(),
            ),
        ] {
            if given {
                r.broken(DomainError::field(field, "cannot be changed by PUT"));
            }
        }
        let contact_role = one_of(&mut r, "ContactRole", req.contact_role, CONTACT_ROLES, None);
        let system = one_of(&mut r, "System", req.system, SYSTEMS, None);
        let status = match one_of(&mut r, "Status", req.status, &["Active", "Inactive"], None) {
            Some(s) if s == "Inactive" => ClaimStatus::Inactive,
            Some(_) => ClaimStatus::Active,
            None => self.status,
        };
        r.finish(Some(DomainUser {
            contact_role: contact_role.unwrap_or_else(|| self.contact_role.clone()),
            system: system.unwrap_or_else(|| self.system.clone()),
            status,
            ..self.clone()
        }))
    }
}
