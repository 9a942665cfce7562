//! EventBridge schedules (`[[schedule]]`): strategy and rendering. Rules
//! kept (docs/scenario-format.md, "[[schedule]]"): `every` whole minutes
//! of at least 1 minute, or a valid AWS cron; a function, queue or topic
//! target; a flexible window of 1-1,440 whole minutes only for
//! EventBridge Scheduler. A long run (hours to days) fires at most hourly,
//! so that a schedule sends hundreds of events, not tens of thousands.

use super::{q, Node, Scen};
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use std::fmt::Write;

/// Rates; the first [`SHORT_ONLY`] only in short runs.
const EVERY: [&str; 6] = ["1m", "5m", "2m", "1h", "3h", "1d"];
const CRONS: [&str; 10] = [
    "* * * * ? *",
    "0/15 * * * ? *",
    "0 * * * ? *",
    "0 9 ? * MON-FRI *",
    "cron(30 7 10W * ? *)",
    "0 12 L * ? *",
    "0 8 ? * 2#1 *",
    "15 10 ? * 6L 2024-2030",
    "0 0 LW JAN,JUL ? *",
    "0 6,18 1-15/2 * ? *",
];
/// Rates and crons before these indices fire more than hourly.
const SHORT_ONLY: (usize, usize) = (3, 2);
const WINDOWS: [&str; 4] = ["off", "1m", "15m", "1440m"];
const START_DATES: [&str; 4] = ["2024-01-01", "2026-02-28", "1999-12-31", "2028-02-29"];

#[derive(Clone, Debug)]
pub struct Schedule {
    /// `Ok(every index)` or `Err(cron index)`.
    pub when: Result<usize, usize>,
    /// Choice among every node.
    pub target: usize,
    pub window: Option<usize>,
    /// `Some(true)`: `type = "rule"` (and no window).
    pub rule: Option<bool>,
}

pub(super) fn schedule() -> impl Strategy<Value = Schedule> {
    (
        prop_oneof![
            (0..EVERY.len()).prop_map(Ok),
            (0..CRONS.len()).prop_map(Err)
        ],
        0usize..12,
        maybe(0.4, 0..WINDOWS.len()),
        maybe(0.4, any::<bool>()),
    )
        .prop_map(|(when, target, window, rule)| Schedule {
            when,
            target,
            window,
            rule,
        })
}

/// `[simulation] start_date`, as an index into the dates above.
pub(super) fn start_date() -> impl Strategy<Value = Option<usize>> {
    maybe(0.3, 0..START_DATES.len())
}

impl Scen {
    pub(super) fn render_start_date(&self, t: &mut String) {
        if let Some(d) = self.start_date {
            let _ = writeln!(t, "start_date = {}", q(START_DATES[d]));
        }
    }

    pub(super) fn render_schedule(&self, t: &mut String, k: usize) {
        let s = &self.schedules[k];
        let _ = writeln!(t, "\n[[schedule]]\nname = {}", q(&self.name("sch", k)));
        let long = self.long.is_some();
        match s.when {
            Ok(i) => {
                let i = if long {
                    SHORT_ONLY.0 + i % (EVERY.len() - SHORT_ONLY.0)
                } else {
                    i
                };
                let _ = writeln!(t, "every = {}", q(EVERY[i]));
            }
            Err(i) => {
                let i = if long {
                    SHORT_ONLY.1 + i % (CRONS.len() - SHORT_ONLY.1)
                } else {
                    i
                };
                let _ = writeln!(t, "cron = {}", q(CRONS[i]));
            }
        }
        let nodes = self.all_nodes();
        let target = nodes[s.target % nodes.len()];
        let _ = writeln!(t, "target = {}", q(&self.node_name(target)));
        if let Some(r) = s.rule {
            let _ = writeln!(t, "type = {}", q(if r { "rule" } else { "scheduler" }));
        }
        if let (Some(w), false) = (s.window, s.rule == Some(true)) {
            let _ = writeln!(t, "flexible_window = {}", q(WINDOWS[w]));
        }
    }

    /// Every function, queue and topic.
    fn all_nodes(&self) -> Vec<Node> {
        (0..self.lambdas.len())
            .map(Node::Fn)
            .chain((0..self.queues.len()).map(Node::Queue))
            .chain((0..self.topics.len()).map(Node::Topic))
            .collect()
    }
}
