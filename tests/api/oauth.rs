//! The directory's OAuth 2.0 server: private_key_jwt with keys the `openssl`
//! command line made, client_secret_basic, and what the tokens may reach.

use std::path::Path;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn now() -> i64 {
    use obdir::domain::Clock;
    obdir::domain::SystemClock.now().timestamp()
}

/// A client assertion (RFC 7523) for the seeded statement, signed by `key`.
pub fn assertion(app: &TestApp, key: &Path, alg: Algorithm, kid: &str, claims: Value) -> String {
    let pem = std::fs::read(key).unwrap();
    let encoding = match alg {
        Algorithm::ES256 => EncodingKey::from_ec_pem(&pem).unwrap(),
        _ => EncodingKey::from_rsa_pem(&pem).unwrap(),
    };
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_owned());
    let mut body = json!({
        "iss": SS,
        "sub": SS,
        "aud": app.url("/token"),
        "iat": now(),
        "exp": now() + 300,
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    for (name, value) in claims.as_object().unwrap() {
        body[name] = value.clone();
    }
    jsonwebtoken::encode(&header, &body, &encoding).unwrap()
}

async fn token_request(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url("/token"))
        .form(form)
        .send()
        .await
        .unwrap()
}

pub async fn with_assertion(app: &TestApp, assertion: &str) -> reqwest::Response {
    token_request(
        app,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "directory:software"),
            ("client_id", SS),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", assertion),
        ],
    )
    .await
}

pub async fn assert_oauth_error(
    response: reqwest::Response,
    status: StatusCode,
    code: &str,
    needle: &str,
) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], code, "{body}");
    let description = body["error_description"].as_str().unwrap();
    assert!(
        description.contains(needle),
        "{description:?} does not mention {needle:?}"
    );
}

/// Registers an rtssigning certificate for a fresh RSA key: (key file, kid).
pub async fn signing_key(app: &TestApp, tpp: &Tpp) -> (std::path::PathBuf, String) {
    let key = tpp.rsa_key("client.key", 2048);
    let response = app
        .upload("rtssigning", &tpp.csr(&key, &obie_subject(ORG, SS), &[]))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let record: Value = response.json().await.unwrap();
    (key, record["kid"].as_str().unwrap().to_owned())
}

