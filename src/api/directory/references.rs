//! `/references/…`: the reference catalogue of the ecosystem obdir plays
//! (authorities, authorisation domains, roles and their metadata, which
//! authority licences in which domain, terms and conditions). Read-only, for
//! any caller the directory knows.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::DirectoryError;
use super::request::{check_fapi_headers, page_request};
use super::view::PageView;
use crate::domain::Caller;
use crate::domain::reference::Catalogue;
use crate::service::directory::Directory;

pub fn routes(r: &mut crate::api::routes::Routes) {
    const AUTHORITY: &str = "/authorities/{AuthorityId}";
    const ROLE: &str = "/authorisationdomainroles/{AuthorisationDomainRoleName}";
    r.get("/authorities", authorities, "Reference authorities")
        .get(AUTHORITY, authority, "Read a reference authority")
        .get(
            &format!("{AUTHORITY}/authorisationdomains"),
            authority_domains,
            "The authorisation domains an authority licences in (paged)",
        )
        .get(
            &format!("{AUTHORITY}/authorisationdomains/{{AuthorityAuthorisationDomainId}}"),
            authority_domain,
            "Read an authority's authorisation domain mapping",
        )
        .get(
            "/authoritydomainmapping",
            mappings,
            "Every authority-domain mapping (paged)",
        )
        .get(
            "/authorisationdomains",
            domains,
            "Reference authorisation domains (paged)",
        )
        .get(
            "/authorisationdomains/{AuthorisationDomainName}",
            domain,
            "Read an authorisation domain",
        )
        .get(
            "/authorisationdomainroles",
            roles,
            "Reference authorisation domain roles (paged)",
        )
        .get(ROLE, role, "Read an authorisation domain role")
        .get(
            &format!("{ROLE}/metadata"),
            role_metadata,
            "A role's metadata: the scopes it grants",
        )
        .get(
            &format!("{ROLE}/metadata/{{MetadataId}}"),
            role_metadatum,
            "Read one item of a role's metadata",
        )
        .get(
            "/termsandconditions",
            terms,
            "Terms and conditions participants accept (paged)",
        );
}

/// The catalogue of the flavour this directory plays, for a caller it
/// knows, once the request's FAPI headers are checked: how every
/// `/references` handler starts.
struct Reference(&'static Catalogue);

impl FromRequest for Reference {
    type Error = DirectoryError;
    type Future = Ready<Result<Reference, DirectoryError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        ready(reference(req, payload))
    }
}

fn reference(req: &HttpRequest, payload: &mut Payload) -> Result<Reference, DirectoryError> {
    Caller::from_request(req, payload).into_inner()?;
    check_fapi_headers(req)?;
    let directory = req
        .app_data::<web::Data<Directory>>()
        .ok_or_else(|| DirectoryError::Internal("no directory registered".into()))?;
    Ok(Reference(directory.catalogue()))
}

/// A path value checked against the spec's length limits; a value within
/// them that names nothing is a 404.
fn path_value<'a>(name: &str, value: &'a str, max: usize) -> Result<&'a str, DirectoryError> {
    if value.is_empty() || value.chars().count() > max {
        return Err(DirectoryError::BadRequest(vec![format!(
            "{name}: must be 1 to {max} characters"
        )]));
    }
    Ok(value)
}

/// One page of `items`, as `page` and `size` ask.
fn paged<T: Serialize>(
    req: &HttpRequest,
    items: impl IntoIterator<Item = T>,
) -> Result<HttpResponse, DirectoryError> {
    let page = page_request(req)?.cut(items.into_iter().collect());
    Ok(HttpResponse::Ok().json(PageView::new(page)))
}

fn not_found(name: &str, value: &str) -> DirectoryError {
    DirectoryError::NotFound(format!("{name}: no reference '{value}'"))
}

/// GET /references/authorities
async fn authorities(Reference(catalogue): Reference) -> Result<HttpResponse, DirectoryError> {
    Ok(HttpResponse::Ok().json(catalogue.authorities))
}

