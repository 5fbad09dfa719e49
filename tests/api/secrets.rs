//! Private keys never leave the process: after a run through every face,
//! no response and no log line holds any of the keys the directory keeps.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn no_response_or_log_line_holds_a_private_key() {
    let data_dir = tempfile::tempdir().unwrap();
    let obdir = start_binary(
        data_dir.path(),
        r#"
[[tenants.users]]
tenant = "acme"
email = "admin@acme.example"
password = "tenant-password-1"
"#,
    );
    let token = std::fs::read_to_string(data_dir.path().join("admin-token")).unwrap();
    let base = obdir.address.clone();
    let client = reqwest::Client::new();
    let tpp = Tpp::new();
    let mut seen: Vec<String> = Vec::new();

    let signing = tpp.rsa_key("signing.key", 2048);
    let private_pem = std::fs::read_to_string(&signing).unwrap();
    let uploads = [
        (
            "rtstransport",
            tpp.csr(&tpp.rsa_key("t.key", 2048), &obie_subject(ORG, SS), &[]),
        ),
        ("rtssigning", tpp.csr(&signing, &obie_subject(ORG, SS), &[])),
        ("sigkey", tpp.public_key_pem(&tpp.ec_key("e.key", "P-256"))),
        ("enckey", private_pem.clone()),
    ];
    let mut kids = Vec::new();
    for (key_type, pem) in uploads {
        let response = client
            .post(format!(
                "{base}{}",
                TestApp::certificates_path(ORG, SS, key_type)
            ))
            .bearer_auth(&token)
            .header("Content-Type", "application/x-pem-file")
            .body(pem)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        if status == StatusCode::CREATED {
            kids.push((
                key_type,
                serde_json::from_str::<Value>(&body).unwrap()["kid"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            ));
        }
        seen.push(body);
    }
    let (_, signing_kid) = kids
        .iter()
        .find(|(t, _)| *t == "rtssigning")
        .unwrap()
        .clone();
    let assertion = {
        let mut header = Header::new(Algorithm::PS256);
        header.kid = Some(signing_kid);
        let now = {
            use obdir::domain::Clock;
            obdir::domain::SystemClock.now().timestamp()
        };
        let claims = json!({"iss": SS, "sub": SS, "aud": format!("{base}/token"), "exp": now + 60, "jti": "secrets-1"});
        jsonwebtoken::encode(
            &header,
            &claims,
            &EncodingKey::from_rsa_pem(private_pem.as_bytes()).unwrap(),
        )
        .unwrap()
    };
    let response = client
        .post(format!("{base}/token"))
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
    seen.push(response.text().await.unwrap());
    let created = client
        .post(format!("{base}/v1/ecosystems/certificates/ca"))
        .bearer_auth(&token)
        .json(&json!({"organisationName": "Second"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let root: Value = created.json().await.unwrap();
    seen.push(root.to_string());
    let root_id = root["id"].as_str().unwrap();
    let (transport_kid, _) = (kids[0].1.clone(), ());
    let revoke = client
        .put(format!(
            "{base}{}/{transport_kid}",
            TestApp::certificates_path(ORG, SS, "rtstransport")
        ))
        .bearer_auth(&token)
        .json(&json!({"RevokeReason": "keycompromise"}))
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::NO_CONTENT);
    for path in [
        "/health".to_owned(),
        "/ca/chain.pem".to_owned(),
        "/.well-known/openid-configuration".to_owned(),
        "/keystore/openbanking.jwks".to_owned(),
        format!("/keystore/{ORG}/application.jwks"),
        format!("/keystore/{ORG}/inactive/application.jwks"),
        format!("/keystore/{ORG}/{SS}/application.jwks"),
        format!("/keystore/{ORG}/{SS}/transport.jwks"),
        format!("/keystore/{ORG}/{SS}/{transport_kid}.pem"),
        format!("/organisations/{ORG}/softwarestatements/{SS}/assertion"),
        format!("/organisations/{ORG}/softwarestatements/{SS}/certificates"),
        format!("/organisations/{ORG}"),
        "/organisations".to_owned(),
        "/v1/ecosystems/certificates/ca".to_owned(),
        "/v1/ecosystems/public/certificates/ca".to_owned(),
        format!("/v1/ecosystems/certificates/ca/{root_id}"),
        format!("/v1/ecosystems/certificates/ca/{root_id}/crl"),
        "/admin/events".to_owned(),
    ] {
        let response = client
            .get(format!("{base}{path}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        seen.push(response.text().await.unwrap());
    }
    // The tenants face: a keystore import with its password in the query,
    // as the seed's sample sends it.
    let login = client
        .post(format!("{base}/api/login"))
        .json(&json!({"email": "admin@acme.example", "password": "tenant-password-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let csrf: Value = login.json().await.unwrap();
    let keystore =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/keystores/aes256.p12");
    let form = reqwest::multipart::Form::new().part(
        "path",
        reqwest::multipart::Part::bytes(std::fs::read(&keystore).unwrap()).file_name("aes256.p12"),
    );
    let pki = format!("{base}/api/tenants/acme/theme/clone/pki");
    let imported = client
        .post(format!(
            "{pki}?keystorePass=changeit&alias=obdir-test&aliasPass=changeit&forceTrust=true"
        ))
        .header("Cookie", &cookie)
        .header("X-Csrf-Token_acme", csrf["csrfToken"].as_str().unwrap())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), StatusCode::OK);
    seen.push(imported.text().await.unwrap());
    let read = client
        .get(&pki)
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    seen.push(read.text().await.unwrap());
    let imported_key = std::process::Command::new("openssl")
        .args([
            "pkcs12",
            "-in",
            keystore.to_str().unwrap(),
            "-passin",
            "pass:changeit",
            "-nocerts",
            "-nodes",
        ])
        .output()
        .unwrap()
        .stdout;
    let imported_key = String::from_utf8(imported_key).unwrap();
    let imported_key: String = imported_key
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .filter(|l| !l.starts_with("-----"))
        .collect();
    assert!(imported_key.len() > 1000);
    let sealing_key = std::fs::read_to_string(data_dir.path().join("sealing-key")).unwrap();

    let log = obdir.log();
    drop(obdir);
    for text in seen.iter().chain(&log) {
        for secret in ["changeit", "tenant-password-1", sealing_key.trim()] {
            assert!(!text.contains(secret), "'{secret}' in: {text}");
        }
    }

    // What the directory keeps private, read straight from its store.
    let store = obdir::store::open(data_dir.path(), 16).unwrap().authorities;
    let mut secrets: Vec<String> = Vec::new();
    for root in store.roots().unwrap() {
        secrets.push(root.key.expose().to_owned());
    }
    for issuing in store.issuing().unwrap() {
        secrets.push(issuing.key.expose().to_owned());
    }
    secrets.push(store.signer().unwrap().unwrap().key.expose().to_owned());
    assert_eq!(
        secrets.len(),
        5,
        "two roots, two issuing CAs, one signing key"
    );
    // The key the tenants import brought in.
    secrets.push(imported_key);
    // The TPP's own private key, sent by mistake, must not come back either.
    secrets.push(
        private_pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect(),
    );

    let everything: Vec<&str> = seen
        .iter()
        .map(String::as_str)
        .chain(log.iter().map(String::as_str))
        .collect();
    for secret in &secrets {
        // PEM wraps base64 at 64 characters: look for 40-character runs. The
        // first part of an RSA key's DER is its modulus, which certificates
        // publish; the private exponent and primes follow it.
        for start in (secret.len() / 2..secret.len().saturating_sub(40)).step_by(150) {
            let run = &secret[start..start + 40];
            for text in &everything {
                let unwrapped: String = text.split(['\n', '\\']).collect::<Vec<_>>().join("");
                assert!(
                    !unwrapped.contains(run),
                    "a private key leaked into: {}",
                    &text[..text.len().min(200)]
                );
            }
        }
    }
    // The same keys written as JWKs: their private exponent `d`.
    for secret in &secrets {
        use base64::Engine;
        let Ok(der) = base64::engine::general_purpose::STANDARD.decode(secret) else {
            continue;
        };
        let Ok(key) = openssl::pkey::PKey::private_key_from_der(&der) else {
            continue;
        };
        let d = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(key.rsa().unwrap().d().to_vec());
        for text in &everything {
            assert!(
                !text.contains(&d[..40]),
                "a private exponent leaked into: {}",
                &text[..text.len().min(200)]
            );
        }
    }
    for text in &everything {
        assert!(
            !text.contains("PRIVATE KEY"),
            "private key armour in: {}",
            &text[..text.len().min(200)]
        );
    }
    assert!(log.len() > 20, "the run was logged at debug level");
}

/// With no bind address anywhere (flag, env, file), obdir listens on the
/// loopback interface only: nothing outside the machine can reach it.
#[test]
fn the_server_binds_loopback_unless_told_otherwise() {
    use std::io::{BufRead, BufReader};
    let data_dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_obdir"))
        .arg("serve")
        .arg("--data-dir")
        .arg(data_dir.path())
        .env("RUST_LOG", "info")
        .env_remove("OBDIR_BIND")
        .env_remove("OBDIR_CONFIG")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("obdir starts");
    // Whether the default port is free here or not, the address tried is told.
    let address = BufReader::new(child.stderr.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            ["obdir listening on ", "cannot listen on "]
                .iter()
                .find_map(|m| line.split(m).nth(1))
                .map(|rest| rest.trim_start_matches("http://"))
                .and_then(|rest| rest.split([' ', ':']).next().map(str::to_owned))
        });
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(address.as_deref(), Some("127.0.0.1"));
}

/// A generated admin token is shown once, on the banner's line, and in no
/// log line at any level, whatever the requests made with it; a configured
/// token is never printed at all.
#[tokio::test]
async fn the_admin_token_is_shown_once_in_the_banner_and_never_logged() {
    let client = reqwest::Client::new();
    let generated = tempfile::tempdir().unwrap();
    let obdir = start_binary(generated.path(), "");
    let token = std::fs::read_to_string(generated.path().join("admin-token")).unwrap();
    let token = token.trim();
    let configured = "configured-admin-token-0123456789";
    let second = tempfile::tempdir().unwrap();
    let other = start_binary(
        second.path(),
        &format!("[server]\nadmin_token = \"{configured}\"\n"),
    );
    for (process, token) in [(&obdir, token), (&other, configured)] {
        let base = &process.address;
        let listed = client
            .get(format!("{base}/organisations"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(listed.status(), StatusCode::OK);
        // Refused, and named in the query: neither puts it in the log.
        let refused = client
            .get(format!("{base}/organisations?token={token}"))
            .bearer_auth(format!("{token}x"))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
        let reset = client
            .post(format!("{base}/admin/reset"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(reset.status(), StatusCode::OK);
    }

    let log = obdir.log_through_banner().await;
    let showing: Vec<&String> = log.iter().filter(|l| l.contains(token)).collect();
    assert_eq!(showing.len(), 1, "{showing:?}");
    assert!(
        showing[0].trim_start().starts_with("admin token"),
        "{showing:?}"
    );
    assert!(log.len() > 20, "the run was logged at debug level");

    let log = other.log_through_banner().await;
    assert!(
        log.iter().all(|l| !l.contains(configured)),
        "a configured token was printed"
    );
    assert!(
        log.iter()
            .any(|l| l.contains("admin token     set by config or OBDIR_ADMIN_TOKEN"))
    );
}
