//! The short table a sweep prints at its end: per point its values, the
//! replications that ran to the end, the mean monthly cost and each
//! workload's mean p99 (with their 95 % half-widths when replicated); with
//! SLOs or an objective, the objective, each point's verdict and a line
//! naming the best feasible point (or the nearest one when none is).

use super::manifest::Definition;
use super::stats::Estimate;
use super::table::{self, PointSummary};
use super::verdict::Verdict;
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
    let objective = def.criteria.objective.as_ref();
    if let Some(o) = objective {
        if let Some(i) = find(&o.path.metric).filter(|i| cols.iter().all(|c| c.1 != *i)) {
            cols.push((o.path.metric.clone(), i, 4));
        }
    }
    let slos = !def.criteria.slos.is_empty();
    let best = table::best(def, points);
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(def.sweep.vary.iter().map(|v| v.path.clone()));
    header.push("ok".into());
    header.extend(cols.iter().map(|c| c.0.clone()));
    if slos {
        header.push("verdict".into());
    }
    let mut rows = vec![header];
    for p in points.iter().take(MAX_SHOWN) {
        let mut r = vec![p.point.to_string()];
        r.extend(p.labels.iter().cloned());
        r.push(format!("{}/{}", p.ok, p.runs));
        r.extend(cols.iter().map(|(_, i, d)| shown(&p.metrics[*i], *d)));
        if slos {
            let mut v = table::judge(def, p).verdict.as_str().to_string();
            if best == Some(p.point) {
                v.push_str(" *");
            }
            r.push(v);
        }
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
    if let Some(o) = objective {
        out.push_str(&best_line(def, points, best, o));
    }
    out
}

/// `best: point 3 (f=1024): minimize cost.monthly_usd = 12.3 ± 0.4`, or
/// the nearest point when none is feasible.
fn best_line(
    def: &Definition,
    points: &[PointSummary],
    best: Option<u64>,
    o: &super::verdict::ObjectiveRef,
) -> String {
    let settings = |p: &PointSummary| -> String {
        let v: Vec<String> = def
            .sweep
            .vary
            .iter()
            .zip(&p.labels)
            .map(|(v, l)| format!("{}={l}", v.path))
            .collect();
        v.join(", ")
    };
    if let Some(p) = best.and_then(|b| points.iter().find(|p| p.point == b)) {
        let e = table::judge(def, p).objective;
        let value = e.map_or("-".into(), |e| shown(&e, 4));
        return format!(
            "best feasible point: {} ({}): {} {} = {value}\n",
            p.point,
            settings(p),
            o.direction,
            o.path.metric
        );
    }
    let judged: Vec<_> = points.iter().map(|p| (p, table::judge(def, p))).collect();
    let uncertain = judged
        .iter()
        .filter(|(_, j)| j.verdict == Verdict::Uncertain)
        .count();
    let nearest = judged
        .iter()
        .filter(|(_, j)| j.violation.is_finite())
        .min_by(|a, b| {
            a.1.violation
                .partial_cmp(&b.1.violation)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.0.point.cmp(&b.0.point))
        });
    let mut line = format!("no feasible point ({uncertain} uncertain)");
    if let Some((p, _)) = nearest {
        let _ = write!(line, "; nearest: point {} ({})", p.point, settings(p));
    }
    line.push('\n');
    line
}
