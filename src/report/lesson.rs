//! A lesson's output directory (`slsim teach`): one ordinary result
//! directory per step (`01-low-traffic/`, ... as [`super::write_run`]
//! writes them) and the lesson's own files beside them, all committed
//! together: the steps are written inside the lesson's staging directory,
//! which then replaces the output directory in one rename.

use super::atomic::Staging;
use super::{out_dir, write_run, ReportError, RunFiles};
use crate::sim::RunResult;
use std::path::{Path, PathBuf};

/// The files a lesson writes beside its steps' directories.
pub const LESSON_FILES: [&str; 4] = [
    "lesson.md",
    "lesson.json",
    "comparison.svg",
    "comparison.png",
];

/// One step of a lesson: its directory's name and its run.
#[derive(Clone, Copy)]
pub struct LessonStep<'a> {
    /// The directory's name: two digits, `-`, lowercase letters, digits
    /// and `-` (e.g. `01-low-traffic`); see [`is_step_dir`].
    pub dir: &'a str,
    /// The step's run.
    pub result: &'a RunResult,
    /// Its topology drawing (`topology.svg`).
    pub topology_svg: Option<&'a str>,
}

/// Whether `name` is the name of a step's directory: two digits, `-`,
/// then lowercase ASCII letters, digits and `-`.
pub fn is_step_dir(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 3
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && b[2] == b'-'
        && b[3..]
            .iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// Writes a lesson into `dir`, all or nothing: each step as a result
/// directory (the run's files, charts, topology and report, as `slsim run`
/// writes them), then `files` (each one of [`LESSON_FILES`]). An existing
/// `dir` must hold only slsim's results. Returns the steps' directories
/// and the files, as paths under `dir`.
pub fn write_lesson(
    dir: &Path,
    steps: &[LessonStep<'_>],
    files: &[(&'static str, &[u8])],
) -> Result<Vec<PathBuf>, ReportError> {
    let target = out_dir::resolve(dir, true)?;
    let staging = Staging::create(&target)?;
    let mut written = Vec::with_capacity(steps.len() + files.len());
    for step in steps {
        debug_assert!(is_step_dir(step.dir), "{}", step.dir);
        let extra = RunFiles {
            plots: true,
            topology_svg: step.topology_svg,
            report: true,
            extra: &[],
        };
        write_run(&staging.path().join(step.dir), step.result, &extra, None).map_err(
            |e| match e {
                // Name the final place, not the staging one.
                ReportError::Write { source, .. } => ReportError::Write {
                    path: dir.join(step.dir),
                    source,
                },
                e => e,
            },
        )?;
        written.push(dir.join(step.dir));
    }
    for (name, bytes) in files {
        debug_assert!(LESSON_FILES.contains(name), "{name}");
        let shown = dir.join(name);
        staging.write_bytes(name, &shown, bytes)?;
        written.push(shown);
    }
    staging.commit()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::is_step_dir;

    #[test]
    fn step_directories_are_numbered_slugs() {
        for ok in ["01-low-traffic", "12-a", "00-x1"] {
            assert!(is_step_dir(ok), "{ok}");
        }
        for bad in [
            "1-low", "01-", "01_low", "01-Low", "ab-low", "01-a b", "plots",
        ] {
            assert!(!is_step_dir(bad), "{bad}");
        }
    }
}
