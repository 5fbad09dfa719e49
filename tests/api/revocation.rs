//! CRLs and OCSP as the openssl command line reads them: what relying
//! parties run before they trust a certificate.

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// An issued transport certificate and the files openssl needs to check it.
struct Issued {
    kid: String,
    leaf: PathBuf,
    issuing: PathBuf,
    chain: PathBuf,
    crl_url: String,
}

async fn issue(app: &TestApp, tpp: &Tpp, name: &str) -> Issued {
    let key = tpp.rsa_key(&format!("{name}.key"), 2048);
    let response = app
        .upload("rtstransport", &tpp.csr(&key, &obie_subject(ORG, SS), &[]))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let record: Value = response.json().await.unwrap();
    let leaf = tpp.path(&format!("{name}.pem"));
    std::fs::write(&leaf, pem_of(record["x5c"][0].as_str().unwrap())).unwrap();
    let issuing = tpp.path(&format!("{name}-issuing.pem"));
    std::fs::write(&issuing, pem_of(record["x5c"][1].as_str().unwrap())).unwrap();
    let chain = tpp.path(&format!("{name}-chain.pem"));
    std::fs::write(&chain, app.chain_pem().await).unwrap();
    let text = tpp.describe(&std::fs::read_to_string(&leaf).unwrap());
    let crl_url = text
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("URI:")
                .filter(|u| u.ends_with(".crl"))
        })
        .expect("the certificate names its CRL")
        .to_owned();
    Issued {
        kid: record["kid"].as_str().unwrap().to_owned(),
        leaf,
        issuing,
        chain,
        crl_url,
    }
}

