//! The charts of one run, from its [`RunResult`]: the latency CDF of every
//! workload; per workload, succeeded and failed requests per second and
//! p50/p99 latency per interval; function concurrency against reserved
//! and account concurrency; cold starts; per table, consumed against
//! provisioned capacity; queue depth; stream iterator age.
//!
//! A chart with nothing to show (no workload traffic, no cold start, no
//! queue) is not made. File names (`NN-what[-component]`) number the
//! charts in the order above, so sorting them by name keeps that order.

use super::cdf::{cdf, Curve};
use super::line::{Limit, Line, LineChart, Marker, Reach};
use super::scale::{number, Axis};
use super::style::Colour;
use super::Chart;
use crate::metrics::Series;
use crate::services::table::CapacityMode;
use crate::sim::RunResult;
use std::collections::HashMap;

/// Series per chart at most (the palette's size): the busiest are drawn.
pub const MAX_LINES: usize = 8;
/// Per-component charts of one kind at most (the busiest components).
pub const MAX_PER_KIND: usize = 12;

/// A chart with the file name it is written under (without extension).
#[derive(Clone, Debug, PartialEq)]
pub struct NamedChart {
    /// File stem, e.g. `01-latency-cdf` or `02-requests-users`.
    pub name: String,
    /// The chart.
    pub chart: Chart,
}

/// Every chart of `result`, in report order.
pub fn run_charts(result: &RunResult) -> Vec<NamedChart> {
    let ctx = Ctx::new(result);
    let mut charts: Vec<(String, Option<String>, LineChart)> = Vec::new();
    if let Some(c) = ctx.latency_cdf() {
        charts.push(("latency-cdf".into(), None, c));
    }
    let workloads = ctx.busiest(
        result.workloads.iter().map(|(n, w)| (n, w.requests as f64)),
        MAX_PER_KIND,
    );
    for name in &workloads {
        if let Some(c) = ctx.requests(name) {
            charts.push(("requests".into(), Some(name.to_string()), c));
        }
    }
    for name in &workloads {
        if let Some(c) = ctx.latency(name) {
            charts.push(("latency".into(), Some(name.to_string()), c));
        }
    }
    if let Some(c) = ctx.concurrency() {
        charts.push(("concurrency".into(), None, c));
    }
    if let Some(c) = ctx.per_interval(
        "Cold starts",
        "cold_starts",
        "functions",
        &ctx.names(&result.functions),
    ) {
        charts.push(("cold-starts".into(), None, c));
    }
    let tables = ctx.busiest(
        result
            .tables
            .iter()
            .map(|(n, t)| (n, t.consumed_rcu + t.consumed_wcu)),
        MAX_PER_KIND,
    );
    for name in &tables {
        if let Some(c) = ctx.capacity(name) {
            charts.push(("capacity".into(), Some(name.to_string()), c));
        }
    }
    if let Some(c) = ctx.levels(
        "Queue depth",
        "visible",
        "visible messages (mean)",
        &ctx.names(&result.queues),
    ) {
        charts.push(("queue-depth".into(), None, c));
    }
    if let Some(c) = ctx.levels(
        "Iterator age",
        "iterator_age_ms",
        "iterator age [ms] (max)",
        &ctx.names(&result.streams),
    ) {
        charts.push(("iterator-age".into(), None, c));
    }
    let mut charts: Vec<(String, Option<String>, Chart)> = charts
        .into_iter()
        .map(|(what, component, c)| (what, component, Chart::Line(c)))
        .collect();
    for t in &result.timelines {
        let chart = Chart::Gantt(super::timeline::chart(t));
        charts.push(("timeline".into(), Some(t.function.clone()), chart));
    }
    let width = if charts.len() > 99 { 3 } else { 2 };
    charts
        .into_iter()
        .enumerate()
        .map(|(i, (what, component, chart))| {
            let mut name = format!("{:0width$}-{what}", i + 1);
            if let Some(c) = component {
                name.push('-');
                name.push_str(&slug(&c));
            }
            NamedChart { name, chart }
        })
        .collect()
}

