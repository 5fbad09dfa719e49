//! `make crash`: kill -9 obdir while 8 clients upload and revoke through the
//! directory, order, poll and revoke through the RA, and add tenant users,
//! log them in and import and remove theme PKI through the tenants face;
//! restart it, and check that every acknowledged write survived and that
//! the JWKS, the CRL and OCSP agree with the records. Prints one verdict
//! line; exits 1 on any loss or disagreement.
//!
//! Usage: crash [CYCLES] (default 20). Runs target/release/obdir.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use openssl::hash::MessageDigest;
use openssl::ocsp::{OcspCertId, OcspCertStatus, OcspRequest, OcspResponse};
use openssl::x509::{CrlStatus, X509, X509Crl};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[path = "common/mod.rs"]
mod common;

use common::{
    KEYSTORES, ORG, RA_PRODUCT, SS, TENANT_PASSWORD, TenantSession, ca_certificates, crl_url, csr,
    der, ec_key, host_csr, ra_login, ra_post, ra_prevalidate, rand_below, start, tenants_add_user,
    tenants_login, wait_healthy,
};

const CLIENTS: usize = 8;

/// The domain every client's RA orders name hosts under, pre-validated at
/// each start.
const RA_DOMAIN: &str = "crash.example";

/// Themes each tenants client imports into and removes from.
const THEMES: usize = 3;

/// A login session is good for an hour by default: older ones are not
/// checked, as the server may rightly have let them expire.
const SESSION_CHECKED_FOR: Duration = Duration::from_secs(50 * 60);

/// What the server acknowledged: kids it answered 201 for, which of those
/// it answered 204 to a revocation of, the RA's part and the tenants face's.
#[derive(Default, Clone)]
struct Acknowledged {
    uploaded: HashMap<String, String>,
    revoked: HashSet<String>,
    ra: RaAcknowledged,
    tenants: TenantsAcknowledged,
}

/// The tenants face's acknowledged writes: users answered 201, the last
/// session a login answered 200 with, by user, and for each theme of a
/// user's tenant the states it may be in. That is what its last answered
/// write left (the certificateInfo of a 200 import; None after a 204
/// removal or before any write) and, while a write is sent but not
/// answered (the kill came first), what that write would leave.
#[derive(Default, Clone)]
struct TenantsAcknowledged {
    users: Vec<String>,
    sessions: HashMap<String, (TenantSession, Instant)>,
    themes: BTreeMap<(String, String), Vec<Option<Value>>>,
    imports: usize,
    removals: usize,
    /// Answers that were wrong when given.
    wrong: Vec<String>,
}

/// The RA's acknowledged writes: orders answered 200 with a reference, the
/// serial of each a poll saw issued, and the orders whose certificate a
/// revocation answered `revoked: true` for.
#[derive(Default, Clone)]
struct RaAcknowledged {
    ordered: HashSet<String>,
    issued: HashMap<String, String>,
    revoked: HashSet<String>,
    /// Revocations sent with no answer (the kill came first): either
    /// outcome is right, as long as the CRL and OCSP agree.
    unanswered: HashSet<String>,
    /// Answers that were wrong when given, such as a refused revocation of
    /// an order seen issued.
    wrong: Vec<String>,
}

/// An order this client saw issued, with what revoking it takes.
struct IssuedOrder {
    reference: String,
    serial: String,
    issuer: String,
}

/// One RA client's orders in flight.
#[derive(Default)]
struct RaClient {
    opened: Vec<String>,
    issued: Vec<IssuedOrder>,
    hosts: usize,
}

