//! The PKI of a tenant theme: one entry of an uploaded keystore, checked
//! against the trust store, its private key sealed, kept per theme.

use super::{Tenants, TenantsError};
use crate::domain::DomainError;
use crate::domain::tenants::{TenantId, ThemeName, ThemePki};
use crate::pki::encoding::base64;
use crate::pki::imported::describe_certificate;
use crate::pki::keystore_file::{KeystoreError, read_keystore};
use crate::service::error::NotFound;
use crate::service::{ServiceError, truststore};

/// An upload as the call names its parts.
pub struct KeystoreUpload {
    pub file: Vec<u8>,
    pub alias: String,
    pub keystore_pass: String,
    /// None: the keystore password.
    pub alias_pass: Option<String>,
    /// Add the certificate's issuer (or itself, if self-signed) to the trust
    /// store when it does not chain to it yet.
    pub force_trust: bool,
}

/// Field names as the call spells them, for error messages.
pub const FILE: &str = "fileName";
pub const ALIAS: &str = "alias";
pub const KEYSTORE_PASS: &str = "keystorePass";
pub const ALIAS_PASS: &str = "aliasPass";

/// Reads the entry, checks its chain against the trust store, and keeps it
/// as the theme's PKI (replacing any earlier one). On disk before it answers.
pub async fn import(
    tenants: &Tenants,
    tenant: &TenantId,
    theme: &ThemeName,
    upload: &KeystoreUpload,
) -> Result<ThemePki, TenantsError> {
    let invalid = |field: &str, e: &dyn std::fmt::Display| -> ServiceError {
        DomainError::field(field, e.to_string()).into()
    };
    let entry = read_keystore(
        &upload.file,
        &upload.keystore_pass,
        &upload.alias,
        upload.alias_pass.as_deref(),
    )
    .map_err(|e| match &e {
        KeystoreError::WrongKeystorePassword => invalid(KEYSTORE_PASS, &e),
        KeystoreError::WrongAliasPassword(_) => invalid(
            if upload.alias_pass.is_some() {
                ALIAS_PASS
            } else {
                KEYSTORE_PASS
            },
            &e,
        ),
        KeystoreError::MissingAlias { .. } => invalid(ALIAS, &e),
        KeystoreError::Unreadable(_) | KeystoreError::Unsupported(_) => invalid(FILE, &e),
    })?;
    let mut chain = vec![entry.certificate_der.clone()];
    chain.extend(entry.chain_der.iter().cloned());
    let (public_key, certificate_info) =
        describe_certificate(&entry.certificate_der).map_err(|e| invalid(FILE, &e))?;
    let sealing_context = ThemePki::sealing_context(tenant, theme);
    let private_key = entry
        .private_key_der
        .as_deref()
        .map(|der| tenants.sealing_key().seal(der, &sealing_context))
        .transpose()
        .map_err(ServiceError::Crypto)?;
    let pki = ThemePki {
        tenant: tenant.clone(),
        theme: theme.clone(),
        alias: entry.alias.clone(),
        public_key,
        certificate_info,
        chain: chain.iter().map(|der| base64(der)).collect(),
        private_key,
        imported_at: tenants.clock.now(),
    };
    let added = {
        let _guard = tenants.writes.lock().await;
        // The file's certificate is what is not trusted: the message names it.
        let added = truststore::ensure_trusted(&tenants.trust, &chain, upload.force_trust)
            .await
            .map_err(|e| match e {
                ServiceError::Refused(refused) => {
                    DomainError::field(FILE, refused.to_string()).into()
                }
                other => other,
            })?;
        tenants.records.put_theme_pki(&pki).await?;
        added
    };
    if let Some(anchor) = added {
        log::info!(
            "forceTrust added '{}' ({}) to the trust store",
            anchor.subject,
            anchor.fingerprint
        );
    }
    log::info!(
        "PKI of {tenant}/{theme} is now '{}' ({}), private key {}",
        pki.alias,
        pki.certificate_info.subject_dn,
        if pki.private_key.is_some() {
            "sealed"
        } else {
            "absent"
        }
    );
    Ok(pki)
}

pub fn get(
    tenants: &Tenants,
    tenant: &TenantId,
    theme: &ThemeName,
) -> Result<ThemePki, TenantsError> {
    tenants
        .records
        .theme_pki(tenant, theme)?
        .ok_or_else(|| not_found(tenant, theme).into())
}

pub async fn remove(
    tenants: &Tenants,
    tenant: &TenantId,
    theme: &ThemeName,
) -> Result<(), TenantsError> {
    if !tenants.records.remove_theme_pki(tenant, theme).await? {
        return Err(not_found(tenant, theme).into());
    }
    Ok(())
}

fn not_found(tenant: &TenantId, theme: &ThemeName) -> ServiceError {
    NotFound::ThemePki {
        tenant: tenant.to_string(),
        theme: theme.to_string(),
    }
    .into()
}
