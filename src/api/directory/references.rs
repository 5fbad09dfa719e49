//! `/references/…`: the reference catalogue of the ecosystem obdir plays
//! (authorities, authorisation domains, roles and their metadata, which
//! authority licences in which domain, terms and conditions). Read-only, for
//! any caller the directory knows.

use actix_web::{HttpRequest, HttpResponse, web};
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

/// The catalogue this directory serves, once the request's FAPI headers
/// are checked; `_caller` makes the routes need a known caller.
fn catalogue(
    _caller: &Caller,
    req: &HttpRequest,
    directory: &Directory,
) -> Result<&'static Catalogue, DirectoryError> {
    check_fapi_headers(req)?;
    Ok(Catalogue::of(directory.urls().flavour()))
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
async fn authorities(
    caller: Caller,
    req: HttpRequest,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let catalogue = catalogue(&caller, &req, &directory)?;
    Ok(HttpResponse::Ok().json(catalogue.authorities))
}

/// GET /references/authorities/{AuthorityId}
async fn authority(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let catalogue = catalogue(&caller, &req, &directory)?;
    let id = path_value("AuthorityId", &path, 40)?;
    let found = catalogue
        .authority(id)
        .ok_or_else(|| not_found("AuthorityId", id))?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET /references/authorities/{AuthorityId}/authorisationdomains
async fn authority_domains(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let catalogue = catalogue(&caller, &req, &directory)?;
    let id = path_value("AuthorityId", &path, 40)?;
    let authority = catalogue
        .authority(id)
        .ok_or_else(|| not_found("AuthorityId", id))?;
    paged(&req, catalogue.mappings_of(authority.id))
}

/// GET /references/authorities/{AuthorityId}/authorisationdomains/{AuthorityAuthorisationDomainId}
async fn authority_domain(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let catalogue = catalogue(&caller, &req, &directory)?;
    let (authority, mapping) = path.into_inner();
    let authority = path_value("AuthorityId", &authority, 40)?;
    let found = catalogue
        .mapping(authority, &mapping)
        .ok_or_else(|| not_found("AuthorityAuthorisationDomainId", &mapping))?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET /references/authoritydomainmapping
async fn mappings(
    caller: Caller,
    req: HttpRequest,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let catalogue = catalogue(&caller, &req, &directory)?;
    paged(&req, catalogue.mappings)
}

/// GET /references/authorisationdomains
async fn domains(
    caller: Caller,
    req: HttpRequest,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let catalogue = catalogue(&caller, &req, &directory)?;
    paged(&req, catalogue.domains)
}

/// GET /references/authorisationdomains/{AuthorisationDomainName}
async fn domain(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let catalogue = catalogue(&caller, &req, &directory)?;
    let name = path_value("AuthorisationDomainName", &path, 30)?;
    let found = catalogue
        .domain(name)
        .ok_or_else(|| not_found("AuthorisationDomainName", name))?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET /references/authorisationdomainroles
async fn roles(
    caller: Caller,
    req: HttpRequest,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let catalogue = catalogue(&caller, &req, &directory)?;
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
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let catalogue = catalogue(&caller, &req, &directory)?;
    Ok(HttpResponse::Ok().json(role_at(catalogue, &path)?))
}

/// GET …/{AuthorisationDomainRoleName}/metadata?type=
async fn role_metadata(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<std::collections::HashMap<String, String>>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let catalogue = catalogue(&caller, &req, &directory)?;
    let mut found = role_at(catalogue, &path)?.metadata();
    if let Some(kind) = query.get("type") {
        found.retain(|m| m.kind == kind);
    }
    Ok(HttpResponse::Ok().json(found))
}

/// GET …/{AuthorisationDomainRoleName}/metadata/{MetadataId}
async fn role_metadatum(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let catalogue = catalogue(&caller, &req, &directory)?;
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
    caller: Caller,
    req: HttpRequest,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let catalogue = catalogue(&caller, &req, &directory)?;
    paged(&req, catalogue.terms)
}
