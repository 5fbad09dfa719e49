//! Rendered keystore documents, reused until a record of their organisation
//! changes or one of its records expires. A JWKS is read far more often than
//! it changes, and rebuilding it means a store scan, decoding every record
//! and serialising them again. The certificates repository drops an
//! organisation's documents after each write to its records, and
//! `StoreContents` drops them all after a replacement.

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;
use chrono::{DateTime, Utc};

use crate::domain::{KeystoreDocument, OrganisationId};

/// Past this many bytes of documents the cache starts over rather than grow.
const MAX_BYTES: usize = 16 * 1024 * 1024;

#[derive(Default)]
pub struct DocumentCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Bumped by every change to an organisation's records, so a rendering
    /// that raced a write is never kept.
    generations: HashMap<OrganisationId, u64>,
    /// Bumped when the whole state is replaced, for the same reason.
    epoch: u64,
    documents: HashMap<KeystoreDocument, Rendered>,
    /// The sum of the documents' body lengths.
    bytes: usize,
}

struct Rendered {
    generation: (u64, u64),
    body: Bytes,
    rendered_at: DateTime<Utc>,
    /// The first expiry among the organisation's records after rendering:
    /// from then on the document holds other records.
    changes_at: Option<DateTime<Utc>>,
}

/// What `DocumentCache::lookup` hands back on a miss, to store the rendering with.
#[derive(Debug)]
pub struct Ticket {
    generation: (u64, u64),
}

impl DocumentCache {
    /// The document rendered earlier if it is still what the records say at
    /// `now`; otherwise a ticket to `keep` a fresh rendering with.
    pub fn lookup(&self, doc: &KeystoreDocument, now: DateTime<Utc>) -> Result<Bytes, Ticket> {
        let inner = self.inner.lock().expect("document cache lock");
        let generation = inner.generation(&doc.organisation_id);
        match inner.documents.get(doc) {
            Some(r)
                if r.generation == generation
                    && r.rendered_at <= now
                    && r.changes_at.is_none_or(|at| now < at) =>
            {
                Ok(r.body.clone())
            }
            _ => Err(Ticket { generation }),
        }
    }

    /// Keeps a rendering made from records read after `ticket` was issued,
    /// unless the organisation changed since.
    pub fn keep(
        &self,
        doc: &KeystoreDocument,
        ticket: Ticket,
        body: Bytes,
        rendered_at: DateTime<Utc>,
        changes_at: Option<DateTime<Utc>>,
    ) {
        let mut inner = self.inner.lock().expect("document cache lock");
        if inner.generation(&doc.organisation_id) != ticket.generation {
            return;
        }
        if inner.bytes + body.len() > MAX_BYTES {
            inner.documents.clear();
            inner.bytes = 0;
        }
        inner.bytes += body.len();
        let replaced = inner.documents.insert(
            doc.clone(),
            Rendered {
                generation: ticket.generation,
                body,
                rendered_at,
                changes_at,
            },
        );
        if let Some(old) = replaced {
            inner.bytes -= old.body.len();
        }
    }

    /// Forgets every rendering, after the whole state was replaced.
    pub(super) fn clear(&self) {
        let mut inner = self.inner.lock().expect("document cache lock");
        inner.epoch += 1;
        inner.documents.clear();
        inner.bytes = 0;
    }

    /// Forgets what was rendered from `org`'s records. Call after the write.
    pub(super) fn changed(&self, org: &OrganisationId) {
        let mut inner = self.inner.lock().expect("document cache lock");
        *inner.generations.entry(org.clone()).or_default() += 1;
        let mut freed = 0;
        inner.documents.retain(|doc, r| {
            let keep = &doc.organisation_id != org;
            if !keep {
                freed += r.body.len();
            }
            keep
        });
        inner.bytes -= freed;
    }
}

impl Inner {
    fn generation(&self, org: &OrganisationId) -> (u64, u64) {
        (
            self.epoch,
            self.generations.get(org).copied().unwrap_or_default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::KeySet;

    fn doc(org: &str) -> KeystoreDocument {
        KeystoreDocument {
            organisation_id: OrganisationId::parse(org).unwrap(),
            software_statement_id: None,
            keys: KeySet::All,
            inactive: false,
        }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn a_kept_document_is_served_until_its_organisation_changes() {
        let cache = DocumentCache::default();
        let ticket = cache.lookup(&doc("a"), at(10)).unwrap_err();
        cache.keep(&doc("a"), ticket, Bytes::from("one"), at(10), None);
        assert_eq!(cache.lookup(&doc("a"), at(11)).unwrap(), "one");

        cache.changed(&OrganisationId::parse("b").unwrap());
        assert!(cache.lookup(&doc("a"), at(11)).is_ok());
        cache.changed(&OrganisationId::parse("a").unwrap());
        assert!(cache.lookup(&doc("a"), at(11)).is_err());
    }

    #[test]
    fn a_rendering_that_raced_a_write_is_not_kept() {
        let cache = DocumentCache::default();
        let ticket = cache.lookup(&doc("a"), at(10)).unwrap_err();
        cache.changed(&OrganisationId::parse("a").unwrap());
        cache.keep(&doc("a"), ticket, Bytes::from("stale"), at(10), None);
        assert!(cache.lookup(&doc("a"), at(10)).is_err());

        let ticket = cache.lookup(&doc("a"), at(10)).unwrap_err();
        cache.clear();
        cache.keep(&doc("a"), ticket, Bytes::from("stale"), at(10), None);
        assert!(
            cache.lookup(&doc("a"), at(10)).is_err(),
            "nor one that raced a reset"
        );
    }

    #[test]
    fn a_document_is_rendered_again_once_a_record_expires_or_the_clock_goes_back() {
        let cache = DocumentCache::default();
        let ticket = cache.lookup(&doc("a"), at(10)).unwrap_err();
        cache.keep(&doc("a"), ticket, Bytes::from("one"), at(10), Some(at(20)));
        assert!(cache.lookup(&doc("a"), at(19)).is_ok());
        assert!(cache.lookup(&doc("a"), at(20)).is_err());
        assert!(cache.lookup(&doc("a"), at(9)).is_err());
    }

    #[test]
    fn the_cache_starts_over_rather_than_hold_more_than_its_bound() {
        let cache = DocumentCache::default();
        let big = Bytes::from(vec![b' '; MAX_BYTES / 2 + 1]);
        for org in ["a", "b"] {
            let ticket = cache.lookup(&doc(org), at(10)).unwrap_err();
            cache.keep(&doc(org), ticket, big.clone(), at(10), None);
        }
        assert!(cache.lookup(&doc("a"), at(10)).is_err());
        assert!(cache.lookup(&doc("b"), at(10)).is_ok());
    }
}
