//! JSON request bodies: the directory's OrganisationRequest and
//! SoftwareStatementRequest (create, and update laid over an existing
//! record), and the ecosystem's root CA request, decoded as the faces do and
//! held to their rules.
#![no_main]

use chrono::{DateTime, Months, Utc};
use libfuzzer_sys::fuzz_target;
use obdir::api::decode_json_object;
use obdir::domain::ecosystem::{MAX_ROOT_YEARS, RootRequest};
use obdir::domain::organisation::{OrganisationRequest, SoftwareStatementRequest};
use obdir::domain::{Organisation, OrganisationId, SoftwareStatement};

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
