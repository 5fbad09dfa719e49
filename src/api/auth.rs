//! Who calls the directory API: a bearer token, or with none, over mutual TLS,
//! a transport certificate obdir issued. A missing or wrong token is a 401
//! with no body.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};

use crate::domain::{AdminToken, Caller};
use crate::service::oauth::AuthorisationServer;
use crate::service::{access, tls};

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

/// The admin token, or an access token from `/token`, in `Authorization:
/// Bearer`; without one, a client certificate obdir issued.
impl FromRequest for Caller {
    type Error = Unauthorized;
    type Future = Ready<Result<Caller, Unauthorized>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let presented = req
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token);
        let server = req.app_data::<web::Data<AuthorisationServer>>();
        let admin = req.app_data::<web::Data<AdminToken>>();
        let certificate = req.conn_data::<PeerCertificate>();
        ready(match (presented, server, admin, certificate) {
            (Some(token), Some(server), Some(admin), certificate) => {
                let presented = certificate.as_ref().map(|c| c.0.as_slice());
                access::authenticate(server, admin, token, presented).ok_or(Unauthorized)
            }
            // No token over mutual TLS: the transport certificate speaks
            // for its software statement, as on the real matls-api hosts.
            (None, Some(server), _, Some(certificate)) => {
                tls::certificate_caller(server.directory(), &certificate.0).ok_or(Unauthorized)
            }
            _ => Err(Unauthorized),
        })
    }
}

/// The credentials of an `Authorization: Bearer <token>` header; the scheme
/// name is case-insensitive (RFC 7235 section 2.1).
pub(crate) fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The DER certificate a TLS client presented, kept with its connection.
#[derive(Debug, Clone)]
pub struct PeerCertificate(pub Vec<u8>);

/// Keeps the client certificate of a TLS connection for its requests.
pub fn keep_peer_certificate(
    connection: &dyn std::any::Any,
    data: &mut actix_web::dev::Extensions,
) {
    use actix_tls::accept::openssl::TlsStream;
    use actix_web::rt::net::TcpStream;
    if let Some(stream) = connection.downcast_ref::<TlsStream<TcpStream>>()
        && let Some(der) = stream
            .ssl()
            .peer_certificate()
            .and_then(|certificate| certificate.to_der().ok())
    {
        data.insert(PeerCertificate(der));
    }
    if connection.downcast_ref::<TcpStream>().is_some() {
        data.insert(PlainConnection);
    }
}

/// Marks a request that came over plain HTTP, not TLS.
#[derive(Clone, Copy)]
pub struct PlainConnection;
