//! Certificates issued elsewhere (brcac_ext, qwac, qseal, brseal_ext): a PEM
//! chain, held to the key policy, the validity window and subject naming.
#![no_main]

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use obdir::domain::certificate::UploadBody;
use obdir::domain::{CertOrKeyType, OrganisationId, SoftwareStatementId};
use obdir::pki::external::parse_external_certificate;

const ORG: &str = "c8f0bf49-4744-4933-8960-7add6e590841";
const SS: &str = "d6a3b1c4-9e2f-4a7b-8c5d-0f1e2d3c4b5a";
/// Inside the validity of the seed certificates (made 2026-11-23, ten years).
const NOW: &str = "2026-12-01T00:00:00Z";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let org = OrganisationId::parse(ORG).expect("the demo organisation id is valid");
    let ss = SoftwareStatementId::parse(SS).expect("the demo statement id is valid");
    let now: DateTime<Utc> = NOW.parse().expect("a fixed RFC 3339 time");
    for key_type in CertOrKeyType::all().filter(|t| t.upload_body() == UploadBody::Certificate) {
        let ss = (!key_type.is_organisation_level()).then_some(&ss);
        if let Ok(cert) = parse_external_certificate(text, key_type, &org, ss, now) {
            assert!(!cert.chain.is_empty());
            assert!(cert.not_before <= now && now <= cert.not_after);
        }
    }
});
