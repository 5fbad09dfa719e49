//! Who may call the directory API: the admin token, or an access token this
//! directory issued to a software statement.

use std::path::Path;

use super::ServiceError;
use super::oauth::{self, AuthorisationServer};
use crate::config::AdminToken;
use crate::domain::Caller;
use crate::pki::encoding::random_token;
use crate::store::{StoreError, token_file};

/// The configured token, else the one kept in the data dir (made, and logged
/// once, on first start).
pub fn admin_token(configured: &AdminToken, data_dir: &Path) -> Result<AdminToken, ServiceError> {
    if configured.is_set() {
        return Ok(configured.clone());
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
    if created {
        log::info!(
            "generated admin token (kept in {}): {token}",
            token_file::path(data_dir).display()
        );
    }
    Ok(AdminToken::new(token))
}

/// The caller a bearer token stands for, or None if it stands for nobody.
pub fn authenticate(
    server: &AuthorisationServer,
    admin: &AdminToken,
    bearer: &str,
) -> Option<Caller> {
    if admin.matches(bearer) {
        return Some(Caller::Admin);
    }
    oauth::access_token_caller(server, bearer)
}
