//! Domain pre-validation: register names for a client, publish each one's
//! token as a TXT record, validate, and manage the tokens.

use super::{TxtSource, client_for, fresh_uuid};
use crate::dns;
use crate::domain::Caller;
use crate::domain::ra::{
    ClientDomain, ClientReference, DnsName, DomainReference, RaFailure, RaOperator,
};
use crate::pki::encoding;
use crate::service::{Core, ServiceError, ensure_admin};

/// How many names one registration may carry.
pub const MAX_NAMES: usize = 100;

/// `POST /v2/client/domain/{clientReference}/register`: one registration
/// per name, each with a token valid 30 days. A name the client already
/// registered answers its existing registration. Every name is checked
/// before anything is written.
pub async fn register(
    core: &Core,
    operator: &RaOperator,
    client: &ClientReference,
    names: &[String],
) -> Result<Vec<ClientDomain>, RaFailure> {
    client_for(core, operator, client)?;
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
    let now = core.clock.now();
    let mut answered = Vec::new();
    {
        let _guard = core.writes.lock().unwrap_or_else(|e| e.into_inner());
        let existing: Vec<ClientDomain> = core
            .ra_records
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
                    core.ra_records.put_domain(&d)?;
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
    core.db.flush().await?;
    Ok(answered)
}

/// `POST /v2/client/domains/{clientReference}/list`.
pub fn list(
    core: &Core,
    operator: &RaOperator,
    client: &ClientReference,
) -> Result<Vec<ClientDomain>, RaFailure> {
    client_for(core, operator, client)?;
    Ok(core
        .ra_records
        .domains()?
        .into_iter()
        .filter(|d| &d.client == client)
        .collect())
}

/// `POST /v2/client/domain/{prevalidatedDomainReference}`.
pub fn get(
    core: &Core,
    operator: &RaOperator,
    reference: &DomainReference,
) -> Result<ClientDomain, RaFailure> {
    let domain = core.ra_records.domain(reference)?.ok_or_else(|| {
        RaFailure::not_found(format!(
            "{}: no pre-validated domain {reference}",
            DomainReference::FIELD
        ))
    })?;
    client_for(core, operator, &domain.client)?;
    Ok(domain)
}

/// `.../delete`.
pub async fn delete(
    core: &Core,
    operator: &RaOperator,
    reference: &DomainReference,
) -> Result<(), RaFailure> {
    {
        let _guard = core.writes.lock().unwrap_or_else(|e| e.into_inner());
        get(core, operator, reference)?;
        core.ra_records.remove_domain(reference)?;
    }
    core.db.flush().await?;
    Ok(())
}

/// `.../token/reset`: a new token, valid 30 days from now.
pub async fn reset_token(
    core: &Core,
    operator: &RaOperator,
    reference: &DomainReference,
) -> Result<ClientDomain, RaFailure> {
    change(core, operator, reference, |d, now| {
        d.reset_token(&encoding::random_token(), now)
    })
    .await
}

/// `.../token/delete`.
pub async fn delete_token(
    core: &Core,
    operator: &RaOperator,
    reference: &DomainReference,
) -> Result<ClientDomain, RaFailure> {
    change(core, operator, reference, |d, _| d.delete_token()).await
}

async fn change(
    core: &Core,
    operator: &RaOperator,
    reference: &DomainReference,
    edit: impl FnOnce(&mut ClientDomain, chrono::DateTime<chrono::Utc>),
) -> Result<ClientDomain, RaFailure> {
    let domain = {
        let _guard = core.writes.lock().unwrap_or_else(|e| e.into_inner());
        let mut domain = get(core, operator, reference)?;
        edit(&mut domain, core.clock.now());
        core.ra_records.put_domain(&domain)?;
        domain
    };
    core.db.flush().await?;
    Ok(domain)
}

/// `.../validate`: looks the TXT record up at the name's ASCII form; the
/// token there validates the domain for 13 months.
pub async fn validate(
    core: &Core,
    operator: &RaOperator,
    reference: &DomainReference,
) -> Result<ClientDomain, RaFailure> {
    let name = get(core, operator, reference)?.name.ascii;
    let txt = lookup_txt(core, &name).await?;
    // Read again after the lookup: a token reset or a delete meanwhile wins.
    let domain = {
        let _guard = core.writes.lock().unwrap_or_else(|e| e.into_inner());
        let mut domain = get(core, operator, reference)?;
        domain.validate(&txt, core.clock.now())?;
        core.ra_records.put_domain(&domain)?;
        domain
    };
    core.db.flush().await?;
    log::info!(
        "domain {} validated for client {}",
        domain.name.ascii,
        domain.client
    );
    Ok(domain)
}

async fn lookup_txt(core: &Core, ascii: &str) -> Result<Vec<String>, RaFailure> {
    match core.ra.settings.txt {
        TxtSource::Emulated => Ok(core.ra_records.dns_txt(ascii)?),
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
    core: &Core,
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
        return Err(ServiceError::Invalid(vec![
            "body: each TXT value must be at most 4096 characters with no control characters"
                .into(),
        ]));
    }
    core.ra_records.put_dns_txt(&name.ascii, &values)?;
    core.db.flush().await?;
    Ok(name)
}

/// `GET /admin/dns/txt/{name}`.
pub fn txt(core: &Core, caller: &Caller, name: &str) -> Result<Vec<String>, ServiceError> {
    ensure_admin(caller, "reading DNS records")?;
    let name = DnsName::parse(name)?;
    Ok(core.ra_records.dns_txt(&name.ascii)?)
}
