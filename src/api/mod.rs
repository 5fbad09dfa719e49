//! The HTTP faces. Each parses its dialect into domain types, calls one
//! service function and renders its own success or error shape.

pub mod admin;
pub mod audited;
pub mod auth;
pub mod console;
pub mod directory;
pub mod ecosystem;
pub mod faults;
pub mod interaction;
pub mod keystore;
pub mod markup;
pub mod multipart;
pub mod negotiation;
pub mod oauth;
pub mod participants;
pub mod ra;
pub mod ra_admin;
pub mod revocation;
pub mod root;
pub mod routes;
pub mod tenants;
pub mod tenants_admin;
pub mod truststore;

use actix_web::http::header::HOST;
use actix_web::{HttpRequest, guard, web};

use crate::domain::fault::Face;
use crate::domain::{DomainError, Flavour};
use routes::Routes;

/// Where each face is served: at the root of the host names `[hosts]` gives
/// it, and on every other host by path (the keystore under `keystore_path`,
/// "" when the keystore is the host root).
#[derive(Debug, Clone)]
pub struct FaceMap {
    keystore_path: String,
    hosts: Vec<(String, Face)>,
}

impl FaceMap {
    pub fn new(keystore_path: &str, hosts: Vec<(String, Face)>) -> Self {
        FaceMap {
            keystore_path: keystore_path.to_owned(),
            hosts,
        }
    }

    /// The face `req` is for, by its host and path.
    pub fn face_of_request(&self, req: &HttpRequest) -> Face {
        self.face_of(host_of(req).as_deref(), req.path())
    }

    /// The face a request is for: its host's, when the host is mapped, else
    /// the one its path belongs to.
    pub fn face_of(&self, host: Option<&str>, path: &str) -> Face {
        if let Some(host) = host
            && let Some((_, face)) = self
                .hosts
                .iter()
                .find(|(h, _)| h.eq_ignore_ascii_case(host))
        {
            return *face;
        }
        let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
        let keystore_path = self.keystore_path.as_str();
        if !keystore_path.is_empty() && under(keystore_path) {
            Face::Keystore
        } else if under("/organisations") {
            Face::Directory
        } else if under("/token") || under("/.well-known") {
            Face::OAuth
        } else if under("/v1/ecosystems") {
            Face::Ecosystem
        } else if under("/v2") {
            Face::Ra
        } else if under("/api") {
            Face::Tenants
        } else if under("/crl") || under("/ocsp") {
            Face::Revocation
        } else if under("/admin") {
            Face::Admin
        } else if under("/participants") {
            Face::Data
        } else if keystore_path.is_empty()
            && !under("/health")
            && !under("/ca")
            && !under("/console")
        {
            // A keystore served at the host's root owns every other path.
            Face::Keystore
        } else {
            Face::Root
        }
    }
}

/// Registers every face's routes: first each mapped host's own face at its
/// root (with health and the CA chain), then every face by path.
pub fn configure(cfg: &mut web::ServiceConfig, faces: &FaceMap, flavour: Flavour) {
    for (host, face) in &faces.hosts {
        let face = *face;
        cfg.service(web::scope("").guard(guard::Host(host)).configure(|cfg| {
            mount(cfg, Face::Root, "", flavour);
            if face != Face::Root {
                mount(cfg, face, "", flavour);
            }
        }));
    }
    for face in Face::ALL {
        mount(cfg, face, &faces.keystore_path, flavour);
    }
}

/// The host a request named, without its port.
pub fn host_of(req: &HttpRequest) -> Option<String> {
    let host = req
        .headers()
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().host())?;
    let host = host.parse::<actix_web::http::Uri>().ok()?;
    host.host().map(str::to_owned)
}

/// Every route the server mounts on its main host, for the OpenAPI document.
pub fn documented_routes(faces: &FaceMap, flavour: Flavour) -> Vec<routes::DocumentedRoute> {
    let mut documented = Vec::new();
    for face in Face::ALL {
        document_face(&mut documented, face, &faces.keystore_path, flavour);
    }
    documented
}

