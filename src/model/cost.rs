//! `[cost]`: how a run's usage becomes a month's bill.
//!
//! Only the framing lives here; the prices are in `prices/<region>.toml`
//! and the arithmetic in `cost`.

/// How the measured window's usage is turned into a month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Projection {
    /// The window repeats to fill a 730-hour month: every usage charge is
    /// multiplied by 730 h / window. Right when the window is a typical
    /// slice of the month (e.g. a whole day of a diurnal cycle).
    #[default]
    Repeat,
    /// The window happens once in the month: its usage is counted once,
    /// and the always-on charges (provisioned concurrency, provisioned
    /// capacity, DAX nodes, API cache, storage, SnapStart cache) are billed
    /// for the whole 730-hour month. Right for an event (a flash sale, a
    /// launch) on top of an otherwise idle month.
    Once,
}

impl Projection {
    /// The name used in the scenario and in `summary.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Projection::Repeat => "repeat",
            Projection::Once => "once",
        }
    }
}

/// `[cost]`: settings of the bill.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CostSettings {
    /// How the window's usage becomes a month (default `repeat`).
    pub projection: Projection,
}

/// Share by which the repeat projection's usage is off when the measured
/// window is not a whole number of an arrival's cycles, above which
/// validation warns (1 %): a design choice, small enough to flag a window
/// that misses part of a cycle's peak, large enough to stay quiet about a
/// warm-up of a few minutes at the trough of a day.
pub const REPEAT_BIAS_WARN: f64 = 0.01;
