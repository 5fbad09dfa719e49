//! The ecosystem face (seed 001): root CA certificates over HTTP.

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Months, TimeZone, Utc};
use openssl::x509::X509;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const CA: &str = "/v1/ecosystems/certificates/ca";
const MAX_ROOTS_MESSAGE: &str = "Maximum number of DTS CA certificates reached. Please delete an existing certificate before creating a new one.";

fn root_path(id: &str) -> String {
    format!("{CA}/{id}")
}

async fn json_with(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "{text}");
    serde_json::from_str(&text).expect("body is JSON")
}

async fn json_ok(response: Response) -> Value {
    json_with(response, StatusCode::OK).await
}

/// Creates a root with only the required field and answers it.
async fn new_root(app: &TestApp, organisation: &str) -> Value {
    let body = json!({"organisationName": organisation});
    json_with(app.post_json(CA, &body).await, StatusCode::CREATED).await
}

async fn put_active(app: &TestApp, id: &str, active: bool) -> Response {
    put_body(app, id, &json!({"active": active})).await
}

async fn put_body(app: &TestApp, id: &str, body: &Value) -> Response {
    app.put_json(&root_path(id), body).await
}

async fn delete(app: &TestApp, id: &str) -> Response {
    app.client
        .delete(app.url(&root_path(id)))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("request sent")
}

/// Every root, in the list's order.
async fn roots(app: &TestApp) -> Vec<Value> {
    let page = json_ok(app.get(CA).await).await;
    assert_eq!(page["nextCursor"], Value::Null, "{page}");
    page["data"].as_array().unwrap().clone()
}

async fn first_root(app: &TestApp) -> Value {
    roots(app).await.remove(0)
}

fn id(root: &Value) -> String {
    root["id"].as_str().unwrap().to_owned()
}

fn ids(roots: &[Value]) -> Vec<String> {
    roots.iter().map(id).collect()
}

fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().expect("a date-time string"))
        .expect("RFC 3339")
        .to_utc()
}

fn der_of(pem: &str) -> Vec<u8> {
    X509::from_pem(pem.as_bytes())
        .expect("PEM certificate")
        .to_der()
        .unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The line of `openssl x509 -text` that starts with `label`, e.g. "Subject:".
fn text_line(text: &str, label: &str) -> String {
    text.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label} in {text}"))
        .trim()
        .to_owned()
}

/// Asserts the ecosystem's error shape and that a detail (or the message)
/// mentions `needle`.
async fn assert_ecosystem_error(response: Response, status: StatusCode, code: &str, needle: &str) {
    let body = json_with(response, status).await;
    assert_eq!(body["code"], code, "{body}");
    let message = body["message"].as_str().expect("message");
    let details = body["details"].as_array().expect("details array");
    assert!(
        message.contains(needle)
            || details
                .iter()
                .any(|d| d.as_str().unwrap_or_default().contains(needle)),
        "nothing mentions {needle:?}: {body}"
    );
}

async fn assert_bad_request(response: Response, needle: &str) {
    assert_ecosystem_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST", needle).await;
}

