//! Keystore reads: `GET /keystore/{org}/{ss}/application.jwks` from obdir
//! against nginx serving the very same bytes as a static file, both driven
//! by wrk with the same threads, connections and duration.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::shared::{
    Obdir, Result, create_owners, describe, free_port, keys, owners, upload, uploads,
};
use crate::{Options, cores};

/// Keys on the statement read: a transport-less TPP with a few signing keys
/// in rotation, as a real statement holds.
const KEYS: usize = 4;
const CONNECTIONS: usize = 32;

/// What one wrk run measured.
pub struct Wrk {
    pub rate: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests: u64,
    /// Non-2xx answers and socket errors.
    pub bad: u64,
}

pub struct Keystore {
    pub keys: usize,
    pub bytes: usize,
    pub wrk_command: String,
    pub obdir: Wrk,
    pub nginx: Wrk,
}

pub async fn run(client: &reqwest::Client, options: &Options, work: &Path) -> Result<Keystore> {
    let (obdir, _) = Obdir::start(client, &work.join("keystore")).await?;
    let owner = owners(0x1530, 1, 1).remove(0);
    create_owners(client, &obdir, std::slice::from_ref(&owner)).await?;
    for csr in uploads(&obdir.base, std::slice::from_ref(&owner), &keys(KEYS), KEYS) {
        match upload(client, &obdir.token, &csr).await? {
            201 => {}
            status => return Err(format!("keystore set-up: upload answered {status}")),
        }
    }
    let url = owner.jwks_url(&obdir.base);
    let jwks = client
        .get(&url)
        .send()
        .await
        .map_err(|e| format!("GET {url}: {}", describe(&e)))?
        .bytes()
        .await
        .map_err(|e| format!("GET {url}: {}", describe(&e)))?
        .to_vec();
    let published: Value =
        serde_json::from_slice(&jwks).map_err(|e| format!("{url} is not JSON: {e}"))?;
    let count = published["keys"].as_array().map_or(0, Vec::len);
    if count != KEYS {
        return Err(format!("{url} holds {count} keys, not {KEYS}"));
    }

    let path = url.trim_start_matches(&obdir.base).to_owned();
    let (from_obdir, from_nginx, wrk_command) =
        against_nginx(client, options, work, "keystore", &url, &path, &jwks).await?;
    obdir.stop();
    Ok(Keystore {
        keys: KEYS,
        bytes: jwks.len(),
        wrk_command,
        obdir: from_obdir,
        nginx: from_nginx,
    })
}

/// `url` read from obdir against nginx serving `bytes` at `path`, both
/// driven by wrk with the same threads, connections and duration: two
/// rounds each in the order obdir, nginx, nginx, obdir, half the time each,
/// so a drift in the machine's load weighs on both alike. Answers obdir's
/// figures, nginx's and the wrk command line.
pub async fn against_nginx(
    client: &reqwest::Client,
    options: &Options,
    work: &Path,
    section: &str,
    url: &str,
    path: &str,
    bytes: &[u8],
) -> Result<(Wrk, Wrk, String)> {
    let nginx = Nginx::start(&work.join(format!("{section}-nginx")), path, bytes)?;
    nginx.wait_serving(client, bytes).await?;
    let nginx_url = nginx.url.clone();
    let half = options.seconds.div_ceil(2);
    let wrk_args = |url: &str| {
        vec![
            "-t".to_owned(),
            cores().to_string(),
            "-c".to_owned(),
            CONNECTIONS.to_string(),
            "-d".to_owned(),
            format!("{half}s"),
            "--latency".to_owned(),
            url.to_owned(),
        ]
    };
    let wrk_command = format!("wrk {}", wrk_args("<url>").join(" "));
    let mut runs: [Vec<Wrk>; 2] = Default::default();
    for (who, target) in [(0, url), (1, &nginx_url), (1, &nginx_url), (0, url)] {
        let run = wrk(&wrk_args(target))?;
        print_wrk(section, ["obdir", "nginx"][who], &run, bytes.len());
        runs[who].push(run);
    }
    drop(nginx);
    let [from_obdir, from_nginx] = runs.map(Wrk::combine);
    for (who, run) in [("obdir", &from_obdir), ("nginx", &from_nginx)] {
        if run.bad > 0 || run.requests == 0 {
            return Err(format!(
                "{section} {who}: {} bad answers or socket errors in {} requests",
                run.bad, run.requests
            ));
        }
    }
    Ok((from_obdir, from_nginx, wrk_command))
}

