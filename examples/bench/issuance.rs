//! Issuance: rtssigning CSR uploads per second through obdir's HTTP API,
//! side by side with the raw signing rate of `openssl speed` for the issuing
//! CA's key type and with `cfssl serve` signing the very same CSRs.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use openssl::pkey::Id;
use openssl::x509::X509;

use crate::measure::{Run, Signer, closed_loop, open_loop};
use crate::shared::{
    CERTS_PER_STATEMENT, Obdir, Result, STATEMENTS_PER_ORG, Upload, cpu_seconds, create_owners,
    describe, free_port, keys, owners, uploads,
};
use crate::{Options, cores};

pub const LEVELS: [usize; 4] = [1, 4, 16, 64];

/// The issuing CA's key, which decides what raw signing means.
pub enum CaKey {
    Rsa(u32),
    Ec(u32),
}

impl CaKey {
    pub fn describe(&self) -> String {
        match self {
            CaKey::Rsa(bits) => format!("RSA {bits}"),
            CaKey::Ec(bits) => format!("ECDSA P-{bits}"),
        }
    }

    fn speed_algorithm(&self) -> String {
        match self {
            CaKey::Rsa(bits) => format!("rsa{bits}"),
            CaKey::Ec(bits) => format!("ecdsap{bits}"),
        }
    }

    fn newkey_args(&self) -> Vec<String> {
        match self {
            CaKey::Rsa(bits) => vec!["-newkey".into(), format!("rsa:{bits}")],
            CaKey::Ec(bits) => vec![
                "-newkey".into(),
                "ec".into(),
                "-pkeyopt".into(),
                format!("ec_paramgen_curve:P-{bits}"),
            ],
        }
    }
}

pub struct Issuance {
    pub ca_key: CaKey,
    pub raw_command: String,
    /// Signatures per second before and after the runs, and their mean.
    pub raw_before: f64,
    pub raw_after: f64,
    pub raw_rate: f64,
    /// Closed-loop runs, one per level of `LEVELS`.
    pub obdir: Vec<Result<Run>>,
    pub cfssl: Vec<Result<Run>>,
    /// The open-loop run at half obdir's best rate.
    pub open: Result<Run>,
    pub open_rate: f64,
    pub seconds: u64,
    /// The server's CPU seconds (user + system) per certificate it issued,
    /// one per level of `LEVELS`.
    pub cpu_per_certificate: Vec<Option<f64>>,
    /// The store's write transactions per certificate issued, one per level.
    pub commits_per_certificate: Vec<Option<f64>>,
    /// The load tool's (this process's) CPU time over each level, as a
    /// share of every core's time.
    pub load_tool_share: Vec<Option<f64>>,
}

impl Issuance {
    pub fn best_obdir(&self) -> f64 {
        self.obdir
            .iter()
            .flatten()
            .map(Run::rate)
            .fold(0.0, f64::max)
    }

    /// Whether every run of the section gave a figure.
    /// CPU seconds of one raw signature on one core.
    pub fn raw_signature_cpu(&self) -> f64 {
        cores() as f64 / self.raw_rate.max(1e-9)
    }

    pub fn complete(&self) -> bool {
        self.obdir.iter().chain(&self.cfssl).all(|r| r.is_ok()) && self.open.is_ok()
    }
}

