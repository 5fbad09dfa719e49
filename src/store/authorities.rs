//! The directory's CA hierarchy and signing key: root and issuing CAs by id,
//! the directory signer, and a data dir's first-layout CA until it is moved
//! into the hierarchy (in one transaction). A CA's CRL number is taken here,
//! from the stored one, so it only grows.

use super::StoreError;
use super::engine::{Database, RecordWrites, Records, Table, WriteTx};
use crate::domain::authority::{CaRecord, IssuingCaRecord, RootCaRecord, SignerRecord};

/// The first layout's single CA under `current`, and the directory signer.
pub(super) const AUTHORITY: Table = "certificate_authority";
pub(super) const ROOT_CAS: Table = "root_cas";
pub(super) const ISSUING_CAS: Table = "issuing_cas";

const LEGACY_CA_KEY: &[u8] = b"current";
const SIGNER_KEY: &[u8] = b"directory-signer";

#[derive(Clone)]
pub struct Authorities {
    db: Database,
}

impl Authorities {
    pub(super) fn new(db: Database) -> Self {
        Authorities { db }
    }

    /// The CA as the first layout kept it, if this data dir has one.
    pub fn legacy(&self) -> Result<Option<CaRecord>, StoreError> {
        self.db.read(|tx| tx.record(AUTHORITY, LEGACY_CA_KEY))
    }

    /// Writes the hierarchy the first-layout CA became, dropping that CA in
    /// the same transaction.
    pub fn adopt_legacy(
        &self,
        root: &RootCaRecord,
        issuing: &IssuingCaRecord,
    ) -> Result<(), StoreError> {
        let (root, issuing) = (root.clone(), issuing.clone());
        self.db.commit_blocking(move |tx| {
            tx.put_record(ROOT_CAS, root.id.as_bytes(), &root)?;
            tx.put_record(ISSUING_CAS, issuing.id.as_bytes(), &issuing)?;
            tx.remove(AUTHORITY, LEGACY_CA_KEY).map(drop)
        })
    }

    pub fn roots(&self) -> Result<Vec<RootCaRecord>, StoreError> {
        self.db.read(|tx| tx.records(ROOT_CAS, b""))
    }

    /// Writes a root over its stored record, keeping the higher CRL number.
    pub fn put_root(&self, record: &RootCaRecord) -> Result<(), StoreError> {
        let record = record.clone();
        self.db.commit_blocking(move |tx| {
            let mut record = record.clone();
            if let Some(stored) = tx.record::<RootCaRecord>(ROOT_CAS, record.id.as_bytes())? {
                record.crl_number = record.crl_number.max(stored.crl_number);
            }
            tx.put_record(ROOT_CAS, record.id.as_bytes(), &record)
        })
    }

    pub fn remove_root(&self, id: &str) -> Result<(), StoreError> {
        let id = id.to_owned();
        self.db
            .commit_blocking(move |tx| tx.remove(ROOT_CAS, id.as_bytes()).map(drop))
    }

    pub fn issuing(&self) -> Result<Vec<IssuingCaRecord>, StoreError> {
        self.db.read(|tx| tx.records(ISSUING_CAS, b""))
    }

    /// Writes an issuing CA over its stored record, keeping the higher CRL number.
    pub fn put_issuing(&self, record: &IssuingCaRecord) -> Result<(), StoreError> {
        let record = record.clone();
        self.db.commit_blocking(move |tx| {
            let mut record = record.clone();
            if let Some(stored) = tx.record::<IssuingCaRecord>(ISSUING_CAS, record.id.as_bytes())? {
                record.crl_number = record.crl_number.max(stored.crl_number);
            }
            tx.put_record(ISSUING_CAS, record.id.as_bytes(), &record)
        })
    }

    /// Takes the next CRL number of a root CA; None if there is no such root.
    pub async fn next_root_crl_number(&self, id: &str) -> Result<Option<u64>, StoreError> {
        let id = id.to_owned();
        self.db
            .commit(move |tx| {
                next_crl_number::<RootCaRecord>(tx, ROOT_CAS, &id, |r| &mut r.crl_number)
            })
            .await
    }

    /// Takes the next CRL number of an issuing CA; None if there is no such CA.
    pub async fn next_issuing_crl_number(&self, id: &str) -> Result<Option<u64>, StoreError> {
        let id = id.to_owned();
        self.db
            .commit(move |tx| {
                next_crl_number::<IssuingCaRecord>(tx, ISSUING_CAS, &id, |r| &mut r.crl_number)
            })
            .await
    }

    pub fn signer(&self) -> Result<Option<SignerRecord>, StoreError> {
        self.db.read(|tx| tx.record(AUTHORITY, SIGNER_KEY))
    }

    pub fn put_signer(&self, record: &SignerRecord) -> Result<(), StoreError> {
        let record = record.clone();
        self.db
            .commit_blocking(move |tx| tx.put_record(AUTHORITY, SIGNER_KEY, &record))
    }
}

/// One more than the CA's stored CRL number, written back.
fn next_crl_number<R: serde::Serialize + serde::de::DeserializeOwned>(
    tx: &mut dyn WriteTx,
    table: Table,
    id: &str,
    number: impl Fn(&mut R) -> &mut u64,
) -> Result<Option<u64>, StoreError> {
    let Some(mut record) = tx.record::<R>(table, id.as_bytes())? else {
        return Ok(None);
    };
    let next = *number(&mut record) + 1;
    *number(&mut record) = next;
    tx.put_record(table, id.as_bytes(), &record)?;
    Ok(Some(next))
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::domain::authority::PrivateKeyMaterial;

    #[tokio::test]
    async fn a_crl_number_only_grows_and_the_first_layout_ca_moves_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path(), 1).unwrap();
        let authorities = Authorities::new(store.db.clone());
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let root = RootCaRecord {
            id: "root-1".into(),
            created: at,
            active: true,
            activated: Some(at),
            built_in: true,
            certificate: String::new(),
            key: PrivateKeyMaterial::new(String::new()),
            crl_number: 4,
        };
        let issuing = IssuingCaRecord {
            id: "ca-1".into(),
            root_id: "root-1".into(),
            created: at,
            certificate: String::new(),
            key: PrivateKeyMaterial::new(String::new()),
            crl_number: 0,
        };
        authorities.adopt_legacy(&root, &issuing).unwrap();
        assert_eq!(authorities.legacy().unwrap(), None);
        assert_eq!(
            authorities.next_root_crl_number("root-1").await.unwrap(),
            Some(5)
        );
        assert_eq!(
            authorities.next_root_crl_number("root-1").await.unwrap(),
            Some(6)
        );
        assert_eq!(
            authorities.next_issuing_crl_number("ca-1").await.unwrap(),
            Some(1)
        );
        assert_eq!(
            authorities.next_issuing_crl_number("ca-9").await.unwrap(),
            None
        );
        assert_eq!(authorities.roots().unwrap()[0].crl_number, 6);
        authorities.put_root(&root).unwrap();
        assert_eq!(
            authorities.roots().unwrap()[0].crl_number,
            6,
            "a stale record does not take the number back"
        );
    }
}
