//! SLO verdicts and the objective's value: a run's summary (the JSON value
//! of `summary.json`) read at the metric paths the scenario names.
//!
//! Owns: following a [`MetricPath`] in a summary ([`lookup`]; a sweep's
//! dotted metric columns with [`lookup_dotted`]), the verdict
//! of each `[[slo]]` ([`evaluate`]: pass, fail, or undefined, which fails),
//! the objective's value ([`objective`]) and their lines in the text
//! summary ([`text`]). Must not know: how a run is simulated, TOML, files.
//! It reads the summary as JSON, so a verdict means the same whether the
//! run just happened or was read back from a result directory.

use serde::Serialize;
use serde_json::Value;
use std::fmt::Write;

use crate::model::{Bound, MetricPath, Objective, Slo};

/// One SLO's verdict (in `summary.json` under `slos`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SloVerdict {
    /// The SLO's `name`, if it has one.
    pub name: Option<String>,
    /// Its `description`, if it has one.
    pub description: Option<String>,
    /// The metric path.
    pub metric: String,
    /// The upper bound, for a `max` SLO.
    pub max: Option<f64>,
    /// The lower bound, for a `min` SLO.
    pub min: Option<f64>,
    /// The metric's value; `None` when undefined.
    pub value: Option<f64>,
    /// Met: the value is defined and within the bound (inclusive).
    pub pass: bool,
    /// Why the value is undefined (which fails the SLO); `None` when it
    /// has a value.
    pub undefined: Option<String>,
}

impl SloVerdict {
    /// The label shown: `name (metric)`, or the metric.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("{n} ({})", self.metric),
            None => self.metric.clone(),
        }
    }

    fn bound(&self) -> (&'static str, f64) {
        match (self.max, self.min) {
            (Some(b), _) => ("max", b),
            (None, Some(b)) => ("min", b),
            (None, None) => ("max", f64::INFINITY),
        }
    }
}

/// The objective's value in a run (in `summary.json` under `objective`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectiveValue {
    /// The metric path.
    pub metric: String,
    /// `"minimize"` or `"maximize"`.
    pub direction: &'static str,
    /// The metric's value; `None` when undefined.
    pub value: Option<f64>,
    /// Why the value is undefined; `None` when it has one.
    pub undefined: Option<String>,
}

/// The value at `m` in `summary`, or why there is none: a key that is
/// absent (a count map's absent key reads as 0), a `null` (a statistic
/// undefined in this run, such as the p99 of no request) or a value that
/// is not a number.
pub fn lookup(summary: &Value, m: &MetricPath) -> Result<f64, String> {
    let mut cur = summary;
    for (i, key) in m.keys.iter().enumerate() {
        let next = child(cur, key);
        cur = match next {
            Some(v) => v,
            None if m.absent_is_zero && i + 1 == m.keys.len() && cur.is_object() => {
                return Ok(0.0);
            }
            None => {
                let at = m.keys[..i].join(".");
                return Err(if at.is_empty() {
                    format!("summary.json has no `{key}`")
                } else {
                    format!("summary.json has no `{key}` in `{at}`")
                });
            }
        };
    }
    match cur {
        Value::Number(n) => n
            .as_f64()
            .filter(|v| v.is_finite())
            .map(|v| v + 0.0)
            .ok_or_else(|| "not a finite number".to_string()),
        Value::Null => Err(
            "undefined in this run (null in summary.json, e.g. a statistic \
                            of no event)"
                .into(),
        ),
        _ => Err("not a number in summary.json".into()),
    }
}

/// The member `key` of an object, or the element of an array whose
/// `name` is `key` (`caches`).
fn child<'a>(cur: &'a Value, key: &str) -> Option<&'a Value> {
    match cur {
        Value::Object(map) => map.get(key),
        Value::Array(items) => items
            .iter()
            .find(|x| x.get("name").and_then(Value::as_str) == Some(key)),
        _ => None,
    }
}

