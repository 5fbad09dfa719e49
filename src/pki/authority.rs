//! The directory's CAs: roots (trust anchors), the issuing CAs under them,
//! and participants' certificates issued from checked CSRs.

use chrono::{DateTime, Months, Utc};
use openssl::asn1::{Asn1Integer, Asn1Object, Asn1OctetString, Asn1Time};
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, PKeyRef, Private, Public};
use openssl::rsa::Rsa;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::{X509, X509Builder, X509Extension, X509Name, X509NameBuilder, X509NameRef};

use super::csr::CheckedCsr;
use super::encoding::{base64, decode_base64, hex};
use super::pem::armour;
use super::{PkiError, Profile, der};
use crate::domain::PublicUrls;
use crate::domain::authority::{IssuingCaRecord, PrivateKeyMaterial, RootCaRecord};

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

/// A trust anchor: a self-signed root that signs issuing CAs.
pub struct RootAuthority {
    id: String,
    cert: X509,
    key: PKey<Private>,
}

/// The CA under a root that signs participants' certificates.
pub struct IssuingAuthority {
    id: String,
    root_id: String,
    cert: X509,
    key: PKey<Private>,
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

fn decode_certificate(b64: &str) -> Result<X509, PkiError> {
    decode_base64(b64)
        .ok_or_else(|| PkiError::Unreadable("stored CA certificate is not base64".into()))
        .and_then(|der| X509::from_der(&der).map_err(PkiError::from))
}

fn decode_key(material: &PrivateKeyMaterial) -> Result<PKey<Private>, PkiError> {
    decode_base64(material.expose())
        .ok_or_else(|| PkiError::Unreadable("stored CA key is not base64".into()))
        .and_then(|der| PKey::private_key_from_der(&der).map_err(PkiError::from))
}

fn key_material(key: &PKey<Private>) -> Result<PrivateKeyMaterial, PkiError> {
    Ok(PrivateKeyMaterial::new(base64(
        &key.private_key_to_pkcs8()?,
    )))
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

/// A name as `C=BR, O=obdir, CN=...`, in the order of its RDNs.
pub(super) fn name_text(name: &X509NameRef) -> String {
    name.entries()
        .map(|e| {
            let key = e.object().nid().short_name().unwrap_or("?").to_owned();
            let value = String::from_utf8_lossy(e.data().as_slice()).into_owned();
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
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
        serial_hex: hex(&cert.serial_number().to_bn()?.to_vec()),
        not_before: DateTime::from_timestamp(validity.not_before.timestamp(), 0)
            .unwrap_or_default(),
        not_after: DateTime::from_timestamp(validity.not_after.timestamp(), 0).unwrap_or_default(),
    })
}

impl RootAuthority {
    pub fn create(id: String, subject: &RootSubject, key_bits: u32) -> Result<Self, PkiError> {
        let key = PKey::from_rsa(Rsa::generate(key_bits)?)?;
        let mut name = X509NameBuilder::new()?;
        name.append_entry_by_text("C", &subject.country)?;
        name.append_entry_by_text("O", &subject.organisation)?;
        name.append_entry_by_text("CN", &subject.common_name)?;
        let name = name.build();
        let mut root = X509Builder::new()?;
        ca_basics(
            &mut root,
            &name,
            &name,
            &key,
            subject.not_before,
            subject.not_after,
        )?;
        root.append_extension(BasicConstraints::new().critical().ca().build()?)?;
        root.append_extension(ca_key_usage()?)?;
        let ski = SubjectKeyIdentifier::new().build(&root.x509v3_context(None, None))?;
        root.append_extension(ski)?;
        root.sign(&key, MessageDigest::sha256())?;
        Ok(Self {
            id,
            cert: root.build(),
            key,
        })
    }

    pub fn from_record(record: &RootCaRecord) -> Result<Self, PkiError> {
        Ok(Self {
            id: record.id.clone(),
            cert: decode_certificate(&record.certificate)?,
            key: decode_key(&record.key)?,
        })
    }

    /// The certificate and key as kept on disk.
    pub fn material(&self) -> Result<(String, PrivateKeyMaterial), PkiError> {
        Ok((base64(&self.cert.to_der()?), key_material(&self.key)?))
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn certificate(&self) -> &X509 {
        &self.cert
    }

    pub fn data(&self) -> Result<CertificateData, PkiError> {
        certificate_data(&self.cert)
    }

    /// A new issuing CA under this root, valid from `now` for ten years or
    /// until the root expires, whichever is first.
    pub fn create_issuing(
        &self,
        id: String,
        naming: &CaNaming,
        now: DateTime<Utc>,
    ) -> Result<IssuingAuthority, PkiError> {
        let key = PKey::from_rsa(Rsa::generate(naming.key_bits)?)?;
        // A distinct name per issuing CA: relying parties find a CRL's or a
        // leaf's issuer by name, and after a rollover two issuing CAs coexist.
        let short_id: String = id.chars().take(8).collect();
        let name = ca_name(naming, &format!("obdir Issuing CA {short_id}"))?;
        let root_end = certificate_data(&self.cert)?.not_after;
        let not_after = now
            .checked_add_months(Months::new(12 * ISSUING_YEARS))
            .map_or(root_end, |end| end.min(root_end));
        let mut issuing = X509Builder::new()?;
        ca_basics(
            &mut issuing,
            &name,
            self.cert.subject_name(),
            &key,
            now,
            not_after,
        )?;
        issuing.append_extension(BasicConstraints::new().critical().ca().pathlen(0).build()?)?;
        issuing.append_extension(ca_key_usage()?)?;
        let context = issuing.x509v3_context(Some(&self.cert), None);
        let ski = SubjectKeyIdentifier::new().build(&context)?;
        let aki = AuthorityKeyIdentifier::new().keyid(true).build(&context)?;
        issuing.append_extension(ski)?;
        issuing.append_extension(aki)?;
        issuing.sign(&self.key, MessageDigest::sha256())?;
        Ok(IssuingAuthority {
            id,
            root_id: self.id.clone(),
            cert: issuing.build(),
            key,
        })
    }

    /// This root's CRL (it revokes no issuing CA: rollover retires them instead).
    pub fn crl(
        &self,
        number: u64,
        now: DateTime<Utc>,
        next_update: DateTime<Utc>,
    ) -> Result<Vec<u8>, PkiError> {
        let none = super::revocation::RevokedEntries::default();
        super::revocation::crl(&self.cert, &self.key, &none, number, now, next_update)
    }
}

impl IssuingAuthority {
    pub fn from_record(record: &IssuingCaRecord) -> Result<Self, PkiError> {
        Ok(Self {
            id: record.id.clone(),
            root_id: record.root_id.clone(),
            cert: decode_certificate(&record.certificate)?,
            key: decode_key(&record.key)?,
        })
    }

    pub fn material(&self) -> Result<(String, PrivateKeyMaterial), PkiError> {
        Ok((base64(&self.cert.to_der()?), key_material(&self.key)?))
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn data(&self) -> Result<CertificateData, PkiError> {
        certificate_data(&self.cert)
    }

    /// The CA's subject as `C=BR, O=..., CN=...`, without the rest of
    /// `data` (a DER round trip), for what it issues to name it.
    pub fn subject(&self) -> String {
        name_text(self.cert.subject_name())
    }

    pub fn root_id(&self) -> &str {
        &self.root_id
    }

    pub fn certificate(&self) -> &X509 {
        &self.cert
    }

    pub fn crl(
        &self,
        revoked: &super::revocation::RevokedEntries,
        number: u64,
        now: DateTime<Utc>,
        next_update: DateTime<Utc>,
    ) -> Result<Vec<u8>, PkiError> {
        super::revocation::crl(&self.cert, &self.key, revoked, number, now, next_update)
    }

    pub fn ocsp_response(
        &self,
        query: &super::revocation::OcspQuery,
        answers: &[super::revocation::Status],
        now: DateTime<Utc>,
        next_update: DateTime<Utc>,
    ) -> Result<Vec<u8>, PkiError> {
        super::revocation::ocsp_response(&self.cert, &self.key, query, answers, now, next_update)
    }

    /// Signs a checked CSR under a profile, valid for `months` from `now`.
    pub fn issue(
        &self,
        csr: &CheckedCsr,
        profile: Profile,
        now: DateTime<Utc>,
        months: u32,
        urls: &PublicUrls,
    ) -> Result<IssuedCertificate, PkiError> {
        let san = csr
            .subject_alt_name
            .as_ref()
            .map(|san| raw_extension("2.5.29.17", san.critical, &san.value))
            .transpose()?;
        let leaf = LeafRequest {
            subject: csr.request.subject_name(),
            public_key: &csr.public_key,
            subject_alt_name: san,
        };
        self.sign_leaf(leaf, profile, now, months, urls)
    }

    /// Certifies a checked CSR's key for `names` (DNS names) alone: the
    /// subject is just CN=<first name> and the subjectAltName lists every
    /// name, whatever else the CSR asked for, as an RA vouches only for what
    /// it validated. With no names the subject is the CSR's CN alone.
    pub fn issue_for_hosts(
        &self,
        csr: &CheckedCsr,
        names: &[String],
        profile: Profile,
        now: DateTime<Utc>,
        months: u32,
        urls: &PublicUrls,
    ) -> Result<IssuedCertificate, PkiError> {
        let common_name = match (names.first(), csr.common_name()) {
            (Some(name), _) => name.clone(),
            (None, Some(cn)) => cn,
            (None, None) => {
                return Err(PkiError::Unreadable(
                    "the CSR names neither a DNS name nor a subject CN".into(),
                ));
            }
        };
        let mut subject = X509NameBuilder::new()?;
        subject.append_entry_by_text("CN", &common_name)?;
        let subject = subject.build();
        let subject_alt_name = if names.is_empty() {
            None
        } else {
            let mut san = SubjectAlternativeName::new();
            for name in names {
                san.dns(name);
            }
            Some(san.build(&X509Builder::new()?.x509v3_context(None, None))?)
        };
        let leaf = LeafRequest {
            subject: &subject,
            public_key: &csr.public_key,
            subject_alt_name,
        };
        self.sign_leaf(leaf, profile, now, months, urls)
    }

    /// Certifies obdir's own TLS server key (`key`) for `names` (DNS names
    /// or IP addresses), valid for a year.
    pub fn certify_server_key(
        &self,
        key: &PKey<Private>,
        naming: &CaNaming,
        names: &[String],
        now: DateTime<Utc>,
        urls: &PublicUrls,
    ) -> Result<IssuedCertificate, PkiError> {
        let common_name = names.first().map_or("obdir", String::as_str);
        let subject = ca_name(naming, common_name)?;
        let public_key = PKey::public_key_from_der(&key.public_key_to_der()?)?;
        let mut san = SubjectAlternativeName::new();
        for name in names {
            if name.parse::<std::net::IpAddr>().is_ok() {
                san.ip(name);
            } else {
                san.dns(name);
            }
        }
        // The SAN takes no context: it names nothing of the issuer.
        let san = san.build(&X509Builder::new()?.x509v3_context(None, None))?;
        let leaf = LeafRequest {
            subject: &subject,
            public_key: &public_key,
            subject_alt_name: Some(san),
        };
        self.sign_leaf(leaf, Profile::Transport, now, 12, urls)
    }

    /// Certifies the directory's signing key (`key`), for as long as this
    /// issuing CA lasts at most ten years.
    pub fn certify_directory_key(
        &self,
        key: &PKey<Private>,
        naming: &CaNaming,
        now: DateTime<Utc>,
        urls: &PublicUrls,
    ) -> Result<IssuedCertificate, PkiError> {
        let subject = ca_name(naming, "obdir Directory Signing")?;
        let public_key = PKey::public_key_from_der(&key.public_key_to_der()?)?;
        let leaf = LeafRequest {
            subject: &subject,
            public_key: &public_key,
            subject_alt_name: None,
        };
        self.sign_leaf(leaf, Profile::Signing, now, 12 * ISSUING_YEARS, urls)
    }

    fn sign_leaf(
        &self,
        request: LeafRequest<'_>,
        profile: Profile,
        now: DateTime<Utc>,
        months: u32,
        urls: &PublicUrls,
    ) -> Result<IssuedCertificate, PkiError> {
        let not_after = now
            .checked_add_months(Months::new(months))
            .ok_or_else(|| PkiError::Validity("validity period overflows the calendar".into()))?;
        let serial = random_serial()?;
        let serial_hex = hex(&serial.to_vec());

        let mut leaf = X509Builder::new()?;
        leaf.set_version(2)?;
        let serial_number = Asn1Integer::from_bn(&serial)?;
        leaf.set_serial_number(&serial_number)?;
        leaf.set_subject_name(request.subject)?;
        leaf.set_issuer_name(self.cert.subject_name())?;
        leaf.set_pubkey(request.public_key)?;
        let (start, end) = (asn1_time(now)?, asn1_time(not_after)?);
        leaf.set_not_before(&start)?;
        leaf.set_not_after(&end)?;

        leaf.append_extension(BasicConstraints::new().critical().build()?)?;
        leaf.append_extension(profile.key_usage()?)?;
        if let Some(eku) = profile.extended_key_usage() {
            leaf.append_extension(eku?)?;
        }
        let context = leaf.x509v3_context(Some(&self.cert), None);
        let ski = SubjectKeyIdentifier::new().build(&context)?;
        let aki = AuthorityKeyIdentifier::new().keyid(true).build(&context)?;
        leaf.append_extension(ski)?;
        leaf.append_extension(aki)?;
        if let Some(san) = request.subject_alt_name {
            leaf.append_extension(san)?;
        }
        let crl = der::crl_distribution_points(&urls.crl(&self.id));
        leaf.append_extension(raw_extension("2.5.29.31", false, &crl)?)?;
        let aia = der::authority_info_access_ocsp(&urls.ocsp());
        leaf.append_extension(raw_extension("1.3.6.1.5.5.7.1.1", false, &aia)?)?;
        leaf.sign(&self.key, MessageDigest::sha256())?;

        Ok(IssuedCertificate {
            chain: vec![leaf.build().to_der()?, self.cert.to_der()?],
            serial_hex,
            not_before: now,
            not_after,
        })
    }
}

/// What goes into a leaf certificate besides the profile.
struct LeafRequest<'a> {
    subject: &'a X509NameRef,
    public_key: &'a PKeyRef<Public>,
    subject_alt_name: Option<X509Extension>,
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
