//! A schedule's figures (firings, events sent, in transit) and its rows of
//! the text summary.
//!
//! Conservation (tested), over the firings in the measured window:
//! `fired = delivered + pending_end`. The targets accept every event (a
//! function's asynchronous queue, a queue and a topic have no limit a
//! schedule can reach, aws-facts 1.1, 2, 3), so none fails here; what
//! becomes of it is the target's figures (`functions.<f>.async`,
//! `queues`, `topics`).

use indexmap::IndexMap;
use serde::Serialize;

use super::Timetable;
use crate::engine::ns_to_secs;
use crate::metrics::text::{thousands, Table};
use crate::model::Destination;

/// One schedule's figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ScheduleStats {
    /// `"scheduler"` or `"rule"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The target's kind: `"lambda"`, `"queue"` or `"topic"`.
    pub target_kind: &'static str,
    /// The target's name.
    pub target: String,
    /// Firings (minutes the schedule named) in the measured window.
    pub fired: u64,
    /// Of those, events sent to the target.
    pub delivered: u64,
    /// Of those, events not yet sent at the end (their moment inside the
    /// minute or the flexible window was after it).
    pub pending_end: u64,
    /// First firing in the measured window \[s from t = 0\].
    pub first_fired_s: Option<f64>,
    /// Billed invocations (EventBridge Scheduler's events sent; 0 for a
    /// scheduled rule, believed free).
    pub billed_invocations: u64,
}

/// A schedule's figures.
pub fn collect(s: &Timetable) -> ScheduleStats {
    let k = &s.counters;
    ScheduleStats {
        kind: s.kind.name(),
        target_kind: match s.target {
            Destination::Lambda(_) => "lambda",
            Destination::Queue(_) => "queue",
            Destination::Topic(_) => "topic",
        },
        target: s.target_name.clone(),
        fired: k.fired,
        delivered: k.delivered,
        pending_end: s.pending,
        first_fired_s: s.first_fired.map(ns_to_secs),
        billed_invocations: match s.kind {
            crate::model::ScheduleType::Scheduler => k.delivered,
            crate::model::ScheduleType::Rule => 0,
        },
    }
}

/// One row per schedule.
pub fn text(stats: &IndexMap<String, ScheduleStats>, out: &mut String) {
    if stats.is_empty() {
        return;
    }
    let mut t = Table::new(["schedule", "type", "target", "fired", "sent", "in transit"]);
    for (name, s) in stats {
        t.row([
            name.clone(),
            s.kind.to_string(),
            s.target.clone(),
            thousands(s.fired),
            thousands(s.delivered),
            thousands(s.pending_end),
        ]);
    }
    t.render(out);
}
