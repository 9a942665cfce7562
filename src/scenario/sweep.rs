//! `[sweep]` and `slsim sweep --vary`: the TOML side of a sweep.
//!
//! Owns: the shape of `[sweep]` (`replications`, `[sweep.vary]` with quoted
//! field paths and arrays of values), the `--vary PATH=V1,V2,...` syntax,
//! the bounds (replications, runs), and the check that every value of
//! every varied field is accepted: each is applied as a `--set` override
//! and the scenario validated with it, so an unknown path or a bad value is
//! reported at load time, at the sweep's line. Must not know: how a sweep
//! runs (`crate::sweep`).
//!
//! `slsim run` and `slsim validate` check the shape of `[sweep]` (stage
//! one, [`shape`]) and otherwise ignore it; [`load`] is `slsim sweep`'s.

use toml::Value;

use super::context::{Cx, Names};
use super::error::{did_you_mean, list, one_line, Origin, Problem, ScenarioError};
use super::locate::{FieldPath, Seg, Spans};
use super::{overrides, parse_str, samples, Scenario};
use crate::model::sweep::{Sweep, Vary, MAX_REPLICATIONS, MAX_RUNS};

/// The fields of `[sweep]`.
const FIELDS: [&str; 2] = ["replications", "vary"];

/// `[sweep]` as written: replications and the varied paths with their
/// values (ordered by key; `load` puts them in file order).
pub struct RawSweep {
    /// `replications` (1 when absent).
    pub replications: u32,
    /// `[sweep.vary]`: path -> values, in the order of the tree (by key).
    pub vary: Vec<(String, Vec<Value>)>,
}

/// Checks the table `[sweep]` at `path` (fields, types, bounds), reporting
/// every problem to `cx`; the sweep as written when it has none.
pub fn shape(cx: &mut Cx<'_>, path: &FieldPath, value: &Value) -> Option<RawSweep> {
    let Some(table) = value.as_table() else {
        cx.err(
            path,
            "`sweep` must be a table",
            "write a [sweep] section, e.g. `replications = 5` and a [sweep.vary] table",
        );
        return None;
    };
    let mut ok = true;
    for key in table.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        let hint =
            did_you_mean(key, FIELDS).unwrap_or_else(|| format!("valid fields: {}", list(&FIELDS)));
        cx.key_err(&path.join(key), format!("unknown field `{key}`"), hint);
        ok = false;
    }
    let replications = match table.get("replications") {
        None => 1,
        Some(Value::Integer(n)) if (1..=i64::from(MAX_REPLICATIONS)).contains(n) => *n as u32,
        Some(v) => {
            let hint = "replications are runs per point, each with its own seed, e.g. \
                        `replications = 5`";
            let msg = match v {
                Value::Integer(n) => {
                    format!("{n} is out of range (allowed 1..={MAX_REPLICATIONS})")
                }
                _ => format!("expected a whole number, found {}", v.type_str()),
            };
            cx.err(&path.join("replications"), msg, hint);
            ok = false;
            1
        }
    };
    let mut vary = Vec::new();
    match table.get("vary") {
        None => {}
        Some(Value::Table(t)) => {
            let vpath = path.join("vary");
            for (key, values) in t {
                ok &= check_vary(cx, &vpath.join(key), key, values);
                if vary.iter().any(|(p, _)| p == key.trim()) {
                    cx.key_err(
                        &vpath.join(key),
                        format!("`{}` is varied twice", key.trim()),
                        "list each path once (spaces around it do not make another path)",
                    );
                    ok = false;
                }
                if let Value::Array(a) = values {
                    vary.push((key.trim().to_string(), a.clone()));
                }
            }
        }
        Some(_) => {
            cx.err(
                &path.join("vary"),
                "`vary` must be a table of field paths and their values",
                "write a [sweep.vary] section with lines such as \
                 \"lambda.my-fn.memory_mb\" = [128, 256, 512]",
            );
            ok = false;
        }
    }
    let raw = RawSweep { replications, vary };
    if ok {
        let counts: Vec<(&str, usize)> = raw
            .vary
            .iter()
            .map(|(p, v)| (p.as_str(), v.len()))
            .collect();
        if let Some(runs) = too_many(&counts, replications) {
            cx.err(path, runs, too_many_hint());
            ok = false;
        }
    }
    ok.then_some(raw)
}

