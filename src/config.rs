//! Settings: the compiled-in default (config/default.toml) < a file < OBDIR_*
//! environment variables < command-line flags.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use crate::domain::AdminToken;
use crate::domain::Flavour;
use crate::domain::face::Face;
use crate::domain::fault::{FaultSettings, RateLimitSettings};

const DEFAULT: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub keystore: KeystoreSettings,
    pub participants: ParticipantsSettings,
    pub ssa: SsaSettings,
    pub certificates: CertificateSettings,
    pub ca: CaSettings,
    pub store: StoreSettings,
    pub oauth: OAuthConfig,
    pub revocation: RevocationSettings,
    pub faults: FaultSettings,
    pub rate_limit: RateLimitSettings,
    /// Host name -> the face served at that host's root.
    pub hosts: std::collections::BTreeMap<String, String>,
    pub tls: TlsSettings,
    pub ra: RaConfig,
    pub truststore: TrustStoreSettings,
    pub tenants: TenantsConfig,
}

/// `[tenants]`: the API platform's tenant PKI face (`/api`): its users,
/// sessions, CSRF rule, upload size and the key imported private keys are
/// sealed under.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantsConfig {
    pub csrf: bool,
    pub session_minutes: u64,
    /// Base64 of 32 bytes; empty: generated into the data dir.
    pub sealing_key: SecretText,
    pub max_upload_kb: usize,
    pub users: Vec<crate::domain::tenants::TenantAccount>,
}

impl TenantsConfig {
    fn check(&self) -> Result<(), String> {
        if !(1..=7 * 24 * 60).contains(&self.session_minutes) {
            return Err("tenants.session_minutes must be 1 to 10080 (a week)".into());
        }
        if !(1..=64 * 1024).contains(&self.max_upload_kb) {
            return Err("tenants.max_upload_kb must be 1 to 65536".into());
        }
        if !self.sealing_key.0.is_empty()
            && crate::pki::sealed::SealingKey::from_base64(&self.sealing_key.0).is_err()
        {
            return Err(
                "tenants.sealing_key must be 32 bytes in standard base64 (44 characters), or empty to generate one"
                    .into(),
            );
        }
        for (i, user) in self.users.iter().enumerate() {
            user.parse().map_err(|errors| {
                let rules: Vec<String> = errors.iter().map(ToString::to_string).collect();
                format!("tenants.users[{i}].{}", rules.join("; "))
            })?;
        }
        Ok(())
    }
}

/// A configured secret: never printed.
#[derive(Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct SecretText(pub String);

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "[unset]"
        } else {
            "[set]"
        })
    }
}

/// `[truststore]`: the CAs certificates issued elsewhere must chain to,
/// written into the trust store at every start and reset.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustStoreSettings {
    /// PEM files, each with one or more CERTIFICATE blocks.
    pub certificates: Vec<PathBuf>,
    /// Also trust the Open Finance Brasil sandbox root and issuing CA (G2).
    pub brazil_sandbox: bool,
}

/// The Open Finance Brasil sandbox CAs `truststore.brazil_sandbox` trusts:
/// the G2 root and the issuing CA under it.
pub const BRAZIL_SANDBOX_CAS: [&str; 2] = [
    include_str!("../config/truststore/ofb-sandbox-root-ca-g2.pem"),
    include_str!("../config/truststore/ofb-sandbox-issuing-ca-g2.pem"),
];

/// `[ra]`: the RA-operator face (`/v2`): its accounts, how it looks up
/// domain validation records, and how fast orders move.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RaConfig {
    pub dns: DnsMode,
    /// The nameserver asked in `resolver` mode.
    pub nameserver: String,
    pub dns_timeout_ms: u64,
    pub order_state_delay_ms: u64,
    pub validation_timeout_seconds: u64,
    pub order_tick_ms: u64,
    pub operators: Vec<crate::domain::ra::OperatorAccount>,
    pub clients: Vec<crate::domain::ra::ClientAccount>,
}

