//! Axes: how values map to a chart's coordinates (linear or log), the
//! range shown, the tick positions and their labels.
//!
//! A log axis is drawn as a linear axis over `log10(value)`: values are
//! transformed here, and the ticks (1, 2, 5 x 10^k) are labelled with the
//! values themselves. Every number that reaches plotters is finite: a value
//! an axis cannot show (not finite; zero or negative on a log axis) is
//! `None`, which a chart draws as a gap.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use std::ops::Range;

/// How an axis maps values to positions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scale {
    /// Equal steps for equal differences.
    #[default]
    Linear,
    /// Equal steps for equal ratios; zero and negative values are not
    /// shown (gaps).
    Log,
}

/// An axis of a chart: its label (with the unit, e.g. `latency [ms]`) and
/// scale.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Axis {
    /// The axis title.
    pub label: String,
    /// Linear or log.
    pub scale: Scale,
}

impl Axis {
    /// A linear axis.
    pub fn linear(label: impl Into<String>) -> Axis {
        Axis {
            label: label.into(),
            scale: Scale::Linear,
        }
    }

    /// A log axis.
    pub fn log(label: impl Into<String>) -> Axis {
        Axis {
            label: label.into(),
            scale: Scale::Log,
        }
    }
}

/// An axis laid out for the values it must show: the range and the ticks
/// in plot space (`log10` of the value on a log axis) with their labels.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    scale: Scale,
    /// Range shown, in plot space.
    pub lo: f64,
    /// Range shown, in plot space.
    pub hi: f64,
    /// Tick positions in plot space, ascending.
    pub ticks: Vec<f64>,
    /// The label of each tick.
    pub labels: Vec<String>,
}

impl Layout {
    /// The layout that shows `values` (those the scale cannot show are
    /// ignored). A linear axis with `from_zero` starts at 0 when every
    /// value is at least 0; its ends are ticks. An empty set of values
    /// shows 0..1 (linear) or 1..10 (log).
    pub fn fit(scale: Scale, values: impl IntoIterator<Item = f64>, from_zero: bool) -> Layout {
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            if let Some(p) = to_plot(scale, v) {
                min = min.min(p);
                max = max.max(p);
            }
        }
        match scale {
            Scale::Linear => linear(min, max, from_zero),
            Scale::Log => log(min, max),
        }
    }

    /// A layout over `lo..hi` (plot space) with ticks at the given values
    /// (those inside the range), e.g. the memory sizes of a sweep.
    pub fn with_ticks(scale: Scale, values: &[f64], lo: f64, hi: f64) -> Layout {
        let mut ticks: Vec<f64> = values
            .iter()
            .filter_map(|&v| to_plot(scale, v))
            .filter(|p| *p >= lo && *p <= hi)
            .collect();
        ticks.sort_by(f64::total_cmp);
        ticks.dedup();
        let labels = ticks
            .iter()
            .map(|&p| number(from_plot(scale, p), 0.0))
            .collect();
        Layout {
            scale,
            lo,
            hi,
            ticks,
            labels,
        }
    }

    /// A layout of `labels.len()` categories: category `i` spans `i..i+1`
    /// and its tick, at the middle, carries its label.
    pub fn categories(labels: &[String]) -> Layout {
        Layout {
            scale: Scale::Linear,
            lo: 0.0,
            hi: labels.len().max(1) as f64,
            ticks: (0..labels.len()).map(|i| i as f64 + 0.5).collect(),
            labels: labels.to_vec(),
        }
    }

    /// [`Layout::categories`] with the first (bottom) category `first`
    /// units tall instead of 1: category `i > 0` spans
    /// `first + i - 1..first + i`.
    pub fn categories_tall_first(labels: &[String], first: f64) -> Layout {
        let first = if first.is_finite() && first > 0.0 {
            first
        } else {
            1.0
        };
        let mut l = Layout::categories(labels);
        if !labels.is_empty() {
            l.hi += first - 1.0;
            for t in l.ticks.iter_mut().skip(1) {
                *t += first - 1.0;
            }
            l.ticks[0] = first / 2.0;
        }
        l
    }

    /// `v` in plot space, or `None` when this axis cannot show it.
    pub fn to_plot(&self, v: f64) -> Option<f64> {
        to_plot(self.scale, v)
    }

    /// The label of the tick at plot position `p` (ticks are the only
    /// positions plotters labels).
    pub fn label(&self, p: f64) -> String {
        let tol = (self.hi - self.lo).abs() * 1e-9;
        self.ticks
            .iter()
            .position(|t| (t - p).abs() <= tol)
            .map(|i| self.labels[i].clone())
            .unwrap_or_else(|| number(from_plot(self.scale, p), 0.0))
    }

    /// This layout with the ticks whose labels would overlap the previous
    /// label left out: `extent` is the axis length \[px\], `size(label)`
    /// a label's extent along the axis \[px\].
    pub fn thinned(&self, extent: f64, size: impl Fn(&str) -> f64) -> Layout {
        let span = self.hi - self.lo;
        let mut out = self.clone();
        out.ticks.clear();
        out.labels.clear();
        let mut last_end = f64::NEG_INFINITY;
        for (t, l) in self.ticks.iter().zip(&self.labels) {
            let at = if span > 0.0 {
                (t - self.lo) / span * extent
            } else {
                0.0
            };
            let half = size(l) / 2.0;
            if at - half >= last_end + 6.0 {
                out.ticks.push(*t);
                out.labels.push(l.clone());
                last_end = at + half;
            }
        }
        out
    }

    /// The plotters coordinate of this axis.
    pub fn coord(&self) -> Coord {
        Coord {
            lo: self.lo,
            hi: self.hi,
            ticks: self.ticks.clone(),
        }
    }
}

