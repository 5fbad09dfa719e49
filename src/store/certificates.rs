//! The certificates and keys of organisations and software statements, under
//! their owner by kid. A kid is taken once per owner, and a public key is
//! active at most once per owner and type: both are checked in the
//! transaction that adds a record, the second through an index of each
//! owner's keys rather than a scan. A record the directory's CAs issued
//! enters the serial index in the transaction that writes it, so a
//! revocation reaches the CRL and OCSP with its commit.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::StoreError;
use super::documents::DocumentCache;
use super::engine::{
    Database, Direction, RecordWrites, Records, Table, WriteTx, decode, key, prefix,
};
use super::{events, serials};
use crate::domain::authority::IssuedSerial;
use crate::domain::event::NewEvent;
use crate::domain::{
    CertOrKeyType, CertificateOrKey, Kid, OrganisationId, RecordStatus, RevokeReason,
    SoftwareStatementId,
};

/// `org\0ss\0kid` -> CertificateOrKey; an organisation's own records have an
/// empty `ss`, which no statement id can be.
pub(super) const CERTIFICATES: Table = "certificates";
/// `org\0ss\0type\0spki sha256\0kid` -> nothing: the records of an owner
/// that hold a key as a type, where a second upload of an active key is
/// found. Derived from `certificates`, so snapshots leave it out.
pub(super) const OWNER_KEYS: Table = "certificate_key_index";
/// Under the empty key of `OWNER_KEYS`: the index covers every record.
const INDEXED: &[u8] = b"";

#[derive(Clone)]
pub struct Certificates {
    db: Database,
    /// Keystore documents rendered from these records.
    documents: Arc<DocumentCache>,
}

/// What `add` did.
#[derive(Debug, PartialEq)]
pub enum Added {
    Stored,
    /// The owner already has a record under the kid.
    KidTaken(CertificateOrKey),
    /// The owner already has this public key active as this type.
    KeyActive(CertificateOrKey),
}

/// What `revoke` did.
#[derive(Debug, PartialEq)]
pub enum Revocation {
    /// The record as revoked.
    Revoked(CertificateOrKey),
    /// The owner has no such record (of that type, when one was named).
    Missing,
    /// The record was revoked before.
    AlreadyRevoked(CertificateOrKey),
}

fn owner_segment(ss: Option<&SoftwareStatementId>) -> &str {
    ss.map_or("", SoftwareStatementId::as_str)
}

fn record_key(org: &OrganisationId, ss: Option<&SoftwareStatementId>, kid: &Kid) -> Vec<u8> {
    key(&[org.as_str(), owner_segment(ss), kid.as_str()])
}

fn owner_key(
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    key_type: CertOrKeyType,
    spki_sha256: &str,
) -> Vec<u8> {
    key(&[
        org.as_str(),
        owner_segment(ss),
        key_type.as_str(),
        spki_sha256,
    ])
}

fn owner_key_of(record: &CertificateOrKey) -> Vec<u8> {
    owner_key(
        &record.organisation_id,
        record.software_statement_id.as_ref(),
        record.key_type,
        &record.spki_sha256,
    )
}

impl Certificates {
    pub(super) fn new(db: Database, documents: Arc<DocumentCache>) -> Self {
        Certificates { db, documents }
    }

    /// The keystore documents rendered from these records, dropped for an
    /// organisation whenever its records change.
    pub fn documents(&self) -> &DocumentCache {
        &self.documents
    }

    pub fn get(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
        kid: &Kid,
    ) -> Result<Option<CertificateOrKey>, StoreError> {
        self.db
            .read(|tx| tx.record(CERTIFICATES, &record_key(org, ss, kid)))
    }

    /// An owner's records (`ss` None: the organisation's own only), by kid.
    pub fn owned(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
    ) -> Result<Vec<CertificateOrKey>, StoreError> {
        self.db
            .read(|tx| tx.records(CERTIFICATES, &prefix(&[org.as_str(), owner_segment(ss)])))
    }

    /// Every record under the organisation, its statements' included.
    pub fn of_organisation(
        &self,
        org: &OrganisationId,
    ) -> Result<Vec<CertificateOrKey>, StoreError> {
        self.db
            .read(|tx| tx.records(CERTIFICATES, &prefix(&[org.as_str()])))
    }

