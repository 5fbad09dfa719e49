//! `/organisations` and `/organisations/{OrganisationId}`.

use actix_web::{HttpRequest, HttpResponse, web};

use super::DirectoryError;
use super::request::{Ids, JsonBody, check_fapi_headers, json_body, page_request};
use super::view::PageView;
use crate::domain::Caller;
use crate::domain::organisation::OrganisationRequest;
use crate::service::directory::Directory;
use crate::service::organisations;

/// GET /organisations: one page of the organisations the caller may see.
pub async fn list(
    caller: Caller,
    req: HttpRequest,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    check_fapi_headers(&req)?;
    let page =
        organisations::list_organisations(directory.participants(), &caller, page_request(&req)?)?;
    Ok(HttpResponse::Ok().json(PageView::new(page)))
}

/// POST /organisations (admin only).
pub async fn create(
    caller: Caller,
    req: HttpRequest,
    body: web::Payload,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    // No path ids here, so no `Ids` to check the FAPI headers before the body.
    check_fapi_headers(&req)?;
    let request: OrganisationRequest = json_body(&req, body).await?;
    let organisation =
        organisations::create_organisation(directory.participants(), &caller, request).await?;
    Ok(HttpResponse::Created().json(organisation))
}

/// GET /organisations/{OrganisationId}
pub async fn get(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    Ok(HttpResponse::Ok().json(organisations::organisation(
        directory.participants(),
        &caller,
        &ids.org,
    )?))
}

/// GET /organisations/{OrganisationId}/tnchistory: the terms it accepted,
/// one page.
pub async fn tnc_history(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let page = page_request(&req)?;
    let found = organisations::accepted_terms(
        directory.participants(),
        &caller,
        &ids.org,
        directory.catalogue(),
    )?;
    Ok(HttpResponse::Ok().json(PageView::new(page.cut(found))))
}

/// PUT /organisations/{OrganisationId}
pub async fn update(
    caller: Caller,
    ids: Ids,
    JsonBody(request): JsonBody<OrganisationRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let organisation =
        organisations::update_organisation(directory.participants(), &caller, &ids.org, request)
            .await?;
    Ok(HttpResponse::Ok().json(organisation))
}
