//! What strict relying parties see: RFC 5280's time encodings in every CRL,
//! revocation data for every CA in a path (the issuing CA names the root's
//! CRL and the OCSP responder), and pkilint's PKIX lints on every
//! certificate, CRL and OCSP answer the directory signs.

use std::path::{Path, PathBuf};
use std::process::Command;

use obdir::domain::CertOrKeyType;
use obdir::domain::certificate::UploadBody;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// A pkilint command (`lint_pkix_cert`, `lint_crl`, ...), from the
/// virtualenv `make test` installs.
fn pkilint(tool: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/pkilint/bin")
        .join(tool);
    assert!(
        path.exists(),
        "{} is missing: `make test` (or `make pkilint`) installs pkilint",
        path.display()
    );
    path
}

/// pkilint's findings of severity ERROR and above; empty when there are none.
fn lint(tool: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(pkilint(tool))
        .args(["lint"])
        .args(args)
        .args(["-s", "ERROR", s(file)])
        .output()
        .expect("pkilint runs");
    let findings = String::from_utf8_lossy(&out.stdout).trim().to_owned()
        + String::from_utf8_lossy(&out.stderr).trim();
    assert_eq!(
        out.status.success(),
        findings.is_empty(),
        "pkilint's exit status and its findings disagree: {findings}"
    );
    findings
}

fn write(tpp: &Tpp, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = tpp.path(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The CA chain, split: the issuing CA that signs now, then its root.
async fn issuing_and_root(app: &TestApp, tpp: &Tpp) -> (PathBuf, PathBuf) {
    let chain = app.chain_pem().await;
    write(tpp, "chain.pem", &chain);
    let mut certificates = chain
        .split_inclusive("-----END CERTIFICATE-----\n")
        .filter(|c| c.contains("BEGIN CERTIFICATE"));
    let issuing = write(tpp, "issuing.pem", certificates.next().unwrap());
    let root = write(tpp, "root.pem", certificates.next().unwrap());
    (issuing, root)
}

/// The URLs a certificate names for its status: its CRL, its OCSP responder.
fn status_urls(tpp: &Tpp, certificate: &Path) -> (String, String) {
    let text = tpp.describe(&std::fs::read_to_string(certificate).unwrap());
    let uri = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(str::to_owned))
            .unwrap_or_else(|| panic!("no {prefix} in {text}"))
    };
    (uri("URI:"), uri("OCSP - URI:"))
}

async fn fetch(app: &TestApp, tpp: &Tpp, url: &str, name: &str) -> PathBuf {
    let response = app.get_public(url).await;
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    write(tpp, name, response.bytes().await.unwrap())
}

/// Uploads a transport CSR and revokes the certificate: the issuing CA's
/// CRL then has an entry. Answers the certificate's PEM file.
async fn issue_and_revoke(app: &TestApp, tpp: &Tpp) -> PathBuf {
    let key = tpp.rsa_key("revoked.key", 2048);
    let response = app
        .upload("rtstransport", &tpp.csr(&key, &obie_subject(ORG, SS), &[]))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let record: Value = response.json().await.unwrap();
    let kid = record["kid"].as_str().unwrap();
    let path = format!(
        "{}/{kid}",
        TestApp::certificates_path(ORG, SS, "rtstransport")
    );
    let revoked = app
        .put_json(&path, &json!({"RevokeReason": "keycompromise"}))
        .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    write(
        tpp,
        "revoked.pem",
        pem_of(record["x5c"][0].as_str().unwrap()),
    )
}

/// The ASN.1 time types in a DER file, as `openssl asn1parse` names them.
fn time_types(der: &Path) -> Vec<String> {
    let (ok, text) = openssl_outcome(&["asn1parse", "-inform", "DER", "-in", s(der)]);
    assert!(ok, "{text}");
    text.lines()
        .filter_map(|l| {
            ["UTCTIME", "GENERALIZEDTIME"]
                .into_iter()
                .find(|t| l.contains(&format!("prim: {t}")))
                .map(str::to_owned)
        })
        .collect()
}

#[tokio::test]
async fn crl_times_before_2050_are_utc_time_as_rfc_5280_requires() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let revoked = issue_and_revoke(&app, &tpp).await;
    let (crl_url, _) = status_urls(&tpp, &revoked);
    let crl = fetch(&app, &tpp, &crl_url, "issuing.crl").await;
    // thisUpdate, nextUpdate and the entry's revocationDate.
    assert_eq!(time_types(&crl), ["UTCTIME"; 3]);

    let (issuing, _) = issuing_and_root(&app, &tpp).await;
    let (root_crl_url, _) = status_urls(&tpp, &issuing);
    let root_crl = fetch(&app, &tpp, &root_crl_url, "root.crl").await;
    assert_eq!(time_types(&root_crl), ["UTCTIME"; 2]);
}

