//! Every row of the certificate-type table can be uploaded, as its intake
//! says, to the holder it names, and is then listed there under its type.

use obdir::domain::certificate::{Holder, SubjectNaming, UploadBody};
use obdir::domain::{CertOrKeyType, KeyUse};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

/// A subject that names the statement or organisation as `naming` wants.
fn subject(naming: SubjectNaming) -> String {
    match naming {
        SubjectNaming::Obie => obie_subject(ORG, SS),
        SubjectNaming::Brazil | SubjectNaming::BrazilOrUnit => brazil_subject(ORG, SS),
        SubjectNaming::ObieOrganisation => format!("/C=BR/O=Demo TPP Ltda/OU={ORG}/CN=demo-tpp"),
        SubjectNaming::BrazilOrganisation => {
            format!("/C=BR/O=Demo TPP Ltda/UID={ORG}/CN=demo-tpp")
        }
        SubjectNaming::None => "/C=BR/O=Demo TPP Ltda/CN=tpp.example".to_owned(),
    }
}

#[tokio::test]
async fn every_type_in_the_table_is_uploaded_and_listed_under_its_holder() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let ca = app.trusted_ca(&tpp, "external-ca").await;
    for key_type in CertOrKeyType::all() {
        let rule = key_type.rule();
        let key = tpp.rsa_key(rule.name, 2048);
        let subject = subject(rule.naming);
        let san: &[&str] = match rule.key_use {
            KeyUse::Tls => &["-addext", "subjectAltName=DNS:tpp.example"],
            _ => &[],
        };
        let pem = match rule.intake {
            UploadBody::Csr => tpp.csr(&key, &subject, san),
            UploadBody::Certificate => tpp.signed_by(&ca, &key, &subject, 365),
            UploadBody::PublicKey => tpp.public_key_pem(&key),
        };
        let (upload, list) = match rule.holder {
            Holder::Statement => (
                TestApp::certificates_path(ORG, SS, rule.name),
                format!("/organisations/{ORG}/softwarestatements/{SS}/certificates"),
            ),
            Holder::Organisation => (
                format!("/organisations/{ORG}/certificates/{}", rule.name),
                format!("/organisations/{ORG}/certificates"),
            ),
        };
        let response = app
            .client
            .post(app.url(&upload))
            .bearer_auth(TOKEN)
            .header("Content-Type", "application/x-pem-file")
            .body(pem)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let record: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{}: {record}", rule.name);
        assert_eq!(record["keyType"], rule.name);
        let listed: Value = app.get(&list).await.json().await.unwrap();
        let listed = listed
            .as_array()
            .unwrap_or_else(|| panic!("{}: {listed}", rule.name));
        assert!(
            listed
                .iter()
                .any(|r| r["kid"] == record["kid"] && r["keyType"] == rule.name),
            "{} not listed: {listed:?}",
            rule.name
        );
    }
}
