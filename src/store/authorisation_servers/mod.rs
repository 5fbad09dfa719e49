//! The authorisation servers an organisation publishes, with what hangs from
//! each: its API resources (their discovery endpoints inside them) and its
//! certifications. An id is unique under its parent, nothing is stored under
//! a server that is not there, and deleting a server deletes what hangs from
//! it. Every change is one transaction with its audit events; a refusal
//! writes nothing.

mod certifications;
mod resources;

use std::collections::BTreeMap;

use super::engine::{Database, ReadTx, Records, Table, WriteTx, key, prefix};
use super::owned::{Outcome, Put, Refused, put, remove};
use super::{ParticipantsVersion, StoreError};
use crate::domain::authorisation_server::PublishedServer;
use crate::domain::event::NewEvent;
use crate::domain::{AuthorisationServer, AuthorisationServerId, OrganisationId};

/// `org\0server` -> AuthorisationServer.
pub(super) const AUTHORISATION_SERVERS: Table = "authorisation_servers";
pub(super) use certifications::SERVER_CERTIFICATIONS;
pub(super) use resources::API_RESOURCES;

#[derive(Clone)]
pub struct AuthorisationServers {
    db: Database,
    participants_version: ParticipantsVersion,
}

fn server_key(org: &OrganisationId, id: &AuthorisationServerId) -> Vec<u8> {
    key(&[org.as_str(), id.as_str()])
}

/// The keys of what hangs from a server share this prefix.
fn under_server(org: &OrganisationId, id: &AuthorisationServerId) -> Vec<u8> {
    prefix(&[org.as_str(), id.as_str()])
}

/// `server` with what hangs from it, as `tx` sees them.
fn with_children(
    tx: &(impl ReadTx + ?Sized),
    server: AuthorisationServer,
) -> Result<PublishedServer, StoreError> {
    let children = under_server(&server.organisation_id, &server.authorisation_server_id);
    Ok(PublishedServer {
        api_resources: tx.records(API_RESOURCES, &children)?,
        authorisation_server_certifications: tx.records(SERVER_CERTIFICATIONS, &children)?,
        server,
    })
}

impl AuthorisationServers {
    pub(super) fn new(db: Database, participants_version: ParticipantsVersion) -> Self {
        AuthorisationServers {
            db,
            participants_version,
        }
    }

    /// Runs one write; whatever it did, the participants document is
    /// rendered again.
    async fn change(
        &self,
        change: impl FnMut(&mut dyn WriteTx) -> Outcome + Send + 'static,
    ) -> Outcome {
        let outcome = self.db.commit_unless(change).await;
        self.participants_version.bump();
        outcome
    }

