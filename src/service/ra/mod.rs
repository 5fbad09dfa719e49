//! The RA face's use cases (seed 002): operator sessions, clients and
//! products, domain pre-validation, certificate orders and revocation.
//! Each answers a domain result or an `RaFailure` carrying the RA's code.

pub mod accounts;
pub mod domains;
pub mod orders;
pub mod revoke;
pub mod session;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::domain::Clock;
use crate::domain::ra::{ClientReference, OrderTiming, RaClient, RaFailure, RaOperator};
use crate::store::{RaRecords, StoreError};

use super::ServiceError;
use super::certificate_authority::CertificateAuthority;

/// Where domain validation reads TXT records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxtSource {
    /// The records set through the admin API, kept in the store.
    Emulated,
    /// A real DNS query.
    Resolver {
        nameserver: SocketAddr,
        timeout: Duration,
    },
}

/// How the RA is set up.
pub struct RaSettings {
    pub txt: TxtSource,
    pub timing: OrderTiming,
    /// How often the background worker moves open orders on.
    pub tick: Duration,
    /// Accounts from config, written at start and after every reset.
    pub operators: Vec<RaOperator>,
    pub clients: Vec<RaClient>,
}

/// What the RA's use cases work with: its records, the directory's CA that
/// issues its orders, and the locks its read-change-write steps hold.
pub struct Ra {
    pub(crate) settings: RaSettings,
    pub(crate) records: RaRecords,
    pub(crate) authority: Arc<CertificateAuthority>,
    pub(crate) clock: Arc<dyn Clock>,
    /// The directory's write lock, held across a read and the write it
    /// decides, so a reset cannot fall between them.
    pub(crate) writes: crate::service::WriteLock,
    /// Held while an order is read, moved on and written, so the worker and
    /// a polling client never issue the same order twice.
    pub(crate) order_moves: tokio::sync::Mutex<()>,
}

/// What `Ra` is made from, beside its settings.
pub struct RaParts {
    pub records: RaRecords,
    pub authority: Arc<CertificateAuthority>,
    pub clock: Arc<dyn Clock>,
    pub writes: crate::service::WriteLock,
}

impl Ra {
    pub fn new(settings: RaSettings, parts: RaParts) -> Self {
        Self {
            settings,
            records: parts.records,
            authority: parts.authority,
            clock: parts.clock,
            writes: parts.writes,
            order_moves: tokio::sync::Mutex::new(()),
        }
    }
}

impl From<StoreError> for RaFailure {
    fn from(e: StoreError) -> Self {
        log::error!("RA store error: {e}");
        RaFailure::runtime("the RA could not read or write its records; see the obdir log")
    }
}

impl From<ServiceError> for RaFailure {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(_) | ServiceError::Refused(_) => RaFailure {
                messages: e.messages(),
                ..RaFailure::validation("")
            },
            ServiceError::NotFound(m) => RaFailure::not_found(m.to_string()),
            ServiceError::Forbidden(m) => RaFailure::access_denied(m.to_string()),
            ServiceError::Conflict(m) => RaFailure {
                refusal: crate::domain::ra::Refusal::Conflict,
                ..RaFailure::validation(m.to_string())
            },
            ServiceError::Unavailable(m) => RaFailure {
                refusal: crate::domain::ra::Refusal::Unavailable,
                ..RaFailure::validation(m.to_string())
            },
            ServiceError::Store(e) => e.into(),
            ServiceError::Crypto(e) => {
                log::error!("RA crypto error: {e}");
                RaFailure::runtime("internal crypto error; see the obdir log")
            }
        }
    }
}

/// The client `reference` names, if the operator may act for it.
pub(crate) fn client_for(
    ra: &Ra,
    operator: &RaOperator,
    reference: &ClientReference,
) -> Result<RaClient, RaFailure> {
    let client = ra.records.client(reference)?.ok_or_else(|| {
        RaFailure::new(
            crate::domain::ra::Refusal::NotFound,
            crate::domain::ra::ErrorCode::form(crate::domain::ra::Code::InvalidClient),
            format!("{}: no client {reference}", ClientReference::FIELD),
        )
    })?;
    if !operator.may_act_for(reference) {
        return Err(RaFailure::access_denied(format!(
            "operator {} may not act for client {reference}",
            operator.user_name
        )));
    }
    Ok(client)
}

/// A fresh random UUID for a new reference.
pub(crate) fn fresh_uuid() -> uuid::Uuid {
    uuid::Uuid::new_v4()
}