/// A plotters coordinate over `lo..hi` (plot space) whose grid lines and
/// labels are exactly the layout's ticks.
#[derive(Clone, Debug)]
pub(crate) struct Coord {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ranged for Coord {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        let f = if span > 0.0 {
            (v - self.lo) / span
        } else {
            0.5
        };
        let px = f64::from(limit.0) + f * f64::from(limit.1 - limit.0);
        // Saturating, and NaN (never passed) maps to 0.
        px.round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// `v` in plot space: itself (linear) or `log10(v)` (log), if shown.
pub(crate) fn to_plot(scale: Scale, v: f64) -> Option<f64> {
    match scale {
        Scale::Linear if v.is_finite() => Some(v),
        Scale::Log if v.is_finite() && v > 0.0 => Some(v.log10()),
        _ => None,
    }
}

fn from_plot(scale: Scale, p: f64) -> f64 {
    match scale {
        Scale::Linear => p,
        Scale::Log => 10f64.powf(p),
    }
}

/// A linear layout from `min..max` (infinite when there were no values):
/// about five intervals of a nice step (1, 2, 2.5 or 5 x 10^k).
fn linear(min: f64, max: f64, from_zero: bool) -> Layout {
    let (mut min, mut max) = if min > max { (0.0, 1.0) } else { (min, max) };
    if from_zero && min >= 0.0 {
        min = 0.0;
    }
    if max - min <= max.abs().max(min.abs()) * 1e-12 {
        // One value (or only zeros): a range around it.
        let half = if max == 0.0 { 1.0 } else { max.abs() / 2.0 };
        if from_zero && min >= 0.0 {
            max += 2.0 * half;
        } else {
            (min, max) = (min - half, max + half);
        }
    }
    let step = nice_step((max - min) / 5.0);
    let (first, last) = ((min / step).floor(), (max / step).ceil());
    let ticks: Vec<f64> = (0..=(last - first) as usize)
        .map(|i| (first + i as f64) * step)
        .collect();
    let biggest = ticks.iter().fold(0f64, |m, t| m.max(t.abs()));
    let unit = Unit::of(biggest, step);
    let labels = ticks.iter().map(|&t| unit.render(t, step)).collect();
    Layout {
        scale: Scale::Linear,
        lo: first * step,
        hi: last * step,
        ticks,
        labels,
    }
}

/// A log layout over `min..max` (log10 values), padded by 3 % of the span,
/// with ticks at 1, 2, 5 x 10^k (only 10^k over many decades; every
/// mantissa 1..9 when fewer than two would show).
fn log(min: f64, max: f64) -> Layout {
    let (min, max) = if min > max {
        (0.0, 1.0)
    } else if max - min < 0.3 {
        let mid = (max + min) / 2.0;
        (mid - 0.15, mid + 0.15)
    } else {
        (min, max)
    };
    let pad = (max - min) * 0.03;
    let (lo, hi) = (min - pad, max + pad);
    let decades = hi - lo;
    let mantissas: &[f64] = if decades <= 3.5 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let every = if decades > 8.0 { 2 } else { 1 };
    let mut ticks = log_ticks(lo, hi, mantissas, every);
    if ticks.len() < 2 {
        ticks = log_ticks(lo, hi, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0], 1);
    }
    let labels = ticks
        .iter()
        .map(|&p| {
            let v = 10f64.powf(p);
            number(v, v)
        })
        .collect();
    Layout {
        scale: Scale::Log,
        lo,
        hi,
        ticks,
        labels,
    }
}

fn log_ticks(lo: f64, hi: f64, mantissas: &[f64], every: i32) -> Vec<f64> {
    let mut ticks = Vec::new();
    let (first, last) = (lo.floor() as i32, hi.ceil() as i32);
    for e in first..=last {
        if e.rem_euclid(every) != 0 {
            continue;
        }
        for &m in mantissas {
            let p = (m * 10f64.powi(e)).log10();
            if p >= lo && p <= hi {
                ticks.push(p);
            }
        }
    }
    ticks
}

/// The nice step (1, 2, 2.5 or 5 x 10^k) at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let raw = if raw.is_finite() && raw > 0.0 {
        raw
    } else {
        1.0
    };
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag)
}

