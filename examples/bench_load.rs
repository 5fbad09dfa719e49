//! `make bench-load`: a data dir holding N rtssigning certificates (default
//! 100,000) for bench's scale figures: 100 per software statement, ten
//! statements per organisation, uploaded as CSRs through the HTTP API of the
//! release binary by eight concurrent clients (`--clients`). What the dir
//! already holds is counted and kept, so a second run only counts; an obdir
//! that stops answering is killed and started again, and the filling goes on
//! from what it acknowledged.
//!
//! Usage: bench_load [--certificates N] [--data-dir DIR] [--clients N].

#[path = "common/mod.rs"]
mod common;
#[path = "bench/shared.rs"]
#[allow(dead_code)]
mod shared;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use shared::{
    CERTS_PER_STATEMENT, Obdir, Owner, Result, Upload, count_all, create_owners, csr, http_client,
    keys, load_layout, upload, uploads_for,
};

struct Options {
    certificates: usize,
    data_dir: PathBuf,
    clients: usize,
}

fn options() -> Result<Options> {
    let mut options = Options {
        certificates: 100_000,
        data_dir: PathBuf::from("target/bench-load"),
        clients: 8,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        let number = || value.parse::<usize>().map_err(|e| format!("{arg}: {e}"));
        match arg.as_str() {
            "--certificates" => options.certificates = number()?,
            "--clients" => options.clients = number()?.max(1),
            "--data-dir" => options.data_dir = value.into(),
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    // Ctrl-C drops the run, and with it the obdir it started; what was
    // acknowledged stays in the data dir for the next run.
    let outcome = tokio::select! {
        outcome = run() => outcome,
        _ = tokio::signal::ctrl_c() => Err("interrupted".into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_load: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Rounds of start, count, upload what is missing. A round whose obdir
/// stops answering ends with it killed; the next one starts it again and
/// goes on from what the store holds.
const ROUNDS: usize = 20;

async fn run() -> Result<()> {
    let options = options()?;
    let started = Instant::now();
    let client = http_client()?;
    let layout = Arc::new(load_layout(options.certificates));
    let keys = keys(CERTS_PER_STATEMENT);
    let (mut uploaded, mut seconds) = (0usize, 0.0f64);
    for _ in 0..ROUNDS {
        let (obdir, _) = Obdir::start(&client, &options.data_dir).await?;
        let held = count_all(&client, &obdir, &layout).await?;
        let present: usize = held.iter().sum();
        if present >= options.certificates {
            obdir.stop();
            if uploaded == 0 {
                println!(
                    "bench_load: {} already holds {present} certificates in {} statements; nothing to do",
                    options.data_dir.display(),
                    layout.len()
                );
            } else {
                println!(
                    "bench_load: {present} certificates in {} statements of {} organisations in {}; {uploaded} uploaded in {seconds:.0} s ({:.0}/s, {} clients); {:.0} s in all",
                    layout.len(),
                    layout.len().div_ceil(shared::STATEMENTS_PER_ORG),
                    options.data_dir.display(),
                    uploaded as f64 / seconds.max(1e-9),
                    options.clients,
                    started.elapsed().as_secs_f64()
                );
            }
            return Ok(());
        }
        println!(
            "bench_load: {} holds {present} of {} certificates; uploading the rest",
            options.data_dir.display(),
            options.certificates
        );
        let round = Instant::now();
        let (done, outcome) = fill(&client, &obdir, &layout, &held, &keys, &options).await;
        uploaded += done;
        seconds += round.elapsed().as_secs_f64();
        if let Err(e) = outcome {
            println!("bench_load: {e}; restarting obdir");
        }
        obdir.stop();
    }
    Err(format!("the store is still not full after {ROUNDS} rounds"))
}

/// Uploads what `held` says each statement lacks; answers how many were
/// acknowledged, and the first failure if any.
async fn fill(
    client: &reqwest::Client,
    obdir: &Obdir,
    layout: &Arc<Vec<Owner>>,
    held: &[usize],
    keys: &[openssl::pkey::PKey<openssl::pkey::Private>],
    options: &Options,
) -> (usize, Result<()>) {
    if let Err(e) = create_owners(client, obdir, layout).await {
        return (0, Err(e));
    }
    // Statement s gets certificates held[s]..100, with keys of those numbers.
    let mut wanted = options.certificates;
    let plan: Vec<(usize, usize)> = layout
        .iter()
        .enumerate()
        .flat_map(|(s, _)| {
            let quota = CERTS_PER_STATEMENT.min(wanted);
            wanted -= quota;
            (held[s].min(quota)..quota).map(move |k| (s, k))
        })
        .collect();
    let made = Instant::now();
    let uploads = Arc::new(uploads_for(&obdir.base, layout, keys, &plan));
    println!(
        "bench_load: {} CSRs made in {:.1} s",
        uploads.len(),
        made.elapsed().as_secs_f64()
    );

    let uploading = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..options.clients)
        .map(|_| {
            let (client, token, uploads, next, done, layout) = (
                client.clone(),
                obdir.token.clone(),
                uploads.clone(),
                next.clone(),
                done.clone(),
                layout.clone(),
            );
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = uploads.get(i) else {
                        return Ok(());
                    };
                    send(&client, &token, item, &layout[item.owner]).await?;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let total = uploads.len();
    let progress = {
        let done = done.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(10)).await;
                let n = done.load(Ordering::Relaxed);
                println!(
                    "bench_load: {n} of {total} uploaded ({:.0}/s)",
                    n as f64 / uploading.elapsed().as_secs_f64()
                );
            }
        })
    };
    let mut outcome = Ok(());
    for worker in workers {
        let failure = match worker.await {
            Ok(Ok(())) => continue,
            Ok(Err(e)) => e,
            Err(e) => format!("an upload client failed: {e}"),
        };
        if outcome.is_ok() {
            outcome = Err(failure);
        }
    }
    progress.abort();
    (done.load(Ordering::Relaxed), outcome)
}

/// Uploads one CSR; a key the statement already holds (left by an
/// interrupted run) is replaced by a fresh one.
async fn send(client: &reqwest::Client, token: &str, item: &Upload, owner: &Owner) -> Result<()> {
    let mut status = upload(client, token, item).await?;
    for _ in 0..3 {
        if status != 409 {
            break;
        }
        let fresh = Upload {
            owner: item.owner,
            url: item.url.clone(),
            pem: csr(&keys(1)[0], owner),
        };
        status = upload(client, token, &fresh).await?;
    }
    match status {
        201 => Ok(()),
        status => Err(format!("upload to {} answered {status}", item.url)),
    }
}
