//! What the web console shows: organisations, statements, their
//! certificates and keys, the CA hierarchy and the audit log. Read only:
//! nothing here writes, and nothing here holds a private key or a secret.

use chrono::{DateTime, Utc};

use super::directory::Directory;
use super::ecosystem::{self, RootCa};
use super::events::AuditLog;
use super::organisations::{self, find_organisation};
use super::{ServiceError, certificates, statement_roles};
use crate::domain::authorisation_server::PublishedServer;
use crate::domain::authority_claim::AuthorityClaim;
use crate::domain::event::AuditEvent;
use crate::domain::{
    Caller, CertificateOrKey, KeySet, KeyUse, Organisation, OrganisationId, SoftwareStatement,
    SoftwareStatementId,
};

/// The console reads through the directory API's own use cases, seeing every
/// organisation as the admin does. The records they answer hold no secret
/// (client secrets and CA keys are kept apart and never read here).
const READER: Caller = Caller::Admin;

/// Where a record stands now, as a relying party would see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Active,
    Revoked,
    /// Past its expiry, never revoked: in the inactive documents all the same.
    Expired,
}

impl Standing {
    pub fn of(record: &CertificateOrKey, now: DateTime<Utc>) -> Self {
        if record.is_revoked() {
            Standing::Revoked
        } else if record.is_active_at(now) {
            Standing::Active
        } else {
            Standing::Expired
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Active => "Active",
            Standing::Revoked => "Revoked",
            Standing::Expired => "Expired",
        }
    }
}

/// A certificate or key with where it stands.
#[derive(Debug, Clone)]
pub struct Held {
    pub record: CertificateOrKey,
    pub standing: Standing,
}

/// A keystore document that publishes an owner's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub keys: KeySet,
    pub inactive: bool,
    pub url: String,
}

pub struct OrganisationView {
    pub organisation: Organisation,
    pub statements: Vec<SoftwareStatement>,
    /// The organisation's own certificates, oldest first.
    pub certificates: Vec<Held>,
    pub documents: Vec<Published>,
}

pub struct StatementView {
    pub organisation: Organisation,
    pub statement: SoftwareStatement,
    /// Oldest first.
    pub certificates: Vec<Held>,
    pub documents: Vec<Published>,
}

/// An organisation as the ecosystem sees it: what it is licensed for, the
/// statements it runs and the authorisation servers it publishes.
pub struct ParticipantView {
    pub organisation: Organisation,
    /// Its authority claims (roles), in id order.
    pub claims: Vec<AuthorityClaim>,
    pub statements: Vec<SoftwareStatement>,
    pub servers: Vec<PublishedServer>,
}

/// Every organisation, in id order, with its claims, statements and servers.
pub fn participants(directory: &Directory) -> Result<Vec<ParticipantView>, ServiceError> {
    let mut servers = directory
        .authorisation_servers
        .published_by_organisation()?;
    let mut claims = directory.authority_claims.by_organisation()?;
    directory
        .participants
        .organisations
        .all()?
        .into_iter()
        .map(|organisation| {
            let org = &organisation.organisation_id;
            let statements = directory.participants.statements.of(org)?;
            Ok(ParticipantView {
                claims: claims.remove(org).unwrap_or_default().role_claims,
                servers: servers.remove(org).unwrap_or_default(),
                statements,
                organisation,
            })
        })
        .collect()
}

pub fn organisation(
    directory: &Directory,
    org: &OrganisationId,
) -> Result<OrganisationView, ServiceError> {
    let organisation =
        organisations::organisation(&directory.participants, &READER, org)?.org_details;
    let statements = statement_roles::statements(directory, &READER, org)?;
    let certificates = held(
        directory,
        certificates::list(directory, &READER, org, None, None)?,
    );
    let documents = documents(directory, org, None);
    Ok(OrganisationView {
        organisation,
        statements,
        certificates,
        documents,
    })
}

pub fn software_statement(
    directory: &Directory,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
) -> Result<StatementView, ServiceError> {
    let organisation = find_organisation(&directory.participants, org)?;
    let statement = statement_roles::statement(directory, &READER, org, ss)?;
    let certificates = held(
        directory,
        certificates::list(directory, &READER, org, Some(ss), None)?,
    );
    Ok(StatementView {
        organisation,
        statement,
        certificates,
        documents: documents(directory, org, Some(ss)),
    })
}

fn held(directory: &Directory, records: Vec<CertificateOrKey>) -> Vec<Held> {
    let now = directory.clock.now();
    records
        .into_iter()
        .map(|record| Held {
            standing: Standing::of(&record, now),
            record,
        })
        .collect()
}

