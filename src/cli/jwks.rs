//! `obdir jwks`: fetches a keystore document, finding its URL the way the
//! directory itself builds it (`PublicUrls`), in either keystore layout.

use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use obdir::domain::{
    Flavour, KeySet, KeystoreDocument, OrganisationId, PublicUrls, SoftwareStatementId,
};

use super::error::CliError;
use super::{Server, files, http};

#[derive(Args)]
pub struct JwksArgs {
    /// Organisation id.
    #[arg(long, value_parser = super::organisation_id)]
    org: OrganisationId,
    /// Software statement id; without it, the organisation's document.
    #[arg(long, value_parser = super::statement_id)]
    ss: Option<SoftwareStatementId>,
    /// The inactive (revoked or expired) keys rather than the active ones.
    #[arg(long)]
    inactive: bool,
    /// The owner's transport (TLS) certificates rather than its signing and
    /// encryption keys (raidiam layout; the obie layout has one document).
    #[arg(long)]
    transport: bool,
    /// Keystore base URL [default: <url>/keystore].
    #[arg(long, env = "OBDIR_KEYSTORE_URL", value_parser = super::http_url)]
    keystore_url: Option<String>,
    /// The server's keystore layout (its keystore.flavour).
    #[arg(
        long,
        env = "OBDIR_KEYSTORE_FLAVOUR",
        default_value = "raidiam",
        value_parser = flavour_parser()
    )]
    flavour: Flavour,
    #[command(flatten)]
    server: Server,
}

fn flavour_parser() -> impl TypedValueParser<Value = Flavour> {
    PossibleValuesParser::new(["raidiam", "obie"]).map(|name| match name.as_str() {
        "obie" => Flavour::Obie,
        _ => Flavour::Raidiam,
    })
}

pub fn run(args: JwksArgs) -> Result<(), CliError> {
    let url = document_url(&args)?;
    let body = http::Client::new(None).get(&url)?;
    let jwks = http::json(&url, &body)?;
    files::print(&serde_json::to_string_pretty(&jwks).unwrap_or(body))
}

fn document_url(args: &JwksArgs) -> Result<String, CliError> {
    let keys = match (args.flavour, &args.ss, args.transport) {
        (Flavour::Obie, _, true) => {
            return Err(CliError::Usage(
                "--transport: the obie layout keeps every key of a statement in one document"
                    .into(),
            ));
        }
        (Flavour::Raidiam, _, true) => KeySet::Transport,
        (Flavour::Raidiam, _, false) => KeySet::Application,
        (Flavour::Obie, _, false) => KeySet::All,
    };
    let keystore = match &args.keystore_url {
        Some(url) => url.clone(),
        None => args.server.at("/keystore"),
    };
    let urls = PublicUrls::new(&args.server.url, &keystore, args.flavour);
    Ok(urls.document(&KeystoreDocument {
        organisation_id: args.org.clone(),
        software_statement_id: args.ss.clone(),
        keys,
        inactive: args.inactive,
    }))
}