pub async fn run(client: &reqwest::Client, options: &Options, work: &Path) -> Result<Issuance> {
    let duration = Duration::from_secs(options.seconds);
    let mut instances = 0;
    let mut fresh = || {
        instances += 1;
        work.join(format!("issuance-{instances}"))
    };
    let (obdir, _) = Obdir::start(client, &fresh()).await?;
    let ca_key = issuing_key(client, &obdir).await?;
    println!("issuance: the issuing CA's key is {}", ca_key.describe());

    // Raw signing half the time before the runs and half after; the mean.
    let half = options.seconds.div_ceil(2);
    let (raw_command, raw_before) = raw_signing(&ca_key, half)?;
    println!("issuance: raw signing `{raw_command}`: {raw_before:.0} signatures/s");

    let cfssl = Cfssl::start(work, &ca_key)?;
    let cfssl_signer = Signer::Cfssl {
        url: cfssl.sign_url.clone(),
    };
    let keys = keys(CERTS_PER_STATEMENT);
    let warm = pool(client, &obdir, &keys, 0x1500, 400).await?;
    let second = Duration::from_secs(1);
    closed_loop(
        client,
        &Signer::obdir(&obdir),
        warm.clone(),
        4,
        second,
        false,
    )
    .await;
    cfssl.wait_ready(client, &cfssl_signer, &warm[0]).await?;
    closed_loop(client, &cfssl_signer, warm.clone(), 4, second, true).await;

    // Level by level, obdir then cfssl with the same CSRs. A level that
    // leaves obdir stuck is reported as such, and the next one gets a fresh
    // obdir on a fresh data dir.
    let mut running = Some(obdir);
    let mut obdir_runs = Vec::new();
    let mut cfssl_runs = Vec::new();
    let mut cpu_per_certificate = Vec::new();
    let mut commits_per_certificate = Vec::new();
    let mut load_tool_share = Vec::new();
    for (i, &clients) in LEVELS.iter().enumerate() {
        let mut obdir = match running.take() {
            Some(obdir) => obdir,
            None => Obdir::start(client, &fresh()).await?.0,
        };
        // No more than the raw rate could sign in the time, shared by the
        // cores one client at a time can keep busy.
        let busy = clients.min(cores()) as f64 / cores() as f64;
        let size = (raw_before * busy * duration.as_secs_f64() * 1.1) as usize + 200;
        let mut cpu = None;
        let mut commits = None;
        let mut load_tool = None;
        let (csrs, run) = match pool(client, &obdir, &keys, 0x1510 + i as u16, size).await {
            Ok(csrs) => {
                let signer = Signer::obdir(&obdir);
                let cpu_before = obdir.cpu_seconds();
                let commits_before = obdir.store_commits(client).await;
                let tool_before = cpu_seconds("self");
                let run =
                    closed_loop(client, &signer, csrs.clone(), clients, duration, false).await;
                load_tool = cpu_seconds("self")
                    .zip(tool_before)
                    .map(|(after, before)| (after - before) / (run.seconds * cores() as f64));
                commits = obdir
                    .store_commits(client)
                    .await
                    .zip(commits_before)
                    .map(|(after, before)| (after - before) as f64 / run.signed.max(1) as f64);
                cpu = obdir
                    .cpu_seconds()
                    .zip(cpu_before)
                    .map(|(after, before)| (after - before) / run.signed.max(1) as f64);
                print_run("obdir", &run);
                if let (Some(cpu), Some(commits)) = (cpu, commits) {
                    println!(
                        "issuance obdir {clients} clients: {:.3} ms of server CPU and {commits:.2} commits per certificate",
                        cpu * 1000.0
                    );
                }
                (
                    csrs,
                    check(run, "obdir").map_err(|e| with_fate(e, &mut obdir)),
                )
            }
            Err(e) => (warm.clone(), Err(with_fate(e, &mut obdir))),
        };
        match &run {
            Ok(_) => running = Some(obdir),
            Err(e) => {
                println!("issuance obdir {clients} clients: not measured: {e}");
                drop(obdir);
            }
        }
        obdir_runs.push(run);
        cpu_per_certificate.push(cpu);
        commits_per_certificate.push(commits);
        load_tool_share.push(load_tool);
        let run = closed_loop(client, &cfssl_signer, csrs, clients, duration, true).await;
        print_run("cfssl", &run);
        cfssl_runs.push(check(run, "cfssl"));
    }
    drop(cfssl);

    let best = obdir_runs
        .iter()
        .flatten()
        .map(Run::rate)
        .fold(0.0, f64::max);
    let open_rate = (best / 2.0).max(1.0);
    let mut obdir = match running.take() {
        Some(obdir) => obdir,
        None => Obdir::start(client, &fresh()).await?.0,
    };
    let size = (open_rate * duration.as_secs_f64()) as usize + 10;
    let open = match pool(client, &obdir, &keys, 0x1520, size).await {
        Ok(csrs) => {
            let open = open_loop(client, &Signer::obdir(&obdir), csrs, open_rate, duration).await;
            println!(
                "issuance obdir open loop at {open_rate:.0}/s: {:.0} signed/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {} failed",
                open.rate(),
                open.latency.percentile(50.0),
                open.latency.percentile(99.0),
                open.latency.max(),
                open.failed
            );
            check(open, "obdir open loop").map_err(|e| with_fate(e, &mut obdir))
        }
        Err(e) => Err(with_fate(e, &mut obdir)),
    };
    obdir.stop();

    let (_, raw_after) = raw_signing(&ca_key, half)?;
    let raw_rate = (raw_before + raw_after) / 2.0;
    println!(
        "issuance: raw signing after the runs: {raw_after:.0} signatures/s; mean {raw_rate:.0}"
    );
    Ok(Issuance {
        ca_key,
        raw_command,
        raw_before,
        raw_after,
        raw_rate,
        obdir: obdir_runs,
        cfssl: cfssl_runs,
        open,
        open_rate,
        seconds: options.seconds,
        cpu_per_certificate,
        commits_per_certificate,
        load_tool_share,
    })
}

