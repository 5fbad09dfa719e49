//! The directory around the keystore: paged organisations, updates, statement
//! status, certificate listing, revocation and organisation-level certificates.

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

async fn json_with(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "{text}");
    serde_json::from_str(&text).expect("body is JSON")
}

async fn json_ok(response: Response) -> Value {
    json_with(response, StatusCode::OK).await
}

async fn created(response: Response) -> Value {
    json_with(response, StatusCode::CREATED).await
}

fn kid(record: &Value) -> String {
    record["kid"].as_str().unwrap().to_owned()
}

fn statement_path() -> String {
    format!("/organisations/{ORG}/softwarestatements/{SS}")
}

fn record_path(key_type: &str, kid: &str) -> String {
    format!("{}/{kid}", TestApp::certificates_path(ORG, SS, key_type))
}

async fn revoke(app: &TestApp, key_type: &str, kid: &str, body: &Value) -> Response {
    app.put_json(&record_path(key_type, kid), body).await
}

fn keystore(app: &TestApp, document: &str) -> String {
    app.url(&format!("/keystore/{document}"))
}

/// Uploads to the organisation itself, under `key_type` or the default.
async fn upload_to_organisation(app: &TestApp, key_type: Option<&str>, pem: &str) -> Response {
    let path = match key_type {
        Some(t) => format!("/organisations/{ORG}/certificates/{t}"),
        None => format!("/organisations/{ORG}/certificates"),
    };
    app.client
        .post(app.url(&path))
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/x-pem-file")
        .body(pem.to_owned())
        .send()
        .await
        .expect("request sent")
}

fn organisation_subject(attribute: &str) -> String {
    format!("/C=BR/O=Demo TPP Ltda/{attribute}={ORG}/CN=demo-tpp")
}

fn assert_page(page: &Value, number: u64, size: u64, total: u64, elements: u64) {
    assert_eq!(page["pageNumber"], number, "{page}");
    assert_eq!(page["size"], size, "{page}");
    assert_eq!(page["totalSize"], total, "{page}");
    assert_eq!(page["totalPages"], total.div_ceil(size), "{page}");
    assert_eq!(page["numberOfElements"], elements, "{page}");
    assert_eq!(page["empty"], elements == 0, "{page}");
    assert_eq!(page["content"].as_array().unwrap().len() as u64, elements);
}

fn organisation_ids(page: &Value) -> Vec<String> {
    page["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["OrganisationId"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn organisations_are_listed_in_pages_of_the_requested_size() {
    let app = spawn_app().await;
    let mut expected = organisation_ids(&json_ok(app.get("/organisations?size=50000").await).await);
    assert!(expected.contains(&ORG.to_owned()));
    for i in 1..=4 {
        let id = format!("org-{i}");
        let body = json!({"OrganisationId": id, "OrganisationName": format!("Org {i}")});
        created(app.post_json("/organisations", &body).await).await;
        expected.push(id);
    }
    expected.sort();
    let total = expected.len() as u64;

    let first = json_ok(app.get("/organisations").await).await;
    assert_page(&first, 0, 20, total, total.min(20));

    let mut seen = Vec::new();
    for number in 0..total.div_ceil(2) {
        let page = json_ok(
            app.get(&format!("/organisations?page={number}&size=2"))
                .await,
        )
        .await;
        assert_page(&page, number, 2, total, (total - 2 * number).min(2));
        seen.extend(organisation_ids(&page));
    }
    seen.sort();
    assert_eq!(seen, expected, "every organisation once across the pages");

    let beyond = total.div_ceil(2);
    let past = json_ok(
        app.get(&format!("/organisations?page={beyond}&size=2"))
            .await,
    )
    .await;
    assert_page(&past, beyond, 2, total, 0);
    assert_eq!(past["content"], json!([]));
}

#[tokio::test]
async fn a_bad_page_or_size_is_a_400_naming_the_parameter() {
    let app = spawn_app().await;
    for (query, needle) in [
        ("page=-1", "page:"),
        ("page=x", "page:"),
        ("size=0", "size:"),
        ("size=50001", "size:"),
    ] {
        assert_error(
            app.get(&format!("/organisations?{query}")).await,
            StatusCode::BAD_REQUEST,
            needle,
        )
        .await;
    }
    let largest = json_ok(app.get("/organisations?size=50000").await).await;
    assert_eq!(largest["size"], 50000);
}

#[tokio::test]
async fn an_enormous_page_number_is_answered_not_a_dropped_connection() {
    let app = spawn_app().await;
    // page * size overflows usize; the answer must still be a page or a 400.
    for path in [
        "/organisations?page=18446744073709551615&size=2".to_owned(),
        format!(
            "{}?page=9223372036854775808&size=2",
            TestApp::certificates_path(ORG, SS, "rtssigning")
        ),
    ] {
        let response = app
            .client
            .get(app.url(&path))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path}: no answer: {e}"));
        match response.status() {
            StatusCode::OK => {
                let page: Value = response.json().await.unwrap();
                assert_eq!(page["content"], json!([]), "{path}");
                assert_eq!(page["empty"], true, "{path}");
            }
            _ => assert_error(response, StatusCode::BAD_REQUEST, "page:").await,
        }
    }
}

