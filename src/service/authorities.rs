//! The directory's CA hierarchy: up to three roots (trust anchors), the
//! issuing CAs under them, and which one signs right now.

use chrono::{DateTime, Utc};

use super::ServiceError;
use super::error::{NotFound, Refused};
use crate::domain::PublicUrls;
use crate::domain::authority::{IssuingCaRecord, RootCaRecord};
use crate::pki::authority::{CaNaming, RootSubject};
use crate::pki::{IssuingAuthority, PkiError, RootAuthority};
use crate::store::Authorities;

pub struct Root {
    pub record: RootCaRecord,
    pub authority: RootAuthority,
}

pub struct Issuing {
    pub record: IssuingCaRecord,
    pub authority: IssuingAuthority,
}

/// Every root and issuing CA, loaded from the store.
pub struct Hierarchy {
    /// In creation order.
    pub roots: Vec<Root>,
    /// Every issuing CA ever made, retired ones included.
    pub issuing: Vec<Issuing>,
}

fn crypto(e: PkiError) -> ServiceError {
    ServiceError::Crypto(e)
}

impl Hierarchy {
    pub fn load(store: &Authorities) -> Result<Hierarchy, ServiceError> {
        let roots = store
            .roots()?
            .into_iter()
            .map(|record| {
                Ok(Root {
                    authority: RootAuthority::from_record(&record).map_err(crypto)?,
                    record,
                })
            })
            .collect::<Result<Vec<_>, ServiceError>>()?;
        let issuing = store
            .issuing()?
            .into_iter()
            .map(|record| {
                Ok(Issuing {
                    authority: IssuingAuthority::from_record(&record).map_err(crypto)?,
                    record,
                })
            })
            .collect::<Result<Vec<_>, ServiceError>>()?;
        let mut hierarchy = Hierarchy { roots, issuing };
        hierarchy.sort_roots();
        Ok(hierarchy)
    }

    /// Roots are kept in (creation time, id) order, the order cursors walk.
    fn sort_roots(&mut self) {
        self.roots.sort_by(|a, b| {
            (a.record.created, &a.record.id).cmp(&(b.record.created, &b.record.id))
        });
    }

    /// The issuing CA that signs now: the newest under the most recently
    /// activated active root, once valid. None: no active root can sign.
    pub fn current(&self, now: DateTime<Utc>) -> Option<&Issuing> {
        let mut active: Vec<&Root> = self.roots.iter().filter(|r| r.record.active).collect();
        active.sort_by_key(|r| std::cmp::Reverse(r.record.activated));
        active.into_iter().find_map(|root| {
            self.issuing
                .iter()
                .filter(|i| i.record.root_id == root.record.id && i.record.created <= now)
                .max_by_key(|i| i.record.created)
        })
    }

    pub fn root(&self, id: &str) -> Option<&Root> {
        self.roots.iter().find(|r| r.record.id == id)
    }

    pub fn issuing(&self, id: &str) -> Option<&Issuing> {
        self.issuing.iter().find(|i| i.record.id == id)
    }

    /// Adds a root, active, with an issuing CA under it valid from the root's
    /// start (or now): new certificates are signed under it from then on.
    pub fn add_root(
        &mut self,
        store: &Authorities,
        subject: &RootSubject,
        naming: &CaNaming,
        urls: &PublicUrls,
        built_in: bool,
        now: DateTime<Utc>,
    ) -> Result<&Root, ServiceError> {
        let id = uuid::Uuid::new_v4().to_string();
        let authority =
            RootAuthority::create(id.clone(), subject, naming.key_bits).map_err(crypto)?;
        let (certificate, key) = authority.material().map_err(crypto)?;
        let record = RootCaRecord {
            id,
            created: now,
            active: false,
            activated: None,
            built_in,
            certificate,
            key,
            crl_number: 0,
        };
        store.put_root(&record)?;
        let id = record.id.clone();
        self.roots.push(Root { record, authority });
        self.sort_roots();
        self.set_active(store, &id, true, naming, urls, now)?;
        self.root(&id)
            .ok_or_else(|| NotFound::RootVanished(id).into())
    }

    /// Activating a root makes it the signing one (an issuing CA is made
    /// under it if it has none); deactivating it hands signing to the next
    /// active root, or to nobody.
    pub fn set_active(
        &mut self,
        store: &Authorities,
        id: &str,
        active: bool,
        naming: &CaNaming,
        urls: &PublicUrls,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let index = self
            .roots
            .iter()
            .position(|r| r.record.id == id)
            .ok_or_else(|| NotFound::RootCa(id.to_owned()))?;
        if active && !self.issuing.iter().any(|i| i.record.root_id == id) {
            let root = &self.roots[index];
            let starts = root.authority.data().map_err(crypto)?.not_before.max(now);
            let issuing_id = uuid::Uuid::new_v4().to_string();
            let authority = root
                .authority
                .create_issuing(issuing_id.clone(), naming, starts, urls)
                .map_err(crypto)?;
            let (certificate, key) = authority.material().map_err(crypto)?;
            let record = IssuingCaRecord {
                id: issuing_id,
                root_id: id.to_owned(),
                created: starts,
                certificate,
                key,
                crl_number: 0,
            };
            store.put_issuing(&record)?;
            self.issuing.push(Issuing { record, authority });
        }
        let root = &mut self.roots[index];
        if root.record.active != active {
            root.record.active = active;
            root.record.activated = active.then_some(now);
            store.put_root(&root.record)?;
        }
        Ok(())
    }

    /// Removes an inactive root. Its issuing CAs stay, retired, so what they
    /// signed can still be checked against their CRLs and OCSP.
    pub fn delete_root(&mut self, store: &Authorities, id: &str) -> Result<(), ServiceError> {
        let root = self
            .root(id)
            .ok_or_else(|| NotFound::RootCa(id.to_owned()))?;
        if root.record.active {
            return Err(Refused::RootStillSigning(id.to_owned()).into());
        }
        store.remove_root(id)?;
        self.roots.retain(|r| r.record.id != id);
        Ok(())
    }

    /// Every issuing CA (the current one first), then every root: all a
    /// relying party needs to verify any certificate the directory issued.
    pub fn chain_pem(&self, now: DateTime<Utc>) -> Result<String, ServiceError> {
        let current = self.current(now).map(|i| i.record.id.clone());
        let current_root = current
            .as_deref()
            .and_then(|id| self.issuing(id))
            .map(|i| i.record.root_id.clone());
        let mut issuing: Vec<&Issuing> = self.issuing.iter().collect();
        issuing.sort_by_key(|i| {
            (
                Some(&i.record.id) != current.as_ref(),
                std::cmp::Reverse(i.record.created),
            )
        });
        let mut roots: Vec<&Root> = self.roots.iter().collect();
        roots.sort_by_key(|r| Some(&r.record.id) != current_root.as_ref());
        let mut pem = String::new();
        for cert in issuing
            .iter()
            .map(|i| i.authority.certificate())
            .chain(roots.iter().map(|r| r.authority.certificate()))
        {
            let der = cert.to_der().map_err(|e| crypto(e.into()))?;
            pem.push_str(&crate::pki::pem::armour("CERTIFICATE", &der));
        }
        Ok(pem)
    }
}
