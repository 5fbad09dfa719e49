//! What the proof runs (crash, soak) share: starting the release binary,
//! waiting for it, and making the CSRs its clients send.
// Each example uses part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::PKey;
use openssl::x509::{X509NameBuilder, X509ReqBuilder};

/// The demo organisation and software statement of fixtures/demo.json.
pub const ORG: &str = "c8f0bf49-4744-4933-8960-7add6e590841";
pub const SS: &str = "d6a3b1c4-9e2f-4a7b-8c5d-0f1e2d3c4b5a";

pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/release")
        .join("obdir")
}

pub fn start(data_dir: &Path, port: u16) -> Child {
    let config = data_dir.with_extension("toml");
    std::fs::write(&config, "[store]\nbackground_flush_ms = 0\n").expect("config written");
    Command::new(binary())
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data_dir)
        .arg("--config")
        .arg(&config)
        .arg("--seed")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo.json"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("obdir starts (run `cargo build --release` first)")
}

pub async fn wait_healthy(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if client
            .get(format!("{base}/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("obdir did not become healthy");
}

/// An rtssigning CSR for the demo statement, P-256.
pub fn csr() -> String {
    csr_for(ORG, SS)
}

/// An rtssigning CSR naming `org` and `ss` (OU and CN), P-256.
pub fn csr_for(org: &str, ss: &str) -> String {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("curve");
    let key = PKey::from_ec_key(EcKey::generate(&group).expect("key")).expect("pkey");
    let mut name = X509NameBuilder::new().expect("name");
    name.append_entry_by_text("OU", org).expect("OU");
    name.append_entry_by_text("CN", ss).expect("CN");
    let mut req = X509ReqBuilder::new().expect("req");
    req.set_subject_name(&name.build()).expect("subject");
    req.set_pubkey(&key).expect("pubkey");
    req.sign(&key, MessageDigest::sha256()).expect("signed");
    String::from_utf8(req.build().to_pem().expect("pem")).expect("utf8")
}

pub fn rand_below(n: usize) -> usize {
    let mut b = [0u8; 8];
    openssl::rand::rand_bytes(&mut b).expect("rng");
    (u64::from_le_bytes(b) % n.max(1) as u64) as usize
}

/// The DER a JWK's x5c entry holds (empty if it is not base64).
pub fn der(b64: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap_or_default()
}

/// The CRL URL the leaf names in its distribution point.
pub fn crl_url(leaf: &openssl::x509::X509) -> Option<String> {
    let points = leaf.crl_distribution_points()?;
    let names = points.get(0)?.distpoint()?.fullname()?;
    names.get(0)?.uri().map(str::to_owned)
}

/// The CA certificates `/ca/chain.pem` serves: issuing CAs, then roots.
pub async fn ca_certificates(client: &reqwest::Client, base: &str) -> Vec<openssl::x509::X509> {
    let chain = client
        .get(format!("{base}/ca/chain.pem"))
        .send()
        .await
        .expect("chain")
        .text()
        .await
        .expect("chain text");
    openssl::x509::X509::stack_from_pem(chain.as_bytes()).expect("chain parses")
}
