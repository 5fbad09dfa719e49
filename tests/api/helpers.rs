//! spawn_app(): the real server on a random port with a temporary data dir,
//! plus `openssl` command-line helpers that play the TPP.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Once};

use chrono::{DateTime, Utc};
use obdir::Application;
use obdir::config::{Overrides, Settings};
use obdir::domain::certificate::Holder;
use obdir::domain::{CertOrKeyType, Clock, FixedClock, Flavour, SystemClock};
use reqwest::{Response, StatusCode};
use serde_json::Value;
use tempfile::TempDir;

pub const TOKEN: &str = "test-admin-token";
pub const ORG: &str = "c8f0bf49-4744-4933-8960-7add6e590841";
pub const SS: &str = "d6a3b1c4-9e2f-4a7b-8c5d-0f1e2d3c4b5a";
/// A PUT body for the demo statement: a complete SoftwareStatementUpdateRequest
/// (every required member, the demo's values) with `changes` laid over it.
pub fn statement_update(changes: Value) -> Value {
    let mut body = serde_json::json!({
        "ClientName": "Demo TPP App",
        "ClientUri": "https://tpp.example",
        "LogoUri": "https://tpp.example/logo.png",
        "RedirectUri": ["https://tpp.example/callback"],
        "Version": 1,
    });
    for (member, value) in changes.as_object().expect("changes are an object") {
        body[member] = value.clone();
    }
    body
}

/// An access token from `{base}/token` for `client_id` by client_secret_basic.
pub async fn basic_token(
    client: &reqwest::Client,
    base: &str,
    client_id: &str,
    secret: &str,
) -> String {
    let response = client
        .post(format!("{base}/token"))
        .basic_auth(client_id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("a token answer");
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// The claims of a JWT, read without checking its signature.
pub fn unverified_claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).expect("a JWT has a payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

/// The demo's two banks, with their authorisation servers.
pub const AURORA: &str = "7b59c224-d641-4fd4-9c46-6c8bff206e1f";
pub const AURORA_AS: &str = "835865ad-4b8f-4216-b8a7-686f0d186846";
pub const JACARANDA: &str = "d7ae8a2f-ffef-4622-a566-c5ed8e5b1c9a";

static LOG: Once = Once::new();

pub struct TestApp {
    pub address: String,
    /// `https://127.0.0.1:<port>` when the app was started with `[tls]` on.
    pub tls_address: Option<String>,
    pub client: reqwest::Client,
    /// The frozen clock, when the app was started with one; tests move it.
    pub clock: Option<Arc<FixedClock>>,
    /// The server's use cases, for looking at the store beside the API.
    pub services: obdir::service::Services,
    /// Removed when the test ends.
    _data_dir: TempDir,
}

/// Options for a test server; the defaults suit most tests.
#[derive(Default)]
pub struct AppOptions {
    pub public_url: Option<String>,
    pub keystore_base_url: Option<String>,
    /// A frozen clock at this time; None runs on the system clock.
    pub now: Option<DateTime<Utc>>,
    /// The keystore flavour; None keeps the default (raidiam).
    pub flavour: Option<Flavour>,
    pub client_secret_basic: bool,
    /// TOML merged over the settings, as a config file would be.
    pub config: Option<&'static str>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(AppOptions::default()).await
}

pub async fn spawn_app_with(options: AppOptions) -> TestApp {
    LOG.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            let _ = env_logger::builder().is_test(true).try_init();
        }
    });
    let data_dir = tempfile::tempdir().expect("temp dir");
    let config_file = options.config.map(|toml| {
        let path = data_dir.path().join("config.toml");
        std::fs::write(&path, toml).expect("config written");
        path
    });
    let mut settings = Settings::load(
        config_file.as_deref(),
        |_| None,
        Overrides {
            bind: Some("127.0.0.1:0".into()),
            data_dir: Some(data_dir.path().to_path_buf()),
            public_url: options.public_url,
            admin_token: Some(TOKEN.into()),
            ..Default::default()
        },
    )
    .expect("settings");
    if let Some(base) = options.keystore_base_url {
        settings.keystore.base_url = base;
    }
    if let Some(flavour) = options.flavour {
        settings.keystore.flavour = flavour;
    }
    settings.oauth.client_secret_basic = options.client_secret_basic;
    let fixed = options.now.map(|now| Arc::new(FixedClock::new(now)));
    let clock: Arc<dyn Clock> = match &fixed {
        Some(fixed) => fixed.clone(),
        None => Arc::new(SystemClock),
    };
    let seed = Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo.json"));
    let app = Application::build(settings, seed, clock)
        .await
        .expect("server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let tls_address = app
        .tls_port()
        .map(|port| format!("https://127.0.0.1:{port}"));
    let services = app.services().clone();
    tokio::spawn(app.run_until_stopped());
    // The server starts accepting once its future is first polled: wait for
    // it, so a test that next blocks on an `openssl` call finds it serving.
    let client = reqwest::Client::new();
    while client
        .get(format!("{address}/health"))
        .send()
        .await
        .is_err()
    {
        tokio::task::yield_now().await;
    }
    // Idle connections are dropped well before the server's 5 s keep-alive
    // ends them, so a request never goes out on one it has just closed.
    let client = reqwest::Client::builder()
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("a test client");
    TestApp {
        address,
        tls_address,
        client,
        clock: fixed,
        services,
        _data_dir: data_dir,
    }
}