/// Decimals needed to write multiples of `step` exactly (0 for 0).
fn decimals(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    (0..=12)
        .find(|&d| {
            let scaled = step * 10f64.powi(d);
            scaled.round() >= 1.0 && (scaled - scaled.round()).abs() < 1e-6 * scaled
        })
        .unwrap_or(12) as usize
}

/// A number for a tick or a note: `step` (0 for "as precise as needed,
/// up to 3 significant digits, whole numbers in full") decides the
/// decimals. Thousands get `k` and millions `M` when the step allows; tiny
/// numbers use `e` notation. Never `-0` (non-finite values print as `-`).
pub(crate) fn number(v: f64, step: f64) -> String {
    let step = if step > 0.0 {
        step
    } else {
        significant_step(v)
    };
    Unit::of(v.abs(), step).render(v, step)
}

/// The suffix of a set of numbers: thousands, millions or none.
#[derive(Clone, Copy)]
enum Unit {
    One,
    Thousand,
    Million,
}

impl Unit {
    /// The unit for numbers up to `biggest` written to `step`.
    fn of(biggest: f64, step: f64) -> Unit {
        if biggest >= 1e6 && step >= 1e5 {
            Unit::Million
        } else if biggest >= 1e4 && step >= 1e3 {
            Unit::Thousand
        } else {
            Unit::One
        }
    }

    fn render(self, v: f64, step: f64) -> String {
        if !v.is_finite() {
            return "-".into();
        }
        let scaled = |div: f64, suffix: &str| {
            let digits = fixed(v / div, decimals(step / div));
            if digits.parse::<f64>().is_ok_and(|d| d == 0.0) {
                "0".to_string()
            } else {
                format!("{digits}{suffix}")
            }
        };
        let text = match self {
            Unit::Million => scaled(1e6, "M"),
            Unit::Thousand => scaled(1e3, "k"),
            Unit::One if step < 1e-4 && v != 0.0 => {
                let rounded: f64 = fixed(v, decimals(step)).parse().unwrap_or(0.0);
                if rounded == 0.0 {
                    "0".into()
                } else {
                    format!("{rounded:e}")
                }
            }
            Unit::One => fixed(v, decimals(step)),
        };
        match text.strip_prefix('-') {
            Some(rest) if rest.chars().all(|c| matches!(c, '0' | '.')) => rest.to_string(),
            _ => text,
        }
    }
}

/// A step that keeps three significant digits of `v`, and every digit of
/// a number of 100 or more.
fn significant_step(v: f64) -> f64 {
    let a = v.abs();
    if a == 0.0 || a >= 100.0 || !a.is_finite() {
        1.0
    } else {
        10f64.powf(a.log10().floor() - 2.0)
    }
}