/// One RA step: revoke an issued certificate, poll an open order, or
/// order a new one; what was acknowledged goes into `acked`.
async fn ra_step(
    client: &reqwest::Client,
    base: &str,
    session: &str,
    name: &str,
    mine: &mut RaClient,
    acked: &Mutex<Acknowledged>,
) {
    if !mine.issued.is_empty() && rand_below(4) == 0 {
        let issued = mine.issued.swap_remove(rand_below(mine.issued.len()));
        acked
            .lock()
            .expect("lock")
            .ra
            .unanswered
            .insert(issued.reference.clone());
        let sent = ra_post(client, base, session, "/revoke")
            .json(&json!([{
                "serialNumber": issued.serial,
                "issuerName": issued.issuer,
                "revocationReason": "keyCompromise",
            }]))
            .send()
            .await;
        let Ok(response) = sent else { return };
        if response.status() != reqwest::StatusCode::OK {
            return;
        }
        let Ok(results) = response.json::<Value>().await else {
            return;
        };
        let mut acked = acked.lock().expect("lock");
        if results[0]["revoked"] == true {
            acked.ra.unanswered.remove(&issued.reference);
            acked.ra.revoked.insert(issued.reference);
        } else {
            acked.ra.wrong.push(format!(
                "revoking {} of order {}, seen issued, was refused: {results}",
                issued.serial, issued.reference
            ));
        }
        return;
    }
    if !mine.opened.is_empty() && rand_below(2) == 0 {
        let i = rand_below(mine.opened.len());
        let reference = mine.opened[i].clone();
        let sent = ra_post(client, base, session, &format!("/order/{reference}"))
            .send()
            .await;
        let Ok(response) = sent else { return };
        if response.status() != reqwest::StatusCode::OK {
            return;
        }
        let Ok(order) = response.json::<Value>().await else {
            return;
        };
        if order["status"] == "issued" {
            let certificate = &order["certificate"];
            let serial = certificate["serialNumber"].as_str().unwrap_or_default();
            let issuer = certificate["issuerName"].as_str().unwrap_or_default();
            acked
                .lock()
                .expect("lock")
                .ra
                .issued
                .insert(reference.clone(), serial.to_owned());
            mine.opened.swap_remove(i);
            mine.issued.push(IssuedOrder {
                reference,
                serial: serial.to_owned(),
                issuer: issuer.to_owned(),
            });
        }
        return;
    }
    mine.hosts += 1;
    let names = [format!("{name}-{}.{RA_DOMAIN}", mine.hosts)];
    let sent = ra_post(client, base, session, &format!("/issue/csr/{RA_PRODUCT}"))
        .header("Content-Type", "text/plain")
        .body(host_csr(&ec_key(), &names))
        .send()
        .await;
    let Ok(response) = sent else { return };
    if response.status() != reqwest::StatusCode::OK {
        return;
    }
    let Ok(order) = response.json::<Value>().await else {
        return;
    };
    if let Some(reference) = order["orderReference"].as_str() {
        acked
            .lock()
            .expect("lock")
            .ra
            .ordered
            .insert(reference.to_owned());
        mine.opened.push(reference.to_owned());
    }
}

/// One client's tenant: its user, added and logged in on its first steps,
/// and which entry of `KEYSTORES` each of its themes holds.
struct TenantsClient {
    tenant: String,
    email: String,
    added: bool,
    session: Option<TenantSession>,
    held: [Option<usize>; THEMES],
    /// A request went unanswered: the server is gone for this cycle, and
    /// only the states already noted may be found.
    gone: bool,
}

impl TenantsClient {
    fn new(name: &str) -> Self {
        TenantsClient {
            tenant: format!("crash-{name}"),
            email: format!("user@crash-{name}.example"),
            added: false,
            session: None,
            held: [None; THEMES],
            gone: false,
        }
    }
}