/// The documents the keystore publishes an organisation's or a statement's
/// records in, in the configured flavour's layout: active ones first.
fn documents(
    directory: &Directory,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
) -> Vec<Published> {
    let urls = directory.urls();
    let mut documents: Vec<Published> = Vec::new();
    for inactive in [false, true] {
        for key_use in [KeyUse::Sig, KeyUse::Tls] {
            let doc = urls.document_for(org, ss, key_use, inactive);
            let published = Published {
                keys: doc.keys,
                inactive,
                url: urls.document(&doc),
            };
            if !documents.contains(&published) {
                documents.push(published);
            }
        }
    }
    documents
}

/// The most recent `limit` events, newest first, and how many there are.
pub fn recent_events(
    audit_log: &AuditLog,
    limit: usize,
) -> Result<(Vec<AuditEvent>, usize), ServiceError> {
    let events = audit_log.all()?;
    let total = events.len();
    Ok((events.into_iter().rev().take(limit).collect(), total))
}

/// What an issuing CA does now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuingRole {
    /// It signs new certificates.
    Signing,
    /// Its root is active but another root's issuing CA signs.
    Standby,
    /// Valid from a time still to come (its root's notBefore).
    Pending,
    /// Its root is inactive or deleted; it answers for what it issued.
    Retired,
}

impl IssuingRole {
    pub fn as_str(self) -> &'static str {
        match self {
            IssuingRole::Signing => "Signing",
            IssuingRole::Standby => "Standby",
            IssuingRole::Pending => "Pending",
            IssuingRole::Retired => "Retired",
        }
    }
}

pub struct IssuingCaView {
    pub id: String,
    pub root_id: String,
    pub role: IssuingRole,
    pub subject: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

pub struct Authorities {
    /// In creation order.
    pub roots: Vec<RootCa>,
    /// The root whose issuing CA signs now, if any.
    pub signing_root: Option<String>,
    /// Newest first.
    pub issuing: Vec<IssuingCaView>,
}

pub fn authorities(directory: &Directory) -> Result<Authorities, ServiceError> {
    let roots = ecosystem::public_roots(&directory.authority)?;
    let now = directory.clock.now();
    let hierarchy = directory.authority.hierarchy();
    let current = hierarchy.current(now).map(|i| i.record.id.clone());
    let mut issuing = hierarchy
        .issuing
        .iter()
        .map(|i| {
            let root_active = hierarchy
                .root(&i.record.root_id)
                .is_some_and(|r| r.record.active);
            let role = if Some(&i.record.id) == current.as_ref() {
                IssuingRole::Signing
            } else if !root_active {
                IssuingRole::Retired
            } else if i.record.created > now {
                IssuingRole::Pending
            } else {
                IssuingRole::Standby
            };
            let certificate = i.authority.data()?;
            Ok(IssuingCaView {
                id: i.record.id.clone(),
                root_id: i.record.root_id.clone(),
                role,
                subject: certificate.subject,
                not_before: certificate.not_before,
                not_after: certificate.not_after,
            })
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    issuing.sort_by_key(|i| std::cmp::Reverse(i.not_before));
    let signing_root = current
        .as_deref()
        .and_then(|id| hierarchy.issuing(id))
        .map(|i| i.record.root_id.clone());
    Ok(Authorities {
        roots,
        signing_root,
        issuing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CertOrKeyType, Kid, PublicJwk, RecordStatus, RevokeReason};

    fn at(day: u32) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(&format!("2026-01-{day:02}T00:00:00Z"))
            .unwrap()
            .to_utc()
    }

    fn record(expiry: Option<DateTime<Utc>>, revoked: bool) -> CertificateOrKey {
        CertificateOrKey {
            organisation_id: OrganisationId::parse("org").unwrap(),
            software_statement_id: None,
            client_name: "c".into(),
            key_type: CertOrKeyType::Rtsseal,
            status: if revoked {
                RecordStatus::Revoked
            } else {
                RecordStatus::Active
            },
            valid_from: at(1),
            expiry,
            revoked_at: revoked.then(|| at(2)),
            revoke_reason: revoked.then_some(RevokeReason::Superseded),
            issuer_id: None,
            kid: Kid::parse("k").unwrap(),
            jwk: PublicJwk::Rsa {
                n: "n".into(),
                e: "AQAB".into(),
            },
            x5c: Vec::new(),
            x5t: None,
            x5t_s256: None,
            serial: None,
            spki_sha256: String::new(),
        }
    }

    #[test]
    fn a_revocation_outranks_an_expiry_and_bare_keys_never_expire() {
        let now = at(10);
        assert_eq!(
            Standing::of(&record(Some(at(20)), false), now),
            Standing::Active
        );
        assert_eq!(
            Standing::of(&record(Some(at(5)), false), now),
            Standing::Expired
        );
        assert_eq!(
            Standing::of(&record(Some(at(5)), true), now),
            Standing::Revoked
        );
        assert_eq!(Standing::of(&record(None, false), now), Standing::Active);
    }
}
