//! Under its authorisation server a bank publishes API resources, their
//! discovery endpoints and its certifications: the spec's fields and
//! enums, https URLs only, its own organisation only, and a deleted server
//! takes them with it.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const SERVER: &str =
    "/organisations/c8f0bf49-4744-4933-8960-7add6e590841/authorisationservers/as-wren-1";

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

async fn publish_server(app: &TestApp) {
    let server = json!({
        "AuthorisationServerId": "as-wren-1",
        "AutoRegistrationSupported": true,
        "CustomerFriendlyName": "Wren Bank",
        "CustomerFriendlyDescription": "Wren's retail banking",
        "OpenIDDiscoveryDocument": "https://auth.wren.example/.well-known/openid-configuration"
    });
    let path = format!("/organisations/{ORG}/authorisationservers");
    assert_eq!(
        app.post_json(&path, &server).await.status(),
        StatusCode::CREATED
    );
}

fn resource(family: &str, version: &str) -> Value {
    json!({
        "ApiFamilyType": family,
        "ApiVersion": version,
        "ApiEndpoint": format!("https://api.wren.example/open-banking/{family}/v{version}"),
        "CertificationStatus": "Self-Certified",
        "CertificationStartDate": "01/06/2026",
        "ApiCertificationUri": "https://conformance.example/submissions/accounts.zip",
        "FamilyComplete": true
    })
}

