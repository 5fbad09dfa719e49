//! The users of an organisation's authorisation domains, one record per
//! e-mail and role: stored only under an organisation that is there, each
//! change one transaction with its audit events.

use super::StoreError;
use super::engine::{Database, RecordWrites, Records, Table, key, prefix};
use super::events;
use super::organisations::ORGANISATIONS;
use super::owned::{Outcome, Put, Refused, put};
use crate::domain::OrganisationId;
use crate::domain::domain_user::DomainUser;
use crate::domain::event::NewEvent;

/// `org\0domain\0email\0role` -> DomainUser.
pub(super) const DOMAIN_USERS: Table = "authorisation_domain_users";

#[derive(Clone)]
pub struct DomainUsers {
    db: Database,
}

fn user_key(org: &OrganisationId, user: &DomainUser) -> Vec<u8> {
    key(&[
        org.as_str(),
        &user.authorisation_domain,
        &user.email,
        &user.authorisation_domain_role,
    ])
}

impl DomainUsers {
    pub(super) fn new(db: Database) -> Self {
        DomainUsers { db }
    }

    /// A domain's users, or with `email` that user's records, in key order.
    pub fn of(
        &self,
        org: &OrganisationId,
        domain: &str,
        email: Option<&str>,
    ) -> Result<Vec<DomainUser>, StoreError> {
        let under = match email {
            Some(email) => prefix(&[org.as_str(), domain, email]),
            None => prefix(&[org.as_str(), domain]),
        };
        self.db.read(|tx| tx.records(DOMAIN_USERS, &under))
    }

    /// Adds a user in a role it does not hold yet, under a stored
    /// organisation, with `audit`.
    pub async fn insert(
        &self,
        org: &OrganisationId,
        user: &DomainUser,
        audit: &[NewEvent],
    ) -> Outcome {
        let k = user_key(org, user);
        let parent = key(&[org.as_str()]);
        let (user, audit) = (user.clone(), audit.to_vec());
        self.db
            .commit_unless(move |tx| {
                put(
                    tx,
                    DOMAIN_USERS,
                    &k,
                    &user,
                    Put::New,
                    Some((ORGANISATIONS, &parent)),
                    &audit,
                )
            })
            .await
    }

    /// Changes every record of a user in the transaction that reads them,
    /// with `audit`; refused when it has none.
    pub async fn change(
        &self,
        org: &OrganisationId,
        domain: &str,
        email: &str,
        audit: &[NewEvent],
        mut change: impl FnMut(&DomainUser) -> Option<DomainUser> + Send + 'static,
    ) -> Outcome {
        let under = prefix(&[org.as_str(), domain, email]);
        let (org, audit) = (org.clone(), audit.to_vec());
        self.db
            .commit_unless(move |tx| {
                let users: Vec<DomainUser> = tx.records(DOMAIN_USERS, &under)?;
                if users.is_empty() {
                    return Ok(Err(Refused::Missing));
                }
                for user in &users {
                    let k = user_key(&org, user);
                    match change(user) {
                        Some(changed) => tx.put_record(DOMAIN_USERS, &k, &changed)?,
                        None => {
                            tx.remove(DOMAIN_USERS, &k)?;
                        }
                    }
                }
                events::append(tx, &audit)?;
                Ok(Ok(()))
            })
            .await
    }
}
