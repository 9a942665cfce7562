//! All-or-nothing commit of the result files: a staging directory beside
//! the output directory, fsynced, then swapped in as a whole.
//!
//! Life of a write: [`Staging::create`] makes `.<name>.slsim-staging-<random>`
//! in the output directory's parent; [`Staging::write`] fills one file there
//! and fsyncs it; [`Staging::commit`] fsyncs the staging directory, swaps it
//! with the output directory (Linux: one `renameat2(RENAME_EXCHANGE)`;
//! elsewhere, or on a file system without it: rename the old directory
//! away, rename the staging one in), fsyncs the parent and removes the old
//! directory. Dropping an uncommitted [`Staging`] removes it.
//!
//! Signals: every staging directory in existence is listed in one
//! process-wide registry behind a mutex. Creating a staging directory or a
//! file in it, and the commit, hold that mutex; [`stop_writing`] (called by
//! the CLI's SIGINT/SIGTERM handler) takes it, so it waits for a commit in
//! progress, removes every staging directory and keeps the mutex until the
//! process exits: no file is created and no commit starts after it.

use super::digest::{FileDigest, Hashing};
use super::out_dir::{self, Target};
use super::ReportError;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Staging directories in existence (several threads may write at once).
static STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    STAGING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Held by the caller of [`stop_writing`] until the process exits: while it
/// lives, no result file is created and no commit starts.
#[must_use = "writes resume when this guard is dropped"]
pub struct WritingStopped {
    _registry: MutexGuard<'static, Vec<PathBuf>>,
    removed: usize,
}

impl WritingStopped {
    /// How many unfinished staging directories were removed (0 if nothing
    /// was being written).
    pub fn removed(&self) -> usize {
        self.removed
    }
}

/// Stops every write in progress, for a process about to exit (SIGINT,
/// SIGTERM): waits for a commit in progress to end, removes all staging
/// directories and blocks further writes while the returned guard lives.
/// Output directories keep either their previous or their new results.
pub fn stop_writing() -> WritingStopped {
    let mut registry = registry();
    let removed = registry.len();
    for dir in registry.drain(..) {
        let _ = std::fs::remove_dir_all(&dir);
    }
    WritingStopped {
        _registry: registry,
        removed,
    }
}

/// A staging directory for one output directory.
pub(super) struct Staging<'a> {
    path: PathBuf,
    target: &'a Target,
    committed: bool,
}

impl<'a> Staging<'a> {
    /// Makes the staging directory beside `target`, with the permissions of
    /// the directory it will replace (or those of a new directory).
    pub(super) fn create(target: &'a Target) -> Result<Staging<'a>, ReportError> {
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(&target.name);
        prefix.push(".slsim-staging-");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).rand_bytes(8);
        let old = std::fs::metadata(&target.dir).ok().map(|m| m.permissions());
        if let Some(p) = new_dir_permissions(old.as_ref()) {
            builder.permissions(p);
        }
        let mut registry = registry();
        let dir = builder
            .tempdir_in(&target.parent)
            .map_err(|source| ReportError::CreateDir {
                path: target.given.clone(),
                source,
            })?;
        let path = dir.keep();
        registry.push(path.clone());
        drop(registry);
        let staging = Staging {
            path,
            target,
            committed: false,
        };
        if let Some(p) = old {
            // mkdir applied the umask; the replaced directory's mode is kept.
            std::fs::set_permissions(&staging.path, p).map_err(|source| {
                ReportError::CreateDir {
                    path: target.given.clone(),
                    source,
                }
            })?;
        }
        Ok(staging)
    }

