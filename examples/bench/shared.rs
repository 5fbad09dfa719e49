//! What `bench` and `bench_load` share: the release binary started on a data
//! dir with the compiled-in defaults, the organisations and statements it
//! serves, and the CSRs its clients upload.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::{X509NameBuilder, X509ReqBuilder};
use serde_json::{Value, json};

/// A figure that could not be measured says why.
pub type Result<T> = std::result::Result<T, String>;

/// The bench-load layout: 100 certificates per software statement, ten
/// statements per organisation, as a directory of many small TPPs.
pub const CERTS_PER_STATEMENT: usize = 100;
pub const STATEMENTS_PER_ORG: usize = 10;

/// A software statement and the organisation that owns it.
#[derive(Debug, Clone)]
pub struct Owner {
    pub org: String,
    pub ss: String,
}

impl Owner {
    /// Ids shaped like the directory's (UUIDs), derived from a label and a number.
    pub fn numbered(label: u16, org: usize, ss: usize) -> Owner {
        Owner {
            org: format!("0b{label:04x}00-0000-4000-8000-{org:012}"),
            ss: format!("5e{label:04x}00-0000-4000-8000-{ss:012}"),
        }
    }

    pub fn certificates_url(&self, base: &str) -> String {
        format!(
            "{base}/organisations/{}/softwarestatements/{}/certificates/rtssigning",
            self.org, self.ss
        )
    }

    pub fn jwks_url(&self, base: &str) -> String {
        format!("{base}/keystore/{}/{}/application.jwks", self.org, self.ss)
    }
}

/// The statements bench-load fills for `certificates` certificates.
pub fn load_layout(certificates: usize) -> Vec<Owner> {
    let statements = certificates.div_ceil(CERTS_PER_STATEMENT);
    (0..statements)
        .map(|s| Owner::numbered(0x10ad, s / STATEMENTS_PER_ORG, s))
        .collect()
}

/// `n` owners spread over organisations of `per_org` statements each.
pub fn owners(label: u16, n: usize, per_org: usize) -> Vec<Owner> {
    (0..n)
        .map(|s| Owner::numbered(label, s / per_org.max(1), s))
        .collect()
}

/// The client every load here uses. A healthy obdir answers any request of
/// these runs in well under a second; ten seconds of silence means stuck.
pub fn http_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

/// The CPU time (user + system) process `pid` (or `self`) has used so far,
/// in seconds, from `/proc/<pid>/stat`; None where that cannot be read.
pub fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name: state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    Some((ticks(11)? + ticks(12)?) / clock_ticks()?)
}

/// A running `target/release/obdir serve`, stopped when dropped.
pub struct Obdir {
    child: Child,
    pub base: String,
    pub token: String,
}

impl Obdir {
    /// The store's write transactions since it opened, as `/health` says.
    pub async fn store_commits(&self, client: &reqwest::Client) -> Option<u64> {
        let health: serde_json::Value = client
            .get(format!("{}/health", self.base))
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        health["store"]["commits"].as_u64()
    }

    /// The CPU time (user + system) the server process has used so far, in
    /// seconds, from `/proc/<pid>/stat`; None where that cannot be read.
    pub fn cpu_seconds(&self) -> Option<f64> {
        cpu_seconds(&self.child.id().to_string())
    }

