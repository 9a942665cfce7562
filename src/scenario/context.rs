//! The validation context: the parsed document (for spans), the tree after
//! `--set` overrides (for values), and the problems found so far.

use super::error::{did_you_mean, Origin, Problem};
use super::locate::{line_col, span_of, FieldPath, Seg};
use super::numbers::{a, article};
use super::samples::Samples;

/// Component kinds the format defines but this version cannot simulate.
pub const UNSUPPORTED_KINDS: [&str; 10] = [
    "queue", "topic", "bucket", "stream", "cdn", "workflow", "database", "schedule", "service",
    "sweep",
];
/// Component kinds this version simulates.
pub const KINDS: [&str; 4] = ["workload", "api", "lambda", "table"];

/// A named component: its kind and index in its array.
#[derive(Clone, Debug)]
pub struct Named {
    pub name: String,
    pub kind: &'static str,
    pub index: usize,
}

/// Everything validation needs, and where problems go.
pub struct Cx<'a> {
    pub text: &'a str,
    pub doc: &'a toml_edit::Table,
    pub tree: &'a toml::Table,
    pub file: &'a str,
    /// `empirical(...)` files, anchored at the scenario file's directory.
    pub samples: Samples,
    /// Overridden paths and the `--set` argument that set them.
    pub sets: Vec<(FieldPath, String)>,
    /// Every named component (all kinds, including unsupported ones).
    pub names: Vec<Named>,
    pub problems: Vec<(usize, Problem)>,
    /// Warnings (position, one-line text).
    pub warnings: Vec<(usize, String)>,
}

impl<'a> Cx<'a> {
    fn origin(&self, path: &FieldPath, key: bool) -> (usize, Origin, bool) {
        if let Some((_, arg)) = self.sets.iter().rev().find(|(p, _)| path.starts_with(p)) {
            return (0, Origin::Set(arg.clone()), true);
        }
        match span_of(self.doc, path, key) {
            Some(sp) => {
                let (line, column) = line_col(self.text, sp.start);
                let origin = Origin::File {
                    file: self.file.to_string(),
                    line,
                    column,
                };
                (sp.start + 1, origin, false)
            }
            None => (usize::MAX, Origin::FileOnly(self.file.to_string()), false),
        }
    }

    /// The component name for a `kind[i]...` path, from the tree.
    fn name_of(&self, path: &FieldPath) -> Option<String> {
        match (path.0.first(), path.0.get(1)) {
            (Some(Seg::Key(kind)), Some(Seg::Index(i))) => self
                .tree
                .get(kind)?
                .as_array()?
                .get(*i)?
                .get("name")?
                .as_str()
                .map(str::to_string),
            _ => None,
        }
    }

    fn push(&mut self, path: &FieldPath, key: bool, message: String, hint: Option<String>) {
        let (order, origin, from_set) = self.origin(path, key);
        let message = if from_set {
            format!("{message} (value from --set)")
        } else {
            message
        };
        let field = path.display(self.name_of(path).as_deref());
        self.problems.push((
            order,
            Problem {
                origin,
                field,
                message,
                hint,
            },
        ));
    }

    /// A warning about the value at `path`: the scenario runs, but probably
    /// not as meant. One line: `FILE:LINE:COLUMN: FIELD: message`.
    pub fn warn(&mut self, path: &FieldPath, message: impl Into<String>) {
        let (order, origin, _) = self.origin(path, false);
        let field = path.display(self.name_of(path).as_deref());
        let text = super::error::one_line(&format!("{origin}: {field}: {}", message.into()));
        self.warnings.push((order, text));
    }

    /// The warnings, sorted by position (overrides first).
    pub fn take_warnings(&mut self) -> Vec<String> {
        let mut w = std::mem::take(&mut self.warnings);
        w.sort_by_key(|(o, _)| *o);
        w.into_iter().map(|(_, t)| t).collect()
    }

    /// A problem with the value at `path`.
    pub fn err(&mut self, path: &FieldPath, message: impl Into<String>, hint: impl Into<String>) {
        let h: String = hint.into();
        self.push(path, false, message.into(), (!h.is_empty()).then_some(h));
    }

    /// A problem with the key at `path` (unknown or unsupported field).
    pub fn key_err(
        &mut self,
        path: &FieldPath,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let h: String = hint.into();
        self.push(path, true, message.into(), (!h.is_empty()).then_some(h));
    }

    /// Looks a reference up. `allowed` are the kinds that may be referenced;
    /// reports undefined, unsupported and wrong-kind references.
    pub fn resolve(
        &mut self,
        path: &FieldPath,
        name: &str,
        allowed: &[&str],
        what: &str,
    ) -> Option<(&'static str, usize)> {
        let allowed_s = allowed.join(" or ");
        let mut same = self.names.iter().filter(|n| n.name == name);
        let found = same.next().cloned();
        if same.next().is_some() {
            // Used by several components: reported once, as a duplicate
            // name; any guess here would only add false errors.
            return None;
        }
        match found {
            None => {
                let hint = did_you_mean(name, self.names.iter().map(|n| n.name.as_str()))
                    .unwrap_or_else(|| {
                        let mut v: Vec<&str> = self
                            .names
                            .iter()
                            .filter(|n| allowed.contains(&n.kind))
                            .map(|n| n.name.as_str())
                            .collect();
                        v.truncate(12);
                        if v.is_empty() {
                            format!(
                                "define {} [[{}]] named `{name}`",
                                article(allowed[0]),
                                allowed[0]
                            )
                        } else {
                            format!("defined {allowed_s} names: {}", super::error::list(&v))
                        }
                    });
                self.err(path, format!("`{name}` is not defined"), hint);
                None
            }
            Some(n) if allowed.contains(&n.kind) => Some((n.kind, n.index)),
            Some(n) if UNSUPPORTED_KINDS.contains(&n.kind) => {
                self.err(
                    path,
                    format!(
                        "`{name}` is {}: {what} to {} is not supported yet in this version of slsim",
                        a(n.kind), a(n.kind)
                    ),
                    format!("{what} must be {}", a(&allowed_s)),
                );
                None
            }
            Some(n) => {
                self.err(
                    path,
                    format!(
                        "`{name}` is {}, but {what} must be {}",
                        a(n.kind),
                        a(&allowed_s)
                    ),
                    format!("point it at {}", a(&allowed_s)),
                );
                None
            }
        }
    }

    /// The problems, sorted by position (overrides first).
    pub fn into_problems(self) -> Vec<Problem> {
        let mut p = self.problems;
        p.sort_by_key(|(o, _)| *o);
        p.into_iter().map(|(_, p)| p).collect()
    }
}
