//! The tenants face (seed 003): an API platform's login and its "add PKI to a
//! tenant theme" call, answered in JSON or, when asked, in the XML of the
//! platform's namespace. Errors are `{"code","message"}` or `<Error>`.

mod dialect;
mod upload_form;

use dialect::{Dialect, Failure};
use upload_form::UploadForm;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use super::multipart;
use super::negotiation::NoRoute;
use super::routes::Routes;
use super::{decode_json_object, read_body};
use crate::domain::PublicUrls;
use crate::domain::tenants::{TenantId, TenantSession, ThemeName, token_value};
use crate::service::tenants::Tenants;
use crate::service::tenants::TenantsError;
use crate::service::tenants::accounts;
use crate::service::tenants::pki;

/// The largest keystore upload, in bytes (`tenants.max_upload_kb`).
#[derive(Debug, Clone, Copy)]
pub struct UploadLimit(pub usize);

/// The namespace of the platform's XML answers.
pub const XML_NAMESPACE: &str = "http://soa.com/uri/products/restapi/xsd/1.0";

pub fn routes(r: &mut Routes) {
    r.post(
        "/login",
        login,
        "Log a tenant user in: sets AtmoAuthToken_{FedmemberID}, answers the CSRF token",
    )
    .delete("/login", logout, "End the session the cookie names")
    .post(
        "/tenants/{FedmemberID}/theme/{theme}/pki",
        add_pki,
        "Add PKI to a tenant theme from a PKCS#12 or JKS keystore (multipart/form-data)",
    )
    .get(
        "/tenants/{FedmemberID}/theme/{theme}/pki",
        get_pki,
        "The PKI a tenant theme holds",
    )
    .delete(
        "/tenants/{FedmemberID}/theme/{theme}/pki",
        delete_pki,
        "Remove a tenant theme's PKI",
    );
}

/// A path or method the face does not serve, in the caller's dialect.
pub(crate) fn no_route(req: &HttpRequest, missing: &NoRoute) -> HttpResponse {
    Dialect::of(req).error(missing.status(), missing.message())
}

/// Puts a handler's outcome in the caller's dialect.
fn answer(dialect: Dialect, outcome: Result<HttpResponse, Failure>) -> HttpResponse {
    outcome.unwrap_or_else(|f| dialect.error(f.status, &f.message))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    email: String,
    password: String,
}

/// POST /api/login
async fn login(req: HttpRequest, tenants: web::Data<Tenants>, body: web::Bytes) -> HttpResponse {
    let dialect = Dialect::of(&req);
    answer(
        dialect,
        async {
            let body: LoginBody =
                decode_json_object(&body).map_err(|e| Failure::bad(e.to_string()))?;
            let session = accounts::login(&tenants, &body.email, &body.password).await?;
            Ok(logged_in(&session))
        }
        .await,
    )
}

/// The session cookie (HttpOnly), and the CSRF token three ways: the
/// answer's body, a header, and a cookie a page's script can read.
fn logged_in(session: &TenantSession) -> HttpResponse {
    let cookie_value = token_value(&session.token, session.expires_at);
    let csrf_value = token_value(&session.csrf, session.expires_at);
    let expires = actix_web::cookie::time::OffsetDateTime::from_unix_timestamp(
        session.expires_at.timestamp(),
    )
    .ok();
    let cookie = |name: String, value: String, http_only: bool| {
        let mut cookie = Cookie::build(name, value)
            .path("/")
            .http_only(http_only)
            .same_site(SameSite::Strict)
            .finish();
        cookie.set_expires(expires);
        cookie
    };
    let tenant = &session.tenant;
    HttpResponse::Ok()
        .cookie(cookie(tenant.cookie_name(), cookie_value, true))
        .cookie(cookie(
            format!("Csrf-Token_{tenant}"),
            csrf_value.clone(),
            false,
        ))
        .insert_header((tenant.csrf_header(), csrf_value.clone()))
        .insert_header(("Cache-Control", "no-cache, no-store"))
        .json(json!({
            "FedmemberID": tenant,
            "email": session.email,
            "csrfToken": csrf_value,
            "expirationTime": session.expires_at.timestamp_millis(),
        }))
}

