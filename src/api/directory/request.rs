//! Reading a directory request: FAPI headers, path ids, JSON and PEM bodies.

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::future::{Ready, ready};

use super::DirectoryError;
use crate::api::media_type;
use crate::domain::domain_user::user_email;
use crate::domain::fapi::{
    AUTH_DATE_HEADER, CUSTOMER_IP_HEADER, CustomerIpAddress, FapiAuthDate, INTERACTION_ID_HEADER,
    InteractionId,
};
use crate::domain::page::PageRequest;
use crate::domain::{
    ApiDiscoveryEndpointId, ApiResourceId, AuthorisationId, AuthorisationServerId,
    AuthorityClaimId, CertOrKeyType, CertificationId, ContactId, DomainClaimId, DomainError, Kid,
    OrganisationId, SoftwareClaimId, SoftwareStatementId, StatementCertificationId,
};
use crate::service::api_resources::ServerOf;
use crate::service::domain_users::DomainOf;

/// The largest PEM body the upload takes.
pub const MAX_PEM_BYTES: usize = 64 * 1024;
/// The largest JSON body the directory takes.
pub const MAX_JSON_BYTES: usize = 256 * 1024;

/// Checks the optional FAPI headers; a present but malformed one is a 400 naming it.
pub fn check_fapi_headers(req: &HttpRequest) -> Result<(), DirectoryError> {
    let mut errors = Vec::new();
    let mut check = |name: &str, parse: &dyn Fn(&str) -> Result<(), DomainError>| {
        if let Some(value) = req.headers().get(name) {
            let result = value
                .to_str()
                .map_err(|_| DomainError::field(name, "must be visible ASCII"))
                .and_then(parse);
            if let Err(e) = result {
                errors.push(e.to_string());
            }
        }
    };
    check(AUTH_DATE_HEADER, &|v| FapiAuthDate::parse(v).map(drop));
    check(CUSTOMER_IP_HEADER, &|v| {
        CustomerIpAddress::parse(v).map(drop)
    });
    check(INTERACTION_ID_HEADER, &|v| {
        InteractionId::parse(v).map(drop)
    });
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DirectoryError::BadRequest(errors))
    }
}

/// The path values a directory route may carry, named as in the API document.
#[derive(Debug, Deserialize)]
pub struct DirectoryPath {
    #[serde(rename = "OrganisationId")]
    organisation_id: String,
    #[serde(rename = "SoftwareStatementId")]
    software_statement_id: Option<String>,
    #[serde(rename = "SoftwareStatementCertificateOrKeyType")]
    statement_type: Option<String>,
    #[serde(rename = "OrganisationCertificateType")]
    organisation_type: Option<String>,
    #[serde(rename = "CertificateOrKeyId")]
    kid: Option<String>,
    #[serde(rename = "AuthorisationServerId")]
    server: Option<String>,
    #[serde(rename = "ApiResourceId")]
    resource: Option<String>,
    #[serde(rename = "ApiDiscoveryEndpointId")]
    endpoint: Option<String>,
    #[serde(rename = "AuthorisationServerCertificationId")]
    certification: Option<String>,
    #[serde(rename = "OrganisationAuthorityClaimId")]
    authority_claim: Option<String>,
    #[serde(rename = "OrganisationAuthorisationId")]
    authorisation: Option<String>,
    #[serde(rename = "OrganisationAuthorityDomainClaimId")]
    domain_claim: Option<String>,
    #[serde(rename = "SoftwareAuthorityClaimId")]
    software_claim: Option<String>,
    #[serde(rename = "ContactId")]
    contact: Option<String>,
    #[serde(rename = "SoftwareStatementCertificationId")]
    statement_certification: Option<String>,
    #[serde(rename = "AuthorisationDomainName")]
    domain: Option<String>,
    #[serde(rename = "UserEmailId")]
    user_email: Option<String>,
}

/// Path values turned into domain types.
pub struct Ids {
    pub org: OrganisationId,
    pub ss: Option<SoftwareStatementId>,
    pub key_type: Option<CertOrKeyType>,
    pub kid: Option<Kid>,
    pub server: Option<AuthorisationServerId>,
    pub resource: Option<ApiResourceId>,
    pub endpoint: Option<ApiDiscoveryEndpointId>,
    pub certification: Option<CertificationId>,
    pub authority_claim: Option<AuthorityClaimId>,
    pub authorisation: Option<AuthorisationId>,
    pub domain_claim: Option<DomainClaimId>,
    pub software_claim: Option<SoftwareClaimId>,
    pub contact: Option<ContactId>,
    pub statement_certification: Option<StatementCertificationId>,
    /// As the path has it: the use case checks it against the catalogue.
    pub domain: Option<String>,
    pub user_email: Option<String>,
}

