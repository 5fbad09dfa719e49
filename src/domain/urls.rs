//! Every URL the directory hands out, built from the configured public bases so
//! a user can make them match the production hosts, in the keystore layout of
//! the chosen flavour.

use serde::{Deserialize, Serialize};

use super::{KeyUse, Kid, OrganisationId, SoftwareStatementId};

/// Which real directory's keystore conventions to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flavour {
    /// Raidiam Connect (Open Finance Brasil): `{org}/{ss}/application.jwks`,
    /// kid = SHA-256 of a certificate's DER.
    Raidiam,
    /// UK Open Banking: `{org}/{ss}.jwks`, kid = SHA-1 JWK thumbprint.
    Obie,
}

impl Flavour {
    /// The name config uses for it.
    pub fn name(self) -> &'static str {
        match self {
            Flavour::Raidiam => "raidiam",
            Flavour::Obie => "obie",
        }
    }

    /// The `iss` of its sandbox's software statement assertions.
    pub fn ssa_issuer(self) -> &'static str {
        match self {
            Flavour::Raidiam => "Open Banking Open Banking Brasil sandbox SSA issuer",
            Flavour::Obie => "OpenBanking Ltd",
        }
    }

    /// The kid of a new record. `leaf_sha256` is the base64url SHA-256 of a
    /// certificate's DER (None for a bare key); the thumbprints are RFC 7638's
    /// with SHA-256 and SHA-1.
    pub fn kid(
        self,
        leaf_sha256: Option<&str>,
        thumbprint_sha256: &str,
        thumbprint_sha1: &str,
    ) -> String {
        match (self, leaf_sha256) {
            (Flavour::Raidiam, Some(leaf)) => leaf.to_owned(),
            (Flavour::Raidiam, None) => thumbprint_sha256.to_owned(),
            (Flavour::Obie, _) => thumbprint_sha1.to_owned(),
        }
    }

    /// How x5t and x5t#S256 are written: OBIE keeps base64url's `=` padding.
    pub fn digest_form(self, unpadded: &str) -> String {
        match self {
            Flavour::Raidiam => unpadded.to_owned(),
            Flavour::Obie => {
                let pad = (4 - unpadded.len() % 4) % 4;
                format!("{unpadded}{}", "=".repeat(pad))
            }
        }
    }
}

/// Which keys a keystore document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeySet {
    /// Signing and encryption keys (Raidiam `application.jwks`).
    Application,
    /// TLS client certificates (Raidiam `transport.jwks`).
    Transport,
    /// Every key (OBIE documents, and an organisation's).
    All,
}

impl KeySet {
    pub fn holds(self, key_use: KeyUse) -> bool {
        match self {
            KeySet::Application => key_use != KeyUse::Tls,
            KeySet::Transport => key_use == KeyUse::Tls,
            KeySet::All => true,
        }
    }
}

/// One JWKS document of the keystore.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeystoreDocument {
    pub organisation_id: OrganisationId,
    /// None: the organisation's own document.
    pub software_statement_id: Option<SoftwareStatementId>,
    pub keys: KeySet,
    /// The inactive (Raidiam) or revoked (OBIE) document rather than the active one.
    pub inactive: bool,
}

#[derive(Debug, Clone)]
pub struct PublicUrls {
    /// Base of the directory itself (API, CA, CRL, OCSP), without a trailing slash.
    public: String,
    /// Base of the keystore host, without a trailing slash.
    keystore: String,
    /// Base of the OAuth server (discovery, token, introspection,
    /// revocation): the public base, or the host `[hosts]` gives the face.
    oauth: String,
    flavour: Flavour,
}

impl PublicUrls {
    pub fn new(public: &str, keystore: &str, flavour: Flavour) -> Self {
        let public = public.trim_end_matches('/').to_owned();
        Self {
            oauth: public.clone(),
            public,
            keystore: keystore.trim_end_matches('/').to_owned(),
            flavour,
        }
    }

    /// The same URLs with the OAuth server at `base`.
    pub fn with_oauth(mut self, base: &str) -> Self {
        self.oauth = base.trim_end_matches('/').to_owned();
        self
    }

    pub fn flavour(&self) -> Flavour {
        self.flavour
    }

    /// The base of the directory itself.
    pub fn public(&self) -> &str {
        &self.public
    }

    /// The OAuth server's issuer: the `iss` of its tokens and the base of
    /// its discovery document.
    pub fn issuer(&self) -> &str {
        &self.oauth
    }

