//! Writing results: JSON, CSV, the topology drawing and the report (all or
//! nothing), and the human summary.
//!
//! Owns: the output files of a run (`summary.json`, `timeseries.csv`,
//! `latency.csv`; with [`write_run`] also the charts in `plots/` (drawn
//! by [`crate::plot`]), `topology.svg`, `report.md` and `report.html`), the
//! output directory they are committed to, a lesson's directory (its
//! steps' result directories and its own files, [`write_lesson`]),
//! [`summary_text`], and the
//! report of a result directory ([`write_report`]: `result_dir.rs` reads
//! the files, `content/` says what they show, `html.rs` and `markdown.rs`
//! render it).
//! Must not know: how a run was simulated or costed; it renders a
//! [`RunResult`] as it is.
//!
//! Invariants:
//! * all or nothing: the files (plots included) are written into a staging directory
//!   beside the output directory and replace it as a whole, in one rename
//!   (`atomic.rs`). An interrupted, failed or timed-out write leaves the
//!   previous results as they were and no staging behind;
//! * slsim only replaces a directory that holds nothing but its own result
//!   files (`out_dir.rs`): `--out .` in a project is refused, never emptied;
//! * `summary.json` names the size and SHA-256 of every other file written
//!   with it (`files`: the two CSV files, each plot, the drawing and the
//!   report), so a reader can check that they belong together;
//! * the report is made of the directory's files only, so `slsim report
//!   DIR` rewrites the bytes the run wrote;
//! * identical results give byte-identical files, except the value of
//!   `wall_seconds` (maps keep scenario order; floats print as the shortest
//!   text that reads back to the same number).

mod atomic;
mod content;
mod csv;
mod digest;
pub mod doc;
mod html;
mod lesson;
mod markdown;
mod out_dir;
mod plots;
mod result_dir;
mod text;

pub use self::csv::{LATENCY_HEADER, TIMESERIES_HEADER};
pub use atomic::{stop_writing, WritingStopped};
pub use digest::{sha256_hex, FileDigest};
pub use html::escape as html_escape;
pub use lesson::{is_step_dir, write_lesson, LessonStep, LESSON_FILES};
pub use markdown::escape as markdown_escape;
pub use out_dir::check_out_dir;
pub use plots::PLOTS_DIR;
pub use result_dir::{
    inlinable, render as render_report, write_report, ReportInputs, Svg, REPORT_FILES,
};
pub use text::summary_text;

use crate::sim::RunResult;
use indexmap::IndexMap;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The files [`write_outputs`] writes, in order.
pub const FILES: [&str; 3] = ["summary.json", "timeseries.csv", "latency.csv"];

/// The files `slsim run` writes beside [`FILES`] ([`write_run`]): the
/// topology drawing and the report.
pub const RUN_FILES: [&str; 3] = ["topology.svg", "report.md", "report.html"];

/// The environment timeline a run writes when its scenario has a
/// `[timeline]` section.
pub const TIMELINE_FILE: &str = "timeline.csv";

/// Size and SHA-256 of the files written beside `summary.json`, by path
/// relative to the output directory (`timeseries.csv`,
/// `plots/01-latency-cdf.svg`), as recorded in `summary.json` under
/// `files`.
pub type Files = IndexMap<String, FileDigest>;

