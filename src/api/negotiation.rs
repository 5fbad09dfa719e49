//! What the server answers when a request names a method or a media type a
//! known path does not serve: a 405 with `Allow`, or a 406 when the
//! directory cannot answer in any type the `Accept` header takes (RFC 9110
//! §15.5.6, §15.5.7, §12.5.1); a path no route takes is a 404. Each in the
//! error shape of the face the request reached.

use actix_web::ResponseError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ResourceDef, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT, ALLOW, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, web};

use super::FaceMap;
use super::directory::DirectoryError;
use super::routes::DocumentedRoute;
use crate::domain::fault::Face;

pub const JSON: &str = "application/json";
pub const JWT: &str = "application/jwt";
/// One certificate or key record (the spec's CertificatesOrKey response).
pub const JWK: &str = "application/jwk+json";
/// A list of them, or a keystore document.
pub const JWK_SET: &str = "application/jwk-set+json";

/// Of the `offered` media types, the one `accept` prefers: the highest
/// quality, ties going to the earlier offer; the first offer when there is
/// no Accept header, None when the header takes none of them.
pub fn preferred<'a>(accept: Option<&str>, offered: &[&'a str]) -> Option<&'a str> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return offered.first().copied();
    };
    let ranges: Vec<(String, f32)> = accept.split(',').filter_map(media_range).collect();
    let mut best: Option<(&str, f32)> = None;
    for offer in offered {
        // The most specific range that matches the offer sets its quality.
        let quality = ranges
            .iter()
            .filter_map(|(range, q)| specificity(range, offer).map(|s| (s, *q)))
            .max_by_key(|(s, _)| *s)
            .map(|(_, q)| q);
        if let Some(q) = quality.filter(|q| *q > 0.0)
            && best.is_none_or(|(_, b)| q > b)
        {
            best = Some((offer, q));
        }
    }
    best.map(|(offer, _)| offer)
}

/// `type/subtype;q=0.5` as (`type/subtype`, 0.5); other parameters dropped.
fn media_range(range: &str) -> Option<(String, f32)> {
    let mut parts = range.split(';');
    let media = parts.next()?.trim().to_ascii_lowercase();
    if media.is_empty() {
        return None;
    }
    let q = parts
        .filter_map(|p| p.trim().split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
        .map_or(Some(1.0), |(_, v)| v.trim().parse::<f32>().ok())?;
    Some((media, q.clamp(0.0, 1.0)))
}

/// How closely `range` names `offer`: 2 exactly, 1 by `type/*`, 0 by `*/*`.
fn specificity(range: &str, offer: &str) -> Option<u8> {
    if range == offer {
        return Some(2);
    }
    let (kind, subtype) = range.split_once('/')?;
    match subtype {
        "*" if kind == "*" => Some(0),
        "*" if offer.split('/').next() == Some(kind) => Some(1),
        _ => None,
    }
}

/// What the directory face answers at `path`: a statement's assertion is a
/// JWT, or a JSON string holding it; certificate and key records are JWKs
/// and sets of them; everything else JSON.
fn directory_offers(path: &str) -> &'static [&'static str] {
    if path.ends_with("/assertion") {
        &[JWT, JSON]
    } else if path.split('/').any(|segment| segment == "certificates") {
        &[JSON, JWK, JWK_SET]
    } else {
        &[JSON]
    }
}