async fn revoke(app: &TestApp, kid: &str, reason: &str) {
    let response = app
        .put_json(
            &format!(
                "{}/{kid}",
                TestApp::certificates_path(ORG, SS, "rtstransport")
            ),
            &json!({"RevokeReason": reason}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

/// Downloads the CRL and converts it to PEM; answers its `openssl crl -text`.
async fn fetch_crl(app: &TestApp, tpp: &Tpp, issued: &Issued, name: &str) -> (PathBuf, String) {
    let response = app.get_public(&issued.crl_url).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pkix-crl");
    let der = tpp.path(&format!("{name}.crl"));
    std::fs::write(&der, response.bytes().await.unwrap()).unwrap();
    let pem = tpp.path(&format!("{name}.crl.pem"));
    let (ok, output) = openssl_outcome(&[
        "crl",
        "-inform",
        "DER",
        "-in",
        s(&der),
        "-out",
        s(&pem),
        "-CAfile",
        s(&issued.chain),
    ]);
    assert!(ok, "{output}");
    assert!(
        output.contains("verify OK"),
        "the CRL's signature verifies: {output}"
    );
    let text = text_of(&pem);
    (pem, text)
}

fn crl_number(text: &str) -> u64 {
    let line = text
        .lines()
        .skip_while(|l| !l.contains("CRL Number"))
        .nth(1)
        .unwrap();
    line.trim().parse().unwrap()
}

fn verify_with_crl(tpp: &Tpp, issued: &Issued, crl: &Path) -> (bool, String) {
    let bundle = tpp.path("chain-and-crl.pem");
    let mut pem = std::fs::read_to_string(&issued.chain).unwrap();
    pem.push_str(&std::fs::read_to_string(crl).unwrap());
    std::fs::write(&bundle, pem).unwrap();
    openssl_outcome(&[
        "verify",
        "-crl_check",
        "-CAfile",
        s(&bundle),
        s(&issued.leaf),
    ])
}

#[tokio::test]
async fn the_crl_lists_a_revocation_with_its_reason_and_openssl_verify_crl_check_refuses_the_certificate()
 {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let issued = issue(&app, &tpp, "leaf").await;

    let (before, text) = fetch_crl(&app, &tpp, &issued, "before").await;
    assert!(text.contains("No Revoked Certificates"), "{text}");
    assert!(text.contains("X509v3 Authority Key Identifier"), "{text}");
    assert!(!text.contains("Issuing Distribution Point"), "{text}");
    let (ok, output) = verify_with_crl(&tpp, &issued, &before);
    assert!(ok, "a good certificate passes -crl_check: {output}");

    revoke(&app, &issued.kid, "keycompromise").await;
    let (after, text) = fetch_crl(&app, &tpp, &issued, "after").await;
    assert!(crl_number(&text) > crl_number(&text_of(&before)));
    let serial = tpp.describe(&std::fs::read_to_string(&issued.leaf).unwrap());
    let serial = serial
        .lines()
        .skip_while(|l| !l.contains("Serial Number:"))
        .nth(1)
        .unwrap()
        .trim()
        .replace(':', "")
        .to_uppercase();
    assert!(text.contains(&format!("Serial Number: {serial}")), "{text}");
    assert!(text.contains("Key Compromise"), "{text}");
    let (ok, output) = verify_with_crl(&tpp, &issued, &after);
    assert!(!ok, "a revoked certificate fails -crl_check");
    assert!(output.contains("certificate revoked"), "{output}");
}

fn text_of(crl_pem: &Path) -> String {
    openssl_outcome(&["crl", "-in", s(crl_pem), "-noout", "-text"]).1
}

#[tokio::test]
async fn the_crl_is_good_for_the_configured_time_and_its_number_grows() {
    let now = chrono::DateTime::parse_from_rfc3339("2026-05-01T08:00:00Z")
        .unwrap()
        .to_utc();
    let app = spawn_app_with(AppOptions {
        now: Some(now),
        ..Default::default()
    })
    .await;
    let tpp = Tpp::new();
    let issued = issue(&app, &tpp, "leaf").await;
    let (_, first) = fetch_crl(&app, &tpp, &issued, "first").await;
    assert!(
        first.contains("Last Update: May  1 08:00:00 2026 GMT"),
        "{first}"
    );
    assert!(
        first.contains("Next Update: May  2 08:00:00 2026 GMT"),
        "{first}"
    );
    // Unchanged and fresh: the same CRL again.
    let (_, again) = fetch_crl(&app, &tpp, &issued, "again").await;
    assert_eq!(crl_number(&again), crl_number(&first));
    // Half-way to nextUpdate a new one is signed.
    app.clock
        .as_ref()
        .unwrap()
        .set(now + chrono::Duration::hours(13));
    let (_, later) = fetch_crl(&app, &tpp, &issued, "later").await;
    assert!(crl_number(&later) > crl_number(&first));
    assert!(
        later.contains("Next Update: May  2 21:00:00 2026 GMT"),
        "{later}"
    );
}

#[tokio::test]
async fn openssl_ocsp_sees_good_then_revoked_with_the_nonce_echoed() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let issued = issue(&app, &tpp, "leaf").await;
    let url = app.url("/ocsp");
    let ask = || {
        openssl_outcome(&[
            "ocsp",
            "-issuer",
            s(&issued.issuing),
            "-cert",
            s(&issued.leaf),
            "-url",
            &url,
            "-CAfile",
            s(&issued.chain),
        ])
    };
    let (ok, output) = ask();
    assert!(ok, "{output}");
    assert!(output.contains("Response verify OK"), "{output}");
    assert!(output.contains(": good"), "{output}");
    assert!(!output.contains("nonce"), "the nonce is echoed: {output}");

    revoke(&app, &issued.kid, "superseded").await;
    let (ok, output) = ask();
    assert!(ok, "{output}");
    assert!(output.contains(": revoked"), "{output}");
    assert!(output.contains("Reason: superseded"), "{output}");
    assert!(output.contains("Revocation Time:"), "{output}");
}

#[tokio::test]
async fn ocsp_answers_unknown_for_a_serial_it_never_issued() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let issued = issue(&app, &tpp, "leaf").await;
    let (ok, output) = openssl_outcome(&[
        "ocsp",
        "-issuer",
        s(&issued.issuing),
        "-serial",
        "0x1234",
        "-url",
        &app.url("/ocsp"),
        "-CAfile",
        s(&issued.chain),
    ]);
    assert!(ok, "{output}");
    assert!(output.contains("0x1234: unknown"), "{output}");
}

#[tokio::test]
async fn ocsp_also_answers_get_with_the_request_in_the_path() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let issued = issue(&app, &tpp, "leaf").await;
    let request = tpp.path("request.der");
    let (ok, output) = openssl_outcome(&[
        "ocsp",
        "-issuer",
        s(&issued.issuing),
        "-cert",
        s(&issued.leaf),
        "-no_nonce",
        "-reqout",
        s(&request),
    ]);
    assert!(ok, "{output}");
    use base64::Engine;
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(std::fs::read(&request).unwrap());
    let encoded: String = encoded
        .chars()
        .map(|c| match c {
            '+' => "%2B".to_owned(),
            '/' => "%2F".to_owned(),
            '=' => "%3D".to_owned(),
            c => c.to_string(),
        })
        .collect();
    let response = app.get_public(&app.url(&format!("/ocsp/{encoded}"))).await;
    assert_eq!(
        response.headers()["content-type"],
        "application/ocsp-response"
    );
    let answer = tpp.path("response.der");
    std::fs::write(&answer, response.bytes().await.unwrap()).unwrap();
    let (ok, output) = openssl_outcome(&[
        "ocsp",
        "-respin",
        s(&answer),
        "-issuer",
        s(&issued.issuing),
        "-cert",
        s(&issued.leaf),
        "-CAfile",
        s(&issued.chain),
    ]);
    assert!(ok, "{output}");
    assert!(output.contains(": good"), "{output}");
}