    /// Every server with its resources and certifications, by
    /// organisation, read together.
    pub fn published_by_organisation(
        &self,
    ) -> Result<BTreeMap<OrganisationId, Vec<PublishedServer>>, StoreError> {
        self.db.read(|tx| {
            let servers: Vec<AuthorisationServer> = tx.records(AUTHORISATION_SERVERS, b"")?;
            let mut by_organisation: BTreeMap<_, Vec<_>> = BTreeMap::new();
            for server in servers {
                by_organisation
                    .entry(server.organisation_id.clone())
                    .or_default()
                    .push(with_children(tx, server)?);
            }
            Ok(by_organisation)
        })
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

    /// A server with its resources and certifications, read together.
    pub fn published(
        &self,
        org: &OrganisationId,
        id: &AuthorisationServerId,
    ) -> Result<Option<PublishedServer>, StoreError> {
        self.db.read(|tx| {
            tx.record(AUTHORISATION_SERVERS, &server_key(org, id))?
                .map(|server| with_children(tx, server))
                .transpose()
        })
    }

    /// An organisation's servers with their resources and certifications,
    /// in id order, read together.
    pub fn published_of(&self, org: &OrganisationId) -> Result<Vec<PublishedServer>, StoreError> {
        self.db.read(|tx| {
            let servers: Vec<AuthorisationServer> =
                tx.records(AUTHORISATION_SERVERS, &prefix(&[org.as_str()]))?;
            servers.into_iter().map(|s| with_children(tx, s)).collect()
        })
    }

    /// Adds a server whose id is new in its organisation, with `audit`.
    pub async fn insert(&self, server: &AuthorisationServer, audit: &[NewEvent]) -> Outcome {
        self.write(server, audit, Put::New).await
    }

    /// Replaces a stored server, with `audit`.
    pub async fn replace(&self, server: &AuthorisationServer, audit: &[NewEvent]) -> Outcome {
        self.write(server, audit, Put::Replacing).await
    }

    async fn write(&self, server: &AuthorisationServer, audit: &[NewEvent], how: Put) -> Outcome {
        let k = server_key(&server.organisation_id, &server.authorisation_server_id);
        let (server, audit) = (server.clone(), audit.to_vec());
        self.change(move |tx| put(tx, AUTHORISATION_SERVERS, &k, &server, how, None, &audit))
            .await
    }

    /// Deletes a server, its API resources and its certifications, with `audit`.
    pub async fn remove(
        &self,
        org: &OrganisationId,
        id: &AuthorisationServerId,
        audit: &[NewEvent],
    ) -> Outcome {
        let k = server_key(org, id);
        let children = under_server(org, id);
        let audit = audit.to_vec();
        self.change(move |tx| {
            for table in [API_RESOURCES, SERVER_CERTIFICATIONS] {
                for child in tx.keys(table, &children)? {
                    tx.remove(table, &child)?;
                }
            }
            remove(tx, AUTHORISATION_SERVERS, &k, &audit)
        })
        .await
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

    #[tokio::test]
    async fn an_id_is_taken_once_per_organisation_and_only_a_stored_server_is_replaced_or_removed()
    {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path(), 1).unwrap();
        let servers = store.authorisation_servers;
        let commits = store.db.commits();
        assert_eq!(
            servers.insert(&server("as-1", "A"), &[]).await.unwrap(),
            Ok(())
        );
        assert_eq!(
            servers.insert(&server("as-1", "B"), &[]).await.unwrap(),
            Err(Refused::Taken)
        );
        assert_eq!(
            servers.replace(&server("as-2", "B"), &[]).await.unwrap(),
            Err(Refused::Missing)
        );
        assert_eq!(store.db.commits() - commits, 1, "a refusal commits nothing");
        assert_eq!(
            servers.replace(&server("as-1", "B"), &[]).await.unwrap(),
            Ok(())
        );
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
        assert_eq!(servers.remove(&org, &id, &[]).await.unwrap(), Ok(()));
        assert_eq!(
            servers.remove(&org, &id, &[]).await.unwrap(),
            Err(Refused::Missing)
        );
        assert!(servers.of(&org).unwrap().is_empty());
    }

    #[tokio::test]
    async fn nothing_hangs_from_a_missing_server_and_deleting_a_server_deletes_what_hangs_from_it()
    {
        use crate::domain::api_resource::ApiResourceRequest;
        use crate::domain::certification::ServerCertificationRequest;
        use crate::domain::{
            ApiDiscoveryEndpointId, ApiResource, ApiResourceId, CertificationId,
            ServerCertification,
        };
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path(), 1).unwrap();
        let servers = store.authorisation_servers;
        let org = OrganisationId::parse("org-1").unwrap();
        let as1 = AuthorisationServerId::parse("as-1").unwrap();
        let resource = ApiResource::from_request(
            ApiResourceRequest {
                api_family_type: Some("accounts".into()),
                api_version: Some("2.0.0".into()),
                api_endpoint: Some("https://api.example/accounts/v2".into()),
                ..Default::default()
            },
            ApiResourceId::parse("r-1").unwrap(),
            None,
            ApiDiscoveryEndpointId::parse("e-1").unwrap(),
        )
        .unwrap();
        let certification = ServerCertification::from_request(
            ServerCertificationRequest {
                profile_variant: Some("FAPI Adv. OP w/ MTLS".into()),
                profile_version: Some(1.0),
                ..Default::default()
            },
            &as1,
            CertificationId::parse("c-1").unwrap(),
        )
        .unwrap();
        assert_eq!(
            servers
                .write_resource(&org, &as1, &resource, Put::New, &[])
                .await
                .unwrap(),
            Err(Refused::Missing)
        );
        assert_eq!(
            servers
                .write_certification(&org, &certification, Put::New, &[])
                .await
                .unwrap(),
            Err(Refused::Missing)
        );
        servers
            .insert(&server("as-1", "A"), &[])
            .await
            .unwrap()
            .unwrap();
        servers
            .insert(&server("as-10", "B"), &[])
            .await
            .unwrap()
            .unwrap();
        let as10 = AuthorisationServerId::parse("as-10").unwrap();
        for id in [&as1, &as10] {
            servers
                .write_resource(&org, id, &resource, Put::New, &[])
                .await
                .unwrap()
                .unwrap();
        }
        assert_eq!(
            servers
                .write_resource(&org, &as1, &resource, Put::New, &[])
                .await
                .unwrap(),
            Err(Refused::Taken)
        );
        servers
            .write_certification(&org, &certification, Put::New, &[])
            .await
            .unwrap()
            .unwrap();
        let endpoint = ApiDiscoveryEndpointId::parse("e-1").unwrap();
        let r1 = ApiResourceId::parse("r-1").unwrap();
        servers
            .change_endpoints(&org, &as1, &r1, &[], move |r| {
                r.api_discovery_endpoints
                    .retain(|e| e.api_discovery_id != endpoint);
                Ok(())
            })
            .await
            .unwrap()
            .unwrap();
        assert!(
            servers
                .resource(&org, &as1, &r1)
                .unwrap()
                .unwrap()
                .api_discovery_endpoints
                .is_empty()
        );
        servers.remove(&org, &as1, &[]).await.unwrap().unwrap();
        assert!(servers.resources(&org, &as1).unwrap().is_empty());
        assert!(servers.certifications(&org, &as1).unwrap().is_empty());
        assert_eq!(
            servers.resources(&org, &as10).unwrap().len(),
            1,
            "as-10 is not under as-1"
        );
    }
}
