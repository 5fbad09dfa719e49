//! The console's participants page: who is in the ecosystem, what each is
//! licensed for, the statements it runs and the authorisation servers and
//! API families it publishes; the public `/participants` document, for a
//! person.

use actix_web::{HttpResponse, web};

use super::html::{Cell, Link, Page, Row};
use super::{ConsoleError, home, ok, organisation_page, statement_page};
use crate::domain::authority_claim::ClaimStatus;
use crate::service::console::{self as view, ParticipantView};
use crate::service::directory::Directory;

/// GET /console/participants
pub(super) async fn participants(
    directory: web::Data<Directory>,
) -> Result<HttpResponse, ConsoleError> {
    let participants = view::participants(&directory)?;
    let mut page = Page::new("Participants", &[home()]);
    page.note(&format!(
        "{} organisations, as the public participants document lists them.",
        participants.len()
    ));
    page.facts(vec![(
        "Participants document",
        Cell::Link(Link::new("/participants", "/participants")),
    )]);
    let rows = participants.iter().map(organisation_row).collect();
    page.table(
        "participants",
        &[
            "Organisation",
            "Status",
            "Licensed roles",
            "Software statements",
            "Authorisation servers",
        ],
        rows,
        "No organisations yet.",
    );

    page.heading("Authorisation servers");
    let rows = participants
        .iter()
        .flat_map(|p| p.servers.iter().map(move |s| (p, s)))
        .map(|(p, published)| {
            let server = &published.server;
            let org = &p.organisation.organisation_id;
            let families = published
                .api_resources
                .iter()
                .map(|r| {
                    format!(
                        "{} {} ({} discovery endpoints)",
                        r.api_family_type,
                        r.api_version,
                        r.api_discovery_endpoints.len()
                    )
                })
                .collect();
            Row {
                key: server.authorisation_server_id.to_string(),
                cells: vec![
                    Cell::text(&server.customer_friendly_name),
                    Cell::Link(Link::new(
                        organisation_page(org),
                        &p.organisation.organisation_name,
                    )),
                    Cell::optional(server.issuer.clone()),
                    Cell::optional(server.open_id_discovery_document.clone()),
                    Cell::lines(families),
                ],
            }
        })
        .collect();
    page.table(
        "authorisation-servers",
        &[
            "Server",
            "Organisation",
            "Issuer",
            "OpenID discovery document",
            "API families",
        ],
        rows,
        "No authorisation servers published.",
    );
    ok(&page)
}

fn organisation_row(p: &ParticipantView) -> Row {
    let org = &p.organisation.organisation_id;
    let roles = p
        .claims
        .iter()
        .map(|c| match c.status {
            ClaimStatus::Active => c.role.clone(),
            ClaimStatus::Inactive => format!("{} (inactive)", c.role),
        })
        .collect();
    let statements = p
        .statements
        .iter()
        .map(|s| {
            Link::new(
                statement_page(org, &s.software_statement_id),
                &s.client_name,
            )
        })
        .collect();
    let servers = p
        .servers
        .iter()
        .map(|s| s.server.customer_friendly_name.clone())
        .collect();
    Row {
        key: org.to_string(),
        cells: vec![
            Cell::Link(Link::new(
                organisation_page(org),
                &p.organisation.organisation_name,
            )),
            Cell::status(&p.organisation.status),
            Cell::lines(roles),
            Cell::links(statements),
            Cell::lines(servers),
        ],
    }
}
