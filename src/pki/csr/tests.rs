//! Unit tests of CSR intake, with CSRs made by the `openssl req` command line.

use super::*;
use crate::domain::{OrganisationId, SoftwareStatementId};
use std::process::Command;

/// A CSR as a client makes it, with the `openssl req` command line.
fn openssl_req(newkey: &str, subject: &str, san: Option<&str>) -> String {
    let mut args = vec![
        "req",
        "-new",
        "-newkey",
        newkey,
        "-nodes",
        "-keyout",
        "/dev/null",
        "-subj",
        subject,
    ];
    let addext;
    if let Some(san) = san {
        addext = format!("subjectAltName={san}");
        args.extend(["-addext", addext.as_str()]);
    }
    let out = Command::new("openssl").args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "openssl req: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn hosts_of(subject: &str, san: Option<&str>) -> Vec<String> {
    let pem = openssl_req("rsa:2048", subject, san);
    CheckedCsr::parse_for_hosts(&pem).unwrap().dns_names()
}

/// The CSR's DER with its outer signatureAlgorithm swapped for
/// ecdsa-with-SHA256, the RSA signature left as it is.
fn relabelled_as_ecdsa(pem: &str) -> String {
    let der = first_block_der(pem).unwrap();
    let rsa_sha256: &[u8] = &[
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
    ];
    let ecdsa_sha256: &[u8] = &[
        0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
    ];
    let at = der
        .windows(rsa_sha256.len())
        .rposition(|w| w == rsa_sha256)
        .unwrap();
    // The outer SEQUENCE's length is two bytes after 0x30 0x82.
    assert_eq!(&der[..2], &[0x30, 0x82]);
    let content = der.len() - 4 - rsa_sha256.len() + ecdsa_sha256.len();
    let mut out = vec![0x30, 0x82, (content >> 8) as u8, content as u8];
    out.extend_from_slice(&der[4..at]);
    out.extend_from_slice(ecdsa_sha256);
    out.extend_from_slice(&der[at + rsa_sha256.len()..]);
    crate::pki::pem::armour("CERTIFICATE REQUEST", &out)
}

#[test]
fn an_rsa_signature_labelled_ecdsa_is_no_proof_of_possession() {
    let pem = openssl_req("rsa:2048", "/CN=tpp.example", None);
    assert!(CheckedCsr::parse_for_hosts(&pem).is_ok());
    let relabelled = relabelled_as_ecdsa(&pem);
    assert!(matches!(
        CheckedCsr::parse_for_hosts(&relabelled),
        Err(PkiError::ProofOfPossession)
    ));
}

