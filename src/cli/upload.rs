//! `obdir upload`: posts a PEM file to a statement's or an organisation's
//! certificates and prints the record the directory answers with.

use std::path::PathBuf;

use clap::Args;
use obdir::domain::{CertOrKeyType, OrganisationId, SoftwareStatementId};

use super::error::CliError;
use super::http::{json, segment};
use super::{Authorised, check_owner, files};

#[derive(Args)]
pub struct UploadArgs {
    /// Organisation id.
    #[arg(long, value_parser = super::organisation_id)]
    org: OrganisationId,
    /// Software statement id; leave it out for an organisation's own types.
    #[arg(long, value_parser = super::statement_id)]
    ss: Option<SoftwareStatementId>,
    /// rtstransport, rtssigning, brcac, brcac_2022 (a CSR); brcac_ext (a certificate);
    /// sigkey, enckey (a public key); organisation types rtswac, rtsseal, brseal,
    /// rtstransport_rs (a CSR); qwac, qseal, brseal_ext (a certificate).
    #[arg(long = "type", value_name = "TYPE", value_parser = super::key_type)]
    key_type: CertOrKeyType,
    /// The PEM file: a CSR, a certificate or a public key, as the type wants.
    file: PathBuf,
    #[command(flatten)]
    server: Authorised,
}

pub fn run(args: UploadArgs) -> Result<(), CliError> {
    check_owner(args.key_type, args.ss.as_ref())?;
    let pem = files::read(&args.file)?;
    let url = args.server.server.at(&certificates_path(&args));
    let body = args
        .server
        .client()?
        .post(&url, "application/x-pem-file", &pem)?;
    let record = json(&url, &body)?;
    files::print(&serde_json::to_string_pretty(&record).unwrap_or(body))
}

fn certificates_path(args: &UploadArgs) -> String {
    let org = segment(args.org.as_str());
    match &args.ss {
        Some(ss) => format!(
            "/organisations/{org}/softwarestatements/{}/certificates/{}",
            segment(ss.as_str()),
            args.key_type
        ),
        None => format!("/organisations/{org}/certificates/{}", args.key_type),
    }
}
