//! A diff for people: one aligned table (A, B, the change, relative
//! change; with replications each mean ± its 95 % confidence half-width,
//! Welch's p-value and a `*` when significant at 5 %), then the findings
//! added and removed.

use std::fmt::Write;

use super::{Diff, Group, Row, SideInfo, Unit, SIGNIFICANCE};
use crate::metrics::text::{thousands, usd, Table};
use crate::stats::MeanCi;

/// `v` to `digits` significant digits, without an exponent.
fn sig(v: f64, digits: i32) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{}", v + 0.0);
    }
    let mag = v.abs().log10().floor() as i32;
    let decimals = (digits - 1 - mag).max(0) as usize;
    format!("{:.*}", decimals, v + 0.0)
}

/// A count: digit groups when whole, one decimal otherwise (a mean).
fn count(v: f64) -> String {
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    if a.fract() == 0.0 && a < 1e18 {
        format!("{sign}{}", thousands(a as u64))
    } else {
        let whole = thousands(a.trunc() as u64);
        let tenth = format!("{:.1}", a.fract());
        // "0.96" rounds to "1.0": carry into the whole part.
        if tenth.starts_with('1') {
            format!("{sign}{}.0", thousands(a.trunc() as u64 + 1))
        } else {
            format!("{sign}{whole}{}", &tenth[1..])
        }
    }
}

/// A value in its unit.
fn value(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Ms => format!("{:.2}", v + 0.0),
        Unit::Ratio => sig(v, 3),
        Unit::Count => count(v),
        Unit::Usd => usd(v),
    }
}

/// A change, signed.
fn signed(unit: Unit, v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let s = value(unit, v);
    if v > 0.0 && !s.starts_with('-') {
        format!("+{s}")
    } else {
        s
    }
}

/// A side's cell: the value, or mean ± half-width with replications.
fn cell(unit: Unit, m: Option<MeanCi>) -> String {
    match m {
        None => "-".into(),
        Some(m) => match m.ci95 {
            // Dollars: the half-width to the mean's cents.
            Some(h) if unit == Unit::Usd && m.mean.abs() >= 1.0 => {
                format!("{} ± {:.2}", value(unit, m.mean), h)
            }
            // Counts: a mean of counts, one decimal on both sides of ±.
            Some(h) if unit == Unit::Count => {
                let tenth = |v: f64| match count(v) {
                    s if s.contains('.') => s,
                    s => format!("{s}.0"),
                };
                format!("{} ± {}", tenth(m.mean), tenth(h))
            }
            Some(h) => format!("{} ± {}", value(unit, m.mean), value(unit, h)),
            None => value(unit, m.mean),
        },
    }
}

fn label(g: &Group, r: &Row) -> String {
    let name = match (g.kind, r.metric.as_str()) {
        (_, "latency_ms.p50") => "p50 ms",
        (_, "latency_ms.p99") => "p99 ms",
        (_, "latency_ms.mean") => "mean ms",
        (_, "error_ratio") => "error ratio",
        (_, "throttled") => "throttled",
        ("workload", "cold_succeeded") => "met a cold start",
        (_, "mean_duration_ms") => "duration ms (mean)",
        (_, "cold_starts") => "cold starts",
        (_, "throttles") => "throttles",
        (_, "monthly_usd") => "total",
        (_, m) => m.strip_prefix("by_service.").unwrap_or(m),
    };
    format!("  {name}")
}

fn heading(g: &Group) -> String {
    let only = match g.only_in {
        Some("a") => " (only in A)",
        Some(_) => " (only in B)",
        None => "",
    };
    match &g.name {
        Some(n) => format!("{} {n}{only}", g.kind),
        None => "cost [USD/month]".into(),
    }
}

fn side(name: &str, s: &SideInfo) -> String {
    let runs = crate::scenario::numbers::count(s.runs, "run");
    let seeds: Vec<String> = s.seeds.iter().take(4).map(u64::to_string).collect();
    let more = if s.seeds.len() > 4 { ", ..." } else { "" };
    let what = s.scenario.as_deref().unwrap_or("?");
    format!(
        "{name}: {} ({what}, {runs}, seed{} {}{more})",
        s.source,
        if s.seeds.len() == 1 { "" } else { "s" },
        seeds.join(", ")
    )
}

fn render<const N: usize>(header: [&str; N], rows: Vec<Vec<String>>, out: &mut String) {
    let mut t = Table::new(header);
    for r in rows {
        let mut cells: [String; N] = std::array::from_fn(|_| String::new());
        for (c, v) in cells.iter_mut().zip(r) {
            *c = v;
        }
        t.row(cells);
    }
    t.render(out);
}

/// The diff as text.
pub fn diff_text(d: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", side("A", &d.a));
    let _ = writeln!(out, "{}", side("B", &d.b));
    let tested = d
        .groups
        .iter()
        .flat_map(|g| &g.rows)
        .any(|r| r.welch.is_some());
    let mut rows = Vec::new();
    for g in &d.groups {
        rows.push(vec![heading(g)]);
        for r in &g.rows {
            let mut cells = vec![
                label(g, r),
                cell(r.unit, r.a),
                cell(r.unit, r.b),
                r.change.map_or("-".into(), |c| signed(r.unit, c)),
                r.relative.map_or("-".into(), |x| {
                    let s = format!("{:+.1}%", 100.0 * x);
                    if s == "+0.0%" || s == "-0.0%" {
                        if x == 0.0 { "0%" } else { "~0%" }.into()
                    } else {
                        s
                    }
                }),
            ];
            if tested {
                let p = r.welch.map_or("-".into(), |w| {
                    if w.p < 0.001 {
                        "<0.001".into()
                    } else {
                        format!("{:.3}", w.p)
                    }
                });
                cells.push(p);
                cells.push(if r.significant == Some(true) { "*" } else { "" }.into());
            }
            rows.push(cells);
        }
    }
    if tested {
        render(
            [
                "",
                "A (mean ± 95% CI)",
                "B (mean ± 95% CI)",
                "change",
                "relative",
                "p",
                "",
            ],
            rows,
            &mut out,
        );
        let _ = writeln!(
            out,
            "p: Welch's t-test of equal means; * significant at {} %",
            SIGNIFICANCE * 100.0
        );
    } else {
        render(["", "A", "B", "change", "relative"], rows, &mut out);
    }
    let f = &d.findings;
    if f.added.is_empty() && f.removed.is_empty() {
        let _ = writeln!(out, "findings: none added or removed");
    }
    for (title, list) in [
        ("added (in B only)", &f.added),
        ("removed (in A only)", &f.removed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "findings {title}:");
        for x in list {
            let _ = writeln!(out, "  - {}: {}", x.component, x.message);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(sig(0.000439367, 3), "0.000439");
        assert_eq!(sig(12.345, 3), "12.3");
        assert_eq!(sig(0.0, 3), "0");
        assert_eq!(count(1234567.0), "1,234,567");
        assert_eq!(count(-3.0), "-3");
        assert_eq!(count(2.3), "2.3");
        assert_eq!(count(9.96), "10.0");
        assert_eq!(signed(Unit::Ms, 1.5), "+1.50");
        assert_eq!(signed(Unit::Ms, -1.5), "-1.50");
        assert_eq!(signed(Unit::Count, 0.0), "0");
    }
}
