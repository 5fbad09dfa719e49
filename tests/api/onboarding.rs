//! The onboarding a TPP runs against a bank, end to end: an organisation
//! licensed for DADOS and PAGTO, a statement claiming both, transport and
//! signing certificates from the Brazil certificate standard's template made
//! by the openssl command line, and the SSA checked the way an authorisation
//! server checks it under the DCR standard (ID3 §7.1).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::oauth::verify_ps256;

const CAJU: &str = "5a1f0b7e-2c4d-4e8f-9a6b-1c3d5e7f9a0b";
const APP: &str = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
const CNPJ: &str = "12345678000195";
const BCB: &str = "687a1c94-b360-4e04-9589-0fa5cb16451b";

async fn created(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

async fn fetched(app: &TestApp, url: &str) -> Value {
    let response = app.get_public(url).await;
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    response.json().await.unwrap()
}

/// A fresh SSA, as the TPP fetches it, and its claims as the bank reads
/// them: PS256, verified with the directory's keys fetched over HTTP.
async fn ssa(app: &TestApp) -> Value {
    let response = app
        .client
        .get(app.url(&format!(
            "/organisations/{CAJU}/softwarestatements/{APP}/assertion"
        )))
        .bearer_auth(TOKEN)
        .header("Accept", "application/jwt")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/jwt");
    let token = response.text().await.unwrap();
    let jwks = fetched(app, &app.url("/keystore/openbanking.jwks")).await;
    verify_ps256(&token, &jwks)
}

fn kids(jwks: &Value) -> Vec<String> {
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_tpp_onboards_and_its_ssa_passes_an_authorisation_servers_dcr_checks() {
    let app = spawn_app().await;

    // The directory records the organisation and what the central bank licensed.
    created(
        app.post_json(
            "/organisations",
            &json!({
                "OrganisationId": CAJU,
                "OrganisationName": "Caju Pagamentos",
                "LegalEntityName": "Caju Pagamentos Ltda",
                "CountryOfRegistration": "BR",
                "RegistrationNumber": CNPJ,
            }),
        )
        .await,
    )
    .await;
    let mut licences = Vec::new();
    for role in ["DADOS", "PAGTO"] {
        let licence = json!({
            "AuthorityId": BCB,
            "AuthorisationDomain": "Open Banking",
            "Role": role,
            "RegistrationId": format!("12345678-OBB-{role}"),
            "Status": "Active",
        });
        let path = format!("/organisations/{CAJU}/authorityclaims");
        licences.push(created(app.post_json(&path, &licence).await).await);
    }

    // The TPP's software statement claims both roles.
    created(
        app.post_json(
            &format!("/organisations/{CAJU}/softwarestatements"),
            &json!({
                "SoftwareStatementId": APP,
                "ClientName": "Caju App",
                "RedirectUri": ["https://app.caju.example/callback"],
                "Mode": "Live",
                "Version": 1,
            }),
        )
        .await,
    )
    .await;
    for role in ["DADOS", "PAGTO"] {
        let path = format!("/organisations/{CAJU}/softwarestatements/{APP}/authorityclaims");
        let claim =
            json!({"AuthorisationDomain": "Open Banking", "Role": role, "Status": "Active"});
        created(app.post_json(&path, &claim).await).await;
    }

    // Transport and signing CSRs in the certificate standard's form.
    let tpp = Tpp::new();
    let subject = format!(
        "/C=BR/O=Caju Pagamentos Ltda/ST=SP/L=Sao Paulo/businessCategory=Private Organization/jurisdictionC=BR/serialNumber={CNPJ}/organizationIdentifier=OFBBR-{CAJU}/UID={APP}/CN=api.caju.example"
    );
    let mut uploaded = Vec::new();
    for key_type in ["rtstransport", "rtssigning"] {
        let key = tpp.rsa_key(key_type, 2048);
        let csr = tpp.csr(&key, &subject, &[]);
        let record = created(app.upload_to(CAJU, APP, key_type, &csr).await).await;
        uploaded.push(record);
    }
    let (transport, signing) = (&uploaded[0], &uploaded[1]);

    // What the bank's authorisation server checks.
    let claims = ssa(&app).await;
    use obdir::domain::Clock;
    let age = obdir::domain::SystemClock.now().timestamp() - claims["iat"].as_i64().unwrap();
    assert!((0..=300).contains(&age), "iat is {age} s old");
    assert_eq!(
        claims["iss"],
        "Open Banking Open Banking Brasil sandbox SSA issuer"
    );
    assert_eq!(claims["software_id"], APP);
    assert_eq!(claims["org_id"], CAJU);
    assert_eq!(claims["org_number"], CNPJ);
    assert_eq!(claims["software_mode"], "Live");
    assert_eq!(
        claims["software_redirect_uris"],
        json!(["https://app.caju.example/callback"])
    );
    let signing_kid = signing["kid"].as_str().unwrap().to_owned();
    let transport_kid = transport["kid"].as_str().unwrap().to_owned();
    let application = fetched(&app, claims["software_jwks_uri"].as_str().unwrap()).await;
    assert_eq!(kids(&application), std::slice::from_ref(&signing_kid));
    let transport_jwks = fetched(
        &app,
        claims["software_jwks_transport_uri"].as_str().unwrap(),
    )
    .await;
    assert_eq!(kids(&transport_jwks), [transport_kid]);

    // The roles the statement holds grant the scopes the bank will allow.
    assert_eq!(claims["software_roles"], json!(["DADOS", "PAGTO"]));
    let mut scopes = Vec::new();
    for role in claims["software_statement_roles"].as_array().unwrap() {
        assert_eq!(role["status"], "Active");
        assert_eq!(role["authorisation_domain"], "Open Banking");
        let name = role["role"].as_str().unwrap();
        let metadata: Value = app
            .get(&format!(
                "/references/authorisationdomainroles/{name}/metadata?type=scope"
            ))
            .await
            .json()
            .await
            .unwrap();
        for item in metadata.as_array().unwrap() {
            scopes.push(item["Name"].as_str().unwrap().to_owned());
        }
    }
    for wanted in ["openid", "accounts", "consents", "payments"] {
        assert!(scopes.iter().any(|s| s == wanted), "{wanted}: {scopes:?}");
    }
    let competent = claims["organisation_competent_authority_claims"]
        .as_array()
        .unwrap();
    assert_eq!(competent.len(), 2);
    for (claim, role) in competent.iter().zip(["DADOS", "PAGTO"]) {
        assert_eq!(claim["authority_code"], "BCB");
        assert_eq!(claim["authorisation_role"], role);
        assert_eq!(claim["registration_id"], format!("12345678-OBB-{role}"));
        assert_eq!(claim["status"], "Active");
    }

    // The transport certificate names what the SSA names.
    let pem = pem_of(transport["x5c"][0].as_str().unwrap());
    let text = tpp.describe(&pem).replace(' ', "");
    assert!(
        text.contains(&format!("UID={}", claims["software_id"].as_str().unwrap())),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "organizationIdentifier=OFBBR-{}",
            claims["org_id"].as_str().unwrap()
        )),
        "{text}"
    );

    // The central bank ends the PAGTO licence: the next SSA lacks the role.
    let pagto = &licences[1];
    let path = format!(
        "/organisations/{CAJU}/authorityclaims/{}",
        pagto["OrganisationAuthorityClaimId"].as_str().unwrap()
    );
    let ended = json!({
        "AuthorityId": BCB,
        "AuthorisationDomain": "Open Banking",
        "Role": "PAGTO",
        "RegistrationId": "12345678-OBB-PAGTO",
        "Status": "Inactive",
    });
    assert_eq!(app.put_json(&path, &ended).await.status(), StatusCode::OK);
    let claims = ssa(&app).await;
    assert_eq!(claims["software_roles"], json!(["DADOS"]));
    assert_eq!(
        claims["organisation_competent_authority_claims"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
