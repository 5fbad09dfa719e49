//! Certificates issued elsewhere (`*_ext` types): read, held to the key policy,
//! the validity window and the subject naming rule, then stored as given.

use chrono::{DateTime, Utc};
use openssl::x509::X509;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::PkiError;
use super::key::{KeyFacts, KeyPolicy, check_key_policy, key_facts};
use super::pem::{PemKind, expect_first};
use super::spki;
use super::subject::{other_names_of, subject_attributes};
use crate::domain::CertOrKeyType;
use crate::domain::certificate::CertificateOwner;

pub struct ExternalCertificate {
    /// Leaf first, then any CA certificates the upload carried, as DER.
    pub chain: Vec<Vec<u8>>,
    pub key: KeyFacts,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

pub fn parse_external_certificate(
    text: &str,
    key_type: CertOrKeyType,
    owner: CertificateOwner<'_>,
    now: DateTime<Utc>,
) -> Result<ExternalCertificate, PkiError> {
    expect_first(
        text,
        &[PemKind::Certificate],
        "an issued certificate (CERTIFICATE)",
    )?;
    let certificates = X509::stack_from_pem(text.as_bytes()).map_err(super::unreadable(
        "the certificate PEM does not decode as X.509",
    ))?;
    certificates
        .first()
        .ok_or_else(|| PkiError::Unreadable("the body holds no certificate".into()))?;
    let chain = certificates
        .iter()
        .map(|c| c.to_der())
        .collect::<Result<Vec<_>, _>>()?;
    let (_, parsed) = X509Certificate::from_der(&chain[0])
        .map_err(|e| PkiError::Unreadable(format!("the certificate does not parse: {e}")))?;

    let public_key = spki::read(parsed.public_key().raw).map_err(|_| {
        PkiError::KeyPolicy("the certificate public key is of an unsupported type".into())
    })?;
    check_key_policy(&public_key.key, &KeyPolicy::of_type(key_type))?;

    let validity = parsed.validity();
    let not_before =
        DateTime::from_timestamp(validity.not_before.timestamp(), 0).unwrap_or_default();
    let not_after = DateTime::from_timestamp(validity.not_after.timestamp(), 0).unwrap_or_default();
    if now < not_before {
        return Err(PkiError::Validity(format!(
            "the certificate is not valid before {}",
            not_before.to_rfc3339()
        )));
    }
    if now > not_after {
        return Err(PkiError::Validity(format!(
            "the certificate expired at {}",
            not_after.to_rfc3339()
        )));
    }
    let san = parsed
        .subject_alternative_name()
        .map_err(|e| PkiError::Unreadable(format!("the subjectAltName does not parse: {e}")))?;
    let string_other_names =
        san.map_or_else(Vec::new, |san| other_names_of(&san.value.general_names));
    let subject = subject_attributes(parsed.subject(), &string_other_names)?;
    key_type
        .subject_naming()
        .check(&subject, owner)
        .map_err(PkiError::Subject)?;

    Ok(ExternalCertificate {
        chain,
        key: key_facts(&public_key)?,
        not_before,
        not_after,
    })
}