fn fixed(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if decimals > 0 && s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_axes_end_on_nice_ticks_and_start_at_zero() {
        let l = Layout::fit(Scale::Linear, [3.0, 97.0], true);
        assert_eq!((l.lo, l.hi), (0.0, 100.0));
        assert_eq!(l.labels, ["0", "20", "40", "60", "80", "100"]);
        let l = Layout::fit(Scale::Linear, [0.12, 0.31], false);
        assert_eq!(l.labels.first().unwrap(), "0.1");
        assert_eq!(l.labels.last().unwrap(), "0.35");
        // One value, or none: still a range.
        let l = Layout::fit(Scale::Linear, [0.0, 0.0], true);
        assert!(l.hi > l.lo);
        let l = Layout::fit(Scale::Linear, [0.0, 15_000.0], true);
        assert_eq!(l.labels, ["0", "5k", "10k", "15k"]);
        let l = Layout::fit(Scale::Linear, [5.0], true);
        assert!(l.hi >= 5.0 && l.lo == 0.0);
        let l = Layout::fit(Scale::Linear, [], true);
        assert_eq!((l.lo, l.hi), (0.0, 1.0));
    }

    #[test]
    fn a_tall_first_category_shifts_the_others() {
        let labels: Vec<String> = ["t", "a", "b"].map(String::from).to_vec();
        let l = Layout::categories_tall_first(&labels, 3.0);
        assert_eq!((l.lo, l.hi), (0.0, 5.0));
        assert_eq!(l.ticks, [1.5, 3.5, 4.5]);
        let l = Layout::categories_tall_first(&labels, f64::NAN);
        assert_eq!(l.ticks, Layout::categories(&labels).ticks);
    }

    #[test]
    fn values_an_axis_cannot_show_are_gaps() {
        assert_eq!(to_plot(Scale::Linear, f64::NAN), None);
        assert_eq!(to_plot(Scale::Linear, f64::INFINITY), None);
        assert_eq!(to_plot(Scale::Log, 0.0), None);
        assert_eq!(to_plot(Scale::Log, -1.0), None);
        assert_eq!(to_plot(Scale::Log, 100.0), Some(2.0));
        let l = Layout::fit(Scale::Linear, [f64::NAN, 2.0, f64::NEG_INFINITY], true);
        assert!(l.lo.is_finite() && l.hi.is_finite());
    }

    #[test]
    fn log_axes_tick_at_1_2_5_and_label_values() {
        let l = Layout::fit(Scale::Log, [12.0, 300.0], false);
        assert_eq!(l.labels, ["20", "50", "100", "200"]);
        assert!(l.lo < 12f64.log10() && l.hi > 300f64.log10());
        let l = Layout::fit(Scale::Log, [0.5, 2e6], false);
        assert_eq!(l.labels, ["1", "10", "100", "1000", "10k", "100k", "1M"]);
        // A narrow range still gets two ticks.
        let l = Layout::fit(Scale::Log, [31.0, 33.0], false);
        assert!(l.ticks.len() >= 2, "{:?}", l.labels);
    }

    #[test]
    fn overlapping_tick_labels_are_thinned() {
        let l = Layout::with_ticks(Scale::Log, &[128.0, 1769.0, 2048.0, 3008.0], 2.0, 4.0);
        let t = l.thinned(500.0, |s| 8.0 * s.len() as f64);
        assert_eq!(t.labels, ["128", "1769", "3008"]);
        assert_eq!(t.ticks.len(), 3);
    }

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(number(-0.0, 1.0), "0");
        assert_eq!(number(-0.0001, 0.01), "0");
        assert_eq!(number(12_000.0, 2_000.0), "12k");
        assert_eq!(number(12_000.0, 0.0), "12000");
        assert_eq!(number(12_500.0, 2_500.0), "12.5k");
        assert_eq!(number(2_000_000.0, 500_000.0), "2M");
        assert_eq!(number(0.000_002_1, 0.000_000_1), "2.1e-6");
        assert_eq!(number(1769.0, 0.0), "1769");
        assert_eq!(number(0.25, 0.05), "0.25");
        assert_eq!(number(12.3456, 0.0), "12.3");
        assert_eq!(number(f64::NAN, 1.0), "-");
    }
}
