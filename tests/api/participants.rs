//! The public participants document: every organisation with its
//! authorisation servers, API resources, discovery endpoints and
//! certifications, in the spec's OrganisationExportOpenData shape, current
//! at once after a change, with a strong ETag and 304s.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::spec_schema::Spec;

async fn publish(app: &TestApp) {
    let servers = format!("/organisations/{ORG}/authorisationservers");
    let server = json!({
        "AuthorisationServerId": "as-wren-1",
        "AutoRegistrationSupported": true,
        "CustomerFriendlyName": "Wren Bank",
        "CustomerFriendlyDescription": "Wren's retail banking",
        "CustomerFriendlyLogoUri": "https://wren.example/logo.svg",
        "OpenIDDiscoveryDocument": "https://auth.wren.example/.well-known/openid-configuration",
        "DeprecatedDate": "2027-01-30",
        "NotificationWebhook": "https://hooks.wren.example/directory"
    });
    assert_eq!(
        app.post_json(&servers, &server).await.status(),
        StatusCode::CREATED
    );
    let resource = json!({"ApiFamilyType": "accounts", "ApiVersion": "2.0.1",
        "ApiEndpoint": "https://api.wren.example/open-banking/accounts/v2/accounts",
        "CertificationStatus": "Certified", "CertificationStartDate": "01/06/2026"});
    let path = format!("{servers}/as-wren-1/apiresources");
    assert_eq!(
        app.post_json(&path, &resource).await.status(),
        StatusCode::CREATED
    );
    let certification = json!({"ProfileType": "Redirect", "ProfileVariant": "FAPI Adv. OP w/ MTLS",
        "ProfileVersion": 1, "Status": "Certified", "CertificationStartDate": "15/03/2026",
        "CertificationURI": "https://openid.net/certification/wren.zip"});
    let path = format!("{servers}/as-wren-1/certifications");
    assert_eq!(
        app.post_json(&path, &certification).await.status(),
        StatusCode::CREATED
    );
}

async fn participants(app: &TestApp) -> (String, Value) {
    let response = app.get_public(&app.url("/participants")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let etag = response.headers()[ETAG].to_str().unwrap().to_owned();
    (etag, response.json().await.unwrap())
}

fn entry<'a>(document: &'a Value, org: &str) -> &'a Value {
    document
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["OrganisationId"] == org)
        .unwrap_or_else(|| panic!("{org} is not listed"))
}

#[tokio::test]
async fn a_published_server_is_in_the_document_at_once_in_the_spec_shape() {
    let app = spawn_app().await;
    let (_, before) = participants(&app).await;
    assert_eq!(entry(&before, ORG)["AuthorisationServers"], json!([]));
    publish(&app).await;

    let (_, document) = participants(&app).await;
    let spec = Spec::directory();
    for participant in document.as_array().unwrap() {
        let problems = spec.problems("OrganisationExportOpenData", participant);
        assert!(problems.is_empty(), "{problems:#?}");
        for key in spec.properties("OrganisationExportOpenData") {
            assert!(
                participant.get(&key).is_some(),
                "{key} is missing, not null"
            );
        }
    }
    let ours = entry(&document, ORG);
    assert_eq!(ours["Status"], "Active");
    assert_eq!(ours["OrgDomainClaims"], json!([]));
    // The licences fixtures/demo.json records.
    let mut roles: Vec<&str> = ours["OrgDomainRoleClaims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Role"].as_str().unwrap())
        .collect();
    roles.sort_unstable();
    assert_eq!(roles, ["DADOS", "PAGTO"]);
    let server = &ours["AuthorisationServers"][0];
    assert_eq!(
        server["OpenIDDiscoveryDocument"],
        "https://auth.wren.example/.well-known/openid-configuration"
    );
    assert_eq!(
        server["ApiResources"][0]["ApiDiscoveryEndpoints"][0]["ApiEndpoint"],
        "https://api.wren.example/open-banking/accounts/v2/accounts"
    );
    assert_eq!(
        server["AuthorisationServerCertifications"][0]["ProfileVariant"],
        "FAPI Adv. OP w/ MTLS"
    );
    // The document nests what the directory API answers for the server.
    let read: Value = app
        .get(&format!(
            "/organisations/{ORG}/authorisationservers/as-wren-1"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(server, &read);
    for key in spec.properties("AuthorisationServer") {
        assert!(
            server.get(&key).is_some(),
            "AuthorisationServer.{key} is missing"
        );
    }
}

#[tokio::test]
async fn a_strong_etag_answers_304_until_the_directory_changes() {
    let app = spawn_app().await;
    let first = app.get_public(&app.url("/participants")).await;
    let etag = first.headers()[ETAG].to_str().unwrap().to_owned();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "a strong ETag: {etag}"
    );
    let cache = first.headers()[CACHE_CONTROL].to_str().unwrap().to_owned();
    assert!(cache.starts_with("max-age="), "{cache}");
    let body = first.bytes().await.unwrap();

    let conditional = |tag: String| {
        app.client
            .get(app.url("/participants"))
            .header(IF_NONE_MATCH, tag)
            .send()
    };
    let unchanged = conditional(etag.clone()).await.unwrap();
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(unchanged.headers()[ETAG].to_str().unwrap(), etag);
    assert!(unchanged.bytes().await.unwrap().is_empty());
    let listed = conditional(format!("\"other\", W/{etag}")).await.unwrap();
    assert_eq!(
        listed.status(),
        StatusCode::NOT_MODIFIED,
        "weak comparison, as RFC 9110 has it"
    );
    let (again, _) = participants(&app).await;
    assert_eq!(again, etag, "the same bytes, the same tag");

    publish(&app).await;
    let changed = conditional(etag.clone()).await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let new_etag = changed.headers()[ETAG].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    assert_ne!(changed.bytes().await.unwrap(), body);

    // An organisation that is not Active is listed with its Status.
    let paused = app
        .put_json(
            &format!("/organisations/{ORG}"),
            &json!({"Status": "Withdrawn"}),
        )
        .await;
    assert_eq!(paused.status(), StatusCode::OK);
    let (_, document) = participants(&app).await;
    assert_eq!(entry(&document, ORG)["Status"], "Withdrawn");
}