/// One tenants step: add the client's user, log it in, then import one of
/// `KEYSTORES` into a theme or remove a theme's PKI. `infos` holds the
/// certificateInfo each entry of `KEYSTORES` imports as.
async fn tenants_step(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    infos: &[Value],
    mine: &mut TenantsClient,
    acked: &Mutex<Acknowledged>,
) {
    if mine.gone {
        return;
    }
    if !mine.added {
        match tenants_add_user(client, base, token, &mine.tenant, &mine.email).await {
            Ok(201) => {
                mine.added = true;
                acked
                    .lock()
                    .expect("lock")
                    .tenants
                    .users
                    .push(mine.email.clone());
            }
            Ok(status) => {
                mine.gone = true;
                acked.lock().expect("lock").tenants.wrong.push(format!(
                    "adding tenant user {} answered {status}, not 201",
                    mine.email
                ));
            }
            Err(_) => mine.gone = true,
        }
        return;
    }
    let Some(session) = mine.session.clone() else {
        match tenants_login(client, base, &mine.email, TENANT_PASSWORD).await {
            Ok(session) => {
                acked
                    .lock()
                    .expect("lock")
                    .tenants
                    .sessions
                    .insert(mine.email.clone(), (session.clone(), Instant::now()));
                mine.session = Some(session);
            }
            Err(_) => mine.gone = true,
        }
        return;
    };
    let theme = rand_below(THEMES);
    let name = format!("t{theme}");
    let (request, entry) = if mine.held[theme].is_some() && rand_below(3) == 0 {
        let path = session.pki_path(&name);
        (
            session.request(client, Method::DELETE, base, &path, true),
            None,
        )
    } else {
        let k = rand_below(KEYSTORES.len());
        (session.import(client, base, &name, &KEYSTORES[k]), Some(k))
    };
    let outcome = entry.map(|k| infos[k].clone());
    let key = (mine.email.clone(), name);
    // Sent: from now on the theme may be found as this write leaves it.
    acked
        .lock()
        .expect("lock")
        .tenants
        .themes
        .entry(key.clone())
        .or_insert_with(|| vec![None])
        .push(outcome.clone());
    let Ok(response) = request.send().await else {
        mine.gone = true;
        return;
    };
    let status = response.status();
    let answer = match entry {
        Some(_) if status == StatusCode::OK => match response.json::<Value>().await {
            Ok(answer) => Some(answer),
            Err(_) => {
                mine.gone = true;
                return;
            }
        },
        _ => None,
    };
    let mut acked = acked.lock().expect("lock");
    let tenants = &mut acked.tenants;
    let states = tenants.themes.get_mut(&key).expect("noted before sending");
    let wanted = if entry.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NO_CONTENT
    };
    if status != wanted {
        // Answered, and refused: nothing was written.
        states.pop();
        tenants.wrong.push(format!(
            "{} of {}/{} answered {status}, not {wanted}",
            if entry.is_some() { "import" } else { "removal" },
            mine.tenant,
            key.1
        ));
        return;
    }
    if let Some(answer) = answer
        && answer["certificateInfo"] != *outcome.as_ref().expect("an import")
    {
        tenants.wrong.push(format!(
            "import into {}/{} answered certificateInfo {}, not {}",
            mine.tenant,
            key.1,
            answer["certificateInfo"],
            outcome.as_ref().expect("an import")
        ));
    }
    *states = vec![outcome];
    mine.held[theme] = entry;
    if entry.is_some() {
        tenants.imports += 1;
    } else {
        tenants.removals += 1;
    }
}

/// The certificateInfo each entry of `KEYSTORES` imports as, learnt by
/// importing each into a theme of a probe tenant (acknowledged writes like
/// any other).
async fn probe_keystores(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    acked: &Mutex<Acknowledged>,
) -> Vec<Value> {
    let (tenant, email) = ("crash-probe", "probe@crash-probe.example");
    let added = tenants_add_user(client, base, token, tenant, email)
        .await
        .expect("probe user added");
    assert_eq!(added, 201, "adding the probe user");
    let session = tenants_login(client, base, email, TENANT_PASSWORD)
        .await
        .expect("probe user logged in");
    let mut infos = Vec::new();
    for (i, keystore) in KEYSTORES.iter().enumerate() {
        let theme = format!("probe-{i}");
        let response = session
            .import(client, base, &theme, keystore)
            .send()
            .await
            .expect("probe import");
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "importing {}/{}",
            keystore.file_name,
            keystore.alias
        );
        let answer: Value = response.json().await.expect("probe import json");
        infos.push(answer["certificateInfo"].clone());
        let mut acked = acked.lock().expect("lock");
        acked
            .tenants
            .themes
            .insert((email.to_owned(), theme), vec![Some(infos[i].clone())]);
        acked.tenants.imports += 1;
    }
    let mut acked = acked.lock().expect("lock");
    acked.tenants.users.push(email.to_owned());
    acked
        .tenants
        .sessions
        .insert(email.to_owned(), (session, Instant::now()));
    infos
}

