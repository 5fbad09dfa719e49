//! The RA's admin routes: operator accounts, clients and their products,
//! and the records the emulated DNS answers. Admin token only; errors in
//! the directory's shape, as on every admin route.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use super::decode_json_object;
use super::directory::DirectoryError;
use crate::api::routes::Routes;
use crate::domain::Caller;
use crate::domain::ra::{ClientAccount, RaClient};
use crate::service::ra::Ra;
use crate::service::ra::{accounts, domains};

pub fn routes(r: &mut Routes) {
    r.post(
        "/admin/ra/operators",
        put_operator,
        "Add or replace an RA operator (API key generated if not given)",
    )
    .get(
        "/admin/ra/operators",
        list_operators,
        "RA operators (keys not shown)",
    )
    .post(
        "/admin/ra/clients",
        put_client,
        "Add or replace an RA client with its products",
    )
    .get(
        "/admin/ra/clients",
        list_clients,
        "RA clients and their products",
    )
    .put(
        "/admin/dns/txt/{name}",
        put_txt,
        "Set the TXT values the emulated DNS answers at a name (JSON array)",
    )
    .get("/admin/dns/txt/{name}", get_txt, "The TXT values at a name")
    .delete(
        "/admin/dns/txt/{name}",
        delete_txt,
        "Remove a name's TXT values",
    );
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct OperatorRequest {
    user_name: String,
    api_key: Option<String>,
    #[serde(default)]
    clients: Vec<String>,
}

fn bad(e: String) -> DirectoryError {
    DirectoryError::BadRequest(vec![e])
}

/// POST /admin/ra/operators {"userName", "apiKey"?, "clients"?}
async fn put_operator(
    caller: Caller,
    body: web::Bytes,
    ra: web::Data<Ra>,
) -> Result<HttpResponse, DirectoryError> {
    let request: OperatorRequest = decode_json_object(&body)?;
    let saved = accounts::put_operator(
        &ra,
        &caller,
        request.user_name,
        request.api_key,
        request.clients,
    )
    .await?;
    let mut answer = json!({
        "userName": saved.operator.user_name.as_str(),
        "clients": saved.operator.clients,
    });
    // A generated key is shown this once; a given one is never echoed.
    if let Some(key) = saved.generated_key {
        answer["apiKey"] = json!(key.reveal());
    }
    Ok(HttpResponse::Created().json(answer))
}

/// GET /admin/ra/operators
async fn list_operators(caller: Caller, ra: web::Data<Ra>) -> Result<HttpResponse, DirectoryError> {
    let operators: Vec<_> = accounts::operators(&ra, &caller)?
        .into_iter()
        .map(|o| json!({ "userName": o.user_name.as_str(), "clients": o.clients }))
        .collect();
    Ok(HttpResponse::Ok().json(operators))
}

fn client_json(c: &RaClient) -> serde_json::Value {
    json!({
        "reference": c.reference,
        "name": c.name,
        "products": c.products.iter().map(|p| json!({
            "reference": p.reference,
            "name": p.name,
            "profile": p.profile.name(),
            "state": p.state.name(),
        })).collect::<Vec<_>>(),
    })
}

/// POST /admin/ra/clients: the shape `[[ra.clients]]` takes in config.
async fn put_client(
    caller: Caller,
    body: web::Bytes,
    ra: web::Data<Ra>,
) -> Result<HttpResponse, DirectoryError> {
    let account: ClientAccount = decode_json_object(&body)?;
    let client = accounts::put_client(&ra, &caller, account).await?;
    Ok(HttpResponse::Created().json(client_json(&client)))
}

/// GET /admin/ra/clients
async fn list_clients(caller: Caller, ra: web::Data<Ra>) -> Result<HttpResponse, DirectoryError> {
    let clients = accounts::clients(&ra, &caller)?;
    Ok(HttpResponse::Ok().json(clients.iter().map(client_json).collect::<Vec<_>>()))
}

/// PUT /admin/dns/txt/{name} ["swiss-pki=..."]
async fn put_txt(
    caller: Caller,
    name: web::Path<String>,
    body: web::Bytes,
    ra: web::Data<Ra>,
) -> Result<HttpResponse, DirectoryError> {
    let values: Vec<String> = serde_json::from_slice(&body)
        .map_err(|e| bad(format!("body: must be a JSON array of strings: {e}")))?;
    let name = domains::put_txt(&ra, &caller, &name, values.clone()).await?;
    Ok(HttpResponse::Ok().json(json!({ "name": name.ascii, "txt": values })))
}

/// GET /admin/dns/txt/{name}
async fn get_txt(
    caller: Caller,
    name: web::Path<String>,
    ra: web::Data<Ra>,
) -> Result<HttpResponse, DirectoryError> {
    let values = domains::txt(&ra, &caller, &name)?;
    Ok(HttpResponse::Ok().json(json!({ "txt": values })))
}

/// DELETE /admin/dns/txt/{name}
async fn delete_txt(
    caller: Caller,
    name: web::Path<String>,
    ra: web::Data<Ra>,
) -> Result<HttpResponse, DirectoryError> {
    domains::put_txt(&ra, &caller, &name, Vec::new()).await?;
    Ok(HttpResponse::NoContent().finish())
}