/// DELETE /api/login: ends every tenant session the request's cookies name.
async fn logout(req: HttpRequest, tenants: web::Data<Tenants>) -> HttpResponse {
    let dialect = Dialect::of(&req);
    answer(
        dialect,
        async {
            // Copied out, so the request's cookie jar is not held across
            // the awaits below.
            let sessions: Vec<(TenantId, String)> = req
                .cookies()
                .map_err(|_| Failure::bad("Cookie: unreadable"))?
                .iter()
                .filter_map(|c| {
                    let tenant = TenantId::parse(c.name().strip_prefix("AtmoAuthToken_")?).ok()?;
                    Some((tenant, c.value().to_owned()))
                })
                .collect();
            if sessions.is_empty() {
                return Err(TenantsError::NotLoggedIn(
                    "AtmoAuthToken_{FedmemberID}: missing cookie; there is no session to end"
                        .into(),
                )
                .into());
            }
            let mut response = HttpResponse::NoContent();
            for (tenant, value) in &sessions {
                accounts::logout(&tenants, tenant, Some(value)).await?;
                let mut gone = Cookie::build(tenant.cookie_name(), "").path("/").finish();
                gone.make_removal();
                response.cookie(gone);
            }
            Ok(response.finish())
        }
        .await,
    )
}

/// The tenant and theme of a `/tenants/{FedmemberID}/theme/{theme}/pki` path.
fn theme_path(path: &(String, String)) -> Result<(TenantId, ThemeName), Failure> {
    Ok((TenantId::parse(&path.0)?, ThemeName::parse(&path.1)?))
}

/// The session the tenant's cookie names.
fn signed_in(
    req: &HttpRequest,
    tenants: &Tenants,
    tenant: &TenantId,
) -> Result<TenantSession, Failure> {
    let cookie = req.cookie(&tenant.cookie_name());
    Ok(accounts::authenticate(
        tenants,
        tenant,
        cookie.as_ref().map(|c| c.value()),
    )?)
}

/// A write's CSRF token: the header, else (on the upload) a form part.
fn csrf_checked(
    req: &HttpRequest,
    tenants: &Tenants,
    session: &TenantSession,
    form_csrf: Option<&str>,
) -> Result<(), Failure> {
    let header = req
        .headers()
        .get(session.tenant.csrf_header())
        .and_then(|v| v.to_str().ok());
    Ok(accounts::check_csrf(
        tenants,
        session,
        header.or(form_csrf),
    )?)
}

fn href(urls: &PublicUrls, tenant: &TenantId, theme: &ThemeName) -> String {
    format!("{}/api/tenants/{tenant}/theme/{theme}/pki", urls.public())
}

/// POST /api/tenants/{FedmemberID}/theme/{theme}/pki
async fn add_pki(
    req: HttpRequest,
    tenants: web::Data<Tenants>,
    urls: web::Data<PublicUrls>,
    limit: web::Data<UploadLimit>,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> HttpResponse {
    let dialect = Dialect::of(&req);
    answer(
        dialect,
        async {
            let (tenant, theme) = theme_path(&path)?;
            // Who is asking is settled before the upload is read.
            let session = signed_in(&req, &tenants, &tenant)?;
            let content_type = req
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let boundary = multipart::boundary(content_type).map_err(|m| Failure {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                message: m,
            })?;
            let body = read_body(&req, payload, limit.0).await?;
            let parts = multipart::parse(&body, &boundary).map_err(Failure::bad)?;
            let form = UploadForm::read(&req, &tenant, parts)?;
            csrf_checked(&req, &tenants, &session, form.csrf.as_deref())?;
            let imported = pki::import(&tenants, &tenant, &theme, &form.upload).await?;
            Ok(dialect.pki(&imported, &href(&urls, &tenant, &theme)))
        }
        .await,
    )
}

/// GET /api/tenants/{FedmemberID}/theme/{theme}/pki
async fn get_pki(
    req: HttpRequest,
    tenants: web::Data<Tenants>,
    urls: web::Data<PublicUrls>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let dialect = Dialect::of(&req);
    answer(
        dialect,
        async {
            let (tenant, theme) = theme_path(&path)?;
            signed_in(&req, &tenants, &tenant)?;
            let stored = pki::get(&tenants, &tenant, &theme)?;
            Ok(dialect.pki(&stored, &href(&urls, &tenant, &theme)))
        }
        .await,
    )
}

/// DELETE /api/tenants/{FedmemberID}/theme/{theme}/pki
async fn delete_pki(
    req: HttpRequest,
    tenants: web::Data<Tenants>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let dialect = Dialect::of(&req);
    answer(
        dialect,
        async {
            let (tenant, theme) = theme_path(&path)?;
            let session = signed_in(&req, &tenants, &tenant)?;
            csrf_checked(&req, &tenants, &session, None)?;
            pki::remove(&tenants, &tenant, &theme).await?;
            Ok(HttpResponse::NoContent().finish())
        }
        .await,
    )
}
