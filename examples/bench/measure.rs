//! Driving a signer with CSRs: closed loop (N clients, each sending its next
//! request when the last is answered) and open loop (requests started at a
//! fixed rate whatever the answers do, latency counted from the planned
//! start so a stall is not hidden).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::shared::{Obdir, Result, Upload, describe, upload};

/// Who signs the CSRs.
#[derive(Clone)]
pub enum Signer {
    /// obdir's directory API with the admin token: the CSR goes to the
    /// statement its upload names.
    Obdir { token: String },
    /// `cfssl serve`'s sign endpoint.
    Cfssl { url: String },
}

impl Signer {
    /// A running obdir, with its admin token.
    pub fn obdir(obdir: &Obdir) -> Signer {
        Signer::Obdir {
            token: obdir.token.clone(),
        }
    }

    /// Sends one CSR; Ok if it came back signed.
    pub async fn sign(&self, client: &reqwest::Client, request: &Upload) -> Result<()> {
        match self {
            Signer::Obdir { token } => match upload(client, token, request).await? {
                201 => Ok(()),
                status => Err(format!("obdir answered {status}")),
            },
            Signer::Cfssl { url } => {
                let response = client
                    .post(url)
                    .json(&json!({ "certificate_request": request.pem }))
                    .send()
                    .await
                    .map_err(|e| format!("cfssl sign: {}", describe(&e)))?;
                let status = response.status();
                let body: Value = response
                    .json()
                    .await
                    .map_err(|e| format!("cfssl answer: {}", describe(&e)))?;
                if status.is_success()
                    && body["success"] == true
                    && body["result"]["certificate"].is_string()
                {
                    Ok(())
                } else {
                    Err(format!("cfssl answered {status}: {}", body["errors"]))
                }
            }
        }
    }
}

/// Latencies in milliseconds, sorted.
pub struct Latencies(Vec<f64>);

impl Latencies {
    pub fn new(mut ms: Vec<f64>) -> Self {
        ms.sort_by(f64::total_cmp);
        Self(ms)
    }

    pub fn from_durations(d: &[Duration]) -> Self {
        Self::new(d.iter().map(|d| d.as_secs_f64() * 1000.0).collect())
    }

    /// The p-th percentile (nearest rank), 0 when empty.
    pub fn percentile(&self, p: f64) -> f64 {
        if self.0.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    pub fn max(&self) -> f64 {
        self.0.last().copied().unwrap_or(0.0)
    }
}

/// What a run of requests gave.
pub struct Run {
    /// Concurrent clients (closed loop) or 0 (open loop).
    pub clients: usize,
    pub signed: usize,
    pub failed: usize,
    /// What the first failure was.
    pub first_error: Option<String>,
    pub seconds: f64,
    pub latency: Latencies,
}

impl Run {
    /// A figure with failed requests in it is not a figure.
    pub fn checked(self, who: &str) -> Result<Run> {
        match (&self.first_error, self.signed) {
            (Some(e), _) => Err(format!(
                "{who}: {} of {} failed, the first with: {e}",
                self.failed,
                self.failed + self.signed
            )),
            (None, 0) => Err(format!("{who}: nothing was answered")),
            _ => Ok(self),
        }
    }

    pub fn rate(&self) -> f64 {
        if self.seconds > 0.0 {
            self.signed as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// `clients` clients each send the next CSR of `pool` as soon as the last is
/// answered, for `duration` (or until the pool is used up; `wrap` reuses it
/// for a signer that accepts a CSR twice).
pub async fn closed_loop(
    client: &reqwest::Client,
    signer: &Signer,
    pool: Arc<Vec<Upload>>,
    clients: usize,
    duration: Duration,
    wrap: bool,
) -> Run {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let stop = started + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, signer, pool, next) =
                (client.clone(), signer.clone(), pool.clone(), next.clone());
            tokio::spawn(async move {
                let (mut signed, mut failed, mut latency) = (0usize, 0usize, Vec::new());
                let mut first_error = None;
                while Instant::now() < stop {
                    let mut i = next.fetch_add(1, Ordering::Relaxed);
                    if wrap {
                        i %= pool.len();
                    } else if i >= pool.len() {
                        break;
                    }
                    let sent = Instant::now();
                    match signer.sign(&client, &pool[i]).await {
                        Ok(()) => {
                            signed += 1;
                            latency.push(sent.elapsed());
                        }
                        // A run with a failure is no figure: stop this client
                        // rather than pile more requests on a stuck server.
                        Err(e) => {
                            failed += 1;
                            first_error.get_or_insert(e);
                            break;
                        }
                    }
                }
                (signed, failed, latency, first_error)
            })
        })
        .collect();
    let mut run = Run {
        clients,
        signed: 0,
        failed: 0,
        first_error: None,
        seconds: 0.0,
        latency: Latencies(Vec::new()),
    };
    let mut all = Vec::new();
    for task in tasks {
        let Ok((signed, failed, latency, error)) = task.await else {
            run.first_error
                .get_or_insert_with(|| "a client task panicked".into());
            continue;
        };
        run.signed += signed;
        run.failed += failed;
        all.extend(latency);
        if let Some(e) = error {
            run.first_error.get_or_insert(e);
        }
    }
    run.seconds = started.elapsed().as_secs_f64();
    run.latency = Latencies::from_durations(&all);
    run
}

/// Starts one request every 1/`rate` s for `duration`, each as its own task,
/// taking CSRs from `pool` in order; latency runs from the planned start.
/// Gives up if more than a second's worth of requests (at least 100) are
/// unanswered at once: the server has fallen behind or stopped.
pub async fn open_loop(
    client: &reqwest::Client,
    signer: &Signer,
    pool: Arc<Vec<Upload>>,
    rate: f64,
    duration: Duration,
) -> Run {
    let count = ((rate * duration.as_secs_f64()) as usize).min(pool.len());
    let period = Duration::from_secs_f64(1.0 / rate.max(1e-3));
    let limit = (rate as usize).max(100);
    let in_flight = Arc::new(AtomicUsize::new(0));
    let mut run = Run {
        clients: 0,
        signed: 0,
        failed: 0,
        first_error: None,
        seconds: 0.0,
        latency: Latencies(Vec::new()),
    };
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(count);
    for i in 0..count {
        let planned = started + period.mul_f64(i as f64);
        tokio::time::sleep_until(planned.into()).await;
        if in_flight.load(Ordering::Relaxed) > limit {
            run.first_error = Some(format!(
                "more than {limit} requests unanswered at once after {:.1} s: the server fell behind or stopped",
                started.elapsed().as_secs_f64()
            ));
            break;
        }
        let (client, signer, pool, in_flight) = (
            client.clone(),
            signer.clone(),
            pool.clone(),
            in_flight.clone(),
        );
        in_flight.fetch_add(1, Ordering::Relaxed);
        tasks.push(tokio::spawn(async move {
            let answer = signer.sign(&client, &pool[i]).await;
            in_flight.fetch_sub(1, Ordering::Relaxed);
            (answer, planned.elapsed())
        }));
    }
    let mut all = Vec::with_capacity(count);
    for task in tasks {
        match task.await {
            Ok((Ok(()), latency)) => {
                run.signed += 1;
                all.push(latency);
            }
            Ok((Err(e), _)) => {
                run.failed += 1;
                run.first_error.get_or_insert(e);
            }
            Err(_) => {
                run.failed += 1;
                run.first_error
                    .get_or_insert_with(|| "a request task panicked".into());
            }
        }
    }
    run.seconds = started.elapsed().as_secs_f64();
    run.latency = Latencies::from_durations(&all);
    run
}
