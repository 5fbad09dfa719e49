//! Revocation status of what the directory's CAs issued: CRLs and OCSP.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::ServiceError;
use super::authorities::{Issuing, Root};
use super::certificate_authority::CertificateAuthority;
use super::error::NotFound;
use crate::domain::authority::IssuedSerial;
use crate::pki::authority::CaKeys;
use crate::pki::revocation::{self, Revoked, RevokedEntries, Status};

/// Signed CRLs, each kept until its CA revokes something or half its life
/// has passed, so a CRL request costs neither a scan nor a signature.
#[derive(Default)]
pub struct CrlCache {
    crls: HashMap<String, CachedCrl>,
    /// Per issuing CA, bumped after every revocation it records: a CRL built
    /// from an older count is stale, even one that raced the revocation.
    revocations: HashMap<String, u64>,
    /// Per issuing CA, its CRL's entries, encoded: read from the store once,
    /// then added to on each revocation, so a new CRL costs no store scan.
    entries: HashMap<String, IssuerEntries>,
}

/// An issuing CA's CRL entries and the serials they list, so a revocation
/// the first read from the store already saw is not listed twice.
#[derive(Default)]
struct IssuerEntries {
    encoded: RevokedEntries,
    serials: HashSet<String>,
}

impl IssuerEntries {
    fn add(&mut self, revoked: &Revoked) -> Result<(), crate::pki::PkiError> {
        if !self.serials.contains(&revoked.serial_hex) {
            self.encoded.push(revoked)?;
            self.serials.insert(revoked.serial_hex.clone());
        }
        Ok(())
    }
}

struct CachedCrl {
    der: Vec<u8>,
    revocations: u64,
    this_update: DateTime<Utc>,
}

impl CrlCache {
    fn revocations(&self, issuer: &str) -> u64 {
        self.revocations.get(issuer).copied().unwrap_or_default()
    }

    /// The cached CRL under `key` if it was built at `revocations` and is
    /// not yet half way to its nextUpdate.
    fn fresh(
        &self,
        key: &str,
        revocations: u64,
        now: DateTime<Utc>,
        life: Duration,
    ) -> Option<Vec<u8>> {
        self.crls
            .get(key)
            .filter(|c| {
                c.revocations == revocations
                    && c.this_update <= now
                    && now < c.this_update + life / 2
            })
            .map(|c| c.der.clone())
    }

    fn keep(&mut self, key: &str, der: Vec<u8>, revocations: u64, this_update: DateTime<Utc>) {
        self.crls.insert(
            key.to_owned(),
            CachedCrl {
                der,
                revocations,
                this_update,
            },
        );
    }
}

impl CrlCache {
    /// Adds a revocation of `issuer`'s to its CRL, once it is stored (a CRL
    /// signed before this call still counts as fresh).
    pub(super) fn revoked(&mut self, issuer: &str, entry: &IssuedSerial, serial_hex: &str) {
        *self.revocations.entry(issuer.to_owned()).or_default() += 1;
        let Some(entries) = self.entries.get_mut(issuer) else {
            return;
        };
        if let Some(revoked) = revoked_entry(serial_hex.to_owned(), entry)
            && let Err(e) = entries.add(&revoked)
        {
            // Read again from the store on the next CRL instead.
            log::error!("CRL entry for {serial_hex} not encoded: {e}");
            self.entries.remove(issuer);
        }
    }