impl TestApp {
    /// The server's data dir, to look at what it keeps on disk.
    pub fn data_dir(&self) -> &Path {
        self._data_dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn certificates_path(org: &str, ss: &str, key_type: &str) -> String {
        format!("/organisations/{org}/softwarestatements/{ss}/certificates/{key_type}")
    }

    /// Uploads a PEM body of `key_type` to the holder its rule names: the
    /// seeded software statement, or the organisation for its own types.
    pub async fn upload_to_holder(&self, key_type: CertOrKeyType, pem: &str) -> Response {
        let rule = key_type.rule();
        match rule.holder {
            Holder::Statement => self.upload(rule.name, pem).await,
            Holder::Organisation => {
                let path = format!("/organisations/{ORG}/certificates/{}", rule.name);
                self.post_pem(&path, pem).await
            }
        }
    }

    /// `/ca/chain.pem`: every issuing CA (the signing one first), then every root.
    pub async fn chain_pem(&self) -> String {
        let response = self.get_public(&self.url("/ca/chain.pem")).await;
        response.text().await.expect("the chain is text")
    }

    /// Uploads a PEM body to the seeded software statement as the admin.
    pub async fn upload(&self, key_type: &str, pem: &str) -> Response {
        self.upload_to(ORG, SS, key_type, pem).await
    }

    pub async fn upload_to(&self, org: &str, ss: &str, key_type: &str, pem: &str) -> Response {
        self.post_pem(&Self::certificates_path(org, ss, key_type), pem)
            .await
    }

    /// POSTs a PEM body to `path` as the admin; the answer is held to the spec.
    async fn post_pem(&self, path: &str, pem: &str) -> Response {
        let response = self
            .client
            .post(self.url(path))
            .bearer_auth(TOKEN)
            .header("Content-Type", "application/x-pem-file")
            .body(pem.to_owned())
            .send()
            .await
            .expect("request sent");
        spec_checked("POST", path, response).await
    }

    /// Adds the certificates of a PEM text to the trust store as the admin.
    pub async fn trust(&self, pem: &str) -> Response {
        self.client
            .post(self.url("/admin/truststore"))
            .bearer_auth(TOKEN)
            .header("Content-Type", "application/x-pem-file")
            .body(pem.to_owned())
            .send()
            .await
            .expect("request sent")
    }

    /// Makes a CA, adds it to the trust store, and answers it.
    pub async fn trusted_ca(&self, tpp: &Tpp, name: &str) -> TestCa {
        let ca = tpp.ca(name, &format!("/C=BR/O=Elsewhere/CN={name}"));
        let response = self.trust(&ca.pem).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{name} trusted");
        ca
    }

    pub async fn get(&self, path: &str) -> Response {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("request sent");
        spec_checked("GET", path, response).await
    }

    pub async fn get_public(&self, url: &str) -> Response {
        self.client.get(url).send().await.expect("request sent")
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> Response {
        let response = self
            .client
            .put(self.url(path))
            .bearer_auth(TOKEN)
            .json(body)
            .send()
            .await
            .expect("request sent");
        spec_checked("PUT", path, response).await
    }

    pub async fn delete(&self, path: &str) -> Response {
        let response = self
            .client
            .delete(self.url(path))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("request sent");
        spec_checked("DELETE", path, response).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        let response = self
            .client
            .post(self.url(path))
            .bearer_auth(TOKEN)
            .json(body)
            .send()
            .await
            .expect("request sent");
        spec_checked("POST", path, response).await
    }

    /// The kids in a keystore document.
    pub async fn jwks_kids(&self, url: &str) -> Vec<String> {
        let response = self.get_public(url).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let jwks: Value = response.json().await.expect("JWKS is JSON");
        jwks["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// The answer to `method path`, held first to what the spec's operation
/// lists for it (when the spec has that operation): every directory answer a
/// test reads through `TestApp`'s helpers is checked, status, media type and
/// body, against `fixtures/spec/responses.json`.
pub async fn spec_checked(method: &str, path: &str, response: Response) -> Response {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("body read");
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let spec = crate::spec_schema::Spec::directory();
    if let Some(problems) =
        spec.response_problems(method, path, status.as_u16(), content_type, &body)
    {
        assert!(
            problems.is_empty(),
            "the answer to {method} {path} breaks the spec:\n{}\n{}",
            problems.join("\n"),
            String::from_utf8_lossy(&body)
        );
    }
    let mut rebuilt = http::Response::builder().status(status);
    *rebuilt.headers_mut().expect("a fresh builder") = headers;
    Response::from(rebuilt.body(body.to_vec()).expect("a response"))
}

/// Asserts the status and that one of the `errors` names `needle`.
pub async fn assert_error(response: Response, status: StatusCode, needle: &str) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.expect("error body is JSON");
    let errors = body["errors"].as_array().expect("errors array");
    assert!(
        errors
            .iter()
            .any(|e| e.as_str().unwrap_or_default().contains(needle)),
        "no error mentions {needle:?}: {errors:?}"
    );
}

/// A scratch directory where the `openssl` command line makes keys and CSRs.
pub struct Tpp {
    dir: TempDir,
}

impl Tpp {
    pub fn new() -> Tpp {
        Tpp {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn rsa_key(&self, name: &str, bits: u32) -> PathBuf {
        let path = self.path(name);
        openssl(&[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            &format!("rsa_keygen_bits:{bits}"),
            "-out",
            s(&path),
        ]);
        path
    }

    pub fn rsa_key_with_exponent(&self, name: &str, exponent: u32) -> PathBuf {
        let path = self.path(name);
        openssl(&[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-pkeyopt",
            &format!("rsa_keygen_pubexp:{exponent}"),
            "-out",
            s(&path),
        ]);
        path
    }

    pub fn ec_key(&self, name: &str, curve: &str) -> PathBuf {
        let path = self.path(name);
        openssl(&[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            &format!("ec_paramgen_curve:{curve}"),
            "-out",
            s(&path),
        ]);
        path
    }

    /// A CSR for `key` with `subject`; `extra` goes to `openssl req` as is.
    pub fn csr(&self, key: &Path, subject: &str, extra: &[&str]) -> String {
        let out = self.path("request.csr");
        let mut args = vec![
            "req",
            "-new",
            "-key",
            s(key),
            "-subj",
            subject,
            "-out",
            s(&out),
        ];
        args.extend_from_slice(extra);
        openssl(&args);
        std::fs::read_to_string(out).expect("CSR written")
    }

    pub fn public_key_pem(&self, key: &Path) -> String {
        openssl_stdout(&["pkey", "-in", s(key), "-pubout"])
    }

    pub fn rsa_public_key_pem(&self, key: &Path) -> String {
        openssl_stdout(&["rsa", "-in", s(key), "-RSAPublicKey_out"])
    }

    /// A self-signed certificate, as a CA elsewhere would hand a participant.
    pub fn self_signed(&self, key: &Path, subject: &str, days: u32) -> String {
        let out = self.path("external.pem");
        openssl(&[
            "req",
            "-x509",
            "-new",
            "-key",
            s(key),
            "-subj",
            subject,
            "-days",
            &days.to_string(),
            "-out",
            s(&out),
        ]);
        std::fs::read_to_string(out).expect("certificate written")
    }

    /// A CA certificate (self-signed, CA:TRUE) for a new RSA key, valid ten
    /// years: a CA elsewhere whose certificates the trust store may trust.
    pub fn ca(&self, name: &str, subject: &str) -> TestCa {
        let key = self.rsa_key(&format!("{name}.key"), 2048);
        let cert = self.path(&format!("{name}.pem"));
        openssl(&[
            "req",
            "-x509",
            "-new",
            "-key",
            s(&key),
            "-subj",
            subject,
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-out",
            s(&cert),
        ]);
        let pem = std::fs::read_to_string(&cert).expect("CA certificate written");
        TestCa { key, cert, pem }
    }

    /// A CA under `parent`, for chains with an intermediate.
    pub fn intermediate_ca(&self, parent: &TestCa, name: &str, subject: &str) -> TestCa {
        let key = self.rsa_key(&format!("{name}.key"), 2048);
        let csr = self.csr(
            &key,
            subject,
            &[
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        let pem = self.sign_csr(parent, &csr, 3650);
        let cert = self.path(&format!("{name}.pem"));
        std::fs::write(&cert, &pem).unwrap();
        TestCa { key, cert, pem }
    }

    /// A certificate for `key` with `subject`, signed by `ca`, valid `days`.
    pub fn signed_by(&self, ca: &TestCa, key: &Path, subject: &str, days: u32) -> String {
        let csr = self.csr(key, subject, &[]);
        self.sign_csr(ca, &csr, days)
    }

    fn sign_csr(&self, ca: &TestCa, csr: &str, days: u32) -> String {
        let request = self.path("to-sign.csr");
        std::fs::write(&request, csr).unwrap();
        let out = self.path("signed.pem");
        openssl(&[
            "x509",
            "-req",
            "-in",
            s(&request),
            "-CA",
            s(&ca.cert),
            "-CAkey",
            s(&ca.key),
            "-CAcreateserial",
            "-CAserial",
            s(&self.path("serial.srl")),
            "-copy_extensions",
            "copyall",
            "-days",
            &days.to_string(),
            "-out",
            s(&out),
        ]);
        std::fs::read_to_string(out).expect("certificate written")
    }

    /// `openssl x509 -fingerprint -sha256` as the trust store writes it:
    /// lower-case hex, no colons.
    pub fn sha256_fingerprint(&self, pem: &str) -> String {
        let path = self.path("fingerprint.pem");
        std::fs::write(&path, pem).unwrap();
        let out = openssl_stdout(&["x509", "-in", s(&path), "-noout", "-fingerprint", "-sha256"]);
        out.trim()
            .rsplit('=')
            .next()
            .unwrap()
            .replace(':', "")
            .to_ascii_lowercase()
    }

    /// Runs `openssl verify -CAfile chain leaf` and answers its output.
    pub fn verify(&self, chain_pem: &str, leaf_pem: &str) -> (bool, String) {
        let chain = self.path("chain.pem");
        let leaf = self.path("leaf.pem");
        std::fs::write(&chain, chain_pem).unwrap();
        std::fs::write(&leaf, leaf_pem).unwrap();
        let out = Command::new("openssl")
            .args(["verify", "-CAfile", s(&chain), s(&leaf)])
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    }

    /// `openssl x509 -text` of a PEM certificate.
    pub fn describe(&self, pem: &str) -> String {
        let path = self.path("describe.pem");
        std::fs::write(&path, pem).unwrap();
        openssl_stdout(&["x509", "-in", s(&path), "-noout", "-text"])
    }
}

/// A CA the `openssl` command line made: its key, certificate file and PEM.
pub struct TestCa {
    pub key: PathBuf,
    pub cert: PathBuf,
    pub pem: String,
}

pub fn obie_subject(org: &str, ss: &str) -> String {
    format!("/C=GB/O=OpenBanking/OU={org}/CN={ss}")
}

/// The certificate standard's transport subject from before 2022, with the
/// participant code in OU rather than organizationIdentifier.
pub fn brazil_legacy_subject(org: &str, ss: &str) -> String {
    format!(
        "/businessCategory=Private Organization/jurisdictionC=BR/serialNumber=43142666000197/C=BR/O=Demo TPP/ST=SP/L=Sao Paulo/OU={org}/UID={ss}/CN=tpp.example"
    )
}

/// A signature (brseal) subject naming the organisation, its CNPJ in serialNumber.
pub fn brseal_subject(org: &str) -> String {
    format!("/serialNumber=43142666000197/UID={org}/C=BR/O=ICP-Brasil/CN=Demo TPP Ltda")
}

pub fn brazil_subject(org: &str, ss: &str) -> String {
    format!(
        "/businessCategory=Private Organization/jurisdictionC=BR/serialNumber=43142666000197/C=BR/O=Demo TPP/ST=SP/L=Sao Paulo/organizationIdentifier=OFBBR-{org}/UID={ss}/CN=tpp.example"
    )
}

/// Wraps base64 DER (an x5c entry) in PEM armour.
pub fn pem_of(x5c: &str) -> String {
    let lines: Vec<&str> = x5c
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

pub fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Runs the `openssl` command line: whether it succeeded, and stdout then stderr.
pub fn openssl_outcome(args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

fn openssl(args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn openssl_stdout(args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The obdir binary running as its own process, killed with SIGKILL when
/// dropped (no shutdown, no final flush).
pub struct ObdirProcess {
    child: std::process::Child,
    pub address: String,
    log: Arc<std::sync::Mutex<Vec<String>>>,
}

impl ObdirProcess {
    /// Waits for a started `obdir serve` (stderr piped) to log its listening
    /// line, and keeps reading its log after, so it never blocks on a full
    /// pipe. Panics with the log if it stops first.
    pub fn watch(mut child: std::process::Child) -> ObdirProcess {
        use std::io::{BufRead, BufReader};
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let log = Arc::new(std::sync::Mutex::new(Vec::new()));
        let address = loop {
            let Some(line) = lines.next() else {
                panic!("obdir stopped before listening: {:?}", log.lock().unwrap());
            };
            let line = line.unwrap();
            log.lock().unwrap().push(line.clone());
            if let Some(rest) = line.split("obdir listening on ").nth(1) {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        ObdirProcess {
            child,
            address,
            log,
        }
    }

    /// Every line it has logged so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Every line on its stderr once the start-up banner (which follows the
    /// listening line and ends with the admin token's line) is there too.
    pub async fn log_through_banner(&self) -> Vec<String> {
        for _ in 0..100 {
            let log = self.log();
            if log
                .iter()
                .any(|l| l.trim_start().starts_with("admin token"))
            {
                return log;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no start-up banner: {:?}", self.log());
    }
}

impl Drop for ObdirProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `obdir serve` with the demo seed and `config` on a free port, and
/// waits for its listening line.
pub fn start_binary(data_dir: &Path, config: &str) -> ObdirProcess {
    let config_file = data_dir.with_extension("toml");
    std::fs::write(&config_file, config).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_obdir"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--data-dir",
            s(data_dir),
            "--config",
            s(&config_file),
            "--seed",
        ])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo.json"))
        .env("RUST_LOG", "debug")
        .env_remove("OBDIR_ADMIN_TOKEN")
        .env_remove("OBDIR_CONFIG")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("obdir starts");
    ObdirProcess::watch(child)
}