/// Why results could not be written. In every case the output directory
/// keeps what it held before and no staging directory is left behind.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The output directory (or its parent) could not be created or read.
    #[error(
        "cannot create output directory {}: {source}\n  hint: check that the parent exists and is \
         writable, or choose another directory with --out DIR",
        path.display()
    )]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The output path exists and is not a directory.
    #[error(
        "output directory {} is not a directory (a file of that name exists)\n  hint: choose a \
         directory with --out DIR (it is created if needed), or move the file away",
        path.display()
    )]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// The output directory holds something slsim did not write, or cannot
    /// be replaced safely: slsim refuses to replace it.
    #[error(
        "refusing to replace output directory {}: {why}\n  hint: slsim replaces its output \
         directory as a whole, so it only writes into a new directory or one that holds nothing \
         but slsim's results (summary.json, timeseries.csv, latency.csv, plots/, \
         topology.svg, report.md, report.html; a sweep's sweep.csv, sweep_summary.csv, \
         sweep.json); choose one with --out DIR",
        dir.display()
    )]
    Refused {
        /// The directory.
        dir: PathBuf,
        /// Why, naming the offending entry.
        why: String,
    },
    /// A file could not be written (disk full, quota, permissions, ...).
    #[error(
        "cannot write {}: {source}\n  hint: check free disk space and permissions of the \
         directory, or choose another directory with --out DIR; the previous results, if any, \
         are unchanged",
        path.display()
    )]
    Write {
        /// The file (its final path in the output directory).
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The new results could not be moved into place.
    #[error(
        "cannot move the new results into {}: {source}\n  hint: check the permissions of the \
         directory and of its parent; the previous results, if any, are unchanged",
        path.display()
    )]
    Commit {
        /// The output directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The wall-clock limit passed while the results were being written.
    #[error(
        "the wall-time limit ([simulation].max_wall) was reached while writing the results to \
         {}: nothing was written and the previous results, if any, are unchanged\n  hint: raise \
         simulation.max_wall (e.g. --set simulation.max_wall=1h), or write less (a wider \
         simulation.timeseries_interval or a shorter duration)",
        dir.display()
    )]
    WallTime {
        /// The output directory.
        dir: PathBuf,
    },
    /// A file of a result directory could not be read.
    #[error(
        "cannot read {}: {source}\n  hint: name a result directory of slsim run (or slsim \
         sweep), e.g. output/<scenario name>",
        path.display()
    )]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A directory holds neither `summary.json` nor `sweep_summary.csv`.
    #[error(
        "{} is not a result directory: it holds neither summary.json nor sweep_summary.csv\n  \
         hint: name the directory slsim run wrote (by default output/<scenario name>)",
        dir.display()
    )]
    NotAResultDir {
        /// The directory.
        dir: PathBuf,
    },
    /// A result file is not what slsim writes (e.g. `summary.json` is not JSON).
    #[error(
        "{} is not a result file slsim wrote: {message}\n  hint: run the scenario again to \
         rewrite the directory",
        path.display()
    )]
    BadFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A chart could not be drawn (a bug; `--no-plots` avoids it).
    #[error(transparent)]
    Plot(#[from] crate::plot::PlotError),
    /// A result could not be encoded (e.g. a component name CSV cannot hold).
    #[error("cannot encode {file}: {message}\n  hint: this is a bug in slsim; please report it")]
    Encode {
        /// The file being rendered.
        file: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// The wall-clock deadline of a write, checked between files and every
/// [`Deadline::ROWS`] rows.
pub(crate) struct Deadline<'a> {
    at: Option<Instant>,
    dir: &'a Path,
}

impl Deadline<'_> {
    /// Rows written between two checks.
    pub(crate) const ROWS: u64 = 1 << 16;

    /// [`ReportError::WallTime`] once the deadline has passed.
    pub(crate) fn check(&self) -> Result<(), ReportError> {
        match self.at {
            Some(at) if Instant::now() >= at => Err(ReportError::WallTime {
                dir: self.dir.to_path_buf(),
            }),
            _ => Ok(()),
        }
    }
}

/// Writes `summary.json`, `timeseries.csv` and `latency.csv` into `dir`, all
/// or nothing, and returns their paths: [`write_run`] without plots, the
/// drawing or the report.
pub fn write_outputs(
    dir: &Path,
    result: &RunResult,
    deadline: Option<Instant>,
) -> Result<Vec<PathBuf>, ReportError> {
    write_run(dir, result, &RunFiles::default(), deadline).map(|(paths, _)| paths)
}

/// What a run's directory holds beside the result's own files.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunFiles<'a> {
    /// The run's charts in `plots/`, as SVG and PNG.
    pub plots: bool,
    /// The topology drawing, written as `topology.svg`.
    pub topology_svg: Option<&'a str>,
    /// Whether to write `report.md` and `report.html` (made from the
    /// directory's other files, as `slsim report DIR` would).
    pub report: bool,
    /// Further files (name, bytes), each one of [`EXTRA_FILES`], e.g.
    /// `slsim recommend`'s `recommend.json`.
    pub extra: &'a [(&'static str, &'a [u8])],
}

/// Files other commands write beside a run's ([`RunFiles::extra`]).
pub const EXTRA_FILES: [&str; 1] = ["recommend.json"];

