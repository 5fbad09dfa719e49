//! Revocation status of what the directory's CAs issued: CRLs and OCSP.

use chrono::{DateTime, Duration, Utc};

use super::{Core, ServiceError};
use crate::domain::authority::IssuedSerial;
use crate::pki::revocation::{self, Revoked, Status};

/// A signed CRL kept until revocations change or half its life has passed.
pub struct CachedCrl {
    der: Vec<u8>,
    revoked: Vec<Revoked>,
    this_update: DateTime<Utc>,
}

fn revoked_entry(serial_hex: String, entry: &IssuedSerial) -> Option<Revoked> {
    Some(Revoked {
        serial_hex,
        at: entry.revoked_at?,
        reason: entry.revoke_reason.map_or(0, |r| r.crl_reason_code()),
    })
}

/// The current CRL of an issuing CA, DER. A new CRL (with the next CRL
/// number) is signed when a revocation changed it or the last one is half
/// way to its nextUpdate.
pub async fn issuing_crl(core: &Core, issuing_id: &str) -> Result<Vec<u8>, ServiceError> {
    let now = core.clock.now();
    let life = Duration::hours(core.revocation_hours);
    let mut revoked: Vec<Revoked> = core
        .store
        .issued_serials(issuing_id)?
        .into_iter()
        .filter_map(|(serial, entry)| revoked_entry(serial, &entry))
        .collect();
    revoked.sort_by(|a, b| a.serial_hex.cmp(&b.serial_hex));
    {
        let cache = core.crl_cache.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = cache
            .get(issuing_id)
            .filter(|c| c.revoked == revoked && now < c.this_update + life / 2);
        if let Some(cached) = fresh {
            return Ok(cached.der.clone());
        }
    }
    let der = {
        let mut hierarchy = core.hierarchy_mut();
        let issuing = hierarchy
            .issuing
            .iter_mut()
            .find(|i| i.record.id == issuing_id)
            .ok_or_else(|| {
                ServiceError::NotFound(format!("no CA '{issuing_id}' publishes a CRL here"))
            })?;
        issuing.record.crl_number += 1;
        core.store.put_issuing_ca(&issuing.record)?;
        issuing
            .authority
            .crl(&revoked, issuing.record.crl_number, now, now + life)
            .map_err(ServiceError::Crypto)?
    };
    core.store.flush().await?;
    let cached = CachedCrl {
        der: der.clone(),
        revoked,
        this_update: now,
    };
    core.crl_cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(issuing_id.to_owned(), cached);
    Ok(der)
}

/// A root's CRL, DER. Roots revoke nothing, so one is signed (with the next
/// CRL number) only when the last is half way to its nextUpdate.
pub async fn root_crl(core: &Core, root_id: &str) -> Result<Vec<u8>, ServiceError> {
    let now = core.clock.now();
    let life = Duration::hours(core.revocation_hours);
    let cache_key = format!("root:{root_id}");
    {
        let cache = core.crl_cache.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = cache
            .get(&cache_key)
            .filter(|c| now < c.this_update + life / 2);
        if let Some(cached) = fresh
            && core.hierarchy().root(root_id).is_some()
        {
            return Ok(cached.der.clone());
        }
    }
    let der = {
        let mut hierarchy = core.hierarchy_mut();
        let root = hierarchy
            .roots
            .iter_mut()
            .find(|r| r.record.id == root_id)
            .ok_or_else(|| {
                ServiceError::NotFound(format!("root CA certificate '{root_id}' does not exist"))
            })?;
        root.record.crl_number += 1;
        core.store.put_root_ca(&root.record)?;
        root.authority
            .crl(
                root.record.crl_number,
                now,
                now + Duration::hours(core.revocation_hours),
            )
            .map_err(ServiceError::Crypto)?
    };
    core.store.flush().await?;
    Ok(der)
}

/// Answers a DER OCSP request with a DER OCSP response (RFC 6960): good,
/// revoked (time and reason) or unknown for each certificate asked about,
/// signed by the CA that issued them, the request's nonce echoed.
pub fn ocsp(core: &Core, request: &[u8]) -> Result<Vec<u8>, ServiceError> {
    let Some(query) = revocation::parse_ocsp_request(request) else {
        return Ok(revocation::ocsp_malformed());
    };
    let now = core.clock.now();
    let hierarchy = core.hierarchy();
    // One response is signed by one CA: the issuer of the first certificate
    // asked about. For certificates of no CA here the responder is not
    // authoritative (RFC 6960 2.3, "unauthorized").
    let issuer = query.questions.iter().find_map(|q| {
        hierarchy
            .issuing
            .iter()
            .find(|i| revocation::is_issuer_of(i.authority.certificate(), q))
    });
    let Some(issuer) = issuer else {
        return Ok(revocation::ocsp_unauthorized());
    };
    let answers = query
        .questions
        .iter()
        .map(|q| {
            if !revocation::is_issuer_of(issuer.authority.certificate(), q) {
                return Ok(Status::Unknown);
            }
            Ok(
                match core.store.issued_serial(&issuer.record.id, &q.serial_hex)? {
                    None => Status::Unknown,
                    Some(entry) => revoked_entry(q.serial_hex.clone(), &entry)
                        .map_or(Status::Good, Status::Revoked),
                },
            )
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    issuer
        .authority
        .ocsp_response(
            &query,
            &answers,
            now,
            now + Duration::hours(core.revocation_hours),
        )
        .map_err(ServiceError::Crypto)
}