#[allow(clippy::too_many_arguments)]
async fn client_loop(
    client: reqwest::Client,
    base: String,
    token: String,
    session: String,
    name: String,
    infos: Arc<Vec<Value>>,
    acked: Arc<Mutex<Acknowledged>>,
    stop: Instant,
) {
    let upload =
        format!("{base}/organisations/{ORG}/softwarestatements/{SS}/certificates/rtssigning");
    let mut mine: Vec<String> = Vec::new();
    let mut ra = RaClient::default();
    let mut tenants = TenantsClient::new(&name);
    while Instant::now() < stop {
        // A quarter of the steps are the RA's, a quarter the tenants face's.
        match rand_below(8) {
            0 | 1 => {
                ra_step(&client, &base, &session, &name, &mut ra, &acked).await;
                continue;
            }
            2 | 3 => {
                tenants_step(&client, &base, &token, &infos, &mut tenants, &acked).await;
                continue;
            }
            _ => {}
        }
        if mine.len() > 2 && rand_below(3) == 0 {
            let kid = mine.swap_remove(rand_below(mine.len()));
            let sent = client
                .put(format!("{upload}/{kid}"))
                .bearer_auth(&token)
                .json(&json!({"RevokeReason": "superseded"}))
                .send()
                .await;
            if sent.is_ok_and(|r| r.status() == reqwest::StatusCode::NO_CONTENT) {
                acked.lock().expect("lock").revoked.insert(kid);
            }
            continue;
        }
        let sent = client
            .post(&upload)
            .bearer_auth(&token)
            .header("Content-Type", "application/x-pem-file")
            .body(csr())
            .send()
            .await;
        let Ok(response) = sent else { continue };
        if response.status() != reqwest::StatusCode::CREATED {
            continue;
        }
        let Ok(record) = response.json::<Value>().await else {
            continue;
        };
        let kid = record["kid"].as_str().unwrap_or_default().to_owned();
        let leaf = record["x5c"][0].as_str().unwrap_or_default().to_owned();
        acked
            .lock()
            .expect("lock")
            .uploaded
            .insert(kid.clone(), leaf);
        mine.push(kid);
    }
}

/// Every acknowledged write present and consistent; answers the problems.
async fn verify(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    acked: &Acknowledged,
) -> Vec<String> {
    let mut problems = Vec::new();
    let list: Value = client
        .get(format!(
            "{base}/organisations/{ORG}/softwarestatements/{SS}/certificates"
        ))
        .bearer_auth(token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("list json");
    let records: HashMap<String, Value> = list
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (r["kid"].as_str().unwrap_or_default().to_owned(), r.clone()))
        .collect();
    for kid in acked.uploaded.keys() {
        match records.get(kid) {
            None => problems.push(format!("acknowledged upload {kid} is lost")),
            Some(r) if acked.revoked.contains(kid) && r["Status"] != "Revoked" => {
                problems.push(format!("acknowledged revocation of {kid} is lost"))
            }
            _ => {}
        }
    }
    let jwks: Value = client
        .get(format!("{base}/keystore/{ORG}/{SS}/application.jwks"))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("jwks json");
    let published: HashSet<String> = jwks["keys"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["kid"].as_str().map(str::to_owned))
        .collect();
    let issuers = ca_certificates(client, base).await;
    let mut crls: HashMap<String, X509Crl> = HashMap::new();
    for (kid, record) in &records {
        if record["keyType"] != "rtssigning" {
            continue;
        }
        let active = record["Status"] == "Active";
        if active != published.contains(kid) {
            problems.push(format!(
                "{kid}: Status {} but {} application.jwks",
                record["Status"],
                if active { "missing from" } else { "still in" }
            ));
        }
        let Ok(leaf) = X509::from_der(&der(record["x5c"][0].as_str().unwrap_or_default())) else {
            problems.push(format!("{kid}: x5c[0] is not a certificate"));
            continue;
        };
        let Some(issuer) = issuers
            .iter()
            .find(|i| leaf.verify(&i.public_key().expect("key")).unwrap_or(false))
        else {
            problems.push(format!("{kid}: no issuer in chain.pem"));
            continue;
        };
        let Some(listed) = crl_lists(client, base, &mut crls, &leaf).await else {
            problems.push(format!("{kid}: the certificate names no CRL"));
            continue;
        };
        if listed == active {
            problems.push(format!(
                "{kid}: Status {} but the CRL {} it",
                record["Status"],
                if listed { "lists" } else { "does not list" }
            ));
        }
        let status = ocsp_status(client, base, &leaf, issuer).await;
        let revoked = status == Some(OcspCertStatus::REVOKED);
        if status.is_none() || revoked == active {
            problems.push(format!(
                "{kid}: Status {} but OCSP says {:?}",
                record["Status"],
                status.map(|s| s.as_raw())
            ));
        }
    }
    problems.extend(verify_ra(client, base, &acked.ra, &mut crls).await);
    problems.extend(verify_tenants(client, base, &acked.tenants).await);
    problems
}

