//! The client commands (csr, upload, jwks, token, ca export, seed): their shared
//! arguments, and how each command's result becomes an exit code.

mod ca;
mod csr;
mod error;
mod files;
mod http;
mod jwks;
mod reset;
mod seed;
mod token;
mod upload;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use obdir::domain::certificate::Holder;
use obdir::domain::{CertOrKeyType, OrganisationId, SoftwareStatementId};

use error::{CliError, EXIT_CODES};

#[derive(Subcommand)]
pub enum Command {
    /// Make a private key and a CSR whose subject the directory accepts for a type.
    #[command(after_help = EXIT_CODES)]
    Csr(csr::CsrArgs),
    /// Upload a CSR, certificate or public key; print the record the directory made.
    #[command(after_help = EXIT_CODES)]
    Upload(upload::UploadArgs),
    /// Print a keystore JWKS: a software statement's or an organisation's keys.
    #[command(after_help = EXIT_CODES)]
    Jwks(jwks::JwksArgs),
    /// Get an access token with a private_key_jwt client assertion.
    #[command(after_help = EXIT_CODES)]
    Token(token::TokenArgs),
    /// The directory's certificate authority.
    #[command(subcommand)]
    Ca(ca::CaCommand),
    /// Load a seed file (trust anchors, organisations, statements, their keys) into a running directory.
    #[command(after_help = EXIT_CODES)]
    Seed(seed::SeedArgs),
    /// Empty a running directory (keeping its CA unless --ca), or with --seed return it to the demo.
    #[command(after_help = EXIT_CODES)]
    Reset(reset::ResetArgs),
}

pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Csr(args) => csr::run(args),
        Command::Upload(args) => upload::run(args),
        Command::Jwks(args) => jwks::run(args),
        Command::Token(args) => token::run(args),
        Command::Ca(command) => ca::run(command),
        Command::Seed(args) => seed::run(args),
        Command::Reset(args) => reset::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("obdir: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Where the directory is.
#[derive(Args)]
pub struct Server {
    /// Base URL of the directory.
    #[arg(
        long,
        env = "OBDIR_URL",
        default_value = "http://127.0.0.1:8080",
        value_parser = http_url
    )]
    url: String,
}

impl Server {
    /// The URL of `path` (which starts with `/`) on the directory.
    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }
}

/// Where the directory is, and the token to call it with.
#[derive(Args)]
pub struct Authorised {
    #[command(flatten)]
    server: Server,
    /// Bearer token: the admin token or an access token [default: <data-dir>/admin-token].
    #[arg(long, env = "OBDIR_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The server's data dir, where it keeps its admin token.
    #[arg(long, env = "OBDIR_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
}

impl Authorised {
    /// A client with --token, else the data dir's admin token, else none (the
    /// server then answers 401, and the message says where a token comes from).
    fn client(&self) -> Result<http::Client, CliError> {
        if let Some(token) = &self.token {
            return Ok(http::Client::new(Some(token.clone())));
        }
        let path = obdir::store::token_file::path(&self.data_dir);
        let token = match std::fs::read_to_string(&path) {
            Ok(token) => Some(token.trim().to_owned()).filter(|t| !t.is_empty()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(CliError::file(&path, e)),
        };
        Ok(http::Client::new(token))
    }
}

/// An http URL without its trailing slash. obdir serves plain HTTP, so the
/// client is built without TLS.
fn http_url(value: &str) -> Result<String, String> {
    match value.strip_prefix("http://") {
        Some(rest) if !rest.is_empty() => Ok(value.trim_end_matches('/').to_owned()),
        _ if value.starts_with("https://") => {
            Err("https is not supported: obdir serves plain http://".into())
        }
        _ => Err(format!("'{value}' is not an http:// URL")),
    }
}

fn organisation_id(value: &str) -> Result<OrganisationId, String> {
    OrganisationId::parse(value).map_err(|e| e.to_string())
}

fn statement_id(value: &str) -> Result<SoftwareStatementId, String> {
    SoftwareStatementId::parse(value).map_err(|e| e.to_string())
}

/// Any type, of a software statement or of an organisation.
fn key_type(value: &str) -> Result<CertOrKeyType, String> {
    CertOrKeyType::parse_statement_type(value)
        .or_else(|_| CertOrKeyType::parse_organisation_type(value))
        .map_err(|_| {
            let names = |types: &[CertOrKeyType]| {
                types
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "must be a software statement type ({}) or an organisation type ({})",
                names(&CertOrKeyType::held_by(Holder::Statement)),
                names(&CertOrKeyType::held_by(Holder::Organisation))
            )
        })
}

/// A statement's types need --ss; an organisation's own types take none.
fn check_owner(key_type: CertOrKeyType, ss: Option<&SoftwareStatementId>) -> Result<(), CliError> {
    match (key_type.is_organisation_level(), ss) {
        (false, None) => Err(CliError::Usage(format!(
            "{key_type} belongs to a software statement: give --ss"
        ))),
        (true, Some(_)) => Err(CliError::Usage(format!(
            "{key_type} is an organisation's own certificate: drop --ss"
        ))),
        _ => Ok(()),
    }
}
