//! The directory's error dialect: a status and `{"errors": ["<field>: <rule>"]}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::api::auth::Unauthorized;
use crate::domain::DomainError;
use crate::service::ServiceError;

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("unauthorized")]
    Unauthorized,
    #[error("{}", .0.join("; "))]
    BadRequest(Vec<String>),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A known path asked with a method it does not take (the Allow header
    /// is `negotiation::no_route`'s, for every face).
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The Accept header takes no type the path answers in.
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    Unavailable(String),
    /// A path this listener does not serve (plain http beside https).
    #[error("{0}")]
    MisdirectedRequest(String),
    /// A bug or a failing disk; the detail goes to the log, not the client.
    #[error("{0}")]
    Internal(String),
}

impl From<ServiceError> for DirectoryError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(_) | ServiceError::Refused(_) => Self::BadRequest(e.messages()),
            ServiceError::Forbidden(m) => Self::Forbidden(m.to_string()),
            ServiceError::NotFound(m) => Self::NotFound(m.to_string()),
            ServiceError::Conflict(m) => Self::Conflict(m.to_string()),
            ServiceError::Unavailable(m) => Self::Unavailable(m.to_string()),
            e @ (ServiceError::Store(_) | ServiceError::Crypto(_)) => Self::Internal(e.to_string()),
        }
    }
}

impl From<DomainError> for DirectoryError {
    fn from(e: DomainError) -> Self {
        Self::BadRequest(vec![e.to_string()])
    }
}

impl From<Unauthorized> for DirectoryError {
    fn from(_: Unauthorized) -> Self {
        Self::Unauthorized
    }
}

impl ResponseError for DirectoryError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::MisdirectedRequest(_) => StatusCode::MISDIRECTED_REQUEST,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let errors = match self {
            Self::Unauthorized => return Unauthorized.error_response(),
            Self::BadRequest(messages) => messages.clone(),
            Self::Internal(detail) => {
                log::error!("internal error: {detail}");
                vec!["internal error; see the obdir log".to_owned()]
            }
            other => vec![other.to_string()],
        };
        HttpResponse::build(self.status_code()).json(serde_json::json!({ "errors": errors }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::error::{STATUS_OF_EACH_KIND, as_a_client_reads_it, one_of_each_kind};

    /// `{"errors": [...]}` with the service's words, and no internal detail.
    #[tokio::test]
    async fn each_kind_of_service_error_in_the_directory_dialect() {
        for (e, status) in one_of_each_kind().into_iter().zip(STATUS_OF_EACH_KIND) {
            let message = as_a_client_reads_it(&e);
            let response = DirectoryError::from(e).error_response();
            assert_eq!(response.status().as_u16(), status);
            let body = actix_web::body::to_bytes(response.into_body())
                .await
                .unwrap();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body, serde_json::json!({ "errors": [message] }));
        }
    }
}
