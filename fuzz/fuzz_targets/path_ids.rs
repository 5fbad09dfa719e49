//! Path and query values: organisation, statement and key ids, certificate
//! types, revoke reasons, root CA ids, `page`/`size` (split at the first
//! '&') and `limit`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use obdir::domain::ecosystem::parse_ca_id;
use obdir::domain::page::{MAX_PAGE_SIZE, PageRequest, parse_limit};
use obdir::domain::{CertOrKeyType, Kid, OrganisationId, RevokeReason, SoftwareStatementId};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(org) = OrganisationId::parse(value) {
        // Ids become URL segments and store keys, and round-trip through JSON.
        assert!(org.as_str().chars().count() <= 40);
        assert!(!org.as_str().contains(['<', '>', '/', '\\']));
        let json = serde_json::to_string(&org).expect("an id serialises");
        assert_eq!(
            serde_json::from_str::<OrganisationId>(&json).ok(),
            Some(org)
        );
    }
    if let Ok(ss) = SoftwareStatementId::parse(value) {
        assert_eq!(ss.as_str(), value);
    }
    if let Ok(kid) = Kid::parse(value) {
        assert!(kid.as_str().len() <= 255);
    }
    let types = [
        CertOrKeyType::parse_statement_type(value),
        CertOrKeyType::parse_organisation_type(value),
    ];
    for t in types.into_iter().flatten() {
        assert_eq!(t.as_str(), value);
    }
    if let Ok(reason) = RevokeReason::parse(value) {
        assert_eq!(reason.as_str(), value);
    }
    if let Ok(id) = parse_ca_id("dtsCaCertificateId", value) {
        // The canonical form parses to itself.
        assert_eq!(
            parse_ca_id("dtsCaCertificateId", &id).as_deref(),
            Ok(id.as_str())
        );
    }
    let (page, size) = value.split_once('&').unwrap_or((value, ""));
    for (page, size) in [
        (Some(page), Some(size)),
        (Some(value), None),
        (None, Some(value)),
    ] {
        if let Ok(request) = PageRequest::parse(page, size) {
            assert!((1..=MAX_PAGE_SIZE).contains(&request.size));
            let cut = request.cut(vec![(); 3]);
            assert!(cut.content.len() <= request.size);
        }
    }
    if let Ok(limit) = parse_limit(Some(value)) {
        assert!((1..=1000).contains(&limit));
    }
});
