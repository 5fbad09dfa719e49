//! What can stop a client command, and the exit code each failure ends with.

use std::path::Path;

/// The exit codes, as `--help` and the README list them.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the server refused the request (4xx or 5xx; its message goes to stderr)
  2  usage error: a missing or invalid argument
  3  cannot connect, or cannot read or write a local file (an existing key
     file is kept: pass --force to replace it)";

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The server answered with an error status, or with something unusable.
    #[error("{status}: {message}")]
    Refused { status: String, message: String },
    /// Arguments that parse one by one but do not fit together.
    #[error("{0}")]
    Usage(String),
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// A local file (or stdout) that cannot be read, written or used.
    #[error("{0}")]
    Local(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Refused { .. } => 1,
            Self::Usage(_) => 2,
            Self::Unreachable { .. } | Self::Local(_) => 3,
        }
    }

    /// A file that could not be used, named with the reason.
    pub fn file(path: &Path, reason: impl std::fmt::Display) -> Self {
        Self::Local(format!("{}: {reason}", path.display()))
    }
}
