//! `--set PATH=VALUE` overrides, applied to the TOML tree before anything
//! is deserialized, so an overridden value is validated like any other.
//!
//! PATH is `simulation.field` or `kind.name.field[.sub...]`; a numeric part
//! indexes an array (`lambda.fn.steps.0.compute`). `[[slo]]` entries are
//! addressed by index or by `name` (`slo.0.max`, `slo.p99.max`); the index
//! one past the last adds an SLO (`slo.2.metric=...` then `slo.2.max=...`).
//! `[objective]` is `objective.minimize` / `objective.maximize`. VALUE is
//! read as a TOML value; a bare word that is not valid TOML is taken as a
//! string.

use toml::Value;

use super::error::{did_you_mean, list, Origin, Problem};
use super::kinds::{is_unsupported, KINDS};
use super::locate::{FieldPath, Seg};
use super::numbers::{self, NumErr};

/// Applies every override; returns the overridden paths (with the argument
/// that set them) and the problems with the overrides themselves.
pub fn apply(tree: &mut toml::Table, sets: &[String]) -> (Vec<(FieldPath, String)>, Vec<Problem>) {
    let mut done = Vec::new();
    let mut problems = Vec::new();
    for arg in sets {
        match apply_one(tree, arg) {
            Ok(path) => done.push((path, arg.clone())),
            Err((field, message, hint)) => problems.push(Problem {
                origin: Origin::Set(arg.clone()),
                field,
                message,
                hint: Some(hint),
            }),
        }
    }
    (done, problems)
}

type SetErr = (String, String, String);

/// Reads VALUE as TOML, or as a plain string when it is not valid TOML.
pub fn parse_value(text: &str) -> Value {
    let t = text.trim();
    match format!("v = {t}").parse::<toml::Table>() {
        Ok(mut tab) => tab.remove("v").unwrap_or_else(|| Value::String(t.into())),
        Err(_) => Value::String(t.into()),
    }
}

/// A number that TOML cannot hold, which would otherwise be taken as a
/// string and reported as one: an integer beyond 64 bits, or a float
/// beyond the largest double.
fn out_of_range_number(text: &str) -> Option<String> {
    let t = text.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    let integer = digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '_');
    if integer && format!("v = {t}").parse::<toml::Table>().is_err() {
        return Some(format!(
            "integer {t} is out of range: TOML integers are 64-bit, {}..={}",
            i64::MIN,
            i64::MAX
        ));
    }
    (numbers::parse(t) == Err(NumErr::TooLarge)).then(|| {
        format!("number {t} is out of range: beyond the largest 64-bit float (about 1.8e308)")
    })
}

fn apply_one(tree: &mut toml::Table, arg: &str) -> Result<FieldPath, SetErr> {
    let Some((path, value)) = arg.split_once('=') else {
        return Err((
            String::new(),
            format!("`{arg}` is not of the form PATH=VALUE"),
            "e.g. --set lambda.my-fn.memory_mb=1024 or --set simulation.seed=7".into(),
        ));
    };
    let path = path.trim();
    let segs: Vec<&str> = path.split('.').collect();
    let kind = segs[0];
    if let Some(message) = out_of_range_number(value) {
        let hint = if path == "simulation.seed" {
            "the seed is 0..=9223372036854775807".to_string()
        } else {
            "use a smaller number; docs/scenario-format.md gives every field's range".to_string()
        };
        return Err((path.into(), message, hint));
    }
    let value = parse_value(value);
    // An SLO added by this --set: every problem in it points here.
    let mut added_entry = None;
    let (mut fp, fields, container): (FieldPath, &[&str], &mut Value) =
        if kind == "simulation" || kind == "cost" || kind == "objective" || kind == "sweep" {
            let sim = tree
                .entry(kind)
                .or_insert_with(|| Value::Table(Default::default()));
            (FieldPath(vec![Seg::Key(kind.into())]), &segs[1..], sim)
        } else if KINDS.contains(&kind) {
            let empty = Vec::new();
            let arr = tree.get(kind).and_then(Value::as_array).unwrap_or(&empty);
            let names: Vec<String> = arr
                .iter()
                .map(|v| {
                    v.get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                })
                .collect();
            // The longest dotted prefix that names a component (names may contain dots).
            let found = (2..=segs.len()).rev().find_map(|k| {
                let name = segs[1..k].join(".");
                names.iter().position(|n| *n == name).map(|i| (i, k))
            });
            let Some((idx, k)) = found else {
                let want = segs.get(1).copied().unwrap_or("");
                let hint =
                    did_you_mean(want, names.iter().map(String::as_str)).unwrap_or_else(|| {
                        if names.is_empty() {
                            format!("the scenario has no [[{kind}]]")
                        } else {
                            let v: Vec<&str> = names.iter().map(String::as_str).collect();
                            format!("{kind} names: {}", list(&v))
                        }
                    });
                return Err((
                    path.into(),
                    format!("there is no {kind} named `{want}`"),
                    hint,
                ));
            };
            let item = tree
                .get_mut(kind)
                .and_then(Value::as_array_mut)
                .and_then(|a| a.get_mut(idx))
                .ok_or_else(|| {
                    (
                        path.to_string(),
                        "internal: component vanished".to_string(),
                        String::new(),
                    )
                })?;
            (
                FieldPath(vec![Seg::Key(kind.into()), Seg::Index(idx)]),
                &segs[k..],
                item,
            )
        } else if kind == "slo" {
            let (idx, k, added) = slo_entry(tree, &segs, path)?;
            if added {
                added_entry = Some(FieldPath(vec![Seg::Key("slo".into()), Seg::Index(idx)]));
            }
            let item = tree
                .get_mut("slo")
                .and_then(Value::as_array_mut)
                .and_then(|a| a.get_mut(idx))
                .ok_or_else(|| {
                    (
                        path.to_string(),
                        "internal: slo vanished".to_string(),
                        String::new(),
                    )
                })?;
            (
                FieldPath(vec![Seg::Key("slo".into()), Seg::Index(idx)]),
                &segs[k..],
                item,
            )
        } else if is_unsupported(kind) {
            return Err((
                path.into(),
                format!("`{kind}` is not supported yet in this version of slsim"),
                format!("kinds: simulation, {}", list(KINDS)),
            ));
        } else {
            let mut all = vec!["simulation", "cost", "slo", "objective", "sweep"];
            all.extend(KINDS);
            let hint = did_you_mean(kind, all.iter().copied())
                .unwrap_or_else(|| format!("PATH starts with one of {}", list(&all)));
            return Err((path.into(), format!("unknown kind `{kind}`"), hint));
        };
    if fields.is_empty() || fields.iter().any(|f| f.is_empty()) {
        return Err((
            path.into(),
            "missing field name".into(),
            "PATH is kind.name.field (e.g. lambda.my-fn.memory_mb) or simulation.field".into(),
        ));
    }
    let mut cur = container;
    for (i, f) in fields.iter().enumerate() {
        let last = i + 1 == fields.len();
        cur = match cur {
            Value::Table(t) => {
                fp.0.push(Seg::Key(f.to_string()));
                if last {
                    t.insert(f.to_string(), value);
                    return Ok(added_entry.unwrap_or(fp));
                }
                t.entry(f.to_string())
                    .or_insert_with(|| Value::Table(Default::default()))
            }
            Value::Array(a) => {
                let n: usize = f.parse().map_err(|_| {
                    (
                        path.to_string(),
                        format!("`{f}` is not an array index"),
                        "use a number, e.g. steps.0.compute".to_string(),
                    )
                })?;
                let len = a.len();
                fp.0.push(Seg::Index(n));
                let slot = a.get_mut(n).ok_or_else(|| {
                    (
                        path.to_string(),
                        format!(
                            "index {n} is out of range (the array has {})",
                            numbers::count(len, "item")
                        ),
                        format!("use 0..{len}"),
                    )
                })?;
                if last {
                    *slot = value;
                    return Ok(added_entry.unwrap_or(fp));
                }
                slot
            }
            _ => {
                return Err((
                    path.into(),
                    format!("cannot set `{f}`: its parent is not a table"),
                    "set the parent as a whole instead".into(),
                ))
            }
        };
    }
    Ok(fp)
}

