//! What a client may do with an access token after it was issued: ask
//! whether it is still good (RFC 7662 introspection) and end it early (RFC
//! 7009 revocation). Both authenticate the client as the token endpoint
//! does, and each client sees and revokes only its own tokens.

use serde_json::{Value, json};

use super::oauth::{
    AuthorisationServer, ClientAuthentication, OAuthError, authenticate_client, oauth_error,
    timestamp,
};
use crate::domain::{Caller, OrganisationId, SoftwareStatementId};

/// A request to the introspection or revocation endpoint.
pub struct TokenQuery {
    pub token: Option<String>,
    pub client_id: Option<String>,
    pub authentication: ClientAuthentication,
}

/// RFC 7662 2.2: the token's claims with `"active": true` while it is
/// genuine, unexpired, unrevoked and its statement active; otherwise only
/// `"active": false`, which is also the answer about another client's token.
pub async fn introspect(
    server: &AuthorisationServer,
    query: TokenQuery,
) -> Result<Value, OAuthError> {
    let endpoint = server.urls().introspection_endpoint();
    let (_, client) = authenticate(server, &query, &endpoint).await?;
    let token = required_token(&query)?;
    let inactive = json!({"active": false});
    let Some((
        claims,
        Caller::Software {
            software_statement_id,
            ..
        },
    )) = super::oauth::live_token(server, token)
    else {
        return Ok(inactive);
    };
    if software_statement_id != client {
        return Ok(inactive);
    }
    let text = |name: &str| claims.get(name).cloned().unwrap_or(Value::Null);
    let mut answer = json!({
        "active": true,
        "scope": text("scope"),
        "client_id": text("client_id"),
        "token_type": "Bearer",
        "exp": text("exp"),
        "iat": text("iat"),
        "sub": text("sub"),
        "aud": text("aud"),
        "iss": text("iss"),
        "jti": text("jti"),
        "org_id": text("org_id"),
        "software_id": text("software_id"),
    });
    // RFC 8705 3.2: a bound token's certificate thumbprint.
    if let Some(cnf) = claims.get("cnf") {
        answer["cnf"] = cnf.clone();
    }
    Ok(answer)
}

/// RFC 7009 2.1: ends the client's own token at once. A token that is not
/// one (malformed, expired, already revoked) is answered the same, as 2.2
/// asks; another client's token is refused.
pub async fn revoke(server: &AuthorisationServer, query: TokenQuery) -> Result<(), OAuthError> {
    let endpoint = server.urls().revocation_endpoint();
    let (_, client) = authenticate(server, &query, &endpoint).await?;
    let token = required_token(&query)?;
    let Ok(claims) = server.directory().authority.signer().verify(token) else {
        return Ok(());
    };
    if claims.get("client_id").and_then(Value::as_str) != Some(client.as_str()) {
        return Err(oauth_error(
            "invalid_request",
            format!("the token was not issued to '{client}'; a client revokes its own tokens"),
        ));
    }
    let (Some(jti), Some(exp)) = (
        claims.get("jti").and_then(Value::as_str),
        timestamp(&claims, "exp"),
    ) else {
        return Ok(());
    };
    let now = server.directory().clock.now();
    if exp <= now {
        return Ok(());
    }
    server
        .credentials
        .revoke_token(jti, exp, now)
        .await
        .map_err(|e| oauth_error("temporarily_unavailable", e.to_string()))?;
    log::info!("access token {jti} of {client} revoked");
    Ok(())
}

async fn authenticate(
    server: &AuthorisationServer,
    query: &TokenQuery,
    endpoint: &str,
) -> Result<(OrganisationId, SoftwareStatementId), OAuthError> {
    authenticate_client(
        server,
        query.client_id.as_deref(),
        &query.authentication,
        endpoint,
    )
    .await
}

fn required_token(query: &TokenQuery) -> Result<&str, OAuthError> {
    query
        .token
        .as_deref()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| oauth_error("invalid_request", "token is required"))
}
