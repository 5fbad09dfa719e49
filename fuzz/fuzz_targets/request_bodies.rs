//! JSON request bodies: the directory's OrganisationRequest and
//! SoftwareStatementRequest (create, and update laid over an existing
//! record), AuthorisationServerRequest (create, and a PUT over an existing
//! server), ApiResourceRequest, ApiDiscoveryEndpointRequest and the
//! certification request, the authority claims' requests (a licence, its
//! authorisation, a domain claim, a statement's claim) against both
//! flavours' reference catalogues, and the ecosystem's root CA request,
//! decoded as the faces do and held to their rules.
#![no_main]

use chrono::{DateTime, Months, Utc};
use libfuzzer_sys::fuzz_target;
use obdir::api::decode_json_object;
use obdir::domain::api_resource::{ApiDiscoveryEndpointRequest, ApiResourceRequest};
use obdir::domain::authorisation_server::AuthorisationServerRequest;
use obdir::domain::authority_claim::{
    Authorisation, AuthorisationRequest, AuthorityClaim, AuthorityClaimRequest, DomainClaim,
    DomainClaimRequest, SoftwareClaim, SoftwareClaimRequest,
};
use obdir::domain::reference::Catalogue;
use obdir::domain::certification::ServerCertificationRequest;
use obdir::domain::ecosystem::{MAX_ROOT_YEARS, RootRequest};
use obdir::domain::organisation::{OrganisationRequest, SoftwareStatementRequest};
use obdir::domain::{
    ApiDiscoveryEndpoint, ApiDiscoveryEndpointId, ApiResource, ApiResourceId, AuthorisationId,
    AuthorisationServer, AuthorisationServerId, AuthorityClaimId, CertificationId, DomainClaimId,
    Flavour, Organisation, OrganisationId, ServerCertification, SoftwareClaimId,
    SoftwareStatement, SoftwareStatementId,
};

const ORG: &str = "c8f0bf49-4744-4933-8960-7add6e590841";
const SS: &str = "d6a3b1c4-9e2f-4a7b-8c5d-0f1e2d3c4b5a";
const NOW: &str = "2026-12-01T00:00:00Z";