/// Every route a request may reach, on each mapped host and by path.
pub fn known_routes(faces: &FaceMap, flavour: Flavour) -> negotiation::KnownRoutes {
    let by_host = faces
        .hosts
        .iter()
        .map(|(host, face)| {
            let mut routes = Vec::new();
            // As `configure` mounts a mapped host: health, the CA chain and
            // the console, then its face at the root.
            document_face(&mut routes, Face::Root, "", flavour);
            if *face != Face::Root {
                document_face(&mut routes, *face, "", flavour);
            }
            (host.clone(), routes)
        })
        .collect();
    negotiation::KnownRoutes::new(by_host, documented_routes(faces, flavour))
}

/// Adds `face`'s routes to `documented`, where `mount` puts them.
fn document_face(
    documented: &mut Vec<routes::DocumentedRoute>,
    face: Face,
    keystore_path: &str,
    flavour: Flavour,
) {
    let (at, register) = face_routes(face, flavour);
    let prefix = match at {
        MountAt::Root => "",
        MountAt::Scope(path) => path,
        MountAt::Keystore => keystore_path,
    };
    register(&mut Routes::document(documented, prefix, face));
}

/// Puts a face's routes into a `Routes`.
type Register = Box<dyn Fn(&mut Routes)>;

/// Where a face's routes are mounted.
enum MountAt {
    Root,
    Scope(&'static str),
    /// Under the keystore's path.
    Keystore,
}

/// A face's routes and where they go: the one table both mounting and the
/// document read.
fn face_routes(face: Face, flavour: Flavour) -> (MountAt, Register) {
    match face {
        Face::Root => (
            MountAt::Root,
            Box::new(|r| {
                root::routes(r);
                console::routes(r);
            }),
        ),
        Face::OAuth => (MountAt::Root, Box::new(oauth::routes)),
        Face::Revocation => (MountAt::Root, Box::new(revocation::routes)),
        Face::Ecosystem => (MountAt::Root, Box::new(ecosystem::routes)),
        Face::Ra => (MountAt::Scope("/v2"), Box::new(ra::routes)),
        Face::Tenants => (MountAt::Scope("/api"), Box::new(tenants::routes)),
        Face::Admin => (MountAt::Root, Box::new(admin::routes)),
        Face::Data => (MountAt::Root, Box::new(participants::routes)),
        Face::Directory => (MountAt::Root, Box::new(directory::routes)),
        Face::Keystore => (
            MountAt::Keystore,
            Box::new(move |r| keystore::routes(r, flavour)),
        ),
    }
}

fn mount(cfg: &mut web::ServiceConfig, face: Face, keystore_path: &str, flavour: Flavour) {
    let (at, register) = face_routes(face, flavour);
    match at {
        MountAt::Root => register(&mut Routes::serve(cfg, face)),
        MountAt::Scope(path) => {
            cfg.service(web::scope(path).configure(|cfg| register(&mut Routes::serve(cfg, face))));
        }
        MountAt::Keystore => {
            cfg.service(
                web::scope(keystore_path).configure(|cfg| register(&mut Routes::serve(cfg, face))),
            );
        }
    }
}

/// The media type of a Content-Type value, lower-cased, parameters dropped.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Decodes a JSON object body into `T`. A body that is not an object (an
/// array would fill the fields by position) is refused; a type error names
/// the field it is in.
pub fn decode_json_object<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, DomainError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| DomainError::field("body", e.to_string()))?;
    if !value.is_object() {
        return Err(DomainError::field("body", "must be a JSON object"));
    }
    decode_json_value(value)
}

/// Decodes any JSON body into `T`; a type error names the field it is in.
pub fn decode_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, DomainError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| DomainError::field("body", e.to_string()))?;
    decode_json_value(value)
}

fn decode_json_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, DomainError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let rule = e.into_inner().to_string();
        match path.as_str() {
            "." | "?" => DomainError::field("body", rule),
            _ => DomainError::field(path, rule),
        }
    })
}

/// Why a body could not be read.
#[derive(Debug)]
pub enum BodyError {
    TooLarge(String),
    Unreadable(String),
}

/// Reads the body up to `limit` bytes; more is refused, checked on the
/// declared length first so an oversize upload is refused before it is read.
pub async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Vec<u8>, BodyError> {
    use futures_util::StreamExt;
    let too_large = || BodyError::TooLarge(format!("body: must be at most {limit} bytes"));
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| BodyError::Unreadable(format!("body: could not be read: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Times as every face writes them: RFC 3339, UTC, whole seconds.
pub fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
