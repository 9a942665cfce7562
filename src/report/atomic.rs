//! Atomic file replacement: write a temp file beside the target, fsync it,
//! rename it over the target, fsync the directory.
//!
//! A reader (or a run interrupted half-way) sees either the old file or the
//! new one, never a half-written one. A temp file left by a killed process
//! is named `.<target>.<random>.tmp`.

use super::ReportError;
use std::io::Write;
use std::path::Path;

/// Replaces `path` with `bytes`, atomically.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    write_with(path, |w| {
        w.write_all(bytes).map_err(|source| ReportError::Write {
            path: path.to_path_buf(),
            source,
        })
    })
}

/// Replaces `path` with what `fill` writes (through a buffer), atomically.
pub fn write_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let err = |source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    if let Some(p) = permissions(path) {
        builder.permissions(p);
    }
    let mut tmp = builder.tempfile_in(dir).map_err(err)?;
    {
        let mut buf = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        fill(&mut buf)?;
        buf.flush().map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    // On failure the temp file is removed when `tmp` (in the error) drops.
    tmp.persist(path).map_err(|e| err(e.error))?;
    sync_dir(dir).map_err(err)
}

/// The replaced file's permissions, or `rw-r--r--` for a new file on Unix
/// (temp files are otherwise created owner-only).
fn permissions(path: &Path) -> Option<std::fs::Permissions> {
    if let Ok(meta) = std::fs::metadata(path) {
        return Some(meta.permissions());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Makes the rename durable (POSIX needs the directory fsynced).
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}
