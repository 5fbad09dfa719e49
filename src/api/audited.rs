//! `Audited`: what every audited use case starts from, on any face: its
//! caller and the audit log its events go to, read from the request.

use std::future::{Future, Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use crate::api::directory::DirectoryError;
use crate::api::interaction::event_context;
use crate::domain::Caller;
use crate::service::ServiceError;
use crate::service::events::{Audit, AuditLog, EventContext};

/// The caller of a directory write, with the context its audit events carry.
pub struct Audited {
    pub caller: Caller,
    log: web::Data<AuditLog>,
    context: EventContext,
}

impl Audited {
    /// The audit of `action` on this request, started now.
    pub fn audit(&self, action: &str) -> Audit {
        Audit::new(&self.log, &self.context, action)
    }

    /// Awaits `work`, writing `audit`'s START and its outcome; for a use
    /// case that writes its events in its own transaction.
    pub async fn run<T>(
        &self,
        audit: &Audit,
        work: impl Future<Output = Result<T, ServiceError>>,
    ) -> Result<T, ServiceError> {
        audit.run(&self.log, work).await
    }

    /// Awaits `work` as the use case `action`, writing its START and outcome.
    pub async fn record<T>(
        &self,
        action: &str,
        work: impl Future<Output = Result<T, ServiceError>>,
    ) -> Result<T, ServiceError> {
        self.run(&self.audit(action), work).await
    }
}

/// An unknown caller is a 401, as `Caller` answers; a face with its own
/// answer to that takes `Option<Audited>`.
impl FromRequest for Audited {
    type Error = DirectoryError;
    type Future = Ready<Result<Audited, DirectoryError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        ready(audited(req, payload))
    }
}

fn audited(req: &HttpRequest, payload: &mut Payload) -> Result<Audited, DirectoryError> {
    let caller = Caller::from_request(req, payload).into_inner()?;
    let log = req
        .app_data::<web::Data<AuditLog>>()
        .cloned()
        .ok_or_else(|| DirectoryError::Internal("no audit log registered".into()))?;
    Ok(Audited {
        context: event_context(req, &caller),
        caller,
        log,
    })
}