/// The number at dotted `path` (`workloads.a.b.latency_ms.p99`) in
/// `summary`, or `None` (absent, `null`, not a number): the path split
/// into keys where, at each level, the longest run of parts that is a key
/// wins (a component name may hold dots), then followed as [`lookup`]
/// does. For a sweep's metric columns, which are not checked against the
/// scenario as an SLO's path is.
pub fn lookup_dotted(summary: &Value, path: &str) -> Option<f64> {
    fn resolve(value: &Value, parts: &[&str]) -> Option<Vec<String>> {
        if parts.is_empty() {
            return Some(Vec::new());
        }
        (1..=parts.len()).rev().find_map(|k| {
            let key = parts[..k].join(".");
            let mut rest = resolve(child(value, &key)?, &parts[k..])?;
            rest.insert(0, key);
            Some(rest)
        })
    }
    let parts: Vec<&str> = path.split('.').collect();
    let keys = resolve(summary, &parts)?;
    let m = MetricPath {
        text: path.to_string(),
        keys,
        absent_is_zero: false,
    };
    lookup(summary, &m).ok()
}

/// The verdict of every SLO on `summary`, in order.
pub fn evaluate(slos: &[Slo], summary: &Value) -> Vec<SloVerdict> {
    slos.iter()
        .map(|s| {
            let got = lookup(summary, &s.metric);
            let (max, min) = match s.bound {
                Bound::Max(b) => (Some(b), None),
                Bound::Min(b) => (None, Some(b)),
            };
            SloVerdict {
                name: s.name.clone(),
                description: s.description.clone(),
                metric: s.metric.text.clone(),
                max,
                min,
                value: got.as_ref().ok().copied(),
                pass: got.as_ref().is_ok_and(|&v| s.bound.admits(v)),
                undefined: got.err(),
            }
        })
        .collect()
}

/// The objective's value on `summary`.
pub fn objective(o: &Objective, summary: &Value) -> ObjectiveValue {
    let got = lookup(summary, &o.metric);
    ObjectiveValue {
        metric: o.metric.text.clone(),
        direction: o.direction.as_str(),
        value: got.as_ref().ok().copied(),
        undefined: got.err(),
    }
}

/// How many verdicts failed.
pub fn failed(verdicts: &[SloVerdict]) -> usize {
    verdicts.iter().filter(|v| !v.pass).count()
}

/// A value for people: six significant digits, more when that would make
/// it print like a different `bound`.
pub fn show(v: f64, bound: Option<f64>) -> String {
    let short = |x: f64| -> String {
        if x == 0.0 || !x.is_finite() {
            return format!("{}", x + 0.0);
        }
        let rounded: f64 = format!("{x:.5e}").parse().unwrap_or(x);
        format!("{}", rounded + 0.0)
    };
    let s = short(v);
    match bound {
        Some(b) if b != v && short(b) == s => format!("{}", v + 0.0),
        _ => s,
    }
}

/// One verdict's line: `✓ label: value (max bound)`, `✗ ...`.
pub fn line(v: &SloVerdict) -> String {
    let (key, b) = v.bound();
    let mark = if v.pass { "✓" } else { "✗" };
    let value = match (v.value, &v.undefined) {
        (Some(x), _) => show(x, Some(b)),
        (None, Some(why)) => format!("undefined: {why}"),
        (None, None) => "undefined".into(),
    };
    format!("{mark} {}: {value} ({key} {})", v.label(), show(b, None))
}

