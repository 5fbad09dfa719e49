//! The public participants document: rendered from a read of every
//! organisation, authorisation server and authority claim when the directory has changed
//! since the last rendering, and otherwise served from memory, with a
//! strong ETag over its bytes.

use std::sync::{Arc, Mutex, RwLock};

use bytes::Bytes;

use super::ServiceError;
use crate::domain::participant::Participant;
use crate::pki::encoding::{hex, sha256};
use crate::store::{
    AuthorisationServers, AuthorityClaims, Contacts, Organisations, ParticipantsVersion, StoreError,
};

/// One rendering of the document.
pub struct Rendered {
    version: u64,
    pub body: Bytes,
    /// A strong entity tag: the quoted hex SHA-256 of the body.
    pub etag: String,
}

pub struct ParticipantsDocument {
    organisations: Organisations,
    servers: AuthorisationServers,
    claims: AuthorityClaims,
    contacts: Contacts,
    version: ParticipantsVersion,
    /// How long a client may reuse the document, for Cache-Control.
    pub max_age_seconds: u32,
    current: RwLock<Option<Arc<Rendered>>>,
    /// One rendering at a time: readers that miss together wait for it.
    rendering: Mutex<()>,
}

impl ParticipantsDocument {
    pub fn new(
        organisations: Organisations,
        servers: AuthorisationServers,
        claims: AuthorityClaims,
        contacts: Contacts,
        version: ParticipantsVersion,
        max_age_seconds: u32,
    ) -> Self {
        ParticipantsDocument {
            organisations,
            servers,
            claims,
            contacts,
            version,
            max_age_seconds,
            current: RwLock::new(None),
            rendering: Mutex::new(()),
        }
    }

    /// The document as the directory stands now.
    pub fn current(&self) -> Result<Arc<Rendered>, ServiceError> {
        if let Some(fresh) = self.fresh() {
            return Ok(fresh);
        }
        let _one_at_a_time = self.rendering.lock().expect("participants rendering lock");
        if let Some(fresh) = self.fresh() {
            return Ok(fresh);
        }
        // Read the version first: a write committed after it bumps it
        // again, so this rendering is never taken for a later state.
        let version = self.version.current();
        let rendered = Arc::new(self.render(version)?);
        *self.current.write().expect("participants lock") = Some(rendered.clone());
        Ok(rendered)
    }

    fn fresh(&self) -> Option<Arc<Rendered>> {
        let current = self.current.read().expect("participants lock");
        current
            .as_ref()
            .filter(|r| r.version == self.version.current())
            .cloned()
    }

    fn render(&self, version: u64) -> Result<Rendered, ServiceError> {
        let organisations = self.organisations.all()?;
        let mut servers = self.servers.published_by_organisation()?;
        let mut claims = self.claims.by_organisation()?;
        let mut contacts = self.contacts.by_organisation()?;
        let owned: Vec<_> = organisations
            .iter()
            .map(|org| {
                let id = &org.organisation_id;
                let published = servers.remove(id).unwrap_or_default();
                let claims = claims.remove(id).unwrap_or_default();
                (
                    org,
                    published,
                    claims,
                    contacts.remove(id).unwrap_or_default(),
                )
            })
            .collect();
        let entries: Vec<Participant<'_>> = owned
            .iter()
            .map(|(org, published, claims, contacts)| {
                Participant::new(org, published, claims, contacts)
            })
            .collect();
        let body = serde_json::to_vec(&entries)
            .map_err(|e| StoreError::Engine(format!("writing the participants document: {e}")))?;
        Ok(Rendered {
            version,
            etag: format!("\"{}\"", hex(&sha256(&body))),
            body: Bytes::from(body),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Organisation;
    use crate::domain::organisation::OrganisationRequest;

    fn organisation(id: &str) -> Organisation {
        let request = OrganisationRequest {
            organisation_name: Some(format!("{id} Ltd")),
            ..Default::default()
        };
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        Organisation::from_request(request, id, now).unwrap()
    }

    #[tokio::test]
    async fn the_document_is_rendered_once_per_change_not_per_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path(), 1).unwrap();
        let document = ParticipantsDocument::new(
            store.organisations.clone(),
            store.authorisation_servers.clone(),
            store.authority_claims.clone(),
            store.contacts.clone(),
            store.participants_version.clone(),
            30,
        );
        let empty = document.current().unwrap();
        assert_eq!(empty.body.as_ref(), b"[]");
        assert!(
            Arc::ptr_eq(&empty, &document.current().unwrap()),
            "read again, not rendered"
        );

        store
            .organisations
            .insert(&organisation("org-1"))
            .await
            .unwrap();
        let one = document.current().unwrap();
        assert!(!Arc::ptr_eq(&empty, &one));
        assert_ne!(one.etag, empty.etag);
        let listed: serde_json::Value = serde_json::from_slice(&one.body).unwrap();
        assert_eq!(listed[0]["OrganisationId"], "org-1");
        assert!(Arc::ptr_eq(&one, &document.current().unwrap()));
    }
}
