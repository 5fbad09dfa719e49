//! RA orders: the RA face's hot path, a TLS server CSR ordered for a
//! pre-validated name and its status polled until issued, at 1, 4 and 16
//! clients, side by side with directory uploads on the same server (the
//! same CA signature and durable write, in one request).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::Options;
use crate::common::{ec_key, host_csr};
use crate::issuance::pool;
use crate::measure::{Latencies, Run, Signer, closed_loop};
use crate::shared::{Obdir, Result, describe, keys};

pub const LEVELS: [usize; 3] = [1, 4, 16];

const OPERATOR: &str = "bench.operator";
const API_KEY: &str = "bench-operator-api-key-0c9e7f3a51d24b68a7e2";
const CLIENT: &str = "cli-be9c0000-0000-4000-8000-00000000c11e";
const PRODUCT: &str = "pma-be9c0000-0000-4000-8000-0000000075e1";
const DOMAIN: &str = "bench.example";

/// CSRs made before the clock starts and ordered in turn: the RA takes a
/// CSR again and issues a new certificate for each order, so a pool this
/// size serves any rate.
const CSRS: usize = 256;

/// Directory uploads per second no run here reaches, to size the pool of
/// the reference (a statement refuses a key it already holds, so those
/// CSRs are not reused).
const UPLOAD_CEILING: usize = 1000;

/// One closed-loop run of orders: `run.signed` counts orders seen issued,
/// latency runs from the order's submission to the poll that saw it issued.
pub struct RaRun {
    pub run: Run,
    pub polls: usize,
}

impl RaRun {
    pub fn polls_per_order(&self) -> f64 {
        self.polls as f64 / self.run.signed.max(1) as f64
    }
}

pub struct RaOrders {
    pub seconds: u64,
    /// One per level of `LEVELS`.
    pub orders: Vec<Result<RaRun>>,
    pub uploads: Vec<Result<Run>>,
}

impl RaOrders {
    pub fn complete(&self) -> bool {
        self.orders.iter().all(|r| r.is_ok()) && self.uploads.iter().all(|r| r.is_ok())
    }
}

pub async fn run(client: &reqwest::Client, options: &Options, work: &Path) -> Result<RaOrders> {
    let duration = Duration::from_secs(options.seconds);
    let (mut obdir, _) = Obdir::start(client, &work.join("ra")).await?;
    let session = set_up(client, &obdir).await?;
    let csrs: Arc<Vec<String>> = Arc::new(
        tokio::task::spawn_blocking(|| {
            (0..CSRS)
                .map(|i| host_csr(&ec_key(), &[format!("host{i}.{DOMAIN}")]))
                .collect()
        })
        .await
        .map_err(|e| format!("making CSRs: {e}"))?,
    );
    let orderer = Orderer {
        base: obdir.base.clone(),
        session,
    };
    let second = Duration::from_secs(1);
    if let Some(e) = order_loop(client, &orderer, csrs.clone(), 4, second)
        .await
        .run
        .first_error
    {
        return Err(obdir.with_fate(format!("warming up: {e}")));
    }
    let keys = keys(crate::shared::CERTS_PER_STATEMENT);
    let warm = pool(client, &obdir, &keys, 0x1600, 400).await?;
    closed_loop(client, &Signer::obdir(&obdir), warm, 4, second, false).await;

    let mut orders = Vec::new();
    let mut uploads = Vec::new();
    for (i, &clients) in LEVELS.iter().enumerate() {
        let ra = order_loop(client, &orderer, csrs.clone(), clients, duration).await;
        println!(
            "ra orders {clients} clients: {:.0} issued/s, p50 {:.2} ms, p99 {:.2} ms, {:.2} polls per order, {} failed",
            ra.run.rate(),
            ra.run.latency.percentile(50.0),
            ra.run.latency.percentile(99.0),
            ra.polls_per_order(),
            ra.run.failed
        );
        orders.push(ra.run.checked("RA orders").map(|run| RaRun {
            run,
            polls: ra.polls,
        }));
        let size = UPLOAD_CEILING * options.seconds as usize + 200;
        let upload = match pool(client, &obdir, &keys, 0x1610 + i as u16, size).await {
            Ok(csrs) => {
                let run = closed_loop(
                    client,
                    &Signer::obdir(&obdir),
                    csrs,
                    clients,
                    duration,
                    false,
                )
                .await;
                println!(
                    "ra reference: directory uploads {clients} clients: {:.0} signed/s, p50 {:.2} ms, p99 {:.2} ms, {} failed",
                    run.rate(),
                    run.latency.percentile(50.0),
                    run.latency.percentile(99.0),
                    run.failed
                );
                run.checked("directory uploads")
            }
            Err(e) => Err(e),
        };
        uploads.push(upload);
        if let (Some(Err(e)), _) | (_, Some(Err(e))) = (orders.last(), uploads.last()) {
            // A stuck server gives no more figures; say so once.
            if let Some(gone) = obdir.gone() {
                return Err(format!("{e}; {gone}"));
            }
        }
    }
    obdir.stop();
    Ok(RaOrders {
        seconds: options.seconds,
        orders,
        uploads,
    })
}

