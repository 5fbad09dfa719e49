//! The obdir command line: parse arguments, load settings, run the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use obdir::config::{Overrides, Settings};
use obdir::domain::SystemClock;

#[derive(Parser)]
#[command(name = "obdir", version, about = "An Open Banking directory emulator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the directory, keystore and CA over HTTP.
    Serve {
        /// Config file (TOML); overrides the compiled-in defaults.
        #[arg(long, env = "OBDIR_CONFIG")]
        config: Option<PathBuf>,
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        bind: Option<String>,
        /// Directory for the store, the CA and the admin token.
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Base of every generated URL (default http://<bind>).
        #[arg(long)]
        public_url: Option<String>,
        /// JSON or TOML file of organisations and software statements to create.
        #[arg(long)]
        seed: Option<PathBuf>,
    },
}

#[actix_web::main]
async fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let Command::Serve {
        config,
        bind,
        data_dir,
        public_url,
        seed,
    } = Cli::parse().command;
    let flags = Overrides {
        bind,
        data_dir,
        public_url,
        admin_token: None,
    };
    let settings = match Settings::load(config.as_deref(), |k| std::env::var(k).ok(), flags) {
        Ok(settings) => settings,
        Err(e) => {
            log::error!("{e}");
            return ExitCode::from(2);
        }
    };
    let app = match obdir::Application::build(settings, seed, Arc::new(SystemClock)).await {
        Ok(app) => app,
        Err(e) => {
            log::error!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::error!("server stopped: {e}");
            ExitCode::FAILURE
        }
    }
}
