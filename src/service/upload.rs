//! Adding a certificate or key to a software statement: a CSR is signed by the
//! directory's CA, an external certificate is stored as given, a bare public
//! key is wrapped as a JWK. The record is on disk before this returns.

use chrono::{DateTime, Utc};
use openssl::pkey::{PKey, Public};

use super::organisations::software_statement;
use super::{Core, ServiceError};
use crate::domain::certificate::UploadBody;
use crate::domain::{
    CertOrKeyType, CertificateOrKey, Kid, OrganisationId, RecordStatus, SoftwareStatementId,
};
use crate::pki::encoding::{base64, hex, sha256};
use crate::pki::external::parse_external_certificate;
use crate::pki::jwk::{public_jwk, thumbprint_sha256, x5t, x5t_s256};
use crate::pki::key::{check_key_policy, parse_public_key_pem};
use crate::pki::{CheckedCsr, PkiError, Profile};

pub async fn upload(
    core: &Core,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    key_type: CertOrKeyType,
    pem: &str,
) -> Result<CertificateOrKey, ServiceError> {
    let statement = software_statement(core, org, ss)?;
    if !statement.is_active() {
        return Err(ServiceError::Invalid(vec![format!(
            "SoftwareStatementId: software statement '{ss}' is {}; only an Active one can get new certificates or keys",
            statement.status
        )]));
    }
    let now = core.clock.now();
    let new = |key: &PKey<Public>,
               chain: Vec<Vec<u8>>,
               expiry: Option<DateTime<Utc>>,
               valid_from,
               serial| {
        record(
            org,
            ss,
            &statement.client_name,
            key_type,
            key,
            chain,
            valid_from,
            expiry,
            serial,
        )
    };

    let record = match key_type.upload_body() {
        UploadBody::Csr => {
            let csr = CheckedCsr::parse(pem, key_type, org, ss)?;
            let spki = spki_sha256(csr.public_key())?;
            ensure_key_not_active(core, org, ss, key_type, &spki)?;
            let profile = Profile::for_type(key_type).ok_or_else(|| {
                ServiceError::Crypto(PkiError::Unreadable(format!(
                    "no certificate profile for {key_type}"
                )))
            })?;
            let issued = core
                .authority
                .issue(&csr, profile, now, core.validity_months, &core.urls)
                .map_err(ServiceError::Crypto)?;
            new(
                csr.public_key(),
                issued.chain,
                Some(issued.not_after),
                issued.not_before,
                Some(issued.serial_hex),
            )?
        }
        UploadBody::Certificate => {
            let cert = parse_external_certificate(pem, key_type, org, ss, now)?;
            new(
                &cert.public_key,
                cert.chain,
                Some(cert.not_after),
                cert.not_before,
                None,
            )?
        }
        UploadBody::PublicKey => {
            let key = parse_public_key_pem(pem)?;
            check_key_policy(&key, key_type)?;
            new(&key, Vec::new(), None, now, None)?
        }
    };

    {
        let _guard = core.writes.lock().unwrap_or_else(|e| e.into_inner());
        ensure_key_not_active(core, org, ss, key_type, &record.spki_sha256)?;
        if let Some(existing) = core.store.certificate(org, ss, &record.kid)? {
            return Err(ServiceError::Conflict(format!(
                "kid '{}' is already used on software statement '{ss}' by a {} record",
                record.kid, existing.key_type
            )));
        }
        core.store.put_certificate(&record)?;
    }
    core.store.flush().await?;
    log::info!("{key_type} {} added to {org}/{ss}", record.kid);
    Ok(record)
}

/// One key may be active once per type on a statement.
fn ensure_key_not_active(
    core: &Core,
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    key_type: CertOrKeyType,
    spki_sha256: &str,
) -> Result<(), ServiceError> {
    let existing = core.store.statement_certificates(org, ss)?;
    match existing
        .iter()
        .find(|r| r.is_active() && r.key_type == key_type && r.spki_sha256 == spki_sha256)
    {
        Some(active) => Err(ServiceError::Conflict(format!(
            "this public key is already active on software statement '{ss}' as {key_type} (kid '{}')",
            active.kid
        ))),
        None => Ok(()),
    }
}

fn spki_sha256(key: &PKey<Public>) -> Result<String, PkiError> {
    Ok(hex(&sha256(&key.public_key_to_der()?)))
}

#[allow(clippy::too_many_arguments)]
fn record(
    org: &OrganisationId,
    ss: &SoftwareStatementId,
    client_name: &str,
    key_type: CertOrKeyType,
    key: &PKey<Public>,
    chain: Vec<Vec<u8>>,
    valid_from: DateTime<Utc>,
    expiry: Option<DateTime<Utc>>,
    serial: Option<String>,
) -> Result<CertificateOrKey, ServiceError> {
    let jwk = public_jwk(key)?;
    // The directory's rule: a certificate's kid is the SHA-256 of its DER; a
    // bare key's is its RFC 7638 thumbprint.
    let kid = match chain.first() {
        Some(leaf) => x5t_s256(leaf),
        None => thumbprint_sha256(&jwk),
    };
    Ok(CertificateOrKey {
        organisation_id: org.clone(),
        software_statement_id: ss.clone(),
        client_name: client_name.to_owned(),
        key_type,
        status: RecordStatus::Active,
        valid_from,
        expiry,
        revoked_at: None,
        kid: Kid::parse(&kid)?,
        x5t: chain.first().map(|leaf| x5t(leaf)),
        x5t_s256: chain.first().map(|leaf| x5t_s256(leaf)),
        x5c: chain.iter().map(|der| base64(der)).collect(),
        jwk,
        serial,
        spki_sha256: spki_sha256(key)?,
    })
}