/// The RA's accounts through the admin API (the operator acting for one
/// client with a TLS server product), the operator's session, and the
/// bench domain pre-validated through the emulated DNS. Answers the session.
async fn set_up(client: &reqwest::Client, obdir: &Obdir) -> Result<String> {
    let admin = |path: &str, body: Value| {
        let url = format!("{}{path}", obdir.base);
        async move {
            let response = client
                .post(&url)
                .bearer_auth(&obdir.token)
                .json(&body)
                .send()
                .await
                .map_err(|e| format!("POST {url}: {}", describe(&e)))?;
            match response.status().as_u16() {
                201 => Ok(()),
                status => Err(format!(
                    "POST {url}: {status} {}",
                    response.text().await.unwrap_or_default()
                )),
            }
        }
    };
    admin(
        "/admin/ra/clients",
        json!({"name": "Bench client", "reference": CLIENT,
               "products": [{"name": "TLS Server", "profile": "tls-server", "reference": PRODUCT}]}),
    )
    .await?;
    admin(
        "/admin/ra/operators",
        json!({"userName": OPERATOR, "apiKey": API_KEY, "clients": [CLIENT]}),
    )
    .await?;
    let url = format!("{}/v2/jwt/{OPERATOR}", obdir.base);
    let response = client
        .post(&url)
        .form(&[("userSecret", API_KEY)])
        .send()
        .await
        .map_err(|e| format!("POST {url}: {}", describe(&e)))?;
    if !response.status().is_success() {
        return Err(format!("POST {url}: {}", response.status()));
    }
    let session = response
        .text()
        .await
        .map_err(|e| format!("POST {url}: {}", describe(&e)))?;
    let ra = |path: &str| {
        client
            .post(format!("{}/v2{path}", obdir.base))
            .bearer_auth(&session)
    };
    let registered: Value = ra(&format!("/client/domain/{CLIENT}/register"))
        .json(&json!([DOMAIN]))
        .send()
        .await
        .map_err(|e| format!("registering {DOMAIN}: {}", describe(&e)))?
        .json()
        .await
        .map_err(|e| format!("registering {DOMAIN}: {}", describe(&e)))?;
    let (Some(cld), Some(token)) = (
        registered[0]["prevalidatedDomainReference"].as_str(),
        registered[0]["token"].as_str(),
    ) else {
        return Err(format!("registering {DOMAIN} answered {registered}"));
    };
    let url = format!("{}/admin/dns/txt/{DOMAIN}", obdir.base);
    let published = client
        .put(&url)
        .bearer_auth(&obdir.token)
        .json(&json!([token]))
        .send()
        .await
        .map_err(|e| format!("PUT {url}: {}", describe(&e)))?;
    if !published.status().is_success() {
        return Err(format!("PUT {url}: {}", published.status()));
    }
    let validated: Value = ra(&format!("/client/domain/{cld}/validate"))
        .send()
        .await
        .map_err(|e| format!("validating {DOMAIN}: {}", describe(&e)))?
        .json()
        .await
        .map_err(|e| format!("validating {DOMAIN}: {}", describe(&e)))?;
    if validated["status"] != "VALIDATED" {
        return Err(format!("validating {DOMAIN} answered {validated}"));
    }
    Ok(session)
}

