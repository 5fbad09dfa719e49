//! Who is calling the directory API, and what they may touch.

use super::{OrganisationId, SoftwareStatementId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// The admin token: everything.
    Admin,
    /// A software statement's client with an access token from `/token`:
    /// only its own organisation, and no admin-only operation.
    Software {
        organisation_id: OrganisationId,
        software_statement_id: SoftwareStatementId,
    },
}

impl Caller {
    pub fn is_admin(&self) -> bool {
        matches!(self, Caller::Admin)
    }

    pub fn may_access(&self, org: &OrganisationId) -> bool {
        match self {
            Caller::Admin => true,
            Caller::Software {
                organisation_id, ..
            } => organisation_id == org,
        }
    }
}
