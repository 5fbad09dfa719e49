//! Software statement assertions, verified the way a bank's DCR endpoint
//! would: with the directory's published keys and an independent JOSE library.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::oauth::verify_ps256;

async fn assertion(app: &TestApp, org: &str, ss: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!(
            "/organisations/{org}/softwarestatements/{ss}/assertion"
        )))
        .bearer_auth(TOKEN)
        .header("Accept", "application/jwt")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_ssa_is_ps256_verifies_with_openbanking_jwks_and_carries_the_brazil_claims() {
    let app = spawn_app().await;
    let response = assertion(&app, ORG, SS).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/jwt");
    let ssa = response.text().await.unwrap();
    assert_eq!(
        jsonwebtoken::decode_header(&ssa).unwrap().alg,
        jsonwebtoken::Algorithm::PS256
    );

    let jwks: Value = app
        .get_public(&app.url("/keystore/openbanking.jwks"))
        .await
        .json()
        .await
        .unwrap();
    let claims = verify_ps256(&ssa, &jwks);
    let ks = app.url("/keystore");
    assert_eq!(claims["software_id"], SS);
    assert_eq!(claims["software_client_id"], SS);
    assert_eq!(claims["software_client_name"], "Demo TPP App");
    assert_eq!(claims["software_mode"], "Test");
    assert_eq!(claims["software_roles"], json!(["DADOS", "PAGTO"]));
    assert_eq!(claims["software_statement_roles"][0]["role"], "DADOS");
    assert_eq!(
        claims["software_redirect_uris"],
        json!(["https://tpp.example/callback"])
    );
    assert_eq!(claims["software_version"], 1);
    assert_eq!(claims["org_id"], ORG);
    assert_eq!(claims["org_name"], "Demo TPP Ltda");
    assert_eq!(claims["org_number"], "43142666000197");
    assert_eq!(claims["org_status"], "Active");
    assert_eq!(
        claims["software_jwks_uri"],
        format!("{ks}/{ORG}/{SS}/application.jwks")
    );
    assert_eq!(
        claims["software_jwks_inactive_uri"],
        format!("{ks}/{ORG}/{SS}/inactive/application.jwks")
    );
    assert_eq!(
        claims["software_jwks_transport_uri"],
        format!("{ks}/{ORG}/{SS}/transport.jwks")
    );
    assert_eq!(
        claims["software_jwks_transport_inactive_uri"],
        format!("{ks}/{ORG}/{SS}/inactive/transport.jwks")
    );
    assert_eq!(
        claims["org_jwks_uri"],
        format!("{ks}/{ORG}/application.jwks")
    );
    assert!(claims["iss"].as_str().unwrap().contains("SSA issuer"));
    use obdir::domain::Clock;
    let now = obdir::domain::SystemClock.now().timestamp();
    assert!((claims["iat"].as_i64().unwrap() - now).abs() < 60);
    // Every URI in it is served.
    for uri in [
        "software_jwks_uri",
        "software_jwks_inactive_uri",
        "software_jwks_transport_uri",
        "software_jwks_transport_inactive_uri",
        "org_jwks_uri",
    ] {
        let response = app.get_public(claims[uri].as_str().unwrap()).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
    }
}

#[tokio::test]
async fn the_directory_signing_certificate_chains_to_the_ca() {
    let app = spawn_app().await;
    let jwks: Value = app
        .get_public(&app.url("/keystore/openbanking.jwks"))
        .await
        .json()
        .await
        .unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(key["use"], "sig");
    let x5c = key["x5c"].as_array().unwrap();
    let chain = app.chain_pem().await;
    let tpp = Tpp::new();
    let (ok, output) = tpp.verify(&chain, &pem_of(x5c[0].as_str().unwrap()));
    assert!(ok, "{output}");
    // The published n and e are the certificate's key.
    let text = tpp.describe(&pem_of(x5c[0].as_str().unwrap()));
    assert!(
        text.contains("Digital Signature, Non Repudiation"),
        "{text}"
    );
}

