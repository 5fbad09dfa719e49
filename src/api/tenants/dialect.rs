//! The tenants face's two dialects, JSON and XML by Accept, and how a
//! refused call is put in them.

use actix_web::HttpRequest;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::ACCEPT;
use serde_json::json;

use super::super::BodyError;
use super::super::markup::escape;
use super::XML_NAMESPACE;
use crate::domain::DomainError;
use crate::domain::tenants::ThemePki;
use crate::service::ServiceError;
use crate::service::tenants::TenantsError;

/// The answer format the Accept header asks for; JSON unless XML is
/// preferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    Json,
    Xml,
}

impl Dialect {
    /// The acceptable type with the highest q (the first of equals); types
    /// this face cannot write are passed over.
    pub(super) fn of(req: &HttpRequest) -> Self {
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

    pub(super) fn error(self, status: StatusCode, message: &str) -> HttpResponse {
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

    pub(super) fn pki(self, pki: &ThemePki, href: &str) -> HttpResponse {
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
pub(super) struct Failure {
    pub(super) status: StatusCode,
    pub(super) message: String,
}

impl Failure {
    pub(super) fn bad(message: impl Into<String>) -> Self {
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
