//! Every URL the directory hands out, built from the configured public bases so
//! a user can make them match the production hosts.

use super::{Kid, OrganisationId, SoftwareStatementId};

#[derive(Debug, Clone)]
pub struct PublicUrls {
    /// Base of the directory itself (CA, CRL, OCSP), without a trailing slash.
    public: String,
    /// Base of the keystore host, without a trailing slash.
    keystore: String,
}

impl PublicUrls {
    pub fn new(public: &str, keystore: &str) -> Self {
        Self {
            public: public.trim_end_matches('/').to_owned(),
            keystore: keystore.trim_end_matches('/').to_owned(),
        }
    }

    pub fn keystore_base(&self) -> &str {
        &self.keystore
    }

    pub fn statement_jwks(&self, org: &OrganisationId, ss: &SoftwareStatementId) -> String {
        format!(
            "{}/{}/{}/application.jwks",
            self.keystore,
            segment(org.as_str()),
            segment(ss.as_str())
        )
    }

    pub fn statement_transport_jwks(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
    ) -> String {
        format!(
            "{}/{}/{}/transport.jwks",
            self.keystore,
            segment(org.as_str()),
            segment(ss.as_str())
        )
    }

    pub fn organisation_jwks(&self, org: &OrganisationId) -> String {
        format!(
            "{}/{}/application.jwks",
            self.keystore,
            segment(org.as_str())
        )
    }

    pub fn certificate_pem(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
        kid: &Kid,
    ) -> String {
        format!(
            "{}/{}/{}/{}.pem",
            self.keystore,
            segment(org.as_str()),
            segment(ss.as_str()),
            kid
        )
    }

    /// Where the CRL of the CA with this id is published.
    pub fn crl(&self, ca_id: &str) -> String {
        format!("{}/crl/{}.crl", self.public, segment(ca_id))
    }

    pub fn ocsp(&self) -> String {
        format!("{}/ocsp", self.public)
    }
}

/// Percent-encodes a path segment, keeping RFC 3986 unreserved characters.
fn segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_hang_off_the_configured_bases() {
        let urls = PublicUrls::new("https://dir.example/", "https://keystore.example/ks/");
        let org = OrganisationId::parse("org-1").unwrap();
        let ss = SoftwareStatementId::parse("ss 1").unwrap();
        assert_eq!(
            urls.statement_jwks(&org, &ss),
            "https://keystore.example/ks/org-1/ss%201/application.jwks"
        );
        assert_eq!(
            urls.organisation_jwks(&org),
            "https://keystore.example/ks/org-1/application.jwks"
        );
        assert_eq!(urls.ocsp(), "https://dir.example/ocsp");
    }
}
