//! `obdir token`: signs an RFC 7523 client assertion with the client's key
//! and trades it at the token endpoint for an access token.

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use clap::Args;
use clap::builder::PossibleValuesParser;
use josekit::jwk::KeyPair;
use josekit::jwk::alg::rsa::RsaKeyPair;
use josekit::jws::{ES256, JwsHeader, JwsSigner, PS256, RS256};
use josekit::jwt::{self, JwtPayload};
use obdir::domain::{Clock, SoftwareStatementId, SystemClock};
use obdir::pki::jwk::{public_jwk, thumbprint_sha256};
use openssl::pkey::{Id, PKey, Private};
use serde_json::{Map, Value, json};

use super::error::CliError;
use super::{Server, files, http};

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long the assertion is valid: long enough to reach the server, no more.
const ASSERTION_SECONDS: i64 = 300;

#[derive(Args)]
pub struct TokenArgs {
    /// The client id: the software statement id.
    #[arg(long, value_name = "SS", value_parser = super::statement_id)]
    client_id: SoftwareStatementId,
    /// The client's private key (PEM), whose rtssigning certificate or sigkey the
    /// statement holds.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The kid of that key on the statement, as its upload printed it [default:
    /// the key's RFC 7638 SHA-256 thumbprint, the kid of a sigkey (raidiam layout)].
    /// A kid may start with '-' (base64url).
    #[arg(long, allow_hyphen_values = true)]
    kid: Option<String>,
    /// Signature algorithm [default: PS256 for an RSA key, ES256 for an EC key].
    #[arg(long, value_parser = PossibleValuesParser::new(["PS256", "RS256", "ES256"]))]
    alg: Option<String>,
    /// Scope to ask for [default: the server's, directory:software].
    #[arg(long)]
    scope: Option<String>,
    /// Print the whole token response as JSON, not just the access token.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    server: Server,
}

pub fn run(args: TokenArgs) -> Result<(), CliError> {
    let key = read_key(&args.key)?;
    let alg = algorithm(args.alg.as_deref(), &key)?;
    let kid = match &args.kid {
        Some(kid) => kid.clone(),
        None => public_jwk(&key)
            .map(|jwk| thumbprint_sha256(&jwk))
            .map_err(|e| CliError::file(&args.key, e))?,
    };
    let client = http::Client::new(None);
    let audience = token_endpoint(&client, &args.server)?;
    let claims = assertion_claims(&args.client_id, &audience, SystemClock.now());
    let assertion = sign(&key, alg, &kid, claims)?;
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("client_id", args.client_id.as_str()),
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", assertion.as_str()),
    ];
    form.extend(args.scope.as_deref().map(|scope| ("scope", scope)));
    let url = args.server.at("/token");
    let body = client.post_form(&url, &form)?;
    let answer = http::json(&url, &body)?;
    match (args.json, answer["access_token"].as_str()) {
        (true, _) => files::print(&serde_json::to_string_pretty(&answer).unwrap_or(body)),
        (false, Some(token)) => files::print(token),
        (false, None) => Err(CliError::Refused {
            status: format!("unexpected answer from {url}"),
            message: "no access_token in it".into(),
        }),
    }
}

fn read_key(path: &std::path::Path) -> Result<PKey<Private>, CliError> {
    let pem = files::read(path)?;
    PKey::private_key_from_pem(pem.as_bytes())
        .map_err(|_| CliError::file(path, "is not a PEM private key"))
}

fn algorithm(requested: Option<&str>, key: &PKey<Private>) -> Result<&'static str, CliError> {
    match (requested, key.id()) {
        (None | Some("PS256"), Id::RSA) => Ok("PS256"),
        (Some("RS256"), Id::RSA) => Ok("RS256"),
        (None | Some("ES256"), Id::EC) => Ok("ES256"),
        (Some(alg), _) => Err(CliError::Usage(format!(
            "--alg {alg} does not fit the key: RSA keys sign PS256 or RS256, EC P-256 keys ES256"
        ))),
        (None, _) => Err(CliError::Usage(
            "the key is neither RSA nor EC: the directory takes RS256, PS256 or ES256".into(),
        )),
    }
}

