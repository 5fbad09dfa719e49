//! Every row of the certificate-type table can be uploaded, as its intake
//! says, to the holder it names, and is then listed there under its type.

use obdir::domain::certificate::{Holder, SubjectNaming, UploadBody};
use obdir::domain::{CertOrKeyType, KeyUse};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

/// A subject that names the statement or organisation as `naming` wants.
pub(crate) fn subject(naming: SubjectNaming) -> String {
    match naming {
        SubjectNaming::Obie | SubjectNaming::ObieOrBrazil => obie_subject(ORG, SS),
        SubjectNaming::Brazil | SubjectNaming::BrazilOrUnit => brazil_subject(ORG, SS),
        SubjectNaming::ObieOrganisation => format!("/C=BR/O=Demo TPP Ltda/OU={ORG}/CN=demo-tpp"),
        SubjectNaming::BrazilOrganisation => brseal_subject(ORG),
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
        let list = match rule.holder {
            Holder::Statement => {
                format!("/organisations/{ORG}/softwarestatements/{SS}/certificates")
            }
            Holder::Organisation => format!("/organisations/{ORG}/certificates"),
        };
        let response = app.upload_to_holder(key_type, &pem).await;
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

/// `openssl x509 -text` with what differs between two issuances masked: the
/// serial, the dates, the key and its identifiers, the signature, and the
/// ids and port in names and URLs.
fn masked(text: &str) -> String {
    const BLOCKS: [&str; 6] = [
        "Serial Number:",
        "Modulus:",
        "pub:",
        "X509v3 Subject Key Identifier:",
        "X509v3 Authority Key Identifier:",
        "Signature Value:",
    ];
    let mut out = Vec::new();
    let mut skipping_below: Option<usize> = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        if skipping_below.is_some_and(|level| indent > level) {
            continue;
        }
        skipping_below = None;
        let trimmed = line.trim();
        if let Some(block) = BLOCKS.iter().find(|b| trimmed.starts_with(**b)) {
            out.push(format!("{}{block} <masked>", &line[..indent]));
            skipping_below = Some(indent);
        } else if trimmed.starts_with("Not Before:") || trimmed.starts_with("Not After :") {
            out.push(format!("{}{} <masked>", &line[..indent], &trimmed[..11]));
        } else {
            out.push(line.to_owned());
        }
    }
    let text = out.join("\n") + "\n";
    let uuid =
        regex::Regex::new("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").unwrap();
    let text = uuid.replace_all(&text, "<uuid>");
    let issuing = regex::Regex::new("Issuing CA [0-9a-f]{8}").unwrap();
    let text = issuing.replace_all(&text, "Issuing CA <id>");
    let port = regex::Regex::new(r"127\.0\.0\.1:\d+").unwrap();
    port.replace_all(&text, "127.0.0.1:<port>").into_owned()
}

/// Every type the directory signs is issued as `fixtures/issued/<type>.txt`
/// records, but for what `masked` hides. `OBDIR_BLESS=1` rewrites them.
#[tokio::test]
async fn each_signed_type_is_issued_as_recorded() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let bless = std::env::var_os("OBDIR_BLESS").is_some();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/issued");
    for key_type in CertOrKeyType::all().filter(|t| t.rule().intake == UploadBody::Csr) {
        let rule = key_type.rule();
        let san: &[&str] = match rule.key_use {
            KeyUse::Tls => &["-addext", "subjectAltName=DNS:tpp.example"],
            _ => &[],
        };
        let csr = tpp.csr(&tpp.rsa_key(rule.name, 2048), &subject(rule.naming), san);
        let response = app.upload_to_holder(key_type, &csr).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{}", rule.name);
        let record: Value = response.json().await.unwrap();
        let text = masked(&tpp.describe(&pem_of(record["x5c"][0].as_str().unwrap())));
        let file = dir.join(format!("{}.txt", rule.name));
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&file, &text).unwrap();
        }
        let recorded = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{}: {e} (OBDIR_BLESS=1 records it)", file.display()));
        assert_eq!(
            text,
            recorded,
            "{} differs from {}",
            rule.name,
            file.display()
        );
    }
}
