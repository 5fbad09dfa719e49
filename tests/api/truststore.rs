//! The trust store: CAs a certificate issued elsewhere must chain to, from
//! config and the admin API, and the uploads that check against it.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

const SANDBOX_ROOT: &str = "f8484e94f4ff7597155f2f4497a89a73fab02a4f4dd8a53e06f40c870241ffb7";
const SANDBOX_ISSUING: &str = "446ff65914c7467f105b38dfc2d2b4fb16ac65e88005829a6c4dbd5160232207";

async fn anchors(app: &TestApp) -> Vec<Value> {
    let response = app.get("/admin/truststore").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn fingerprints(anchors: &[Value]) -> Vec<&str> {
    anchors
        .iter()
        .map(|a| a["fingerprint"].as_str().unwrap())
        .collect()
}

/// A config with `[truststore]` naming `ca`'s file; leaked, as
/// `AppOptions::config` is static text.
fn config_trusting(ca: &TestCa, brazil_sandbox: bool) -> &'static str {
    let toml = format!(
        "[truststore]\ncertificates = [{:?}]\nbrazil_sandbox = {brazil_sandbox}\n",
        ca.cert.to_str().unwrap()
    );
    Box::leak(toml.into_boxed_str())
}

#[tokio::test]
async fn the_brazil_sandbox_cas_are_trusted_by_default() {
    let app = spawn_app().await;
    let listed = anchors(&app).await;
    let mut expected = vec![SANDBOX_ISSUING, SANDBOX_ROOT];
    expected.sort();
    assert_eq!(fingerprints(&listed), expected);
    let root = listed
        .iter()
        .find(|a| a["fingerprint"] == SANDBOX_ROOT)
        .unwrap();
    assert_eq!(
        root["subject"],
        "C=BR, O=Open Finance Brasil, OU=Open Finance sandbox, CN=Open Finance sandbox Root CA - G2"
    );
    assert_eq!(root["issuer"], root["subject"]);
    assert_eq!(root["notAfter"], "2038-03-05T14:36:00Z");
    assert_eq!(root["source"], "config");
    let tpp = Tpp::new();
    assert_eq!(
        tpp.sha256_fingerprint(root["pem"].as_str().unwrap()),
        SANDBOX_ROOT
    );
}

#[tokio::test]
async fn the_admin_adds_reads_and_removes_trust_anchors() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let ca = tpp.ca("partner-ca", "/C=BR/O=Partner/CN=Partner CA");
    let fingerprint = tpp.sha256_fingerprint(&ca.pem);

    let response = app
        .client
        .post(app.url("/admin/truststore"))
        .bearer_auth(TOKEN)
        .header("Content-Type", "text/plain")
        .body(ca.pem.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let added: Vec<Value> = response.json().await.unwrap();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0]["fingerprint"], fingerprint.as_str());
    assert_eq!(added[0]["subject"], "C=BR, O=Partner, CN=Partner CA");
    assert_eq!(added[0]["source"], "admin");
    assert_eq!(added[0]["new"], true);
    assert_eq!(added[0]["pem"].as_str().unwrap().trim(), ca.pem.trim());

    // Adding it again changes nothing.
    let again = app.trust(&ca.pem).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Vec<Value> = again.json().await.unwrap();
    assert_eq!(again[0]["new"], false);
    assert_eq!(again[0]["addedAt"], added[0]["addedAt"]);

    let one = app
        .get(&format!("/admin/truststore/{}", fingerprint.to_uppercase()))
        .await;
    assert_eq!(one.status(), StatusCode::OK);
    let one: Value = one.json().await.unwrap();
    assert_eq!(one["fingerprint"], fingerprint.as_str());
    assert!(fingerprints(&anchors(&app).await).contains(&fingerprint.as_str()));

    let path = app.url(&format!("/admin/truststore/{fingerprint}"));
    let deleted = app.client.delete(&path).bearer_auth(TOKEN).send().await;
    assert_eq!(deleted.unwrap().status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get(&format!("/admin/truststore/{fingerprint}")).await,
        StatusCode::NOT_FOUND,
        "no trust anchor has the fingerprint",
    )
    .await;
    let deleted = app.client.delete(&path).bearer_auth(TOKEN).send().await;
    assert_eq!(deleted.unwrap().status(), StatusCode::NOT_FOUND);
    assert!(!fingerprints(&anchors(&app).await).contains(&fingerprint.as_str()));
}

