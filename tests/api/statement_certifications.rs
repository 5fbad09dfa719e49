//! A software statement's conformance certifications: the server
//! certification's fields and rules, under a statement that is there.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn certifications_path() -> String {
    format!("/organisations/{ORG}/softwarestatements/{SS}/certifications")
}

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    let got = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(got, status, "{body}");
    body
}

fn certification() -> Value {
    json!({
        "ProfileType": "Relying Party",
        "ProfileVariant": "FAPI Adv. RP w/ Private Key, PAR",
        "ProfileVersion": 1.1,
        "Status": "Self-Certified",
        "CertificationStartDate": "01/06/2026",
        "CertificationURI": "https://conformance.example/tpp/plan.zip",
    })
}

#[tokio::test]
async fn a_statement_certification_is_added_read_replaced_and_deleted() {
    let app = spawn_app().await;
    let made = json_of(
        app.post_json(&certifications_path(), &certification())
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(made["SoftwareStatementId"], SS);
    assert_eq!(made["Status"], "Self-Certified");
    assert_eq!(made["CertificationStartDate"], "01/06/2026");
    let one = format!(
        "{}/{}",
        certifications_path(),
        made["CertificationId"].as_str().unwrap()
    );
    assert_eq!(json_of(app.get(&one).await, StatusCode::OK).await, made);
    assert_eq!(
        json_of(app.get(&certifications_path()).await, StatusCode::OK).await,
        json!([made])
    );
    let mut changed = certification();
    changed["Status"] = json!("Certified");
    let replaced = json_of(app.put_json(&one, &changed).await, StatusCode::OK).await;
    assert_eq!(replaced["Status"], "Certified");
    assert_eq!(replaced["CertificationId"], made["CertificationId"]);

    let mut bad = certification();
    bad["CertificationStartDate"] = json!("2026-06-01");
    assert_error(
        app.put_json(&one, &bad).await,
        StatusCode::BAD_REQUEST,
        "CertificationStartDate: Date must match the format of dd/mm/yyyy",
    )
    .await;
    assert_eq!(app.delete(&one).await.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get(&one).await,
        StatusCode::NOT_FOUND,
        "SoftwareStatementCertificationId: certification",
    )
    .await;
    assert_error(
        app.post_json(
            &format!("/organisations/{ORG}/softwarestatements/nobody/certifications"),
            &certification(),
        )
        .await,
        StatusCode::NOT_FOUND,
        "SoftwareStatementId: software statement 'nobody' does not exist",
    )
    .await;
}