#[tokio::test]
async fn an_assertion_locks_the_statement_unlock_opens_it_and_a_suspended_one_gets_none() {
    let app = spawn_app().await;
    let path = format!("/organisations/{ORG}/softwarestatements/{SS}");
    let before: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(before["Locked"], false);
    assert_eq!(assertion(&app, ORG, SS).await.status(), StatusCode::OK);
    let after: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(after["Locked"], true);

    // Locked, it refuses every change, naming the lock.
    let renamed = statement_update(json!({"ClientName": "Renamed"}));
    assert_error(
        app.put_json(&path, &renamed).await,
        StatusCode::BAD_REQUEST,
        "Locked: the software statement is locked since its assertion was issued",
    )
    .await;
    let still: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(still["ClientName"], "Demo TPP App");

    // PUT .../unlock opens it again, and only with Unlock = true.
    let unlock = format!("{path}/unlock");
    assert_error(
        app.put_json(&unlock, &json!({"Unlock": false})).await,
        StatusCode::BAD_REQUEST,
        "Unlock: Unlock equal to true must be provided",
    )
    .await;
    let unlocked = app.put_json(&unlock, &json!({"Unlock": true})).await;
    assert_eq!(unlocked.status(), StatusCode::OK);
    let unlocked: Value = unlocked.json().await.unwrap();
    assert_eq!(unlocked["Locked"], false);
    assert_eq!(unlocked["SoftwareRoles"], json!(["DADOS", "PAGTO"]));
    let read: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(read["Locked"], false);

    // Its metadata: the scopes of the roles it holds.
    let metadata: Value = app
        .get(&format!("{path}/metadata?type=scope"))
        .await
        .json()
        .await
        .unwrap();
    let scopes: Vec<&str> = metadata
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["Name"].as_str().unwrap())
        .collect();
    assert!(
        scopes.contains(&"accounts") && scopes.contains(&"payments"),
        "{scopes:?}"
    );
    assert_eq!(metadata[0]["DomainRoleName"], "DADOS");

    // The statement is open again: a PUT may change it.
    let response = app
        .put_json(&path, &statement_update(json!({"Status": "Suspended"})))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_error(
        assertion(&app, ORG, SS).await,
        StatusCode::BAD_REQUEST,
        "is Suspended",
    )
    .await;
    assert_error(
        assertion(&app, ORG, "nobody").await,
        StatusCode::NOT_FOUND,
        "does not exist",
    )
    .await;
}

