//! The directory's OAuth 2.0 token endpoint (client credentials, RFC 6749
//! 4.4) with private_key_jwt (RFC 7523) or client_secret_basic, and the
//! access tokens it issues.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use std::sync::Arc;

use super::directory::Directory;
use crate::domain::{Caller, KeyUse, OrganisationId, PublicJwk, PublicUrls, SoftwareStatementId};
use crate::pki::encoding::{constant_time_eq, hex, sha256};
use crate::pki::jwk::x5t_s256;
pub use crate::pki::jws::CLIENT_ASSERTION_ALGORITHMS;
use crate::pki::jws::verify_client_jwt;
use crate::store::ClientCredentials;

pub const SCOPE: &str = "directory:software";
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// An RFC 6749 5.2 error: its code and a description naming the problem.
#[derive(Debug, thiserror::Error)]
#[error("{code}: {description}")]
pub struct OAuthError {
    pub code: &'static str,
    pub description: String,
}

pub(super) fn oauth_error(code: &'static str, description: impl Into<String>) -> OAuthError {
    OAuthError {
        code,
        description: description.into(),
    }
}

fn invalid_client(description: impl Into<String>) -> OAuthError {
    oauth_error("invalid_client", description)
}

/// How the directory's OAuth 2.0 server is set up.
#[derive(Debug, Clone)]
pub struct OAuthSettings {
    pub access_token_minutes: i64,
    /// Whether statements get a client secret (client_secret_basic) at creation.
    pub client_secret_basic: bool,
    /// Whether a TLS listener asks for client certificates (tls_client_auth).
    pub tls_client_auth: bool,
    /// That listener's URL, where the mutual-TLS aliases of the token,
    /// introspection and revocation endpoints are (RFC 8705 5).
    pub mtls_url: Option<String>,
}

/// The token endpoint's part: the statements and keys clients authenticate
/// with (in the directory), their client secrets and seen jtis, and the
/// settings that say which methods are on.
pub struct AuthorisationServer {
    pub(crate) directory: Arc<Directory>,
    pub(crate) credentials: ClientCredentials,
    pub(crate) settings: OAuthSettings,
}

impl AuthorisationServer {
    pub fn settings(&self) -> &OAuthSettings {
        &self.settings
    }

    /// The statements and keys its clients authenticate with.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    pub fn urls(&self) -> &PublicUrls {
        &self.directory.urls
    }
}

/// How the client authenticated.
pub enum ClientAuthentication {
    /// private_key_jwt: `client_assertion` with `client_assertion_type`.
    Assertion {
        assertion_type: Option<String>,
        assertion: String,
    },
    /// client_secret_basic: the Authorization header's id and secret.
    Secret {
        client_id: String,
        secret: String,
    },
    /// tls_client_auth (RFC 8705 2.1): the form's client_id and the DER
    /// certificate the client presented over mutual TLS.
    Certificate {
        client_id: String,
        certificate: Vec<u8>,
    },
    None,
}

pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub scope: Option<String>,
    pub client_id: Option<String>,
    pub authentication: ClientAuthentication,
    /// The DER certificate the client presented over mutual TLS, if any: the
    /// token is bound to it (RFC 8705 3).
    pub presented_certificate: Option<Vec<u8>>,
}

pub struct IssuedToken {
    pub access_token: String,
    pub expires_in: i64,
    pub scope: String,
}