/// Checks one `[sweep.vary]` line.
fn check_vary(cx: &mut Cx<'_>, path: &FieldPath, key: &str, values: &Value) -> bool {
    if key.trim() == "simulation.seed" {
        cx.key_err(
            path,
            "`simulation.seed` cannot be varied: each run's seed derives from the master seed, \
             the point and the replication",
            "remove it and set `replications` for independent runs; `--seed N` sets the master \
             seed",
        );
        return false;
    }
    let Value::Array(a) = values else {
        let hint = if values.is_table() {
            format!(
                "quote the whole path, so that its dots do not open tables: \
                 \"{key}.<name>.<field>\" = [v1, v2]"
            )
        } else {
            format!("write the values as an array: \"{key}\" = [v1, v2]")
        };
        cx.err(path, "expected an array of values", hint);
        return false;
    };
    if a.is_empty() {
        cx.err(
            path,
            "no values",
            "list at least one value, e.g. [128, 256]",
        );
        return false;
    }
    let mut ok = true;
    for (i, v) in a.iter().enumerate() {
        if a[..i].contains(v) {
            cx.err(
                &path.join(i),
                format!("value {} appears twice", label(v)),
                "list each value once; replications repeat every point",
            );
            ok = false;
        }
    }
    ok
}

/// The error when the grid has more than [`MAX_RUNS`] runs; `counts` are
/// the varied paths and their numbers of values.
fn too_many(counts: &[(&str, usize)], replications: u32) -> Option<String> {
    let points = counts
        .iter()
        .try_fold(1u64, |n, (_, c)| n.checked_mul(*c as u64));
    let runs = points.and_then(|p| p.checked_mul(u64::from(replications)));
    match runs {
        Some(r) if r <= MAX_RUNS => None,
        _ => {
            let shown = runs.map_or_else(|| "more than 2^64".to_string(), |r| r.to_string());
            let mut product: Vec<String> = counts
                .iter()
                .map(|(p, c)| format!("{c} values of `{p}`"))
                .collect();
            product.push(format!("{replications} replications"));
            Some(format!(
                "the sweep has {shown} runs ({}), above the limit of {MAX_RUNS}",
                product.join(" x ")
            ))
        }
    }
}

fn too_many_hint() -> String {
    "vary fewer fields or fewer values, or lower `replications`; a sweep too big for one machine \
     runs in shards (--shard I/N) but is still bounded"
        .into()
}

/// A value as results show it: a string without quotes, else its TOML text.
fn label(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Splits the values of a `--vary PATH=V1,V2,...`: at commas outside
/// quotes ("..." or '...'), brackets, braces and parentheses, so that
/// `"a,b"`, `[1, 2]`, `{ x = 1, y = 2 }` and `lognormal(median=5ms, sigma=1)`
/// are each one value. Pieces are trimmed.
pub fn split_values(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut escaped, mut start) = (0i32, None::<char>, false, 0);
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '[' | '{' | '(' => depth += 1,
                ']' | '}' | ')' => depth -= 1,
                ',' if depth <= 0 => {
                    out.push(text[start..i].trim());
                    start = i + 1;
                }
                _ => {}
            },
        }
    }
    out.push(text[start..].trim());
    out
}

/// One value of a varied field and where it was written (for messages).
struct Source {
    origin: Origin,
    field: String,
}

