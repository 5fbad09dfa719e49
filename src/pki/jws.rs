//! JSON Web Signatures: the directory signs its SSAs and access tokens with
//! PS256, and verifies clients' assertions signed RS256, PS256 or ES256.

use josekit::jwk::Jwk;
use josekit::jws::{ES256, JwsHeader, PS256, RS256};
use josekit::jwt::{self, JwtPayload};
use openssl::pkey::{PKey, Private};
use serde_json::{Map, Value};

use super::PkiError;
use super::encoding::{base64url, decode_base64};
use super::key::{KeyFacts, private_key_facts};
use crate::domain::PublicJwk;
use crate::domain::authority::{PrivateKeyMaterial, SignerRecord};

/// The algorithms a client assertion may use.
pub const CLIENT_ASSERTION_ALGORITHMS: [&str; 3] = ["RS256", "PS256", "ES256"];

/// Why a JWT was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum JwsError {
    #[error("the JWT is malformed: {0}")]
    Malformed(String),
    #[error("alg '{0}' is not accepted; use one of RS256, PS256, ES256")]
    Algorithm(String),
    #[error("the JWT header has no kid")]
    NoKid,
    #[error("kid '{0}' is not a signing key registered for this client")]
    UnknownKid(String),
    #[error("the JWT signature does not verify with key '{0}'")]
    Signature(String),
}

/// The directory's own signing key and its certificate chain.
pub struct DirectorySigner {
    kid: String,
    jwk: PublicJwk,
    /// Signing certificate then issuing CA, standard base64 DER (x5c).
    x5c: Vec<String>,
    signer: josekit::jws::alg::rsassa_pss::RsassaPssJwsSigner,
}

impl DirectorySigner {
    pub fn from_record(record: &SignerRecord) -> Result<Self, PkiError> {
        let key = Self::key_of(record)?;
        let facts = private_key_facts(&key)?;
        let signer = PS256
            .signer_from_jwk(&private_jwk(&key)?)
            .map_err(|e| PkiError::Unreadable(format!("signing key unusable for PS256: {e}")))?;
        Ok(Self {
            kid: record.kid.clone(),
            jwk: facts.jwk,
            x5c: record.x5c.clone(),
            signer,
        })
    }

    /// A record of a freshly issued signing key, with kid chosen by the caller.
    pub fn record(
        key: &PKey<Private>,
        chain: &[Vec<u8>],
        kid: String,
    ) -> Result<SignerRecord, PkiError> {
        Ok(SignerRecord {
            kid,
            x5c: chain
                .iter()
                .map(|der| super::encoding::base64(der))
                .collect(),
            key: PrivateKeyMaterial::new(super::encoding::base64(&key.private_key_to_pkcs8()?)),
        })
    }

    /// Key facts of a signing key, to choose its kid from.
    pub fn facts(key: &PKey<Private>) -> Result<KeyFacts, PkiError> {
        private_key_facts(key)
    }

    /// A new RSA signing key.
    pub fn generate_key(bits: u32) -> Result<PKey<Private>, PkiError> {
        Ok(PKey::from_rsa(openssl::rsa::Rsa::generate(bits)?)?)
    }

    /// The private key a record keeps, to certify it again.
    pub fn key_of(record: &SignerRecord) -> Result<PKey<Private>, PkiError> {
        let der = decode_base64(record.key.expose())
            .ok_or_else(|| PkiError::Unreadable("stored signing key is not base64".into()))?;
        Ok(PKey::private_key_from_der(&der)?)
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn public_jwk(&self) -> &PublicJwk {
        &self.jwk
    }

    pub fn x5c(&self) -> &[String] {
        &self.x5c
    }

    /// A compact JWS of `claims`, PS256, with this key's kid.
    pub fn sign(&self, claims: Map<String, Value>) -> Result<String, PkiError> {
        let mut header = JwsHeader::new();
        header.set_token_type("JWT");
        header.set_key_id(self.kid.clone());
        let payload = JwtPayload::from_map(claims)
            .map_err(|e| PkiError::Unreadable(format!("claims are not a JWT payload: {e}")))?;
        jwt::encode_with_signer(&payload, &header, &self.signer)
            .map_err(|e| PkiError::Unreadable(format!("signing failed: {e}")))
    }

    /// The claims of a JWT this key signed; any other JWT is refused.
    pub fn verify(&self, token: &str) -> Result<Map<String, Value>, JwsError> {
        let header = header_of(token)?;
        if header.alg != "PS256" {
            return Err(JwsError::Algorithm(header.alg));
        }
        if header.kid.as_deref() != Some(self.kid.as_str()) {
            return Err(JwsError::UnknownKid(header.kid.unwrap_or_default()));
        }
        verify_with(token, "PS256", &self.kid, &self.jwk)
    }
}

/// The claims of a JWT before its signature is checked: only to find out who
/// claims to have signed it, never to trust.
pub fn unverified_claims(token: &str) -> Result<Map<String, Value>, JwsError> {
    let payload = token
        .split('.')
        .nth(1)
        .ok_or_else(|| JwsError::Malformed("not a compact JWS".into()))?;
    let bytes = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload)
        .map_err(|_| JwsError::Malformed("the payload is not base64url".into()))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| JwsError::Malformed("the payload is not a JSON object".into()))
}

