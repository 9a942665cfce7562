//! `slsim trace import`: public trace formats to a scenario.
//!
//! Reads the Azure Functions traces ([`azure2021`]: one row per
//! invocation; [`azure2019`]: per-minute counts with duration and memory
//! percentiles) and writes a scenario TOML with one `[[lambda]]` and one
//! `[[workload]]` per trace function, each workload replaying its own
//! trace CSV (`arrival = "trace(path=...)"`) written beside the scenario.
//!
//! Owns: the Azure formats, short names for hashed ids, the scenario text
//! it writes. Must not know: how a scenario is run (the engine never uses
//! this module; the written scenario is loaded like any other).

pub mod azure2019;
pub mod azure2021;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Lambda's memory range \[MB\] (1 MB steps).
pub const LAMBDA_MEMORY_MB: (u32, u32) = (128, 10_240);

/// An import's problem: bad input (the trace, the options), or a file that
/// could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input is not what the format says.
    #[error("{file}{}: {message} (hint: {hint})", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Input {
        /// The file at fault.
        file: String,
        /// Its 1-based line, when one is at fault.
        line: Option<u64>,
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: String,
    },
    /// Reading or writing failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl ImportError {
    fn input(file: &Path, line: Option<u64>, message: impl Into<String>, hint: &str) -> Self {
        ImportError::Input {
            file: file.display().to_string(),
            line,
            message: message.into(),
            hint: hint.into(),
        }
    }

    fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ImportError {
        let what = what.into();
        move |source| ImportError::Io { what, source }
    }
}

/// Options every import takes.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Every function's `init` distribution (scenario syntax), or the default.
    pub init: Option<String>,
    /// Every function's `keep_alive` (scenario syntax), or the default.
    pub keep_alive: Option<String>,
    /// Every function's `keep_alive_policy` (scenario syntax), or the default.
    pub keep_alive_policy: Option<String>,
    /// Keep only the K functions with the most invocations.
    pub top: Option<usize>,
}

/// One imported function: its settings and where its trace goes.
#[derive(Clone, Debug)]
pub struct Function {
    /// Short name (`f01`, ...).
    pub name: String,
    /// Comment lines (the trace's hashes, counts).
    pub about: Vec<String>,
    /// `memory_mb`, or the default.
    pub memory_mb: Option<u32>,
    /// The compute step's distribution (scenario syntax).
    pub compute: String,
}

/// `f01`, `f02`, ...: `n` names, zero-padded to the same width (at least 2).
pub fn short_names(n: usize) -> Vec<String> {
    let width = n.to_string().len().max(2);
    (1..=n).map(|i| format!("f{i:0width$}")).collect()
}

/// The directory of trace CSVs beside the scenario `out`
/// (`out.toml` -> `out-traces/`), and its name relative to `out`'s
/// directory.
pub fn traces_dir(out: &Path) -> (PathBuf, String) {
    let stem = out
        .file_stem()
        .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
    let rel = format!("{stem}-traces");
    let dir = out.parent().unwrap_or(Path::new("")).join(&rel);
    (dir, rel)
}

/// Creates `dir` (and its parents).
pub fn create_dir(dir: &Path) -> Result<(), ImportError> {
    std::fs::create_dir_all(dir)
        .map_err(ImportError::io(format!("cannot create {}", dir.display())))
}

/// A buffered writer for the file `path`.
pub fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>, ImportError> {
    std::fs::File::create(path)
        .map(std::io::BufWriter::new)
        .map_err(ImportError::io(format!("cannot write {}", path.display())))
}

/// Writes `text` to `path` through a temporary file renamed over it, so
/// that a scenario is never half-written.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), ImportError> {
    let tmp = path.with_extension("toml.tmp");
    let mut f = create(&tmp)?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.flush())
        .map_err(ImportError::io(format!("cannot write {}", tmp.display())))?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(ImportError::io(format!("cannot write {}", path.display())))
}

/// A TOML basic string.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The scenario text: a header comment, `[simulation]`, then per function
/// its `[[lambda]]` and the `[[workload]]` replaying `traces/<name>.csv`.
pub fn scenario_text(
    header: &[String],
    name: &str,
    duration_s: u64,
    functions: &[Function],
    traces_rel: &str,
    opts: &Options,
) -> String {
    let mut t = String::new();
    for l in header {
        let _ = writeln!(t, "# {l}");
    }
    let _ = writeln!(
        t,
        "#\n#   fNN-calls (trace replay) --> fNN (Lambda), one pair per trace function\n"
    );
    let _ = writeln!(t, "[simulation]\nname = {}", quote(name));
    let _ = writeln!(t, "duration = \"{duration_s}s\"");
    let _ = writeln!(
        t,
        "# No account-level throttle: the trace ran on Azure, whose limits differ.\naccount_concurrency = 1000000"
    );
    for f in functions {
        let _ = writeln!(t);
        for a in &f.about {
            let _ = writeln!(t, "# {a}");
        }
        let _ = writeln!(t, "[[lambda]]\nname = {}", quote(&f.name));
        if let Some(m) = f.memory_mb {
            let _ = writeln!(t, "memory_mb = {m}");
        }
        let _ = writeln!(t, "timeout = \"15m\"");
        if let Some(i) = &opts.init {
            let _ = writeln!(t, "init = {}", quote(i));
        }
        if let Some(k) = &opts.keep_alive {
            let _ = writeln!(t, "keep_alive = {}", quote(k));
        }
        if let Some(p) = &opts.keep_alive_policy {
            let _ = writeln!(t, "keep_alive_policy = {}", quote(p));
        }
        let _ = writeln!(t, "steps = [{{ compute = {} }}]", quote(&f.compute));
        let _ = writeln!(
            t,
            "\n[[workload]]\nname = {}\ntarget = {}\narrival = {}",
            quote(&format!("{}-calls", f.name)),
            quote(&f.name),
            quote(&format!("trace(path={traces_rel}/{}.csv)", f.name))
        );
    }
    t
}

/// Lambda memory for `mb`: rounded up to a whole MB within Lambda's range.
pub fn lambda_memory(mb: f64) -> u32 {
    let (lo, hi) = LAMBDA_MEMORY_MB;
    if !mb.is_finite() {
        return lo;
    }
    (mb.ceil().max(0.0) as u32).clamp(lo, hi)
}

/// Splits a CSV line into trimmed cells (no quoted commas in these formats).
pub fn cells(line: &str) -> impl Iterator<Item = &str> {
    line.trim_end_matches(['\n', '\r'])
        .split(',')
        .map(str::trim)
}

/// The index of each of `wanted` in the header `line`, or an error naming
/// the first missing column.
pub fn columns(
    file: &Path,
    line: &str,
    wanted: &[&str],
    form: &str,
) -> Result<Vec<usize>, ImportError> {
    let names: Vec<&str> = cells(line).collect();
    wanted
        .iter()
        .map(|w| {
            names.iter().position(|n| n == w).ok_or_else(|| {
                ImportError::input(
                    file,
                    Some(1),
                    format!("the header has no `{w}` column"),
                    form,
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_memory() {
        assert_eq!(short_names(3), ["f01", "f02", "f03"]);
        assert_eq!(short_names(100)[99], "f100");
        assert_eq!(lambda_memory(150.2), 151);
        assert_eq!(lambda_memory(20.0), 128);
        assert_eq!(lambda_memory(1e9), 10_240);
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
    }
}
