//! Certificate orders: a CSR for a product becomes an order that a
//! background worker (and every read of it) moves on: received ->
//! validating -> issued once every name in it is pre-validated for the
//! client, or -> failed when validation waits too long.

use std::sync::{Arc, Weak};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Ra;
use super::{client_for, fresh_uuid};
use crate::domain::authority::IssuedSerial;
use crate::domain::ra::{
    ClientReference, Code, DnsName, ErrorCode, IssuedOrderCertificate, Order, OrderReference,
    OrderState, OrderStep, Product, ProductProfile, ProductReference, RaClient, RaFailure,
    RaOperator, Refusal,
};
use crate::pki::{CheckedCsr, PkiError, Profile, encoding};
use crate::service::ServiceError;

/// What `POST /v2/orders` may narrow the list by; every field optional.
#[derive(Debug, Clone)]
pub struct OrderSearch {
    pub client: Option<ClientReference>,
    pub product: Option<ProductReference>,
    pub state: Option<OrderState>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    /// A DNS name the order asks for (ASCII or Unicode).
    pub dns_name: Option<String>,
    /// At most this many orders, newest first.
    pub limit: usize,
}

/// `POST /v2/issue/csr/{productReference}`: checks the product and the CSR
/// and records the order as received; it moves on asynchronously.
pub async fn submit(
    ra: &Ra,
    operator: &RaOperator,
    product: &ProductReference,
    csr_text: &str,
) -> Result<Order, RaFailure> {
    let (client, product) = find_product(ra, product)?;
    client_for(ra, operator, &client.reference)?;
    product.ensure_orderable()?;
    let csr = CheckedCsr::parse_for_hosts(csr_text).map_err(csr_failure)?;
    let names = requested_names(&csr, &product)?;
    let now = ra.clock.now();
    let order = Order {
        reference: OrderReference::from_uuid(fresh_uuid()),
        client: client.reference,
        product: product.reference,
        profile: product.profile,
        operator: operator.user_name.clone(),
        csr: csr_text.trim().to_owned(),
        names,
        subject: csr.subject(),
        state: OrderState::Received,
        state_since: now,
        created: now,
        reasons: Vec::new(),
        certificate: None,
    };
    ra.records.put_order(&order, None).await?;
    log::info!(
        "RA order {} received for product {} ({} names)",
        order.reference,
        order.product,
        order.names.len()
    );
    Ok(order)
}

fn find_product(ra: &Ra, reference: &ProductReference) -> Result<(RaClient, Product), RaFailure> {
    ra.records
        .clients()?
        .into_iter()
        .find_map(|c| c.product(reference).cloned().map(|p| (c, p)))
        .ok_or_else(|| {
            RaFailure::new(
                Refusal::NotFound,
                ErrorCode::form(Code::InvalidProductId),
                format!("{}: no product {reference}", ProductReference::FIELD),
            )
        })
}

fn csr_failure(e: PkiError) -> RaFailure {
    let code = match e {
        PkiError::Unreadable(_) | PkiError::WrongContent { .. } => Code::FailedParsingCsr,
        PkiError::Internal(_) => {
            log::error!("RA CSR intake failed: {e}");
            return RaFailure::runtime("internal crypto error; see the obdir log");
        }
        _ => Code::FailedValidatingRequest,
    };
    RaFailure::new(Refusal::Invalid, ErrorCode::form(code), format!("csr: {e}"))
}

/// The DNS names of the CSR, each a valid host name (a wildcard's base
/// included). A TLS server certificate must name at least one.
fn requested_names(csr: &CheckedCsr, product: &Product) -> Result<Vec<String>, RaFailure> {
    let unvalidatable = |message: String| {
        RaFailure::new(
            Refusal::Invalid,
            ErrorCode::form(Code::FailedValidatingRequest),
            message,
        )
    };
    if let Some(other) = csr.other_names().first() {
        return Err(unvalidatable(format!(
            "csr: subjectAltName {other} cannot be validated; the RA certifies DNS names only"
        )));
    }
    if csr.dns_names().is_empty() && csr.common_name().is_none() {
        return Err(unvalidatable(
            "csr: the subject has no CN and the CSR names no DNS name".into(),
        ));
    }
    let mut names = Vec::new();
    for name in csr.dns_names() {
        let (wildcard, base) = match name.strip_prefix("*.") {
            Some(base) => ("*.", base),
            None => ("", name.as_str()),
        };
        let parsed = DnsName::parse(base).map_err(|e| {
            RaFailure::new(
                Refusal::Invalid,
                ErrorCode::form(Code::FailedValidatingRequest),
                format!("csr: subjectAltName {}", e.rule),
            )
        })?;
        names.push(format!("{wildcard}{}", parsed.ascii));
    }
    if product.profile == ProductProfile::TlsServer && names.is_empty() {
        return Err(RaFailure::new(
            Refusal::Invalid,
            ErrorCode::form(Code::InvalidProductType),
            format!(
                "product {} issues TLS server certificates: the CSR must name at least one DNS name (subjectAltName dNSName or a host-name CN)",
                product.reference
            ),
        ));
    }
    Ok(names)
}

