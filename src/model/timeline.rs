//! `[timeline]`: which Lambda functions' execution environments to record,
//! over which window, and the bounds of the recording.

use crate::engine::{SimDuration, SimTime};

/// Default `max_environments`: rows a person can read in one chart.
pub const DEFAULT_MAX_ENVIRONMENTS: u32 = 100;
/// Default `max_records`: 100,000 spans (about 3 MB).
pub const DEFAULT_MAX_RECORDS: u32 = 100_000;
/// Largest `max_environments` (slsim's bound: a chart of more rows is
/// unreadable, and the CSV is for the rows drawn).
pub const MAX_ENVIRONMENTS: i64 = 10_000;
/// Largest `max_records` (slsim's bound: 32 bytes each, 32 MB at most).
pub const MAX_RECORDS: i64 = 1_000_000;

/// What to record of execution environments' lives (`timeline.csv` and a
/// Gantt chart per function).
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// `[[lambda]]` indices recorded, in the order given (every function
    /// when the section names none).
    pub functions: Vec<usize>,
    /// Window start \[ns\].
    pub from: SimTime,
    /// Window end \[ns\] (`SimTime::MAX`: the end of the run).
    pub to: SimTime,
    /// Environments recorded per function: later ones are counted, not
    /// recorded.
    pub max_environments: u32,
    /// Records kept per function: later ones are counted, not kept.
    pub max_records: u32,
}

impl Timeline {
    /// The whole run, every function of `n`, default bounds.
    pub fn all(n: usize) -> Self {
        Self {
            functions: (0..n).collect(),
            from: 0,
            to: SimDuration::MAX,
            max_environments: DEFAULT_MAX_ENVIRONMENTS,
            max_records: DEFAULT_MAX_RECORDS,
        }
    }
}
