//! Loading organisations and software statements from a seed file, so a
//! fresh directory has owners to upload to. Loading twice changes nothing.

use std::path::Path;

use serde::Deserialize;

use super::organisations::{create_organisation, create_software_statement};
use super::{Core, ServiceError};
use crate::domain::organisation::{OrganisationRequest, SoftwareStatementRequest};
use crate::domain::{Caller, OrganisationId};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    #[serde(default)]
    organisations: Vec<SeedOrganisation>,
}

#[derive(Debug, Deserialize)]
struct SeedOrganisation {
    #[serde(flatten)]
    organisation: OrganisationRequest,
    #[serde(rename = "SoftwareStatements", default)]
    software_statements: Vec<SoftwareStatementRequest>,
}

/// What a seed run created (existing records are left as they are).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub organisations: usize,
    pub software_statements: usize,
}

/// Reads a JSON or TOML seed file (by extension) and creates what is missing.
pub async fn load(core: &Core, path: &Path) -> Result<SeedReport, ServiceError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ServiceError::Invalid(vec![format!("seed file {}: {e}", path.display())]))?;
    let invalid =
        |e: String| ServiceError::Invalid(vec![format!("seed file {}: {e}", path.display())]);
    let seed: SeedFile = if path.extension().is_some_and(|e| e == "toml") {
        toml::from_str(&text).map_err(|e| invalid(e.to_string()))?
    } else {
        serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?
    };

    let mut report = SeedReport::default();
    for entry in seed.organisations {
        let id =
            entry.organisation.organisation_id.clone().ok_or_else(|| {
                invalid("every seeded organisation needs an OrganisationId".into())
            })?;
        let org = OrganisationId::parse(&id)?;
        if core.store.organisation(&org)?.is_none() {
            create_organisation(core, &Caller::Admin, entry.organisation).await?;
            report.organisations += 1;
        }
        for statement in entry.software_statements {
            let ss_id = statement.software_statement_id.clone().ok_or_else(|| {
                invalid(format!(
                    "every software statement of '{org}' needs a SoftwareStatementId"
                ))
            })?;
            let ss = crate::domain::SoftwareStatementId::parse(&ss_id)?;
            if core.store.software_statement(&org, &ss)?.is_none() {
                create_software_statement(core, &Caller::Admin, &org, statement).await?;
                report.software_statements += 1;
            }
        }
    }
    Ok(report)
}
