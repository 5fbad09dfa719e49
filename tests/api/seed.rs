//! Seed files: the Brazil and UK fixtures loaded at start (`serve --seed`),
//! into a running directory (`obdir seed`), in TOML and JSON, twice, and
//! refused with the file and the field named.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use obdir::domain::PublicJwk;
use obdir::pki::jwk::thumbprint_sha256;
use obdir::service::seed::{self, SeedReport};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::helpers::*;

const UK_ORG: &str = "0015800001ZEZ3hAAH";
const UK_BUDGET: &str = "uo7sP7nVyzA3tk0dX46wzM";
const UK_PAY: &str = "L5etuYHPgj1Na8V41Wzhq4";
const WREN_ORG: &str = "0015800000jfQ9aAAE";
const WREN_SS: &str = "iSMyPb0j6gRJvOAR03Y2Th";
const BR_ORG: &str = "acef1903-0ff9-4aa6-b006-1f6eb496390e";
const BR_SS: &str = "0f22bc4d-cdb4-4c42-bc22-74ac2d3756ff";
const CERRADO_ORG: &str = "b5cec5c5-81e0-484d-90b2-31070ddfef69";
const CERRADO_SS: &str = "05fe5a87-79b3-431b-95d7-98d8b835d65d";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn serve_command(data_dir: &Path, seed: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_obdir"));
    command
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .arg("--seed")
        .arg(seed)
        .env("OBDIR_ADMIN_TOKEN", TOKEN)
        .env_remove("OBDIR_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// `obdir serve --seed SEED` as its own process, killed when dropped,
/// playing UK Open Banking (`keystore.flavour = "obie"`), whose roles and
/// authority the UK fixture's claims name.
fn serve_uk(data_dir: &Path, seed: &Path) -> ObdirProcess {
    let config = data_dir.with_extension("toml");
    std::fs::write(&config, "[keystore]\nflavour = \"obie\"\n").unwrap();
    let mut command = serve_command(data_dir, seed);
    command.env("OBDIR_CONFIG", &config);
    ObdirProcess::watch(command.spawn().expect("obdir starts"))
}

async fn get(url: &str) -> Value {
    let response = reqwest::Client::new()
        .get(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    response.json().await.expect("JSON")
}

/// The (type, key thumbprint) of every certificate and key of an owner,
/// which stay the same whichever run issued the certificates.
async fn keys(base: &str, owner: &str) -> Vec<(String, String)> {
    let records = get(&format!("{base}/organisations/{owner}/certificates")).await;
    let mut keys: Vec<(String, String)> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let jwk: PublicJwk = serde_json::from_value(r.clone()).unwrap();
            (
                r["keyType"].as_str().unwrap().to_owned(),
                thumbprint_sha256(&jwk),
            )
        })
        .collect();
    keys.sort();
    keys
}

fn statement(org: &str, ss: &str) -> String {
    format!("{org}/softwarestatements/{ss}")
}

/// What the UK fixture puts in a directory, read over HTTP.
async fn uk_state(base: &str) -> Value {
    let mut state = serde_json::Map::new();
    for org in [UK_ORG, WREN_ORG] {
        let mut organisation =
            get(&format!("{base}/organisations/{org}")).await["OrgDetails"].take();
        organisation.as_object_mut().unwrap().remove("CreatedOn");
        state.insert(org.into(), organisation);
        let statements = get(&format!("{base}/organisations/{org}/softwarestatements")).await;
        state.insert(format!("{org} statements"), statements);
    }
    for (org, ss) in [(UK_ORG, UK_BUDGET), (UK_ORG, UK_PAY), (WREN_ORG, WREN_SS)] {
        let owner = statement(org, ss);
        state.insert(
            owner.clone(),
            serde_json::to_value(keys(base, &owner).await).unwrap(),
        );
    }
    Value::Object(state)
}

fn root_names(roots: &Value) -> Vec<String> {
    roots["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["certificateData"]["subject"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn serve_seed_loads_the_uk_fixture_and_a_restart_with_it_adds_nothing() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("data");
    let first = serve_uk(&data, &fixture("uk.toml"));
    let base = first.address.clone();

    let thistle = get(&format!("{base}/organisations/{UK_ORG}")).await["OrgDetails"].take();
    assert_eq!(thistle["LegalEntityName"], "Thistle Payments Ltd");
    assert_eq!(thistle["RegistrationId"], "924871");
    let budget = get(&format!(
        "{base}/organisations/{}",
        statement(UK_ORG, UK_BUDGET)
    ))
    .await;
    assert_eq!(budget["SoftwareRoles"], serde_json::json!(["AISP"]));

    let owner = statement(UK_ORG, UK_BUDGET);
    let records = get(&format!("{base}/organisations/{owner}/certificates")).await;
    let kid_of = |key_type: &str| {
        records
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["keyType"] == key_type)
            .unwrap_or_else(|| panic!("no {key_type} in {records}"))["kid"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let transport = kid_of("rtstransport");
    let signing = kid_of("rtssigning");
    // The UK keystore: one document per statement, `{org}/{ss}.jwks`.
    let keystore = format!("{base}/keystore/{UK_ORG}/{UK_BUDGET}");
    let jwks = get(&format!("{keystore}.jwks")).await.to_string();
    assert!(
        jwks.contains(&transport) && jwks.contains(&signing),
        "{jwks}"
    );
    let wren = get(&format!("{base}/keystore/{WREN_ORG}/{WREN_SS}.jwks")).await;
    let uses: Vec<&str> = wren["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["use"].as_str().unwrap())
        .collect();
    assert!(uses.contains(&"enc"), "{wren}");

    // The trust anchor came first, so it signs what the seed had issued.
    let roots = get(&format!("{base}/v1/ecosystems/certificates/ca")).await;
    assert!(
        root_names(&roots)
            .contains(&"C=GB, O=OpenBanking, CN=OpenBanking Pre-Production Root CA".to_owned()),
        "{roots}"
    );
    let pem = reqwest::get(format!("{base}/keystore/{UK_ORG}/{transport}.pem"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let chain = reqwest::get(format!("{base}/ca/chain.pem"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The signing issuing CA comes first in the chain; with the seeded root
    // alone beside it, the certificate verifies.
    let issuing = chain
        .split_inclusive("-----END CERTIFICATE-----\n")
        .next()
        .unwrap();
    let anchor = roots["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["certificateData"]["subject"]
                .as_str()
                .unwrap()
                .contains("Pre-Production")
        })
        .unwrap()["certificatePem"]
        .as_str()
        .unwrap()
        .to_owned();
    let (verified, out) = Tpp::new().verify(&format!("{issuing}{anchor}"), &pem);
    assert!(verified, "{out}");
    let before = uk_state(&base).await;
    drop(first);

    let second = serve_uk(&data, &fixture("uk.toml"));
    let base = second.address.clone();
    assert!(
        second
            .log()
            .iter()
            .any(|l| l.contains(
                "uk.toml: 0 trust anchors, 0 organisations, 0 authority claims, 0 contacts, 0 authorisation servers, 0 API resources, 0 discovery endpoints, 0 software statements, 0 certificates or keys, 0 RA clients and 0 RA operators created"
            )),
        "{:?}",
        second.log()
    );
    assert_eq!(uk_state(&base).await, before);
    let records_again = get(&format!("{base}/organisations/{owner}/certificates")).await;
    // The same records, the same kids; only the port in their URLs moved.
    let kids = |records: &Value| -> Vec<Value> {
        records
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["kid"].clone())
            .collect()
    };
    assert_eq!(kids(&records_again), kids(&records));
    let roots_again = get(&format!("{base}/v1/ecosystems/certificates/ca")).await;
    assert_eq!(root_names(&roots_again), root_names(&roots));
}

#[tokio::test]
async fn the_brazil_fixture_loads_into_a_running_core_and_loading_again_changes_nothing() {
    let app = spawn_app().await;
    let report = seed::load(
        &app.services.directory,
        &app.services.ra,
        &fixture("brazil.toml"),
    )
    .await
    .unwrap();
    assert_eq!(
        report,
        SeedReport {
            trust_anchors: 1,
            organisations: 3,
            software_statements: 3,
            authority_claims: 5,
            certificates: 3,
            ..Default::default()
        }
    );

    let jabuticaba: Value = app
        .get(&format!("/organisations/{BR_ORG}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        jabuticaba["OrgDetails"]["RegistrationNumber"],
        "38491027000105"
    );
    assert_eq!(jabuticaba["OrgDetails"]["City"], "São Paulo");
    let pay: Value = app
        .get(&format!("/organisations/{}", statement(BR_ORG, BR_SS)))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pay["SoftwareRoles"], serde_json::json!(["DADOS", "PAGTO"]));

    let own = keys(&app.address, BR_ORG).await;
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].0, "brseal");
    let transport = app
        .jwks_kids(&app.url(&format!(
            "/keystore/{CERRADO_ORG}/{CERRADO_SS}/transport.jwks"
        )))
        .await;
    assert_eq!(transport.len(), 1);
    let roots: Value = app
        .get("/v1/ecosystems/certificates/ca")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        root_names(&roots)
            .contains(&"C=BR, O=Open Banking Brasil, CN=Open Banking Root SANDBOX".into())
    );

    let before = app.services.test_control.stored_contents().unwrap();
    let again = seed::load(
        &app.services.directory,
        &app.services.ra,
        &fixture("brazil.toml"),
    )
    .await
    .unwrap();
    assert_eq!(again, SeedReport::default());
    assert!(
        app.services.test_control.stored_contents().unwrap() == before,
        "a second load wrote"
    );
}

#[tokio::test]
async fn toml_and_json_of_the_same_seed_give_the_same_directory() {
    let dir = TempDir::new().unwrap();
    let toml_text = std::fs::read_to_string(fixture("uk.toml")).unwrap();
    let as_json: Value = toml::from_str(&toml_text).unwrap();
    let json_file = dir.path().join("uk.json");
    std::fs::write(&json_file, serde_json::to_string_pretty(&as_json).unwrap()).unwrap();
    // No extension: the content says JSON.
    let bare_file = dir.path().join("uk-seed");
    std::fs::write(&bare_file, as_json.to_string()).unwrap();

    let mut states = Vec::new();
    for file in [fixture("uk.toml"), json_file, bare_file] {
        let app = spawn_app().await;
        seed::load(&app.services.directory, &app.services.ra, &file)
            .await
            .unwrap();
        states.push(uk_state(&app.address).await);
    }
    assert_eq!(states[0], states[1]);
    assert_eq!(states[0], states[2]);
}

#[tokio::test]
async fn demo_json_still_loads_and_client_secrets_are_made_not_seeded() {
    let app = spawn_app_with(AppOptions {
        client_secret_basic: true,
        ..Default::default()
    })
    .await;
    // spawn_app seeded fixtures/demo.json already: loading it again adds nothing.
    let again = seed::load(
        &app.services.directory,
        &app.services.ra,
        &fixture("demo.json"),
    )
    .await
    .unwrap();
    assert_eq!(again, SeedReport::default());

    let report = seed::load(
        &app.services.directory,
        &app.services.ra,
        &fixture("uk.toml"),
    )
    .await
    .unwrap();
    assert_eq!(report.client_secrets.len(), 3);
    let secret = &report.client_secrets[UK_PAY];
    let response = app
        .client
        .post(app.url("/token"))
        .basic_auth(UK_PAY, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_seed_with_an_unknown_key_stops_the_start_naming_the_file_and_the_field() {
    let dir = TempDir::new().unwrap();
    let bad = dir.path().join("typo.toml");
    let text = std::fs::read_to_string(fixture("uk.toml"))
        .unwrap()
        .replace(
            "ClientName = \"Thistle Pay\"",
            "ClientNmae = \"Thistle Pay\"",
        );
    std::fs::write(&bad, text).unwrap();

    let output = tokio::task::spawn_blocking({
        let (data, bad) = (dir.path().join("data"), bad.clone());
        move || serve_command(&data, &bad).output().unwrap()
    })
    .await
    .unwrap();
    assert!(!output.status.success());
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(log.contains(&bad.display().to_string()), "{log}");
    assert!(
        log.contains("organisations[0].SoftwareStatements[1]: unknown field `ClientNmae`"),
        "{log}"
    );
    assert!(!log.contains("obdir listening"), "{log}");
    assert!(
        !dir.path().join("data").exists(),
        "a seed that does not parse stops the start before a data dir or CA is made"
    );
}

#[tokio::test]
async fn a_seed_with_a_bad_value_names_every_field_and_writes_nothing() {
    let app = spawn_app().await;
    let dir = TempDir::new().unwrap();
    let bad = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(fixture("uk.toml"))
        .unwrap()
        .replace(
            "https://card.wren.example/callback",
            "http://card.wren.example/callback",
        )
        .replace("Postcode = \"EH2 2PR\"", "Postcode = \"E\"");
    std::fs::write(&bad, &text).unwrap();
    // The transport CSRs were made for the fixture's ids: renaming an id
    // breaks their subject, which the check finds before anything is written.
    let text = text.replace(WREN_SS, "renamed-statement");
    std::fs::write(&bad, text).unwrap();

    assert_refused_naming(
        &app,
        &bad,
        &[
            bad.display().to_string().as_str(),
            "organisations[0]: Postcode: must be 3 to 40 characters",
            "organisations[1].SoftwareStatements[0]: RedirectUri[0]: must be a URI starting with https://",
            "organisations[1].SoftwareStatements[0].Certificates[0]: subject does not name this software statement: CN",
        ],
    )
    .await;
}

/// Runs `obdir seed ...` off the test's runtime, with no OBDIR_* settings.
async fn obdir_seed(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_obdir"));
        command.arg("seed").args(args);
        for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("OBDIR_")) {
            command.env_remove(name);
        }
        command.output().expect("obdir runs")
    })
    .await
    .unwrap()
}

fn args(file: &Path, app: &TestApp) -> Vec<String> {
    vec![
        file.display().to_string(),
        "--url".into(),
        app.address.clone(),
        "--token".into(),
        TOKEN.into(),
    ]
}

#[tokio::test]
async fn obdir_seed_loads_a_running_directory_once() {
    let app = spawn_app().await;
    let output = obdir_seed(args(&fixture("uk.toml"), &app)).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["trust_anchors"], 1);
    assert_eq!(report["organisations"], 2);
    assert_eq!(report["software_statements"], 3);
    assert_eq!(report["certificates"], 6);

    // The same directory as a seed at start makes.
    let started = spawn_app().await;
    seed::load(
        &started.services.directory,
        &started.services.ra,
        &fixture("uk.toml"),
    )
    .await
    .unwrap();
    assert_eq!(
        uk_state(&app.address).await,
        uk_state(&started.address).await
    );

    let before = app.services.test_control.stored_contents().unwrap();
    let output = obdir_seed(args(&fixture("uk.toml"), &app)).await;
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["organisations"], 0);
    assert_eq!(report["certificates"], 0);
    assert_eq!(report["trust_anchors"], 0);
    assert!(
        app.services.test_control.stored_contents().unwrap() == before,
        "a second seed wrote"
    );
}