fn print_run(who: &str, run: &Run) {
    println!(
        "issuance {who} {} clients: {:.0} signed/s, p50 {:.2} ms, p99 {:.2} ms, {} failed",
        run.clients,
        run.rate(),
        run.latency.percentile(50.0),
        run.latency.percentile(99.0),
        run.failed
    );
}

/// A failure, and whether obdir itself went away meanwhile.
fn with_fate(failure: String, obdir: &mut Obdir) -> String {
    match obdir.gone() {
        Some(gone) => format!("{failure}; {gone}"),
        None => failure,
    }
}

/// A figure with failed requests in it is not a figure.
fn check(run: Run, who: &str) -> Result<Run> {
    match (&run.first_error, run.signed) {
        (Some(e), _) => Err(format!(
            "{who}: {} of {} requests failed, the first with: {e}",
            run.failed,
            run.failed + run.signed
        )),
        (None, 0) => Err(format!("{who}: nothing was signed")),
        _ => Ok(run),
    }
}

/// `size` uploads over fresh statements of at most 100 certificates each.
pub async fn pool(
    client: &reqwest::Client,
    obdir: &Obdir,
    keys: &[openssl::pkey::PKey<openssl::pkey::Private>],
    label: u16,
    size: usize,
) -> Result<Arc<Vec<Upload>>> {
    let owners = owners(
        label,
        size.div_ceil(CERTS_PER_STATEMENT),
        STATEMENTS_PER_ORG,
    );
    create_owners(client, obdir, &owners).await?;
    Ok(Arc::new(uploads(&obdir.base, &owners, keys, size)))
}

/// The key of the CA that signs now: the first certificate of /ca/chain.pem.
async fn issuing_key(client: &reqwest::Client, obdir: &Obdir) -> Result<CaKey> {
    let url = format!("{}/ca/chain.pem", obdir.base);
    let pem = client
        .get(&url)
        .send()
        .await
        .map_err(|e| format!("GET {url}: {}", describe(&e)))?
        .bytes()
        .await
        .map_err(|e| format!("GET {url}: {}", describe(&e)))?;
    let chain = X509::stack_from_pem(&pem).map_err(|e| format!("{url}: {e}"))?;
    let key = chain
        .first()
        .ok_or_else(|| format!("{url} holds no certificate"))?
        .public_key()
        .map_err(|e| format!("issuing CA key: {e}"))?;
    match key.id() {
        Id::RSA => Ok(CaKey::Rsa(key.bits())),
        Id::EC => Ok(CaKey::Ec(key.bits())),
        other => Err(format!("issuing CA key of unexpected type {other:?}")),
    }
}

