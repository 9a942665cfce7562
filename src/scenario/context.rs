//! The validation context: the parsed document (for spans), the tree after
//! `--set` overrides (for values), and the problems found so far.

use std::cell::Cell;
use std::collections::HashMap;
use std::ops::{Deref, Range};

use super::error::{did_you_mean, Origin, Problem};
use super::locate::{FieldPath, Seg, Spans};
use super::numbers::{a, article};
use super::samples::Samples;

use super::kinds::{is_unsupported, KINDS};

/// A named component: its kind and index in its array.
#[derive(Clone, Debug)]
pub struct Named {
    pub name: String,
    pub kind: &'static str,
    pub index: usize,
}

/// How many name comparisons "did you mean" guesses for undefined
/// references may make in total: each guess compares the name with every
/// component name, so one guess per problem would make validating a big,
/// broken file quadratic. 1,000,000 is 1,000 guesses among 1,000
/// components, 100 among 10,000, 20 among 50,000 (well under a second).
const GUESS_BUDGET: usize = 1_000_000;

/// Every named component, in the order of the kinds of the list in
/// `kinds` then the unsupported ones (each kind in array order), indexed
/// by name and by kind so that references resolve in constant time.
#[derive(Clone, Debug, Default)]
pub struct Names {
    list: Vec<Named>,
    /// Name -> (position in `list` of the first component with that name,
    /// how many components have it).
    by_name: HashMap<String, (usize, usize)>,
    /// Positions in `list` of each kind's components (contiguous).
    by_kind: Vec<(&'static str, Range<usize>)>,
    /// Name comparisons made by "did you mean" guesses (see [`GUESS_BUDGET`]).
    compared: Cell<usize>,
}

impl Names {
    /// Appends a component; components of one kind must be pushed together.
    pub fn push(&mut self, n: Named) {
        let at = self.list.len();
        self.by_name
            .entry(n.name.clone())
            .and_modify(|e| e.1 += 1)
            .or_insert((at, 1));
        match self.by_kind.last_mut() {
            Some((k, r)) if *k == n.kind => r.end = at + 1,
            _ => self.by_kind.push((n.kind, at..at + 1)),
        }
        self.list.push(n);
    }

    /// The first component named `name` (with its position in the list)
    /// and how many components have that name.
    pub fn lookup(&self, name: &str) -> Option<(usize, &Named, usize)> {
        self.by_name
            .get(name)
            .map(|&(at, count)| (at, &self.list[at], count))
    }

    /// The components of the `allowed` kinds, in list order.
    pub fn of_kinds<'s>(&'s self, allowed: &'s [&str]) -> impl Iterator<Item = &'s Named> + 's {
        self.by_kind
            .iter()
            .filter(|(k, _)| allowed.contains(k))
            .flat_map(|(_, r)| &self.list[r.clone()])
    }

    /// True when a "did you mean" guess among all names still fits in
    /// [`GUESS_BUDGET`]; counts it.
    fn take_guess(&self) -> bool {
        let after = self.compared.get() + self.list.len();
        let fits = after <= GUESS_BUDGET;
        if fits {
            self.compared.set(after);
        }
        fits
    }
}

impl Deref for Names {
    type Target = [Named];
    fn deref(&self) -> &[Named] {
        &self.list
    }
}

/// Everything validation needs, and where problems go.
pub struct Cx<'a> {
    /// Places in `text`, found lazily.
    pub spans: Spans<'a>,
    pub tree: &'a toml::Table,
    pub file: &'a str,
    /// `empirical(...)` files, anchored at the scenario file's directory.
    pub samples: Samples,
    /// Overridden paths and the `--set` argument that set them.
    pub sets: Vec<(FieldPath, String)>,
    /// Every named component (all kinds, including unsupported ones).
    pub names: Names,
    pub problems: Vec<(usize, Problem)>,
    /// Warnings (position, one-line text).
    pub warnings: Vec<(usize, String)>,
}

impl<'a> Cx<'a> {
    fn origin(&self, path: &FieldPath, key: bool) -> (usize, Origin, bool) {
        if let Some((_, arg)) = self.sets.iter().rev().find(|(p, _)| path.starts_with(p)) {
            return (0, Origin::Set(arg.clone()), true);
        }
        match self.spans.span_of(path, key) {
            Some(sp) => {
                let (line, column) = self.spans.line_col(sp.start);
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

    /// Looks a reference up. `allowed` are the kinds that may be referenced
    /// (keys of the list in `kinds`); reports undefined, unsupported and
    /// wrong-kind references.
    pub fn resolve(
        &mut self,
        path: &FieldPath,
        name: &str,
        allowed: &[&str],
        what: &str,
    ) -> Option<(&'static str, usize)> {
        debug_assert!(allowed.iter().all(|k| KINDS.contains(k)), "{allowed:?}");
        // "a", "a or b", "a, b or c".
        let allowed_s = match allowed.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => allowed.join(""),
        };
        let found = match self.names.lookup(name) {
            // Used by several components: reported once, as a duplicate
            // name; any guess here would only add false errors.
            Some((_, _, count)) if count > 1 => return None,
            found => found.map(|(_, n, _)| n.clone()),
        };
        match found {
            None => {
                let guess = self.names.take_guess();
                let hint = guess
                    .then(|| did_you_mean(name, self.names.iter().map(|n| n.name.as_str())))
                    .flatten()
                    .unwrap_or_else(|| {
                        let v: Vec<&str> = self
                            .names
                            .of_kinds(allowed)
                            .map(|n| n.name.as_str())
                            .take(12)
                            .collect();
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
            Some(n) if is_unsupported(n.kind) => {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[(&str, &'static str, usize)]) -> Names {
        let mut n = Names::default();
        for &(name, kind, index) in list {
            n.push(Named {
                name: name.into(),
                kind,
                index,
            });
        }
        n
    }

    #[test]
    fn lookup_finds_the_first_and_counts_the_others() {
        let n = names(&[
            ("w", "workload", 0),
            ("x", "lambda", 0),
            ("y", "lambda", 1),
            ("x", "table", 0),
        ]);
        let (at, first, count) = n.lookup("x").unwrap();
        assert_eq!((at, first.kind, first.index, count), (1, "lambda", 0, 2));
        assert_eq!(n.lookup("y").map(|(at, _, c)| (at, c)), Some((2, 1)));
        assert!(n.lookup("z").is_none());
        assert_eq!(n.len(), 4);
    }

    #[test]
    fn of_kinds_keeps_list_order() {
        let n = names(&[
            ("w", "workload", 0),
            ("a", "api", 0),
            ("f", "lambda", 0),
            ("g", "lambda", 1),
            ("t", "table", 0),
        ]);
        let got: Vec<&str> = n
            .of_kinds(&["table", "lambda"])
            .map(|x| x.name.as_str())
            .collect();
        assert_eq!(got, ["f", "g", "t"]);
        assert_eq!(n.of_kinds(&["queue"]).count(), 0);
    }

    #[test]
    fn guesses_run_out() {
        let mut n = names(&[]);
        for i in 0..1000 {
            n.push(Named {
                name: format!("f{i}"),
                kind: "lambda",
                index: i,
            });
        }
        assert!((0..GUESS_BUDGET / 1000).all(|_| n.take_guess()));
        assert!(!n.take_guess());
    }
}
