//! The HTTP faces. Each parses its dialect into domain types, calls one
//! service function and renders its own success or error shape.

pub mod admin;
pub mod auth;
pub mod console;
pub mod directory;
pub mod ecosystem;
pub mod faults;
pub mod interaction;
pub mod keystore;
pub mod oauth;
pub mod revocation;
mod root;

use actix_web::{HttpRequest, web};

use crate::domain::Flavour;
use directory::DirectoryError;

/// Registers every face's routes. `keystore_path` is the path part of the
/// configured keystore base URL ("" when the keystore is the host root).
pub fn configure(cfg: &mut web::ServiceConfig, keystore_path: &str, flavour: Flavour) {
    cfg.configure(root::routes)
        .configure(oauth::routes)
        .configure(revocation::routes)
        .configure(ecosystem::routes)
        .configure(admin::routes)
        .configure(console::routes)
        .service(web::scope("/organisations").configure(directory::routes))
        .service(web::scope(keystore_path).configure(|cfg| keystore::routes(cfg, flavour)));
}

/// Anything no route matches: a 404 in the directory's error shape.
pub async fn no_route(req: HttpRequest) -> Result<actix_web::HttpResponse, DirectoryError> {
    Err(DirectoryError::NotFound(format!(
        "no route for {} {}",
        req.method(),
        req.path()
    )))
}

/// Decodes a JSON object body into `T`. A body that is not an object (an
/// array would fill the fields by position) is refused; a type error names
/// the field it is in.
pub fn decode_json_object<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("body: {e}"))?;
    if !value.is_object() {
        return Err("body: must be a JSON object".into());
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        if path == "." || path == "?" {
            format!("body: {message}")
        } else {
            format!("{path}: {message}")
        }
    })
}

/// Times as every face writes them: RFC 3339, UTC, whole seconds.
pub fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
