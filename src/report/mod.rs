//! Writing results: JSON, CSV (atomically), and the human summary.
//!
//! Owns: the output files of a run (`summary.json`, `timeseries.csv`,
//! `latency.csv`) and [`summary_text`].
//! Must not know: how a run was simulated or costed; it renders a
//! [`RunResult`] as it is.
//!
//! Invariants:
//! * every file is replaced atomically (temp file, fsync, rename): an
//!   interrupted run never leaves a half-written file;
//! * identical results give byte-identical files, except the value of
//!   `wall_seconds` (maps keep scenario order; floats print as the shortest
//!   text that reads back to the same number).

mod atomic;
mod csv;
mod text;

pub use self::csv::{LATENCY_HEADER, TIMESERIES_HEADER};
pub use text::summary_text;

use crate::metrics::RunResult;
use std::path::{Path, PathBuf};

/// The files [`write_outputs`] writes, in order.
pub const FILES: [&str; 3] = ["summary.json", "timeseries.csv", "latency.csv"];

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The output directory could not be created.
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
    /// A file could not be written (nothing half-written is left behind).
    #[error(
        "cannot write {}: {source}\n  hint: check free disk space and permissions of the \
         directory, or choose another directory with --out DIR",
        path.display()
    )]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A result could not be encoded (e.g. a component name CSV cannot hold).
    #[error("cannot encode {file}: {message}\n  hint: this is a bug in slsim; please report it")]
    Encode {
        /// The file being rendered.
        file: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// Writes `summary.json`, `timeseries.csv` and `latency.csv` into `dir`
/// (created if needed), each atomically, and returns their paths.
pub fn write_outputs(dir: &Path, result: &RunResult) -> Result<Vec<PathBuf>, ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::with_capacity(FILES.len());
    let [summary, timeseries, latency] = FILES.map(|name| dir.join(name));
    atomic::write(&summary, &summary_json(result)?)?;
    atomic::write_with(&timeseries, |w| {
        csv::write_timeseries(&result.timeseries, w)
    })?;
    atomic::write(&latency, &csv::latency(result)?)?;
    written.extend([summary, timeseries, latency]);
    Ok(written)
}

/// `summary.json`: the result, pretty-printed, with a final newline.
pub fn summary_json(result: &RunResult) -> Result<Vec<u8>, ReportError> {
    let mut bytes = serde_json::to_vec_pretty(result).map_err(|e| ReportError::Encode {
        file: "summary.json",
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
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