#[tokio::test]
async fn put_organisation_changes_the_given_fields_and_keeps_the_rest() {
    let app = spawn_app().await;
    let original = created(
        app.post_json(
            "/organisations",
            &json!({
                "OrganisationId": "org-put",
                "OrganisationName": "Before",
                "LegalEntityName": "Before Ltda",
                "City": "Sao Paulo"
            }),
        )
        .await,
    )
    .await;

    let updated = json_ok(
        app.put_json(
            "/organisations/org-put",
            &json!({"OrganisationName": "After", "City": "Recife"}),
        )
        .await,
    )
    .await;
    assert_eq!(updated["OrganisationName"], "After");
    assert_eq!(updated["City"], "Recife");
    assert_eq!(updated["LegalEntityName"], "Before Ltda");
    assert_eq!(updated["OrganisationId"], "org-put");
    assert_eq!(updated["CreatedOn"], original["CreatedOn"]);
    assert_eq!(updated["Status"], original["Status"]);

    let read = json_ok(app.get("/organisations/org-put").await).await;
    assert_eq!(read["OrgDetails"], updated);
}

#[tokio::test]
async fn put_organisation_cannot_change_its_id_or_reach_an_unknown_one() {
    let app = spawn_app().await;
    let response = app
        .put_json(
            &format!("/organisations/{ORG}"),
            &json!({"OrganisationId": "someone-else", "OrganisationName": "X"}),
        )
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        &format!("OrganisationId: cannot be changed from '{ORG}'"),
    )
    .await;
    let read = json_ok(app.get(&format!("/organisations/{ORG}")).await).await;
    assert_eq!(read["OrgDetails"]["OrganisationName"], "Demo TPP Ltda");

    let response = app
        .put_json("/organisations/nobody", &json!({"OrganisationName": "X"}))
        .await;
    assert_error(
        response,
        StatusCode::NOT_FOUND,
        "organisation 'nobody' does not exist",
    )
    .await;
}

