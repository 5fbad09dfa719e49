//! An organisation's authority claims (with their authorisations inside
//! them), its domain claims, and its software statements' claims on them.
//! Nothing is stored under an organisation or statement that is not there,
//! and a statement claims only a role its organisation holds by an active
//! claim, checked in the transaction that writes it. Every change is one
//! transaction with its audit events, and renders the participants
//! document again.

use std::collections::BTreeMap;

use super::engine::{Database, Records, Table, WriteTx, key, prefix};
use super::organisations::ORGANISATIONS;
use super::owned::{Outcome, Parent, Put, Refused, put, remove};
use super::statements::STATEMENTS;
use super::{ParticipantsVersion, StoreError};
use crate::domain::authority_claim::{
    AuthorityClaim, DomainClaim, OrganisationClaims, SoftwareClaim,
};
use crate::domain::event::NewEvent;
use crate::domain::{
    AuthorityClaimId, DomainClaimId, OrganisationId, SoftwareClaimId, SoftwareStatementId,
};

/// `org\0claim` -> AuthorityClaim.
pub(super) const AUTHORITY_CLAIMS: Table = "organisation_authority_claims";
/// `org\0claim` -> DomainClaim.
pub(super) const DOMAIN_CLAIMS: Table = "organisation_authority_domain_claims";
/// `org\0ss\0claim` -> SoftwareClaim.
pub(super) const SOFTWARE_CLAIMS: Table = "software_authority_claims";

/// Why a statement's claim was not written.
#[derive(Debug, PartialEq)]
pub enum StatementClaimRefused {
    Refused(Refused),
    /// The organisation holds the role by no active claim.
    RoleNotHeld,
}

#[derive(Clone)]
pub struct AuthorityClaims {
    db: Database,
    participants_version: ParticipantsVersion,
}

fn org_key(org: &OrganisationId) -> Vec<u8> {
    key(&[org.as_str()])
}

fn claim_key(org: &OrganisationId, id: &AuthorityClaimId) -> Vec<u8> {
    key(&[org.as_str(), id.as_str()])
}

fn domain_claim_key(org: &OrganisationId, id: &DomainClaimId) -> Vec<u8> {
    key(&[org.as_str(), id.as_str()])
}

fn statement_key(org: &OrganisationId, ss: &SoftwareStatementId) -> Vec<u8> {
    key(&[org.as_str(), ss.as_str()])
}

fn statement_claim_key(
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    id: &SoftwareClaimId,
) -> Vec<u8> {
    key(&[org.as_str(), ss.as_str(), id.as_str()])
}

impl AuthorityClaims {
    pub(super) fn new(db: Database, participants_version: ParticipantsVersion) -> Self {
        AuthorityClaims {
            db,
            participants_version,
        }
    }

