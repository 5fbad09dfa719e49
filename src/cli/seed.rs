//! `obdir seed`: loads a seed file into a running directory over its HTTP
//! API, as `serve --seed` loads it at start: what exists is skipped, the
//! rest is created, and a count of what was created is printed.

use std::path::PathBuf;

use clap::Args;
use obdir::domain::certificate::CertificateOwner;
use obdir::domain::reference::Catalogue;
use obdir::domain::seed::{
    Seed, SeedCertificate, SeedOrganisation, SeedServer, is_seeded_claim, is_seeded_contact,
};
use obdir::domain::{CertOrKeyType, Clock, PublicJwk, SystemClock};
use obdir::pki::jwk::thumbprint_sha256;
use obdir::service::seed::{SeedFileError, SeedReport, key_thumbprint};
use serde_json::Value;

use super::error::CliError;
use super::http::{Client, json, segment};
use super::{Authorised, Server, files};

#[derive(Args)]
pub struct SeedArgs {
    /// The seed: JSON or TOML (by extension, else by content), in the shape
    /// of `serve --seed`; PemFile paths are relative to it.
    file: PathBuf,
    #[command(flatten)]
    server: Authorised,
}

pub fn run(args: SeedArgs) -> Result<(), CliError> {
    let seed = obdir::service::seed::read(&args.file).map_err(|e| match e {
        SeedFileError::Unreadable { .. } => CliError::Local(e.to_string()),
        SeedFileError::Invalid { .. } => CliError::Usage(e.to_string()),
    })?;
    let seeder = Seeder {
        client: args.server.client()?,
        server: &args.server.server,
    };
    let report = seeder.apply(&seed)?;
    files::print(&serde_json::to_string_pretty(&report).unwrap_or_default())
}

struct Seeder<'a> {
    client: Client,
    server: &'a Server,
}