    /// Starts the release binary on `data_dir` with the compiled-in defaults
    /// (no config file, no seed, log level warn) and answers it once
    /// `/health` says 200, with the time from spawning to that answer.
    pub async fn start(client: &reqwest::Client, data_dir: &Path) -> Result<(Obdir, Duration)> {
        let binary = crate::common::binary();
        let port = free_port()?;
        let base = format!("http://127.0.0.1:{port}");
        let mut command = Command::new(&binary);
        for (name, _) in std::env::vars().filter(|(k, _)| k.starts_with("OBDIR_")) {
            command.env_remove(name);
        }
        command
            .args([
                "serve",
                "--bind",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(data_dir)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let started = Instant::now();
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut obdir = Obdir {
            child,
            base,
            token: String::new(),
        };
        let deadline = started + Duration::from_secs(60);
        let health = format!("{}/health", obdir.base);
        let up = loop {
            if let Ok(Some(status)) = obdir.child.try_wait() {
                return Err(format!("obdir exited during start-up: {status}"));
            }
            if client
                .get(&health)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                break started.elapsed();
            }
            if Instant::now() > deadline {
                return Err("obdir did not become healthy within 60 s".into());
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        };
        obdir.token = std::fs::read_to_string(data_dir.join("admin-token"))
            .map_err(|e| format!("admin token in {}: {e}", data_dir.display()))?
            .trim()
            .to_owned();
        Ok((obdir, up))
    }

    /// What became of the process if it is gone, for a failed figure to
    /// say so. A process being killed closes its sockets a moment before it
    /// can be reaped, so this waits up to half a second.
    /// A failure, with what became of the server if it has gone.
    pub fn with_fate(&mut self, failure: String) -> String {
        match self.gone() {
            Some(gone) => format!("{failure}; {gone}"),
            None => failure,
        }
    }

    pub fn gone(&mut self) -> Option<String> {
        let deadline = Instant::now() + Duration::from_millis(500);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(format!("obdir is gone ({status})"));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory, MiB.
    pub fn rss_mib(&self) -> f64 {
        rss_mib(self.pid())
    }

    /// SIGTERM, so the store closes cleanly; SIGKILL if it has not gone in 10 s.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Obdir {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// VmRSS of a process, MiB (0 if it is gone).
pub fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// Creates the organisations and statements `owners` name (an existing one
/// is fine), one request at a time: set-up, not load.
pub async fn create_owners(
    client: &reqwest::Client,
    obdir: &Obdir,
    owners: &[Owner],
) -> Result<()> {
    let mut orgs: Vec<&str> = owners.iter().map(|o| o.org.as_str()).collect();
    orgs.dedup();
    for org in orgs {
        let body = json!({"OrganisationId": org, "OrganisationName": format!("Bench TPP {org}")});
        post(
            client,
            obdir,
            &format!("{}/organisations", obdir.base),
            &body,
        )
        .await?;
    }
    for o in owners {
        let url = format!("{}/organisations/{}/softwarestatements", obdir.base, o.org);
        let body =
            json!({"SoftwareStatementId": o.ss, "ClientName": format!("Bench app {}", o.ss)});
        post(client, obdir, &url, &body).await?;
    }
    Ok(())
}

/// POSTs `body` as the admin; 201, or 409 for what is already there, is fine.
pub async fn post(client: &reqwest::Client, obdir: &Obdir, url: &str, body: &Value) -> Result<()> {
    let response = client
        .post(url)
        .bearer_auth(&obdir.token)
        .json(body)
        .send()
        .await
        .map_err(|e| format!("POST {url}: {}", describe(&e)))?;
    match response.status().as_u16() {
        201 | 409 => Ok(()),
        status => Err(format!(
            "POST {url}: {status} {}",
            response.text().await.unwrap_or_default()
        )),
    }
}

/// Certificates per statement of `owners`, 16 statements at a time; the
/// first failure ends it.
pub async fn count_all(
    client: &reqwest::Client,
    obdir: &Obdir,
    owners: &[Owner],
) -> Result<Vec<usize>> {
    futures_util::stream::iter(owners)
        .map(|owner| count_certificates(client, obdir, owner))
        .buffered(16)
        .try_collect()
        .await
}

/// How many rtssigning certificates a statement holds (totalSize of a page).
pub async fn count_certificates(
    client: &reqwest::Client,
    obdir: &Obdir,
    owner: &Owner,
) -> Result<usize> {
    let url = format!("{}?page=0&size=1", owner.certificates_url(&obdir.base));
    let response = client
        .get(&url)
        .bearer_auth(&obdir.token)
        .send()
        .await
        .map_err(|e| format!("GET {url}: {}", describe(&e)))?;
    if response.status().as_u16() == 404 {
        return Ok(0);
    }
    if !response.status().is_success() {
        return Err(format!("GET {url}: {}", response.status()));
    }
    let page: Value = response
        .json()
        .await
        .map_err(|e| format!("GET {url}: {}", describe(&e)))?;
    page["totalSize"]
        .as_u64()
        .map(|n| n as usize)
        .ok_or_else(|| format!("GET {url}: no totalSize"))
}

/// P-256 keys for the CSRs: a key may sign one CSR per statement, since a
/// statement refuses a key that is already active on it.
pub fn keys(n: usize) -> Vec<PKey<Private>> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("P-256");
    (0..n)
        .map(|_| PKey::from_ec_key(EcKey::generate(&group).expect("key")).expect("pkey"))
        .collect()
}

/// An rtssigning CSR named the OBIE way: OU the organisation, CN the statement.
pub fn csr(key: &PKey<Private>, owner: &Owner) -> String {
    let mut name = X509NameBuilder::new().expect("name");
    name.append_entry_by_text("OU", &owner.org).expect("OU");
    name.append_entry_by_text("CN", &owner.ss).expect("CN");
    let mut req = X509ReqBuilder::new().expect("req");
    req.set_subject_name(&name.build()).expect("subject");
    req.set_pubkey(key).expect("pubkey");
    req.sign(key, MessageDigest::sha256()).expect("signed");
    String::from_utf8(req.build().to_pem().expect("pem")).expect("utf8")
}

/// One CSR and the statement it goes to.
pub struct Upload {
    /// Which of the owners it was made for.
    pub owner: usize,
    pub url: String,
    pub pem: String,
}

/// `count` uploads spread round-robin over `owners`: upload i goes to owner
/// i mod n with key i / n, so no statement sees a key twice.
pub fn uploads(base: &str, owners: &[Owner], keys: &[PKey<Private>], count: usize) -> Vec<Upload> {
    let n = owners.len();
    assert!(
        count <= n * keys.len(),
        "not enough keys for {count} uploads"
    );
    let plan: Vec<(usize, usize)> = (0..count).map(|i| (i % n, i / n)).collect();
    uploads_for(base, owners, keys, &plan)
}

/// The uploads of `plan` (owner number, key number), made on every core
/// before any timing starts.
pub fn uploads_for(
    base: &str,
    owners: &[Owner],
    keys: &[PKey<Private>],
    plan: &[(usize, usize)],
) -> Vec<Upload> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = plan.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let parts: Vec<_> = plan
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|&(o, k)| Upload {
                            owner: o,
                            url: owners[o].certificates_url(base),
                            pem: csr(&keys[k], &owners[o]),
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().expect("CSR maker"))
            .collect()
    })
}

/// POSTs one CSR; answers the status once the body is read.
pub async fn upload(client: &reqwest::Client, token: &str, upload: &Upload) -> Result<u16> {
    let response = client
        .post(&upload.url)
        .bearer_auth(token)
        .header("Content-Type", "application/x-pem-file")
        .body(upload.pem.clone())
        .send()
        .await
        .map_err(|e| format!("upload: {}", describe(&e)))?;
    let status = response.status().as_u16();
    response
        .bytes()
        .await
        .map_err(|e| format!("upload answer: {}", describe(&e)))?;
    Ok(status)
}

/// A client error with its causes, saying plainly when it is silence.
pub fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return format!(
            "no answer within 10 s from {}",
            e.url().map_or("?", |u| u.as_str())
        );
    }
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// The kernel's clock ticks per second, which `/proc/<pid>/stat` counts in.
fn clock_ticks() -> Option<f64> {
    let out = Command::new("getconf").arg("CLK_TCK").output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}
