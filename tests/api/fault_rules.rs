//! Fault rules set through `/admin/faults` while obdir runs: the next N
//! matching requests, a delay, odds, their order, their audit events, and
//! a 400 naming the field of a bad rule.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn set_rule(app: &TestApp, rule: Value) -> reqwest::Response {
    app.client
        .post(app.url("/admin/faults"))
        .bearer_auth(TOKEN)
        .json(&rule)
        .send()
        .await
        .unwrap()
}

/// The array under `key` of an admin GET's JSON answer.
async fn admin_list(client: &reqwest::Client, url: String, admin: &str, key: &str) -> Vec<Value> {
    let body: Value = client
        .get(url)
        .bearer_auth(admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body[key].as_array().unwrap().clone()
}

async fn rules(app: &TestApp) -> Vec<Value> {
    admin_list(&app.client, app.url("/admin/faults"), TOKEN, "rules").await
}

async fn events_of_type(app: &TestApp, event_type: &str) -> Vec<Value> {
    let url = app.url(&format!("/admin/events?type={event_type}"));
    admin_list(&app.client, url, TOKEN, "events").await
}

#[tokio::test]
async fn the_next_three_uploads_fail_with_503_then_uploads_succeed() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let set = set_rule(
        &app,
        json!({
            "scope": "/organisations/*/softwarestatements/*/certificates/**",
            "methods": ["POST"],
            "status": 503,
            "count": 3
        }),
    )
    .await;
    assert_eq!(set.status(), StatusCode::CREATED);
    let rule: Value = set.json().await.unwrap();
    assert_eq!(rule["remaining"], 3);
    assert_eq!(rule["fired"], 0);
    let before = app.services.test_control.stored_contents().unwrap();

    for i in 0..3 {
        let csr = tpp.csr(
            &tpp.ec_key(&format!("k{i}"), "prime256v1"),
            &obie_subject(ORG, SS),
            &[],
        );
        let response = app.upload("rtssigning", &csr).await;
        assert_eq!(
            response.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "upload {i}"
        );
        assert_eq!(response.headers()["retry-after"], "1");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0], "Service Unavailable");
    }
    assert_eq!(
        app.services.test_control.stored_contents().unwrap(),
        before,
        "a faulted upload writes nothing"
    );
    // A read is not in the rule's methods.
    let read = app
        .client
        .get(app.url(&TestApp::certificates_path(ORG, SS, "rtssigning")))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);

    let csr = tpp.csr(&tpp.ec_key("k3", "prime256v1"), &obie_subject(ORG, SS), &[]);
    assert_eq!(
        app.upload("rtssigning", &csr).await.status(),
        StatusCode::CREATED
    );
    assert!(rules(&app).await.is_empty(), "a used-up rule is gone");
    let fired = events_of_type(&app, "FAULT_RULE_FIRED").await;
    assert_eq!(fired.len(), 3);
    assert!(
        fired[0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("503 for POST /organisations/"),
        "{}",
        fired[0]
    );
}

#[tokio::test]
async fn a_two_second_delay_holds_one_jwks_answer() {
    let app = spawn_app().await;
    let jwks = app.url(&format!("/keystore/{ORG}/{SS}/application.jwks"));
    let set = set_rule(
        &app,
        json!({ "scope": "keystore", "delay_ms": 2000, "count": 1 }),
    )
    .await;
    assert_eq!(set.status(), StatusCode::CREATED);

    let started = Instant::now();
    let slow = app.client.get(&jwks).send().await.unwrap();
    assert_eq!(slow.status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_secs(2));

    let started = Instant::now();
    let fast = app.client.get(&jwks).send().await.unwrap();
    assert_eq!(fast.status(), StatusCode::OK);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn odds_of_one_half_over_200_requests_land_within_the_binomial_bound() {
    let app = spawn_app().await;
    let set = set_rule(
        &app,
        json!({ "scope": "/health", "status": 500, "probability": 0.5 }),
    )
    .await;
    assert_eq!(set.status(), StatusCode::CREATED);
    let mut failed = 0;
    for _ in 0..200 {
        let status = app
            .client
            .get(app.url("/health"))
            .send()
            .await
            .unwrap()
            .status();
        match status {
            StatusCode::INTERNAL_SERVER_ERROR => failed += 1,
            StatusCode::OK => {}
            other => panic!("unexpected {other}"),
        }
    }
    // Binomial(200, 0.5): mean 100, standard deviation 7.07; 99.9 % of
    // runs fall within 3.29 standard deviations, 77 to 123.
    assert!((77..=123).contains(&failed), "{failed} of 200 failed");
    let listed = rules(&app).await;
    // As the document describes the rule and the list.
    let document: Value = app.get("/openapi.json").await.json().await.unwrap();
    let faults = &document["paths"]["/admin/faults"];
    let answer = |method: &str, status: &str| {
        faults[method]["responses"][status]["content"]["application/json"]["schema"].clone()
    };
    let list = json!({ "rules": listed });
    crate::openapi::conforms(&list, &answer("get", "200"), "list").unwrap();
    crate::openapi::conforms(&listed[0], &answer("post", "201"), "rule").unwrap();
    let request = &faults["post"]["requestBody"]["content"]["application/json"]["schema"];
    let sent = json!({ "scope": "/health", "status": 500, "probability": 0.5 });
    crate::openapi::conforms(&sent, request, "request").unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["fired"], failed);
    assert_eq!(listed[0]["probability"], 0.5);
}

