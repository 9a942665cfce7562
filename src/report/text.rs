//! The human summary: what a person reads in ten seconds after a run.

use crate::metrics::text::{num, thousands, usd, Table};
use crate::sim::RunResult;
use std::fmt::Write;

/// A short plain-text summary: each kind's rows (one per component, see
/// `services`), then the cost. Columns are aligned with spaces; no colour.
pub fn summary_text(r: &RunResult) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: seed {}, {} s simulated ({} s measured), {} events in {:.2} s",
        r.scenario,
        r.seed,
        num(r.simulated_seconds),
        num(r.measured_seconds),
        thousands(r.events),
        r.wall_seconds
    );
    if let Some(stop) = &r.stopped_early {
        let _ = writeln!(
            out,
            "STOPPED EARLY at simulated t = {} s; the figures below cover the run up to there.\n  \
             reason: {}",
            num(stop.at_s),
            stop.reason
        );
    }

    r.sections.text(&mut out);

    let c = &r.cost;
    let window_share = if c.monthly_usd > 0.0 {
        c.total_usd / c.monthly_usd
    } else {
        0.0
    };
    let mut t = Table::new(["cost [USD]", "window", "month (730 h)"]);
    for (service, &monthly) in &c.by_service {
        t.row([service.clone(), usd(monthly * window_share), usd(monthly)]);
    }
    t.row(["total".to_string(), usd(c.total_usd), usd(c.monthly_usd)]);
    t.render(&mut out);
    let _ = writeln!(
        out,
        "per million requests: ${}   free tier: {}",
        c.per_million_requests_usd.map_or("-".into(), usd),
        if c.free_tier { "subtracted" } else { "off" }
    );
    findings(r, &mut out);
    out
}

/// The findings block: one line per finding, after the cost.
fn findings(r: &RunResult, out: &mut String) {
    if r.findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "findings:");
    for f in &r.findings {
        let _ = writeln!(out, "  - {}: {}", f.component, f.message);
    }
}
