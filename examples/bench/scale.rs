//! Scale: obdir on the data dir `bench_load` filled (100,000 certificates by
//! default): start-up to healthy, resident memory, and the same reads timed
//! against a second obdir whose fresh data dir holds just one statement's
//! 100 certificates. Both servers run at once and the reads alternate, so
//! the machine's drift touches both alike.

use std::path::Path;
use std::time::Duration;

use crate::Options;
use crate::measure::Latencies;
use crate::shared::{
    CERTS_PER_STATEMENT, Obdir, Result, count_all, create_owners, describe, keys, load_layout,
    upload, uploads,
};

pub const PAGE_SIZE: usize = 20;

pub struct Scale {
    pub certificates: usize,
    pub statements: usize,
    pub organisations: usize,
    /// Spawn to the first 200 from /health of the first start, not timed
    /// against the target.
    pub first_start: Duration,
    /// Spawn to the first 200 from /health, one per start.
    pub startups: Vec<Duration>,
    /// The most any start used.
    pub rss_start_mib: f64,
    pub rss_after_reads_mib: f64,
    /// Requests of the read sweep over every statement.
    pub reads: usize,
    pub samples: usize,
    /// The sweep: each statement's page and JWKS read once.
    pub first_pages: Latencies,
    pub first_jwks: Latencies,
    /// Median over rounds of big/small time, page and JWKS.
    pub page_ratio: f64,
    pub jwks_ratio: f64,
    pub page_big: Latencies,
    pub page_small: Latencies,
    pub jwks_big: Latencies,
    pub jwks_small: Latencies,
    pub jwks_bytes: usize,
}

impl Scale {
    pub fn startup_median(&self) -> Duration {
        let mut sorted = self.startups.clone();
        sorted.sort();
        sorted.get(sorted.len() / 2).copied().unwrap_or_default()
    }
}

