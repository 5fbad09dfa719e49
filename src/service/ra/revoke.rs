//! `POST /v2/revoke`: revokes certificates RA orders issued, each item
//! answered on its own; a revoked certificate shows in its CA's CRL and in
//! OCSP at once.

use chrono::{DateTime, Utc};

use super::Ra;
use crate::domain::RevokeReason;
use crate::domain::authority::SerialHolder;
use crate::domain::ra::revocation::{parse_dn, parse_serial};
use crate::domain::ra::{Code, ErrorCode, RaFailure, RaOperator, Refusal};

/// One certificate to revoke, as sent.
#[derive(Debug, Clone, Default)]
pub struct RevokeItem {
    pub serial_number: Option<String>,
    pub issuer_name: Option<String>,
    pub revocation_reason: Option<String>,
}

/// What became of one item: revoked, or refused with its code.
pub type RevokeOutcome = Result<(), RaFailure>;

fn refused(code: Code, message: String) -> RaFailure {
    RaFailure::new(Refusal::Invalid, ErrorCode::app(code), message)
}

/// Revokes each item in turn; one refused item does not stop the others.
pub async fn revoke(
    ra: &Ra,
    operator: &RaOperator,
    items: &[RevokeItem],
) -> Result<Vec<RevokeOutcome>, RaFailure> {
    if items.is_empty() {
        return Err(RaFailure::null_value(
            "body (a JSON array of {serialNumber, issuerName, revocationReason})",
        ));
    }
    let now = ra.clock.now();
    let _guard = ra.writes.lock().await;
    let mut outcomes = Vec::with_capacity(items.len());
    for item in items {
        outcomes.push(revoke_one(ra, operator, item, now).await);
    }
    Ok(outcomes)
}

async fn revoke_one(
    ra: &Ra,
    operator: &RaOperator,
    item: &RevokeItem,
    now: DateTime<Utc>,
) -> RevokeOutcome {
    let serial_text = item
        .serial_number
        .as_deref()
        .ok_or_else(|| RaFailure::null_value("serialNumber"))?;
    let issuer_text = item
        .issuer_name
        .as_deref()
        .ok_or_else(|| RaFailure::null_value("issuerName"))?;
    let reason = match item.revocation_reason.as_deref() {
        None => RevokeReason::Unspecified,
        Some(r) => RevokeReason::parse(&r.to_ascii_lowercase()).map_err(|_| {
            RaFailure::validation(format!(
                "revocationReason: must be one of unspecified, keyCompromise, superseded, cessationOfOperation, privilegeWithdrawn; got '{r}'"
            ))
        })?,
    };
    let serial = parse_serial(serial_text)?;
    let issuer = parse_dn(issuer_text)?;

    let issuer_id = {
        let hierarchy = ra.authority.hierarchy();
        let same = |subject: &str| parse_dn(subject).is_ok_and(|dn| dn == issuer);
        let mut issuer_id = None;
        for issuing in &hierarchy.issuing {
            let data = issuing.authority.data().map_err(crypto)?;
            if data.serial_hex == serial {
                return Err(is_ca(serial_text));
            }
            if same(&data.subject) {
                issuer_id = Some(issuing.record.id.clone());
            }
        }
        for root in &hierarchy.roots {
            let data = root.authority.data().map_err(crypto)?;
            if data.serial_hex == serial {
                return Err(is_ca(serial_text));
            }
            if issuer_id.is_none() && same(&data.subject) {
                // Roots sign only issuing CAs, and those were checked above.
                return Err(unknown_serial(serial_text, issuer_text));
            }
        }
        issuer_id.ok_or_else(|| {
            refused(
                Code::InvalidIssuerName,
                format!("issuerName: '{issuer_text}' names no CA of this RA"),
            )
        })?
    };

    let mut entry = ra
        .authority
        .serials
        .get(&issuer_id, &serial)?
        .ok_or_else(|| unknown_serial(serial_text, issuer_text))?;
    let SerialHolder::Order { order_reference } = &entry.holder else {
        return Err(refused(
            Code::InvalidCertificateSerial,
            format!(
                "serialNumber: {serial_text} was not issued through the RA; revoke it where it was uploaded"
            ),
        ));
    };
    let order = ra
        .records
        .order(order_reference)?
        .ok_or_else(|| unknown_serial(serial_text, issuer_text))?;
    if !operator.may_act_for(&order.client) {
        return Err(RaFailure::access_denied(format!(
            "operator {} may not act for client {}, which ordered {serial_text}",
            operator.user_name, order.client
        )));
    }
    if entry.revoked_at.is_some() {
        return Err(refused(
            Code::CertificateAlreadyRevoked,
            format!("serialNumber: {serial_text} is already revoked"),
        ));
    }
    if order
        .certificate
        .as_ref()
        .is_some_and(|c| c.not_after <= now)
    {
        return Err(refused(
            Code::CertificateExpired,
            format!("serialNumber: {serial_text} has expired; there is nothing to revoke"),
        ));
    }
    entry.revoked_at = Some(now);
    entry.revoke_reason = Some(reason);
    ra.authority
        .put_revoked_serial(&issuer_id, &serial, &entry)
        .await?;
    log::info!(
        "RA certificate {serial} of order {} revoked ({})",
        order.reference,
        reason.as_str()
    );
    Ok(())
}

fn crypto(e: crate::pki::PkiError) -> RaFailure {
    RaFailure::from(crate::service::ServiceError::Crypto(e))
}

fn is_ca(serial: &str) -> RaFailure {
    refused(
        Code::CertificateIsCa,
        format!("serialNumber: {serial} is a CA certificate; the RA API does not revoke CAs"),
    )
}

fn unknown_serial(serial: &str, issuer: &str) -> RaFailure {
    refused(
        Code::InvalidCertificateSerial,
        format!("serialNumber: {issuer} issued no certificate with serial {serial}"),
    )
}