impl Wrk {
    /// Rounds of equal length as one: the mean rate, the worse latencies.
    fn combine(runs: Vec<Wrk>) -> Wrk {
        let n = runs.len().max(1) as f64;
        Wrk {
            rate: runs.iter().map(|r| r.rate).sum::<f64>() / n,
            p50_ms: runs.iter().map(|r| r.p50_ms).fold(0.0, f64::max),
            p99_ms: runs.iter().map(|r| r.p99_ms).fold(0.0, f64::max),
            requests: runs.iter().map(|r| r.requests).sum(),
            bad: runs.iter().map(|r| r.bad).sum(),
        }
    }
}

fn print_wrk(section: &str, who: &str, run: &Wrk, bytes: usize) {
    println!(
        "{section} {who}: {:.0} reads/s of {bytes} bytes, p50 {:.2} ms, p99 {:.2} ms, {} bad",
        run.rate, run.p50_ms, run.p99_ms, run.bad
    );
}

fn wrk(args: &[String]) -> Result<Wrk> {
    let output = Command::new("wrk")
        .args(args)
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run wrk (make bench-deps installs it): {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    parse_wrk(&text).ok_or_else(|| format!("wrk gave no figures:\n{text}"))
}

/// Requests/sec, the 50 % and 99 % latency of `--latency`, the request
/// count and the errors wrk reports.
fn parse_wrk(text: &str) -> Option<Wrk> {
    let field = |label: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(label))
            .map(str::trim)
    };
    let rate = field("Requests/sec:")?.parse().ok()?;
    let p50_ms = duration_ms(field("50%")?)?;
    let p99_ms = duration_ms(field("99%")?)?;
    let requests = text
        .lines()
        .find(|l| l.contains(" requests in "))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let non_2xx: u64 = field("Non-2xx or 3xx responses:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // "Socket errors: connect 0, read 0, write 0, timeout 0"
    let socket: u64 = field("Socket errors:").map_or(0, |v| {
        v.split(',')
            .filter_map(|part| part.split_whitespace().nth(1)?.parse::<u64>().ok())
            .sum()
    });
    Some(Wrk {
        rate,
        p50_ms,
        p99_ms,
        requests,
        bad: non_2xx + socket,
    })
}

/// wrk's "812.00us", "1.23ms", "2.01s", "1.05m" in milliseconds.
fn duration_ms(value: &str) -> Option<f64> {
    let split = value.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => number / 1000.0,
        "ms" => number,
        "s" => number * 1000.0,
        "m" => number * 60_000.0,
        _ => return None,
    })
}

/// nginx with its own prefix, conf, pid and logs in `dir`, serving `bytes`
/// at `path`; stopped when dropped.
struct Nginx {
    child: Child,
    url: String,
}

impl Nginx {
    fn start(dir: &Path, path: &str, bytes: &[u8]) -> Result<Nginx> {
        let file = dir.join("www").join(path.trim_start_matches('/'));
        let parent = file.parent().ok_or("no parent for the served file")?;
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        std::fs::create_dir_all(dir.join("tmp")).map_err(|e| format!("nginx tmp: {e}"))?;
        std::fs::write(&file, bytes).map_err(|e| format!("{}: {e}", file.display()))?;
        // nginx's workers run as an unprivileged user when started by root:
        // the file and every directory down to it up from the work dir
        // must be open to them.
        let top = dir.parent().unwrap_or(dir);
        let mut next = Some(file.as_path());
        while let Some(p) = next.filter(|p| p.starts_with(top)) {
            let mode = if p == file { 0o644 } else { 0o755 };
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))
                .map_err(|e| format!("{}: {e}", p.display()))?;
            next = p.parent();
        }
        let port = free_port()?;
        let d = dir.display();
        // As many workers as obdir has (one per core), no access log, the
        // same keep-alive obdir allows.
        let conf = format!(
            "worker_processes {cores};
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 75s;
    keepalive_requests 1000000;
    types {{ application/jwk-set+json jwks; }}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        root {d}/www;
    }}
}}
",
            cores = cores()
        );
        let conf_path = dir.join("nginx.conf");
        std::fs::write(&conf_path, conf).map_err(|e| format!("nginx.conf: {e}"))?;
        let child = Command::new("nginx")
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(&conf_path)
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start nginx (make bench-deps installs it): {e}"))?;
        Ok(Nginx {
            child,
            url: format!("http://127.0.0.1:{port}{path}"),
        })
    }

    async fn wait_serving(&self, client: &reqwest::Client, bytes: &[u8]) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = String::new();
        while Instant::now() < deadline {
            match client.get(&self.url).send().await {
                Ok(r) if r.status().is_success() => {
                    let body = r.bytes().await.map_err(|e| format!("nginx: {e}"))?;
                    if body.as_ref() == bytes {
                        return Ok(());
                    }
                    return Err("nginx serves other bytes than obdir".into());
                }
                Ok(r) => last = format!("answered {}", r.status()),
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Err(format!("nginx never served the document: {last}"))
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM is nginx's fast shutdown; its workers go with the master.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
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
