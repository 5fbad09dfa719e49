//! Software statement assertions: the signed JWT a TPP presents at dynamic
//! client registration, with the claims of the Open Finance Brasil DCR
//! standard or of UK Open Banking, every URI pointing at this keystore.

use serde_json::{Map, Value, json};

use super::directory::Directory;
use super::error::statement_not_active;
use super::organisations::{find_organisation, find_software_statement};
use super::{ServiceError, ensure_access};
use crate::domain::{
    Caller, Flavour, KeySet, Organisation, OrganisationId, SoftwareStatement, SoftwareStatementId,
};

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
    let claims = match directory.urls.flavour() {
        Flavour::Raidiam => brazil_claims(directory, &organisation, &statement),
        Flavour::Obie => uk_claims(directory, &organisation, &statement),
    };
    let token = directory
        .authority
        .signer()
        .sign(claims)
        .map_err(ServiceError::Crypto)?;
    // The directory marks a statement locked once an assertion has been made.
    if !statement.locked {
        statement.locked = true;
        directory.participants.statements.put(&statement)?;
        directory.db.flush().await?;
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
) -> Map<String, Value> {
    let urls = &directory.urls;
    let (org_id, ss_id) = (&org.organisation_id, &ss.software_statement_id);
    let document = |keys, inactive| urls.statement_document(org_id, ss_id, keys, inactive);
    let roles: Vec<Value> = ss
        .software_roles
        .iter()
        .map(|role| json!({"role": role, "authorisation_domain": "Open Banking", "status": "Active"}))
        .collect();
    let claims = json!({
        "iss": "Open Banking Open Banking Brasil sandbox SSA issuer",
        "iat": directory.clock.now().timestamp(),
        "software_id": ss_id,
        "software_client_id": ss.client_id,
        "software_client_name": ss.client_name,
        "software_mode": ss.mode,
        "software_version": ss.version,
        "software_redirect_uris": ss.redirect_uri,
        "software_roles": ss.software_roles,
        "software_statement_roles": roles,
        "software_jwks_uri": document(KeySet::Application, false),
        "software_jwks_inactive_uri": document(KeySet::Application, true),
        "software_jwks_transport_uri": document(KeySet::Transport, false),
        "software_jwks_transport_inactive_uri": document(KeySet::Transport, true),
        "org_id": org_id,
        "org_name": org.organisation_name,
        "org_status": org.status,
        "org_jwks_uri": urls.organisation_document(org_id, false),
        "org_jwks_inactive_uri": urls.organisation_document(org_id, true),
        "organisation_competent_authority_claims": [],
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
) -> Map<String, Value> {
    let urls = &directory.urls;
    let (org_id, ss_id) = (&org.organisation_id, &ss.software_statement_id);
    let claims = json!({
        "iss": "OpenBanking Ltd",
        "iat": directory.clock.now().timestamp(),
        "jti": uuid::Uuid::new_v4().to_string(),
        "software_id": ss_id,
        "software_client_id": ss.client_id,
        "software_client_name": ss.client_name,
        "software_mode": ss.mode,
        "software_version": ss.version,
        "software_redirect_uris": ss.redirect_uri,
        "software_roles": ss.software_roles,
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
