//! `make soak`: mixed traffic across every face for a while (default 600 s)
//! from eight clients. A fifth of it is on the RA face (each client orders
//! certificates for its own pre-validated domain, polls, fetches chains,
//! searches and revokes) and a fifth on the tenants face (each client's
//! user logs in, imports keystores into its tenant's themes, reads and
//! removes them). Passes with no 5xx, every answer the one expected, and
//! resident memory grown by less than 10 % between the end of the first
//! minute and the end. Prints one verdict line; exits 1 on failure.
//!
//! Usage: soak [SECONDS] [--without-crl] [--without-ra] [--without-tenants].
//! Runs target/release/obdir.

#[path = "common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{
    KEYSTORE_PASS, KEYSTORES, Keystore, MORE_KEYSTORES, RA_CLIENT, RA_PRODUCT, TENANT_PASSWORD,
    TenantSession, ca_certificates, crl_url, csr_for, der, ec_key, host_csr, ra_login, ra_post,
    ra_prevalidate, rand_below, rsa_key, start, tenants_add_user, tenants_login, wait_healthy,
};
use obdir::domain::{Clock, SystemClock};
use openssl::hash::MessageDigest;
use openssl::ocsp::{OcspCertId, OcspRequest};
use openssl::pkey::{PKey, Private};
use openssl::x509::X509;
use reqwest::Method;
use serde_json::{Value, json};

const CLIENTS: usize = 8;

/// Answers counted by status code.
type Tally = Arc<Mutex<BTreeMap<u16, u64>>>;

fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Certificates a statement gets before its client moves on to a new one:
/// real statements hold a handful of keys, so the keystore documents stay
/// the size a directory serves while the store grows.
const CERTIFICATES_PER_STATEMENT: usize = 10;

/// Orders a client keeps track of; older ones are forgotten, as a real
/// client forgets orders it is done with.
const ORDERS_KEPT: usize = 20;

/// Themes each client's tenant imports into: a handful, so imports
/// replace what a theme holds as a platform's tenant does, and the store
/// keeps its size.
const THEMES: usize = 4;

/// Which faces a run leaves out (`--without-*`), to tell the memory one
/// takes from the rest.
#[derive(Clone, Copy)]
struct Mix {
    crl: bool,
    ra: bool,
    tenants: bool,
}

impl Mix {
    fn from_args() -> Self {
        let without = |face: &str| std::env::args().any(|a| a == format!("--without-{face}"));
        Mix {
            crl: !without("crl"),
            ra: !without("ra"),
            tenants: !without("tenants"),
        }
    }
}

/// What the RA and tenants traffic of a run came to, for the verdict line.
#[derive(Default)]
struct Counts {
    ordered: u64,
    issued: u64,
    revoked: u64,
    logins: u64,
    imports: u64,
    removed: u64,
    /// Bad requests (of any face) answered with anything but a 4xx.
    bad_not_refused: u64,
    /// Good tenants requests answered otherwise than the client's own
    /// record of its themes says they must be.
    unexpected: u64,
}

/// An RA order seen issued, with what revoking its certificate takes.
struct IssuedOrder {
    reference: String,
    serial: String,
    issuer: String,
}

/// One client's RA side: its session, its own domain, and its orders.
struct RaSide {
    session: String,
    domain: String,
    /// Reused for every other order: RSA keys are slow to make, and a key
    /// may back any number of orders.
    rsa: PKey<Private>,
    hosts: usize,
    /// Orders not yet seen issued, newest last.
    open: Vec<String>,
    issued: Vec<IssuedOrder>,
    /// Names of recent orders, for searches.
    names: Vec<String>,
}

/// One client's tenants side: its own tenant and user, the session it
/// reuses, and which of its themes hold PKI.
struct TenantsSide {
    email: String,
    session: TenantSession,
    held: [bool; THEMES],
}

/// One client's own organisation, its current software statement and the
/// certificates it holds there, its RA side and its tenants side.
struct Tpp {
    org: String,
    ss: String,
    statements: usize,
    uploads: usize,
    active: Vec<(String, X509)>,
    ra: RaSide,
    tenants: TenantsSide,
}

