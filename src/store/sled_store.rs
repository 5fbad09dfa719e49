//! The sled engine: one tree per record kind, JSON values, keys joined with
//! NUL (which ids can never contain) so prefix scans select an owner's records.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Flush, Store, StoreError, StoredEntry};
use crate::domain::authority::{
    CaRecord, IssuedSerial, IssuingCaRecord, RootCaRecord, SignerRecord,
};
use crate::domain::event::AuditEvent;
use crate::domain::{
    CertificateOrKey, Kid, Organisation, OrganisationId, SoftwareStatement, SoftwareStatementId,
};

pub struct SledStore {
    db: sled::Db,
    organisations: sled::Tree,
    statements: sled::Tree,
    /// SoftwareStatementId -> OrganisationId, for global uniqueness and client lookup.
    statement_owners: sled::Tree,
    certificates: sled::Tree,
    authority: sled::Tree,
    client_secrets: sled::Tree,
    seen_jtis: sled::Tree,
    root_cas: sled::Tree,
    issuing_cas: sled::Tree,
    /// `issuer\0serial` -> IssuedSerial.
    issued_serials: sled::Tree,
    /// Big-endian event id -> AuditEvent, so a scan is in time order.
    events: sled::Tree,
}

const CA_KEY: &[u8] = b"current";
const SIGNER_KEY: &[u8] = b"directory-signer";

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        StoreError::Engine(e.to_string())
    }
}

fn key(parts: &[&str]) -> Vec<u8> {
    parts.join("\0").into_bytes()
}

fn prefix(parts: &[&str]) -> Vec<u8> {
    let mut k = key(parts);
    k.push(0);
    k
}

/// Organisation-level records sit under an empty statement segment, which no
/// statement id can be.
fn owner_segment(ss: Option<&SoftwareStatementId>) -> &str {
    ss.map_or("", SoftwareStatementId::as_str)
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Engine(format!("encoding a record: {e}")))
}

fn decode<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).replace('\0', "/"),
        reason: e.to_string(),
    })
}

impl SledStore {
    /// Opens the store in `dir`; `background_flush_ms` 0 leaves every flush
    /// to the explicit ones.
    pub fn open(dir: &Path, background_flush_ms: u64) -> Result<SledStore, StoreError> {
        Self::open_with_cache(dir, background_flush_ms, 64)
    }

    /// As `open`, with sled's page cache bounded to `cache_mb` MiB.
    pub fn open_with_cache(
        dir: &Path,
        background_flush_ms: u64,
        cache_mb: u64,
    ) -> Result<SledStore, StoreError> {
        let db = sled::Config::new()
            .path(dir.join("db"))
            .cache_capacity(cache_mb.saturating_mul(1024 * 1024))
            .flush_every_ms((background_flush_ms > 0).then_some(background_flush_ms))
            .open()?;
        Ok(SledStore {
            organisations: db.open_tree("organisations")?,
            statements: db.open_tree("software_statements")?,
            statement_owners: db.open_tree("software_statement_owners")?,
            certificates: db.open_tree("certificates")?,
            authority: db.open_tree("certificate_authority")?,
            client_secrets: db.open_tree("client_secrets")?,
            seen_jtis: db.open_tree("seen_jtis")?,
            root_cas: db.open_tree("root_cas")?,
            issuing_cas: db.open_tree("issuing_cas")?,
            issued_serials: db.open_tree("issued_serials")?,
            events: db.open_tree("events")?,
            db,
        })
    }

    fn get<T: DeserializeOwned>(tree: &sled::Tree, key: &[u8]) -> Result<Option<T>, StoreError> {
        tree.get(key)?.map(|v| decode(key, &v)).transpose()
    }

    fn put<T: Serialize>(tree: &sled::Tree, key: &[u8], value: &T) -> Result<(), StoreError> {
        tree.insert(key, encode(value)?)?;
        Ok(())
    }

