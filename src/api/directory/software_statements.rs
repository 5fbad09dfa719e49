//! `/organisations/{OrganisationId}/softwarestatements[/{SoftwareStatementId}]`
//! and the statement's assertion.

use actix_web::http::header::ACCEPT;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::DirectoryError;
use super::request::{Ids, JsonBody};
use crate::api::negotiation::{JSON, JWT, preferred};
use crate::domain::organisation::SoftwareStatementRequest;
use crate::domain::statement_update;
use crate::domain::{Caller, SoftwareStatement};
use crate::service::ServiceError;
use crate::service::directory::Directory;
use crate::service::{ssa, statement_roles};

/// GET .../softwarestatements
pub async fn list(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    Ok(HttpResponse::Ok().json(statement_roles::statements(&directory, &caller, &ids.org)?))
}

/// A new statement, with its client secret the one time it is shown.
#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct CreatedStatement {
    #[serde(flatten)]
    statement: SoftwareStatement,
    #[serde(rename = "ClientSecret", skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
}

/// POST .../softwarestatements
pub async fn create(
    caller: Caller,
    ids: Ids,
    JsonBody(request): JsonBody<SoftwareStatementRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let (statement, client_secret) =
        statement_roles::create(&directory, &caller, &ids.org, request).await?;
    Ok(HttpResponse::Created().json(CreatedStatement {
        statement,
        client_secret,
    }))
}

/// GET .../softwarestatements/{SoftwareStatementId}
pub async fn get(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let statement = statement_roles::statement(&directory, &caller, &ids.org, ids.statement()?)?;
    Ok(HttpResponse::Ok().json(statement))
}

/// PUT .../softwarestatements/{SoftwareStatementId}: the spec's SoftwareStatementUpdateRequest,
/// every member checked before anything is read or written.
pub async fn update(
    caller: Caller,
    ids: Ids,
    JsonBody(body): JsonBody<serde_json::Map<String, serde_json::Value>>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let ss = ids.statement()?;
    let request = statement_update::parse(body).map_err(ServiceError::from)?;
    let statement = statement_roles::update(&directory, &caller, &ids.org, ss, request).await?;
    Ok(HttpResponse::Ok().json(statement))
}

/// GET .../softwarestatements/{SoftwareStatementId}/metadata?type=: the
/// metadata of the roles it holds.
pub async fn metadata(
    caller: Caller,
    ids: Ids,
    query: web::Query<std::collections::HashMap<String, String>>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let (ss, kind) = (ids.statement()?, query.get("type").map(String::as_str));
    let found = statement_roles::metadata(&directory, &caller, &ids.org, ss, kind)?;
    Ok(HttpResponse::Ok().json(found))
}

/// The spec's UnlockSoftwareStatementRequest.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnlockRequest {
    #[serde(rename = "Unlock")]
    unlock: Option<bool>,
}

/// PUT .../softwarestatements/{SoftwareStatementId}/unlock `{"Unlock": true}`
pub async fn unlock(
    caller: Caller,
    ids: Ids,
    JsonBody(request): JsonBody<UnlockRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let ss = ids.statement()?;
    let statement =
        statement_roles::unlock(&directory, &caller, &ids.org, ss, request.unlock).await?;
    Ok(HttpResponse::Ok().json(statement))
}

/// GET .../softwarestatements/{SoftwareStatementId}/assertion: the SSA, a
/// signed JWT; as a JSON string when the Accept header prefers JSON.
pub async fn assertion(
    caller: Caller,
    ids: Ids,
    req: HttpRequest,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let token = ssa::assertion(&directory, &caller, &ids.org, ids.statement()?).await?;
    let accept = req.headers().get(ACCEPT).and_then(|v| v.to_str().ok());
    Ok(match preferred(accept, &[JWT, JSON]) {
        Some(JSON) => HttpResponse::Ok().json(token),
        _ => HttpResponse::Ok().content_type(JWT).body(token),
    })
}