/// GET /references/authorities/{AuthorityId}
async fn authority(
    Reference(catalogue): Reference,
    path: web::Path<String>,
) -> Result<HttpResponse, DirectoryError> {
    let id = path_value("AuthorityId", &path, 40)?;
    let found = catalogue
        .authority(id)
        .ok_or_else(|| not_found("AuthorityId", id))?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET /references/authorities/{AuthorityId}/authorisationdomains
async fn authority_domains(
    Reference(catalogue): Reference,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, DirectoryError> {
    let id = path_value("AuthorityId", &path, 40)?;
    let authority = catalogue
        .authority(id)
        .ok_or_else(|| not_found("AuthorityId", id))?;
    paged(&req, catalogue.mappings_of(authority.id))
}

/// GET /references/authorities/{AuthorityId}/authorisationdomains/{AuthorityAuthorisationDomainId}
async fn authority_domain(
    Reference(catalogue): Reference,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, DirectoryError> {
    let (authority, mapping) = path.into_inner();
    let authority = path_value("AuthorityId", &authority, 40)?;
    let found = catalogue
        .mapping(authority, &mapping)
        .ok_or_else(|| not_found("AuthorityAuthorisationDomainId", &mapping))?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET /references/authoritydomainmapping
async fn mappings(
    Reference(catalogue): Reference,
    req: HttpRequest,
) -> Result<HttpResponse, DirectoryError> {
    paged(&req, catalogue.mappings)
}

/// GET /references/authorisationdomains
async fn domains(
    Reference(catalogue): Reference,
    req: HttpRequest,
) -> Result<HttpResponse, DirectoryError> {
    paged(&req, catalogue.domains)
}

/// GET /references/authorisationdomains/{AuthorisationDomainName}
async fn domain(
    Reference(catalogue): Reference,
    path: web::Path<String>,
) -> Result<HttpResponse, DirectoryError> {
    let name = path_value("AuthorisationDomainName", &path, 30)?;
    let found = catalogue
        .domain(name)
        .ok_or_else(|| not_found("AuthorisationDomainName", name))?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET /references/authorisationdomainroles
async fn roles(
    Reference(catalogue): Reference,
    req: HttpRequest,
) -> Result<HttpResponse, DirectoryError> {
    paged(&req, catalogue.roles)
}

/// The role a path names, or a 404 naming it.
fn role_at(
    catalogue: &'static Catalogue,
    name: &str,
) -> Result<&'static crate::domain::reference::Role, DirectoryError> {
    let name = path_value("AuthorisationDomainRoleName", name, 60)?;
    catalogue
        .role(name)
        .ok_or_else(|| not_found("AuthorisationDomainRoleName", name))
}

/// GET /references/authorisationdomainroles/{AuthorisationDomainRoleName}
async fn role(
    Reference(catalogue): Reference,
    path: web::Path<String>,
) -> Result<HttpResponse, DirectoryError> {
    Ok(HttpResponse::Ok().json(role_at(catalogue, &path)?))
}

/// GET …/{AuthorisationDomainRoleName}/metadata?type=
async fn role_metadata(
    Reference(catalogue): Reference,
    path: web::Path<String>,
    query: web::Query<std::collections::HashMap<String, String>>,
) -> Result<HttpResponse, DirectoryError> {
    let mut found = role_at(catalogue, &path)?.metadata();
    if let Some(kind) = query.get("type") {
        found.retain(|m| m.kind == kind);
    }
    Ok(HttpResponse::Ok().json(found))
}

/// GET …/{AuthorisationDomainRoleName}/metadata/{MetadataId}
async fn role_metadatum(
    Reference(catalogue): Reference,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, DirectoryError> {
    let (role, id) = path.into_inner();
    let id = path_value("MetadataId", &id, 40)?;
    let found = role_at(catalogue, &role)?
        .metadata()
        .into_iter()
        .find(|m| m.id == id)
        .ok_or_else(|| not_found("MetadataId", id))?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET /references/termsandconditions
async fn terms(
    Reference(catalogue): Reference,
    req: HttpRequest,
) -> Result<HttpResponse, DirectoryError> {
    paged(&req, catalogue.terms)
}
