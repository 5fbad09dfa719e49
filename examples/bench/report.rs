//! The machine and tool versions a run was made with, and the markdown
//! report (docs/benchmarks.md) of its figures.

use std::fmt::Write;

use obdir::domain::{Clock, SystemClock};
use std::process::Command;
use std::time::Duration;

use crate::issuance::{Issuance, LEVELS};
use crate::keystore::{Keystore, Wrk};
use crate::measure::Run;
use crate::participants::{ORGANISATIONS, Participants, RESOURCES, SERVERS};
use crate::ra::{self, RaOrders};
use crate::scale::{PAGE_SIZE, Scale};
use crate::shared::Result;
use crate::tenants::{self, Tenants};
use crate::{Options, cores};

pub struct Machine {
    pub date: String,
    pub cpu: String,
    pub memory_gib: f64,
    pub kernel: String,
    pub versions: Vec<(&'static str, String)>,
}

impl Machine {
    pub fn probe() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .and_then(|l| l.split_once(':'))
            .map_or("unknown".to_owned(), |(_, v)| v.trim().to_owned());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kib: f64 = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        let git = |args: &[&str]| output("git", args).unwrap_or_default();
        let commit = git(&["rev-parse", "--short", "HEAD"]);
        let dirty = !git(&["status", "--porcelain", "--untracked-files=no"]).is_empty();
        let obdir = output(&crate::common::binary().to_string_lossy(), &["--version"])
            .unwrap_or_else(|| "obdir (not built)".into());
        let cfssl = output("cfssl", &["version"]).map(|v| {
            let field = |name: &str| {
                v.lines()
                    .find_map(|l| l.strip_prefix(name))
                    .map_or("", str::trim)
                    .to_owned()
            };
            format!("cfssl {} ({})", field("Version:"), field("Runtime:"))
        });
        let wrk = output("wrk", &["-v"])
            .map(|v| v.split(" Copyright").next().unwrap_or_default().to_owned());
        let missing = || "not installed".to_owned();
        Machine {
            date: SystemClock.now().format("%Y-%m-%d %H:%M UTC").to_string(),
            cpu,
            memory_gib: memory_kib / 1024.0 / 1024.0,
            kernel: output("uname", &["-sr"]).unwrap_or_default(),
            versions: vec![
                (
                    "obdir",
                    format!(
                        "{obdir}, commit {commit}{}",
                        if dirty {
                            " (with uncommitted changes in the work tree)"
                        } else {
                            ""
                        }
                    ),
                ),
                ("rustc", output("rustc", &["-V"]).unwrap_or_else(missing)),
                (
                    "openssl",
                    output("openssl", &["version"]).unwrap_or_else(missing),
                ),
                ("nginx", output("nginx", &["-v"]).unwrap_or_else(missing)),
                ("cfssl", cfssl.unwrap_or_else(missing)),
                ("wrk", wrk.unwrap_or_else(missing)),
            ],
        }
    }
}

/// A command's first line of output (stdout, else stderr: nginx -v and
/// wrk -v print there or exit non-zero).
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    let text = if out.stdout.is_empty() {
        out.stderr
    } else {
        out.stdout
    };
    let text = String::from_utf8_lossy(&text).trim().to_owned();
    if text.is_empty() {
        return None;
    }
    if program == "cfssl" {
        return Some(text);
    }
    Some(text.lines().next().unwrap_or_default().to_owned())
}

/// 1/5 minute load averages.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" / "))
        .unwrap_or_default()
}

/// One target: what it asks, what was measured, whether it holds
/// (None: not measured).
pub struct Target {
    pub name: String,
    pub measured: String,
    pub met: Option<bool>,
}

pub fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "PASS",
        Some(false) => "FAIL",
        None => "NOT MEASURED",
    }
}