#[tokio::test]
async fn obdir_seed_loads_the_demos_banks_with_their_servers_and_contacts_once() {
    let app = spawn_app().await;
    // The demo is loaded already: over HTTP too, loading it adds nothing.
    let before = app.services.test_control.stored_contents().unwrap();
    let output = obdir_seed(args(&fixture("demo.json"), &app)).await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: SeedReport = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report, SeedReport::default());
    assert!(
        app.services.test_control.stored_contents().unwrap() == before,
        "a second seed wrote"
    );

    // The banks under other ids are new: everything of theirs is created.
    let dir = TempDir::new().unwrap();
    let copy = dir.path().join("banks.json");
    let mut demo: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("demo.json")).unwrap()).unwrap();
    let banks: Vec<Value> = demo["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["OrganisationId"] != ORG)
        .cloned()
        .collect();
    demo["organisations"] = Value::Array(banks);
    let text = demo
        .to_string()
        .replace(AURORA, "aurora-copy")
        .replace(JACARANDA, "jacaranda-copy")
        .replace(AURORA_AS, "aurora-as-copy");
    std::fs::write(&copy, text).unwrap();
    let output = obdir_seed(args(&copy, &app)).await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: SeedReport = serde_json::from_slice(&output.stdout).unwrap();
    let expected = SeedReport {
        organisations: 2,
        authority_claims: 4,
        contacts: 6,
        authorisation_servers: 2,
        api_resources: 7,
        discovery_endpoints: 16,
        ..Default::default()
    };
    assert_eq!(report, expected);
    // As `serve --seed` makes them: the server reads as the original does.
    assert_eq!(
        server_without_ids(&app, "aurora-copy", "aurora-as-copy").await,
        server_without_ids(&app, AURORA, AURORA_AS).await
    );
    let again = obdir_seed(args(&copy, &app)).await;
    let report: SeedReport = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report, SeedReport::default());
}

