//! The records not yet moved into a repository, on the redb engine: one table
//! per record kind, JSON values, keys joined with NUL (which ids can never
//! contain) so prefix scans select an owner's records.

use std::path::Path;
use std::sync::Arc;

use redb::{ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction};
use serde::de::DeserializeOwned;

use super::engine::{Database, Engine, Flush, decode, encode, key, prefix};
use super::redb_engine::RedbEngine;
use super::{Store, StoreError, StoredEntry};
use crate::domain::authority::IssuedSerial;
use crate::domain::{CertificateOrKey, Kid, OrganisationId, SoftwareStatementId};

type Table = TableDefinition<'static, &'static [u8], &'static [u8]>;

const ORGANISATIONS: Table = TableDefinition::new(super::organisations::ORGANISATIONS);
const STATEMENTS: Table = TableDefinition::new(super::statements::STATEMENTS);
/// SoftwareStatementId -> OrganisationId, for global uniqueness and client lookup.
const STATEMENT_OWNERS: Table = TableDefinition::new(super::statements::STATEMENT_OWNERS);
const CERTIFICATES: Table = TableDefinition::new("certificates");
const AUTHORITY: Table = TableDefinition::new(super::authorities::AUTHORITY);
const CLIENT_SECRETS: Table = TableDefinition::new(super::access::CLIENT_SECRETS);
const SEEN_JTIS: Table = TableDefinition::new(super::access::SEEN_JTIS);
const ROOT_CAS: Table = TableDefinition::new(super::authorities::ROOT_CAS);
const ISSUING_CAS: Table = TableDefinition::new(super::authorities::ISSUING_CAS);
/// `issuer\0serial` -> IssuedSerial.
const ISSUED_SERIALS: Table = TableDefinition::new(super::serials::ISSUED_SERIALS);
/// The revoked entries of `issued_serials` again, so a CRL is built from
/// the revocations alone.
const REVOKED_SERIALS: Table = TableDefinition::new(super::serials::REVOKED_SERIALS);
/// Big-endian event id -> AuditEvent, so a scan is in time order.
const EVENTS: Table = TableDefinition::new(super::events::EVENTS);
const RA_OPERATORS: Table = TableDefinition::new(super::ra::RA_OPERATORS);
const RA_CLIENTS: Table = TableDefinition::new(super::ra::RA_CLIENTS);
const RA_DOMAINS: Table = TableDefinition::new(super::ra::RA_DOMAINS);
const RA_ORDERS: Table = TableDefinition::new(super::ra::RA_ORDERS);
/// The references of orders still moving, so the order worker reads only those.
const RA_OPEN_ORDERS: Table = TableDefinition::new(super::ra::RA_OPEN_ORDERS);
/// `client\0created (big-endian ms)\0order` -> nothing: a client's orders by time.
const RA_CLIENT_ORDERS: Table = TableDefinition::new(super::ra::RA_CLIENT_ORDERS);
/// ASCII name -> TXT values, the emulated DNS.
const DNS_TXT: Table = TableDefinition::new(super::ra::DNS_TXT);
/// Fingerprint -> TrustAnchor: the CAs external certificates chain to.
const TRUST_ANCHORS: Table = TableDefinition::new(super::trust_anchors::TRUST_ANCHORS);
/// E-mail -> TenantUser.
const TENANT_USERS: Table = TableDefinition::new(super::tenants::TENANT_USERS);
/// Session token id -> TenantSession.
const TENANT_SESSIONS: Table = TableDefinition::new(super::tenants::TENANT_SESSIONS);
/// `tenant\0theme` -> ThemePki.
const THEME_PKI: Table = TableDefinition::new(super::tenants::THEME_PKI);

/// Every table, in the order `contents` lists them.
pub(super) const TABLES: [Table; 23] = [
    ORGANISATIONS,
    STATEMENTS,
    STATEMENT_OWNERS,
    CERTIFICATES,
    AUTHORITY,
    CLIENT_SECRETS,
    SEEN_JTIS,
    ROOT_CAS,
    ISSUING_CAS,
    ISSUED_SERIALS,
    REVOKED_SERIALS,
    EVENTS,
    RA_OPERATORS,
    RA_CLIENTS,
    RA_DOMAINS,
    RA_ORDERS,
    RA_OPEN_ORDERS,
    RA_CLIENT_ORDERS,
    DNS_TXT,
    TRUST_ANCHORS,
    TENANT_USERS,
    TENANT_SESSIONS,
    THEME_PKI,
];

/// Organisation-level records sit under an empty statement segment, which no
/// statement id can be.
fn owner_segment(ss: Option<&SoftwareStatementId>) -> &str {
    ss.map_or("", SoftwareStatementId::as_str)
}

pub struct RedbStore {
    engine: Arc<RedbEngine>,
}

impl RedbStore {
    /// Opens (or creates) the store in `dir` with a page cache of `cache_mb`
    /// MiB. With `background_flush_ms` > 0 a thread also makes writes durable
    /// that often, for those no answer waits on (audit events of refusals).
    pub fn open(
        dir: &Path,
        cache_mb: u64,
        background_flush_ms: u64,
    ) -> Result<RedbStore, StoreError> {
        let names = TABLES.map(|t| redb::TableHandle::name(&t).to_owned());
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let engine = Arc::new(RedbEngine::open(
            dir,
            cache_mb,
            background_flush_ms,
            &names,
        )?);
        Ok(RedbStore { engine })
    }

    /// The engine under this store, for the repositories.
    pub fn database(&self) -> Database {
        Database::new(self.engine.clone())
    }

