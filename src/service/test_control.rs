//! Test control: empty the directory, or save its whole state under a name
//! and load it back, so a harness starts each test from a known state.

use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::certificate_authority::CertificateAuthority;
use super::error::{NotFound, Refused, SnapshotDefect};
use super::ra::Ra;
use super::tenants::Tenants;
use super::truststore::TrustStore;
use super::{ServiceError, ensure_admin};
use crate::domain::{Caller, DomainError};
use crate::store::{Database, StoreContents, StoreError, StoredEntry};

/// Tables a reset keeps unless it resets the CA too: the roots, the issuing
/// CAs and the directory's signing key.
const CA_TABLES: [&str; 3] = ["root_cas", "issuing_cas", "certificate_authority"];

const SNAPSHOT_FORMAT: &str = "obdir-snapshot-1";

/// What test control works with: every table's contents, where snapshots
/// are kept, and each part that holds state read from the store, reloaded
/// after the contents are replaced.
pub struct TestControl {
    pub(crate) contents: StoreContents,
    pub(crate) db: Database,
    /// Where the store lives; snapshots go beside it.
    pub(crate) data_dir: PathBuf,
    /// The directory's write lock: no read-change-write spans a replace.
    pub(crate) writes: crate::service::WriteLock,
    pub(crate) authority: Arc<CertificateAuthority>,
    pub(crate) ra: Arc<Ra>,
    pub(crate) trust_store: Arc<TrustStore>,
    pub(crate) tenants: Arc<Tenants>,
}

impl TestControl {
    /// Every stored record but the audit log; see `StoreContents::all`.
    pub fn stored_contents(&self) -> Result<Vec<StoredEntry>, ServiceError> {
        Ok(self.contents.all()?)
    }

    /// How many write transactions the store committed since it was opened.
    pub fn store_commits(&self) -> u64 {
        self.db.commits()
    }

    /// Replaces the stored state (see `StoreContents::replace`) and all that
    /// is held from it: the CA hierarchy, the signing key, cached documents
    /// and CRLs, the configured accounts and anchors. With no CA left, makes
    /// one as on a first start.
    async fn replace_state(&self, entries: Vec<StoredEntry>) -> Result<(), ServiceError> {
        {
            let _guard = self.writes.lock().await;
            // No RA order moves on while its record is being replaced.
            let _orders = self.ra.order_moves.lock().await;
            self.contents.replace(entries).await?;
            self.authority.reload()?;
            super::ra::accounts::write_configured(&self.ra).await?;
            super::truststore::write_configured(&self.trust_store).await?;
            super::tenants::accounts::write_configured(&self.tenants).await?;
        }
        Ok(())
    }
}

/// A snapshot's name: what the file in `<data_dir>/snapshots` is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotName(String);