#[tokio::test]
async fn a_request_that_is_not_ocsp_gets_a_malformed_request_answer() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/ocsp"))
        .header("Content-Type", "application/ocsp-request")
        .body("garbage")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let tpp = Tpp::new();
    let answer = tpp.path("response.der");
    std::fs::write(&answer, response.bytes().await.unwrap()).unwrap();
    let (_, output) = openssl_outcome(&["ocsp", "-respin", s(&answer), "-resp_text", "-noverify"]);
    assert!(
        output.to_lowercase().contains("malformedrequest"),
        "{output}"
    );
}

#[tokio::test]
async fn unknown_crls_are_404() {
    let app = spawn_app().await;
    assert_eq!(
        app.get_public(&app.url("/crl/no-such-ca.crl"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_public(&app.url("/crl/readme.txt")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn certificates_issued_before_a_rollover_keep_their_crl_and_ocsp() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let old = issue(&app, &tpp, "old").await;
    let roots: Value = app
        .get("/v1/ecosystems/certificates/ca")
        .await
        .json()
        .await
        .unwrap();
    let first_root = roots["data"][0]["id"].as_str().unwrap().to_owned();
    let created = app
        .post_json(
            "/v1/ecosystems/certificates/ca",
            &json!({"organisationName": "Next"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let response = app
        .put_json(
            &format!("/v1/ecosystems/certificates/ca/{first_root}"),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let new = issue(&app, &tpp, "new").await;
    assert_ne!(
        new.crl_url, old.crl_url,
        "a new issuing CA, with its own CRL"
    );
    revoke(&app, &old.kid, "cessationofoperation").await;
    let (ok, output) = openssl_outcome(&[
        "ocsp",
        "-issuer",
        s(&old.issuing),
        "-cert",
        s(&old.leaf),
        "-url",
        &app.url("/ocsp"),
        "-CAfile",
        s(&new.chain),
    ]);
    assert!(ok, "{output}");
    assert!(output.contains(": revoked"), "{output}");
    let (_, text) = fetch_crl(
        &app,
        &tpp,
        &Issued {
            chain: new.chain.clone(),
            ..old
        },
        "old-ca",
    )
    .await;
    assert!(text.contains("Cessation Of Operation"), "{text}");
}

#[tokio::test]
async fn ocsp_is_not_authoritative_for_certificates_of_other_cas() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let foreign = tpp.path("foreign.pem");
    std::fs::write(
        &foreign,
        tpp.self_signed(&tpp.rsa_key("foreign.key", 2048), "/CN=Elsewhere CA", 30),
    )
    .unwrap();
    let (_, output) = openssl_outcome(&[
        "ocsp",
        "-issuer",
        s(&foreign),
        "-cert",
        s(&foreign),
        "-url",
        &app.url("/ocsp"),
        "-noverify",
    ]);
    assert!(output.contains("unauthorized"), "{output}");
}

#[tokio::test]
async fn concurrent_fetches_after_a_revocation_get_one_new_crl() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let issued = issue(&app, &tpp, "leaf").await;
    let (_, text) = fetch_crl(&app, &tpp, &issued, "before").await;
    let before = crl_number(&text);
    revoke(&app, &issued.kid, "keycompromise").await;

    // Eight requests meet the stale CRL at once: one signs the next CRL
    // number, the others wait for it and answer the same CRL, never an
    // older number after a newer one.
    let fetches = (0..8).map(|_| async {
        let response = app.get_public(&issued.crl_url).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.bytes().await.unwrap()
    });
    let crls = futures_util::future::join_all(fetches).await;
    assert!(crls.iter().all(|crl| *crl == crls[0]), "one CRL for all");
    let (_, text) = fetch_crl(&app, &tpp, &issued, "after").await;
    assert_eq!(crl_number(&text), before + 1);
}
