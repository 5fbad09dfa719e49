//! The users of an authorisation domain: plain records in the spec's shape,
//! one per e-mail and role, in a domain of the reference catalogue.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::spec_schema::Spec;

fn users_path() -> String {
    format!("/organisations/{ORG}/Open%20Banking/users")
}

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    let got = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(got, status, "{body}");
    body
}

fn user(email: &str, role: &str) -> Value {
    json!({
        "Email": email,
        "AuthorisationDomainRole": role,
        "ContactRole": "PTC",
        "System": "Directory",
    })
}

#[tokio::test]
async fn a_domain_user_is_added_listed_changed_and_removed() {
    let app = spawn_app().await;
    let spec = Spec::directory();
    let made = json_of(
        app.post_json(&users_path(), &user("ana@demo-tpp.example", "DADOS"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        spec.problems("AuthorisationDomainUser", &made).is_empty(),
        "{made}"
    );
    assert_eq!(made["AuthorisationDomain"], "Open Banking");
    assert_eq!(made["Status"], "Active");
    // The same person in a second role is a second record; the same role twice is a 409.
    json_of(
        app.post_json(&users_path(), &user("ana@demo-tpp.example", "PAGTO"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_error(
        app.post_json(&users_path(), &user("ana@demo-tpp.example", "PAGTO"))
            .await,
        StatusCode::CONFLICT,
        "already taken",
    )
    .await;
    json_of(
        app.post_json(&users_path(), &user("rui@demo-tpp.example", "DADOS"))
            .await,
        StatusCode::CREATED,
    )
    .await;

    let page = json_of(app.get(&users_path()).await, StatusCode::OK).await;
    assert!(
        spec.problems("AuthorisationDomainUsersPage", &page)
            .is_empty()
    );
    assert_eq!(page["totalSize"], 3);
    let ana = format!("{}/ana@demo-tpp.example", users_path());
    let hers = json_of(app.get(&ana).await, StatusCode::OK).await;
    assert_eq!(hers["totalSize"], 2);

    let changed = json_of(
        app.put_json(&ana, &json!({"Status": "Inactive", "ContactRole": "STC"}))
            .await,
        StatusCode::OK,
    )
    .await;
    for record in changed.as_array().unwrap() {
        assert_eq!(record["Status"], "Inactive");
        assert_eq!(record["ContactRole"], "STC");
        assert_eq!(record["System"], "Directory");
    }
    assert_error(
        app.put_json(&ana, &json!({"Email": "other@demo-tpp.example"}))
            .await,
        StatusCode::BAD_REQUEST,
        "Email: cannot be changed",
    )
    .await;
    assert_eq!(app.delete(&ana).await.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get(&ana).await,
        StatusCode::NOT_FOUND,
        "UserEmailId: user",
    )
    .await;
    let page = json_of(app.get(&users_path()).await, StatusCode::OK).await;
    assert_eq!(page["totalSize"], 1);
}

#[tokio::test]
async fn a_user_needs_a_domain_and_role_of_the_catalogue_and_the_specs_enums() {
    let app = spawn_app().await;
    assert_error(
        app.post_json(
            &format!("/organisations/{ORG}/PSD2/users"),
            &user("ana@demo-tpp.example", "DADOS"),
        )
        .await,
        StatusCode::NOT_FOUND,
        "AuthorisationDomainName: authorisation domain 'PSD2'",
    )
    .await;
    assert_error(
        app.post_json(&users_path(), &user("ana@demo-tpp.example", "AISP"))
            .await,
        StatusCode::BAD_REQUEST,
        "AuthorisationDomainRole: 'AISP' is not a role of 'Open Banking'",
    )
    .await;
    let mut bad = user("ana@demo-tpp.example", "DADOS");
    bad["ContactRole"] = json!("CEO");
    bad["System"] = json!("Email");
    let response = app.post_json(&users_path(), &bad).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    let errors = body["errors"].to_string();
    assert!(
        errors.contains("ContactRole: must be one of PTC"),
        "{errors}"
    );
    assert!(
        errors.contains("System: must be one of Directory"),
        "{errors}"
    );
    assert_error(
        app.post_json(&users_path(), &user("not-an-email", "DADOS"))
            .await,
        StatusCode::BAD_REQUEST,
        "Email: EmailAddress must be a valid email",
    )
    .await;
    assert_error(
        app.get(&format!("{}/not-an-email", users_path())).await,
        StatusCode::BAD_REQUEST,
        "UserEmailId: EmailAddress must be a valid email",
    )
    .await;
    let page: Value = app.get(&users_path()).await.json().await.unwrap();
    assert_eq!(page["totalSize"], 0, "nothing was written");
}
