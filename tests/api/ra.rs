//! The RA face (seed 002) end to end: operator login and JWT failures,
//! client search, domain pre-validation in both DNS modes, asynchronous
//! orders, chains as PEM and PKCS#7, revocation showing in CRL and OCSP,
//! and the seed's error codes.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::dns_server::DnsServer;
use crate::helpers::*;

pub const USER: &str = "service.account";
pub const API_KEY: &str = "n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w";
const ALPHA_ONLY: &str = "alpha.only";
const ALPHA_ONLY_KEY: &str = "alpha-only-key-0123456789abcdef0123456789";
pub const ALPHA: &str = "cli-11111111-1111-4111-8111-111111111111";
const BETA: &str = "cli-22222222-2222-4222-8222-222222222222";
pub const TLS_PRODUCT: &str = "pma-aaaaaaaa-0000-4000-8000-000000000001";
const CLIENT_AUTH_PRODUCT: &str = "pma-aaaaaaaa-0000-4000-8000-000000000002";
const DISABLED_PRODUCT: &str = "pma-aaaaaaaa-0000-4000-8000-000000000003";
const RETIRED_PRODUCT: &str = "pma-aaaaaaaa-0000-4000-8000-000000000004";
const EXPIRED_PRODUCT: &str = "pma-aaaaaaaa-0000-4000-8000-000000000005";
const BETA_PRODUCT: &str = "pma-bbbbbbbb-0000-4000-8000-000000000001";

/// The accounts every RA test starts with; `extra` goes into `[ra]`.
pub fn ra_config(extra: &str) -> &'static str {
    let config = format!(
        r#"
[ra]
order_tick_ms = 20
{extra}

[[ra.operators]]
user_name = "{USER}"
api_key = "{API_KEY}"

[[ra.operators]]
user_name = "{ALPHA_ONLY}"
api_key = "{ALPHA_ONLY_KEY}"
clients = ["{ALPHA}"]

[[ra.clients]]
name = "Client Alpha"
reference = "{ALPHA}"
products = [
  {{ name = "TLS Server", profile = "tls-server", reference = "{TLS_PRODUCT}" }},
  {{ name = "Client Auth", profile = "client-auth", reference = "{CLIENT_AUTH_PRODUCT}" }},
  {{ name = "Old API", profile = "tls-server", state = "api-disabled", reference = "{DISABLED_PRODUCT}" }},
  {{ name = "Retired", profile = "tls-server", state = "retired", reference = "{RETIRED_PRODUCT}" }},
  {{ name = "Expired", profile = "tls-server", state = "expired", reference = "{EXPIRED_PRODUCT}" }},
]

[[ra.clients]]
name = "Client Beta"
reference = "{BETA}"
products = [{{ name = "Beta TLS", profile = "tls-server", reference = "{BETA_PRODUCT}" }}]
"#
    );
    Box::leak(config.into_boxed_str())
}

pub async fn spawn_ra(extra: &str, now: Option<DateTime<Utc>>) -> TestApp {
    spawn_app_with(AppOptions {
        config: Some(ra_config(extra)),
        now,
        ..Default::default()
    })
    .await
}

pub async fn login(app: &TestApp, user: &str, secret: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/v2/jwt/{user}")))
        .form(&[("userSecret", secret)])
        .send()
        .await
        .unwrap()
}

