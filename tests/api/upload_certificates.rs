//! CSR uploads signed by the directory's CA, and certificates issued elsewhere.

use obdir::domain::CertOrKeyType;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

async fn created(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["content-type"], "application/jwk+json");
    response.json().await.unwrap()
}

#[tokio::test]
async fn rtstransport_csr_is_signed_into_a_certificate_that_openssl_verifies() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let key = tpp.rsa_key("transport.key", 2048);
    let csr = tpp.csr(
        &key,
        &obie_subject(ORG, SS),
        &[
            "-addext",
            "subjectAltName=DNS:tpp.example,DNS:api.tpp.example",
        ],
    );

    let record = created(app.upload("rtstransport", &csr).await).await;

    assert_eq!(record["OrganisationId"], ORG);
    assert_eq!(record["SoftwareStatementIds"], serde_json::json!([SS]));
    assert_eq!(record["ClientName"], "Demo TPP App");
    assert_eq!(record["Status"], "Active");
    assert_eq!(record["keyType"], "rtstransport");
    assert_eq!(record["use"], "tls");
    assert_eq!(record["kty"], "RSA");
    assert_eq!(record["e"], "AQAB");
    let x5c = record["x5c"].as_array().unwrap();
    assert_eq!(x5c.len(), 2, "leaf then issuing CA");
    // kid and x5t#S256 are the SHA-256, x5t the SHA-1, of the leaf DER.
    use base64::Engine;
    let der = base64::engine::general_purpose::STANDARD
        .decode(x5c[0].as_str().unwrap())
        .unwrap();
    let b64url = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    assert_eq!(record["kid"], b64url(&openssl::sha::sha256(&der)));
    assert_eq!(record["x5thashS256"], b64url(&openssl::sha::sha256(&der)));
    assert_eq!(record["x5t"], b64url(&openssl::sha::sha1(&der)));

    let chain = app.chain_pem().await;
    let leaf = pem_of(x5c[0].as_str().unwrap());
    let (ok, output) = tpp.verify(&chain, &leaf);
    assert!(ok, "openssl verify: {output}");
    // The second x5c entry is the issuing CA that chain.pem starts with.
    assert!(chain.starts_with(&pem_of(x5c[1].as_str().unwrap())));

    let text = tpp.describe(&leaf);
    assert!(text.contains(&format!("OU = {ORG}, CN = {SS}")), "{text}");
    assert!(
        text.contains("X509v3 Key Usage: critical\n                Digital Signature\n"),
        "{text}"
    );
    assert!(
        text.contains("TLS Web Server Authentication, TLS Web Client Authentication"),
        "{text}"
    );
    assert!(
        text.contains("DNS:tpp.example, DNS:api.tpp.example"),
        "{text}"
    );
    assert!(text.contains("CA:FALSE"), "{text}");
    assert!(text.contains("X509v3 Subject Key Identifier"), "{text}");
    assert!(text.contains("X509v3 Authority Key Identifier"), "{text}");
    assert!(
        text.contains(&format!("URI:{}/crl/", app.address)),
        "{text}"
    );
    assert!(
        text.contains(&format!("OCSP - URI:{}/ocsp", app.address)),
        "{text}"
    );
    assert!(
        text.contains("Signature Algorithm: sha256WithRSAEncryption"),
        "{text}"
    );
}

