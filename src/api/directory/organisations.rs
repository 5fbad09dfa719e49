//! `/organisations` and `/organisations/{id}/softwarestatements`.

use actix_web::{HttpRequest, HttpResponse, web};

use super::DirectoryError;
use super::request::{check_fapi_headers, collect, json_body};
use crate::api::auth::Caller;
use crate::domain::organisation::{OrganisationRequest, SoftwareStatementRequest};
use crate::domain::{OrganisationId, SoftwareStatementId};
use crate::service::{Core, organisations};

/// POST /organisations
pub async fn create_organisation(
    _caller: Caller,
    req: HttpRequest,
    body: web::Payload,
    core: web::Data<Core>,
) -> Result<HttpResponse, DirectoryError> {
    check_fapi_headers(&req)?;
    let request: OrganisationRequest = json_body(&req, body).await?;
    let organisation = organisations::create_organisation(&core, request).await?;
    Ok(HttpResponse::Created().json(organisation))
}

/// GET /organisations/{OrganisationId}
pub async fn get_organisation(
    _caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    core: web::Data<Core>,
) -> Result<HttpResponse, DirectoryError> {
    check_fapi_headers(&req)?;
    let org = OrganisationId::parse(&path)?;
    Ok(HttpResponse::Ok().json(organisations::organisation(&core, &org)?))
}

/// POST /organisations/{OrganisationId}/softwarestatements
pub async fn create_software_statement(
    _caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Payload,
    core: web::Data<Core>,
) -> Result<HttpResponse, DirectoryError> {
    check_fapi_headers(&req)?;
    let org = OrganisationId::parse(&path)?;
    let request: SoftwareStatementRequest = json_body(&req, body).await?;
    let statement = organisations::create_software_statement(&core, &org, request).await?;
    Ok(HttpResponse::Created().json(statement))
}

/// GET /organisations/{OrganisationId}/softwarestatements/{SoftwareStatementId}
pub async fn get_software_statement(
    _caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    core: web::Data<Core>,
) -> Result<HttpResponse, DirectoryError> {
    check_fapi_headers(&req)?;
    let (org, ss) = collect(
        OrganisationId::parse(&path.0),
        SoftwareStatementId::parse(&path.1),
    )?;
    Ok(HttpResponse::Ok().json(organisations::software_statement(&core, &org, &ss)?))
}
