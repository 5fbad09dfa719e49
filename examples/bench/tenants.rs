//! Tenant keystore imports: the tenants face's hot path, `aes256.p12`
//! imported into a theme at 1, 4 and 16 clients with its p99, then the
//! themes' PKI read back at the same levels, beside the keystore read alone
//! (obdir's own reader, in this process, on every core).

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use obdir::pki::keystore_file::read_keystore;
use reqwest::Method;

use crate::common::{
    AES256_P12, KEYSTORE_PASS, TENANT_PASSWORD, TenantSession, tenants_add_user, tenants_login,
};
use crate::measure::{Latencies, Run};
use crate::shared::{Obdir, Result, describe};
use crate::{Options, cores};

pub const LEVELS: [usize; 3] = [1, 4, 16];

const TENANT: &str = "bench-tenant";
const EMAIL: &str = "user@bench-tenant.example";

/// The longest the keystore read alone is timed for.
const READ_ALONE_MAX: Duration = Duration::from_secs(5);

pub struct Tenants {
    pub seconds: u64,
    /// Keystore reads per second on every core, and how long they ran.
    pub read_rate: f64,
    pub read_seconds: u64,
    /// One per level of `LEVELS`: `signed` counts imports answered 200.
    pub imports: Vec<Result<Run>>,
    /// One per level of `LEVELS`: `signed` counts reads answered 200.
    pub reads: Vec<Result<Run>>,
}

impl Tenants {
    pub fn complete(&self) -> bool {
        self.imports.iter().all(|r| r.is_ok()) && self.reads.iter().all(|r| r.is_ok())
    }
}

pub async fn run(client: &reqwest::Client, options: &Options, work: &Path) -> Result<Tenants> {
    let duration = Duration::from_secs(options.seconds);
    let (mut obdir, _) = Obdir::start(client, &work.join("tenants")).await?;
    let session = Arc::new(set_up(client, &obdir).await?);
    let read_for = duration.min(READ_ALONE_MAX);
    let read_rate = tokio::task::spawn_blocking(move || read_alone(read_for))
        .await
        .map_err(|e| format!("keystore read alone: {e}"))??;
    println!(
        "tenants reference: keystore read alone {read_rate:.0}/s on {} cores",
        cores()
    );
    let import = {
        let (client, base, session) = (client.clone(), obdir.base.clone(), session.clone());
        move |c: usize| {
            let (client, base, session) = (client.clone(), base.clone(), session.clone());
            async move { import(&client, &base, &session, c).await }
        }
    };
    let read = {
        let (client, base, session) = (client.clone(), obdir.base.clone(), session.clone());
        move |c: usize| {
            let (client, base, session) = (client.clone(), base.clone(), session.clone());
            async move { read(&client, &base, &session, c).await }
        }
    };
    let second = Duration::from_secs(1);
    if let Some(e) = closed_loop(4, second, import.clone()).await.first_error {
        return Err(obdir.with_fate(format!("warming up: {e}")));
    }

    let mut imports = Vec::new();
    let mut reads = Vec::new();
    for clients in LEVELS {
        let run = closed_loop(clients, duration, import.clone()).await;
        println!(
            "tenants imports {clients} clients: {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, {} failed",
            run.rate(),
            run.latency.percentile(50.0),
            run.latency.percentile(99.0),
            run.failed
        );
        imports.push(run.checked("imports"));
        // Each client reads back the theme it imported into.
        let run = closed_loop(clients, duration, read.clone()).await;
        println!(
            "tenants reads {clients} clients: {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, {} failed",
            run.rate(),
            run.latency.percentile(50.0),
            run.latency.percentile(99.0),
            run.failed
        );
        reads.push(run.checked("PKI reads"));
        if let (Some(Err(e)), _) | (_, Some(Err(e))) = (imports.last(), reads.last()) {
            // A stuck server gives no more figures; say so once.
            if let Some(gone) = obdir.gone() {
                return Err(format!("{e}; {gone}"));
            }
        }
    }
    obdir.stop();
    Ok(Tenants {
        seconds: options.seconds,
        read_rate,
        read_seconds: read_for.as_secs(),
        imports,
        reads,
    })
}