#[tokio::test]
async fn software_statements_are_listed_and_put_changes_status_and_mode() {
    let app = spawn_app().await;
    let path = format!("/organisations/{ORG}/softwarestatements");
    created(
        app.post_json(
            &path,
            &json!({"SoftwareStatementId": "ss-second", "ClientName": "Second"}),
        )
        .await,
    )
    .await;
    let list = json_ok(app.get(&path).await).await;
    let ids: Vec<&str> = list
        .as_array()
        .expect("a list of statements")
        .iter()
        .map(|s| s["SoftwareStatementId"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&SS) && ids.contains(&"ss-second"), "{ids:?}");
    assert_eq!(ids.len(), 2, "{ids:?}");

    let before = json_ok(app.get(&statement_path()).await).await;
    let mode = if before["Mode"] == "Live" {
        "Test"
    } else {
        "Live"
    };
    let updated = json_ok(
        app.put_json(&statement_path(), &statement_update(json!({"Mode": mode})))
            .await,
    )
    .await;
    assert_eq!(updated["Mode"], mode);
    assert_eq!(updated["Status"], "Active");
    assert_eq!(updated["ClientName"], before["ClientName"]);
    assert_eq!(updated["RedirectUri"], before["RedirectUri"]);

    for status in ["Suspended", "Active"] {
        let updated = json_ok(
            app.put_json(
                &statement_path(),
                &statement_update(json!({"Status": status})),
            )
            .await,
        )
        .await;
        assert_eq!(updated["Status"], status);
        assert_eq!(updated["Mode"], mode);
        let read = json_ok(app.get(&statement_path()).await).await;
        assert_eq!(read["Status"], status);
    }

    assert_error(
        app.put_json(
            &statement_path(),
            &statement_update(json!({"SoftwareStatementId": "other"})),
        )
        .await,
        StatusCode::BAD_REQUEST,
        &format!("SoftwareStatementId: cannot be changed from '{SS}'"),
    )
    .await;
    assert_error(
        app.put_json(
            &format!("/organisations/{ORG}/softwarestatements/nothing-here"),
            &statement_update(json!({"Mode": "Live"})),
        )
        .await,
        StatusCode::NOT_FOUND,
        "software statement 'nothing-here' does not exist",
    )
    .await;
    assert_error(
        app.put_json(
            &statement_path(),
            &statement_update(json!({"Status": "Inactive"})),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "Status: must be one of Active, Suspended, got 'Inactive'",
    )
    .await;
    assert_error(
        app.put_json(
            &statement_path(),
            &statement_update(json!({"Mode": "Sandbox"})),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "Mode: must be one of Live, Test",
    )
    .await;
}

#[tokio::test]
async fn a_suspended_statement_gets_no_new_keys_but_keeps_serving_its_old_ones() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let existing = created(
        app.upload("sigkey", &tpp.public_key_pem(&tpp.ec_key("old", "P-256")))
            .await,
    )
    .await;

    for status in ["Suspended"] {
        json_ok(
            app.put_json(
                &statement_path(),
                &statement_update(json!({"Status": status})),
            )
            .await,
        )
        .await;
        let fresh = tpp.public_key_pem(&tpp.ec_key("new", "P-256"));
        assert_error(
            app.upload("sigkey", &fresh).await,
            StatusCode::BAD_REQUEST,
            &format!("software statement '{SS}' is {status}"),
        )
        .await;
        let csr = tpp.csr(&tpp.rsa_key("t", 2048), &obie_subject(ORG, SS), &[]);
        assert_error(
            app.upload("rtstransport", &csr).await,
            StatusCode::BAD_REQUEST,
            status,
        )
        .await;
        let application = keystore(&app, &format!("{ORG}/{SS}/application.jwks"));
        assert_eq!(app.jwks_kids(&application).await, vec![kid(&existing)]);
        let transport = keystore(&app, &format!("{ORG}/{SS}/transport.jwks"));
        assert!(app.jwks_kids(&transport).await.is_empty());
    }
}

#[tokio::test]
async fn a_statements_notification_webhook_is_pending_until_confirmed_and_again_when_changed() {
    let app = spawn_app().await;
    let hook = "https://hooks.tpp.example/directory";
    let put = |changes: Value| {
        let app = &app;
        async move {
            json_ok(
                app.put_json(&statement_path(), &statement_update(changes))
                    .await,
            )
            .await
        }
    };
    let set = put(json!({"NotificationWebhook": hook})).await;
    assert_eq!(set["NotificationWebhook"], hook);
    assert_eq!(set["NotificationWebhookStatus"], "Pending");
    let confirmed = put(json!({"NotificationWebhookStatus": "Confirmed"})).await;
    assert_eq!(confirmed["NotificationWebhook"], hook);
    assert_eq!(confirmed["NotificationWebhookStatus"], "Confirmed");
    let read = json_ok(app.get(&statement_path()).await).await;
    assert_eq!(read["NotificationWebhookStatus"], "Confirmed");
    let moved = put(json!({"NotificationWebhook": "https://hooks.tpp.example/v2"})).await;
    assert_eq!(moved["NotificationWebhookStatus"], "Pending");
    assert_error(
        app.put_json(
            &statement_path(),
            &statement_update(json!({"NotificationWebhookStatus": "Paused"})),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "NotificationWebhookStatus: must be one of Pending, Confirmed, Deactivated",
    )
    .await;
}

#[tokio::test]
async fn a_software_statement_id_is_unique_across_organisations() {
    let app = spawn_app().await;
    created(
        app.post_json(
            "/organisations",
            &json!({"OrganisationId": "org-b", "OrganisationName": "B"}),
        )
        .await,
    )
    .await;
    let response = app
        .post_json(
            "/organisations/org-b/softwarestatements",
            &json!({"SoftwareStatementId": SS, "ClientName": "Copy"}),
        )
        .await;
    assert_error(
        response,
        StatusCode::CONFLICT,
        &format!("software statement '{SS}' already exists"),
    )
    .await;
    let list = json_ok(app.get("/organisations/org-b/softwarestatements").await).await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn certificates_are_listed_all_together_and_paged_by_type() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let subject = obie_subject(ORG, SS);
    let signing_1 = created(
        app.upload(
            "rtssigning",
            &tpp.csr(&tpp.rsa_key("s1", 2048), &subject, &[]),
        )
        .await,
    )
    .await;
    let signing_2 = created(
        app.upload(
            "rtssigning",
            &tpp.csr(&tpp.rsa_key("s2", 2048), &subject, &[]),
        )
        .await,
    )
    .await;
    let transport = created(
        app.upload(
            "rtstransport",
            &tpp.csr(&tpp.rsa_key("t", 2048), &subject, &[]),
        )
        .await,
    )
    .await;
    let sigkey = created(
        app.upload("sigkey", &tpp.public_key_pem(&tpp.ec_key("k", "P-256")))
            .await,
    )
    .await;
    let enckey = created(
        app.upload("enckey", &tpp.public_key_pem(&tpp.ec_key("e", "P-384")))
            .await,
    )
    .await;

    let all = json_ok(app.get(&format!("{}/certificates", statement_path())).await).await;
    let mut kids: Vec<String> = all.as_array().unwrap().iter().map(kid).collect();
    kids.sort();
    let mut expected: Vec<String> = [&signing_1, &signing_2, &transport, &sigkey, &enckey]
        .into_iter()
        .map(kid)
        .collect();
    expected.sort();
    assert_eq!(kids, expected);

    let signing = TestApp::certificates_path(ORG, SS, "rtssigning");
    let page = json_ok(app.get(&signing).await).await;
    assert_page(&page, 0, 20, 2, 2);
    for record in page["content"].as_array().unwrap() {
        assert_eq!(record["keyType"], "rtssigning");
        assert_eq!(record["OrganisationId"], ORG);
        assert!(record["JwkPath"].is_string() && record["x5c"].is_array());
    }
    let mut paged = Vec::new();
    for number in 0..2 {
        let page = json_ok(app.get(&format!("{signing}?page={number}&size=1")).await).await;
        assert_page(&page, number, 1, 2, 1);
        paged.push(kid(&page["content"][0]));
    }
    paged.sort();
    let mut expected = vec![kid(&signing_1), kid(&signing_2)];
    expected.sort();
    assert_eq!(paged, expected);

    let none = json_ok(app.get(&TestApp::certificates_path(ORG, SS, "brcac")).await).await;
    assert_page(&none, 0, 20, 0, 0);
    assert_error(
        app.get(&format!("{signing}?size=0")).await,
        StatusCode::BAD_REQUEST,
        "size:",
    )
    .await;
}

#[tokio::test]
async fn one_certificate_is_read_as_a_jwk_and_a_wrong_type_or_kid_is_404() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let record = created(
        app.upload(
            "rtstransport",
            &tpp.csr(&tpp.rsa_key("t", 2048), &obie_subject(ORG, SS), &[]),
        )
        .await,
    )
    .await;
    let kid = kid(&record);

    let response = app.get(&record_path("rtstransport", &kid)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/jwk+json");
    let read: Value = response.json().await.unwrap();
    assert_eq!(read, record);

    assert_error(
        app.get(&record_path("rtssigning", &kid)).await,
        StatusCode::NOT_FOUND,
        &format!("no rtssigning certificate or key '{kid}'"),
    )
    .await;
    assert_error(
        app.get(&record_path("rtstransport", "no-such-kid")).await,
        StatusCode::NOT_FOUND,
        "'no-such-kid'",
    )
    .await;
}

#[tokio::test]
async fn revoking_a_signing_certificate_moves_its_kid_to_the_inactive_key_sets() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let subject = obie_subject(ORG, SS);
    let revoked = created(
        app.upload(
            "rtssigning",
            &tpp.csr(&tpp.rsa_key("s1", 2048), &subject, &[]),
        )
        .await,
    )
    .await;
    let kept = created(
        app.upload(
            "rtssigning",
            &tpp.csr(&tpp.rsa_key("s2", 2048), &subject, &[]),
        )
        .await,
    )
    .await;
    let gone = kid(&revoked);
    let kept = kid(&kept);

    let response = revoke(
        &app,
        "rtssigning",
        &gone,
        &json!({"RevokeReason": "keycompromise"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.bytes().await.unwrap().is_empty());

    let read = json_ok(app.get(&record_path("rtssigning", &gone)).await).await;
    assert_eq!(read["Status"], "Revoked");
    assert_eq!(read["RevokeReason"], "keycompromise");
    let at = read["RevokedDateTime"].as_str().expect("RevokedDateTime");
    assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "{at}");
    let other = json_ok(app.get(&record_path("rtssigning", &kept)).await).await;
    assert_eq!(other["Status"], "Active");
    assert!(other.get("RevokedDateTime").is_none());

    let active = [
        format!("{ORG}/{SS}/application.jwks"),
        format!("{ORG}/application.jwks"),
    ];
    for document in active {
        let kids = app.jwks_kids(&keystore(&app, &document)).await;
        assert!(!kids.contains(&gone), "{document}: {kids:?}");
        assert!(kids.contains(&kept), "{document}: {kids:?}");
    }
    let inactive = [
        format!("{ORG}/{SS}/inactive/application.jwks"),
        format!("{ORG}/inactive/application.jwks"),
    ];
    for document in inactive {
        let kids = app.jwks_kids(&keystore(&app, &document)).await;
        assert_eq!(kids, vec![gone.clone()], "{document}");
    }
    let inactive_transport = keystore(&app, &format!("{ORG}/{SS}/inactive/transport.jwks"));
    assert!(app.jwks_kids(&inactive_transport).await.is_empty());
}

#[tokio::test]
async fn revoking_a_transport_certificate_moves_it_to_the_inactive_transport_set() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let record = created(
        app.upload(
            "rtstransport",
            &tpp.csr(&tpp.rsa_key("t", 2048), &obie_subject(ORG, SS), &[]),
        )
        .await,
    )
    .await;
    let kid = kid(&record);
    let transport = keystore(&app, &format!("{ORG}/{SS}/transport.jwks"));
    assert_eq!(app.jwks_kids(&transport).await, vec![kid.clone()]);

    let response = revoke(
        &app,
        "rtstransport",
        &kid,
        &json!({"RevokeReason": "superseded"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    assert!(app.jwks_kids(&transport).await.is_empty());
    let inactive = keystore(&app, &format!("{ORG}/{SS}/inactive/transport.jwks"));
    assert_eq!(app.jwks_kids(&inactive).await, vec![kid.clone()]);
    let inactive_application = keystore(&app, &format!("{ORG}/{SS}/inactive/application.jwks"));
    assert!(app.jwks_kids(&inactive_application).await.is_empty());
    let organisation = keystore(&app, &format!("{ORG}/application.jwks"));
    assert!(!app.jwks_kids(&organisation).await.contains(&kid));
    // The organisation's documents split the same way.
    let organisation_inactive = keystore(&app, &format!("{ORG}/inactive/transport.jwks"));
    assert_eq!(
        app.jwks_kids(&organisation_inactive).await,
        vec![kid.clone()]
    );
    let organisation_inactive = keystore(&app, &format!("{ORG}/inactive/application.jwks"));
    assert!(app.jwks_kids(&organisation_inactive).await.is_empty());
}

#[tokio::test]
async fn revoking_twice_is_a_400_that_says_it_is_already_revoked() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let record = created(
        app.upload("sigkey", &tpp.public_key_pem(&tpp.ec_key("k", "P-256")))
            .await,
    )
    .await;
    let kid = kid(&record);
    let body = json!({"RevokeReason": "cessationofoperation"});
    assert_eq!(
        revoke(&app, "sigkey", &kid, &body).await.status(),
        StatusCode::NO_CONTENT
    );
    let first = json_ok(app.get(&record_path("sigkey", &kid)).await).await;

    let again = json!({"RevokeReason": "keycompromise"});
    assert_error(
        revoke(&app, "sigkey", &kid, &again).await,
        StatusCode::BAD_REQUEST,
        "already revoked",
    )
    .await;
    let second = json_ok(app.get(&record_path("sigkey", &kid)).await).await;
    assert_eq!(second, first, "the refused revocation changed nothing");
    assert_eq!(second["RevokeReason"], "cessationofoperation");
}

#[tokio::test]
async fn the_revoke_reason_must_be_given_and_be_one_of_the_five() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let record = created(
        app.upload("sigkey", &tpp.public_key_pem(&tpp.ec_key("k", "P-256")))
            .await,
    )
    .await;
    let kid = kid(&record);

    assert_error(
        revoke(&app, "sigkey", &kid, &json!({"RevokeReason": "lost"})).await,
        StatusCode::BAD_REQUEST,
        "unspecified, keycompromise, superseded, cessationofoperation, privilegewithdrawn",
    )
    .await;
    assert_error(
        revoke(&app, "sigkey", &kid, &json!({})).await,
        StatusCode::BAD_REQUEST,
        "RevokeReason: RevokeReason must be provided",
    )
    .await;

    let read = json_ok(app.get(&record_path("sigkey", &kid)).await).await;
    assert_eq!(read["Status"], "Active");
    let application = keystore(&app, &format!("{ORG}/{SS}/application.jwks"));
    assert_eq!(app.jwks_kids(&application).await, vec![kid]);
}

#[tokio::test]
async fn revoking_an_unknown_kid_or_under_the_wrong_type_is_404() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let record = created(
        app.upload("sigkey", &tpp.public_key_pem(&tpp.ec_key("k", "P-256")))
            .await,
    )
    .await;
    let body = json!({"RevokeReason": "unspecified"});
    assert_error(
        revoke(&app, "enckey", &kid(&record), &body).await,
        StatusCode::NOT_FOUND,
        "no enckey certificate or key",
    )
    .await;
    assert_error(
        revoke(&app, "sigkey", "no-such-kid", &body).await,
        StatusCode::NOT_FOUND,
        "'no-such-kid'",
    )
    .await;
}

#[tokio::test]
async fn after_revocation_the_same_key_can_be_certified_again_under_a_new_kid() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let csr = tpp.csr(&tpp.rsa_key("k", 2048), &obie_subject(ORG, SS), &[]);
    let first = created(app.upload("rtssigning", &csr).await).await;
    assert_eq!(
        revoke(
            &app,
            "rtssigning",
            &kid(&first),
            &json!({"RevokeReason": "superseded"})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );

    let second = created(app.upload("rtssigning", &csr).await).await;
    assert_ne!(kid(&second), kid(&first));
    assert_eq!(second["Status"], "Active");
    assert_eq!(second["n"], first["n"], "the same public key");

    let application = keystore(&app, &format!("{ORG}/{SS}/application.jwks"));
    assert_eq!(app.jwks_kids(&application).await, vec![kid(&second)]);
    let inactive = keystore(&app, &format!("{ORG}/{SS}/inactive/application.jwks"));
    assert_eq!(app.jwks_kids(&inactive).await, vec![kid(&first)]);
}

#[tokio::test]
async fn brseal_is_issued_to_the_organisation_with_digital_signature_and_non_repudiation() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let csr = tpp.csr(&tpp.rsa_key("brseal", 2048), &brseal_subject(ORG), &[]);
    let response = upload_to_organisation(&app, Some("brseal"), &csr).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["content-type"], "application/jwk+json");
    let record: Value = response.json().await.unwrap();
    assert_eq!(record["keyType"], "brseal");
    assert_eq!(record["OrganisationId"], ORG);
    assert_eq!(record["SoftwareStatementIds"], json!([]));
    assert_eq!(record["ClientName"], "Demo TPP Ltda");
    assert_eq!(record["use"], "sig");

    let leaf = pem_of(record["x5c"][0].as_str().unwrap());
    let text = tpp.describe(&leaf);
    assert!(
        text.contains(
            "X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation"
        ),
        "{text}"
    );
    assert!(text.contains(&format!("UID = {ORG}")), "{text}");

    let kid = kid(&record);
    let signed = record["SignedCertPath"].as_str().unwrap();
    assert!(
        signed.ends_with(&format!("/keystore/{ORG}/{kid}.pem")),
        "{signed}"
    );
    let response = app.get_public(signed).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap().trim(), leaf.trim());

    let organisation = keystore(&app, &format!("{ORG}/application.jwks"));
    assert!(app.jwks_kids(&organisation).await.contains(&kid));
    let statement = keystore(&app, &format!("{ORG}/{SS}/application.jwks"));
    assert!(!app.jwks_kids(&statement).await.contains(&kid));

    let wrong = tpp.csr(
        &tpp.rsa_key("wrong", 2048),
        "/C=BR/O=Demo/UID=someone-else/CN=demo-tpp",
        &[],
    );
    assert_error(
        upload_to_organisation(&app, Some("brseal"), &wrong).await,
        StatusCode::BAD_REQUEST,
        &format!("is 'someone-else' but the organisation's participant code is '{ORG}'"),
    )
    .await;
}

