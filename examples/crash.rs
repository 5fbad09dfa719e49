//! `make crash`: kill -9 obdir while 8 clients upload and revoke, restart it,
//! and check that every acknowledged write survived and that the JWKS, the
//! CRL and OCSP agree with the records. Prints one verdict line; exits 1 on
//! any loss or disagreement.
//!
//! Usage: crash [CYCLES] (default 20). Runs target/release/obdir.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use openssl::hash::MessageDigest;
use openssl::ocsp::{OcspCertId, OcspCertStatus, OcspRequest, OcspResponse};
use openssl::x509::X509;
use serde_json::{Value, json};

#[path = "common/mod.rs"]
mod common;

use common::{ORG, SS, ca_certificates, crl_url, csr, der, rand_below, start, wait_healthy};

const CLIENTS: usize = 8;

/// What the server acknowledged: kids it answered 201 for, and which of
/// those it answered 204 to a revocation of.
#[derive(Default)]
struct Acknowledged {
    uploaded: HashMap<String, String>,
    revoked: HashSet<String>,
}

async fn client_loop(
    client: reqwest::Client,
    base: String,
    token: String,
    acked: Arc<Mutex<Acknowledged>>,
    stop: Instant,
) {
    let upload =
        format!("{base}/organisations/{ORG}/softwarestatements/{SS}/certificates/rtssigning");
    let mut mine: Vec<String> = Vec::new();
    while Instant::now() < stop {
        if mine.len() > 2 && rand_below(3) == 0 {
            let kid = mine.swap_remove(rand_below(mine.len()));
            let sent = client
                .put(format!("{upload}/{kid}"))
                .bearer_auth(&token)
                .json(&json!({"RevokeReason": "superseded"}))
                .send()
                .await;
            if sent.is_ok_and(|r| r.status() == reqwest::StatusCode::NO_CONTENT) {
                acked.lock().expect("lock").revoked.insert(kid);
            }
            continue;
        }
        let sent = client
            .post(&upload)
            .bearer_auth(&token)
            .header("Content-Type", "application/x-pem-file")
            .body(csr())
            .send()
            .await;
        let Ok(response) = sent else { continue };
        if response.status() != reqwest::StatusCode::CREATED {
            continue;
        }
        let Ok(record) = response.json::<Value>().await else {
            continue;
        };
        let kid = record["kid"].as_str().unwrap_or_default().to_owned();
        let leaf = record["x5c"][0].as_str().unwrap_or_default().to_owned();
        acked
            .lock()
            .expect("lock")
            .uploaded
            .insert(kid.clone(), leaf);
        mine.push(kid);
    }
}