fn run_openssl(args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

async fn upload_transport_csr(app: &TestApp, tpp: &Tpp, name: &str) -> Response {
    let key = tpp.rsa_key(name, 2048);
    app.upload("rtstransport", &tpp.csr(&key, &obie_subject(ORG, SS), &[]))
        .await
}

#[tokio::test]
async fn the_first_start_root_is_listed_as_managed_active_with_its_certificate_facts() {
    let app = spawn_app().await;

    let page = json_ok(app.get(CA).await).await;

    assert_eq!(page["nextCursor"], Value::Null, "{page}");
    let data = page["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{page}");
    let root = &data[0];
    assert!(uuid::Uuid::parse_str(&id(root)).is_ok(), "{root}");
    assert_eq!(root["isManaged"], true);
    assert_eq!(root["active"], true);
    let pem = root["certificatePem"].as_str().unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    assert_eq!(
        root["certificateFingerprint"],
        hex(&openssl::sha::sha256(&der_of(pem)))
    );
    let facts = &root["certificateData"];
    let subject = facts["subject"].as_str().unwrap();
    assert!(subject.contains("obdir Root CA"), "{facts}");
    assert_eq!(facts["issuer"], facts["subject"], "a root is self-signed");
    let cert = X509::from_pem(pem.as_bytes()).unwrap();
    let serial = cert.serial_number().to_bn().unwrap().to_hex_str().unwrap();
    assert_eq!(
        facts["serialNumber"]
            .as_str()
            .unwrap()
            .trim_start_matches('0')
            .to_ascii_uppercase(),
        serial.trim_start_matches('0').to_ascii_uppercase(),
        "{facts}"
    );
    assert!(
        time(&facts["notBefore"]) < time(&facts["notAfter"]),
        "{facts}"
    );

    let same = json_ok(app.get(&root_path(&id(root))).await).await;
    assert_eq!(&same, root);
}

#[tokio::test]
async fn a_new_root_gets_the_seed_defaults_and_is_a_self_signed_ca() {
    let now = fixed_now();
    let app = spawn_app_with(AppOptions {
        now: Some(now),
        ..Default::default()
    })
    .await;

    let root = new_root(&app, "Example Inc.").await;

    assert!(uuid::Uuid::parse_str(&id(&root)).is_ok(), "{root}");
    assert_eq!(root["isManaged"], true, "as the seed's created roots are");
    assert_eq!(root["active"], true);
    let pem = root["certificatePem"].as_str().unwrap();
    assert_eq!(
        root["certificateFingerprint"],
        hex(&openssl::sha::sha256(&der_of(pem)))
    );
    let facts = &root["certificateData"];
    assert_eq!(time(&facts["notBefore"]), now, "from now by default");
    assert_eq!(
        Some(time(&facts["notAfter"])),
        now.checked_add_months(Months::new(240)),
        "twenty years by default: {facts}"
    );
    assert_eq!(facts["issuer"], facts["subject"], "{facts}");

    let text = Tpp::new().describe(pem);
    assert!(text.contains("CA:TRUE"), "{text}");
    let subject = text_line(&text, "Subject:");
    assert_eq!(text_line(&text, "Issuer:"), subject, "self-signed: {text}");
    assert!(subject.contains("C = BR"), "{subject}");
    assert!(subject.contains("O = Example Inc."), "{subject}");
    assert!(subject.contains("CN = 127.0.0.1 DTS CA"), "{subject}");

    let listed = roots(&app).await;
    assert_eq!(listed.len(), 2);
    let shown = listed
        .iter()
        .find(|r| r["id"] == root["id"])
        .expect("the new root is listed");
    assert_eq!(*shown, root, "the list shows what the create answered");
}

#[tokio::test]
async fn a_new_root_takes_the_name_country_and_dates_it_is_given() {
    let now = fixed_now();
    let app = spawn_app_with(AppOptions {
        now: Some(now),
        ..Default::default()
    })
    .await;
    let starts = now + chrono::Duration::days(1);
    let ends = now.checked_add_months(Months::new(240)).unwrap();

    let body = json!({
        "commonName": "Example Root (2026) - A/B",
        "country": "GB",
        "organisationName": "Example Inc.",
        "notBefore": rfc3339(starts),
        "notAfter": rfc3339(ends),
    });
    let root = json_with(app.post_json(CA, &body).await, StatusCode::CREATED).await;

    let facts = &root["certificateData"];
    assert_eq!(time(&facts["notBefore"]), starts, "{facts}");
    assert_eq!(
        time(&facts["notAfter"]),
        ends,
        "exactly 20 years is allowed"
    );
    let text = Tpp::new().describe(root["certificatePem"].as_str().unwrap());
    let subject = text_line(&text, "Subject:");
    assert!(subject.contains("C = GB"), "{subject}");
    assert!(
        subject.contains("CN = Example Root (2026) - A/B"),
        "{subject}"
    );
}

#[tokio::test]
async fn each_broken_rule_of_a_new_root_is_a_400_naming_its_field() {
    let now = fixed_now();
    let app = spawn_app_with(AppOptions {
        now: Some(now),
        ..Default::default()
    })
    .await;
    let in_a_day = rfc3339(now + chrono::Duration::days(1));
    let year_ago = rfc3339(now.checked_sub_months(Months::new(12)).unwrap());
    let too_late =
        rfc3339(now.checked_add_months(Months::new(240)).unwrap() + chrono::Duration::seconds(1));
    let org = "Example Inc.";
    let cases = [
        (
            json!({"organisationName": org, "commonName": ""}),
            "commonName",
        ),
        (
            json!({"organisationName": org, "commonName": "a_b"}),
            "commonName",
        ),
        (
            json!({"organisationName": org, "commonName": "é"}),
            "commonName",
        ),
        (
            json!({"organisationName": org, "commonName": "a@b"}),
            "commonName",
        ),
        (json!({"organisationName": org, "country": "XX"}), "country"),
        (
            json!({"organisationName": org, "country": "bra"}),
            "country",
        ),
        (json!({"organisationName": org, "country": "br"}), "country"),
        (json!({"organisationName": org, "country": ""}), "country"),
        (json!({}), "organisationName"),
        (json!({"organisationName": ""}), "organisationName"),
        (
            json!({"organisationName": org, "notBefore": year_ago}),
            "notBefore",
        ),
        (
            json!({"organisationName": org, "notBefore": in_a_day, "notAfter": rfc3339(now)}),
            "notAfter",
        ),
        (
            json!({"organisationName": org, "notBefore": in_a_day, "notAfter": in_a_day}),
            "notAfter",
        ),
        (
            json!({"organisationName": org, "notAfter": too_late}),
            "notAfter",
        ),
        (
            json!({"organisationName": org, "notBefore": "tomorrow"}),
            "notBefore",
        ),
        (
            json!({"organisationName": org, "notAfter": "2030-13-01T00:00:00Z"}),
            "notAfter",
        ),
        (
            json!({"organisationName": org, "notAfter": "2030-01-01"}),
            "notAfter",
        ),
        (json!({"organisationName": 5}), "organisationName"),
        (json!({"organisationName": org, "country": true}), "country"),
    ];
    for (body, field) in cases {
        let response = app.post_json(CA, &body).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} answered {text}");
        let error: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(error["code"], "BAD_REQUEST", "{body}: {error}");
        assert!(error["message"].is_string(), "{body}: {error}");
        let details = error["details"].as_array().expect("details");
        assert!(
            details
                .iter()
                .any(|d| d.as_str().unwrap_or_default().starts_with(field)),
            "{body}: no detail names {field}: {error}"
        );
    }

    assert_eq!(roots(&app).await.len(), 1, "nothing was written");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_400() {
    let app = spawn_app().await;
    for (body, needle) in [
        ("not json", "body"),
        ("", "body"),
        ("{\"organisationName\": ", "EOF"),
    ] {
        let response = app
            .client
            .post(app.url(CA))
            .bearer_auth(TOKEN)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_bad_request(response, needle).await;
    }
    assert_eq!(roots(&app).await.len(), 1);
}

#[tokio::test]
async fn a_body_that_is_a_json_array_is_a_400_not_a_root() {
    let app = spawn_app().await;
    let root = id(&first_root(&app).await);
    // The seed's bodies are objects; fields by position are not part of them.
    let create = app
        .post_json(
            CA,
            &json!(["Positional Root", "BR", "Positional Inc.", null, null]),
        )
        .await
        .status();
    let update = put_body(&app, &root, &json!([false])).await.status();

    assert_eq!(
        (create, update),
        (StatusCode::BAD_REQUEST, StatusCode::BAD_REQUEST),
        "POST and PUT with an array body"
    );
    let unchanged = roots(&app).await;
    assert_eq!(unchanged.len(), 1, "nothing was created");
    assert_eq!(unchanged[0]["active"], true, "nothing was updated");
}

#[tokio::test]
async fn a_tenant_creates_three_roots_beside_the_built_in_one_then_a_409_until_one_is_deleted() {
    let app = spawn_app().await;
    new_root(&app, "First").await;
    new_root(&app, "Second").await;
    let third = new_root(&app, "Third").await;
    assert_eq!(
        roots(&app).await.len(),
        4,
        "the built-in root does not count"
    );

    let response = app
        .post_json(CA, &json!({"organisationName": "Fourth"}))
        .await;

    let body = json_with(response, StatusCode::CONFLICT).await;
    assert_eq!(body["code"], "CONFLICT", "{body}");
    assert_eq!(body["message"], MAX_ROOTS_MESSAGE, "{body}");
    assert!(body["details"].is_array(), "{body}");
    assert_eq!(roots(&app).await.len(), 4);

    assert_eq!(
        put_active(&app, &id(&third), false).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        delete(&app, &id(&third)).await.status(),
        StatusCode::NO_CONTENT
    );
    new_root(&app, "Fourth").await;
    assert_eq!(roots(&app).await.len(), 4);
}

#[tokio::test]
async fn limit_one_walks_every_root_with_a_cursor_and_the_last_page_has_none() {
    let app = spawn_app().await;
    new_root(&app, "Second").await;
    new_root(&app, "Third").await;
    let all = ids(&roots(&app).await);
    assert_eq!(all.len(), 3);

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for page_number in 1..=3 {
        let path = match &cursor {
            None => format!("{CA}?limit=1"),
            Some(c) => format!("{CA}?limit=1&cursor={c}"),
        };
        let page = json_ok(app.get(&path).await).await;
        let data = page["data"].as_array().unwrap();
        assert_eq!(data.len(), 1, "page {page_number}: {page}");
        seen.extend(ids(data));
        cursor = page["nextCursor"].as_str().map(str::to_owned);
        if page_number < 3 {
            assert!(cursor.is_some(), "page {page_number}: {page}");
        } else {
            assert_eq!(page["nextCursor"], Value::Null, "last page: {page}");
        }
    }
    assert_eq!(seen, all, "each root once, in the list's order");

    let two = json_ok(app.get(&format!("{CA}?limit=2")).await).await;
    assert_eq!(ids(two["data"].as_array().unwrap()), all[..2]);
    let cursor = two["nextCursor"].as_str().expect("a third root follows");
    let rest = json_ok(app.get(&format!("{CA}?limit=2&cursor={cursor}")).await).await;
    assert_eq!(ids(rest["data"].as_array().unwrap()), all[2..]);
    assert_eq!(rest["nextCursor"], Value::Null);

    let largest = json_ok(app.get(&format!("{CA}?limit=1000")).await).await;
    assert_eq!(ids(largest["data"].as_array().unwrap()), all);
    assert_eq!(largest["nextCursor"], Value::Null);
}

#[tokio::test]
async fn roots_created_in_the_same_instant_are_each_paged_once() {
    // A frozen clock gives every root the same creation time, so only the
    // tie-break decides the order; the list and the cursor must agree on it.
    // Ids are random, so the last root is replaced a few times to meet an
    // unlucky order.
    let app = spawn_app_with(AppOptions {
        now: Some(fixed_now()),
        ..Default::default()
    })
    .await;
    new_root(&app, "Second").await;
    for attempt in 0..8 {
        let last = new_root(&app, &format!("Third {attempt}")).await;
        let all = ids(&roots(&app).await);

        let mut seen = Vec::new();
        let mut path = format!("{CA}?limit=1");
        for _ in 0..3 {
            let page = json_ok(app.get(&path).await).await;
            seen.extend(ids(page["data"].as_array().unwrap()));
            match page["nextCursor"].as_str() {
                Some(cursor) => path = format!("{CA}?limit=1&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(
            seen, all,
            "attempt {attempt}: each root once, in the list's order"
        );

        assert_eq!(
            put_active(&app, &id(&last), false).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            delete(&app, &id(&last)).await.status(),
            StatusCode::NO_CONTENT
        );
    }
}

#[tokio::test]
async fn a_bad_limit_or_cursor_is_a_400_naming_it() {
    let app = spawn_app().await;
    for (query, needle) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=-1", "limit"),
        ("limit=x", "limit"),
        ("limit=", "limit"),
        ("cursor=not-a-cursor!", "cursor"),
        // Base64 of "foo": decodes, but is not a cursor.
        ("cursor=Zm9v", "cursor"),
        ("limit=1&cursor=%25%25", "cursor"),
    ] {
        assert_bad_request(app.get(&format!("{CA}?{query}")).await, needle).await;
    }
}

#[tokio::test]
async fn a_cursor_survives_a_delete_and_an_insert_between_pages() {
    let app = spawn_app().await;
    let first = first_root(&app).await;
    let second = new_root(&app, "Second").await;

    let page = json_ok(app.get(&format!("{CA}?limit=1")).await).await;
    assert_eq!(ids(page["data"].as_array().unwrap()), [id(&first)]);
    let cursor = page["nextCursor"].as_str().unwrap().to_owned();

    assert_eq!(
        put_active(&app, &id(&first), false).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        delete(&app, &id(&first)).await.status(),
        StatusCode::NO_CONTENT
    );
    let third = new_root(&app, "Third").await;

    let mut seen = Vec::new();
    let mut next = Some(cursor);
    let mut pages = 0;
    while let Some(cursor) = next {
        let page = json_ok(app.get(&format!("{CA}?limit=1&cursor={cursor}")).await).await;
        seen.extend(ids(page["data"].as_array().unwrap()));
        next = page["nextCursor"].as_str().map(str::to_owned);
        pages += 1;
        assert!(pages <= 3, "the cursor walk does not end: {seen:?}");
    }
    assert_eq!(seen, [id(&second), id(&third)], "the rest, each once");
}

#[tokio::test]
async fn a_root_id_that_is_not_a_uuid_is_a_400_and_an_unknown_one_a_404() {
    let app = spawn_app().await;
    let unknown = uuid::Uuid::new_v4().to_string();

    assert_bad_request(
        app.get(&root_path("not-a-uuid")).await,
        "dtsCaCertificateId",
    )
    .await;
    assert_bad_request(
        put_active(&app, "not-a-uuid", false).await,
        "dtsCaCertificateId",
    )
    .await;
    assert_bad_request(delete(&app, "not-a-uuid").await, "dtsCaCertificateId").await;

    for response in [
        app.get(&root_path(&unknown)).await,
        put_active(&app, &unknown, false).await,
        delete(&app, &unknown).await,
    ] {
        assert_ecosystem_error(response, StatusCode::NOT_FOUND, "NOT_FOUND", &unknown).await;
    }
}

#[tokio::test]
async fn put_sets_active_and_needs_the_active_field() {
    let app = spawn_app().await;
    let root = id(&first_root(&app).await);

    let updated = json_ok(put_active(&app, &root, false).await).await;
    assert_eq!(updated["active"], false, "{updated}");
    assert_eq!(updated["id"], root);
    let read = json_ok(app.get(&root_path(&root)).await).await;
    assert_eq!(read["active"], false);

    let again = json_ok(put_active(&app, &root, true).await).await;
    assert_eq!(again["active"], true);

    assert_bad_request(put_body(&app, &root, &json!({})).await, "active").await;
    assert_bad_request(
        put_body(&app, &root, &json!({"active": "no"})).await,
        "active",
    )
    .await;
    assert_bad_request(
        put_body(&app, &root, &json!({"active": null})).await,
        "active",
    )
    .await;
    let read = json_ok(app.get(&root_path(&root)).await).await;
    assert_eq!(read["active"], true, "a refused PUT changes nothing");
}

#[tokio::test]
async fn an_active_root_cannot_be_deleted_and_an_inactive_one_is_gone_after_delete() {
    let app = spawn_app().await;
    let root = id(&new_root(&app, "Second").await);

    // The seed lists 204, 400 and 404 for a delete: refusing is a 400.
    assert_ecosystem_error(
        delete(&app, &root).await,
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
        "is active and its issuing CA still signs; deactivate it before deleting it",
    )
    .await;
    assert_eq!(roots(&app).await.len(), 2);

    assert_eq!(
        put_active(&app, &root, false).await.status(),
        StatusCode::OK
    );
    let response = delete(&app, &root).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.text().await.unwrap().is_empty());

    assert_ecosystem_error(
        app.get(&root_path(&root)).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        &root,
    )
    .await;
    assert_eq!(roots(&app).await.len(), 1);
    assert_ecosystem_error(
        app.get_public(&app.url(&(root_path(&root) + "/crl"))).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        &root,
    )
    .await;
    assert_ecosystem_error(
        delete(&app, &root).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        &root,
    )
    .await;
}

#[tokio::test]
async fn after_a_rollover_new_certificates_chain_to_the_new_root_and_old_ones_still_verify() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let old_root = first_root(&app).await;
    let before = json_with(
        upload_transport_csr(&app, &tpp, "before.key").await,
        StatusCode::CREATED,
    )
    .await;

    let new_root = new_root(&app, "Rollover Inc.").await;
    assert_eq!(
        put_active(&app, &id(&old_root), false).await.status(),
        StatusCode::OK
    );
    let after = json_with(
        upload_transport_csr(&app, &tpp, "after.key").await,
        StatusCode::CREATED,
    )
    .await;

    let new_root_pem = new_root["certificatePem"].as_str().unwrap();
    let old_root_pem = old_root["certificatePem"].as_str().unwrap();
    let leaf = pem_of(after["x5c"][0].as_str().unwrap());
    let issuing = pem_of(after["x5c"][1].as_str().unwrap());
    let new_subject = text_line(&tpp.describe(new_root_pem), "Subject:");
    assert_eq!(
        text_line(&tpp.describe(&issuing), "Issuer:"),
        new_subject,
        "the issuing CA is signed by the new root"
    );
    let files = tempfile::tempdir().unwrap();
    let path = |name: &str, content: &str| {
        let path = files.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    };
    let new_root_file = path("new-root.pem", new_root_pem);
    let old_root_file = path("old-root.pem", old_root_pem);
    let issuing_file = path("issuing.pem", &issuing);
    let leaf_file = path("leaf.pem", &leaf);
    let (ok, output) = run_openssl(&[
        "verify",
        "-CAfile",
        s(&new_root_file),
        "-untrusted",
        s(&issuing_file),
        s(&leaf_file),
    ]);
    assert!(ok, "the new root alone verifies the new leaf: {output}");
    let (ok, output) = run_openssl(&[
        "verify",
        "-CAfile",
        s(&old_root_file),
        "-untrusted",
        s(&issuing_file),
        s(&leaf_file),
    ]);
    assert!(!ok, "the old root must not verify the new leaf: {output}");

    let chain = app.chain_pem().await;
    let in_chain: Vec<Vec<u8>> = X509::stack_from_pem(chain.as_bytes())
        .unwrap()
        .iter()
        .map(|c| c.to_der().unwrap())
        .collect();
    assert!(
        in_chain.contains(&der_of(new_root_pem)),
        "new root in chain"
    );
    assert!(
        in_chain.contains(&der_of(old_root_pem)),
        "old root in chain"
    );
    for (name, record) in [("before", &before), ("after", &after)] {
        let (ok, output) = tpp.verify(&chain, &pem_of(record["x5c"][0].as_str().unwrap()));
        assert!(ok, "chain.pem verifies the {name} leaf: {output}");
    }
}

