//! What a use case answers instead of a result, as data: the field and the
//! rule it broke, the kind of thing not found and its id, the record in the
//! way. Each face words the status and shape in its own dialect; the
//! sentences a client reads are written here, once per kind.

use chrono::{DateTime, Utc};

use crate::domain::{
    ApiDiscoveryEndpointId, ApiResourceId, AuthorisationServerId, CertOrKeyType, CertificationId,
    DomainError, Kid, OrganisationId, SoftwareStatementId,
};
use crate::pki::PkiError;
use crate::pki::trust::NotTrusted;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Values that broke rules, each naming its field and the rule.
    #[error("{}", join(.0))]
    Invalid(Vec<DomainError>),
    /// A CSR, key, certificate, chain or file that was read and refused.
    #[error("{0}")]
    Refused(Refused),
    /// The caller is authenticated but may not do this.
    #[error("{0}")]
    Forbidden(Forbidden),
    #[error("{0}")]
    NotFound(NotFound),
    #[error("{0}")]
    Conflict(Conflict),
    /// The directory cannot do this now.
    #[error("{0}")]
    Unavailable(Unavailable),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Crypto(PkiError),
}

fn join(errors: &[DomainError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl ServiceError {
    /// The messages a dialect that lists its errors shows, one per rule.
    pub fn messages(&self) -> Vec<String> {
        match self {
            Self::Invalid(errors) => errors.iter().map(ToString::to_string).collect(),
            other => vec![other.to_string()],
        }
    }
}

/// Material refused on its content, not on a named field.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// What the crypto checks refused: the CSR, key or certificate itself.
    #[error("{0}")]
    Material(PkiError),
    #[error("{0}")]
    Untrusted(NotTrusted),
    /// forceTrust asked for, but the keystore carries no issuer to trust.
    #[error(
        "{0}; the keystore does not carry its issuer '{issuer}'; add that CA with POST /admin/truststore",
        issuer = .0.issuer
    )]
    IssuerNotCarried(NotTrusted),
    #[error("{refused} (even with '{anchor}' trusted)")]
    UntrustedWithAnchor { refused: NotTrusted, anchor: String },
    #[error(
        "dtsCaCertificateId: root CA certificate '{0}' is active and its issuing CA still signs; deactivate it before deleting it"
    )]
    RootStillSigning(String),
    #[error("snapshot '{name}' {defect}")]
    Snapshot {
        name: String,
        defect: SnapshotDefect,
    },
}

/// What is wrong with a snapshot file.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotDefect {
    #[error("does not parse: {0}")]
    Unparsable(String),
    #[error("is of format '{found}', not {expected}")]
    Format {
        found: String,
        expected: &'static str,
    },
    #[error("holds a key or value that is not base64")]
    NotBase64,
    #[error("table '{table}' {reason}")]
    Table { table: String, reason: String },
}

#[derive(Debug, thiserror::Error)]
pub enum Forbidden {
    #[error("this token may not act on organisation '{0}'")]
    Organisation(OrganisationId),
    /// What needs the admin token, as "reading events".
    #[error("{0} needs the admin token")]
    AdminOnly(&'static str),
}

#[derive(Debug, thiserror::Error)]
pub enum NotFound {
    #[error("OrganisationId: organisation '{0}' does not exist")]
    Organisation(OrganisationId),
    #[error(
        "SoftwareStatementId: software statement '{ss}' does not exist in organisation '{org}'"
    )]
    SoftwareStatement {
        org: OrganisationId,
        ss: SoftwareStatementId,
    },
    #[error(
        "AuthorisationServerId: authorisation server '{id}' does not exist in organisation '{org}'"
    )]
    AuthorisationServer {
        org: OrganisationId,
        id: AuthorisationServerId,
    },
    #[error("ApiResourceId: API resource '{id}' does not exist on authorisation server '{server}'")]
    ApiResource {
        server: AuthorisationServerId,
        id: ApiResourceId,
    },
    #[error(
        "ApiDiscoveryEndpointId: discovery endpoint '{id}' does not exist in API resource '{resource}'"
    )]
    ApiDiscoveryEndpoint {
        resource: ApiResourceId,
        id: ApiDiscoveryEndpointId,
    },
    #[error(
        "AuthorisationServerCertificationId: certification '{id}' does not exist on authorisation server '{server}'"
    )]
    ServerCertification {
        server: AuthorisationServerId,
        id: CertificationId,
    },
    /// A record that hangs from an owner (a claim, an authorisation, a
    /// contact) not under it.
    #[error("{field}: {what} '{id}' does not exist in {owner}")]
    Record {
        field: &'static str,
        what: &'static str,
        id: String,
        owner: String,
    },
    #[error("CertificateOrKeyId: no {}certificate or key '{kid}' here", type_prefix(.key_type))]
    CertificateOrKey {
        key_type: Option<CertOrKeyType>,
        kid: Kid,
    },
    /// A keystore PEM URL's kid.
    #[error("kid '{0}' does not exist here")]
    Kid(Kid),
    #[error("kid '{kid}' is a bare {key_type} key: it has no certificate")]
    BareKey { kid: Kid, key_type: CertOrKeyType },
    #[error("root CA certificate '{0}' does not exist")]
    RootCa(String),
    #[error("DTS root CA certificate '{0}' does not exist")]
    DtsRootCa(String),
    #[error("no active DTS root CA certificate")]
    ActiveDtsRootCa,
    /// A root the hierarchy held a moment ago, gone from the store.
    #[error("root '{0}' vanished")]
    RootVanished(String),
    #[error("no CA '{0}' publishes a CRL here")]
    CrlIssuer(String),
    #[error("no trust anchor has the fingerprint {0}")]
    TrustAnchor(String),
    #[error("snapshot '{0}' does not exist")]
    Snapshot(String),
    #[error("no tenant user '{0}'")]
    TenantUser(String),
    #[error("no fault rule '{0}' is set")]
    FaultRule(String),
    #[error("theme '{theme}' of tenant '{tenant}' holds no PKI")]
    ThemePki { tenant: String, theme: String },
}