impl RaConfig {
    fn check(&self) -> Result<(), String> {
        if self.dns == DnsMode::Resolver && self.nameserver.parse::<std::net::SocketAddr>().is_err()
        {
            return Err(format!(
                "ra.nameserver must be an address and port such as 127.0.0.1:53, got '{}'",
                self.nameserver
            ));
        }
        if !(1..=60_000).contains(&self.dns_timeout_ms) {
            return Err("ra.dns_timeout_ms must be 1 to 60000".into());
        }
        if !(1..=60_000).contains(&self.order_tick_ms) {
            return Err("ra.order_tick_ms must be 1 to 60000".into());
        }
        if self.order_state_delay_ms > 3_600_000 || self.validation_timeout_seconds > 31 * 86_400 {
            return Err(
                "ra.order_state_delay_ms must be at most an hour and ra.validation_timeout_seconds at most 31 days"
                    .into(),
            );
        }
        for (i, operator) in self.operators.iter().enumerate() {
            operator
                .clone()
                .into_operator()
                .map_err(|e| format!("ra.operators[{i}].{e}"))?;
        }
        Ok(())
    }
}

/// Where domain validation looks for TXT records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DnsMode {
    /// Records set through `PUT /admin/dns/txt/{name}`: no DNS server needed.
    Emulated,
    /// A real query to `ra.nameserver`.
    Resolver,
}

/// `[tls]`: an HTTPS listener beside (or instead of) the plain one, with a
/// server certificate obdir's CA issues at start.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSettings {
    pub enabled: bool,
    pub bind: String,
    /// DNS names and IP addresses the server certificate is for.
    pub names: Vec<String>,
    pub client_auth: ClientAuth,
    /// Keep serving plain HTTP on `server.bind` too.
    pub plain: bool,
}

/// Whether the TLS listener asks clients for a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuth {
    Off,
    Optional,
    Required,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationSettings {
    pub next_update_hours: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: String,
    /// HTTP worker threads; 0: one per core.
    pub workers: usize,
    pub data_dir: PathBuf,
    pub public_url: String,
    pub admin_token: AdminToken,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeystoreSettings {
    pub base_url: String,
    pub flavour: Flavour,
}

/// `[ssa]`: what the software statement assertions say of their issuer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsaSettings {
    /// Empty: the flavour's sandbox issuer.
    pub issuer: String,
}