/// The subject of the root that issued the issuing CA in an upload's x5c.
async fn issuing_root_subject(app: &TestApp, tpp: &Tpp, name: &str) -> String {
    let record = json_with(
        upload_transport_csr(app, tpp, name).await,
        StatusCode::CREATED,
    )
    .await;
    let issuing = pem_of(record["x5c"][1].as_str().unwrap());
    text_line(&tpp.describe(&issuing), "Issuer:")
}

fn subject_of(tpp: &Tpp, root: &Value) -> String {
    text_line(
        &tpp.describe(root["certificatePem"].as_str().unwrap()),
        "Subject:",
    )
}

#[tokio::test]
async fn reactivating_a_root_makes_it_the_signing_one_again() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let old_root = first_root(&app).await;
    let new_root = new_root(&app, "Rollover Inc.").await;
    assert_eq!(
        issuing_root_subject(&app, &tpp, "one.key").await,
        subject_of(&tpp, &new_root),
        "a new root signs from its creation"
    );

    assert_eq!(
        put_active(&app, &id(&new_root), false).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        issuing_root_subject(&app, &tpp, "two.key").await,
        subject_of(&tpp, &old_root),
        "the remaining active root signs"
    );

    assert_eq!(
        put_active(&app, &id(&new_root), true).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        issuing_root_subject(&app, &tpp, "three.key").await,
        subject_of(&tpp, &new_root),
        "the most recently activated root signs"
    );
}