/// `POST /v2/order/{orderReference}` and `.../status`: the order as it
/// stands now (moved on first, if it is due).
pub async fn get(
    ra: &Ra,
    operator: &RaOperator,
    reference: &OrderReference,
) -> Result<Order, RaFailure> {
    let order = {
        let _guard = ra.order_moves.lock().await;
        let mut order = ra.records.order(reference)?.ok_or_else(|| {
            RaFailure::not_found(format!("{}: no order {reference}", OrderReference::FIELD))
        })?;
        client_for(ra, operator, &order.client)?;
        move_on(ra, &mut order).await?;
        order
    };
    Ok(order)
}

/// How many orders a search answers unless it asks for fewer.
pub const DEFAULT_PAGE: usize = 100;
/// The most one search answers.
pub const MAX_PAGE: usize = 1000;

/// `POST /v2/orders`: the newest orders (at most `search.limit`) of the
/// clients the operator may act for, narrowed by `search`, each moved on
/// first if it is due.
pub async fn list(
    ra: &Ra,
    operator: &RaOperator,
    search: &OrderSearch,
) -> Result<Vec<Order>, RaFailure> {
    let clients = match &search.client {
        Some(client) => vec![client_for(ra, operator, client)?.reference],
        None => ra
            .records
            .clients()?
            .into_iter()
            .map(|c| c.reference)
            .filter(|c| operator.may_act_for(c))
            .collect(),
    };
    let dns_name = search
        .dns_name
        .as_deref()
        .map(|n| DnsName::parse(n.strip_prefix("*.").unwrap_or(n)).map(|d| d.ascii))
        .transpose()
        .map_err(|e| RaFailure::validation(e.to_string()))?;
    let mut wanted = |o: &Order| {
        search.product.as_ref().is_none_or(|p| &o.product == p)
            && search.created_from.is_none_or(|t| o.created >= t)
            && search.created_to.is_none_or(|t| o.created <= t)
            // An open order may be due to reach the state asked for.
            && (o.is_open() || search.state.is_none_or(|s| o.state == s))
            && dns_name.as_ref().is_none_or(|n| {
                o.names
                    .iter()
                    .any(|m| m.strip_prefix("*.").unwrap_or(m) == n)
            })
    };
    let mut orders = Vec::new();
    for client in &clients {
        orders.extend(
            ra.records
                .orders_newest(client, search.limit, &mut wanted)?,
        );
    }
    orders.sort_by_key(|o| std::cmp::Reverse(o.created));
    orders.truncate(search.limit);
    for order in orders.iter_mut().filter(|o| o.is_open()) {
        let _guard = ra.order_moves.lock().await;
        if let Some(now) = ra.records.order(&order.reference)? {
            *order = now;
            move_on(ra, order).await?;
        }
    }
    // What the worker moved on and a search shows is on disk before it is
    // shown, like everything an answer reports.
    orders.retain(|o| search.state.is_none_or(|s| o.state == s));
    Ok(orders)
}

/// An issued order's certificate and the CAs up to the root, leaf first.
pub struct CertificateChain(Vec<Vec<u8>>);

impl CertificateChain {
    /// Each certificate as PEM.
    pub fn pem_list(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|der| crate::pki::pem::armour("CERTIFICATE", der))
            .collect()
    }

    /// A certs-only PKCS#7 bundle, DER.
    pub fn pkcs7(&self) -> Vec<u8> {
        crate::pki::pkcs7::certificate_bundle(&self.0)
    }
}

/// `POST /v2/order/{orderReference}/certificate/chain`.
pub async fn chain(
    ra: &Ra,
    operator: &RaOperator,
    reference: &OrderReference,
) -> Result<CertificateChain, RaFailure> {
    let order = get(ra, operator, reference).await?;
    let Some(certificate) = order.certificate else {
        return Err(RaFailure::new(
            Refusal::Conflict,
            ErrorCode::form(Code::Validation),
            format!(
                "order {reference} is {}: its certificate chain exists once it is issued",
                order.state.name()
            ),
        ));
    };
    certificate
        .chain
        .iter()
        .map(|c| {
            encoding::decode_base64(c)
                .ok_or_else(|| RaFailure::runtime(format!("order {reference} holds a bad chain")))
        })
        .collect::<Result<_, _>>()
        .map(CertificateChain)
}