/// Writes `summary.json`, `timeseries.csv`, `latency.csv` and the files of
/// `extra` (the charts in `plots/`, SVG and PNG; `topology.svg`; the
/// report) into `dir`, all or nothing, and returns their paths (the three
/// files, the plots in name order, then the others) and the bytes of
/// `summary.json` (for `slsim run --json`).
///
/// The files are written and fsynced in a staging directory beside `dir`
/// (`.<name>.slsim-staging-<random>`), which then replaces `dir` (created
/// if needed; its parents too) in one rename. An existing `dir` must hold
/// only slsim's result files ([`check_out_dir`]). The charts are drawn on
/// rayon's threads and written by several threads while the CSV files are
/// written; the report is made last from the staging directory's files,
/// as `slsim report DIR` would. `summary.json` (written last) lists every
/// other file under `files`. `deadline` is checked between files and every
/// 65,536 rows: once past, the write stops with [`ReportError::WallTime`].
/// On any error, `dir` keeps its previous contents and the staging
/// directory is removed.
pub fn write_run(
    dir: &Path,
    result: &RunResult,
    extra: &RunFiles<'_>,
    deadline: Option<Instant>,
) -> Result<(Vec<PathBuf>, Vec<u8>), ReportError> {
    let deadline = Deadline { at: deadline, dir };
    deadline.check()?;
    let target = out_dir::resolve(dir, true)?;
    let staging = atomic::Staging::create(&target)?;
    let [summary, timeseries, latency] = FILES;
    let (plots, csv) = rayon::join(
        || {
            if extra.plots {
                plots::write(result, &staging, dir, &deadline)
            } else {
                Ok(Files::new())
            }
        },
        || -> Result<Files, ReportError> {
            let mut files = Files::new();
            let digest = staging.write(timeseries, &dir.join(timeseries), |w, path| {
                csv::write_timeseries(&result.timeseries, w, path, &deadline)
            })?;
            files.insert(timeseries.to_string(), digest);
            deadline.check()?;
            let digest = staging.write(latency, &dir.join(latency), |w, path| {
                csv::write_latency(result, w, path, &deadline)
            })?;
            files.insert(latency.to_string(), digest);
            if !result.timelines.is_empty() {
                deadline.check()?;
                let timeline = TIMELINE_FILE;
                let digest = staging.write(timeline, &dir.join(timeline), |w, path| {
                    csv::write_timeline(result, w, path, &deadline)
                })?;
                files.insert(timeline.to_string(), digest);
            }
            Ok(files)
        },
    );
    let mut files = csv?;
    let plots = plots?;
    let mut written: Vec<PathBuf> = files.keys().map(|f| dir.join(f)).collect();
    written.insert(0, dir.join(summary));
    written.extend(plots.keys().map(|p| dir.join(p)));
    files.extend(plots);
    deadline.check()?;
    let mut out = Listed {
        staging: &staging,
        dir,
        files: &mut files,
        written: &mut written,
    };
    if let Some(svg) = extra.topology_svg {
        let [topology, ..] = RUN_FILES;
        out.put(topology, svg.as_bytes())?;
    }
    for (name, bytes) in extra.extra {
        out.put(name, bytes)?;
    }
    // Every drawing (topology.svg, plots/*.svg) must be in the staging
    // directory before this point: the report reads them from there.
    if extra.report {
        // The report reads the summary as `slsim report DIR` would (the
        // `files` it lists so far are not shown), and the staging
        // directory's drawings.
        let bytes = summary_json(result, out.files)?;
        let summary = result_dir::parse_summary(&dir.join(summary), &bytes)?;
        let inputs = ReportInputs::load_with(staging.path(), Some(summary))?;
        let (md, html) = result_dir::render(&inputs, "");
        for (name, text) in REPORT_FILES.into_iter().zip([md, html]) {
            deadline.check()?;
            out.put(name, text.as_bytes())?;
        }
    }
    deadline.check()?;
    let bytes = summary_json(result, &files)?;
    staging.write_bytes(summary, &dir.join(summary), &bytes)?;
    deadline.check()?;
    staging.commit()?;
    Ok((written, bytes))
}

/// Files written into a staging directory and listed: their digests
/// (`files` in `summary.json`) and their final paths.
struct Listed<'a> {
    staging: &'a atomic::Staging<'a>,
    dir: &'a Path,
    files: &'a mut Files,
    written: &'a mut Vec<PathBuf>,
}

impl Listed<'_> {
    /// Writes `bytes` as `name` and lists it.
    fn put(&mut self, name: &str, bytes: &[u8]) -> Result<(), ReportError> {
        let digest = self
            .staging
            .write_bytes(name, &self.dir.join(name), bytes)?;
        self.files.insert(name.to_string(), digest);
        self.written.push(self.dir.join(name));
        Ok(())
    }
}

/// The files of a sweep's output directory (`slsim sweep`, `slsim merge`),
/// which slsim may replace like a run's.
pub const SWEEP_FILES: [&str; 3] = ["sweep.csv", "sweep_summary.csv", "sweep.json"];

