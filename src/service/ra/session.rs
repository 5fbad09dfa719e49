//! Operator sessions: an HS256 token for a user name and API key, and the
//! check every other call makes on it.

use super::Ra;
use crate::domain::ra::{OperatorName, RaFailure, RaOperator, session};
use crate::pki::{encoding, hmac_jwt, jws};

/// `POST /v2/jwt/{userName}`: a session token signed with the operator's
/// API key, valid for eight hours.
pub fn login(ra: &Ra, user: &str, secret: &str) -> Result<String, RaFailure> {
    let refused = || RaFailure::authentication("unknown user name or wrong userSecret");
    let name = OperatorName::parse(user).map_err(|_| refused())?;
    let operator = ra.records.operator(&name)?.ok_or_else(refused)?;
    if !encoding::constant_time_eq(secret.as_bytes(), operator.api_key.as_bytes()) {
        return Err(refused());
    }
    let claims = session::claims(&operator.user_name, ra.clock.now());
    hmac_jwt::sign_hs256(&claims, operator.api_key.as_bytes()).map_err(|e| {
        log::error!("signing an RA session token failed: {e}");
        RaFailure::runtime("the session token could not be signed; see the obdir log")
    })
}

/// The operator a bearer token belongs to: signed with that operator's API
/// key (by obdir or by the operator itself), issued by SwissPKI for the
/// REST API, and within its nbf and exp.
pub fn authenticate(ra: &Ra, token: Option<&str>) -> Result<RaOperator, RaFailure> {
    let token = token.ok_or_else(|| {
        RaFailure::jwt("Authorization: a Bearer JWT from POST /v2/jwt/{userName} is required")
    })?;
    let unverified = jws::unverified_claims(token).map_err(|e| RaFailure::jwt(e.to_string()))?;
    let name = session::subject(&unverified).map_err(RaFailure::jwt)?;
    // An unknown operator and a wrong key read the same, so the answer does
    // not tell which operator names exist.
    let unsigned =
        || RaFailure::jwt("the JWT is not signed with the API key of the operator its sub names");
    let operator = ra.records.operator(&name)?.ok_or_else(unsigned)?;
    let claims =
        hmac_jwt::verify_hs256(token, operator.api_key.as_bytes()).map_err(|e| match e {
            hmac_jwt::HmacJwtError::Signature => unsigned(),
            other => RaFailure::jwt(other.to_string()),
        })?;
    session::check(&claims, ra.clock.now()).map_err(RaFailure::jwt)?;
    Ok(operator)
}
