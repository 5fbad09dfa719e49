//! Domain pre-validation: register names for a client, publish each one's
//! token as a TXT record, validate, and manage the tokens.

use super::Ra;
use super::{TxtSource, client_for, fresh_uuid};
use crate::dns;
use crate::domain::ra::{
    ClientDomain, ClientReference, DnsName, DomainReference, RaFailure, RaOperator,
};
use crate::domain::{Caller, DomainError};
use crate::pki::encoding;
use crate::service::{ServiceError, ensure_admin};

/// How many names one registration may carry.
pub const MAX_NAMES: usize = 100;

/// `POST /v2/client/domain/{clientReference}/register`: one registration
/// per name, each with a token valid 30 days. A name the client already
/// registered answers its existing registration. Every name is checked
/// before anything is written.
pub async fn register(
    ra: &Ra,
    operator: &RaOperator,
    client: &ClientReference,
    names: &[String],
) -> Result<Vec<ClientDomain>, RaFailure> {
    client_for(ra, operator, client)?;
    if names.is_empty() {
        return Err(RaFailure::null_value("body (a JSON array of domain names)"));
    }
    if names.len() > MAX_NAMES {
        return Err(RaFailure::validation(format!(
            "body: at most {MAX_NAMES} domain names per registration, got {}",
            names.len()
        )));
    }
    let parsed = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            DnsName::parse(n).map_err(|e| RaFailure::validation(format!("[{i}] {}", e.rule)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let now = ra.clock.now();
    let mut answered = Vec::new();
    {
        let _guard = ra.writes.lock().await;
        let existing: Vec<ClientDomain> = ra
            .records
            .domains()?
            .into_iter()
            .filter(|d| &d.client == client)
            .collect();
        for name in parsed {
            let known = existing
                .iter()
                .chain(answered.iter())
                .find(|d| d.name.ascii == name.ascii)
                .cloned();
            let domain = match known {
                Some(d) => d,
                None => {
                    let d = ClientDomain::register(
                        DomainReference::from_uuid(fresh_uuid()),
                        client.clone(),
                        name,
                        &encoding::random_token(),
                        now,
                    );
                    ra.records.put_domain(&d).await?;
                    d
                }
            };
            if !answered
                .iter()
                .any(|a: &ClientDomain| a.reference == domain.reference)
            {
                answered.push(domain);
            }
        }
    }
    Ok(answered)
}

/// `POST /v2/client/domains/{clientReference}/list`.
pub fn list(
    ra: &Ra,
    operator: &RaOperator,
    client: &ClientReference,
) -> Result<Vec<ClientDomain>, RaFailure> {
    client_for(ra, operator, client)?;
    Ok(ra
        .records
        .domains()?
        .into_iter()
        .filter(|d| &d.client == client)
        .collect())
}

/// `POST /v2/client/domain/{prevalidatedDomainReference}`.
pub fn get(
    ra: &Ra,
    operator: &RaOperator,
    reference: &DomainReference,
) -> Result<ClientDomain, RaFailure> {
    let domain = ra.records.domain(reference)?.ok_or_else(|| {
        RaFailure::not_found(format!(
            "{}: no pre-validated domain {reference}",
            DomainReference::FIELD
        ))
    })?;
    client_for(ra, operator, &domain.client)?;
    Ok(domain)
}

/// `.../delete`.
pub async fn delete(
    ra: &Ra,
    operator: &RaOperator,
    reference: &DomainReference,
) -> Result<(), RaFailure> {
    {
        let _guard = ra.writes.lock().await;
        get(ra, operator, reference)?;
        ra.records.remove_domain(reference).await?;
    }
    Ok(())
}

/// `.../token/reset`: a new token, valid 30 days from now.
pub async fn reset_token(
    ra: &Ra,
    operator: &RaOperator,
    reference: &DomainReference,
) -> Result<ClientDomain, RaFailure> {
    change(ra, operator, reference, |d, now| {
        d.reset_token(&encoding::random_token(), now)
    })
    .await
}

/// `.../token/delete`.
pub async fn delete_token(
    ra: &Ra,
    operator: &RaOperator,
    reference: &DomainReference,
) -> Result<ClientDomain, RaFailure> {
    change(ra, operator, reference, |d, _| d.delete_token()).await
}

async fn change(
    ra: &Ra,
    operator: &RaOperator,
    reference: &DomainReference,
    edit: impl FnOnce(&mut ClientDomain, chrono::DateTime<chrono::Utc>),
) -> Result<ClientDomain, RaFailure> {
    let domain = {
        let _guard = ra.writes.lock().await;
        let mut domain = get(ra, operator, reference)?;
        edit(&mut domain, ra.clock.now());
        ra.records.put_domain(&domain).await?;
        domain
    };
    Ok(domain)
}

/// `.../validate`: looks the TXT record up at the name's ASCII form; the
/// token there validates the domain for 13 months.
pub async fn validate(
    ra: &Ra,
    operator: &RaOperator,
    reference: &DomainReference,
) -> Result<ClientDomain, RaFailure> {
    let name = get(ra, operator, reference)?.name.ascii;
    let txt = lookup_txt(ra, &name).await?;
    // Read again after the lookup: a token reset or a delete meanwhile wins.
    let domain = {
        let _guard = ra.writes.lock().await;
        let mut domain = get(ra, operator, reference)?;
        domain.validate(&txt, ra.clock.now())?;
        ra.records.put_domain(&domain).await?;
        domain
    };
    log::info!(
        "domain {} validated for client {}",
        domain.name.ascii,
        domain.client
    );
    Ok(domain)
}

async fn lookup_txt(ra: &Ra, ascii: &str) -> Result<Vec<String>, RaFailure> {
    match ra.settings.txt {
        TxtSource::Emulated => Ok(ra.records.dns_txt(ascii)?),
        TxtSource::Resolver {
            nameserver,
            timeout,
        } => {
            let name = ascii.to_owned();
            tokio::task::spawn_blocking(move || dns::lookup_txt(nameserver, &name, timeout))
                .await
                .map_err(|e| RaFailure::runtime(format!("the DNS lookup did not finish: {e}")))?
                .map_err(|e| {
                    RaFailure::validation(format!("the TXT lookup of {ascii} failed: {e}"))
                })
        }
    }
}

/// `PUT /admin/dns/txt/{name}`: what the emulated DNS answers at a name
/// (given in Unicode or ASCII); no values removes it.
pub async fn put_txt(
    ra: &Ra,
    caller: &Caller,
    name: &str,
    values: Vec<String>,
) -> Result<DnsName, ServiceError> {
    ensure_admin(caller, "setting DNS records")?;
    let name = DnsName::parse(name)?;
    if values
        .iter()
        .any(|v| v.len() > 4096 || v.chars().any(char::is_control))
    {
        return Err(DomainError::field(
            "body",
            "each TXT value must be at most 4096 characters with no control characters",
        )
        .into());
    }
    ra.records.put_dns_txt(&name.ascii, &values).await?;
    Ok(name)
}

/// `GET /admin/dns/txt/{name}`.
pub fn txt(ra: &Ra, caller: &Caller, name: &str) -> Result<Vec<String>, ServiceError> {
    ensure_admin(caller, "reading DNS records")?;
    let name = DnsName::parse(name)?;
    Ok(ra.records.dns_txt(&name.ascii)?)
}
