//! Stage one, checked: top-level sections, unknown fields (all of them, with
//! "did you mean"), then serde into the raw structs, one component at a
//! time so that one broken component does not hide problems in the others.
//!
//! Must not know: any one component kind (the sections come from the list
//! in `kinds`; each kind's file checks its own nested tables with
//! [`strip_sub`] and [`strip_each`]).

use serde::de::DeserializeOwned;
use toml::Value;

use super::context::{Cx, Named, Names};
use super::error::{did_you_mean, list};
use super::kinds::{self, Raws, KINDS};
use super::locate::{FieldPath, Seg};
use super::raw::{field_names, Required};

/// Every `name` of every component array in the tree, kind by kind: the
/// kinds of the list in `kinds`, then the unsupported ones.
pub fn collect_names(tree: &toml::Table) -> Names {
    let mut out = Names::default();
    for kind in KINDS.iter().copied().chain(kinds::unsupported()) {
        if let Some(Value::Array(a)) = tree.get(kind) {
            for (index, v) in a.iter().enumerate() {
                if let Some(name) = v.get("name").and_then(Value::as_str) {
                    out.push(Named {
                        name: name.to_string(),
                        kind,
                        index,
                    });
                }
            }
        }
    }
    out
}

/// Checks the sections and deserializes every component.
pub fn shape(cx: &mut Cx<'_>) -> Raws {
    let mut raws = Raws::default();
    let tree = cx.tree;
    let mut all: Vec<&str> = vec![
        "simulation",
        "cost",
        "slo",
        "objective",
        "sweep",
        "timeline",
    ];
    all.extend(KINDS);
    all.extend(kinds::unsupported());
    for (key, value) in tree {
        let path = FieldPath(vec![Seg::Key(key.clone())]);
        match key.as_str() {
            "simulation" => {
                if value.is_table() {
                    raws.simulation = element(cx, &path, value, |_, _, _| Vec::new());
                } else {
                    cx.err(
                        &path,
                        "`simulation` must be a table",
                        "write a [simulation] section",
                    );
                }
            }
            "cost" => {
                if value.is_table() {
                    raws.cost = element(cx, &path, value, |_, _, _| Vec::new());
                } else {
                    cx.err(
                        &path,
                        "`cost` must be a table",
                        "write a [cost] section, e.g. projection = \"once\"",
                    );
                }
            }
            "slo" => {
                raws.slos = array(cx, &path, value, |_, _, _| Vec::new());
            }
            "objective" => {
                if value.is_table() {
                    raws.objective = element(cx, &path, value, |_, _, _| Vec::new());
                } else {
                    cx.err(
                        &path,
                        "`objective` must be a table",
                        "write an [objective] section, e.g. minimize = \"cost.monthly_usd\"",
                    );
                }
            }
            "timeline" => {
                if value.is_table() {
                    raws.timeline = element(cx, &path, value, |_, _, _| Vec::new());
                } else {
                    cx.err(
                        &path,
                        "`timeline` must be a table",
                        "write a [timeline] section, e.g. functions = [\"api\"]",
                    );
                }
            }
            // `slsim sweep`'s; only its shape matters to a run.
            "sweep" => drop(super::sweep::shape(cx, &path, value)),
            k if KINDS.contains(&k) => raws.shape(cx, k, &path, value),
            k if kinds::is_unsupported(k) => {
                cx.key_err(
                    &path,
                    format!("`[[{k}]]` is not supported yet in this version of slsim"),
                    format!(
                        "remove it; supported sections: [simulation], [cost], [sweep], [timeline], {}",
                        list(KINDS)
                    ),
                );
            }
            other => {
                let hint = did_you_mean(other, all.iter().copied()).unwrap_or_else(|| {
                    let arrays: Vec<String> = KINDS.iter().map(|k| format!("[[{k}]]")).collect();
                    format!(
                        "sections: [simulation], [cost], [sweep], [timeline], {}, [[slo]], [objective]",
                        arrays.join(", ")
                    )
                });
                cx.key_err(&path, format!("unknown section `{other}`"), hint);
            }
        }
    }
    if !tree.contains_key("simulation") {
        cx.err(
            &FieldPath(vec![Seg::Key("simulation".into())]),
            "missing [simulation] section",
            "add `[simulation]` with at least `duration = \"1h\"`",
        );
    }
    raws
}

