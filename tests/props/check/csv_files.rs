//! The two CSV files of a run: parsing with a fixed header, latency.csv
//! against summary.json's latency summaries, timeseries.csv's buckets.

use super::{bad_number, u};
use serde_json::Value;

/// Parses a CSV with this header; numeric columns finite, not -0.
pub(super) fn csv_rows(
    bytes: &[u8],
    file: &str,
    header: &[&str],
    numeric: &[usize],
    p: &mut Vec<String>,
) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    match r.headers() {
        Ok(h) if h.iter().eq(header.iter().copied()) => {}
        other => p.push(format!("{file}: header {other:?}, expected {header:?}")),
    }
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = match rec {
            Ok(rec) => rec,
            Err(e) => {
                p.push(format!("{file}: row {}: {e}", i + 2));
                continue;
            }
        };
        if rec.len() != header.len() {
            p.push(format!("{file}: row {} has {} fields", i + 2, rec.len()));
            continue;
        }
        for &c in numeric {
            if let Some(e) = bad_number(&rec[c], &[]) {
                p.push(format!("{file}: row {} column {}: {e}", i + 2, header[c]));
            }
        }
        rows.push(rec.iter().map(str::to_string).collect());
    }
    rows
}

fn f(s: &str) -> f64 {
    s.parse().unwrap_or(f64::NAN)
}

/// The rows of latency.csv for one (workload, route): (percentile, ms).
type Group = (String, String, Vec<(f64, f64)>);

/// latency.csv: per (workload, route), percentiles increasing, values
/// non-decreasing, the last at 100 equal to summary.json's max; a table
/// exactly for the latency summaries with samples, agreeing with them.
pub(super) fn latency_checks(json: &Value, rows: &[Vec<String>]) -> Vec<String> {
    let mut p = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for r in rows {
        let (pc, ms) = (f(&r[2]), f(&r[3]));
        match groups.last_mut() {
            Some((w, rt, v)) if *w == r[0] && *rt == r[1] => v.push((pc, ms)),
            _ => {
                if groups.iter().any(|(w, rt, _)| *w == r[0] && *rt == r[1]) {
                    p.push(format!(
                        "latency.csv: ({}, {}) rows are not contiguous",
                        r[0], r[1]
                    ));
                }
                groups.push((r[0].clone(), r[1].clone(), vec![(pc, ms)]));
            }
        }
    }
    let mut expected = Vec::new();
    for (name, w) in json["workloads"].as_object().into_iter().flatten() {
        expected.push((name.clone(), "*".to_string(), &w["latency_ms"]));
        for (route, r) in w["routes"].as_object().into_iter().flatten() {
            expected.push((name.clone(), route.clone(), &r["latency_ms"]));
        }
    }
    for (w, rt, v) in &groups {
        let at = format!("latency.csv ({w:?}, {rt:?})");
        if v.windows(2).any(|x| x[0].0 >= x[1].0) {
            p.push(format!("{at}: percentiles not increasing: {v:?}"));
        }
        if v.windows(2).any(|x| x[0].1 > x[1].1) {
            p.push(format!(
                "{at}: latency not monotone in the percentile: {v:?}"
            ));
        }
        if v.iter().any(|x| !(0.0..=100.0).contains(&x.0)) {
            p.push(format!("{at}: percentile outside 0..=100"));
        }
        let Some((_, _, l)) = expected.iter().find(|(ew, er, _)| ew == w && er == rt) else {
            p.push(format!("{at}: no such workload/route in summary.json"));
            continue;
        };
        let max = l["max"].as_f64();
        if let (Some(last), Some(max)) = (v.last(), max) {
            if v.iter().any(|x| x.1 > max) {
                p.push(format!(
                    "{at}: a percentile above summary.json max {max}: {v:?}"
                ));
            }
            if last.0 == 100.0 && last.1 != max {
                p.push(format!("{at}: p100 {} != summary.json max {max}", last.1));
            }
        }
        for (pc, key) in [(50.0, "p50"), (90.0, "p90"), (99.0, "p99"), (99.9, "p999")] {
            let row = v.iter().find(|x| x.0 == pc).map(|x| x.1);
            if let (Some(a), Some(b)) = (row, l[key].as_f64()) {
                if a != b {
                    p.push(format!("{at}: p{pc} {a} != summary.json {key} {b}"));
                }
            }
        }
    }
    for (w, rt, l) in &expected {
        let has = groups.iter().any(|(gw, gr, _)| gw == w && gr == rt);
        if (u(l, "count") > 0) != has {
            p.push(format!(
                "latency.csv: table for ({w:?}, {rt:?}) present = {has}, but count = {}",
                l["count"]
            ));
        }
    }
    p
}

/// timeseries.csv: bucket starts on the interval recorded in summary.json,
/// non-decreasing, inside the run; the interval at least the requested one.
pub(super) fn timeseries_checks(
    json: &Value,
    rows: &[Vec<String>],
    duration_s: f64,
) -> Vec<String> {
    let mut p = Vec::new();
    let interval = json["timeseries_interval_s"].as_f64();
    if interval.is_none_or(|i| i <= 0.0) {
        p.push(format!(
            "summary.json timeseries_interval_s = {}",
            json["timeseries_interval_s"]
        ));
    }
    let mut last = 0.0;
    for (i, r) in rows.iter().enumerate() {
        let t = f(&r[0]);
        if t < last {
            p.push(format!(
                "timeseries.csv row {}: t_s {t} before {last}",
                i + 2
            ));
            break;
        }
        last = t;
        if t >= duration_s {
            p.push(format!(
                "timeseries.csv row {}: t_s {t} not before the end {duration_s}",
                i + 2
            ));
            break;
        }
        if let Some(iv) = interval {
            let k = t / iv;
            if (k - k.round()).abs() > 1e-6 * k.max(1.0) {
                p.push(format!("timeseries.csv row {}: t_s {t} is not a multiple of timeseries_interval_s {iv}", i + 2));
                break;
            }
        }
    }
    p
}