/// `[participants]`: where the public participants document is served and
/// how long clients may reuse it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantsSettings {
    pub base_url: String,
    pub max_age_seconds: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthConfig {
    pub access_token_minutes: i64,
    pub client_secret_basic: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateSettings {
    pub validity_months: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSettings {
    /// Accepted from older config files, and ignored: every write is
    /// durable before it is answered, so there is nothing left to flush.
    #[serde(default)]
    pub background_flush_ms: Option<u64>,
    /// The store's page cache, in MiB.
    pub cache_mb: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaSettings {
    pub organisation: String,
    pub country: String,
    pub key_bits: u32,
}

/// Values from the command line; None leaves the layer below in force.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub public_url: Option<String>,
    pub admin_token: Option<String>,
    /// Serve HTTPS.
    pub tls: Option<bool>,
    /// Ask TLS clients for a certificate (implies TLS).
    pub client_auth: Option<ClientAuth>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("environment variable {message}")]
    Environment { message: String },
}

impl Settings {
    /// The compiled-in defaults alone.
    pub fn defaults() -> Settings {
        toml::from_str(DEFAULT).expect("config/default.toml is valid")
    }

    /// Every layer: defaults, then `file`, then `env`, then `flags`.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
        flags: Overrides,
    ) -> Result<Settings, ConfigError> {
        let mut table: toml::Table = toml::from_str(DEFAULT).expect("config/default.toml is valid");
        let default_path = PathBuf::from("<compiled-in default>");
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| env("OBDIR_CONFIG").map(PathBuf::from));
        let mut origin = default_path;
        if let Some(path) = file {
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
            let overlay: toml::Table = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
                path: path.clone(),
                message: e.to_string(),
            })?;
            merge(&mut table, overlay);
            origin = path;
        }
        let from_env =
            env::apply(&mut table, &env).map_err(|message| ConfigError::Environment { message })?;
        let mut settings: Settings =
            table
                .try_into()
                .map_err(|e: toml::de::Error| ConfigError::Invalid {
                    path: origin.clone(),
                    message: match from_env.is_empty() {
                        true => e.to_string(),
                        false => format!("{e} (set from the environment: {})", from_env.join(", ")),
                    },
                })?;

        let env_layer = Overrides {
            bind: env("OBDIR_BIND"),
            data_dir: env("OBDIR_DATA_DIR").map(PathBuf::from),
            public_url: env("OBDIR_PUBLIC_URL"),
            admin_token: env("OBDIR_ADMIN_TOKEN"),
            tls: None,
            client_auth: None,
        };
        settings.apply(env_layer);
        settings.apply(flags);
        settings.check().map_err(|message| ConfigError::Invalid {
            path: origin,
            message,
        })?;
        if settings.store.background_flush_ms.is_some() {
            log::warn!(
                "store.background_flush_ms is ignored: every write is on disk before it is answered"
            );
        }
        Ok(settings)
    }

    /// Rules a value of the right type can still break.
    fn check(&self) -> Result<(), String> {
        let min_bits = crate::domain::certificate::MIN_RSA_BITS;
        if self.ca.key_bits < min_bits {
            return Err(format!(
                "ca.key_bits must be at least {min_bits}, got {}",
                self.ca.key_bits
            ));
        }
        if !(1..=120).contains(&self.certificates.validity_months) {
            return Err(format!(
                "certificates.validity_months must be 1 to 120, got {}",
                self.certificates.validity_months
            ));
        }
        if !(1..=24 * 365).contains(&self.revocation.next_update_hours) {
            return Err(format!(
                "revocation.next_update_hours must be 1 to 8760, got {}",
                self.revocation.next_update_hours
            ));
        }
        if !(1..=24 * 60).contains(&self.oauth.access_token_minutes) {
            return Err(format!(
                "oauth.access_token_minutes must be 1 to 1440, got {}",
                self.oauth.access_token_minutes
            ));
        }
        self.faults.check()?;
        if self.tls.enabled && self.tls.names.is_empty() {
            return Err("tls.names must name at least one host for the server certificate".into());
        }
        for (host, face) in &self.hosts {
            if let Err(why) =
                crate::domain::host_name::check(host, crate::domain::host_name::HostRules::HOST)
            {
                return Err(format!("hosts: '{host}' is not a host name: it {why}"));
            }
            if Face::parse(face).is_none() {
                let faces: Vec<&str> = Face::ALL.iter().map(|f| f.name()).collect();
                return Err(format!(
                    "hosts.\"{host}\": '{face}' is not one of {}",
                    faces.join(", ")
                ));
            }
        }
        if !(0.0..=1_000_000.0).contains(&self.rate_limit.requests_per_second) {
            return Err(format!(
                "rate_limit.requests_per_second must be 0 (off) to 1000000, got {}",
                self.rate_limit.requests_per_second
            ));
        }
        self.ra.check()?;
        self.tenants.check()?;
        if self.rate_limit.burst == 0 {
            return Err("rate_limit.burst must be at least 1".into());
        }
        if self.ca.country.len() != 2 || !self.ca.country.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(format!(
                "ca.country must be an ISO 3166 alpha-2 code such as BR, got '{}'",
                self.ca.country
            ));
        }
        Ok(())
    }

    /// `[hosts]` with each face parsed (checked at load).
    pub fn host_faces(&self) -> Vec<(String, Face)> {
        self.hosts
            .iter()
            .filter_map(|(host, face)| Some((host.to_ascii_lowercase(), Face::parse(face)?)))
            .collect()
    }

    pub fn apply(&mut self, layer: Overrides) {
        if let Some(bind) = layer.bind {
            self.server.bind = bind;
        }
        if let Some(dir) = layer.data_dir {
            self.server.data_dir = dir;
        }
        if let Some(url) = layer.public_url {
            self.server.public_url = url;
        }
        if let Some(token) = layer.admin_token {
            self.server.admin_token = AdminToken::new(token);
        }
        if let Some(tls) = layer.tls {
            self.tls.enabled = tls;
        }
        if let Some(client_auth) = layer.client_auth {
            self.tls.enabled = true;
            self.tls.client_auth = client_auth;
        }
    }
}

/// Deep-merges `overlay` into `base`: tables merge, other values replace.
fn merge(base: &mut toml::Table, overlay: toml::Table) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

mod env;

#[cfg(test)]
mod tests;