#[tokio::test]
async fn a_bundle_adds_each_certificate_and_a_key_in_it_refuses_the_whole_body() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let root = tpp.ca("root", "/C=BR/O=Partner/CN=Partner Root");
    let issuing = tpp.intermediate_ca(&root, "issuing", "/C=BR/O=Partner/CN=Partner Issuing");
    let before = anchors(&app).await.len();

    let with_key = format!(
        "{}{}",
        root.pem,
        std::fs::read_to_string(&root.key).unwrap()
    );
    assert_error(
        app.trust(&with_key).await,
        StatusCode::BAD_REQUEST,
        "certificate: must hold only PEM CERTIFICATE blocks; block 2 is a private key",
    )
    .await;
    assert_eq!(anchors(&app).await.len(), before, "nothing was written");

    let bundle = format!("subject=Partner Issuing\n{}\n{}", issuing.pem, root.pem);
    let response = app.trust(&bundle).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let added: Vec<Value> = response.json().await.unwrap();
    let subjects: Vec<&str> = added
        .iter()
        .map(|a| a["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        [
            "C=BR, O=Partner, CN=Partner Issuing",
            "C=BR, O=Partner, CN=Partner Root"
        ]
    );
    assert_eq!(added[0]["issuer"], "C=BR, O=Partner, CN=Partner Root");
    assert_eq!(anchors(&app).await.len(), before + 2);
}

#[tokio::test]
async fn the_trust_store_needs_the_admin_token() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/admin/truststore"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = app
        .client
        .post(app.url("/admin/truststore"))
        .header("Content-Type", "application/x-pem-file")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_brcac_ext_is_accepted_only_while_its_ca_is_in_the_trust_store() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let ca = tpp.ca("partner-ca", "/C=BR/O=Partner/CN=Partner CA");
    let first = tpp.signed_by(
        &ca,
        &tpp.rsa_key("first.key", 2048),
        &brazil_subject(ORG, SS),
        365,
    );

    assert_error(
        app.upload("brcac_ext", &first).await,
        StatusCode::BAD_REQUEST,
        "does not chain to the trust store: unable to get local issuer certificate",
    )
    .await;

    let added: Vec<Value> = app.trust(&ca.pem).await.json().await.unwrap();
    let fingerprint = added[0]["fingerprint"].as_str().unwrap().to_owned();
    let response = app.upload("brcac_ext", &first).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let deleted = app
        .client
        .delete(app.url(&format!("/admin/truststore/{fingerprint}")))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let second = tpp.signed_by(
        &ca,
        &tpp.rsa_key("second.key", 2048),
        &brazil_subject(ORG, SS),
        365,
    );
    assert_error(
        app.upload("brcac_ext", &second).await,
        StatusCode::BAD_REQUEST,
        "does not chain to the trust store",
    )
    .await;
}

