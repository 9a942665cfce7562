//! `[[slo]]` and `[objective]`: their raw structs and their validation,
//! including the metric paths they name (section, component, field; see
//! [`crate::model::metrics`]).

#![allow(missing_docs)]

use super::context::Cx;
use super::error::{did_you_mean, list};
use super::locate::FieldPath;
use super::raw::Required;
use super::validate::printable;
use crate::model::metrics::{self, Section};
use crate::model::slo::{Bound, Direction, MetricPath, Objective, Slo, MAX_SLOS};

/// `[[slo]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSlo {
    pub metric: String,
    pub max: Option<f64>,
    pub min: Option<f64>,
    pub name: Option<String>,
    pub description: Option<String>,
}

impl Required for RawSlo {
    const REQUIRED: &'static [&'static str] = &["metric"];
}

/// `[objective]`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawObjective {
    pub minimize: Option<String>,
    pub maximize: Option<String>,
}

impl Required for RawObjective {}

/// The longest metric path accepted \[characters\].
const MAX_PATH_CHARS: usize = 1000;

const EXAMPLE: &str = "e.g. metric = \"workloads.users.latency_ms.p99\"";

/// Validates every `[[slo]]`; `None` in place of one with a problem.
pub fn slos(cx: &mut Cx<'_>, raws: &[Option<RawSlo>]) -> Vec<Option<Slo>> {
    if raws.len() > MAX_SLOS {
        cx.err(
            &crate::fp!["slo"],
            format!("{} [[slo]] entries: at most {MAX_SLOS}", raws.len()),
            "keep the SLOs that gate a release; the figures of summary.json hold the rest",
        );
    }
    raws.iter()
        .enumerate()
        .map(|(i, r)| slo(cx, i, r.as_ref()?))
        .collect()
}

fn slo(cx: &mut Cx<'_>, i: usize, r: &RawSlo) -> Option<Slo> {
    let p = |f: &str| crate::fp!["slo", i, f];
    for (f, v) in [("name", &r.name), ("description", &r.description)] {
        if let Some(v) = v {
            printable(cx, &p(f), v);
        }
    }
    let metric = metric(cx, &p("metric"), &r.metric);
    let bound = match (r.max, r.min) {
        (Some(v), None) => finite(cx, &p("max"), v).map(Bound::Max),
        (None, Some(v)) => finite(cx, &p("min"), v).map(Bound::Min),
        (None, None) => {
            cx.err(
                &crate::fp!["slo", i],
                "an SLO needs a bound: `max` or `min`",
                "add `max = 300` (the metric must be at most 300) or `min = ...` (at least)",
            );
            None
        }
        (Some(_), Some(_)) => {
            cx.err(
                &p("min"),
                "an SLO has one bound: `max` or `min`, not both",
                "write a range as two [[slo]] entries on the same metric",
            );
            None
        }
    };
    Some(Slo {
        name: r.name.clone(),
        description: r.description.clone(),
        metric: metric?,
        bound: bound?,
    })
}

fn finite(cx: &mut Cx<'_>, path: &FieldPath, v: f64) -> Option<f64> {
    if v.is_finite() {
        return Some(v + 0.0); // -0.0 is 0
    }
    cx.err(
        path,
        format!("{v} is not a finite number"),
        "a bound is a plain number in the metric's unit, e.g. max = 300",
    );
    None
}

/// Validates `[objective]`.
pub fn objective(cx: &mut Cx<'_>, r: &RawObjective) -> Option<Objective> {
    let (key, text, direction) = match (&r.minimize, &r.maximize) {
        (Some(t), None) => ("minimize", t, Direction::Minimize),
        (None, Some(t)) => ("maximize", t, Direction::Maximize),
        (None, None) => {
            cx.err(
                &crate::fp!["objective"],
                "[objective] needs `minimize` or `maximize`",
                "e.g. minimize = \"cost.monthly_usd\"",
            );
            return None;
        }
        (Some(_), Some(_)) => {
            cx.err(
                &crate::fp!["objective", "maximize"],
                "[objective] has one direction: `minimize` or `maximize`, not both",
                "keep one; an SLO can bound the other metric",
            );
            return None;
        }
    };
    let metric = metric(cx, &crate::fp!["objective", key], text)?;
    Some(Objective { metric, direction })
}

/// Checks a metric path against the sections of `summary.json`, the
/// scenario's components and the section's fields.
pub fn metric(cx: &mut Cx<'_>, path: &FieldPath, text: &str) -> Option<MetricPath> {
    let bad = |cx: &mut Cx<'_>, why: &str| {
        cx.err(
            path,
            format!("`{text}` is not a metric path: {why}"),
            format!("write section.component.field, {EXAMPLE}"),
        );
        None
    };
    if text.trim().is_empty() {
        return bad(cx, "it is empty");
    }
    if text.chars().count() > MAX_PATH_CHARS {
        return bad(cx, &format!("longer than {MAX_PATH_CHARS} characters"));
    }
    if text.chars().any(char::is_control) {
        return bad(cx, "it contains a control character");
    }
    if text.starts_with('.') || text.ends_with('.') {
        return bad(cx, "it starts or ends with a dot");
    }
    let parts: Vec<&str> = text.split('.').collect();
    let Some(section) = metrics::section(parts[0]) else {
        cx.err(
            path,
            format!("unknown section `{}` in metric `{text}`", parts[0]),
            section_hint(parts[0]),
        );
        return None;
    };
    let (mut keys, rest, what) = if section.kinds.is_empty() {
        (vec![section.name.to_string()], &parts[1..], None)
    } else {
        let (name, k) = component(cx, path, text, section, &parts)?;
        (
            vec![section.name.to_string(), name],
            &parts[k..],
            Some(section.kinds[0]),
        )
    };
    let fields = || {
        format!(
            "fields of {}: {}",
            what.map_or_else(
                || format!("`{}`", section.name),
                crate::scenario::numbers::a
            ),
            shown_fields(section)
        )
    };
    if rest.is_empty() {
        cx.err(path, format!("metric `{text}` names no field"), fields());
        return None;
    }
    let Some(m) = section.field(rest) else {
        let field = rest.join(".");
        let patterns = section.patterns();
        let hint = did_you_mean(&field, patterns.iter().map(String::as_str)).unwrap_or_else(fields);
        cx.err(
            path,
            format!("`{field}` is not a metric of `{}`", section.name),
            hint,
        );
        return None;
    };
    if m.absent_is_zero {
        check_count_key(cx, path, section, &m.keys)?;
    }
    keys.extend(m.keys);
    Some(MetricPath {
        text: text.to_string(),
        keys,
        absent_is_zero: m.absent_is_zero,
    })
}