#[tokio::test]
async fn resources_endpoints_and_certifications_are_published_and_shown_in_their_server() {
    let app = spawn_app().await;
    assert!(SERVER.contains(ORG));
    publish_server(&app).await;
    let resources = format!("{SERVER}/apiresources");
    let made = json_of(
        app.post_json(&resources, &resource("accounts", "2.0.1"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = made["ApiResourceId"].as_str().unwrap().to_owned();
    assert_eq!(made["ApiFamilyType"], "accounts");
    assert_eq!(made["CertificationStatus"], "Self-Certified");
    assert_eq!(made["CertificationStartDate"], "01/06/2026");
    assert_eq!(made["CertificationExpirationDate"], Value::Null);
    assert_eq!(made["FamilyComplete"], true);
    let first = &made["ApiDiscoveryEndpoints"][0];
    assert_eq!(
        first["ApiEndpoint"],
        "https://api.wren.example/open-banking/accounts/v2.0.1"
    );
    assert!(first["ApiDiscoveryId"].is_string());

    let one = format!("{resources}/{id}");
    assert_eq!(json_of(app.get(&one).await, StatusCode::OK).await, made);
    let endpoints = format!("{one}/apidiscoveryendpoints");
    let added = json_of(
        app.post_json(
            &endpoints,
            &json!({"ApiEndpoint": "https://api.wren.example/open-banking/accounts/v2/balances"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let endpoint = format!("{endpoints}/{}", added["ApiDiscoveryId"].as_str().unwrap());
    let moved =
        json!({"ApiEndpoint": "https://api.wren.example/open-banking/accounts/v2/accounts"});
    let replaced = json_of(app.put_json(&endpoint, &moved).await, StatusCode::OK).await;
    assert_eq!(replaced["ApiDiscoveryId"], added["ApiDiscoveryId"]);
    assert_eq!(
        json_of(app.get(&endpoint).await, StatusCode::OK).await,
        replaced
    );
    let listed = json_of(app.get(&endpoints).await, StatusCode::OK).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(listed[1], replaced);

    // A PUT replaces the resource's fields and keeps its endpoints.
    let mut changed = resource("accounts", "2.0.1");
    changed["CertificationStatus"] = json!("Certified");
    changed.as_object_mut().unwrap().remove("ApiEndpoint");
    let updated = json_of(app.put_json(&one, &changed).await, StatusCode::OK).await;
    assert_eq!(updated["CertificationStatus"], "Certified");
    assert_eq!(updated["ApiDiscoveryEndpoints"], listed);
    assert_eq!(app.delete(&endpoint).await.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get(&endpoint).await,
        StatusCode::NOT_FOUND,
        "discovery endpoint",
    )
    .await;

    // The family status is the latest version of each family.
    json_of(
        app.post_json(&resources, &resource("accounts", "2.0.10"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    json_of(
        app.post_json(&resources, &resource("payments", "1.0.0"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let status = json_of(
        app.get(&format!("{SERVER}/familystatus")).await,
        StatusCode::OK,
    )
    .await;
    let latest: Vec<(&str, &str)> = status
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ApiFamilyType"].as_str().unwrap(),
                r["ApiVersion"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(latest, [("accounts", "2.0.10"), ("payments", "1.0.0")]);

    let certifications = format!("{SERVER}/certifications");
    let certification = json!({
        "ProfileType": "Redirect",
        "ProfileVariant": "FAPI Adv. OP w/ MTLS",
        "ProfileVersion": 1,
        "Status": "Certified",
        "CertificationStartDate": "15/03/2026",
        "CertificationURI": "https://openid.net/certification/wren.zip"
    });
    let held = json_of(
        app.post_json(&certifications, &certification).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(held["AuthorisationServerId"], "as-wren-1");
    assert_eq!(held["ProfileVersion"], 1.0);
    let held_path = format!(
        "{certifications}/{}",
        held["CertificationId"].as_str().unwrap()
    );
    assert_eq!(
        json_of(app.get(&held_path).await, StatusCode::OK).await,
        held
    );

    let server = json_of(app.get(SERVER).await, StatusCode::OK).await;
    assert_eq!(server["ApiResources"].as_array().unwrap().len(), 3);
    assert_eq!(server["AuthorisationServerCertifications"], json!([held]));

    // Deleting the server deletes what hangs from it.
    assert_eq!(app.delete(&one).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.delete(SERVER).await.status(), StatusCode::NO_CONTENT);
    publish_server(&app).await;
    assert_eq!(
        json_of(app.get(&resources).await, StatusCode::OK).await,
        json!([])
    );
    assert_eq!(
        json_of(app.get(&certifications).await, StatusCode::OK).await,
        json!([])
    );

    let events = json_of(app.get("/admin/events").await, StatusCode::OK).await;
    let types: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    for expected in [
        "DIRECTORY_API_RESOURCE_CREATE_SUCCESS",
        "DIRECTORY_API_RESOURCE_UPDATE_SUCCESS",
        "DIRECTORY_API_RESOURCE_DELETE_SUCCESS",
        "DIRECTORY_API_DISCOVERY_ENDPOINT_CREATE_SUCCESS",
        "DIRECTORY_API_DISCOVERY_ENDPOINT_UPDATE_SUCCESS",
        "DIRECTORY_API_DISCOVERY_ENDPOINT_DELETE_SUCCESS",
        "DIRECTORY_AUTHORISATION_SERVER_CERTIFICATION_CREATE_SUCCESS",
    ] {
        assert!(types.contains(&expected), "{expected} not in {types:?}");
    }
}

#[tokio::test]
async fn an_http_endpoint_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    publish_server(&app).await;
    let resources = format!("{SERVER}/apiresources");
    let mut plain = resource("accounts", "2.0.1");
    plain["ApiEndpoint"] = json!("http://api.wren.example/open-banking/accounts/v2");
    assert_error(
        app.post_json(&resources, &plain).await,
        StatusCode::BAD_REQUEST,
        "ApiEndpoint: must be a URI starting with https://",
    )
    .await;
    assert_eq!(
        json_of(app.get(&resources).await, StatusCode::OK).await,
        json!([])
    );
}

#[tokio::test]
async fn an_organisation_token_cannot_write_under_another_organisations_server() {
    let app = spawn_app().await;
    publish_server(&app).await;
    let other = json!({"OrganisationId": "org-b", "OrganisationName": "B"});
    assert_eq!(
        app.post_json("/organisations", &other).await.status(),
        StatusCode::CREATED
    );
    let server = json!({"AuthorisationServerId": "as-b", "AutoRegistrationSupported": false,
        "CustomerFriendlyName": "B", "CustomerFriendlyDescription": "B"});
    assert_eq!(
        app.post_json("/organisations/org-b/authorisationservers", &server)
            .await
            .status(),
        StatusCode::CREATED
    );
    let token = crate::oauth::access_token(&app, &Tpp::new()).await;
    let send = |method: Method, path: &str, body: Value| {
        app.client
            .request(method, app.url(path))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let theirs = "/organisations/org-b/authorisationservers/as-b";
    let certification = json!({"ProfileVariant": "FAPI Adv. OP w/ MTLS", "ProfileVersion": 1});
    for (method, path, body) in [
        (
            Method::POST,
            format!("{theirs}/apiresources"),
            resource("accounts", "1.0.0"),
        ),
        (Method::GET, format!("{theirs}/apiresources"), json!({})),
        (
            Method::POST,
            format!("{theirs}/certifications"),
            certification,
        ),
        (Method::GET, format!("{theirs}/familystatus"), json!({})),
    ] {
        let refused = send(method.clone(), &path, body).await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{method} {path}");
    }
    let own = send(
        Method::POST,
        &format!("{SERVER}/apiresources"),
        resource("accounts", "1.0.0"),
    )
    .await
    .unwrap();
    assert_eq!(own.status(), StatusCode::CREATED);
}
