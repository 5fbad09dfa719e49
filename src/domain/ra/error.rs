//! The RA's error scheme (seed 002): `<module>.<section>.<code>`, as in
//! `011.351.0241` for a CSR that does not parse.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    Commons = 1,
    Hsm = 6,
    Ca = 7,
    Authentication = 9,
    RaoApi = 11,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Utils = 10,
    Api = 110,
    Services = 120,
    Dao = 140,
    Callback = 150,
    Jwt = 250,
    App = 350,
    FormValidation = 351,
    AccessDenied = 352,
    Authentication = 353,
    Runtime = 354,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Authentication = 223,
    AccessDenied = 224,
    Runtime = 225,
    Validation = 226,
    Application = 227,
    Jwt = 228,
    NullValue = 229,
    InvalidCertificateSerial = 230,
    InvalidClient = 231,
    CertificateExpired = 232,
    CertificateAlreadyRevoked = 233,
    InvalidProductMapping = 234,
    CertificateIsCa = 235,
    CertificateIsEntity = 236,
    FailedParsingDn = 237,
    InvalidIssuerName = 238,
    FailedSubmitOrder = 239,
    FailedValidatingRequest = 240,
    FailedParsingCsr = 241,
    MissingCdp = 242,
    InvalidProductId = 243,
    InvalidProductType = 244,
    ProductApiDisabled = 245,
    ProductRetired = 246,
    ProductExpired = 247,
    InvalidClientProduct = 248,
}

/// One error code of the scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    pub module: Module,
    pub section: Section,
    pub code: Code,
}

impl ErrorCode {
    pub const fn new(module: Module, section: Section, code: Code) -> Self {
        Self {
            module,
            section,
            code,
        }
    }

    /// A refused request field, in the RA API's form-validation section.
    pub const fn form(code: Code) -> Self {
        Self::new(Module::RaoApi, Section::FormValidation, code)
    }

    /// An operation of the RA application that could not be carried out.
    pub const fn app(code: Code) -> Self {
        Self::new(Module::RaoApi, Section::App, code)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:03}.{:03}.{:04}",
            self.module as u16, self.section as u16, self.code as u16
        )
    }
}

/// How a refusal reads to the caller, whatever its code: the face turns it
/// into a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Invalid,
    Unauthenticated,
    Forbidden,
    NotFound,
    /// A path the RA serves, asked with another method.
    MethodNotAllowed,
    Conflict,
    /// A body over the size limit.
    TooLarge,
    /// The RA cannot do this now (no CA to sign with).
    Unavailable,
    /// A fault of obdir itself.
    Internal,
}

/// A refused RA request: its code and what to tell the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {}", messages.join("; "))]
pub struct RaFailure {
    pub refusal: Refusal,
    pub code: ErrorCode,
    pub messages: Vec<String>,
}

impl RaFailure {
    pub fn new(refusal: Refusal, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            refusal,
            code,
            messages: vec![message.into()],
        }
    }

    /// A field that broke a rule.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(Refusal::Invalid, ErrorCode::form(Code::Validation), message)
    }

    /// A required value that is missing.
    pub fn null_value(field: &str) -> Self {
        Self::new(
            Refusal::Invalid,
            ErrorCode::form(Code::NullValue),
            format!("{field}: is required"),
        )
    }

    /// No such record (order, domain) for this operator.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(
            Refusal::NotFound,
            ErrorCode::form(Code::Validation),
            message,
        )
    }

    /// A wrong user name or API key.
    pub fn authentication(message: impl Into<String>) -> Self {
        Self::new(
            Refusal::Unauthenticated,
            ErrorCode::new(
                Module::Authentication,
                Section::Authentication,
                Code::Authentication,
            ),
            message,
        )
    }

    /// A missing, malformed, forged or expired session token.
    pub fn jwt(message: impl Into<String>) -> Self {
        Self::new(
            Refusal::Unauthenticated,
            ErrorCode::new(Module::Authentication, Section::Jwt, Code::Jwt),
            message,
        )
    }

    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new(
            Refusal::Forbidden,
            ErrorCode::new(Module::RaoApi, Section::AccessDenied, Code::AccessDenied),
            message,
        )
    }

    /// A path under `/v2` the RA does not serve.
    pub fn unknown_route(message: impl Into<String>) -> Self {
        Self::new(
            Refusal::NotFound,
            ErrorCode::app(Code::Application),
            message,
        )
    }

    /// An RA path asked with a method it does not take (every call is a POST).
    pub fn method_not_allowed(message: impl Into<String>) -> Self {
        Self::new(
            Refusal::MethodNotAllowed,
            ErrorCode::app(Code::Application),
            message,
        )
    }

    pub fn runtime(message: impl Into<String>) -> Self {
        Self::new(
            Refusal::Internal,
            ErrorCode::new(Module::RaoApi, Section::Runtime, Code::Runtime),
            message,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_print_as_the_seed_writes_them() {
        assert_eq!(
            ErrorCode::form(Code::FailedParsingCsr).to_string(),
            "011.351.0241"
        );
        assert_eq!(RaFailure::jwt("x").code.to_string(), "009.250.0228");
        assert_eq!(
            ErrorCode::new(Module::Commons, Section::Api, Code::Runtime).to_string(),
            "001.110.0225"
        );
    }
}