/// Refuses a directory request whose Accept takes nothing the path answers,
/// before the handler runs.
pub async fn acceptable(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let is_directory = req
        .app_data::<web::Data<FaceMap>>()
        .is_some_and(|faces| faces.face_of_request(req.request()) == Face::Directory);
    if is_directory {
        let offers = directory_offers(req.path());
        let accept = req.headers().get(ACCEPT).and_then(|v| v.to_str().ok());
        if preferred(accept, offers).is_none() {
            let refusal = DirectoryError::NotAcceptable(format!(
                "Accept: this path answers {} only, got '{}'",
                offers.join(" or "),
                accept.unwrap_or_default()
            ));
            return Ok(req.into_response(refusal.error_response()));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Every route a request may reach, by host: what a mapped host serves at
/// its root, and what every other host serves by path.
pub struct KnownRoutes {
    by_host: Vec<(String, Vec<Known>)>,
    by_path: Vec<Known>,
}

struct Known {
    method: &'static str,
    path: ResourceDef,
}

impl KnownRoutes {
    pub fn new(
        by_host: Vec<(String, Vec<DocumentedRoute>)>,
        by_path: Vec<DocumentedRoute>,
    ) -> Self {
        let known = |routes: Vec<DocumentedRoute>| {
            routes
                .into_iter()
                .map(|r| Known {
                    method: r.method,
                    path: ResourceDef::new(r.pattern),
                })
                .collect()
        };
        KnownRoutes {
            by_host: by_host
                .into_iter()
                .map(|(host, routes)| (host, known(routes)))
                .collect(),
            by_path: known(by_path),
        }
    }

    /// The methods some route serves at `path` on `host`, upper case.
    fn allowed(&self, host: &str, path: &str) -> Vec<String> {
        let routes = self
            .by_host
            .iter()
            .find(|(h, _)| h.eq_ignore_ascii_case(host))
            .map_or(&self.by_path, |(_, routes)| routes);
        let mut methods: Vec<String> = routes
            .iter()
            .filter(|r| r.path.is_match(path))
            .map(|r| r.method.to_ascii_uppercase())
            .collect();
        methods.sort();
        methods.dedup();
        methods
    }
}

/// Anything no route takes: a 405 naming the methods the path serves, or a
/// 404 when it serves none, in the error shape of the face it reached.
pub async fn no_route(req: HttpRequest) -> actix_web::HttpResponse {
    let host = super::host_of(&req).unwrap_or_default();
    let allowed = req
        .app_data::<web::Data<KnownRoutes>>()
        .map(|known| known.allowed(&host, req.path()))
        .unwrap_or_default();
    let asked = format!("{} {}", req.method(), req.path());
    let missing = if allowed.is_empty() {
        NoRoute::Path(format!("no route for {asked}"))
    } else {
        NoRoute::Method {
            message: format!(
                "{asked} is not served; this path takes {}",
                allowed.join(", ")
            ),
            allow: allowed,
        }
    };
    let face = req
        .app_data::<web::Data<FaceMap>>()
        .map_or(Face::Directory, |faces| faces.face_of_request(&req));
    let mut response = match face {
        Face::Ra => super::ra::RaError::from(missing.ra_failure()).error_response(),
        Face::Ecosystem => super::ecosystem::EcosystemError::no_route(&missing).error_response(),
        Face::Tenants => super::tenants::no_route(&req, &missing),
        _ => DirectoryError::from(missing.clone()).error_response(),
    };
    if let NoRoute::Method { allow, .. } = &missing
        && let Ok(methods) = HeaderValue::from_str(&allow.join(", "))
    {
        response.headers_mut().insert(ALLOW, methods);
    }
    response
}

/// What a request no route takes missed: the path, or the method at a path.
#[derive(Debug, Clone)]
pub enum NoRoute {
    Path(String),
    Method { message: String, allow: Vec<String> },
}

impl NoRoute {
    /// 404 for a path nothing serves, 405 for a method a path does not take.
    pub fn status(&self) -> StatusCode {
        match self {
            NoRoute::Path(_) => StatusCode::NOT_FOUND,
            NoRoute::Method { .. } => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            NoRoute::Path(message) | NoRoute::Method { message, .. } => message,
        }
    }

    fn ra_failure(&self) -> crate::domain::ra::RaFailure {
        use crate::domain::ra::RaFailure;
        match self {
            NoRoute::Path(message) => RaFailure::unknown_route(message),
            NoRoute::Method { message, .. } => RaFailure::method_not_allowed(message),
        }
    }
}

impl From<NoRoute> for DirectoryError {
    fn from(missing: NoRoute) -> Self {
        match missing {
            NoRoute::Path(message) => DirectoryError::NotFound(message),
            NoRoute::Method { message, .. } => DirectoryError::MethodNotAllowed(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_range_sets_the_quality() {
        assert_eq!(preferred(None, &[JWT, JSON]), Some(JWT));
        assert_eq!(preferred(Some(""), &[JSON]), Some(JSON));
        assert_eq!(
            preferred(Some("application/json"), &[JWT, JSON]),
            Some(JSON)
        );
        assert_eq!(preferred(Some("*/*"), &[JWT, JSON]), Some(JWT));
        assert_eq!(preferred(Some("application/*"), &[JSON]), Some(JSON));
        assert_eq!(
            preferred(
                Some("application/jwt;q=0.5, application/json"),
                &[JWT, JSON]
            ),
            Some(JSON)
        );
        assert_eq!(
            preferred(Some("*/*;q=0.1, application/json;q=0"), &[JSON]),
            None,
            "q=0 refuses the type even under */*"
        );
        assert_eq!(preferred(Some("application/xml"), &[JSON]), None);
        assert_eq!(preferred(Some("text/csv, text/html"), &[JSON]), None);
        assert_eq!(preferred(Some("text/*"), &[JSON]), None);
        assert_eq!(
            preferred(Some("APPLICATION/JSON; charset=utf-8"), &[JSON]),
            Some(JSON)
        );
    }

    #[test]
    fn a_known_path_answers_the_methods_its_routes_take() {
        let route = |method, pattern: &str| DocumentedRoute {
            method,
            path: pattern.to_owned(),
            pattern: pattern.to_owned(),
            face: Face::Directory,
            summary: "",
            body: None,
            answers: Vec::new(),
        };
        let known = KnownRoutes::new(
            vec![(
                "keystore.example".into(),
                vec![route("get", "/{org}/application.jwks")],
            )],
            vec![
                route("get", "/organisations/{org}"),
                route("put", "/organisations/{org}"),
                route("delete", "/organisations/{org}"),
                route("get", "/organisations"),
            ],
        );
        assert_eq!(
            known.allowed("localhost", "/organisations/o1"),
            ["DELETE", "GET", "PUT"]
        );
        assert!(known.allowed("localhost", "/nowhere").is_empty());
        assert_eq!(
            known.allowed("KEYSTORE.example", "/o1/application.jwks"),
            ["GET"]
        );
        assert!(
            known
                .allowed("keystore.example", "/organisations")
                .is_empty()
        );
    }
}
