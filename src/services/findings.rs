//! Findings: a short list of statements computed from a run's figures, for
//! the end of the text summary and `summary.json`: where failures began,
//! which limits were reached and when, how close capacity and concurrency
//! came to their limits, how much of the p99 cold starts explain.
//!
//! Each kind states its own findings ([`Service::findings`](super::registry::Service::findings));
//! this module holds what they share: the [`Finding`] record and the
//! [`FindingsCx`] they read the run from. Must not know: any one kind.

use serde::Serialize;

use super::{Kind, Sections};
use crate::metrics::text::thousands;
use crate::metrics::TimeSeries;

/// One statement about the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// What it is about: `"failures"`, `"throttles"`, `"capacity"`,
    /// `"concurrency"` or `"cold_starts"`.
    pub topic: &'static str,
    /// The component it is about, e.g. `"table todos"`.
    pub component: String,
    /// The statement, for people.
    pub message: String,
}

/// What findings are computed from.
pub struct FindingsCx<'a> {
    /// Every kind's figures.
    pub sections: &'a Sections,
    /// The run's time series.
    pub series: &'a TimeSeries,
    /// Start of the measured window \[s\].
    pub warmup_s: f64,
    /// The account's concurrency limit.
    pub account_concurrency: u32,
}

impl FindingsCx<'_> {
    /// The values of `component`'s series `metric`.
    pub fn series(&self, component: &str, metric: &str) -> Option<&[f64]> {
        self.series
            .series
            .iter()
            .find(|s| s.component == component && s.metric == metric)
            .map(|s| s.values.as_slice())
    }

    /// When `component`'s series `metric` was non-zero within the measured
    /// window: from the start of the first such bucket to the end of the
    /// last \[s\].
    pub fn active(&self, component: &str, metric: &str) -> Option<(f64, f64)> {
        let v = self.series(component, metric)?;
        let w = self.series.interval_s;
        let first_bucket = (self.warmup_s / w).floor() as usize;
        let nonzero = |i: &usize| v[*i] > 0.0;
        let first = (first_bucket..v.len()).find(nonzero)?;
        let last = (first..v.len()).rev().find(nonzero)?;
        Some((first as f64 * w, (last + 1) as f64 * w))
    }

    /// `" during <span>"` of [`FindingsCx::active`], or nothing.
    pub fn during(&self, component: &str, metric: &str) -> String {
        self.active(component, metric)
            .map(|s| format!(" during {}", span(s)))
            .unwrap_or_default()
    }

    /// The largest value of `component`'s series `metric` in the measured
    /// window, and the start of its bucket \[s\].
    pub fn peak(&self, component: &str, metric: &str) -> Option<(f64, f64)> {
        let v = self.series(component, metric)?;
        let w = self.series.interval_s;
        let from = ((self.warmup_s / w).floor() as usize).min(v.len());
        v[from..]
            .iter()
            .enumerate()
            .fold(None, |best: Option<(f64, f64)>, (i, &x)| match best {
                Some((b, _)) if b >= x => best,
                _ => Some((x, (from + i) as f64 * w)),
            })
    }

    /// The name of component `index` of `kind` (`index` unknown: the only
    /// component of the kind, if there is one).
    pub fn name_of(&self, kind: Kind, index: u16) -> Option<&str> {
        self.sections.name(kind, index as usize).or_else(|| {
            (self.sections.count(kind) == 1)
                .then(|| self.sections.name(kind, 0))
                .flatten()
        })
    }

    /// `"<label> <name>"` of component `index` of `kind` (`index` unknown:
    /// the only component of the kind, or `"a <label>"`).
    pub fn component(&self, kind: Kind, index: u16) -> String {
        match self.name_of(kind, index) {
            Some(n) => format!("{} {n}", kind.label()),
            None => format!("a {}", kind.label()),
        }
    }

    /// Bucket width of the series \[s\].
    pub fn interval_s(&self) -> f64 {
        self.series.interval_s
    }
}

/// A time in the run as `m:ss` or `h:mm:ss`.
pub fn clock(s: f64) -> String {
    let t = s.max(0.0).round() as u64;
    let (h, m, sec) = (t / 3600, t / 60 % 60, t % 60);
    if h > 0 {
        format!("{h}:{m:02}:{sec:02}")
    } else {
        format!("{m}:{sec:02}")
    }
}

/// A span of the run, `"42:10-1:30:05"`.
pub fn span((from, to): (f64, f64)) -> String {
    format!("{}-{}", clock(from), clock(to))
}

/// `n` with digit groups.
pub fn count(n: u64) -> String {
    thousands(n)
}

/// `part / whole` as a percentage with one decimal, `"-"` for an empty whole.
pub fn pct(part: f64, whole: f64) -> String {
    if !(whole > 0.0 && part.is_finite()) {
        return "-".into();
    }
    let p = 100.0 * part / whole;
    if p > 0.0 && p < 0.1 {
        // Two significant digits for small shares: 0.0018 %.
        let decimals = (-p.log10()).ceil() as usize + 1;
        format!("{p:.decimals$} %")
    } else {
        format!("{p:.1} %")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_and_percentages() {
        assert_eq!(clock(0.0), "0:00");
        assert_eq!(clock(2530.0), "42:10");
        assert_eq!(clock(5405.0), "1:30:05");
        assert_eq!(span((2530.0, 5405.0)), "42:10-1:30:05");
        assert_eq!(pct(1.0, 4.0), "25.0 %");
        assert_eq!(pct(1.0, 0.0), "-");
        assert_eq!(pct(0.0, 5.0), "0.0 %");
        assert_eq!(pct(18.0, 1e6), "0.0018 %");
        assert_eq!(pct(5.0, 1e4), "0.050 %");
    }
}