#[tokio::test]
async fn an_organisation_upload_without_a_type_is_rtsseal() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let csr = tpp.csr(&tpp.rsa_key("seal", 2048), &organisation_subject("OU"), &[]);
    let record = created(upload_to_organisation(&app, None, &csr).await).await;
    assert_eq!(record["keyType"], "rtsseal");
    assert_eq!(record["use"], "sig");
    assert_eq!(record["SoftwareStatementIds"], json!([]));
    let text = tpp.describe(&pem_of(record["x5c"][0].as_str().unwrap()));
    assert!(
        text.contains("Digital Signature, Non Repudiation"),
        "{text}"
    );

    let wrong = tpp.csr(&tpp.rsa_key("w", 2048), "/OU=other-org/CN=x", &[]);
    assert_error(
        upload_to_organisation(&app, None, &wrong).await,
        StatusCode::BAD_REQUEST,
        &format!("OU: is 'other-org' but the organisation is '{ORG}'"),
    )
    .await;
}

#[tokio::test]
async fn rtswac_is_a_tls_server_and_client_certificate() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let csr = tpp.csr(
        &tpp.rsa_key("wac", 2048),
        &organisation_subject("OU"),
        &["-addext", "subjectAltName=DNS:tpp.example"],
    );
    let record = created(upload_to_organisation(&app, Some("rtswac"), &csr).await).await;
    assert_eq!(record["keyType"], "rtswac");
    assert_eq!(record["use"], "tls");
    let text = tpp.describe(&pem_of(record["x5c"][0].as_str().unwrap()));
    assert!(
        text.contains("TLS Web Server Authentication, TLS Web Client Authentication"),
        "{text}"
    );
}

