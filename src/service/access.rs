//! Who may call the directory API: the admin token, or an access token this
//! directory issued to a software statement.

use std::path::{Path, PathBuf};

use super::ServiceError;
use super::oauth::{self, AuthorisationServer};
use crate::domain::{AdminToken, Caller};
use crate::pki::encoding::{constant_time_eq, random_token};
use crate::store::{StoreError, token_file};

/// Where the admin token came from, for the start-up banner to say.
pub enum TokenOrigin {
    /// Set by config or `OBDIR_ADMIN_TOKEN`: never printed.
    Configured,
    /// Read from the file a first start wrote.
    Kept(PathBuf),
    /// Made on this start and written to the file: the banner shows it once.
    Generated(PathBuf),
}

/// The configured token, else the one kept in the data dir (made on first
/// start). The token itself is never logged.
pub fn admin_token(
    configured: &AdminToken,
    data_dir: &Path,
) -> Result<(AdminToken, TokenOrigin), ServiceError> {
    if configured.is_set() {
        return Ok((configured.clone(), TokenOrigin::Configured));
    }
    let (token, created) =
        token_file::load_or_create(data_dir, token_file::ADMIN_TOKEN, random_token).map_err(
            |e| {
                StoreError::Engine(format!(
                    "cannot keep the admin token in {}: {e}",
                    data_dir.display()
                ))
            },
        )?;
    let path = token_file::path(data_dir);
    let origin = match created {
        true => TokenOrigin::Generated(path),
        false => TokenOrigin::Kept(path),
    };
    Ok((AdminToken::new(token), origin))
}

/// The caller a bearer token stands for, or None if it stands for nobody;
/// `presented` is the client certificate of a mutual-TLS connection, which a
/// certificate-bound token needs.
pub fn authenticate(
    server: &AuthorisationServer,
    admin: &AdminToken,
    bearer: &str,
    presented: Option<&[u8]>,
) -> Option<Caller> {
    if is_admin_token(admin, bearer) {
        return Some(Caller::Admin);
    }
    oauth::access_token_caller(server, bearer, presented)
}

/// Whether `presented` is the admin token, compared without leaking where
/// the first difference is.
fn is_admin_token(admin: &AdminToken, presented: &str) -> bool {
    admin.is_set() && constant_time_eq(presented.as_bytes(), admin.expose().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_admin_token_matches_only_itself() {
        let token = AdminToken::new("s3cret");
        assert!(is_admin_token(&token, "s3cret"));
        assert!(!is_admin_token(&token, "s3cre"));
        assert!(!is_admin_token(&token, "s3creT"));
        assert!(!is_admin_token(&AdminToken::default(), ""));
    }
}
