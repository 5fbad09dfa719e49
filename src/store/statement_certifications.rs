//! The conformance certifications a software statement holds: stored only
//! under a statement that is there, each change one transaction with its
//! audit events.

use super::StoreError;
use super::engine::{Database, Records, Table, key, prefix};
use super::owned::{Outcome, Put, put, remove};
use super::statements::STATEMENTS;
use crate::domain::event::NewEvent;
use crate::domain::{
    OrganisationId, SoftwareStatementId, StatementCertification, StatementCertificationId,
};

/// `org\0ss\0certification` -> StatementCertification.
pub(super) const STATEMENT_CERTIFICATIONS: Table = "software_statement_certifications";

#[derive(Clone)]
pub struct StatementCertifications {
    db: Database,
}

fn certification_key(
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    id: &StatementCertificationId,
) -> Vec<u8> {
    key(&[org.as_str(), ss.as_str(), id.as_str()])
}

impl StatementCertifications {
    pub(super) fn new(db: Database) -> Self {
        StatementCertifications { db }
    }

    /// A statement's certifications, in id order.
    pub fn of(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
    ) -> Result<Vec<StatementCertification>, StoreError> {
        self.db.read(|tx| {
            tx.records(
                STATEMENT_CERTIFICATIONS,
                &prefix(&[org.as_str(), ss.as_str()]),
            )
        })
    }

    pub fn get(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
        id: &StatementCertificationId,
    ) -> Result<Option<StatementCertification>, StoreError> {
        self.db
            .read(|tx| tx.record(STATEMENT_CERTIFICATIONS, &certification_key(org, ss, id)))
    }

    /// Adds a certification (`Put::New`) or replaces a stored one, under a
    /// stored statement, with `audit`.
    pub async fn write(
        &self,
        org: &OrganisationId,
        certification: &StatementCertification,
        how: Put,
        audit: &[NewEvent],
    ) -> Outcome {
        let ss = &certification.software_statement_id;
        let k = certification_key(org, ss, &certification.certification_id);
        let parent = key(&[org.as_str(), ss.as_str()]);
        let (certification, audit) = (certification.clone(), audit.to_vec());
        self.db
            .commit_unless(move |tx| {
                let parent = Some((STATEMENTS, parent.as_slice()));
                put(
                    tx,
                    STATEMENT_CERTIFICATIONS,
                    &k,
                    &certification,
                    how,
                    parent,
                    &audit,
                )
            })
            .await
    }

    pub async fn remove(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
        id: &StatementCertificationId,
        audit: &[NewEvent],
    ) -> Outcome {
        let k = certification_key(org, ss, id);
        let audit = audit.to_vec();
        self.db
            .commit_unless(move |tx| remove(tx, STATEMENT_CERTIFICATIONS, &k, &audit))
            .await
    }
}
