//! `make bench`: obdir measured side by side with a reference on the same
//! machine in one run, each figure a ratio (or a bound), written to a
//! markdown report:
//!
//! - issuance: CSR uploads per second at 1, 4, 16 and 64 clients against
//!   `openssl speed` for the issuing CA's key and against `cfssl serve`, and
//!   the latency at half the best rate;
//! - keystore: JWKS reads per second against nginx serving the same bytes;
//! - participants: `/participants` reads per second of a 1,000-organisation
//!   directory against nginx serving the same bytes;
//! - scale: start-up, memory and reads on the data dir `bench_load` fills,
//!   against a data dir of 100 certificates;
//! - ra: RA orders (CSR submitted, status polled until issued) per second
//!   at 1, 4 and 16 clients with their p99, against directory uploads on
//!   the same server;
//! - tenants: keystore imports (`aes256.p12` into a tenant theme) per
//!   second at 1, 4 and 16 clients with their p99, and the theme's PKI read
//!   back, against the keystore read alone.
//!
//! Usage: bench [--out FILE] [--quick] [--seconds N] [--load-dir DIR]
//! [--load-certificates N] [--only issuance|keystore|participants|scale|ra|tenants]. Runs
//! target/release/obdir, nginx, cfssl and wrk (`make bench-deps`). Exits 0
//! when every figure was measured, whether or not it met its target, and 1
//! when one could not be.

#[path = "common/mod.rs"]
mod common;
#[path = "bench/issuance.rs"]
mod issuance;
#[path = "bench/keystore.rs"]
mod keystore;
#[path = "bench/measure.rs"]
mod measure;
#[path = "bench/participants.rs"]
mod participants;
#[path = "bench/ra.rs"]
mod ra;
#[path = "bench/report.rs"]
mod report;
#[path = "bench/scale.rs"]
mod scale;
#[path = "bench/shared.rs"]
#[allow(dead_code)]
mod shared;
#[path = "bench/tenants.rs"]
mod tenants;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

pub struct Options {
    pub out: PathBuf,
    pub quick: bool,
    /// Length of each timed measurement.
    pub seconds: u64,
    pub load_dir: PathBuf,
    pub load_certificates: usize,
    /// With `--only`, the one section to run.
    pub only: Option<String>,
}

impl Options {
    fn parse() -> Result<Options, String> {
        let mut options = Options {
            out: PathBuf::from("docs/benchmarks.md"),
            quick: false,
            seconds: 10,
            load_dir: PathBuf::from("target/bench-load"),
            load_certificates: 100_000,
            only: None,
        };
        let mut seconds = None;
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
            match arg.as_str() {
                "--out" => options.out = value("--out")?.into(),
                "--quick" => options.quick = true,
                "--seconds" => {
                    seconds = Some(
                        value("--seconds")?
                            .parse()
                            .map_err(|e| format!("--seconds: {e}"))?,
                    )
                }
                "--load-dir" => options.load_dir = value("--load-dir")?.into(),
                "--load-certificates" => {
                    options.load_certificates = value("--load-certificates")?
                        .parse()
                        .map_err(|e| format!("--load-certificates: {e}"))?
                }
                "--only" => {
                    let section = value("--only")?;
                    if !SECTIONS.contains(&section.as_str()) {
                        return Err(format!("--only takes one of {}", SECTIONS.join(", ")));
                    }
                    options.only = Some(section);
                }
                other => return Err(format!("unknown argument '{other}'")),
            }
        }
        options.seconds = seconds.unwrap_or(if options.quick { 2 } else { 10 });
        if options.seconds == 0 {
            return Err("--seconds must be at least 1".into());
        }
        Ok(options)
    }
}

const SECTIONS: [&str; 6] = [
    "issuance",
    "keystore",
    "participants",
    "scale",
    "ra",
    "tenants",
];

impl Options {
    fn runs(&self, section: &str) -> bool {
        self.only.as_deref().is_none_or(|only| only == section)
    }
}

/// What a section not chosen with `--only` answers.
const SKIPPED: &str = "skipped (--only)";

