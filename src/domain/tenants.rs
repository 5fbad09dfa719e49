//! The tenants face's records and rules (seed 003): tenants' users and their
//! login sessions, and the PKI (an imported keystore entry) a tenant theme
//! holds.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::DomainError;

/// Rule shared by the ids in a tenants path: they end up in cookie and
/// header names (`AtmoAuthToken_{fedmemberid}`), so only token characters.
fn parse_path_id(field: &str, value: &str) -> Result<String, DomainError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    if value.is_empty() || value.len() > 64 || !value.chars().all(allowed) {
        return Err(DomainError::field(
            field,
            "must be 1 to 64 characters of A-Z, a-z, 0-9 and . _ -",
        ));
    }
    // As a path segment of the answer's links these would be dot-segments,
    // which a client resolves away (RFC 3986 5.2.4).
    if value == "." || value == ".." {
        return Err(DomainError::field(field, "must not be '.' or '..'"));
    }
    Ok(value.to_owned())
}

/// A tenant's id: the `{FedmemberID}` of the path, and the suffix of its
/// cookie and CSRF header names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantId(String);

impl TenantId {
    pub const FIELD: &'static str = "FedmemberID";

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        parse_path_id(Self::FIELD, value).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The session cookie's name for this tenant.
    pub fn cookie_name(&self) -> String {
        format!("AtmoAuthToken_{}", self.0)
    }

    /// The CSRF header's (and form part's) name for this tenant.
    pub fn csrf_header(&self) -> String {
        format!("X-Csrf-Token_{}", self.0)
    }
}

text_conversions!(TenantId);

/// A platform theme's name: the `{theme}` of the path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ThemeName(String);

impl ThemeName {
    pub const FIELD: &'static str = "theme";

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        parse_path_id(Self::FIELD, value).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_conversions!(ThemeName);

/// A tenant user's login name, compared case-insensitively (kept lower-case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UserEmail(String);

impl UserEmail {
    pub const FIELD: &'static str = "email";

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let value = value.trim();
        let printable = value.chars().all(|c| c.is_ascii_graphic());
        let shaped = value
            .split_once('@')
            .is_some_and(|(local, host)| !local.is_empty() && !host.is_empty());
        if value.len() > 254 || !printable || !shaped {
            return Err(DomainError::field(
                Self::FIELD,
                "must be an e-mail address (local@host, printable ASCII, at most 254 characters)",
            ));
        }
        Ok(Self(value.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_conversions!(UserEmail);

/// A password as a user sends it. It never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const FIELD: &'static str = "password";
    pub const MIN_CHARS: usize = 8;

    /// A new password (config, admin API) is at least `MIN_CHARS` long.
    pub fn parse_new(value: &str) -> Result<Self, DomainError> {
        if value.chars().count() < Self::MIN_CHARS || value.len() > 1024 {
            return Err(DomainError::field(
                Self::FIELD,
                format!("must be {} to 1024 characters", Self::MIN_CHARS),
            ));
        }
        Ok(Self(value.to_owned()))
    }

    /// A presented password: checked against the stored hash, never refused
    /// for its shape (that would tell a guesser something).
    pub fn presented(value: &str) -> Self {
        Self(value.to_owned())
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

/// A password as stored: PBKDF2-HMAC-SHA256, base64 salt and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordHash {
    pub iterations: u32,
    pub salt: String,
    pub hash: String,
}

/// A user who may log in to the tenants face and act for one tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantUser {
    pub email: UserEmail,
    pub tenant: TenantId,
    pub password: PasswordHash,
}

/// A tenant user as config and the admin API write it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantAccount {
    pub tenant: String,
    pub email: String,
    pub password: String,
}

/// The password never prints.
impl std::fmt::Debug for TenantAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantAccount")
            .field("tenant", &self.tenant)
            .field("email", &self.email)
            .field("password", &"..")
            .finish()
    }
}

impl TenantAccount {
    /// The account's parts, each held to its rule; every failure is listed.
    pub fn parse(&self) -> Result<(TenantId, UserEmail, Password), Vec<DomainError>> {
        let tenant = TenantId::parse(&self.tenant);
        let email = UserEmail::parse(&self.email);
        let password = Password::parse_new(&self.password);
        match (tenant, email, password) {
            (Ok(t), Ok(e), Ok(p)) => Ok((t, e, p)),
            (t, e, p) => Err([t.err(), e.err(), p.err()].into_iter().flatten().collect()),
        }
    }
}

/// A logged-in user's session: the cookie names it by `token`; writes also
/// need `csrf` back in a header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantSession {
    pub token: String,
    pub csrf: String,
    pub tenant: TenantId,
    pub email: UserEmail,
    pub expires_at: DateTime<Utc>,
}