/// The SLO block of the text summary (nothing without SLOs or objective).
pub fn text(verdicts: &[SloVerdict], objective: Option<&ObjectiveValue>, out: &mut String) {
    if !verdicts.is_empty() {
        let met = verdicts.len() - failed(verdicts);
        let _ = writeln!(out, "SLOs: {met} of {} met", verdicts.len());
        for v in verdicts {
            let _ = writeln!(out, "  {}", line(v));
        }
    }
    if let Some(o) = objective {
        let value = match (o.value, &o.undefined) {
            (Some(x), _) => show(x, None),
            (None, Some(why)) => format!("undefined: {why}"),
            (None, None) => "undefined".into(),
        };
        let _ = writeln!(out, "objective: {} {} = {value}", o.direction, o.metric);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(keys: &[&str], zero: bool) -> MetricPath {
        MetricPath {
            text: keys.join("."),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            absent_is_zero: zero,
        }
    }

    fn summary() -> Value {
        json!({
            "workloads": {"a.b": {"latency_ms": {"p99": 31.5, "max": null}, "status": {"200": 7}}},
            "caches": [{"name": "x", "hit_ratio": 0.25}],
            "cost": {"monthly_usd": 85.0, "projection": "repeat"}
        })
    }

    #[test]
    fn lookup_follows_exact_keys() {
        let s = summary();
        let p99 = path(&["workloads", "a.b", "latency_ms", "p99"], false);
        assert_eq!(lookup(&s, &p99), Ok(31.5));
        let hit = path(&["caches", "x", "hit_ratio"], false);
        assert_eq!(lookup(&s, &hit), Ok(0.25));
    }

    #[test]
    fn dotted_paths_take_the_longest_key() {
        let v = json!({
            "cost": {"monthly_usd": 12.5, "per_million_requests_usd": null},
            "workloads": {"a.b": {"latency_ms": {"p99": 3}}, "a": {"x": -0.0}},
            "list": [1, 2]
        });
        assert_eq!(lookup_dotted(&v, "cost.monthly_usd"), Some(12.5));
        assert_eq!(lookup_dotted(&v, "cost.per_million_requests_usd"), None);
        assert_eq!(lookup_dotted(&v, "workloads.a.b.latency_ms.p99"), Some(3.0));
        let zero = lookup_dotted(&v, "workloads.a.x").unwrap();
        assert!(zero == 0.0 && zero.is_sign_positive());
        assert_eq!(lookup_dotted(&v, "cost"), None);
        assert_eq!(lookup_dotted(&v, "list.0"), None);
        assert_eq!(lookup_dotted(&v, "nothing.here"), None);
        assert_eq!(lookup_dotted(&summary(), "caches.x.hit_ratio"), Some(0.25));
    }

    #[test]
    fn undefined_values_say_why() {
        let s = summary();
        let max = path(&["workloads", "a.b", "latency_ms", "max"], false);
        assert!(lookup(&s, &max).unwrap_err().contains("null"));
        let gone = path(&["workloads", "c", "latency_ms", "p99"], false);
        let e = lookup(&s, &gone).unwrap_err();
        assert!(e.contains("`c`") && e.contains("`workloads`"), "{e}");
        let text = path(&["cost", "projection"], false);
        assert!(lookup(&s, &text).unwrap_err().contains("not a number"));
    }

    #[test]
    fn a_count_maps_absent_key_is_zero() {
        let s = summary();
        let p = path(&["workloads", "a.b", "status", "502"], true);
        assert_eq!(lookup(&s, &p), Ok(0.0));
        let p = path(&["workloads", "a.b", "status", "200"], true);
        assert_eq!(lookup(&s, &p), Ok(7.0));
        // Only the map's own key: a missing component is still undefined.
        let p = path(&["workloads", "zz", "status", "502"], true);
        assert!(lookup(&s, &p).is_err());
    }

    #[test]
    fn verdicts_pass_fail_and_undefined() {
        let s = summary();
        let slo = |keys: &[&str], bound| Slo {
            name: None,
            description: None,
            metric: path(keys, false),
            bound,
        };
        let v = evaluate(
            &[
                slo(&["workloads", "a.b", "latency_ms", "p99"], Bound::Max(31.5)),
                slo(&["workloads", "a.b", "latency_ms", "p99"], Bound::Max(31.4)),
                slo(&["workloads", "a.b", "latency_ms", "p99"], Bound::Min(40.0)),
                slo(&["workloads", "a.b", "latency_ms", "max"], Bound::Max(1e9)),
            ],
            &s,
        );
        let pass: Vec<bool> = v.iter().map(|x| x.pass).collect();
        assert_eq!(pass, [true, false, false, false]);
        assert_eq!(failed(&v), 3);
        assert_eq!(v[3].value, None);
        assert!(v[3].undefined.is_some());
        assert!(line(&v[0]).starts_with("✓ workloads.a.b.latency_ms.p99: 31.5 (max 31.5)"));
        assert!(line(&v[1]).starts_with("✗ "), "{}", line(&v[1]));
        assert!(line(&v[3]).contains("undefined"), "{}", line(&v[3]));
    }

    #[test]
    fn values_show_enough_digits_to_differ_from_the_bound() {
        assert_eq!(show(31.167, None), "31.167");
        assert_eq!(show(0.000123456789, None), "0.000123457");
        assert_eq!(show(300.0000001, Some(300.0)), "300.0000001");
        assert_eq!(show(-0.0, None), "0");
    }
}
