//! Faults a harness can ask for and the throttle: each forced status with its
//! headers and body, no state change, and a real token bucket.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

const HEADER_ALLOWED: &str = "[faults]\nallow_header = true\n";

async fn upload_with_fault(app: &TestApp, csr: &str, fault: &str) -> reqwest::Response {
    app.client
        .post(app.url(&TestApp::certificates_path(ORG, SS, "rtssigning")))
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/x-pem-file")
        .header("x-obdir-fault", fault)
        .header(
            "x-fapi-interaction-id",
            "c0ffee00-0000-4000-8000-000000000001",
        )
        .body(csr.to_owned())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn each_forced_status_answers_with_its_headers_and_writes_nothing() {
    let app = spawn_app_with(AppOptions {
        config: Some(HEADER_ALLOWED),
        ..Default::default()
    })
    .await;
    let tpp = Tpp::new();
    let csr = tpp.csr(&tpp.rsa_key("k", 2048), &obie_subject(ORG, SS), &[]);
    let before = app.services.test_control.stored_contents().unwrap();

    for (fault, status, text) in [
        (
            "429",
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests, maximum capacity reached. Requests are now throttled.",
        ),
        (
            "500",
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
        ),
        ("502", StatusCode::BAD_GATEWAY, "Bad Gateway"),
        (
            "503",
            StatusCode::SERVICE_UNAVAILABLE,
            "Service Unavailable",
        ),
        (
            "504",
            StatusCode::GATEWAY_TIMEOUT,
            "Upstream timeout, insufficient capacity to serve request. More capacity being brought online. Please try again.",
        ),
    ] {
        let response = upload_with_fault(&app, &csr, fault).await;
        assert_eq!(response.status(), status, "{fault}");
        assert_eq!(
            response.headers()["x-fapi-interaction-id"],
            "c0ffee00-0000-4000-8000-000000000001",
            "{fault}"
        );
        assert_eq!(
            response.headers().contains_key("retry-after"),
            [
                StatusCode::TOO_MANY_REQUESTS,
                StatusCode::SERVICE_UNAVAILABLE
            ]
            .contains(&status),
            "{fault}: Retry-After on 429 and 503 only"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0], text, "{fault}");
    }
    assert_eq!(
        app.services.test_control.stored_contents().unwrap(),
        before,
        "a faulted upload writes nothing"
    );

    // Without the header the same upload goes through.
    assert_eq!(
        app.upload("rtssigning", &csr).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_forced_delay_holds_the_answer_then_serves_it() {
    let app = spawn_app_with(AppOptions {
        config: Some(HEADER_ALLOWED),
        ..Default::default()
    })
    .await;
    let started = Instant::now();
    let response = app
        .client
        .get(app.url("/health"))
        .header("x-obdir-fault", "delay=300ms")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn faults_answer_in_each_faces_own_error_shape() {
    let app = spawn_app_with(AppOptions {
        config: Some(HEADER_ALLOWED),
        ..Default::default()
    })
    .await;
    let token = app
        .client
        .post(app.url("/token"))
        .header("x-obdir-fault", "504")
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), StatusCode::GATEWAY_TIMEOUT);
    let body: Value = token.json().await.unwrap();
    assert_eq!(body["error"], "temporarily_unavailable");

    let ecosystem = app
        .client
        .get(app.url("/v1/ecosystems/certificates/ca"))
        .bearer_auth(TOKEN)
        .header("x-obdir-fault", "502")
        .send()
        .await
        .unwrap();
    assert_eq!(ecosystem.status(), StatusCode::BAD_GATEWAY);
    let body: Value = ecosystem.json().await.unwrap();
    assert_eq!(body["code"], "502");
    assert_eq!(body["message"], "Bad Gateway");
}

#[tokio::test]
async fn a_bad_fault_header_is_a_400_naming_it_and_an_unallowed_one_is_ignored() {
    let app = spawn_app_with(AppOptions {
        config: Some(HEADER_ALLOWED),
        ..Default::default()
    })
    .await;
    let response = app
        .client
        .get(app.url("/health"))
        .header("x-obdir-fault", "418")
        .send()
        .await
        .unwrap();
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "x-obdir-fault: must be 429, 500, 502, 503, 504 or delay=",
    )
    .await;

    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/health"))
        .header("x-obdir-fault", "500")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "faults are off by default"
    );
}

#[tokio::test]
async fn configured_odds_fail_only_the_scoped_requests() {
    let app = spawn_app_with(AppOptions {
        config: Some(
            "[faults]\nseed = 11\n[[faults.rules]]\nscope = \"keystore\"\nstatus = { \"500\" = 1.0 }\n",
        ),
        ..Default::default()
    })
    .await;
    let jwks = app
        .client
        .get(app.url(&format!("/keystore/{ORG}/{SS}/application.jwks")))
        .send()
        .await
        .unwrap();
    assert_eq!(jwks.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(jwks.headers().contains_key("x-fapi-interaction-id"));
    let directory = app.get(&format!("/organisations/{ORG}")).await;
    assert_eq!(
        directory.status(),
        StatusCode::OK,
        "other faces are untouched"
    );
}

#[tokio::test]
async fn the_same_seed_meets_the_same_faults() {
    let config = "[faults]\nseed = 42\n[[faults.rules]]\nscope = \"/health\"\nstatus = { \"429\" = 0.3, \"502\" = 0.3 }\n";
    let mut runs = Vec::new();
    for _ in 0..2 {
        let app = spawn_app_with(AppOptions {
            config: Some(config),
            ..Default::default()
        })
        .await;
        let mut statuses = Vec::new();
        for _ in 0..30 {
            statuses.push(
                app.client
                    .get(app.url("/health"))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16(),
            );
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].contains(&429) && runs[0].contains(&502) && runs[0].contains(&200));
}

#[tokio::test]
async fn a_client_past_its_rate_gets_429_with_retry_after_and_others_do_not() {
    let app = spawn_app_with(AppOptions {
        config: Some("[rate_limit]\nrequests_per_second = 1\nburst = 3\n"),
        ..Default::default()
    })
    .await;
    let path = format!("/organisations/{ORG}");
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(app.get(&path).await);
    }
    let last = statuses.pop().unwrap();
    assert!(statuses.iter().all(|r| r.status() == StatusCode::OK));
    assert_eq!(last.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(last.headers().contains_key("x-fapi-interaction-id"));
    let retry: u64 = last.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry), "Retry-After {retry}");

    // Unauthenticated requests count against the address, not the admin.
    let jwks = app
        .client
        .get(app.url(&format!("/keystore/{ORG}/{SS}/application.jwks")))
        .send()
        .await
        .unwrap();
    assert_eq!(jwks.status(), StatusCode::OK);

    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        app.get(&path).await.status(),
        StatusCode::OK,
        "the bucket refills"
    );
}

#[tokio::test]
async fn fault_rules_that_break_a_rule_stop_the_start() {
    let data_dir = tempfile::tempdir().unwrap();
    let config = data_dir.path().join("bad.toml");
    std::fs::write(
        &config,
        "[faults]\n[[faults.rules]]\nscope = \"*\"\nstatus = { \"500\" = 0.8, \"502\" = 0.8 }\n",
    )
    .unwrap();
    let error = obdir::config::Settings::load(Some(&config), |_| None, Default::default())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("faults.rules[0].status: probabilities add up to 1.6"),
        "{error}"
    );
}
