//! What the proof runs (crash, soak) share: starting the release binary,
//! waiting for it, making the CSRs its clients send, and driving the RA and
//! tenants faces.
// Each example uses part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::stack::Stack;
use openssl::x509::extension::SubjectAlternativeName;
use openssl::x509::{X509NameBuilder, X509ReqBuilder};
use serde_json::{Value, json};

/// The demo organisation and software statement of fixtures/demo.json.
pub const ORG: &str = "c8f0bf49-4744-4933-8960-7add6e590841";
pub const SS: &str = "d6a3b1c4-9e2f-4a7b-8c5d-0f1e2d3c4b5a";

/// The RA operator of the proof runs' config, and the one client it acts
/// for with its TLS server product.
pub const RA_USER: &str = "proof.operator";
pub const RA_API_KEY: &str = "proof-operator-api-key-5c1f0e7a92d84b36a0c5";
pub const RA_CLIENT: &str = "cli-5e7a0000-0000-4000-8000-00000000c11e";
pub const RA_PRODUCT: &str = "pma-5e7a0000-0000-4000-8000-0000000075e1";

/// The config every proof run serves with: the RA accounts, its open
/// orders moved on every 20 ms.
fn config_text() -> String {
    format!(
        r#"[ra]
order_tick_ms = 20

[[ra.operators]]
user_name = "{RA_USER}"
api_key = "{RA_API_KEY}"
clients = ["{RA_CLIENT}"]

[[ra.clients]]
name = "Proof run client"
reference = "{RA_CLIENT}"
products = [{{ name = "TLS Server", profile = "tls-server", reference = "{RA_PRODUCT}" }}]
"#
    )
}

pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/release")
        .join("obdir")
}

pub fn start(data_dir: &Path, port: u16) -> Child {
    let config = data_dir.with_extension("toml");
    std::fs::write(&config, config_text()).expect("config written");
    Command::new(binary())
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data_dir)
        .arg("--config")
        .arg(&config)
        .arg("--seed")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo.json"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("obdir starts (run `cargo build --release` first)")
}

pub async fn wait_healthy(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if client
            .get(format!("{base}/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("obdir did not become healthy");
}

/// An rtssigning CSR for the demo statement, P-256.
pub fn csr() -> String {
    csr_for(ORG, SS)
}

/// An rtssigning CSR naming `org` and `ss` (OU and CN), P-256.
pub fn csr_for(org: &str, ss: &str) -> String {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("curve");
    let key = PKey::from_ec_key(EcKey::generate(&group).expect("key")).expect("pkey");
    let mut name = X509NameBuilder::new().expect("name");
    name.append_entry_by_text("OU", org).expect("OU");
    name.append_entry_by_text("CN", ss).expect("CN");
    let mut req = X509ReqBuilder::new().expect("req");
    req.set_subject_name(&name.build()).expect("subject");
    req.set_pubkey(&key).expect("pubkey");
    req.sign(&key, MessageDigest::sha256()).expect("signed");
    String::from_utf8(req.build().to_pem().expect("pem")).expect("utf8")
}

pub fn rand_below(n: usize) -> usize {
    let mut b = [0u8; 8];
    openssl::rand::rand_bytes(&mut b).expect("rng");
    (u64::from_le_bytes(b) % n.max(1) as u64) as usize
}

/// The DER a JWK's x5c entry holds (empty if it is not base64).
pub fn der(b64: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap_or_default()
}

/// The CRL URL the leaf names in its distribution point.
pub fn crl_url(leaf: &openssl::x509::X509) -> Option<String> {
    let points = leaf.crl_distribution_points()?;
    let names = points.get(0)?.distpoint()?.fullname()?;
    names.get(0)?.uri().map(str::to_owned)
}

/// The CA certificates `/ca/chain.pem` serves: issuing CAs, then roots.
pub async fn ca_certificates(client: &reqwest::Client, base: &str) -> Vec<openssl::x509::X509> {
    let chain = client
        .get(format!("{base}/ca/chain.pem"))
        .send()
        .await
        .expect("chain")
        .text()
        .await
        .expect("chain text");
    openssl::x509::X509::stack_from_pem(chain.as_bytes()).expect("chain parses")
}

/// A fresh P-256 key.
pub fn ec_key() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("curve");
    PKey::from_ec_key(EcKey::generate(&group).expect("key")).expect("pkey")
}

/// A fresh RSA 2048 key (tens of milliseconds: make it off the runtime).
pub fn rsa_key() -> PKey<Private> {
    PKey::from_rsa(Rsa::generate(2048).expect("rsa key")).expect("pkey")
}

/// A TLS server CSR as a web server's operator makes one: CN the first
/// name, every name a subjectAltName dNSName.
pub fn host_csr(key: &PKey<Private>, names: &[String]) -> String {
    let mut subject = X509NameBuilder::new().expect("name");
    subject.append_entry_by_text("CN", &names[0]).expect("CN");
    let mut req = X509ReqBuilder::new().expect("req");
    req.set_subject_name(&subject.build()).expect("subject");
    req.set_pubkey(key).expect("pubkey");
    let mut san = SubjectAlternativeName::new();
    for name in names {
        san.dns(name);
    }
    let san = san
        .build(&req.x509v3_context(None))
        .expect("subjectAltName");
    let mut extensions = Stack::new().expect("stack");
    extensions.push(san).expect("push");
    req.add_extensions(&extensions).expect("extensions");
    req.sign(key, MessageDigest::sha256()).expect("signed");
    String::from_utf8(req.build().to_pem().expect("pem")).expect("utf8")
}

/// A POST to the RA face (`/v2{path}`) with the operator's session token.
pub fn ra_post(
    client: &reqwest::Client,
    base: &str,
    session: &str,
    path: &str,
) -> reqwest::RequestBuilder {
    client.post(format!("{base}/v2{path}")).bearer_auth(session)
}

/// The operator's session JWT.
pub async fn ra_login(client: &reqwest::Client, base: &str) -> Result<String, String> {
    let response = client
        .post(format!("{base}/v2/jwt/{RA_USER}"))
        .form(&[("userSecret", RA_API_KEY)])
        .send()
        .await
        .map_err(|e| format!("RA login: {e}"))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| format!("RA login: {e}"))?;
    if status.is_success() {
        Ok(text)
    } else {
        Err(format!("RA login answered {status}: {text}"))
    }
}

