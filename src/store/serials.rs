//! The serial index: every serial an issuing CA signed, by issuer and hex
//! serial, listed again under its issuer once revoked. It is written in the
//! transaction of the record the serial belongs to (a certificate, an RA
//! order), so CRLs and OCSP answers see a revocation as soon as it commits.

use super::StoreError;
use super::engine::{Database, Direction, Records, Table, WriteTx, decode, encode, key, prefix};
use crate::domain::authority::IssuedSerial;

/// `issuer\0serial` -> IssuedSerial.
pub(super) const ISSUED_SERIALS: Table = "issued_serials";
/// The revoked entries of `issued_serials` again, so a CRL is built from
/// the revocations alone.
pub(super) const REVOKED_SERIALS: Table = "revoked_serials";

#[derive(Clone)]
pub struct Serials {
    db: Database,
}

impl Serials {
    pub(super) fn new(db: Database) -> Self {
        Serials { db }
    }

    /// A serial an issuing CA signed, by issuing CA id and hex serial.
    pub fn get(&self, issuer: &str, serial_hex: &str) -> Result<Option<IssuedSerial>, StoreError> {
        self.db
            .read(|tx| tx.record(ISSUED_SERIALS, &key(&[issuer, serial_hex])))
    }

    /// The serials an issuing CA signed and that were revoked, in hex serial
    /// order: what its CRL lists, read without visiting the rest.
    pub fn revoked(&self, issuer: &str) -> Result<Vec<(String, IssuedSerial)>, StoreError> {
        let start = prefix(&[issuer]);
        self.db.read(|tx| {
            let mut found = Vec::new();
            tx.each_with_prefix(
                REVOKED_SERIALS,
                &start,
                Direction::Ascending,
                &mut |k, v| {
                    let serial = String::from_utf8_lossy(&k[start.len()..]).into_owned();
                    found.push((serial, decode(k, v)?));
                    Ok(true)
                },
            )?;
            Ok(found)
        })
    }

    /// Writes a serial's entry on its own (an RA certificate's revocation).
    pub async fn put(
        &self,
        issuer: &str,
        serial_hex: &str,
        entry: &IssuedSerial,
    ) -> Result<(), StoreError> {
        let (issuer, serial_hex, entry) = (issuer.to_owned(), serial_hex.to_owned(), entry.clone());
        self.db
            .commit(move |tx| write(tx, &issuer, &serial_hex, &entry))
            .await
    }
}

/// Writes a serial's entry inside `tx`, and lists it as revoked once it is.
pub(super) fn write(
    tx: &mut dyn WriteTx,
    issuer: &str,
    serial_hex: &str,
    entry: &IssuedSerial,
) -> Result<(), StoreError> {
    let k = key(&[issuer, serial_hex]);
    let value = encode(entry)?;
    tx.put(ISSUED_SERIALS, &k, &value)?;
    if entry.revoked_at.is_some() {
        tx.put(REVOKED_SERIALS, &k, &value)?;
    }
    Ok(())
}

/// Lists every revoked entry of `issued_serials` in `revoked_serials`.
pub(super) fn index_revoked(tx: &mut dyn WriteTx) -> Result<(), StoreError> {
    let mut revoked = Vec::new();
    tx.scan(
        ISSUED_SERIALS,
        b"",
        None,
        Direction::Ascending,
        &mut |k, v| {
            let entry: IssuedSerial = decode(k, v)?;
            if entry.revoked_at.is_some() {
                revoked.push((k.to_vec(), v.to_vec()));
            }
            Ok(true)
        },
    )?;
    for (k, v) in revoked {
        tx.put(REVOKED_SERIALS, &k, &v)?;
    }
    Ok(())
}