#[tokio::test]
async fn issued_certificates_have_a_sixteen_byte_serial_and_thirteen_months_validity() {
    let now = chrono::DateTime::parse_from_rfc3339("2026-01-31T10:00:00Z")
        .unwrap()
        .to_utc();
    let app = spawn_app_with(AppOptions {
        now: Some(now),
        ..Default::default()
    })
    .await;
    let tpp = Tpp::new();
    let key = tpp.rsa_key("signing.key", 2048);
    let record = created(
        app.upload("rtssigning", &tpp.csr(&key, &obie_subject(ORG, SS), &[]))
            .await,
    )
    .await;

    assert_eq!(record["ValidFromDateTime"], "2026-01-31T10:00:00Z");
    assert_eq!(record["ExpiryDateTime"], "2027-02-28T10:00:00Z");
    let text = tpp.describe(&pem_of(record["x5c"][0].as_str().unwrap()));
    let serial_line = text
        .lines()
        .skip_while(|l| !l.contains("Serial Number:"))
        .nth(1)
        .unwrap()
        .trim()
        .to_owned();
    assert_eq!(serial_line.split(':').count(), 16, "{serial_line}");
    assert!(
        text.contains("Not Before: Jan 31 10:00:00 2026 GMT"),
        "{text}"
    );
    assert!(
        text.contains("Not After : Feb 28 10:00:00 2027 GMT"),
        "{text}"
    );
    assert!(
        text.contains("Digital Signature, Non Repudiation"),
        "{text}"
    );
    assert!(!text.contains("Extended Key Usage"), "{text}");
}

#[tokio::test]
async fn the_type_defaults_to_rtssigning() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let csr = tpp.csr(&tpp.rsa_key("k", 2048), &obie_subject(ORG, SS), &[]);
    let response = app
        .client
        .post(app.url(&format!(
            "/organisations/{ORG}/softwarestatements/{SS}/certificates"
        )))
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/x-pem-file")
        .body(csr)
        .send()
        .await
        .unwrap();
    let record = created(response).await;
    assert_eq!(record["keyType"], "rtssigning");
    assert_eq!(record["use"], "sig");
}

#[tokio::test]
async fn rtssigning_takes_p256_and_p384_but_rtstransport_takes_only_rsa() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    for curve in ["P-256", "P-384"] {
        let key = tpp.ec_key(curve, curve);
        let record = created(
            app.upload("rtssigning", &tpp.csr(&key, &obie_subject(ORG, SS), &[]))
                .await,
        )
        .await;
        assert_eq!(record["kty"], "EC");
        assert_eq!(record["crv"], curve);
        assert!(record["x"].is_string() && record["y"].is_string());
    }
    let p521 = tpp.ec_key("p521", "P-521");
    let response = app
        .upload("rtssigning", &tpp.csr(&p521, &obie_subject(ORG, SS), &[]))
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "EC key on P-521 is not accepted for rtssigning",
    )
    .await;

    let p256 = tpp.ec_key("p256", "P-256");
    let response = app
        .upload("rtstransport", &tpp.csr(&p256, &obie_subject(ORG, SS), &[]))
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "RSA of at least 2048 bits",
    )
    .await;
}

#[tokio::test]
async fn brcac_csr_must_carry_uid_and_organization_identifier() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let key = tpp.rsa_key("brcac.key", 2048);
    let csr = tpp.csr(
        &key,
        &brazil_subject(ORG, SS),
        &["-addext", "subjectAltName=DNS:tpp.example"],
    );
    let record = created(app.upload("brcac_2022", &csr).await).await;
    assert_eq!(record["use"], "tls");
    let text = tpp.describe(&pem_of(record["x5c"][0].as_str().unwrap()));
    assert!(
        text.contains("Digital Signature, Key Encipherment"),
        "{text}"
    );
    assert!(text.contains("TLS Web Client Authentication"), "{text}");
    assert!(!text.contains("TLS Web Server Authentication"), "{text}");
    let subject = text
        .lines()
        .find(|l| l.trim_start().starts_with("Subject:"))
        .unwrap();
    for attribute in [
        "businessCategory = Private Organization".to_owned(),
        "jurisdictionC = BR".to_owned(),
        "serialNumber = 43142666000197".to_owned(),
        "C = BR".to_owned(),
        "O = Demo TPP".to_owned(),
        "ST = SP".to_owned(),
        "L = Sao Paulo".to_owned(),
        format!("organizationIdentifier = OFBBR-{ORG}"),
        format!("UID = {SS}"),
        "CN = tpp.example".to_owned(),
    ] {
        assert!(subject.contains(&attribute), "{attribute} in {subject}");
    }
    assert!(text.contains("DNS:tpp.example"), "{text}");

    // brcac still accepts the pre-2022 form with the organisation in OU; brcac_2022 does not.
    let legacy = tpp.csr(
        &tpp.rsa_key("legacy.key", 2048),
        &brazil_legacy_subject(ORG, SS),
        &[],
    );
    created(app.upload("brcac", &legacy).await).await;
    let response = app.upload("brcac_2022", &legacy).await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "organizationIdentifier (2.5.4.97): is missing",
    )
    .await;

    let wrong_uid = tpp.csr(
        &tpp.rsa_key("w.key", 2048),
        &brazil_subject(ORG, "someone-else"),
        &[],
    );
    let response = app.upload("brcac", &wrong_uid).await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        &format!("is 'someone-else' but the software statement is '{SS}'"),
    )
    .await;
}

