//! The tenants face's admin routes: the users who may log in at
//! `/api/login`. Admin token only; errors in the directory's shape, as on
//! every admin route. Passwords are never answered.

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::decode_json_object;
use super::directory::DirectoryError;
use crate::api::routes::Routes;
use crate::domain::Caller;
use crate::domain::tenants::{TenantAccount, TenantUser};
use crate::service::tenants::Tenants;
use crate::service::tenants::accounts;

pub fn routes(r: &mut Routes) {
    r.post(
        "/admin/tenants/users",
        put_user,
        "Add or replace a tenant user (tenant, email, password)",
    )
    .get(
        "/admin/tenants/users",
        list_users,
        "Tenant users (passwords not shown)",
    )
    .delete(
        "/admin/tenants/users/{email}",
        delete_user,
        "Remove a tenant user and end its sessions",
    );
}

fn user_json(user: &TenantUser) -> serde_json::Value {
    json!({ "tenant": user.tenant, "email": user.email })
}

/// POST /admin/tenants/users: the shape `[[tenants.users]]` takes in config.
async fn put_user(
    caller: Caller,
    body: web::Bytes,
    tenants: web::Data<Tenants>,
) -> Result<HttpResponse, DirectoryError> {
    let account: TenantAccount = decode_json_object(&body).map_err(DirectoryError::from)?;
    let (user, created) = accounts::put_user(&tenants, &caller, &account).await?;
    let mut response = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response.json(user_json(&user)))
}

/// GET /admin/tenants/users
async fn list_users(
    caller: Caller,
    tenants: web::Data<Tenants>,
) -> Result<HttpResponse, DirectoryError> {
    let users = accounts::users(&tenants, &caller)?;
    Ok(HttpResponse::Ok().json(users.iter().map(user_json).collect::<Vec<_>>()))
}

/// DELETE /admin/tenants/users/{email}
async fn delete_user(
    caller: Caller,
    email: web::Path<String>,
    tenants: web::Data<Tenants>,
) -> Result<HttpResponse, DirectoryError> {
    accounts::remove_user(&tenants, &caller, &email).await?;
    Ok(HttpResponse::NoContent().finish())
}