/// A section's fields for a hint: `latency_ms.{count,...,max}`,
/// `routes.<key>.requests`.
fn shown_fields(section: &Section) -> String {
    let lat = format!("{{{}}}", metrics::LATENCY.join(","));
    section
        .fields
        .iter()
        .map(|f| {
            let f: String = f.split_whitespace().collect();
            f.replace("{lat}", &lat)
                .replace('*', "<name>")
                .replace('#', "<key>")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The hint for an unknown section: the scenario's kind names map to the
/// summary's section names (`lambda` -> `functions`).
fn section_hint(given: &str) -> String {
    let by_kind = metrics::SECTIONS
        .iter()
        .find(|s| s.kinds.first() == Some(&given) || s.name.strip_suffix('s') == Some(given));
    let names = metrics::section_names();
    match by_kind {
        Some(s) => format!(
            "metric paths follow summary.json, whose section for [[{given}]] is `{}`",
            s.name
        ),
        None => did_you_mean(given, names.iter().copied())
            .unwrap_or_else(|| format!("sections: {}", list(&names))),
    }
}

/// The component named by `parts[1..k]` (the longest such prefix of a
/// component of the section's kinds whose rest is a field of the
/// section), and `k`.
fn component(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    text: &str,
    section: &Section,
    parts: &[&str],
) -> Option<(String, usize)> {
    let is_of = |cx: &Cx<'_>, name: &str, kinds: &[&str]| {
        cx.names
            .lookup(name)
            .is_some_and(|(_, n, _)| kinds.contains(&n.kind))
    };
    let candidates: Vec<usize> = (2..=parts.len())
        .rev()
        .filter(|&k| is_of(cx, &parts[1..k].join("."), section.kinds))
        .collect();
    let found = candidates
        .iter()
        .find(|&&k| k == parts.len() || section.field(&parts[k..]).is_some())
        .or(candidates.first());
    if let Some(&k) = found {
        return Some((parts[1..k].join("."), k));
    }
    let kind = section.kinds[0];
    if parts.len() == 1 {
        cx.err(
            path,
            format!("metric `{text}` names no {kind}"),
            format!("write {}.<name>.<field>, {EXAMPLE}", section.name),
        );
        return None;
    }
    // A component of another kind?
    let other = (2..=parts.len()).rev().find_map(|k| {
        let name = parts[1..k].join(".");
        cx.names.lookup(&name).map(|(_, n, _)| (name, n.kind))
    });
    if let Some((name, other_kind)) = other {
        let right = metrics::SECTIONS
            .iter()
            .find(|s| s.kinds.first() == Some(&other_kind))
            .map_or("its kind's section".to_string(), |s| {
                format!("`{}`", s.name)
            });
        cx.err(
            path,
            format!(
                "`{name}` is {}, not {}",
                crate::scenario::numbers::a(other_kind),
                crate::scenario::numbers::a(kind)
            ),
            format!("a [[{other_kind}]]'s metrics are in section {right}"),
        );
        return None;
    }
    let want = parts[1];
    let names: Vec<&str> = cx
        .names
        .of_kinds(section.kinds)
        .map(|n| n.name.as_str())
        .collect();
    let hint = did_you_mean(want, names.iter().copied()).unwrap_or_else(|| {
        if names.is_empty() {
            format!("the scenario has no [[{kind}]]")
        } else {
            let shown: Vec<&str> = names.iter().copied().take(12).collect();
            format!("{kind} names: {}", list(&shown))
        }
    });
    cx.err(
        path,
        format!("metric `{text}`: there is no {kind} named `{want}`"),
        hint,
    );
    None
}

/// A count map's key (absent reads as 0, so a typo would pass silently):
/// one of the map's known keys, or a component's name.
fn check_count_key(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    section: &Section,
    keys: &[String],
) -> Option<()> {
    let (map, key) = match keys {
        [.., map, key] => (map.as_str(), key.as_str()),
        _ => return Some(()),
    };
    let ok = match metrics::count_keys(section.name, map) {
        Some(known) => known.contains(&key),
        None => cx.names.lookup(key).is_some(),
    };
    if ok {
        return Some(());
    }
    let hint = match metrics::count_keys(section.name, map) {
        Some(known) => did_you_mean(key, known.iter().copied())
            .unwrap_or_else(|| format!("keys of `{map}`: {}", list(known))),
        None => did_you_mean(key, cx.names.iter().map(|n| n.name.as_str()))
            .unwrap_or_else(|| "name a component of the scenario".into()),
    };
    cx.err(
        path,
        format!("`{key}` is not a key of `{map}` (a key it never holds would always read as 0)"),
        hint,
    );
    None
}