pub async fn access_token(app: &TestApp, tpp: &Tpp) -> String {
    let (key, kid) = signing_key(app, tpp).await;
    let response = with_assertion(
        app,
        &assertion(app, &key, Algorithm::RS256, &kid, json!({})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn discovery_names_the_token_endpoint_and_the_directory_keys() {
    let app = spawn_app().await;
    let doc: Value = app
        .get_public(&app.url("/.well-known/openid-configuration"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(doc["issuer"], app.address);
    assert_eq!(doc["token_endpoint"], app.url("/token"));
    assert_eq!(doc["jwks_uri"], app.url("/keystore/openbanking.jwks"));
    assert_eq!(doc["grant_types_supported"], json!(["client_credentials"]));
    assert_eq!(
        doc["token_endpoint_auth_methods_supported"],
        json!(["private_key_jwt"])
    );
    let jwks: Value = app
        .get_public(doc["jwks_uri"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["alg"], "PS256");
}

#[tokio::test]
async fn private_key_jwt_with_an_openssl_key_gets_a_token_the_directory_accepts() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let (key, kid) = signing_key(&app, &tpp).await;
    let response = with_assertion(
        &app,
        &assertion(&app, &key, Algorithm::RS256, &kid, json!({})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["scope"], "directory:software");
    let token = body["access_token"].as_str().unwrap();

    // An independent JOSE library verifies it against the published key.
    let jwks: Value = app
        .get_public(&app.url("/keystore/openbanking.jwks"))
        .await
        .json()
        .await
        .unwrap();
    let claims = verify_ps256(token, &jwks);
    assert_eq!(claims["org_id"], ORG);
    assert_eq!(claims["software_id"], SS);
    assert_eq!(claims["scope"], "directory:software");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        900
    );

    let own = app
        .client
        .get(app.url(&format!("/organisations/{ORG}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK);
}

/// Verifies a PS256 JWT with the first key of a JWKS, using jsonwebtoken.
pub fn verify_ps256(token: &str, jwks: &Value) -> Value {
    let key = &jwks["keys"][0];
    assert_eq!(
        jsonwebtoken::decode_header(token).unwrap().kid.as_deref(),
        key["kid"].as_str()
    );
    let decoding = jsonwebtoken::DecodingKey::from_rsa_components(
        key["n"].as_str().unwrap(),
        key["e"].as_str().unwrap(),
    )
    .unwrap();
    let mut validation = jsonwebtoken::Validation::new(Algorithm::PS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_aud = false;
    jsonwebtoken::decode::<Value>(token, &decoding, &validation)
        .expect("signature verifies")
        .claims
}

#[tokio::test]
async fn ps256_with_a_bare_sigkey_and_es256_with_an_ec_key_are_accepted() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    for (name, alg, key) in [
        ("rsa", Algorithm::PS256, tpp.rsa_key("rsa.key", 2048)),
        ("ec", Algorithm::ES256, tpp.ec_key("ec.key", "P-256")),
    ] {
        let response = app.upload("sigkey", &tpp.public_key_pem(&key)).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{name}");
        let kid = response.json::<Value>().await.unwrap()["kid"]
            .as_str()
            .unwrap()
            .to_owned();
        let response = with_assertion(&app, &assertion(&app, &key, alg, &kid, json!({}))).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{name}: {}",
            response.text().await.unwrap()
        );
    }
}

#[tokio::test]
async fn a_replayed_client_assertion_is_refused() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let (key, kid) = signing_key(&app, &tpp).await;
    let signed = assertion(
        &app,
        &key,
        Algorithm::RS256,
        &kid,
        json!({"jti": "once-only"}),
    );
    assert_eq!(with_assertion(&app, &signed).await.status(), StatusCode::OK);
    let response = with_assertion(&app, &signed).await;
    assert_oauth_error(
        response,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "jti 'once-only' was already used",
    )
    .await;
}

#[tokio::test]
async fn client_assertions_are_checked_claim_by_claim() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let (key, kid) = signing_key(&app, &tpp).await;
    let cases = [
        (
            json!({"aud": "https://elsewhere.example/token"}),
            "aud must name",
        ),
        (json!({"exp": now() - 10}), "client_assertion expired"),
        (json!({"sub": "someone-else"}), "sub must be the client id"),
        (json!({"jti": ""}), "jti is required"),
    ];
    for (claims, message) in cases {
        let response =
            with_assertion(&app, &assertion(&app, &key, Algorithm::RS256, &kid, claims)).await;
        assert_oauth_error(
            response,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            message,
        )
        .await;
    }
    let unknown = assertion(&app, &key, Algorithm::RS256, "no-such-kid", json!({}));
    assert_oauth_error(
        with_assertion(&app, &unknown).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "kid 'no-such-kid' is not a signing key",
    )
    .await;

    let stranger = tpp.rsa_key("stranger.key", 2048);
    let forged = assertion(&app, &stranger, Algorithm::RS256, &kid, json!({}));
    assert_oauth_error(
        with_assertion(&app, &forged).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "does not verify",
    )
    .await;

    let hmac = jsonwebtoken::encode(
        &Header {
            kid: Some(kid.clone()),
            ..Header::new(Algorithm::HS256)
        },
        &json!({"iss": SS, "sub": SS}),
        &EncodingKey::from_secret(b"guess"),
    )
    .unwrap();
    assert_oauth_error(
        with_assertion(&app, &hmac).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "alg 'HS256' is not accepted",
    )
    .await;
}

#[tokio::test]
async fn token_requests_need_the_grant_scope_and_authentication_rfc_6749_asks_for() {
    let app = spawn_app().await;
    let response = token_request(&app, &[("grant_type", "password")]).await;
    assert_oauth_error(
        response,
        StatusCode::BAD_REQUEST,
        "unsupported_grant_type",
        "'password'",
    )
    .await;
    let response = token_request(&app, &[("grant_type", "client_credentials")]).await;
    assert_oauth_error(
        response,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "client authentication is required",
    )
    .await;
    let response = token_request(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "openid accounts"),
        ],
    )
    .await;
    assert_oauth_error(
        response,
        StatusCode::BAD_REQUEST,
        "invalid_scope",
        "'openid'",
    )
    .await;
    let response = app
        .client
        .post(app.url("/token"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_oauth_error(
        response,
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "x-www-form-urlencoded",
    )
    .await;
}

#[tokio::test]
async fn an_organisation_token_reaches_only_its_organisation_and_no_admin_operation() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let token = access_token(&app, &tpp).await;
    assert_eq!(
        app.post_json(
            "/organisations",
            &json!({"OrganisationId": "org-b", "OrganisationName": "B"})
        )
        .await
        .status(),
        StatusCode::CREATED
    );

    let as_client = |method: reqwest::Method, path: &str| {
        app.client
            .request(method, app.url(path))
            .bearer_auth(&token)
    };
    let response = as_client(reqwest::Method::GET, "/organisations/org-b")
        .send()
        .await
        .unwrap();
    assert_error(
        response,
        StatusCode::FORBIDDEN,
        "may not act on organisation 'org-b'",
    )
    .await;
    let response = as_client(
        reqwest::Method::POST,
        "/organisations/org-b/softwarestatements",
    )
    .json(&json!({"ClientName": "x"}))
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = as_client(reqwest::Method::POST, "/organisations")
        .json(&json!({"OrganisationName": "mine"}))
        .send()
        .await
        .unwrap();
    assert_error(
        response,
        StatusCode::FORBIDDEN,
        "creating an organisation needs the admin token",
    )
    .await;
    let response = as_client(
        reqwest::Method::PUT,
        &format!("/organisations/{ORG}/softwarestatements/{SS}"),
    )
    .json(&statement_update(json!({"Status": "Suspended"})))
    .send()
    .await
    .unwrap();
    assert_error(
        response,
        StatusCode::FORBIDDEN,
        "changing a software statement's Status needs the admin token",
    )
    .await;
    let response = as_client(reqwest::Method::PUT, &format!("/organisations/{ORG}"))
        .json(&json!({"Status": "Withdrawn"}))
        .send()
        .await
        .unwrap();
    assert_error(
        response,
        StatusCode::FORBIDDEN,
        "Status needs the admin token",
    )
    .await;

    let response = as_client(reqwest::Method::GET, "/admin/events")
        .send()
        .await
        .unwrap();
    assert_error(
        response,
        StatusCode::FORBIDDEN,
        "reading events needs the admin token",
    )
    .await;
    let response = as_client(reqwest::Method::GET, "/v1/ecosystems/certificates/ca")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = as_client(reqwest::Method::POST, "/v1/ecosystems/certificates/ca")
        .json(&json!({"organisationName": "Mine"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // What it may do: its own organisation, statements, keys.
    let page: Value = as_client(reqwest::Method::GET, "/organisations")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["totalSize"], 1);
    assert_eq!(page["content"][0]["OrganisationId"], ORG);
    let key = tpp.public_key_pem(&tpp.rsa_key("enc.key", 2048));
    let response = as_client(
        reqwest::Method::POST,
        &TestApp::certificates_path(ORG, SS, "enckey"),
    )
    .header("Content-Type", "application/x-pem-file")
    .body(key)
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = as_client(reqwest::Method::PUT, &format!("/organisations/{ORG}"))
        .json(&json!({"City": "Sao Paulo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn expired_and_forged_access_tokens_are_401() {
    let start = chrono::DateTime::parse_from_rfc3339("2026-06-01T12:00:00Z")
        .unwrap()
        .to_utc();
    let app = spawn_app_with(AppOptions {
        now: Some(start),
        ..Default::default()
    })
    .await;
    let tpp = Tpp::new();
    let (key, kid) = signing_key(&app, &tpp).await;
    let claims = json!({"iat": start.timestamp(), "exp": start.timestamp() + 300});
    let response =
        with_assertion(&app, &assertion(&app, &key, Algorithm::RS256, &kid, claims)).await;
    let token = response.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let org = |token: &str| {
        app.client
            .get(app.url(&format!("/organisations/{ORG}")))
            .bearer_auth(token.to_owned())
            .send()
    };
    assert_eq!(org(&token).await.unwrap().status(), StatusCode::OK);

    app.clock
        .as_ref()
        .unwrap()
        .set(start + chrono::Duration::minutes(16));
    let expired = org(&token).await.unwrap();
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    assert!(expired.bytes().await.unwrap().is_empty());

    // Same claims, the directory's kid, someone else's key.
    let directory_kid = jsonwebtoken::decode_header(&token).unwrap().kid.unwrap();
    let forged = jsonwebtoken::encode(
        &Header { kid: Some(directory_kid), ..Header::new(Algorithm::PS256) },
        &json!({"iss": app.address, "org_id": ORG, "software_id": SS, "scope": "directory:software", "exp": start.timestamp() + 3600}),
        &EncodingKey::from_rsa_pem(&std::fs::read(&key).unwrap()).unwrap(),
    )
    .unwrap();
    assert_eq!(
        org(&forged).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        org("not.a.jwt").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_suspended_statement_gets_no_token_and_its_tokens_stop_working() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let (key, kid) = signing_key(&app, &tpp).await;
    let token = {
        let response = with_assertion(
            &app,
            &assertion(&app, &key, Algorithm::RS256, &kid, json!({})),
        )
        .await;
        response.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let response = app
        .put_json(
            &format!("/organisations/{ORG}/softwarestatements/{SS}"),
            &statement_update(json!({"Status": "Suspended"})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = with_assertion(
        &app,
        &assertion(&app, &key, Algorithm::RS256, &kid, json!({})),
    )
    .await;
    assert_oauth_error(
        response,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "is Suspended",
    )
    .await;
    let response = app
        .client
        .get(app.url(&format!("/organisations/{ORG}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn client_secret_basic_works_only_when_enabled() {
    let app = spawn_app_with(AppOptions {
        client_secret_basic: true,
        ..Default::default()
    })
    .await;
    let created: Value = app
        .post_json(
            &format!("/organisations/{ORG}/softwarestatements"),
            &json!({"SoftwareStatementId": "ss-basic", "ClientName": "Basic"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let secret = created["ClientSecret"]
        .as_str()
        .expect("the secret is shown once");
    let read: Value = app
        .get(&format!("/organisations/{ORG}/softwarestatements/ss-basic"))
        .await
        .json()
        .await
        .unwrap();
    assert!(read.get("ClientSecret").is_none());

    let basic = |secret: &str| {
        app.client
            .post(app.url("/token"))
            .basic_auth("ss-basic", Some(secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
    };
    assert_eq!(basic(secret).await.unwrap().status(), StatusCode::OK);
    assert_oauth_error(
        basic("wrong").await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "client secret is wrong",
    )
    .await;
    let doc: Value = app
        .get_public(&app.url("/.well-known/openid-configuration"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        doc["token_endpoint_auth_methods_supported"],
        json!(["private_key_jwt", "client_secret_basic"])
    );

    let off = spawn_app().await;
    let response = off
        .client
        .post(off.url("/token"))
        .basic_auth(SS, Some("anything"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_oauth_error(
        response,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "client_secret_basic is not enabled",
    )
    .await;
}
