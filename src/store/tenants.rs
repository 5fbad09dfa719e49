//! The tenants face's records: users by e-mail, login sessions by token, and
//! each tenant theme's imported PKI. Removing a user ends its sessions in the
//! same transaction, and writing a session drops every expired one with it.

use chrono::{DateTime, Utc};

use super::StoreError;
use super::engine::{Database, RecordWrites, Records, Table, WriteTx, decode, key};
use crate::domain::tenants::{TenantId, TenantSession, TenantUser, ThemeName, ThemePki, UserEmail};

/// E-mail -> TenantUser.
pub(super) const TENANT_USERS: Table = "tenant_users";
/// Session token id -> TenantSession.
pub(super) const TENANT_SESSIONS: Table = "tenant_sessions";
/// `tenant\0theme` -> ThemePki.
pub(super) const THEME_PKI: Table = "theme_pki";

#[derive(Clone)]
pub struct TenantRecords {
    db: Database,
}

fn theme_key(tenant: &TenantId, theme: &ThemeName) -> Vec<u8> {
    key(&[tenant.as_str(), theme.as_str()])
}

impl TenantRecords {
    pub(super) fn new(db: Database) -> Self {
        TenantRecords { db }
    }

    pub fn user(&self, email: &UserEmail) -> Result<Option<TenantUser>, StoreError> {
        self.db
            .read(|tx| tx.record(TENANT_USERS, email.as_str().as_bytes()))
    }

    /// Every user, in e-mail order.
    pub fn users(&self) -> Result<Vec<TenantUser>, StoreError> {
        self.db.read(|tx| tx.records(TENANT_USERS, b""))
    }

    pub async fn put_user(&self, user: &TenantUser) -> Result<(), StoreError> {
        let user = user.clone();
        self.db
            .commit(move |tx| tx.put_record(TENANT_USERS, user.email.as_str().as_bytes(), &user))
            .await
    }

    /// Removes a user and its sessions; answers whether there was one.
    pub async fn remove_user(&self, email: &UserEmail) -> Result<bool, StoreError> {
        let email = email.clone();
        self.db
            .commit(move |tx| {
                let removed = tx.remove(TENANT_USERS, email.as_str().as_bytes())?;
                remove_sessions(tx, |session| session.email == email)?;
                Ok(removed)
            })
            .await
    }

    pub fn session(&self, token: &str) -> Result<Option<TenantSession>, StoreError> {
        self.db
            .read(|tx| tx.record(TENANT_SESSIONS, token.as_bytes()))
    }

    /// Writes a session, dropping every session expired at `now` in the same
    /// transaction, so logins do not pile up.
    pub async fn put_session(
        &self,
        session: &TenantSession,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let session = session.clone();
        self.db
            .commit(move |tx| {
                remove_sessions(tx, |old| old.expires_at <= now)?;
                tx.put_record(TENANT_SESSIONS, session.token.as_bytes(), &session)
            })
            .await
    }

    pub async fn remove_session(&self, token: &str) -> Result<(), StoreError> {
        let token = token.to_owned();
        self.db
            .commit(move |tx| tx.remove(TENANT_SESSIONS, token.as_bytes()).map(drop))
            .await
    }

    pub fn theme_pki(
        &self,
        tenant: &TenantId,
        theme: &ThemeName,
    ) -> Result<Option<ThemePki>, StoreError> {
        self.db
            .read(|tx| tx.record(THEME_PKI, &theme_key(tenant, theme)))
    }

    /// Writes a theme's PKI, replacing what it held.
    pub async fn put_theme_pki(&self, pki: &ThemePki) -> Result<(), StoreError> {
        let k = theme_key(&pki.tenant, &pki.theme);
        let pki = pki.clone();
        self.db
            .commit(move |tx| tx.put_record(THEME_PKI, &k, &pki))
            .await
    }

    /// Answers whether there was one.
    pub async fn remove_theme_pki(
        &self,
        tenant: &TenantId,
        theme: &ThemeName,
    ) -> Result<bool, StoreError> {
        let k = theme_key(tenant, theme);
        self.db.commit(move |tx| tx.remove(THEME_PKI, &k)).await
    }
}

fn remove_sessions(
    tx: &mut dyn WriteTx,
    ended: impl Fn(&TenantSession) -> bool,
) -> Result<(), StoreError> {
    let mut gone = Vec::new();
    tx.scan(
        TENANT_SESSIONS,
        b"",
        None,
        super::engine::Direction::Ascending,
        &mut |k, v| {
            if ended(&decode(k, v)?) {
                gone.push(k.to_vec());
            }
            Ok(true)
        },
    )?;
    for k in gone {
        tx.remove(TENANT_SESSIONS, &k)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tenants::PasswordHash;

    #[tokio::test]
    async fn removing_a_user_ends_its_sessions_and_a_login_drops_expired_ones() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path(), 1).unwrap();
        let records = TenantRecords::new(store.db.clone());
        let tenant = TenantId::parse("acme").unwrap();
        let at = |s: i64| DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap();
        let user = |email: &str| TenantUser {
            email: UserEmail::parse(email).unwrap(),
            tenant: tenant.clone(),
            password: PasswordHash {
                iterations: 1,
                salt: String::new(),
                hash: String::new(),
            },
        };
        let session = |token: &str, email: &str, expires| TenantSession {
            token: token.into(),
            csrf: format!("csrf-{token}"),
            tenant: tenant.clone(),
            email: UserEmail::parse(email).unwrap(),
            expires_at: at(expires),
        };
        records.put_user(&user("a@x.io")).await.unwrap();
        records.put_user(&user("b@x.io")).await.unwrap();
        records
            .put_session(&session("t1", "a@x.io", 100), at(0))
            .await
            .unwrap();
        records
            .put_session(&session("t2", "b@x.io", 100), at(0))
            .await
            .unwrap();
        records
            .put_session(&session("t3", "a@x.io", 10), at(0))
            .await
            .unwrap();

        assert!(
            records
                .remove_user(&UserEmail::parse("a@x.io").unwrap())
                .await
                .unwrap()
        );
        assert_eq!(records.session("t1").unwrap(), None);
        assert_eq!(records.session("t3").unwrap(), None);
        assert!(records.session("t2").unwrap().is_some());
        assert!(
            !records
                .remove_user(&UserEmail::parse("a@x.io").unwrap())
                .await
                .unwrap()
        );

        records
            .put_session(&session("t4", "b@x.io", 50), at(100))
            .await
            .unwrap();
        assert_eq!(records.session("t2").unwrap(), None, "expired at 100");
        assert!(records.session("t4").unwrap().is_some());
    }
}