#[tokio::test]
async fn after_a_rollover_and_delete_the_directory_key_chains_to_the_new_root_and_keeps_its_kid() {
    let app = spawn_app().await;
    let before: Value = app
        .get_public(&app.url("/keystore/openbanking.jwks"))
        .await
        .json()
        .await
        .unwrap();
    let roots: Value = app
        .get("/v1/ecosystems/certificates/ca")
        .await
        .json()
        .await
        .unwrap();
    let old_root = roots["data"][0]["id"].as_str().unwrap().to_owned();
    let created = app
        .post_json(
            "/v1/ecosystems/certificates/ca",
            &json!({"organisationName": "Next"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let ca = |id: &str| app.url(&format!("/v1/ecosystems/certificates/ca/{id}"));
    let response = app
        .client
        .put(ca(&old_root))
        .bearer_auth(TOKEN)
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = app
        .client
        .delete(ca(&old_root))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    let after: Value = app
        .get_public(&app.url("/keystore/openbanking.jwks"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        after["keys"][0]["kid"], before["keys"][0]["kid"],
        "the key and its kid stay"
    );
    assert_ne!(
        after["keys"][0]["x5c"], before["keys"][0]["x5c"],
        "a new certificate"
    );
    let chain = app.chain_pem().await;
    let tpp = Tpp::new();
    let (ok, output) = tpp.verify(
        &chain,
        &pem_of(after["keys"][0]["x5c"][0].as_str().unwrap()),
    );
    assert!(ok, "{output}");
    let ssa = assertion(&app, ORG, SS).await.text().await.unwrap();
    verify_ps256(&ssa, &after);
}

/// The verified claims of a fresh SSA for the demo statement, which is
/// then unlocked so that the test may change it again.
async fn fresh_claims(app: &TestApp) -> Value {
    let response = assertion(app, ORG, SS).await;
    assert_eq!(response.status(), StatusCode::OK);
    let ssa = response.text().await.unwrap();
    let unlock = format!("/organisations/{ORG}/softwarestatements/{SS}/unlock");
    let unlocked = app.put_json(&unlock, &json!({"Unlock": true})).await;
    assert_eq!(unlocked.status(), StatusCode::OK);
    let jwks: Value = app
        .get_public(&app.url("/keystore/openbanking.jwks"))
        .await
        .json()
        .await
        .unwrap();
    verify_ps256(&ssa, &jwks)
}

fn roles_of(claims: &Value, field: &str, role: &str) -> Vec<String> {
    claims[field]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[role].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_ssa_roles_and_competent_authority_claims_follow_the_authority_claims() {
    let app = spawn_app().await;
    let claims = fresh_claims(&app).await;
    assert_eq!(
        claims["iss"],
        "Open Banking Open Banking Brasil sandbox SSA issuer"
    );
    assert_eq!(claims["software_roles"], json!(["DADOS", "PAGTO"]));
    assert_eq!(
        claims["software_statement_roles"][1],
        json!({"role": "PAGTO", "authorisation_domain": "Open Banking", "status": "Active"})
    );
    // As the DCR standard's example: one entry per licence the organisation holds.
    let competent = &claims["organisation_competent_authority_claims"];
    assert_eq!(
        competent[0],
        json!({
            "authority_id": "687a1c94-b360-4e04-9589-0fa5cb16451b",
            "authority_name": "Banco Central do Brasil",
            "authority_code": "BCB",
            "registration_id": "43142666-OBB-DADOS",
            "authorisation_domain": "Open Banking",
            "authorisation_role": "DADOS",
            "authorisations": [],
            "status": "Active",
        })
    );
    assert_eq!(
        roles_of(
            &claims,
            "organisation_competent_authority_claims",
            "authorisation_role"
        ),
        ["DADOS", "PAGTO"]
    );

    // Ending the organisation's PAGTO licence takes PAGTO out of the next SSA
    // and out of the statement's SoftwareRoles.
    let licences: Value = app
        .get(&format!("/organisations/{ORG}/authorityclaims"))
        .await
        .json()
        .await
        .unwrap();
    let pagto = licences
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["Role"] == "PAGTO")
        .unwrap();
    let path = format!(
        "/organisations/{ORG}/authorityclaims/{}",
        pagto["OrganisationAuthorityClaimId"].as_str().unwrap()
    );
    let mut ended = pagto.clone();
    for read_only in [
        "OrganisationAuthorityClaimId",
        "OrganisationId",
        "Authorisations",
    ] {
        ended.as_object_mut().unwrap().remove(read_only);
    }
    ended["Status"] = json!("Inactive");
    assert_eq!(app.put_json(&path, &ended).await.status(), StatusCode::OK);
    let claims = fresh_claims(&app).await;
    assert_eq!(claims["software_roles"], json!(["DADOS"]));
    assert_eq!(
        roles_of(
            &claims,
            "organisation_competent_authority_claims",
            "authorisation_role"
        ),
        ["DADOS"]
    );
    let statement_path = format!("/organisations/{ORG}/softwarestatements/{SS}");
    let statement: Value = app.get(&statement_path).await.json().await.unwrap();
    assert_eq!(statement["SoftwareRoles"], json!(["DADOS"]));

    // A statement's SoftwareRoles names only roles its organisation holds.
    assert_error(
        app.put_json(&statement_path, &statement_update(json!({"SoftwareRoles": ["DADOS", "PAGTO"]})))
            .await,
        StatusCode::BAD_REQUEST,
        "SoftwareRoles[1]: organisation 'c8f0bf49-4744-4933-8960-7add6e590841' holds 'PAGTO' by no active authority claim",
    )
    .await;
    let cleared: Value = app
        .put_json(
            &statement_path,
            &statement_update(json!({"SoftwareRoles": []})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["SoftwareRoles"], json!([]));
    assert_eq!(fresh_claims(&app).await["software_roles"], json!([]));
    let restored: Value = app
        .put_json(
            &statement_path,
            &statement_update(json!({"SoftwareRoles": ["DADOS"]})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(restored["SoftwareRoles"], json!(["DADOS"]));

    // Deleting the licence takes the role out too.
    let dados = licences
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["Role"] == "DADOS")
        .unwrap()["OrganisationAuthorityClaimId"]
        .as_str()
        .unwrap()
        .to_owned();
    let gone = app
        .delete(&format!("/organisations/{ORG}/authorityclaims/{dados}"))
        .await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let claims = fresh_claims(&app).await;
    assert_eq!(claims["software_roles"], json!([]));
    assert_eq!(claims["organisation_competent_authority_claims"], json!([]));
}

#[tokio::test]
async fn the_ssa_issuer_is_the_configured_one() {
    let app = spawn_app_with(AppOptions {
        config: Some("[ssa]\nissuer = \"Open Banking Open Banking Brasil prod SSA issuer\"\n"),
        ..AppOptions::default()
    })
    .await;
    assert_eq!(
        fresh_claims(&app).await["iss"],
        "Open Banking Open Banking Brasil prod SSA issuer"
    );
}
