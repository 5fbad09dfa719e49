//! The UK Open Banking flavour: the same data under OBIE's kids, digests,
//! keystore layout and SSA claims.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::oauth::verify_ps256;

async fn obie_app() -> TestApp {
    spawn_app_with(AppOptions {
        flavour: Some(obdir::domain::Flavour::Obie),
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn obie_kids_are_sha1_thumbprints_and_digests_keep_their_padding() {
    let app = obie_app().await;
    let tpp = Tpp::new();
    let key = tpp.rsa_key("t.key", 2048);
    let response = app
        .upload("rtstransport", &tpp.csr(&key, &obie_subject(ORG, SS), &[]))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let record: Value = response.json().await.unwrap();

    // kid = base64url(SHA-1(RFC 7638 input)), 27 characters.
    let input = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        record["e"].as_str().unwrap(),
        record["n"].as_str().unwrap()
    );
    use base64::Engine;
    let sha1 = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(openssl::sha::sha1(input.as_bytes()));
    assert_eq!(record["kid"], sha1);
    assert_eq!(sha1.len(), 27);
    let x5t = record["x5t"].as_str().unwrap();
    assert!(x5t.len() == 28 && x5t.ends_with('='), "{x5t}");
    let x5t_s256 = record["x5thashS256"].as_str().unwrap();
    assert!(
        x5t_s256.len() == 44 && x5t_s256.ends_with('='),
        "{x5t_s256}"
    );

    let kid = sha1;
    let ks = app.url("/keystore");
    assert_eq!(record["JwkPath"], format!("{ks}/{ORG}/{SS}.jwks"));
    assert_eq!(record["OrgJwkPath"], format!("{ks}/{ORG}/{ORG}.jwks"));
    assert_eq!(record["SignedCertPath"], format!("{ks}/{ORG}/{kid}.pem"));
    assert_eq!(
        app.jwks_kids(&format!("{ks}/{ORG}/{SS}.jwks")).await,
        vec![kid.clone()]
    );
    assert_eq!(
        app.jwks_kids(&format!("{ks}/{ORG}/{ORG}.jwks")).await,
        vec![kid.clone()]
    );
    let jwks: Value = app
        .get_public(&format!("{ks}/{ORG}/{SS}.jwks"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["x5t#S256"], x5t_s256);
    let pem = app
        .get_public(&format!("{ks}/{ORG}/{kid}.pem"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(pem, pem_of(record["x5c"][0].as_str().unwrap()));

    // Revoked keys move to {org}/revoked/{ss}.jwks.
    let response = app
        .put_json(
            &format!(
                "/organisations/{ORG}/softwarestatements/{SS}/certificates/rtstransport/{kid}"
            ),
            &json!({"RevokeReason": "superseded"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(
        app.jwks_kids(&format!("{ks}/{ORG}/{SS}.jwks"))
            .await
            .is_empty()
    );
    assert_eq!(
        app.jwks_kids(&format!("{ks}/{ORG}/revoked/{SS}.jwks"))
            .await,
        vec![kid.clone()]
    );
    assert_eq!(
        app.jwks_kids(&format!("{ks}/{ORG}/revoked/{ORG}.jwks"))
            .await,
        vec![kid]
    );
    // The Raidiam layout is not served in this flavour.
    let raidiam = app
        .get_public(&format!("{ks}/{ORG}/{SS}/application.jwks"))
        .await;
    assert_eq!(raidiam.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn obie_ssa_carries_the_uk_claims() {
    let app = obie_app().await;
    let response = app
        .client
        .get(app.url(&format!(
            "/organisations/{ORG}/softwarestatements/{SS}/assertion"
        )))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let ssa = response.text().await.unwrap();
    let jwks: Value = app
        .get_public(&app.url("/keystore/openbanking.jwks"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kid"].as_str().unwrap().len(), 27);
    let claims = verify_ps256(&ssa, &jwks);
    let ks = app.url("/keystore");
    assert_eq!(claims["iss"], "OpenBanking Ltd");
    assert_eq!(claims["software_id"], SS);
    assert_eq!(
        claims["software_jwks_endpoint"],
        format!("{ks}/{ORG}/{SS}.jwks")
    );
    assert_eq!(
        claims["software_jwks_revoked_endpoint"],
        format!("{ks}/{ORG}/revoked/{SS}.jwks")
    );
    assert_eq!(
        claims["org_jwks_endpoint"],
        format!("{ks}/{ORG}/{ORG}.jwks")
    );
    assert_eq!(
        claims["organisation_competent_authority_claims"]["status"],
        "Active"
    );
    assert!(claims["jti"].is_string());
    assert!(claims.get("software_jwks_uri").is_none());
    for uri in [
        "software_jwks_endpoint",
        "software_jwks_revoked_endpoint",
        "org_jwks_endpoint",
    ] {
        assert_eq!(
            app.get_public(claims[uri].as_str().unwrap()).await.status(),
            StatusCode::OK,
            "{uri}"
        );
    }
}

#[tokio::test]
async fn obie_bare_keys_use_the_sha1_thumbprint_too() {
    let app = obie_app().await;
    let tpp = Tpp::new();
    let response = app
        .upload("sigkey", &tpp.public_key_pem(&tpp.ec_key("k", "P-256")))
        .await;
    let record: Value = response.json().await.unwrap();
    assert_eq!(record["kid"].as_str().unwrap().len(), 27);
    assert!(record.get("SignedCertPath").is_none());
    let ks = app.url("/keystore");
    assert_eq!(
        app.jwks_kids(&format!("{ks}/{ORG}/{SS}.jwks")).await,
        vec![record["kid"].as_str().unwrap().to_owned()]
    );
}

#[tokio::test]
async fn obie_organisation_certificates_live_at_org_kid_pem_and_in_the_org_jwks() {
    let app = obie_app().await;
    let tpp = Tpp::new();
    let csr = tpp.csr(
        &tpp.rsa_key("seal.key", 2048),
        &format!("/C=GB/O=Demo/OU={ORG}/CN=seal"),
        &[],
    );
    let response = app
        .client
        .post(app.url(&format!("/organisations/{ORG}/certificates/rtsseal")))
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/x-pem-file")
        .body(csr)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let record: Value = response.json().await.unwrap();
    let kid = record["kid"].as_str().unwrap();
    let ks = app.url("/keystore");
    assert_eq!(record["SignedCertPath"], format!("{ks}/{ORG}/{kid}.pem"));
    assert_eq!(record["JwkPath"], format!("{ks}/{ORG}/{ORG}.jwks"));
    let pem = app
        .get_public(&format!("{ks}/{ORG}/{kid}.pem"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(pem, pem_of(record["x5c"][0].as_str().unwrap()));
    assert_eq!(
        app.jwks_kids(&format!("{ks}/{ORG}/{ORG}.jwks")).await,
        vec![kid.to_owned()]
    );
    assert!(
        app.jwks_kids(&format!("{ks}/{ORG}/{SS}.jwks"))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn obie_private_key_jwt_finds_the_key_by_its_sha1_kid() {
    let app = obie_app().await;
    let tpp = Tpp::new();
    let key = tpp.ec_key("client.key", "P-256");
    let response = app.upload("sigkey", &tpp.public_key_pem(&key)).await;
    let kid = response.json::<Value>().await.unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(kid.len(), 27);
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    header.kid = Some(kid);
    use obdir::domain::Clock;
    let now = obdir::domain::SystemClock.now().timestamp();
    let claims =
        json!({"iss": SS, "sub": SS, "aud": app.url("/token"), "exp": now + 60, "jti": "obie-1"});
    let assertion = jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_ec_pem(&std::fs::read(&key).unwrap()).unwrap(),
    )
    .unwrap();
    let response = app
        .client
        .post(app.url("/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", assertion.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let token = response.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let jwks: Value = app
        .get_public(&app.url("/keystore/openbanking.jwks"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(verify_ps256(&token, &jwks)["org_id"], ORG);
}