#[tokio::test]
async fn csr_whose_cn_or_ou_is_not_this_statement_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let key = tpp.rsa_key("k", 2048);
    let response = app
        .upload(
            "rtstransport",
            &tpp.csr(&key, &obie_subject(ORG, "abc"), &[]),
        )
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        &format!("CN: is 'abc' but the software statement is '{SS}'"),
    )
    .await;
    let response = app
        .upload(
            "rtstransport",
            &tpp.csr(&key, &obie_subject("other-org", SS), &[]),
        )
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        &format!("OU: is 'other-org' but the organisation is '{ORG}'"),
    )
    .await;
    let response = app
        .upload("rtstransport", &tpp.csr(&key, &format!("/CN={SS}"), &[]))
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "OU: is missing").await;

    let transport = app.url(&format!("/keystore/{ORG}/{SS}/transport.jwks"));
    assert!(app.jwks_kids(&transport).await.is_empty());
}

#[tokio::test]
async fn csr_with_a_broken_signature_fails_proof_of_possession() {
    use base64::Engine;
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let csr = tpp.csr(&tpp.rsa_key("k", 2048), &obie_subject(ORG, SS), &[]);
    let body: String = csr.lines().filter(|l| !l.starts_with("-----")).collect();
    let mut der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    let last = der.len() - 1;
    der[last] ^= 0x01; // the last byte is inside the signature
    let tampered = format!(
        "-----BEGIN CERTIFICATE REQUEST-----\n{}\n-----END CERTIFICATE REQUEST-----\n",
        base64::engine::general_purpose::STANDARD.encode(der)
    );
    let response = app.upload("rtstransport", &tampered).await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "proof of possession failed",
    )
    .await;
}

#[tokio::test]
async fn weak_keys_and_hashes_are_refused() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let subject = obie_subject(ORG, SS);

    let small = tpp.rsa_key("small", 1024);
    let response = app
        .upload("rtstransport", &tpp.csr(&small, &subject, &[]))
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "RSA key is 1024 bits; rtstransport needs at least 2048",
    )
    .await;

    let e3 = tpp.rsa_key_with_exponent("e3", 3);
    let response = app
        .upload("rtstransport", &tpp.csr(&e3, &subject, &[]))
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "exponent 3 is not accepted",
    )
    .await;

    let key = tpp.rsa_key("k", 2048);
    let response = app
        .upload("rtstransport", &tpp.csr(&key, &subject, &["-sha1"]))
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "sha1WithRSAEncryption").await;

    // RSASSA-PSS with SHA-256 is as strong as PKCS#1 v1.5 with SHA-256.
    let pss = tpp.csr(
        &key,
        &subject,
        &["-sha256", "-sigopt", "rsa_padding_mode:pss"],
    );
    created(app.upload("rtstransport", &pss).await).await;
}

