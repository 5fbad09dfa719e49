//! Methods and media types a path does not serve: a 405 with `Allow` for a
//! known path asked with another method, a 406 when the Accept header takes
//! nothing the directory answers in, and the assertion as a JWT or as a JSON
//! string as the spec's SoftwareStatementAssertion response lists them.

use reqwest::header::{ACCEPT, ALLOW, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::*;

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    accept: Option<&str>,
) -> reqwest::Response {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(TOKEN);
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    request.send().await.unwrap()
}

async fn errors(response: reqwest::Response) -> String {
    let body: Value = response.json().await.unwrap();
    body["errors"][0].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_known_path_asked_with_another_method_is_a_405_naming_what_it_takes() {
    let app = spawn_app().await;
    let org = format!("/organisations/{ORG}");
    let jwks = format!("/keystore/{ORG}/{SS}/application.jwks");
    for (method, path, allow) in [
        (Method::DELETE, "/organisations".to_owned(), "GET, POST"),
        (Method::PATCH, org.clone(), "GET, PUT"),
        (Method::POST, jwks, "GET"),
        (Method::PUT, "/token".to_owned(), "POST"),
    ] {
        let response = send(&app, method.clone(), &path, None).await;
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(response.headers()[ALLOW], allow, "{method} {path}");
        let error = errors(response).await;
        assert!(error.contains(&format!("{method} {path}")), "{error}");
        assert!(error.contains(allow), "{error}");
    }
    let unknown = send(&app, Method::GET, "/organisations-and-more", None).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(unknown.headers().get(ALLOW).is_none());
    // Nothing was written by the refused methods.
    let still = app.get(&org).await;
    assert_eq!(still.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_accept_the_directory_cannot_answer_is_a_406_naming_it() {
    let app = spawn_app().await;
    let org = format!("/organisations/{ORG}");
    for accept in [
        "application/xml",
        "text/csv",
        "text/html",
        "application/json;q=0",
    ] {
        let response = send(&app, Method::GET, &org, Some(accept)).await;
        assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE, "{accept}");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let error = errors(response).await;
        assert!(error.starts_with("Accept: "), "{error}");
        assert!(error.contains("application/json"), "{error}");
    }
    for accept in [
        "*/*",
        "application/*",
        "application/json",
        "text/html, application/json;q=0.5",
    ] {
        let response = send(&app, Method::GET, &org, Some(accept)).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept}");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
    }
    // A write refused for its Accept changes nothing.
    let response = app
        .client
        .put(app.url(&org))
        .bearer_auth(TOKEN)
        .header(ACCEPT, "application/xml")
        .json(&serde_json::json!({"OrganisationName": "Renamed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
    let read: Value = app.get(&org).await.json().await.unwrap();
    assert_eq!(read["OrgDetails"]["OrganisationName"], "Demo TPP Ltda");
}

#[tokio::test]
async fn the_assertion_is_a_jwt_or_a_json_string_as_accept_asks() {
    let app = spawn_app().await;
    let path = format!("/organisations/{ORG}/softwarestatements/{SS}/assertion");
    let is_jwt = |token: &str| token.split('.').count() == 3 && token.starts_with("ey");

    for accept in [None, Some("application/jwt"), Some("*/*")] {
        let response = send(&app, Method::GET, &path, accept).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept:?}");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/jwt");
        assert!(is_jwt(&response.text().await.unwrap()));
    }
    let response = send(&app, Method::GET, &path, Some("application/json")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
    let body: Value = response.json().await.unwrap();
    assert!(is_jwt(body.as_str().expect("a JSON string")), "{body}");

    let refused = send(&app, Method::GET, &path, Some("text/html")).await;
    assert_eq!(refused.status(), StatusCode::NOT_ACCEPTABLE);
    let error = errors(refused).await;
    assert!(
        error.contains("application/jwt or application/json"),
        "{error}"
    );
}

#[tokio::test]
async fn keystore_documents_and_certificate_lists_are_jwk_sets_and_a_record_a_jwk() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let key = tpp.public_key_pem(&tpp.ec_key("sig.key", "P-256"));
    let uploaded = app.upload("sigkey", &key).await;
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    assert_eq!(uploaded.headers()[CONTENT_TYPE], "application/jwk+json");

    let response = app
        .get_public(&app.url(&format!("/keystore/{ORG}/{SS}/application.jwks")))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/jwk-set+json");
    // As the spec's CertificatesOrKeys response has it.
    for path in [
        format!("/organisations/{ORG}/softwarestatements/{SS}/certificates"),
        format!("/organisations/{ORG}/certificates"),
    ] {
        let response = send(&app, Method::GET, &path, Some("application/jwk-set+json")).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            response.headers()[CONTENT_TYPE],
            "application/jwk-set+json",
            "{path}"
        );
        let _: Vec<Value> = response.json().await.unwrap();
    }
}