#[tokio::test]
async fn a_demo_with_bad_contacts_servers_and_endpoints_names_each_and_writes_nothing() {
    let app = spawn_app().await;
    let dir = TempDir::new().unwrap();
    let bad = dir.path().join("bad.json");
    let mut demo: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("demo.json")).unwrap()).unwrap();
    let aurora = &mut demo["organisations"][1];
    aurora["OrganisationId"] = json!("aurora-elsewhere");
    aurora["Contacts"][0]["EmailAddress"] = json!("open-finance at aurora");
    let server = &mut aurora["AuthorisationServers"][0];
    server["AuthorisationServerId"] = json!("aurora-as-elsewhere");
    server["Issuer"] = json!("http://auth.banco-aurora.example");
    server["ApiResources"][0]["ApiVersion"] = json!("2");
    server["ApiResources"][0]["ApiDiscoveryEndpoints"][1] = json!("ftp://api.banco-aurora.example");
    std::fs::write(&bad, demo.to_string()).unwrap();

    assert_refused_naming(
        &app,
        &bad,
        &[
            "organisations[1].Contacts[0]: EmailAddress",
            "organisations[1].AuthorisationServers[0]: Issuer",
            "organisations[1].AuthorisationServers[0].ApiResources[0]: ApiVersion",
            "organisations[1].AuthorisationServers[0].ApiResources[0].ApiDiscoveryEndpoints[1]: ApiEndpoint",
        ],
    )
    .await;
}

