//! The real binary, killed with SIGKILL right after it acknowledged writes,
//! comes back with every record, the same CA and the same admin token.

/// Every write is durable before its answer, so a kill right after a 201
/// must lose nothing.
const RESTART_CONFIG: &str = "[server]\npublic_url = \"https://directory.example\"\n";

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn kill_9_after_201_loses_nothing_and_the_ca_and_token_survive() {
    let data_dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let tpp = Tpp::new();

    let first = start_binary(data_dir.path(), RESTART_CONFIG);
    let token = std::fs::read_to_string(data_dir.path().join("admin-token")).unwrap();
    assert!(
        first
            .log_through_banner()
            .await
            .iter()
            .any(|l| l.contains("generated on this start")),
        "{:?}",
        first.log()
    );
    let chain_before = client
        .get(format!("{}/ca/chain.pem", first.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    let created = client
        .post(format!("{}/organisations", first.address))
        .bearer_auth(&token)
        .json(&json!({"OrganisationId": "org-after-crash", "OrganisationName": "Survivor"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let mut kids = Vec::new();
    let mut leaf = String::new();
    for (key_type, pem) in [
        (
            "rtstransport",
            tpp.csr(&tpp.rsa_key("t", 2048), &obie_subject(ORG, SS), &[]),
        ),
        ("sigkey", tpp.public_key_pem(&tpp.rsa_key("s", 2048))),
    ] {
        let response = client
            .post(format!(
                "{}{}",
                first.address,
                TestApp::certificates_path(ORG, SS, key_type)
            ))
            .bearer_auth(&token)
            .header("Content-Type", "application/x-pem-file")
            .body(pem)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let record: Value = response.json().await.unwrap();
        let jwk_path = record["JwkPath"].as_str().unwrap();
        assert!(
            jwk_path.starts_with("https://directory.example/keystore/"),
            "{jwk_path}"
        );
        kids.push(record["kid"].as_str().unwrap().to_owned());
        if let Some(x5c) = record["x5c"][0].as_str() {
            leaf = pem_of(x5c);
        }
    }
    // A revocation acknowledged with 204 survives the kill too.
    let revoked = client
        .put(format!(
            "{}{}/{}",
            first.address,
            TestApp::certificates_path(ORG, SS, "rtstransport"),
            kids[0]
        ))
        .bearer_auth(&token)
        .json(&json!({"RevokeReason": "keycompromise"}))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    drop(first); // SIGKILL: no shutdown, no final flush

    let second = start_binary(data_dir.path(), RESTART_CONFIG);
    assert!(
        !second
            .log_through_banner()
            .await
            .iter()
            .any(|l| l.contains("generated on this start")),
        "the token is made once"
    );
    let organisation = client
        .get(format!("{}/organisations/org-after-crash", second.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(organisation.status(), StatusCode::OK);

    let jwks = |name: &str| format!("{}/keystore/{ORG}/{SS}/{name}", second.address);
    let transport: Value = client
        .get(jwks("inactive/transport.jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        transport["keys"][0]["kid"], kids[0],
        "revoked before the kill"
    );
    let application: Value = client
        .get(jwks("application.jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(application["keys"][0]["kid"], kids[1]);

    let chain_after = client
        .get(format!("{}/ca/chain.pem", second.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(chain_after, chain_before, "the CA is reused, not remade");
    let (ok, output) = tpp.verify(&chain_after, &leaf);
    assert!(
        ok,
        "a certificate issued before the crash verifies after it: {output}"
    );
}

#[tokio::test]
async fn a_revoked_access_token_stays_revoked_after_kill_9() {
    let data_dir = tempfile::tempdir().unwrap();
    let config = "[oauth]\nclient_secret_basic = true\n";
    let client = reqwest::Client::new();
    let first = start_binary(data_dir.path(), config);
    first.log_through_banner().await;
    let admin = std::fs::read_to_string(data_dir.path().join("admin-token")).unwrap();
    let created: Value = client
        .post(format!(
            "{}/organisations/{ORG}/softwarestatements",
            first.address
        ))
        .bearer_auth(&admin)
        .json(&json!({"SoftwareStatementId": "ss-revoked", "ClientName": "Revoked"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = created["ClientSecret"].as_str().unwrap().to_owned();
    let token = basic_token(&client, &first.address, "ss-revoked", &secret).await;
    let revoked = client
        .post(format!("{}/token/revoke", first.address))
        .basic_auth("ss-revoked", Some(&secret))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    drop(first); // SIGKILL right after the 200

    let second = start_binary(data_dir.path(), config);
    second.log_through_banner().await;
    let read = client
        .get(format!("{}/organisations/{ORG}", second.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::UNAUTHORIZED);
}
