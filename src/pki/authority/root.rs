//! A root CA: a self-signed trust anchor that signs issuing CAs.

use std::ops::Deref;

use chrono::{DateTime, Months, Utc};
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use openssl::x509::extension::{AuthorityKeyIdentifier, BasicConstraints, SubjectKeyIdentifier};
use openssl::x509::{X509Builder, X509NameBuilder};

use super::{
    CaKeys, CaNaming, ISSUING_YEARS, IssuingAuthority, RootSubject, ca_basics, ca_key_usage,
    ca_name, raw_extension, status_pointers,
};
use crate::domain::PublicUrls;
use crate::domain::authority::RootCaRecord;
use crate::pki::PkiError;
use crate::pki::revocation::RevokedEntries;

/// A trust anchor: a self-signed root that signs issuing CAs.
pub struct RootAuthority {
    keys: CaKeys,
}

/// Its id, certificate, key and data, as every CA has them.
impl Deref for RootAuthority {
    type Target = CaKeys;

    fn deref(&self) -> &CaKeys {
        &self.keys
    }
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
            keys: CaKeys::new(id, root.build(), key)?,
        })
    }

    pub fn from_record(record: &RootCaRecord) -> Result<Self, PkiError> {
        Ok(Self {
            keys: CaKeys::from_stored(&record.id, &record.certificate, &record.key)?,
        })
    }

    /// A new issuing CA under this root, valid from `now` for ten years or
    /// until the root expires, whichever is first. It names where its own
    /// status is served (this root's CRL, the OCSP responder), so a relying
    /// party that wants revocation data for every CA in a path finds it.
    pub fn create_issuing(
        &self,
        id: String,
        naming: &CaNaming,
        now: DateTime<Utc>,
        urls: &PublicUrls,
    ) -> Result<IssuingAuthority, PkiError> {
        let key = PKey::from_rsa(Rsa::generate(naming.key_bits)?)?;
        // A distinct name per issuing CA: relying parties find a CRL's or a
        // leaf's issuer by name, and after a rollover two issuing CAs coexist.
        let short_id: String = id.chars().take(8).collect();
        let name = ca_name(naming, &format!("obdir Issuing CA {short_id}"))?;
        let root_end = self.keys.data()?.not_after;
        let not_after = now
            .checked_add_months(Months::new(12 * ISSUING_YEARS))
            .map_or(root_end, |end| end.min(root_end));
        let mut issuing = X509Builder::new()?;
        ca_basics(
            &mut issuing,
            &name,
            self.keys.cert.subject_name(),
            &key,
            now,
            not_after,
        )?;
        issuing.append_extension(BasicConstraints::new().critical().ca().pathlen(0).build()?)?;
        issuing.append_extension(ca_key_usage()?)?;
        let context = issuing.x509v3_context(Some(&self.keys.cert), None);
        let ski = SubjectKeyIdentifier::new().build(&context)?;
        let aki = AuthorityKeyIdentifier::new().keyid(true).build(&context)?;
        issuing.append_extension(ski)?;
        issuing.append_extension(aki)?;
        for (oid, value) in status_pointers(urls, &self.keys.id) {
            issuing.append_extension(raw_extension(oid, false, &value)?)?;
        }
        issuing.sign(&self.keys.key, MessageDigest::sha256())?;
        Ok(IssuingAuthority {
            keys: CaKeys::new(id, issuing.build(), key)?,
            root_id: self.keys.id.clone(),
        })
    }

    /// This root's CRL (it revokes no issuing CA: rollover retires them instead).
    pub fn crl(
        &self,
        number: u64,
        now: DateTime<Utc>,
        next_update: DateTime<Utc>,
    ) -> Result<Vec<u8>, PkiError> {
        self.keys
            .crl(&RevokedEntries::default(), number, now, next_update)
    }
}
