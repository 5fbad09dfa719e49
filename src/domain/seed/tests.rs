use super::*;

const TOML: &str = r#"
[[trust_anchors]]
organisationName = "OpenBanking"
commonName = "OpenBanking Pre-Production Root CA"
country = "GB"

[[organisations]]
OrganisationId = "0015800001041RHAAY"
OrganisationName = "Thistle Payments"

[[organisations.SoftwareStatements]]
SoftwareStatementId = "2kiXQyo0tedjW2somjSgH7"
ClientName = "Thistle"
SoftwareRoles = ["AISP", "PISP"]
Version = 1

[[organisations.SoftwareStatements.Certificates]]
Type = "sigkey"
PemFile = "keys/sig.pem"
"#;

const JSON: &str = r#"{
  "trust_anchors": [{"organisationName": "OpenBanking",
"commonName": "OpenBanking Pre-Production Root CA", "country": "GB"}],
  "organisations": [{
"OrganisationId": "0015800001041RHAAY",
"OrganisationName": "Thistle Payments",
"SoftwareStatements": [{
  "SoftwareStatementId": "2kiXQyo0tedjW2somjSgH7",
  "ClientName": "Thistle",
  "SoftwareRoles": ["AISP", "PISP"],
  "Version": 1,
  "Certificates": [{"Type": "sigkey", "PemFile": "keys/sig.pem"}]
}]
  }]
}"#;

#[test]
fn toml_and_json_read_the_same() {
    let toml = Seed::parse(TOML, SeedFormat::Toml).unwrap();
    let json = Seed::parse(JSON, SeedFormat::Json).unwrap();
    assert_eq!(toml, json);
    let ss = &toml.organisations[0].software_statements[0];
    assert_eq!(ss.id.as_str(), "2kiXQyo0tedjW2somjSgH7");
    assert_eq!(ss.certificates[0].key_type, CertOrKeyType::Sigkey);
    let request = ss.request().unwrap();
    assert_eq!(request.software_roles.unwrap(), ["AISP", "PISP"]);
}

#[test]
fn the_format_is_the_extension_else_the_content() {
    assert_eq!(SeedFormat::of(Path::new("a.json"), ""), SeedFormat::Json);
    assert_eq!(SeedFormat::of(Path::new("a.TOML"), "{"), SeedFormat::Toml);
    assert_eq!(
        SeedFormat::of(Path::new("seed"), " {\"a\":1}"),
        SeedFormat::Json
    );
    assert_eq!(SeedFormat::of(Path::new("seed"), "[x]"), SeedFormat::Toml);
}

#[test]
fn an_unknown_key_is_named_with_its_place() {
    let bad = JSON.replace("\"ClientName\"", "\"ClientNom\"");
    let err = Seed::parse(&bad, SeedFormat::Json).unwrap_err();
    assert!(
        err.contains("organisations[0].SoftwareStatements[0]"),
        "{err}"
    );
    assert!(err.contains("`ClientNom`"), "{err}");

    let bad = TOML.replace("PemFile", "PemPath");
    let err = Seed::parse(&bad, SeedFormat::Toml).unwrap_err();
    assert!(
        err.contains("organisations[0].SoftwareStatements[0].Certificates[0]"),
        "{err}"
    );
    assert!(err.contains("`PemPath`"), "{err}");

    let err = Seed::parse("[[ra_operators]]\nname = \"x\"\n", SeedFormat::Toml).unwrap_err();
    assert!(err.contains("ra_operators[0]"), "{err}");
    assert!(err.contains("`name`"), "{err}");

    let bad = TOML.replace("Version = 1", "ClientSecret = \"s\"");
    let err = Seed::parse(&bad, SeedFormat::Toml).unwrap_err();
    assert!(err.contains("nothing secret"), "{err}");
}

#[test]
fn a_bad_value_is_named_with_its_place() {
    let bad = TOML.replace("Type = \"sigkey\"", "Type = \"brseal\"");
    let err = Seed::parse(&bad, SeedFormat::Toml).unwrap_err();
    assert!(err.contains("Certificates[0].Type: brseal"), "{err}");

    let bad = JSON.replace("[\"AISP\", \"PISP\"]", "\"AISP\"");
    let err = Seed::parse(&bad, SeedFormat::Json).unwrap_err();
    assert!(err.contains("SoftwareRoles"), "{err}");

    let bad = JSON.replace("\"0015800001041RHAAY\"", "\"a<b\"");
    let err = Seed::parse(&bad, SeedFormat::Json).unwrap_err();
    assert!(err.contains("organisations[0]: OrganisationId"), "{err}");

    let bad = TOML.replace("OrganisationId = \"0015800001041RHAAY\"\n", "");
    let err = Seed::parse(&bad, SeedFormat::Toml).unwrap_err();
    assert!(err.contains("OrganisationId: must be given"), "{err}");
}

