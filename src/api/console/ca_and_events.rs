//! The console's pages about the directory itself: its certificate
//! authority (roots, issuing CAs, the chain, CRLs and OCSP) and the most
//! recent audit events.

use actix_web::{HttpResponse, web};

use super::html::{Cell, Link, Page, Row};
use super::{ConsoleError, home, ok};
use crate::service::console as view;
use crate::service::directory::Directory;
use crate::service::events::AuditLog;

/// How many events the events page shows.
const EVENTS_SHOWN: usize = 200;

/// GET /console/events
pub(super) async fn events(audit_log: web::Data<AuditLog>) -> Result<HttpResponse, ConsoleError> {
    let (events, total) = view::recent_events(&audit_log, EVENTS_SHOWN)?;
    let mut page = Page::new("Audit events", &[home()]);
    page.note(&format!(
        "The {} most recent of {total} events, newest first. \
         All of them, with filters: GET /admin/events with the admin token.",
        events.len()
    ));
    let rows = events
        .iter()
        .map(|e| Row {
            key: e.id.to_string(),
            cells: vec![
                Cell::Time(e.time),
                Cell::code(&e.event_type),
                Cell::status(e.outcome.as_str()),
                Cell::text(&e.actor),
                e.interaction_id
                    .as_deref()
                    .map_or(Cell::Missing, Cell::code),
                Cell::optional(e.detail.clone()),
            ],
        })
        .collect();
    page.table(
        "events",
        &[
            "Time",
            "Event",
            "Outcome",
            "Actor",
            "Interaction id",
            "Detail",
        ],
        rows,
        "No events yet.",
    );
    ok(&page)
}

/// GET /console/ca
pub(super) async fn authorities(
    directory: web::Data<Directory>,
) -> Result<HttpResponse, ConsoleError> {
    let ca = view::authorities(&directory)?;
    let urls = directory.urls();
    let base = urls.public();
    let mut page = Page::new("Certificate authority", &[home()]);
    page.facts(vec![
        (
            "CA chain",
            Cell::Link(Link::new(format!("{base}/ca/chain.pem"), "/ca/chain.pem")),
        ),
        (
            "Directory signing keys",
            Cell::Link(Link::new(urls.directory_jwks(), urls.directory_jwks())),
        ),
        (
            "Public root list",
            Cell::Link(Link::new(
                format!("{base}/v1/ecosystems/public/certificates/ca"),
                "/v1/ecosystems/public/certificates/ca",
            )),
        ),
        ("OCSP responder (POST)", Cell::code(urls.ocsp())),
    ]);

    page.heading("Roots");
    let rows = ca
        .roots
        .iter()
        .map(|r| {
            let status = match (r.active, ca.signing_root.as_deref() == Some(r.id.as_str())) {
                (true, true) => "Signing",
                (true, false) => "Active",
                (false, _) => "Inactive",
            };
            Row {
                key: r.id.clone(),
                cells: vec![
                    Cell::code(&r.id),
                    Cell::text(&r.data.subject),
                    Cell::status(status),
                    Cell::text(if r.built_in { "yes" } else { "no" }),
                    Cell::Time(r.data.not_before),
                    Cell::Time(r.data.not_after),
                    Cell::code(&r.data.fingerprint),
                    Cell::Link(Link::new(
                        format!("{base}/v1/ecosystems/certificates/ca/{}/crl", r.id),
                        "CRL (PEM in JSON)",
                    )),
                ],
            }
        })
        .collect();
    page.table(
        "roots",
        &[
            "Root",
            "Subject",
            "Status",
            "Built in",
            "Valid from",
            "Valid until",
            "SHA-256",
            "CRL",
        ],
        rows,
        "No root CAs.",
    );

    page.heading("Issuing CAs");
    let rows = ca
        .issuing
        .iter()
        .map(|i| Row {
            key: i.id.clone(),
            cells: vec![
                Cell::code(&i.id),
                Cell::code(&i.root_id),
                Cell::text(&i.subject),
                Cell::status(i.role.as_str()),
                Cell::Time(i.not_before),
                Cell::Time(i.not_after),
                Cell::Link(Link::new(urls.crl(&i.id), "CRL (DER)")),
            ],
        })
        .collect();
    page.table(
        "issuing",
        &[
            "Issuing CA",
            "Root",
            "Subject",
            "Status",
            "Valid from",
            "Valid until",
            "CRL",
        ],
        rows,
        "No issuing CAs.",
    );
    ok(&page)
}