    /// The owner's record holding this key as this type, if it is active at `now`.
    pub fn active_with_key(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
        key_type: CertOrKeyType,
        spki_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<CertificateOrKey>, StoreError> {
        let k = owner_key(org, ss, key_type, spki_sha256);
        self.db.read(|tx| active_with_key(tx, &k, now))
    }

    /// Adds a new record unless its kid is taken on the owner or its key is
    /// already active there as its type, with `events` (the audit of the
    /// upload) in the same transaction.
    pub fn add(
        &self,
        record: &CertificateOrKey,
        now: DateTime<Utc>,
        audit: &[NewEvent],
    ) -> Result<Added, StoreError> {
        let k = record_key(
            &record.organisation_id,
            record.software_statement_id.as_ref(),
            &record.kid,
        );
        let by_key = owner_key_of(record);
        // A refusal aborts the transaction: nothing is committed.
        let added = self.db.write_unless(|tx| {
            if let Some(active) = active_with_key(tx, &by_key, now)? {
                return Ok(Err(Added::KeyActive(active)));
            }
            if let Some(existing) = tx.record(CERTIFICATES, &k)? {
                return Ok(Err(Added::KidTaken(existing)));
            }
            write_record(tx, &k, record)?;
            events::append(tx, audit)?;
            Ok(Ok(Added::Stored))
        })?;
        if added.is_ok() {
            self.documents.changed(&record.organisation_id);
        }
        Ok(added.unwrap_or_else(|refused| refused))
    }

    /// Revokes the owner's record `kid` (of `key_type`, if named) at `at`,
    /// with `audit` in the same transaction, in which the serial index also
    /// lists it for its CA's CRL and OCSP. A refusal writes nothing.
    #[allow(clippy::too_many_arguments)]
    pub fn revoke(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
        key_type: Option<CertOrKeyType>,
        kid: &Kid,
        at: DateTime<Utc>,
        reason: RevokeReason,
        audit: &[NewEvent],
    ) -> Result<Revocation, StoreError> {
        let k = record_key(org, ss, kid);
        let revoked = self.db.write_unless(|tx| {
            let Some(mut record) = tx
                .record::<CertificateOrKey>(CERTIFICATES, &k)?
                .filter(|r| key_type.is_none_or(|t| r.key_type == t))
            else {
                return Ok(Err(Revocation::Missing));
            };
            if record.is_revoked() {
                return Ok(Err(Revocation::AlreadyRevoked(record)));
            }
            record.status = RecordStatus::Revoked;
            record.revoked_at = Some(at);
            record.revoke_reason = Some(reason);
            write_record(tx, &k, &record)?;
            events::append(tx, audit)?;
            Ok(Ok(Revocation::Revoked(record)))
        })?;
        if revoked.is_ok() {
            self.documents.changed(org);
        }
        Ok(revoked.unwrap_or_else(|refused| refused))
    }

    /// Writes a record over its stored one, with its serial entry.
    pub fn put(&self, record: &CertificateOrKey) -> Result<(), StoreError> {
        let k = record_key(
            &record.organisation_id,
            record.software_statement_id.as_ref(),
            &record.kid,
        );
        self.db.write(|tx| write_record(tx, &k, record))?;
        self.documents.changed(&record.organisation_id);
        Ok(())
    }
}

/// The first record of `owner_key` (an `owner_key` prefix) active at `now`.
fn active_with_key(
    tx: &dyn super::engine::ReadTx,
    owner_key: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<CertificateOrKey>, StoreError> {
    let kids = tx.keys(OWNER_KEYS, owner_key)?;
    // The index key starts with `org\0ss\0`: the record key is that and the kid.
    let mut parts = owner_key.splitn(3, |b| *b == 0);
    let (Some(org), Some(ss)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    for indexed in kids {
        let mut k = [org, ss].join(&0u8);
        k.push(0);
        k.extend_from_slice(&indexed[owner_key.len()..]);
        let record: Option<CertificateOrKey> = tx.record(CERTIFICATES, &k)?;
        if let Some(record) = record.filter(|r| r.is_active_at(now)) {
            return Ok(Some(record));
        }
    }
    Ok(None)
}

/// A record's entry in the key index.
fn index_entry(record: &CertificateOrKey) -> Vec<u8> {
    let mut entry = owner_key_of(record);
    entry.extend_from_slice(record.kid.as_str().as_bytes());
    entry
}

/// The record, its entry in the key index, and its serial entry.
fn write_record(
    tx: &mut dyn WriteTx,
    k: &[u8],
    record: &CertificateOrKey,
) -> Result<(), StoreError> {
    tx.put_record(CERTIFICATES, k, record)?;
    tx.put(OWNER_KEYS, &index_entry(record), b"")?;
    if let (Some(issuer), Some(serial)) = (&record.issuer_id, &record.serial) {
        serials::write(tx, issuer, serial, &IssuedSerial::of(record))?;
    }
    Ok(())
}

/// Whether the key index covers every record (a store written before the
/// index existed has none).
pub(super) fn is_indexed(tx: &dyn super::engine::ReadTx) -> Result<bool, StoreError> {
    Ok(tx.get(OWNER_KEYS, INDEXED)?.is_some())
}

/// Indexes every stored record's key afresh, and marks the index complete.
pub(super) fn index_keys(tx: &mut dyn WriteTx) -> Result<(), StoreError> {
    let mut entries = Vec::new();
    tx.scan(
        CERTIFICATES,
        b"",
        None,
        Direction::Ascending,
        &mut |k, v| {
            entries.push(index_entry(&decode(k, v)?));
            Ok(true)
        },
    )?;
    tx.clear(OWNER_KEYS)?;
    for entry in entries {
        tx.put(OWNER_KEYS, &entry, b"")?;
    }
    tx.put(OWNER_KEYS, INDEXED, b"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PublicJwk;
    use crate::domain::event::Outcome;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap()
    }

    fn record(kid: &str, spki: &str) -> CertificateOrKey {
        CertificateOrKey {
            organisation_id: OrganisationId::parse("org-1").unwrap(),
            software_statement_id: Some(SoftwareStatementId::parse("ss-1").unwrap()),
            client_name: "TPP".into(),
            key_type: CertOrKeyType::Rtstransport,
            status: RecordStatus::Active,
            valid_from: at(0),
            expiry: Some(at(1000)),
            revoked_at: None,
            revoke_reason: None,
            issuer_id: Some("ca-1".into()),
            kid: Kid::parse(kid).unwrap(),
            jwk: PublicJwk::Rsa {
                n: "n".into(),
                e: "AQAB".into(),
            },
            x5c: vec![],
            x5t: None,
            x5t_s256: None,
            serial: Some(format!("{kid}-serial")),
            spki_sha256: spki.into(),
        }
    }

    fn open(dir: &std::path::Path) -> (crate::store::Repositories, Certificates) {
        let store = crate::store::open(dir, 1, 0).unwrap();
        let certificates = store.certificates.clone();
        (store, certificates)
    }

    #[test]
    fn a_second_active_upload_of_one_key_is_refused_until_the_first_is_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let (_store, certificates) = open(dir.path());
        assert_eq!(
            certificates.add(&record("a", "K"), at(1), &[]).unwrap(),
            Added::Stored
        );
        match certificates.add(&record("b", "K"), at(2), &[]).unwrap() {
            Added::KeyActive(active) => assert_eq!(active.kid.as_str(), "a"),
            other => panic!("{other:?}"),
        }
        let mut other_type = record("c", "K");
        other_type.key_type = CertOrKeyType::Rtssigning;
        assert_eq!(
            certificates.add(&other_type, at(2), &[]).unwrap(),
            Added::Stored
        );

        // Expired, the key may be uploaded again; revoking the expired record
        // afterwards does not hide the new active one.
        let mut renewed = record("d", "K");
        renewed.expiry = Some(at(5000));
        assert_eq!(
            certificates.add(&renewed, at(1001), &[]).unwrap(),
            Added::Stored
        );
        let mut revoked = record("a", "K");
        revoked.status = RecordStatus::Revoked;
        revoked.revoked_at = Some(at(1002));
        certificates.put(&revoked).unwrap();
        assert!(matches!(
            certificates.add(&record("e", "K"), at(1003), &[]).unwrap(),
            Added::KeyActive(_)
        ));
    }

    #[test]
    fn a_write_drops_the_documents_rendered_from_its_organisation() {
        let dir = tempfile::tempdir().unwrap();
        let (store, certificates) = open(dir.path());
        let doc = crate::domain::KeystoreDocument {
            organisation_id: OrganisationId::parse("org-1").unwrap(),
            software_statement_id: Some(SoftwareStatementId::parse("ss-1").unwrap()),
            keys: crate::domain::KeySet::Application,
            inactive: false,
        };
        let rendered = |certificates: &Certificates| {
            let ticket = certificates.documents().lookup(&doc, at(1)).unwrap_err();
            let body = bytes::Bytes::from_static(b"{}");
            certificates
                .documents()
                .keep(&doc, ticket, body, at(1), None);
            assert!(certificates.documents().lookup(&doc, at(1)).is_ok());
        };
        rendered(&certificates);
        certificates.add(&record("a", "K"), at(1), &[]).unwrap();
        assert!(
            certificates.documents().lookup(&doc, at(1)).is_err(),
            "an upload"
        );

        rendered(&certificates);
        let mut revoked = record("a", "K");
        revoked.status = RecordStatus::Revoked;
        certificates.put(&revoked).unwrap();
        assert!(
            certificates.documents().lookup(&doc, at(1)).is_err(),
            "a revocation"
        );

        rendered(&certificates);
        store.contents.replace(&[]).unwrap();
        assert!(
            certificates.documents().lookup(&doc, at(1)).is_err(),
            "a reset"
        );
    }

    #[test]
    fn a_kid_is_taken_once_per_owner() {
        let dir = tempfile::tempdir().unwrap();
        let (_store, certificates) = open(dir.path());
        certificates.add(&record("a", "K1"), at(1), &[]).unwrap();
        match certificates.add(&record("a", "K2"), at(1), &[]).unwrap() {
            Added::KidTaken(existing) => assert_eq!(existing.spki_sha256, "K1"),
            other => panic!("{other:?}"),
        }
        let mut elsewhere = record("a", "K2");
        elsewhere.software_statement_id = None;
        assert_eq!(
            certificates.add(&elsewhere, at(1), &[]).unwrap(),
            Added::Stored
        );
    }

    #[test]
    fn a_revocation_reaches_the_serial_index_in_its_own_commit() {
        let dir = tempfile::tempdir().unwrap();
        let (store, certificates) = open(dir.path());
        let (serials, events) = (&store.serials, &store.events);
        let audit = NewEvent {
            event_type: "UPLOAD_SUCCESS".into(),
            time: at(1),
            actor: "admin".into(),
            interaction_id: None,
            outcome: Outcome::Success,
            detail: None,
        };
        let commits = store.db.commits();
        certificates
            .add(&record("a", "K"), at(1), &[audit])
            .unwrap();
        assert_eq!(
            store.db.commits(),
            commits + 1,
            "record, serial and event in one commit"
        );
        assert_eq!(events.all().unwrap().len(), 1);
        assert_eq!(
            serials.get("ca-1", "a-serial").unwrap().unwrap().revoked_at,
            None
        );

        let a = record("a", "K");
        let ss = a.software_statement_id.as_ref();
        let revoke = |key_type| {
            certificates
                .revoke(
                    &a.organisation_id,
                    ss,
                    key_type,
                    &a.kid,
                    at(5),
                    RevokeReason::KeyCompromise,
                    &[],
                )
                .unwrap()
        };
        assert_eq!(revoke(Some(CertOrKeyType::Rtssigning)), Revocation::Missing);
        assert!(matches!(
            revoke(Some(CertOrKeyType::Rtstransport)),
            Revocation::Revoked(_)
        ));
        assert_eq!(store.db.commits(), commits + 2, "a refusal commits nothing");
        assert!(matches!(revoke(None), Revocation::AlreadyRevoked(_)));
        assert_eq!(store.db.commits(), commits + 2);
        let entry = serials.get("ca-1", "a-serial").unwrap().unwrap();
        assert_eq!(entry.revoked_at, Some(at(5)));
        let listed = serials.revoked("ca-1").unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].0, "a-serial");
        assert_eq!(listed[0].1.revoke_reason, Some(RevokeReason::KeyCompromise));
    }

