//! The obdir command line: parse arguments, then either load settings and
//! serve, or run one of the client commands against a running directory.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use obdir::config::{Overrides, Settings};
use obdir::domain::SystemClock;

#[derive(Parser)]
#[command(
    name = "obdir",
    version,
    about = "An Open Banking directory emulator",
    after_help = "The client commands (csr, upload, jwks, token, ca export, seed) exit 0 on success, \
                  1 when the server refused, 2 on a usage error, and 3 when they cannot connect \
                  or read or write a local file."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the directory, keystore and CA over HTTP.
    Serve(ServeArgs),
    #[command(flatten)]
    Client(cli::Command),
}

#[derive(Args)]
struct ServeArgs {
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
    /// JSON or TOML seed: trust anchors, organisations, software statements and their keys to create.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Serve HTTPS on tls.bind, with a server certificate from obdir's CA.
    #[arg(long)]
    tls: bool,
    /// Ask TLS clients for a certificate (implies --tls).
    #[arg(long, value_enum)]
    mtls: Option<obdir::config::ClientAuth>,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve(args) => {
            steady_malloc();
            actix_web::rt::System::new().block_on(serve(args))
        }
        Command::Client(command) => cli::run(command),
    }
}

/// Keeps a long-running server's resident memory following its live heap.
/// glibc's malloc raises its mmap threshold each time a large block is
/// freed, after which ever larger short-lived buffers (a CRL or a search
/// answer that grows with the store) are carved from the heap and the
/// freed space stays resident; and each thread that allocates may get an
/// arena of its own. A fixed threshold hands such buffers back when they
/// are freed, and two arenas are plenty for two workers. Values the
/// MALLOC_* environment variables set are left alone.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn steady_malloc() {
    unsafe extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_TRIM_THRESHOLD: i32 = -1;
    const M_MMAP_THRESHOLD: i32 = -3;
    const M_ARENA_MAX: i32 = -8;
    for (param, variable, value) in [
        (M_MMAP_THRESHOLD, "MALLOC_MMAP_THRESHOLD_", 128 * 1024),
        (M_TRIM_THRESHOLD, "MALLOC_TRIM_THRESHOLD_", 256 * 1024),
        (M_ARENA_MAX, "MALLOC_ARENA_MAX", 2),
    ] {
        if std::env::var_os(variable).is_none() {
            // SAFETY: mallopt only tunes the allocator; called before any
            // thread is started.
            unsafe {
                mallopt(param, value);
            }
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn steady_malloc() {}

async fn serve(args: ServeArgs) -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let ServeArgs {
        config,
        bind,
        data_dir,
        public_url,
        seed,
        tls,
        mtls,
    } = args;
    let flags = Overrides {
        bind,
        data_dir,
        public_url,
        admin_token: None,
        tls: tls.then_some(true),
        client_auth: mtls,
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
    // On stderr, beside the log but not in it: a generated admin token is
    // shown here once and never written to the log stream.
    eprintln!("{}", app.banner());
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::error!("server stopped: {e}");
            ExitCode::FAILURE
        }
    }
}