/// The path value a route always has, or an internal error naming it.
fn always<'a, T>(value: &'a Option<T>, field: &str) -> Result<&'a T, DirectoryError> {
    value
        .as_ref()
        .ok_or_else(|| DirectoryError::Internal(format!("route without {{{field}}}")))
}

impl Ids {
    /// The software statement of a route that always has one.
    pub fn statement(&self) -> Result<&SoftwareStatementId, DirectoryError> {
        self.ss
            .as_ref()
            .ok_or_else(|| DirectoryError::Internal("route without {SoftwareStatementId}".into()))
    }

    /// The type of a route that always has one.
    pub fn key_type(&self) -> Result<CertOrKeyType, DirectoryError> {
        self.key_type
            .ok_or_else(|| DirectoryError::Internal("route without a certificate type".into()))
    }

    /// The authorisation server of a route that always has one.
    pub fn server(&self) -> Result<&AuthorisationServerId, DirectoryError> {
        always(&self.server, AuthorisationServerId::FIELD)
    }

    /// The organisation and server of a route under an authorisation server.
    pub fn server_of(&self) -> Result<ServerOf<'_>, DirectoryError> {
        Ok(ServerOf {
            org: &self.org,
            server: self.server()?,
        })
    }

    pub fn resource(&self) -> Result<&ApiResourceId, DirectoryError> {
        always(&self.resource, ApiResourceId::FIELD)
    }

    pub fn endpoint(&self) -> Result<&ApiDiscoveryEndpointId, DirectoryError> {
        always(&self.endpoint, ApiDiscoveryEndpointId::FIELD)
    }

    pub fn certification(&self) -> Result<&CertificationId, DirectoryError> {
        always(&self.certification, CertificationId::FIELD)
    }

    pub fn authority_claim(&self) -> Result<&AuthorityClaimId, DirectoryError> {
        always(&self.authority_claim, AuthorityClaimId::FIELD)
    }

    pub fn authorisation(&self) -> Result<&AuthorisationId, DirectoryError> {
        always(&self.authorisation, AuthorisationId::FIELD)
    }

    pub fn domain_claim(&self) -> Result<&DomainClaimId, DirectoryError> {
        always(&self.domain_claim, DomainClaimId::FIELD)
    }

    pub fn software_claim(&self) -> Result<&SoftwareClaimId, DirectoryError> {
        always(&self.software_claim, SoftwareClaimId::FIELD)
    }

    pub fn contact(&self) -> Result<&ContactId, DirectoryError> {
        always(&self.contact, ContactId::FIELD)
    }

    pub fn statement_certification(&self) -> Result<&StatementCertificationId, DirectoryError> {
        always(
            &self.statement_certification,
            StatementCertificationId::FIELD,
        )
    }

    /// The organisation and authorisation domain of a route under one.
    pub fn domain_of(&self) -> Result<DomainOf<'_>, DirectoryError> {
        Ok(DomainOf {
            org: &self.org,
            domain: always(&self.domain, "AuthorisationDomainName")?,
        })
    }

    pub fn user_email(&self) -> Result<&str, DirectoryError> {
        always(&self.user_email, "UserEmailId").map(String::as_str)
    }

    /// The kid of a route that always has one.
    pub fn kid(&self) -> Result<&Kid, DirectoryError> {
        self.kid
            .as_ref()
            .ok_or_else(|| DirectoryError::Internal("route without {CertificateOrKeyId}".into()))
    }
}

impl DirectoryPath {
    /// Parses every path value, reporting all that break their rule at once.
    pub fn parse(&self) -> Result<Ids, DirectoryError> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let org = parsed(Some(&self.organisation_id), OrganisationId::parse, e);
        let ss = parsed(
            self.software_statement_id.as_deref(),
            SoftwareStatementId::parse,
            e,
        );
        let key_type = match (&self.statement_type, &self.organisation_type) {
            (Some(t), _) => parsed(Some(t), CertOrKeyType::parse_statement_type, e),
            (None, organisation_type) => parsed(
                organisation_type.as_deref(),
                CertOrKeyType::parse_organisation_type,
                e,
            ),
        };
        let kid = parsed(self.kid.as_deref(), Kid::parse, e);
        let server = parsed(self.server.as_deref(), AuthorisationServerId::parse, e);
        let resource = parsed(self.resource.as_deref(), ApiResourceId::parse, e);
        let endpoint = parsed(self.endpoint.as_deref(), ApiDiscoveryEndpointId::parse, e);
        let certification = parsed(self.certification.as_deref(), CertificationId::parse, e);
        let authority_claim = parsed(self.authority_claim.as_deref(), AuthorityClaimId::parse, e);
        let authorisation = parsed(self.authorisation.as_deref(), AuthorisationId::parse, e);
        let domain_claim = parsed(self.domain_claim.as_deref(), DomainClaimId::parse, e);
        let software_claim = parsed(self.software_claim.as_deref(), SoftwareClaimId::parse, e);
        let contact = parsed(self.contact.as_deref(), ContactId::parse, e);
        let user_email = parsed(self.user_email.as_deref(), user_email, e);
        let statement_certification = parsed(
            self.statement_certification.as_deref(),
            StatementCertificationId::parse,
            e,
        );
        match org {
            Some(org) if errors.is_empty() => Ok(Ids {
                org,
                ss,
                key_type,
                kid,
                server,
                resource,
                endpoint,
                certification,
                authority_claim,
                authorisation,
                domain_claim,
                software_claim,
                contact,
                statement_certification,
                domain: self.domain.clone(),
                user_email,
            }),
            _ => Err(DirectoryError::BadRequest(errors)),
        }
    }
}