pub fn targets(
    issuance: &Result<Issuance>,
    keystore: &Result<Keystore>,
    participants: &Result<Participants>,
    scale: &Result<Scale>,
) -> Vec<Target> {
    let mut out = Vec::new();
    let unmeasured = |name: &str| Target {
        name: name.to_owned(),
        measured: "not measured".into(),
        met: None,
    };
    const RAW: &str = "Issuance: uploads/s at 16 clients >= 60 % of raw signing";
    const P99: &str = "Issuance: p99 latency < 10 ms at half that rate (open loop)";
    const PEER: &str = "Issuance: obdir >= 2x cfssl at every concurrency level";
    const CPU: &str =
        "Issuance: server CPU per certificate <= 1.5x a raw signature's, at 16 clients";
    match issuance {
        Ok(i) => {
            let at_16 = LEVELS.iter().position(|c| *c == 16);
            out.push(match at_16.and_then(|l| i.obdir[l].as_ref().ok()) {
                Some(run) => {
                    let share = run.rate() / i.raw_rate;
                    Target {
                        name: RAW.into(),
                        measured: format!(
                            "{:.0} of {:.0}/s = {:.0} %",
                            run.rate(),
                            i.raw_rate,
                            share * 100.0
                        ),
                        met: Some(share >= 0.60),
                    }
                }
                None => unmeasured(RAW),
            });
            out.push(match &i.open {
                Ok(open) => {
                    let p99 = open.latency.percentile(99.0);
                    Target {
                        name: P99.into(),
                        measured: format!("p99 {p99:.1} ms at {:.0}/s", i.open_rate),
                        met: Some(p99 < 10.0),
                    }
                }
                Err(_) => unmeasured(P99),
            });
            let ratios: Vec<Option<f64>> = i
                .obdir
                .iter()
                .zip(&i.cfssl)
                .map(|(o, c)| match (o, c) {
                    (Ok(o), Ok(c)) => Some(o.rate() / c.rate().max(1e-9)),
                    _ => None,
                })
                .collect();
            out.push(Target {
                name: PEER.into(),
                measured: ratios
                    .iter()
                    .zip(LEVELS)
                    .map(|(r, c)| match r {
                        Some(r) => format!("{c}: x{r:.2}"),
                        None => format!("{c}: not measured"),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                met: if ratios.iter().flatten().any(|r| *r < 2.0) {
                    Some(false)
                } else if ratios.iter().all(Option::is_some) {
                    Some(true)
                } else {
                    None
                },
            });
            out.push(match at_16.and_then(|l| i.cpu_per_certificate[l]) {
                Some(cpu) => {
                    let times = cpu / i.raw_signature_cpu();
                    Target {
                        name: CPU.into(),
                        measured: format!(
                            "{:.3} ms against {:.3} ms = x{times:.2}",
                            cpu * 1000.0,
                            i.raw_signature_cpu() * 1000.0
                        ),
                        met: Some(times <= 1.5),
                    }
                }
                None => unmeasured(CPU),
            });
        }
        Err(_) => out.extend([RAW, P99, PEER, CPU].map(unmeasured)),
    }
    const READS: &str = "Keystore: obdir's JWKS reads/s >= 0.8x nginx's";
    match keystore {
        Ok(k) => {
            let ratio = k.obdir.rate / k.nginx.rate.max(1e-9);
            out.push(Target {
                name: READS.into(),
                measured: format!("{:.0} vs {:.0}/s = x{ratio:.2}", k.obdir.rate, k.nginx.rate),
                met: Some(ratio >= 0.8),
            });
        }
        Err(_) => out.push(unmeasured(READS)),
    }
    const PARTICIPANTS: &str = "Participants: obdir's document reads/s >= 0.8x nginx's";
    match participants {
        Ok(p) => {
            let ratio = p.obdir.rate / p.nginx.rate.max(1e-9);
            out.push(Target {
                name: PARTICIPANTS.into(),
                measured: format!("{:.0} vs {:.0}/s = x{ratio:.2}", p.obdir.rate, p.nginx.rate),
                met: Some(ratio >= 0.8),
            });
        }
        Err(_) => out.push(unmeasured(PARTICIPANTS)),
    }
    const START: &str = "Scale: start-up to healthy < 200 ms (median)";
    const RSS_START: &str = "Scale: RSS < 256 MiB after start";
    const RSS_READS: &str = "Scale: RSS < 256 MiB after reading every statement";
    const PAGE: &str = "Scale: certificate page no slower than with 100 (ratio <= 1.5)";
    const JWKS: &str = "Scale: statement JWKS no slower than with 100 (ratio <= 1.5)";
    match scale {
        Ok(s) => {
            let median = s.startup_median().as_secs_f64() * 1000.0;
            out.push(Target {
                name: START.into(),
                measured: format!("{median:.0} ms with {} certificates", s.certificates),
                met: Some(median < 200.0),
            });
            out.push(Target {
                name: RSS_START.into(),
                measured: format!("{:.0} MiB", s.rss_start_mib),
                met: Some(s.rss_start_mib < 256.0),
            });
            out.push(Target {
                name: RSS_READS.into(),
                measured: format!("{:.0} MiB", s.rss_after_reads_mib),
                met: Some(s.rss_after_reads_mib < 256.0),
            });
            for (name, big, small, ratio) in [
                (PAGE, &s.page_big, &s.page_small, s.page_ratio),
                (JWKS, &s.jwks_big, &s.jwks_small, s.jwks_ratio),
            ] {
                out.push(Target {
                    name: name.into(),
                    measured: format!(
                        "{:.2} vs {:.2} ms, paired ratio x{ratio:.2}",
                        big.percentile(50.0),
                        small.percentile(50.0)
                    ),
                    met: Some(ratio <= 1.5),
                });
            }
        }
        Err(_) => out.extend([START, RSS_START, RSS_READS, PAGE, JWKS].map(unmeasured)),
    }
    out
}

pub struct Report<'a> {
    pub machine: &'a Machine,
    pub options: &'a Options,
    pub issuance: &'a Result<Issuance>,
    pub keystore: &'a Result<Keystore>,
    pub participants: &'a Result<Participants>,
    pub scale: &'a Result<Scale>,
    pub ra: &'a Result<RaOrders>,
    pub tenants: &'a Result<Tenants>,
    pub targets: &'a [Target],
    pub took: Duration,
    pub load_start: &'a str,
    pub load_end: &'a str,
}

impl Report<'_> {
    pub fn render(&self) -> String {
        let mut md = String::new();
        let m = self.machine;
        let secs = self.took.as_secs();
        let _ = writeln!(md, "# Benchmarks\n");
        let _ = writeln!(
            md,
            "Written by `make bench` (`examples/bench.rs`); do not edit by hand. Each figure is \
             measured side by side with its reference in the same run on the same machine, and \
             the targets are ratios to that reference (or bounds), because absolute numbers on a \
             shared machine drift. What the figures led to, and why the targets still missed are \
             missed: [performance.md](performance.md).\n"
        );
        let _ = writeln!(
            md,
            "Run of {}: {} s per measurement{}, {} min {} s in all.\n",
            m.date,
            self.options.seconds,
            if self.options.quick {
                " (`--quick` smoke run: figures are indicative only)"
            } else {
                ""
            },
            secs / 60,
            secs % 60
        );

        let met: Vec<&str> = self.named(Some(true));
        let missed: Vec<&str> = self.named(Some(false));
        let unmeasured: Vec<&str> = self.named(None);
        let _ = writeln!(md, "## Summary\n");
        let _ = writeln!(md, "{} of {} targets met.", met.len(), self.targets.len());
        for (label, names) in [
            ("Met", &met),
            ("Not met", &missed),
            ("Could not be measured", &unmeasured),
        ] {
            if !names.is_empty() {
                let _ = writeln!(md, "{label}: {}.", names.join("; "));
            }
        }
        let _ = writeln!(md, "\n| target | measured | verdict |\n|---|---|---|");
        for t in self.targets {
            let _ = writeln!(md, "| {} | {} | {} |", t.name, t.measured, verdict(t.met));
        }
        let _ = writeln!(
            md,
            "\nThe RA orders and the tenant keystore imports have no target: their figures \
             are measured, not judged."
        );

        let _ = writeln!(md, "\n## Machine\n\n| | |\n|---|---|");
        let _ = writeln!(md, "| cores (nproc) | {} |", cores());
        let _ = writeln!(md, "| CPU | {} |", m.cpu);
        let _ = writeln!(md, "| memory | {:.1} GiB |", m.memory_gib);
        let _ = writeln!(md, "| kernel | {} |", m.kernel);
        let _ = writeln!(
            md,
            "| load average (1 / 5 min) at start, at end | {}; {} |",
            self.load_start, self.load_end
        );
        for (name, version) in &m.versions {
            let _ = writeln!(md, "| {name} | {version} |");
        }
        let _ = writeln!(
            md,
            "\nThe load, obdir, its peers and the load tools all share these cores; \
             other work on the machine shows in the load average."
        );

        self.issuance_section(&mut md);
        self.keystore_section(&mut md);
        self.participants_section(&mut md);
        self.scale_section(&mut md);
        self.ra_section(&mut md);
        self.tenants_section(&mut md);
        self.reproduce_section(&mut md);
        md
    }

    fn named(&self, met: Option<bool>) -> Vec<&str> {
        self.targets
            .iter()
            .filter(|t| t.met == met)
            .map(|t| t.name.as_str())
            .collect()
    }

    fn issuance_section(&self, md: &mut String) {
        let _ = writeln!(md, "\n## Issuance\n");
        let i = match self.issuance {
            Ok(i) => i,
            Err(e) => {
                let _ = writeln!(md, "Could not be measured: {e}");
                return;
            }
        };
        let _ = writeln!(
            md,
            "rtssigning CSRs (P-256 keys, made before the clock starts) uploaded to \
             `POST /organisations/{{org}}/softwarestatements/{{ss}}/certificates/rtssigning` \
             with the admin token: authentication, CSR checks, signing by the issuing CA \
             ({key}), the durable write (committed with its fsync before the 201) and the keystore update. \
             Closed loop: N clients, each sending its next CSR when the last is answered, \
             {s} s per level, obdir then cfssl at each level; the CSRs are spread over \
             fresh statements of at most 100 certificates each. obdir runs its release build with the compiled-in defaults \
             (log level warn) on a fresh data dir.\n\n\
             Raw signing is `{raw}`, run before the uploads and again after them: the CA's \
             signature alone, on every core. \
             cfssl is `cfssl serve` (Debian's golang-cfssl) with its own {key} CA made by \
             `openssl req`, signing the same CSRs through `/api/v1/cfssl/sign` for 13 months \
             with the same key usages; it writes nothing to disk.\n",
            key = i.ca_key.describe(),
            s = i.seconds,
            raw = i.raw_command
        );
        let _ = writeln!(
            md,
            "| clients | obdir uploads/s | obdir p50 / p99 ms | obdir / raw signing | server CPU ms per certificate (x raw signature) | commits per certificate | load tool's CPU share | cfssl signs/s | cfssl p50 / p99 ms | obdir / cfssl (target >= 2) |\n|---|---|---|---|---|---|---|---|---|---|"
        );
        let cell = |run: &Result<Run>| match run {
            Ok(r) => [
                format!("{:.0}", r.rate()),
                format!(
                    "{:.1} / {:.1}",
                    r.latency.percentile(50.0),
                    r.latency.percentile(99.0)
                ),
            ],
            Err(_) => ["not measured".into(), "-".into()],
        };
        for (((((clients, o), c), cpu), commits), tool) in LEVELS
            .iter()
            .zip(&i.obdir)
            .zip(&i.cfssl)
            .zip(&i.cpu_per_certificate)
            .zip(&i.commits_per_certificate)
            .zip(&i.load_tool_share)
        {
            let commits = commits.map_or("-".into(), |c| format!("{c:.2}"));
            let tool = tool.map_or("-".into(), |t| format!("{:.0} %", t * 100.0));
            let cpu = cpu.map_or("-".into(), |cpu| {
                format!("{:.3} (x{:.2})", cpu * 1000.0, cpu / i.raw_signature_cpu())
            });
            let [o_rate, o_lat] = cell(o);
            let [c_rate, c_lat] = cell(c);
            let share = o.as_ref().map_or("-".into(), |o| {
                format!("{:.0} %", o.rate() / i.raw_rate * 100.0)
            });
            let peer = match (o, c) {
                (Ok(o), Ok(c)) => {
                    let peer = o.rate() / c.rate().max(1e-9);
                    format!("x{peer:.2} {}", verdict(Some(peer >= 2.0)))
                }
                _ => verdict(None).into(),
            };
            let _ = writeln!(
                md,
                "| {clients} | {o_rate} | {o_lat} | {share} | {cpu} | {commits} | {tool} | {c_rate} | {c_lat} | {peer} |"
            );
        }
        let failures: Vec<String> = LEVELS
            .iter()
            .zip(&i.obdir)
            .map(|(c, r)| (format!("obdir, {c} clients"), r))
            .chain(
                LEVELS
                    .iter()
                    .zip(&i.cfssl)
                    .map(|(c, r)| (format!("cfssl, {c} clients"), r)),
            )
            .chain([("obdir, open loop".to_owned(), &i.open)])
            .filter_map(|(what, r)| r.as_ref().err().map(|e| format!("- {what}: {e}")))
            .collect();
        if !failures.is_empty() {
            let _ = writeln!(
                md,
                "\nNot measured (every request of a figure must be answered, and a stuck \
                 obdir is replaced by a fresh one for the next level):\n\n{}",
                failures.join("\n")
            );
        }
        let best = i.best_obdir();
        let _ = writeln!(
            md,
            "\nRaw signing: {:.0} signatures/s before the uploads, {:.0} after, {:.0} on average. \
             obdir's best: {best:.0} uploads/s = {:.0} % of raw signing (target: >= 60 % at 16 clients). \
             A raw signature costs {:.3} ms of one core ({cores} cores / the mean rate); the \
             server's CPU per certificate is its user and system time from `/proc` over a \
             level, divided by the certificates it issued (target <= 1.5x a raw signature \
             at 16 clients). The load tool runs on the same cores; its CPU share is its own user \
             and system time over the level, divided by the level's time on every core.\n",
            i.raw_before,
            i.raw_after,
            i.raw_rate,
            best / i.raw_rate * 100.0,
            i.raw_signature_cpu() * 1000.0,
            cores = cores(),
        );
        match &i.open {
            Ok(o) => {
                let _ = writeln!(
                    md,
                    "Latency at half the best rate (open loop: one upload started every {:.2} ms \
                     for {} s whatever the answers do, latency counted from the planned start):\n\n\
                     | rate asked | rate answered | uploads | p50 ms | p99 ms (target < 10) | max ms | verdict |\n\
                     |---|---|---|---|---|---|---|\n\
                     | {:.0}/s | {:.0}/s | {} | {:.2} | {:.2} | {:.2} | {} |\n",
                    1000.0 / i.open_rate,
                    i.seconds,
                    i.open_rate,
                    o.rate(),
                    o.signed,
                    o.latency.percentile(50.0),
                    o.latency.percentile(99.0),
                    o.latency.max(),
                    verdict(Some(o.latency.percentile(99.0) < 10.0))
                );
            }
            Err(e) => {
                let _ = writeln!(
                    md,
                    "Latency at half the best rate ({:.0}/s, open loop): not measured: {e}\n",
                    i.open_rate
                );
            }
        }
        let labels: Vec<String> = LEVELS
            .iter()
            .flat_map(|c| [format!("\"{c} obdir\""), format!("\"{c} cfssl\"")])
            .collect();
        let rate = |r: &Result<Run>| r.as_ref().map_or(0.0, Run::rate);
        let bars: Vec<f64> = i
            .obdir
            .iter()
            .zip(&i.cfssl)
            .flat_map(|(o, c)| [rate(o), rate(c)])
            .collect();
        let top = bars.iter().fold(i.raw_rate, |a, b| a.max(*b));
        let list = |values: &[f64]| {
            values
                .iter()
                .map(|v| format!("{v:.0}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            md,
            "Signed per second by concurrent clients, obdir and cfssl side by side (0: not \
             measured); the line is raw signing:\n\n```mermaid\nxychart-beta\n    title \"CSRs signed per second ({key} CA, {cores} cores)\"\n    x-axis \"clients, signer\" [{}]\n    y-axis \"per second\" 0 --> {:.0}\n    bar [{}]\n    line [{}]\n```",
            labels.join(", "),
            (top * 1.1).ceil(),
            list(&bars),
            list(&vec![i.raw_rate; labels.len()]),
            key = i.ca_key.describe(),
            cores = cores()
        );
        let growth = |runs: &[Result<Run>]| match (runs.first(), runs.last()) {
            (Some(Ok(first)), Some(Ok(last))) => Some(last.rate() / first.rate().max(1e-9)),
            _ => None,
        };
        if let (Some(o), Some(c)) = (growth(&i.obdir), growth(&i.cfssl)) {
            let _ = writeln!(
                md,
                "\nFrom 1 to {} clients obdir's rate changes x{o:.2} and cfssl's x{c:.2}, on {} \
                 cores.",
                LEVELS[LEVELS.len() - 1],
                cores()
            );
        }
        if let Some(Ok(c1)) = i.obdir.first() {
            let _ = writeln!(
                md,
                "\nOne client at a time gets {:.0} uploads/s, {:.2} ms each at the median, against \
                 {:.2} ms for one raw signature on one core: the rest of a lone upload is HTTP, \
                 checks and the durable write.",
                c1.rate(),
                c1.latency.percentile(50.0),
                1000.0 * cores() as f64 / i.raw_rate
            );
        }
    }

    fn keystore_section(&self, md: &mut String) {
        let _ = writeln!(md, "\n## Keystore reads\n");
        let k = match self.keystore {
            Ok(k) => k,
            Err(e) => {
                let _ = writeln!(md, "Could not be measured: {e}");
                return;
            }
        };
        let _ = write!(
            md,
            "`GET /keystore/{{org}}/{{ss}}/application.jwks` of a statement holding {} \
             rtssigning certificates ({} bytes), ",
            k.keys, k.bytes,
        );
        reads_against_nginx(md, &k.obdir, &k.nginx, &k.wrk_command);
    }

    fn participants_section(&self, md: &mut String) {
        let _ = writeln!(md, "\n## Participants document reads\n");
        let p = match self.participants {
            Ok(p) => p,
            Err(e) => {
                let _ = writeln!(md, "Could not be measured: {e}");
                return;
            }
        };
        let _ = write!(
            md,
            "`GET /participants` of a directory of {ORGANISATIONS} organisations, each with \
             {SERVERS} authorisation servers of {RESOURCES} API resources (one discovery \
             endpoint each): {} bytes, ",
            p.bytes,
        );
        reads_against_nginx(md, &p.obdir, &p.nginx, &p.wrk_command);
    }

    fn scale_section(&self, md: &mut String) {
        let _ = writeln!(md, "\n## Scale\n");
        let s = match self.scale {
            Ok(s) => s,
            Err(e) => {
                let _ = writeln!(md, "Could not be measured: {e}");
                return;
            }
        };
        let starts: Vec<String> = s
            .startups
            .iter()
            .map(|d| format!("{:.0}", d.as_secs_f64() * 1000.0))
            .collect();
        let median = s.startup_median().as_secs_f64() * 1000.0;
        let _ = writeln!(
            md,
            "The data dir `make bench-load` fills ({}): {} rtssigning certificates in {} \
             statements of {} organisations (100 per statement, 10 statements per \
             organisation), uploaded through the HTTP API. The big store is compared with a \
             fresh data dir holding one statement of the same ids and its 100 certificates; \
             both servers run at once and the timed reads alternate between them in rounds \
             ({} rounds, after 10 to warm up). A ratio is the median of the rounds' \
             big/small ratios, so a burst of other work on the machine weighs on both sides \
             of a round alike.\n",
            self.options.load_dir.display(),
            s.certificates,
            s.statements,
            s.organisations,
            s.samples
        );
        let _ = writeln!(
            md,
            "| figure | measured | target | verdict |\n|---|---|---|---|\n\
             | first start after `make bench-load` (may recover or convert the store; not judged) | {:.0} ms | - | - |\n\
             | start-up to healthy (spawn to the first 200 from `/health`), ms, each later start | {} (median {median:.0}) | < 200 | {} |\n\
             | RSS after start (largest) | {:.0} MiB | < 256 MiB | {} |\n\
             | RSS after {} reads (every statement's first page and JWKS) | {:.0} MiB | < 256 MiB | {} |\n\
             | first read of each statement's certificate page, p50 / p99 | {:.2} / {:.2} ms | - | - |\n\
             | first read of each statement's JWKS, p50 / p99 | {:.2} / {:.2} ms | - | - |",
            s.first_start.as_secs_f64() * 1000.0,
            starts.join(", "),
            verdict(Some(median < 200.0)),
            s.rss_start_mib,
            verdict(Some(s.rss_start_mib < 256.0)),
            s.reads,
            s.rss_after_reads_mib,
            verdict(Some(s.rss_after_reads_mib < 256.0)),
            s.first_pages.percentile(50.0),
            s.first_pages.percentile(99.0),
            s.first_jwks.percentile(50.0),
            s.first_jwks.percentile(99.0),
        );
        let _ = writeln!(
            md,
            "\n| request | {} certificates: p50 / p90 ms | 100 certificates: p50 / p90 ms | median of the rounds' ratios (target <= 1.5) | verdict |\n|---|---|---|---|---|",
            s.certificates
        );
        for (what, big, small, ratio) in [
            (
                format!("`GET .../certificates/rtssigning?page=0&size={PAGE_SIZE}` (admin)"),
                &s.page_big,
                &s.page_small,
                s.page_ratio,
            ),
            (
                format!(
                    "`GET /keystore/{{org}}/{{ss}}/application.jwks` ({} bytes)",
                    s.jwks_bytes
                ),
                &s.jwks_big,
                &s.jwks_small,
                s.jwks_ratio,
            ),
        ] {
            let _ = writeln!(
                md,
                "| {what} | {:.2} / {:.2} | {:.2} / {:.2} | x{ratio:.2} | {} |",
                big.percentile(50.0),
                big.percentile(90.0),
                small.percentile(50.0),
                small.percentile(90.0),
                verdict(Some(ratio <= 1.5))
            );
        }
    }

    fn ra_section(&self, md: &mut String) {
        let _ = writeln!(md, "\n## RA orders\n");
        let r = match self.ra {
            Ok(r) => r,
            Err(e) => {
                let _ = writeln!(md, "Could not be measured: {e}");
                return;
            }
        };
        let _ = writeln!(
            md,
            "The RA face's hot path: a TLS server CSR (P-256 key, one dNSName under a domain \
             pre-validated through the emulated DNS, made before the clock starts) ordered with \
             `POST /v2/issue/csr/{{productReference}}`, then `POST /v2/order/{{ord}}/status` \
             polled (2 ms apart) until it answers `issued`: the session JWT checked on every \
             call, the order written durably before its answer, then moved on, signed and \
             written durably again. A figure is orders seen issued per second, its latency from \
             submission to the poll that saw it issued. Closed loop: N clients, each ordering \
             again once its last order is issued, {s} s per level. The reference is directory \
             uploads on the same server at the same level right after (one request: the same \
             signature and one durable write). obdir runs its release build with the \
             compiled-in defaults (`ra.order_tick_ms` 200, `ra.order_state_delay_ms` 0), the \
             RA operator and client added through the admin API, on a fresh data dir. No target \
             is set for these figures.\n",
            s = r.seconds
        );
        let _ = writeln!(
            md,
            "| clients | RA orders/s | RA p50 / p99 ms | polls per order | directory uploads/s | uploads p50 / p99 ms | RA / directory |\n|---|---|---|---|---|---|---|"
        );
        for ((clients, o), u) in ra::LEVELS.iter().zip(&r.orders).zip(&r.uploads) {
            let (o_rate, o_lat, polls) = match o {
                Ok(o) => (
                    format!("{:.0}", o.run.rate()),
                    format!(
                        "{:.1} / {:.1}",
                        o.run.latency.percentile(50.0),
                        o.run.latency.percentile(99.0)
                    ),
                    format!("{:.2}", o.polls_per_order()),
                ),
                Err(_) => ("not measured".into(), "-".into(), "-".into()),
            };
            let (u_rate, u_lat) = match u {
                Ok(u) => (
                    format!("{:.0}", u.rate()),
                    format!(
                        "{:.1} / {:.1}",
                        u.latency.percentile(50.0),
                        u.latency.percentile(99.0)
                    ),
                ),
                Err(_) => ("not measured".into(), "-".into()),
            };
            let share = match (o, u) {
                (Ok(o), Ok(u)) => format!("x{:.2}", o.run.rate() / u.rate().max(1e-9)),
                _ => "-".into(),
            };
            let _ = writeln!(
                md,
                "| {clients} | {o_rate} | {o_lat} | {polls} | {u_rate} | {u_lat} | {share} |"
            );
        }
        let failures: Vec<String> = ra::LEVELS
            .iter()
            .zip(&r.orders)
            .filter_map(|(c, o)| {
                o.as_ref()
                    .err()
                    .map(|e| format!("- RA orders, {c} clients: {e}"))
            })
            .chain(ra::LEVELS.iter().zip(&r.uploads).filter_map(|(c, u)| {
                u.as_ref()
                    .err()
                    .map(|e| format!("- directory uploads, {c} clients: {e}"))
            }))
            .collect();
        if !failures.is_empty() {
            let _ = writeln!(
                md,
                "\nNot measured (every order of a figure must be issued):\n\n{}",
                failures.join("\n")
            );
        }
    }

    fn tenants_section(&self, md: &mut String) {
        let _ = writeln!(md, "\n## Tenant keystore imports\n");
        let t = match self.tenants {
            Ok(t) => t,
            Err(e) => {
                let _ = writeln!(md, "Could not be measured: {e}");
                return;
            }
        };
        let _ = writeln!(
            md,
            "The tenants face's hot path: `fixtures/keystores/aes256.p12` (PKCS#12 as OpenSSL 3 \
             writes it by default: PBES2 with AES-256-CBC, HMAC-SHA256 MAC; an RSA 2048 key, its \
             certificate and CA) posted as multipart/form-data to \
             `POST /api/tenants/{{FedmemberID}}/theme/{{theme}}/pki` with its alias and password, \
             the session cookie and the CSRF header. That is the session checked, the form read, \
             the file's MAC checked and its key and certificates decrypted, the chain verified \
             against the trust store (its CA put there once, with forceTrust, before the clock \
             starts), the private key sealed, and the theme's record written durably before \
             the 200. Each client imports into a theme of its own, replacing what it holds; then \
             the same clients read their theme's PKI back with `GET` (the session checked, one \
             record read). Closed loop: N clients, each sending its next request when the last \
             is answered, {s} s per figure. The reference is the keystore read alone: obdir's \
             keystore reader on the same file in the benchmark's own process, one thread per \
             core, for {r} s: {rate:.0} reads/s. obdir runs its release build with the \
             compiled-in defaults, the tenant user added through the admin API, on a fresh data \
             dir. No target is set for these figures: they are measured, not judged.\n",
            s = t.seconds,
            r = t.read_seconds,
            rate = t.read_rate
        );
        let _ = writeln!(
            md,
            "| clients | imports/s | import p50 / p99 ms | imports / keystore read alone | PKI reads/s | read p50 / p99 ms |\n|---|---|---|---|---|---|"
        );
        // Reads answer in well under a millisecond: they get two decimals.
        let cells = |run: &Result<Run>, decimals: usize| match run {
            Ok(r) => [
                format!("{:.0}", r.rate()),
                format!(
                    "{:.decimals$} / {:.decimals$}",
                    r.latency.percentile(50.0),
                    r.latency.percentile(99.0)
                ),
            ],
            Err(_) => ["not measured".into(), "-".into()],
        };
        for ((clients, import), read) in tenants::LEVELS.iter().zip(&t.imports).zip(&t.reads) {
            let [i_rate, i_lat] = cells(import, 1);
            let [r_rate, r_lat] = cells(read, 2);
            let share = import.as_ref().map_or("-".into(), |i| {
                format!("{:.0} %", i.rate() / t.read_rate.max(1e-9) * 100.0)
            });
            let _ = writeln!(
                md,
                "| {clients} | {i_rate} | {i_lat} | {share} | {r_rate} | {r_lat} |"
            );
        }
        let failures: Vec<String> = tenants::LEVELS
            .iter()
            .zip(&t.imports)
            .map(|(c, r)| (format!("imports, {c} clients"), r))
            .chain(
                tenants::LEVELS
                    .iter()
                    .zip(&t.reads)
                    .map(|(c, r)| (format!("PKI reads, {c} clients"), r)),
            )
            .filter_map(|(what, r)| r.as_ref().err().map(|e| format!("- {what}: {e}")))
            .collect();
        if !failures.is_empty() {
            let _ = writeln!(
                md,
                "\nNot measured (every request of a figure must be answered 200):\n\n{}",
                failures.join("\n")
            );
        }
    }

    fn reproduce_section(&self, md: &mut String) {
        let _ = writeln!(
            md,
            "\n## Reproduce\n\n```sh\n\
             make bench-deps   # nginx, golang-cfssl and wrk from Debian's packages\n\
             make bench-load   # 100,000 certificates into target/bench-load, once (kept and reused)\n\
             make bench        # every figure above; rewrites docs/benchmarks.md\n\
             ```\n\n\
             `make bench` runs `make bench-load` first, which only counts the certificates \
             once the data dir is full; filling it takes several minutes. \
             `cargo run --release --example bench -- --quick --out /tmp/bench.md` is a short \
             smoke run (2 s per measurement). `--seconds N` sets the time per measurement, \
             `--load-dir` and `--load-certificates` the data dir of the scale figures, \
             `--only issuance|keystore|participants|scale|ra|tenants` runs one section. The \
             run exits 0 when every figure was measured, met or not, and non-zero when one \
             could not be."
        );
    }
}

/// The end of a read section: obdir against nginx on the same bytes, the
/// table and the verdict.
fn reads_against_nginx(md: &mut String, obdir: &Wrk, nginx: &Wrk, wrk_command: &str) {
    let ratio = obdir.rate / nginx.rate.max(1e-9);
    let _ = writeln!(
        md,
        "from obdir, against nginx serving the very same bytes as a static file (its own \
         conf: {} workers, no access log, sendfile, keep-alive). Both driven by \
         `{wrk_command}`, twice each in the order obdir, nginx, nginx, obdir; reads/s is the \
         mean of the two rounds, the latencies the worse round's.\n\n\
         | server | reads/s | p50 ms | p99 ms | requests |\n|---|---|---|---|---|\n\
         | obdir | {:.0} | {:.2} | {:.2} | {} |\n| nginx | {:.0} | {:.2} | {:.2} | {} |\n\n\
         obdir / nginx: x{ratio:.2} (target >= 0.8): {}.",
        cores(),
        obdir.rate,
        obdir.p50_ms,
        obdir.p99_ms,
        obdir.requests,
        nginx.rate,
        nginx.p50_ms,
        nginx.p99_ms,
        nginx.requests,
        verdict(Some(ratio >= 0.8))
    );
}
