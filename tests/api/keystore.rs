//! The keystore URLs an upload hands out are served, without auth.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

async fn upload_ok(app: &TestApp, key_type: &str, pem: &str) -> Value {
    let response = app.upload(key_type, pem).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

#[tokio::test]
async fn jwk_path_and_org_jwk_path_publish_the_new_kid() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let subject = obie_subject(ORG, SS);
    let signing = upload_ok(
        &app,
        "rtssigning",
        &tpp.csr(&tpp.rsa_key("s", 2048), &subject, &[]),
    )
    .await;
    let transport = upload_ok(
        &app,
        "rtstransport",
        &tpp.csr(&tpp.rsa_key("t", 2048), &subject, &[]),
    )
    .await;
    let enc = upload_ok(
        &app,
        "enckey",
        &tpp.public_key_pem(&tpp.ec_key("e", "P-256")),
    )
    .await;

    let kid = |r: &Value| r["kid"].as_str().unwrap().to_owned();
    let application = signing["JwkPath"].as_str().unwrap();
    assert_eq!(
        application,
        app.url(&format!("/keystore/{ORG}/{SS}/application.jwks"))
    );
    let mut expected = vec![kid(&signing), kid(&enc)];
    expected.sort();
    let mut kids = app.jwks_kids(application).await;
    kids.sort();
    assert_eq!(kids, expected);

    let transport_path = transport["JwkPath"].as_str().unwrap();
    assert_eq!(
        transport_path,
        app.url(&format!("/keystore/{ORG}/{SS}/transport.jwks"))
    );
    assert_eq!(app.jwks_kids(transport_path).await, vec![kid(&transport)]);

    // The organisation's documents hold its statements' keys too, split
    // the same way: signing and encryption keys, and TLS certificates.
    let org_path = signing["OrgJwkPath"].as_str().unwrap();
    assert_eq!(
        org_path,
        app.url(&format!("/keystore/{ORG}/application.jwks"))
    );
    let mut org_kids = app.jwks_kids(org_path).await;
    org_kids.sort();
    assert_eq!(org_kids, expected);
    let org_transport = transport["OrgJwkPath"].as_str().unwrap();
    assert_eq!(
        org_transport,
        app.url(&format!("/keystore/{ORG}/transport.jwks"))
    );
    assert_eq!(app.jwks_kids(org_transport).await, vec![kid(&transport)]);

    // An organisation's own TLS certificate goes to its transport document.
    let own = tpp.csr(
        &tpp.rsa_key("w", 2048),
        &format!("/C=BR/O=Demo TPP Ltda/OU={ORG}/CN=demo-tpp"),
        &[],
    );
    let response = app
        .client
        .post(app.url(&format!("/organisations/{ORG}/certificates/rtswac")))
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/x-pem-file")
        .body(own)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let rtswac: Value = response.json().await.unwrap();
    assert!(!app.jwks_kids(org_path).await.contains(&kid(&rtswac)));
    assert!(app.jwks_kids(org_transport).await.contains(&kid(&rtswac)));
    let inactive = app.url(&format!("/keystore/{ORG}/inactive/transport.jwks"));
    assert!(app.jwks_kids(&inactive).await.is_empty());
}

#[tokio::test]
async fn a_published_jwk_carries_the_members_a_relying_party_needs() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let record = upload_ok(
        &app,
        "rtssigning",
        &tpp.csr(&tpp.rsa_key("s", 2048), &obie_subject(ORG, SS), &[]),
    )
    .await;
    let response = app.get_public(record["JwkPath"].as_str().unwrap()).await;
    assert_eq!(
        response.headers()["content-type"],
        "application/jwk-set+json"
    );
    let jwks: Value = response.json().await.unwrap();
    let jwk = &jwks["keys"][0];
    for member in ["kid", "kty", "use", "n", "e", "x5c", "x5t#S256", "x5u"] {
        assert!(!jwk[member].is_null(), "{member} is published");
        assert_eq!(
            jwk[member],
            record[if member == "x5t#S256" {
                "x5thashS256"
            } else {
                member
            }],
            "{member}"
        );
    }
}