/// Every acknowledged tenant user can log in, every acknowledged session
/// (of the last hour) still holds, and every theme is in a state its
/// writes allow: the certificateInfo its last acknowledged import answered,
/// 404 after an acknowledged removal (or either of those and the write
/// the kill cut off).
async fn verify_tenants(
    client: &reqwest::Client,
    base: &str,
    acked: &TenantsAcknowledged,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut fresh = HashMap::new();
    for email in &acked.users {
        match tenants_login(client, base, email, TENANT_PASSWORD).await {
            Ok(session) => {
                fresh.insert(email.clone(), session);
            }
            Err(e) => problems.push(format!("acknowledged tenant user {email} is lost: {e}")),
        }
    }
    for (email, (session, since)) in &acked.sessions {
        if since.elapsed() > SESSION_CHECKED_FOR {
            continue;
        }
        let path = session.pki_path("t0");
        let status = session
            .request(client, Method::GET, base, &path, false)
            .send()
            .await
            .expect("tenants read")
            .status();
        if status == StatusCode::UNAUTHORIZED {
            problems.push(format!("acknowledged login session of {email} is lost"));
        }
    }
    for ((email, theme), states) in &acked.themes {
        let Some(session) = fresh.get(email) else {
            continue;
        };
        let path = session.pki_path(theme);
        let response = session
            .request(client, Method::GET, base, &path, false)
            .send()
            .await
            .expect("tenants read");
        let found = match response.status() {
            StatusCode::OK => {
                let answer: Value = response.json().await.expect("tenants read json");
                Some(answer["certificateInfo"].clone())
            }
            StatusCode::NOT_FOUND => None,
            status => {
                problems.push(format!(
                    "reading theme {theme} of {} answered {status}",
                    session.tenant
                ));
                continue;
            }
        };
        if !states.contains(&found) {
            let describe = |state: &Option<Value>| match state {
                Some(info) => format!("PKI of {}", info["subjectDN"]),
                None => "no PKI".to_owned(),
            };
            let allowed: Vec<String> = states.iter().map(describe).collect();
            problems.push(format!(
                "theme {theme} of {} holds {} but its acknowledged writes leave {}",
                session.tenant,
                describe(&found),
                allowed.join(" or ")
            ));
        }
    }
    problems
}