    /// `issuer`'s CRL entries, read from the store the first time.
    fn entries(
        &mut self,
        ca: &CertificateAuthority,
        issuer: &str,
    ) -> Result<RevokedEntries, ServiceError> {
        if let Some(entries) = self.entries.get(issuer) {
            return Ok(entries.encoded.clone());
        }
        let mut entries = IssuerEntries::default();
        for (serial, entry) in ca.serials.revoked(issuer)? {
            if let Some(revoked) = revoked_entry(serial, &entry) {
                entries.add(&revoked).map_err(ServiceError::Crypto)?;
            }
        }
        let encoded = entries.encoded.clone();
        self.entries.insert(issuer.to_owned(), entries);
        Ok(encoded)
    }
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
pub async fn issuing_crl(
    ca: &CertificateAuthority,
    issuing_id: &str,
) -> Result<Vec<u8>, ServiceError> {
    let now = ca.clock.now();
    let life = Duration::hours(ca.revocation_hours);
    {
        let cache = ca.crl_cache();
        if let Some(der) = cache.fresh(issuing_id, cache.revocations(issuing_id), now, life) {
            return Ok(der);
        }
    }
    let _signing = ca.crl_signing.lock().await;
    // Looked at again: the request signing before this one may have made it.
    let (revocations, revoked) = {
        let mut cache = ca.crl_cache();
        let revocations = cache.revocations(issuing_id);
        if let Some(der) = cache.fresh(issuing_id, revocations, now, life) {
            return Ok(der);
        }
        (revocations, cache.entries(ca, issuing_id)?)
    };
    // Taken (and durable) before the CRL carrying it is signed.
    let number = ca
        .authorities
        .next_issuing_crl_number(issuing_id)
        .await?
        .ok_or_else(|| NotFound::CrlIssuer(issuing_id.to_owned()))?;
    let der = {
        let mut hierarchy = ca.hierarchy_mut();
        let issuing = hierarchy
            .issuing
            .iter_mut()
            .find(|i| i.record.id == issuing_id)
            .ok_or_else(|| NotFound::CrlIssuer(issuing_id.to_owned()))?;
        issuing.record.crl_number = issuing.record.crl_number.max(number);
        issuing
            .authority
            .crl(&revoked, number, now, now + life)
            .map_err(ServiceError::Crypto)?
    };
    ca.crl_cache()
        .keep(issuing_id, der.clone(), revocations, now);
    Ok(der)
}

/// A root's CRL, DER. Roots revoke nothing, so one is signed (with the next
/// CRL number) only when the last is half way to its nextUpdate.
pub async fn root_crl(ca: &CertificateAuthority, root_id: &str) -> Result<Vec<u8>, ServiceError> {
    let now = ca.clock.now();
    let life = Duration::hours(ca.revocation_hours);
    let cache_key = format!("root:{root_id}");
    let cached = || ca.crl_cache().fresh(&cache_key, 0, now, life);
    let known = || ca.hierarchy().root(root_id).is_some();
    if let Some(der) = cached()
        && known()
    {
        return Ok(der);
    }
    let _signing = ca.crl_signing.lock().await;
    if let Some(der) = cached()
        && known()
    {
        return Ok(der);
    }
    let number = ca
        .authorities
        .next_root_crl_number(root_id)
        .await?
        .ok_or_else(|| NotFound::RootCa(root_id.to_owned()))?;
    let der = {
        let mut hierarchy = ca.hierarchy_mut();
        let root = hierarchy
            .roots
            .iter_mut()
            .find(|r| r.record.id == root_id)
            .ok_or_else(|| NotFound::RootCa(root_id.to_owned()))?;
        root.record.crl_number = root.record.crl_number.max(number);
        root.authority
            .crl(number, now, now + Duration::hours(ca.revocation_hours))
            .map_err(ServiceError::Crypto)?
    };
    ca.crl_cache().keep(&cache_key, der.clone(), 0, now);
    Ok(der)
}

/// The CRL at `/crl/{id}.crl`: an issuing CA's, listing what it revoked,
/// or a root's, which the issuing CA certificates name for their own status.
pub async fn crl(ca: &CertificateAuthority, id: &str) -> Result<Vec<u8>, ServiceError> {
    if ca.hierarchy().root(id).is_some() {
        root_crl(ca, id).await
    } else {
        issuing_crl(ca, id).await
    }
}

/// Answers a DER OCSP request with a DER OCSP response (RFC 6960): good,
/// revoked (time and reason) or unknown for each certificate asked about,
/// signed by the CA that issued them (a root for its issuing CAs), the
/// request's nonce echoed.
pub fn ocsp(ca: &CertificateAuthority, request: &[u8]) -> Result<Vec<u8>, ServiceError> {
    let Some(query) = revocation::parse_ocsp_request(request) else {
        return Ok(revocation::ocsp_malformed());
    };
    let now = ca.clock.now();
    let next_update = now + Duration::hours(ca.revocation_hours);
    let hierarchy = ca.hierarchy();
    // One response is signed by one CA: the issuer of the first certificate
    // asked about. For certificates of no CA here the responder is not
    // authoritative (RFC 6960 2.3, "unauthorized").
    let responder = query.questions.iter().find_map(|q| {
        let issued_by = |ca: &CaKeys| revocation::is_issuer_of(ca.certificate(), q);
        hierarchy
            .issuing
            .iter()
            .find(|i| issued_by(&i.authority))
            .map(Responder::Issuing)
            .or_else(|| {
                hierarchy
                    .roots
                    .iter()
                    .find(|r| issued_by(&r.authority))
                    .map(Responder::Root)
            })
    });
    let Some(responder) = responder else {
        return Ok(revocation::ocsp_unauthorized());
    };
    let answers = query
        .questions
        .iter()
        .map(|q| {
            if !revocation::is_issuer_of(responder.keys().certificate(), q) {
                return Ok(Status::Unknown);
            }
            Ok(match &responder {
                Responder::Issuing(issuing) => {
                    match ca.serials.get(&issuing.record.id, &q.serial_hex)? {
                        None => Status::Unknown,
                        Some(entry) => revoked_entry(q.serial_hex.clone(), &entry)
                            .map_or(Status::Good, Status::Revoked),
                    }
                }
                // A root revokes no issuing CA (rollover retires them):
                // each it made is good, any other serial unknown.
                Responder::Root(root) => {
                    let made_here = hierarchy.issuing.iter().any(|i| {
                        i.record.root_id == root.record.id
                            && i.authority.serial_hex().is_ok_and(|s| s == q.serial_hex)
                    });
                    if made_here {
                        Status::Good
                    } else {
                        Status::Unknown
                    }
                }
            })
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    responder
        .keys()
        .ocsp_response(&query, &answers, now, next_update)
        .map_err(ServiceError::Crypto)
}

/// The CA that answers an OCSP request.
enum Responder<'a> {
    Issuing(&'a Issuing),
    Root(&'a Root),
}

impl Responder<'_> {
    fn keys(&self) -> &CaKeys {
        match self {
            Responder::Issuing(issuing) => &issuing.authority,
            Responder::Root(root) => &root.authority,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revocation_the_first_read_already_saw_is_listed_once() {
        let revoked = Revoked {
            serial_hex: "0a1b".into(),
            at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            reason: 1,
        };
        let mut entries = IssuerEntries::default();
        entries.add(&revoked).unwrap();
        entries.add(&revoked).unwrap();
        assert_eq!(entries.encoded.len(), 1);
    }
}
