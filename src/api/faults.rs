//! Fault injection and throttling, before any handler runs: a faulted or
//! throttled request reaches no handler, so it changes nothing.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, RETRY_AFTER};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, web};
use serde_json::json;

use super::FaceMap;
use crate::domain::fapi::InteractionId;
use crate::domain::fault::{
    FAULT_HEADER, Face, Fault, FaultSettings, FaultStatus, RateLimitSettings,
};
use crate::domain::{AdminToken, Caller, DomainError};
use crate::service::access;
use crate::service::fault_rules::{FaultRules, Request};
use crate::service::oauth::AuthorisationServer;

/// Where fault rules are set and cleared.
const FAULT_RULES_PATH: &str = "/admin/faults";

fn face(req: &ServiceRequest, faces: &FaceMap) -> Face {
    faces.face_of_request(req.request())
}

/// The configured faults and the dice they roll.
pub struct FaultInjector {
    settings: FaultSettings,
    faces: FaceMap,
    dice: Mutex<u64>,
}

impl FaultInjector {
    pub fn new(settings: FaultSettings, faces: FaceMap) -> Self {
        let seed = match settings.seed {
            // A seed per process from the standard library's randomly keyed
            // hasher: the dice need no cryptographic strength.
            0 => {
                use std::hash::{BuildHasher, Hasher};
                std::collections::hash_map::RandomState::new()
                    .build_hasher()
                    .finish()
            }
            seed => seed,
        };
        FaultInjector {
            settings,
            faces,
            dice: Mutex::new(seed),
        }
    }