/// Loads a scenario for `slsim sweep`: the scenario with the user's `--set`
/// overrides (validated as `slsim run` would), and its sweep: `[sweep]`,
/// then each `--vary PATH=V1,V2,...` in `vary` (a path already varied has
/// its values replaced, in place; a new one is appended). Every value of
/// every varied field is checked by validating the scenario with it.
pub fn load(
    text: &str,
    file: &str,
    sets: &[String],
    vary: &[String],
) -> Result<(Scenario, Sweep), ScenarioError> {
    let base = parse_str(text, file, sets)?;
    let invalid = |problems: Vec<Problem>| ScenarioError::Invalid {
        file: file.to_string(),
        problems,
    };
    // It parsed above: the same text, the same overrides.
    let mut tree: toml::Table = text.parse().map_err(|_| invalid(Vec::new()))?;
    let (set_paths, _) = overrides::apply(&mut tree, sets);
    let mut cx = Cx {
        spans: Spans::new(text),
        tree: &tree,
        file,
        samples: samples::Samples::new(std::path::Path::new(".")),
        sets: set_paths,
        names: Names::default(),
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let sweep_path = FieldPath(vec![Seg::Key("sweep".into())]);
    let raw = match tree.get("sweep") {
        Some(v) => shape(&mut cx, &sweep_path, v),
        None => Some(RawSweep {
            replications: 1,
            vary: Vec::new(),
        }),
    };
    let mut sources: Vec<Vec<Source>> = Vec::new();
    let mut sweep = Sweep {
        replications: raw.as_ref().map_or(1, |r| r.replications),
        vary: Vec::new(),
    };
    // The tree's tables are sorted by key; the grid follows the file's order.
    let mut raw_vary = raw.map(|r| r.vary).unwrap_or_default();
    let vary_path = sweep_path.join("vary");
    raw_vary.sort_by_cached_key(|(path, _)| {
        cx.spans
            .span_of(&vary_path.join(path), true)
            .map_or(usize::MAX, |sp| sp.start)
    });
    for (path, values) in raw_vary {
        let vpath = vary_path.join(&path);
        sources.push(
            (0..values.len())
                .map(|i| {
                    let at = vpath.join(i);
                    let origin = match cx.spans.span_of(&at, false) {
                        Some(sp) => {
                            let (line, column) = cx.spans.line_col(sp.start);
                            Origin::File {
                                file: file.to_string(),
                                line,
                                column,
                            }
                        }
                        None => Origin::FileOnly(file.to_string()),
                    };
                    Source {
                        origin,
                        field: at.to_string(),
                    }
                })
                .collect(),
        );
        sweep.vary.push(Vary {
            path,
            values: values.iter().map(Value::to_string).collect(),
            labels: values.iter().map(label).collect(),
        });
    }
    let cx_sweep_origin = cx.spans.span_of(&sweep_path, true).map(|sp| {
        let (line, column) = cx.spans.line_col(sp.start);
        Origin::File {
            file: file.to_string(),
            line,
            column,
        }
    });
    let mut problems = cx.into_problems();
    for arg in vary {
        match parse_vary(arg) {
            Ok(v) => {
                let src = (0..v.values.len())
                    .map(|i| Source {
                        origin: Origin::Vary(arg.clone()),
                        field: format!("{}[{i}]", v.path),
                    })
                    .collect();
                match sweep.vary.iter().position(|w| w.path == v.path) {
                    Some(i) => {
                        sweep.vary[i] = v;
                        sources[i] = src;
                    }
                    None => {
                        sweep.vary.push(v);
                        sources.push(src);
                    }
                }
            }
            Err((message, hint)) => problems.push(Problem {
                origin: Origin::Vary(arg.clone()),
                field: String::new(),
                message,
                hint: Some(hint),
            }),
        }
    }
    if problems.is_empty() {
        let counts: Vec<(&str, usize)> = sweep
            .vary
            .iter()
            .map(|v| (v.path.as_str(), v.values.len()))
            .collect();
        if let Some(message) = too_many(&counts, sweep.replications) {
            let origin = match cx_sweep_origin {
                Some(o) => o,
                None => Origin::FileOnly(file.to_string()),
            };
            problems.push(Problem {
                origin,
                field: "sweep".into(),
                message,
                hint: Some(too_many_hint()),
            });
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    for (v, srcs) in sweep.vary.iter().zip(&sources) {
        // A problem that does not depend on the value (an unknown path) is
        // reported once, at the first value.
        let mut seen = Vec::new();
        for (i, src) in srcs.iter().enumerate() {
            let mut with = sets.to_vec();
            with.push(v.set(i));
            if let Err(e) = parse_str(text, file, &with) {
                let mut found = relocate(e, &v.set(i), &v.labels[i], &v.path, src);
                found.retain(|(key, _)| {
                    let new = !seen.contains(key);
                    if new {
                        seen.push(key.clone());
                    }
                    new
                });
                problems.extend(found.into_iter().map(|(_, p)| p));
            }
        }
    }
    if problems.is_empty() {
        Ok((base, sweep))
    } else {
        Err(invalid(problems))
    }
}

/// The problems of the scenario with one sweep value applied as `--set
/// arg`, moved to where the value was written; each with its field and
/// message as found (to tell the problems that do not depend on the value).
fn relocate(
    e: ScenarioError,
    arg: &str,
    label: &str,
    path: &str,
    src: &Source,
) -> Vec<((String, String), Problem)> {
    let problems = match e {
        ScenarioError::Io { path, source } => vec![Problem {
            origin: Origin::FileOnly(path),
            field: String::new(),
            message: format!("cannot read it: {source}"),
            hint: None,
        }],
        ScenarioError::Invalid { problems, .. } => problems,
    };
    problems
        .into_iter()
        .map(|p| ((p.field.clone(), p.message.clone()), p))
        .map(|(key, p)| {
            (
                key,
                match &p.origin {
                    Origin::Set(a) if a == arg => {
                        let msg = p.message.trim_end_matches(" (value from --set)");
                        let message = if p.field.is_empty() {
                            format!("value `{}`: {msg}", one_line(label))
                        } else {
                            format!("value `{}`: {}: {msg}", one_line(label), p.field)
                        };
                        Problem {
                            origin: src.origin.clone(),
                            field: src.field.clone(),
                            message,
                            hint: p.hint,
                        }
                    }
                    _ => Problem {
                        message: format!(
                            "{} (with the sweep's `{path}` = {}, {})",
                            p.message,
                            one_line(label),
                            src.origin
                        ),
                        ..p
                    },
                },
            )
        })
        .collect()
}

/// Parses `PATH=V1,V2,...` (values as in [`split_values`], each read as a
/// TOML value or else a string, like `--set`).
fn parse_vary(arg: &str) -> Result<Vary, (String, String)> {
    let example = "e.g. --vary lambda.my-fn.memory_mb=128,256,512";
    let Some((path, values)) = arg.split_once('=') else {
        return Err((
            format!("`{arg}` is not of the form PATH=V1,V2,..."),
            example.into(),
        ));
    };
    let path = path.trim();
    if path.is_empty() {
        return Err(("missing PATH before `=`".into(), example.into()));
    }
    if path == "simulation.seed" {
        return Err((
            "`simulation.seed` cannot be varied: each run's seed derives from the master seed, \
             the point and the replication"
                .into(),
            "use replications for independent runs; --seed N sets the master seed".into(),
        ));
    }
    let pieces = split_values(values);
    if pieces.iter().any(|p| p.is_empty()) {
        return Err((
            "an empty value".into(),
            "separate values with single commas; quote a string that holds a comma: \"a,b\"".into(),
        ));
    }
    let parsed: Vec<Value> = pieces.iter().map(|p| overrides::parse_value(p)).collect();
    for (i, v) in parsed.iter().enumerate() {
        if parsed[..i].contains(v) {
            return Err((
                format!("value {} appears twice", label(v)),
                "list each value once; replications repeat every point".into(),
            ));
        }
    }
    Ok(Vary {
        path: path.to_string(),
        values: parsed.iter().map(Value::to_string).collect(),
        labels: parsed.iter().map(label).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_split_at_top_level_commas_only() {
        assert_eq!(split_values("128, 256,512"), ["128", "256", "512"]);
        assert_eq!(
            split_values(r#""a,b", 'c,d', "e\",f""#),
            [r#""a,b""#, "'c,d'", r#""e\",f""#]
        );
        assert_eq!(
            split_values("[1, 2], {x = 1, y = 2}, lognormal(median=5ms, sigma=1)"),
            ["[1, 2]", "{x = 1, y = 2}", "lognormal(median=5ms, sigma=1)"]
        );
        assert_eq!(split_values("1h"), ["1h"]);
    }

    #[test]
    fn vary_arguments_parse_like_set_values() {
        let v = parse_vary("workload.w.arrival=\"poisson(rate=5)\", 2h, 0.5").unwrap();
        assert_eq!(v.path, "workload.w.arrival");
        assert_eq!(v.values, ["\"poisson(rate=5)\"", "\"2h\"", "0.5"]);
        assert_eq!(v.labels, ["poisson(rate=5)", "2h", "0.5"]);
        assert!(parse_vary("nothing").is_err());
        assert!(parse_vary("a.b.c=1,,2").is_err());
        assert!(parse_vary("a.b.c=1,1").unwrap_err().0.contains("twice"));
        assert!(parse_vary("simulation.seed=1,2").is_err());
    }
}
