//! The TOML boundary: scenario files in, a validated [`Scenario`] out.
//!
//! Owns: the scenario format (see `docs/scenario-format.md`), `--set`
//! overrides, error messages with file, line, column, field and hint.
//! Must not know: how the simulation runs.
//!
//! Loading has two stages: serde structs that mirror the TOML
//! (`deny_unknown_fields`; [`raw`] and each kind's file under `kinds/`),
//! then validation into the typed [`model`](crate::model). Every problem
//! found is reported, not only the first.
//!
//! # Adding a kind (TOML side)
//!
//! Say `[[queue]]`:
//! 1. `kinds/queue.rs`: `RawQueue` (and any nested raw structs), each
//!    `#[serde(deny_unknown_fields)]` with [`raw::Required`]; `impl Kind
//!    for RawQueue` with `type Model = model::Queue`, `validate` (use the
//!    helpers of `validate.rs`; references go through `Cx::resolve` with
//!    the allowed kinds), and `strip_nested` / `check_all` when it has
//!    nested tables / checks across all queues.
//! 2. `kinds/mod.rs`: `pub mod queue;` and the line
//!    `queue: RawQueue => queues,` in `kinds!` (its place in the list is
//!    its place in the order of validation and of the names index).
//! 3. `model`: `model/queue.rs` and the field `queues: Vec<Queue>` of
//!    `model::Scenario`.
//!
//! Sections, "unknown section" hints, `--set`, the names index and
//! "not supported yet" (a reserved kind that is listed is supported) follow
//! from the list. What may still name the new kind: the kinds that refer
//! to it (e.g. a lambda step's `call` resolving to a queue), `warnings.rs`
//! if it gets a warning, and `docs/scenario-format.md`.

pub mod error;
pub mod locate;
pub mod overrides;
pub mod raw;
pub mod values;

pub mod numbers;
pub mod samples;
pub mod sweep;

mod context;
mod env_timeline;
mod kinds;
mod shape;
mod slos;
mod traces;
mod validate;
mod validate_sim;
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
        traces::check(&mut cx, s);
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