#[tokio::test]
async fn the_same_key_twice_on_a_type_is_a_conflict() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let key = tpp.rsa_key("k", 2048);
    let csr = tpp.csr(&key, &obie_subject(ORG, SS), &[]);
    let first = created(app.upload("rtstransport", &csr).await).await;
    let response = app.upload("rtstransport", &csr).await;
    assert_error(
        response,
        StatusCode::CONFLICT,
        "already active on software statement",
    )
    .await;
    // The same key under another type is a different certificate.
    created(app.upload("rtssigning", &csr).await).await;

    let transport = app.url(&format!("/keystore/{ORG}/{SS}/transport.jwks"));
    assert_eq!(
        app.jwks_kids(&transport).await,
        vec![first["kid"].as_str().unwrap().to_owned()]
    );
}

#[tokio::test]
async fn brcac_ext_stores_a_certificate_issued_elsewhere_as_is() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let ca = app.trusted_ca(&tpp, "elsewhere-ca").await;
    let key = tpp.rsa_key("ext.key", 2048);
    let external = tpp.signed_by(&ca, &key, &brazil_subject(ORG, SS), 365);
    let record = created(app.upload("brcac_ext", &external).await).await;
    assert_eq!(record["keyType"], "brcac_ext");
    assert_eq!(
        pem_of(record["x5c"][0].as_str().unwrap()).trim(),
        external.trim()
    );

    let csr = tpp.csr(&key, &brazil_subject(ORG, SS), &[]);
    let response = app.upload("brcac_ext", &csr).await;
    assert_error(response, StatusCode::BAD_REQUEST, "expected an issued certificate (CERTIFICATE) but the body holds a certificate signing request").await;

    let stranger = tpp.self_signed(
        &tpp.rsa_key("s.key", 2048),
        &brazil_subject(ORG, "not-this-one"),
        365,
    );
    let response = app.upload("brcac_ext", &stranger).await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "UID (0.9.2342.19200300.100.1.1): is 'not-this-one'",
    )
    .await;
}

#[tokio::test]
async fn an_expired_external_certificate_is_refused() {
    let tpp = Tpp::new();
    // The server's clock is a year ahead, so the 30-day certificate has
    // expired, though its CA is trusted and still valid.
    let now = obdir::domain::SystemClock.now() + chrono::Duration::days(365);
    use obdir::domain::Clock;
    let app = spawn_app_with(AppOptions {
        now: Some(now),
        ..Default::default()
    })
    .await;
    let ca = app.trusted_ca(&tpp, "elsewhere-ca").await;
    let external = tpp.signed_by(
        &ca,
        &tpp.rsa_key("ext.key", 2048),
        &brazil_subject(ORG, SS),
        30,
    );
    let response = app.upload("brcac_ext", &external).await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "the certificate expired at",
    )
    .await;
}

#[tokio::test]
async fn a_csr_type_refuses_keys_and_certificates() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let key = tpp.rsa_key("k", 2048);
    let response = app.upload("rtstransport", &tpp.public_key_pem(&key)).await;
    assert_error(response, StatusCode::BAD_REQUEST, "expected a certificate signing request (CERTIFICATE REQUEST) but the body holds a public key").await;
    let response = app
        .upload(
            "rtssigning",
            &tpp.self_signed(&key, &obie_subject(ORG, SS), 30),
        )
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "but the body holds a certificate (CERTIFICATE)",
    )
    .await;
    let response = app.upload("rtssigning", "-----BEGIN CERTIFICATE REQUEST-----\nnot base64 at all\n-----END CERTIFICATE REQUEST-----\n").await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "the CSR PEM does not decode as PKCS#10",
    )
    .await;
    let response = app.upload("rtssigning", "hello").await;
    assert_error(response, StatusCode::BAD_REQUEST, "the body is not PEM").await;
}

