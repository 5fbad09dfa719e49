//! A server's API resources, each with its discovery endpoints inside it,
//! so an endpoint is changed in the same write that reads its resource.

use super::{
    AUTHORISATION_SERVERS, AuthorisationServers, Outcome, Put, Refused, put, remove, server_key,
    under_server,
};
use crate::domain::event::NewEvent;
use crate::domain::{ApiResource, ApiResourceId, AuthorisationServerId, OrganisationId};
use crate::store::StoreError;
use crate::store::engine::{Records, Table, key};

/// `org\0server\0resource` -> ApiResource.
pub(in crate::store) const API_RESOURCES: Table = "api_resources";

fn resource_key(
    org: &OrganisationId,
    server: &AuthorisationServerId,
    id: &ApiResourceId,
) -> Vec<u8> {
    key(&[org.as_str(), server.as_str(), id.as_str()])
}

impl AuthorisationServers {
    /// A server's API resources, in id order.
    pub fn resources(
        &self,
        org: &OrganisationId,
        server: &AuthorisationServerId,
    ) -> Result<Vec<ApiResource>, StoreError> {
        self.db
            .read(|tx| tx.records(API_RESOURCES, &under_server(org, server)))
    }

    pub fn resource(
        &self,
        org: &OrganisationId,
        server: &AuthorisationServerId,
        id: &ApiResourceId,
    ) -> Result<Option<ApiResource>, StoreError> {
        self.db
            .read(|tx| tx.record(API_RESOURCES, &resource_key(org, server, id)))
    }

    /// Adds a resource (`Put::New`) or replaces a stored one, under a
    /// stored server, with `audit`.
    pub async fn write_resource(
        &self,
        org: &OrganisationId,
        server: &AuthorisationServerId,
        resource: &ApiResource,
        how: Put,
        audit: &[NewEvent],
    ) -> Outcome {
        let k = resource_key(org, server, &resource.api_resource_id);
        let parent = server_key(org, server);
        let (resource, audit) = (resource.clone(), audit.to_vec());
        self.change(move |tx| {
            put(
                tx,
                API_RESOURCES,
                &k,
                &resource,
                how,
                Some((AUTHORISATION_SERVERS, &parent)),
                &audit,
            )
        })
        .await
    }

    /// Changes a stored resource's discovery endpoints with `change`, which
    /// sees the resource as stored in the same transaction, with `audit`.
    pub async fn change_endpoints(
        &self,
        org: &OrganisationId,
        server: &AuthorisationServerId,
        id: &ApiResourceId,
        audit: &[NewEvent],
        mut change: impl FnMut(&mut ApiResource) -> Result<(), Refused> + Send + 'static,
    ) -> Outcome {
        let k = resource_key(org, server, id);
        let audit = audit.to_vec();
        self.change(move |tx| {
            let Some(mut resource) = tx.record::<ApiResource>(API_RESOURCES, &k)? else {
                return Ok(Err(Refused::Missing));
            };
            if let Err(refused) = change(&mut resource) {
                return Ok(Err(refused));
            }
            put(
                tx,
                API_RESOURCES,
                &k,
                &resource,
                Put::Replacing,
                None,
                &audit,
            )
        })
        .await
    }

    /// Deletes a resource and its discovery endpoints, with `audit`.
    pub async fn remove_resource(
        &self,
        org: &OrganisationId,
        server: &AuthorisationServerId,
        id: &ApiResourceId,
        audit: &[NewEvent],
    ) -> Outcome {
        let k = resource_key(org, server, id);
        let audit = audit.to_vec();
        self.change(move |tx| remove(tx, API_RESOURCES, &k, &audit))
            .await
    }
}