/// Where orders go, and the session that sends them.
#[derive(Clone)]
struct Orderer {
    base: String,
    session: String,
}

/// How long an order may take from submission to issued before the run
/// counts it failed.
const ORDER_DEADLINE: Duration = Duration::from_secs(10);

/// A poll that finds the order still on its way waits this long before the
/// next, as a client's automation would.
const POLL_PAUSE: Duration = Duration::from_millis(2);

impl Orderer {
    /// Submits one CSR and polls its status until it is issued; answers
    /// the polls it took.
    async fn order(&self, client: &reqwest::Client, csr: &str) -> Result<usize> {
        let url = format!("{}/v2/issue/csr/{PRODUCT}", self.base);
        let response = client
            .post(&url)
            .bearer_auth(&self.session)
            .header("Content-Type", "text/plain")
            .body(csr.to_owned())
            .send()
            .await
            .map_err(|e| format!("order: {}", describe(&e)))?;
        let status = response.status();
        let order: Value = response
            .json()
            .await
            .map_err(|e| format!("order answer: {}", describe(&e)))?;
        let Some(reference) = order["orderReference"].as_str().filter(|_| status == 200) else {
            return Err(format!("order answered {status}: {order}"));
        };
        let url = format!("{}/v2/order/{reference}/status", self.base);
        let deadline = Instant::now() + ORDER_DEADLINE;
        let mut polls = 0;
        loop {
            polls += 1;
            let answer: Value = client
                .post(&url)
                .bearer_auth(&self.session)
                .send()
                .await
                .map_err(|e| format!("poll: {}", describe(&e)))?
                .json()
                .await
                .map_err(|e| format!("poll answer: {}", describe(&e)))?;
            match answer["status"].as_str() {
                Some("issued") => return Ok(polls),
                Some("received" | "validating") if Instant::now() < deadline => {
                    tokio::time::sleep(POLL_PAUSE).await
                }
                _ => return Err(format!("order {reference}: {answer}")),
            }
        }
    }
}

/// `clients` clients each ordering the next CSR of `csrs` once the last
/// order is issued, for `duration`.
async fn order_loop(
    client: &reqwest::Client,
    orderer: &Orderer,
    csrs: Arc<Vec<String>>,
    clients: usize,
    duration: Duration,
) -> RaRun {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let stop = started + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, orderer, csrs, next) =
                (client.clone(), orderer.clone(), csrs.clone(), next.clone());
            tokio::spawn(async move {
                let (mut issued, mut polls, mut latency) = (0usize, 0usize, Vec::new());
                let mut error = None;
                while Instant::now() < stop {
                    let i = next.fetch_add(1, Ordering::Relaxed) % csrs.len();
                    let sent = Instant::now();
                    match orderer.order(&client, &csrs[i]).await {
                        Ok(n) => {
                            issued += 1;
                            polls += n;
                            latency.push(sent.elapsed());
                        }
                        Err(e) => {
                            error = Some(e);
                            break;
                        }
                    }
                }
                (issued, polls, latency, error)
            })
        })
        .collect();
    let mut run = Run {
        clients,
        signed: 0,
        failed: 0,
        first_error: None,
        seconds: 0.0,
        latency: Latencies::new(Vec::new()),
    };
    let mut polls = 0;
    let mut all = Vec::new();
    for task in tasks {
        let Ok((issued, n, latency, error)) = task.await else {
            run.failed += 1;
            run.first_error
                .get_or_insert_with(|| "a client task panicked".into());
            continue;
        };
        run.signed += issued;
        polls += n;
        all.extend(latency);
        if let Some(e) = error {
            run.failed += 1;
            run.first_error.get_or_insert(e);
        }
    }
    run.seconds = started.elapsed().as_secs_f64();
    run.latency = Latencies::from_durations(&all);
    RaRun { run, polls }
}