    #[test]
    fn a_refused_upload_commits_nothing_and_a_clock_set_back_revives_nothing_twice() {
        let dir = tempfile::tempdir().unwrap();
        let (store, certificates) = open(dir.path());
        certificates.add(&record("a", "K"), at(1), &[]).unwrap();
        let mut renewed = record("b", "K");
        renewed.expiry = Some(at(5000));
        certificates.add(&renewed, at(2000), &[]).unwrap();
        let commits = store.db.commits();
        assert!(matches!(
            certificates.add(&record("c", "K"), at(2001), &[]).unwrap(),
            Added::KeyActive(_)
        ));
        assert_eq!(store.db.commits(), commits, "a refusal commits nothing");
        // Back before the first record expired, both are active: either
        // one refuses a third.
        assert!(matches!(
            certificates.add(&record("c", "K"), at(10), &[]).unwrap(),
            Added::KeyActive(_)
        ));
    }

    #[test]
    fn a_store_written_before_the_key_index_gets_one() {
        let dir = tempfile::tempdir().unwrap();
        let (store, certificates) = open(dir.path());
        let old = record("a", "K");
        store
            .db
            .write(|tx| {
                tx.put_record(
                    CERTIFICATES,
                    &record_key(
                        &old.organisation_id,
                        old.software_statement_id.as_ref(),
                        &old.kid,
                    ),
                    &old,
                )
            })
            .unwrap();
        store.db.write(|tx| tx.remove(OWNER_KEYS, INDEXED)).unwrap();
        assert!(!store.db.read(is_indexed).unwrap());
        store.db.write(index_keys).unwrap();
        assert!(matches!(
            certificates.add(&record("b", "K"), at(1), &[]).unwrap(),
            Added::KeyActive(_)
        ));

        // A snapshot leaves the index out; restoring it builds it again.
        let snapshot = store.contents.all().unwrap();
        assert!(snapshot.iter().all(|(table, _, _)| table != OWNER_KEYS));
        store.contents.replace(&snapshot).unwrap();
        assert!(matches!(
            certificates.add(&record("b", "K"), at(1), &[]).unwrap(),
            Added::KeyActive(_)
        ));
    }
}
