//! The real binary, killed with SIGKILL right after it acknowledged writes,
//! comes back with every record, the same CA and the same admin token.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

struct Process {
    child: Child,
    address: String,
    log: Vec<String>,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill(); // SIGKILL: no shutdown, no final flush
        let _ = self.child.wait();
    }
}

/// The config file the binary is started with: sled's background flush is
/// off, so only the explicit flush before each 201 can put records on disk.
const CONFIG: &str =
    "[server]\npublic_url = \"https://directory.example\"\n[store]\nbackground_flush_ms = 0\n";

/// Starts `obdir serve` on a free port and waits for its listening line.
fn start(data_dir: &Path) -> Process {
    let config = data_dir.with_extension("toml");
    std::fs::write(&config, CONFIG).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_obdir"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--data-dir",
            data_dir.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--seed",
        ])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo.json"))
        .env("RUST_LOG", "info")
        .env_remove("OBDIR_ADMIN_TOKEN")
        .env_remove("OBDIR_CONFIG")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("obdir starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut log = Vec::new();
    let address = loop {
        let line = lines.next().expect("obdir logs until it listens").unwrap();
        log.push(line.clone());
        if let Some(rest) = line.split("obdir listening on ").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Process {
        child,
        address,
        log,
    }
}

#[tokio::test]
async fn kill_9_after_201_loses_nothing_and_the_ca_and_token_survive() {
    let data_dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let tpp = Tpp::new();

    let first = start(data_dir.path());
    let token = std::fs::read_to_string(data_dir.path().join("admin-token")).unwrap();
    assert!(
        first
            .log
            .iter()
            .any(|l| l.contains("generated admin token")),
        "{:?}",
        first.log
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

    let second = start(data_dir.path());
    assert!(
        !second
            .log
            .iter()
            .any(|l| l.contains("generated admin token")),
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
