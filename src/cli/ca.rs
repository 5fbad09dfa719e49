//! `obdir ca export`: the directory's CA chain, to verify its certificates with.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::error::{CliError, EXIT_CODES};
use super::{Server, files, http};

#[derive(Subcommand)]
pub enum CaCommand {
    /// Write every issuing CA and root (PEM), for `openssl verify -CAfile`.
    #[command(after_help = EXIT_CODES)]
    Export(ExportArgs),
}

#[derive(Args)]
pub struct ExportArgs {
    /// Write the chain to FILE rather than stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    server: Server,
}

pub fn run(command: CaCommand) -> Result<(), CliError> {
    let CaCommand::Export(args) = command;
    let chain = http::Client::new(None).get(&args.server.at("/ca/chain.pem"))?;
    match &args.out {
        Some(path) => files::write(path, &chain),
        None => files::print(&chain),
    }
}