#[tokio::test]
async fn qwac_takes_a_certificate_issued_elsewhere_and_refuses_a_csr() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let ca = app.trusted_ca(&tpp, "qtsp-ca").await;
    let key = tpp.rsa_key("qwac", 2048);
    let external = tpp.signed_by(&ca, &key, "/C=BR/O=Demo TPP Ltda/CN=tpp.example", 365);
    let record = created(upload_to_organisation(&app, Some("qwac"), &external).await).await;
    assert_eq!(record["keyType"], "qwac");
    assert_eq!(record["use"], "tls");
    assert_eq!(
        pem_of(record["x5c"][0].as_str().unwrap()).trim(),
        external.trim()
    );

    let csr = tpp.csr(&key, "/C=BR/O=Demo TPP Ltda/CN=tpp.example", &[]);
    assert_error(
        upload_to_organisation(&app, Some("qwac"), &csr).await,
        StatusCode::BAD_REQUEST,
        "expected an issued certificate (CERTIFICATE) but the body holds a certificate signing request",
    )
    .await;
}

#[tokio::test]
async fn a_statement_type_in_the_organisation_path_is_a_400_naming_the_field() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let key = tpp.public_key_pem(&tpp.ec_key("k", "P-256"));
    assert_error(
        upload_to_organisation(&app, Some("sigkey"), &key).await,
        StatusCode::BAD_REQUEST,
        "OrganisationCertificateType: must be one of qwac, qseal, rtswac, rtsseal, brseal, brseal_ext, rtstransport_rs",
    )
    .await;
    assert_error(
        app.get(&format!("/organisations/{ORG}/certificates/sigkey"))
            .await,
        StatusCode::BAD_REQUEST,
        "OrganisationCertificateType",
    )
    .await;
}

