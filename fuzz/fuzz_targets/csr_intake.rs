//! CSR intake: the PEM a TPP posts to be signed, checked as every type the
//! directory's CA signs, in both flavours, named for the demo organisation and software
//! statement the seed CSRs (fixtures/tpp) were made for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use obdir::domain::certificate::UploadBody;
use obdir::domain::{CertOrKeyType, Flavour, OrganisationId, SoftwareStatementId};
use obdir::pki::CheckedCsr;

const ORG: &str = "c8f0bf49-4744-4933-8960-7add6e590841";
const SS: &str = "d6a3b1c4-9e2f-4a7b-8c5d-0f1e2d3c4b5a";

fuzz_target!(|data: &[u8]| {
    // The upload refuses a body that is not UTF-8 before it reaches the parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let org = OrganisationId::parse(ORG).expect("the demo organisation id is valid");
    let ss = SoftwareStatementId::parse(SS).expect("the demo statement id is valid");
    for key_type in CertOrKeyType::all().filter(|t| t.upload_body() == UploadBody::Csr) {
        let ss = (!key_type.is_organisation_level()).then_some(&ss);
        // Each flavour names a statement its own way.
        for flavour in [Flavour::Raidiam, Flavour::Obie] {
            if let Ok(csr) = CheckedCsr::parse(text, key_type, flavour, &org, ss) {
                assert_eq!(csr.key().spki_sha256.len(), 64);
            }
        }
    }
});
