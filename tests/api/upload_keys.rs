//! sigkey and enckey: bare public keys published as JWKs.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

#[tokio::test]
async fn a_spki_public_key_becomes_a_jwk_whose_kid_is_its_rfc_7638_thumbprint() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let key = tpp.rsa_key("sig.key", 2048);
    let response = app.upload("sigkey", &tpp.public_key_pem(&key)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["content-type"], "application/jwk+json");
    let record: Value = response.json().await.unwrap();

    assert_eq!(record["use"], "sig");
    assert_eq!(record["keyType"], "sigkey");
    // A string, as the spec's schema has it: RFC 5280's "no expiration date".
    assert_eq!(record["ExpiryDateTime"], "9999-12-31T23:59:59Z");
    assert!(record["ValidFromDateTime"].is_string());
    assert!(record.get("x5c").is_none() && record.get("SignedCertPath").is_none());
    // Recompute the thumbprint from the published members (RFC 7638 section 3).
    let input = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        record["e"].as_str().unwrap(),
        record["n"].as_str().unwrap()
    );
    let digest = openssl::sha::sha256(input.as_bytes());
    use base64::Engine;
    let thumbprint = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
    assert_eq!(record["kid"], thumbprint);

    // n is the key's modulus, as `openssl` prints it.
    let modulus = std::process::Command::new("openssl")
        .args([
            "rsa",
            "-in",
            tpp.path("sig.key").to_str().unwrap(),
            "-noout",
            "-modulus",
        ])
        .output()
        .unwrap();
    let modulus = String::from_utf8(modulus.stdout).unwrap();
    let n = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(record["n"].as_str().unwrap())
        .unwrap();
    let hex: String = n.iter().map(|b| format!("{b:02X}")).collect();
    assert_eq!(modulus.trim(), format!("Modulus={hex}"));
}

#[tokio::test]
async fn a_pkcs1_rsa_public_key_is_accepted_and_gives_the_same_kid() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let key = tpp.rsa_key("enc.key", 2048);
    let pkcs1 = tpp.rsa_public_key_pem(&key);
    assert!(pkcs1.contains("BEGIN RSA PUBLIC KEY"));
    let response = app.upload("enckey", &pkcs1).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let record: Value = response.json().await.unwrap();
    assert_eq!(record["use"], "enc");

    // The SPKI form of the same key is the same key: a conflict on enckey.
    let response = app.upload("enckey", &tpp.public_key_pem(&key)).await;
    assert_error(
        response,
        StatusCode::CONFLICT,
        "this public key is already active",
    )
    .await;
}

#[tokio::test]
async fn ec_keys_on_p256_p384_and_p521_are_accepted() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    for (curve, coordinate_chars) in [("P-256", 43), ("P-384", 64), ("P-521", 88)] {
        let key = tpp.ec_key(curve, curve);
        let response = app.upload("sigkey", &tpp.public_key_pem(&key)).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{curve}");
        let record: Value = response.json().await.unwrap();
        assert_eq!(record["kty"], "EC");
        assert_eq!(record["crv"], curve);
        assert_eq!(record["x"].as_str().unwrap().len(), coordinate_chars);
        assert_eq!(record["y"].as_str().unwrap().len(), coordinate_chars);
        assert_eq!(record["kid"].as_str().unwrap().len(), 43);
    }
}

#[tokio::test]
async fn unsupported_curves_small_rsa_and_csrs_are_refused_for_keys() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let k1 = tpp.ec_key("k1", "secp256k1");
    let response = app.upload("sigkey", &tpp.public_key_pem(&k1)).await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "an unsupported curve is not accepted for sigkey",
    )
    .await;

    let small = tpp.rsa_key("small", 1024);
    let response = app.upload("enckey", &tpp.public_key_pem(&small)).await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "RSA key is 1024 bits; enckey needs at least 2048",
    )
    .await;

    let key = tpp.rsa_key("k", 2048);
    let response = app
        .upload("sigkey", &tpp.csr(&key, &obie_subject(ORG, SS), &[]))
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "expected a public key (PUBLIC KEY or RSA PUBLIC KEY) but the body holds a certificate signing request").await;
    let response = app
        .upload("enckey", &tpp.self_signed(&key, "/CN=x", 30))
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "expected a public key").await;

    let application = app.url(&format!("/keystore/{ORG}/{SS}/application.jwks"));
    assert!(
        app.jwks_kids(&application).await.is_empty(),
        "nothing was stored"
    );
}

#[tokio::test]
async fn one_key_as_both_sigkey_and_enckey_would_share_a_kid_and_is_refused() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let key = tpp.public_key_pem(&tpp.rsa_key("k", 2048));
    assert_eq!(
        app.upload("sigkey", &key).await.status(),
        StatusCode::CREATED
    );
    let response = app.upload("enckey", &key).await;
    assert_error(
        response,
        StatusCode::CONFLICT,
        "is already used here by a sigkey record",
    )
    .await;
}
