//! The directory's OAuth 2.0 endpoints: discovery, the token endpoint, and
//! token introspection (RFC 7662) and revocation (RFC 7009), which
//! authenticate their client as the token endpoint does. Errors are RFC
//! 6749's `{"error", "error_description"}`.

use super::auth::PeerCertificate;
use crate::api::routes::Routes;
use actix_web::http::StatusCode;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use serde::Deserialize;
use serde_json::json;

use crate::service::oauth::{
    self, AuthorisationServer, CLIENT_ASSERTION_ALGORITHMS, ClientAuthentication, OAuthError,
    TokenRequest,
};
use crate::service::token_lifecycle::{self, TokenQuery};

pub fn routes(r: &mut Routes) {
    r.get(
        "/.well-known/openid-configuration",
        discovery,
        "OAuth server discovery document",
    )
    .post(
        "/token",
        token,
        "Client credentials token (private_key_jwt, tls_client_auth, client_secret_basic)",
    )
    .post(
        "/token/introspect",
        introspect,
        "Token introspection (RFC 7662), for the client's own tokens",
    )
    .post(
        "/token/revoke",
        revoke,
        "Token revocation (RFC 7009), for the client's own tokens",
    );
}

impl ResponseError for OAuthError {
    fn status_code(&self) -> StatusCode {
        match self.code {
            // RFC 6749 5.2: a failed client authentication is a 401.
            "invalid_client" => StatusCode::UNAUTHORIZED,
            // The store cannot take the change now: retry (RFC 6749 4.1.2.1).
            "temporarily_unavailable" => StatusCode::SERVICE_UNAVAILABLE,
            "server_error" => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.code == "server_error" {
            log::error!("oauth server: {}", self.description);
        }
        HttpResponse::build(self.status_code())
            .insert_header(("Cache-Control", "no-store"))
            .json(json!({"error": self.code, "error_description": self.description}))
    }
}

/// GET /.well-known/openid-configuration
async fn discovery(server: web::Data<AuthorisationServer>) -> HttpResponse {
    let urls = server.urls();
    let mut methods = vec!["private_key_jwt"];
    if server.settings().tls_client_auth {
        methods.push("tls_client_auth");
    }
    if server.settings().client_secret_basic {
        methods.push("client_secret_basic");
    }
    let mut document = json!({
        "issuer": urls.issuer(),
        "token_endpoint": urls.token_endpoint(),
        "introspection_endpoint": urls.introspection_endpoint(),
        "revocation_endpoint": urls.revocation_endpoint(),
        "jwks_uri": urls.directory_jwks(),
        "grant_types_supported": ["client_credentials"],
        "response_types_supported": ["token"],
        "scopes_supported": [oauth::SCOPE],
        "token_endpoint_auth_methods_supported": methods,
        "token_endpoint_auth_signing_alg_values_supported": CLIENT_ASSERTION_ALGORITHMS,
        "introspection_endpoint_auth_methods_supported": methods,
        "introspection_endpoint_auth_signing_alg_values_supported": CLIENT_ASSERTION_ALGORITHMS,
        "revocation_endpoint_auth_methods_supported": methods,
        "revocation_endpoint_auth_signing_alg_values_supported": CLIENT_ASSERTION_ALGORITHMS,
        "id_token_signing_alg_values_supported": ["PS256"],
        "subject_types_supported": ["public"],
    });
    // RFC 8705 3.3 and 5: tokens asked for over mutual TLS are bound to the
    // client's certificate, and the endpoints have aliases there.
    let settings = server.settings();
    document["tls_client_certificate_bound_access_tokens"] = json!(settings.tls_client_auth);
    if let Some(mtls) = settings
        .mtls_url
        .as_deref()
        .filter(|_| settings.tls_client_auth)
    {
        document["mtls_endpoint_aliases"] = json!({
            "token_endpoint": format!("{mtls}/token"),
            "introspection_endpoint": format!("{mtls}/token/introspect"),
            "revocation_endpoint": format!("{mtls}/token/revoke"),
        });
    }
    HttpResponse::Ok().json(document)
}

/// The members every endpoint here takes to authenticate its client.
#[derive(Deserialize)]
struct ClientForm {
    client_id: Option<String>,
    client_assertion_type: Option<String>,
    client_assertion: Option<String>,
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: Option<String>,
    scope: Option<String>,
    #[serde(flatten)]
    client: ClientForm,
}

/// The body of an introspection or revocation request. Its
/// `token_type_hint` is a hint only (RFC 7009 2.1) and goes unread: every
/// token here is an access token.
#[derive(Deserialize)]
struct TokenQueryForm {
    token: Option<String>,
    #[serde(flatten)]
    client: ClientForm,
}

fn invalid_request(description: String) -> OAuthError {
    OAuthError {
        code: "invalid_request",
        description,
    }
}

/// An `application/x-www-form-urlencoded` body, as RFC 6749 has every
/// request to these endpoints.
fn form<T: serde::de::DeserializeOwned>(req: &HttpRequest, body: &[u8]) -> Result<T, OAuthError> {
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(invalid_request(format!(
            "Content-Type must be application/x-www-form-urlencoded, got '{content_type}'"
        )));
    }
    serde_urlencoded::from_bytes(body).map_err(|e| invalid_request(format!("body: {e}")))
}

