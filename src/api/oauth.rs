//! The directory's OAuth 2.0 endpoints: discovery and the token endpoint.
//! Errors are RFC 6749's `{"error", "error_description"}`.

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
    );
}

impl ResponseError for OAuthError {
    fn status_code(&self) -> StatusCode {
        match self.code {
            // RFC 6749 5.2: a failed client authentication is a 401.
            "invalid_client" => StatusCode::UNAUTHORIZED,
            "server_error" => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.code == "server_error" {
            log::error!("token endpoint: {}", self.description);
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
    HttpResponse::Ok().json(json!({
        "issuer": urls.issuer(),
        "token_endpoint": urls.token_endpoint(),
        "jwks_uri": urls.directory_jwks(),
        "grant_types_supported": ["client_credentials"],
        "response_types_supported": ["token"],
        "scopes_supported": [oauth::SCOPE],
        "token_endpoint_auth_methods_supported": methods,
        "token_endpoint_auth_signing_alg_values_supported": CLIENT_ASSERTION_ALGORITHMS,
        "id_token_signing_alg_values_supported": ["PS256"],
        "subject_types_supported": ["public"],
    }))
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: Option<String>,
    scope: Option<String>,
    client_id: Option<String>,
    client_assertion_type: Option<String>,
    client_assertion: Option<String>,
}

/// POST /token, `application/x-www-form-urlencoded`.
async fn token(
    req: HttpRequest,
    body: web::Bytes,
    server: web::Data<AuthorisationServer>,
) -> Result<HttpResponse, OAuthError> {
    let invalid = |description: String| OAuthError {
        code: "invalid_request",
        description,
    };
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(invalid(format!(
            "Content-Type must be application/x-www-form-urlencoded, got '{content_type}'"
        )));
    }
    let form: TokenForm =
        serde_urlencoded::from_bytes(&body).map_err(|e| invalid(format!("body: {e}")))?;
    let authentication = match (form.client_assertion, basic_credentials(&req)) {
        (Some(assertion), _) => ClientAuthentication::Assertion {
            assertion_type: form.client_assertion_type,
            assertion,
        },
        (None, Some((client_id, secret))) => ClientAuthentication::Secret { client_id, secret },
        (None, None) => match (&form.client_id, req.conn_data::<PeerCertificate>()) {
            (Some(client_id), Some(certificate)) => ClientAuthentication::Certificate {
                client_id: client_id.clone(),
                certificate: certificate.0.clone(),
            },
            _ => ClientAuthentication::None,
        },
    };
    let request = TokenRequest {
        grant_type: form.grant_type,
        scope: form.scope,
        client_id: form.client_id,
        authentication,
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
