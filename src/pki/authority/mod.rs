//! The directory's CAs: roots (trust anchors), the issuing CAs under them,
//! and participants' certificates issued from checked CSRs. What a root and
//! an issuing CA share, a certificate and its key kept and read back the
//! same way, is `CaKeys`; `root` and `issuing` add what each signs.

mod issuing;
mod root;

pub use issuing::IssuingAuthority;
pub use root::RootAuthority;

use chrono::{DateTime, Utc};
use openssl::asn1::{Asn1Integer, Asn1Object, Asn1OctetString, Asn1Time};
use openssl::bn::BigNum;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::KeyUsage;
use openssl::x509::{X509, X509Builder, X509Extension, X509Name, X509NameBuilder, X509NameRef};

use super::PkiError;
use super::encoding::{base64, decode_base64, hex};
use super::name::name_text;
use super::pem::armour;
use super::revocation::RevokedEntries;
use crate::domain::PublicUrls;
use crate::domain::authority::PrivateKeyMaterial;

/// Who the CA says it is, and how strong its keys are.
#[derive(Debug, Clone)]
pub struct CaNaming {
    pub organisation: String,
    pub country: String,
    pub key_bits: u32,
}

/// What a new root CA certificate says and how long it lasts.
#[derive(Debug, Clone)]
pub struct RootSubject {
    pub common_name: String,
    pub organisation: String,
    pub country: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

/// A certificate the issuing CA just signed.
pub struct IssuedCertificate {
    /// Leaf then issuing CA, as DER.
    pub chain: Vec<Vec<u8>>,
    pub serial_hex: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

const ISSUING_YEARS: u32 = 10;

/// The extensions by which a certificate signed by `issuer` names where its
/// status is served: the issuer's CRL and the OCSP responder, as (OID, value).
fn status_pointers(urls: &PublicUrls, issuer: &str) -> [(&'static str, Vec<u8>); 2] {
    [
        (
            "2.5.29.31", // cRLDistributionPoints
            super::der::crl_distribution_points(&urls.crl(issuer)),
        ),
        (
            "1.3.6.1.5.5.7.1.1", // authorityInfoAccess
            super::der::authority_info_access_ocsp(&urls.ocsp()),
        ),
    ]
}

/// A CA certificate and its private key, under the id the store keeps them by.
pub struct CaKeys {
    id: String,
    cert: X509,
    key: PKey<Private>,
    /// What every certificate it signs copies, encoded once: its own DER
    /// (the chain's second entry), its subject (the issuer) and its key
    /// identifier (the authority key identifier).
    signs_with: Issuer,
}

struct Issuer {
    certificate: Vec<u8>,
    name: Vec<u8>,
    key_identifier: Option<Vec<u8>>,
}

impl CaKeys {
    fn new(id: String, cert: X509, key: PKey<Private>) -> Result<Self, PkiError> {
        let signs_with = Issuer {
            certificate: cert.to_der()?,
            name: cert.subject_name().to_der()?,
            key_identifier: cert.subject_key_id().map(|id| id.as_slice().to_vec()),
        };
        Ok(Self {
            id,
            cert,
            key,
            signs_with,
        })
    }

    fn from_stored(
        id: &str,
        certificate: &str,
        key: &PrivateKeyMaterial,
    ) -> Result<Self, PkiError> {
        let cert = decode_base64(certificate)
            .ok_or_else(|| PkiError::Unreadable("stored CA certificate is not base64".into()))
            .and_then(|der| X509::from_der(&der).map_err(PkiError::from))?;
        let key = decode_base64(key.expose())
            .ok_or_else(|| PkiError::Unreadable("stored CA key is not base64".into()))
            .and_then(|der| PKey::private_key_from_der(&der).map_err(PkiError::from))?;
        Self::new(id.to_owned(), cert, key)
    }

    /// The certificate and key as kept on disk.
    pub fn material(&self) -> Result<(String, PrivateKeyMaterial), PkiError> {
        let key = PrivateKeyMaterial::new(base64(&self.key.private_key_to_pkcs8()?));
        Ok((base64(&self.cert.to_der()?), key))
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn certificate(&self) -> &X509 {
        &self.cert
    }

    /// The CA certificate's serial number in hex, as an OCSP request asks.
    pub fn serial_hex(&self) -> Result<String, PkiError> {
        serial_hex(&self.cert)
    }

    pub fn data(&self) -> Result<CertificateData, PkiError> {
        certificate_data(&self.cert)
    }

    /// The CA's subject as `C=BR, O=..., CN=...`, without the rest of
    /// `data` (a DER round trip), for what it issues to name it.
    pub fn subject(&self) -> String {
        name_text(self.cert.subject_name())
    }

    /// A CRL this CA signs, listing `revoked`.
    pub fn crl(
        &self,
        revoked: &RevokedEntries,
        number: u64,
        now: DateTime<Utc>,
        next_update: DateTime<Utc>,
    ) -> Result<Vec<u8>, PkiError> {
        super::revocation::crl(&self.cert, &self.key, revoked, number, now, next_update)
    }

    /// An OCSP response this CA signs about certificates it issued.
    pub fn ocsp_response(
        &self,
        query: &super::revocation::OcspQuery,
        answers: &[super::revocation::Status],
        now: DateTime<Utc>,
        next_update: DateTime<Utc>,
    ) -> Result<Vec<u8>, PkiError> {
        super::revocation::ocsp_response(&self.cert, &self.key, query, answers, now, next_update)
    }
}

/// Facts about a CA certificate an API shows.
#[derive(Debug, Clone)]
pub struct CertificateData {
    pub pem: String,
    /// Hex SHA-256 of the DER.
    pub fingerprint: String,
    pub subject: String,
    pub issuer: String,
    pub serial_hex: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

fn certificate_data(cert: &X509) -> Result<CertificateData, PkiError> {
    let der = cert.to_der()?;
    let (_, parsed) = x509_parser::prelude::FromDer::from_der(&der)
        .map_err(|e: x509_parser::nom::Err<x509_parser::error::X509Error>| {
            PkiError::Unreadable(e.to_string())
        })
        .map(|(rest, c): (&[u8], x509_parser::certificate::X509Certificate<'_>)| (rest, c))?;
    let validity = parsed.validity();
    Ok(CertificateData {
        pem: armour("CERTIFICATE", &der),
        fingerprint: hex(&super::encoding::sha256(&der)),
        subject: name_text(cert.subject_name()),
        issuer: name_text(cert.issuer_name()),
        serial_hex: serial_hex(cert)?,
        not_before: DateTime::from_timestamp(validity.not_before.timestamp(), 0)
            .unwrap_or_default(),
        not_after: DateTime::from_timestamp(validity.not_after.timestamp(), 0).unwrap_or_default(),
    })
}

fn serial_hex(cert: &X509) -> Result<String, PkiError> {
    Ok(hex(&cert.serial_number().to_bn()?.to_vec()))
}

fn ca_name(naming: &CaNaming, common_name: &str) -> Result<X509Name, PkiError> {
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_text("C", &naming.country)?;
    name.append_entry_by_text("O", &naming.organisation)?;
    name.append_entry_by_text("CN", common_name)?;
    Ok(name.build())
}

fn ca_basics(
    builder: &mut X509Builder,
    subject: &X509NameRef,
    issuer: &X509NameRef,
    key: &PKey<Private>,
    now: DateTime<Utc>,
    not_after: DateTime<Utc>,
) -> Result<(), PkiError> {
    builder.set_version(2)?;
    let serial = random_serial()?;
    let serial = Asn1Integer::from_bn(&serial)?;
    builder.set_serial_number(&serial)?;
    builder.set_subject_name(subject)?;
    builder.set_issuer_name(issuer)?;
    builder.set_pubkey(key)?;
    let (start, end) = (asn1_time(now)?, asn1_time(not_after)?);
    builder.set_not_before(&start)?;
    builder.set_not_after(&end)?;
    Ok(())
}

fn asn1_time(t: DateTime<Utc>) -> Result<Asn1Time, PkiError> {
    Ok(Asn1Time::from_unix(t.timestamp())?)
}

fn ca_key_usage() -> Result<X509Extension, openssl::error::ErrorStack> {
    KeyUsage::new()
        .critical()
        .key_cert_sign()
        .crl_sign()
        .build()
}

fn raw_extension(oid: &str, critical: bool, value: &[u8]) -> Result<X509Extension, PkiError> {
    let oid = Asn1Object::from_str(oid)?;
    let value = Asn1OctetString::new_from_bytes(value)?;
    Ok(X509Extension::new_from_der(&oid, critical, &value)?)
}

/// A positive serial of exactly 16 bytes of randomness (RFC 5280 4.1.2.2, CA/B BR 7.1).
fn random_serial() -> Result<BigNum, PkiError> {
    let mut bytes = [0u8; 16];
    openssl::rand::rand_bytes(&mut bytes)?;
    bytes[0] &= 0x7f; // positive
    bytes[0] |= 0x40; // and no leading zero byte, so it encodes in 16 bytes
    Ok(BigNum::from_slice(&bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_are_sixteen_positive_bytes() {
        for _ in 0..64 {
            let serial = random_serial().unwrap().to_vec();
            assert_eq!(serial.len(), 16);
            assert!(serial[0] < 0x80);
        }
    }
}