/// Every acknowledged RA order present; every one seen issued still issued
/// with the same serial, and its certificate revoked in the CRL and OCSP
/// exactly when a revocation of it was acknowledged.
async fn verify_ra(
    client: &reqwest::Client,
    base: &str,
    acked: &RaAcknowledged,
    crls: &mut HashMap<String, X509Crl>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let session = match ra_login(client, base).await {
        Ok(session) => session,
        Err(e) => return vec![format!("RA: {e}")],
    };
    for reference in &acked.ordered {
        let response = ra_post(client, base, &session, &format!("/order/{reference}"))
            .send()
            .await
            .expect("RA order");
        if response.status() != reqwest::StatusCode::OK {
            problems.push(format!(
                "acknowledged RA order {reference} is lost ({})",
                response.status()
            ));
            continue;
        }
        let Some(serial) = acked.issued.get(reference) else {
            continue;
        };
        let order: Value = response.json().await.expect("RA order json");
        let now = order["certificate"]["serialNumber"].as_str().unwrap_or("");
        if order["status"] != "issued" || !same_serial(now, serial) {
            problems.push(format!(
                "RA order {reference} was seen issued with serial {serial} but is now {} with serial '{now}'",
                order["status"]
            ));
            continue;
        }
        let chain: Vec<String> = ra_post(
            client,
            base,
            &session,
            &format!("/order/{reference}/certificate/chain"),
        )
        .send()
        .await
        .expect("RA chain")
        .json()
        .await
        .expect("RA chain json");
        let certificates: Vec<X509> = chain
            .iter()
            .filter_map(|pem| X509::from_pem(pem.as_bytes()).ok())
            .collect();
        let [leaf, issuer, ..] = certificates.as_slice() else {
            problems.push(format!(
                "RA order {reference}: its chain holds {} certificates",
                certificates.len()
            ));
            continue;
        };
        let leaf_serial = leaf
            .serial_number()
            .to_bn()
            .and_then(|n| n.to_hex_str().map(|h| h.to_string()))
            .unwrap_or_default();
        if !same_serial(&leaf_serial, serial) {
            problems.push(format!(
                "RA order {reference}: serial {serial} but its chain's leaf is {leaf_serial}"
            ));
        }
        let Some(listed) = crl_lists(client, base, crls, leaf).await else {
            problems.push(format!(
                "RA order {reference}: the certificate names no CRL"
            ));
            continue;
        };
        let status = ocsp_status(client, base, leaf, issuer).await;
        let says_revoked = status == Some(OcspCertStatus::REVOKED);
        let expected = if acked.revoked.contains(reference) {
            Some(true)
        } else if acked.unanswered.contains(reference) {
            None
        } else {
            Some(false)
        };
        if status.is_none() || listed != says_revoked {
            problems.push(format!(
                "RA order {reference}: the CRL {} it but OCSP says {:?}",
                if listed { "lists" } else { "does not list" },
                status.map(|s| s.as_raw())
            ));
        } else if expected.is_some_and(|revoked| revoked != listed) {
            problems.push(format!(
                "RA order {reference}: revocation {} but the CRL and OCSP say {}",
                if listed {
                    "never acknowledged"
                } else {
                    "acknowledged"
                },
                if listed { "revoked" } else { "good" }
            ));
        }
    }
    problems
}

/// Two serials in hex, whatever their case and leading zeros.
fn same_serial(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim_start_matches('0').to_ascii_uppercase();
    !a.is_empty() && norm(a) == norm(b)
}

/// Whether the CRL the leaf names lists it, asking this run for it (the URL
/// names the address of the run that issued it); None if it names none.
/// CRLs fetched are kept in `crls`.
async fn crl_lists(
    client: &reqwest::Client,
    base: &str,
    crls: &mut HashMap<String, X509Crl>,
    leaf: &X509,
) -> Option<bool> {
    let url = crl_url(leaf).and_then(|u| u.find("/crl/").map(|i| format!("{base}{}", &u[i..])))?;
    if !crls.contains_key(&url) {
        let bytes = client
            .get(&url)
            .send()
            .await
            .expect("crl")
            .bytes()
            .await
            .expect("crl bytes");
        crls.insert(url.clone(), X509Crl::from_der(&bytes).expect("crl parses"));
    }
    Some(matches!(
        crls[&url].get_by_serial(leaf.serial_number()),
        CrlStatus::Revoked(_)
    ))
}