    fn insert_new(tree: &sled::Tree, key: &[u8], value: Vec<u8>) -> Result<bool, StoreError> {
        let swapped = tree.compare_and_swap(key, None as Option<&[u8]>, Some(value))?;
        Ok(swapped.is_ok())
    }

    fn scan<T: DeserializeOwned>(tree: &sled::Tree, prefix: &[u8]) -> Result<Vec<T>, StoreError> {
        tree.scan_prefix(prefix)
            .map(|entry| {
                let (k, v) = entry?;
                decode(&k, &v)
            })
            .collect()
    }
}

impl Store for SledStore {
    fn organisation(&self, id: &OrganisationId) -> Result<Option<Organisation>, StoreError> {
        Self::get(&self.organisations, &key(&[id.as_str()]))
    }

    fn organisations(&self) -> Result<Vec<Organisation>, StoreError> {
        Self::scan(&self.organisations, b"")
    }

    fn insert_organisation(&self, organisation: &Organisation) -> Result<bool, StoreError> {
        let k = key(&[organisation.organisation_id.as_str()]);
        Self::insert_new(&self.organisations, &k, encode(organisation)?)
    }

    fn put_organisation(&self, organisation: &Organisation) -> Result<(), StoreError> {
        Self::put(
            &self.organisations,
            &key(&[organisation.organisation_id.as_str()]),
            organisation,
        )
    }

    fn software_statement(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
    ) -> Result<Option<SoftwareStatement>, StoreError> {
        Self::get(&self.statements, &key(&[org.as_str(), ss.as_str()]))
    }

    fn software_statements(
        &self,
        org: &OrganisationId,
    ) -> Result<Vec<SoftwareStatement>, StoreError> {
        Self::scan(&self.statements, &prefix(&[org.as_str()]))
    }

    fn statement_owner(
        &self,
        ss: &SoftwareStatementId,
    ) -> Result<Option<OrganisationId>, StoreError> {
        Self::get(&self.statement_owners, ss.as_str().as_bytes())
    }

    fn insert_software_statement(&self, statement: &SoftwareStatement) -> Result<bool, StoreError> {
        let ss = statement.software_statement_id.as_str();
        if !Self::insert_new(
            &self.statement_owners,
            ss.as_bytes(),
            encode(&statement.organisation_id)?,
        )? {
            return Ok(false);
        }
        self.put_software_statement(statement)?;
        Ok(true)
    }

    fn put_software_statement(&self, statement: &SoftwareStatement) -> Result<(), StoreError> {
        let k = key(&[
            statement.organisation_id.as_str(),
            statement.software_statement_id.as_str(),
        ]);
        Self::put(&self.statements, &k, statement)
    }

    fn certificate(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
        kid: &Kid,
    ) -> Result<Option<CertificateOrKey>, StoreError> {
        Self::get(
            &self.certificates,
            &key(&[org.as_str(), owner_segment(ss), kid.as_str()]),
        )
    }

    fn put_certificate(&self, record: &CertificateOrKey) -> Result<(), StoreError> {
        let k = key(&[
            record.organisation_id.as_str(),
            owner_segment(record.software_statement_id.as_ref()),
            record.kid.as_str(),
        ]);
        Self::put(&self.certificates, &k, record)
    }

    fn owned_certificates(
        &self,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
    ) -> Result<Vec<CertificateOrKey>, StoreError> {
        Self::scan(
            &self.certificates,
            &prefix(&[org.as_str(), owner_segment(ss)]),
        )
    }

    fn organisation_certificates(
        &self,
        org: &OrganisationId,
    ) -> Result<Vec<CertificateOrKey>, StoreError> {
        Self::scan(&self.certificates, &prefix(&[org.as_str()]))
    }

    fn legacy_certificate_authority(&self) -> Result<Option<CaRecord>, StoreError> {
        Self::get(&self.authority, CA_KEY)
    }

    fn remove_legacy_certificate_authority(&self) -> Result<(), StoreError> {
        self.authority.remove(CA_KEY)?;
        Ok(())
    }