/// Moves an order on as far as it can go now, writing each step. Answers
/// whether anything changed. Call with `order_moves` held.
async fn move_on(ra: &Ra, order: &mut Order) -> Result<bool, RaFailure> {
    let mut moved = false;
    loop {
        let now = ra.clock.now();
        let unvalidated = if order.state == OrderState::Validating {
            unvalidated_names(ra, order, now)?
        } else {
            Vec::new()
        };
        match order.next_step(&ra.settings.timing, now, &unvalidated) {
            OrderStep::Stay => return Ok(moved),
            OrderStep::Validate => {
                order.enter(OrderState::Validating, now);
                ra.records.put_order(order, None).await?;
                moved = true;
            }
            OrderStep::Issue => {
                // A failure here would fail every later poll the same way:
                // the order fails once instead, with the reason.
                if let Err(e) = issue(ra, order, now).await {
                    log::error!("RA order {} could not be issued: {e}", order.reference);
                    let reason = format!(
                        "the certificate could not be issued: {}",
                        e.messages.join("; ")
                    );
                    fail(ra, order, vec![reason], now).await?;
                }
                return Ok(true);
            }
            OrderStep::Fail(reasons) => {
                fail(ra, order, reasons, now).await?;
                return Ok(true);
            }
        }
    }
}

fn unvalidated_names(ra: &Ra, order: &Order, now: DateTime<Utc>) -> Result<Vec<String>, RaFailure> {
    let domains: Vec<_> = ra
        .records
        .domains()?
        .into_iter()
        .filter(|d| d.client == order.client)
        .collect();
    Ok(order
        .names
        .iter()
        .filter(|name| !domains.iter().any(|d| d.covers(name, now)))
        .cloned()
        .collect())
}

async fn fail(
    ra: &Ra,
    order: &mut Order,
    reasons: Vec<String>,
    now: DateTime<Utc>,
) -> Result<(), RaFailure> {
    log::info!(
        "RA order {} failed: {}",
        order.reference,
        reasons.join("; ")
    );
    order.reasons = reasons;
    order.enter(OrderState::Failed, now);
    ra.records.put_order(order, None).await?;
    Ok(())
}

/// Signs the order's CSR with the current issuing CA under its product's
/// profile and writes the order with the certificate's serial entry.
async fn issue(ra: &Ra, order: &mut Order, now: DateTime<Utc>) -> Result<(), RaFailure> {
    let profile = match order.profile {
        ProductProfile::TlsServer => Profile::TlsServer,
        ProductProfile::ClientAuth => Profile::TlsClient,
    };
    let csr = CheckedCsr::parse_for_hosts(&order.csr).map_err(csr_failure)?;
    let signed = {
        let hierarchy = ra.authority.hierarchy();
        match hierarchy.current(now) {
            None => None,
            Some(issuing) => {
                let issued = issuing
                    .authority
                    .issue_for_hosts(
                        &csr,
                        &order.names,
                        profile,
                        now,
                        ra.authority.validity_months,
                        &ra.authority.urls,
                    )
                    .map_err(|e| RaFailure::from(ServiceError::Crypto(e)))?;
                let mut chain = issued.chain.clone();
                if let Some(root) = hierarchy.root(issuing.authority.root_id()) {
                    chain.push(
                        root.authority
                            .certificate()
                            .to_der()
                            .map_err(|e| RaFailure::from(ServiceError::Crypto(e.into())))?,
                    );
                }
                let issuer_name = issuing.authority.subject();
                Some((issuing.record.id.clone(), issuer_name, issued, chain))
            }
        }
    };
    let Some((issuer_id, issuer_name, issued, chain)) = signed else {
        return fail(
            ra,
            order,
            vec!["no active root CA can sign; activate one with PUT /v1/ecosystems/certificates/ca/{id}".into()],
            now,
        ).await;
    };
    let serial = issued.serial_hex.clone();
    order.certificate = Some(IssuedOrderCertificate {
        issuer_id: issuer_id.clone(),
        issuer_name,
        serial_hex: serial.clone(),
        chain: chain.iter().map(|c| encoding::base64(c)).collect(),
        not_before: issued.not_before,
        not_after: issued.not_after,
    });
    order.enter(OrderState::Issued, now);
    let entry = IssuedSerial::of_order(&order.reference);
    ra.records
        .put_order(order, Some((&issuer_id, &serial, &entry)))
        .await?;
    log::info!("RA order {} issued serial {serial}", order.reference);
    Ok(())
}

/// Moves every open order on.
async fn move_open_orders(ra: &Ra) -> Result<(), RaFailure> {
    for order in ra.records.open_orders()? {
        let _guard = ra.order_moves.lock().await;
        // Read again under the lock: a poll may have moved it meanwhile.
        if let Some(mut order) = ra.records.order(&order.reference)? {
            move_on(ra, &mut order).await?;
        }
    }
    Ok(())
}

/// Starts the thread that moves open orders on every `tick`, so orders are
/// issued (or fail) whether or not anyone polls. It ends once the RA is dropped.
pub fn spawn_worker(ra: &Arc<Ra>) -> std::io::Result<()> {
    let weak: Weak<Ra> = Arc::downgrade(ra);
    let tick: Duration = ra.settings.tick;
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    std::thread::Builder::new()
        .name("ra-orders".into())
        .spawn(move || {
            while let Some(ra) = {
                std::thread::sleep(tick);
                weak.upgrade()
            } {
                if let Err(e) = runtime.block_on(move_open_orders(&ra)) {
                    log::error!("moving RA orders on failed: {e}");
                }
            }
        })?;
    Ok(())
}