impl Tpp {
    async fn create(client: &reqwest::Client, base: &str, token: &str, n: usize) -> Self {
        let created: Value = client
            .post(format!("{base}/organisations"))
            .bearer_auth(token)
            .json(&json!({"OrganisationName": format!("Soak client {n}"), "Country": "BR"}))
            .send()
            .await
            .expect("organisation created")
            .json()
            .await
            .expect("organisation json");
        let org = created["OrganisationId"].as_str().expect("id").to_owned();
        // Its own domain, pre-validated once as a client does before ordering.
        let session = ra_login(client, base).await.expect("RA session");
        let domain = format!("client{n}.soak.example");
        ra_prevalidate(client, base, token, &session, &domain)
            .await
            .expect("domain pre-validated");
        let rsa = tokio::task::spawn_blocking(rsa_key).await.expect("RSA key");
        // Its own tenant, with one user added through the admin API.
        let email = format!("user@soak-tenant-{n}.example");
        let added = tenants_add_user(client, base, token, &format!("soak-tenant-{n}"), &email)
            .await
            .expect("tenant user added");
        assert_eq!(added, 201, "adding tenant user {email}");
        let tenants_session = tenants_login(client, base, &email, TENANT_PASSWORD)
            .await
            .expect("tenant session");
        let mut tpp = Tpp {
            org,
            ss: String::new(),
            statements: 0,
            uploads: 0,
            active: Vec::new(),
            ra: RaSide {
                session,
                domain,
                rsa,
                hosts: 0,
                open: Vec::new(),
                issued: Vec::new(),
                names: Vec::new(),
            },
            tenants: TenantsSide {
                email,
                session: tenants_session,
                held: [false; THEMES],
            },
        };
        tpp.next_statement(client, base, token).await;
        tpp
    }

    async fn next_statement(
        &mut self,
        client: &reqwest::Client,
        base: &str,
        token: &str,
    ) -> Option<u16> {
        self.statements += 1;
        let ss = format!("{}-ss{}", &self.org[..8], self.statements);
        let response = client
            .post(format!(
                "{base}/organisations/{}/softwarestatements",
                self.org
            ))
            .bearer_auth(token)
            .json(&json!({"SoftwareStatementId": ss, "ClientName": "Soak app", "Mode": "Test"}))
            .send()
            .await
            .ok()?;
        self.ss = ss;
        self.uploads = 0;
        self.active.clear();
        Some(response.status().as_u16())
    }

    fn certificates(&self, base: &str) -> String {
        format!(
            "{base}/organisations/{}/softwarestatements/{}/certificates",
            self.org, self.ss
        )
    }

    fn any_certificate(&self) -> Option<&(String, X509)> {
        self.active.get(rand_below(self.active.len().max(1)))
    }
}

/// Keeps the newest `ORDERS_KEPT` of a list.
fn keep_recent<T>(list: &mut Vec<T>) {
    if list.len() > ORDERS_KEPT {
        list.drain(..list.len() - ORDERS_KEPT);
    }
}

