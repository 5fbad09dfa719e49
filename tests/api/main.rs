//! One integration-test binary: each module drives the real server over HTTP.

mod auth_and_headers;
mod helpers;
mod keystore;
mod organisations;
mod restart;
mod upload_certificates;
mod upload_keys;
