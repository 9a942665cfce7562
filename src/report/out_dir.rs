//! The output directory: where it is, and whether slsim may replace it.
//!
//! slsim commits its results by replacing the output directory as a whole
//! (`atomic.rs`), so it must never replace one that holds anything else:
//! `--out .` in a project, or `--out ~`, is refused with the offending entry
//! named, before the simulation starts and again at commit time.

use super::lesson::{is_step_dir, LESSON_FILES};
use super::plots::{is_plot_file, PLOTS_DIR};
use super::{ReportError, EXTRA_FILES, FILES, RUN_FILES, SWEEP_FILES, TIMELINE_FILE};
use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// A resolved output directory.
#[derive(Debug)]
pub(super) struct Target {
    /// The directory as the user named it (for messages).
    pub given: PathBuf,
    /// The directory to replace: symbolic links resolved when it exists.
    pub dir: PathBuf,
    /// Its parent, where the staging directory is made.
    pub parent: PathBuf,
    /// Its last component.
    pub name: OsString,
}

/// Checks that `dir` can receive results: it is a directory (or does not
/// exist yet and its nearest existing ancestor is a directory) that holds
/// nothing but slsim's result files (and a `plots/` directory of its
/// charts), and it is not the current directory.
/// Called before a run so that a bad `--out` is reported before simulating;
/// [`super::write_outputs`] checks again.
pub fn check_out_dir(dir: &Path) -> Result<(), ReportError> {
    resolve(dir, false).map(drop)
}

/// Resolves `dir` and checks it (see [`check_out_dir`]); with `create`,
/// creates its parent directories.
pub(super) fn resolve(dir: &Path, create: bool) -> Result<Target, ReportError> {
    let given = dir.to_path_buf();
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            let real = std::fs::canonicalize(dir).map_err(|source| ReportError::CreateDir {
                path: given.clone(),
                source,
            })?;
            let (Some(parent), Some(name)) = (real.parent(), real.file_name()) else {
                return Err(refused(&given, "it is the root directory".into()));
            };
            let target = Target {
                parent: parent.to_path_buf(),
                name: name.to_os_string(),
                dir: real.clone(),
                given,
            };
            check_entries(&target)?;
            if std::env::current_dir()
                .and_then(std::fs::canonicalize)
                .is_ok_and(|cwd| cwd == real)
            {
                return Err(refused(
                    &target.given,
                    "it is the current directory (replacing it would leave this shell in a \
                     removed directory); run from its parent with --out <name>"
                        .into(),
                ));
            }
            Ok(target)
        }
        Ok(_) => Err(ReportError::NotADirectory { path: given }),
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            if std::fs::symlink_metadata(dir).is_ok() {
                return Err(refused(
                    &given,
                    "it is a symbolic link to nothing; remove the link or point it at a \
                     directory"
                        .into(),
                ));
            }
            let name = dir.file_name().ok_or_else(|| ReportError::CreateDir {
                path: given.clone(),
                source: e,
            })?;
            let parent = match dir.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            ensure_parent(&given, &parent, create)?;
            Ok(Target {
                dir: dir.to_path_buf(),
                name: name.to_os_string(),
                parent,
                given,
            })
        }
        Err(source) => Err(ReportError::CreateDir {
            path: given,
            source,
        }),
    }
}

