//! Production-identical URLs: host names mapped to faces are routed on the
//! Host header, and the URLs obdir generates name them.

use std::net::SocketAddr;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

const HOSTS: &str = "[hosts]\n\"keystore.sandbox.directory.example\" = \"keystore\"\n\"matls-api.sandbox.directory.example\" = \"directory\"\n";

/// A client that resolves the mapped names to the test server, as an
/// /etc/hosts entry would.
fn resolving_client(app: &TestApp) -> reqwest::Client {
    let addr: SocketAddr = app.address.trim_start_matches("http://").parse().unwrap();
    reqwest::Client::builder()
        .resolve("keystore.sandbox.directory.example", addr)
        .resolve("matls-api.sandbox.directory.example", addr)
        .build()
        .unwrap()
}

#[tokio::test]
async fn mapped_hosts_serve_their_face_at_the_root_and_generated_urls_name_them() {
    let app = spawn_app_with(AppOptions {
        config: Some(HOSTS),
        ..Default::default()
    })
    .await;
    let client = resolving_client(&app);
    let port = app.address.rsplit(':').next().unwrap();
    let keystore = format!("http://keystore.sandbox.directory.example:{port}");
    let directory = format!("http://matls-api.sandbox.directory.example:{port}");

    let tpp = Tpp::new();
    let csr = tpp.csr(&tpp.rsa_key("k", 2048), &obie_subject(ORG, SS), &[]);
    let created = client
        .post(format!(
            "{directory}/organisations/{ORG}/softwarestatements/{SS}/certificates/rtssigning"
        ))
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/x-pem-file")
        .body(csr)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let record: Value = created.json().await.unwrap();
    let jwks_url = record["JwkPath"].as_str().unwrap().to_owned();
    assert_eq!(jwks_url, format!("{keystore}/{ORG}/{SS}/application.jwks"));

    // The generated URL answers on the keystore host, at its root.
    let jwks: Value = client
        .get(&jwks_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kid"], record["kid"]);
    let pem = client
        .get(record["SignedCertPath"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(pem.status(), StatusCode::OK);

    // Each host serves its own face only.
    let wrong = client
        .get(format!("{keystore}/organisations/{ORG}"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let health = client
        .get(format!("{keystore}/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);

    // The address itself still serves every face by path.
    assert_eq!(
        app.get_public(&app.url(&format!("/keystore/{ORG}/{SS}/application.jwks")))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/organisations/{ORG}")).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_host_mapped_to_no_face_stops_the_start() {
    let data_dir = tempfile::tempdir().unwrap();
    let config = data_dir.path().join("hosts.toml");
    std::fs::write(&config, "[hosts]\n\"keystore.example\" = \"jwks\"\n").unwrap();
    let error = obdir::config::Settings::load(Some(&config), |_| None, Default::default())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("hosts.\"keystore.example\": 'jwks' is not one of"),
        "{error}"
    );
    std::fs::write(&config, "[hosts]\n\"bad host\" = \"keystore\"\n").unwrap();
    let error = obdir::config::Settings::load(Some(&config), |_| None, Default::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("'bad host' is not a host name"), "{error}");
}

#[tokio::test]
async fn an_oauth_host_is_the_issuer_and_names_every_endpoint() {
    let app = spawn_app_with(AppOptions {
        config: Some("[hosts]\n\"auth.sandbox.directory.example\" = \"oauth\"\n"),
        client_secret_basic: true,
        ..Default::default()
    })
    .await;
    let addr: SocketAddr = app.address.trim_start_matches("http://").parse().unwrap();
    let client = reqwest::Client::builder()
        .resolve("auth.sandbox.directory.example", addr)
        .build()
        .unwrap();
    let port = app.address.rsplit(':').next().unwrap();
    let auth = format!("http://auth.sandbox.directory.example:{port}");

    let discovery: Value = client
        .get(format!("{auth}/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(discovery["issuer"], auth);
    assert_eq!(discovery["token_endpoint"], format!("{auth}/token"));
    assert_eq!(
        discovery["introspection_endpoint"],
        format!("{auth}/token/introspect")
    );
    assert_eq!(
        discovery["revocation_endpoint"],
        format!("{auth}/token/revoke")
    );

    // A token from the auth host has it as iss, and opens the directory on the main host.
    let created: Value = app
        .post_json(
            &format!("/organisations/{ORG}/softwarestatements"),
            &serde_json::json!({"SoftwareStatementId": "ss-auth", "ClientName": "Auth"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let secret = created["ClientSecret"].as_str().unwrap();
    let token = basic_token(&client, &auth, "ss-auth", secret).await;
    let claims = unverified_claims(&token);
    assert_eq!(claims["iss"], auth);
    let read = app
        .client
        .get(app.url(&format!("/organisations/{ORG}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
}