/// What a sweep's directory holds beside its tables and manifest.
#[derive(Clone, Copy, Debug, Default)]
pub struct SweepExtras<'a> {
    /// Charts written in `plots/`, as SVG and PNG.
    pub charts: &'a [crate::plot::NamedChart],
    /// Whether to write `report.md` and `report.html` (made from the
    /// directory's other files, as `slsim report DIR` would).
    pub report: bool,
}

/// Writes the files `names` into `dir`, all or nothing, as
/// [`write_outputs`] does (staging, fsync, one rename; an existing `dir`
/// must hold only slsim's result files), and returns their paths. `fill`
/// writes one file, given its name and the size and SHA-256 of the files
/// written before it: the last of `names` is the manifest (`sweep.json`),
/// written after everything else. Before it, `extra`'s charts are drawn
/// into `plots/` and then the report is made from the staging directory's
/// files and the manifest as it will be (`fill` is also called once into
/// memory for that; the report does not show the manifest's `files`).
pub fn write_files(
    dir: &Path,
    names: &[&'static str],
    extra: &SweepExtras<'_>,
    mut fill: impl FnMut(&str, &mut dyn std::io::Write, &Files) -> std::io::Result<()>,
) -> Result<Vec<PathBuf>, ReportError> {
    let target = out_dir::resolve(dir, true)?;
    let staging = atomic::Staging::create(&target)?;
    let mut files = Files::new();
    let mut written: Vec<PathBuf> = Vec::new();
    let Some((manifest, tables)) = names.split_last() else {
        staging.commit()?;
        return Ok(written);
    };
    for name in tables {
        let shown = dir.join(name);
        let digest = staging.write(name, &shown, |w, path| {
            fill(name, w, &files).map_err(|source| ReportError::Write {
                path: path.to_path_buf(),
                source,
            })
        })?;
        files.insert(name.to_string(), digest);
        written.push(shown);
    }
    let deadline = Deadline { at: None, dir };
    let plots = plots::write_charts(extra.charts, &staging, dir, &deadline)?;
    written.extend(plots.keys().map(|p| dir.join(p)));
    files.extend(plots);
    if extra.report {
        let mut bytes = Vec::new();
        fill(manifest, &mut bytes, &files).map_err(|source| ReportError::Write {
            path: dir.join(manifest),
            source,
        })?;
        let sweep = result_dir::parse_summary(&dir.join(manifest), &bytes)?;
        let mut inputs = ReportInputs::load_with(staging.path(), None)?;
        inputs.sweep = Some(sweep);
        let (md, html) = result_dir::render(&inputs, "");
        for (name, text) in REPORT_FILES.into_iter().zip([md, html]) {
            let digest = staging.write_bytes(name, &dir.join(name), text.as_bytes())?;
            files.insert(name.to_string(), digest);
            written.push(dir.join(name));
        }
    }
    let shown = dir.join(manifest);
    staging.write(manifest, &shown, |w, path| {
        fill(manifest, w, &files).map_err(|source| ReportError::Write {
            path: path.to_path_buf(),
            source,
        })
    })?;
    written.push(shown);
    staging.commit()?;
    Ok(written)
}

/// `summary.json`: the result with the `files` map, pretty-printed, with a
/// final newline.
pub fn summary_json(result: &RunResult, files: &Files) -> Result<Vec<u8>, ReportError> {
    let mut bytes = Vec::new();
    write_summary(result, files, &mut bytes, Path::new("summary.json"))?;
    Ok(bytes)
}

/// What `summary.json` holds: the result's fields, then `files`.
#[derive(Serialize)]
struct Summary<'a> {
    #[serde(flatten)]
    result: &'a RunResult,
    files: &'a Files,
}

fn write_summary(
    result: &RunResult,
    files: &Files,
    mut out: &mut dyn std::io::Write,
    path: &Path,
) -> Result<(), ReportError> {
    let err = |e: serde_json::Error| {
        if e.is_io() {
            ReportError::Write {
                path: path.to_path_buf(),
                source: e.into(),
            }
        } else {
            ReportError::Encode {
                file: "summary.json",
                message: e.to_string(),
            }
        }
    };
    serde_json::to_writer_pretty(&mut out, &Summary { result, files }).map_err(err)?;
    out.write_all(b"\n").map_err(|source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// A number for CSV: integers without a fraction, others as the shortest
/// text that reads back to the same `f64` (deterministic, no exponent).
pub(crate) fn num(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.into()
    } else if v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn numbers_print_deterministically() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(60.0), "60");
        assert_eq!(num(99.9), "99.9");
        assert_eq!(num(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(num(1e-7), "0.0000001");
        assert_eq!(num(f64::NAN), "NaN");
    }
}
