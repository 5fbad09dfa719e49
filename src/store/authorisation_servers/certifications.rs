//! The certifications an authorisation server holds.

use super::{
    AUTHORISATION_SERVERS, AuthorisationServers, Outcome, Put, put, remove, server_key,
    under_server,
};
use crate::domain::event::NewEvent;
use crate::domain::{AuthorisationServerId, CertificationId, OrganisationId, ServerCertification};
use crate::store::StoreError;
use crate::store::engine::{Records, Table, key};

/// `org\0server\0certification` -> ServerCertification.
pub(in crate::store) const SERVER_CERTIFICATIONS: Table = "authorisation_server_certifications";

fn certification_key(
    org: &OrganisationId,
    server: &AuthorisationServerId,
    id: &CertificationId,
) -> Vec<u8> {
    key(&[org.as_str(), server.as_str(), id.as_str()])
}

impl AuthorisationServers {
    /// A server's certifications, in id order.
    pub fn certifications(
        &self,
        org: &OrganisationId,
        server: &AuthorisationServerId,
    ) -> Result<Vec<ServerCertification>, StoreError> {
        self.db
            .read(|tx| tx.records(SERVER_CERTIFICATIONS, &under_server(org, server)))
    }

    pub fn certification(
        &self,
        org: &OrganisationId,
        server: &AuthorisationServerId,
        id: &CertificationId,
    ) -> Result<Option<ServerCertification>, StoreError> {
        self.db
            .read(|tx| tx.record(SERVER_CERTIFICATIONS, &certification_key(org, server, id)))
    }

    /// Adds a certification (`Put::New`) or replaces a stored one, under a
    /// stored server, with `audit`.
    pub async fn write_certification(
        &self,
        org: &OrganisationId,
        certification: &ServerCertification,
        how: Put,
        audit: &[NewEvent],
    ) -> Outcome {
        let server = &certification.authorisation_server_id;
        let k = certification_key(org, server, &certification.certification_id);
        let parent = server_key(org, server);
        let (certification, audit) = (certification.clone(), audit.to_vec());
        self.change(move |tx| {
            put(
                tx,
                SERVER_CERTIFICATIONS,
                &k,
                &certification,
                how,
                Some((AUTHORISATION_SERVERS, &parent)),
                &audit,
            )
        })
        .await
    }

    pub async fn remove_certification(
        &self,
        org: &OrganisationId,
        server: &AuthorisationServerId,
        id: &CertificationId,
        audit: &[NewEvent],
    ) -> Outcome {
        let k = certification_key(org, server, id);
        let audit = audit.to_vec();
        self.change(move |tx| remove(tx, SERVER_CERTIFICATIONS, &k, &audit))
            .await
    }
}
