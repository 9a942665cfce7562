//! The TOML boundary: scenario files in, a validated [`Scenario`] out.
//!
//! Owns: the scenario format (see `docs/scenario-format.md`), `--set`
//! overrides, error messages with file, line, column, field and hint.
//! Must not know: how the simulation runs.
//!
//! Loading has two stages: [`raw`] serde structs that mirror the TOML
//! (`deny_unknown_fields`), then validation into the typed [`model`]. Every
//! problem found is reported, not only the first.

pub mod error;
pub mod locate;
pub mod overrides;
pub mod raw;
pub mod values;

pub mod numbers;
pub mod samples;

mod context;
mod shape;
mod validate;
mod validate_fn;
mod validate_sim;
mod validate_table;
mod validate_workload;
mod warnings;

pub use crate::model::*;
pub use error::{Origin, Problem, ScenarioError};

use std::path::{Path, PathBuf};

use context::Cx;

/// Loads, overrides (`--set PATH=VALUE`) and validates a scenario file.
pub fn load(path: &Path, sets: &[String]) -> Result<Scenario, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse_str(&text, &path.display().to_string(), sets)
}

/// Parses scenario text; `file` names it in error messages and anchors
/// relative paths (`empirical(...)` samples).
pub fn parse_str(text: &str, file: &str, sets: &[String]) -> Result<Scenario, ScenarioError> {
    let invalid = |problems: Vec<Problem>| ScenarioError::Invalid {
        file: file.to_string(),
        problems,
    };
    // The `toml_edit` document (for error positions) is parsed only when
    // needed: here on a syntax error, whose report it gives, else by `Spans`.
    let mut tree: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let p = match toml_edit::ImDocument::parse(text) {
                Err(d) => syntax(text, file, d.span(), d.message()),
                Ok(_) => syntax(text, file, e.span(), e.message()),
            };
            return Err(invalid(vec![p]));
        }
    };
    let (set_paths, mut set_problems) = overrides::apply(&mut tree, sets);
    let base_dir = Path::new(file)
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut cx = Cx {
        spans: locate::Spans::new(text),
        tree: &tree,
        file,
        samples: samples::Samples::new(&base_dir),
        sets: set_paths,
        names: shape::collect_names(&tree),
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let raws = shape::shape(&mut cx);
    let mut scenario = validate::scenario(&mut cx, &raws);
    if let Some(s) = &mut scenario {
        warnings::check(&mut cx, &raws, s);
        s.warnings = cx.take_warnings();
    }
    let mut problems = cx.into_problems();
    set_problems.append(&mut problems);
    match scenario {
        Some(s) if set_problems.is_empty() => Ok(s),
        _ => Err(invalid(set_problems)),
    }
}

/// A TOML syntax error at byte `span` (from either TOML parser).
fn syntax(text: &str, file: &str, span: Option<std::ops::Range<usize>>, message: &str) -> Problem {
    let (line, column) = locate::line_col(text, span.map_or(0, |s| s.start));
    Problem {
        origin: Origin::File {
            file: file.into(),
            line,
            column,
        },
        field: String::new(),
        message: format!("TOML syntax error: {}", message.trim()),
        hint: Some(if message.contains("too large") {
            format!("TOML integers are 64-bit: at most {}", i64::MAX)
        } else {
            "fix the TOML syntax (strings need quotes, tables need [brackets]); see https://toml.io"
                .into()
        }),
    }
}