/// A component name for a file name: lower-case ASCII letters and digits,
/// runs of anything else as one `-`, at most 40 characters.
fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let s: String = s.trim_matches('-').chars().take(40).collect();
    let s = s.trim_end_matches('-');
    if s.is_empty() {
        "component".into()
    } else {
        s.to_string()
    }
}

/// The unit of a time axis spanning `d` seconds: (seconds per unit, name).
pub(super) fn time_unit(d: f64) -> (f64, &'static str) {
    if d <= 180.0 {
        (1.0, "s")
    } else if d <= 3.0 * 3600.0 {
        (60.0, "min")
    } else if d <= 72.0 * 3600.0 {
        (3600.0, "h")
    } else {
        (86_400.0, "d")
    }
}

/// What every chart of a run shares: the series by (component, metric),
/// the time axis.
struct Ctx<'a> {
    result: &'a RunResult,
    series: HashMap<(&'a str, &'a str), &'a Series>,
    /// Seconds per unit of the time axis.
    unit_s: f64,
    unit: &'static str,
    /// Width of one interval \[s\].
    interval_s: f64,
}

impl<'a> Ctx<'a> {
    fn new(result: &'a RunResult) -> Ctx<'a> {
        let mut series = HashMap::new();
        for s in &result.timeseries.series {
            series
                .entry((s.component.as_str(), s.metric.as_str()))
                .or_insert(s);
        }
        let (unit_s, unit) = time_unit(result.simulated_seconds);
        Ctx {
            result,
            series,
            unit_s,
            unit,
            interval_s: result.timeseries.interval_s,
        }
    }

    fn values(&self, component: &str, metric: &str) -> Option<&'a [f64]> {
        self.series
            .get(&(component, metric))
            .map(|s| s.values.as_slice())
    }