/// How the client authenticates: an assertion in the form, a secret in the
/// Authorization header, or the certificate it presented over mutual TLS.
fn client_authentication(req: &HttpRequest, client: ClientForm) -> ClientAuthentication {
    match (client.client_assertion, basic_credentials(req)) {
        (Some(assertion), _) => ClientAuthentication::Assertion {
            assertion_type: client.client_assertion_type,
            assertion,
        },
        (None, Some((client_id, secret))) => ClientAuthentication::Secret { client_id, secret },
        (None, None) => match (client.client_id, req.conn_data::<PeerCertificate>()) {
            (Some(client_id), Some(certificate)) => ClientAuthentication::Certificate {
                client_id,
                certificate: certificate.0.clone(),
            },
            _ => ClientAuthentication::None,
        },
    }
}

/// POST /token, `application/x-www-form-urlencoded`.
async fn token(
    req: HttpRequest,
    body: web::Bytes,
    server: web::Data<AuthorisationServer>,
) -> Result<HttpResponse, OAuthError> {
    let form: TokenForm = form(&req, &body)?;
    let client_id = form.client.client_id.clone();
    let request = TokenRequest {
        grant_type: form.grant_type,
        scope: form.scope,
        client_id,
        authentication: client_authentication(&req, form.client),
        presented_certificate: req.conn_data::<PeerCertificate>().map(|c| c.0.clone()),
    };
    let issued = oauth::token(&server, request).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
            "scope": issued.scope,
        })))
}

fn token_query(req: &HttpRequest, body: &[u8]) -> Result<TokenQuery, OAuthError> {
    let form: TokenQueryForm = form(req, body)?;
    Ok(TokenQuery {
        token: form.token,
        client_id: form.client.client_id.clone(),
        authentication: client_authentication(req, form.client),
    })
}

/// POST /token/introspect: `{"active": ...}` and, while active, its claims.
async fn introspect(
    req: HttpRequest,
    body: web::Bytes,
    server: web::Data<AuthorisationServer>,
) -> Result<HttpResponse, OAuthError> {
    let answer = token_lifecycle::introspect(&server, token_query(&req, &body)?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(answer))
}

/// POST /token/revoke: 200 with no body once the token is ended.
async fn revoke(
    req: HttpRequest,
    body: web::Bytes,
    server: web::Data<AuthorisationServer>,
) -> Result<HttpResponse, OAuthError> {
    token_lifecycle::revoke(&server, token_query(&req, &body)?).await?;
    Ok(HttpResponse::Ok().finish())
}

/// RFC 6749 2.3.1: `Authorization: Basic base64(urlencoded id ":" urlencoded secret)`.
fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let header = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded =
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let unescape = |s: &str| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={s}"))
            .ok()
            .and_then(|mut v| v.pop())
            .map(|(_, v)| v)
    };
    Some((unescape(id)?, unescape(secret)?))
}
