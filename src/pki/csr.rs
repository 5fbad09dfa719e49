//! CSR intake: decode, proof of possession, signature strength, key policy and
//! subject naming, in that order, so the first failure is the one reported.

use openssl::pkey::{PKey, Public};
use openssl::x509::X509Req;
use x509_parser::prelude::{
    FromDer, ParsedCriAttribute, ParsedExtension, X509CertificationRequest,
};
use x509_parser::signature_algorithm::SignatureAlgorithm;

use super::PkiError;
use super::key::{KeyFacts, check_key_policy, key_facts};
use super::pem::{PemKind, first_block};
use crate::domain::certificate::SubjectAttributes;
use crate::domain::{CertOrKeyType, OrganisationId, SoftwareStatementId};

/// A CSR that passed every check and may be signed.
pub struct CheckedCsr {
    pub(super) request: X509Req,
    pub(super) public_key: PKey<Public>,
    /// The requested subjectAltName extension, copied into the certificate as is.
    pub(super) subject_alt_name: Option<RawExtension>,
    key: KeyFacts,
}

pub(super) struct RawExtension {
    pub critical: bool,
    pub value: Vec<u8>,
}

const SUBJECT_ALT_NAME: &str = "2.5.29.17";

impl CheckedCsr {
    pub fn parse(
        text: &str,
        key_type: CertOrKeyType,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
    ) -> Result<CheckedCsr, PkiError> {
        match first_block(text) {
            Some(PemKind::CertificateRequest) => {}
            Some(other) => {
                return Err(PkiError::WrongContent {
                    expected: "a certificate signing request (CERTIFICATE REQUEST)".into(),
                    found: other.describe().into(),
                });
            }
            None => {
                return Err(PkiError::Unreadable(
                    "the body is not PEM: no -----BEGIN line".into(),
                ));
            }
        }
        let request = X509Req::from_pem(text.as_bytes()).map_err(|_| {
            let _ = openssl::error::ErrorStack::get();
            PkiError::Unreadable("the CSR PEM does not decode as PKCS#10".into())
        })?;
        let der = request.to_der()?;
        let (_, parsed) = X509CertificationRequest::from_der(&der)
            .map_err(|e| PkiError::Unreadable(format!("the CSR does not parse: {e}")))?;

        check_signature_algorithm(&parsed)?;
        let public_key = request.public_key().map_err(|_| {
            PkiError::KeyPolicy("the CSR public key is of an unsupported type".into())
        })?;
        // verify() leaves errors on OpenSSL's queue when it answers false: drain them.
        let signed_by_own_key = request.verify(&public_key).unwrap_or(false);
        let _ = openssl::error::ErrorStack::get();
        if !signed_by_own_key {
            return Err(PkiError::ProofOfPossession);
        }
        check_key_policy(&public_key, key_type)?;
        let subject = subject_attributes(&parsed.certification_request_info.subject)?;
        key_type
            .subject_naming()
            .check(&subject, org, ss)
            .map_err(PkiError::Subject)?;

        Ok(CheckedCsr {
            subject_alt_name: requested_subject_alt_name(&parsed)?,
            key: key_facts(&public_key)?,
            request,
            public_key,
        })
    }

    pub fn key(&self) -> &KeyFacts {
        &self.key
    }
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

/// The subjectAltName the CSR asks for. It is copied into the certificate as
/// sent, so it must parse: a certificate with a broken SAN fails verification.
fn requested_subject_alt_name(
    csr: &X509CertificationRequest<'_>,
) -> Result<Option<RawExtension>, PkiError> {
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
        if !matches!(
            san.parsed_extension(),
            ParsedExtension::SubjectAlternativeName(_)
        ) {
            return Err(PkiError::Unreadable(
                "the CSR's subjectAltName extension does not parse as GeneralNames".into(),
            ));
        }
        return Ok(Some(RawExtension {
            critical: san.critical,
            value: san.value.to_vec(),
        }));
    }
    Ok(None)
}

/// Reads the naming attributes out of an X.509 name. Each may appear once: a
/// name with two CNs (or UIDs...) would name two software statements.
pub(super) fn subject_attributes(
    name: &x509_parser::x509::X509Name<'_>,
) -> Result<SubjectAttributes, PkiError> {
    let mut subject = SubjectAttributes::default();
    for attribute in name.iter_attributes() {
        let (slot, label) = match attribute.attr_type().to_id_string().as_str() {
            "2.5.4.3" => (&mut subject.common_name, "CN"),
            "2.5.4.11" => (&mut subject.organisational_unit, "OU"),
            "0.9.2342.19200300.100.1.1" => (&mut subject.uid, "UID"),
            "2.5.4.97" => (
                &mut subject.organisation_identifier,
                "organizationIdentifier",
            ),
            _ => continue,
        };
        let value = attribute
            .as_str()
            .map_err(|_| PkiError::Unreadable(format!("subject {label} is not a text string")))?;
        if slot.is_some() {
            return Err(PkiError::Unreadable(format!(
                "subject has more than one {label}; it must name exactly one"
            )));
        }
        *slot = Some(value.to_owned());
    }
    Ok(subject)
}