#[tokio::test]
async fn the_pem_at_signed_cert_path_is_x5c_zero() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let record = upload_ok(
        &app,
        "rtstransport",
        &tpp.csr(&tpp.rsa_key("t", 2048), &obie_subject(ORG, SS), &[]),
    )
    .await;
    let url = record["SignedCertPath"].as_str().unwrap();
    assert_eq!(record["x5u"], url);
    assert!(url.ends_with(&format!("/{}.pem", record["kid"].as_str().unwrap())));
    let response = app.get_public(url).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/x-pem-file");
    assert_eq!(
        response.text().await.unwrap(),
        pem_of(record["x5c"][0].as_str().unwrap())
    );
}

#[tokio::test]
async fn unknown_keystore_documents_are_not_found() {
    let app = spawn_app().await;
    for path in [
        format!("/keystore/nobody/{SS}/application.jwks"),
        format!("/keystore/{ORG}/nothing/transport.jwks"),
        "/keystore/nobody/application.jwks".to_owned(),
        format!("/keystore/{ORG}/{SS}/NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs.pem"),
        format!("/keystore/{ORG}/{SS}/not-a-pem.txt"),
    ] {
        let response = app.get_public(&app.url(&path)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // A statement with no keys yet has an empty set, not a 404.
    assert!(
        app.jwks_kids(&app.url(&format!("/keystore/{ORG}/{SS}/application.jwks")))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn generated_urls_follow_the_configured_public_and_keystore_bases() {
    let app = spawn_app_with(AppOptions {
        public_url: Some("https://matls-api.directory.example".into()),
        keystore_base_url: Some("https://keystore.directory.example/ks/".into()),
        ..Default::default()
    })
    .await;
    let tpp = Tpp::new();
    let record = upload_ok(
        &app,
        "rtssigning",
        &tpp.csr(&tpp.rsa_key("s", 2048), &obie_subject(ORG, SS), &[]),
    )
    .await;
    let jwk_path = record["JwkPath"].as_str().unwrap();
    assert_eq!(
        jwk_path,
        format!("https://keystore.directory.example/ks/{ORG}/{SS}/application.jwks")
    );
    let text = tpp.describe(&pem_of(record["x5c"][0].as_str().unwrap()));
    assert!(
        text.contains("URI:https://matls-api.directory.example/crl/"),
        "{text}"
    );
    assert!(
        text.contains("OCSP - URI:https://matls-api.directory.example/ocsp"),
        "{text}"
    );

    // The keystore is served under the base URL's path.
    let local = jwk_path.replace("https://keystore.directory.example", &app.address);
    assert_eq!(
        app.jwks_kids(&local).await,
        vec![record["kid"].as_str().unwrap().to_owned()]
    );
}

#[tokio::test]
async fn an_organisation_named_inactive_keeps_its_active_documents() {
    let app = spawn_app().await;
    let created = app
        .post_json(
            "/organisations",
            &serde_json::json!({"OrganisationId": "inactive", "OrganisationName": "Inactive Ltda"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let tpp = Tpp::new();
    let seal = tpp.csr(
        &tpp.rsa_key("seal", 2048),
        "/C=BR/O=Inactive Ltda/OU=inactive/CN=inactive",
        &[],
    );
    let response = app
        .client
        .post(app.url("/organisations/inactive/certificates/rtsseal"))
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/x-pem-file")
        .body(seal)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let record: Value = response.json().await.unwrap();
    let kid = record["kid"].as_str().unwrap().to_owned();
    let active = app.url("/keystore/inactive/application.jwks");
    assert_eq!(app.jwks_kids(&active).await, vec![kid]);
    let revoked = app.url("/keystore/inactive/inactive/application.jwks");
    assert!(app.jwks_kids(&revoked).await.is_empty());
}
