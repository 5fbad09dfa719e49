//! Organisations and software statements: the owners uploads need.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn an_organisation_is_created_with_a_generated_id_and_read_back() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/organisations",
            &json!({"OrganisationName": "Acme Pagamentos", "Country": "BR"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let id = created["OrganisationId"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    assert_eq!(created["Status"], "Active");
    assert_eq!(
        created["RequiresParticipantTermsAndConditionsSigning"],
        true
    );

    let response = app.get(&format!("/organisations/{id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let read: Value = response.json().await.unwrap();
    assert_eq!(read["OrgDetails"], created);
    assert_eq!(
        read["TncDetails"],
        json!({"TnCSigned": true, "TnCUpdated": false, "TnCsToBeSigned": []})
    );
}

#[tokio::test]
async fn a_given_organisation_id_is_kept_and_cannot_be_taken_twice() {
    let app = spawn_app().await;
    let body = json!({"OrganisationId": "org-acme", "OrganisationName": "Acme"});
    assert_eq!(
        app.post_json("/organisations", &body).await.status(),
        StatusCode::CREATED
    );
    assert_error(
        app.post_json("/organisations", &body).await,
        StatusCode::CONFLICT,
        "'org-acme' already exists",
    )
    .await;
}

#[tokio::test]
async fn organisation_rules_are_reported_by_field() {
    let app = spawn_app().await;
    let response = app
        .post_json("/organisations", &json!({"Country": "BR"}))
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "OrganisationName: OrganisationName must be provided",
    )
    .await;
    let response = app
        .post_json(
            "/organisations",
            &json!({"OrganisationName": "A", "OrganisationId": "a".repeat(41)}),
        )
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "OrganisationId: must be at most 40 characters",
    )
    .await;
    let response = app
        .post_json("/organisations", &json!({"OrganisationName": 7}))
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "OrganisationName: invalid type",
    )
    .await;
    let response = app
        .post_json(
            "/organisations",
            &json!({"OrganisationName": "A", "Status": "Closed"}),
        )
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "Status: must be one of Active, Pending, Withdrawn",
    )
    .await;
    let response = app
        .client
        .post(app.url("/organisations"))
        .bearer_auth(TOKEN)
        .header("Content-Type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "Content-Type: must be application/json",
    )
    .await;
    let response = app
        .client
        .post(app.url("/organisations"))
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "body: key must be a string",
    )
    .await;
}

#[tokio::test]
async fn unknown_organisations_are_404_in_the_directory_shape() {
    let app = spawn_app().await;
    assert_error(
        app.get("/organisations/nobody").await,
        StatusCode::NOT_FOUND,
        "organisation 'nobody' does not exist",
    )
    .await;
    let response = app
        .get(&format!("/organisations/nobody/softwarestatements/{SS}"))
        .await;
    assert_error(
        response,
        StatusCode::NOT_FOUND,
        "organisation 'nobody' does not exist",
    )
    .await;
}

#[tokio::test]
async fn a_software_statement_is_created_under_its_organisation() {
    let app = spawn_app().await;
    let path = format!("/organisations/{ORG}/softwarestatements");
    let body = json!({
        "SoftwareStatementId": "ss-new",
        "ClientName": "New App",
        "RedirectUri": ["https://tpp.example/cb"],
        "Mode": "Test",
        "Version": 2
    });
    let response = app.post_json(&path, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["OrganisationId"], ORG);
    assert_eq!(created["Status"], "Active");
    assert_eq!(created["Mode"], "Test");
    assert_eq!(created["ClientId"], "ss-new");

    let read: Value = app
        .get(&format!("{path}/ss-new"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read, created);
    assert_error(
        app.post_json(&path, &body).await,
        StatusCode::CONFLICT,
        "'ss-new' already exists",
    )
    .await;

    let generated: Value = app
        .post_json(&path, &json!({"ClientName": "Another"}))
        .await
        .json()
        .await
        .unwrap();
    assert!(uuid::Uuid::parse_str(generated["SoftwareStatementId"].as_str().unwrap()).is_ok());

    let response = app.get(&format!("{path}/nothing-here")).await;
    assert_error(
        response,
        StatusCode::NOT_FOUND,
        "software statement 'nothing-here' does not exist",
    )
    .await;
}

#[tokio::test]
async fn software_statement_rules_are_reported_by_field() {
    let app = spawn_app().await;
    let path = format!("/organisations/{ORG}/softwarestatements");
    let response = app
        .post_json(&path, &json!({"RedirectUri": ["http://plain.example"]}))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    let errors: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("RedirectUri[0]: must be a URI starting with https://")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("ClientName: ClientName must be provided")),
        "{errors:?}"
    );

    let response = app
        .post_json(
            "/organisations/nobody/softwarestatements",
            &json!({"ClientName": "x"}),
        )
        .await;
    assert_error(
        response,
        StatusCode::NOT_FOUND,
        "organisation 'nobody' does not exist",
    )
    .await;
}

#[tokio::test]
async fn the_tnc_history_is_the_participant_terms_accepted_at_registration() {
    let app = spawn_app().await;
    let history: Value = app
        .get(&format!("/organisations/{ORG}/tnchistory"))
        .await
        .json()
        .await
        .unwrap();
    let problems =
        crate::spec_schema::Spec::directory().problems("OrgTermsAndConditionsPage", &history);
    assert!(problems.is_empty(), "{problems:#?}");
    let terms: Value = app
        .get("/references/termsandconditions")
        .await
        .json()
        .await
        .unwrap();
    let detail = &history["content"][0]["TermsAndConditionsDetail"];
    assert_eq!(detail["TermsAndConditionsItem"], terms["content"][0]);
    assert_eq!(detail["ExternalSigningServiceEnvelopeStatus"], "completed");
    let organisation: Value = app
        .get(&format!("/organisations/{ORG}"))
        .await
        .json()
        .await
        .unwrap();
    let created = organisation["OrgDetails"]["CreatedOn"].as_str().unwrap();
    let accepted = detail["InititatedDate"].as_str().unwrap();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(created).unwrap(),
        chrono::DateTime::parse_from_rfc3339(accepted).unwrap()
    );
    assert_eq!(organisation["TncDetails"]["TnCSigned"], true);
    assert_eq!(history["totalSize"], 1);
}