#[tokio::test]
async fn the_issuing_ca_names_the_roots_crl_and_the_ocsp_responder_and_both_answer() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let leaf = issue_and_revoke(&app, &tpp).await;
    let (issuing, root) = issuing_and_root(&app, &tpp).await;
    let (root_crl_url, ocsp_url) = status_urls(&tpp, &issuing);
    assert_eq!(ocsp_url, app.url("/ocsp"));
    let root_crl = fetch(&app, &tpp, &root_crl_url, "root.crl").await;
    let (ok, text) = openssl_outcome(&[
        "crl",
        "-inform",
        "DER",
        "-in",
        s(&root_crl),
        "-CAfile",
        s(&root),
        "-noout",
    ]);
    assert!(
        ok && text.contains("verify OK"),
        "the root signs it: {text}"
    );

    // A validator that wants revocation data for every certificate in the
    // path: the issuing CA's status from the root's CRL, the leaf's from
    // the issuing CA's.
    let (leaf_crl_url, _) = status_urls(&tpp, &leaf);
    let leaf_crl = fetch(&app, &tpp, &leaf_crl_url, "issuing.crl").await;
    let mut bundle = std::fs::read_to_string(tpp.path("chain.pem")).unwrap();
    for crl in [&root_crl, &leaf_crl] {
        let pem = tpp.path("crl.pem");
        let (ok, text) =
            openssl_outcome(&["crl", "-inform", "DER", "-in", s(crl), "-out", s(&pem)]);
        assert!(ok, "{text}");
        bundle.push_str(&std::fs::read_to_string(&pem).unwrap());
    }
    let bundle = write(&tpp, "bundle.pem", bundle);
    let (ok, text) = openssl_outcome(&[
        "verify",
        "-crl_check_all",
        "-CAfile",
        s(&bundle),
        s(&issuing),
    ]);
    assert!(
        ok,
        "the issuing CA checks out against the root's CRL: {text}"
    );
    let (ok, text) =
        openssl_outcome(&["verify", "-crl_check_all", "-CAfile", s(&bundle), s(&leaf)]);
    assert!(!ok && text.contains("certificate revoked"), "{text}");

    let (ok, text) = openssl_outcome(&[
        "ocsp",
        "-issuer",
        s(&root),
        "-cert",
        s(&issuing),
        "-url",
        &ocsp_url,
        "-CAfile",
        s(&root),
    ]);
    assert!(ok, "{text}");
    assert!(
        text.contains("Response verify OK"),
        "signed by the root: {text}"
    );
    assert!(text.contains("issuing.pem: good"), "{text}");
}

/// A subject each CSR-issued type accepts, with its SAN where it wants one.
fn csr_for(tpp: &Tpp, key_type: CertOrKeyType) -> String {
    let rule = key_type.rule();
    let key = tpp.rsa_key(&format!("{}.key", rule.name), 2048);
    let subject = crate::types::subject(rule.naming);
    tpp.csr(
        &key,
        &subject,
        &["-addext", "subjectAltName=DNS:tpp.example"],
    )
}

#[tokio::test]
async fn pkilint_finds_no_error_in_any_certificate_crl_or_ocsp_answer() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    for key_type in CertOrKeyType::all() {
        let rule = key_type.rule();
        if rule.intake != UploadBody::Csr {
            continue;
        }
        let response = app
            .upload_to_holder(key_type, &csr_for(&tpp, key_type))
            .await;
        let status = response.status();
        let record: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{}: {record}", rule.name);
        let issued = write(
            &tpp,
            &format!("{}.pem", rule.name),
            pem_of(record["x5c"][0].as_str().unwrap()),
        );
        assert_eq!(lint("lint_pkix_cert", &[], &issued), "", "{}", rule.name);
    }

    let (issuing, root) = issuing_and_root(&app, &tpp).await;
    for ca in [&issuing, &root] {
        assert_eq!(lint("lint_pkix_cert", &[], ca), "", "{}", ca.display());
    }

    let (root_crl_url, ocsp_url) = status_urls(&tpp, &issuing);
    let root_crl = fetch(&app, &tpp, &root_crl_url, "root.crl").await;
    let (empty_crl_url, _) = status_urls(&tpp, &tpp.path("rtstransport.pem"));
    let empty_crl = fetch(&app, &tpp, &empty_crl_url, "empty.crl").await;
    let revoked = issue_and_revoke(&app, &tpp).await;
    let crl = fetch(&app, &tpp, &empty_crl_url, "revoked.crl").await;
    for crl in [&root_crl, &empty_crl, &crl] {
        let findings = lint("lint_crl", &["-t", "CRL", "-p", "PKIX"], crl);
        assert_eq!(findings, "", "{}", crl.display());
    }

    let answer = tpp.path("ocsp.der");
    let (ok, text) = openssl_outcome(&[
        "ocsp",
        "-issuer",
        s(&issuing),
        "-cert",
        s(&revoked),
        "-url",
        &ocsp_url,
        "-respout",
        s(&answer),
        "-noverify",
    ]);
    assert!(ok && text.contains(": revoked"), "{text}");
    assert_eq!(lint("lint_ocsp_response", &[], &answer), "");
}