pub async fn token(
    server: &AuthorisationServer,
    request: TokenRequest,
) -> Result<IssuedToken, OAuthError> {
    match request.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(other) => {
            return Err(oauth_error(
                "unsupported_grant_type",
                format!("grant_type '{other}' is not supported; use client_credentials"),
            ));
        }
        None => return Err(oauth_error("invalid_request", "grant_type is required")),
    }
    if let Some(unknown) = request
        .scope
        .iter()
        .flat_map(|s| s.split_whitespace())
        .find(|s| *s != SCOPE)
    {
        return Err(oauth_error(
            "invalid_scope",
            format!("scope '{unknown}' is not offered; the directory offers {SCOPE}"),
        ));
    }
    let endpoint = server.directory.urls.token_endpoint();
    let (org, ss) = authenticate_client(
        server,
        request.client_id.as_deref(),
        &request.authentication,
        &endpoint,
    )
    .await?;
    let now = server.directory.clock.now();
    let expires_in = server.settings.access_token_minutes * 60;
    let claims = json!({
        "iss": server.directory.urls.issuer(),
        "aud": server.directory.urls.issuer(),
        "sub": ss,
        "client_id": ss,
        "org_id": org,
        "software_id": ss,
        "scope": SCOPE,
        "iat": now.timestamp(),
        "exp": (now + Duration::seconds(expires_in)).timestamp(),
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    let Value::Object(mut claims) = claims else {
        return Err(oauth_error(
            "server_error",
            "token claims are not an object",
        ));
    };
    if let Some(der) = &request.presented_certificate {
        claims.insert(
            "cnf".into(),
            json!({ CERTIFICATE_THUMBPRINT: x5t_s256(der) }),
        );
    }
    let access_token = server
        .directory
        .authority
        .signer()
        .sign(claims)
        .map_err(|e| oauth_error("server_error", format!("signing failed: {e}")))?;
    log::info!("access token issued to {org}/{ss}");
    Ok(IssuedToken {
        access_token,
        expires_in,
        scope: SCOPE.to_owned(),
    })
}

/// The statement the client is, once its credentials check out; an
/// assertion's audience may name `endpoint`, the one it was presented to.
pub(super) async fn authenticate_client(
    server: &AuthorisationServer,
    given_client_id: Option<&str>,
    authentication: &ClientAuthentication,
    endpoint: &str,
) -> Result<(OrganisationId, SoftwareStatementId), OAuthError> {
    let (client_id, assertion) = match authentication {
        ClientAuthentication::Assertion {
            assertion_type,
            assertion,
        } => {
            if assertion_type.as_deref() != Some(JWT_BEARER) {
                return Err(oauth_error(
                    "invalid_request",
                    format!("client_assertion_type must be {JWT_BEARER}"),
                ));
            }
            let claims = crate::pki::jws::unverified_claims(assertion)
                .map_err(|e| invalid_client(e.to_string()))?;
            let iss = claims
                .get("iss")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            (iss, Some(assertion))
        }
        ClientAuthentication::Secret { client_id, .. }
        | ClientAuthentication::Certificate { client_id, .. } => (client_id.clone(), None),
        ClientAuthentication::None => {
            return Err(invalid_client(
                "client authentication is required: private_key_jwt, tls_client_auth or client_secret_basic",
            ));
        }
    };
    if let Some(given) = given_client_id.filter(|given| *given != client_id) {
        return Err(invalid_client(format!(
            "client_id '{given}' does not match the authenticated client '{client_id}'"
        )));
    }
    let ss = SoftwareStatementId::parse(&client_id)
        .map_err(|_| invalid_client(format!("client '{client_id}' is not a software statement")))?;
    let org = server
        .directory
        .participants
        .statements
        .owner(&ss)
        .map_err(|e| oauth_error("server_error", e.to_string()))?
        .ok_or_else(|| invalid_client(format!("client '{ss}' is not a software statement")))?;
    let statement = server
        .directory
        .participants
        .statements
        .get(&org, &ss)
        .map_err(|e| oauth_error("server_error", e.to_string()))?
        .ok_or_else(|| invalid_client(format!("client '{ss}' is not a software statement")))?;
    if !statement.is_active() {
        return Err(invalid_client(format!(
            "software statement '{ss}' is {}",
            statement.status
        )));
    }
    match (authentication, assertion) {
        (_, Some(assertion)) => check_assertion(server, &org, &ss, assertion, endpoint).await?,
        (ClientAuthentication::Secret { secret, .. }, None) => check_secret(server, &ss, secret)?,
        (ClientAuthentication::Certificate { certificate, .. }, None) => {
            match super::tls::certificate_caller(&server.directory, certificate) {
                Some(Caller::Software {
                    software_statement_id,
                    ..
                }) if software_statement_id == ss => {}
                _ => {
                    return Err(invalid_client(format!(
                        "the client certificate is not an active transport certificate of '{ss}' issued here"
                    )));
                }
            }
        }
        _ => return Err(invalid_client("client authentication is required")),
    }
    Ok((org, ss))
}

/// RFC 7523 3: signed by a key registered on the statement, iss = sub =
/// client, aud names this server, unexpired, and a jti never seen before.
async fn check_assertion(
    server: &AuthorisationServer,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    assertion: &str,
    endpoint: &str,
) -> Result<(), OAuthError> {
    let now = server.directory.clock.now();
    let records = server
        .directory
        .certificates
        .owned(org, Some(ss))
        .map_err(|e| oauth_error("server_error", e.to_string()))?;
    let find_key = |kid: &str| -> Option<PublicJwk> {
        records
            .iter()
            .find(|r| r.kid.as_str() == kid && r.is_active_at(now) && r.key_use() == KeyUse::Sig)
            .map(|r| r.jwk.clone())
    };
    let claims =
        verify_client_jwt(assertion, find_key).map_err(|e| invalid_client(e.to_string()))?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    if text("sub") != Some(ss.as_str()) {
        return Err(invalid_client(format!(
            "client_assertion sub must be the client id '{ss}'"
        )));
    }
    let mut audiences = vec![
        server.directory.urls.token_endpoint(),
        server.directory.urls.issuer().to_owned(),
    ];
    if !audiences.iter().any(|a| a == endpoint) {
        audiences.insert(0, endpoint.to_owned());
    }
    if !audience_names(&claims, &audiences) {
        return Err(invalid_client(format!(
            "client_assertion aud must name {}",
            audiences.join(" or ")
        )));
    }
    let exp = timestamp(&claims, "exp")
        .ok_or_else(|| invalid_client("client_assertion exp is required"))?;
    if exp <= now {
        return Err(invalid_client(format!(
            "client_assertion expired at {}",
            exp.to_rfc3339()
        )));
    }
    if timestamp(&claims, "nbf").is_some_and(|nbf| nbf > now) {
        return Err(invalid_client("client_assertion is not valid yet (nbf)"));
    }
    let jti = text("jti")
        .filter(|j| !j.is_empty() && !j.contains('\0'))
        .ok_or_else(|| invalid_client("client_assertion jti is required"))?;
    let fresh = server
        .credentials
        .remember_jti(ss, jti, exp)
        .await
        .map_err(|e| oauth_error("server_error", e.to_string()))?;
    if !fresh {
        return Err(invalid_client(format!(
            "client_assertion jti '{jti}' was already used"
        )));
    }
    Ok(())
}

fn check_secret(
    server: &AuthorisationServer,
    ss: &SoftwareStatementId,
    secret: &str,
) -> Result<(), OAuthError> {
    if !server.settings.client_secret_basic {
        return Err(invalid_client(
            "client_secret_basic is not enabled on this directory; use private_key_jwt",
        ));
    }
    let stored = server
        .credentials
        .secret_sha256(ss)
        .map_err(|e| oauth_error("server_error", e.to_string()))?
        .ok_or_else(|| invalid_client(format!("software statement '{ss}' has no client secret")))?;
    let presented = hex(&sha256(secret.as_bytes()));
    if constant_time_eq(presented.as_bytes(), stored.as_bytes()) {
        Ok(())
    } else {
        Err(invalid_client("the client secret is wrong"))
    }
}

pub(super) fn timestamp(claims: &Map<String, Value>, name: &str) -> Option<DateTime<Utc>> {
    claims
        .get(name)
        .and_then(Value::as_i64)
        .and_then(|t| DateTime::from_timestamp(t, 0))
}

/// aud is a string or an array of strings (RFC 7519 4.1.3).
fn audience_names(claims: &Map<String, Value>, accepted: &[String]) -> bool {
    match claims.get("aud") {
        Some(Value::String(aud)) => accepted.contains(aud),
        Some(Value::Array(auds)) => auds
            .iter()
            .filter_map(Value::as_str)
            .any(|a| accepted.iter().any(|x| x == a)),
        _ => false,
    }
}

/// The `cnf` member of a certificate-bound token (RFC 8705 3.1).
pub const CERTIFICATE_THUMBPRINT: &str = "x5t#S256";

/// The caller an access token this directory issued stands for, if it is
/// live (see `live_token`) and, when it is bound to a certificate, `presented`
/// is that certificate (RFC 8705 3).
pub fn access_token_caller(
    server: &AuthorisationServer,
    token: &str,
    presented: Option<&[u8]>,
) -> Option<Caller> {
    let (claims, caller) = live_token(server, token)?;
    let bound = claims
        .get("cnf")
        .and_then(|cnf| cnf.get(CERTIFICATE_THUMBPRINT))
        .and_then(Value::as_str);
    match (bound, presented) {
        (None, _) => Some(caller),
        (Some(thumbprint), Some(der)) => {
            constant_time_eq(thumbprint.as_bytes(), x5t_s256(der).as_bytes()).then_some(caller)
        }
        (Some(_), None) => None,
    }
}

/// An access token's claims and the caller it stands for, if this directory
/// issued it, it has not expired or been revoked, and its statement is
/// still active.
pub fn live_token(
    server: &AuthorisationServer,
    token: &str,
) -> Option<(Map<String, Value>, Caller)> {
    let claims = server.directory.authority.signer().verify(token).ok()?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    if text("iss") != Some(server.directory.urls.issuer()) || text("scope") != Some(SCOPE) {
        return None;
    }
    if timestamp(&claims, "exp")? <= server.directory.clock.now() {
        return None;
    }
    // Revoked (RFC 7009): refused at once, on every read that follows.
    if server.credentials.is_token_revoked(text("jti")?).ok()? {
        return None;
    }
    let org = OrganisationId::parse(text("org_id")?).ok()?;
    let ss = SoftwareStatementId::parse(text("software_id")?).ok()?;
    let statement = server
        .directory
        .participants
        .statements
        .get(&org, &ss)
        .ok()??;
    let caller = Caller::Software {
        organisation_id: org,
        software_statement_id: ss,
    };
    statement.is_active().then_some((claims, caller))
}