/// One RA request: mostly orders and polls, as a client's certificate
/// automation sends them, then chains, searches, revocations and one bad
/// request in eight.
async fn ra_request(
    client: &reqwest::Client,
    base: &str,
    ra: &mut RaSide,
    counts: &Mutex<Counts>,
) -> Option<u16> {
    let mut action = rand_below(8);
    if (matches!(action, 2 | 3) && ra.open.is_empty() && ra.issued.is_empty())
        || (matches!(action, 4 | 6) && ra.issued.is_empty())
    {
        action = 0;
    }
    let session = ra.session.clone();
    let sent = match action {
        0 | 1 => {
            ra.hosts += 1;
            let host = format!("host{}.{}", ra.hosts, ra.domain);
            let mut names = vec![host.clone()];
            if ra.hosts.is_multiple_of(3) {
                names.push(format!("www.{host}"));
            }
            let key = if ra.hosts.is_multiple_of(2) {
                ra.rsa.clone()
            } else {
                ec_key()
            };
            let response = ra_post(client, base, &session, &format!("/issue/csr/{RA_PRODUCT}"))
                .header("Content-Type", "text/plain")
                .body(host_csr(&key, &names))
                .send()
                .await
                .ok()?;
            let status = response.status().as_u16();
            if status == 200 {
                let order: Value = response.json().await.ok()?;
                ra.open.push(order["orderReference"].as_str()?.to_owned());
                keep_recent(&mut ra.open);
                ra.names.push(host);
                keep_recent(&mut ra.names);
                counts.lock().expect("lock").ordered += 1;
            }
            return Some(status);
        }
        // A poll: an order not yet issued is read whole (its status, and
        // once issued the serial and issuer to revoke it by); an issued one
        // by its status alone.
        2 | 3 => {
            if let Some(reference) = ra.open.get(rand_below(ra.open.len().max(1))).cloned() {
                let response = ra_post(client, base, &session, &format!("/order/{reference}"))
                    .send()
                    .await
                    .ok()?;
                let status = response.status().as_u16();
                if status == 200 {
                    let order: Value = response.json().await.ok()?;
                    match order["status"].as_str()? {
                        "issued" => {
                            ra.open.retain(|o| *o != reference);
                            ra.issued.push(IssuedOrder {
                                reference,
                                serial: order["certificate"]["serialNumber"].as_str()?.to_owned(),
                                issuer: order["certificate"]["issuerName"].as_str()?.to_owned(),
                            });
                            keep_recent(&mut ra.issued);
                            counts.lock().expect("lock").issued += 1;
                        }
                        "failed" => ra.open.retain(|o| *o != reference),
                        _ => {}
                    }
                }
                return Some(status);
            }
            let issued = ra.issued.get(rand_below(ra.issued.len()))?;
            ra_post(
                client,
                base,
                &session,
                &format!("/order/{}/status", issued.reference),
            )
            .send()
            .await
        }
        4 => {
            let issued = ra.issued.get(rand_below(ra.issued.len()))?;
            let request = ra_post(
                client,
                base,
                &session,
                &format!("/order/{}/certificate/chain", issued.reference),
            );
            // The chain as PEM (JSON) or as PKCS#7, as clients ask for either.
            if rand_below(2) == 0 {
                request.header("Accept", "application/pkcs7-mime")
            } else {
                request
            }
            .send()
            .await
        }
        5 => {
            let search = match ra.names.get(rand_below(ra.names.len().max(1))) {
                Some(name) if rand_below(2) == 0 => json!({"dnsName": name}),
                _ => {
                    let since = SystemClock.now() - chrono::Duration::seconds(5);
                    json!({
                        "clientReference": RA_CLIENT,
                        "status": "issued",
                        "createdFrom": since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    })
                }
            };
            ra_post(client, base, &session, "/orders")
                .json(&search)
                .send()
                .await
        }
        6 => {
            let issued = ra.issued.swap_remove(rand_below(ra.issued.len()));
            let response = ra_post(client, base, &session, "/revoke")
                .json(&json!([{
                    "serialNumber": issued.serial,
                    "issuerName": issued.issuer,
                    "revocationReason": "superseded",
                }]))
                .send()
                .await
                .ok()?;
            let status = response.status().as_u16();
            if status == 200 {
                let results: Value = response.json().await.ok()?;
                if results[0]["revoked"] == true {
                    counts.lock().expect("lock").revoked += 1;
                } else {
                    eprintln!(
                        "soak: revoking {} of order {} was refused: {results}",
                        issued.serial, issued.reference
                    );
                }
            }
            return Some(status);
        }
        // Bad input on the RA face: each must stay a 4xx.
        _ => {
            let request = match rand_below(5) {
                0 => ra_post(client, base, &session, &format!("/issue/csr/{RA_PRODUCT}"))
                    .header("Content-Type", "text/plain")
                    .body("not a csr"),
                1 => ra_post(
                    client,
                    base,
                    &session,
                    "/issue/csr/pma-00000000-0000-4000-8000-000000000000",
                )
                .header("Content-Type", "text/plain")
                .body(host_csr(&ec_key(), &[format!("bad.{}", ra.domain)])),
                2 => ra_post(
                    client,
                    base,
                    &session,
                    "/order/ord-00000000-0000-4000-8000-000000000000/status",
                ),
                3 => ra_post(client, base, "not.a.jwt", "/orders"),
                _ => ra_post(client, base, &session, "/orders").json(&json!({"status": "done"})),
            };
            let status = request.send().await.ok()?.status().as_u16();
            if !(400..500).contains(&status) {
                counts.lock().expect("lock").bad_not_refused += 1;
            }
            return Some(status);
        }
    };
    Some(sent.ok()?.status().as_u16())
}