#[test]
fn pss_with_an_mgf1_hash_other_than_the_message_hash_verifies() {
    let out = Command::new("openssl")
        .args([
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "/dev/null",
            "-subj",
            "/CN=tpp.example",
            "-sha256",
            "-sigopt",
            "rsa_padding_mode:pss",
            "-sigopt",
            "rsa_mgf1_md:sha1",
            "-sigopt",
            "rsa_pss_saltlen:32",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pem = String::from_utf8(out.stdout).unwrap();
    assert!(CheckedCsr::parse_for_hosts(&pem).is_ok());
    // One flipped bit of the signature and it no longer does.
    let mut der = first_block_der(&pem).unwrap();
    let last = der.len() - 1;
    der[last] ^= 1;
    let tampered = crate::pki::pem::armour("CERTIFICATE REQUEST", &der);
    assert!(matches!(
        CheckedCsr::parse_for_hosts(&tampered),
        Err(PkiError::ProofOfPossession)
    ));
}

#[test]
fn only_the_first_pem_block_is_read_and_its_base64_leniently() {
    let pem = openssl_req("rsa:2048", "/CN=tpp.example", None);
    let trailing = format!("{pem}-----BEGIN CERTIFICATE-----\nAAAA\n");
    assert!(CheckedCsr::parse_for_hosts(&trailing).is_ok());
    let unpadded = pem.replace('=', "");
    assert!(CheckedCsr::parse_for_hosts(&unpadded).is_ok());
}

#[test]
fn dns_names_are_the_requested_san_names() {
    let names = hosts_of(
        "/CN=www.example.com",
        Some("DNS:www.example.com,DNS:xn--dj-kia8a.vu.com"),
    );
    assert_eq!(names, ["www.example.com", "xn--dj-kia8a.vu.com"]);
}

#[test]
fn dns_names_are_lower_cased_once_each_and_skip_other_name_types() {
    let names = hosts_of(
        "/CN=ignored.example.com",
        Some("DNS:API.Example.com,IP:192.0.2.1,DNS:b.example.com,DNS:api.example.COM"),
    );
    assert_eq!(names, ["api.example.com", "b.example.com"]);
}

#[test]
fn without_a_san_the_common_name_is_the_host() {
    assert_eq!(hosts_of("/CN=Www.Example.com", None), ["www.example.com"]);
}

#[test]
fn a_common_name_that_is_no_host_name_gives_no_names() {
    assert!(hosts_of("/CN=test client", None).is_empty());
    assert!(hosts_of("/CN=localhost", None).is_empty());
    assert!(hosts_of("/O=Example Ltd", None).is_empty());
}

#[test]
fn an_ip_only_san_gives_no_names() {
    let names = hosts_of("/CN=192.0.2.10", Some("IP:192.0.2.10,IP:2001:db8::1"));
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn parse_for_hosts_keeps_the_san_to_copy_into_the_certificate() {
    let pem = openssl_req(
        "rsa:2048",
        "/CN=www.example.com",
        Some("DNS:www.example.com"),
    );
    let csr = CheckedCsr::parse_for_hosts(&pem).unwrap();
    assert!(csr.subject_alt_name.is_some());
}

#[test]
fn parse_for_hosts_has_no_naming_rule_but_parse_does() {
    let pem = openssl_req("rsa:2048", "/CN=www.example.com", None);
    assert!(CheckedCsr::parse_for_hosts(&pem).is_ok());
    let org = OrganisationId::parse("org-1").unwrap();
    let ss = SoftwareStatementId::parse("ss-1").unwrap();
    let owner = CertificateOwner {
        org: &org,
        registration_number: None,
        ss: Some(&ss),
    };
    assert!(matches!(
        CheckedCsr::parse(&pem, CertOrKeyType::Rtstransport, Flavour::Obie, owner),
        Err(PkiError::Subject(_))
    ));
}

#[test]
fn the_standards_brseal_template_is_read_with_its_three_units_and_its_cnpj() {
    let pem = openssl_req(
        "rsa:2048",
        "/UID=org-1/C=BR/O=ICP-Brasil/OU=AC Demo/OU=12345678000195/OU=Videoconferencia/CN=Demo TPP Ltda",
        Some(
            "otherName:2.16.76.1.3.2;PRINTABLESTRING:Maria Silva,\
             otherName:2.16.76.1.3.3;PRINTABLESTRING:43142666000197,\
             otherName:2.16.76.1.3.4;PRINTABLESTRING:01011980123456789010000000000000000000000,\
             otherName:2.16.76.1.3.7;PRINTABLESTRING:000000000000",
        ),
    );
    let org = OrganisationId::parse("org-1").unwrap();
    let owner = CertificateOwner {
        org: &org,
        registration_number: Some("43142666000197"),
        ss: None,
    };
    let csr = CheckedCsr::parse(&pem, CertOrKeyType::Brseal, Flavour::Raidiam, owner);
    assert!(csr.is_ok(), "{:?}", csr.err());
    let other = CertificateOwner {
        registration_number: Some("11222333000181"),
        ..owner
    };
    let refused = CheckedCsr::parse(&pem, CertOrKeyType::Brseal, Flavour::Raidiam, other);
    let Err(PkiError::Subject(e)) = refused else {
        panic!("a CNPJ that is not the organisation's is refused");
    };
    assert!(e.to_string().contains("2.16.76.1.3.3"), "{e}");
}

#[test]
fn a_second_cnpj_other_name_is_refused_rather_than_copied() {
    let pem = openssl_req(
        "rsa:2048",
        "/UID=org-1/C=BR/O=ICP-Brasil/CN=Demo TPP Ltda",
        Some(
            "otherName:2.16.76.1.3.3;PRINTABLESTRING:43142666000197,\
             otherName:2.16.76.1.3.3;PRINTABLESTRING:11222333000181",
        ),
    );
    let org = OrganisationId::parse("org-1").unwrap();
    let owner = CertificateOwner {
        org: &org,
        registration_number: Some("43142666000197"),
        ss: None,
    };
    let refused = CheckedCsr::parse(&pem, CertOrKeyType::Brseal, Flavour::Raidiam, owner);
    let Err(e) = refused else {
        panic!("two CNPJs are refused");
    };
    assert!(e.to_string().contains("more than one otherName"), "{e}");
}

#[test]
fn parse_for_hosts_holds_the_key_policy() {
    let pem = openssl_req("rsa:1024", "/CN=www.example.com", None);
    assert!(matches!(
        CheckedCsr::parse_for_hosts(&pem),
        Err(PkiError::KeyPolicy(_))
    ));
}

#[test]
fn parse_for_hosts_refuses_what_is_not_a_csr() {
    assert!(matches!(
        CheckedCsr::parse_for_hosts("not pem"),
        Err(PkiError::Unreadable(_))
    ));
    let garbled = "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n";
    assert!(matches!(
        CheckedCsr::parse_for_hosts(garbled),
        Err(PkiError::Unreadable(_))
    ));
}