/// Checks the nested tables of a component; returns the required fields
/// they miss (already reported).
pub type Strip = fn(&mut Cx<'_>, &FieldPath, &mut Value) -> Vec<&'static str>;

/// The components of the array of tables at `path`, each deserialized on
/// its own (`None` where one failed; every problem is reported).
pub fn array<T: DeserializeOwned + Required>(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    value: &Value,
    strip_nested: Strip,
) -> Vec<Option<T>> {
    let kind = path.to_string();
    match value.as_array() {
        Some(a) if a.iter().all(Value::is_table) => a
            .iter()
            .enumerate()
            .map(|(i, v)| element(cx, &path.join(i), v, strip_nested))
            .collect(),
        _ => {
            cx.err(
                path,
                format!("`{kind}` must be an array of tables"),
                format!("write each one as a `[[{kind}]]` section"),
            );
            Vec::new()
        }
    }
}

fn element<T: DeserializeOwned + Required>(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    value: &Value,
    strip_nested: Strip,
) -> Option<T> {
    let mut v = value.clone();
    let mut missing = strip::<T>(cx, path, &mut v);
    missing.extend(strip_nested(cx, path, &mut v));
    match serde_path_to_error::deserialize::<_, T>(v) {
        Ok(t) => Some(t),
        // Already reported, with every other missing field, by `strip`.
        Err(e)
            if missing
                .iter()
                .any(|f| e.inner().message() == format!("missing field `{f}`")) =>
        {
            None
        }
        Err(e) => {
            let mut p = path.clone();
            for seg in e.path().iter() {
                match seg {
                    serde_path_to_error::Segment::Seq { index } => p.0.push(Seg::Index(*index)),
                    serde_path_to_error::Segment::Map { key } => p.0.push(Seg::Key(key.clone())),
                    _ => {}
                }
            }
            let msg = tidy(e.inner().message().trim());
            let hint = serde_hint(&p, &msg);
            cx.err(&p, msg, hint);
            None
        }
    }
}

fn serde_hint(path: &FieldPath, msg: &str) -> String {
    let field = match path.0.last() {
        Some(Seg::Key(k)) => k.as_str(),
        _ => "",
    };
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let f = rest.trim_end_matches('`');
        return format!("add `{f} = ...`; see docs/scenario-format.md");
    }
    if msg.contains("expected u32") || msg.contains("expected u64") || msg.contains("expected i64")
    {
        return format!("write a whole number without quotes, e.g. `{field} = 512`");
    }
    if msg.contains("expected f64") {
        return format!("write a number without quotes, e.g. `{field} = 0.5`");
    }
    if msg.contains("expected a boolean") {
        return format!("write `{field} = true` or `{field} = false`");
    }
    if msg.contains("expected a string") {
        return "write a quoted string, e.g. \"250ms\" for a duration or \"exp(mean=10ms)\" for a distribution".into();
    }
    if msg.contains("expected a sequence") {
        return format!("write an array: `{field} = [ ... ]`");
    }
    // `tidy` has already turned "expected struct RawX" into "a table".
    if msg.contains("expected a map")
        || msg.contains("expected struct")
        || msg.contains("expected a table")
    {
        return format!("write an inline table: `{field} = {{ ... }}`");
    }
    String::new()
}

/// Reports and removes keys of a table that `T` does not have, and
/// reports every required field of `T` that is missing (serde would stop
/// at the first). Returns the missing ones.
fn strip<T: DeserializeOwned + Required>(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    v: &mut Value,
) -> Vec<&'static str> {
    let fields = field_names::<T>();
    let Some(t) = v.as_table_mut() else {
        return Vec::new();
    };
    let missing: Vec<&'static str> = T::REQUIRED
        .iter()
        .copied()
        .filter(|f| !t.contains_key(*f))
        .collect();
    for f in &missing {
        cx.err(
            path,
            format!("missing field `{f}`"),
            format!("add `{f} = ...`; see docs/scenario-format.md"),
        );
    }
    let unknown: Vec<String> = t
        .keys()
        .filter(|k| !fields.contains(&k.as_str()))
        .cloned()
        .collect();
    for k in unknown {
        let hint = did_you_mean(&k, fields.iter().copied())
            .unwrap_or_else(|| format!("valid fields: {}", list(fields)));
        cx.key_err(&path.join(&k), format!("unknown field `{k}`"), hint);
        t.remove(&k);
    }
    missing
}

/// `strip` for the nested table `key`.
pub fn strip_sub<T: DeserializeOwned + Required>(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    v: &mut Value,
    key: &str,
) -> Vec<&'static str> {
    match v.get_mut(key) {
        Some(sub) => strip::<T>(cx, &path.join(key), sub),
        None => Vec::new(),
    }
}

/// `strip` for each table of the array `key`.
pub fn strip_each<T: DeserializeOwned + Required>(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    v: &mut Value,
    key: &str,
) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if let Some(Value::Array(a)) = v.get_mut(key) {
        for (i, item) in a.iter_mut().enumerate() {
            missing.extend(strip::<T>(cx, &path.join(key).join(i), item));
        }
    }
    missing
}

/// Serde names the raw structs (`expected struct RawApiCache`); users know
/// them as tables.
fn tidy(msg: &str) -> String {
    let mut out = msg.to_string();
    while let Some(i) = out.find("struct Raw") {
        let end = out[i + 10..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(out.len(), |k| i + 10 + k);
        out.replace_range(i..end, "a table");
    }
    out
}
