//! The trust store's anchors, keyed by fingerprint: one record per
//! certificate, and an anchor added again keeps the record (and the source)
//! it was first added with.

use super::StoreError;
use super::engine::{Database, RecordWrites, Records, Table};
use crate::domain::trust::{Fingerprint, TrustAnchor};

/// Fingerprint -> TrustAnchor.
pub(super) const TRUST_ANCHORS: Table = "trust_anchors";

#[derive(Clone)]
pub struct TrustAnchors {
    db: Database,
}

impl TrustAnchors {
    pub(super) fn new(db: Database) -> Self {
        TrustAnchors { db }
    }

    /// Every anchor, in fingerprint order.
    pub fn all(&self) -> Result<Vec<TrustAnchor>, StoreError> {
        self.db.read(|tx| tx.records(TRUST_ANCHORS, b""))
    }

    pub fn get(&self, fingerprint: &Fingerprint) -> Result<Option<TrustAnchor>, StoreError> {
        self.db
            .read(|tx| tx.record(TRUST_ANCHORS, fingerprint.as_str().as_bytes()))
    }

    /// Adds `anchor` unless its fingerprint is there: answers the stored
    /// anchor and whether it is the new one.
    pub async fn add(&self, anchor: &TrustAnchor) -> Result<(TrustAnchor, bool), StoreError> {
        let anchor = anchor.clone();
        self.db
            .commit(move |tx| {
                let k = anchor.fingerprint.as_str().as_bytes();
                if let Some(existing) = tx.record(TRUST_ANCHORS, k)? {
                    return Ok((existing, false));
                }
                tx.put_record(TRUST_ANCHORS, k, &anchor)?;
                Ok((anchor.clone(), true))
            })
            .await
    }

    /// Answers whether there was one to remove.
    pub async fn remove(&self, fingerprint: &Fingerprint) -> Result<bool, StoreError> {
        let k = fingerprint.as_str().as_bytes().to_vec();
        self.db.commit(move |tx| tx.remove(TRUST_ANCHORS, &k)).await
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::domain::trust::AnchorSource;

    fn anchor(digit: &str, source: AnchorSource) -> TrustAnchor {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        TrustAnchor {
            fingerprint: Fingerprint::parse(&digit.repeat(64)).unwrap(),
            certificate: vec![0x30, 0x00],
            subject: format!("CN={digit}"),
            issuer: format!("CN={digit}"),
            not_after: at,
            source,
            added_at: at,
        }
    }

    #[tokio::test]
    async fn an_anchor_is_kept_once_per_fingerprint_with_its_first_source() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path(), 1).unwrap();
        let anchors = TrustAnchors::new(store.db.clone());
        assert!(
            anchors
                .add(&anchor("b", AnchorSource::Config))
                .await
                .unwrap()
                .1
        );
        assert!(
            anchors
                .add(&anchor("a", AnchorSource::Admin))
                .await
                .unwrap()
                .1
        );
        let (kept, new) = anchors
            .add(&anchor("b", AnchorSource::ForceTrust))
            .await
            .unwrap();
        assert!(!new);
        assert_eq!(kept.source, AnchorSource::Config);
        let listed = anchors.all().unwrap();
        assert_eq!(
            listed,
            vec![
                anchor("a", AnchorSource::Admin),
                anchor("b", AnchorSource::Config)
            ]
        );

        let contents = store.contents.all().unwrap();
        let kept = |t: &&crate::store::StoredEntry| t.0 == TRUST_ANCHORS;
        assert_eq!(contents.iter().filter(kept).count(), 2);
        assert!(anchors.remove(&listed[0].fingerprint).await.unwrap());
        assert!(!anchors.remove(&listed[0].fingerprint).await.unwrap());
        assert_eq!(anchors.get(&listed[0].fingerprint).unwrap(), None);
        store.contents.replace(contents.clone()).await.unwrap();
        assert_eq!(
            anchors.all().unwrap().len(),
            2,
            "a snapshot brings them back"
        );
    }
}
