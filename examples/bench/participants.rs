//! The participants document: `GET /participants` of a directory of 1,000
//! organisations, each with 2 authorisation servers of 5 API resources,
//! from obdir against nginx serving the very same bytes as a static file.

use std::path::Path;

use serde_json::{Value, json};

use crate::Options;
use crate::keystore::{Wrk, against_nginx};
use crate::shared::{Obdir, Result, describe, post};

pub const ORGANISATIONS: usize = 1000;
pub const SERVERS: usize = 2;
pub const RESOURCES: usize = 5;
/// Set-up requests in flight at once.
const WRITERS: usize = 16;

pub struct Participants {
    pub bytes: usize,
    pub wrk_command: String,
    pub obdir: Wrk,
    pub nginx: Wrk,
}

pub async fn run(client: &reqwest::Client, options: &Options, work: &Path) -> Result<Participants> {
    let (obdir, _) = Obdir::start(client, &work.join("participants")).await?;
    let obdir = std::sync::Arc::new(obdir);
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (client, obdir) = (client.clone(), obdir.clone());
            tokio::spawn(async move {
                for org in (writer..ORGANISATIONS).step_by(WRITERS) {
                    publish(&client, &obdir, org).await?;
                }
                Ok::<_, String>(())
            })
        })
        .collect();
    for writer in writers {
        writer
            .await
            .map_err(|e| format!("participants set-up: {e}"))??;
    }
    let url = format!("{}/participants", obdir.base);
    let document = client
        .get(&url)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| format!("GET {url}: {}", describe(&e)))?
        .bytes()
        .await
        .map_err(|e| format!("GET {url}: {}", describe(&e)))?
        .to_vec();
    let listed: Value =
        serde_json::from_slice(&document).map_err(|e| format!("{url} is not JSON: {e}"))?;
    let resources: usize = listed
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["AuthorisationServers"].as_array().into_iter().flatten())
        .map(|s| s["ApiResources"].as_array().map_or(0, Vec::len))
        .sum();
    if resources != ORGANISATIONS * SERVERS * RESOURCES {
        return Err(format!("{url} lists {resources} API resources"));
    }
    let (from_obdir, from_nginx, wrk_command) = against_nginx(
        client,
        options,
        work,
        "participants",
        &url,
        "/participants",
        &document,
    )
    .await?;
    drop(obdir);
    Ok(Participants {
        bytes: document.len(),
        wrk_command,
        obdir: from_obdir,
        nginx: from_nginx,
    })
}

/// Organisation `n` with its servers, each with its API resources.
async fn publish(client: &reqwest::Client, obdir: &Obdir, n: usize) -> Result<()> {
    let org = format!("bench-bank-{n:04}");
    let body = json!({"OrganisationId": org, "OrganisationName": format!("Bench Bank {n}"),
        "LegalEntityName": format!("Bench Bank {n} S.A."), "CountryOfRegistration": "BR",
        "RegistrationNumber": format!("{:014}", 10_000_000_000_000u64 + n as u64)});
    post(
        client,
        obdir,
        &format!("{}/organisations", obdir.base),
        &body,
    )
    .await?;
    for s in 0..SERVERS {
        let servers = format!("{}/organisations/{org}/authorisationservers", obdir.base);
        let host = format!("auth{s}.bank{n}.example");
        let server = json!({"AuthorisationServerId": format!("as-{s}"),
            "AutoRegistrationSupported": true, "SupportsDCR": true,
            "CustomerFriendlyName": format!("Bench Bank {n} ({s})"),
            "CustomerFriendlyDescription": "Retail and business banking",
            "CustomerFriendlyLogoUri": format!("https://{host}/logo.svg"),
            "OpenIDDiscoveryDocument": format!("https://{host}/.well-known/openid-configuration"),
            "Issuer": format!("https://{host}")});
        post(client, obdir, &servers, &server).await?;
        for (r, family) in [
            "accounts",
            "credit-cards-accounts",
            "consents",
            "resources",
            "payments-pix",
        ]
        .iter()
        .take(RESOURCES)
        .enumerate()
        {
            let resource = json!({"ApiFamilyType": family, "ApiVersion": format!("2.{r}.0"),
                "ApiEndpoint": format!("https://api{s}.bank{n}.example/open-banking/{family}/v2"),
                "CertificationStatus": "Self-Certified", "CertificationStartDate": "01/06/2026"});
            post(
                client,
                obdir,
                &format!("{servers}/as-{s}/apiresources"),
                &resource,
            )
            .await?;
        }
    }
    Ok(())
}
