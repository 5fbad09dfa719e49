//! `/organisations/{OrganisationId}/contacts[/{ContactId}]`: who to reach at
//! an organisation. Each write is audited.

use actix_web::{HttpRequest, HttpResponse, web};

use super::DirectoryError;
use super::request::{Ids, JsonBody, page_request};
use super::view::PageView;
use crate::api::audited::Audited;
use crate::api::routes::Routes;
use crate::domain::Caller;
use crate::domain::contact::ContactRequest;
use crate::service::contacts;
use crate::service::directory::Directory;

const EVENT: &str = "DIRECTORY_CONTACT";

/// Routes under `/organisations`.
pub fn routes(r: &mut Routes) {
    const CONTACTS: &str = "/{OrganisationId}/contacts";
    const CONTACT: &str = "/{OrganisationId}/contacts/{ContactId}";
    r.get(CONTACTS, list, "List the organisation's contacts (paged)")
        .post(CONTACTS, create, "Add a contact")
        .get(CONTACT, get, "Read a contact")
        .put(CONTACT, update, "Replace a contact")
        .delete(CONTACT, delete, "Delete a contact");
}

/// GET …/contacts: one page, as the spec's ContactsPage.
async fn list(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let page = page_request(&req)?;
    let found = contacts::list(&directory, &caller, &ids.org)?;
    Ok(HttpResponse::Ok().json(PageView::new(page.cut(found))))
}

/// GET …/contacts/{ContactId}
async fn get(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let found = contacts::get(&directory, &caller, &ids.org, ids.contact()?)?;
    Ok(HttpResponse::Ok().json(found))
}

/// POST …/contacts
async fn create(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<ContactRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_CREATE"));
    let work = contacts::write(
        &directory,
        Some(&audit),
        &write.caller,
        &ids.org,
        None,
        request,
    );
    Ok(HttpResponse::Created().json(write.run(&audit, work).await?))
}

/// PUT …/contacts/{ContactId}
async fn update(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<ContactRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_UPDATE"));
    let id = Some(ids.contact()?);
    let work = contacts::write(
        &directory,
        Some(&audit),
        &write.caller,
        &ids.org,
        id,
        request,
    );
    Ok(HttpResponse::Ok().json(write.run(&audit, work).await?))
}

/// DELETE …/contacts/{ContactId}
async fn delete(
    write: Audited,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{EVENT}_DELETE"));
    let work = contacts::delete(
        &directory,
        Some(&audit),
        &write.caller,
        &ids.org,
        ids.contact()?,
    );
    write.run(&audit, work).await?;
    Ok(HttpResponse::NoContent().finish())
}
