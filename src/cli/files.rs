//! Local files and stdout, with every failure naming the file and the reason.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::Path;

use super::error::CliError;

pub fn read(path: &Path) -> Result<String, CliError> {
    fs::read_to_string(path).map_err(|e| CliError::file(path, e))
}

pub fn write(path: &Path, contents: &str) -> Result<(), CliError> {
    fs::write(path, contents).map_err(|e| CliError::file(path, e))
}

/// Writes a private key readable by its owner only. An existing file is a
/// key someone may still need: it is replaced only when `force` says so.
pub fn write_private(path: &Path, contents: &str, force: bool) -> Result<(), CliError> {
    let mut options = OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| match e.kind() {
        ErrorKind::AlreadyExists => {
            CliError::file(path, "exists; keep it, or pass --force to replace it")
        }
        _ => CliError::file(path, e),
    })?;
    // The mode above applies to new files only; a replaced one may have been wider.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(|e| CliError::file(path, e))?;
    }
    file.write_all(contents.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| CliError::file(path, e))
}

/// Prints `text` on stdout, ending it with a newline if it has none. A reader
/// that stopped early (`| head`) is not an error.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    match write!(out, "{text}{newline}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(CliError::Local(format!("stdout: {e}"))),
        _ => Ok(()),
    }
}
