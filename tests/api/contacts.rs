//! An organisation's contacts: the spec's fields and ContactType enum, its
//! e-mail pattern, paged lists, the participants document at once, and its
//! own organisation only.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::spec_schema::Spec;

fn contacts_path(org: &str) -> String {
    format!("/organisations/{org}/contacts")
}

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

fn security_desk() -> Value {
    json!({
        "ContactType": "Security",
        "EmailAddress": "security@demo-tpp.example",
        "PhoneNumber": "+5511987654321",
        "FirstName": "Ana",
        "LastName": "Souza",
        "Department": "Segurança da Informação",
        "City": "São Paulo",
        "Country": "BR",
    })
}

fn participant<'a>(document: &'a Value, org: &str) -> &'a Value {
    document
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["OrganisationId"] == org)
        .unwrap()
}

#[tokio::test]
async fn a_contact_is_added_read_listed_replaced_and_deleted_and_shown_in_the_participants_document()
 {
    let app = spawn_app().await;
    let spec = Spec::directory();
    let made = json_of(
        app.post_json(&contacts_path(ORG), &security_desk()).await,
        StatusCode::CREATED,
    )
    .await;
    assert!(spec.problems("Contact", &made).is_empty(), "{made}");
    assert_eq!(made["OrganisationId"], ORG);
    assert_eq!(made["ContactType"], "Security");
    let one = format!(
        "{}/{}",
        contacts_path(ORG),
        made["ContactId"].as_str().unwrap()
    );
    assert_eq!(json_of(app.get(&one).await, StatusCode::OK).await, made);
    let page = json_of(app.get(&contacts_path(ORG)).await, StatusCode::OK).await;
    assert!(spec.problems("ContactsPage", &page).is_empty(), "{page}");
    assert_eq!(page["content"], json!([made]));
    assert_eq!(page["totalSize"], 1);

    let document: Value = app
        .get_public(&app.url("/participants"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(participant(&document, ORG)["Contacts"], json!([made]));

    let mut changed = security_desk();
    changed["ContactType"] = json!("Incident");
    changed["EmailAddress"] = json!("incidents@demo-tpp.example");
    let replaced = json_of(app.put_json(&one, &changed).await, StatusCode::OK).await;
    assert_eq!(replaced["ContactType"], "Incident");
    assert_eq!(replaced["ContactId"], made["ContactId"]);

    assert_eq!(app.delete(&one).await.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get(&one).await,
        StatusCode::NOT_FOUND,
        "ContactId: contact",
    )
    .await;
    let events = json_of(
        app.get("/admin/events?type=DIRECTORY_CONTACT*").await,
        StatusCode::OK,
    )
    .await;
    let succeeded = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["outcome"] == "SUCCESS")
        .count();
    assert_eq!(succeeded, 3);
}

#[tokio::test]
async fn an_organisation_token_keeps_its_own_contacts_only() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let token = crate::oauth::access_token(&app, &tpp).await;
    assert_eq!(
        app.post_json(
            "/organisations",
            &json!({"OrganisationId": "org-b", "OrganisationName": "B"})
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    let as_client = |method: Method, path: String| {
        app.client
            .request(method, app.url(&path))
            .bearer_auth(&token)
    };
    let own = as_client(Method::POST, contacts_path(ORG))
        .json(&security_desk())
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::CREATED);
    let other = as_client(Method::POST, contacts_path("org-b"))
        .json(&security_desk())
        .send()
        .await
        .unwrap();
    assert_error(
        other,
        StatusCode::FORBIDDEN,
        "may not act on organisation 'org-b'",
    )
    .await;
    let read = as_client(Method::GET, contacts_path("org-b"))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::FORBIDDEN);
}
