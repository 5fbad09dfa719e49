//! CSR intake: decode, signature strength, proof of possession, key policy and
//! subject naming, in that order, so the first failure is the one reported.

use openssl::hash::MessageDigest;
use openssl::pkey::{Id, PKey, Public};
use openssl::rsa::Padding;
use openssl::sign::{RsaPssSaltlen, Verifier};
use openssl::x509::X509Name as OpenSslName;
use x509_parser::prelude::{
    FromDer, GeneralName, ParsedCriAttribute, ParsedExtension, X509CertificationRequest, X509Name,
};
use x509_parser::signature_algorithm::SignatureAlgorithm;

use super::PkiError;
use super::key::{KeyFacts, KeyPolicy, check_key_policy, key_facts};
use super::pem::{PemKind, expect_first, first_block_der};
use crate::domain::certificate::{CertificateOwner, ICP_BRASIL_CNPJ_OID, SubjectAttributes};
use crate::domain::{CertOrKeyType, Flavour};

/// A CSR that passed every check and may be signed: decoded once, with
/// what the signer needs taken out of it.
pub struct CheckedCsr {
    /// The requested subject, read by OpenSSL for its CN and its text.
    pub(super) subject: OpenSslName,
    /// The requested subject and public key (SubjectPublicKeyInfo) as they
    /// arrived, DER, copied into the certificate without decoding them again.
    pub(super) subject_der: Vec<u8>,
    pub(super) public_key_der: Vec<u8>,
    /// The requested subjectAltName extension, copied into the certificate as is.
    pub(super) subject_alt_name: Option<RawExtension>,
    dns_names: Vec<String>,
    /// The subjectAltName entries that are not dNSNames (IP addresses,
    /// URIs, e-mail addresses...), as text.
    other_names: Vec<String>,
    key: KeyFacts,
}

#[derive(Clone)]
pub(super) struct RawExtension {
    pub critical: bool,
    pub value: Vec<u8>,
}

pub(super) const SUBJECT_ALT_NAME: &str = "2.5.29.17";

impl CheckedCsr {
    /// A CSR for a software statement or an organisation: its subject must
    /// name `owner` the way `key_type` requires in the ecosystem `flavour`.
    pub fn parse(
        text: &str,
        key_type: CertOrKeyType,
        flavour: Flavour,
        owner: CertificateOwner<'_>,
    ) -> Result<CheckedCsr, PkiError> {
        intake(
            text,
            KeyPolicy::of_type(key_type),
            |name, string_other_names| {
                let subject = subject_attributes(name, string_other_names)?;
                key_type
                    .subject_naming()
                    .in_flavour(flavour)
                    .check(&subject, owner)
                    .map_err(PkiError::Subject)
            },
        )
    }

    /// A CSR for host names (an RA's TLS products): no subject naming rule,
    /// and the key policy of a transport certificate.
    pub fn parse_for_hosts(text: &str) -> Result<CheckedCsr, PkiError> {
        intake(text, KeyPolicy::tls_host(), |_, _| Ok(()))
    }

    pub fn key(&self) -> &KeyFacts {
        &self.key
    }

    /// The host names requested: the subjectAltName's dNSNames, lower-cased,
    /// in order, once each; failing those, a subject CN that looks like one.
    pub fn dns_names(&self) -> Vec<String> {
        self.dns_names.clone()
    }

    /// The subjectAltName entries that are not dNSNames, as text: an RA
    /// that validates DNS names cannot vouch for them.
    pub fn other_names(&self) -> &[String] {
        &self.other_names
    }

    /// The requested subject's first CN, if it has one.
    pub fn common_name(&self) -> Option<String> {
        self.subject
            .entries_by_nid(openssl::nid::Nid::COMMONNAME)
            .next()
            .map(|e| String::from_utf8_lossy(e.data().as_slice()).into_owned())
    }

    /// The requested subject, as `C=BR, O=..., CN=...`.
    pub fn subject(&self) -> String {
        super::name::name_text(&self.subject)
    }
}