/// Pre-validates `name` for the RA client the way a client does it:
/// register it, publish its token as a TXT record in the emulated DNS (an
/// admin call), and have the RA check the record.
pub async fn ra_prevalidate(
    client: &reqwest::Client,
    base: &str,
    admin_token: &str,
    session: &str,
    name: &str,
) -> Result<(), String> {
    let registered: Value = ra_post(
        client,
        base,
        session,
        &format!("/client/domain/{RA_CLIENT}/register"),
    )
    .json(&json!([name]))
    .send()
    .await
    .map_err(|e| format!("register {name}: {e}"))?
    .json()
    .await
    .map_err(|e| format!("register {name}: {e}"))?;
    let domain = &registered[0];
    let (Some(cld), Some(ascii), Some(token)) = (
        domain["prevalidatedDomainReference"].as_str(),
        domain["asciiDomainName"].as_str(),
        domain["token"].as_str(),
    ) else {
        return Err(format!("register {name} answered {registered}"));
    };
    let published = client
        .put(format!("{base}/admin/dns/txt/{ascii}"))
        .bearer_auth(admin_token.trim())
        .json(&json!([token]))
        .send()
        .await
        .map_err(|e| format!("TXT record of {ascii}: {e}"))?;
    if !published.status().is_success() {
        return Err(format!(
            "TXT record of {ascii} answered {}",
            published.status()
        ));
    }
    let validated: Value = ra_post(
        client,
        base,
        session,
        &format!("/client/domain/{cld}/validate"),
    )
    .send()
    .await
    .map_err(|e| format!("validate {name}: {e}"))?
    .json()
    .await
    .map_err(|e| format!("validate {name}: {e}"))?;
    if validated["status"] == "VALIDATED" {
        Ok(())
    } else {
        Err(format!("validate {name} answered {validated}"))
    }
}

/// A tenant user's password in the proof runs and benchmarks.
pub const TENANT_PASSWORD: &str = "proof-run-password-7d2c";

/// The password of every keystore in fixtures/keystores.
pub const KEYSTORE_PASS: &str = "changeit";

/// One entry of a keystore in fixtures/keystores, as a tenant imports it.
pub struct Keystore {
    pub file_name: &'static str,
    pub bytes: &'static [u8],
    pub alias: &'static str,
    /// None: the keystore password.
    pub alias_pass: Option<&'static str>,
}

macro_rules! fixture {
    ($file:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/keystores/",
            $file
        ))
    };
}

const fn keystore(
    file_name: &'static str,
    bytes: &'static [u8],
    alias: &'static str,
    alias_pass: Option<&'static str>,
) -> Keystore {
    Keystore {
        file_name,
        bytes,
        alias,
        alias_pass,
    }
}

/// `aes256.p12`'s entry (OpenSSL 3's default PKCS#12): the import the
/// benchmark times.
pub const AES256_P12: Keystore = keystore("aes256.p12", fixture!("aes256.p12"), "obdir-test", None);

/// Entries of every format the face reads, each with a certificate of its
/// own (the ones that repeat `aes256.p12`'s are left out, so an import that
/// came back as an earlier one would show).
pub const KEYSTORES: [Keystore; 7] = [
    AES256_P12,
    keystore("unnamed.p12", fixture!("unnamed.p12"), "1", None),
    keystore("keytool.p12", fixture!("keytool.p12"), "first", None),
    keystore("keytool.p12", fixture!("keytool.p12"), "second", None),
    keystore("keystore.jks", fixture!("keystore.jks"), "obdir-test", None),
    keystore(
        "keystore.jks",
        fixture!("keystore.jks"),
        "separate-keypass",
        Some("other-secret"),
    ),
    keystore(
        "keystore.jceks",
        fixture!("keystore.jceks"),
        "obdir-test",
        None,
    ),
];

