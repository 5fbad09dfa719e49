//! The tenants face (seed 003): an API platform's login and its "add PKI to a
//! tenant theme" call, answered in JSON or, when asked, in the XML of the
//! platform's namespace. Errors are `{"code","message"}` or `<Error>`.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use super::markup::escape;
use super::multipart::{self, Part};
use super::routes::Routes;
use super::{BodyError, decode_json_object, read_body};
use crate::domain::DomainError;
use crate::domain::PublicUrls;
use crate::domain::tenants::{TenantId, TenantSession, ThemeName, ThemePki, token_value};
use crate::service::ServiceError;
use crate::service::tenants::Tenants;
use crate::service::tenants::TenantsError;
use crate::service::tenants::accounts;
use crate::service::tenants::pki::{self, ALIAS, ALIAS_PASS, FILE, KEYSTORE_PASS, KeystoreUpload};

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

/// The answer format the Accept header asks for; JSON unless XML is
/// preferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Json,
    Xml,
}

impl Dialect {
    /// The acceptable type with the highest q (the first of equals); types
    /// this face cannot write are passed over.
    fn of(req: &HttpRequest) -> Self {
        let accept = req
            .headers()
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let mut best: Option<(f32, Dialect)> = None;
        for entry in accept.split(',') {
            let mut params = entry.split(';');
            let media = params.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = params
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let dialect = match media.as_str() {
                "application/xml" | "text/xml" => Dialect::Xml,
                "application/json" | "application/vnd.soa.v85+json" | "application/*" | "*/*" => {
                    Dialect::Json
                }
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, dialect));
            }
        }
        best.map_or(Dialect::Json, |(_, d)| d)
    }

    fn error(self, status: StatusCode, message: &str) -> HttpResponse {
        let mut response = HttpResponse::build(status);
        response.insert_header(("Cache-Control", "no-cache, no-store"));
        match self {
            Dialect::Json => response.json(json!({"code": status.as_u16(), "message": message})),
            Dialect::Xml => response
                .content_type("application/xml")
                .body(xml_document(&format!(
                    "<Error xmlns=\"{XML_NAMESPACE}\"><code>{}</code><message>{}</message></Error>",
                    status.as_u16(),
                    escape(message)
                ))),
        }
    }

    fn pki(self, pki: &ThemePki, href: &str) -> HttpResponse {
        let info = &pki.certificate_info;
        let mut response = HttpResponse::Ok();
        response.insert_header(("Cache-Control", "no-cache, no-store"));
        match self {
            Dialect::Json => response.json(json!({
                "privateKeyExists": pki.private_key.is_some(),
                "publicKey": pki.public_key,
                "certificateInfo": {
                    "subjectDN": info.subject_dn,
                    "issuerDN": info.issuer_dn,
                    "serialNo": info.serial_no,
                    "effectiveDate": info.effective_date.timestamp_millis(),
                    "expirationDate": info.expiration_date.timestamp_millis(),
                },
                "Links": [
                    {"rel": "delete", "href": href},
                    {"rel": "self", "href": href},
                ],
            })),
            Dialect::Xml => {
                let href = escape(href);
                response.content_type("application/xml").body(xml_document(&format!(
                    "<PKIAndCertificateInfo xmlns=\"{XML_NAMESPACE}\">\
                     <privateKeyExists>{}</privateKeyExists>\
                     <publicKey>{}</publicKey>\
                     <certificateInfo><subjectDN>{}</subjectDN><issuerDN>{}</issuerDN>\
                     <serialNo>{}</serialNo><effectiveDate>{}</effectiveDate>\
                     <expirationDate>{}</expirationDate></certificateInfo>\
                     <Links><Link rel=\"delete\" href=\"{href}\"/><Link rel=\"self\" href=\"{href}\"/></Links>\
                     </PKIAndCertificateInfo>",
                    pki.private_key.is_some(),
                    escape(&pki.public_key),
                    escape(&info.subject_dn),
                    escape(&info.issuer_dn),
                    escape(&info.serial_no),
                    info.effective_date.timestamp_millis(),
                    info.expiration_date.timestamp_millis(),
                )))
            }
        }
    }
}

