//! What the token endpoint checks a client against: the SHA-256 of each
//! statement's client secret, and every client assertion's jti until it
//! expires, so that an assertion is accepted once only; and the access
//! tokens revoked before their expiry.

use chrono::{DateTime, Utc};

use super::StoreError;
use super::engine::{Database, Direction, RecordWrites, Records, Table, decode, key};
use crate::domain::SoftwareStatementId;

/// SoftwareStatementId -> hex SHA-256 of its client secret.
pub(super) const CLIENT_SECRETS: Table = "client_secrets";
/// `client\0jti` -> when the assertion expires.
pub(super) const SEEN_JTIS: Table = "seen_jtis";
/// An access token's jti -> when it would have expired.
pub(super) const REVOKED_TOKENS: Table = "revoked_tokens";

#[derive(Clone)]
pub struct ClientCredentials {
    db: Database,
}

impl ClientCredentials {
    pub(super) fn new(db: Database) -> Self {
        ClientCredentials { db }
    }

    /// Hex SHA-256 of a statement's client secret, if it has one.
    pub fn secret_sha256(&self, ss: &SoftwareStatementId) -> Result<Option<String>, StoreError> {
        self.db
            .read(|tx| tx.record(CLIENT_SECRETS, ss.as_str().as_bytes()))
    }

    pub async fn put_secret_sha256(
        &self,
        ss: &SoftwareStatementId,
        sha256: &str,
    ) -> Result<(), StoreError> {
        let (k, sha256) = (ss.as_str().as_bytes().to_vec(), sha256.to_owned());
        self.db
            .commit(move |tx| tx.put_record(CLIENT_SECRETS, &k, &sha256))
            .await
    }

    /// Records a client assertion's jti until `expires`; false if the client
    /// used it before.
    pub async fn remember_jti(
        &self,
        client: &SoftwareStatementId,
        jti: &str,
        expires: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let k = key(&[client.as_str(), jti]);
        self.db
            .commit(move |tx| tx.insert_new(SEEN_JTIS, &k, &expires))
            .await
    }

    /// Revokes the access token `jti`, which would expire at `expires`, on
    /// disk before it returns. The write drops every revocation of a token
    /// expired by `now`: such a token is refused for its expiry anyway.
    pub async fn revoke_token(
        &self,
        jti: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let jti = jti.to_owned();
        self.db
            .commit(move |tx| {
                let mut expired = Vec::new();
                tx.each_with_prefix(REVOKED_TOKENS, b"", Direction::Ascending, &mut |k, v| {
                    let until: DateTime<Utc> = decode(k, v)?;
                    if until <= now {
                        expired.push(k.to_vec());
                    }
                    Ok(true)
                })?;
                for k in expired {
                    tx.remove(REVOKED_TOKENS, &k)?;
                }
                tx.put_record(REVOKED_TOKENS, jti.as_bytes(), &expires)
            })
            .await
    }

    pub fn is_token_revoked(&self, jti: &str) -> Result<bool, StoreError> {
        let expires: Option<DateTime<Utc>> = self
            .db
            .read(|tx| tx.record(REVOKED_TOKENS, jti.as_bytes()))?;
        Ok(expires.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_jti_is_accepted_once_per_client() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path(), 1).unwrap();
        let credentials = ClientCredentials::new(store.db.clone());
        let a = SoftwareStatementId::parse("ss-a").unwrap();
        let b = SoftwareStatementId::parse("ss-b").unwrap();
        let exp = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        assert!(credentials.remember_jti(&a, "j1", exp).await.unwrap());
        assert!(!credentials.remember_jti(&a, "j1", exp).await.unwrap());
        assert!(credentials.remember_jti(&b, "j1", exp).await.unwrap());
        assert_eq!(credentials.secret_sha256(&a).unwrap(), None);
        credentials.put_secret_sha256(&a, "abc").await.unwrap();
        assert_eq!(
            credentials.secret_sha256(&a).unwrap().as_deref(),
            Some("abc")
        );
    }

    #[tokio::test]
    async fn a_revocation_is_kept_until_its_token_would_have_expired() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path(), 1).unwrap();
        let credentials = ClientCredentials::new(store.db.clone());
        let at = |s: i64| DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap();
        credentials
            .revoke_token("t1", at(100), at(0))
            .await
            .unwrap();
        credentials
            .revoke_token("t2", at(300), at(50))
            .await
            .unwrap();
        assert!(credentials.is_token_revoked("t1").unwrap());
        // t1 has expired by 200: its record goes with the next revocation.
        credentials
            .revoke_token("t3", at(400), at(200))
            .await
            .unwrap();
        assert!(!credentials.is_token_revoked("t1").unwrap());
        assert!(credentials.is_token_revoked("t2").unwrap());
        assert!(credentials.is_token_revoked("t3").unwrap());
    }
}
