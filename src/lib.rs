//! obdir: an Open Banking directory emulator. This file builds the actix
//! application from the services and runs it; everything else lives in the layers
//! below (`api -> service -> (pki, store) -> domain`).

pub mod api;
pub mod config;
pub mod dns;
pub mod domain;
pub mod pki;
pub mod service;
pub mod store;

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Condition, Logger, from_fn};
use actix_web::{App, HttpServer, web};

use config::Settings;
use domain::face::Face;
use domain::{Clock, PublicUrls};
use pki::authority::CaNaming;
use service::access::TokenOrigin;
use service::oauth::OAuthSettings;
use service::{ServiceError, ServiceSettings, Services};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {bind}: {source}")]
    Bind {
        bind: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Config(String),
    #[error("cannot open the directory: {0}")]
    Open(#[from] ServiceError),
    #[error("{0}")]
    Seed(String),
}

/// A bound, ready-to-run obdir server.
pub struct Application {
    port: u16,
    tls_port: Option<u16>,
    public_url: String,
    banner: String,
    server: Server,
    services: Services,
}

impl Application {
    /// Binds the listener (port 0 picks a free one), opens the data dir, loads
    /// `seed` if given, and builds the server. Nothing is served until `run`.
    pub async fn build(
        settings: Settings,
        seed: Option<PathBuf>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartError> {
        let listen = |bind: &str| {
            let error = |source| StartError::Bind {
                bind: bind.to_owned(),
                source,
            };
            let listener = TcpListener::bind(bind).map_err(error)?;
            let address = listener.local_addr().map_err(error)?;
            Ok::<_, StartError>((listener, address))
        };
        // With TLS on and `tls.plain` off the plain listener stays for the
        // participants document alone: harnesses fetch it without trusting
        // obdir's CA.
        let plain_serves_all = !settings.tls.enabled || settings.tls.plain;
        let plain = Some(listen(&settings.server.bind)?);
        let secure = match settings.tls.enabled {
            true => Some(listen(&settings.tls.bind)?),
            false => None,
        };
        let plain_address = plain.as_ref().map(|(_, a)| *a).filter(|_| plain_serves_all);
        let data_only_address = plain
            .as_ref()
            .map(|(_, a)| *a)
            .filter(|_| !plain_serves_all);
        let tls_address = secure.as_ref().map(|(_, a)| *a);
        let public_url = match (
            settings.server.public_url.trim_end_matches('/'),
            plain_address,
            tls_address,
        ) {
            ("", Some(address), _) => format!("http://{address}"),
            ("", None, Some(address)) => format!("https://{address}"),
            (url, _, _) => url.to_owned(),
        };
        let hosts = settings.host_faces();
        let keystore_host = hosts
            .iter()
            .find(|(_, face)| *face == Face::Keystore)
            .map(|(host, _)| host.as_str());
        let keystore_url = match (
            settings.keystore.base_url.trim_end_matches('/'),
            keystore_host,
        ) {
            // A host of its own: the keystore's URLs name it, with the
            // public URL's scheme and port.
            ("", Some(host)) => with_host(&public_url, host),
            ("", None) => format!("{public_url}/keystore"),
            (url, _) => url.to_owned(),
        };
        let keystore_path = url_path(&keystore_url).ok_or_else(|| {
            StartError::Config(format!(
                "keystore.base_url '{keystore_url}' is not an http(s) URL"
            ))
        })?;
        // On any other host the keystore stays under /keystore.
        let keystore_path = match keystore_host {
            Some(host) if url_host(&keystore_url).is_some_and(|h| h.eq_ignore_ascii_case(host)) => {
                "/keystore".to_owned()
            }
            _ => keystore_path,
        };
        let data_host = hosts
            .iter()
            .find(|(_, face)| *face == Face::Data)
            .map(|(host, _)| host.as_str());
        let data_url = match (
            settings.participants.base_url.trim_end_matches('/'),
            data_host,
            data_only_address,
        ) {
            ("", Some(host), _) => with_host(&public_url, host),
            ("", None, Some(address)) => format!("http://{address}"),
            ("", None, None) => public_url.clone(),
            (url, _, _) => url.to_owned(),
        };
        // A host of its own for the OAuth server: its issuer and endpoints
        // name it, with the public URL's scheme and port.
        let oauth_url = hosts
            .iter()
            .find(|(_, face)| *face == Face::OAuth)
            .map_or_else(
                || public_url.clone(),
                |(host, _)| with_host(&public_url, host),
            );
        let faces = api::FaceMap::new(&keystore_path, hosts);

        // A seed that does not parse stops the start before a data dir is made.
        if let Some(seed) = &seed {
            service::seed::read(seed).map_err(|e| StartError::Seed(e.to_string()))?;
        }
        let data_dir = settings.server.data_dir.clone();
        let services = service::open(
            &data_dir,
            ServiceSettings {
                urls: PublicUrls::new(&public_url, &keystore_url, settings.keystore.flavour)
                    .with_oauth(&oauth_url),
                validity_months: settings.certificates.validity_months,
                cache_mb: settings.store.cache_mb,
                keep_fault_rules: settings.faults.keep_rules,
                revocation_hours: settings.revocation.next_update_hours,
                oauth: OAuthSettings {
                    access_token_minutes: settings.oauth.access_token_minutes,
                    client_secret_basic: settings.oauth.client_secret_basic,
                    tls_client_auth: settings.tls.enabled
                        && settings.tls.client_auth != config::ClientAuth::Off,
                    // The public URL when it is the TLS listener's, else the
                    // first name its certificate carries, at its port.
                    mtls_url: tls_address.map(|address| match settings.tls.names.first() {
                        _ if public_url.starts_with("https://") => public_url.clone(),
                        Some(name) if name.contains(':') => {
                            format!("https://[{name}]:{}", address.port())
                        }
                        Some(name) => format!("https://{name}:{}", address.port()),
                        None => format!("https://{address}"),
                    }),
                },
                ca: CaNaming {
                    organisation: settings.ca.organisation.clone(),
                    country: settings.ca.country.clone(),
                    key_bits: settings.ca.key_bits,
                },
                ra: ra_settings(&settings.ra)?,
                trust_anchors: trust_anchors(&settings.truststore)?,
                tenants: service::tenants::TenantSettings {
                    csrf: settings.tenants.csrf,
                    session: chrono::Duration::minutes(
                        i64::try_from(settings.tenants.session_minutes).unwrap_or(i64::MAX),
                    ),
                    sealing_key: Some(settings.tenants.sealing_key.0.clone())
                        .filter(|key| !key.is_empty()),
                    users: settings.tenants.users.clone(),
                },
                participants_max_age_seconds: settings.participants.max_age_seconds,
                ssa_issuer: match settings.ssa.issuer.as_str() {
                    "" => settings.keystore.flavour.ssa_issuer().to_owned(),
                    issuer => issuer.to_owned(),
                },
            },
            clock,
        )
        .await?;
        let (admin_token, token_origin) =
            service::access::admin_token(&settings.server.admin_token, &data_dir)?;
        let token_source = match &token_origin {
            TokenOrigin::Configured => "set by config or OBDIR_ADMIN_TOKEN".to_owned(),
            TokenOrigin::Kept(path) => path.display().to_string(),
            // Shown here once, never logged: the log stream is kept by CI.
            TokenOrigin::Generated(path) => format!(
                "{} (generated on this start: {})",
                path.display(),
                admin_token.expose()
            ),
        };
        if let Some(seed) = seed {
            let report = service::seed::load(&services.directory, &services.ra, &seed)
                .await
                .map_err(|e| StartError::Seed(e.to_string()))?;
            log::info!("seed {}: {report}", seed.display());
        }

        let flavour = settings.keystore.flavour;
        service::ra::orders::spawn_worker(&services.ra)
            .map_err(|e| StartError::Config(format!("cannot start the RA order worker: {e}")))?;
        let admin_token = web::Data::new(admin_token);
        let faults = web::Data::new(api::faults::FaultInjector::new(
            settings.faults.clone(),
            faces.clone(),
        ));
        let throttle = web::Data::new(api::faults::Throttle::new(
            &settings.rate_limit,
            faces.clone(),
        ));
        let tls_acceptor = match &secure {
            Some(_) => Some(service::tls::acceptor(
                &services.directory,
                &settings.tls.names,
                match settings.tls.client_auth {
                    config::ClientAuth::Off => service::tls::ClientCertificates::Off,
                    config::ClientAuth::Optional => service::tls::ClientCertificates::Optional,
                    config::ClientAuth::Required => service::tls::ClientCertificates::Required,
                },
            )?),
            None => None,
        };
        let openapi = web::Data::new(api::root::OpenApiDocument(api::routes::openapi(
            &api::documented_routes(&faces, flavour),
            &public_url,
        )));
        let upload_limit = web::Data::new(api::tenants::UploadLimit(
            settings.tenants.max_upload_kb * 1024,
        ));
        let known_routes = web::Data::new(api::known_routes(&faces, flavour));
        let face_map = web::Data::new(faces.clone());
        let served = services.clone();
        let urls = web::Data::new(services.directory.urls().clone());
        let mut server = HttpServer::new(move || {
            // The last wrap is the outermost: every answer, a faulted or
            // throttled one too, gets its interaction id and a log line.
            App::new()
                .app_data(web::Data::from(served.directory.clone()))
                .app_data(web::Data::from(served.authorisation_server.clone()))
                .app_data(web::Data::from(served.authority.clone()))
                .app_data(web::Data::from(served.trust_store.clone()))
                .app_data(web::Data::new(served.audit_log.clone()))
                .app_data(web::Data::from(served.ra.clone()))
                .app_data(web::Data::from(served.tenants.clone()))
                .app_data(web::Data::from(served.test_control.clone()))
                .app_data(web::Data::from(served.participants.clone()))
                .app_data(web::Data::from(served.fault_rules.clone()))
                .app_data(urls.clone())
                .app_data(admin_token.clone())
                .app_data(faults.clone())
                .app_data(throttle.clone())
                .app_data(openapi.clone())
                .app_data(upload_limit.clone())
                .app_data(known_routes.clone())
                .app_data(face_map.clone())
                .wrap(Condition::new(
                    !plain_serves_all,
                    from_fn(api::participants::plain_listener_serves_them_alone),
                ))
                .wrap(from_fn(api::negotiation::acceptable))
                .wrap(from_fn(api::faults::inject))
                .wrap(from_fn(api::faults::throttle))
                .wrap(from_fn(api::interaction::interaction_id))
                // The access log formats every request; skip it when its
                // lines would be dropped anyway.
                .wrap(Condition::new(
                    log::log_enabled!(target: "actix_web::middleware::logger", log::Level::Info),
                    Logger::new("%a \"%{request}xi\" %s %b %Dms")
                        .custom_request_replace("request", api::interaction::logged_request_line),
                ))
                .configure(|cfg| api::configure(cfg, &faces, flavour))
                .default_service(web::to(api::negotiation::no_route))
        })
        .on_connect(api::auth::keep_peer_certificate)
        .workers(match settings.server.workers {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        });
        let mut listening = Vec::new();
        if let Some((listener, address)) = plain {
            server = server.listen(listener).map_err(|source| StartError::Bind {
                bind: address.to_string(),
                source,
            })?;
            listening.push(match plain_serves_all {
                true => format!("http://{address}"),
                false => format!("http://{address} (participants only)"),
            });
        }
        if let (Some((listener, address)), Some(acceptor)) = (secure, tls_acceptor) {
            server = server
                .listen_openssl(listener, acceptor)
                .map_err(|source| StartError::Bind {
                    bind: address.to_string(),
                    source,
                })?;
            listening.push(format!("https://{address}"));
        }
        let server = server.run();
        let listening = listening.join(" and ");
        log::info!(
            "obdir listening on {listening} (public URL {public_url}, keystore {keystore_url})"
        );
        let banner = [
            format!("obdir {} serving on {listening}", env!("CARGO_PKG_VERSION")),
            format!("  directory API   {public_url}/organisations"),
            format!(
                "  keystore        {keystore_url} ({} layout)",
                flavour.name()
            ),
            format!("  participants    {data_url}/participants"),
            format!("  discovery       {public_url}/.well-known/openid-configuration"),
            format!("  token endpoint  {public_url}/token"),
            format!("  RA operator API {public_url}/v2"),
            format!("  tenants API     {public_url}/api"),
            format!("  CA chain        {public_url}/ca/chain.pem"),
            format!("  console         {public_url}/console"),
            format!("  admin token     {token_source}"),
        ]
        .join("\n");
        Ok(Self {
            port: plain_address
                .or(data_only_address)
                .or(tls_address)
                .map_or(0, |a| a.port()),
            tls_port: tls_address.map(|a| a.port()),
            public_url,
            banner,
            server,
            services,
        })
    }

    /// The use cases the server answers with, for checks beside the HTTP API.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// The plain HTTP port. With TLS on and `tls.plain` off it serves the
    /// participants document and `/health` alone.
    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn tls_port(&self) -> Option<u16> {
        self.tls_port
    }

    /// What a harness needs to point at this server, one URL a line.
    pub fn banner(&self) -> &str {
        &self.banner
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// A handle that can stop the server.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// `url` (scheme://authority...) with its host replaced, keeping scheme and port.
fn with_host(url: &str, host: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split('/').next().unwrap_or_default();
    let port = authority
        .rsplit_once(':')
        .map(|(_, p)| p)
        .filter(|p| p.chars().all(|c| c.is_ascii_digit()));
    match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    }
}

/// The host of an http(s) URL.
fn url_host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let authority = rest.split('/').next()?;
    Some(authority.rsplit_once(':').map_or(authority, |(h, _)| h))
}

/// The path part of an http(s) URL, without a trailing slash ("" for the root).
fn url_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    Some(rest.find('/').map_or(String::new(), |i| {
        rest[i..].trim_end_matches('/').to_owned()
    }))
}

/// `[truststore]` as the services take it: each file read and found to hold
/// certificates, then the sandbox CAs if asked for.
fn trust_anchors(config: &config::TrustStoreSettings) -> Result<Vec<String>, StartError> {
    let mut pems = Vec::new();
    for path in &config.certificates {
        let refuse = |why: String| {
            StartError::Config(format!(
                "truststore.certificates: {}: {why}",
                path.display()
            ))
        };
        let pem =
            std::fs::read_to_string(path).map_err(|e| refuse(format!("cannot read it: {e}")))?;
        pki::trust::read_anchors(&pem).map_err(|e| refuse(e.to_string()))?;
        pems.push(pem);
    }
    if config.brazil_sandbox {
        pems.extend(
            config::BRAZIL_SANDBOX_CAS
                .iter()
                .map(|pem| (*pem).to_owned()),
        );
    }
    Ok(pems)
}

/// `[ra]` as the services take it: accounts checked, references derived.
fn ra_settings(config: &config::RaConfig) -> Result<service::ra::RaSettings, StartError> {
    use std::time::Duration;
    let invalid = |what: &str, e: domain::DomainError| StartError::Config(format!("{what}.{e}"));
    let operators = config
        .operators
        .iter()
        .enumerate()
        .map(|(i, o)| {
            o.clone()
                .into_operator()
                .map_err(|e| invalid(&format!("ra.operators[{i}]"), e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let clients = config
        .clients
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.clone()
                .into_client(service::ra::accounts::derived_uuid)
                .map_err(|e| invalid(&format!("ra.clients[{i}]"), e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let txt = match config.dns {
        config::DnsMode::Emulated => service::ra::TxtSource::Emulated,
        config::DnsMode::Resolver => service::ra::TxtSource::Resolver {
            nameserver: config.nameserver.parse().map_err(|_| {
                StartError::Config(format!(
                    "ra.nameserver '{}' is not an address and port",
                    config.nameserver
                ))
            })?,
            timeout: Duration::from_millis(config.dns_timeout_ms),
        },
    };
    Ok(service::ra::RaSettings {
        txt,
        timing: domain::ra::OrderTiming {
            state_delay: chrono::Duration::milliseconds(
                i64::try_from(config.order_state_delay_ms).unwrap_or(i64::MAX),
            ),
            validation_timeout: chrono::Duration::seconds(
                i64::try_from(config.validation_timeout_seconds).unwrap_or(i64::MAX),
            ),
        },
        tick: Duration::from_millis(config.order_tick_ms),
        operators,
        clients,
    })
}
