//! Who is calling the directory API, and what they may touch.

use serde::Deserialize;

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

/// The admin bearer token. Never printed by Debug; empty means "generate one".
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct AdminToken(String);

impl AdminToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    pub fn is_set(&self) -> bool {
        !self.0.is_empty()
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_set() {
            "AdminToken([set])"
        } else {
            "AdminToken([unset])"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_does_not_print() {
        let token = AdminToken::new("s3cret");
        assert!(!format!("{token:?}").contains("s3cret"));
    }
}