/// Loads the seed at `bad`, which must be refused with each of `needles`
/// in its error and nothing written.
async fn assert_refused_naming(app: &TestApp, bad: &Path, needles: &[&str]) {
    let before = app.services.test_control.stored_contents().unwrap();
    let error = seed::load(&app.services.directory, &app.services.ra, bad)
        .await
        .unwrap_err()
        .to_string();
    for needle in needles {
        assert!(error.contains(needle), "no {needle:?} in {error}");
    }
    assert!(
        app.services.test_control.stored_contents().unwrap() == before,
        "a refused seed wrote"
    );
}

/// An authorisation server as the API reads it, with the ids made for it
/// and its resources blanked, its resources in family order.
async fn server_without_ids(app: &TestApp, org: &str, id: &str) -> Value {
    let path = format!("/organisations/{org}/authorisationservers/{id}");
    let mut read: Value = app.get(&path).await.json().await.unwrap();
    for resource in read["ApiResources"].as_array_mut().unwrap() {
        resource["ApiResourceId"] = Value::Null;
        for endpoint in resource["ApiDiscoveryEndpoints"].as_array_mut().unwrap() {
            endpoint["ApiDiscoveryId"] = Value::Null;
        }
    }
    read["ApiResources"]
        .as_array_mut()
        .unwrap()
        .sort_by_key(|r| r["ApiFamilyType"].to_string());
    read["AuthorisationServerId"] = Value::Null;
    read["OrganisationId"] = Value::Null;
    read
}