    /// Runs one write; whatever it did, the participants document is
    /// rendered again.
    async fn change<R: Send + 'static>(
        &self,
        change: impl FnMut(&mut dyn WriteTx) -> Result<Result<(), R>, StoreError> + Send + 'static,
    ) -> Result<Result<(), R>, StoreError> {
        let outcome = self.db.commit_unless(change).await;
        self.participants_version.bump();
        outcome
    }

    /// Every organisation's domain and role claims, read together.
    pub fn by_organisation(
        &self,
    ) -> Result<BTreeMap<OrganisationId, OrganisationClaims>, StoreError> {
        self.db.read(|tx| {
            let mut by_organisation: BTreeMap<OrganisationId, OrganisationClaims> = BTreeMap::new();
            let roles: Vec<AuthorityClaim> = tx.records(AUTHORITY_CLAIMS, b"")?;
            for claim in roles {
                by_organisation
                    .entry(claim.organisation_id.clone())
                    .or_default()
                    .role_claims
                    .push(claim);
            }
            // A domain claim does not name its organisation; its key does.
            for k in tx.keys(DOMAIN_CLAIMS, b"")? {
                let owner = k.split(|b| *b == 0).next().unwrap_or_default();
                let org = OrganisationId::parse(&String::from_utf8_lossy(owner));
                if let (Ok(org), Some(claim)) = (org, tx.record(DOMAIN_CLAIMS, &k)?) {
                    by_organisation
                        .entry(org)
                        .or_default()
                        .domain_claims
                        .push(claim);
                }
            }
            Ok(by_organisation)
        })
    }

    // An organisation's authority claims.

    /// An organisation's authority claims, in id order.
    pub fn claims_of(&self, org: &OrganisationId) -> Result<Vec<AuthorityClaim>, StoreError> {
        self.db
            .read(|tx| tx.records(AUTHORITY_CLAIMS, &prefix(&[org.as_str()])))
    }

    pub fn claim(
        &self,
        org: &OrganisationId,
        id: &AuthorityClaimId,
    ) -> Result<Option<AuthorityClaim>, StoreError> {
        self.db
            .read(|tx| tx.record(AUTHORITY_CLAIMS, &claim_key(org, id)))
    }

    /// Adds a claim (`Put::New`) or replaces a stored one, under a stored
    /// organisation, with `audit`.
    pub async fn write_claim(
        &self,
        claim: &AuthorityClaim,
        how: Put,
        audit: &[NewEvent],
    ) -> Outcome {
        let org = &claim.organisation_id;
        let k = claim_key(org, &claim.organisation_authority_claim_id);
        let parent = org_key(org);
        let (claim, audit) = (claim.clone(), audit.to_vec());
        self.change(move |tx| {
            let parent: Parent<'_> = Some((ORGANISATIONS, &parent));
            put(tx, AUTHORITY_CLAIMS, &k, &claim, how, parent, &audit)
        })
        .await
    }

    /// Changes a stored claim (its authorisations) in the transaction that
    /// reads it, with `audit`; `change` may refuse.
    pub async fn change_claim(
        &self,
        org: &OrganisationId,
        id: &AuthorityClaimId,
        audit: &[NewEvent],
        mut change: impl FnMut(&mut AuthorityClaim) -> Result<(), Refused> + Send + 'static,
    ) -> Outcome {
        let k = claim_key(org, id);
        let audit = audit.to_vec();
        self.change(move |tx| {
            let Some(mut claim) = tx.record::<AuthorityClaim>(AUTHORITY_CLAIMS, &k)? else {
                return Ok(Err(Refused::Missing));
            };
            if let Err(refused) = change(&mut claim) {
                return Ok(Err(refused));
            }
            put(
                tx,
                AUTHORITY_CLAIMS,
                &k,
                &claim,
                Put::Replacing,
                None,
                &audit,
            )
        })
        .await
    }

    pub async fn remove_claim(
        &self,
        org: &OrganisationId,
        id: &AuthorityClaimId,
        audit: &[NewEvent],
    ) -> Outcome {
        let k = claim_key(org, id);
        let audit = audit.to_vec();
        self.change(move |tx| remove(tx, AUTHORITY_CLAIMS, &k, &audit))
            .await
    }

    // An organisation's domain claims.

    pub fn domain_claims_of(&self, org: &OrganisationId) -> Result<Vec<DomainClaim>, StoreError> {
        self.db
            .read(|tx| tx.records(DOMAIN_CLAIMS, &prefix(&[org.as_str()])))
    }

    pub fn domain_claim(
        &self,
        org: &OrganisationId,
        id: &DomainClaimId,
    ) -> Result<Option<DomainClaim>, StoreError> {
        self.db
            .read(|tx| tx.record(DOMAIN_CLAIMS, &domain_claim_key(org, id)))
    }

    pub async fn write_domain_claim(
        &self,
        org: &OrganisationId,
        claim: &DomainClaim,
        how: Put,
        audit: &[NewEvent],
    ) -> Outcome {
        let k = domain_claim_key(org, &claim.organisation_authority_domain_claim_id);
        let parent = org_key(org);
        let (claim, audit) = (claim.clone(), audit.to_vec());
        self.change(move |tx| {
            let parent: Parent<'_> = Some((ORGANISATIONS, &parent));
            put(tx, DOMAIN_CLAIMS, &k, &claim, how, parent, &audit)
        })
        .await
    }

    pub async fn remove_domain_claim(
        &self,
        org: &OrganisationId,
        id: &DomainClaimId,
        audit: &[NewEvent],
    ) -> Outcome {
        let k = domain_claim_key(org, id);
        let audit = audit.to_vec();
        self.change(move |tx| remove(tx, DOMAIN_CLAIMS, &k, &audit))
            .await
    }

    // A software statement's claims.

    pub fn statement_claims(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
    ) -> Result<Vec<SoftwareClaim>, StoreError> {
        self.db
            .read(|tx| tx.records(SOFTWARE_CLAIMS, &prefix(&[org.as_str(), ss.as_str()])))
    }

    pub fn statement_claim(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
        id: &SoftwareClaimId,
    ) -> Result<Option<SoftwareClaim>, StoreError> {
        self.db
            .read(|tx| tx.record(SOFTWARE_CLAIMS, &statement_claim_key(org, ss, id)))
    }

    /// Adds a statement's claim (`Put::New`) or replaces a stored one, under
    /// a stored statement, with `audit`. A new or active claim needs an
    /// active claim of the organisation on its role, read in the same
    /// transaction.
    pub async fn write_statement_claim(
        &self,
        org: &OrganisationId,
        claim: &SoftwareClaim,
        how: Put,
        audit: &[NewEvent],
    ) -> Result<Result<(), StatementClaimRefused>, StoreError> {
        let ss = &claim.software_statement_id;
        let k = statement_claim_key(org, ss, &claim.software_authority_claim_id);
        let parent = statement_key(org, ss);
        let held_prefix = prefix(&[org.as_str()]);
        let (claim, audit) = (claim.clone(), audit.to_vec());
        self.change(move |tx| {
            if how == Put::New || claim.is_active() {
                let held: Vec<AuthorityClaim> = tx.records(AUTHORITY_CLAIMS, &held_prefix)?;
                if !held.iter().any(|h| claim.is_held_by(h)) {
                    return Ok(Err(StatementClaimRefused::RoleNotHeld));
                }
            }
            let parent: Parent<'_> = Some((STATEMENTS, &parent));
            Ok(put(tx, SOFTWARE_CLAIMS, &k, &claim, how, parent, &audit)?
                .map_err(StatementClaimRefused::Refused))
        })
        .await
    }

    pub async fn remove_statement_claim(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
        id: &SoftwareClaimId,
        audit: &[NewEvent],
    ) -> Outcome {
        let k = statement_claim_key(org, ss, id);
        let audit = audit.to_vec();
        self.change(move |tx| remove(tx, SOFTWARE_CLAIMS, &k, &audit))
            .await
    }

    /// The statement's claims in force, with the organisation claims that
    /// hold them, read together: an active statement claim whose role the
    /// organisation holds by an active claim. What an SSA asserts.
    pub fn in_force(
        &self,
        org: &OrganisationId,
        ss: &SoftwareStatementId,
    ) -> Result<(Vec<SoftwareClaim>, Vec<AuthorityClaim>), StoreError> {
        self.db.read(|tx| {
            let held: Vec<AuthorityClaim> =
                tx.records(AUTHORITY_CLAIMS, &prefix(&[org.as_str()]))?;
            let claimed: Vec<SoftwareClaim> =
                tx.records(SOFTWARE_CLAIMS, &prefix(&[org.as_str(), ss.as_str()]))?;
            let in_force = claimed
                .into_iter()
                .filter(|c| c.is_active() && held.iter().any(|h| c.is_held_by(h)))
                .collect();
            Ok((in_force, held))
        })
    }
}
