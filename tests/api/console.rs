//! The web console as a browser renders it: headless Chromium loads each
//! page of a seeded directory, and the tests read the DOM it built and
//! follow the JWKS, PEM and CRL links it holds.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

const XSS_ORG: &str = "xss org & co+1";
const XSS_NAME: &str = "<script>alert(1)</script>";

/// What the seed made: kids and the upload answers.
struct Seeded {
    transport: Value,
    revoked: Value,
    bare_key: Value,
    seal: Value,
}

fn kid(record: &Value) -> &str {
    record["kid"].as_str().unwrap()
}

async fn created(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// A transport certificate, a signing certificate revoked for key
/// compromise, a bare signing key, an organisation seal certificate, and an
/// organisation whose name is markup.
async fn seed(app: &TestApp) -> Seeded {
    let tpp = Tpp::new();
    let subject = obie_subject(ORG, SS);
    let transport = created(
        app.upload(
            "rtstransport",
            &tpp.csr(&tpp.rsa_key("transport.key", 2048), &subject, &[]),
        )
        .await,
    )
    .await;
    let revoked = created(
        app.upload(
            "rtssigning",
            &tpp.csr(&tpp.rsa_key("signing.key", 2048), &subject, &[]),
        )
        .await,
    )
    .await;
    let bare_key = created(
        app.upload(
            "sigkey",
            &tpp.public_key_pem(&tpp.ec_key("sig.key", "P-256")),
        )
        .await,
    )
    .await;
    let seal_csr = tpp.csr(
        &tpp.rsa_key("seal.key", 2048),
        &format!("/C=GB/O=Demo/OU={ORG}/CN=seal"),
        &[],
    );
    let seal = created(
        app.client
            .post(app.url(&format!("/organisations/{ORG}/certificates/rtsseal")))
            .bearer_auth(TOKEN)
            .header("Content-Type", "application/x-pem-file")
            .body(seal_csr)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let response = app
        .put_json(
            &format!(
                "{}/{}",
                TestApp::certificates_path(ORG, SS, "rtssigning"),
                kid(&revoked)
            ),
            &json!({"RevokeReason": "keycompromise"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    created(
        app.post_json(
            "/organisations",
            &json!({"OrganisationId": XSS_ORG, "OrganisationName": XSS_NAME}),
        )
        .await,
    )
    .await;
    Seeded {
        transport,
        revoked,
        bare_key,
        seal,
    }
}

/// The DOM headless Chromium builds from `url`.
async fn rendered(url: String) -> String {
    tokio::task::spawn_blocking(move || browse(&url))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

fn browse(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let spawned = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", url])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("chromium is not installed; run `make deps` to install it")
        }
        Err(e) => panic!("chromium does not start: {e}"),
    };
    let reader = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = reader(Box::new(child.stdout.take().unwrap()));
    let stderr = reader(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not render {url} in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (dom, log) = (stdout.join().unwrap(), stderr.join().unwrap());
    assert!(status.success(), "chromium {url}: {status}\n{log}");
    assert!(
        dom.contains("</html>"),
        "chromium {url} gave no DOM:\n{log}"
    );
    dom
}

/// The table row about `key` (a kid, an id), as serialised markup.
fn row<'a>(dom: &'a str, key: &str) -> &'a str {
    let start = dom
        .find(&format!("<tr data-key=\"{}\"", attribute(key)))
        .unwrap_or_else(|| panic!("no row for {key} in\n{dom}"));
    let end = dom[start..].find("</tr>").unwrap();
    &dom[start..start + end]
}

/// A value as an HTML serialiser writes it inside a double-quoted attribute.
fn attribute(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;")
}

/// Every link target in `markup`.
fn hrefs(markup: &str) -> Vec<String> {
    Regex::new(r#"href="([^"]*)""#)
        .unwrap()
        .captures_iter(markup)
        .map(|c| c[1].replace("&amp;", "&"))
        .collect()
}

async fn assert_served(app: &TestApp, url: &str) {
    let response = app.get_public(url).await;
    assert_eq!(response.status(), StatusCode::OK, "{url}");
}

fn statement_page(app: &TestApp) -> String {
    app.url(&format!(
        "/console/organisations/{ORG}/softwarestatements/{SS}"
    ))
}

#[tokio::test]
async fn the_statement_page_shows_each_kid_with_its_status_expiry_and_revocation() {
    let app = spawn_app().await;
    let seeded = seed(&app).await;
    let dom = rendered(statement_page(&app)).await;
    assert!(dom.contains("Demo TPP App"), "{dom}");
    assert!(dom.contains(SS));
    assert!(dom.contains("Demo TPP Ltda"));

    let transport = row(&dom, kid(&seeded.transport));
    assert!(transport.contains("rtstransport"), "{transport}");
    assert!(transport.contains(">Active<"), "{transport}");
    let expiry = seeded.transport["ExpiryDateTime"].as_str().unwrap();
    assert!(transport.contains(expiry), "{expiry} in {transport}");
    assert!(
        transport.contains(seeded.transport["ValidFromDateTime"].as_str().unwrap()),
        "{transport}"
    );

    let revoked = row(&dom, kid(&seeded.revoked));
    assert!(revoked.contains("rtssigning"), "{revoked}");
    assert!(revoked.contains(">Revoked<"), "{revoked}");
    assert!(revoked.contains("(keycompromise)"), "{revoked}");
    assert!(!revoked.contains(">Active<"), "{revoked}");

    let bare = row(&dom, kid(&seeded.bare_key));
    assert!(
        bare.contains("sigkey") && bare.contains(">Active<"),
        "{bare}"
    );
    assert!(bare.contains("does not expire"), "{bare}");
    assert!(bare.contains("bare key, no certificate"), "{bare}");
    assert!(hrefs(bare).is_empty(), "a bare key has no PEM: {bare}");
    assert!(!dom.contains("<script"), "{dom}");
}

#[tokio::test]
async fn every_jwks_and_pem_link_of_the_statement_page_is_served_and_right() {
    let app = spawn_app().await;
    let seeded = seed(&app).await;
    let dom = rendered(statement_page(&app)).await;
    let links = hrefs(&dom);
    let documents: Vec<&String> = links.iter().filter(|l| l.ends_with(".jwks")).collect();
    assert_eq!(
        documents.len(),
        4,
        "active and inactive, application and transport: {links:?}"
    );
    for url in links.iter().filter(|l| l.starts_with("http")) {
        assert_served(&app, url).await;
    }

    // Each document link leads to the document that holds the kid now.
    let ks = app.url(&format!("/keystore/{ORG}/{SS}"));
    for (url, holds) in [
        (format!("{ks}/transport.jwks"), vec![kid(&seeded.transport)]),
        (
            format!("{ks}/application.jwks"),
            vec![kid(&seeded.bare_key)],
        ),
        (
            format!("{ks}/inactive/application.jwks"),
            vec![kid(&seeded.revoked)],
        ),
    ] {
        assert!(documents.contains(&&url), "{url} not in {links:?}");
        assert_eq!(app.jwks_kids(&url).await, holds, "{url}");
    }

    // The PEM links are the records' SignedCertPath, and serve x5c[0].
    for record in [&seeded.transport, &seeded.revoked] {
        let pem_url = record["SignedCertPath"].as_str().unwrap();
        assert!(
            links.iter().any(|l| l == pem_url),
            "{pem_url} not in {links:?}"
        );
        let pem = app.get_public(pem_url).await.text().await.unwrap();
        assert_eq!(pem, pem_of(record["x5c"][0].as_str().unwrap()));
    }
}

#[tokio::test]
async fn an_expired_certificate_is_shown_expired_with_the_obie_layouts_links() {
    let start = chrono::DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
        .unwrap()
        .to_utc();
    let app = spawn_app_with(AppOptions {
        now: Some(start),
        flavour: Some(obdir::domain::Flavour::Obie),
        ..Default::default()
    })
    .await;
    let tpp = Tpp::new();
    let csr = tpp.csr(&tpp.rsa_key("t.key", 2048), &obie_subject(ORG, SS), &[]);
    let record = created(app.upload("rtstransport", &csr).await).await;
    app.clock
        .as_ref()
        .unwrap()
        .set(start + chrono::Duration::days(13 * 31 + 1));

    let dom = rendered(statement_page(&app)).await;
    let expired = row(&dom, kid(&record));
    assert!(expired.contains(">Expired<"), "{expired}");
    assert!(!expired.contains(">Active<") && !expired.contains(">Revoked<"));

    let ks = app.url(&format!("/keystore/{ORG}"));
    let links = hrefs(&dom);
    let documents: Vec<&String> = links.iter().filter(|l| l.ends_with(".jwks")).collect();
    let revoked = format!("{ks}/revoked/{SS}.jwks");
    assert_eq!(
        documents,
        [&format!("{ks}/{SS}.jwks"), &revoked],
        "{links:?}"
    );
    assert_eq!(app.jwks_kids(&revoked).await, [kid(&record)]);
    let pem = format!("{ks}/{}.pem", kid(&record));
    assert!(links.contains(&pem), "{pem} not in {links:?}");
    for url in links.iter().filter(|l| l.starts_with("http")) {
        assert_served(&app, url).await;
    }
}

#[tokio::test]
async fn organisation_names_are_shown_as_text_and_never_run() {
    let app = spawn_app().await;
    let seeded = seed(&app).await;
    let dom = rendered(app.url("/console")).await;
    assert!(!dom.contains("<script"), "a live script element: {dom}");
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    let xss = row(&dom, XSS_ORG);
    assert!(xss.contains(escaped), "{xss}");
    let demo = row(&dom, ORG);
    assert!(
        demo.contains("Demo TPP Ltda") && demo.contains(">Active<"),
        "{demo}"
    );
    assert!(demo.contains("<td>1</td>"), "one statement: {demo}");

    // Its page, reached by the link on the list, shows the name as text too,
    // and its JWKS links (an id with a space, '&' and '+') are served.
    let page = hrefs(xss)
        .into_iter()
        .find(|l| l.starts_with("/console/organisations/"))
        .expect("a link to the organisation's page");
    let dom = rendered(app.url(&page)).await;
    assert!(!dom.contains("<script"), "{dom}");
    assert!(dom.contains(&format!("<title>{escaped}")), "{dom}");
    assert!(dom.contains(&format!("<h1>{escaped}</h1>")), "{dom}");
    assert!(dom.contains("No software statements."), "{dom}");
    for url in hrefs(&dom).iter().filter(|l| l.ends_with(".jwks")) {
        assert_served(&app, url).await;
    }

    // The seeded organisation's page: its statement and its own certificate.
    let dom = rendered(app.url(&format!("/console/organisations/{ORG}"))).await;
    let statement = row(&dom, SS);
    assert!(statement.contains("Demo TPP App"), "{statement}");
    assert!(
        hrefs(statement).contains(&format!(
            "/console/organisations/{ORG}/softwarestatements/{SS}"
        )),
        "{statement}"
    );
    let seal = row(&dom, kid(&seeded.seal));
    assert!(
        seal.contains("rtsseal") && seal.contains(">Active<"),
        "{seal}"
    );
    assert!(
        !dom.contains(kid(&seeded.transport)),
        "statement certificates stay on the statement's page"
    );
    let links = hrefs(&dom);
    assert!(
        links
            .iter()
            .any(|l| l == seeded.seal["SignedCertPath"].as_str().unwrap())
    );
    for url in links.iter().filter(|l| l.starts_with("http")) {
        assert_served(&app, url).await;
    }
}

#[tokio::test]
async fn the_participants_page_shows_the_demos_banks_their_servers_and_the_tpps_statement() {
    let app = spawn_app().await;
    seed(&app).await;
    let home = rendered(app.url("/console")).await;
    assert!(hrefs(&home).contains(&"/console/participants".to_owned()));
    let dom = rendered(app.url("/console/participants")).await;
    assert!(!dom.contains("<script"), "a live script element: {dom}");
    let xss = row(&dom, XSS_ORG);
    assert!(
        xss.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{xss}"
    );

    let aurora = row(&dom, AURORA);
    for shown in ["Banco Aurora S.A.", "CONTA", "DADOS", ">Active<"] {
        assert!(aurora.contains(shown), "{shown} in {aurora}");
    }
    assert!(aurora.contains("Banco Aurora"), "its server: {aurora}");
    let tpp = row(&dom, ORG);
    assert!(tpp.contains("PAGTO"), "{tpp}");
    assert!(tpp.contains("Demo TPP App"), "{tpp}");
    let statement = format!("/console/organisations/{ORG}/softwarestatements/{SS}");
    assert!(hrefs(tpp).contains(&statement), "{tpp}");
    assert!(hrefs(tpp).contains(&format!("/console/organisations/{ORG}")));
    let page = app.get_public(&app.url(&statement)).await;
    assert_eq!(page.status(), StatusCode::OK);

    let server = row(&dom, AURORA_AS);
    for shown in [
        "https://auth.banco-aurora.example",
        "https://auth.banco-aurora.example/.well-known/openid-configuration",
        "consents 2.0.0 (2 discovery endpoints)",
        "accounts 2.0.0 (4 discovery endpoints)",
        "payments-pix 3.0.0",
        "resources 2.0.0",
    ] {
        assert!(server.contains(shown), "{shown} in {server}");
    }
    assert!(hrefs(server).contains(&format!("/console/organisations/{AURORA}")));
    assert!(
        dom.contains("Banco Jacarand\u{e1}"),
        "the second bank: {dom}"
    );
}

#[tokio::test]
async fn the_events_page_lists_the_upload_and_the_revocation_newest_first() {
    let app = spawn_app().await;
    seed(&app).await;
    let dom = rendered(app.url("/console/events")).await;
    let revoke = dom
        .find("DIRECTORY_CERTIFICATE_REVOKE_SUCCESS")
        .unwrap_or_else(|| panic!("no revocation in {dom}"));
    let upload = dom
        .find("DIRECTORY_CERTIFICATE_UPLOAD_SUCCESS")
        .unwrap_or_else(|| panic!("no upload in {dom}"));
    assert!(
        revoke < upload,
        "the revocation came last, so it is shown first"
    );
    assert_eq!(
        dom.matches("DIRECTORY_CERTIFICATE_UPLOAD_SUCCESS").count(),
        4
    );
    assert!(dom.contains(">admin<"), "{dom}");
}

#[tokio::test]
async fn the_ca_page_shows_the_signing_root_and_issuing_ca_with_working_links() {
    let app = spawn_app().await;
    let dom = rendered(app.url("/console/ca")).await;
    let roots = &dom[dom.find("id=\"roots\"").expect("a roots table")..];
    let root = &roots[..roots.find("</table>").unwrap()];
    assert_eq!(root.matches("<tr data-key=").count(), 1, "{root}");
    assert!(
        root.contains(">Signing<") && root.contains("obdir Root CA"),
        "{root}"
    );
    let issuing = &dom[dom.find("id=\"issuing\"").expect("an issuing table")..];
    assert!(issuing.contains(">Signing<") && issuing.contains("obdir Issuing CA"));

    let links = hrefs(&dom);
    for needed in ["/ca/chain.pem", "/keystore/openbanking.jwks"] {
        assert!(
            links.contains(&app.url(needed)),
            "{needed} not in {links:?}"
        );
    }
    assert_eq!(
        links.iter().filter(|l| l.contains("crl")).count(),
        2,
        "{links:?}"
    );
    for url in links.iter().filter(|l| l.starts_with("http")) {
        assert_served(&app, url).await;
    }
}

#[tokio::test]
async fn an_unknown_organisation_or_statement_is_a_404_page() {
    let app = spawn_app().await;
    for path in [
        "/console/organisations/nobody".to_owned(),
        format!("/console/organisations/{ORG}/softwarestatements/nothing"),
        format!("/console/organisations/nobody/softwarestatements/{SS}"),
        "/console/organisations/%3Cb%3E".to_owned(),
        "/console/%3Cb%3E/nothing".to_owned(),
    ] {
        let response = app.get_public(&app.url(&path)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "text/html; charset=utf-8"
        );
        let body = response.text().await.unwrap();
        assert!(body.contains("<h1>Not found</h1>"), "{body}");
        assert!(!body.contains("<b>"), "{body}");
    }
    let response = app.get_public(&app.url("/console/")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.url().path(), "/console");
}

#[tokio::test]
async fn console_pages_are_get_only_allow_no_script_and_need_no_token() {
    let app = spawn_app().await;
    let response = app.get_public(&app.url("/console")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    assert!(!policy.contains("script-src"), "{policy}");
    let response = app
        .client
        .post(app.url("/console"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_ne!(response.status(), StatusCode::OK);
    assert!(!response.status().is_server_error());
}