#[tokio::test]
async fn a_root_that_starts_in_the_future_signs_only_from_its_not_before() {
    let now = fixed_now();
    let app = spawn_app_with(AppOptions {
        now: Some(now),
        ..Default::default()
    })
    .await;
    let tpp = Tpp::new();
    let old_root = first_root(&app).await;
    let starts = now + chrono::Duration::days(1);
    let body = json!({"organisationName": "Later Inc.", "notBefore": rfc3339(starts)});
    let later = json_with(app.post_json(CA, &body).await, StatusCode::CREATED).await;
    assert_eq!(later["active"], true);

    assert_eq!(
        issuing_root_subject(&app, &tpp, "one.key").await,
        subject_of(&tpp, &old_root),
        "the old root signs until the new one starts"
    );
    assert_eq!(
        put_active(&app, &id(&old_root), false).await.status(),
        StatusCode::OK
    );
    assert_error(
        upload_transport_csr(&app, &tpp, "two.key").await,
        StatusCode::SERVICE_UNAVAILABLE,
        "no active root CA",
    )
    .await;

    app.clock
        .as_ref()
        .unwrap()
        .set(starts + chrono::Duration::hours(1));
    assert_eq!(
        issuing_root_subject(&app, &tpp, "three.key").await,
        subject_of(&tpp, &later),
        "the new root signs once it has started"
    );
}

