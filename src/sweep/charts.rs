//! The charts of a sweep, made from its per-point summary (the rows of
//! `sweep_summary.csv`) and its [`Definition`] only, so that `slsim merge`
//! draws the same charts as the unsharded sweep.
//!
//! * **Power Tuning** (first): for each varied field that is a function's
//!   memory (`lambda.NAME.memory_mb`) whose mean duration and cost per
//!   invocation are columns, that function's duration and cost per
//!   invocation against memory, with the cheapest, fastest and balanced
//!   sizes marked ([`PowerTuning`]).
//! * **Heatmap**, with two or more varied fields: the objective's metric
//!   (else `cost.monthly_usd`) over the first two fields, the others at
//!   their first value.
//! * **Curves**: the key metrics against the first varied field, the mean
//!   with its 95 % confidence interval as a band, SLO bounds as limit
//!   lines. Key metrics: the objective's and each SLO's, else the monthly
//!   cost, then per workload its p99 latency and its throttled and failed
//!   requests (those two only if any point has some); at most
//!   [`MAX_CURVES`] charts. With a second varied field, one line per value
//!   of it (its first [`MAX_LINES`] values; a note names how many more
//!   there are); further fields at their first value.
//!
//! A numeric field (every value a number) is a numeric axis with ticks at
//! its values, on a log scale when all are positive and the largest is at
//! least [`LOG_RATIO`] times the smallest (memory sizes); another field is
//! an axis of categories in grid order.

use super::manifest::Definition;
use super::stats::Estimate;
use super::table::PointSummary;
use crate::plot::{self, Axis, Chart, Heatmap, Limit, Line, LineChart, NamedChart, PowerTuning};

/// Curve charts at most.
pub const MAX_CURVES: usize = 12;
/// Lines per curve chart at most (the palette's size).
pub const MAX_LINES: usize = 8;
/// Power Tuning charts at most (one per memory field).
pub const MAX_POWER: usize = 4;
/// A positive numeric field spanning at least this ratio is drawn on a
/// log axis.
pub const LOG_RATIO: f64 = 8.0;

/// Every chart of a sweep, in file-name order (`NN-power-tuning-F`,
/// `NN-heatmap-M`, `NN-sweep-M`). Empty when nothing is varied.
pub fn sweep_charts(def: &Definition, points: &[PointSummary]) -> Vec<NamedChart> {
    let vary = &def.sweep.vary;
    if vary.is_empty() || points.is_empty() {
        return Vec::new();
    }
    let grid = Grid { def, points };
    let mut charts: Vec<(String, Chart)> = Vec::new();
    for (f, v) in vary.iter().enumerate() {
        if charts.len() >= MAX_POWER {
            break;
        }
        if let Some(c) = grid.power(f, &v.path) {
            charts.push(c);
        }
    }
    if vary.len() >= 2 {
        if let Some(c) = grid.heatmap() {
            charts.push(c);
        }
    }
    for m in grid.key_metrics() {
        if let Some(c) = grid.curves(&m) {
            charts.push(c);
        }
    }
    charts
        .into_iter()
        .enumerate()
        .map(|(i, (name, chart))| NamedChart {
            name: format!("{:02}-{name}", i + 1),
            chart,
        })
        .collect()
}

/// A file-name part: lower-case ASCII letters and digits, other runs as
/// one `-`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The values of a varied field as numbers, if they all are.
fn numbers(labels: &[String]) -> Option<Vec<f64>> {
    labels
        .iter()
        .map(|l| l.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect()
}

/// Mean and confidence interval of an estimate.
fn band(e: &Estimate) -> (Option<f64>, Option<(f64, f64)>) {
    match (e.mean, e.ci95) {
        (Some(m), Some(h)) => (Some(m), Some((m - h, m + h))),
        (m, _) => (m, None),
    }
}

struct Grid<'a> {
    def: &'a Definition,
    points: &'a [PointSummary],
}