#[tokio::test]
async fn organisation_certificates_are_listed_filtered_by_type_and_read_by_kid() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let seal = created(
        upload_to_organisation(
            &app,
            Some("brseal"),
            &tpp.csr(&tpp.rsa_key("b", 2048), &brseal_subject(ORG), &[]),
        )
        .await,
    )
    .await;
    let wac = created(
        upload_to_organisation(
            &app,
            Some("rtswac"),
            &tpp.csr(&tpp.rsa_key("w", 2048), &organisation_subject("OU"), &[]),
        )
        .await,
    )
    .await;
    // A statement's certificate is not the organisation's own.
    let statement = created(
        app.upload(
            "rtssigning",
            &tpp.csr(&tpp.rsa_key("s", 2048), &obie_subject(ORG, SS), &[]),
        )
        .await,
    )
    .await;

    let all = json_ok(app.get(&format!("/organisations/{ORG}/certificates")).await).await;
    let mut kids: Vec<String> = all.as_array().unwrap().iter().map(kid).collect();
    kids.sort();
    let mut expected = vec![kid(&seal), kid(&wac)];
    expected.sort();
    assert_eq!(kids, expected);

    let seals = json_ok(
        app.get(&format!("/organisations/{ORG}/certificates/brseal"))
            .await,
    )
    .await;
    let seal_kids: Vec<String> = seals.as_array().unwrap().iter().map(kid).collect();
    assert_eq!(seal_kids, vec![kid(&seal)]);
    let none = json_ok(
        app.get(&format!("/organisations/{ORG}/certificates/qseal"))
            .await,
    )
    .await;
    assert_eq!(none, json!([]));

    let response = app
        .get(&format!(
            "/organisations/{ORG}/certificates/kid/{}",
            kid(&wac)
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/jwk+json");
    let read: Value = response.json().await.unwrap();
    assert_eq!(read, wac);
    assert_error(
        app.get(&format!(
            "/organisations/{ORG}/certificates/kid/{}",
            kid(&statement)
        ))
        .await,
        StatusCode::NOT_FOUND,
        &kid(&statement),
    )
    .await;

    // Signing keys in the organisation's application.jwks, its statements'
    // included; the rtswac TLS certificate in its transport.jwks.
    let organisation = keystore(&app, &format!("{ORG}/application.jwks"));
    let mut published = app.jwks_kids(&organisation).await;
    published.sort();
    let mut expected = vec![kid(&seal), kid(&statement)];
    expected.sort();
    assert_eq!(published, expected);
    let transport = keystore(&app, &format!("{ORG}/transport.jwks"));
    assert_eq!(app.jwks_kids(&transport).await, vec![kid(&wac)]);
}

#[tokio::test]
async fn an_expired_certificate_leaves_the_active_set_and_its_key_may_be_certified_again() {
    let start = chrono::DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
        .unwrap()
        .to_utc();
    let app = spawn_app_with(AppOptions {
        now: Some(start),
        ..Default::default()
    })
    .await;
    let tpp = Tpp::new();
    let csr = tpp.csr(&tpp.rsa_key("k", 2048), &obie_subject(ORG, SS), &[]);
    let response = app.upload("rtssigning", &csr).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let kid = response.json::<Value>().await.unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_owned();
    let active = app.url(&format!("/keystore/{ORG}/{SS}/application.jwks"));
    let inactive = app.url(&format!("/keystore/{ORG}/{SS}/inactive/application.jwks"));
    assert_eq!(app.jwks_kids(&active).await, vec![kid.clone()]);

    // Thirteen months and a day later the certificate has expired.
    app.clock
        .as_ref()
        .unwrap()
        .set(start + chrono::Duration::days(13 * 31 + 1));
    assert!(app.jwks_kids(&active).await.is_empty());
    assert_eq!(app.jwks_kids(&inactive).await, vec![kid.clone()]);
    let response = app.upload("rtssigning", &csr).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "renewal with the same key"
    );
}