/// Every acknowledged write present and consistent; answers the problems.
async fn verify(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    acked: &Acknowledged,
) -> Vec<String> {
    let mut problems = Vec::new();
    let list: Value = client
        .get(format!(
            "{base}/organisations/{ORG}/softwarestatements/{SS}/certificates"
        ))
        .bearer_auth(token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("list json");
    let records: HashMap<String, Value> = list
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (r["kid"].as_str().unwrap_or_default().to_owned(), r.clone()))
        .collect();
    for kid in acked.uploaded.keys() {
        match records.get(kid) {
            None => problems.push(format!("acknowledged upload {kid} is lost")),
            Some(r) if acked.revoked.contains(kid) && r["Status"] != "Revoked" => {
                problems.push(format!("acknowledged revocation of {kid} is lost"))
            }
            _ => {}
        }
    }
    let jwks: Value = client
        .get(format!("{base}/keystore/{ORG}/{SS}/application.jwks"))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("jwks json");
    let published: HashSet<String> = jwks["keys"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["kid"].as_str().map(str::to_owned))
        .collect();
    let issuers = ca_certificates(client, base).await;
    let mut crls: HashMap<String, openssl::x509::X509Crl> = HashMap::new();
    for (kid, record) in &records {
        if record["keyType"] != "rtssigning" {
            continue;
        }
        let active = record["Status"] == "Active";
        if active != published.contains(kid) {
            problems.push(format!(
                "{kid}: Status {} but {} application.jwks",
                record["Status"],
                if active { "missing from" } else { "still in" }
            ));
        }
        let Ok(leaf) = X509::from_der(&der(record["x5c"][0].as_str().unwrap_or_default())) else {
            problems.push(format!("{kid}: x5c[0] is not a certificate"));
            continue;
        };
        let Some(issuer) = issuers
            .iter()
            .find(|i| leaf.verify(&i.public_key().expect("key")).unwrap_or(false))
        else {
            problems.push(format!("{kid}: no issuer in chain.pem"));
            continue;
        };
        // CRL
        // The URL names the address of the run that issued it; ask this one.
        let Some(url) =
            crl_url(&leaf).and_then(|u| u.find("/crl/").map(|i| format!("{base}{}", &u[i..])))
        else {
            problems.push(format!("{kid}: the certificate names no CRL"));
            continue;
        };
        if !crls.contains_key(&url) {
            let bytes = client
                .get(&url)
                .send()
                .await
                .expect("crl")
                .bytes()
                .await
                .expect("crl bytes");
            crls.insert(
                url.clone(),
                openssl::x509::X509Crl::from_der(&bytes).expect("crl parses"),
            );
        }
        let listed = matches!(
            crls[&url].get_by_serial(leaf.serial_number()),
            openssl::x509::CrlStatus::Revoked(_)
        );
        if listed == active {
            problems.push(format!(
                "{kid}: Status {} but the CRL {} it",
                record["Status"],
                if listed { "lists" } else { "does not list" }
            ));
        }
        // OCSP
        let id = OcspCertId::from_cert(MessageDigest::sha1(), &leaf, issuer).expect("cert id");
        let mut request = OcspRequest::new().expect("ocsp request");
        request.add_id(id).expect("add id");
        let body = request.to_der().expect("der");
        let answer = client
            .post(format!("{base}/ocsp"))
            .header("Content-Type", "application/ocsp-request")
            .body(body)
            .send()
            .await
            .expect("ocsp")
            .bytes()
            .await
            .expect("ocsp bytes");
        let response = OcspResponse::from_der(&answer).expect("ocsp parses");
        let basic = response.basic().expect("basic response");
        let id = OcspCertId::from_cert(MessageDigest::sha1(), &leaf, issuer).expect("cert id");
        let status = basic.find_status(&id).map(|s| s.status);
        let revoked = status == Some(OcspCertStatus::REVOKED);
        if status.is_none() || revoked == active {
            problems.push(format!(
                "{kid}: Status {} but OCSP says {:?}",
                record["Status"],
                status.map(|s| s.as_raw())
            ));
        }
    }
    problems
}

#[tokio::main]
async fn main() {
    let cycles: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let data_dir = std::env::temp_dir().join(format!("obdir-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let mut problems = Vec::new();
    for cycle in 0..cycles {
        let port = 20000 + rand_below(20000) as u16;
        let base = format!("http://127.0.0.1:{port}");
        let mut child = start(&data_dir, port);
        wait_healthy(&client, &base).await;
        let token = std::fs::read_to_string(data_dir.join("admin-token")).expect("token");
        let kill_at = Instant::now() + Duration::from_millis(300 + rand_below(1200) as u64);
        let workers: Vec<_> = (0..CLIENTS)
            .map(|_| {
                tokio::spawn(client_loop(
                    client.clone(),
                    base.clone(),
                    token.clone(),
                    acked.clone(),
                    kill_at + Duration::from_secs(1),
                ))
            })
            .collect();
        tokio::time::sleep_until(kill_at.into()).await;
        child.kill().expect("kill -9"); // SIGKILL
        child.wait().expect("reaped");
        for worker in workers {
            let _ = worker.await;
        }
        let mut child = start(&data_dir, port);
        wait_healthy(&client, &base).await;
        let snapshot = {
            let acked = acked.lock().expect("lock");
            Acknowledged {
                uploaded: acked.uploaded.clone(),
                revoked: acked.revoked.clone(),
            }
        };
        let found = verify(&client, &base, &token, &snapshot).await;
        child.kill().expect("stopped");
        child.wait().expect("reaped");
        if !found.is_empty() {
            problems.extend(found.into_iter().map(|p| format!("cycle {cycle}: {p}")));
        }
    }
    let acked = acked.lock().expect("lock");
    let _ = std::fs::remove_dir_all(&data_dir);
    for problem in &problems {
        eprintln!("{problem}");
    }
    let verdict = if problems.is_empty() { "PASS" } else { "FAIL" };
    println!(
        "crash: {cycles} cycles of kill -9 under {CLIENTS} clients; {} uploads and {} revocations acknowledged; {} lost or inconsistent: {verdict}",
        acked.uploaded.len(),
        acked.revoked.len(),
        problems.len()
    );
    if !problems.is_empty() {
        std::process::exit(1);
    }
}
