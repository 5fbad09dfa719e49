//! HS256 JWTs: the RA operator's session token, signed with the operator's API
//! key. The key is a shared secret, so anyone holding it can mint a token; the
//! caller checks iss, aud and exp.

use josekit::jws::{HS256, JwsHeader};
use josekit::jwt::{self, JwtPayload};
use serde_json::{Map, Value};

use super::PkiError;
use super::jws::{JwsError, header_of};

/// RFC 7518 3.2: an HS256 key must be at least as long as the hash output.
pub const MIN_KEY_BYTES: usize = 32;

/// Why an operator's session token was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum HmacJwtError {
    #[error("the JWT is malformed: {0}")]
    Malformed(String),
    #[error("alg '{0}' is not accepted; the token must be HS256")]
    Algorithm(String),
    #[error("the JWT signature does not verify with the operator's API key")]
    Signature,
    /// The stored key is too short to verify with: a configuration fault, not the token's.
    #[error(
        "the operator's API key is {0} bytes; HS256 needs at least {MIN_KEY_BYTES} (RFC 7518 3.2)"
    )]
    KeyTooShort(usize),
}

/// A compact JWS of `claims`, HS256, keyed with the operator's API key.
pub fn sign_hs256(claims: &Map<String, Value>, key: &[u8]) -> Result<String, PkiError> {
    if key.len() < MIN_KEY_BYTES {
        return Err(PkiError::KeyPolicy(
            HmacJwtError::KeyTooShort(key.len()).to_string(),
        ));
    }
    let signer = HS256
        .signer_from_bytes(key)
        .map_err(|e| PkiError::KeyPolicy(format!("the API key is unusable for HS256: {e}")))?;
    let mut header = JwsHeader::new();
    header.set_token_type("JWT");
    let payload = JwtPayload::from_map(claims.clone())
        .map_err(|e| PkiError::Unreadable(format!("claims are not a JWT payload: {e}")))?;
    jwt::encode_with_signer(&payload, &header, &signer)
        .map_err(|e| PkiError::Unreadable(format!("signing failed: {e}")))
}

/// The claims of a token signed HS256 with `key`. The alg is checked by name
/// before any crypto, so `none` or an RSA alg can never pick the verifier.
pub fn verify_hs256(token: &str, key: &[u8]) -> Result<Map<String, Value>, HmacJwtError> {
    let header = header_of(token).map_err(|e| match e {
        JwsError::Malformed(reason) => HmacJwtError::Malformed(reason),
        other => HmacJwtError::Malformed(other.to_string()),
    })?;
    if header.alg != "HS256" {
        return Err(HmacJwtError::Algorithm(header.alg));
    }
    if key.len() < MIN_KEY_BYTES {
        return Err(HmacJwtError::KeyTooShort(key.len()));
    }
    // Past the length check josekit has no reason left to refuse the key.
    let verifier = HS256
        .verifier_from_bytes(key)
        .map_err(|_| HmacJwtError::Signature)?;
    match jwt::decode_with_verifier(token, &verifier) {
        Ok((payload, _)) => Ok(payload.claims_set().clone()),
        Err(josekit::JoseError::InvalidSignature(_)) => Err(HmacJwtError::Signature),
        Err(e) => Err(HmacJwtError::Malformed(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn claims() -> Map<String, Value> {
        let mut claims = Map::new();
        claims.insert("iss".into(), "operator-1".into());
        claims.insert("exp".into(), 4_102_444_800u64.into());
        claims
    }

    fn segments(token: &str) -> Vec<String> {
        token.split('.').map(str::to_owned).collect()
    }

    fn encode_json(value: &Value) -> String {
        URL_SAFE_NO_PAD.encode(value.to_string())
    }

    #[test]
    fn a_signed_token_verifies_and_gives_back_its_claims() {
        let token = sign_hs256(&claims(), KEY).unwrap();
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&segments(&token)[0]).unwrap()).unwrap();
        assert_eq!(header["alg"], "HS256");
        assert_eq!(header["typ"], "JWT");
        assert_eq!(verify_hs256(&token, KEY).unwrap(), claims());
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        let token = sign_hs256(&claims(), b"another key of thirty-two bytes!").unwrap();
        assert!(matches!(
            verify_hs256(&token, KEY),
            Err(HmacJwtError::Signature)
        ));
    }

    #[test]
    fn alg_none_is_refused_by_name() {
        let header = encode_json(&serde_json::json!({"typ": "JWT", "alg": "none"}));
        let payload = encode_json(&Value::Object(claims()));
        let error = verify_hs256(&format!("{header}.{payload}."), KEY).unwrap_err();
        assert!(matches!(&error, HmacJwtError::Algorithm(alg) if alg == "none"));
        assert_eq!(
            error.to_string(),
            "alg 'none' is not accepted; the token must be HS256"
        );
    }

    #[test]
    fn an_rs256_header_is_refused_before_verifying() {
        let token = sign_hs256(&claims(), KEY).unwrap();
        let mut parts = segments(&token);
        parts[0] = encode_json(&serde_json::json!({"typ": "JWT", "alg": "RS256"}));
        assert!(matches!(
            verify_hs256(&parts.join("."), KEY),
            Err(HmacJwtError::Algorithm(alg)) if alg == "RS256"
        ));
    }

    #[test]
    fn a_tampered_payload_is_refused() {
        let token = sign_hs256(&claims(), KEY).unwrap();
        let mut parts = segments(&token);
        let mut forged = claims();
        forged.insert("iss".into(), "operator-2".into());
        parts[1] = encode_json(&Value::Object(forged));
        assert!(matches!(
            verify_hs256(&parts.join("."), KEY),
            Err(HmacJwtError::Signature)
        ));
    }

    #[test]
    fn garbage_is_malformed() {
        for token in ["", "not a jwt", "a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9"] {
            assert!(
                matches!(verify_hs256(token, KEY), Err(HmacJwtError::Malformed(_))),
                "{token:?}"
            );
        }
    }

    #[test]
    fn a_short_key_is_refused_with_its_length() {
        let error = sign_hs256(&claims(), b"short").unwrap_err();
        assert!(error.to_string().contains("5 bytes"), "{error}");
        let token = sign_hs256(&claims(), KEY).unwrap();
        assert!(matches!(
            verify_hs256(&token, b"short"),
            Err(HmacJwtError::KeyTooShort(5))
        ));
    }

    #[test]
    fn a_token_a_client_signs_with_jsonwebtoken_verifies() {
        let token = jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            &claims(),
            &jsonwebtoken::EncodingKey::from_secret(KEY),
        )
        .unwrap();
        assert_eq!(verify_hs256(&token, KEY).unwrap(), claims());
    }
}
