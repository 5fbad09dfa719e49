//! `obdir reset`: empties a running directory (`POST /admin/reset`), keeping
//! its CA unless `--ca`, and with `--seed` loads the demo ecosystem again.

use clap::Args;

use super::error::CliError;
use super::{Authorised, files, http};

#[derive(Args)]
pub struct ResetArgs {
    /// Return to the demo ecosystem `make run` starts with, not to empty.
    #[arg(long)]
    seed: bool,
    /// Also replace the CA with a new one (certificates issued before no
    /// longer chain to it).
    #[arg(long)]
    ca: bool,
    #[command(flatten)]
    server: Authorised,
}

pub fn run(args: ResetArgs) -> Result<(), CliError> {
    let path = match args.seed {
        true => "/admin/reset?seed=demo",
        false => "/admin/reset",
    };
    let url = args.server.server.at(path);
    let body = serde_json::json!({ "ca": args.ca }).to_string();
    let answer = args
        .server
        .client()?
        .post(&url, "application/json", &body)?;
    let report = http::json(&url, &answer)?;
    files::print(&serde_json::to_string_pretty(&report).unwrap_or(answer))
}
