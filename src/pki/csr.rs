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
use super::spki;
use super::subject::{OtherName, other_names_of, subject_attributes};
use crate::domain::certificate::CertificateOwner;
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
    let public_key = spki::read(info.subject_pki.raw)
        .map_err(|_| PkiError::KeyPolicy("the CSR public key is of an unsupported type".into()))?;
    if !signed_by_own_key(&parsed, &public_key.key) {
        return Err(PkiError::ProofOfPossession);
    }
    check_key_policy(&public_key.key, &policy)?;
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

#[cfg(test)]
mod tests;
