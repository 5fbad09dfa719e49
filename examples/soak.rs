//! `make soak`: mixed traffic across every face for a while (default 600 s)
//! from eight clients. Passes with no 5xx and resident memory grown by less
//! than 10 % between the end of the first minute and the end. Prints one
//! verdict line; exits 1 on failure.
//!
//! Usage: soak [SECONDS]. Runs target/release/obdir.

#[path = "common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{ORG, SS, csr, rand_below, start, wait_healthy};
use serde_json::{Value, json};

const CLIENTS: usize = 8;

/// Answers counted by status code.
type Tally = Arc<Mutex<BTreeMap<u16, u64>>>;

fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

async fn one_request(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    kids: &Mutex<Vec<String>>,
) -> Option<u16> {
    let certs = format!("{base}/organisations/{ORG}/softwarestatements/{SS}/certificates");
    let sent = match rand_below(10) {
        0 | 1 => {
            let response = client
                .post(format!("{certs}/rtssigning"))
                .bearer_auth(token)
                .header("Content-Type", "application/x-pem-file")
                .body(csr())
                .send()
                .await
                .ok()?;
            let status = response.status().as_u16();
            if status == 201 {
                let record: Value = response.json().await.ok()?;
                kids.lock().ok()?.push(record["kid"].as_str()?.to_owned());
            }
            return Some(status);
        }
        2 => {
            let kid = {
                let mut kids = kids.lock().ok()?;
                if kids.is_empty() {
                    return None;
                }
                let i = rand_below(kids.len());
                kids.swap_remove(i)
            };
            client
                .put(format!("{certs}/rtssigning/{kid}"))
                .bearer_auth(token)
                .json(&json!({"RevokeReason": "superseded"}))
                .send()
                .await
        }
        3 => {
            client
                .get(format!("{base}/keystore/{ORG}/{SS}/application.jwks"))
                .send()
                .await
        }
        4 => {
            client
                .get(format!(
                    "{base}/organisations/{ORG}/softwarestatements/{SS}/assertion"
                ))
                .bearer_auth(token)
                .send()
                .await
        }
        5 => {
            client
                .get(format!("{base}/organisations?size=5"))
                .bearer_auth(token)
                .send()
                .await
        }
        6 => {
            client
                .get(format!("{base}/v1/ecosystems/certificates/ca"))
                .bearer_auth(token)
                .send()
                .await
        }
        7 => {
            client
                .get(format!("{base}/keystore/openbanking.jwks"))
                .send()
                .await
        }
        8 => client.get(format!("{base}/ca/chain.pem")).send().await,
        // Bad input is traffic too: it must stay a 4xx.
        _ => {
            client
                .post(format!("{certs}/rtssigning"))
                .bearer_auth(token)
                .header("Content-Type", "application/x-pem-file")
                .body("not a csr")
                .send()
                .await
        }
    };
    Some(sent.ok()?.status().as_u16())
}

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(600);
    let data_dir = std::env::temp_dir().join(format!("obdir-soak-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let port = 20000 + rand_below(20000) as u16;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut child = start(&data_dir, port);
    wait_healthy(&client, &base).await;
    let token = std::fs::read_to_string(data_dir.join("admin-token")).expect("token");
    let tally: Tally = Arc::default();
    let kids = Arc::new(Mutex::new(Vec::new()));
    let stop = Instant::now() + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, base, token, tally, kids) = (
                client.clone(),
                base.clone(),
                token.clone(),
                tally.clone(),
                kids.clone(),
            );
            tokio::spawn(async move {
                while Instant::now() < stop {
                    let status = one_request(&client, &base, &token, &kids)
                        .await
                        .unwrap_or(0);
                    *tally.lock().expect("lock").entry(status).or_default() += 1;
                }
            })
        })
        .collect();
    let warm = Duration::from_secs(seconds.min(60));
    tokio::time::sleep(warm).await;
    let rss_warm = resident_kib(child.id());
    for worker in workers {
        let _ = worker.await;
    }
    let rss_end = resident_kib(child.id());
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&data_dir);

    let tally = tally.lock().expect("lock");
    let total: u64 = tally.values().sum();
    let server_errors: u64 = tally
        .iter()
        .filter(|(s, _)| **s >= 500)
        .map(|(_, n)| n)
        .sum();
    let no_answer = tally.get(&0).copied().unwrap_or(0);
    let growth = if rss_warm == 0 {
        0.0
    } else {
        (rss_end as f64 - rss_warm as f64) * 100.0 / rss_warm as f64
    };
    let pass = server_errors == 0 && growth < 10.0;
    let counts: Vec<String> = tally.iter().map(|(s, n)| format!("{s}:{n}")).collect();
    println!(
        "soak: {seconds} s, {total} requests ({}), {server_errors} 5xx, RSS {rss_warm} KiB after {} s -> {rss_end} KiB ({growth:+.1} %): {}",
        counts.join(" "),
        warm.as_secs(),
        if pass { "PASS" } else { "FAIL" }
    );
    if no_answer > 0 {
        eprintln!(
            "{no_answer} requests got no answer (skipped revocations with nothing to revoke count here too)"
        );
    }
    if !pass {
        std::process::exit(1);
    }
}