#[tokio::test]
async fn uploads_and_revocations_are_audited_with_actor_and_interaction_id() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let csr = tpp.csr(&tpp.rsa_key("k", 2048), &obie_subject(ORG, SS), &[]);
    let response = app
        .client
        .post(app.url(&TestApp::certificates_path(ORG, SS, "rtssigning")))
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/x-pem-file")
        .header("x-fapi-interaction-id", "upload-1")
        .body(csr)
        .send()
        .await
        .unwrap();
    let kid = response.json::<Value>().await.unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = app.upload("rtssigning", "not pem").await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let revoked = app
        .put_json(
            &format!(
                "{}/{kid}",
                TestApp::certificates_path(ORG, SS, "rtssigning")
            ),
            &json!({"RevokeReason": "superseded"}),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);

    let events: Value = app
        .get("/admin/events?type=DIRECTORY_CERTIFICATE_*")
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "DIRECTORY_CERTIFICATE_UPLOAD_START",
            "DIRECTORY_CERTIFICATE_UPLOAD_SUCCESS",
            "DIRECTORY_CERTIFICATE_UPLOAD_START",
            "DIRECTORY_CERTIFICATE_UPLOAD_FAIL",
            "DIRECTORY_CERTIFICATE_REVOKE_START",
            "DIRECTORY_CERTIFICATE_REVOKE_SUCCESS",
        ]
    );
    let first = &events["events"][0];
    assert_eq!(first["actor"], "admin");
    assert_eq!(first["interactionId"], "upload-1");
    assert!(
        events["events"][3]["detail"]
            .as_str()
            .unwrap()
            .contains("not PEM")
    );
    let limited: Value = app
        .get("/admin/events?type=DIRECTORY_CERTIFICATE_*&limit=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(limited["events"].as_array().unwrap().len(), 2);
}
