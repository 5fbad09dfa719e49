//! Software statement assertions: the signed JWT a TPP presents at dynamic
//! client registration, with the claims of the Open Finance Brasil DCR
//! standard or of UK Open Banking, every URI pointing at this keystore.

use serde_json::{Map, Value, json};

use super::directory::Directory;
use super::error::statement_not_active;
use super::organisations::{find_organisation, find_software_statement};
use super::{ServiceError, ensure_access, statement_roles};
use crate::domain::authority_claim::{AuthorityClaim, ClaimStatus, SoftwareClaim};
use crate::domain::reference::Catalogue;
use crate::domain::{
    Caller, Flavour, KeySet, Organisation, OrganisationId, SoftwareStatement, SoftwareStatementId,
};

/// What an SSA asserts of roles: the statement's claims in force, and the
/// organisation's own claims.
struct Roles {
    claimed: Vec<SoftwareClaim>,
    held: Vec<AuthorityClaim>,
}

impl Roles {
    fn names(&self) -> Vec<&str> {
        self.claimed.iter().map(|c| c.role.as_str()).collect()
    }

    /// The spec's `software_statement_roles`.
    fn statement_roles(&self) -> Vec<Value> {
        self.claimed
            .iter()
            .map(|c| json!({"role": c.role, "authorisation_domain": c.authorisation_domain, "status": "Active"}))
            .collect()
    }

    /// The organisation's active claims, as the DCR standard's
    /// `organisation_competent_authority_claims`, with the authority's name
    /// and code from the reference catalogue.
    fn competent_authority_claims(&self, catalogue: &Catalogue) -> Vec<Value> {
        self.held
            .iter()
            .filter(|c| c.is_active())
            .map(|c| {
                let authority = catalogue.authority(&c.authority_id);
                let authorisations: Vec<Value> = c
                    .authorisations
                    .iter()
                    .filter(|a| a.status == ClaimStatus::Active)
                    .map(|a| json!({"member_state": a.member_state, "status": "Active"}))
                    .collect();
                json!({
                    "authority_id": c.authority_id,
                    "authority_name": authority.map(|a| a.name),
                    "authority_code": authority.map(|a| a.code),
                    "registration_id": c.registration_id,
                    "authorisation_domain": c.authorisation_domain,
                    "authorisation_role": c.role,
                    "authorisations": authorisations,
                    "status": "Active",
                })
            })
            .collect()
    }
}

/// A fresh SSA for the statement, signed PS256 by the directory.
pub async fn assertion(
    directory: &Directory,
    caller: &Caller,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
) -> Result<String, ServiceError> {
    ensure_access(caller, org)?;
    let organisation = find_organisation(&directory.participants, org)?;
    let mut statement = find_software_statement(&directory.participants, org, ss)?;
    if !statement.is_active() {
        return Err(statement_not_active(
            ss,
            &statement.status,
            "gets an assertion",
        ));
    }
    let (claimed, held) = statement_roles::in_force(directory, org, ss)?;
    let roles = Roles { claimed, held };
    let claims = match directory.urls.flavour() {
        Flavour::Raidiam => brazil_claims(directory, &organisation, &statement, &roles),
        Flavour::Obie => uk_claims(directory, &organisation, &statement, &roles),
    };
    let token = directory
        .authority
        .signer()
        .sign(claims)
        .map_err(ServiceError::Crypto)?;
    // The directory marks a statement locked once an assertion has been made.
    if !statement.locked {
        statement.locked = true;
        directory.participants.statements.put(&statement).await?;
    }
    Ok(token)
}

fn insert_some(claims: &mut Map<String, Value>, name: &str, value: &Option<String>) {
    if let Some(value) = value {
        claims.insert(name.to_owned(), Value::String(value.clone()));
    }
}

