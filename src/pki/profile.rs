//! Certificate profiles: which key usages each issued certificate carries.

use super::der::{BIT_STRING, OID, SEQUENCE, oid, tlv};
use super::leaf;

use crate::domain::CertOrKeyType;
use crate::domain::certificate::IssuedAs;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// TLS client and server: OBIE transport, RTS WAC, resource-server transport.
    Transport,
    /// JWS signatures, non-repudiable: OBIE signing, RTS seal, and the Open
    /// Finance Brasil signature certificate (BRSEAL, standard section 5.3).
    Signing,
    /// Open Finance Brasil client certificate (BRCAC), standard section 5.2.1.
    BrazilClient,
    /// The RA's "TLS server" product. keyEncipherment stays for RSA key
    /// exchange, which TLS 1.2 clients may still pick (RFC 5246 7.4.2).
    TlsServer,
    /// The RA's "client auth" product: mutual TLS only, never a server.
    TlsClient,
}

impl Profile {
    /// The profile a CSR of this type is issued under; None for types that are not signed.
    pub fn for_type(key_type: CertOrKeyType) -> Option<Profile> {
        key_type.rule().issued_as.map(|issued_as| match issued_as {
            IssuedAs::Transport => Self::Transport,
            IssuedAs::Signing => Self::Signing,
            IssuedAs::BrazilClient => Self::BrazilClient,
        })
    }

    /// The keyUsage extension, critical: digitalSignature (bit 0), with
    /// nonRepudiation (bit 1) or keyEncipherment (bit 2) as the profile
    /// wants. DER drops the trailing zero bits, so the first octet counts
    /// the unused ones (X.690 11.2.2).
    pub(super) fn key_usage(self) -> Vec<u8> {
        let (unused, bits) = match self {
            Self::Transport | Self::TlsClient => (7, 0x80),
            Self::Signing => (6, 0xc0),
            Self::BrazilClient | Self::TlsServer => (5, 0xa0),
        };
        leaf::extension("2.5.29.15", true, &tlv(BIT_STRING, &[unused, bits]))
    }

