//! The authorisation servers an organisation publishes, under it. An id is
//! unique within its organisation; every change is written in one
//! transaction with its audit events, and a refusal writes nothing.

use super::StoreError;
use super::engine::{Database, RecordWrites, Records, Table, key, prefix};
use super::events;
use crate::domain::event::NewEvent;
use crate::domain::{AuthorisationServer, AuthorisationServerId, OrganisationId};

/// `org\0server` -> AuthorisationServer.
pub(super) const AUTHORISATION_SERVERS: Table = "authorisation_servers";

#[derive(Clone)]
pub struct AuthorisationServers {
    db: Database,
}

/// Why a write was not made.
#[derive(Debug, PartialEq)]
pub enum Refused {
    /// A new server's id is taken in its organisation.
    Taken,
    /// The server to change or delete is not there.
    Missing,
}

fn server_key(org: &OrganisationId, id: &AuthorisationServerId) -> Vec<u8> {
    key(&[org.as_str(), id.as_str()])
}

impl AuthorisationServers {
    pub(super) fn new(db: Database) -> Self {
        AuthorisationServers { db }
    }

    pub fn get(
        &self,
        org: &OrganisationId,
        id: &AuthorisationServerId,
    ) -> Result<Option<AuthorisationServer>, StoreError> {
        self.db
            .read(|tx| tx.record(AUTHORISATION_SERVERS, &server_key(org, id)))
    }

    /// An organisation's servers, in id order.
    pub fn of(&self, org: &OrganisationId) -> Result<Vec<AuthorisationServer>, StoreError> {
        self.db
            .read(|tx| tx.records(AUTHORISATION_SERVERS, &prefix(&[org.as_str()])))
    }

    /// Adds a server whose id is new in its organisation, with `audit`.
    pub fn insert(
        &self,
        server: &AuthorisationServer,
        audit: &[NewEvent],
    ) -> Result<Result<(), Refused>, StoreError> {
        self.write(server, audit, false)
    }

    /// Replaces a stored server, with `audit`.
    pub fn replace(
        &self,
        server: &AuthorisationServer,
        audit: &[NewEvent],
    ) -> Result<Result<(), Refused>, StoreError> {
        self.write(server, audit, true)
    }

    /// Writes `server` if it is there (`replacing`) or is not (adding).
    fn write(
        &self,
        server: &AuthorisationServer,
        audit: &[NewEvent],
        replacing: bool,
    ) -> Result<Result<(), Refused>, StoreError> {
        let k = server_key(&server.organisation_id, &server.authorisation_server_id);
        self.db.write_unless(|tx| {
            let stored = tx
                .record::<AuthorisationServer>(AUTHORISATION_SERVERS, &k)?
                .is_some();
            match (replacing, stored) {
                (false, true) => return Ok(Err(Refused::Taken)),
                (true, false) => return Ok(Err(Refused::Missing)),
                _ => {}
            }
            tx.put_record(AUTHORISATION_SERVERS, &k, server)?;
            events::append(tx, audit)?;
            Ok(Ok(()))
        })
    }

    /// Deletes a server, with `audit`.
    pub fn remove(
        &self,
        org: &OrganisationId,
        id: &AuthorisationServerId,
        audit: &[NewEvent],
    ) -> Result<Result<(), Refused>, StoreError> {
        let k = server_key(org, id);
        self.db.write_unless(|tx| {
            if !tx.remove(AUTHORISATION_SERVERS, &k)? {
                return Ok(Err(Refused::Missing));
            }
            events::append(tx, audit)?;
            Ok(Ok(()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::authorisation_server::AuthorisationServerRequest;

    fn server(id: &str, name: &str) -> AuthorisationServer {
        let request = AuthorisationServerRequest {
            auto_registration_supported: Some(false),
            customer_friendly_name: Some(name.into()),
            customer_friendly_description: Some("d".into()),
            ..Default::default()
        };
        let org = OrganisationId::parse("org-1").unwrap();
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        AuthorisationServer::from_request(request, &org, id, None, now).unwrap()
    }

    #[test]
    fn an_id_is_taken_once_per_organisation_and_only_a_stored_server_is_replaced_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path(), 1, 0).unwrap();
        let servers = store.authorisation_servers;
        let commits = store.db.commits();
        assert_eq!(servers.insert(&server("as-1", "A"), &[]).unwrap(), Ok(()));
        assert_eq!(
            servers.insert(&server("as-1", "B"), &[]).unwrap(),
            Err(Refused::Taken)
        );
        assert_eq!(
            servers.replace(&server("as-2", "B"), &[]).unwrap(),
            Err(Refused::Missing)
        );
        assert_eq!(store.db.commits() - commits, 1, "a refusal commits nothing");
        assert_eq!(servers.replace(&server("as-1", "B"), &[]).unwrap(), Ok(()));
        let org = OrganisationId::parse("org-1").unwrap();
        let id = AuthorisationServerId::parse("as-1").unwrap();
        assert_eq!(
            servers
                .get(&org, &id)
                .unwrap()
                .unwrap()
                .customer_friendly_name,
            "B"
        );
        assert_eq!(servers.remove(&org, &id, &[]).unwrap(), Ok(()));
        assert_eq!(
            servers.remove(&org, &id, &[]).unwrap(),
            Err(Refused::Missing)
        );
        assert!(servers.of(&org).unwrap().is_empty());
    }
}