fn xml_document(root: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>{root}")
}

/// Why a call was refused, before it is put in the caller's dialect.
struct Failure {
    status: StatusCode,
    message: String,
}

impl Failure {
    fn bad(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
}

impl From<TenantsError> for Failure {
    fn from(e: TenantsError) -> Self {
        let status = match &e {
            TenantsError::NotLoggedIn(_) => StatusCode::UNAUTHORIZED,
            TenantsError::Service(service) => match service {
                ServiceError::Invalid(_) | ServiceError::Refused(_) => StatusCode::BAD_REQUEST,
                ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
                ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
                ServiceError::Conflict(_) => StatusCode::CONFLICT,
                ServiceError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
                ServiceError::Store(_) | ServiceError::Crypto(_) => {
                    // A bug or a failing disk: the detail is for the log.
                    log::error!("tenants call failed: {e}");
                    return Self {
                        status: StatusCode::INTERNAL_SERVER_ERROR,
                        message: "internal error; see the obdir log".into(),
                    };
                }
            },
        };
        Self {
            status,
            message: e.to_string(),
        }
    }
}

impl From<DomainError> for Failure {
    fn from(e: DomainError) -> Self {
        Self::bad(e.to_string())
    }
}

impl From<BodyError> for Failure {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge(m) => Self {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                message: m,
            },
            BodyError::Unreadable(m) => Self::bad(m),
        }
    }
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
    format!("{}/api/tenants/{tenant}/theme/{theme}/pki", urls.issuer())
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

/// The upload's fields, from the query string or the form (either may name
/// a field, not both with different values).
struct UploadForm {
    upload: KeystoreUpload,
    csrf: Option<String>,
}

const FORCE_TRUST: &str = "forceTrust";

impl UploadForm {
    fn read(req: &HttpRequest, tenant: &TenantId, parts: Vec<Part>) -> Result<Self, Failure> {
        let csrf_part = tenant.csrf_header();
        let text_fields = [ALIAS, KEYSTORE_PASS, ALIAS_PASS, FORCE_TRUST];
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut set =
            |name: &str, value: String, from: &str| match fields.iter().find(|(n, _)| n == name) {
                Some((_, existing)) if *existing != value => Err(Failure::bad(format!(
                    "{name}: given twice with different values ({from} too)"
                ))),
                Some(_) => Ok(()),
                None => {
                    fields.push((name.to_owned(), value));
                    Ok(())
                }
            };
        let query: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
            .map_err(|e| Failure::bad(format!("query: {e}")))?;
        let mut seen_query = Vec::new();
        for (name, value) in query {
            if !text_fields.contains(&name.as_str()) {
                return Err(Failure::bad(format!(
                    "query: '{name}' is not a parameter of this call; expected {}",
                    text_fields.join(", ")
                )));
            }
            if seen_query.contains(&name) {
                return Err(Failure::bad(format!("{name}: given twice in the query")));
            }
            seen_query.push(name.clone());
            set(&name, value, "query")?;
        }
        let mut file = None;
        let mut csrf = None;
        let mut seen_parts: Vec<String> = Vec::new();
        for part in parts {
            if seen_parts.contains(&part.name) {
                return Err(Failure::bad(format!(
                    "{}: more than one form part of that name",
                    part.name
                )));
            }
            seen_parts.push(part.name.clone());
            match part.name.as_str() {
                "path" | FILE => {
                    if file.is_some() {
                        return Err(Failure::bad(format!(
                            "{FILE}: give the keystore once, as part 'path' or 'fileName', not both"
                        )));
                    }
                    file = Some(part.data);
                }
                name if name == csrf_part => {
                    csrf = Some(text(&part)?);
                }
                name if text_fields.contains(&name) => {
                    let value = text(&part)?;
                    set(name, value, "form")?;
                }
                other => {
                    return Err(Failure::bad(format!(
                        "form: part '{other}' is not a field of this call; expected path or fileName, {}, {csrf_part}",
                        text_fields.join(", ")
                    )));
                }
            }
        }
        let get = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let file = file.ok_or_else(|| {
            Failure::bad(format!(
                "{FILE}: required: a form part named 'path' or 'fileName' holding the PKCS#12 or JKS file"
            ))
        })?;
        let alias = get(ALIAS).filter(|a| !a.is_empty()).ok_or_else(|| {
            Failure::bad(format!(
                "{ALIAS}: required (query or form): the keystore entry to use"
            ))
        })?;
        let force_trust = match get(FORCE_TRUST).as_deref().map(str::to_ascii_lowercase) {
            None => false,
            Some(v) if v == "true" => true,
            Some(v) if v == "false" => false,
            Some(v) => {
                return Err(Failure::bad(format!(
                    "{FORCE_TRUST}: must be true or false, got '{v}'"
                )));
            }
        };
        Ok(Self {
            upload: KeystoreUpload {
                file,
                alias,
                keystore_pass: get(KEYSTORE_PASS).unwrap_or_default(),
                alias_pass: get(ALIAS_PASS),
                force_trust,
            },
            csrf,
        })
    }
}