#[tokio::test]
async fn obdir_seed_exits_1_with_the_servers_refusal() {
    let app = spawn_app().await;
    let dir = TempDir::new().unwrap();
    // The demo statement's transport CSR, offered for another statement.
    let seed_file = dir.path().join("other.json");
    let seed_text = serde_json::json!({
        "organisations": [{
            "OrganisationId": "other-org",
            "OrganisationName": "Other TPP",
            "SoftwareStatements": [{
                "SoftwareStatementId": "other-ss",
                "ClientName": "Other",
                "Certificates": [
                    {"Type": "sigkey", "PemFile": fixture("tpp/sigkey-p256.pem")},
                    {"Type": "rtstransport", "PemFile": fixture("tpp/rtstransport.csr")}
                ]
            }]
        }]
    });
    std::fs::write(&seed_file, seed_text.to_string()).unwrap();
    let output = obdir_seed(args(&seed_file, &app)).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "400 Bad Request: organisations[0].SoftwareStatements[0].Certificates[1]: subject does not name this software statement: CN: is"
        ),
        "{stderr}"
    );
    // What came before the refusal is in, and a fixed seed goes on from there.
    let created = keys(&app.address, &statement("other-org", "other-ss")).await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].0, "sigkey");

    std::fs::write(
        &seed_file,
        "{\"organisations\": [{\"OrganisationId\": \"x\", \"Colour\": 1}]}",
    )
    .unwrap();
    let output = obdir_seed(args(&seed_file, &app)).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown field `Colour`"));

    let output = obdir_seed(args(&dir.path().join("missing.toml"), &app)).await;
    assert_eq!(output.status.code(), Some(3));
}
