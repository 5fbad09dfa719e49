//! A bank publishes its authorisation servers under its organisation: the
//! spec's fields, https URLs only, its own organisation only, each write
//! audited and kept across a restart.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

fn servers_path(org: &str) -> String {
    format!("/organisations/{org}/authorisationservers")
}

fn server() -> Value {
    json!({
        "AuthorisationServerId": "as-wren-1",
        "AutoRegistrationSupported": true,
        "CustomerFriendlyName": "Wren Bank",
        "CustomerFriendlyDescription": "Wren's retail banking",
        "CustomerFriendlyLogoUri": "https://wren.example/logo.svg",
        "OpenIDDiscoveryDocument": "https://auth.wren.example/.well-known/openid-configuration",
        "Issuer": "https://auth.wren.example",
        "PayloadSigningCertLocationUri": "https://keystore.wren.example/signing.jwks",
        "SupportsDCR": true,
        "DeprecatedDate": "2027-01-30",
        "NotificationWebhook": "https://hooks.wren.example/directory"
    })
}

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_server_is_published_read_listed_replaced_and_deleted_each_write_audited() {
    let app = spawn_app().await;
    let path = servers_path(ORG);
    let created = json_of(app.post_json(&path, &server()).await, StatusCode::CREATED).await;
    assert_eq!(created["AuthorisationServerId"], "as-wren-1");
    assert_eq!(created["OrganisationId"], ORG);
    assert_eq!(created["SupportsDCR"], true);
    assert_eq!(created["SupportsCiba"], false);
    assert_eq!(created["DeprecatedDate"], "2027-01-30");
    assert_eq!(created["NotificationWebhookStatus"], "Pending");
    assert_eq!(created["TermsOfServiceUri"], Value::Null);

    let one = format!("{path}/as-wren-1");
    assert_eq!(json_of(app.get(&one).await, StatusCode::OK).await, created);
    assert_eq!(
        json_of(app.get(&path).await, StatusCode::OK).await,
        json!([created])
    );
    assert_error(
        app.post_json(&path, &server()).await,
        StatusCode::CONFLICT,
        "AuthorisationServerId: authorisation server 'as-wren-1' already exists",
    )
    .await;

    let mut changed = server();
    changed["CustomerFriendlyName"] = json!("Wren Bank (new)");
    let replaced = json_of(app.put_json(&one, &changed).await, StatusCode::OK).await;
    assert_eq!(replaced["CustomerFriendlyName"], "Wren Bank (new)");
    assert_eq!(
        replaced["NotificationWebhookAddedDate"],
        created["NotificationWebhookAddedDate"]
    );
    changed["AuthorisationServerId"] = json!("as-other");
    assert_error(
        app.put_json(&one, &changed).await,
        StatusCode::BAD_REQUEST,
        "AuthorisationServerId: cannot be changed from 'as-wren-1'",
    )
    .await;

    let deleted = app
        .client
        .delete(app.url(&one))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get(&one).await,
        StatusCode::NOT_FOUND,
        "AuthorisationServerId: authorisation server 'as-wren-1' does not exist",
    )
    .await;
    assert_eq!(
        json_of(app.get(&path).await, StatusCode::OK).await,
        json!([])
    );

    let events = json_of(app.get("/admin/events").await, StatusCode::OK).await;
    let types: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .filter(|t| t.starts_with("DIRECTORY_AUTHORISATION_SERVER"))
        .collect();
    for expected in [
        "DIRECTORY_AUTHORISATION_SERVER_CREATE_SUCCESS",
        "DIRECTORY_AUTHORISATION_SERVER_CREATE_FAIL",
        "DIRECTORY_AUTHORISATION_SERVER_UPDATE_SUCCESS",
        "DIRECTORY_AUTHORISATION_SERVER_DELETE_SUCCESS",
    ] {
        assert!(types.contains(&expected), "{expected} not in {types:?}");
    }
}

