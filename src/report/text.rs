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
    if r.start_clock != "00:00:00" {
        let _ = writeln!(out, "t = 0 is {} ([simulation] start)", r.start_clock);
    }
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
    let mut t = Table::new(["cost [USD]", "window", "month (730 h)"]);
    for (service, &monthly) in &c.by_service {
        let window = c.window_by_service.get(service).copied().unwrap_or(0.0);
        t.row([service.clone(), usd(window), usd(monthly)]);
    }
    t.row(["total".to_string(), usd(c.total_usd), usd(c.monthly_usd)]);
    t.render(&mut out);
    let hours = num((r.measured_seconds / 36.0).round() / 100.0);
    let how = if c.projection == "once" {
        format!("the {hours} h window counted once, plus 730 h of the always-on charges")
    } else {
        format!("the {hours} h window repeated to fill 730 h")
    };
    let _ = writeln!(
        out,
        "month = {how} (projection \"{}\"); always-on charges ${} of it",
        c.projection,
        usd(c.always_on_monthly_usd)
    );
    let _ = writeln!(
        out,
        "per million requests: ${}   free tier: {}",
        c.per_million_requests_usd.map_or("-".into(), usd),
        if c.free_tier { "subtracted" } else { "off" }
    );
    if !c.not_priced.is_empty() {
        let _ = writeln!(out, "not priced: {}", c.not_priced.join("; "));
    }
    for n in &c.notes {
        let _ = writeln!(out, "note: {n}");
    }
    findings(r, &mut out);
    crate::slo::text(&r.slos, r.objective.as_ref(), &mut out);
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
