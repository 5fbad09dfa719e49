//! RA operators and clients: searched by operators, created by the admin
//! API and by config.

use super::Ra;
use super::client_for;
use crate::domain::ra::{
    ApiKey, ClientAccount, ClientReference, OperatorAccount, RaClient, RaFailure, RaOperator,
};
use crate::domain::{Caller, DomainError};
use crate::pki::encoding;
use crate::service::error::Conflict;
use crate::service::{ServiceError, ensure_admin};

/// A stable UUID from a text: references config leaves out stay the same
/// across starts.
pub fn derived_uuid(text: &str) -> uuid::Uuid {
    let digest = encoding::sha256(text.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// `POST /v2/clients?search=`: the clients the operator may act for whose
/// name matches `search` (`*` and `?` wildcards), with their products.
pub fn search(
    ra: &Ra,
    operator: &RaOperator,
    search: Option<&str>,
) -> Result<Vec<RaClient>, RaFailure> {
    Ok(ra
        .records
        .clients()?
        .into_iter()
        .filter(|c| operator.may_act_for(&c.reference))
        .filter(|c| search.is_none_or(|s| c.matches(s)))
        .collect())
}

/// `POST /v2/client/{clientReference}`.
pub fn client(
    ra: &Ra,
    operator: &RaOperator,
    reference: &ClientReference,
) -> Result<RaClient, RaFailure> {
    client_for(ra, operator, reference)
}

/// An operator the admin API adds, and its API key when obdir made it.
pub struct NewOperator {
    pub operator: RaOperator,
    pub generated_key: Option<ApiKey>,
}

/// `POST /admin/ra/operators`: adds or replaces an operator. Without an API
/// key, one is generated and handed out this once.
pub async fn put_operator(
    ra: &Ra,
    caller: &Caller,
    user_name: String,
    api_key: Option<String>,
    clients: Vec<String>,
) -> Result<NewOperator, ServiceError> {
    ensure_admin(caller, "managing RA operators")?;
    let generated = api_key.is_none();
    let account = OperatorAccount {
        user_name,
        api_key: api_key.unwrap_or_else(encoding::random_token),
        clients,
    };
    let operator = account.into_operator()?;
    for client in &operator.clients {
        if ra.records.client(client)?.is_none() {
            return Err(unknown_client(client).into());
        }
    }
    ra.records.put_operator(&operator).await?;
    log::info!("RA operator {} saved", operator.user_name);
    Ok(NewOperator {
        generated_key: generated.then(|| operator.api_key.clone()),
        operator,
    })
}

/// `GET /admin/ra/operators`.
pub fn operators(ra: &Ra, caller: &Caller) -> Result<Vec<RaOperator>, ServiceError> {
    ensure_admin(caller, "listing RA operators")?;
    Ok(ra.records.operators()?)
}

/// `GET /admin/ra/clients`.
pub fn clients(ra: &Ra, caller: &Caller) -> Result<Vec<RaClient>, ServiceError> {
    ensure_admin(caller, "listing RA clients")?;
    Ok(ra.records.clients()?)
}

/// `POST /admin/ra/clients`: adds a client with its products, or replaces
/// the one with the same reference.
pub async fn put_client(
    ra: &Ra,
    caller: &Caller,
    account: ClientAccount,
) -> Result<RaClient, ServiceError> {
    ensure_admin(caller, "managing RA clients")?;
    let client = account.into_client(derived_uuid)?;
    ensure_products_unique(ra, &client)?;
    ra.records.put_client(&client).await?;
    log::info!("RA client {} ({}) saved", client.reference, client.name);
    Ok(client)
}

/// A product reference names one product across all clients.
pub(crate) fn ensure_products_unique(ra: &Ra, client: &RaClient) -> Result<(), ServiceError> {
    for other in ra.records.clients()? {
        if other.reference == client.reference {
            continue;
        }
        if let Some(p) = client
            .products
            .iter()
            .find(|p| other.product(&p.reference).is_some())
        {
            return Err(Conflict::ProductTaken {
                product: p.reference.to_string(),
                client: other.reference.to_string(),
            }
            .into());
        }
    }
    Ok(())
}

/// Writes the accounts config names (at start and after a reset).
pub(crate) async fn write_configured(ra: &Ra) -> Result<(), ServiceError> {
    for client in &ra.settings.clients {
        ra.records.put_client(client).await?;
    }
    for operator in &ra.settings.operators {
        ra.records.put_operator(operator).await?;
    }
    Ok(())
}

/// An operator's client that the RA does not hold.
pub(crate) fn unknown_client(client: &ClientReference) -> DomainError {
    DomainError::field("clients", format!("no client {client}"))
}