/// The `[[slo]]` entry a `--set slo.X.field` addresses: X is an index (the
/// index one past the last appends an empty entry) or an SLO's `name` (the
/// longest dotted prefix that is one). Returns the index, where the field
/// parts start and whether the entry was added.
fn slo_entry(
    tree: &mut toml::Table,
    segs: &[&str],
    path: &str,
) -> Result<(usize, usize, bool), SetErr> {
    let slot = tree
        .entry("slo")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(arr) = slot else {
        return Err((
            path.into(),
            "`slo` is not an array of tables".into(),
            "write each SLO as a [[slo]] section".into(),
        ));
    };
    let want = segs.get(1).copied().unwrap_or("");
    if let Ok(i) = want.parse::<usize>() {
        let added = i == arr.len();
        if added {
            arr.push(Value::Table(Default::default()));
        }
        if i < arr.len() {
            return Ok((i, 2, added));
        }
        return Err((
            path.into(),
            format!(
                "slo index {i} is out of range (the scenario has {})",
                numbers::count(arr.len(), "SLO")
            ),
            if arr.is_empty() {
                "slo.0.metric=... and slo.0.max=... add one".to_string()
            } else {
                format!("use 0..{}; {} adds an SLO", arr.len(), arr.len())
            },
        ));
    }
    let names: Vec<String> = arr
        .iter()
        .map(|v| {
            v.get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let found = (2..=segs.len()).rev().find_map(|k| {
        let name = segs[1..k].join(".");
        names.iter().position(|n| *n == name).map(|i| (i, k, false))
    });
    found.ok_or_else(|| {
        let named: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| !n.is_empty())
            .collect();
        let hint = did_you_mean(want, named.iter().copied()).unwrap_or_else(|| {
            format!(
                "address an SLO by index (slo.0.max) or by its name{}",
                if named.is_empty() {
                    String::new()
                } else {
                    format!(": {}", list(&named))
                }
            )
        });
        (path.into(), format!("there is no slo named `{want}`"), hint)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_as_toml_or_string() {
        assert_eq!(parse_value("1024"), Value::Integer(1024));
        assert_eq!(parse_value("2h"), Value::String("2h".into()));
        assert_eq!(
            parse_value("\"poisson(rate=5)\""),
            Value::String("poisson(rate=5)".into())
        );
        assert!(parse_value("[{compute=\"const(5ms)\"}]").is_array());
    }

    #[test]
    fn numbers_toml_cannot_hold_are_out_of_range() {
        let m = out_of_range_number("18446744073709551615").unwrap();
        assert!(
            m.contains("out of range") && m.contains("9223372036854775807"),
            "{m}"
        );
        assert!(out_of_range_number("-9223372036854775809").is_some());
        assert!(out_of_range_number("1e400")
            .unwrap()
            .contains("out of range"));
        assert_eq!(out_of_range_number("9223372036854775807"), None);
        assert_eq!(out_of_range_number("2h"), None);
        assert_eq!(out_of_range_number("1_000"), None);
    }
}
