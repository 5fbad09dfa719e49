//! Which records each keystore document publishes.

use bytes::Bytes;
use chrono::{DateTime, Utc};

use super::ServiceError;
use super::directory::Directory;
use super::error::NotFound;
use super::organisations::{find_organisation, find_software_statement};
use crate::domain::{
    CertificateOrKey, Flavour, KeystoreDocument, Kid, OrganisationId, SoftwareStatementId,
};
use crate::pki::encoding::decode_base64;
use crate::pki::pem::armour;

/// A keystore document, rendered by `render` from the records it holds (in
/// order) and kept until one of its organisation's records changes or expires.
pub fn document(
    directory: &Directory,
    doc: &KeystoreDocument,
    render: impl FnOnce(&[CertificateOrKey]) -> Bytes,
) -> Result<Bytes, ServiceError> {
    let now = directory.clock.now();
    let ticket = match directory.certificates.documents().lookup(doc, now) {
        Ok(body) => return Ok(body),
        Err(ticket) => ticket,
    };
    let (keys, changes_at) = document_keys(directory, doc, now)?;
    let body = render(&keys);
    directory
        .certificates
        .documents()
        .keep(doc, ticket, body.clone(), now, changes_at);
    Ok(body)
}

/// The records a document holds at `now`: active ones (not revoked, not
/// expired), or with `inactive` the rest. An organisation's document holds
/// every record under it, its statements' included; each kid appears once.
/// Also answers when that selection next changes on its own: the first
/// expiry still to come.
fn document_keys(
    directory: &Directory,
    doc: &KeystoreDocument,
    now: DateTime<Utc>,
) -> Result<(Vec<CertificateOrKey>, Option<DateTime<Utc>>), ServiceError> {
    let org = &doc.organisation_id;
    let records = match &doc.software_statement_id {
        Some(ss) => {
            find_software_statement(&directory.participants, org, ss)?;
            directory.certificates.owned(org, Some(ss))?
        }
        None => {
            find_organisation(&directory.participants, org)?;
            directory.certificates.of_organisation(org)?
        }
    };
    let changes_at = records
        .iter()
        .filter_map(|r| r.expiry)
        .filter(|expiry| *expiry > now)
        .min();
    let mut keys: Vec<CertificateOrKey> = records
        .into_iter()
        .filter(|r| r.is_active_at(now) != doc.inactive && doc.keys.holds(r.key_use()))
        .collect();
    keys.sort_by(|a, b| {
        a.valid_from
            .cmp(&b.valid_from)
            .then_with(|| a.kid.cmp(&b.kid))
    });
    let mut seen = std::collections::HashSet::new();
    keys.retain(|r| seen.insert(r.kid.clone()));
    Ok((keys, changes_at))
}

/// The certificate behind a kid, as PEM (identical to x5c[0]). In the OBIE
/// layout a kid is looked up across the whole organisation.
pub fn certificate_pem(
    directory: &Directory,
    org: &OrganisationId,
    ss: Option<&SoftwareStatementId>,
    kid: &Kid,
) -> Result<String, ServiceError> {
    let record = match (directory.urls.flavour(), ss) {
        (Flavour::Obie, _) => directory
            .certificates
            .of_organisation(org)?
            .into_iter()
            .find(|r| &r.kid == kid),
        (Flavour::Raidiam, ss) => directory.certificates.get(org, ss, kid)?,
    };
    let record = record.ok_or_else(|| NotFound::Kid(kid.clone()))?;
    let der = record
        .x5c
        .first()
        .and_then(|leaf| decode_base64(leaf))
        .ok_or_else(|| NotFound::BareKey {
            kid: kid.clone(),
            key_type: record.key_type,
        })?;
    Ok(armour("CERTIFICATE", &der))
}

/// The directory's own signing key as openbanking.jwks publishes it.
pub struct DirectoryKey {
    pub kid: String,
    pub jwk: crate::domain::PublicJwk,
    /// Signing certificate then issuing CA, standard base64 DER.
    pub x5c: Vec<String>,
    /// x5t and x5t#S256 of the signing certificate, in the flavour's form.
    pub x5t: Option<String>,
    pub x5t_s256: Option<String>,
}

pub fn directory_key(directory: &Directory) -> DirectoryKey {
    let signer = directory.authority.signer();
    let flavour = directory.urls.flavour();
    let leaf = signer.x5c().first().and_then(|leaf| decode_base64(leaf));
    DirectoryKey {
        kid: signer.kid().to_owned(),
        jwk: signer.public_jwk().clone(),
        x5c: signer.x5c().to_vec(),
        x5t: leaf
            .as_deref()
            .map(|der| flavour.digest_form(&crate::pki::jwk::x5t(der))),
        x5t_s256: leaf
            .as_deref()
            .map(|der| flavour.digest_form(&crate::pki::jwk::x5t_s256(der))),
    }
}