/// The value a session cookie or CSRF header carries, as the platform
/// writes it: `TokenID=<id>,expirationTime=<epoch ms>`, percent-encoded.
pub fn token_value(token: &str, expires_at: DateTime<Utc>) -> String {
    format!(
        "TokenID%3D{token}%2CexpirationTime%3D{}",
        expires_at.timestamp_millis()
    )
}

/// The token id in a cookie or CSRF value, encoded or not; None when the
/// value is not of that shape.
pub fn token_id(value: &str) -> Option<&str> {
    let value = value.trim().trim_matches('"');
    let rest = value
        .strip_prefix("TokenID%3D")
        .or_else(|| value.strip_prefix("TokenID="))?;
    let end = rest
        .find("%2C")
        .or_else(|| rest.find("%2c"))
        .or_else(|| rest.find(','))
        .unwrap_or(rest.len());
    let id = &rest[..end];
    (!id.is_empty()).then_some(id)
}

/// A secret sealed under the directory's sealing key: standard base64 of the
/// nonce and of the ciphertext with its tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    pub nonce: String,
    pub ciphertext: String,
}

/// What the platform says about an imported certificate
/// (`PKIAndCertificateInfo.certificateInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateInfo {
    /// Most specific RDN first, as Java prints a name: `CN=.., O=.., C=..`.
    pub subject_dn: String,
    pub issuer_dn: String,
    /// The serial number in decimal.
    pub serial_no: String,
    pub effective_date: DateTime<Utc>,
    pub expiration_date: DateTime<Utc>,
}

/// The PKI a tenant theme holds: one keystore entry, its certificate chain
/// as given, and its private key (if the entry had one) sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemePki {
    pub tenant: TenantId,
    pub theme: ThemeName,
    pub alias: String,
    /// Standard base64 of the SubjectPublicKeyInfo DER.
    pub public_key: String,
    pub certificate_info: CertificateInfo,
    /// Standard base64 DER, the entry's certificate first.
    pub chain: Vec<String>,
    pub private_key: Option<Sealed>,
    pub imported_at: DateTime<Utc>,
}

impl ThemePki {
    /// What a sealed key of this theme is bound to: it opens nowhere else.
    pub fn sealing_context(tenant: &TenantId, theme: &ThemeName) -> Vec<u8> {
        format!("tenant-pki:{tenant}/{theme}").into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ids_keep_to_token_characters() {
        assert!(TenantId::parse("acmepaymentscorp").is_ok());
        assert!(TenantId::parse("a.b_c-1").is_ok());
        for bad in ["", "a b", "a;b", "a=b", &"x".repeat(65), "ação"] {
            let err = TenantId::parse(bad).unwrap_err();
            assert_eq!(err.field, "FedmemberID", "{bad}");
        }
        assert_eq!(ThemeName::parse("a/b").unwrap_err().field, "theme");
        for dots in [".", ".."] {
            assert!(TenantId::parse(dots).is_err(), "{dots}");
            assert!(ThemeName::parse(dots).is_err(), "{dots}");
        }
        assert!(ThemeName::parse("...").is_ok());
        let tenant = TenantId::parse("acme").unwrap();
        assert_eq!(tenant.cookie_name(), "AtmoAuthToken_acme");
        assert_eq!(tenant.csrf_header(), "X-Csrf-Token_acme");
    }

    #[test]
    fn emails_are_compared_lower_case() {
        assert_eq!(
            UserEmail::parse(" Admin@Acme.example ").unwrap().as_str(),
            "admin@acme.example"
        );
        for bad in ["", "no-at", "@host", "local@", "a b@c", "ä@b"] {
            assert!(UserEmail::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_new_password_has_a_minimum_length_and_never_prints() {
        assert!(Password::parse_new("short").is_err());
        let password = Password::parse_new("long enough").unwrap();
        assert_eq!(format!("{password:?}"), "Password(..)");
        let account = TenantAccount {
            tenant: "acme".into(),
            email: "a@b".into(),
            password: "hunter2hunter2".into(),
        };
        assert!(!format!("{account:?}").contains("hunter2"));
    }

    #[test]
    fn an_account_lists_every_broken_rule() {
        let account = TenantAccount {
            tenant: "a b".into(),
            email: "nope".into(),
            password: "x".into(),
        };
        let fields: Vec<String> = account
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["FedmemberID", "email", "password"]);
    }

    #[test]
    fn token_values_read_back_encoded_or_not() {
        let at = DateTime::from_timestamp_millis(1_532_468_375_000).unwrap();
        let value = token_value("8ed70a13-8469", at);
        assert_eq!(
            value,
            "TokenID%3D8ed70a13-8469%2CexpirationTime%3D1532468375000"
        );
        assert_eq!(token_id(&value), Some("8ed70a13-8469"));
        assert_eq!(token_id("TokenID=abc,expirationTime=1"), Some("abc"));
        assert_eq!(token_id("TokenID=abc"), Some("abc"));
        assert_eq!(token_id("abc"), None);
        assert_eq!(token_id("TokenID="), None);
    }
}
