//! `[[slo]]` and `[objective]`: what a run must achieve and what a search
//! optimises, both named by a metric path into `summary.json`.
//!
//! A metric path is checked when the scenario loads (its section, its
//! component, its field: [`metrics`](super::metrics) lists what each
//! section holds) and kept here as the exact keys to follow in the
//! summary, so that a component or a route whose name contains dots is
//! found without guessing (`slo::lookup` follows them).

/// At most this many `[[slo]]` entries (a design choice: a CI gate reads
/// a handful; a thousand would be a generated file gone wrong).
pub const MAX_SLOS: usize = 100;

/// A metric of a run, as the keys to follow from the root of
/// `summary.json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricPath {
    /// The path as written, e.g. `workloads.users.latency_ms.p99`.
    pub text: String,
    /// The keys to follow: object keys, or the `name` of an element of an
    /// array (`caches`), e.g. `["workloads", "users", "latency_ms", "p99"]`.
    pub keys: Vec<String>,
    /// The last key is a count map's (`status`, `throttled_by`, the bill's
    /// services and components), which lists non-zero entries only: an
    /// absent key reads as 0 rather than as undefined.
    pub absent_is_zero: bool,
}

/// The bound an SLO puts on its metric (inclusive).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// The metric must be at most this.
    Max(f64),
    /// The metric must be at least this.
    Min(f64),
}

impl Bound {
    /// `"max"` or `"min"`, as in the scenario.
    pub fn key(self) -> &'static str {
        match self {
            Bound::Max(_) => "max",
            Bound::Min(_) => "min",
        }
    }

    /// The bound's value.
    pub fn value(self) -> f64 {
        match self {
            Bound::Max(v) | Bound::Min(v) => v,
        }
    }

    /// Whether `v` meets the bound (bounds are inclusive).
    pub fn admits(self, v: f64) -> bool {
        match self {
            Bound::Max(b) => v <= b,
            Bound::Min(b) => v >= b,
        }
    }
}

/// One `[[slo]]`: a metric and its bound.
#[derive(Clone, Debug, PartialEq)]
pub struct Slo {
    /// A short label shown instead of the metric path (optional).
    pub name: Option<String>,
    /// Free text carried into `summary.json` (optional).
    pub description: Option<String>,
    /// What is measured.
    pub metric: MetricPath,
    /// Its bound.
    pub bound: Bound,
}

impl Slo {
    /// The label shown for the SLO: its name, else its metric path.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.metric.text)
    }
}

/// Whether the objective is to be made small or large.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// `minimize = "..."`.
    Minimize,
    /// `maximize = "..."`.
    Maximize,
}

impl Direction {
    /// `"minimize"` or `"maximize"`, as in the scenario.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Minimize => "minimize",
            Direction::Maximize => "maximize",
        }
    }
}

/// `[objective]`: the metric a search over settings optimises among the
/// settings that meet every SLO.
#[derive(Clone, Debug, PartialEq)]
pub struct Objective {
    /// What is optimised.
    pub metric: MetricPath,
    /// In which direction.
    pub direction: Direction,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_inclusive() {
        assert!(Bound::Max(300.0).admits(300.0));
        assert!(!Bound::Max(300.0).admits(300.000_000_1));
        assert!(Bound::Min(0.5).admits(0.5));
        assert!(!Bound::Min(0.5).admits(0.499));
        assert_eq!(Bound::Min(2.0).key(), "min");
        assert_eq!(Bound::Max(2.0).value(), 2.0);
    }
}