/// The checks every CSR passes, in the order their failures are reported:
/// PEM, PKCS#10, signature algorithm, proof of possession, key policy, then
/// `check_subject`.
fn intake(
    text: &str,
    policy: KeyPolicy,
    check_subject: impl FnOnce(&X509Name<'_>, &[OtherName]) -> Result<(), PkiError>,
) -> Result<CheckedCsr, PkiError> {
    expect_first(
        text,
        &[PemKind::CertificateRequest],
        "a certificate signing request (CERTIFICATE REQUEST)",
    )?;
    // Decoded once, here; what follows reads `parsed`.
    let not_pkcs10 = || PkiError::Unreadable("the CSR PEM does not decode as PKCS#10".into());
    let der = first_block_der(text).ok_or_else(not_pkcs10)?;
    let (_, parsed) = X509CertificationRequest::from_der(&der).map_err(|_| not_pkcs10())?;
    let info = &parsed.certification_request_info;
    // The subject as the signer will write it; a name OpenSSL cannot read
    // is as undecodable as the rest.
    let signer_subject = OpenSslName::from_der(info.subject.as_raw()).map_err(|_| not_pkcs10())?;

    check_signature_algorithm(&parsed)?;
    let public_key = PKey::public_key_from_der(info.subject_pki.raw)
        .map_err(|_| PkiError::KeyPolicy("the CSR public key is of an unsupported type".into()))?;
    if !signed_by_own_key(&parsed, &public_key) {
        return Err(PkiError::ProofOfPossession);
    }
    check_key_policy(&public_key, &policy)?;
    let subject = &info.subject;
    let san = requested_subject_alt_name(&parsed)?;
    check_subject(subject, &san.string_other_names)?;

    let mut dns_names = san.dns_names;
    if dns_names.is_empty() {
        dns_names.extend(host_name_in_common_name(subject));
    }
    Ok(CheckedCsr {
        subject: signer_subject,
        subject_der: info.subject.as_raw().to_vec(),
        public_key_der: info.subject_pki.raw.to_vec(),
        subject_alt_name: san.raw,
        dns_names,
        other_names: san.other_names,
        key: key_facts(&public_key)?,
    })
}

/// Proof of possession: the request is signed by the key it carries, under
/// the algorithm it names (one `check_signature_algorithm` accepted), with
/// the checks OpenSSL's own verification makes: the algorithm fits the key,
/// and RSASSA-PSS parameters are MGF1 with trailer field 1.
fn signed_by_own_key(csr: &X509CertificationRequest<'_>, key: &PKey<Public>) -> bool {
    let verified = || -> Option<bool> {
        let signature = &csr.signature_value;
        if signature.unused_bits != 0 {
            return None;
        }
        let rsa = key.id() == Id::RSA;
        let mut verifier = match csr.signature_algorithm.algorithm.to_id_string().as_str() {
            "1.2.840.113549.1.1.11" if rsa => Verifier::new(MessageDigest::sha256(), key).ok()?,
            "1.2.840.113549.1.1.12" if rsa => Verifier::new(MessageDigest::sha384(), key).ok()?,
            "1.2.840.113549.1.1.13" if rsa => Verifier::new(MessageDigest::sha512(), key).ok()?,
            ecdsa if key.id() == Id::EC => Verifier::new(ecdsa_digest(ecdsa)?, key).ok()?,
            _ if rsa || key.id() == Id::RSA_PSS => pss_verifier(csr, key)?,
            _ => return None,
        };
        verifier
            .verify_oneshot(&signature.data, csr.certification_request_info.raw)
            .ok()
    };
    let verified = verified().unwrap_or(false);
    super::clear_openssl_errors();
    verified
}

fn ecdsa_digest(oid: &str) -> Option<MessageDigest> {
    match oid {
        "1.2.840.10045.4.3.2" => Some(MessageDigest::sha256()),
        "1.2.840.10045.4.3.3" => Some(MessageDigest::sha384()),
        "1.2.840.10045.4.3.4" => Some(MessageDigest::sha512()),
        _ => None,
    }
}

/// A hash named in RSASSA-PSS parameters (the message hash is held to
/// SHA-256 or stronger by `check_signature_algorithm`; MGF1 may use any).
fn hash_digest(oid: &str) -> Option<MessageDigest> {
    match oid {
        "1.3.14.3.2.26" => Some(MessageDigest::sha1()),
        "2.16.840.1.101.3.4.2.4" => Some(MessageDigest::sha224()),
        "2.16.840.1.101.3.4.2.1" => Some(MessageDigest::sha256()),
        "2.16.840.1.101.3.4.2.2" => Some(MessageDigest::sha384()),
        "2.16.840.1.101.3.4.2.3" => Some(MessageDigest::sha512()),
        _ => None,
    }
}

/// A verifier set up as the CSR's RSASSA-PSS parameters say.
fn pss_verifier<'k>(
    csr: &X509CertificationRequest<'_>,
    key: &'k PKey<Public>,
) -> Option<Verifier<'k>> {
    const MGF1: &str = "1.2.840.113549.1.1.8";
    let SignatureAlgorithm::RSASSA_PSS(params) =
        SignatureAlgorithm::try_from(&csr.signature_algorithm).ok()?
    else {
        return None;
    };
    let mask = params.mask_gen_algorithm().ok()?;
    if mask.mgf.to_id_string() != MGF1 || params.trailer_field() != 1 {
        return None;
    }
    let hash = hash_digest(&params.hash_algorithm_oid().to_id_string())?;
    let mgf1 = hash_digest(&mask.hash.to_id_string())?;
    let salt = i32::try_from(params.salt_length()).ok()?;
    let mut verifier = Verifier::new(hash, key).ok()?;
    verifier.set_rsa_padding(Padding::PKCS1_PSS).ok()?;
    verifier.set_rsa_mgf1_md(mgf1).ok()?;
    verifier
        .set_rsa_pss_saltlen(RsaPssSaltlen::custom(salt))
        .ok()?;
    Some(verifier)
}