    fn root_cas(&self) -> Result<Vec<RootCaRecord>, StoreError> {
        Self::scan(&self.root_cas, b"")
    }

    fn put_root_ca(&self, record: &RootCaRecord) -> Result<(), StoreError> {
        Self::put(&self.root_cas, record.id.as_bytes(), record)
    }

    fn remove_root_ca(&self, id: &str) -> Result<(), StoreError> {
        self.root_cas.remove(id.as_bytes())?;
        Ok(())
    }

    fn issuing_cas(&self) -> Result<Vec<IssuingCaRecord>, StoreError> {
        Self::scan(&self.issuing_cas, b"")
    }

    fn put_issuing_ca(&self, record: &IssuingCaRecord) -> Result<(), StoreError> {
        Self::put(&self.issuing_cas, record.id.as_bytes(), record)
    }

    fn issued_serial(
        &self,
        issuer: &str,
        serial_hex: &str,
    ) -> Result<Option<IssuedSerial>, StoreError> {
        Self::get(&self.issued_serials, &key(&[issuer, serial_hex]))
    }

    fn put_issued_serial(
        &self,
        issuer: &str,
        serial_hex: &str,
        entry: &IssuedSerial,
    ) -> Result<(), StoreError> {
        Self::put(&self.issued_serials, &key(&[issuer, serial_hex]), entry)
    }

    fn issued_serials(&self, issuer: &str) -> Result<Vec<(String, IssuedSerial)>, StoreError> {
        let start = prefix(&[issuer]);
        self.issued_serials
            .scan_prefix(&start)
            .map(|entry| {
                let (k, v) = entry?;
                let serial = String::from_utf8_lossy(&k[start.len()..]).into_owned();
                Ok((serial, decode(&k, &v)?))
            })
            .collect()
    }

    fn put_event(&self, event: &AuditEvent) -> Result<(), StoreError> {
        Self::put(&self.events, &event.id.to_be_bytes(), event)
    }

    fn events(&self) -> Result<Vec<AuditEvent>, StoreError> {
        Self::scan(&self.events, b"")
    }

    fn next_event_id(&self) -> Result<u64, StoreError> {
        Ok(self.db.generate_id()?)
    }

    fn directory_signer(&self) -> Result<Option<SignerRecord>, StoreError> {
        Self::get(&self.authority, SIGNER_KEY)
    }

    fn put_directory_signer(&self, record: &SignerRecord) -> Result<(), StoreError> {
        Self::put(&self.authority, SIGNER_KEY, record)
    }

    fn client_secret(&self, ss: &SoftwareStatementId) -> Result<Option<String>, StoreError> {
        Self::get(&self.client_secrets, ss.as_str().as_bytes())
    }

    fn put_client_secret(
        &self,
        ss: &SoftwareStatementId,
        secret_sha256: &str,
    ) -> Result<(), StoreError> {
        Self::put(&self.client_secrets, ss.as_str().as_bytes(), &secret_sha256)
    }

    fn remember_jti(
        &self,
        client: &SoftwareStatementId,
        jti: &str,
        expires: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        Self::insert_new(
            &self.seen_jtis,
            &key(&[client.as_str(), jti]),
            encode(&expires)?,
        )
    }

    fn contents(&self) -> Result<Vec<StoredEntry>, StoreError> {
        let mut entries = Vec::new();
        for name in self.db.tree_names() {
            let tree_name = String::from_utf8_lossy(&name).into_owned();
            if tree_name == "events" {
                continue;
            }
            for entry in self.db.open_tree(&name)?.iter() {
                let (k, v) = entry?;
                entries.push((tree_name.clone(), k.to_vec(), v.to_vec()));
            }
        }
        Ok(entries)
    }

    fn flush(&self) -> Flush<'_> {
        Box::pin(async move {
            self.db.flush_async().await?;
            Ok(())
        })
    }
}
