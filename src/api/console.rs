//! The web console at `/console`: a read-only view of what the directory
//! holds, rendered here as HTML with no script and no outside asset.
//!
//! | page | what |
//! |---|---|
//! | `/console` | organisations: id, name, status, statements, their JWKS |
//! | `/console/organisations/{org}` | its statements, its own certificates, its JWKS |
//! | `/console/organisations/{org}/softwarestatements/{ss}` | certificates and keys: type, kid, status, validity, revocation, PEM; the statement's JWKS |
//! | `/console/participants` | each organisation's licensed roles, statements, authorisation servers and API families |
//! | `/console/events` | the most recent audit events, newest first |
//! | `/console/ca` | roots and issuing CAs, their status, the chain and CRLs |
//!
//! No authentication, on purpose. The pages only answer GET and change
//! nothing; they show what the keystore already publishes to anyone (kids,
//! validity, revocation, JWKS and PEM URLs) plus names, statuses and the
//! audit trail, and never a private key, token or client secret (the
//! service views hold none). obdir binds loopback by default; whoever binds
//! it wider exposes the keystore anyway, and the console adds only the
//! organisation names and events. A token prompt would make the console
//! useless for its purpose: a glance from a browser during a test run.
//!
//! The console's routes come before the keystore's, so with the keystore at
//! the host root an organisation named `console` would have its documents
//! shadowed; the default keystore base (`/keystore`) has no such overlap.
//!
//! Each response carries a Content-Security-Policy that allows no script at
//! all, a second fence behind the escaping in `html`.

mod ca_and_events;
mod html;
mod participants;

use ca_and_events::{authorities, events};
use participants::participants;

use crate::api::routes::Routes;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError, web};

use super::rfc3339;
use crate::domain::{
    CertificateOrKey, Flavour, KeySet, OrganisationId, PublicUrls, SoftwareStatementId,
};
use crate::service::ServiceError;
use crate::service::console::{self as view, Held, Published};
use crate::service::directory::Directory;

use html::{Cell, Link, Page, Row, segment};

const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; \
                      form-action 'none'; frame-ancestors 'none'";

pub fn routes(r: &mut Routes) {
    r.get("/console", organisations, "Console: organisations")
        .get(
            "/console/participants",
            participants,
            "Console: organisations with their licences, statements and servers",
        )
        .get("/console/events", events, "Console: recent audit events")
        .get("/console/ca", authorities, "Console: root and issuing CAs")
        .get(
            "/console/organisations/{org}",
            organisation,
            "Console: an organisation",
        )
        .get(
            "/console/organisations/{org}/softwarestatements/{ss}",
            statement,
            "Console: a software statement and its certificates",
        )
        .get("/console/", to_console, "Console: redirect to /console")
        .get("/console/{rest:.*}", no_page, "Console: not found page");
}

async fn to_console() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/console"))
        .finish()
}

async fn no_page() -> Result<HttpResponse, ConsoleError> {
    Err(ConsoleError::NotFound("no console page here".into()))
}

/// The console's error dialect: an HTML page.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("{0}")]
    NotFound(String),
    /// A bug or a failing disk; the detail goes to the log.
    #[error("{0}")]
    Internal(String),
}

impl From<ServiceError> for ConsoleError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound(m) => Self::NotFound(m.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl ResponseError for ConsoleError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (title, message) = match self {
            Self::NotFound(m) => ("Not found", m.as_str()),
            Self::Internal(detail) => {
                log::error!("console: internal error: {detail}");
                ("Internal error", "internal error; see the obdir log")
            }
        };
        let mut page = Page::new(title, &[home()]);
        page.note(message);
        respond(self.status_code(), &page)
    }
}

fn respond(status: StatusCode, page: &Page) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(POLICY),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    response.body(page.render())
}

fn ok(page: &Page) -> Result<HttpResponse, ConsoleError> {
    Ok(respond(StatusCode::OK, page))
}

fn home() -> Link {
    Link::new("/console", "Organisations")
}

fn organisation_page(org: &OrganisationId) -> String {
    format!("/console/organisations/{}", segment(org.as_str()))
}

fn statement_page(org: &OrganisationId, ss: &SoftwareStatementId) -> String {
    format!(
        "{}/softwarestatements/{}",
        organisation_page(org),
        segment(ss.as_str())
    )
}

