//! The ecosystem's root CA certificates (seed 001): create (three at most),
//! list, read, activate or deactivate, delete, and their CRLs.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};

use super::authorities::Root;
use super::certificate_authority::CertificateAuthority;
use super::error::{Conflict, NotFound};
use super::{ServiceError, ensure_admin};
use crate::domain::ecosystem::{MAX_ROOTS, RootRequest, parse_ca_id};
use crate::domain::page::parse_limit;
use crate::domain::{Caller, DomainError};
use crate::pki::authority::{CertificateData, RootSubject};

/// A root CA certificate as the API shows it.
#[derive(Debug, Clone)]
pub struct RootCa {
    pub id: String,
    pub active: bool,
    /// Made by the directory at first start, not by a tenant.
    pub built_in: bool,
    pub created: DateTime<Utc>,
    pub data: CertificateData,
}

fn view(root: &Root) -> Result<RootCa, ServiceError> {
    Ok(RootCa {
        id: root.record.id.clone(),
        active: root.record.active,
        built_in: root.record.built_in,
        created: root.record.created,
        data: root.authority.data().map_err(ServiceError::Crypto)?,
    })
}

const ROLES: &str = "managing root CA certificates (role admin or dts-provider)";

fn parse_id(id: &str) -> Result<String, ServiceError> {
    Ok(parse_ca_id("dtsCaCertificateId", id)?)
}

/// Creates an active root, with an issuing CA under it that signs from its
/// notBefore on.
pub async fn create_root(
    ca: &CertificateAuthority,
    caller: &Caller,
    request: RootRequest,
) -> Result<RootCa, ServiceError> {
    ensure_admin(caller, ROLES)?;
    let now = ca.clock.now();
    let host = ca.urls.host();
    let new = request.check(now, &format!("{host} DTS CA"), &ca.ca_naming.country)?;
    let created = {
        let mut hierarchy = ca.hierarchy_mut();
        // The directory's own root is not one of the tenant's.
        let tenant_roots = hierarchy.roots.iter().filter(|r| !r.record.built_in);
        if tenant_roots.count() >= MAX_ROOTS {
            return Err(Conflict::TooManyRoots.into());
        }
        let subject = RootSubject {
            common_name: new.common_name,
            organisation: new.organisation,
            country: new.country,
            not_before: new.not_before,
            not_after: new.not_after,
        };
        view(hierarchy.add_root(
            &ca.authorities,
            &subject,
            &ca.ca_naming,
            &ca.urls,
            false,
            now,
        )?)?
    };
    ca.recertify_signer()?;
    Ok(created)
}

/// A page of roots in creation order; the cursor names the last one shown
/// by its creation time and id, so inserts and deletes between pages do not
/// shift what comes next.
pub fn list_roots(
    ca: &CertificateAuthority,
    caller: &Caller,
    limit: Option<&str>,
    cursor: Option<&str>,
) -> Result<(Vec<RootCa>, Option<String>), ServiceError> {
    ensure_admin(caller, ROLES)?;
    let limit = parse_limit(limit)?;
    let after = cursor.map(decode_cursor).transpose()?;
    let hierarchy = ca.hierarchy();
    let mut rest = hierarchy.roots.iter().filter(|r| {
        after
            .as_ref()
            .is_none_or(|(at, id)| (r.record.created, &r.record.id) > (*at, id))
    });
    let page = rest
        .by_ref()
        .take(limit)
        .map(view)
        .collect::<Result<Vec<_>, _>>()?;
    let next = match (rest.next(), page.last()) {
        (Some(_), Some(last)) => Some(encode_cursor(last.created, &last.id)),
        _ => None,
    };
    Ok((page, next))
}

fn encode_cursor(created: DateTime<Utc>, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!(
        "createdAt={}&id={id}",
        created.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
    ))
}

fn decode_cursor(cursor: &str) -> Result<(DateTime<Utc>, String), ServiceError> {
    let invalid = || -> ServiceError {
        DomainError::field(
            "cursor",
            format!("'{cursor}' is not a cursor this API gave out"),
        )
        .into()
    };
    let text = URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(invalid)?;
    let (created, id) = text
        .strip_prefix("createdAt=")
        .and_then(|rest| rest.split_once("&id="))
        .ok_or_else(invalid)?;
    let created = DateTime::parse_from_rfc3339(created)
        .map_err(|_| invalid())?
        .to_utc();
    Ok((created, id.to_owned()))
}

pub fn get_root(
    ca: &CertificateAuthority,
    caller: &Caller,
    id: &str,
) -> Result<RootCa, ServiceError> {
    ensure_admin(caller, ROLES)?;
    let id = parse_id(id)?;
    let hierarchy = ca.hierarchy();
    view(hierarchy.root(&id).ok_or_else(|| not_found(&id))?)
}

fn not_found(id: &str) -> ServiceError {
    NotFound::DtsRootCa(id.to_string()).into()
}

/// Activating makes the root the signing one; deactivating hands signing to
/// the next active root, or leaves none (uploads then answer 503).
pub async fn set_root_active(
    ca: &CertificateAuthority,
    caller: &Caller,
    id: &str,
    active: bool,
) -> Result<RootCa, ServiceError> {
    ensure_admin(caller, ROLES)?;
    let id = parse_id(id)?;
    let updated = {
        let mut hierarchy = ca.hierarchy_mut();
        hierarchy.set_active(
            &ca.authorities,
            &id,
            active,
            &ca.ca_naming,
            &ca.urls,
            ca.clock.now(),
        )?;
        view(hierarchy.root(&id).ok_or_else(|| not_found(&id))?)?
    };
    ca.recertify_signer()?;
    Ok(updated)
}

pub async fn delete_root(
    ca: &CertificateAuthority,
    caller: &Caller,
    id: &str,
) -> Result<(), ServiceError> {
    ensure_admin(caller, ROLES)?;
    let id = parse_id(id)?;
    ca.hierarchy_mut().delete_root(&ca.authorities, &id)?;
    ca.recertify_signer()?;
    Ok(())
}

/// The root's CRL as PEM (the API answers it as a JSON string).
pub async fn root_crl_pem(ca: &CertificateAuthority, id: &str) -> Result<String, ServiceError> {
    let id = parse_id(id)?;
    let der = super::revocation::root_crl(ca, &id).await?;
    Ok(crate::pki::pem::armour("X509 CRL", &der))
}

/// Every root, for relying parties: no authentication.
pub fn public_roots(ca: &CertificateAuthority) -> Result<Vec<RootCa>, ServiceError> {
    ca.hierarchy().roots.iter().map(view).collect()
}

/// The root that signs now (the deprecated VICAL "latest" route).
pub fn latest_root(ca: &CertificateAuthority) -> Result<RootCa, ServiceError> {
    let hierarchy = ca.hierarchy();
    let now = ca.clock.now();
    let current = hierarchy
        .current(now)
        .and_then(|i| hierarchy.root(&i.record.root_id))
        .ok_or(NotFound::ActiveDtsRootCa)?;
    view(current)
}
