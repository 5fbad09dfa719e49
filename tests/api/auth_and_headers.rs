//! Bearer auth, the FAPI headers, and the upload's path and body rules.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_directory_api_needs_the_admin_token_and_says_nothing_without_it() {
    let app = spawn_app().await;
    let upload = app.url(&TestApp::certificates_path(ORG, SS, "sigkey"));
    for token in [None, Some("wrong-token"), Some("")] {
        let mut request = app
            .client
            .post(&upload)
            .header("Content-Type", "application/x-pem-file")
            .body("x");
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{token:?}");
        assert!(response.headers().contains_key("x-fapi-interaction-id"));
        assert!(response.bytes().await.unwrap().is_empty());
    }
    let response = app
        .client
        .get(app.url(&format!("/organisations/{ORG}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn health_chain_and_keystore_need_no_token() {
    let app = spawn_app().await;
    assert_eq!(
        app.get_public(&app.url("/health")).await.status(),
        StatusCode::OK
    );
    let chain = app.chain_pem().await;
    assert_eq!(chain.matches("-----BEGIN CERTIFICATE-----").count(), 2);
    let jwks = app
        .get_public(&app.url(&format!("/keystore/{ORG}/{SS}/application.jwks")))
        .await;
    assert_eq!(jwks.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_interaction_id_is_echoed_when_valid_and_made_when_absent() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url(&format!("/organisations/{ORG}")))
        .bearer_auth(TOKEN)
        .header(
            "x-fapi-interaction-id",
            "93bac548-d2de-4546-b106-880a5018460d",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["x-fapi-interaction-id"],
        "93bac548-d2de-4546-b106-880a5018460d"
    );

    let response = app.get("/no/such/route").await;
    let made = response.headers()["x-fapi-interaction-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(uuid::Uuid::parse_str(&made).is_ok(), "{made}");
}

#[tokio::test]
async fn malformed_fapi_headers_are_400s_that_name_the_header() {
    let app = spawn_app().await;
    let url = app.url(&TestApp::certificates_path(ORG, SS, "sigkey"));
    let cases = [
        (
            "x-fapi-auth-date",
            "2017-09-10T19:43:31Z",
            "x-fapi-auth-date: must be an RFC 7231 date",
        ),
        (
            "x-fapi-customer-ip-address",
            "300.1.1.1",
            "x-fapi-customer-ip-address: must be an IPv4 or IPv6 address",
        ),
        (
            "x-fapi-interaction-id",
            "-starts-with-dash",
            "x-fapi-interaction-id: must match",
        ),
    ];
    for (header, value, message) in cases {
        let response = app
            .client
            .post(&url)
            .bearer_auth(TOKEN)
            .header("Content-Type", "application/x-pem-file")
            .header(header, value)
            .body("x")
            .send()
            .await
            .unwrap();
        let interaction = response.headers()["x-fapi-interaction-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_ne!(interaction, value);
        assert_error(response, StatusCode::BAD_REQUEST, message).await;
    }
    let tpp = Tpp::new();
    let key = tpp.public_key_pem(&tpp.rsa_key("k", 2048));
    let response = app
        .client
        .post(&url)
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/x-pem-file")
        .header("x-fapi-auth-date", "Sun, 10 Sep 2017 19:43:31 UTC")
        .header("x-fapi-customer-ip-address", "2001:db8::1")
        .body(key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn path_values_break_their_rules_with_a_400_naming_the_field() {
    let app = spawn_app().await;
    let long = "a".repeat(41);
    let cases = [
        (
            long.as_str(),
            SS,
            "sigkey",
            "OrganisationId: must be at most 40 characters",
        ),
        (
            ORG,
            long.as_str(),
            "sigkey",
            "SoftwareStatementId: must be at most 40 characters",
        ),
        ("a%3Cb", SS, "sigkey", "OrganisationId: must match ^[^<>]*$"),
        (
            ORG,
            "x%3E",
            "sigkey",
            "SoftwareStatementId: must match ^[^<>]*$",
        ),
        (
            ORG,
            SS,
            "qwac",
            "SoftwareStatementCertificateOrKeyType: must be one of rtstransport, rtssigning, sigkey, enckey, brcac, brcac_ext, brcac_2022",
        ),
    ];
    for (org, ss, key_type, message) in cases {
        let response = app.upload_to(org, ss, key_type, "x").await;
        assert_error(response, StatusCode::BAD_REQUEST, message).await;
    }
    // Forty characters is the limit, not past it: such an organisation is merely unknown.
    let response = app.upload_to(&"a".repeat(40), SS, "sigkey", "x").await;
    assert_error(response, StatusCode::NOT_FOUND, "does not exist").await;
}

#[tokio::test]
async fn uploads_to_unknown_owners_are_404() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let key = tpp.public_key_pem(&tpp.rsa_key("k", 2048));
    assert_error(
        app.upload_to("nobody", SS, "sigkey", &key).await,
        StatusCode::NOT_FOUND,
        "organisation 'nobody' does not exist",
    )
    .await;
    assert_error(
        app.upload_to(ORG, "nothing", "sigkey", &key).await,
        StatusCode::NOT_FOUND,
        "software statement 'nothing' does not exist",
    )
    .await;
}

#[tokio::test]
async fn the_body_must_be_pem_typed_small_and_free_of_angle_brackets() {
    let app = spawn_app().await;
    let url = app.url(&TestApp::certificates_path(ORG, SS, "sigkey"));
    let send = |content_type: &'static str, body: String| {
        app.client
            .post(&url)
            .bearer_auth(TOKEN)
            .header("Content-Type", content_type)
            .body(body)
            .send()
    };
    let response = send("application/json", "{}".into()).await.unwrap();
    assert_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "Content-Type: must be application/x-pem-file",
    )
    .await;
    let response = send("application/x-pem-file", "A".repeat(64 * 1024 + 1))
        .await
        .unwrap();
    assert_error(
        response,
        StatusCode::PAYLOAD_TOO_LARGE,
        "body: must be at most 65536 bytes",
    )
    .await;
    let response = send(
        "application/x-pem-file",
        "-----BEGIN PUBLIC KEY-----<script>".into(),
    )
    .await
    .unwrap();
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "body: must match ^[^<>]*$",
    )
    .await;
    let response = send("application/x-pem-file", String::new()).await.unwrap();
    assert_error(response, StatusCode::BAD_REQUEST, "body: is required").await;
    let response = app
        .client
        .post(&url)
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/x-pem-file")
        .body(vec![0xff, 0xfe, 0x00])
        .send()
        .await
        .unwrap();
    assert_error(response, StatusCode::BAD_REQUEST, "body: must be UTF-8").await;
    // A charset parameter on the right media type is fine.
    let tpp = Tpp::new();
    let key = tpp.public_key_pem(&tpp.rsa_key("k", 2048));
    let response = send("application/x-pem-file; charset=utf-8", key)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_400_echoes_a_valid_interaction_id() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url(&TestApp::certificates_path(ORG, SS, "sigkey")))
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/x-pem-file")
        .header("x-fapi-interaction-id", "req-42")
        .body("not pem")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-fapi-interaction-id"], "req-42");
    assert_error(response, StatusCode::BAD_REQUEST, "the body is not PEM").await;
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url(&format!("/organisations/{ORG}")))
        .header("Authorization", format!("bearer {TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_routes_are_404_in_the_directory_shape() {
    let app = spawn_app().await;
    let response = app.get("/no/such/route").await;
    assert_error(
        response,
        StatusCode::NOT_FOUND,
        "no route for GET /no/such/route",
    )
    .await;
}

#[tokio::test]
async fn dot_ids_are_refused() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/organisations",
            &serde_json::json!({"OrganisationId": "..", "OrganisationName": "x"}),
        )
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "OrganisationId: must not be '.' or '..'",
    )
    .await;
}