#[tokio::test]
async fn a_private_key_upload_is_refused_without_echoing_it() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let key_path = tpp.rsa_key("k", 2048);
    let private = std::fs::read_to_string(&key_path).unwrap();
    let response = app.upload("sigkey", &private).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let text = response.text().await.unwrap();
    assert!(
        text.contains("a private key, which must never be uploaded"),
        "{text}"
    );
    let secret_line = private.lines().nth(1).unwrap();
    assert!(!text.contains(secret_line));
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/tpp")
            .join(name),
    )
    .unwrap()
}

#[tokio::test]
async fn committed_fixture_csrs_are_signed() {
    let app = spawn_app().await;
    let transport = created(
        app.upload("rtstransport", &fixture("rtstransport.csr"))
            .await,
    )
    .await;
    assert_eq!(transport["use"], "tls");
    let brcac = created(app.upload("brcac_2022", &fixture("brcac_2022.csr")).await).await;
    assert_eq!(brcac["keyType"], "brcac_2022");
    let sigkey = created(app.upload("sigkey", &fixture("sigkey-p256.pem")).await).await;
    assert_eq!(sigkey["crv"], "P-256");
}

#[tokio::test]
async fn a_subject_naming_two_statements_is_refused() {
    let app = spawn_app().await;
    let response = app
        .upload("rtstransport", &fixture("two-common-names.csr"))
        .await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "subject has more than one CN",
    )
    .await;
}

#[tokio::test]
async fn a_san_that_does_not_parse_is_refused_rather_than_signed() {
    let app = spawn_app().await;
    let response = app.upload("rtstransport", &fixture("broken-san.csr")).await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "subjectAltName extension does not parse",
    )
    .await;
}

#[tokio::test]
async fn legacy_brcac_gets_the_brazil_client_profile_and_refuses_ec() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let subject = brazil_legacy_subject(ORG, SS);
    let record = created(
        app.upload("brcac", &tpp.csr(&tpp.rsa_key("k", 2048), &subject, &[]))
            .await,
    )
    .await;
    let text = tpp.describe(&pem_of(record["x5c"][0].as_str().unwrap()));
    assert!(
        text.contains(
            "X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "X509v3 Extended Key Usage: \n                TLS Web Client Authentication\n"
        ),
        "{text}"
    );
    let ec = tpp.csr(&tpp.ec_key("ec", "P-256"), &subject, &[]);
    assert_error(
        app.upload("brcac", &ec).await,
        StatusCode::BAD_REQUEST,
        "EC key on P-256 is not accepted for brcac",
    )
    .await;
}

#[tokio::test]
async fn brcac_ext_expiry_is_the_certificate_not_after_and_a_key_is_refused() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let ca = app.trusted_ca(&tpp, "elsewhere-ca").await;
    let key = tpp.rsa_key("ext.key", 2048);
    let external = tpp.signed_by(&ca, &key, &brazil_subject(ORG, SS), 100);
    let record = created(app.upload("brcac_ext", &external).await).await;
    let text = tpp.describe(&external);
    let not_after = text
        .lines()
        .find(|l| l.contains("Not After"))
        .unwrap()
        .split(" : ")
        .nth(1)
        .unwrap()
        .trim()
        .to_owned();
    let expected =
        chrono::NaiveDateTime::parse_from_str(&not_after, "%b %e %H:%M:%S %Y GMT").unwrap();
    assert_eq!(
        record["ExpiryDateTime"],
        expected.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    );
    let response = app.upload("brcac_ext", &tpp.public_key_pem(&key)).await;
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "expected an issued certificate (CERTIFICATE) but the body holds a public key",
    )
    .await;
}

