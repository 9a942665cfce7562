//! Reading `summary.json` (a JSON value) and saying its numbers for people.

use crate::metrics::text::{thousands, usd};
use serde_json::Value;

pub(super) fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

pub(super) fn u64_at(v: &Value, path: &[&str]) -> Option<u64> {
    at(v, path).and_then(Value::as_u64)
}

pub(super) fn f64_at(v: &Value, path: &[&str]) -> Option<f64> {
    at(v, path)
        .and_then(Value::as_f64)
        .filter(|x| x.is_finite())
}

pub(super) fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(v, path).and_then(Value::as_str)
}

/// `n` as text, `-` when missing.
pub(super) fn count(n: Option<u64>) -> String {
    n.map_or("-".into(), thousands)
}

/// `$x` or `-`.
pub(super) fn dollars(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("${}", usd(v)))
}

/// A JSON value for a person: strings bare, numbers as written, others
/// compact.
pub(super) fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

/// `1200` -> `1,200 s (20 min)`.
pub(super) fn duration(s: f64) -> String {
    let whole = format!("{} s", thousands(s.max(0.0).round() as u64));
    let (v, unit) = if s >= 86_400.0 {
        (s / 86_400.0, "d")
    } else if s >= 3600.0 {
        (s / 3600.0, "h")
    } else if s >= 60.0 {
        (s / 60.0, "min")
    } else {
        return whole;
    };
    let short = format!("{v:.2}");
    let short = short.trim_end_matches('0').trim_end_matches('.');
    format!("{whole} ({short} {unit})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(45.0), "45 s");
        assert_eq!(duration(1200.0), "1,200 s (20 min)");
        assert_eq!(duration(86_400.0), "86,400 s (1 d)");
        assert_eq!(duration(5400.0), "5,400 s (1.5 h)");
    }
}
