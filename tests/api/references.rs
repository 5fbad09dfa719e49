//! `/references`: the catalogue of the ecosystem obdir plays, in the spec's
//! shapes. Brazil's is the central bank with the DCR standard's four roles
//! and their scopes; the UK's is the FCA with its four.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;
use crate::spec_schema::Spec;

const BCB: &str = "687a1c94-b360-4e04-9589-0fa5cb16451b";

async fn json_ok(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

fn names(page: &Value, field: &str) -> Vec<String> {
    page["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

fn assert_shape(spec: &Spec, schema: &str, value: &Value) {
    let problems = spec.problems(schema, value);
    assert!(problems.is_empty(), "{schema}: {problems:#?}");
}

#[tokio::test]
async fn the_brazil_catalogue_is_the_central_bank_with_the_dcr_standards_roles_and_scopes() {
    let app = spawn_app().await;
    let spec = Spec::directory();

    let authorities = json_ok(&app, "/references/authorities").await;
    assert_eq!(authorities.as_array().unwrap().len(), 1);
    let bcb = &authorities[0];
    assert_shape(spec, "Authority", bcb);
    assert_eq!(bcb["AuthorityId"], BCB);
    assert_eq!(bcb["AuthorityName"], "Banco Central do Brasil");
    assert_eq!(bcb["AuthorityCode"], "BCB");
    assert_eq!(bcb["AuthorityCountry"], "BR");
    assert_eq!(bcb["Status"], "Active");
    assert_eq!(
        json_ok(&app, &format!("/references/authorities/{BCB}")).await,
        *bcb
    );

    let mapped = json_ok(
        &app,
        &format!("/references/authorities/{BCB}/authorisationdomains"),
    )
    .await;
    assert_shape(spec, "AuthorityAuthorisationDomainsPage", &mapped);
    assert_eq!(names(&mapped, "AuthorisationDomainName"), ["Open Banking"]);
    assert_eq!(mapped["totalSize"], 1);
    let mapping = &mapped["content"][0];
    assert_eq!(mapping["AuthorityId"], BCB);
    let mapping_id = mapping["AuthorityAuthorisationDomainId"].as_str().unwrap();
    assert_eq!(
        json_ok(
            &app,
            &format!("/references/authorities/{BCB}/authorisationdomains/{mapping_id}")
        )
        .await,
        *mapping
    );
    let all = json_ok(&app, "/references/authoritydomainmapping").await;
    assert_eq!(all["content"], mapped["content"]);

    let domains = json_ok(&app, "/references/authorisationdomains").await;
    assert_shape(spec, "AuthorisationDomainsPage", &domains);
    assert_eq!(names(&domains, "AuthorisationDomainName"), ["Open Banking"]);
    let domain = json_ok(&app, "/references/authorisationdomains/Open%20Banking").await;
    assert_eq!(domain, domains["content"][0]);

    let roles = json_ok(&app, "/references/authorisationdomainroles").await;
    assert_shape(spec, "AuthorisationDomainRolesPage", &roles);
    assert_eq!(
        names(&roles, "AuthorisationDomainRoleName"),
        ["DADOS", "PAGTO", "CONTA", "CCORR"]
    );
    for role in roles["content"].as_array().unwrap() {
        assert_eq!(role["AuthorisationDomainName"], "Open Banking");
    }
    let pagto = json_ok(&app, "/references/authorisationdomainroles/PAGTO").await;
    assert_eq!(pagto, roles["content"][1]);

    // A role's metadata is the scopes it grants, as the standard's table says.
    let metadata = json_ok(&app, "/references/authorisationdomainroles/PAGTO/metadata").await;
    let scopes: Vec<&str> = metadata
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert_shape(spec, "MetadataResponse", m);
            assert_eq!(m["Type"], "scope");
            assert_eq!(m["DomainRoleName"], "PAGTO");
            m["Name"].as_str().unwrap()
        })
        .collect();
    assert_eq!(scopes, ["openid", "payments"]);
    let dados = json_ok(
        &app,
        "/references/authorisationdomainroles/DADOS/metadata?type=scope",
    )
    .await;
    assert_eq!(dados.as_array().unwrap().len(), 10);
    let none = json_ok(
        &app,
        "/references/authorisationdomainroles/DADOS/metadata?type=grant_type",
    )
    .await;
    assert_eq!(none, serde_json::json!([]));
    let id = metadata[1]["MetadataId"].as_str().unwrap();
    let one = json_ok(
        &app,
        &format!("/references/authorisationdomainroles/PAGTO/metadata/{id}"),
    )
    .await;
    assert_eq!(one, metadata[1]);

    let terms = json_ok(&app, "/references/termsandconditions").await;
    assert_shape(spec, "TermsAndConditionsPage", &terms);
    assert_eq!(terms["content"][0]["Type"], "Participant");
    assert_eq!(terms["content"][0]["TnCId"], 1);
}

#[tokio::test]
async fn the_uk_catalogue_is_the_fca_with_its_four_roles() {
    let app = spawn_app_with(AppOptions {
        flavour: Some(obdir::domain::Flavour::Obie),
        ..AppOptions::default()
    })
    .await;
    let authorities = json_ok(&app, "/references/authorities").await;
    assert_eq!(authorities[0]["AuthorityCode"], "FCA");
    assert_eq!(authorities[0]["AuthorityCountry"], "GB");
    let roles = json_ok(&app, "/references/authorisationdomainroles").await;
    assert_eq!(
        names(&roles, "AuthorisationDomainRoleName"),
        ["AISP", "PISP", "CBPII", "ASPSP"]
    );
    let cbpii = json_ok(&app, "/references/authorisationdomainroles/CBPII/metadata").await;
    assert_eq!(cbpii[1]["Name"], "fundsconfirmations");
}

#[tokio::test]
async fn unknown_references_are_404s_over_long_names_400s_and_no_token_a_401() {
    let app = spawn_app().await;
    for (path, field) in [
        ("/references/authorities/FCAGBR", "AuthorityId"),
        (
            "/references/authorisationdomains/PSD2",
            "AuthorisationDomainName",
        ),
        (
            "/references/authorisationdomainroles/AISP",
            "AuthorisationDomainRoleName",
        ),
        (
            "/references/authorisationdomainroles/DADOS/metadata/DADOS-99",
            "MetadataId",
        ),
        (
            &format!("/references/authorities/{BCB}/authorisationdomains/nope"),
            "AuthorityAuthorisationDomainId",
        ),
    ] {
        assert_error(app.get(path).await, StatusCode::NOT_FOUND, field).await;
    }
    let long = "A".repeat(61);
    assert_error(
        app.get(&format!("/references/authorisationdomainroles/{long}"))
            .await,
        StatusCode::BAD_REQUEST,
        "AuthorisationDomainRoleName: must be 1 to 60 characters",
    )
    .await;
    assert_error(
        app.get(&format!("/references/authorities/{}", "9".repeat(41)))
            .await,
        StatusCode::BAD_REQUEST,
        "AuthorityId",
    )
    .await;
    assert_error(
        app.get("/references/authorisationdomainroles?size=0").await,
        StatusCode::BAD_REQUEST,
        "size",
    )
    .await;
    let anonymous = app.get_public(&app.url("/references/authorities")).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