fn type_prefix(key_type: &Option<CertOrKeyType>) -> String {
    key_type.map_or(String::new(), |t| format!("{t} "))
}

#[derive(Debug, thiserror::Error)]
pub enum Conflict {
    #[error("OrganisationId: organisation '{0}' already exists")]
    Organisation(OrganisationId),
    #[error("SoftwareStatementId: software statement '{0}' already exists")]
    SoftwareStatement(SoftwareStatementId),
    #[error("AuthorisationServerId: authorisation server '{0}' already exists")]
    AuthorisationServer(AuthorisationServerId),
    /// An id the directory made is taken under its parent.
    #[error("{field}: '{id}' is already taken")]
    IdTaken { field: &'static str, id: String },
    #[error("kid '{kid}' is already used here by a {held_by} record")]
    KidTaken { kid: Kid, held_by: CertOrKeyType },
    /// One public key, active twice on one owner.
    #[error(
        "this public key is already active on {} as {key_type} (kid '{kid}')",
        owner(.org, .ss)
    )]
    KeyActive {
        org: OrganisationId,
        ss: Option<SoftwareStatementId>,
        key_type: CertOrKeyType,
        kid: Kid,
    },
    #[error("products.reference: {product} already belongs to client {client}")]
    ProductTaken { product: String, client: String },
    #[error(
        "Maximum number of DTS CA certificates reached. Please delete an existing certificate before creating a new one."
    )]
    TooManyRoots,
}

fn owner(org: &OrganisationId, ss: &Option<SoftwareStatementId>) -> String {
    match ss {
        Some(ss) => format!("software statement '{ss}'"),
        None => format!("organisation '{org}'"),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Unavailable {
    #[error(
        "no active root CA can sign: activate one with PUT /v1/ecosystems/certificates/ca/{{id}}"
    )]
    NoSigningRoot,
    #[error("no active root CA to certify the directory's signing key")]
    NoRootForSigner,
    #[error("no active root CA to certify the TLS server key")]
    NoRootForTls,
}

impl From<PkiError> for ServiceError {
    fn from(e: PkiError) -> Self {
        if e.is_internal() {
            Self::Crypto(e)
        } else {
            Self::Refused(Refused::Material(e))
        }
    }
}

impl From<DomainError> for ServiceError {
    fn from(e: DomainError) -> Self {
        Self::Invalid(vec![e])
    }
}

impl From<Vec<DomainError>> for ServiceError {
    fn from(errors: Vec<DomainError>) -> Self {
        Self::Invalid(errors)
    }
}

macro_rules! kind_into_service_error {
    ($($kind:ident => $variant:ident),*) => {$(
        impl From<$kind> for ServiceError {
            fn from(e: $kind) -> Self {
                Self::$variant(e)
            }
        }
    )*};
}

kind_into_service_error!(
    Refused => Refused,
    Forbidden => Forbidden,
    NotFound => NotFound,
    Conflict => Conflict,
    Unavailable => Unavailable
);