/// An id in the path that breaks the id rules names nothing that exists.
fn parse_org(org: &str) -> Result<OrganisationId, ConsoleError> {
    OrganisationId::parse(org)
        .map_err(|_| ConsoleError::NotFound(format!("organisation '{org}' does not exist")))
}

fn parse_ss(ss: &str) -> Result<SoftwareStatementId, ConsoleError> {
    SoftwareStatementId::parse(ss)
        .map_err(|_| ConsoleError::NotFound(format!("software statement '{ss}' does not exist")))
}

/// GET /console
async fn organisations(directory: web::Data<Directory>) -> Result<HttpResponse, ConsoleError> {
    let summaries = view::participants(&directory)?;
    let urls = directory.urls();
    let mut page = Page::new("Organisations", &[]);
    page.note(&format!(
        "{} organisations. Keystore flavour: {}.",
        summaries.len(),
        flavour_name(urls.flavour())
    ));
    let rows = summaries
        .iter()
        .map(|s| {
            let org = &s.organisation.organisation_id;
            Row {
                key: org.to_string(),
                cells: vec![
                    Cell::CodeLink(Link::new(organisation_page(org), org.as_str())),
                    Cell::text(&s.organisation.organisation_name),
                    Cell::status(&s.organisation.status),
                    Cell::text(s.statements.len().to_string()),
                    Cell::Links(vec![
                        Link::new(urls.organisation_document(org, false), "active JWKS"),
                        Link::new(
                            urls.organisation_document(org, true),
                            format!("{} JWKS", inactive_word(urls.flavour())),
                        ),
                    ]),
                ],
            }
        })
        .collect();
    page.table(
        "organisations",
        &["Organisation", "Name", "Status", "Statements", "Keystore"],
        rows,
        "No organisations yet.",
    );
    ok(&page)
}

