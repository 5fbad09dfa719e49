//! An issuing CA: the CA under a root that signs participants' certificates,
//! obdir's TLS server key and the directory's signing key.

use std::ops::Deref;

use chrono::{DateTime, Months, Utc};
use openssl::asn1::Asn1Integer;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, PKeyRef, Private, Public};
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, SubjectAlternativeName, SubjectKeyIdentifier,
};
use openssl::x509::{X509Builder, X509Extension, X509NameBuilder, X509NameRef};

use super::{
    AUTHORITY_INFO_ACCESS, CRL_DISTRIBUTION_POINTS, CaKeys, CaNaming, ISSUING_YEARS,
    IssuedCertificate, asn1_time, ca_name, random_serial, raw_extension,
};
use crate::domain::PublicUrls;
use crate::domain::authority::IssuingCaRecord;
use crate::pki::csr::CheckedCsr;
use crate::pki::encoding::hex;
use crate::pki::{PkiError, Profile, der};

/// The CA under a root that signs participants' certificates.
pub struct IssuingAuthority {
    pub(super) keys: CaKeys,
    pub(super) root_id: String,
}

/// Its id, certificate, key, data and CRL, as every CA has them.
impl Deref for IssuingAuthority {
    type Target = CaKeys;

    fn deref(&self) -> &CaKeys {
        &self.keys
    }
}

impl IssuingAuthority {
    pub fn from_record(record: &IssuingCaRecord) -> Result<Self, PkiError> {
        Ok(Self {
            keys: CaKeys::from_stored(&record.id, &record.certificate, &record.key)?,
            root_id: record.root_id.clone(),
        })
    }

    pub fn root_id(&self) -> &str {
        &self.root_id
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
            subject: &csr.subject,
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
        leaf.set_issuer_name(self.keys.cert.subject_name())?;
        leaf.set_pubkey(request.public_key)?;
        let (start, end) = (asn1_time(now)?, asn1_time(not_after)?);
        leaf.set_not_before(&start)?;
        leaf.set_not_after(&end)?;

        leaf.append_extension(BasicConstraints::new().critical().build()?)?;
        leaf.append_extension(profile.key_usage()?)?;
        if let Some(eku) = profile.extended_key_usage() {
            leaf.append_extension(eku?)?;
        }
        let context = leaf.x509v3_context(Some(&self.keys.cert), None);
        let ski = SubjectKeyIdentifier::new().build(&context)?;
        let aki = AuthorityKeyIdentifier::new().keyid(true).build(&context)?;
        leaf.append_extension(ski)?;
        leaf.append_extension(aki)?;
        if let Some(san) = request.subject_alt_name {
            leaf.append_extension(san)?;
        }
        let crl = der::crl_distribution_points(&urls.crl(&self.keys.id));
        leaf.append_extension(raw_extension(CRL_DISTRIBUTION_POINTS, false, &crl)?)?;
        let aia = der::authority_info_access_ocsp(&urls.ocsp());
        leaf.append_extension(raw_extension(AUTHORITY_INFO_ACCESS, false, &aia)?)?;
        leaf.sign(&self.keys.key, MessageDigest::sha256())?;

        Ok(IssuedCertificate {
            chain: vec![leaf.build().to_der()?, self.keys.cert.to_der()?],
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