    /// A uniform number in [0, 1) from a splitmix64 sequence: cheap, and the
    /// same seed gives the same sequence.
    fn roll(&self) -> f64 {
        let mut state = self.dice.lock().unwrap_or_else(|e| e.into_inner());
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The header's fault when allowed, else the decision of the first
    /// rule set at run time that matches, else the first configured rule's
    /// draw.
    async fn fault_for(
        &self,
        req: &ServiceRequest,
        face: Face,
        set: Option<&FaultRules>,
    ) -> Result<Fault, DomainError> {
        if self.settings.allow_header
            && let Some(value) = req.headers().get(FAULT_HEADER)
        {
            return Fault::parse_header(value.to_str().unwrap_or_default());
        }
        if let Some(set) = set {
            let request = Request {
                face,
                method: req.method().as_str(),
                path: req.path(),
                interaction_id: req
                    .extensions()
                    .get::<InteractionId>()
                    .map(|i| i.as_str().to_owned()),
            };
            if let Some(fault) = set.fault_for(request, || self.roll()).await {
                return Ok(fault);
            }
        }
        Ok(self
            .settings
            .rule_for(face, req.method().as_str(), req.path())
            .map(|rule| rule.draw(|| self.roll()))
            .unwrap_or_default())
    }
}

/// Waits and fails as the configured faults or the request's header say.
pub async fn inject(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(faults) = req.app_data::<web::Data<FaultInjector>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let set = req.app_data::<web::Data<FaultRules>>().cloned();
    // Never faulted, so a harness can always take its rules back.
    let steers_faults = req
        .path()
        .strip_prefix(FAULT_RULES_PATH)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    if steers_faults || (faults.settings.is_off() && !set.as_ref().is_some_and(|s| s.any_set())) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let face = face(&req, &faults.faces);
    let fault = match faults
        .fault_for(&req, face, set.as_ref().map(|s| s.get_ref()))
        .await
    {
        Ok(fault) => fault,
        Err(e) => {
            let response = HttpResponse::BadRequest().json(json!({ "errors": [e.to_string()] }));
            return Ok(req.into_response(response));
        }
    };
    if let Some(delay) = fault.delay {
        tokio::time::sleep(delay).await;
    }
    match fault.status {
        Some(status) => {
            log::info!(
                "fault injected: {} for {} {}",
                status.code(),
                req.method(),
                req.path()
            );
            Ok(req.into_response(failure(face, status, Duration::from_secs(1))))
        }
        None => Ok(next.call(req).await?.map_into_boxed_body()),
    }
}

/// A failure in the shape of the face's own errors. 429s and 503s say when
/// to retry.
pub fn failure(face: Face, status: FaultStatus, retry_after: Duration) -> HttpResponse {
    let code = StatusCode::from_u16(status.code()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut response = HttpResponse::build(code);
    if status.retries_after() {
        response.insert_header((RETRY_AFTER, retry_after.as_secs().max(1).to_string()));
    }
    match face {
        Face::Ecosystem => response.json(json!({
            "code": status.code().to_string(),
            "message": status.text(),
            "details": [],
        })),
        Face::OAuth => response.json(json!({
            "error": if status == FaultStatus::InternalServerError { "server_error" } else { "temporarily_unavailable" },
            "error_description": status.text(),
        })),
        Face::Revocation => response.content_type("text/plain").body(status.text()),
        Face::Ra => response.json(json!({
            "uuid": uuid::Uuid::new_v4().to_string(),
            "errorCode": crate::domain::ra::RaFailure::runtime("").code.to_string(),
            "errorMessages": [status.text()],
        })),
        Face::Tenants => response.json(json!({
            "code": status.code(),
            "message": status.text(),
        })),
        Face::Directory | Face::Keystore | Face::Data | Face::Admin | Face::Root => {
            response.json(json!({ "errors": [status.text()] }))
        }
    }
}

/// A token bucket per client.
pub struct Throttle {
    per_second: f64,
    burst: f64,
    faces: FaceMap,
    buckets: Mutex<HashMap<String, Bucket>>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Past this many clients, buckets that have refilled are forgotten.
const MAX_BUCKETS: usize = 10_000;

impl Throttle {
    pub fn new(settings: &RateLimitSettings, faces: FaceMap) -> Self {
        Throttle {
            per_second: settings.requests_per_second,
            burst: f64::from(settings.burst),
            faces,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `client`, or answers how long until one is there.
    fn take(&self, client: String, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_BUCKETS {
            let (rate, burst) = (self.per_second, self.burst);
            buckets.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < burst);
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * self.per_second;
        bucket.tokens = (bucket.tokens + refill).min(self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / self.per_second,
            ))
        }
    }
}

/// Who a request counts against: the subject of a valid bearer token, else
/// the address it came from.
fn client_of(req: &ServiceRequest) -> String {
    let caller = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .and_then(|(_, token)| {
            let server = req.app_data::<web::Data<AuthorisationServer>>()?;
            let admin = req.app_data::<web::Data<AdminToken>>()?;
            let presented = req.conn_data::<crate::api::auth::PeerCertificate>();
            let presented = presented.map(|c| c.0.as_slice());
            access::authenticate(server, admin, token.trim(), presented)
        });
    match caller {
        Some(Caller::Admin) => "admin".to_owned(),
        Some(Caller::Software {
            software_statement_id,
            ..
        }) => {
            format!("client:{software_statement_id}")
        }
        None => req
            .peer_addr()
            .map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string()),
    }
}

/// Answers 429 with Retry-After once a client has used its bucket.
pub async fn throttle(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(throttle) = req.app_data::<web::Data<Throttle>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    if throttle.per_second <= 0.0 {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    match throttle.take(client_of(&req), Instant::now()) {
        Ok(()) => Ok(next.call(req).await?.map_into_boxed_body()),
        Err(wait) => {
            let face = face(&req, &throttle.faces);
            let response = failure(
                face,
                FaultStatus::TooManyRequests,
                wait.max(Duration::from_secs(1)),
            );
            Ok(req.into_response(response))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_mapped_hosts_belong_to_faces() {
        let faces = FaceMap::new(
            "/keystore",
            vec![("keystore.example".into(), Face::Keystore)],
        );
        let at = |path: &str| faces.face_of(Some("127.0.0.1"), path);
        assert_eq!(at("/organisations/o"), Face::Directory);
        assert_eq!(at("/keystore/o/s/application.jwks"), Face::Keystore);
        assert_eq!(at("/token"), Face::OAuth);
        assert_eq!(at("/.well-known/openid-configuration"), Face::OAuth);
        assert_eq!(at("/v1/ecosystems/certificates/ca"), Face::Ecosystem);
        assert_eq!(at("/crl/x.crl"), Face::Revocation);
        assert_eq!(at("/admin/events"), Face::Admin);
        assert_eq!(at("/health"), Face::Root);
        assert_eq!(at("/tokens"), Face::Root);
        assert_eq!(
            faces.face_of(Some("KEYSTORE.example"), "/o/s/application.jwks"),
            Face::Keystore
        );
        let root_keystore = FaceMap::new("", Vec::new());
        assert_eq!(
            root_keystore.face_of(None, "/o/s/application.jwks"),
            Face::Keystore
        );
        assert_eq!(root_keystore.face_of(None, "/console"), Face::Root);
    }

    #[test]
    fn a_bucket_refills_at_its_rate() {
        let throttle = Throttle::new(
            &RateLimitSettings {
                requests_per_second: 2.0,
                burst: 2,
            },
            FaceMap::new("/keystore", Vec::new()),
        );
        let start = Instant::now();
        assert!(throttle.take("a".into(), start).is_ok());
        assert!(throttle.take("a".into(), start).is_ok());
        let wait = throttle.take("a".into(), start).unwrap_err();
        assert!(wait > Duration::from_millis(400) && wait <= Duration::from_millis(500));
        assert!(
            throttle.take("b".into(), start).is_ok(),
            "each client has its own bucket"
        );
        assert!(
            throttle
                .take("a".into(), start + Duration::from_millis(500))
                .is_ok()
        );
    }

    #[test]
    fn the_dice_repeat_for_a_seed() {
        let settings = FaultSettings {
            seed: 7,
            ..Default::default()
        };
        let a = FaultInjector::new(settings.clone(), FaceMap::new("", Vec::new()));
        let b = FaultInjector::new(settings, FaceMap::new("", Vec::new()));
        let rolls: Vec<f64> = (0..5).map(|_| a.roll()).collect();
        assert_eq!(rolls, (0..5).map(|_| b.roll()).collect::<Vec<_>>());
        assert!(rolls.iter().all(|r| (0.0..1.0).contains(r)));
    }
}
