//! Bearer authentication of the directory API. A missing or wrong token is a
//! 401 with no body.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};

use crate::config::AdminToken;

/// The caller of a directory API request, once authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    Admin,
}

#[derive(Debug, thiserror::Error)]
#[error("missing or invalid bearer token")]
pub struct Unauthorized;

impl ResponseError for Unauthorized {
    fn error_response(&self) -> HttpResponse {
        HttpResponse::Unauthorized()
            .insert_header(("WWW-Authenticate", "Bearer"))
            .finish()
    }
}

impl FromRequest for Caller {
    type Error = Unauthorized;
    type Future = Ready<Result<Caller, Unauthorized>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let presented = req
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let expected = req.app_data::<web::Data<AdminToken>>();
        ready(match (presented, expected) {
            (Some(presented), Some(expected)) if same_secret(presented, expected.expose()) => {
                Ok(Caller::Admin)
            }
            _ => Err(Unauthorized),
        })
    }
}

/// Compares without leaking where the first difference is.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && !b.is_empty() && openssl::memcmp::eq(a.as_bytes(), b.as_bytes())
}