/// A JSON object literal as a claims map.
fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The statement's optional metadata, named alike in both flavours.
fn statement_metadata(claims: &mut Map<String, Value>, ss: &SoftwareStatement) {
    insert_some(claims, "software_client_description", &ss.description);
    insert_some(claims, "software_environment", &ss.environment);
    insert_some(claims, "software_client_uri", &ss.client_uri);
    insert_some(claims, "software_logo_uri", &ss.logo_uri);
    insert_some(claims, "software_policy_uri", &ss.policy_uri);
    insert_some(claims, "software_tos_uri", &ss.terms_of_service_uri);
}

/// The claims of the Open Finance Brasil DCR standard's SSA example.
fn brazil_claims(
    directory: &Directory,
    org: &Organisation,
    ss: &SoftwareStatement,
    roles: &Roles,
) -> Map<String, Value> {
    let urls = &directory.urls;
    let (org_id, ss_id) = (&org.organisation_id, &ss.software_statement_id);
    let document = |keys, inactive| urls.statement_document(org_id, ss_id, keys, inactive);
    let catalogue = Catalogue::of(Flavour::Raidiam);
    let claims = json!({
        "iss": directory.ssa_issuer,
        "iat": directory.clock.now().timestamp(),
        "software_id": ss_id,
        "software_client_id": ss.client_id,
        "software_client_name": ss.client_name,
        "software_mode": ss.mode,
        "software_version": ss.version,
        "software_redirect_uris": ss.redirect_uri,
        "software_roles": roles.names(),
        "software_statement_roles": roles.statement_roles(),
        "software_jwks_uri": document(KeySet::Application, false),
        "software_jwks_inactive_uri": document(KeySet::Application, true),
        "software_jwks_transport_uri": document(KeySet::Transport, false),
        "software_jwks_transport_inactive_uri": document(KeySet::Transport, true),
        "org_id": org_id,
        "org_name": org.organisation_name,
        "org_status": org.status,
        "org_jwks_uri": urls.organisation_document(org_id, false),
        "org_jwks_inactive_uri": urls.organisation_document(org_id, true),
        "organisation_competent_authority_claims": roles.competent_authority_claims(catalogue),
    });
    let mut claims = object(claims);
    insert_some(&mut claims, "org_number", &org.registration_number);
    statement_metadata(&mut claims, ss);
    claims
}

/// The claims of a UK Open Banking SSA.
fn uk_claims(
    directory: &Directory,
    org: &Organisation,
    ss: &SoftwareStatement,
    roles: &Roles,
) -> Map<String, Value> {
    let urls = &directory.urls;
    let (org_id, ss_id) = (&org.organisation_id, &ss.software_statement_id);
    let claims = json!({
        "iss": directory.ssa_issuer,
        "iat": directory.clock.now().timestamp(),
        "jti": uuid::Uuid::new_v4().to_string(),
        "software_id": ss_id,
        "software_client_id": ss.client_id,
        "software_client_name": ss.client_name,
        "software_mode": ss.mode,
        "software_version": ss.version,
        "software_redirect_uris": ss.redirect_uri,
        "software_roles": roles.names(),
        "software_jwks_endpoint": urls.statement_document(org_id, ss_id, KeySet::All, false),
        "software_jwks_revoked_endpoint": urls.statement_document(org_id, ss_id, KeySet::All, true),
        "org_id": org_id,
        "org_name": org.organisation_name,
        "org_status": org.status,
        "org_contacts": [],
        "org_jwks_endpoint": urls.organisation_document(org_id, false),
        "org_jwks_revoked_endpoint": urls.organisation_document(org_id, true),
        "organisation_competent_authority_claims": {
            "authority_id": "FCAGBR",
            "registration_id": org.registration_id.clone().or(org.registration_number.clone()),
            "status": "Active",
            "authorisations": [],
        },
    });
    let mut claims = object(claims);
    statement_metadata(&mut claims, ss);
    insert_some(&mut claims, "software_on_behalf_of_org", &ss.on_behalf_of);
    claims
}
