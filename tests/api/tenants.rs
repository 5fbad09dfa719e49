//! The tenants face (seed 003) over HTTP: login, CSRF, keystore imports made
//! by the real tools (openssl pkcs12, keytool) with their passwords and
//! aliases, the trust store and forceTrust, JSON and XML answers, and the
//! private key kept sealed.

use std::path::PathBuf;
use std::process::Command;

use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{AppOptions, TOKEN, TestApp, spawn_app_with};

const TENANT: &str = "acmepaymentscorp";
const EMAIL: &str = "admin@acmepaymentscorp.example";
const PASSWORD: &str = "soa-password-1";
const OTHER_TENANT: &str = "globex";
const OTHER_EMAIL: &str = "admin@globex.example";
const PASS: &str = "changeit";
const PKI: &str = "/api/tenants/acmepaymentscorp/theme/clone/pki";

fn config(extra: &str) -> &'static str {
    let config = format!(
        r#"
[tenants]
{extra}

[[tenants.users]]
tenant = "{TENANT}"
email = "{EMAIL}"
password = "{PASSWORD}"

[[tenants.users]]
tenant = "{OTHER_TENANT}"
email = "{OTHER_EMAIL}"
password = "{PASSWORD}"
"#
    );
    Box::leak(config.into_boxed_str())
}

async fn spawn_tenants(extra: &str) -> TestApp {
    spawn_app_with(AppOptions {
        config: Some(config(extra)),
        ..Default::default()
    })
    .await
}

fn keystore(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/keystores")
        .join(name)
}

/// A logged-in user: the cookie header to send and the CSRF token.
struct Session {
    tenant: String,
    cookie: String,
    csrf: String,
}

async fn login(app: &TestApp, email: &str, password: &str) -> Response {
    app.client
        .post(app.url("/api/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn session(app: &TestApp, tenant: &str, email: &str) -> Session {
    let response = login(app, email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie_name = format!("AtmoAuthToken_{tenant}");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with(&format!("{cookie_name}=")))
        .expect("session cookie set");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    let header = response
        .headers()
        .get(format!("X-Csrf-Token_{tenant}"))
        .expect("CSRF header")
        .to_str()
        .unwrap()
        .to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["csrfToken"], header.as_str());
    assert_eq!(body["FedmemberID"], tenant);
    Session {
        tenant: tenant.to_owned(),
        cookie: cookie.split(';').next().unwrap().to_owned(),
        csrf: header,
    }
}

/// What an upload sends: the file as part `path` (the seed's sample) and
/// the other fields as form parts.
struct Upload<'a> {
    file: &'a str,
    /// `path` as in the seed's sample, or `fileName` as its table says.
    file_part: &'a str,
    fields: Vec<(&'a str, &'a str)>,
    query: &'a str,
    accept: &'a str,
    csrf: bool,
}

impl<'a> Upload<'a> {
    fn of(file: &'a str, alias: &'a str) -> Self {
        Upload {
            file,
            file_part: "path",
            fields: vec![("alias", alias), ("keystorePass", PASS)],
            query: "",
            accept: "application/json",
            csrf: true,
        }
    }

    fn with(mut self, name: &'a str, value: &'a str) -> Self {
        self.fields.retain(|(n, _)| *n != name);
        self.fields.push((name, value));
        self
    }
}

async fn upload(app: &TestApp, session: &Session, path: &str, upload: Upload<'_>) -> Response {
    let bytes = std::fs::read(keystore(upload.file)).unwrap();
    let mut form = Form::new().part(
        upload.file_part.to_owned(),
        Part::bytes(bytes)
            .file_name(upload.file.to_owned())
            .mime_str("application/octet-stream")
            .unwrap(),
    );
    for (name, value) in upload.fields {
        form = form.text(name.to_owned(), value.to_owned());
    }
    let mut request = app
        .client
        .post(app.url(&format!("{path}{}", upload.query)))
        .header("Cookie", &session.cookie)
        .header("Accept", upload.accept)
        .multipart(form);
    if upload.csrf {
        request = request.header(format!("X-Csrf-Token_{}", session.tenant), &session.csrf);
    }
    request.send().await.unwrap()
}

async fn get(app: &TestApp, session: &Session, path: &str, accept: &str) -> Response {
    app.client
        .get(app.url(path))
        .header("Cookie", &session.cookie)
        .header("Accept", accept)
        .send()
        .await
        .unwrap()
}