pub async fn session(app: &TestApp, user: &str, secret: &str) -> String {
    let response = login(app, user, secret).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

/// A POST to the RA face with the session token and an optional JSON body.
pub async fn ra_post(
    app: &TestApp,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/v2{path}")))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

pub async fn order_csr(app: &TestApp, token: &str, product: &str, csr: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/v2/issue/csr/{product}")))
        .bearer_auth(token)
        .header("Content-Type", "text/plain")
        .body(csr.to_owned())
        .send()
        .await
        .unwrap()
}

/// Asserts the seed's error shape and code; answers the messages.
pub async fn assert_ra_error(
    response: reqwest::Response,
    status: StatusCode,
    code: &str,
) -> String {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errorCode"], code, "{body}");
    assert!(
        uuid::Uuid::parse_str(body["uuid"].as_str().unwrap()).is_ok(),
        "{body}"
    );
    let messages = body["errorMessages"].as_array().unwrap();
    assert!(!messages.is_empty(), "{body}");
    messages
        .iter()
        .map(|m| m.as_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn server_csr(tpp: &Tpp, name: &str, dns: &[&str]) -> String {
    let key = tpp.rsa_key(name, 2048);
    let san = dns
        .iter()
        .map(|d| format!("DNS:{d}"))
        .collect::<Vec<_>>()
        .join(",");
    tpp.csr(
        &key,
        &format!("/CN={}", dns[0]),
        &["-addext", &format!("subjectAltName={san}")],
    )
}

/// Polls the order until it leaves `received` and `validating`, or 10 s pass.
pub async fn settle(app: &TestApp, token: &str, order: &str) -> Value {
    for _ in 0..200 {
        let status: Value = ra_post(app, token, &format!("/order/{order}/status"), None)
            .await
            .json()
            .await
            .unwrap();
        if status["status"] == "issued" || status["status"] == "failed" {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("order {order} did not settle");
}

/// Registers `name` for ALPHA and publishes its token in the emulated DNS;
/// answers the registration.
pub async fn register_and_publish(app: &TestApp, token: &str, name: &str) -> Value {
    let registered: Value = ra_post(
        app,
        token,
        &format!("/client/domain/{ALPHA}/register"),
        Some(json!([name])),
    )
    .await
    .json()
    .await
    .unwrap();
    let domain = registered[0].clone();
    let response = app
        .put_json(
            &format!(
                "/admin/dns/txt/{}",
                domain["asciiDomainName"].as_str().unwrap()
            ),
            &json!([domain["token"]]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    domain
}

fn hs256(claims: &Value, key: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(key.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn login_answers_an_eight_hour_hs256_jwt_with_the_seed_claims() {
    let app = spawn_ra("", None).await;
    let token = session(&app, USER, API_KEY).await;
    let header = jsonwebtoken::decode_header(&token).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::HS256);
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_audience(&["REST API"]);
    validation.set_issuer(&["SwissPKI"]);
    let verified = jsonwebtoken::decode::<Value>(
        &token,
        &jsonwebtoken::DecodingKey::from_secret(API_KEY.as_bytes()),
        &validation,
    )
    .expect("the token verifies with the API key");
    let claims = verified.claims;
    assert_eq!(claims["sub"], USER);
    assert_eq!(claims["nbf"], claims["iat"]);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        8 * 3600
    );
}

#[tokio::test]
async fn a_wrong_secret_or_user_is_an_authentication_error_and_no_secret_a_null_value() {
    let app = spawn_ra("", None).await;
    assert_ra_error(
        login(&app, USER, "not-the-key").await,
        StatusCode::UNAUTHORIZED,
        "009.353.0223",
    )
    .await;
    assert_ra_error(
        login(&app, "nobody", API_KEY).await,
        StatusCode::UNAUTHORIZED,
        "009.353.0223",
    )
    .await;
    let response = app
        .client
        .post(app.url(&format!("/v2/jwt/{USER}")))
        .form(&[("other", "x")])
        .send()
        .await
        .unwrap();
    let message = assert_ra_error(response, StatusCode::BAD_REQUEST, "011.351.0229").await;
    assert!(message.contains("userSecret"), "{message}");
}

#[tokio::test]
async fn calls_without_a_good_jwt_get_the_jwt_error_code() {
    let t0 = DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
        .unwrap()
        .to_utc();
    let app = spawn_ra("", Some(t0)).await;
    let now = t0.timestamp();
    let good = json!({"iss": "SwissPKI", "aud": "REST API", "sub": USER, "iat": now, "nbf": now, "exp": now + 600});
    let with = |field: &str, value: Value| {
        let mut claims = good.clone();
        claims[field] = value;
        claims
    };
    let cases: Vec<(&str, Option<String>)> = vec![
        ("no header", None),
        ("garbage", Some("not.a.jwt".into())),
        (
            "another key",
            Some(hs256(&good, "some-other-key-0123456789abcdef012345")),
        ),
        (
            "expired",
            Some(hs256(&with("exp", json!(now - 3600)), API_KEY)),
        ),
        (
            "not yet valid",
            Some(hs256(&with("nbf", json!(now + 3600)), API_KEY)),
        ),
        (
            "wrong audience",
            Some(hs256(&with("aud", json!("other")), API_KEY)),
        ),
        (
            "wrong issuer",
            Some(hs256(&with("iss", json!("me")), API_KEY)),
        ),
        (
            "unknown operator",
            Some(hs256(&with("sub", json!("ghost")), API_KEY)),
        ),
        (
            "alg none",
            Some(format!(
                "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.",
                token_payload(&good)
            )),
        ),
    ];
    for (case, token) in cases {
        let mut request = app.client.post(app.url("/v2/clients"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{case}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errorCode"], "009.250.0228", "{case}: {body}");
    }
    // A token the operator signs itself by the seed's rules is accepted.
    let own = hs256(&good, API_KEY);
    let response = ra_post(&app, &own, "/clients", None).await;
    assert_eq!(response.status(), StatusCode::OK);
}

fn token_payload(claims: &Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string())
}

#[tokio::test]
async fn clients_are_searched_with_wildcards_and_limited_to_the_operators_own() {
    let app = spawn_ra("", None).await;
    let token = session(&app, USER, API_KEY).await;
    let all: Value = ra_post(&app, &token, "/clients?search=Client%2A", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    let alpha = &all[0];
    assert_eq!(alpha["clientReference"], ALPHA);
    assert_eq!(alpha["products"][0]["productReference"], TLS_PRODUCT);
    assert_eq!(alpha["products"][2]["state"], "api-disabled");
    let beta: Value = ra_post(&app, &token, "/clients?search=*beta", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(beta[0]["clientReference"], BETA, "{beta}");

    let restricted = session(&app, ALPHA_ONLY, ALPHA_ONLY_KEY).await;
    let own: Value = ra_post(&app, &restricted, "/clients", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own.as_array().unwrap().len(), 1, "{own}");
    let one: Value = ra_post(&app, &restricted, &format!("/client/{ALPHA}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["name"], "Client Alpha");
    assert_ra_error(
        ra_post(&app, &restricted, &format!("/client/{BETA}"), None).await,
        StatusCode::FORBIDDEN,
        "011.352.0224",
    )
    .await;
    assert_ra_error(
        ra_post(
            &app,
            &token,
            "/client/cli-99999999-9999-4999-8999-999999999999",
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "011.351.0231",
    )
    .await;
    let message = assert_ra_error(
        ra_post(&app, &token, "/client/not-a-reference", None).await,
        StatusCode::BAD_REQUEST,
        "011.351.0226",
    )
    .await;
    assert!(message.contains("clientReference"), "{message}");
}

#[tokio::test]
async fn an_idn_domain_is_registered_under_its_punycode_name_and_its_token_managed() {
    let app = spawn_ra("", None).await;
    let token = session(&app, USER, API_KEY).await;
    let registered: Value = ra_post(
        &app,
        &token,
        &format!("/client/domain/{ALPHA}/register"),
        Some(json!(["déjà.vu.com", "jamais.vu.com", "encore.vu.com"])),
    )
    .await
    .json()
    .await
    .unwrap();
    let list = registered.as_array().unwrap();
    assert_eq!(list.len(), 3, "{registered}");
    let deja = &list[0];
    assert!(
        deja["prevalidatedDomainReference"]
            .as_str()
            .unwrap()
            .starts_with("cld-")
    );
    assert_eq!(deja["domainName"], "déjà.vu.com");
    assert_eq!(deja["asciiDomainName"], "xn--dj-kia8a.vu.com");
    assert_eq!(deja["status"], "PENDING");
    let first_token = deja["token"].as_str().unwrap().to_owned();
    assert!(first_token.starts_with("swiss-pki="), "{first_token}");
    let issued = DateTime::parse_from_rfc3339(deja["registered"].as_str().unwrap()).unwrap();
    let expires = DateTime::parse_from_rfc3339(deja["tokenExpires"].as_str().unwrap()).unwrap();
    assert_eq!((expires - issued).num_days(), 30);

    // Registering a name again answers its registration; nothing new.
    let again: Value = ra_post(
        &app,
        &token,
        &format!("/client/domain/{ALPHA}/register"),
        Some(json!(["DÉJÀ.vu.com"])),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        again[0]["prevalidatedDomainReference"],
        deja["prevalidatedDomainReference"]
    );
    let listed: Value = ra_post(&app, &token, &format!("/client/domains/{ALPHA}/list"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 3);

    let cld = deja["prevalidatedDomainReference"].as_str().unwrap();
    let reset: Value = ra_post(
        &app,
        &token,
        &format!("/client/domain/{cld}/token/reset"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_ne!(reset["token"], first_token.as_str());
    let deleted: Value = ra_post(
        &app,
        &token,
        &format!("/client/domain/{cld}/token/delete"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(deleted["status"], "NO_TOKEN");
    assert!(deleted["token"].is_null());
    let message = assert_ra_error(
        ra_post(
            &app,
            &token,
            &format!("/client/domain/{cld}/validate"),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
        "011.351.0226",
    )
    .await;
    assert!(message.contains("no validation token"), "{message}");
    let response = ra_post(&app, &token, &format!("/client/domain/{cld}/delete"), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_ra_error(
        ra_post(&app, &token, &format!("/client/domain/{cld}"), None).await,
        StatusCode::NOT_FOUND,
        "011.351.0226",
    )
    .await;

    let message = assert_ra_error(
        ra_post(
            &app,
            &token,
            &format!("/client/domain/{ALPHA}/register"),
            Some(json!(["ok.example.com", "bad..name"])),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "011.351.0226",
    )
    .await;
    assert!(message.contains("[1]"), "{message}");
    let listed: Value = ra_post(&app, &token, &format!("/client/domains/{ALPHA}/list"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed.as_array().unwrap().len(),
        2,
        "nothing of a refused batch is written"
    );
}

/// The whole flow: register, publish the TXT record, validate, order, poll,
/// download the chain in both forms, revoke, and see it in CRL and OCSP.
async fn whole_flow(app: &TestApp, publish: impl AsyncFnOnce(&str, &str)) {
    let token = session(app, USER, API_KEY).await;
    let tpp = Tpp::new();
    let registered: Value = ra_post(
        app,
        &token,
        &format!("/client/domain/{ALPHA}/register"),
        Some(json!(["déjà.vu.com"])),
    )
    .await
    .json()
    .await
    .unwrap();
    let domain = &registered[0];
    let cld = domain["prevalidatedDomainReference"].as_str().unwrap();

    // Before the record is published, validation says what to publish.
    let message = assert_ra_error(
        ra_post(app, &token, &format!("/client/domain/{cld}/validate"), None).await,
        StatusCode::BAD_REQUEST,
        "011.351.0226",
    )
    .await;
    assert!(message.contains("xn--dj-kia8a.vu.com"), "{message}");

    // An order for a name not yet validated waits in `validating`.
    let csr = server_csr(
        &tpp,
        "server",
        &["xn--dj-kia8a.vu.com", "www.xn--dj-kia8a.vu.com"],
    );
    let response = order_csr(app, &token, TLS_PRODUCT, &csr).await;
    assert_eq!(response.status(), StatusCode::OK);
    let order: Value = response.json().await.unwrap();
    assert_eq!(order["status"], "received");
    let ord = order["orderReference"].as_str().unwrap().to_owned();
    assert!(ord.starts_with("ord-"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let status: Value = ra_post(app, &token, &format!("/order/{ord}/status"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "validating", "{status}");
    assert_ra_error(
        ra_post(
            app,
            &token,
            &format!("/order/{ord}/certificate/chain"),
            None,
        )
        .await,
        StatusCode::CONFLICT,
        "011.351.0226",
    )
    .await;

    publish(
        domain["asciiDomainName"].as_str().unwrap(),
        domain["token"].as_str().unwrap(),
    )
    .await;
    let validated: Value = ra_post(app, &token, &format!("/client/domain/{cld}/validate"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(validated["status"], "VALIDATED", "{validated}");
    let from = DateTime::parse_from_rfc3339(validated["validated"].as_str().unwrap()).unwrap();
    let until = DateTime::parse_from_rfc3339(validated["validUntil"].as_str().unwrap()).unwrap();
    assert!(
        (395..=397).contains(&(until - from).num_days()),
        "13 months"
    );

    let status = settle(app, &token, &ord).await;
    assert_eq!(status["status"], "issued", "{status}");
    let order: Value = ra_post(app, &token, &format!("/order/{ord}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        order["dnsNames"],
        json!(["xn--dj-kia8a.vu.com", "www.xn--dj-kia8a.vu.com"])
    );
    let serial = order["certificate"]["serialNumber"]
        .as_str()
        .unwrap()
        .to_owned();
    let issuer = order["certificate"]["issuerName"]
        .as_str()
        .unwrap()
        .to_owned();

    // The chain as a list of PEM certificates verifies with openssl.
    let chain: Vec<String> = ra_post(
        app,
        &token,
        &format!("/order/{ord}/certificate/chain"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(chain.len(), 3, "leaf, issuing CA, root");
    let leaf = tpp.path("ra-leaf.pem");
    let cas = tpp.path("ra-cas.pem");
    std::fs::write(&leaf, &chain[0]).unwrap();
    std::fs::write(&cas, chain[1..].concat()).unwrap();
    let (ok, output) = openssl_outcome(&[
        "verify",
        "-purpose",
        "sslserver",
        "-CAfile",
        s(&cas),
        s(&leaf),
    ]);
    assert!(ok, "{output}");
    let text = tpp.describe(&chain[0]);
    assert!(text.contains("DNS:xn--dj-kia8a.vu.com"), "{text}");
    assert!(text.contains("TLS Web Server Authentication"), "{text}");

    // And as PKCS#7 that `openssl pkcs7 -print_certs` reads.
    let response = app
        .client
        .post(app.url(&format!("/v2/order/{ord}/certificate/chain")))
        .bearer_auth(&token)
        .header("Accept", "application/pkcs7-mime")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/pkcs7-mime");
    let p7 = tpp.path("chain.p7b");
    std::fs::write(&p7, response.bytes().await.unwrap()).unwrap();
    let (ok, printed) =
        openssl_outcome(&["pkcs7", "-inform", "DER", "-in", s(&p7), "-print_certs"]);
    assert!(ok, "{printed}");
    assert_eq!(
        printed.matches("-----BEGIN CERTIFICATE-----").count(),
        3,
        "{printed}"
    );
    assert!(printed.contains("xn--dj-kia8a.vu.com"), "{printed}");

    // Revoked through the RA: in the CRL and in OCSP at once.
    let results: Value = ra_post(
        app,
        &token,
        "/revoke",
        Some(json!([{"serialNumber": serial, "issuerName": issuer, "revocationReason": "keyCompromise"}])),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(results[0]["revoked"], true, "{results}");
    let crl_url = text
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("URI:")
                .filter(|u| u.ends_with(".crl"))
        })
        .unwrap()
        .to_owned();
    let crl = tpp.path("ra.crl");
    std::fs::write(&crl, app.get_public(&crl_url).await.bytes().await.unwrap()).unwrap();
    let (ok, crl_text) =
        openssl_outcome(&["crl", "-inform", "DER", "-in", s(&crl), "-noout", "-text"]);
    assert!(ok, "{crl_text}");
    assert!(
        crl_text.contains(&format!("Serial Number: {serial}")),
        "{crl_text}"
    );
    assert!(crl_text.contains("Key Compromise"), "{crl_text}");
    let issuing = tpp.path("ra-issuing.pem");
    std::fs::write(&issuing, &chain[1]).unwrap();
    let (ok, ocsp) = openssl_outcome(&[
        "ocsp",
        "-issuer",
        s(&issuing),
        "-cert",
        s(&leaf),
        "-url",
        &app.url("/ocsp"),
        "-CAfile",
        s(&cas),
    ]);
    assert!(ok, "{ocsp}");
    assert!(ocsp.contains(": revoked"), "{ocsp}");

    // Revoking it again is refused with its code.
    let results: Value = ra_post(
        app,
        &token,
        "/revoke",
        Some(json!([{"serialNumber": serial, "issuerName": issuer, "revocationReason": "superseded"}])),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(results[0]["revoked"], false);
    assert_eq!(results[0]["errorCode"], "011.350.0233", "{results}");
}

#[tokio::test]
async fn register_publish_validate_order_chain_and_revoke_with_emulated_dns() {
    let app = spawn_ra("", None).await;
    whole_flow(&app, async |name, token| {
        let response = app
            .put_json(&format!("/admin/dns/txt/{name}"), &json!([token]))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn register_publish_validate_order_chain_and_revoke_with_a_real_dns_lookup() {
    let dns = DnsServer::start();
    let extra = format!(
        "dns = \"resolver\"\nnameserver = \"{}\"\ndns_timeout_ms = 1000",
        dns.address
    );
    let app = spawn_ra(&extra, None).await;
    whole_flow(&app, async |name, token| dns.set_txt(name, &[token])).await;
    assert!(
        dns.queries().iter().any(|q| q == "xn--dj-kia8a.vu.com"),
        "obdir asked the nameserver: {:?}",
        dns.queries()
    );
}

#[tokio::test]
async fn an_order_pauses_in_each_state_and_fails_when_validation_waits_too_long() {
    let t0 = DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
        .unwrap()
        .to_utc();
    let app = spawn_ra(
        "order_state_delay_ms = 5000\nvalidation_timeout_seconds = 60",
        Some(t0),
    )
    .await;
    let clock = app.clock.clone().unwrap();
    let token = session(&app, USER, API_KEY).await;
    let tpp = Tpp::new();
    let csr = server_csr(&tpp, "late", &["never.example.com"]);
    let order: Value = order_csr(&app, &token, TLS_PRODUCT, &csr)
        .await
        .json()
        .await
        .unwrap();
    let ord = order["orderReference"].as_str().unwrap().to_owned();
    let status = async |app: &TestApp| -> Value {
        ra_post(app, &token, &format!("/order/{ord}/status"), None)
            .await
            .json()
            .await
            .unwrap()
    };
    assert_eq!(status(&app).await["status"], "received");
    clock.set(t0 + chrono::Duration::seconds(5));
    assert_eq!(status(&app).await["status"], "validating");
    clock.set(t0 + chrono::Duration::seconds(64));
    assert_eq!(status(&app).await["status"], "validating");
    clock.set(t0 + chrono::Duration::seconds(65));
    let failed = status(&app).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    let reason = failed["failureReasons"][0].as_str().unwrap();
    assert!(reason.contains("never.example.com"), "{reason}");
    assert!(reason.contains("not pre-validated"), "{reason}");
}

#[tokio::test]
async fn orders_are_refused_with_the_seeds_product_and_csr_codes() {
    let app = spawn_ra("", None).await;
    let token = session(&app, USER, API_KEY).await;
    let tpp = Tpp::new();
    let csr = server_csr(&tpp, "good", &["a.example.com"]);
    for (product, status, code) in [
        (DISABLED_PRODUCT, StatusCode::BAD_REQUEST, "011.351.0245"),
        (RETIRED_PRODUCT, StatusCode::BAD_REQUEST, "011.351.0246"),
        (EXPIRED_PRODUCT, StatusCode::BAD_REQUEST, "011.351.0247"),
        (
            "pma-99999999-9999-4999-8999-999999999999",
            StatusCode::NOT_FOUND,
            "011.351.0243",
        ),
    ] {
        assert_ra_error(order_csr(&app, &token, product, &csr).await, status, code).await;
    }
    let restricted = session(&app, ALPHA_ONLY, ALPHA_ONLY_KEY).await;
    assert_ra_error(
        order_csr(&app, &restricted, BETA_PRODUCT, &csr).await,
        StatusCode::FORBIDDEN,
        "011.352.0224",
    )
    .await;

    let message = assert_ra_error(
        order_csr(
            &app,
            &token,
            TLS_PRODUCT,
            "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
        )
        .await,
        StatusCode::BAD_REQUEST,
        "011.351.0241",
    )
    .await;
    assert!(message.contains("csr"), "{message}");
    let weak = tpp.rsa_key("weak", 1024);
    let weak_csr = tpp.csr(&weak, "/CN=a.example.com", &[]);
    assert_ra_error(
        order_csr(&app, &token, TLS_PRODUCT, &weak_csr).await,
        StatusCode::BAD_REQUEST,
        "011.351.0240",
    )
    .await;
    let nameless = tpp.csr(&tpp.rsa_key("nameless", 2048), "/CN=Just A Person", &[]);
    let message = assert_ra_error(
        order_csr(&app, &token, TLS_PRODUCT, &nameless).await,
        StatusCode::BAD_REQUEST,
        "011.351.0244",
    )
    .await;
    assert!(message.contains("DNS name"), "{message}");
    // A client-auth product issues without any DNS name to validate.
    let order: Value = order_csr(&app, &token, CLIENT_AUTH_PRODUCT, &nameless)
        .await
        .json()
        .await
        .unwrap();
    let status = settle(&app, &token, order["orderReference"].as_str().unwrap()).await;
    assert_eq!(status["status"], "issued", "{status}");
    let orders: Value = ra_post(&app, &token, "/orders", Some(json!({"status": "issued"})))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(orders.as_array().unwrap().len(), 1, "{orders}");
    assert_eq!(orders[0]["productReference"], CLIENT_AUTH_PRODUCT);
}

#[tokio::test]
async fn revocation_items_are_answered_one_by_one_with_their_codes() {
    let app = spawn_ra("", None).await;
    let token = session(&app, USER, API_KEY).await;
    let tpp = Tpp::new();
    register_and_publish(&app, &token, "shop.example.com").await;
    let domains: Value = ra_post(&app, &token, &format!("/client/domains/{ALPHA}/list"), None)
        .await
        .json()
        .await
        .unwrap();
    let cld = domains[0]["prevalidatedDomainReference"].as_str().unwrap();
    ra_post(
        &app,
        &token,
        &format!("/client/domain/{cld}/validate"),
        None,
    )
    .await;
    let order: Value = order_csr(
        &app,
        &token,
        TLS_PRODUCT,
        &server_csr(&tpp, "shop", &["shop.example.com"]),
    )
    .await
    .json()
    .await
    .unwrap();
    let ord = order["orderReference"].as_str().unwrap();
    settle(&app, &token, ord).await;
    let order: Value = ra_post(&app, &token, &format!("/order/{ord}"), None)
        .await
        .json()
        .await
        .unwrap();
    let serial = order["certificate"]["serialNumber"].as_str().unwrap();
    let issuer = order["certificate"]["issuerName"].as_str().unwrap();
    // The issuing CA's own serial, from the chain.
    let chain: Vec<String> = ra_post(
        &app,
        &token,
        &format!("/order/{ord}/certificate/chain"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let ca_text = tpp.describe(&chain[1]);
    let ca_serial = ca_text
        .lines()
        .skip_while(|l| !l.contains("Serial Number:"))
        .nth(1)
        .unwrap()
        .trim()
        .replace(':', "");
    // The issuer's RDNs in the other order still name it.
    let mut rdns: Vec<&str> = issuer.split(", ").collect();
    rdns.reverse();
    let reversed = rdns.join(",");

    let results: Value = ra_post(
        &app,
        &token,
        "/revoke",
        Some(json!([
            {"serialNumber": "0BADC0FFEE", "issuerName": issuer, "revocationReason": "superseded"},
            {"serialNumber": serial, "issuerName": "CN=Some SubCA,O=Elsewhere", "revocationReason": "superseded"},
            {"serialNumber": serial, "issuerName": "not a dn", "revocationReason": "superseded"},
            {"serialNumber": ca_serial, "issuerName": issuer, "revocationReason": "superseded"},
            {"issuerName": issuer, "revocationReason": "superseded"},
            {"serialNumber": serial, "issuerName": issuer, "revocationReason": "bored"},
            {"serialNumber": serial, "issuerName": reversed, "revocationReason": "superseded"},
        ])),
    )
    .await
    .json()
    .await
    .unwrap();
    let codes: Vec<&str> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["errorCode"].as_str().unwrap_or("revoked"))
        .collect();
    assert_eq!(
        codes,
        [
            "011.350.0230",
            "011.350.0238",
            "011.350.0237",
            "011.350.0235",
            "011.351.0229",
            "011.351.0226",
            "revoked"
        ],
        "{results}"
    );
    let message = assert_ra_error(
        ra_post(
            &app,
            &token,
            "/revoke",
            Some(json!({"serialNumber": serial})),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "011.351.0226",
    )
    .await;
    assert!(
        message.contains("sequence") || message.contains("array"),
        "{message}"
    );
}

#[tokio::test]
async fn an_expired_certificate_is_not_revoked() {
    let t0 = DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
        .unwrap()
        .to_utc();
    let app = spawn_ra("", Some(t0)).await;
    let clock = app.clock.clone().unwrap();
    let token = session(&app, USER, API_KEY).await;
    let tpp = Tpp::new();
    let nameless = tpp.csr(&tpp.rsa_key("client", 2048), "/CN=Client One", &[]);
    let order: Value = order_csr(&app, &token, CLIENT_AUTH_PRODUCT, &nameless)
        .await
        .json()
        .await
        .unwrap();
    let ord = order["orderReference"].as_str().unwrap();
    let order: Value = ra_post(&app, &token, &format!("/order/{ord}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(order["status"], "issued", "{order}");
    clock.set(t0 + chrono::Duration::days(500));
    // A fresh session: the first one has expired with the clock's jump.
    let token = session(&app, USER, API_KEY).await;
    let results: Value = ra_post(
        &app,
        &token,
        "/revoke",
        Some(json!([{
            "serialNumber": order["certificate"]["serialNumber"],
            "issuerName": order["certificate"]["issuerName"],
            "revocationReason": "superseded"
        }])),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(results[0]["errorCode"], "011.350.0232", "{results}");
}

#[tokio::test]
async fn operators_and_clients_are_managed_through_the_admin_api_only() {
    let app = spawn_ra("", None).await;
    let response = app
        .post_json(
            "/admin/ra/clients",
            &json!({"name": "Client Gamma", "products": [{"name": "TLS", "profile": "tls-server"}]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let gamma: Value = response.json().await.unwrap();
    let gamma_ref = gamma["reference"].as_str().unwrap().to_owned();
    let response = app
        .post_json(
            "/admin/ra/operators",
            &json!({"userName": "gamma.ops", "clients": [gamma_ref]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let key = created["apiKey"]
        .as_str()
        .expect("a generated key is shown once")
        .to_owned();
    let listed: Value = app.get("/admin/ra/operators").await.json().await.unwrap();
    assert!(!listed.to_string().contains(&key), "keys are never listed");

    let token = session(&app, "gamma.ops", &key).await;
    let clients: Value = ra_post(&app, &token, "/clients", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(clients.as_array().unwrap().len(), 1);
    assert_eq!(clients[0]["name"], "Client Gamma");

    // Not the admin token: refused.
    let response = app
        .client
        .post(app.url("/admin/ra/operators"))
        .bearer_auth(&token)
        .json(&json!({"userName": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = app
        .post_json(
            "/admin/ra/operators",
            &json!({"userName": "short.key", "apiKey": "abc"}),
        )
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "apiKey").await;
}

#[tokio::test]
async fn a_seed_adds_ra_accounts_once_and_a_reset_keeps_only_those_of_config() {
    let app = spawn_ra("", None).await;
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ra.toml");
    let report = obdir::service::seed::load(&app.services.directory, &app.services.ra, &fixture)
        .await
        .unwrap();
    assert_eq!((report.ra_clients, report.ra_operators), (1, 1));
    let before = app.services.test_control.stored_contents().unwrap();
    let again = obdir::service::seed::load(&app.services.directory, &app.services.ra, &fixture)
        .await
        .unwrap();
    assert_eq!((again.ra_clients, again.ra_operators), (0, 0));
    assert!(
        app.services.test_control.stored_contents().unwrap() == before,
        "a second load wrote"
    );
    // The seeded operator (limited to its client) logs in and sees it.
    let token = session(
        &app,
        "jabuticaba.ops",
        "jabuticaba-ops-test-key-4f0c2a9e71b35d86c0e4",
    )
    .await;
    let clients: Value = ra_post(&app, &token, "/clients", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(clients.as_array().unwrap().len(), 1, "{clients}");
    assert_eq!(clients[0]["name"], "Jabuticaba Tecnologia Financeira Ltda");

    let response = app.post_json("/admin/reset", &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    // Config's accounts are back as config gives them; the seed's are gone.
    assert_ra_error(
        login(
            &app,
            "jabuticaba.ops",
            "jabuticaba-ops-test-key-4f0c2a9e71b35d86c0e4",
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "009.353.0223",
    )
    .await;
    let token = session(&app, USER, API_KEY).await;
    let clients: Value = ra_post(&app, &token, "/clients", None)
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = clients
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Client Alpha", "Client Beta"]);
}

/// Registers, publishes and validates `name` for ALPHA.
async fn prevalidate(app: &TestApp, token: &str, name: &str) {
    let domain = register_and_publish(app, token, name).await;
    let cld = domain["prevalidatedDomainReference"].as_str().unwrap();
    let validated: Value = ra_post(app, token, &format!("/client/domain/{cld}/validate"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(validated["status"], "VALIDATED", "{validated}");
}

#[tokio::test]
async fn the_certificate_names_only_what_was_validated() {
    let app = spawn_ra("", None).await;
    let token = session(&app, USER, API_KEY).await;
    let tpp = Tpp::new();
    prevalidate(&app, &token, "bank.example.com").await;

    // An IP address or e-mail in the SAN cannot be validated by DNS.
    let key = tpp.rsa_key("mixed", 2048);
    let mixed = tpp.csr(
        &key,
        "/CN=bank.example.com",
        &["-addext", "subjectAltName=DNS:bank.example.com,IP:10.9.9.9"],
    );
    let message = assert_ra_error(
        order_csr(&app, &token, TLS_PRODUCT, &mixed).await,
        StatusCode::BAD_REQUEST,
        "011.351.0240",
    )
    .await;
    assert!(message.contains("10.9.9.9"), "{message}");

    // Other subject attributes are dropped; a CN-only request gets its SAN.
    let cn_only = tpp.csr(
        &tpp.rsa_key("cn-only", 2048),
        "/C=GB/O=Big Bank Ltd/CN=www.bank.example.com",
        &[],
    );
    let order: Value = order_csr(&app, &token, TLS_PRODUCT, &cn_only)
        .await
        .json()
        .await
        .unwrap();
    let ord = order["orderReference"].as_str().unwrap();
    assert_eq!(settle(&app, &token, ord).await["status"], "issued");
    let chain: Vec<String> = ra_post(
        &app,
        &token,
        &format!("/order/{ord}/certificate/chain"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let text = tpp.describe(&chain[0]);
    assert!(
        text.contains("Subject: CN=www.bank.example.com\n")
            || text.contains("Subject: CN = www.bank.example.com\n"),
        "{text}"
    );
    assert!(!text.contains("Big Bank"), "{text}");
    assert!(text.contains("DNS:www.bank.example.com"), "{text}");
}

#[tokio::test]
async fn concurrent_polls_issue_an_order_once() {
    let app = spawn_ra("", None).await;
    let token = session(&app, USER, API_KEY).await;
    let tpp = Tpp::new();
    prevalidate(&app, &token, "race.example.com").await;
    let order: Value = order_csr(
        &app,
        &token,
        TLS_PRODUCT,
        &server_csr(&tpp, "race", &["race.example.com"]),
    )
    .await
    .json()
    .await
    .unwrap();
    let ord = order["orderReference"].as_str().unwrap().to_owned();
    let polls = (0..12).map(|_| {
        let (app, token, ord) = (&app, &token, &ord);
        async move {
            let order: Value = ra_post(app, token, &format!("/order/{ord}"), None)
                .await
                .json()
                .await
                .unwrap();
            order["certificate"]["serialNumber"]
                .as_str()
                .map(str::to_owned)
        }
    });
    let serials: Vec<String> = futures_util::future::join_all(polls)
        .await
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(settle(&app, &token, &ord).await["status"], "issued");
    let order: Value = ra_post(&app, &token, &format!("/order/{ord}"), None)
        .await
        .json()
        .await
        .unwrap();
    let serial = order["certificate"]["serialNumber"].as_str().unwrap();
    assert!(
        serials.iter().all(|s| s == serial),
        "one serial: {serials:?} vs {serial}"
    );
}

#[tokio::test]
async fn only_the_ras_own_certificates_of_its_clients_are_revoked() {
    let app = spawn_ra("", None).await;
    let token = session(&app, USER, API_KEY).await;
    let tpp = Tpp::new();
    // A client-auth certificate of Beta, which alpha.only may not act for.
    let beta_auth = "pma-bbbbbbbb-0000-4000-8000-000000000009";
    let response = app
        .post_json(
            "/admin/ra/clients",
            &json!({"name": "Client Beta", "reference": BETA, "products": [
                {"name": "Beta TLS", "profile": "tls-server", "reference": BETA_PRODUCT},
                {"name": "Beta Auth", "profile": "client-auth", "reference": beta_auth}
            ]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let csr = tpp.csr(&tpp.rsa_key("beta", 2048), "/CN=Beta Client", &[]);
    let order: Value = order_csr(&app, &token, beta_auth, &csr)
        .await
        .json()
        .await
        .unwrap();
    let ord = order["orderReference"].as_str().unwrap();
    settle(&app, &token, ord).await;
    let order: Value = ra_post(&app, &token, &format!("/order/{ord}"), None)
        .await
        .json()
        .await
        .unwrap();
    let item = json!([{
        "serialNumber": order["certificate"]["serialNumber"],
        "issuerName": order["certificate"]["issuerName"],
        "revocationReason": "superseded"
    }]);
    let restricted = session(&app, ALPHA_ONLY, ALPHA_ONLY_KEY).await;
    let results: Value = ra_post(&app, &restricted, "/revoke", Some(item.clone()))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(results[0]["errorCode"], "011.352.0224", "{results}");

    // A certificate the directory issued from an upload is not the RA's.
    let upload = app
        .upload(
            "rtstransport",
            &tpp.csr(&tpp.rsa_key("dir", 2048), &obie_subject(ORG, SS), &[]),
        )
        .await;
    assert_eq!(upload.status(), StatusCode::CREATED);
    let record: Value = upload.json().await.unwrap();
    let leaf = tpp.describe(&pem_of(record["x5c"][0].as_str().unwrap()));
    let serial = leaf
        .lines()
        .skip_while(|l| !l.contains("Serial Number:"))
        .nth(1)
        .unwrap()
        .trim()
        .replace(':', "");
    let results: Value = ra_post(
        &app,
        &token,
        "/revoke",
        Some(json!([{"serialNumber": serial, "issuerName": order["certificate"]["issuerName"], "revocationReason": "superseded"}])),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(results[0]["errorCode"], "011.350.0230", "{results}");
    assert!(
        results[0]["errorMessages"][0]
            .as_str()
            .unwrap()
            .contains("not issued through the RA")
    );
}

#[tokio::test]
async fn orders_are_searched_by_client_product_time_and_name() {
    let t0 = DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
        .unwrap()
        .to_utc();
    let app = spawn_ra("validation_timeout_seconds = 86400", Some(t0)).await;
    let clock = app.clock.clone().unwrap();
    let token = session(&app, USER, API_KEY).await;
    let tpp = Tpp::new();
    order_csr(
        &app,
        &token,
        TLS_PRODUCT,
        &server_csr(&tpp, "a", &["xn--dj-kia8a.vu.com"]),
    )
    .await;
    clock.set(t0 + chrono::Duration::hours(1));
    order_csr(
        &app,
        &token,
        BETA_PRODUCT,
        &server_csr(&tpp, "b", &["b.example.com"]),
    )
    .await;
    let count = async |search: Value| -> usize {
        let found: Value = ra_post(&app, &token, "/orders", Some(search))
            .await
            .json()
            .await
            .unwrap();
        found.as_array().unwrap().len()
    };
    assert_eq!(count(json!({})).await, 2);
    assert_eq!(count(json!({"clientReference": ALPHA})).await, 1);
    assert_eq!(count(json!({"productReference": BETA_PRODUCT})).await, 1);
    assert_eq!(
        count(json!({"createdFrom": "2026-03-01T10:30:00Z"})).await,
        1
    );
    assert_eq!(count(json!({"createdTo": "2026-03-01T10:30:00Z"})).await, 1);
    assert_eq!(count(json!({"dnsName": "déjà.vu.com"})).await, 1);
    assert_eq!(count(json!({"dnsName": "nothing.example.com"})).await, 0);
    assert_eq!(count(json!({"status": "validating"})).await, 2);
    // Newest first, a page at a time.
    let newest: Value = ra_post(&app, &token, "/orders", Some(json!({"limit": 1})))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(newest.as_array().unwrap().len(), 1);
    assert_eq!(newest[0]["productReference"], BETA_PRODUCT);
    // The operator limited to Alpha sees Alpha's order only.
    let restricted = session(&app, ALPHA_ONLY, ALPHA_ONLY_KEY).await;
    let found: Value = ra_post(&app, &restricted, "/orders", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1);
    // A repeated query parameter is refused in the RA's own error shape.
    assert_ra_error(
        ra_post(&app, &token, "/clients?search=a&search=b", None).await,
        StatusCode::BAD_REQUEST,
        "011.351.0226",
    )
    .await;
    // A token made by a client library with fractional times is accepted.
    let now = t0.timestamp() as f64 + 3600.5;
    let own = hs256(
        &json!({"iss": "SwissPKI", "aud": "REST API", "sub": USER, "iat": now, "nbf": now, "exp": now + 600.0}),
        API_KEY,
    );
    assert_eq!(
        ra_post(&app, &own, "/clients", None).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_token_lasts_thirty_days_and_a_validation_thirteen_months() {
    let t0 = DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
        .unwrap()
        .to_utc();
    let app = spawn_ra("validation_timeout_seconds = 86400", Some(t0)).await;
    let clock = app.clock.clone().unwrap();
    let token = session(&app, USER, API_KEY).await;
    let domain = register_and_publish(&app, &token, "late.example.com").await;
    let cld = domain["prevalidatedDomainReference"].as_str().unwrap();

    // Thirty days on, the published token no longer validates.
    clock.set(t0 + chrono::Duration::days(30));
    let token = session(&app, USER, API_KEY).await;
    let message = assert_ra_error(
        ra_post(
            &app,
            &token,
            &format!("/client/domain/{cld}/validate"),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
        "011.351.0226",
    )
    .await;
    assert!(message.contains("expired"), "{message}");
    let status: Value = ra_post(&app, &token, &format!("/client/domain/{cld}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "TOKEN_EXPIRED");

    // A new token, published and validated: good for thirteen months.
    let reset: Value = ra_post(
        &app,
        &token,
        &format!("/client/domain/{cld}/token/reset"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    app.put_json("/admin/dns/txt/late.example.com", &json!([reset["token"]]))
        .await;
    let validated: Value = ra_post(
        &app,
        &token,
        &format!("/client/domain/{cld}/validate"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(validated["status"], "VALIDATED", "{validated}");

    // Past them, an order for the name waits for validation again.
    clock.set(t0 + chrono::Duration::days(30 + 400));
    let token = session(&app, USER, API_KEY).await;
    let tpp = Tpp::new();
    let order: Value = order_csr(
        &app,
        &token,
        TLS_PRODUCT,
        &server_csr(&tpp, "late", &["late.example.com"]),
    )
    .await
    .json()
    .await
    .unwrap();
    let ord = order["orderReference"].as_str().unwrap();
    let status: Value = ra_post(&app, &token, &format!("/order/{ord}/status"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "validating", "{status}");
    let domain: Value = ra_post(&app, &token, &format!("/client/domain/{cld}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(domain["status"], "EXPIRED");
}

#[tokio::test]
async fn a_nameserver_that_does_not_answer_fails_the_validation_and_says_so() {
    // A UDP port nobody serves on loopback.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let address = silent.local_addr().unwrap();
    drop(silent);
    let extra = format!("dns = \"resolver\"\nnameserver = \"{address}\"\ndns_timeout_ms = 200");
    let app = spawn_ra(&extra, None).await;
    let token = session(&app, USER, API_KEY).await;
    let registered: Value = ra_post(
        &app,
        &token,
        &format!("/client/domain/{ALPHA}/register"),
        Some(json!(["quiet.example.com"])),
    )
    .await
    .json()
    .await
    .unwrap();
    let cld = registered[0]["prevalidatedDomainReference"]
        .as_str()
        .unwrap();
    let message = assert_ra_error(
        ra_post(
            &app,
            &token,
            &format!("/client/domain/{cld}/validate"),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
        "011.351.0226",
    )
    .await;
    assert!(
        message.contains("TXT lookup of quiet.example.com failed"),
        "{message}"
    );
    assert!(message.contains(&address.to_string()), "{message}");
}

#[tokio::test]
async fn every_answer_under_v2_is_in_the_ras_shape_and_both_list_spellings_work() {
    let app = spawn_ra("", None).await;
    let token = session(&app, USER, API_KEY).await;

    let unknown = ra_post(&app, &token, "/no/such/call", None).await;
    let message = assert_ra_error(unknown, StatusCode::NOT_FOUND, "011.350.0227").await;
    assert!(
        message.contains("no route for POST /v2/no/such/call"),
        "{message}"
    );

    let get = app
        .client
        .get(app.url("/v2/clients"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(get.headers()["allow"], "POST");
    let message = assert_ra_error(get, StatusCode::METHOD_NOT_ALLOWED, "011.350.0227").await;
    assert!(message.contains("this path takes POST"), "{message}");

    let unparsable = app
        .client
        .post(app.url(&format!("/v2/client/domain/{ALPHA}/register")))
        .bearer_auth(&token)
        .header("Content-Type", "application/json")
        .body("[not json")
        .send()
        .await
        .unwrap();
    assert_eq!(unparsable.status(), StatusCode::BAD_REQUEST);
    let body: Value = unparsable.json().await.unwrap();
    assert!(body["errorCode"].as_str().is_some(), "{body}");
    assert!(body["uuid"].as_str().is_some(), "{body}");

    ra_post(
        &app,
        &token,
        &format!("/client/domain/{ALPHA}/register"),
        Some(json!(["spelling.example.com"])),
    )
    .await;
    for spelling in ["domains", "domain"] {
        let listed = ra_post(
            &app,
            &token,
            &format!("/client/{spelling}/{ALPHA}/list"),
            None,
        )
        .await;
        assert_eq!(listed.status(), StatusCode::OK, "{spelling}");
        let listed: Value = listed.json().await.unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 1, "{spelling}: {listed}");
    }
}
