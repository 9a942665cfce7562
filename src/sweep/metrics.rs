//! The metrics a sweep records per run: numbers of the run's
//! `summary.json`, each named by its dotted path
//! (`workloads.users.latency_ms.p99`), so that any number of the summary
//! can become a column (read by [`crate::slo::lookup_dotted`]).

use crate::model::Scenario;

/// The default metric columns for a scenario: the monthly cost and the
/// cost per million requests; per workload its p50 and p99 latency and its
/// requests by end state; per function its invocations, cold starts,
/// throttles, mean duration and cost per invocation; then the metric of each `[[slo]]` and of
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
            "cost_per_invocation_usd",
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