/// A statement that is not Active, refused for `purpose`.
pub fn statement_not_active(
    ss: &SoftwareStatementId,
    status: impl std::fmt::Display,
    purpose: &str,
) -> ServiceError {
    DomainError::field(
        SoftwareStatementId::FIELD,
        format!("software statement '{ss}' is {status}; only an Active one {purpose}"),
    )
    .into()
}

/// A revocation of a record that is revoked already.
pub fn already_revoked(kid: &Kid, since: DateTime<Utc>) -> ServiceError {
    DomainError::field(
        Kid::FIELD,
        format!("'{kid}' is already revoked (since {})", since.to_rfc3339()),
    )
    .into()
}

/// A PUT that tries to change the id in its path.
/// Why a write of a record under a parent was refused: its id is taken
/// (`taken`: the id's field and value), or it or its parent is missing, as
/// `find` names it first, else `missing` says.
pub(super) fn refusal(
    refused: crate::store::ServerRefused,
    taken: (&'static str, String),
    find: impl FnOnce() -> Result<(), ServiceError>,
    missing: ServiceError,
) -> ServiceError {
    match refused {
        crate::store::ServerRefused::Taken => Conflict::IdTaken {
            field: taken.0,
            id: taken.1,
        }
        .into(),
        crate::store::ServerRefused::Missing => find().err().unwrap_or(missing),
    }
}

pub fn id_changed(field: &str, id: impl std::fmt::Display) -> ServiceError {
    DomainError::field(field, format!("cannot be changed from '{id}'")).into()
}

/// The HTTP status every face gives each of `one_of_each_kind`, in order.
#[cfg(test)]
pub(crate) const STATUS_OF_EACH_KIND: [u16; 7] = [400, 400, 403, 404, 409, 503, 500];

/// What a face shows a client of `e`: its words, or for an internal error
/// nothing of it.
#[cfg(test)]
pub(crate) fn as_a_client_reads_it(e: &ServiceError) -> String {
    match e {
        ServiceError::Store(_) | ServiceError::Crypto(_) => {
            "internal error; see the obdir log".to_owned()
        }
        other => other.to_string(),
    }
}

/// One error of each kind, for each face's test of its dialect; the last is
/// internal, which no face shows a client.
#[cfg(test)]
pub(crate) fn one_of_each_kind() -> Vec<ServiceError> {
    use crate::pki::PkiError;
    vec![
        DomainError::field("OrganisationName", "must be 1 to 255 characters").into(),
        PkiError::ProofOfPossession.into(),
        Forbidden::AdminOnly("reading events").into(),
        NotFound::Organisation(OrganisationId::parse("org-1").unwrap()).into(),
        Conflict::TooManyRoots.into(),
        Unavailable::NoSigningRoot.into(),
        StoreError::Engine("disk detail".into()).into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_words_its_data_as_before() {
        let said: Vec<String> = one_of_each_kind().iter().map(ToString::to_string).collect();
        assert_eq!(
            said[..6],
            [
                "OrganisationName: must be 1 to 255 characters",
                "the CSR signature does not verify with the CSR's own public key (proof of possession failed)",
                "reading events needs the admin token",
                "OrganisationId: organisation 'org-1' does not exist",
                "Maximum number of DTS CA certificates reached. Please delete an existing certificate before creating a new one.",
                "no active root CA can sign: activate one with PUT /v1/ecosystems/certificates/ca/{id}",
            ]
        );
        let key_active = Conflict::KeyActive {
            org: OrganisationId::parse("org-1").unwrap(),
            ss: None,
            key_type: CertOrKeyType::Rtsseal,
            kid: Kid::parse("k1").unwrap(),
        };
        assert_eq!(
            key_active.to_string(),
            "this public key is already active on organisation 'org-1' as rtsseal (kid 'k1')"
        );
        let missing = NotFound::CertificateOrKey {
            key_type: None,
            kid: Kid::parse("k1").unwrap(),
        };
        assert_eq!(
            missing.to_string(),
            "CertificateOrKeyId: no certificate or key 'k1' here"
        );
    }

    #[test]
    fn invalid_lists_one_message_per_rule() {
        let e = ServiceError::Invalid(vec![
            DomainError::field("a", "is required"),
            DomainError::field("b", "is too long"),
        ]);
        assert_eq!(e.messages(), ["a: is required", "b: is too long"]);
        assert_eq!(e.to_string(), "a: is required; b: is too long");
    }
}