#[test]
fn pem_files_are_read_beside_the_seed() {
    let mut seed = Seed::parse(TOML, SeedFormat::Toml).unwrap();
    seed.read_pem_files(Path::new("/seeds"), |path| {
        assert_eq!(path, Path::new("/seeds/keys/sig.pem"));
        Ok("PEM".into())
    })
    .unwrap();
    let certificate = &seed.organisations[0].software_statements[0].certificates[0];
    assert_eq!(certificate.pem_text(), Some("PEM"));
}

#[test]
fn a_trust_anchor_is_known_by_its_names() {
    let anchor = Seed::parse(TOML, SeedFormat::Toml).unwrap().trust_anchors[0].clone();
    assert!(anchor.is_subject("C=GB, O=OpenBanking, CN=OpenBanking Pre-Production Root CA"));
    assert!(!anchor.is_subject("C=BR, O=OpenBanking, CN=OpenBanking Pre-Production Root CA"));
    assert!(!anchor.is_subject("C=GB, O=obdir, CN=obdir Root CA"));
}

#[test]
fn servers_resources_and_contacts_are_read_with_their_places() {
    let seed = r#"{"organisations": [{
  "OrganisationId": "bank", "OrganisationName": "Bank",
  "Contacts": [{"ContactType": "Technical", "EmailAddress": "api@bank.example"}],
  "AuthorisationServers": [{
    "AuthorisationServerId": "bank-as", "CustomerFriendlyName": "Bank",
    "ApiResources": [{"ApiFamilyType": "consents", "ApiVersion": "2.0.0",
      "ApiDiscoveryEndpoints": ["https://api.bank.example/open-banking/consents/v2/consents"]}]
  }]
}]}"#;
    let parsed = Seed::parse(seed, SeedFormat::Json).unwrap();
    let org = &parsed.organisations[0];
    assert_eq!(org.contacts[0].contact_type.as_deref(), Some("Technical"));
    let server = &org.authorisation_servers[0];
    assert_eq!(server.id.as_str(), "bank-as");
    let resource = &server.api_resources[0];
    assert_eq!(
        (resource.family.as_str(), resource.version.as_str()),
        ("consents", "2.0.0")
    );
    assert_eq!(resource.discovery_endpoints.len(), 1);
    assert!(resource.request().unwrap().api_endpoint.is_none());

    for (change, needle) in [
        (
            ("\"AuthorisationServerId\": \"bank-as\", ", ""),
            "organisations[0].AuthorisationServers[0]: AuthorisationServerId: must be given",
        ),
        (
            ("\"ApiVersion\": \"2.0.0\",", ""),
            "ApiResources[0]: ApiVersion: must be given",
        ),
        (
            (
                "\"ApiDiscoveryEndpoints\"",
                "\"ApiEndpoint\": \"https://x.example\", \"ApiDiscoveryEndpoints\"",
            ),
            "ApiResources[0]: ApiEndpoint: list a seeded resource's endpoints in ApiDiscoveryEndpoints",
        ),
        (
            ("\"EmailAddress\"", "\"Email\""),
            "organisations[0].Contacts[0].Email: unknown field `Email`",
        ),
        (
            ("\"CustomerFriendlyName\"", "\"FriendlyName\""),
            "AuthorisationServers[0]: unknown field `FriendlyName`",
        ),
    ] {
        let bad = seed.replace(change.0, change.1);
        let err = Seed::parse(&bad, SeedFormat::Json).unwrap_err();
        assert!(err.contains(needle), "{needle:?} in {err}");
    }
}

#[test]
fn a_seeded_record_without_an_id_is_known_by_what_names_it() {
    let contact = ContactRequest {
        contact_type: Some("Technical".into()),
        email_address: Some("api@bank.example".into()),
        ..Default::default()
    };
    assert!(is_seeded_contact(&contact, "Technical", "api@bank.example"));
    assert!(!is_seeded_contact(&contact, "Business", "api@bank.example"));
    let claim = AuthorityClaimRequest {
        authority_id: Some("bcb".into()),
        authorisation_domain: Some("Open Banking".into()),
        role: Some("DADOS".into()),
        ..Default::default()
    };
    assert!(is_seeded_claim(&claim, "bcb", "Open Banking", "DADOS"));
    assert!(!is_seeded_claim(&claim, "bcb", "Open Banking", "PAGTO"));
    let seed = Seed::parse(
        r#"{"organisations": [{"OrganisationId": "b", "OrganisationName": "B",
        "AuthorisationServers": [{"AuthorisationServerId": "s", "ApiResources": [
        {"ApiFamilyType": "accounts", "ApiVersion": "2.0.0"}]}]}]}"#,
        SeedFormat::Json,
    )
    .unwrap();
    let resource = &seed.organisations[0].authorisation_servers[0].api_resources[0];
    assert!(resource.is("accounts", "2.0.0"));
    assert!(!resource.is("accounts", "2.0.1"));
}