/// The machine's cores, which every server and load tool here shares.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match Options::parse() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let machine = report::Machine::probe();
    let load_start = report::load_average();
    println!(
        "bench: {} cores, {}, load {load_start}; {} s per measurement",
        cores(),
        machine.cpu,
        options.seconds
    );
    let work = std::env::temp_dir().join(format!("obdir-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    if let Err(e) = std::fs::create_dir_all(&work)
        .and_then(|()| std::fs::set_permissions(&work, std::fs::Permissions::from_mode(0o755)))
    {
        eprintln!("bench: cannot make {}: {e}", work.display());
        return ExitCode::FAILURE;
    }
    let client = match shared::http_client() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::FAILURE;
        }
    };

    let sections = async {
        let issuance = if options.runs("issuance") {
            issuance::run(&client, &options, &work).await
        } else {
            Err(SKIPPED.to_owned())
        };
        let keystore = if options.runs("keystore") {
            keystore::run(&client, &options, &work).await
        } else {
            Err(SKIPPED.to_owned())
        };
        let participants = if options.runs("participants") {
            participants::run(&client, &options, &work).await
        } else {
            Err(SKIPPED.to_owned())
        };
        let scale = if options.runs("scale") {
            scale::run(&client, &options, &work).await
        } else {
            Err(SKIPPED.to_owned())
        };
        let ra = if options.runs("ra") {
            ra::run(&client, &options, &work).await
        } else {
            Err(SKIPPED.to_owned())
        };
        let tenants = if options.runs("tenants") {
            tenants::run(&client, &options, &work).await
        } else {
            Err(SKIPPED.to_owned())
        };
        for (name, failure) in [
            ("issuance", issuance.as_ref().err()),
            ("keystore reads", keystore.as_ref().err()),
            ("participants reads", participants.as_ref().err()),
            ("scale", scale.as_ref().err()),
            ("RA orders", ra.as_ref().err()),
            ("tenant keystore imports", tenants.as_ref().err()),
        ] {
            if let Some(e) = failure.filter(|e| *e != SKIPPED) {
                eprintln!("bench: {name} could not be measured: {e}");
            }
        }
        (issuance, keystore, participants, scale, ra, tenants)
    };
    // Ctrl-C drops the sections, and with them the servers they started.
    let (issuance, keystore, participants, scale, ra, tenants) = tokio::select! {
        done = sections => done,
        _ = tokio::signal::ctrl_c() => {
            eprintln!("bench: interrupted; nothing written");
            let _ = std::fs::remove_dir_all(&work);
            return ExitCode::from(130);
        }
    };
    let _ = std::fs::remove_dir_all(&work);

    let targets = report::targets(&issuance, &keystore, &participants, &scale);
    let load_end = report::load_average();
    let markdown = report::Report {
        machine: &machine,
        options: &options,
        issuance: &issuance,
        keystore: &keystore,
        participants: &participants,
        scale: &scale,
        ra: &ra,
        tenants: &tenants,
        targets: &targets,
        took: started.elapsed(),
        load_start: &load_start,
        load_end: &load_end,
    }
    .render();
    if let Some(parent) = options.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Err(e) = std::fs::write(&options.out, markdown) {
        eprintln!("bench: cannot write {}: {e}", options.out.display());
        return ExitCode::FAILURE;
    }
    println!();
    for t in &targets {
        println!("{:>12}  {}: {}", report::verdict(t.met), t.name, t.measured);
    }
    if let Ok(r) = &ra {
        for (clients, run) in ra::LEVELS.iter().zip(&r.orders) {
            match run {
                Ok(o) => println!(
                    "{:>12}  RA orders, {clients} clients: {:.0}/s, p99 {:.1} ms",
                    "FIGURE",
                    o.run.rate(),
                    o.run.latency.percentile(99.0)
                ),
                Err(_) => println!(
                    "{:>12}  RA orders, {clients} clients",
                    report::verdict(None)
                ),
            }
        }
    }
    if let Ok(t) = &tenants {
        for ((clients, import), read) in tenants::LEVELS.iter().zip(&t.imports).zip(&t.reads) {
            for (what, run) in [("tenant imports", import), ("tenant PKI reads", read)] {
                match run {
                    Ok(r) => println!(
                        "{:>12}  {what}, {clients} clients: {:.0}/s, p99 {:.1} ms",
                        "FIGURE",
                        r.rate(),
                        r.latency.percentile(99.0)
                    ),
                    Err(_) => println!("{:>12}  {what}, {clients} clients", report::verdict(None)),
                }
            }
        }
    }
    println!(
        "bench: {} of {} targets met; report in {} ({} s)",
        targets.iter().filter(|t| t.met == Some(true)).count(),
        targets.len(),
        options.out.display(),
        started.elapsed().as_secs()
    );
    let unmeasured = |r: Option<&String>| r.is_some_and(|e| e != SKIPPED);
    let incomplete = issuance.as_ref().is_ok_and(|i| !i.complete())
        || unmeasured(issuance.as_ref().err())
        || unmeasured(keystore.as_ref().err())
        || unmeasured(participants.as_ref().err())
        || unmeasured(scale.as_ref().err())
        || ra.as_ref().is_ok_and(|r| !r.complete())
        || unmeasured(ra.as_ref().err())
        || tenants.as_ref().is_ok_and(|t| !t.complete())
        || unmeasured(tenants.as_ref().err());
    if incomplete {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
