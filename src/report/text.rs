//! The human summary: what a person reads in ten seconds after a run.

use crate::metrics::RunResult;
use std::fmt::Write;

/// A short plain-text summary: one line per workload, API, function and
/// table, then the cost. Columns are aligned with spaces; no colour.
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

    if !r.workloads.is_empty() {
        let mut t = Table::new([
            "workload",
            "requests",
            "ok",
            "throttled",
            "failed",
            "timed out",
            "in flight",
            "p50 ms",
            "p99 ms",
        ]);
        for (name, w) in &r.workloads {
            t.row([
                name.clone(),
                thousands(w.requests),
                percent(w.succeeded, w.requests),
                thousands(w.throttled),
                thousands(w.failed),
                thousands(w.timed_out),
                thousands(w.in_flight),
                ms(w.latency_ms.p50),
                ms(w.latency_ms.p99),
            ]);
        }
        t.render(&mut out);
    }

    if !r.apis.is_empty() {
        let mut t = Table::new(["api", "requests", "throttled", "cache hits"]);
        for (name, a) in &r.apis {
            t.row([
                name.clone(),
                thousands(a.requests),
                thousands(a.throttled),
                thousands(a.cache_hits),
            ]);
        }
        t.render(&mut out);
    }

    if !r.functions.is_empty() {
        let mut t = Table::new([
            "function",
            "invocations",
            "cold starts",
            "cold",
            "throttles",
            "errors",
            "max conc",
            "mean conc",
        ]);
        for (name, f) in &r.functions {
            t.row([
                name.clone(),
                thousands(f.invocations),
                thousands(f.cold_starts),
                percent(f.cold_starts, f.invocations),
                thousands(f.throttles),
                thousands(f.errors),
                thousands(f.max_concurrency),
                format!("{:.2}", f.mean_concurrency),
            ]);
        }
        t.render(&mut out);
    }

    if !r.tables.is_empty() {
        let mut t = Table::new([
            "table",
            "reads",
            "writes",
            "throttled",
            "RCU used",
            "WCU used",
        ]);
        for (name, tb) in &r.tables {
            t.row([
                name.clone(),
                thousands(tb.reads),
                thousands(tb.writes),
                thousands(tb.throttled),
                units(tb.consumed_rcu),
                units(tb.consumed_wcu),
            ]);
        }
        t.render(&mut out);
    }

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
    out
}

/// Columns: the first left-aligned, the others right-aligned.
struct Table<const N: usize> {
    rows: Vec<[String; N]>,
}

impl<const N: usize> Table<N> {
    fn new(header: [&str; N]) -> Self {
        Table {
            rows: vec![header.map(str::to_string)],
        }
    }

    fn row(&mut self, cells: [String; N]) {
        self.rows.push(cells);
    }

    fn render(&self, out: &mut String) {
        let mut width = [0usize; N];
        for row in &self.rows {
            for (w, cell) in width.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        out.push('\n');
        for row in &self.rows {
            let mut line = String::new();
            for (i, (cell, w)) in row.iter().zip(width).enumerate() {
                if i == 0 {
                    let _ = write!(line, "{cell:<w$}");
                } else {
                    let _ = write!(line, "  {cell:>w$}");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
}

/// `1234567` -> `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut s = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            s.push(',');
        }
        s.push(c);
    }
    s
}

/// Capacity units: one decimal below 1,000, whole and grouped above.
fn units(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1000.0 {
        let s = thousands(v.abs().round() as u64);
        if v < 0.0 {
            format!("-{s}")
        } else {
            s
        }
    } else {
        format!("{v:.1}")
    }
}

/// `part / whole` as a percentage, `-` when `whole` is 0; small non-zero
/// shares keep two significant digits (a 0.0016 % cold-start rate is not 0).
fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "-".into();
    }
    let p = part as f64 / whole as f64 * 100.0;
    // Small shares keep two significant digits; a small gap to 100 % keeps
    // one, so that "100.00%" means all, and "0.00%" none.
    if p > 0.0 && p < 0.01 {
        let decimals = ((-p.log10()).floor() as usize + 2).min(12);
        format!("{p:.decimals$}%")
    } else if part < whole && p > 99.99 {
        let gap = (whole - part) as f64 / whole as f64 * 100.0;
        let decimals = ((-gap.log10()).floor() as usize + 1).min(12);
        // Truncate, not round: never print 100 for a share below it.
        let scale = 10f64.powi(decimals as i32);
        let shown = (p * scale).floor() / scale;
        format!("{shown:.decimals$}%")
    } else {
        format!("{p:.2}%")
    }
}

/// Milliseconds to 0.1 ms, or `-` when undefined.
fn ms(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{:.1}", v + 0.0))
}

/// Dollars: cents from $1 up, four decimals below (windows are often short).
fn usd(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v.abs() < 1.0 {
        return format!("{v:.4}");
    }
    let cents = (v.abs() * 100.0).round() as u64;
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{sign}{}.{:02}", thousands(cents / 100), cents % 100)
}

/// Seconds to the millisecond, without trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn dollars_group_thousands_and_keep_small_amounts() {
        assert_eq!(usd(1257.554), "1,257.55");
        assert_eq!(usd(18.74), "18.74");
        assert_eq!(usd(0.00291), "0.0029");
        assert_eq!(usd(0.0), "0.0000");
        assert_eq!(usd(-2.5), "-2.50");
    }

    #[test]
    fn seconds_drop_trailing_zeros() {
        assert_eq!(num(120.0000001), "120");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-0.0), "0");
    }

    #[test]
    fn percent_of_zero_is_a_dash() {
        assert_eq!(percent(1, 0), "-");
        assert_eq!(percent(1, 8), "12.50%");
        assert_eq!(percent(89, 5_697_373), "0.0016%");
        assert_eq!(percent(0, 5), "0.00%");
        // Two of 10,359,438 still in flight: not 100 %.
        assert_eq!(percent(10_359_436, 10_359_438), "99.99998%");
        assert_eq!(percent(9_999, 10_000), "99.99%");
        assert_eq!(percent(5, 5), "100.00%");
    }
}
