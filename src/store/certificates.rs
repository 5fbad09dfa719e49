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
    /// upload) in the same transaction; durable when it answers Stored.
    pub async fn add(
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
        let (stored, audit) = (record.clone(), audit.to_vec());
        // A refusal leaves the change out: nothing of it is committed.
        let added = self
            .db
            .commit_unless(move |tx| {
                if let Some(active) = active_with_key(tx, &by_key, now)? {
                    return Ok(Err(Added::KeyActive(active)));
                }
                if let Some(existing) = tx.record(CERTIFICATES, &k)? {
                    return Ok(Err(Added::KidTaken(existing)));
                }
                write_record(tx, &k, &stored)?;
                events::append(tx, &audit)?;
                Ok(Ok(Added::Stored))
            })
            .await?;
        if added.is_ok() {
            self.documents.changed(&record.organisation_id);
        }
        Ok(added.unwrap_or_else(|refused| refused))
    }

    /// Revokes the owner's record `kid` (of `key_type`, if named) at `at`,
    /// with `audit` in the same transaction, in which the serial index also
    /// lists it for its CA's CRL and OCSP. A refusal writes nothing.
    #[allow(clippy::too_many_arguments)]
    pub async fn revoke(
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
        let audit = audit.to_vec();
        let revoked = self.db.commit_unless(move |tx| {
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
            events::append(tx, &audit)?;
            Ok(Ok(Revocation::Revoked(record)))
        });
        let revoked = revoked.await?;
        if revoked.is_ok() {
            self.documents.changed(org);
        }
        Ok(revoked.unwrap_or_else(|refused| refused))
    }

    /// Writes a record over its stored one, with its serial entry.
    pub async fn put(&self, record: &CertificateOrKey) -> Result<(), StoreError> {
        let k = record_key(
            &record.organisation_id,
            record.software_statement_id.as_ref(),
            &record.kid,
        );
        let stored = record.clone();
        self.db
            .commit(move |tx| write_record(tx, &k, &stored))
            .await?;
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
mod tests;
