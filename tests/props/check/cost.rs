//! The `cost` section of summary.json (docs/scenario-format.md, "[cost]";
//! the method in `src/cost/mod.rs`):
//!
//! * no cost is negative (none is NaN or infinite either: the walk over
//!   every number checks that); the cost per million requests is defined
//!   exactly when a request arrived;
//! * `projection` is the scenario's;
//! * `monthly_usd` is the sum of `by_service` and of `by_component`,
//!   `total_usd` the sum of `window_by_service`, over the same services;
//! * `always_on_monthly_usd <= monthly_usd` (the month without usage);
//! * `repeat`: each service's window cost is its monthly cost x
//!   `measured_seconds` / the month;
//! * `once`: each service's window cost is at most its monthly cost (the
//!   same usage; the always-on charges for the window's hours only).

use super::u;
use serde_json::Value;

/// Relative tolerance of sums and products of a handful of doubles.
const REL: f64 = 1e-9;
/// Absolute tolerance [USD]: far below a cent.
const ABS: f64 = 1e-12;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= REL * a.abs().max(b.abs()) + ABS
}

/// The numbers of a map, by key (a non-number reads as NaN, which is
/// never close to anything).
fn entries(v: &Value) -> Vec<(String, f64)> {
    v.as_object()
        .into_iter()
        .flatten()
        .map(|(k, x)| (k.clone(), x.as_f64().unwrap_or(f64::NAN)))
        .collect()
}

/// All the checks above; `projection` is the one the scenario asks for.
pub fn cost_checks(json: &Value, projection: &str) -> Vec<String> {
    let mut p = Vec::new();
    fn neg(v: &Value, path: &str, p: &mut Vec<String>) {
        match v {
            Value::Number(n) if n.as_f64().is_some_and(|x| x < 0.0) => {
                p.push(format!("summary.json: negative cost {n} at {path}"))
            }
            Value::Object(m) => m
                .iter()
                .for_each(|(k, x)| neg(x, &format!("{path}.{k}"), p)),
            _ => {}
        }
    }
    let c = &json["cost"];
    neg(c, "cost", &mut p);
    let requests: u64 = json["workloads"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, w)| u(w, "requests"))
        .sum();
    let per_million = &c["per_million_requests_usd"];
    if (requests == 0) != per_million.is_null() {
        p.push(format!(
            "{requests} requests but cost.per_million_requests_usd = {per_million}"
        ));
    }
    if c["projection"].as_str() != Some(projection) {
        p.push(format!(
            "cost.projection {} != the scenario's {projection:?}",
            c["projection"]
        ));
    }
    let num = |k: &str| c[k].as_f64().unwrap_or(f64::NAN);
    let (monthly, window) = (num("monthly_usd"), num("total_usd"));
    let (by_service, in_window) = (entries(&c["by_service"]), entries(&c["window_by_service"]));
    let sum = |v: &[(String, f64)]| v.iter().map(|x| x.1).sum::<f64>();
    for (what, s, total) in [
        ("by_service", sum(&by_service), monthly),
        ("by_component", sum(&entries(&c["by_component"])), monthly),
        ("window_by_service", sum(&in_window), window),
    ] {
        if !close(s, total) {
            p.push(format!("cost.{what} sums to {s}, not to its total {total}"));
        }
    }
    let keys = |v: &[(String, f64)]| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    if keys(&by_service) != keys(&in_window) {
        p.push(format!(
            "cost.by_service {:?} and cost.window_by_service {:?} list different services",
            keys(&by_service),
            keys(&in_window)
        ));
    }
    let always_on = num("always_on_monthly_usd");
    // (NaN fails too.)
    let within = always_on <= monthly * (1.0 + REL) + ABS;
    if !within {
        p.push(format!(
            "cost.always_on_monthly_usd {always_on} > monthly_usd {monthly}"
        ));
    }
    let share =
        json["measured_seconds"].as_f64().unwrap_or(f64::NAN) / (num("month_hours") * 3600.0);
    for ((service, m), (_, w)) in by_service.iter().zip(&in_window) {
        let ok = match projection {
            "repeat" => close(*w, m * share),
            _ => *w <= m * (1.0 + REL) + ABS,
        };
        if !ok {
            p.push(format!(
                "cost ({projection}): {service} costs {w} in the window and {m} in the month \
                 (window / month = {share})"
            ));
        }
    }
    p
}