#[tokio::test]
async fn with_no_active_root_csr_uploads_are_503_but_key_uploads_still_work() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let root = id(&first_root(&app).await);
    assert_eq!(
        put_active(&app, &root, false).await.status(),
        StatusCode::OK
    );

    assert_error(
        upload_transport_csr(&app, &tpp, "transport.key").await,
        StatusCode::SERVICE_UNAVAILABLE,
        "no active root CA",
    )
    .await;
    let key = tpp.public_key_pem(&tpp.ec_key("signing.key", "P-256"));
    assert_eq!(
        app.upload("sigkey", &key).await.status(),
        StatusCode::CREATED
    );
    assert_ecosystem_error(
        app.get_public(&app.url(&format!(
            "/v1/ecosystems/{}/vicals/public/certificates/ca/latest",
            uuid::Uuid::new_v4()
        )))
        .await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "no active",
    )
    .await;

    assert_eq!(put_active(&app, &root, true).await.status(), StatusCode::OK);
    assert_eq!(
        upload_transport_csr(&app, &tpp, "transport.key")
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn root_management_without_the_admin_token_is_a_401_in_the_ecosystem_shape() {
    let app = spawn_app().await;
    let root = id(&first_root(&app).await);
    let url = app.url(&root_path(&root));
    let requests = [
        app.client.get(app.url(CA)),
        app.client
            .post(app.url(CA))
            .json(&json!({"organisationName": "Nobody"})),
        app.client.get(&url),
        app.client.put(&url).json(&json!({"active": false})),
        app.client.delete(&url),
    ];
    for request in requests {
        for token in [None, Some("not-the-token")] {
            let request = request.try_clone().unwrap();
            let request = match token {
                Some(t) => request.bearer_auth(t),
                None => request,
            };
            let response = request.send().await.unwrap();
            assert_ecosystem_error(
                response,
                StatusCode::UNAUTHORIZED,
                "UNAUTHORIZED",
                "bearer token",
            )
            .await;
        }
    }

    let unchanged = roots(&app).await;
    assert_eq!(unchanged.len(), 1, "nothing created");
    assert_eq!(unchanged[0]["active"], true, "nothing updated or deleted");
}

#[tokio::test]
async fn the_public_list_shows_every_root_without_a_token() {
    let app = spawn_app().await;
    let second = new_root(&app, "Second").await;
    let first = first_root(&app).await;
    assert_eq!(
        put_active(&app, &id(&first), false).await.status(),
        StatusCode::OK
    );

    let public = json_ok(
        app.get_public(&app.url("/v1/ecosystems/public/certificates/ca"))
            .await,
    )
    .await;

    let listed = public["rootCertificates"].as_array().unwrap();
    assert_eq!(ids(listed), [id(&first), id(&second)], "inactive ones too");
    assert_eq!(listed[1]["certificatePem"], second["certificatePem"]);
    assert_eq!(listed[0]["active"], false);
}

#[tokio::test]
async fn the_deprecated_latest_route_answers_the_signing_root_for_any_ecosystem_uuid() {
    let app = spawn_app().await;
    let first = first_root(&app).await;
    let latest_url = |ecosystem: &str| {
        app.url(&format!(
            "/v1/ecosystems/{ecosystem}/vicals/public/certificates/ca/latest"
        ))
    };

    let latest = json_ok(
        app.get_public(&latest_url(&uuid::Uuid::new_v4().to_string()))
            .await,
    )
    .await;
    assert_eq!(latest["id"], first["id"]);

    let second = new_root(&app, "Second").await;
    let latest = json_ok(
        app.get_public(&latest_url(&uuid::Uuid::new_v4().to_string()))
            .await,
    )
    .await;
    assert_eq!(latest["id"], second["id"], "the newest active root signs");
    assert_eq!(latest["certificatePem"], second["certificatePem"]);

    assert_bad_request(
        app.get_public(&latest_url("not-a-uuid")).await,
        "ecosystemId",
    )
    .await;
}

/// Fetches a CRL route and checks the PEM with `openssl crl -CAfile`;
/// answers the CRL number.
async fn verified_crl(app: &TestApp, path: &str, root_pem: &str) -> u64 {
    let response = app.get_public(&app.url(path)).await;
    let body = json_ok(response).await;
    let pem = body.as_str().expect("the CRL is a JSON string");
    assert!(pem.starts_with("-----BEGIN X509 CRL-----"), "{pem}");
    let files = tempfile::tempdir().unwrap();
    let crl = files.path().join("root.crl.pem");
    let root = files.path().join("root.pem");
    std::fs::write(&crl, pem).unwrap();
    std::fs::write(&root, root_pem).unwrap();
    let (ok, output) = run_openssl(&["crl", "-in", s(&crl), "-noout", "-CAfile", s(&root)]);
    assert!(ok && output.contains("verify OK"), "{path}: {output}");
    let (ok, output) = run_openssl(&["crl", "-in", s(&crl), "-noout", "-crlnumber"]);
    assert!(ok, "{output}");
    let hex = output
        .trim()
        .strip_prefix("crlNumber=")
        .unwrap_or_else(|| panic!("no CRL number: {output}"));
    u64::from_str_radix(hex.trim_start_matches("0x"), 16).unwrap()
}

#[tokio::test]
async fn root_crls_are_pem_strings_that_openssl_verifies_against_their_root() {
    let app = spawn_app().await;
    let first = first_root(&app).await;
    let second = new_root(&app, "Second").await;
    let ecosystem = uuid::Uuid::new_v4();

    for root in [&first, &second] {
        let pem = root["certificatePem"].as_str().unwrap();
        let current = root_path(&id(root)) + "/crl";
        let deprecated = format!(
            "/v1/ecosystems/{ecosystem}/vicals/public/certificates/ca/{}/crl",
            id(root)
        );
        let one = verified_crl(&app, &current, pem).await;
        let two = verified_crl(&app, &deprecated, pem).await;
        assert_eq!(
            one, two,
            "the same CRL is served until it is half way to its nextUpdate"
        );
    }

    // Each CRL is signed by its own root, not by another one.
    let response = app
        .get_public(&app.url(&(root_path(&id(&second)) + "/crl")))
        .await;
    let pem = json_ok(response).await.as_str().unwrap().to_owned();
    let files = tempfile::tempdir().unwrap();
    let crl = files.path().join("crl.pem");
    let other = files.path().join("other.pem");
    std::fs::write(&crl, pem).unwrap();
    std::fs::write(&other, first["certificatePem"].as_str().unwrap()).unwrap();
    let (ok, output) = run_openssl(&["crl", "-in", s(&crl), "-noout", "-CAfile", s(&other)]);
    assert!(!ok || !output.contains("verify OK"), "{output}");
}

#[tokio::test]
async fn root_crl_routes_refuse_bad_and_unknown_ids() {
    let app = spawn_app().await;
    let unknown = uuid::Uuid::new_v4().to_string();
    let ecosystem = uuid::Uuid::new_v4();

    assert_bad_request(
        app.get_public(&app.url(&(root_path("not-a-uuid") + "/crl")))
            .await,
        "dtsCaCertificateId",
    )
    .await;
    assert_bad_request(
        app.get_public(&app.url(&format!(
            "/v1/ecosystems/not-a-uuid/vicals/public/certificates/ca/{unknown}/crl"
        )))
        .await,
        "ecosystemId",
    )
    .await;
    for path in [
        root_path(&unknown) + "/crl",
        format!("/v1/ecosystems/{ecosystem}/vicals/public/certificates/ca/{unknown}/crl"),
    ] {
        assert_ecosystem_error(
            app.get_public(&app.url(&path)).await,
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            &unknown,
        )
        .await;
    }
}

async fn events(app: &TestApp, query: &str) -> Vec<Value> {
    let body = json_ok(app.get(&format!("/admin/events?{query}")).await).await;
    body["events"].as_array().expect("events").clone()
}

fn types(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["type"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_create_records_start_then_success_with_actor_and_interaction_id() {
    let now = fixed_now();
    let app = spawn_app_with(AppOptions {
        now: Some(now),
        ..Default::default()
    })
    .await;
    let response = app
        .client
        .post(app.url(CA))
        .bearer_auth(TOKEN)
        .header("x-fapi-interaction-id", "eco-create-0001")
        .json(&json!({"organisationName": "Audited Inc."}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        response.headers()["x-fapi-interaction-id"],
        "eco-create-0001"
    );

    let recorded = events(&app, "type=ECOSYSTEM_DTS_CA_CERTIFICATE_CREATE_*").await;

    assert_eq!(
        types(&recorded),
        [
            "ECOSYSTEM_DTS_CA_CERTIFICATE_CREATE_START",
            "ECOSYSTEM_DTS_CA_CERTIFICATE_CREATE_SUCCESS"
        ]
    );
    for (event, outcome) in recorded.iter().zip(["START", "SUCCESS"]) {
        assert_eq!(event["actor"], "admin", "{event}");
        assert_eq!(event["interactionId"], "eco-create-0001", "{event}");
        assert_eq!(event["outcome"], outcome, "{event}");
        assert_eq!(time(&event["time"]), now, "{event}");
    }

    let exact = events(&app, "type=ECOSYSTEM_DTS_CA_CERTIFICATE_CREATE_SUCCESS").await;
    assert_eq!(exact.len(), 1);
    assert_eq!(exact[0], recorded[1]);
}

#[tokio::test]
async fn a_failed_create_records_fail_with_the_reason() {
    let app = spawn_app().await;
    let response = app
        .post_json(CA, &json!({"organisationName": "Bad", "country": "XX"}))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let recorded = events(&app, "type=ECOSYSTEM_DTS_CA_CERTIFICATE_CREATE_*").await;

    assert_eq!(
        types(&recorded),
        [
            "ECOSYSTEM_DTS_CA_CERTIFICATE_CREATE_START",
            "ECOSYSTEM_DTS_CA_CERTIFICATE_CREATE_FAIL"
        ]
    );
    let fail = &recorded[1];
    assert_eq!(fail["outcome"], "FAIL");
    assert_eq!(fail["actor"], "admin");
    assert!(
        fail["interactionId"]
            .as_str()
            .is_some_and(|i| !i.is_empty()),
        "a generated interaction id: {fail}"
    );
    let detail = fail["detail"].as_str().expect("a FAIL says why");
    assert!(detail.contains("country"), "{detail}");
}

#[tokio::test]
async fn root_updates_and_deletes_are_audited_too() {
    let app = spawn_app().await;
    let root = id(&new_root(&app, "Second").await);
    assert_eq!(
        put_active(&app, &root, false).await.status(),
        StatusCode::OK
    );
    assert_eq!(delete(&app, &root).await.status(), StatusCode::NO_CONTENT);

    let recorded = events(&app, "type=ECOSYSTEM_DTS_CA_CERTIFICATE_*").await;

    let recorded = types(&recorded);
    for expected in [
        "ECOSYSTEM_DTS_CA_CERTIFICATE_UPDATE_START",
        "ECOSYSTEM_DTS_CA_CERTIFICATE_UPDATE_SUCCESS",
        "ECOSYSTEM_DTS_CA_CERTIFICATE_DELETE_START",
        "ECOSYSTEM_DTS_CA_CERTIFICATE_DELETE_SUCCESS",
    ] {
        assert!(recorded.contains(&expected), "{expected}: {recorded:?}");
    }
}

#[tokio::test]
async fn the_event_query_checks_limit_and_since_and_needs_the_token() {
    let app = spawn_app().await;
    new_root(&app, "Second").await;

    assert_error(
        app.get("/admin/events?limit=0").await,
        StatusCode::BAD_REQUEST,
        "limit",
    )
    .await;
    assert_error(
        app.get("/admin/events?limit=x").await,
        StatusCode::BAD_REQUEST,
        "limit",
    )
    .await;
    assert_error(
        app.get("/admin/events?since=yesterday").await,
        StatusCode::BAD_REQUEST,
        "since",
    )
    .await;
    assert_eq!(
        events(&app, "type=ECOSYSTEM_DTS_CA_CERTIFICATE_CREATE_*&limit=1")
            .await
            .len(),
        1
    );
    assert_eq!(
        events(&app, "since=2999-01-01T00:00:00Z").await,
        Vec::<Value>::new()
    );
    assert!(!events(&app, "since=2000-01-01T00:00:00Z").await.is_empty());

    let response = app.get_public(&app.url("/admin/events")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_method_or_path_the_face_does_not_serve_is_answered_in_its_own_shape() {
    let app = spawn_app().await;
    let patch = app
        .client
        .patch(app.url(CA))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(patch.headers()["allow"], "GET, POST");
    assert_ecosystem_error(
        patch,
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "this path takes GET, POST",
    )
    .await;
    let unknown = app
        .client
        .get(app.url("/v1/ecosystems/no-such-thing"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_ecosystem_error(
        unknown,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "no route for GET /v1/ecosystems/no-such-thing",
    )
    .await;
}