#[tokio::test]
async fn an_upload_is_one_write_transaction_with_its_audit_events() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let csrs: Vec<String> = (0..10)
        .map(|n| {
            let key = tpp.rsa_key(&format!("transport-{n}.key"), 2048);
            tpp.csr(&key, &obie_subject(ORG, SS), &[])
        })
        .collect();
    let before = app.services.test_control.store_commits();
    let mut kids = Vec::new();
    for csr in &csrs {
        let record = created(app.upload("rtstransport", csr).await).await;
        kids.push(record["kid"].as_str().unwrap().to_owned());
    }
    assert_eq!(app.services.test_control.store_commits() - before, 10);

    // A revocation, its serial entry and its events are one transaction too.
    let before = app.services.test_control.store_commits();
    let revoked = app
        .put_json(
            &format!(
                "{}/{}",
                TestApp::certificates_path(ORG, SS, "rtstransport"),
                kids[0]
            ),
            &serde_json::json!({"RevokeReason": "superseded"}),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.services.test_control.store_commits() - before, 1);

    let events: Value = app
        .get("/admin/events?type=DIRECTORY_CERTIFICATE_UPLOAD_*")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        events["events"].as_array().unwrap().len(),
        20,
        "START and SUCCESS of each"
    );
}

#[tokio::test]
async fn brseal_takes_the_standards_template_with_three_units_and_icp_brasil_other_names() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    // The certificate standard's signature template, as its openssl config writes it.
    let config = tpp.path("brseal.cnf");
    std::fs::write(
        &config,
        format!(
            "[req]\n\
             prompt = no\n\
             string_mask = nombstr\n\
             distinguished_name = dn\n\
             req_extensions = ext\n\
             [dn]\n\
             UID = {ORG}\n\
             countryName = BR\n\
             organizationName = ICP-Brasil\n\
             0.organizationalUnitName = AC Demo\n\
             1.organizationalUnitName = 12345678000195\n\
             2.organizationalUnitName = Videoconferencia\n\
             commonName = Demo TPP Ltda\n\
             [ext]\n\
             basicConstraints = CA:FALSE\n\
             subjectAltName = @alt_name\n\
             keyUsage = critical,digitalSignature,nonRepudiation\n\
             [alt_name]\n\
             otherName.0 = 2.16.76.1.3.2;PRINTABLESTRING:Maria Silva\n\
             otherName.1 = 2.16.76.1.3.3;PRINTABLESTRING:43142666000197\n\
             otherName.2 = 2.16.76.1.3.4;PRINTABLESTRING:01011980123456789010000000000000000000000\n\
             otherName.3 = 2.16.76.1.3.7;PRINTABLESTRING:000000000000\n"
        ),
    )
    .unwrap();
    let key = tpp.rsa_key("brseal.key", 2048);
    let csr = tpp.path("brseal.csr");
    let out = std::process::Command::new("openssl")
        .args([
            "req",
            "-new",
            "-config",
            s(&config),
            "-key",
            s(&key),
            "-out",
            s(&csr),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csr = std::fs::read_to_string(&csr).unwrap();
    let record = created(app.upload_to_holder(CertOrKeyType::Brseal, &csr).await).await;
    let text = tpp.describe(&pem_of(record["x5c"][0].as_str().unwrap()));
    assert!(
        text.contains("OU = AC Demo, OU = 12345678000195, OU = Videoconferencia"),
        "{text}"
    );
    assert!(
        text.contains("Digital Signature, Non Repudiation"),
        "{text}"
    );
    assert!(text.contains("othername: 2.16.76.1.3.3:"), "{text}");
}

/// `/health` names the store's engine and counts its write transactions,
/// which is how a load test sees how many uploads share one commit.
#[tokio::test]
async fn health_counts_the_store_commits_an_upload_makes() {
    let app = spawn_app().await;
    let tpp = Tpp::new();
    let commits = || async {
        let health: Value = app
            .get_public(&app.url("/health"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(health["status"], "ok", "{health}");
        assert_eq!(health["store"]["engine"], "redb", "{health}");
        health["store"]["commits"].as_u64().unwrap()
    };
    let before = commits().await;
    assert_eq!(before, app.services.test_control.store_commits());
    let key = tpp.rsa_key("transport.key", 2048);
    let csr = tpp.csr(&key, &obie_subject(ORG, SS), &[]);
    created(app.upload("rtstransport", &csr).await).await;
    assert_eq!(commits().await, before + 1);
}