pub async fn run(client: &reqwest::Client, options: &Options, work: &Path) -> Result<Scale> {
    let dir = &options.load_dir;
    if !dir.join("admin-token").exists() {
        return Err(format!(
            "{} holds no obdir data dir: run `make bench-load` first",
            dir.display()
        ));
    }
    let layout = load_layout(options.load_certificates);
    // The first start after bench_load may recover or convert the store, a
    // one-off: it is reported but not timed against the target.
    let (first, first_start) = Obdir::start(client, dir).await?;
    println!(
        "scale: first start on {}: healthy after {:.1} ms (not timed against the target)",
        dir.display(),
        first_start.as_secs_f64() * 1000.0
    );
    first.stop();
    let starts = if options.quick { 3 } else { 5 };
    let mut startups = Vec::new();
    let mut rss_start_mib: f64 = 0.0;
    let mut running = None;
    for i in 0..starts {
        let (obdir, took) = Obdir::start(client, dir).await?;
        let rss = obdir.rss_mib();
        println!(
            "scale: start {} on {}: healthy after {:.1} ms, RSS {rss:.1} MiB",
            i + 1,
            dir.display(),
            took.as_secs_f64() * 1000.0
        );
        startups.push(took);
        rss_start_mib = rss_start_mib.max(rss);
        if i + 1 == starts {
            running = Some(obdir);
        } else {
            obdir.stop();
        }
    }
    let big = running.ok_or("no start")?;

    let held: usize = count_all(client, &big, &layout).await?.iter().sum();
    if held != options.load_certificates {
        return Err(format!(
            "{} holds {held} certificates in its {} statements, not {}: run `make bench-load`",
            dir.display(),
            layout.len(),
            options.load_certificates
        ));
    }

    // The same statement, with the same ids, alone in a fresh data dir.
    let probe = layout[layout.len() / 2].clone();
    let (small, _) = Obdir::start(client, &work.join("scale-small")).await?;
    create_owners(client, &small, std::slice::from_ref(&probe)).await?;
    let csrs = uploads(
        &small.base,
        std::slice::from_ref(&probe),
        &keys(CERTS_PER_STATEMENT),
        CERTS_PER_STATEMENT,
    );
    for csr in &csrs {
        match upload(client, &small.token, csr).await? {
            201 => {}
            status => return Err(format!("scale set-up: upload answered {status}")),
        }
    }

    let samples = if options.quick { 30 } else { 200 };
    let page = |o: &Obdir| {
        format!(
            "{}?page=0&size={PAGE_SIZE}",
            probe.certificates_url(&o.base)
        )
    };
    let jwks = |o: &Obdir| probe.jwks_url(&o.base);
    let mut timed: [Vec<Duration>; 4] = Default::default();
    let mut sizes = [0usize; 2];
    for i in 0..samples + 10 {
        let rounds = [
            (page(&big), Some(&big.token)),
            (page(&small), Some(&small.token)),
            (jwks(&big), None),
            (jwks(&small), None),
        ];
        for (slot, (url, token)) in rounds.into_iter().enumerate() {
            let (took, bytes) = timed_get(client, &url, token.map(String::as_str)).await?;
            if slot >= 2 {
                sizes[slot - 2] = bytes;
            }
            // The first ten rounds warm both up.
            if i >= 10 {
                timed[slot].push(took);
            }
        }
    }
    if sizes[0] != sizes[1] {
        println!(
            "scale: note: the two JWKS differ in size ({} and {} bytes)",
            sizes[0], sizes[1]
        );
    }
    // Each round's big/small ratio, and their median: a burst of other
    // work on the machine lands on both halves of a round alike.
    let paired = |big: &[Duration], small: &[Duration]| {
        let ratios: Vec<f64> = big
            .iter()
            .zip(small)
            .map(|(b, s)| b.as_secs_f64() / s.as_secs_f64().max(1e-9))
            .collect();
        Latencies::new(ratios).percentile(50.0)
    };
    let page_ratio = paired(&timed[0], &timed[1]);
    let jwks_ratio = paired(&timed[2], &timed[3]);
    let [page_big, page_small, jwks_big, jwks_small] = timed.map(|t| Latencies::from_durations(&t));
    let jwks_bytes = sizes[0];
    for (what, big_l, small_l, ratio) in [
        ("certificate page", &page_big, &page_small, page_ratio),
        ("statement JWKS", &jwks_big, &jwks_small, jwks_ratio),
    ] {
        println!(
            "scale: {what}: median {:.2} ms with {} certificates, {:.2} ms with {CERTS_PER_STATEMENT} (paired ratio x{ratio:.2})",
            big_l.percentile(50.0),
            options.load_certificates,
            small_l.percentile(50.0),
        );
    }
    small.stop();

    // Every statement's first page and JWKS once, one at a time: most of
    // these documents have not been read since the start, so this also
    // times a first read across the whole store.
    let mut first_pages = Vec::with_capacity(layout.len());
    let mut first_jwks = Vec::with_capacity(layout.len());
    for o in &layout {
        let page = format!("{}?page=0&size={PAGE_SIZE}", o.certificates_url(&big.base));
        first_pages.push(timed_get(client, &page, Some(&big.token)).await?.0);
        first_jwks.push(timed_get(client, &o.jwks_url(&big.base), None).await?.0);
    }
    let reads = 2 * layout.len();
    let (first_pages, first_jwks) = (
        Latencies::from_durations(&first_pages),
        Latencies::from_durations(&first_jwks),
    );
    println!(
        "scale: first reads of every statement: page p50 {:.2} ms, p99 {:.2} ms; JWKS p50 {:.2} ms, p99 {:.2} ms",
        first_pages.percentile(50.0),
        first_pages.percentile(99.0),
        first_jwks.percentile(50.0),
        first_jwks.percentile(99.0)
    );
    let rss_after_reads_mib = big.rss_mib();
    println!(
        "scale: RSS {rss_start_mib:.1} MiB after start (largest of {starts}), {rss_after_reads_mib:.1} MiB after {reads} reads over every statement"
    );
    big.stop();

    Ok(Scale {
        certificates: held,
        statements: layout.len(),
        organisations: layout.len().div_ceil(crate::shared::STATEMENTS_PER_ORG),
        first_start,
        startups,
        rss_start_mib,
        rss_after_reads_mib,
        reads,
        samples,
        first_pages,
        first_jwks,
        page_ratio,
        jwks_ratio,
        page_big,
        page_small,
        jwks_big,
        jwks_small,
        jwks_bytes,
    })
}

/// One GET read to the end: how long it took and how many bytes came.
async fn timed_get(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
) -> Result<(Duration, usize)> {
    let started = std::time::Instant::now();
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .map_err(|e| format!("GET {url}: {}", describe(&e)))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("GET {url}: {}", describe(&e)))?;
    if !status.is_success() {
        return Err(format!("GET {url}: {status}"));
    }
    Ok((started.elapsed(), body.len()))
}