/// Creates `parent` (with `create`), or explains why it cannot be: the
/// nearest existing ancestor is not a directory.
fn ensure_parent(given: &Path, parent: &Path, create: bool) -> Result<(), ReportError> {
    let blocker = parent
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find_map(|a| match std::fs::metadata(a) {
            Ok(m) if m.is_dir() => Some(None),
            Ok(_) => Some(Some(a)),
            Err(_) => None,
        })
        .flatten();
    if let Some(file) = blocker {
        return Err(ReportError::CreateDir {
            path: given.to_path_buf(),
            source: std::io::Error::new(
                ErrorKind::NotADirectory,
                format!("{} is not a directory", file.display()),
            ),
        });
    }
    if create {
        std::fs::create_dir_all(parent).map_err(|source| ReportError::CreateDir {
            path: given.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

fn refused(dir: &Path, why: String) -> ReportError {
    ReportError::Refused {
        dir: dir.to_path_buf(),
        why,
    }
}

/// Whether `name` is one of slsim's result files or a temp file an older
/// slsim left beside one (`.<file>.<random>.tmp`).
fn is_ours(name: &str) -> bool {
    let ours = || {
        FILES
            .iter()
            .chain(&RUN_FILES)
            .chain(&SWEEP_FILES)
            .chain(&EXTRA_FILES)
            .chain(std::iter::once(&TIMELINE_FILE))
            .chain(&LESSON_FILES)
    };
    ours().any(|f| *f == name)
        || ours().any(|f| {
            name.strip_prefix('.')
                .and_then(|n| n.strip_prefix(f))
                .is_some_and(|rest| rest.starts_with('.') && rest.ends_with(".tmp"))
        })
}

/// Refuses a directory that holds anything but slsim's regular files.
pub(super) fn check_entries(target: &Target) -> Result<(), ReportError> {
    let read_err = |source| ReportError::CreateDir {
        path: target.given.clone(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(&target.dir)
        .map_err(read_err)?
        .collect::<Result<_, _>>()
        .map_err(read_err)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let kind = entry.file_type().ok();
        if kind.is_some_and(|t| t.is_dir()) && name == PLOTS_DIR {
            check_plots(target, &entry.path())?;
            continue;
        }
        // A lesson's step (`slsim teach`): a result directory of its own.
        if kind.is_some_and(|t| t.is_dir()) && name.to_str().is_some_and(is_step_dir) {
            let step = Target {
                given: target.given.join(&name),
                dir: entry.path(),
                parent: target.dir.clone(),
                name: name.clone(),
            };
            check_step(&step)?;
            continue;
        }
        let file = kind.is_some_and(|t| t.is_file());
        if !(file && name.to_str().is_some_and(is_ours)) {
            let what = if file { "" } else { " (not a regular file)" };
            return Err(refused(
                &target.given,
                format!(
                    "it holds {:?}{what}, which slsim did not write",
                    name.to_string_lossy()
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses a step's directory that holds anything but a run's files
/// (no further step directories).
fn check_step(step: &Target) -> Result<(), ReportError> {
    let read_err = |source| ReportError::CreateDir {
        path: step.given.clone(),
        source,
    };
    for entry in std::fs::read_dir(&step.dir).map_err(read_err)? {
        let entry = entry.map_err(read_err)?;
        let name = entry.file_name();
        if entry.file_type().is_ok_and(|t| t.is_dir()) && name.to_str().is_some_and(is_step_dir) {
            return Err(refused(
                &step.given,
                format!(
                    "it holds {:?}, a directory slsim does not write there",
                    name.to_string_lossy()
                ),
            ));
        }
    }
    check_entries(step)
}

/// Refuses a `plots/` directory that holds anything but slsim's charts.
fn check_plots(target: &Target, dir: &Path) -> Result<(), ReportError> {
    let read_err = |source| ReportError::CreateDir {
        path: target.given.clone(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(read_err)?
        .collect::<Result<_, _>>()
        .map_err(read_err)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let file = entry.file_type().is_ok_and(|t| t.is_file());
        if !(file && name.to_str().is_some_and(is_plot_file)) {
            let what = if file { "" } else { " (not a regular file)" };
            return Err(refused(
                &target.given,
                format!(
                    "it holds \"{PLOTS_DIR}/{}\"{what}, which slsim did not write",
                    name.to_string_lossy()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_ours;

    #[test]
    fn result_files_and_old_temp_files_are_ours() {
        for n in [
            "summary.json",
            "latency.csv",
            "timeseries.csv",
            ".timeseries.csv.a1B2c3.tmp",
            "topology.svg",
            "report.html",
            "report.md",
            ".report.html.x1Y2z3.tmp",
            "sweep.csv",
            "sweep.json",
        ] {
            assert!(is_ours(n), "{n}");
        }
        for n in [
            "notes.txt",
            ".git",
            "summary.json.bak",
            ".summary.json",
            "x.tmp",
        ] {
            assert!(!is_ours(n), "{n}");
        }
    }
}