/// SHA-256 or stronger, with RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA.
fn check_signature_algorithm(csr: &X509CertificationRequest<'_>) -> Result<(), PkiError> {
    const STRONG: [&str; 6] = [
        "1.2.840.113549.1.1.11", // sha256WithRSAEncryption
        "1.2.840.113549.1.1.12", // sha384WithRSAEncryption
        "1.2.840.113549.1.1.13", // sha512WithRSAEncryption
        "1.2.840.10045.4.3.2",   // ecdsa-with-SHA256
        "1.2.840.10045.4.3.3",   // ecdsa-with-SHA384
        "1.2.840.10045.4.3.4",   // ecdsa-with-SHA512
    ];
    const STRONG_HASHES: [&str; 3] = [
        "2.16.840.1.101.3.4.2.1", // SHA-256
        "2.16.840.1.101.3.4.2.2", // SHA-384
        "2.16.840.1.101.3.4.2.3", // SHA-512
    ];
    let algorithm = &csr.signature_algorithm;
    let oid = algorithm.algorithm.to_id_string();
    if STRONG.contains(&oid.as_str()) {
        return Ok(());
    }
    if let Ok(SignatureAlgorithm::RSASSA_PSS(params)) = SignatureAlgorithm::try_from(algorithm) {
        let hash = params.hash_algorithm_oid().to_id_string();
        if STRONG_HASHES.contains(&hash.as_str()) {
            return Ok(());
        }
        return Err(PkiError::WeakSignature(format!(
            "RSASSA-PSS with hash {hash}"
        )));
    }
    Err(PkiError::WeakSignature(algorithm_name(&oid)))
}

fn algorithm_name(oid: &str) -> String {
    let name = match oid {
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.14" => "sha224WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.1" => "ecdsa-with-SHA224",
        "1.3.101.112" => "Ed25519",
        _ => return oid.to_owned(),
    };
    format!("{name} ({oid})")
}

/// The subjectAltName a CSR asks for, read.
#[derive(Default)]
struct RequestedSan {
    /// Copied into the certificate as sent.
    raw: Option<RawExtension>,
    /// Lower-cased, in order, once each.
    dns_names: Vec<String>,
    /// The entries that are not dNSNames, as text.
    other_names: Vec<String>,
    /// The otherNames with string values (as ICP-Brasil's are).
    string_other_names: Vec<OtherName>,
}

/// The subjectAltName the CSR asks for. It is copied into the certificate as
/// sent, so it must parse: a certificate with a broken SAN fails verification.
fn requested_subject_alt_name(
    csr: &X509CertificationRequest<'_>,
) -> Result<RequestedSan, PkiError> {
    for attribute in csr.certification_request_info.iter_attributes() {
        let ParsedCriAttribute::ExtensionRequest(request) = attribute.parsed_attribute() else {
            continue;
        };
        let Some(san) = request
            .extensions
            .iter()
            .find(|e| e.oid.to_id_string() == SUBJECT_ALT_NAME)
        else {
            continue;
        };
        let ParsedExtension::SubjectAlternativeName(names) = san.parsed_extension() else {
            return Err(PkiError::Unreadable(
                "the CSR's subjectAltName extension does not parse as GeneralNames".into(),
            ));
        };
        let mut read = RequestedSan {
            raw: Some(RawExtension {
                critical: san.critical,
                value: san.value.to_vec(),
            }),
            string_other_names: other_names_of(&names.general_names),
            ..Default::default()
        };
        for name in &names.general_names {
            match name {
                GeneralName::DNSName(host) => {
                    // DNS names compare without regard to case (RFC 4343).
                    let host = host.to_ascii_lowercase();
                    if !read.dns_names.contains(&host) {
                        read.dns_names.push(host);
                    }
                }
                GeneralName::IPAddress(bytes) => read.other_names.push(ip_text(bytes)),
                GeneralName::RFC822Name(mail) => read.other_names.push(format!("email:{mail}")),
                GeneralName::URI(uri) => read.other_names.push(format!("URI:{uri}")),
                other => read.other_names.push(other.to_string()),
            }
        }
        return Ok(read);
    }
    Ok(RequestedSan::default())
}

