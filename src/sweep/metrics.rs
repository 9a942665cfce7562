//! The metrics a sweep records per run: numbers of the run's
//! `summary.json`, each named by its dotted path
//! (`workloads.users.latency_ms.p99`), so that any number of the summary
//! can become a column.

use crate::model::Scenario;
use serde_json::Value;

/// The default metric columns for a scenario: the monthly cost and the
/// cost per million requests; per workload its p50 and p99 latency and its
/// requests by end state; per function its invocations, cold starts,
/// throttles and mean duration; then the metric of each `[[slo]]` and of
/// the `[objective]` not among them already.
pub fn default_columns(s: &Scenario) -> Vec<String> {
    let mut cols = vec![
        "cost.monthly_usd".to_string(),
        "cost.per_million_requests_usd".to_string(),
    ];
    for w in &s.workloads {
        for f in [
            "latency_ms.p50",
            "latency_ms.p99",
            "requests",
            "succeeded",
            "throttled",
            "failed",
            "timed_out",
        ] {
            cols.push(format!("workloads.{}.{f}", w.name));
        }
    }
    for l in &s.lambdas {
        for f in [
            "invocations",
            "cold_starts",
            "throttles",
            "mean_duration_ms",
        ] {
            cols.push(format!("functions.{}.{f}", l.name));
        }
    }
    let criteria = s
        .slos
        .iter()
        .map(|slo| &slo.metric.text)
        .chain(s.objective.iter().map(|o| &o.metric.text));
    for m in criteria {
        if !cols.contains(m) {
            cols.push(m.clone());
        }
    }
    cols
}

/// The number at dotted `path` in `value`, or `None` (absent, `null`, not
/// a number, not finite). A component name may hold dots: at each level
/// the longest run of parts that is a key wins. `-0` reads as `0`.
pub(super) fn metric(value: &Value, path: &str) -> Option<f64> {
    let parts: Vec<&str> = path.split('.').collect();
    lookup(value, &parts)
        .and_then(Value::as_f64)
        .filter(|v| v.is_finite())
        .map(|v| v + 0.0)
}

fn lookup<'a>(value: &'a Value, parts: &[&str]) -> Option<&'a Value> {
    if parts.is_empty() {
        return Some(value);
    }
    let map = value.as_object()?;
    (1..=parts.len()).rev().find_map(|k| {
        let key = parts[..k].join(".");
        map.get(&key).and_then(|v| lookup(v, &parts[k..]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn metrics_are_found_by_dotted_path() {
        let v = json!({
            "cost": {"monthly_usd": 12.5, "per_million_requests_usd": null},
            "workloads": {"a.b": {"latency_ms": {"p99": 3}}, "a": {"x": -0.0}},
            "list": [1, 2]
        });
        assert_eq!(metric(&v, "cost.monthly_usd"), Some(12.5));
        assert_eq!(metric(&v, "cost.per_million_requests_usd"), None);
        assert_eq!(metric(&v, "workloads.a.b.latency_ms.p99"), Some(3.0));
        let zero = metric(&v, "workloads.a.x").unwrap();
        assert!(zero == 0.0 && zero.is_sign_positive());
        assert_eq!(metric(&v, "cost"), None);
        assert_eq!(metric(&v, "list.0"), None);
        assert_eq!(metric(&v, "nothing.here"), None);
    }
}