/// GET /console/organisations/{org}
async fn organisation(
    path: web::Path<String>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, ConsoleError> {
    let org = parse_org(&path)?;
    let found = view::organisation(&directory, &org)?;
    let o = &found.organisation;
    let mut page = Page::new(&o.organisation_name, &[home()]);
    page.facts(vec![
        ("Organisation", Cell::code(o.organisation_id.as_str())),
        ("Name", Cell::text(&o.organisation_name)),
        ("Legal entity", Cell::optional(o.legal_entity_name.clone())),
        ("Status", Cell::status(&o.status)),
        (
            "Country of registration",
            Cell::optional(o.country_of_registration.clone()),
        ),
        (
            "Registration number",
            Cell::optional(o.registration_number.clone()),
        ),
        ("Created", Cell::Time(o.created_on)),
    ]);

    page.heading("Software statements");
    let rows = found
        .statements
        .iter()
        .map(|s| Row {
            key: s.software_statement_id.to_string(),
            cells: vec![
                Cell::CodeLink(Link::new(
                    statement_page(&org, &s.software_statement_id),
                    s.software_statement_id.as_str(),
                )),
                Cell::text(&s.client_name),
                Cell::status(&s.status),
                Cell::text(&s.mode),
                Cell::optional((!s.software_roles.is_empty()).then(|| s.software_roles.join(", "))),
            ],
        })
        .collect();
    page.table(
        "statements",
        &[
            "Software statement",
            "Client name",
            "Status",
            "Mode",
            "Roles",
        ],
        rows,
        "No software statements.",
    );

    page.heading("Organisation certificates");
    certificates_table(&mut page, &found.certificates, directory.urls());
    page.heading("Keystore documents");
    documents_table(&mut page, &found.documents, directory.urls().flavour());
    page.note("The organisation's documents hold its statements' keys too.");
    ok(&page)
}

/// GET /console/organisations/{org}/softwarestatements/{ss}
async fn statement(
    path: web::Path<(String, String)>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, ConsoleError> {
    let (org, ss) = (parse_org(&path.0)?, parse_ss(&path.1)?);
    let found = view::software_statement(&directory, &org, &ss)?;
    let (o, s) = (&found.organisation, &found.statement);
    let trail = [
        home(),
        Link::new(organisation_page(&org), &o.organisation_name),
    ];
    let mut page = Page::new(&s.client_name, &trail);
    page.facts(vec![
        ("Software statement", Cell::code(ss.as_str())),
        ("Client name", Cell::text(&s.client_name)),
        (
            "Organisation",
            Cell::Link(Link::new(
                organisation_page(&org),
                format!("{} ({org})", o.organisation_name),
            )),
        ),
        ("Status", Cell::status(&s.status)),
        ("Mode", Cell::text(&s.mode)),
        ("Environment", Cell::optional(s.environment.clone())),
        (
            "Roles",
            Cell::optional((!s.software_roles.is_empty()).then(|| s.software_roles.join(", "))),
        ),
        ("Description", Cell::optional(s.description.clone())),
    ]);
    page.heading("Keystore documents");
    documents_table(&mut page, &found.documents, directory.urls().flavour());
    page.heading("Certificates and keys");
    certificates_table(&mut page, &found.certificates, directory.urls());
    ok(&page)
}

fn certificates_table(page: &mut Page, held: &[Held], urls: &PublicUrls) {
    let rows = held
        .iter()
        .map(|h| {
            let r = &h.record;
            Row {
                key: r.kid.to_string(),
                cells: vec![
                    Cell::text(r.key_type.as_str()),
                    Cell::code(r.kid.as_str()),
                    Cell::status(h.standing.as_str()),
                    Cell::Time(r.valid_from),
                    r.expiry.map_or(Cell::text("does not expire"), Cell::Time),
                    revocation(r),
                    r.certificate_url(urls)
                        .map_or(Cell::text("bare key, no certificate"), |url| {
                            Cell::Link(Link::new(url, "PEM"))
                        }),
                ],
            }
        })
        .collect();
    page.table(
        "certificates",
        &[
            "Type",
            "Kid",
            "Status",
            "Valid from",
            "Expiry",
            "Revoked",
            "Certificate",
        ],
        rows,
        "No certificates or keys.",
    );
}

fn revocation(r: &CertificateOrKey) -> Cell {
    match (r.is_revoked(), r.revoked_at) {
        (true, Some(at)) => Cell::text(format!(
            "{} ({})",
            rfc3339(at),
            r.revoke_reason
                .map_or("no reason given", |reason| reason.as_str())
        )),
        _ => Cell::Missing,
    }
}

fn documents_table(page: &mut Page, documents: &[Published], flavour: Flavour) {
    let rows = documents
        .iter()
        .map(|d| {
            let state = if d.inactive {
                inactive_word(flavour)
            } else {
                "active"
            };
            let keys = match d.keys {
                KeySet::Application => "signing and encryption keys",
                KeySet::Transport => "transport certificates",
                KeySet::All => "every key",
            };
            Row {
                key: d.url.clone(),
                cells: vec![
                    Cell::text(format!("{state}: {keys}")),
                    Cell::Link(Link::new(&d.url, &d.url)),
                ],
            }
        })
        .collect();
    page.table("documents", &["JWKS", "URL"], rows, "No documents.");
}

fn inactive_word(flavour: Flavour) -> &'static str {
    match flavour {
        Flavour::Raidiam => "inactive",
        Flavour::Obie => "revoked",
    }
}

fn flavour_name(flavour: Flavour) -> &'static str {
    match flavour {
        Flavour::Raidiam => "raidiam",
        Flavour::Obie => "obie",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::error::one_of_each_kind;

    /// The console only reads: a missing record is a 404 page naming it,
    /// anything else a 500 page that keeps its detail for the log.
    #[tokio::test]
    async fn each_kind_of_service_error_in_the_console_dialect() {
        for e in one_of_each_kind() {
            let not_found = matches!(e, ServiceError::NotFound(_));
            let message = e.to_string();
            let response = ConsoleError::from(e).error_response();
            let body = actix_web::body::to_bytes(response.into_body())
                .await
                .unwrap();
            let body = String::from_utf8(body.to_vec()).unwrap();
            if not_found {
                assert!(
                    body.contains(&crate::api::markup::escape(&message)),
                    "{body}"
                );
            } else {
                assert!(body.contains("internal error; see the obdir log"), "{body}");
                assert!(
                    !body.contains(&crate::api::markup::escape(&message)),
                    "{body}"
                );
            }
        }
        let status = |e: ServiceError| ConsoleError::from(e).status_code().as_u16();
        let mut kinds = one_of_each_kind().into_iter();
        assert_eq!(status(kinds.nth(3).unwrap()), 404);
        assert_eq!(status(kinds.next().unwrap()), 500);
    }
}