/// `openssl speed -multi <cores>` for the CA's key: total signatures per
/// second over every core, the most any signer on this machine could do.
fn raw_signing(key: &CaKey, seconds: u64) -> Result<(String, f64)> {
    let args = [
        "speed".to_owned(),
        "-seconds".to_owned(),
        seconds.to_string(),
        "-multi".to_owned(),
        cores().to_string(),
        key.speed_algorithm(),
    ];
    let command = format!("openssl {}", args.join(" "));
    let output = Command::new("openssl")
        .args(&args)
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("{command}: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    // "rsa 2048 bits 0.000368s 0.000022s   2717.0  44783.7": sign/s is the
    // second number from the end, on the line after the "sign/s" header.
    let rate = text
        .lines()
        .skip_while(|l| !l.contains("sign/s"))
        .nth(1)
        .and_then(|l| {
            let numbers: Vec<&str> = l.split_whitespace().collect();
            numbers.len().checked_sub(2).map(|i| numbers[i].to_owned())
        })
        .and_then(|n| n.parse::<f64>().ok())
        .ok_or_else(|| format!("{command}: no sign/s figure in its output:\n{text}"))?;
    Ok((command, rate))
}

/// `cfssl serve` with a CA of the same key type as obdir's, made with the
/// openssl command line; killed when dropped.
struct Cfssl {
    child: Child,
    sign_url: String,
}

impl Cfssl {
    fn start(work: &Path, key: &CaKey) -> Result<Cfssl> {
        let dir = work.join("cfssl");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let made = Command::new("openssl")
            .args(["req", "-x509", "-nodes", "-days", "30"])
            .args(key.newkey_args())
            .args(["-keyout", "ca-key.pem", "-out", "ca.pem"])
            .args(["-subj", "/O=cfssl bench/CN=cfssl bench CA"])
            .args(["-addext", "basicConstraints=critical,CA:TRUE"])
            .args(["-addext", "keyUsage=critical,keyCertSign,cRLSign"])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("openssl req: {e}"))?;
        if !made.success() {
            return Err(format!("openssl req made no CA for cfssl: {made}"));
        }
        // The profile of obdir's rtssigning certificates, for 13 months.
        let config = r#"{"signing":{"default":{"expiry":"9490h","usages":["digital signature","content commitment"]}}}"#;
        std::fs::write(dir.join("config.json"), config)
            .map_err(|e| format!("cfssl config: {e}"))?;
        let log =
            std::fs::File::create(dir.join("cfssl.log")).map_err(|e| format!("cfssl log: {e}"))?;
        let port = free_port()?;
        let child = Command::new("cfssl")
            .args(["serve", "-address", "127.0.0.1", "-port", &port.to_string()])
            .args([
                "-ca",
                "ca.pem",
                "-ca-key",
                "ca-key.pem",
                "-config",
                "config.json",
            ])
            // Warnings and worse, as obdir runs at warn.
            .args(["-loglevel", "2"])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start cfssl (make bench-deps installs it): {e}"))?;
        Ok(Cfssl {
            child,
            sign_url: format!("http://127.0.0.1:{port}/api/v1/cfssl/sign"),
        })
    }

    async fn wait_ready(
        &self,
        client: &reqwest::Client,
        signer: &Signer,
        csr: &Upload,
    ) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last = String::new();
        while Instant::now() < deadline {
            match signer.sign(client, csr).await {
                Ok(()) => return Ok(()),
                Err(e) => last = e,
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(format!("cfssl serve never signed: {last}"))
    }
}

impl Drop for Cfssl {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