    /// The host name of the public base URL.
    pub fn host(&self) -> &str {
        let rest = self
            .public
            .split_once("://")
            .map_or(self.public.as_str(), |(_, rest)| rest);
        let authority = rest.split('/').next().unwrap_or(rest);
        match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(v6),
            None => authority.split(':').next().unwrap_or(authority),
        }
    }

    pub fn token_endpoint(&self) -> String {
        format!("{}/token", self.oauth)
    }

    /// RFC 7662 token introspection.
    pub fn introspection_endpoint(&self) -> String {
        format!("{}/token/introspect", self.oauth)
    }

    /// RFC 7009 token revocation.
    pub fn revocation_endpoint(&self) -> String {
        format!("{}/token/revoke", self.oauth)
    }

    pub fn discovery(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.oauth)
    }

    /// The directory's own signing keys (SSAs, access tokens).
    pub fn directory_jwks(&self) -> String {
        format!("{}/openbanking.jwks", self.keystore)
    }

    /// The document a record of this owner and use is published in.
    pub fn document_for(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
        key_use: KeyUse,
        inactive: bool,
    ) -> KeystoreDocument {
        // Raidiam keeps TLS certificates apart, for an organisation as for
        // a statement; OBIE publishes an owner's keys together.
        let keys = match self.flavour {
            Flavour::Raidiam if key_use == KeyUse::Tls => KeySet::Transport,
            Flavour::Raidiam => KeySet::Application,
            Flavour::Obie => KeySet::All,
        };
        KeystoreDocument {
            organisation_id: org.clone(),
            software_statement_id: ss.cloned(),
            keys,
            inactive,
        }
    }

    pub fn document(&self, doc: &KeystoreDocument) -> String {
        let org = segment(doc.organisation_id.as_str());
        let ks = &self.keystore;
        match (self.flavour, &doc.software_statement_id) {
            (Flavour::Raidiam, owner) => {
                let name = match doc.keys {
                    KeySet::Transport => "transport.jwks",
                    _ => "application.jwks",
                };
                let inactive = if doc.inactive { "inactive/" } else { "" };
                match owner {
                    Some(ss) => format!("{ks}/{org}/{}/{inactive}{name}", segment(ss.as_str())),
                    None => format!("{ks}/{org}/{inactive}{name}"),
                }
            }
            (Flavour::Obie, owner) => {
                let name = owner
                    .as_ref()
                    .map_or(org.clone(), |ss| segment(ss.as_str()));
                let revoked = if doc.inactive { "revoked/" } else { "" };
                format!("{ks}/{org}/{revoked}{name}.jwks")
            }
        }
    }

    /// Raidiam statement documents, by key set (for the SSA's four URIs).
    pub fn statement_document(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
        keys: KeySet,
        inactive: bool,
    ) -> String {
        self.document(&KeystoreDocument {
            organisation_id: org.clone(),
            software_statement_id: Some(ss.clone()),
            keys,
            inactive,
        })
    }

    /// An organisation's signing and encryption keys (every key, for OBIE).
    pub fn organisation_document(&self, org: &OrganisationId, inactive: bool) -> String {
        self.document(&self.document_for(org, None, KeyUse::Sig, inactive))
    }

    pub fn certificate_pem(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
        kid: &Kid,
    ) -> String {
        let org = segment(org.as_str());
        match (self.flavour, ss) {
            (Flavour::Raidiam, Some(ss)) => {
                format!("{}/{org}/{}/{kid}.pem", self.keystore, segment(ss.as_str()))
            }
            _ => format!("{}/{org}/{kid}.pem", self.keystore),
        }
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
pub fn segment(value: &str) -> String {
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

    fn ids() -> (OrganisationId, SoftwareStatementId) {
        (
            OrganisationId::parse("org-1").unwrap(),
            SoftwareStatementId::parse("ss 1").unwrap(),
        )
    }

    #[test]
    fn raidiam_urls_hang_off_the_configured_bases() {
        let urls = PublicUrls::new(
            "https://dir.example/",
            "https://keystore.example/ks/",
            Flavour::Raidiam,
        );
        let (org, ss) = ids();
        let doc = urls.document_for(&org, Some(&ss), KeyUse::Sig, false);
        assert_eq!(
            urls.document(&doc),
            "https://keystore.example/ks/org-1/ss%201/application.jwks"
        );
        let doc = urls.document_for(&org, Some(&ss), KeyUse::Tls, true);
        assert_eq!(
            urls.document(&doc),
            "https://keystore.example/ks/org-1/ss%201/inactive/transport.jwks"
        );
        assert_eq!(
            urls.organisation_document(&org, false),
            "https://keystore.example/ks/org-1/application.jwks"
        );
        assert_eq!(
            urls.organisation_document(&org, true),
            "https://keystore.example/ks/org-1/inactive/application.jwks"
        );
        assert_eq!(
            urls.directory_jwks(),
            "https://keystore.example/ks/openbanking.jwks"
        );
        assert_eq!(urls.ocsp(), "https://dir.example/ocsp");
    }

    #[test]
    fn obie_urls_follow_the_uk_layout() {
        let urls = PublicUrls::new(
            "https://dir.example",
            "https://keystore.example",
            Flavour::Obie,
        );
        let (org, ss) = ids();
        let kid = Kid::parse("abc").unwrap();
        let doc = urls.document_for(&org, Some(&ss), KeyUse::Tls, false);
        assert_eq!(
            urls.document(&doc),
            "https://keystore.example/org-1/ss%201.jwks"
        );
        let doc = urls.document_for(&org, Some(&ss), KeyUse::Sig, true);
        assert_eq!(
            urls.document(&doc),
            "https://keystore.example/org-1/revoked/ss%201.jwks"
        );
        assert_eq!(
            urls.organisation_document(&org, false),
            "https://keystore.example/org-1/org-1.jwks"
        );
        assert_eq!(
            urls.certificate_pem(&org, Some(&ss), &kid),
            "https://keystore.example/org-1/abc.pem"
        );
    }

    #[test]
    fn the_host_is_the_public_url_without_scheme_port_or_path() {
        let urls = |u: &str| PublicUrls::new(u, u, Flavour::Raidiam);
        assert_eq!(urls("https://dir.example:8443/base").host(), "dir.example");
        assert_eq!(urls("http://127.0.0.1:8080").host(), "127.0.0.1");
        assert_eq!(urls("http://[::1]:8080").host(), "::1");
    }

    #[test]
    fn obie_pads_digests() {
        assert_eq!(Flavour::Obie.digest_form("abcdef"), "abcdef==");
        assert_eq!(Flavour::Obie.digest_form("abcd"), "abcd");
        assert_eq!(Flavour::Raidiam.digest_form("abcdef"), "abcdef");
    }
}