impl Seeder<'_> {
    /// The same order as a seed at start: trust anchors, then each
    /// organisation with its certificates, then its statements with theirs.
    fn apply(&self, seed: &Seed) -> Result<SeedReport, CliError> {
        let mut report = SeedReport::default();
        if !seed.trust_anchors.is_empty() {
            let url = self.server.at("/v1/ecosystems/certificates/ca?limit=1000");
            let roots = json(&url, &self.client.get(&url)?)?;
            let subjects: Vec<&str> = roots["data"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["certificateData"]["subject"].as_str())
                .collect();
            for (i, anchor) in seed.trust_anchors.iter().enumerate() {
                if subjects.iter().any(|s| anchor.is_subject(s)) {
                    continue;
                }
                let body = serde_json::to_string(anchor).unwrap_or_default();
                self.client
                    .post(
                        &self.server.at("/v1/ecosystems/certificates/ca"),
                        "application/json",
                        &body,
                    )
                    .map_err(within(&format!("trust_anchors[{i}]")))?;
                report.trust_anchors += 1;
            }
        }

        let server_roles = self.server_roles()?;
        // A claim or role of another flavour than the server's is passed
        // over, as `serve --seed` does.
        let foreign = |role: &str| {
            !server_roles.iter().any(|r| r == role) && Catalogue::of_some_flavour(role)
        };
        for (i, entry) in seed.organisations.iter().enumerate() {
            let place = format!("organisations[{i}]");
            let org_path = format!("/organisations/{}", segment(entry.id.as_str()));
            if !self.exists(&org_path)? {
                self.post_json("/organisations", &entry.fields)
                    .map_err(within(&place))?;
                report.organisations += 1;
            }
            let claims_path = format!("{org_path}/authorityclaims");
            let url = self.server.at(&claims_path);
            let held = json(&url, &self.client.get(&url).map_err(within(&place))?)?;
            for (c, claim) in entry.authority_claims.iter().enumerate() {
                let same = |h: &Value| {
                    let text = |name: &str| h[name].as_str().unwrap_or_default();
                    is_seeded_claim(
                        claim,
                        text("AuthorityId"),
                        text("AuthorisationDomain"),
                        text("Role"),
                    )
                };
                if claim.role.as_deref().is_some_and(foreign)
                    || held.as_array().into_iter().flatten().any(same)
                {
                    continue;
                }
                let body = serde_json::to_string(claim).unwrap_or_default();
                self.client
                    .post(&url, "application/json", &body)
                    .map_err(within(&format!("{place}.AuthorityClaims[{c}]")))?;
                report.authority_claims += 1;
            }
            self.contacts(entry, &org_path, &place, &mut report)?;
            for (s, server) in entry.authorisation_servers.iter().enumerate() {
                let place = format!("{place}.AuthorisationServers[{s}]");
                self.server(server, &org_path, &place, &mut report)?;
            }
            // The CNPJ its certificates name is the one the seed gives it.
            let owner = |ss| CertificateOwner {
                org: &entry.id,
                registration_number: entry
                    .fields
                    .get("RegistrationNumber")
                    .and_then(Value::as_str),
                ss,
            };
            self.register(
                owner(None),
                &org_path,
                &entry.certificates,
                &place,
                &mut report,
            )?;

            for (j, statement) in entry.software_statements.iter().enumerate() {
                let place = format!("{place}.SoftwareStatements[{j}]");
                let statements = format!("{org_path}/softwarestatements");
                let ss_path = format!("{statements}/{}", segment(statement.id.as_str()));
                if !self.exists(&ss_path)? {
                    let mut fields = statement.fields.clone();
                    if let Some(Value::Array(roles)) = fields.get_mut("SoftwareRoles") {
                        roles.retain(|r| !r.as_str().is_some_and(foreign));
                    }
                    let created = self
                        .post_json(&statements, &fields)
                        .map_err(within(&place))?;
                    if let Some(secret) = created["ClientSecret"].as_str() {
                        report
                            .client_secrets
                            .insert(statement.id.to_string(), secret.to_owned());
                    }
                    report.software_statements += 1;
                }
                self.register(
                    owner(Some(&statement.id)),
                    &ss_path,
                    &statement.certificates,
                    &place,
                    &mut report,
                )?;
            }
        }
        Ok(report)
    }

    /// Adds the contacts the organisation lacks (known by type and e-mail).
    fn contacts(
        &self,
        entry: &SeedOrganisation,
        org_path: &str,
        place: &str,
        report: &mut SeedReport,
    ) -> Result<(), CliError> {
        if entry.contacts.is_empty() {
            return Ok(());
        }
        let path = format!("{org_path}/contacts");
        let url = self.server.at(&format!(
            "{path}?size={}",
            obdir::domain::page::MAX_PAGE_SIZE
        ));
        let held = json(&url, &self.client.get(&url).map_err(within(place))?)?;
        for (c, contact) in entry.contacts.iter().enumerate() {
            let same = |h: &Value| {
                let text = |name: &str| h[name].as_str().unwrap_or_default();
                is_seeded_contact(contact, text("ContactType"), text("EmailAddress"))
            };
            if held["content"].as_array().into_iter().flatten().any(same) {
                continue;
            }
            let body = serde_json::to_value(contact).unwrap_or_default();
            let fields = body.as_object().cloned().unwrap_or_default();
            self.post_json(&path, &fields)
                .map_err(within(&format!("{place}.Contacts[{c}]")))?;
            report.contacts += 1;
        }
        Ok(())
    }

    /// Creates the server if it is missing, then the API resources (known
    /// by family and version) and discovery endpoints (by URL) it lacks.
    fn server(
        &self,
        server: &SeedServer,
        org_path: &str,
        place: &str,
        report: &mut SeedReport,
    ) -> Result<(), CliError> {
        let servers = format!("{org_path}/authorisationservers");
        let server_path = format!("{servers}/{}", segment(server.id.as_str()));
        if !self.exists(&server_path)? {
            self.post_json(&servers, &server.fields)
                .map_err(within(place))?;
            report.authorisation_servers += 1;
        }
        let resources = format!("{server_path}/apiresources");
        let url = self.server.at(&resources);
        let held = json(&url, &self.client.get(&url).map_err(within(place))?)?;
        for (r, seeded) in server.api_resources.iter().enumerate() {
            let place = format!("{place}.ApiResources[{r}]");
            let found = held.as_array().into_iter().flatten().find(|h| {
                let text = |name: &str| h[name].as_str().unwrap_or_default();
                seeded.is(text("ApiFamilyType"), text("ApiVersion"))
            });
            let resource = match found {
                Some(resource) => resource.clone(),
                None => {
                    let made = self
                        .post_json(&resources, &seeded.fields)
                        .map_err(within(&place))?;
                    report.api_resources += 1;
                    made
                }
            };
            let Some(id) = resource["ApiResourceId"].as_str() else {
                return Err(CliError::Refused {
                    status: "200 OK".into(),
                    message: format!(
                        "{place}: the server answered a resource without ApiResourceId"
                    ),
                });
            };
            let endpoints = format!("{resources}/{}/apidiscoveryendpoints", segment(id));
            for (e, endpoint) in seeded.discovery_endpoints.iter().enumerate() {
                let listed = resource["ApiDiscoveryEndpoints"].as_array();
                if listed
                    .into_iter()
                    .flatten()
                    .any(|h| h["ApiEndpoint"].as_str() == Some(endpoint.as_str()))
                {
                    continue;
                }
                let body = serde_json::Map::from_iter([(
                    "ApiEndpoint".to_owned(),
                    Value::String(endpoint.clone()),
                )]);
                self.post_json(&endpoints, &body)
                    .map_err(within(&format!("{place}.ApiDiscoveryEndpoints[{e}]")))?;
                report.discovery_endpoints += 1;
            }
        }
        Ok(())
    }

    /// Uploads what the owner at `owner_path` does not hold yet. A PEM that
    /// cannot be read here is sent anyway, so the refusal is the server's.
    fn register(
        &self,
        owner: CertificateOwner<'_>,
        owner_path: &str,
        certificates: &[SeedCertificate],
        place: &str,
        report: &mut SeedReport,
    ) -> Result<(), CliError> {
        if certificates.is_empty() {
            return Ok(());
        }
        let url = self.server.at(&format!("{owner_path}/certificates"));
        let held = json(&url, &self.client.get(&url).map_err(within(place))?)?;
        let held: Vec<(String, String)> = held
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|record| {
                let key_type = record["keyType"].as_str()?.to_owned();
                let jwk: PublicJwk = serde_json::from_value(record.clone()).ok()?;
                Some((key_type, thumbprint_sha256(&jwk)))
            })
            .collect();
        for (k, certificate) in certificates.iter().enumerate() {
            let place = format!("{place}.Certificates[{k}]");
            let key_type: CertOrKeyType = certificate.key_type;
            let pem = certificate.pem_text().unwrap_or_default();
            if let Ok(thumbprint) = key_thumbprint(pem, key_type, owner, SystemClock.now())
                && held
                    .iter()
                    .any(|(t, held)| t == key_type.as_str() && *held == thumbprint)
            {
                continue;
            }
            let url = self
                .server
                .at(&format!("{owner_path}/certificates/{key_type}"));
            self.client
                .post(&url, "application/x-pem-file", pem)
                .map_err(within(&place))?;
            report.certificates += 1;
        }
        Ok(())
    }

    /// Whether GET `path` finds a record (404 says it does not).
    /// The roles of the server's reference catalogue.
    fn server_roles(&self) -> Result<Vec<String>, CliError> {
        let url = self
            .server
            .at("/references/authorisationdomainroles?size=1000");
        let page = json(&url, &self.client.get(&url)?)?;
        Ok(page["content"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["AuthorisationDomainRoleName"].as_str().map(str::to_owned))
            .collect())
    }

    fn exists(&self, path: &str) -> Result<bool, CliError> {
        match self.client.get(&self.server.at(path)) {
            Ok(_) => Ok(true),
            Err(CliError::Refused { status, .. }) if status.starts_with("404") => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn post_json(
        &self,
        path: &str,
        fields: &serde_json::Map<String, Value>,
    ) -> Result<Value, CliError> {
        let url = self.server.at(path);
        let body = serde_json::to_string(fields).unwrap_or_default();
        json(&url, &self.client.post(&url, "application/json", &body)?)
    }
}

/// A refusal, its message led by where in the seed it arose.
fn within(place: &str) -> impl FnOnce(CliError) -> CliError + '_ {
    move |e| match e {
        CliError::Refused { status, message } => CliError::Refused {
            status,
            message: format!("{place}: {message}"),
        },
        other => other,
    }
}