/// A path value the route has, parsed; one it does not have, or one that
/// breaks its rule (kept in `errors`), is None.
fn parsed<T>(
    value: Option<&str>,
    parse: impl Fn(&str) -> Result<T, DomainError>,
    errors: &mut Vec<String>,
) -> Option<T> {
    parse(value?).map_err(|e| errors.push(e.to_string())).ok()
}

/// A directory route's path ids, parsed, with its FAPI headers checked: how
/// every directory handler starts.
impl FromRequest for Ids {
    type Error = DirectoryError;
    type Future = Ready<Result<Ids, DirectoryError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(read_ids(req))
    }
}

fn read_ids(req: &HttpRequest) -> Result<Ids, DirectoryError> {
    let path: DirectoryPath = req
        .match_info()
        .load()
        .map_err(|e| DirectoryError::Internal(format!("directory route path: {e}")))?;
    let ids = path.parse()?;
    check_fapi_headers(req)?;
    Ok(ids)
}

/// `page` and `size` from the query string.
pub fn page_request(req: &HttpRequest) -> Result<PageRequest, DirectoryError> {
    let query =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .map_err(|e| DirectoryError::BadRequest(vec![format!("query: {e}")]))?;
    Ok(PageRequest::parse(
        query.get("page").map(String::as_str),
        query.get("size").map(String::as_str),
    )?)
}

fn content_type(req: &HttpRequest) -> String {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

async fn read_body(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<Vec<u8>, DirectoryError> {
    crate::api::read_body(req, payload, limit)
        .await
        .map_err(|e| match e {
            crate::api::BodyError::TooLarge(m) => DirectoryError::PayloadTooLarge(m),
            crate::api::BodyError::Unreadable(m) => DirectoryError::BadRequest(vec![m]),
        })
}

/// An `application/x-pem-file` body: required, UTF-8, at most 64 KiB, no `<` or `>`.
pub async fn pem_body(req: &HttpRequest, payload: web::Payload) -> Result<String, DirectoryError> {
    pem_body_as(req, payload, &["application/x-pem-file"], MAX_PEM_BYTES).await
}

/// A PEM body sent as one of `media_types`, at most `limit` bytes; otherwise
/// as `pem_body`.
pub async fn pem_body_as(
    req: &HttpRequest,
    payload: web::Payload,
    media_types: &[&str],
    limit: usize,
) -> Result<String, DirectoryError> {
    let content_type = content_type(req);
    if !media_types.contains(&media_type(&content_type).as_str()) {
        return Err(DirectoryError::UnsupportedMediaType(format!(
            "Content-Type: must be {}, got '{content_type}'",
            media_types.join(" or ")
        )));
    }
    let body = read_body(req, payload, limit).await?;
    let text = String::from_utf8(body)
        .map_err(|_| DirectoryError::BadRequest(vec!["body: must be UTF-8 PEM text".into()]))?;
    if text.trim().is_empty() {
        return Err(DirectoryError::BadRequest(vec![
            "body: is required (a PEM file)".into(),
        ]));
    }
    if text.contains(['<', '>']) {
        return Err(DirectoryError::BadRequest(vec![
            "body: must match ^[^<>]*$ (no '<' or '>')".into(),
        ]));
    }
    Ok(text)
}

/// A JSON request body decoded into `T`, as `json_body` reads it.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = DirectoryError;
    type Future = LocalBoxFuture<'static, Result<JsonBody<T>, DirectoryError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = web::Payload::from_request(&req, payload).into_inner();
        Box::pin(async move {
            let payload = payload.map_err(|e| DirectoryError::BadRequest(vec![e.to_string()]))?;
            json_body(&req, payload).await.map(JsonBody)
        })
    }
}

/// A JSON body decoded into `T`; a type error names the field it is in.
pub async fn json_body<T: DeserializeOwned>(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<T, DirectoryError> {
    let content_type = content_type(req);
    if media_type(&content_type) != "application/json" {
        return Err(DirectoryError::UnsupportedMediaType(format!(
            "Content-Type: must be application/json, got '{content_type}'"
        )));
    }
    let body = read_body(req, payload, MAX_JSON_BYTES).await?;
    crate::api::decode_json_object(&body).map_err(DirectoryError::from)
}