impl SnapshotName {
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let ok = (1..=64).contains(&value.len())
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(SnapshotName(value.to_owned()))
        } else {
            Err(DomainError {
                field: "name".into(),
                rule: format!("must be 1 to 64 letters, digits, '-' or '_', got '{value}'"),
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Serialize, Deserialize)]
struct SnapshotFile {
    format: String,
    /// (table, key, value), key and value in standard base64.
    entries: Vec<(String, String, String)>,
}

/// What a reset, snapshot or restore touched.
#[derive(Debug, Serialize)]
pub struct StateReport {
    pub records: usize,
}

/// Empties organisations, statements, certificates and everything hanging
/// off them; keeps the CA (same roots, issuing CAs and signing key) unless
/// `with_ca`, which makes a new one as on a first start. The audit log stays.
pub async fn reset(
    control: &TestControl,
    caller: &Caller,
    with_ca: bool,
) -> Result<StateReport, ServiceError> {
    ensure_admin(caller, "resetting the directory")?;
    let kept: Vec<StoredEntry> = if with_ca {
        Vec::new()
    } else {
        control
            .contents
            .all()?
            .into_iter()
            .filter(|(table, _, _)| CA_TABLES.contains(&table.as_str()))
            .collect()
    };
    let records = kept.len();
    control.replace_state(kept).await?;
    log::info!(
        "directory reset ({} the CA)",
        if with_ca { "with" } else { "keeping" }
    );
    Ok(StateReport { records })
}

/// Saves every record but the audit log to `<data_dir>/snapshots/<name>.json`.
pub async fn snapshot(
    control: &TestControl,
    caller: &Caller,
    name: &SnapshotName,
) -> Result<StateReport, ServiceError> {
    ensure_admin(caller, "taking a snapshot")?;
    let entries = control.contents.all()?;
    let file = SnapshotFile {
        format: SNAPSHOT_FORMAT.into(),
        entries: entries
            .iter()
            .map(|(t, k, v)| (t.clone(), STANDARD.encode(k), STANDARD.encode(v)))
            .collect(),
    };
    let path = snapshot_path(control, name);
    let io = |e: std::io::Error| StoreError::Engine(format!("writing {}: {e}", path.display()));
    std::fs::create_dir_all(path.parent().expect("snapshots dir")).map_err(io)?;
    // Written aside and renamed, so a crash never leaves half a snapshot.
    let partial = path.with_extension("partial");
    let bytes = serde_json::to_vec(&file).expect("a snapshot serialises");
    std::fs::write(&partial, bytes).map_err(io)?;
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    std::fs::rename(&partial, &path).map_err(io)?;
    Ok(StateReport {
        records: entries.len(),
    })
}

/// Replaces every record but the audit log with a snapshot's.
pub async fn restore(
    control: &TestControl,
    caller: &Caller,
    name: &SnapshotName,
) -> Result<StateReport, ServiceError> {
    ensure_admin(caller, "restoring a snapshot")?;
    let path = snapshot_path(control, name);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(NotFound::Snapshot(name.as_str().to_owned()).into());
        }
        Err(e) => {
            return Err(StoreError::Engine(format!("reading {}: {e}", path.display())).into());
        }
    };
    let corrupt = |defect: SnapshotDefect| -> ServiceError {
        Refused::Snapshot {
            name: name.as_str().to_owned(),
            defect,
        }
        .into()
    };
    let file: SnapshotFile = serde_json::from_slice(&bytes)
        .map_err(|e| corrupt(SnapshotDefect::Unparsable(e.to_string())))?;
    if file.format != SNAPSHOT_FORMAT {
        return Err(corrupt(SnapshotDefect::Format {
            found: file.format,
            expected: SNAPSHOT_FORMAT,
        }));
    }
    let entries = file
        .entries
        .into_iter()
        .map(|(t, k, v)| Some((t, STANDARD.decode(k).ok()?, STANDARD.decode(v).ok()?)))
        .collect::<Option<Vec<StoredEntry>>>()
        .ok_or_else(|| corrupt(SnapshotDefect::NotBase64))?;
    let records = entries.len();
    control.replace_state(entries).await.map_err(|e| match e {
        ServiceError::Store(StoreError::Corrupt { key, reason }) => {
            corrupt(SnapshotDefect::Table { table: key, reason })
        }
        other => other,
    })?;
    log::info!("snapshot '{}' restored", name.as_str());
    Ok(StateReport { records })
}

/// The names of the saved snapshots, in order.
pub fn snapshots(control: &TestControl, caller: &Caller) -> Result<Vec<String>, ServiceError> {
    ensure_admin(caller, "listing snapshots")?;
    let dir = control.data_dir.join("snapshots");
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_suffix(".json")
                    .map(str::to_owned)
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    Ok(names)
}

fn snapshot_path(control: &TestControl, name: &SnapshotName) -> PathBuf {
    control
        .data_dir
        .join("snapshots")
        .join(format!("{}.json", name.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_names_are_plain_file_names() {
        assert!(SnapshotName::parse("before-upload_2").is_ok());
        for bad in ["", "../etc", "a/b", "a.b", &"x".repeat(65)] {
            assert_eq!(SnapshotName::parse(bad).unwrap_err().field, "name");
        }
    }
}
