//! The directory's CA: a root and an issuing CA under it, and issuing
//! participants' certificates from checked CSRs.

use chrono::{DateTime, Months, Utc};
use openssl::asn1::{Asn1Integer, Asn1Object, Asn1OctetString, Asn1Time};
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, PKeyRef, Private, Public};
use openssl::rsa::Rsa;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, SubjectKeyIdentifier,
};
use openssl::x509::{X509, X509Builder, X509Extension, X509Name, X509NameBuilder, X509NameRef};

use super::csr::{CheckedCsr, RawExtension};
use super::encoding::{base64, decode_base64, hex};
use super::pem::armour;
use super::{PkiError, Profile, der};
use crate::domain::PublicUrls;
use crate::domain::authority::{CaRecord, PrivateKeyMaterial};

/// Who the CA says it is, and how strong its keys are.
#[derive(Debug, Clone)]
pub struct CaNaming {
    pub organisation: String,
    pub country: String,
    pub key_bits: u32,
}

pub struct CertificateAuthority {
    id: String,
    root: X509,
    root_key: PKey<Private>,
    issuing: X509,
    issuing_key: PKey<Private>,
}

/// A certificate the issuing CA just signed.
pub struct IssuedCertificate {
    /// Leaf then issuing CA, as DER.
    pub chain: Vec<Vec<u8>>,
    pub serial_hex: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

const ROOT_YEARS: u32 = 20;
const ISSUING_YEARS: u32 = 10;

impl CertificateAuthority {
    /// Makes a new root and issuing CA, valid from `now`.
    pub fn create(id: String, naming: &CaNaming, now: DateTime<Utc>) -> Result<Self, PkiError> {
        let root_key = PKey::from_rsa(Rsa::generate(naming.key_bits)?)?;
        let issuing_key = PKey::from_rsa(Rsa::generate(naming.key_bits)?)?;
        let root_name = ca_name(naming, "obdir Root CA")?;
        let issuing_name = ca_name(naming, "obdir Issuing CA")?;

        let mut root = X509Builder::new()?;
        ca_basics(
            &mut root, &root_name, &root_name, &root_key, now, ROOT_YEARS,
        )?;
        root.append_extension(BasicConstraints::new().critical().ca().build()?)?;
        root.append_extension(ca_key_usage()?)?;
        let ski = SubjectKeyIdentifier::new().build(&root.x509v3_context(None, None))?;
        root.append_extension(ski)?;
        root.sign(&root_key, MessageDigest::sha256())?;
        let root = root.build();

        let mut issuing = X509Builder::new()?;
        ca_basics(
            &mut issuing,
            &issuing_name,
            &root_name,
            &issuing_key,
            now,
            ISSUING_YEARS,
        )?;
        issuing.append_extension(BasicConstraints::new().critical().ca().pathlen(0).build()?)?;
        issuing.append_extension(ca_key_usage()?)?;
        let context = issuing.x509v3_context(Some(&root), None);
        let ski = SubjectKeyIdentifier::new().build(&context)?;
        let aki = AuthorityKeyIdentifier::new().keyid(true).build(&context)?;
        issuing.append_extension(ski)?;
        issuing.append_extension(aki)?;
        issuing.sign(&root_key, MessageDigest::sha256())?;
        let issuing = issuing.build();

        Ok(Self {
            id,
            root,
            root_key,
            issuing,
            issuing_key,
        })
    }

    pub fn from_record(record: &CaRecord) -> Result<Self, PkiError> {
        let cert = |b64: &str| {
            decode_base64(b64)
                .ok_or_else(|| PkiError::Unreadable("stored CA certificate is not base64".into()))
                .and_then(|der| X509::from_der(&der).map_err(PkiError::from))
        };
        let key = |material: &PrivateKeyMaterial| {
            decode_base64(material.expose())
                .ok_or_else(|| PkiError::Unreadable("stored CA key is not base64".into()))
                .and_then(|der| PKey::private_key_from_der(&der).map_err(PkiError::from))
        };
        Ok(Self {
            id: record.id.clone(),
            root: cert(&record.root_certificate)?,
            root_key: key(&record.root_key)?,
            issuing: cert(&record.issuing_certificate)?,
            issuing_key: key(&record.issuing_key)?,
        })
    }

