//! `/organisations/{OrganisationId}/{AuthorisationDomainName}/users[/{UserEmailId}]`:
//! who acts for an organisation in an authorisation domain. Each write is
//! audited.

use actix_web::{HttpRequest, HttpResponse, web};

use super::DirectoryError;
use super::request::{Ids, JsonBody, page_request};
use super::view::PageView;
use crate::api::audited::Audited;
use crate::api::routes::Routes;
use crate::domain::Caller;
use crate::domain::domain_user::DomainUserRequest;
use crate::service::directory::Directory;
use crate::service::domain_users as users;

const EVENT: &str = "DIRECTORY_AUTHORISATION_DOMAIN_USER";

/// Routes under `/organisations`; registered last, as `{AuthorisationDomainName}`
/// would otherwise take the place of every named path.
pub fn routes(r: &mut Routes) {
    const USERS: &str = "/{OrganisationId}/{AuthorisationDomainName}/users";
    const USER: &str = "/{OrganisationId}/{AuthorisationDomainName}/users/{UserEmailId}";
    r.get(USERS, list, "The users of an authorisation domain (paged)")
        .post(USERS, create, "Add a user in a role of the domain")
        .get(USER, get, "A user's records (paged)")
        .put(
            USER,
            update,
            "Change a user's ContactRole, System or Status",
        )
        .delete(USER, delete, "Remove a user from the domain");
}

/// GET …/users
async fn list(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let page = page_request(&req)?;
    let found = users::users(&directory, &caller, ids.domain_of()?, None)?;
    Ok(HttpResponse::Ok().json(PageView::new(page.cut(found))))
}

/// GET …/users/{UserEmailId}: the spec answers a page here too.
async fn get(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let page = page_request(&req)?;
    let email = Some(ids.user_email()?);
    let found = users::users(&directory, &caller, ids.domain_of()?, email)?;
    Ok(HttpResponse::Ok().json(PageView::new(page.cut(found))))
}

/// POST …/users
async fn create(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<DomainUserRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_CREATE"));
    let work = users::create(
        &directory,
        Some(&audit),
        &write.caller,
        ids.domain_of()?,
        request,
    );
    Ok(HttpResponse::Created().json(write.run(&audit, work).await?))
}

/// PUT …/users/{UserEmailId}
async fn update(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<DomainUserRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_UPDATE"));
    let (at, email) = (ids.domain_of()?, ids.user_email()?);
    let work = users::change(
        &directory,
        Some(&audit),
        &write.caller,
        at,
        email,
        Some(request),
    );
    Ok(HttpResponse::Ok().json(write.run(&audit, work).await?))
}

/// DELETE …/users/{UserEmailId}
async fn delete(
    write: Audited,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_DELETE"));
    let (at, email) = (ids.domain_of()?, ids.user_email()?);
    let work = users::change(&directory, Some(&audit), &write.caller, at, email, None);
    write.run(&audit, work).await?;
    Ok(HttpResponse::NoContent().finish())
}