/// The audience the server checks: its token endpoint, as its discovery
/// document names it (the public URL may differ from --url).
fn token_endpoint(client: &http::Client, server: &Server) -> Result<String, CliError> {
    let url = server.at("/.well-known/openid-configuration");
    let discovery = http::json(&url, &client.get(&url)?)?;
    match discovery["token_endpoint"].as_str() {
        Some(endpoint) => Ok(endpoint.to_owned()),
        None => Err(CliError::Refused {
            status: format!("unexpected answer from {url}"),
            message: "no token_endpoint in it".into(),
        }),
    }
}

/// RFC 7523 3: iss = sub = the client, aud = the token endpoint, a fresh jti.
fn assertion_claims(
    client: &SoftwareStatementId,
    audience: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let claims = json!({
        "iss": client.as_str(),
        "sub": client.as_str(),
        "aud": audience,
        "iat": now.timestamp(),
        "exp": (now + Duration::seconds(ASSERTION_SECONDS)).timestamp(),
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    match claims {
        Value::Object(claims) => claims,
        _ => Map::new(),
    }
}

fn sign(
    key: &PKey<Private>,
    alg: &str,
    kid: &str,
    claims: Map<String, Value>,
) -> Result<String, CliError> {
    let unusable = |e: &dyn std::fmt::Display| CliError::Usage(format!("cannot sign {alg}: {e}"));
    let pkcs8 = key.private_key_to_pem_pkcs8().map_err(|e| unusable(&e))?;
    // josekit reads a plain RSA key for PS256 only as a JWK.
    let signer: Box<dyn JwsSigner> = match alg {
        "ES256" => Box::new(ES256.signer_from_pem(&pkcs8).map_err(|e| unusable(&e))?),
        "RS256" => Box::new(RS256.signer_from_pem(&pkcs8).map_err(|e| unusable(&e))?),
        _ => {
            let jwk = RsaKeyPair::from_pem(&pkcs8)
                .map_err(|e| unusable(&e))?
                .to_jwk_private_key();
            Box::new(PS256.signer_from_jwk(&jwk).map_err(|e| unusable(&e))?)
        }
    };
    let mut header = JwsHeader::new();
    header.set_token_type("JWT");
    header.set_key_id(kid);
    let payload = JwtPayload::from_map(claims).map_err(|e| unusable(&e))?;
    jwt::encode_with_signer(&payload, &header, signer.as_ref()).map_err(|e| unusable(&e))
}

#[cfg(test)]
mod tests {
    use obdir::pki::jws::verify_client_jwt;

    use super::*;

    #[test]
    fn assertions_verify_as_the_directory_checks_them() {
        let rsa = PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
        let group =
            openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).unwrap();
        let ec = PKey::from_ec_key(openssl::ec::EcKey::generate(&group).unwrap()).unwrap();
        let client = SoftwareStatementId::parse("ss-1").unwrap();
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        for (key, alg) in [(&rsa, "PS256"), (&rsa, "RS256"), (&ec, "ES256")] {
            let claims = assertion_claims(&client, "http://dir.example/token", now);
            let jwt = sign(key, alg, "k1", claims).unwrap();
            let jwk = public_jwk(key).unwrap();
            let verified = verify_client_jwt(&jwt, |kid| (kid == "k1").then(|| jwk.clone()))
                .unwrap_or_else(|e| panic!("{alg}: {e}"));
            assert_eq!(verified["sub"], "ss-1");
            assert_eq!(verified["aud"], "http://dir.example/token");
            assert_eq!(verified["exp"], 1_700_000_300);
        }
    }

    #[test]
    fn the_algorithm_must_fit_the_key() {
        let rsa = PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
        assert_eq!(algorithm(None, &rsa).unwrap(), "PS256");
        assert_eq!(algorithm(Some("ES256"), &rsa).unwrap_err().exit_code(), 2);
    }
}