#[tokio::test]
async fn bad_fields_are_each_named_and_nothing_is_written() {
    let app = spawn_app().await;
    let path = servers_path(ORG);
    let mut bad = server();
    bad["OpenIDDiscoveryDocument"] =
        json!("http://auth.wren.example/.well-known/openid-configuration");
    bad["CustomerFriendlyLogoUri"] = json!("https://wren.example/logo.png");
    bad["RetirementDate"] = json!("30/12/2027");
    bad.as_object_mut().unwrap().remove("CustomerFriendlyName");
    let body = json_of(app.post_json(&path, &bad).await, StatusCode::BAD_REQUEST).await;
    let errors = body["errors"].to_string();
    for needle in [
        "OpenIDDiscoveryDocument: must be a URI starting with https://",
        "CustomerFriendlyLogoUri: must be an https URI of an .svg image",
        "RetirementDate: Date must match the format of yyyy-MM-dd",
        "CustomerFriendlyName: CustomerFriendlyName must be provided",
    ] {
        assert!(errors.contains(needle), "no {needle:?} in {errors}");
    }
    let mut unknown = server();
    unknown["Colour"] = json!("blue");
    assert_error(
        app.post_json(&path, &unknown).await,
        StatusCode::BAD_REQUEST,
        "unknown field `Colour`",
    )
    .await;
    assert_error(
        app.post_json(&servers_path("no-such-org"), &server()).await,
        StatusCode::NOT_FOUND,
        "OrganisationId: organisation 'no-such-org' does not exist",
    )
    .await;
    assert_eq!(
        json_of(app.get(&path).await, StatusCode::OK).await,
        json!([])
    );
}

#[tokio::test]
async fn an_organisation_token_reaches_its_own_servers_only() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let token = crate::oauth::access_token(&app, &tpp).await;
    assert_eq!(
        app.post_json(
            "/organisations",
            &json!({"OrganisationId": "org-b", "OrganisationName": "B"})
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    let as_client = |method: Method, path: String| {
        app.client
            .request(method, app.url(&path))
            .bearer_auth(&token)
    };
    let refused = as_client(Method::POST, servers_path("org-b"))
        .json(&server())
        .send()
        .await
        .unwrap();
    assert_error(
        refused,
        StatusCode::FORBIDDEN,
        "may not act on organisation 'org-b'",
    )
    .await;
    let refused = as_client(Method::GET, servers_path("org-b"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let own = as_client(Method::POST, servers_path(ORG))
        .json(&server())
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::CREATED);
    let anonymous = app
        .client
        .get(app.url(&servers_path(ORG)))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_published_server_survives_a_kill_9() {
    let data_dir = tempfile::tempdir().unwrap();
    // A setting older versions had still loads (and is ignored).
    let config = "[store]\nbackground_flush_ms = 0\n";
    let client = reqwest::Client::new();
    let first = start_binary(data_dir.path(), config);
    let token = std::fs::read_to_string(data_dir.path().join("admin-token")).unwrap();
    let path = servers_path("c8f0bf49-4744-4933-8960-7add6e590841");
    let created = client
        .post(format!("{}{path}", first.address))
        .bearer_auth(token.trim())
        .json(&server())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let resource = client
        .post(format!("{}{path}/as-wren-1/apiresources", first.address))
        .bearer_auth(token.trim())
        .json(&json!({"ApiFamilyType": "accounts", "ApiVersion": "2.0.0",
            "ApiEndpoint": "https://api.wren.example/accounts/v2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resource.status(), StatusCode::CREATED);
    drop(first); // SIGKILL
    let second = start_binary(data_dir.path(), config);
    let listed = client
        .get(format!("{}{path}", second.address))
        .bearer_auth(token.trim())
        .send()
        .await
        .unwrap();
    let listed = json_of(listed, StatusCode::OK).await;
    assert_eq!(listed[0]["AuthorisationServerId"], "as-wren-1");
    assert_eq!(
        listed[0]["ApiResources"][0]["ApiDiscoveryEndpoints"][0]["ApiEndpoint"],
        "https://api.wren.example/accounts/v2"
    );
}