/// An iPAddress entry as an address, when it is one.
fn ip_text(bytes: &[u8]) -> String {
    let ip = match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        _ => None,
    };
    ip.map_or_else(|| "an iPAddress".to_owned(), |ip| format!("IP:{ip}"))
}

/// The subject CN as a host name, for CSRs that carry no dNSName: only when
/// there is exactly one CN and it has a dot, no white space, and is not an IP
/// address (those belong in an iPAddress SAN, never a dNSName).
fn host_name_in_common_name(name: &X509Name<'_>) -> Option<String> {
    let mut common_names = name.iter_common_name();
    let only = common_names.next()?;
    if common_names.next().is_some() {
        return None;
    }
    let cn = only.as_str().ok()?;
    let looks_like_host = cn.contains('.')
        && !cn.chars().any(char::is_whitespace)
        && cn.parse::<std::net::IpAddr>().is_err();
    looks_like_host.then(|| cn.to_ascii_lowercase())
}

/// Reads the naming attributes out of an X.509 name, and the CNPJ of an
/// ICP-Brasil otherName among the subjectAltName's string-valued otherNames.
/// Each attribute but OU may appear once: a name with two CNs (or UIDs...)
/// would name two software statements.
pub(super) fn subject_attributes(
    name: &X509Name<'_>,
    string_other_names: &[OtherName],
) -> Result<SubjectAttributes, PkiError> {
    let mut cnpjs = string_other_names
        .iter()
        .filter(|n| n.oid == ICP_BRASIL_CNPJ_OID);
    let icp_brasil_cnpj = cnpjs.next().map(|n| n.text.clone());
    if cnpjs.next().is_some() {
        return Err(PkiError::Unreadable(format!(
            "the subjectAltName has more than one otherName {ICP_BRASIL_CNPJ_OID} (CNPJ); it must name exactly one"
        )));
    }
    let mut subject = SubjectAttributes {
        icp_brasil_cnpj,
        ..Default::default()
    };
    for attribute in name.iter_attributes() {
        let oid = attribute.attr_type().to_id_string();
        let text = |label: &str| {
            attribute
                .as_str()
                .map(str::to_owned)
                .map_err(|_| PkiError::Unreadable(format!("subject {label} is not a text string")))
        };
        if oid == "2.5.4.11" {
            subject.organisational_units.push(text("OU")?);
            continue;
        }
        let (slot, label) = match oid.as_str() {
            "2.5.4.3" => (&mut subject.common_name, "CN"),
            "0.9.2342.19200300.100.1.1" => (&mut subject.uid, "UID"),
            "2.5.4.97" => (
                &mut subject.organisation_identifier,
                "organizationIdentifier",
            ),
            "2.5.4.5" => (&mut subject.serial_number, "serialNumber"),
            "2.5.4.15" => (&mut subject.business_category, "businessCategory"),
            "1.3.6.1.4.1.311.60.2.1.3" => {
                (&mut subject.jurisdiction_country, "jurisdictionCountryName")
            }
            "2.5.4.6" => (&mut subject.country, "C"),
            "2.5.4.10" => (&mut subject.organisation_name, "O"),
            "2.5.4.8" => (&mut subject.state, "ST"),
            "2.5.4.7" => (&mut subject.locality, "L"),
            _ => continue,
        };
        if slot.is_some() {
            return Err(PkiError::Unreadable(format!(
                "subject has more than one {label}; it must name exactly one"
            )));
        }
        *slot = Some(text(label)?);
    }
    Ok(subject)
}

/// A subjectAltName otherName whose value is a string, as ICP-Brasil's are.
pub(super) struct OtherName {
    pub oid: String,
    pub text: String,
}

/// The otherNames among `names` whose value is a string.
pub(super) fn other_names_of(names: &[GeneralName<'_>]) -> Vec<OtherName> {
    names
        .iter()
        .filter_map(|name| match name {
            GeneralName::OtherName(oid, value) => Some(OtherName {
                oid: oid.to_id_string(),
                text: other_name_text(value)?,
            }),
            _ => None,
        })
        .collect()
}

/// The string inside an otherName's `[0] EXPLICIT` value.
fn other_name_text(value: &[u8]) -> Option<String> {
    use x509_parser::der_parser::asn1_rs::{Any, FromDer as _};
    let (_, explicit) = Any::from_der(value).ok()?;
    let (_, inner) = Any::from_der(explicit.data).ok()?;
    String::from_utf8(inner.data.to_vec()).ok()
}

#[cfg(test)]
mod tests {
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
            0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05,
            0x00,
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
        let garbled =
            "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n";
        assert!(matches!(
            CheckedCsr::parse_for_hosts(garbled),
            Err(PkiError::Unreadable(_))
        ));
    }
}