    /// The names of a section's components, in scenario order.
    fn names<T>(&self, section: &'a indexmap::IndexMap<String, T>) -> Vec<&'a str> {
        section.keys().map(String::as_str).collect()
    }

    /// The `max` names with the largest weight (positive only), in their
    /// original order.
    fn busiest<'n>(
        &self,
        items: impl Iterator<Item = (&'n String, f64)>,
        max: usize,
    ) -> Vec<&'n str> {
        let mut v: Vec<(usize, &'n str, f64)> = items
            .enumerate()
            .filter(|(_, (_, w))| w.is_finite() && *w > 0.0)
            .map(|(i, (n, w))| (i, n.as_str(), w))
            .collect();
        v.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        v.truncate(max);
        v.sort_by_key(|e| e.0);
        v.into_iter().map(|e| e.1).collect()
    }

    fn interval(&self) -> String {
        format!("{} s", number(self.interval_s, 0.0))
    }

    /// A time chart: x in the run's time unit, the warm-up's end marked.
    fn time_chart(&self, title: String, y_label: impl Into<String>) -> LineChart {
        let mut c = LineChart::new(
            title,
            Axis::linear(format!("time since start [{}]", self.unit)),
            Axis::linear(y_label),
        );
        let warmup = self.result.simulated_seconds - self.result.measured_seconds;
        if warmup > 0.0 {
            c.markers.push(Marker {
                label: "warm-up end".into(),
                x: warmup / self.unit_s,
            });
        }
        c
    }

    /// (time, value) for each interval of `values`, `None` where `keep`
    /// says the interval has no value.
    fn points(&self, values: &[f64], keep: impl Fn(usize) -> bool) -> Vec<(f64, Option<f64>)> {
        values
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let t = i as f64 * self.interval_s / self.unit_s;
                (t, (keep(i) && v.is_finite()).then_some(v))
            })
            .collect()
    }

    fn latency_cdf(&self) -> Option<LineChart> {
        let r = self.result;
        let shown = self.busiest(
            r.workloads
                .iter()
                .map(|(n, w)| (n, w.latency_ms.count as f64)),
            MAX_LINES,
        );
        let curves: Vec<Curve> = shown
            .iter()
            .map(|name| Curve {
                label: name.to_string(),
                points: r.workloads[*name]
                    .latency_ms
                    .table
                    .iter()
                    .filter(|(_, ms)| ms.is_finite())
                    .map(|&(p, ms)| (ms, p / 100.0))
                    .collect(),
            })
            .collect();
        if curves.iter().all(|c| c.points.is_empty()) {
            return None;
        }
        let mut c = cdf(
            format!("Latency CDF — {}", r.scenario),
            "latency of succeeded requests [ms]",
            curves,
        );
        let with = r
            .workloads
            .values()
            .filter(|w| w.latency_ms.count > 0)
            .count();
        if with > shown.len() {
            c.notes.push(format!(
                "the {} of {with} workloads with the most requests",
                shown.len()
            ));
        }
        Some(c)
    }

    fn requests(&self, name: &str) -> Option<LineChart> {
        let ok = self.values(name, "succeeded_rps")?;
        let failed = self.values(name, "unsuccessful_rps")?;
        if ok.iter().chain(failed).all(|v| *v == 0.0) {
            return None;
        }
        let mut c = self.time_chart(format!("Requests per second — {name}"), "requests/s");
        c.lines
            .push(Line::new("succeeded", self.points(ok, |_| true)).colour(Colour::OK));
        c.lines
            .push(Line::new("failed", self.points(failed, |_| true)).colour(Colour::FAILED));
        c.notes.push(format!(
            "mean per {} interval, by the time the request ended",
            self.interval()
        ));
        Some(c)
    }

    fn latency(&self, name: &str) -> Option<LineChart> {
        let ok = self.values(name, "succeeded_rps")?;
        let p50 = self.values(name, "latency_p50_ms")?;
        let p99 = self.values(name, "latency_p99_ms")?;
        // No succeeded request in an interval: no percentile (a gap).
        let served = |i: usize| ok.get(i).is_some_and(|v| *v > 0.0);
        if !(0..ok.len()).any(served) {
            return None;
        }
        let mut c = self.time_chart(format!("Latency per interval — {name}"), "latency [ms]");
        c.lines
            .push(Line::new("p99", self.points(p99, served)).colour(Colour::series(3)));
        c.lines
            .push(Line::new("p50", self.points(p50, served)).colour(Colour::series(0)));
        c.notes.push(format!(
            "succeeded requests ending in each {} interval; gaps: none ended",
            self.interval()
        ));
        Some(c)
    }

    fn concurrency(&self) -> Option<LineChart> {
        let r = self.result;
        let shown = self.busiest(
            r.functions
                .iter()
                .map(|(n, f)| (n, f.max_concurrency as f64)),
            MAX_LINES,
        );
        if shown.is_empty() {
            return None;
        }
        let mut c = self.time_chart(
            "Function concurrency".to_string(),
            format!("concurrent executions (peak per {})", self.interval()),
        );
        for (i, name) in shown.iter().enumerate() {
            let Some(v) = self.values(name, "concurrency_max") else {
                continue;
            };
            let colour = Colour::series(i);
            c.lines
                .push(Line::new(*name, self.points(v, |_| true)).colour(colour));
            if let Some(reserved) = r.functions[*name].reserved_concurrency {
                c.limits.push(Limit {
                    colour: Some(colour),
                    ..Limit::new(format!("{name}: reserved {reserved}"), f64::from(reserved))
                });
            }
        }
        // The account's limit: what an unreserved function may reach.
        let account = r
            .functions
            .iter()
            .filter(|(_, f)| f.reserved_concurrency.is_none())
            .find_map(|(n, _)| self.values(n, "concurrency_limit")?.first().copied());
        if let Some(a) = account.filter(|a| a.is_finite() && *a > 0.0) {
            c.limits.push(Limit {
                reach: Reach::Near,
                ..Limit::new(format!("account concurrency {}", number(a, 0.0)), a)
            });
        }
        let ran = r
            .functions
            .values()
            .filter(|f| f.max_concurrency > 0)
            .count();
        if ran > shown.len() {
            c.notes.push(format!(
                "the {} of {ran} functions with the highest peaks",
                shown.len()
            ));
        }
        Some(c)
    }

    /// A chart of a count per interval (`metric`) for the components with
    /// any, the busiest [`MAX_LINES`].
    fn per_interval(
        &self,
        title: &str,
        metric: &str,
        what: &str,
        names: &[&str],
    ) -> Option<LineChart> {
        let totals = names.iter().filter_map(|n| {
            let v = self.values(n, metric)?;
            Some((n, v.iter().filter(|x| x.is_finite()).sum::<f64>()))
        });
        let owned: Vec<(String, f64)> = totals.map(|(n, t)| (n.to_string(), t)).collect();
        let shown = self.busiest(owned.iter().map(|(n, t)| (n, *t)), MAX_LINES);
        if shown.is_empty() {
            return None;
        }
        let mut c = self.time_chart(
            title.to_string(),
            format!("{} per {}", title.to_lowercase(), self.interval()),
        );
        for name in &shown {
            if let Some(v) = self.values(name, metric) {
                c.lines.push(Line::new(*name, self.points(v, |_| true)));
            }
        }
        let any = owned.iter().filter(|(_, t)| *t > 0.0).count();
        if any > shown.len() {
            c.notes
                .push(format!("the {} of {any} {what} with the most", shown.len()));
        }
        Some(c)
    }

    /// A chart of a level per interval (`metric`) for the components whose
    /// level is ever above 0, the busiest [`MAX_LINES`] by peak.
    fn levels(
        &self,
        title: &str,
        metric: &str,
        y_label: &str,
        names: &[&str],
    ) -> Option<LineChart> {
        let owned: Vec<(String, f64)> = names
            .iter()
            .filter_map(|n| {
                let v = self.values(n, metric)?;
                Some((
                    n.to_string(),
                    v.iter()
                        .copied()
                        .filter(|x| x.is_finite())
                        .fold(0.0, f64::max),
                ))
            })
            .collect();
        let shown = self.busiest(owned.iter().map(|(n, t)| (n, *t)), MAX_LINES);
        if shown.is_empty() {
            return None;
        }
        let mut c = self.time_chart(title.to_string(), y_label);
        for name in &shown {
            if let Some(v) = self.values(name, metric) {
                c.lines.push(Line::new(*name, self.points(v, |_| true)));
            }
        }
        c.notes.push(format!("per {} interval", self.interval()));
        Some(c)
    }

    fn capacity(&self, name: &str) -> Option<LineChart> {
        let t = &self.result.tables[name];
        let mut c = self.time_chart(format!("Table capacity — {name}"), "capacity units/s");
        let (limit, what) = match t.mode {
            CapacityMode::Provisioned => ("provisioned", "provisioned"),
            CapacityMode::OnDemand => ("capacity", "on-demand capacity"),
        };
        for (i, unit) in ["rcu", "wcu"].into_iter().enumerate() {
            let colour = Colour::series(i);
            let upper = unit.to_uppercase();
            if let Some(v) = self.values(name, &format!("consumed_{unit}")) {
                c.lines.push(
                    Line::new(format!("consumed {upper}"), self.points(v, |_| true)).colour(colour),
                );
            }
            if let Some(v) = self.values(name, &format!("{limit}_{unit}")) {
                if v.iter().any(|x| *x > 0.0) {
                    let line = Line::new(format!("{what} {upper}"), self.points(v, |_| true))
                        .colour(colour);
                    // Provisioned capacity is what the chart is about; an
                    // on-demand table's capacity is far above its use.
                    c.lines.push(match t.mode {
                        CapacityMode::Provisioned => line.limit(),
                        CapacityMode::OnDemand => line.limit_near(),
                    });
                }
            }
        }
        c.notes
            .push(format!("consumed: mean per {} interval", self.interval()));
        let used = ["rcu", "wcu"].iter().any(|u| {
            self.values(name, &format!("consumed_{u}"))
                .is_some_and(|v| v.iter().any(|x| *x > 0.0))
        });
        used.then_some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn component_names_become_safe_file_names() {
        assert_eq!(slug("users"), "users");
        assert_eq!(slug("Get Todo/v2"), "get-todo-v2");
        assert_eq!(slug("../..//etc"), "etc");
        assert_eq!(slug("ünïcödé"), "n-c-d");
        assert_eq!(slug("日本"), "component");
        assert_eq!(slug(&"a".repeat(100)).len(), 40);
    }
}