/// Counts a good tenants request answered `status` where `expected` was
/// due; answers the status.
fn expect(counts: &Mutex<Counts>, what: &str, status: u16, expected: u16) -> u16 {
    if status != expected {
        counts.lock().expect("lock").unexpected += 1;
        eprintln!("soak: {what} answered {status}, not {expected}");
    }
    status
}

/// One tenants request: mostly the theme PKI read back, then imports of
/// the fixtures' keystores (forceTrust, in the form or the query), a
/// removal now and then, a log-out and log-in again one time in sixteen,
/// and one bad request in eight.
async fn tenants_request(
    client: &reqwest::Client,
    base: &str,
    side: &mut TenantsSide,
    counts: &Mutex<Counts>,
) -> Option<u16> {
    let mut theme = rand_below(THEMES);
    let mut action = rand_below(16);
    // A removal takes a theme that holds PKI, or becomes an import.
    if matches!(action, 9 | 10) {
        match (0..THEMES).find(|t| side.held[(theme + t) % THEMES]) {
            Some(t) => theme = (theme + t) % THEMES,
            None => action = 0,
        }
    }
    let name = format!("theme-{theme}");
    let path = side.session.pki_path(&name);
    let session = side.session.clone();
    match action {
        0..=3 => {
            let all: Vec<&Keystore> = KEYSTORES.iter().chain(&MORE_KEYSTORES).collect();
            let keystore = all[rand_below(all.len())];
            let request = if rand_below(2) == 0 {
                session.import(client, base, &name, keystore)
            } else {
                session
                    .request(
                        client,
                        Method::POST,
                        base,
                        &format!("{path}?forceTrust=true"),
                        true,
                    )
                    .multipart(keystore.form())
            };
            let status = request.send().await.ok()?.status().as_u16();
            let what = format!("import of {}/{}", keystore.file_name, keystore.alias);
            if expect(counts, &what, status, 200) == 200 {
                side.held[theme] = true;
                counts.lock().expect("lock").imports += 1;
            }
            Some(status)
        }
        9 | 10 => {
            let status = session
                .request(client, Method::DELETE, base, &path, true)
                .send()
                .await
                .ok()?
                .status()
                .as_u16();
            if expect(counts, &format!("removal of {name}"), status, 204) == 204 {
                side.held[theme] = false;
                counts.lock().expect("lock").removed += 1;
            }
            Some(status)
        }
        // Log out, then in again: a session lasts an hour, and users come
        // back with a new one.
        11 => {
            let status = session
                .request(client, Method::DELETE, base, "/login", false)
                .send()
                .await
                .ok()?
                .status()
                .as_u16();
            expect(counts, "logout", status, 204);
            match tenants_login(client, base, &side.email, TENANT_PASSWORD).await {
                Ok(fresh) => {
                    side.session = fresh;
                    counts.lock().expect("lock").logins += 1;
                    Some(200)
                }
                Err(e) => {
                    counts.lock().expect("lock").unexpected += 1;
                    eprintln!("soak: {e}");
                    None
                }
            }
        }
        // Bad input on the tenants face: each must stay a 4xx.
        12 | 13 => {
            let keystore = &KEYSTORES[rand_below(KEYSTORES.len())];
            let request = match rand_below(5) {
                0 => client
                    .post(format!("{base}/api/login"))
                    .json(&json!({"email": side.email, "password": "not-the-password"})),
                1 => session
                    .request(client, Method::POST, base, &path, true)
                    .multipart(
                        reqwest::multipart::Form::new()
                            .part("path", keystore.file_part())
                            .text("keystorePass", KEYSTORE_PASS),
                    ),
                2 => session
                    .request(client, Method::POST, base, &path, false)
                    .multipart(keystore.form()),
                3 => session
                    .request(client, Method::POST, base, &path, true)
                    .multipart(
                        reqwest::multipart::Form::new()
                            .part("path", keystore.file_part())
                            .text("alias", keystore.alias)
                            .text("keystorePass", "not-the-password"),
                    ),
                _ => session.request(client, Method::DELETE, base, &path, false),
            };
            let status = request.send().await.ok()?.status().as_u16();
            if !(400..500).contains(&status) {
                counts.lock().expect("lock").bad_not_refused += 1;
            }
            Some(status)
        }
        _ => {
            let status = session
                .request(client, Method::GET, base, &path, false)
                .send()
                .await
                .ok()?
                .status()
                .as_u16();
            let due = if side.held[theme] { 200 } else { 404 };
            Some(expect(counts, &format!("read of {name}"), status, due))
        }
    }
}

