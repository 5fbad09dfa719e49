//! Secrets kept in the data dir when none is configured (the admin token,
//! the sealing key), so they survive restarts; owner-only files.

use std::fs;
use std::io::Write;
use std::path::Path;

pub const ADMIN_TOKEN: &str = "admin-token";
pub const SEALING_KEY: &str = "sealing-key";

/// Answers the stored token, making and storing one first if there is none.
/// The flag says whether it was just made.
pub fn load_or_create(
    dir: &Path,
    name: &str,
    generate: impl FnOnce() -> String,
) -> std::io::Result<(String, bool)> {
    let path = dir.join(name);
    if let Ok(token) = fs::read_to_string(&path) {
        let token = token.trim().to_owned();
        if !token.is_empty() {
            return Ok((token, false));
        }
    }
    let token = generate();
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path)?;
    file.write_all(token.as_bytes())?;
    file.sync_all()?;
    Ok((token, true))
}

/// Where the admin token is kept.
pub fn path(dir: &Path) -> std::path::PathBuf {
    dir.join(ADMIN_TOKEN)
}