#[tokio::test]
async fn the_document_is_public_and_answers_on_the_data_host() {
    let app = spawn_app_with(AppOptions {
        config: Some("[hosts]\n\"data.sandbox.directory.openbankingbrasil.org.br\" = \"data\"\n"),
        ..Default::default()
    })
    .await;
    let response = app
        .client
        .get(app.url("/participants"))
        .header("host", "data.sandbox.directory.openbankingbrasil.org.br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let document: Value = response.json().await.unwrap();
    entry(&document, ORG);
    // The data host serves the data face alone: the directory API is not there.
    let elsewhere = app
        .client
        .get(app.url(&format!("/organisations/{ORG}")))
        .bearer_auth(TOKEN)
        .header("host", "data.sandbox.directory.openbankingbrasil.org.br")
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
}

/// The schema check the document is held to does find what breaks the spec.
#[test]
fn the_spec_check_names_each_broken_rule() {
    let spec = Spec::directory();
    let broken = json!({
        "OrganisationId": ORG,
        "Status": "Paused",
        "AuthorisationServers": [{
            "CustomerFriendlyLogoUri": "https://bank.example/logo.png",
            "SupportsDCR": "yes",
            "ApiResources": [{"CertificationStartDate": "2021-12-31", "ApiFamilyType": ""}]
        }]
    });
    let problems = spec.problems("OrganisationExportOpenData", &broken);
    let at: Vec<&str> = problems
        .iter()
        .map(|p| p.split(':').next().unwrap())
        .collect();
    assert_eq!(
        at,
        [
            "$.AuthorisationServers[0].ApiResources[0].ApiFamilyType",
            "$.AuthorisationServers[0].ApiResources[0].CertificationStartDate",
            "$.AuthorisationServers[0].CustomerFriendlyLogoUri",
            "$.AuthorisationServers[0].SupportsDCR",
            "$.Status",
        ],
        "{problems:#?}"
    );
}

#[tokio::test]
async fn beside_tls_without_plain_http_the_plain_listener_serves_the_document_alone() {
    let app = spawn_app_with(AppOptions {
        config: Some("[tls]\nenabled = true\nbind = \"127.0.0.1:0\"\nplain = false\n"),
        ..Default::default()
    })
    .await;
    assert!(app.tls_address.is_some());
    let (_, document) = participants(&app).await;
    entry(&document, ORG);
    let refused = app.get(&format!("/organisations/{ORG}")).await;
    assert_eq!(refused.status(), StatusCode::MISDIRECTED_REQUEST);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["errors"][0]
            .as_str()
            .unwrap()
            .contains("served over https only"),
        "{body}"
    );
}

#[tokio::test]
async fn the_demo_is_two_banks_with_their_apis_and_a_tpp_licensed_to_use_them() {
    let app = spawn_app().await;
    let (_, document) = participants(&app).await;
    let spec = Spec::directory();
    for participant in document.as_array().unwrap() {
        let problems = spec.problems("OrganisationExportOpenData", participant);
        assert!(problems.is_empty(), "{problems:#?}");
    }
    let roles = |entry: &Value| -> Vec<String> {
        let mut roles: Vec<String> = entry["OrgDomainRoleClaims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["Role"].as_str().unwrap().to_owned())
            .collect();
        roles.sort_unstable();
        roles
    };
    assert_eq!(roles(entry(&document, ORG)), ["DADOS", "PAGTO"]);

    let aurora = entry(&document, AURORA);
    assert_eq!(aurora["OrganisationName"], "Banco Aurora S.A.");
    assert_eq!(roles(aurora), ["CONTA", "DADOS"]);
    let contact_types: Vec<&str> = aurora["Contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["ContactType"].as_str().unwrap())
        .collect();
    assert!(contact_types.contains(&"Technical"), "{contact_types:?}");
    let server = &aurora["AuthorisationServers"][0];
    assert_eq!(server["AuthorisationServerId"], AURORA_AS);
    assert_eq!(server["Issuer"], "https://auth.banco-aurora.example");
    assert_eq!(
        server["OpenIDDiscoveryDocument"],
        "https://auth.banco-aurora.example/.well-known/openid-configuration"
    );
    let families: Vec<&str> = server["ApiResources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ApiFamilyType"].as_str().unwrap())
        .collect();
    for family in ["consents", "resources", "accounts", "payments-pix"] {
        assert!(families.contains(&family), "{family} in {families:?}");
    }
    let endpoints: Vec<&str> = server["ApiResources"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["ApiDiscoveryEndpoints"].as_array().unwrap())
        .map(|e| e["ApiEndpoint"].as_str().unwrap())
        .collect();
    assert!(
        endpoints.contains(&"https://api.banco-aurora.example/open-banking/consents/v2/consents"),
        "{endpoints:?}"
    );

    let jacaranda = entry(&document, JACARANDA);
    assert_eq!(roles(jacaranda), ["CONTA", "DADOS"]);
    assert_eq!(
        jacaranda["AuthorisationServers"][0]["ApiResources"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}
