//! Tenant users (config and admin API) and their login sessions: a cookie
//! names the session, and writes also carry its CSRF token.

use super::{Tenants, TenantsError};
use crate::domain::tenants::{
    Password, TenantAccount, TenantId, TenantSession, TenantUser, UserEmail, token_id,
};
use crate::domain::{Caller, DomainError};
use crate::pki::encoding::constant_time_eq;
use crate::pki::imported::{hash_password, password_matches};
use crate::service::error::NotFound;
use crate::service::{ServiceError, ensure_admin};

/// Writes the configured users, keeping a stored one whose tenant and
/// password already match (so a restart does not re-hash every password).
pub async fn write_configured(tenants: &Tenants) -> Result<(), ServiceError> {
    for account in &tenants.settings.users {
        let (tenant, email, password) = account.parse()?;
        if let Some(stored) = tenants.records.user(&email)?
            && stored.tenant == tenant
            && password_matches(&password, &stored.password)?
        {
            continue;
        }
        write_user(tenants, tenant, email, &password).await?;
    }
    Ok(())
}

/// Adds or replaces a user; answers it and whether it is new.
pub async fn put_user(
    tenants: &Tenants,
    caller: &Caller,
    account: &TenantAccount,
) -> Result<(TenantUser, bool), ServiceError> {
    ensure_admin(caller, "adding a tenant user")?;
    let (tenant, email, password) = account.parse()?;
    let created = tenants.records.user(&email)?.is_none();
    let user = write_user(tenants, tenant, email, &password).await?;
    log::info!("tenant user {} of {} written", user.email, user.tenant);
    Ok((user, created))
}

async fn write_user(
    tenants: &Tenants,
    tenant: TenantId,
    email: UserEmail,
    password: &Password,
) -> Result<TenantUser, ServiceError> {
    let user = TenantUser {
        email,
        tenant,
        password: hash_password(password)?,
    };
    tenants.records.put_user(&user).await?;
    Ok(user)
}

pub fn users(tenants: &Tenants, caller: &Caller) -> Result<Vec<TenantUser>, ServiceError> {
    ensure_admin(caller, "listing tenant users")?;
    Ok(tenants.records.users()?)
}

/// Removes a user and ends its sessions.
pub async fn remove_user(
    tenants: &Tenants,
    caller: &Caller,
    email: &str,
) -> Result<(), ServiceError> {
    ensure_admin(caller, "removing a tenant user")?;
    let email = UserEmail::parse(email)?;
    if !tenants.records.remove_user(&email).await? {
        return Err(NotFound::TenantUser(email.to_string()).into());
    }
    Ok(())
}

/// Starts a session for a user whose password matches. An unknown user and
/// a wrong password get the same answer.
pub async fn login(
    tenants: &Tenants,
    email: &str,
    password: &str,
) -> Result<TenantSession, TenantsError> {
    let refused = || TenantsError::NotLoggedIn("email or password is wrong".into());
    let email = UserEmail::parse(email).map_err(|_| refused())?;
    let user = tenants.records.user(&email)?.ok_or_else(refused)?;
    if !password_matches(&Password::presented(password), &user.password)
        .map_err(ServiceError::from)?
    {
        return Err(refused());
    }
    let now = tenants.clock.now();
    let session = TenantSession {
        token: uuid::Uuid::new_v4().to_string(),
        csrf: uuid::Uuid::new_v4().to_string(),
        tenant: user.tenant,
        email: user.email,
        expires_at: now + tenants.settings.session,
    };
    tenants.records.put_session(&session, now).await?;
    Ok(session)
}

/// Ends the session the cookie names, if it is one of `tenant`'s.
pub async fn logout(
    tenants: &Tenants,
    tenant: &TenantId,
    cookie: Option<&str>,
) -> Result<(), TenantsError> {
    let session = authenticate(tenants, tenant, cookie)?;
    tenants.records.remove_session(&session.token).await?;
    Ok(())
}

/// A write also carries the session's CSRF token, unless config turned
/// that off.
pub fn check_csrf(
    tenants: &Tenants,
    session: &TenantSession,
    presented: Option<&str>,
) -> Result<(), TenantsError> {
    if !tenants.settings.csrf {
        return Ok(());
    }
    let header = session.tenant.csrf_header();
    let presented = presented.ok_or_else(|| {
        TenantsError::NotLoggedIn(format!(
            "{header}: missing; send the CSRF token login answered with every POST, PUT and DELETE"
        ))
    })?;
    let matches = token_id(presented)
        .is_some_and(|id| constant_time_eq(id.as_bytes(), session.csrf.as_bytes()));
    if !matches {
        return Err(TenantsError::NotLoggedIn(format!(
            "{header}: not this session's CSRF token"
        )));
    }
    Ok(())
}

/// The live session of `tenant` its cookie names.
pub fn authenticate(
    tenants: &Tenants,
    tenant: &TenantId,
    cookie: Option<&str>,
) -> Result<TenantSession, TenantsError> {
    let name = tenant.cookie_name();
    let value = cookie.ok_or_else(|| {
        TenantsError::NotLoggedIn(format!(
            "{name}: missing cookie; log in with POST /api/login"
        ))
    })?;
    let ended = || {
        TenantsError::NotLoggedIn(format!(
            "{name}: not a session of tenant '{tenant}' (unknown, ended or expired); log in again"
        ))
    };
    let token = token_id(value).ok_or_else(ended)?;
    let session = tenants.records.session(token)?.ok_or_else(ended)?;
    if session.tenant != *tenant || session.expires_at <= tenants.clock.now() {
        return Err(ended());
    }
    Ok(session)
}

impl From<Vec<DomainError>> for TenantsError {
    fn from(errors: Vec<DomainError>) -> Self {
        Self::Service(errors.into())
    }
}