    /// The extendedKeyUsage extension, not critical; none for signing.
    pub(super) fn extended_key_usage(self) -> Option<Vec<u8>> {
        const SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
        const CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
        let purposes: &[&str] = match self {
            Self::Transport => &[SERVER_AUTH, CLIENT_AUTH],
            Self::BrazilClient | Self::TlsClient => &[CLIENT_AUTH],
            Self::TlsServer => &[SERVER_AUTH],
            Self::Signing => return None,
        };
        let oids: Vec<u8> = purposes.iter().flat_map(|p| tlv(OID, &oid(p))).collect();
        Some(leaf::extension("2.5.29.37", false, &tlv(SEQUENCE, &oids)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Flavour, PublicUrls};
    use crate::pki::authority::{CaNaming, IssuingAuthority, RootAuthority, RootSubject};
    use crate::pki::csr::CheckedCsr;
    use chrono::{DateTime, Months, Utc};
    use openssl::hash::MessageDigest;
    use openssl::pkey::PKey;
    use openssl::rsa::Rsa;
    use openssl::x509::{X509, X509NameBuilder, X509ReqBuilder};
    use std::process::Command;
    use x509_parser::prelude::{FromDer, X509Certificate};

    /// 2026-01-01T00:00:00Z: a fixed clock, handed to `openssl verify -attime` too.
    const NOW: i64 = 1_767_225_600;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(NOW, 0).unwrap()
    }

    struct Hierarchy {
        root: RootAuthority,
        issuing: IssuingAuthority,
    }

    fn hierarchy() -> Hierarchy {
        let subject = RootSubject {
            common_name: "Test Root".into(),
            organisation: "obdir".into(),
            country: "GB".into(),
            not_before: now(),
            not_after: now().checked_add_months(Months::new(240)).unwrap(),
        };
        let root = RootAuthority::create("root-1".into(), &subject, 2048).unwrap();
        let naming = CaNaming {
            organisation: "obdir".into(),
            country: "GB".into(),
            key_bits: 2048,
        };
        let issuing = root
            .create_issuing("ica-1".into(), &naming, now(), &urls())
            .unwrap();
        Hierarchy { root, issuing }
    }

    fn host_csr() -> CheckedCsr {
        let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let mut name = X509NameBuilder::new().unwrap();
        name.append_entry_by_text("CN", "www.example.com").unwrap();
        let mut request = X509ReqBuilder::new().unwrap();
        request.set_subject_name(&name.build()).unwrap();
        request.set_pubkey(&key).unwrap();
        request.sign(&key, MessageDigest::sha256()).unwrap();
        let pem = String::from_utf8(request.build().to_pem().unwrap()).unwrap();
        CheckedCsr::parse_for_hosts(&pem).unwrap()
    }

    fn urls() -> PublicUrls {
        PublicUrls::new(
            "https://directory.test",
            "https://keystore.test",
            Flavour::Raidiam,
        )
    }

    fn issue(hierarchy: &Hierarchy, profile: Profile) -> Vec<Vec<u8>> {
        let urls = urls();
        hierarchy
            .issuing
            .issue(&host_csr(), profile, now(), 12, &urls)
            .unwrap()
            .chain
    }

    /// (serverAuth, clientAuth, digitalSignature, keyEncipherment, keyUsage critical)
    fn usages(leaf: &[u8]) -> (bool, bool, bool, bool, bool) {
        let (_, cert) = X509Certificate::from_der(leaf).unwrap();
        let eku = cert.extended_key_usage().unwrap().unwrap().value;
        assert!(eku.other.is_empty() && !eku.any && !eku.code_signing);
        let ku = cert.key_usage().unwrap().unwrap();
        (
            eku.server_auth,
            eku.client_auth,
            ku.value.digital_signature(),
            ku.value.key_encipherment(),
            ku.critical,
        )
    }

    /// `openssl verify -purpose`: whether an independent verifier accepts the
    /// leaf for that TLS role.
    fn verifies_for(hierarchy: &Hierarchy, chain: &[Vec<u8>], purpose: &str) -> bool {
        let dir = tempfile::tempdir().unwrap();
        let write = |file: &str, cert: &X509| {
            let path = dir.path().join(file);
            std::fs::write(&path, cert.to_pem().unwrap()).unwrap();
            path.to_str().unwrap().to_owned()
        };
        let root = write("root.pem", hierarchy.root.certificate());
        let issuing = write("issuing.pem", hierarchy.issuing.certificate());
        let leaf = write("leaf.pem", &X509::from_der(&chain[0]).unwrap());
        let at = (NOW + 3600).to_string();
        Command::new("openssl")
            .args(["verify", "-attime", &at, "-purpose", purpose])
            .args(["-CAfile", &root, "-untrusted", &issuing, &leaf])
            .output()
            .unwrap()
            .status
            .success()
    }

    #[test]
    fn tls_server_certificates_are_for_servers_only() {
        let hierarchy = hierarchy();
        let chain = issue(&hierarchy, Profile::TlsServer);
        assert_eq!(usages(&chain[0]), (true, false, true, true, true));
        assert!(verifies_for(&hierarchy, &chain, "sslserver"));
        assert!(!verifies_for(&hierarchy, &chain, "sslclient"));
    }

    #[test]
    fn tls_client_certificates_are_for_clients_only() {
        let hierarchy = hierarchy();
        let chain = issue(&hierarchy, Profile::TlsClient);
        assert_eq!(usages(&chain[0]), (false, true, true, false, true));
        assert!(verifies_for(&hierarchy, &chain, "sslclient"));
        assert!(!verifies_for(&hierarchy, &chain, "sslserver"));
    }

    #[test]
    fn no_certificate_type_maps_to_the_ra_profiles() {
        let types = CertOrKeyType::all();
        for key_type in types {
            assert!(!matches!(
                Profile::for_type(key_type),
                Some(Profile::TlsServer | Profile::TlsClient)
            ));
        }
    }
}