#[tokio::test]
async fn an_upload_chains_through_the_intermediates_it_carries() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let root = tpp.ca("root", "/C=BR/O=Partner/CN=Partner Root");
    let issuing = tpp.intermediate_ca(&root, "issuing", "/C=BR/O=Partner/CN=Partner Issuing");
    assert_eq!(app.trust(&root.pem).await.status(), StatusCode::CREATED);
    let key = tpp.rsa_key("leaf.key", 2048);
    let leaf = tpp.signed_by(&issuing, &key, &brazil_subject(ORG, SS), 365);

    assert_error(
        app.upload("brcac_ext", &leaf).await,
        StatusCode::BAD_REQUEST,
        "does not chain to the trust store: unable to get local issuer certificate",
    )
    .await;
    let response = app
        .upload("brcac_ext", &format!("{leaf}{}", issuing.pem))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let record: Value = response.json().await.unwrap();
    assert_eq!(record["x5c"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_configured_ca_is_trusted_from_the_start_and_after_a_reset() {
    let tpp = Tpp::new();
    let ca = tpp.ca("configured-ca", "/C=BR/O=Configured/CN=Configured CA");
    let app = spawn_app_with(AppOptions {
        config: Some(config_trusting(&ca, false)),
        ..Default::default()
    })
    .await;
    let listed = anchors(&app).await;
    assert_eq!(listed.len(), 1, "the sandbox CAs are left out: {listed:?}");
    assert_eq!(listed[0]["subject"], "C=BR, O=Configured, CN=Configured CA");
    assert_eq!(listed[0]["source"], "config");
    let configured = listed[0]["fingerprint"].as_str().unwrap().to_owned();

    let leaf = tpp.signed_by(
        &ca,
        &tpp.rsa_key("leaf.key", 2048),
        &brazil_subject(ORG, SS),
        365,
    );
    assert_eq!(
        app.upload("brcac_ext", &leaf).await.status(),
        StatusCode::CREATED
    );

    // A reset drops what the admin added and keeps what config names.
    app.trusted_ca(&tpp, "added-ca").await;
    assert_eq!(anchors(&app).await.len(), 2);
    let reset = app.post_json("/admin/reset", &serde_json::json!({})).await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(fingerprints(&anchors(&app).await), [configured.as_str()]);
}

#[tokio::test]
async fn a_configured_file_that_holds_no_certificate_stops_the_start() {
    let tpp = Tpp::new();
    let key_file = tpp.rsa_key("not-a-ca.key", 2048);
    for (path, why) in [
        (key_file.clone(), "block 1 is a private key"),
        (tpp.path("missing.pem"), "cannot read it"),
    ] {
        let data_dir = tempfile::tempdir().unwrap();
        let config = tpp.path("obdir.toml");
        std::fs::write(
            &config,
            format!(
                "[truststore]\ncertificates = [{:?}]\n",
                path.to_str().unwrap()
            ),
        )
        .unwrap();
        let settings = obdir::config::Settings::load(
            Some(&config),
            |_| None,
            obdir::config::Overrides {
                bind: Some("127.0.0.1:0".into()),
                data_dir: Some(data_dir.path().to_path_buf()),
                admin_token: Some(TOKEN.into()),
                ..Default::default()
            },
        )
        .unwrap();
        let clock = std::sync::Arc::new(obdir::domain::SystemClock);
        let error = match obdir::Application::build(settings, None, clock).await {
            Ok(_) => panic!("started with {}", path.display()),
            Err(e) => e.to_string(),
        };
        assert!(
            error.starts_with(&format!("truststore.certificates: {}: ", path.display())),
            "{error}"
        );
        assert!(error.contains(why), "{error}");
    }
}

/// The DER of each certificate of a PEM text, as an upload's chain holds them.
fn chain_of(pem: &str) -> Vec<Vec<u8>> {
    use base64::Engine;
    pem.split("-----BEGIN CERTIFICATE-----")
        .skip(1)
        .map(|block| {
            let body: String = block
                .split("-----END CERTIFICATE-----")
                .next()
                .unwrap()
                .split_whitespace()
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(body)
                .unwrap()
        })
        .collect()
}

#[tokio::test]
async fn forcing_trust_adds_the_ca_the_chain_carries_or_a_self_signed_leaf_and_nothing_else() {
    use obdir::service::truststore::ensure_trusted;
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let ca = tpp.ca("carried-ca", "/C=BR/O=Elsewhere/CN=Carried CA");
    let key = tpp.rsa_key("leaf.key", 2048);
    let leaf = tpp.signed_by(&ca, &key, "/CN=leaf.example", 30);
    let chain = chain_of(&format!("{leaf}{}", ca.pem));
    let before = anchors(&app).await.len();

    let refused = ensure_trusted(&app.services.trust_store, &chain, false)
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("'CN=leaf.example' does not chain to the trust store"),
        "{refused}"
    );
    assert_eq!(anchors(&app).await.len(), before);

    let added = ensure_trusted(&app.services.trust_store, &chain, true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(added.subject, "C=BR, O=Elsewhere, CN=Carried CA");
    assert_eq!(added.fingerprint.as_str(), tpp.sha256_fingerprint(&ca.pem));
    assert!(
        ensure_trusted(&app.services.trust_store, &chain, false)
            .await
            .unwrap()
            .is_none()
    );
    let listed = anchors(&app).await;
    let listed = listed
        .iter()
        .find(|a| a["fingerprint"] == added.fingerprint.as_str())
        .unwrap();
    assert_eq!(listed["source"], "forceTrust");

    // Its CA not carried, a leaf cannot be let in by force.
    let other = tpp.ca("other-ca", "/C=BR/O=Elsewhere/CN=Other CA");
    let stray = chain_of(&tpp.signed_by(&other, &key, "/CN=stray.example", 30));
    let refused = ensure_trusted(&app.services.trust_store, &stray, true)
        .await
        .unwrap_err();
    assert!(
        refused.to_string().ends_with(
            "the keystore does not carry its issuer 'C=BR, O=Elsewhere, CN=Other CA'; add that CA with POST /admin/truststore"
        ),
        "{refused}"
    );

    // A self-signed leaf is its own anchor.
    let alone = tpp.self_signed(&key, "/CN=alone.example", 30);
    let added = ensure_trusted(&app.services.trust_store, &chain_of(&alone), true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(added.fingerprint.as_str(), tpp.sha256_fingerprint(&alone));
    assert_eq!(anchors(&app).await.len(), before + 2);
}
