//! Software statements, under their organisation: a statement id is unique
//! across the whole directory (it is the client id), enforced by an owner
//! index written in the same transaction as the statement, with the hash of
//! its client secret when it has one.

use super::StoreError;
use super::access::CLIENT_SECRETS;
use super::engine::{Database, RecordWrites, Records, Table, key, prefix};
use crate::domain::{OrganisationId, SoftwareStatement, SoftwareStatementId};

/// `org\0ss` -> SoftwareStatement.
pub(super) const STATEMENTS: Table = "software_statements";
/// SoftwareStatementId -> OrganisationId, for global uniqueness and client lookup.
pub(super) const STATEMENT_OWNERS: Table = "software_statement_owners";

#[derive(Clone)]
pub struct SoftwareStatements {
    db: Database,
}

fn statement_key(org: &OrganisationId, ss: &SoftwareStatementId) -> Vec<u8> {
    key(&[org.as_str(), ss.as_str()])
}

impl SoftwareStatements {
    pub(super) fn new(db: Database) -> Self {
        SoftwareStatements { db }
    }

    pub fn get(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
    ) -> Result<Option<SoftwareStatement>, StoreError> {
        self.db
            .read(|tx| tx.record(STATEMENTS, &statement_key(org, ss)))
    }

    /// An organisation's statements, in id order.
    pub fn of(&self, org: &OrganisationId) -> Result<Vec<SoftwareStatement>, StoreError> {
        self.db
            .read(|tx| tx.records(STATEMENTS, &prefix(&[org.as_str()])))
    }

    /// The organisation a statement id belongs to.
    pub fn owner(&self, ss: &SoftwareStatementId) -> Result<Option<OrganisationId>, StoreError> {
        self.db
            .read(|tx| tx.record(STATEMENT_OWNERS, ss.as_str().as_bytes()))
    }

    /// Inserts unless the id is taken anywhere, with the SHA-256 of its
    /// client secret if it has one; answers whether it inserted.
    pub async fn insert(
        &self,
        statement: &SoftwareStatement,
        secret_sha256: Option<&str>,
    ) -> Result<bool, StoreError> {
        let k = statement_key(&statement.organisation_id, &statement.software_statement_id);
        let (statement, secret_sha256) = (statement.clone(), secret_sha256.map(str::to_owned));
        self.db
            .commit(move |tx| {
                let ss = statement.software_statement_id.as_str().as_bytes();
                if !tx.insert_new(STATEMENT_OWNERS, ss, &statement.organisation_id)? {
                    return Ok(false);
                }
                tx.put_record(STATEMENTS, &k, &statement)?;
                if let Some(sha256) = &secret_sha256 {
                    tx.put_record(CLIENT_SECRETS, ss, sha256)?;
                }
                Ok(true)
            })
            .await
    }

    /// Writes a statement over its stored record.
    pub async fn put(&self, statement: &SoftwareStatement) -> Result<(), StoreError> {
        let k = statement_key(&statement.organisation_id, &statement.software_statement_id);
        let statement = statement.clone();
        self.db
            .commit(move |tx| tx.put_record(STATEMENTS, &k, &statement))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::organisation::SoftwareStatementRequest;
    use crate::store::ClientCredentials;

    fn statement(org: &str, ss: &str) -> SoftwareStatement {
        let request = SoftwareStatementRequest {
            client_name: Some("TPP".into()),
            ..Default::default()
        };
        SoftwareStatement::from_request(request, &OrganisationId::parse(org).unwrap(), ss).unwrap()
    }

    #[tokio::test]
    async fn a_statement_id_is_taken_once_across_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path(), 1).unwrap();
        let statements = SoftwareStatements::new(store.db.clone());
        let credentials = ClientCredentials::new(store.db.clone());
        assert!(
            statements
                .insert(&statement("org-1", "ss-1"), Some("abc"))
                .await
                .unwrap()
        );
        assert!(
            !statements
                .insert(&statement("org-2", "ss-1"), Some("def"))
                .await
                .unwrap(),
            "another organisation cannot take the id"
        );
        let ss = SoftwareStatementId::parse("ss-1").unwrap();
        assert_eq!(statements.owner(&ss).unwrap().unwrap().as_str(), "org-1");
        assert_eq!(
            statements
                .get(&OrganisationId::parse("org-2").unwrap(), &ss)
                .unwrap(),
            None
        );
        assert_eq!(
            credentials.secret_sha256(&ss).unwrap().as_deref(),
            Some("abc")
        );
        assert_eq!(
            statements
                .of(&OrganisationId::parse("org-1").unwrap())
                .unwrap()
                .len(),
            1
        );
    }
}