/// The tenant user through the admin API, its session, and the CA of
/// `aes256.p12` in the trust store (one import with forceTrust), so the
/// timed imports chain to it as a tenant's usually do.
async fn set_up(client: &reqwest::Client, obdir: &Obdir) -> Result<TenantSession> {
    match tenants_add_user(client, &obdir.base, &obdir.token, TENANT, EMAIL).await? {
        201 => {}
        status => return Err(format!("adding the tenant user answered {status}")),
    }
    let session = tenants_login(client, &obdir.base, EMAIL, TENANT_PASSWORD).await?;
    let response = session
        .import(client, &obdir.base, "trust", &AES256_P12)
        .send()
        .await
        .map_err(|e| format!("first import: {}", describe(&e)))?;
    if response.status() != 200 {
        return Err(format!(
            "first import (forceTrust) answered {}: {}",
            response.status(),
            response.text().await.unwrap_or_default()
        ));
    }
    Ok(session)
}

fn theme(c: usize) -> String {
    format!("theme-{c}")
}

/// One import of `aes256.p12` into client `c`'s theme, replacing what it
/// holds; no forceTrust, as its CA is trusted.
async fn import(
    client: &reqwest::Client,
    base: &str,
    session: &TenantSession,
    c: usize,
) -> Result<()> {
    let response = session
        .request(
            client,
            Method::POST,
            base,
            &session.pki_path(&theme(c)),
            true,
        )
        .multipart(AES256_P12.form())
        .send()
        .await
        .map_err(|e| format!("import: {}", describe(&e)))?;
    answered(response, "import").await
}

/// One read of client `c`'s theme's PKI.
async fn read(
    client: &reqwest::Client,
    base: &str,
    session: &TenantSession,
    c: usize,
) -> Result<()> {
    let response = session
        .request(
            client,
            Method::GET,
            base,
            &session.pki_path(&theme(c)),
            false,
        )
        .send()
        .await
        .map_err(|e| format!("read: {}", describe(&e)))?;
    answered(response, "read").await
}

/// Ok if the answer is a 200 and its body arrives whole.
async fn answered(response: reqwest::Response, what: &str) -> Result<()> {
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|e| format!("{what} answer: {}", describe(&e)))?;
    if status == 200 {
        Ok(())
    } else {
        Err(format!("{what} answered {status}: {body}"))
    }
}

/// `clients` clients, client c sending `request(c)` again as soon as the
/// last is answered, for `duration`; a client stops at its first failure.
async fn closed_loop<F, Fut>(clients: usize, duration: Duration, request: F) -> Run
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    let started = Instant::now();
    let stop = started + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let request = request.clone();
            tokio::spawn(async move {
                let (mut answered, mut latency, mut error) = (0usize, Vec::new(), None);
                while Instant::now() < stop {
                    let sent = Instant::now();
                    match request(c).await {
                        Ok(()) => {
                            answered += 1;
                            latency.push(sent.elapsed());
                        }
                        Err(e) => {
                            error = Some(e);
                            break;
                        }
                    }
                }
                (answered, latency, error)
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
    let mut all = Vec::new();
    for task in tasks {
        let Ok((answered, latency, error)) = task.await else {
            run.failed += 1;
            run.first_error
                .get_or_insert_with(|| "a client task panicked".into());
            continue;
        };
        run.signed += answered;
        all.extend(latency);
        if let Some(e) = error {
            run.failed += 1;
            run.first_error.get_or_insert(e);
        }
    }
    run.seconds = started.elapsed().as_secs_f64();
    run.latency = Latencies::from_durations(&all);
    run
}

/// `aes256.p12` read by obdir's keystore reader (MAC checked, key and
/// certificates decrypted) on every core for `duration`: what an import
/// costs before HTTP, the session, the trust check, sealing and the write.
fn read_alone(duration: Duration) -> Result<f64> {
    let started = Instant::now();
    let stop = started + duration;
    let counts: Vec<Result<usize>> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..cores())
            .map(|_| {
                scope.spawn(move || {
                    let mut n = 0;
                    while Instant::now() < stop {
                        read_keystore(AES256_P12.bytes, KEYSTORE_PASS, AES256_P12.alias, None)
                            .map_err(|e| format!("reading aes256.p12: {e}"))?;
                        n += 1;
                    }
                    Ok(n)
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|_| Err("a reader panicked".into())))
            .collect()
    });
    let total: usize = counts.into_iter().sum::<Result<usize>>()?;
    Ok(total as f64 / started.elapsed().as_secs_f64())
}
