//! One integration-test binary: each module drives the real server over HTTP.

mod auth_and_headers;
mod bad_input;
mod cli;
mod console;
mod dns_server;
mod ecosystem;
mod faults;
mod flavour;
mod helpers;
mod hosts;
mod keystore;
mod lifecycle;
mod oauth;
mod openapi;
mod organisations;
mod ra;
mod restart;
mod revocation;
mod secrets;
mod seed;
mod ssa;
mod test_control;
mod tls;
mod truststore;
mod upload_certificates;
mod upload_keys;
