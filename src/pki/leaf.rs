//! A leaf certificate built as DER: the body (TBSCertificate) from the
//! request's subject and public key as they arrived, and OpenSSL used for
//! the signature alone, so the key is never decoded again to be copied.

use chrono::{DateTime, Utc};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::sign::Signer;
use x509_cert::der::{Decode, Encode};
use x509_cert::spki::SubjectPublicKeyInfoRef;

use super::PkiError;
use super::der::{self, BIT_STRING, CONTEXT_0, INTEGER, OCTET_STRING, SEQUENCE, der_error, tlv};

/// sha256WithRSAEncryption with its NULL parameters (RFC 4055 5).
const SHA256_WITH_RSA: [u8; 15] = [
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
];

/// What the body of a leaf certificate holds, each part as DER.
pub(super) struct LeafBody<'a> {
    /// The serial's magnitude: positive, with no leading zero byte.
    pub serial: &'a [u8],
    pub issuer: &'a [u8],
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub subject: &'a [u8],
    /// SubjectPublicKeyInfo.
    pub public_key: &'a [u8],
    /// Each an Extension, in the order the certificate lists them.
    pub extensions: Vec<Vec<u8>>,
}

impl LeafBody<'_> {
    /// The TBSCertificate (RFC 5280 4.1), version 3.
    fn to_der(&self) -> Result<Vec<u8>, PkiError> {
        let mut body = tlv(CONTEXT_0, &tlv(INTEGER, &[2]));
        body.extend(tlv(INTEGER, self.serial));
        body.extend_from_slice(&SHA256_WITH_RSA);
        body.extend_from_slice(self.issuer);
        let mut validity = der::rfc5280_time(self.not_before)?
            .to_der()
            .map_err(der_error)?;
        validity.extend(
            der::rfc5280_time(self.not_after)?
                .to_der()
                .map_err(der_error)?,
        );
        body.extend(tlv(SEQUENCE, &validity));
        body.extend_from_slice(self.subject);
        body.extend_from_slice(self.public_key);
        body.extend(tlv(
            der::CONTEXT_3,
            &tlv(SEQUENCE, &self.extensions.concat()),
        ));
        Ok(tlv(SEQUENCE, &body))
    }

    /// The certificate: this body signed with SHA-256 by the CA's RSA key.
    pub fn sign(&self, ca_key: &PKey<Private>) -> Result<Vec<u8>, PkiError> {
        let body = self.to_der()?;
        let mut signer = Signer::new(MessageDigest::sha256(), ca_key)?;
        signer.update(&body)?;
        let mut signature = vec![0]; // no unused bits
        signature.extend(signer.sign_to_vec()?);
        let mut certificate = body;
        certificate.extend_from_slice(&SHA256_WITH_RSA);
        certificate.extend(tlv(BIT_STRING, &signature));
        Ok(tlv(SEQUENCE, &certificate))
    }
}

/// An Extension (RFC 5280 4.1): its OID (dotted), criticality and value.
pub(super) fn extension(oid: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    let mut content = tlv(der::OID, &der::oid(oid));
    if critical {
        content.extend_from_slice(&[0x01, 0x01, 0xff]); // BOOLEAN TRUE
    }
    content.extend(tlv(OCTET_STRING, value));
    tlv(SEQUENCE, &content)
}

/// The key identifier of a SubjectPublicKeyInfo: the SHA-1 of its
/// subjectPublicKey bits (RFC 5280 4.2.1.2, method 1), as OpenSSL makes it.
pub(super) fn key_identifier(public_key: &[u8]) -> Result<Vec<u8>, PkiError> {
    let spki = SubjectPublicKeyInfoRef::from_der(public_key).map_err(der_error)?;
    Ok(openssl::hash::hash(MessageDigest::sha1(), spki.subject_public_key.raw_bytes())?.to_vec())
}

/// The SubjectKeyIdentifier extension's value.
pub(super) fn subject_key_identifier(key_id: &[u8]) -> Vec<u8> {
    tlv(OCTET_STRING, key_id)
}

/// The AuthorityKeyIdentifier extension's value: the issuer's key identifier.
pub(super) fn authority_key_identifier(issuer_key_id: &[u8]) -> Vec<u8> {
    tlv(SEQUENCE, &tlv(0x80, issuer_key_id)) // keyIdentifier [0] IMPLICIT
}

/// BasicConstraints for an end entity: `cA` left at its default, FALSE.
pub(super) const END_ENTITY: &[u8] = &[0x30, 0x00];

/// A GeneralNames of DNS names and IP addresses (RFC 5280 4.2.1.6).
pub(super) fn subject_alt_names(names: &[String]) -> Vec<u8> {
    let entries: Vec<u8> = names
        .iter()
        .flat_map(|name| match name.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(ip)) => tlv(0x87, &ip.octets()),
            Ok(std::net::IpAddr::V6(ip)) => tlv(0x87, &ip.octets()),
            Err(_) => tlv(0x82, name.as_bytes()),
        })
        .collect();
    tlv(SEQUENCE, &entries)
}