impl Grid<'_> {
    fn column(&self, metric: &str) -> Option<usize> {
        self.def.metrics.iter().position(|m| m == metric)
    }

    /// The point at these value indices (one per varied field).
    fn point(&self, coords: &[usize]) -> Option<&PointSummary> {
        let mut index = 0u64;
        for (c, v) in coords.iter().zip(&self.def.sweep.vary) {
            index = index * v.values.len() as u64 + *c as u64;
        }
        self.points.iter().find(|p| p.point == index)
    }

    /// The estimate of column `m` with field `f` at value `i`, field `g`
    /// (if any) at value `j`, the others at their first value.
    fn at(&self, m: usize, f: usize, i: usize, g: Option<(usize, usize)>) -> Option<&Estimate> {
        let mut coords = vec![0; self.def.sweep.vary.len()];
        coords[f] = i;
        if let Some((g, j)) = g {
            coords[g] = j;
        }
        self.point(&coords)?.metrics.get(m)
    }

    /// The x axis of field `f`: its axis, each value's x, the categories.
    fn x_axis(&self, f: usize) -> (Axis, Vec<f64>, Vec<String>) {
        let v = &self.def.sweep.vary[f];
        match numbers(&v.labels) {
            Some(xs) => {
                let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let axis = if lo > 0.0 && hi >= lo * LOG_RATIO {
                    Axis::log(format!("{} (log scale)", v.path))
                } else {
                    Axis::linear(v.path.clone())
                };
                (axis, xs, Vec::new())
            }
            None => {
                let xs = (0..v.labels.len()).map(|i| i as f64 + 0.5).collect();
                (Axis::linear(v.path.clone()), xs, v.labels.clone())
            }
        }
    }

    /// Notes naming the fields held at their first value.
    fn held(&self, shown: &[usize]) -> Vec<String> {
        let held: Vec<String> = (0..self.def.sweep.vary.len())
            .filter(|f| !shown.contains(f))
            .map(|f| {
                let v = &self.def.sweep.vary[f];
                format!("{} = {}", v.path, v.labels[0])
            })
            .collect();
        if held.is_empty() {
            Vec::new()
        } else {
            vec![format!(
                "other varied fields at their first value: {}",
                held.join(", ")
            )]
        }
    }

    /// The metrics drawn as curves, in order.
    fn key_metrics(&self) -> Vec<String> {
        let goals = &self.def.criteria;
        let mut out: Vec<String> = Vec::new();
        let push = |m: &str, out: &mut Vec<String>| {
            if self.column(m).is_some() && !out.iter().any(|o| o == m) {
                out.push(m.to_string());
            }
        };
        let named = goals
            .objective
            .iter()
            .map(|o| o.path.metric.as_str())
            .chain(goals.slos.iter().map(|s| s.path.metric.as_str()));
        for m in named {
            push(m, &mut out);
        }
        if out.is_empty() {
            // Throttled and failed requests only where some point has any.
            let some = |m: &str| {
                self.column(m).is_some_and(|c| {
                    self.points
                        .iter()
                        .any(|p| p.metrics[c].mean.is_some_and(|v| v > 0.0))
                })
            };
            push("cost.monthly_usd", &mut out);
            for m in &self.def.metrics {
                let Some(w) = m
                    .strip_prefix("workloads.")
                    .and_then(|r| r.strip_suffix(".latency_ms.p99"))
                else {
                    continue;
                };
                push(m, &mut out);
                for f in ["throttled", "failed"] {
                    let c = format!("workloads.{w}.{f}");
                    if some(&c) {
                        push(&c, &mut out);
                    }
                }
            }
        }
        out.truncate(MAX_CURVES);
        out
    }

    /// Curves of metric `metric` against the first field, one line per
    /// value of the second.
    fn curves(&self, metric: &str) -> Option<(String, Chart)> {
        let m = self.column(metric)?;
        let vary = &self.def.sweep.vary;
        let (x, xs, cats) = self.x_axis(0);
        let goals = &self.def.criteria;
        let objective = goals.objective.as_ref().filter(|o| o.path.metric == metric);
        let slos: Vec<_> = goals
            .slos
            .iter()
            .filter(|s| s.path.metric == metric)
            .collect();
        let title = match (objective, slos.first()) {
            (Some(o), _) => format!("Objective: {} {metric}", o.direction),
            (None, Some(s)) if s.label() != metric => format!("SLO {}: {metric}", s.label()),
            (None, Some(_)) => format!("SLO: {metric}"),
            (None, None) => metric.to_string(),
        };
        let mut chart = LineChart::new(title, x, Axis::linear(format!("{metric} (mean, 95 % CI)")));
        chart.x_categories = cats;
        chart.x_ticks_at_data = true;
        let line = |label: String, g: Option<(usize, usize)>| {
            let pts = xs.iter().enumerate().map(|(i, &x)| {
                let (mean, ci) = self.at(m, 0, i, g).map_or((None, None), band);
                (x, mean, ci)
            });
            Line::with_band(label, pts.collect::<Vec<_>>()).markers()
        };
        let mut shown = vec![0];
        if vary.len() >= 2 {
            shown.push(1);
            let second = &vary[1];
            for (j, l) in second.labels.iter().enumerate().take(MAX_LINES) {
                chart.lines.push(line(l.clone(), Some((1, j))));
            }
            chart
                .notes
                .push(format!("one line per value of {}", second.path));
            if second.labels.len() > MAX_LINES {
                chart.notes.push(format!(
                    "{} more values of {} not drawn (see sweep_summary.csv)",
                    second.labels.len() - MAX_LINES,
                    second.path
                ));
            }
        } else {
            chart.lines.push(line("mean".into(), None));
        }
        chart.notes.extend(self.held(&shown));
        for s in &slos {
            let num = crate::metrics::text::num;
            if let Some(max) = s.max {
                chart
                    .limits
                    .push(Limit::new(format!("SLO {} ≤ {}", s.label(), num(max)), max));
            }
            if let Some(min) = s.min {
                chart
                    .limits
                    .push(Limit::new(format!("SLO {} ≥ {}", s.label(), num(min)), min));
            }
        }
        if !chart.has_data() {
            return None;
        }
        Some((format!("sweep-{}", slug(metric)), chart.into()))
    }

    /// The objective's metric (else the monthly cost) over the first two
    /// fields.
    fn heatmap(&self) -> Option<(String, Chart)> {
        let metric = self
            .def
            .criteria
            .objective
            .as_ref()
            .map(|o| o.path.metric.as_str())
            .filter(|m| self.column(m).is_some())
            .unwrap_or("cost.monthly_usd");
        let m = self.column(metric)?;
        let vary = &self.def.sweep.vary;
        let cells: Vec<Vec<Option<f64>>> = (0..vary[1].labels.len())
            .map(|row| {
                (0..vary[0].labels.len())
                    .map(|col| {
                        let mut coords = vec![0; vary.len()];
                        coords[0] = col;
                        coords[1] = row;
                        self.point(&coords)?.metrics.get(m)?.mean
                    })
                    .collect()
            })
            .collect();
        if !cells.iter().flatten().any(Option::is_some) {
            return None;
        }
        let heatmap = Heatmap {
            title: match &self.def.criteria.objective {
                Some(o) if o.path.metric == metric => {
                    format!("Objective: {} {metric} (mean)", o.direction)
                }
                _ => format!("{metric} (mean)"),
            },
            x_label: vary[0].path.clone(),
            x_values: vary[0].labels.clone(),
            y_label: vary[1].path.clone(),
            y_values: vary[1].labels.clone(),
            cells,
            value_label: metric.to_string(),
            notes: self.held(&[0, 1]),
            ..Heatmap::default()
        };
        Some((format!("heatmap-{}", slug(metric)), heatmap.into()))
    }

    /// The Power Tuning chart of field `f` if it is a function's memory.
    fn power(&self, f: usize, path: &str) -> Option<(String, Chart)> {
        let name = path
            .strip_prefix("lambda.")?
            .strip_suffix(".memory_mb")
            .filter(|n| !n.is_empty())?;
        let dur = self.column(&format!("functions.{name}.mean_duration_ms"))?;
        let cost = self.column(&format!("functions.{name}.cost_per_invocation_usd"))?;
        let mems = numbers(&self.def.sweep.vary[f].labels)?;
        let estimate = |e: Option<&Estimate>| {
            let (mean, ci) = band(e?);
            Some(plot::Estimate { mean: mean?, ci })
        };
        let points = mems
            .iter()
            .enumerate()
            .map(|(i, &mb)| plot::PowerPoint {
                memory_mb: mb,
                duration_ms: estimate(self.at(dur, f, i, None)),
                cost_usd: estimate(self.at(cost, f, i, None)),
            })
            .collect();
        let mut chart = PowerTuning::new(format!("Power Tuning: {name}"), points);
        chart.notes = self.held(&[f]);
        let any = chart
            .points
            .iter()
            .any(|p| p.duration_ms.is_some() || p.cost_usd.is_some());
        any.then(|| (format!("power-tuning-{}", slug(name)), chart.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_name_parts() {
        assert_eq!(
            slug("workloads.users.latency_ms.p99"),
            "workloads-users-latency-ms-p99"
        );
        assert_eq!(slug("Get-Item"), "get-item");
        assert_eq!(slug("..a..b.."), "a-b");
    }

    #[test]
    fn only_all_numeric_values_are_numbers() {
        assert_eq!(
            numbers(&["128".into(), "1e3".into()]),
            Some(vec![128.0, 1000.0])
        );
        assert_eq!(numbers(&["128".into(), "poisson(rate=5)".into()]), None);
    }
}
