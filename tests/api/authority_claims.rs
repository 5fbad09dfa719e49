//! Authority claims: the admin records what the regulator licensed an
//! organisation for (claims with their authorisations, domain claims), the
//! organisation's statements claim roles from them, and the participants
//! document shows them at once. Names come from `/references`; a statement
//! claims only a role its organisation holds.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::spec_schema::Spec;

const BCB: &str = "687a1c94-b360-4e04-9589-0fa5cb16451b";

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

fn claims_path() -> String {
    format!("/organisations/{ORG}/authorityclaims")
}

fn statement_claims_path() -> String {
    format!("/organisations/{ORG}/softwarestatements/{SS}/authorityclaims")
}

fn licence(role: &str) -> Value {
    json!({
        "AuthorityId": BCB,
        "AuthorisationDomain": "Open Banking",
        "Role": role,
        "RegistrationId": format!("13353236-OBB-{role}"),
        "Status": "Active",
    })
}

fn role_claim(role: &str) -> Value {
    json!({"AuthorisationDomain": "Open Banking", "Role": role, "Status": "Active"})
}

/// Records the licence and answers its OrganisationAuthorityClaimId.
pub async fn grant(app: &TestApp, role: &str) -> String {
    let made = json_of(
        app.post_json(&claims_path(), &licence(role)).await,
        StatusCode::CREATED,
    )
    .await;
    made["OrganisationAuthorityClaimId"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_claim_and_its_authorisations_are_recorded_read_replaced_and_deleted() {
    let app = spawn_app().await;
    let spec = Spec::directory();
    let made = json_of(
        app.post_json(&claims_path(), &licence("DADOS")).await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        spec.problems("OrganisationAuthorityClaim", &made)
            .is_empty()
    );
    assert_eq!(made["OrganisationId"], ORG);
    assert_eq!(made["AuthorityId"], BCB);
    assert_eq!(made["Role"], "DADOS");
    assert_eq!(made["Status"], "Active");
    assert_eq!(made["Authorisations"], json!([]));
    let id = made["OrganisationAuthorityClaimId"].as_str().unwrap();
    let one = format!("{}/{id}", claims_path());
    assert_eq!(json_of(app.get(&one).await, StatusCode::OK).await, made);
    // Beside the DADOS and PAGTO claims fixtures/demo.json records.
    let listed = json_of(app.get(&claims_path()).await, StatusCode::OK).await;
    let roles: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Role"].as_str().unwrap())
        .collect();
    assert_eq!(roles.len(), 3);
    assert!(listed.as_array().unwrap().contains(&made));

    let authorisations = format!("{one}/authorisations");
    let added = json_of(
        app.post_json(
            &authorisations,
            &json!({"MemberState": "BR", "Status": "Active"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        spec.problems("OrganisationAuthorityClaimAuthorisation", &added)
            .is_empty()
    );
    assert_eq!(added["OrganisationAuthorityClaimId"], id);
    let authorisation = format!(
        "{authorisations}/{}",
        added["OrganisationAuthorisationId"].as_str().unwrap()
    );
    assert_eq!(
        json_of(app.get(&authorisation).await, StatusCode::OK).await,
        added
    );
    let replaced = json_of(
        app.put_json(
            &authorisation,
            &json!({"MemberState": "PT", "Status": "Inactive"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(replaced["MemberState"], "PT");

    // Replacing the claim keeps its authorisations.
    let mut changed = licence("CONTA");
    changed["RegistrationId"] = json!("13353236-OBB-CONTA-2");
    let updated = json_of(app.put_json(&one, &changed).await, StatusCode::OK).await;
    assert_eq!(updated["RegistrationId"], "13353236-OBB-CONTA-2");
    assert_eq!(updated["Authorisations"], json!([replaced]));

    assert_eq!(
        app.delete(&authorisation).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_error(
        app.get(&authorisation).await,
        StatusCode::NOT_FOUND,
        "OrganisationAuthorisationId: authorisation",
    )
    .await;
    assert_eq!(app.delete(&one).await.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get(&one).await,
        StatusCode::NOT_FOUND,
        "OrganisationAuthorityClaimId: authority claim",
    )
    .await;
    let events = json_of(
        app.get("/admin/events?type=DIRECTORY_AUTHORITY_CLAIM*")
            .await,
        StatusCode::OK,
    )
    .await;
    let types: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap_or(""))
        .filter(|t| t.ends_with("_SUCCESS"))
        .collect();
    assert_eq!(types.len(), 6, "{events}");
}

#[tokio::test]
async fn domain_claims_name_the_authority_and_show_with_role_claims_in_the_participants_document() {
    let app = spawn_app().await;
    let spec = Spec::directory();
    let path = format!("/organisations/{ORG}/authoritydomainclaims");
    let made = json_of(
        app.post_json(
            &path,
            &json!({"AuthorityId": BCB, "AuthorisationDomainName": "Open Banking", "RegistrationId": "13353236"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        spec.problems("OrganisationAuthorityDomainClaim", &made)
            .is_empty()
    );
    assert_eq!(made["AuthorityName"], "Banco Central do Brasil");
    assert_eq!(made["Status"], "Active");
    let page = json_of(app.get(&path).await, StatusCode::OK).await;
    assert!(
        spec.problems("OrganisationAuthorityDomainClaimsPage", &page)
            .is_empty()
    );
    assert_eq!(page["content"], json!([made]));
    let one = format!(
        "{path}/{}",
        made["OrganisationAuthorityDomainClaimId"].as_str().unwrap()
    );
    // The spec's update request needs Status and AuthorityName, the authority's own.
    let update = json!({"AuthorityId": BCB, "AuthorisationDomainName": "Open Banking", "Status": "Inactive"});
    assert_error(
        app.put_json(&one, &update).await,
        StatusCode::BAD_REQUEST,
        "AuthorityName",
    )
    .await;
    let mut update = update;
    update["AuthorityName"] = json!("Bank of Brazil");
    assert_error(
        app.put_json(&one, &update).await,
        StatusCode::BAD_REQUEST,
        "AuthorityName: must be 'Banco Central do Brasil'",
    )
    .await;
    update["AuthorityName"] = json!("Banco Central do Brasil");
    let ended = json_of(app.put_json(&one, &update).await, StatusCode::OK).await;
    assert_eq!(ended["Status"], "Inactive");

    grant(&app, "CCORR").await;
    let document: Value = app
        .get_public(&app.url("/participants"))
        .await
        .json()
        .await
        .unwrap();
    let entry = document
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["OrganisationId"] == ORG)
        .unwrap();
    assert!(
        spec.problems("OrganisationExportOpenData", entry)
            .is_empty(),
        "{:#?}",
        spec.problems("OrganisationExportOpenData", entry)
    );
    assert_eq!(entry["OrgDomainClaims"], json!([ended]));
    let roles = entry["OrgDomainRoleClaims"].as_array().unwrap();
    assert_eq!(roles.len(), 3, "the demo's DADOS and PAGTO, and CCORR");
    let ccorr = roles.iter().find(|c| c["Role"] == "CCORR").unwrap();
    assert_eq!(ccorr["AuthorisationDomain"], "Open Banking");
    assert_eq!(ccorr["RegistrationId"], "13353236-OBB-CCORR");
    assert_eq!(ccorr["Authorisations"], json!([]));

    assert_eq!(app.delete(&one).await.status(), StatusCode::NO_CONTENT);
    let document: Value = app
        .get_public(&app.url("/participants"))
        .await
        .json()
        .await
        .unwrap();
    let entry = document
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["OrganisationId"] == ORG)
        .unwrap();
    assert_eq!(entry["OrgDomainClaims"], json!([]));
}

#[tokio::test]
async fn a_statement_claims_only_a_role_its_organisation_holds_and_changes_only_its_status() {
    let app = spawn_app().await;
    let spec = Spec::directory();
    assert_error(
        app.post_json(&statement_claims_path(), &role_claim("CONTA")).await,
        StatusCode::BAD_REQUEST,
        "Role: organisation 'c8f0bf49-4744-4933-8960-7add6e590841' holds 'CONTA' in 'Open Banking' by no active authority claim",
    )
    .await;
    grant(&app, "CONTA").await;
    let made = json_of(
        app.post_json(&statement_claims_path(), &role_claim("CONTA"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(spec.problems("SoftwareAuthorityClaim", &made).is_empty());
    assert_eq!(made["SoftwareStatementId"], SS);
    assert_error(
        app.post_json(&statement_claims_path(), &role_claim("CCORR"))
            .await,
        StatusCode::BAD_REQUEST,
        "holds 'CCORR'",
    )
    .await;
    let one = format!(
        "{}/{}",
        statement_claims_path(),
        made["SoftwareAuthorityClaimId"].as_str().unwrap()
    );
    assert_error(
        app.put_json(&one, &json!({"Role": "DADOS", "Status": "Active"}))
            .await,
        StatusCode::BAD_REQUEST,
        "Role: cannot be changed",
    )
    .await;
    let ended = json_of(
        app.put_json(&one, &json!({"Status": "Inactive"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ended["Status"], "Inactive");
    let listed = json_of(app.get(&statement_claims_path()).await, StatusCode::OK).await;
    assert!(listed.as_array().unwrap().contains(&ended));
    assert_eq!(app.delete(&one).await.status(), StatusCode::NO_CONTENT);
    let listed = json_of(app.get(&statement_claims_path()).await, StatusCode::OK).await;
    assert!(
        !listed
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["Role"] == "CONTA")
    );
}

#[tokio::test]
async fn an_organisation_token_reads_its_own_claims_claims_roles_but_records_no_licence() {
    let app = spawn_app().await;
    grant(&app, "CONTA").await;
    let tpp = Tpp::new();
    let token = crate::oauth::access_token(&app, &tpp).await;
    let as_client = |method: Method, path: String| {
        app.client
            .request(method, app.url(&path))
            .bearer_auth(&token)
    };
    let own = as_client(Method::GET, claims_path()).send().await.unwrap();
    assert_eq!(own.status(), StatusCode::OK);
    let refused = as_client(Method::POST, claims_path())
        .json(&licence("PAGTO"))
        .send()
        .await
        .unwrap();
    assert_error(refused, StatusCode::FORBIDDEN, "admin").await;
    let claimed = as_client(Method::POST, statement_claims_path())
        .json(&role_claim("CONTA"))
        .send()
        .await
        .unwrap();
    assert_eq!(claimed.status(), StatusCode::CREATED);
    assert_eq!(
        app.post_json(
            "/organisations",
            &json!({"OrganisationId": "org-b", "OrganisationName": "B"})
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    let other = as_client(Method::GET, "/organisations/org-b/authorityclaims".into())
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
}
