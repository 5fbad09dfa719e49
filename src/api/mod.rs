//! The HTTP faces. Each parses its dialect into domain types, calls one
//! service function and renders its own success or error shape.

pub mod auth;
pub mod directory;
pub mod interaction;
pub mod keystore;
mod root;

use actix_web::web;

/// Registers every face's routes. `keystore_path` is the path part of the
/// configured keystore base URL ("" when the keystore is the host root).
pub fn configure(cfg: &mut web::ServiceConfig, keystore_path: &str) {
    cfg.configure(root::routes)
        .service(web::scope("/organisations").configure(directory::routes))
        .service(web::scope(keystore_path).configure(keystore::routes));
}
