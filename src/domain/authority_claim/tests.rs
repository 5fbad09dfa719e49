//! Unit tests of authority claims: names checked against the catalogue,
//! required fields named, and a statement claim that changes only its status.

use super::*;
use crate::domain::Flavour;

fn request(authority: &str, domain: &str, role: &str) -> AuthorityClaimRequest {
    AuthorityClaimRequest {
        authority_id: Some(authority.into()),
        authorisation_domain: Some(domain.into()),
        role: Some(role.into()),
        registration_id: Some("13353236-OBB-DADOS".into()),
        status: Some("Active".into()),
        unique_technical_idenifier: None,
    }
}

fn claim(req: AuthorityClaimRequest) -> Result<AuthorityClaim, Vec<DomainError>> {
    AuthorityClaim::from_request(
        req,
        Catalogue::of(Flavour::Raidiam),
        &OrganisationId::parse("org-1").unwrap(),
        AuthorityClaimId::parse("c-1").unwrap(),
        Vec::new(),
    )
}

fn fields(errors: Vec<DomainError>) -> Vec<String> {
    errors.into_iter().map(|e| e.field).collect()
}

const BCB: &str = "687a1c94-b360-4e04-9589-0fa5cb16451b";

#[test]
fn a_claim_names_an_authority_its_domain_and_a_role_of_that_domain() {
    let made = claim(request(BCB, "Open Banking", "DADOS")).unwrap();
    assert_eq!(made.role, "DADOS");
    assert!(made.is_active());
    assert_eq!(
        fields(claim(request("FCAGBR", "Open Banking", "DADOS")).unwrap_err()),
        ["AuthorityId"]
    );
    assert_eq!(
        fields(claim(request(BCB, "PSD2", "DADOS")).unwrap_err()),
        ["AuthorisationDomain"]
    );
    assert_eq!(
        fields(claim(request(BCB, "Open Banking", "AISP")).unwrap_err()),
        ["Role"]
    );
}

#[test]
fn every_required_field_is_named_when_missing() {
    let errors = claim(AuthorityClaimRequest::default()).unwrap_err();
    assert_eq!(
        fields(errors),
        [
            "AuthorityId",
            "AuthorisationDomain",
            "Role",
            "RegistrationId",
            "Status"
        ]
    );
}

#[test]
fn a_statement_claim_changes_only_its_status() {
    let ss = SoftwareStatementId::parse("ss-1").unwrap();
    let made = SoftwareClaim::from_request(
        SoftwareClaimRequest {
            authorisation_domain: Some("Open Banking".into()),
            role: Some("PAGTO".into()),
            status: Some("Active".into()),
        },
        Catalogue::of(Flavour::Raidiam),
        &ss,
        SoftwareClaimId::parse("s-1").unwrap(),
    )
    .unwrap();
    let ended = made
        .updated(SoftwareClaimRequest {
            status: Some("Inactive".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(!ended.is_active());
    let refused = made.updated(SoftwareClaimRequest {
        role: Some("DADOS".into()),
        status: Some("Active".into()),
        ..Default::default()
    });
    assert_eq!(fields(refused.unwrap_err()), ["Role"]);
}