    pub fn to_record(&self, created: DateTime<Utc>) -> Result<CaRecord, PkiError> {
        Ok(CaRecord {
            id: self.id.clone(),
            created,
            root_certificate: base64(&self.root.to_der()?),
            root_key: PrivateKeyMaterial::new(base64(&self.root_key.private_key_to_pkcs8()?)),
            issuing_certificate: base64(&self.issuing.to_der()?),
            issuing_key: PrivateKeyMaterial::new(base64(&self.issuing_key.private_key_to_pkcs8()?)),
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Issuing CA then root, as PEM: what a relying party needs to verify a leaf.
    pub fn chain_pem(&self) -> Result<String, PkiError> {
        Ok(armour("CERTIFICATE", &self.issuing.to_der()?)
            + &armour("CERTIFICATE", &self.root.to_der()?))
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
        let leaf = LeafRequest {
            subject: csr.request.subject_name(),
            public_key: &csr.public_key,
            subject_alt_name: csr.subject_alt_name.as_ref(),
        };
        self.sign_leaf(leaf, profile, now, months, urls)
    }

    /// A fresh key and a signing certificate for the directory itself (SSAs,
    /// access tokens), issued by this CA so relying parties can chain it.
    pub fn issue_directory_signer(
        &self,
        naming: &CaNaming,
        now: DateTime<Utc>,
        urls: &PublicUrls,
    ) -> Result<(PKey<Private>, IssuedCertificate), PkiError> {
        let key = PKey::from_rsa(Rsa::generate(naming.key_bits)?)?;
        let subject = ca_name(naming, "obdir Directory Signing")?;
        let public_key = PKey::public_key_from_der(&key.public_key_to_der()?)?;
        let leaf = LeafRequest {
            subject: &subject,
            public_key: &public_key,
            subject_alt_name: None,
        };
        let issued = self.sign_leaf(leaf, Profile::Signing, now, 12 * ISSUING_YEARS, urls)?;
        Ok((key, issued))
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
        leaf.set_issuer_name(self.issuing.subject_name())?;
        leaf.set_pubkey(request.public_key)?;
        let (start, end) = (asn1_time(now)?, asn1_time(not_after)?);
        leaf.set_not_before(&start)?;
        leaf.set_not_after(&end)?;

        leaf.append_extension(BasicConstraints::new().critical().build()?)?;
        leaf.append_extension(profile.key_usage()?)?;
        if let Some(eku) = profile.extended_key_usage() {
            leaf.append_extension(eku?)?;
        }
        let context = leaf.x509v3_context(Some(&self.issuing), None);
        let ski = SubjectKeyIdentifier::new().build(&context)?;
        let aki = AuthorityKeyIdentifier::new().keyid(true).build(&context)?;
        leaf.append_extension(ski)?;
        leaf.append_extension(aki)?;
        if let Some(san) = request.subject_alt_name {
            leaf.append_extension(raw_extension("2.5.29.17", san.critical, &san.value)?)?;
        }
        let crl = der::crl_distribution_points(&urls.crl(&self.id));
        leaf.append_extension(raw_extension("2.5.29.31", false, &crl)?)?;
        let aia = der::authority_info_access_ocsp(&urls.ocsp());
        leaf.append_extension(raw_extension("1.3.6.1.5.5.7.1.1", false, &aia)?)?;
        leaf.sign(&self.issuing_key, MessageDigest::sha256())?;

        Ok(IssuedCertificate {
            chain: vec![leaf.build().to_der()?, self.issuing.to_der()?],
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
    subject_alt_name: Option<&'a RawExtension>,
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
    subject: &X509Name,
    issuer: &X509Name,
    key: &PKey<Private>,
    now: DateTime<Utc>,
    years: u32,
) -> Result<(), PkiError> {
    let not_after = now
        .checked_add_months(Months::new(12 * years))
        .ok_or_else(|| PkiError::Validity("CA validity overflows the calendar".into()))?;
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