async fn one_request(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    issuers: &[X509],
    tpp: &mut Tpp,
    counts: &Mutex<Counts>,
    mix: Mix,
) -> Option<u16> {
    // Of twenty actions, four are the RA face's and four the tenants
    // face's; a face left out gives its share to the directory's mix.
    let mut action = rand_below(20);
    if (12..16).contains(&action) && !mix.ra || action >= 16 && !mix.tenants {
        action = rand_below(12);
    }
    if action >= 16 {
        return tenants_request(client, base, &mut tpp.tenants, counts).await;
    }
    if action >= 12 {
        return ra_request(client, base, &mut tpp.ra, counts).await;
    }
    if tpp.active.is_empty() && matches!(action, 2 | 9 | 10) {
        action = 0;
    }
    // `--without-crl`: the same mix with JWKS reads for CRL fetches, to tell
    // the memory a growing CRL takes from the rest.
    if action == 9 && !mix.crl {
        action = 3;
    }
    let sent = match action {
        0 | 1 => {
            if tpp.uploads == CERTIFICATES_PER_STATEMENT {
                return tpp.next_statement(client, base, token).await;
            }
            let response = client
                .post(format!("{}/rtssigning", tpp.certificates(base)))
                .bearer_auth(token)
                .header("Content-Type", "application/x-pem-file")
                .body(csr_for(&tpp.org, &tpp.ss))
                .send()
                .await
                .ok()?;
            let status = response.status().as_u16();
            if status == 201 {
                let record: Value = response.json().await.ok()?;
                let kid = record["kid"].as_str()?.to_owned();
                let leaf = X509::from_der(&der(record["x5c"][0].as_str()?)).ok()?;
                tpp.uploads += 1;
                tpp.active.push((kid, leaf));
            }
            return Some(status);
        }
        2 => {
            if tpp.active.is_empty() {
                return None;
            }
            let (kid, _) = tpp.active.swap_remove(rand_below(tpp.active.len()));
            client
                .put(format!("{}/rtssigning/{kid}", tpp.certificates(base)))
                .bearer_auth(token)
                .json(&json!({"RevokeReason": "superseded"}))
                .send()
                .await
        }
        3 => {
            client
                .get(format!(
                    "{base}/keystore/{}/{}/application.jwks",
                    tpp.org, tpp.ss
                ))
                .send()
                .await
        }
        4 => {
            client
                .get(format!(
                    "{base}/organisations/{}/softwarestatements/{}/assertion",
                    tpp.org, tpp.ss
                ))
                .bearer_auth(token)
                .send()
                .await
        }
        5 => {
            client
                .get(format!("{base}/organisations?size=5"))
                .bearer_auth(token)
                .send()
                .await
        }
        6 => {
            client
                .get(format!("{base}/v1/ecosystems/certificates/ca"))
                .bearer_auth(token)
                .send()
                .await
        }
        7 => {
            client
                .get(format!("{base}/keystore/openbanking.jwks"))
                .send()
                .await
        }
        8 => client.get(format!("{base}/ca/chain.pem")).send().await,
        9 => {
            let (_, leaf) = tpp.any_certificate()?;
            let url = crl_url(leaf)?;
            let path = &url[url.find("/crl/")?..];
            client.get(format!("{base}{path}")).send().await
        }
        10 => {
            let (_, leaf) = tpp.any_certificate()?;
            let issuer = issuers.iter().find(|i| {
                i.public_key()
                    .is_ok_and(|k| leaf.verify(&k).unwrap_or(false))
            })?;
            let id = OcspCertId::from_cert(MessageDigest::sha1(), leaf, issuer).ok()?;
            let mut request = OcspRequest::new().ok()?;
            request.add_id(id).ok()?;
            client
                .post(format!("{base}/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .body(request.to_der().ok()?)
                .send()
                .await
        }
        // Bad input is traffic too: it must stay a 4xx.
        _ => {
            let status = client
                .post(format!("{}/rtssigning", tpp.certificates(base)))
                .bearer_auth(token)
                .header("Content-Type", "application/x-pem-file")
                .body("not a csr")
                .send()
                .await
                .ok()?
                .status()
                .as_u16();
            if !(400..500).contains(&status) {
                counts.lock().expect("lock").bad_not_refused += 1;
            }
            return Some(status);
        }
    };
    Some(sent.ok()?.status().as_u16())
}

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(600);
    let data_dir = std::env::temp_dir().join(format!("obdir-soak-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let port = 20000 + rand_below(20000) as u16;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut child = start(&data_dir, port);
    wait_healthy(&client, &base).await;
    let token = std::fs::read_to_string(data_dir.join("admin-token")).expect("token");
    let tally: Tally = Arc::default();
    let counts: Arc<Mutex<Counts>> = Arc::default();
    let mix = Mix::from_args();
    let issuers = Arc::new(ca_certificates(&client, &base).await);
    let stop = Instant::now() + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let (client, base, token, tally, issuers, counts) = (
                client.clone(),
                base.clone(),
                token.clone(),
                tally.clone(),
                issuers.clone(),
                counts.clone(),
            );
            tokio::spawn(async move {
                let mut tpp = Tpp::create(&client, &base, &token, n).await;
                counts.lock().expect("lock").logins += 1;
                while Instant::now() < stop {
                    let status =
                        one_request(&client, &base, &token, &issuers, &mut tpp, &counts, mix)
                            .await
                            .unwrap_or(0);
                    *tally.lock().expect("lock").entry(status).or_default() += 1;
                }
            })
        })
        .collect();
    let warm = Duration::from_secs(seconds.min(60));
    let pid = child.id();
    // The curve, every 30 s, so a leak shows as a slope and a cache filling
    // up as a knee.
    let sampler = tokio::spawn(async move {
        let started = Instant::now();
        while Instant::now() < stop {
            tokio::time::sleep(Duration::from_secs(30)).await;
            eprintln!(
                "soak: {:>4} s RSS {} KiB",
                started.elapsed().as_secs(),
                resident_kib(pid)
            );
        }
    });
    tokio::time::sleep(warm).await;
    let rss_warm = resident_kib(pid);
    for worker in workers {
        let _ = worker.await;
    }
    let rss_end = resident_kib(pid);
    sampler.abort();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&data_dir);

    let tally = tally.lock().expect("lock");
    let total: u64 = tally.values().sum();
    let server_errors: u64 = tally
        .iter()
        .filter(|(s, _)| **s >= 500)
        .map(|(_, n)| n)
        .sum();
    let no_answer = tally.get(&0).copied().unwrap_or(0);
    let growth = if rss_warm == 0 {
        0.0
    } else {
        (rss_end as f64 - rss_warm as f64) * 100.0 / rss_warm as f64
    };
    let counts = counts.lock().expect("lock");
    let pass = server_errors == 0
        && no_answer == 0
        && counts.bad_not_refused == 0
        && counts.unexpected == 0
        && growth < 10.0;
    let statuses: Vec<String> = tally.iter().map(|(s, n)| format!("{s}:{n}")).collect();
    println!(
        "soak: {seconds} s, {total} requests ({}), {server_errors} 5xx, RA {} orders, {} seen issued, {} revoked, tenants {} logins, {} imports, {} removals, {} unexpected answers, RSS {rss_warm} KiB after {} s -> {rss_end} KiB ({growth:+.1} %): {}",
        statuses.join(" "),
        counts.ordered,
        counts.issued,
        counts.revoked,
        counts.logins,
        counts.imports,
        counts.removed,
        counts.unexpected,
        warm.as_secs(),
        if pass { "PASS" } else { "FAIL" }
    );
    if counts.bad_not_refused > 0 {
        eprintln!(
            "{} bad requests were not refused with a 4xx",
            counts.bad_not_refused
        );
    }
    if no_answer > 0 {
        eprintln!(
            "{no_answer} requests got no usable answer (connection error, timeout or unreadable body)"
        );
    }
    if !pass {
        std::process::exit(1);
    }
}