    /// Copies raw entries into their tables in one durable transaction (for
    /// importing a data dir of an earlier engine).
    pub(super) fn import(
        &self,
        entries: impl IntoIterator<Item = StoredEntry>,
    ) -> Result<usize, StoreError> {
        self.engine.write_durably(|tx| {
            let mut copied = 0;
            for (name, k, v) in entries {
                let Some(table) = TABLES.iter().find(|t| redb::TableHandle::name(*t) == name)
                else {
                    continue;
                };
                tx.open_table(*table)?.insert(k.as_slice(), v.as_slice())?;
                copied += 1;
            }
            index_revoked_serials(tx)?;
            Ok(copied)
        })
    }

    fn get<T: DeserializeOwned>(&self, table: Table, key: &[u8]) -> Result<Option<T>, StoreError> {
        let tx = self.engine.database().begin_read()?;
        let table = tx.open_table(table)?;
        let value = table.get(key)?;
        value.map(|v| decode(key, v.value())).transpose()
    }

    fn scan<T: DeserializeOwned>(&self, table: Table, prefix: &[u8]) -> Result<Vec<T>, StoreError> {
        self.scan_entries(table, prefix, |k, v| decode(k, v))
    }

    fn scan_entries<T>(
        &self,
        table: Table,
        prefix: &[u8],
        mut each: impl FnMut(&[u8], &[u8]) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let tx = self.engine.database().begin_read()?;
        let table = tx.open_table(table)?;
        let mut found = Vec::new();
        for entry in table.range(prefix..)? {
            let (k, v) = entry?;
            if !k.value().starts_with(prefix) {
                break;
            }
            found.push(each(k.value(), v.value())?);
        }
        Ok(found)
    }

    /// Runs `change` in a write transaction committed without fsync (the
    /// next `flush` makes it durable); nothing is written if it fails.
    fn write<T>(
        &self,
        change: impl FnOnce(&WriteTransaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.engine.write_redb(change)
    }
}

/// Lists every revoked entry of `issued_serials` in `revoked_serials`.
fn index_revoked_serials(tx: &WriteTransaction) -> Result<(), StoreError> {
    let issued = tx.open_table(ISSUED_SERIALS)?;
    let mut revoked = tx.open_table(REVOKED_SERIALS)?;
    for entry in issued.iter()? {
        let (k, v) = entry?;
        let serial: IssuedSerial = decode(k.value(), v.value())?;
        if serial.revoked_at.is_some() {
            revoked.insert(k.value(), v.value())?;
        }
    }
    Ok(())
}

/// Writes a serial entry, and again in the revoked list once revoked.
fn write_serial(
    tx: &WriteTransaction,
    serial_key: &[u8],
    entry: &[u8],
    revoked: bool,
) -> Result<(), StoreError> {
    tx.open_table(ISSUED_SERIALS)?.insert(serial_key, entry)?;
    if revoked {
        tx.open_table(REVOKED_SERIALS)?.insert(serial_key, entry)?;
    }
    Ok(())
}

impl Store for RedbStore {
    fn certificate(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
        kid: &Kid,
    ) -> Result<Option<CertificateOrKey>, StoreError> {
        let k = key(&[org.as_str(), owner_segment(ss), kid.as_str()]);
        self.get(CERTIFICATES, &k)
    }

    fn put_certificate(&self, record: &CertificateOrKey) -> Result<(), StoreError> {
        let k = key(&[
            record.organisation_id.as_str(),
            owner_segment(record.software_statement_id.as_ref()),
            record.kid.as_str(),
        ]);
        let value = encode(record)?;
        let serial = match (&record.issuer_id, &record.serial) {
            (Some(issuer), Some(serial)) => {
                Some((key(&[issuer, serial]), encode(&IssuedSerial::of(record))?))
            }
            _ => None,
        };
        self.write(|tx| {
            tx.open_table(CERTIFICATES)?
                .insert(k.as_slice(), value.as_slice())?;
            if let Some((serial_key, entry)) = &serial {
                write_serial(tx, serial_key, entry, record.is_revoked())?;
            }
            Ok(())
        })
    }

    fn owned_certificates(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
    ) -> Result<Vec<CertificateOrKey>, StoreError> {
        self.scan(CERTIFICATES, &prefix(&[org.as_str(), owner_segment(ss)]))
    }

    fn organisation_certificates(
        &self,
        org: &OrganisationId,
    ) -> Result<Vec<CertificateOrKey>, StoreError> {
        self.scan(CERTIFICATES, &prefix(&[org.as_str()]))
    }

    fn contents(&self) -> Result<Vec<StoredEntry>, StoreError> {
        let mut entries = Vec::new();
        for table in TABLES {
            let name = redb::TableHandle::name(&table).to_owned();
            if name == redb::TableHandle::name(&EVENTS) {
                continue;
            }
            entries.extend(self.scan_entries(table, b"", |k, v| {
                Ok((name.clone(), k.to_vec(), v.to_vec()))
            })?);
        }
        Ok(entries)
    }

    fn replace_contents(&self, entries: Vec<StoredEntry>) -> Result<(), StoreError> {
        let events = redb::TableHandle::name(&EVENTS);
        let table_of = |name: &str| {
            TABLES
                .into_iter()
                .find(|t| redb::TableHandle::name(t) == name && name != events)
                .ok_or_else(|| StoreError::Corrupt {
                    key: name.to_owned(),
                    reason: "names no table a snapshot holds".into(),
                })
        };
        self.write(|tx| {
            for table in TABLES {
                if redb::TableHandle::name(&table) != events {
                    tx.delete_table(table)?;
                    tx.open_table(table)?;
                }
            }
            for (name, k, v) in &entries {
                tx.open_table(table_of(name)?)?
                    .insert(k.as_slice(), v.as_slice())?;
            }
            Ok(())
        })
    }

    fn flush(&self) -> Flush<'_> {
        self.engine.flush()
    }
}