/// The parts of a JOSE header that choose the key.
pub struct JwtHeader {
    pub alg: String,
    pub kid: Option<String>,
}

pub fn header_of(token: &str) -> Result<JwtHeader, JwsError> {
    let header = jwt::decode_header(token).map_err(|e| JwsError::Malformed(e.to_string()))?;
    let alg = header
        .claim("alg")
        .and_then(Value::as_str)
        .ok_or_else(|| JwsError::Malformed("the header has no alg".into()))?
        .to_owned();
    let kid = header
        .claim("kid")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(JwtHeader { alg, kid })
}

/// Verifies a client's JWT: the header's kid picks the key through `find_key`,
/// and the header's alg must be one of RS256, PS256, ES256 and fit the key.
pub fn verify_client_jwt(
    token: &str,
    find_key: impl Fn(&str) -> Option<PublicJwk>,
) -> Result<Map<String, Value>, JwsError> {
    let header = header_of(token)?;
    if !CLIENT_ASSERTION_ALGORITHMS.contains(&header.alg.as_str()) {
        return Err(JwsError::Algorithm(header.alg));
    }
    let kid = header.kid.ok_or(JwsError::NoKid)?;
    let key = find_key(&kid).ok_or_else(|| JwsError::UnknownKid(kid.clone()))?;
    verify_with(token, &header.alg, &kid, &key)
}

fn verify_with(
    token: &str,
    alg: &str,
    kid: &str,
    key: &PublicJwk,
) -> Result<Map<String, Value>, JwsError> {
    let jwk = josekit_jwk(key).map_err(|_| JwsError::Signature(kid.to_owned()))?;
    let verified = match alg {
        "RS256" => RS256
            .verifier_from_jwk(&jwk)
            .map(|v| jwt::decode_with_verifier(token, &v)),
        "PS256" => PS256
            .verifier_from_jwk(&jwk)
            .map(|v| jwt::decode_with_verifier(token, &v)),
        "ES256" => ES256
            .verifier_from_jwk(&jwk)
            .map(|v| jwt::decode_with_verifier(token, &v)),
        other => return Err(JwsError::Algorithm(other.to_owned())),
    };
    match verified {
        Ok(Ok((payload, _))) => Ok(payload.claims_set().clone()),
        // A key of the wrong type for the alg, or a bad signature.
        _ => Err(JwsError::Signature(kid.to_owned())),
    }
}

fn josekit_jwk(key: &PublicJwk) -> Result<Jwk, josekit::JoseError> {
    match serde_json::to_value(key) {
        Ok(Value::Object(map)) => Jwk::from_map(map),
        _ => Jwk::from_map(Map::new()),
    }
}

/// josekit takes a PS256 signing key as a private JWK (it refuses a plain
/// rsaEncryption PKCS#8), so the RSA components are written out as one.
fn private_jwk(key: &PKey<Private>) -> Result<Jwk, PkiError> {
    let rsa = key.rsa()?;
    let member =
        |bn: Option<&openssl::bn::BigNumRef>| bn.map(|b| Value::String(base64url(&b.to_vec())));
    let mut map = Map::new();
    map.insert("kty".into(), "RSA".into());
    map.insert("n".into(), Value::String(base64url(&rsa.n().to_vec())));
    map.insert("e".into(), Value::String(base64url(&rsa.e().to_vec())));
    map.insert("d".into(), Value::String(base64url(&rsa.d().to_vec())));
    for (name, value) in [
        ("p", member(rsa.p())),
        ("q", member(rsa.q())),
        ("dp", member(rsa.dmp1())),
        ("dq", member(rsa.dmq1())),
        ("qi", member(rsa.iqmp())),
    ] {
        if let Some(value) = value {
            map.insert(name.into(), value);
        }
    }
    Jwk::from_map(map)
        .map_err(|e| PkiError::Unreadable(format!("signing key is not a valid JWK: {e}")))
}