/// Further entries a soak imports: the same certificates in other files
/// (legacy PKCS#12, a JKS chain of two) and a trusted-certificate entry
/// with no key.
pub const MORE_KEYSTORES: [Keystore; 3] = [
    keystore("legacy.p12", fixture!("legacy.p12"), "obdir-test", None),
    keystore("keystore.jks", fixture!("keystore.jks"), "chained", None),
    keystore("keytool.p12", fixture!("keytool.p12"), "test-ca", None),
];

impl Keystore {
    /// The file as the form's `path` part.
    pub fn file_part(&self) -> reqwest::multipart::Part {
        reqwest::multipart::Part::bytes(self.bytes).file_name(self.file_name)
    }

    /// The form that imports this entry: the file, its alias and passwords.
    pub fn form(&self) -> reqwest::multipart::Form {
        let form = reqwest::multipart::Form::new()
            .part("path", self.file_part())
            .text("alias", self.alias)
            .text("keystorePass", KEYSTORE_PASS);
        match self.alias_pass {
            Some(pass) => form.text("aliasPass", pass),
            None => form,
        }
    }
}

/// A tenant user's login: the cookie to send back and the CSRF token its
/// writes carry.
#[derive(Debug, Clone)]
pub struct TenantSession {
    pub tenant: String,
    /// `AtmoAuthToken_{tenant}=...`, as a Cookie header carries it.
    pub cookie: String,
    pub csrf: String,
}

/// Adds (or replaces) a tenant user through the admin API; answers the
/// status (201 for a new user).
pub async fn tenants_add_user(
    client: &reqwest::Client,
    base: &str,
    admin_token: &str,
    tenant: &str,
    email: &str,
) -> Result<u16, String> {
    let response = client
        .post(format!("{base}/admin/tenants/users"))
        .bearer_auth(admin_token.trim())
        .json(&json!({"tenant": tenant, "email": email, "password": TENANT_PASSWORD}))
        .send()
        .await
        .map_err(|e| format!("adding tenant user {email}: {e}"))?;
    Ok(response.status().as_u16())
}

/// Logs a tenant user in as a browser does: keeps the session cookie from
/// Set-Cookie and the CSRF token from its header.
pub async fn tenants_login(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> Result<TenantSession, String> {
    let response = client
        .post(format!("{base}/api/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .map_err(|e| format!("login of {email}: {e}"))?;
    let status = response.status();
    let headers = response.headers().clone();
    let body: Value = response
        .json()
        .await
        .map_err(|e| format!("login of {email}: {e}"))?;
    let Some(tenant) = body["FedmemberID"].as_str().filter(|_| status == 200) else {
        return Err(format!("login of {email} answered {status}: {body}"));
    };
    let prefix = format!("AtmoAuthToken_{tenant}=");
    let cookie = headers
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&prefix))
        .and_then(|v| v.split(';').next())
        .ok_or_else(|| format!("login of {email}: no {prefix} cookie"))?;
    let csrf = headers
        .get(format!("X-Csrf-Token_{tenant}"))
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| format!("login of {email}: no X-Csrf-Token_{tenant} header"))?;
    Ok(TenantSession {
        tenant: tenant.to_owned(),
        cookie: cookie.to_owned(),
        csrf: csrf.to_owned(),
    })
}

impl TenantSession {
    /// A call to `/api{path}` with the session cookie and, when `csrf`, the
    /// CSRF header (writes need it).
    pub fn request(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        base: &str,
        path: &str,
        csrf: bool,
    ) -> reqwest::RequestBuilder {
        let request = client
            .request(method, format!("{base}/api{path}"))
            .header(reqwest::header::COOKIE, &self.cookie);
        if csrf {
            request.header(format!("X-Csrf-Token_{}", self.tenant), &self.csrf)
        } else {
            request
        }
    }

    /// `/tenants/{tenant}/theme/{theme}/pki`, for `request`.
    pub fn pki_path(&self, theme: &str) -> String {
        format!("/tenants/{}/theme/{theme}/pki", self.tenant)
    }

    /// Imports `keystore`'s entry into `theme`, adding its CA to the trust
    /// store if it is not there yet (forceTrust).
    pub fn import(
        &self,
        client: &reqwest::Client,
        base: &str,
        theme: &str,
        keystore: &Keystore,
    ) -> reqwest::RequestBuilder {
        self.request(
            client,
            reqwest::Method::POST,
            base,
            &self.pki_path(theme),
            true,
        )
        .multipart(keystore.form().text("forceTrust", "true"))
    }
}
