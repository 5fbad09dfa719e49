//! Reset, snapshot and restore: a harness starts each test from a known
//! state, and only the admin may do it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn upload_kid(app: &TestApp, tpp: &Tpp, name: &str) -> String {
    let csr = tpp.csr(&tpp.rsa_key(name, 2048), &obie_subject(ORG, SS), &[]);
    let response = app.upload("rtssigning", &csr).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn chain(app: &TestApp) -> String {
    app.get("/ca/chain.pem").await.text().await.unwrap()
}

#[tokio::test]
async fn a_restored_snapshot_is_the_state_it_saved_keystore_included() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let jwks = app.url(&format!("/keystore/{ORG}/{SS}/application.jwks"));
    let first = upload_kid(&app, &tpp, "a.key").await;
    assert_eq!(app.jwks_kids(&jwks).await, vec![first.clone()]);

    let saved = app
        .post_json("/admin/snapshot", &json!({"name": "one-key"}))
        .await;
    assert_eq!(saved.status(), StatusCode::CREATED);
    let before = app.services.test_control.stored_contents().unwrap();

    let second = upload_kid(&app, &tpp, "b.key").await;
    app.post_json(
        "/organisations",
        &json!({"OrganisationName": "Later", "OrganisationId": "later"}),
    )
    .await;
    assert_eq!(app.jwks_kids(&jwks).await.len(), 2);

    let restored = app
        .post_json("/admin/restore", &json!({"name": "one-key"}))
        .await;
    assert_eq!(restored.status(), StatusCode::OK);
    assert_eq!(app.services.test_control.stored_contents().unwrap(), before);
    assert_eq!(
        app.jwks_kids(&jwks).await,
        vec![first],
        "the cached JWKS went with the state"
    );
    assert!(!app.jwks_kids(&jwks).await.contains(&second));
    assert_eq!(
        app.get("/organisations/later").await.status(),
        StatusCode::NOT_FOUND
    );

    let listed: Value = app.get("/admin/snapshots").await.json().await.unwrap();
    assert_eq!(listed["snapshots"], json!(["one-key"]));
}

#[tokio::test]
async fn a_reset_empties_the_directory_and_keeps_the_ca_unless_asked() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    upload_kid(&app, &tpp, "a.key").await;
    let ca = chain(&app).await;

    let response = app.post_json("/admin/reset", &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let listed: Value = app.get("/organisations").await.json().await.unwrap();
    assert_eq!(listed["content"], json!([]), "{listed}");
    assert_eq!(
        app.get(&format!("/organisations/{ORG}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(chain(&app).await, ca, "the same CA signs after a reset");

    // The directory works from the empty state.
    let created = app
        .post_json(
            "/organisations",
            &json!({"OrganisationName": "Fresh", "OrganisationId": ORG}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);

    let response = app.post_json("/admin/reset", &json!({"ca": true})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let new_ca = chain(&app).await;
    assert_ne!(new_ca, ca, "a new CA");
    let (ok, output) = tpp.verify(
        &new_ca,
        new_ca
            .split_inclusive(
                "-----END CERTIFICATE-----
",
            )
            .next()
            .unwrap(),
    );
    assert!(ok, "the new chain verifies: {output}");

    // The audit log outlives resets.
    let events: Value = app
        .get("/admin/events?type=ADMIN_RESET_SUCCESS")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events["events"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn test_control_refuses_org_tokens_bad_names_and_unknown_snapshots() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let token = crate::oauth::access_token(&app, &tpp).await;
    for path in ["/admin/reset", "/admin/snapshot", "/admin/restore"] {
        let response = app
            .client
            .post(app.url(path))
            .bearer_auth(&token)
            .json(&json!({"name": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let before = app.services.test_control.stored_contents().unwrap();
    assert_error(
        app.post_json("/admin/snapshot", &json!({"name": "../escape"}))
            .await,
        StatusCode::BAD_REQUEST,
        "name: must be 1 to 64 letters, digits",
    )
    .await;
    assert_error(
        app.post_json("/admin/restore", &json!({"name": "never-saved"}))
            .await,
        StatusCode::NOT_FOUND,
        "snapshot 'never-saved' does not exist",
    )
    .await;
    assert_error(
        app.post_json("/admin/reset", &json!({"ca": "yes"})).await,
        StatusCode::BAD_REQUEST,
        "ca: invalid type",
    )
    .await;
    assert_eq!(
        app.services.test_control.stored_contents().unwrap(),
        before,
        "nothing was written"
    );
}

/// The organisations of the built-in demo (fixtures/demo.json).
const DEMO_ORGANISATIONS: [&str; 3] = [
    "c8f0bf49-4744-4933-8960-7add6e590841",
    "7b59c224-d641-4fd4-9c46-6c8bff206e1f",
    "d7ae8a2f-ffef-4622-a566-c5ed8e5b1c9a",
];

async fn organisation_ids(app: &TestApp) -> Vec<String> {
    let listed: Value = app.get("/organisations").await.json().await.unwrap();
    let mut ids: Vec<String> = listed["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["OrganisationId"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_reset_with_the_demo_seed_returns_to_the_demo_not_to_empty() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    upload_kid(&app, &tpp, "a.key").await;
    let mut demo: Vec<String> = DEMO_ORGANISATIONS.map(String::from).to_vec();
    demo.sort();

    for _ in 0..2 {
        let response = app.post_json("/admin/reset?seed=demo", &json!({})).await;
        assert_eq!(response.status(), StatusCode::OK);
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["seed"]["name"], "demo", "{answer}");
        assert_eq!(answer["seed"]["created"]["organisations"], 3, "{answer}");
        assert!(answer["seed"]["created"].get("client_secrets").is_none());
        // Only the demo's organisations: what was there before is gone, and
        // a second reset makes the same directory again.
        assert_eq!(organisation_ids(&app).await, demo);
    }
    let statements: Value = app
        .get(&format!(
            "/organisations/{}/softwarestatements",
            DEMO_ORGANISATIONS[0]
        ))
        .await
        .json()
        .await
        .unwrap();
    assert!(!statements.as_array().unwrap().is_empty(), "{statements}");

    // Without the seed, a reset still empties.
    let response = app.post_json("/admin/reset", &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(organisation_ids(&app).await.is_empty());
}
