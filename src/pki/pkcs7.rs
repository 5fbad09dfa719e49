//! Certificate chains as a "certs-only" PKCS#7 (a .p7b): the format CA
//! download pages offer beside PEM, and what Windows and Java import as a chain.

use super::der::{CONTEXT_0, INTEGER, OID, SEQUENCE, SET, tlv};

/// id-signedData, 1.2.840.113549.1.7.2.
const ID_SIGNED_DATA: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
/// id-data, 1.2.840.113549.1.7.1.
const ID_DATA: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];

/// A degenerate SignedData (RFC 5652 5.2, RFC 2315 9.1) holding `chain`, DER
/// certificates, in the order given: version 1, no digest algorithms, empty
/// id-data content, no CRLs, no signers. The same bytes as `openssl crl2pkcs7
/// -nocrl -outform DER`, which keeps the order too rather than sorting the SET OF.
pub fn certificate_bundle(chain: &[Vec<u8>]) -> Vec<u8> {
    let mut signed_data = tlv(INTEGER, &[1]);
    signed_data.extend(tlv(SET, &[])); // digestAlgorithms
    signed_data.extend(tlv(SEQUENCE, &tlv(OID, &ID_DATA))); // encapContentInfo
    // certificates [0] IMPLICIT is OPTIONAL: left out when empty, as openssl does.
    if !chain.is_empty() {
        signed_data.extend(tlv(CONTEXT_0, &chain.concat()));
    }
    signed_data.extend(tlv(SET, &[])); // signerInfos

    let mut content_info = tlv(OID, &ID_SIGNED_DATA);
    content_info.extend(tlv(CONTEXT_0, &tlv(SEQUENCE, &signed_data)));
    tlv(SEQUENCE, &content_info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::asn1::Asn1Time;
    use openssl::hash::MessageDigest;
    use openssl::pkcs7::Pkcs7;
    use openssl::pkey::PKey;
    use openssl::rsa::Rsa;
    use openssl::x509::{X509, X509NameBuilder};
    use std::process::Command;

    fn self_signed(common_name: &str) -> Vec<u8> {
        let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let mut name = X509NameBuilder::new().unwrap();
        name.append_entry_by_text("CN", common_name).unwrap();
        let name = name.build();
        let mut cert = X509::builder().unwrap();
        cert.set_version(2).unwrap();
        cert.set_subject_name(&name).unwrap();
        cert.set_issuer_name(&name).unwrap();
        cert.set_pubkey(&key).unwrap();
        cert.set_not_before(&Asn1Time::days_from_now(0).unwrap())
            .unwrap();
        cert.set_not_after(&Asn1Time::days_from_now(1).unwrap())
            .unwrap();
        cert.sign(&key, MessageDigest::sha256()).unwrap();
        cert.build().to_der().unwrap()
    }

    /// Leaf-like "zeta" first, so a writer that sorted the SET OF would show.
    fn chain() -> Vec<Vec<u8>> {
        vec![self_signed("zeta.example.com"), self_signed("Alpha CA")]
    }

    fn openssl_cli(args: &[&str]) -> Vec<u8> {
        let out = Command::new("openssl").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    #[test]
    fn the_openssl_crate_reads_back_the_certificates_in_order() {
        let chain = chain();
        let p7 = Pkcs7::from_der(&certificate_bundle(&chain)).unwrap();
        let certificates = p7.signed().unwrap().certificates().unwrap();
        let read: Vec<Vec<u8>> = certificates.iter().map(|c| c.to_der().unwrap()).collect();
        assert_eq!(read, chain);
    }

    #[test]
    fn the_openssl_command_line_prints_both_subjects() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chain.p7b");
        std::fs::write(&path, certificate_bundle(&chain())).unwrap();
        let printed = openssl_cli(&[
            "pkcs7",
            "-inform",
            "DER",
            "-print_certs",
            "-noout",
            "-in",
            path.to_str().unwrap(),
        ]);
        let printed = String::from_utf8(printed).unwrap();
        let zeta = printed.find("CN = zeta.example.com").unwrap();
        let alpha = printed.find("CN = Alpha CA").unwrap();
        assert!(zeta < alpha, "{printed}");
    }

    #[test]
    fn the_bytes_match_openssl_crl2pkcs7() {
        let chain = chain();
        let dir = tempfile::tempdir().unwrap();
        let pem: String = chain
            .iter()
            .map(|der| String::from_utf8(X509::from_der(der).unwrap().to_pem().unwrap()).unwrap())
            .collect();
        let path = dir.path().join("chain.pem");
        std::fs::write(&path, pem).unwrap();
        let expected = openssl_cli(&[
            "crl2pkcs7",
            "-nocrl",
            "-certfile",
            path.to_str().unwrap(),
            "-outform",
            "DER",
        ]);
        assert_eq!(certificate_bundle(&chain), expected);
    }

    #[test]
    fn an_empty_chain_leaves_out_the_certificates_field() {
        let bundle = certificate_bundle(&[]);
        assert!(Pkcs7::from_der(&bundle).unwrap().signed().is_some());
        assert_eq!(
            bundle,
            openssl_cli(&["crl2pkcs7", "-nocrl", "-outform", "DER"])
        );
    }
}