#[tokio::test]
async fn rules_apply_in_order_and_can_be_removed_one_or_all() {
    let app = spawn_app().await;
    let first: Value = set_rule(&app, json!({ "scope": "/health", "status": 502 }))
        .await
        .json()
        .await
        .unwrap();
    set_rule(&app, json!({ "scope": "*", "status": 504 })).await;
    let health = || async { app.client.get(app.url("/health")).send().await.unwrap() };
    assert_eq!(health().await.status(), StatusCode::BAD_GATEWAY);

    let id = first["id"].as_str().unwrap();
    let admin = |method: reqwest::Method, path: String| {
        app.client
            .request(method, app.url(&path))
            .bearer_auth(TOKEN)
            .send()
    };
    let removed = admin(reqwest::Method::DELETE, format!("/admin/faults/{id}")).await;
    assert_eq!(removed.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(health().await.status(), StatusCode::GATEWAY_TIMEOUT);
    let again = admin(reqwest::Method::DELETE, format!("/admin/faults/{id}")).await;
    assert_eq!(again.unwrap().status(), StatusCode::NOT_FOUND);

    // "*" fails everything but /admin/faults itself, so a harness can
    // always take its rules back.
    let listed = admin(reqwest::Method::GET, "/admin/faults".into()).await;
    assert_eq!(listed.unwrap().status(), StatusCode::OK);
    let cleared = admin(reqwest::Method::DELETE, "/admin/faults".into())
        .await
        .unwrap();
    assert_eq!(cleared.status(), StatusCode::OK);
    let body: Value = cleared.json().await.unwrap();
    assert_eq!(body["removed"], 1);
    assert_eq!(health().await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_bad_rule_is_a_400_naming_its_field_and_sets_nothing() {
    let app = spawn_app().await;
    for (rule, field) in [
        (json!({ "status": 503 }), "scope"),
        (json!({ "scope": "billing", "status": 503 }), "scope"),
        (json!({ "scope": "*", "status": 418 }), "status"),
        (json!({ "scope": "*" }), "status"),
        (json!({ "scope": "*", "status": 500, "count": 0 }), "count"),
        (
            json!({ "scope": "*", "status": 500, "probability": 2 }),
            "probability",
        ),
        (json!({ "scope": "*", "delay_ms": 600000 }), "delay_ms"),
        (
            json!({ "scope": "*", "status": 500, "when": "now" }),
            "when",
        ),
    ] {
        let response = set_rule(&app, rule.clone()).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{rule}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["errors"][0].as_str().unwrap().contains(field),
            "{rule}: {body}"
        );
    }
    assert!(rules(&app).await.is_empty());

    // At most 100 rules at once; the 101st is refused whole.
    for i in 0..100 {
        let path = format!("/nowhere/{i}");
        let set = set_rule(&app, json!({ "scope": path, "status": 500 })).await;
        assert_eq!(set.status(), StatusCode::CREATED);
    }
    let one_too_many = set_rule(&app, json!({ "scope": "/nowhere", "status": 500 })).await;
    assert_eq!(one_too_many.status(), StatusCode::BAD_REQUEST);
    let body: Value = one_too_many.json().await.unwrap();
    assert!(
        body["errors"][0]
            .as_str()
            .unwrap()
            .starts_with("rules: at most 100"),
        "{body}"
    );
    assert_eq!(rules(&app).await.len(), 100);
    app.client
        .delete(app.url("/admin/faults"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();

    let anonymous = app
        .client
        .post(app.url("/admin/faults"))
        .json(&json!({ "scope": "*", "status": 500 }))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert!(rules(&app).await.is_empty());
}

/// Sets a rule on /health through a started binary and fires it twice.
async fn set_and_fire_twice(client: &reqwest::Client, address: &str, admin: &str) {
    let set = client
        .post(format!("{address}/admin/faults"))
        .bearer_auth(admin)
        .json(&json!({ "scope": "/health", "status": 502, "count": 5 }))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::CREATED);
    for _ in 0..2 {
        let health = client
            .get(format!("{address}/health"))
            .send()
            .await
            .unwrap();
        assert_eq!(health.status(), StatusCode::BAD_GATEWAY);
    }
}

async fn listed(client: &reqwest::Client, address: &str, admin: &str) -> Vec<Value> {
    admin_list(client, format!("{address}/admin/faults"), admin, "rules").await
}

#[tokio::test]
async fn rules_outlive_a_kill_9_only_when_the_config_keeps_them() {
    let client = reqwest::Client::new();

    let kept_dir = tempfile::tempdir().unwrap();
    let keep = "[faults]\nkeep_rules = true\n";
    let first = start_binary(kept_dir.path(), keep);
    first.log_through_banner().await;
    let admin = std::fs::read_to_string(kept_dir.path().join("admin-token")).unwrap();
    set_and_fire_twice(&client, &first.address, &admin).await;
    drop(first); // SIGKILL right after the second firing was answered
    let second = start_binary(kept_dir.path(), keep);
    second.log_through_banner().await;
    let rules = listed(&client, &second.address, &admin).await;
    assert_eq!(rules.len(), 1, "{rules:?}");
    assert_eq!(rules[0]["fired"], 2);
    assert_eq!(rules[0]["remaining"], 3);
    let health = client
        .get(format!("{}/health", second.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::BAD_GATEWAY);

    let forgotten_dir = tempfile::tempdir().unwrap();
    let first = start_binary(forgotten_dir.path(), "");
    first.log_through_banner().await;
    let admin = std::fs::read_to_string(forgotten_dir.path().join("admin-token")).unwrap();
    set_and_fire_twice(&client, &first.address, &admin).await;
    drop(first);
    let second = start_binary(forgotten_dir.path(), "");
    second.log_through_banner().await;
    assert!(listed(&client, &second.address, &admin).await.is_empty());
    let health = client
        .get(format!("{}/health", second.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}
