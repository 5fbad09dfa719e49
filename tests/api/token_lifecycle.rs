//! Token introspection (RFC 7662) and revocation (RFC 7009): a client asks
//! about and ends its own access tokens, authenticated as at /token; a
//! revoked token stops reading the directory at once and stays revoked
//! across a restart.

use jsonwebtoken::Algorithm;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::oauth::{assert_oauth_error, assertion, signing_key, with_assertion};

const OTHER: &str = "ss-other";

/// An app with client secrets on, a second statement `OTHER`, and each
/// statement's secret.
async fn app_with_two_clients() -> (TestApp, String, String) {
    let app = spawn_app_with(AppOptions {
        client_secret_basic: true,
        ..Default::default()
    })
    .await;
    let mut secrets = Vec::new();
    for (id, name) in [("ss-mine", "Mine"), (OTHER, "Other")] {
        let created: Value = app
            .post_json(
                &format!("/organisations/{ORG}/softwarestatements"),
                &json!({"SoftwareStatementId": id, "ClientName": name}),
            )
            .await
            .json()
            .await
            .unwrap();
        secrets.push(created["ClientSecret"].as_str().unwrap().to_owned());
    }
    let other = secrets.pop().unwrap();
    (app, secrets.pop().unwrap(), other)
}

async fn token_of(app: &TestApp, client: &str, secret: &str) -> String {
    basic_token(&app.client, &app.address, client, secret).await
}

async fn call(
    app: &TestApp,
    endpoint: &str,
    client: &str,
    secret: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(app.url(endpoint))
        .basic_auth(client, Some(secret))
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn introspected(app: &TestApp, client: &str, secret: &str, token: &str) -> Value {
    let response = call(
        app,
        "/token/introspect",
        client,
        secret,
        &[("token", token)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    response.json().await.unwrap()
}

async fn reads_the_directory(app: &TestApp, token: &str) -> StatusCode {
    app.client
        .get(app.url(&format!("/organisations/{ORG}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_client_introspects_its_own_token_and_learns_nothing_of_anothers() {
    let (app, mine, other) = app_with_two_clients().await;
    let token = token_of(&app, "ss-mine", &mine).await;
    let answer = introspected(&app, "ss-mine", &mine, &token).await;
    assert_eq!(answer["active"], true);
    assert_eq!(answer["client_id"], "ss-mine");
    assert_eq!(answer["scope"], "directory:software");
    assert_eq!(answer["token_type"], "Bearer");
    assert!(answer["exp"].as_i64().unwrap() > answer["iat"].as_i64().unwrap());

    // Another client's token, or no token of ours at all: inactive, nothing more.
    assert_eq!(
        introspected(&app, OTHER, &other, &token).await,
        json!({"active": false})
    );
    assert_eq!(
        introspected(&app, "ss-mine", &mine, "not.a.token").await,
        json!({"active": false})
    );

    assert_oauth_error(
        call(
            &app,
            "/token/introspect",
            "ss-mine",
            "wrong",
            &[("token", &token)],
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "client secret is wrong",
    )
    .await;
    assert_oauth_error(
        call(&app, "/token/introspect", "ss-mine", &mine, &[]).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "token is required",
    )
    .await;
}

#[tokio::test]
async fn a_revoked_token_stops_reading_the_directory_at_once() {
    let (app, mine, other) = app_with_two_clients().await;
    let token = token_of(&app, "ss-mine", &mine).await;
    assert_eq!(reads_the_directory(&app, &token).await, StatusCode::OK);

    // Not the other client's to end.
    assert_oauth_error(
        call(&app, "/token/revoke", OTHER, &other, &[("token", &token)]).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "a client revokes its own tokens",
    )
    .await;
    assert_eq!(reads_the_directory(&app, &token).await, StatusCode::OK);

    let form = [
        ("token", token.as_str()),
        ("token_type_hint", "access_token"),
    ];
    let revoked = call(&app, "/token/revoke", "ss-mine", &mine, &form).await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(
        reads_the_directory(&app, &token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        introspected(&app, "ss-mine", &mine, &token).await,
        json!({"active": false})
    );
    // Revoking again, or revoking what is no token, is answered the same (RFC 7009 2.2).
    let again = call(&app, "/token/revoke", "ss-mine", &mine, &form).await;
    assert_eq!(again.status(), StatusCode::OK);
    let nothing = call(&app, "/token/revoke", "ss-mine", &mine, &[("token", "x")]).await;
    assert_eq!(nothing.status(), StatusCode::OK);
    // A new token works.
    let fresh = token_of(&app, "ss-mine", &mine).await;
    assert_eq!(reads_the_directory(&app, &fresh).await, StatusCode::OK);
}

#[tokio::test]
async fn private_key_jwt_authenticates_at_the_introspection_endpoint_with_it_as_audience() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let (key, kid) = signing_key(&app, &tpp).await;
    let issued = with_assertion(
        &app,
        &assertion(&app, &key, Algorithm::RS256, &kid, json!({})),
    )
    .await;
    assert_eq!(issued.status(), StatusCode::OK);
    let issued: Value = issued.json().await.unwrap();
    let token = issued["access_token"].as_str().unwrap().to_owned();
    let endpoint = app.url("/token/introspect");
    let client_assertion = assertion(&app, &key, Algorithm::PS256, &kid, json!({"aud": endpoint}));
    let response = app
        .client
        .post(&endpoint)
        .form(&[
            ("token", token.as_str()),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", client_assertion.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["active"], true);
    assert_eq!(answer["client_id"], SS);
}

#[tokio::test]
async fn discovery_names_introspection_and_revocation_with_their_auth_methods() {
    let app = spawn_app().await;
    let doc: Value = app
        .get_public(&app.url("/.well-known/openid-configuration"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(doc["introspection_endpoint"], app.url("/token/introspect"));
    assert_eq!(doc["revocation_endpoint"], app.url("/token/revoke"));
    for endpoint in ["introspection", "revocation"] {
        assert_eq!(
            doc[format!("{endpoint}_endpoint_auth_methods_supported")],
            doc["token_endpoint_auth_methods_supported"]
        );
    }
}
