//! An issuing CA: the CA under a root that signs participants' certificates,
//! obdir's TLS server key and the directory's signing key.

use std::ops::Deref;

use chrono::{DateTime, Months, Utc};
use openssl::pkey::{PKey, Private};
use openssl::x509::X509NameBuilder;

use super::{
    CaKeys, CaNaming, ISSUING_YEARS, IssuedCertificate, ca_name, random_serial, status_pointers,
};
use crate::domain::PublicUrls;
use crate::domain::authority::IssuingCaRecord;
use crate::pki::csr::{CheckedCsr, RawExtension, SUBJECT_ALT_NAME};
use crate::pki::encoding::hex;
use crate::pki::leaf::{self, LeafBody};
use crate::pki::{PkiError, Profile};

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
        let leaf = LeafRequest {
            subject: csr.subject_der.clone(),
            public_key: csr.public_key_der.clone(),
            subject_alt_name: csr.subject_alt_name.clone(),
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
        let leaf = LeafRequest {
            subject: subject.to_der()?,
            public_key: csr.public_key_der.clone(),
            subject_alt_name: (!names.is_empty()).then(|| RawExtension {
                critical: false,
                value: leaf::subject_alt_names(names),
            }),
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
        let leaf = LeafRequest {
            subject: ca_name(naming, common_name)?.to_der()?,
            public_key: key.public_key_to_der()?,
            subject_alt_name: (!names.is_empty()).then(|| RawExtension {
                critical: false,
                value: leaf::subject_alt_names(names),
            }),
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
        let leaf = LeafRequest {
            subject: ca_name(naming, "obdir Directory Signing")?.to_der()?,
            public_key: key.public_key_to_der()?,
            subject_alt_name: None,
        };
        self.sign_leaf(leaf, Profile::Signing, now, 12 * ISSUING_YEARS, urls)
    }

    fn sign_leaf(
        &self,
        request: LeafRequest,
        profile: Profile,
        now: DateTime<Utc>,
        months: u32,
        urls: &PublicUrls,
    ) -> Result<IssuedCertificate, PkiError> {
        let not_after = now
            .checked_add_months(Months::new(months))
            .ok_or_else(|| PkiError::Validity("validity period overflows the calendar".into()))?;
        let serial = random_serial()?.to_vec();
        let issuer = &self.keys.signs_with;
        let issuer_key_id = issuer.key_identifier.as_deref().ok_or_else(|| {
            PkiError::Unreadable("the issuing CA has no subjectKeyIdentifier".into())
        })?;
        let mut extensions = vec![
            leaf::extension("2.5.29.19", true, leaf::END_ENTITY),
            profile.key_usage(),
        ];
        extensions.extend(profile.extended_key_usage());
        let key_id = leaf::key_identifier(&request.public_key)?;
        extensions.push(leaf::extension(
            "2.5.29.14",
            false,
            &leaf::subject_key_identifier(&key_id),
        ));
        extensions.push(leaf::extension(
            "2.5.29.35",
            false,
            &leaf::authority_key_identifier(issuer_key_id),
        ));
        if let Some(san) = &request.subject_alt_name {
            extensions.push(leaf::extension(SUBJECT_ALT_NAME, san.critical, &san.value));
        }
        for (oid, value) in status_pointers(urls, &self.keys.id) {
            extensions.push(leaf::extension(oid, false, &value));
        }
        let body = LeafBody {
            serial: &serial,
            issuer: &issuer.name,
            not_before: now,
            not_after,
            subject: &request.subject,
            public_key: &request.public_key,
            extensions,
        };
        Ok(IssuedCertificate {
            chain: vec![body.sign(&self.keys.key)?, issuer.certificate.clone()],
            serial_hex: hex(&serial),
            not_before: now,
            not_after,
        })
    }
}

/// What goes into a leaf certificate besides the profile, as DER.
struct LeafRequest {
    /// A Name.
    subject: Vec<u8>,
    /// A SubjectPublicKeyInfo.
    public_key: Vec<u8>,
    subject_alt_name: Option<RawExtension>,
}