    /// The staging directory (the report reads the drawings written there).
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Creates the subdirectory `name` of the staging directory (registry
    /// held, like a file).
    pub(super) fn create_dir(&self, name: &str, shown: &Path) -> Result<(), ReportError> {
        let registry = registry();
        let result = if registry.contains(&self.path) {
            std::fs::create_dir(self.path.join(name))
        } else {
            Err(std::io::Error::other("the write was stopped"))
        };
        drop(registry);
        result.map_err(|source| ReportError::Write {
            path: shown.to_path_buf(),
            source,
        })
    }

    /// Writes file `name` with what `fill` writes (through a buffer that
    /// hashes it), fsyncs it and returns its size and hash. `shown` names
    /// the file in errors: its final path.
    pub(super) fn write(
        &self,
        name: &str,
        shown: &Path,
        fill: impl FnOnce(&mut dyn Write, &Path) -> Result<(), ReportError>,
    ) -> Result<FileDigest, ReportError> {
        let err = |source| ReportError::Write {
            path: shown.to_path_buf(),
            source,
        };
        let file = self.create_file(name).map_err(err)?;
        let mut out = Hashing::new(BufWriter::with_capacity(1 << 16, file));
        fill(&mut out, shown)?;
        out.flush().map_err(err)?;
        let (digest, buffered) = out.finish();
        let file = buffered.into_inner().map_err(|e| err(e.into_error()))?;
        file.sync_all().map_err(err)?;
        Ok(digest)
    }

    /// Writes `bytes` as `name` (see [`Staging::write`]).
    pub(super) fn write_bytes(
        &self,
        name: &str,
        shown: &Path,
        bytes: &[u8],
    ) -> Result<FileDigest, ReportError> {
        self.write(name, shown, |w, path| {
            w.write_all(bytes).map_err(|source| ReportError::Write {
                path: path.to_path_buf(),
                source,
            })
        })
    }

    /// Creates `name` in the staging directory (registry held, so that a
    /// stopping process never sees a file appear after its cleanup), with
    /// the mode of the file it replaces, or `rw-r--r--` under the umask.
    fn create_file(&self, name: &str) -> std::io::Result<File> {
        let registry = registry();
        if !registry.contains(&self.path) {
            return Err(std::io::Error::other("the write was stopped"));
        }
        let path = self.path.join(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        let old = std::fs::metadata(self.target.dir.join(name))
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.permissions());
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o644);
        }
        let file = options.open(&path)?;
        drop(registry);
        if let Some(p) = old {
            file.set_permissions(p)?;
        }
        Ok(file)
    }

    /// Replaces the output directory by the staging one, durably. On error
    /// the output directory keeps its previous contents.
    pub(super) fn commit(mut self) -> Result<(), ReportError> {
        let target = self.target;
        let err = |source| ReportError::Commit {
            path: target.given.clone(),
            source,
        };
        // Entries of subdirectories (plots/) are durable once those are
        // synced too.
        for entry in std::fs::read_dir(&self.path).map_err(err)? {
            let entry = entry.map_err(err)?;
            if entry.file_type().map_err(err)?.is_dir() {
                sync_dir(&entry.path()).map_err(err)?;
            }
        }
        sync_dir(&self.path).map_err(err)?;
        let mut registry = registry();
        if !registry.contains(&self.path) {
            return Err(err(std::io::Error::other("the write was stopped")));
        }
        let exists = std::fs::symlink_metadata(&target.dir).is_ok();
        if exists {
            // Something may have appeared since the run started.
            out_dir::check_entries(target)?;
            swap(&self.path, &target.dir).map_err(err)?;
        } else {
            std::fs::rename(&self.path, &target.dir).map_err(err)?;
        }
        // The rename is durable once the parent is synced.
        let synced = sync_dir(&target.parent);
        self.committed = true;
        registry.retain(|p| *p != self.path);
        if exists {
            // The old results now sit under the staging name.
            let _ = std::fs::remove_dir_all(&self.path);
        }
        drop(registry);
        synced.map_err(err)
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let mut registry = registry();
        if let Some(i) = registry.iter().position(|p| *p == self.path) {
            registry.swap_remove(i);
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Exchanges directories `staging` and `dir`: afterwards `dir` holds the
/// new results and `staging` the old ones.
fn swap(staging: &Path, dir: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        use rustix::io::Errno;
        match renameat_with(CWD, staging, CWD, dir, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // Not supported by this kernel or file system: two renames.
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(e) => return Err(e.into()),
        }
    }
    swap_by_renames(staging, dir)
}

/// [`swap`] without `RENAME_EXCHANGE`: the old directory is renamed away,
/// the staging one in (the old one is renamed back if that fails), then
/// the old one takes the staging name. Run under the registry lock, so a
/// signal never sees the moment between the two renames.
fn swap_by_renames(staging: &Path, dir: &Path) -> std::io::Result<()> {
    let mut away = staging.as_os_str().to_os_string();
    away.push("-old");
    let away = PathBuf::from(away);
    std::fs::rename(dir, &away)?;
    if let Err(e) = std::fs::rename(staging, dir) {
        let _ = std::fs::rename(&away, dir);
        return Err(e);
    }
    std::fs::rename(&away, staging)
}

/// New directories are made with the replaced directory's mode or, for a
/// new one, `rwxrwxrwx` under the umask (like `mkdir`).
fn new_dir_permissions(old: Option<&std::fs::Permissions>) -> Option<std::fs::Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(
            old.cloned()
                .unwrap_or_else(|| std::fs::Permissions::from_mode(0o777)),
        )
    }
    #[cfg(not(unix))]
    {
        old.cloned()
    }
}

/// Makes renames and new entries in `dir` durable (POSIX needs the
/// directory fsynced).
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_by_renames_exchanges_two_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        for (d, f) in [(&a, "new"), (&b, "old")] {
            std::fs::create_dir(d).unwrap();
            std::fs::write(d.join(f), f).unwrap();
        }
        swap_by_renames(&a, &b).unwrap();
        assert!(a.join("old").exists() && b.join("new").exists());
        let mut names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["a", "b"]);
        // A failed second rename puts the old directory back.
        let missing = tmp.path().join("missing");
        assert!(swap_by_renames(&missing, &b).is_err());
        assert!(b.join("new").exists());
    }
}