/// A text field's value, which must be UTF-8.
fn text(part: &Part) -> Result<String, Failure> {
    String::from_utf8(part.data.clone())
        .map_err(|_| Failure::bad(format!("{}: must be UTF-8 text", part.name)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_preferred_writable_type_wins() {
        let dialect = |accept: &str| {
            Dialect::of(
                &TestRequest::default()
                    .insert_header((ACCEPT, accept))
                    .to_http_request(),
            )
        };
        assert_eq!(dialect("application/json"), Dialect::Json);
        assert_eq!(dialect("application/xml"), Dialect::Xml);
        assert_eq!(
            dialect("text/html,application/xhtml+xml,application/xml"),
            Dialect::Xml
        );
        assert_eq!(
            dialect("application/xml;q=0.5, application/json"),
            Dialect::Json
        );
        assert_eq!(
            dialect("application/json;q=0.2, text/xml;q=0.9"),
            Dialect::Xml
        );
        assert_eq!(dialect("application/vnd.soa.v85+json"), Dialect::Json);
        assert_eq!(dialect("image/png"), Dialect::Json);
        assert_eq!(
            Dialect::of(&TestRequest::default().to_http_request()),
            Dialect::Json
        );
    }
}

#[cfg(test)]
mod service_errors {
    use super::*;
    use crate::service::error::{STATUS_OF_EACH_KIND, as_a_client_reads_it, one_of_each_kind};

    /// `{code, message}` or `<Error>` by Accept; no internal detail leaks.
    #[tokio::test]
    async fn each_kind_of_service_error_in_the_tenants_dialects() {
        for (e, status) in one_of_each_kind().into_iter().zip(STATUS_OF_EACH_KIND) {
            let message = as_a_client_reads_it(&e);
            let message = message.as_str();
            let failure = Failure::from(TenantsError::Service(e));
            let response = Dialect::Json.error(failure.status, &failure.message);
            assert_eq!(response.status().as_u16(), status);
            let body = actix_web::body::to_bytes(response.into_body())
                .await
                .unwrap();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body, json!({"code": status, "message": message}));
            let response = Dialect::Xml.error(failure.status, &failure.message);
            let body = actix_web::body::to_bytes(response.into_body())
                .await
                .unwrap();
            let body = String::from_utf8(body.to_vec()).unwrap();
            assert!(
                body.ends_with(&format!(
                    "<code>{status}</code><message>{}</message></Error>",
                    escape(message)
                )),
                "{body}"
            );
        }
    }
}
