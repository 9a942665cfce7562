//! The short table a sweep prints at its end: per point its values, the
//! replications that ran to the end, the mean monthly cost and each
//! workload's mean p99 (with their 95 % half-widths when replicated).

use super::manifest::Definition;
use super::stats::Estimate;
use super::table::PointSummary;
use std::fmt::Write;

/// Points shown at most; the rest are in `sweep_summary.csv`.
pub const MAX_SHOWN: usize = 40;

/// A mean with its half-width: `12.3 ± 0.4`, `12.3`, or `-`.
fn shown(e: &Estimate, decimals: usize) -> String {
    match (e.mean, e.ci95) {
        (None, _) => "-".into(),
        (Some(m), None) => format!("{m:.decimals$}"),
        (Some(m), Some(h)) => format!("{m:.decimals$} ± {h:.decimals$}"),
    }
}

/// The end-of-sweep table.
pub fn summary_text(def: &Definition, points: &[PointSummary]) -> String {
    let mut cols: Vec<(String, usize, usize)> = Vec::new(); // header, metric, decimals
    let find = |m: &str| def.metrics.iter().position(|c| c == m);
    if let Some(i) = find("cost.monthly_usd") {
        cols.push(("cost $/month".into(), i, 2));
    }
    for (i, m) in def.metrics.iter().enumerate() {
        if let Some(w) = m
            .strip_prefix("workloads.")
            .and_then(|r| r.strip_suffix(".latency_ms.p99"))
        {
            cols.push((format!("{w} p99 ms"), i, 1));
        }
    }
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(def.sweep.vary.iter().map(|v| v.path.clone()));
    header.push("ok".into());
    header.extend(cols.iter().map(|c| c.0.clone()));
    let mut rows = vec![header];
    for p in points.iter().take(MAX_SHOWN) {
        let mut r = vec![p.point.to_string()];
        r.extend(p.labels.iter().cloned());
        r.push(format!("{}/{}", p.ok, p.runs));
        r.extend(cols.iter().map(|(_, i, d)| shown(&p.metrics[*i], *d)));
        rows.push(r);
    }
    let n = rows[0].len();
    let width: Vec<usize> = (0..n)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let w = width[c];
            if c == 0 {
                let _ = write!(line, "{cell:<w$}");
            } else {
                let _ = write!(line, "  {cell:>w$}");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if points.len() > MAX_SHOWN {
        let _ = writeln!(
            out,
            "... and {} more points (sweep_summary.csv has them all)",
            points.len() - MAX_SHOWN
        );
    }
    if def.sweep.replications > 1 {
        out.push_str("± = half-width of the 95 % confidence interval of the mean (Student's t)\n");
    }
    out
}