/// What OCSP says of the leaf, if it says anything.
async fn ocsp_status(
    client: &reqwest::Client,
    base: &str,
    leaf: &X509,
    issuer: &X509,
) -> Option<OcspCertStatus> {
    let id = OcspCertId::from_cert(MessageDigest::sha1(), leaf, issuer).expect("cert id");
    let mut request = OcspRequest::new().expect("ocsp request");
    request.add_id(id).expect("add id");
    let body = request.to_der().expect("der");
    let answer = client
        .post(format!("{base}/ocsp"))
        .header("Content-Type", "application/ocsp-request")
        .body(body)
        .send()
        .await
        .expect("ocsp")
        .bytes()
        .await
        .expect("ocsp bytes");
    let response = OcspResponse::from_der(&answer).expect("ocsp parses");
    let basic = response.basic().expect("basic response");
    let id = OcspCertId::from_cert(MessageDigest::sha1(), leaf, issuer).expect("cert id");
    basic.find_status(&id).map(|s| s.status)
}

#[tokio::main]
async fn main() {
    let cycles: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let data_dir = std::env::temp_dir().join(format!("obdir-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let mut problems = Vec::new();
    let mut infos = None;
    for cycle in 0..cycles {
        let port = 20000 + rand_below(20000) as u16;
        let base = format!("http://127.0.0.1:{port}");
        let mut child = start(&data_dir, port);
        wait_healthy(&client, &base).await;
        let token = std::fs::read_to_string(data_dir.join("admin-token")).expect("token");
        // Registering a name again answers its registration, so each start
        // pre-validates the same domain without piling up records.
        let session = ra_login(&client, &base).await.expect("RA session");
        ra_prevalidate(&client, &base, &token, &session, RA_DOMAIN)
            .await
            .expect("RA domain pre-validated");
        if infos.is_none() {
            infos = Some(Arc::new(
                probe_keystores(&client, &base, &token, &acked).await,
            ));
        }
        let infos = infos.clone().expect("probed");
        let kill_at = Instant::now() + Duration::from_millis(300 + rand_below(1200) as u64);
        let workers: Vec<_> = (0..CLIENTS)
            .map(|n| {
                tokio::spawn(client_loop(
                    client.clone(),
                    base.clone(),
                    token.clone(),
                    session.clone(),
                    format!("c{cycle}w{n}"),
                    infos.clone(),
                    acked.clone(),
                    kill_at + Duration::from_secs(1),
                ))
            })
            .collect();
        tokio::time::sleep_until(kill_at.into()).await;
        child.kill().expect("kill -9"); // SIGKILL
        child.wait().expect("reaped");
        for worker in workers {
            let _ = worker.await;
        }
        let mut child = start(&data_dir, port);
        wait_healthy(&client, &base).await;
        let snapshot = acked.lock().expect("lock").clone();
        let found = verify(&client, &base, &token, &snapshot).await;
        child.kill().expect("stopped");
        child.wait().expect("reaped");
        if !found.is_empty() {
            problems.extend(found.into_iter().map(|p| format!("cycle {cycle}: {p}")));
        }
    }
    let acked = acked.lock().expect("lock");
    problems.extend(acked.ra.wrong.iter().cloned());
    problems.extend(acked.tenants.wrong.iter().cloned());
    let _ = std::fs::remove_dir_all(&data_dir);
    for problem in &problems {
        eprintln!("{problem}");
    }
    let verdict = if problems.is_empty() { "PASS" } else { "FAIL" };
    println!(
        "crash: {cycles} cycles of kill -9 under {CLIENTS} clients; {} uploads and {} revocations acknowledged; RA {} orders acknowledged, {} seen issued, {} revocations acknowledged; tenants {} users, {} imports and {} removals acknowledged; {} lost or inconsistent: {verdict}",
        acked.uploaded.len(),
        acked.revoked.len(),
        acked.ra.ordered.len(),
        acked.ra.issued.len(),
        acked.ra.revoked.len(),
        acked.tenants.users.len(),
        acked.tenants.imports,
        acked.tenants.removals,
        problems.len()
    );
    if !problems.is_empty() {
        std::process::exit(1);
    }
}