async fn assert_tenants_error(response: Response, status: StatusCode, needle: &str) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], status.as_u16());
    let message = body["message"].as_str().unwrap();
    assert!(message.contains(needle), "{message:?} lacks {needle:?}");
}

async fn truststore(app: &TestApp) -> Vec<Value> {
    app.client
        .get(app.url("/admin/truststore"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn openssl(args: &[&str]) -> Vec<u8> {
    let output = Command::new("openssl").args(args).output().unwrap();
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The leaf certificate of a PKCS#12 file, as openssl reads it.
fn p12_leaf(file: &str, legacy: bool) -> String {
    let path = keystore(file);
    let mut args = vec![
        "pkcs12",
        "-in",
        path.to_str().unwrap(),
        "-passin",
        "pass:changeit",
    ];
    args.extend(["-nokeys", "-clcerts"]);
    if legacy {
        args.push("-legacy");
    }
    String::from_utf8(openssl(&args)).unwrap()
}

/// A certificate's public key as base64 SubjectPublicKeyInfo DER.
fn spki_base64(certificate_pem: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    std::fs::write(&cert, certificate_pem).unwrap();
    let pem = openssl(&["x509", "-in", cert.to_str().unwrap(), "-noout", "-pubkey"]);
    String::from_utf8(pem)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()
}

#[tokio::test]
async fn login_sets_the_cookie_and_answers_the_csrf_token() {
    let app = spawn_tenants("").await;
    let session = session(&app, TENANT, EMAIL).await;
    assert!(
        session
            .cookie
            .starts_with("AtmoAuthToken_acmepaymentscorp=TokenID%3D")
    );
    assert!(session.csrf.starts_with("TokenID%3D"));
    assert!(session.csrf.contains("%2CexpirationTime%3D"));

    // E-mail is matched case-insensitively; a wrong password and an unknown
    // user get the same answer.
    let upper = login(&app, &EMAIL.to_uppercase(), PASSWORD).await;
    assert_eq!(upper.status(), StatusCode::OK);
    for (email, password) in [(EMAIL, "wrong-password"), ("nobody@example.com", PASSWORD)] {
        assert_tenants_error(
            login(&app, email, password).await,
            StatusCode::UNAUTHORIZED,
            "email or password is wrong",
        )
        .await;
    }
    let missing = app
        .client
        .post(app.url("/api/login"))
        .json(&json!({"email": EMAIL}))
        .send()
        .await
        .unwrap();
    assert_tenants_error(missing, StatusCode::BAD_REQUEST, "password").await;

    // Logging out ends the session the cookie names.
    assert_eq!(
        get(&app, &session, PKI, "application/json").await.status(),
        StatusCode::NOT_FOUND
    );
    let out = app
        .client
        .delete(app.url("/api/login"))
        .header("Cookie", &session.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_tenants_error(
        get(&app, &session, PKI, "application/json").await,
        StatusCode::UNAUTHORIZED,
        "not a session of tenant 'acmepaymentscorp'",
    )
    .await;
}

#[tokio::test]
async fn a_pkcs12_import_is_refused_untrusted_then_forced_into_the_trust_store() {
    let app = spawn_tenants("").await;
    let session = session(&app, TENANT, EMAIL).await;
    let anchors_before = truststore(&app).await.len();

    // The leaf's CA is not in the trust store: refused, nothing written.
    let refused = upload(&app, &session, PKI, Upload::of("aes256.p12", "obdir-test")).await;
    assert_tenants_error(
        refused,
        StatusCode::BAD_REQUEST,
        "does not chain to the trust store",
    )
    .await;
    assert_eq!(truststore(&app).await.len(), anchors_before);
    assert_eq!(
        get(&app, &session, PKI, "application/json").await.status(),
        StatusCode::NOT_FOUND
    );

    // forceTrust (here in the query, as the seed's sample sends it) adds the
    // issuer the keystore carries.
    let forced = upload(
        &app,
        &session,
        PKI,
        Upload {
            query: "?forceTrust=true",
            ..Upload::of("aes256.p12", "obdir-test")
        },
    )
    .await;
    assert_eq!(forced.status(), StatusCode::OK);
    let body: Value = forced.json().await.unwrap();
    let leaf = p12_leaf("aes256.p12", false);
    assert_eq!(body["privateKeyExists"], true);
    assert_eq!(body["publicKey"], spki_base64(&leaf).as_str());
    let info = &body["certificateInfo"];
    assert_eq!(info["subjectDN"], "CN=obdir keystore test leaf");
    assert_eq!(info["issuerDN"], "CN=obdir keystore test CA");
    assert_eq!(info["serialNo"], "2");
    let not_after =
        String::from_utf8(openssl_stdin(&["x509", "-noout", "-enddate"], &leaf)).unwrap();
    let not_after = chrono::NaiveDateTime::parse_from_str(
        not_after.trim().trim_start_matches("notAfter="),
        "%b %e %H:%M:%S %Y GMT",
    )
    .unwrap()
    .and_utc();
    assert_eq!(info["expirationDate"], not_after.timestamp_millis());
    assert!(info["effectiveDate"].as_i64().unwrap() < not_after.timestamp_millis());
    let href = app.url(PKI);
    assert_eq!(
        body["Links"],
        json!([{"rel": "delete", "href": href}, {"rel": "self", "href": href}])
    );

    let anchors = truststore(&app).await;
    assert_eq!(anchors.len(), anchors_before + 1);
    let added = anchors
        .iter()
        .find(|a| a["source"] == "forceTrust")
        .unwrap();
    assert_eq!(added["subject"], "CN=obdir keystore test CA");

    // Now trusted, the same import goes through without forceTrust.
    let again = upload(&app, &session, PKI, Upload::of("legacy.p12", "obdir-test")).await;
    assert_eq!(again.status(), StatusCode::OK);
    let legacy: Value = again.json().await.unwrap();
    assert_eq!(legacy["publicKey"], body["publicKey"]);

    // GET reads it back; DELETE removes it.
    let read: Value = get(&app, &session, PKI, "application/json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read, legacy);
    let deleted = app
        .client
        .delete(app.url(PKI))
        .header("Cookie", &session.cookie)
        .header("X-Csrf-Token_acmepaymentscorp", &session.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_tenants_error(
        get(&app, &session, PKI, "application/json").await,
        StatusCode::NOT_FOUND,
        "theme 'clone' of tenant 'acmepaymentscorp' holds no PKI",
    )
    .await;
}

fn openssl_stdin(args: &[&str], input: &str) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    output.stdout
}

#[tokio::test]
async fn jks_and_jceks_entries_with_their_own_passwords() {
    let app = spawn_tenants("").await;
    let session = session(&app, TENANT, EMAIL).await;
    let theme = |name: &str| format!("/api/tenants/{TENANT}/theme/{name}/pki");

    // A self-signed key pair: forceTrust adds the certificate itself.
    let response = upload(
        &app,
        &session,
        &theme("jks"),
        Upload::of("keystore.jks", "obdir-test").with("forceTrust", "true"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["privateKeyExists"], true);
    assert_eq!(
        body["certificateInfo"]["subjectDN"],
        "CN=obdir keystore test JKS"
    );
    assert_eq!(
        body["certificateInfo"]["issuerDN"],
        body["certificateInfo"]["subjectDN"]
    );
    assert!(
        truststore(&app)
            .await
            .iter()
            .any(|a| a["subject"] == "CN=obdir keystore test JKS" && a["source"] == "forceTrust")
    );

    // An EC key whose own password differs from the keystore's: given as
    // aliasPass (the file part named fileName this time).
    let wrong = upload(
        &app,
        &session,
        &theme("jks-ec"),
        Upload::of("keystore.jks", "separate-keypass").with("forceTrust", "true"),
    )
    .await;
    assert_tenants_error(
        wrong,
        StatusCode::BAD_REQUEST,
        "keystorePass: the password for alias 'separate-keypass' is wrong",
    )
    .await;
    let wrong = upload(
        &app,
        &session,
        &theme("jks-ec"),
        Upload::of("keystore.jks", "separate-keypass")
            .with("forceTrust", "true")
            .with("aliasPass", "not-it"),
    )
    .await;
    assert_tenants_error(
        wrong,
        StatusCode::BAD_REQUEST,
        "aliasPass: the password for alias",
    )
    .await;
    let right = upload(
        &app,
        &session,
        &theme("jks-ec"),
        Upload {
            file_part: "fileName",
            ..Upload::of("keystore.jks", "Separate-Keypass")
                .with("forceTrust", "true")
                .with("aliasPass", "other-secret")
        },
    )
    .await;
    assert_eq!(right.status(), StatusCode::OK);
    let body: Value = right.json().await.unwrap();
    // An EC P-256 SubjectPublicKeyInfo.
    assert!(
        body["publicKey"]
            .as_str()
            .unwrap()
            .starts_with("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")
    );

    // A trusted-certificate entry carries no private key.
    let ca = upload(
        &app,
        &session,
        &theme("jks-ca"),
        Upload::of("keystore.jks", "test-ca").with("forceTrust", "true"),
    )
    .await;
    assert_eq!(ca.status(), StatusCode::OK);
    let body: Value = ca.json().await.unwrap();
    assert_eq!(body["privateKeyExists"], false);
    assert_eq!(
        body["certificateInfo"]["subjectDN"],
        "CN=obdir keystore test CA"
    );

    // JCEKS, and the JKS entry that carries its CA as a chain.
    for (file, alias, subject) in [
        (
            "keystore.jceks",
            "obdir-test",
            "CN=obdir keystore test JCEKS",
        ),
        ("keystore.jks", "chained", "CN=obdir keystore test leaf"),
        (
            "keytool.p12",
            "second",
            "CN=obdir keystore test keytool second",
        ),
    ] {
        let response = upload(
            &app,
            &session,
            &theme(alias),
            Upload::of(file, alias).with("forceTrust", "true"),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK, "{file} {alias}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["certificateInfo"]["subjectDN"], subject);
    }

    // Wrong keystore password, a missing alias (the aliases present are
    // listed), a file that is no keystore, a refused one.
    let wrong = upload(
        &app,
        &session,
        &theme("x"),
        Upload::of("keystore.jks", "obdir-test").with("keystorePass", "nope"),
    )
    .await;
    assert_tenants_error(
        wrong,
        StatusCode::BAD_REQUEST,
        "keystorePass: the keystore password is wrong",
    )
    .await;
    let missing = upload(
        &app,
        &session,
        &theme("x"),
        Upload::of("keystore.jks", "absent"),
    )
    .await;
    assert_tenants_error(
        missing,
        StatusCode::BAD_REQUEST,
        "alias: the keystore has no entry with alias 'absent'; the aliases present are",
    )
    .await;
    let missing = upload(
        &app,
        &session,
        &theme("x"),
        Upload::of("aes256.p12", "absent"),
    )
    .await;
    assert_tenants_error(missing, StatusCode::BAD_REQUEST, "'obdir-test'").await;
    let not_keystore = upload(&app, &session, &theme("x"), Upload::of("ca.pem", "any")).await;
    assert_tenants_error(
        not_keystore,
        StatusCode::BAD_REQUEST,
        "fileName: the keystore file cannot be read",
    )
    .await;
    let no_mac = upload(
        &app,
        &session,
        &theme("x"),
        Upload::of("nomac.p12", "no-mac"),
    )
    .await;
    assert_tenants_error(no_mac, StatusCode::BAD_REQUEST, "fileName:").await;
    let secret = upload(
        &app,
        &session,
        &theme("x"),
        Upload::of("secret-key.jceks", "aes-key"),
    )
    .await;
    assert_tenants_error(secret, StatusCode::BAD_REQUEST, "fileName:").await;
    assert_eq!(
        get(&app, &session, &theme("x"), "application/json")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn xml_is_answered_when_asked_for() {
    let app = spawn_tenants("").await;
    let session = session(&app, TENANT, EMAIL).await;
    // The seed's sample Accept header: HTML first, XML after.
    let accept = "text/html,application/xhtml+xml,application/xml";
    let response = upload(
        &app,
        &session,
        PKI,
        Upload {
            accept,
            ..Upload::of("unnamed.p12", "1").with("forceTrust", "true")
        },
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let xml = response.text().await.unwrap();
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><PKIAndCertificateInfo xmlns=\"http://soa.com/uri/products/restapi/xsd/1.0\"><privateKeyExists>true</privateKeyExists><publicKey>MFkw"
    ), "{xml}");
    assert!(
        xml.contains("<subjectDN>CN=obdir keystore test unnamed</subjectDN>"),
        "{xml}"
    );
    let href = app.url(PKI);
    assert!(xml.ends_with(&format!(
        "<Links><Link rel=\"delete\" href=\"{href}\"/><Link rel=\"self\" href=\"{href}\"/></Links></PKIAndCertificateInfo>"
    )));
    let read = get(&app, &session, PKI, "application/xml")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(read, xml);

    // Errors follow the same Accept.
    let missing = get(
        &app,
        &session,
        "/api/tenants/acmepaymentscorp/theme/none/pki",
        "application/xml",
    )
    .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        missing.text().await.unwrap(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Error xmlns=\"http://soa.com/uri/products/restapi/xsd/1.0\"><code>404</code><message>theme &#39;none&#39; of tenant &#39;acmepaymentscorp&#39; holds no PKI</message></Error>"
    );
}

#[tokio::test]
async fn cookie_and_csrf_failures_are_401s() {
    let app = spawn_tenants("").await;
    let session = session(&app, TENANT, EMAIL).await;
    let other = session_of_other_tenant(&app).await;
    let trusted = Upload::of("unnamed.p12", "1").with("forceTrust", "true");

    // No cookie at all.
    let response = app.client.get(app.url(PKI)).send().await.unwrap();
    assert_tenants_error(
        response,
        StatusCode::UNAUTHORIZED,
        "AtmoAuthToken_acmepaymentscorp: missing cookie",
    )
    .await;
    // Another tenant's session, under this tenant's cookie name.
    let borrowed = Session {
        tenant: TENANT.into(),
        cookie: other.cookie.replace(OTHER_TENANT, TENANT),
        csrf: other.csrf.clone(),
    };
    assert_tenants_error(
        get(&app, &borrowed, PKI, "application/json").await,
        StatusCode::UNAUTHORIZED,
        "not a session of tenant 'acmepaymentscorp'",
    )
    .await;
    // A made-up session.
    let made_up = Session {
        tenant: TENANT.into(),
        cookie: "AtmoAuthToken_acmepaymentscorp=TokenID%3Dnot-a-session%2CexpirationTime%3D9999999999999".into(),
        csrf: session.csrf.clone(),
    };
    assert_tenants_error(
        get(&app, &made_up, PKI, "application/json").await,
        StatusCode::UNAUTHORIZED,
        "log in again",
    )
    .await;

    // A write with no CSRF token, or another session's.
    let response = upload(
        &app,
        &session,
        PKI,
        Upload {
            csrf: false,
            ..Upload::of("unnamed.p12", "1")
        },
    )
    .await;
    assert_tenants_error(
        response,
        StatusCode::UNAUTHORIZED,
        "X-Csrf-Token_acmepaymentscorp: missing",
    )
    .await;
    let wrong = Session {
        tenant: session.tenant.clone(),
        cookie: session.cookie.clone(),
        csrf: other.csrf.clone(),
    };
    let response = upload(&app, &wrong, PKI, Upload::of("unnamed.p12", "1")).await;
    assert_tenants_error(
        response,
        StatusCode::UNAUTHORIZED,
        "not this session's CSRF token",
    )
    .await;
    let response = app
        .client
        .delete(app.url(PKI))
        .header("Cookie", &session.cookie)
        .send()
        .await
        .unwrap();
    assert_tenants_error(
        response,
        StatusCode::UNAUTHORIZED,
        "X-Csrf-Token_acmepaymentscorp: missing",
    )
    .await;
    assert_eq!(
        get(&app, &session, PKI, "application/json").await.status(),
        StatusCode::NOT_FOUND
    );

    // The token as a form part, as the seed's sample sends it, is enough.
    let csrf_part = format!("X-Csrf-Token_{TENANT}");
    let response = upload(
        &app,
        &session,
        PKI,
        Upload {
            csrf: false,
            ..Upload::of("unnamed.p12", "1")
                .with("forceTrust", "true")
                .with(&csrf_part, &session.csrf)
        },
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Reads need no CSRF token.
    assert_eq!(
        get(&app, &session, PKI, "application/json").await.status(),
        StatusCode::OK
    );

    // With CSRF turned off, the cookie alone may write.
    let relaxed = spawn_tenants("csrf = false").await;
    let session = self::session(&relaxed, TENANT, EMAIL).await;
    let response = upload(
        &relaxed,
        &session,
        PKI,
        Upload {
            csrf: false,
            ..trusted
        },
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn session_of_other_tenant(app: &TestApp) -> Session {
    session(app, OTHER_TENANT, OTHER_EMAIL).await
}

#[tokio::test]
async fn a_session_expires_and_users_come_from_the_admin_api() {
    let now = obdir::domain::Clock::now(&obdir::domain::SystemClock);
    let app = spawn_app_with(AppOptions {
        config: Some(config("session_minutes = 5")),
        now: Some(now),
        ..Default::default()
    })
    .await;
    let session = session(&app, TENANT, EMAIL).await;
    assert_eq!(
        get(&app, &session, PKI, "application/json").await.status(),
        StatusCode::NOT_FOUND
    );
    app.clock
        .as_ref()
        .unwrap()
        .set(now + chrono::Duration::minutes(5));
    assert_tenants_error(
        get(&app, &session, PKI, "application/json").await,
        StatusCode::UNAUTHORIZED,
        "expired",
    )
    .await;

    let add = |body: Value| {
        app.client
            .post(app.url("/admin/tenants/users"))
            .bearer_auth(TOKEN)
            .json(&body)
            .send()
    };
    let created =
        add(json!({"tenant": "initech", "email": "Bill@Initech.example", "password": PASSWORD}))
            .await
            .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        created.json::<Value>().await.unwrap(),
        json!({"tenant": "initech", "email": "bill@initech.example"})
    );
    let short =
        add(json!({"tenant": "initech", "email": "x@initech.example", "password": "short"}))
            .await
            .unwrap();
    assert_eq!(short.status(), StatusCode::BAD_REQUEST);
    let listed: Value = app
        .client
        .get(app.url("/admin/tenants/users"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 3);
    assert!(!listed.to_string().contains(PASSWORD));
    let bill = self::session(&app, "initech", "bill@initech.example").await;
    // Removing the user ends its sessions.
    let removed = app
        .client
        .delete(app.url("/admin/tenants/users/bill@initech.example"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_tenants_error(
        get(
            &app,
            &bill,
            "/api/tenants/initech/theme/t/pki",
            "application/json",
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "log in again",
    )
    .await;
}

#[tokio::test]
async fn the_private_key_is_sealed_at_rest_and_never_answered() {
    let app = spawn_tenants("").await;
    let session = session(&app, TENANT, EMAIL).await;
    let response = upload(
        &app,
        &session,
        PKI,
        Upload::of("aes256.p12", "obdir-test").with("forceTrust", "true"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer = response.text().await.unwrap();

    // The key as openssl reads it out of the file: PKCS#8 DER, and base64.
    let path = keystore("aes256.p12");
    let key_pem = openssl(&[
        "pkcs12",
        "-in",
        path.to_str().unwrap(),
        "-passin",
        "pass:changeit",
        "-nocerts",
        "-nodes",
    ]);
    let key_der = openssl_stdin(
        &["pkey", "-outform", "DER"],
        &String::from_utf8(key_pem).unwrap(),
    );
    assert!(key_der.len() > 1000);
    let key_base64 = obdir::pki::encoding::base64(&key_der);
    let stored = app.services.test_control.stored_contents().unwrap();
    let raw = std::fs::read(app.data_dir().join("obdir.redb")).unwrap();
    for haystack in [answer.as_bytes(), raw.as_slice()] {
        // A run of the key's private part (past the public modulus, which
        // the answer rightly carries), raw or in base64, would be a leak.
        for at in [450, 600, 800, 1100] {
            assert!(!haystack.windows(32).any(|w| w == &key_der[at..at + 32]));
            let at = at / 3 * 4;
            let run = &key_base64.as_bytes()[at..at + 64];
            assert!(!haystack.windows(64).any(|w| w == run));
        }
    }
    let record = stored
        .iter()
        .find(|(table, _, _)| table == "theme_pki")
        .unwrap();
    let record: Value = serde_json::from_slice(&record.2).unwrap();
    assert!(record["private_key"]["ciphertext"].as_str().unwrap().len() > 1000);

    // The sealing key was generated into the data dir, owner-only.
    let key_file = app.data_dir().join("sealing-key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(std::fs::read_to_string(&key_file).unwrap().trim().len(), 44);
}

#[tokio::test]
async fn a_method_or_path_the_face_does_not_serve_is_answered_in_json_or_xml() {
    let app = spawn_tenants("").await;
    let patch = app
        .client
        .patch(app.url("/api/tenants/acme/theme/clone/pki"))
        .send()
        .await
        .unwrap();
    assert_eq!(patch.headers()["allow"], "DELETE, GET, POST");
    assert_tenants_error(patch, StatusCode::METHOD_NOT_ALLOWED, "this path takes").await;
    let unknown = app
        .client
        .get(app.url("/api/tenants/acme/nothing"))
        .header("Accept", "application/xml")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let body = unknown.text().await.unwrap();
    assert!(body.contains("<code>404</code>"), "{body}");
    assert!(
        body.contains("no route for GET /api/tenants/acme/nothing"),
        "{body}"
    );
}