fuzz_target!(|body: &[u8]| {
    let now: DateTime<Utc> = NOW.parse().expect("a fixed RFC 3339 time");
    let org = OrganisationId::parse(ORG).expect("the demo organisation id is valid");

    if let Ok(request) = decode_json_object::<OrganisationRequest>(body) {
        let id = request
            .organisation_id
            .clone()
            .unwrap_or_else(|| ORG.into());
        let _ = Organisation::from_request(request, &id, now);
    }
    let base = Organisation::from_request(
        OrganisationRequest {
            organisation_name: Some("Demo TPP".into()),
            ..Default::default()
        },
        ORG,
        now,
    )
    .expect("the base organisation is valid");
    if let Ok(request) = decode_json_object::<OrganisationRequest>(body) {
        let _ = Organisation::from_request(request.over(&base), ORG, base.created_on);
    }

    if let Ok(request) = decode_json_object::<SoftwareStatementRequest>(body) {
        let id = request
            .software_statement_id
            .clone()
            .unwrap_or_else(|| SS.into());
        let _ = SoftwareStatement::from_request(request, &org, &id);
    }
    let base = SoftwareStatement::from_request(
        SoftwareStatementRequest {
            client_name: Some("Demo TPP app".into()),
            ..Default::default()
        },
        &org,
        SS,
    )
    .expect("the base statement is valid");
    if let Ok(request) = decode_json_object::<SoftwareStatementRequest>(body) {
        let _ = SoftwareStatement::from_request(request.over(&base), &org, SS);
    }

    let server = |request, previous| {
        AuthorisationServer::from_request(request, &org, "as-1", previous, now)
    };
    let base = server(
        AuthorisationServerRequest {
            auto_registration_supported: Some(false),
            customer_friendly_name: Some("Demo bank".into()),
            customer_friendly_description: Some("Demo bank's server".into()),
            notification_webhook: Some("https://hooks.bank.example/directory".into()),
            ..Default::default()
        },
        None,
    )
    .expect("the base server is valid");
    if let Ok(request) = decode_json_object::<AuthorisationServerRequest>(body) {
        let _ = server(request, None);
    }
    if let Ok(request) = decode_json_object::<AuthorisationServerRequest>(body)
        && let Ok(replaced) = server(request, Some(&base))
    {
        // Every URL it keeps is an https URL.
        for url in [
            &replaced.open_id_discovery_document,
            &replaced.issuer,
            &replaced.notification_webhook,
            &replaced.terms_of_service_uri,
        ]
        .into_iter()
        .flatten()
        {
            assert!(url.starts_with("https://"), "{url}");
        }
    }

    let resource_id = ApiResourceId::parse("r-1").unwrap();
    let endpoint_id = ApiDiscoveryEndpointId::parse("e-1").unwrap();
    if let Ok(request) = decode_json_object::<ApiResourceRequest>(body)
        && let Ok(resource) = ApiResource::from_request(request, resource_id, None, endpoint_id.clone())
    {
        // An x.y.z version, and every endpoint an https URL.
        assert_eq!(resource.version_parts().len(), 3, "{}", resource.api_version);
        for endpoint in &resource.api_discovery_endpoints {
            assert!(endpoint.api_endpoint.starts_with("https://"));
        }
    }
    if let Ok(request) = decode_json_object::<ApiDiscoveryEndpointRequest>(body)
        && let Ok(endpoint) = ApiDiscoveryEndpoint::from_request(request, endpoint_id)
    {
        assert!(endpoint.api_endpoint.starts_with("https://"));
    }
    if let Ok(request) = decode_json_object::<ServerCertificationRequest>(body) {
        let server = AuthorisationServerId::parse("as-1").unwrap();
        let id = CertificationId::parse("c-1").unwrap();
        if let Ok(certification) = ServerCertification::from_request(request, &server, id) {
            // What it stores reads back as it was written.
            let text = serde_json::to_string(&certification).unwrap();
            let again: ServerCertification = serde_json::from_str(&text).unwrap();
            assert_eq!(again.certified, certification.certified);
        }
    }

    for flavour in [Flavour::Raidiam, Flavour::Obie] {
        let catalogue = Catalogue::of(flavour);
        let claim_id = AuthorityClaimId::parse("c-1").unwrap();
        if let Ok(request) = decode_json_object::<AuthorityClaimRequest>(body)
            && let Ok(claim) =
                AuthorityClaim::from_request(request, catalogue, &org, claim_id.clone(), Vec::new())
        {
            // Every name it keeps is the catalogue's, the role one of its domain.
            let role = catalogue.role(&claim.role).expect("a known role");
            assert_eq!(role.domain, claim.authorisation_domain);
            assert!(catalogue.authority(&claim.authority_id).is_some());
        }
        if let Ok(request) = decode_json_object::<DomainClaimRequest>(body) {
            for replacing in [false, true] {
                let id = DomainClaimId::parse("d-1").unwrap();
                if let Ok(claim) = DomainClaim::from_request(request.clone(), catalogue, id, replacing) {
                    let authority = catalogue.authority(&claim.authority_id).expect("known");
                    assert_eq!(authority.name, claim.authority_name);
                }
            }
        }
        if let Ok(request) = decode_json_object::<SoftwareClaimRequest>(body) {
            let ss = SoftwareStatementId::parse(SS).unwrap();
            let id = SoftwareClaimId::parse("s-1").unwrap();
            if let Ok(claim) = SoftwareClaim::from_request(request, catalogue, &ss, id) {
                assert!(catalogue.role(&claim.role).is_some());
            }
        }
    }
    if let Ok(request) = decode_json_object::<AuthorisationRequest>(body) {
        let claim_id = AuthorityClaimId::parse("c-1").unwrap();
        let id = AuthorisationId::parse("a-1").unwrap();
        if let Ok(authorisation) = Authorisation::from_request(request, &claim_id, id) {
            assert!((2..=10).contains(&authorisation.member_state.chars().count()));
        }
    }

    if let Ok(request) = decode_json_object::<RootRequest>(body)
        && let Ok(root) = request.check(now, "obdir DTS CA", "BR")
    {
        let latest = now
            .checked_add_months(Months::new(12 * MAX_ROOT_YEARS))
            .expect("twenty years from 2026 is a date");
        assert!(root.not_before < root.not_after);
        assert!(root.not_after <= latest);
    }
});
