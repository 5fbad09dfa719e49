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
        let k = server_key(&server.organisation_id, &server.authorisation_server_id);
        self.db.write_unless(|tx| {
            if tx
                .record::<AuthorisationServer>(AUTHORISATION_SERVERS, &k)?
                .is_some()
            {
                return Ok(Err(Refused::Taken));
            }
            tx.put_record(AUTHORISATION_SERVERS, &k, server)?;
            events::append(tx, audit)?;
            Ok(Ok(()))
        })
    }

    /// Replaces a stored server, with `audit`.
    pub fn replace(
        &self,
        server: &AuthorisationServer,
        audit: &[NewEvent],
    ) -> Result<Result<(), Refused>, StoreError> {
        let k = server_key(&server.organisation_id, &server.authorisation_server_id);
        self.db.write_unless(|tx| {
            if tx
                .record::<AuthorisationServer>(AUTHORISATION_SERVERS, &k)?
                .is_none()
            {
                return Ok(Err(Refused::Missing));
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
