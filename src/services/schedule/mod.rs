//! EventBridge schedules (`[[schedule]]`): each fires at whole minutes of
//! the run's clock (a rate, or a cron expression, UTC) and sends one event
//! to its target at a moment drawn inside that minute, or inside its
//! flexible window (aws-facts 10.13): a function accepts it as an
//! asynchronous invocation, a queue as a message, a topic as a publish
//! (as SNS delivers, `topic/flow.rs`). The model and its assumptions:
//! `docs/model.md`, "Schedules".
//!
//! This file owns a schedule's state and decisions (the next firing, the
//! draw inside the minute); `cron.rs` the calendar; `flow.rs` the events;
//! `stats.rs` the figures and text rows; `cost.rs` the bill. Must not
//! know: TOML, files, how a target handles its event.

pub mod cost;
pub mod cron;
mod flow;
mod stats;

pub use stats::ScheduleStats;

use rand::Rng;

use crate::engine::{SimDuration, SimRng, SimTime};
use crate::metrics::SeriesId;
use crate::model::schedule::{ScheduleType, When, MINUTE};
use crate::model::{Destination, Schedule};
use crate::services::registry::index_by;
use cron::Clock;

/// An event on its way to the target (its frame): sent at its `Step`.
#[derive(Clone, Copy, Debug)]
pub struct Firing {
    /// Schedule index.
    pub schedule: u16,
    /// Fired in the measured window.
    pub measured: bool,
}

/// Counters of one schedule, over the firings in the measured window.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    /// Firings (the minute came).
    pub fired: u64,
    /// Events sent to the target.
    pub delivered: u64,
}

/// Time-series handles of a schedule.
#[derive(Clone, Copy, Debug)]
pub struct ScheduleSeries {
    /// Firings per interval.
    pub fired: SeriesId,
    /// Events sent to the target per interval.
    pub delivered: SeriesId,
}

/// One schedule.
pub struct Timetable {
    /// Its name.
    pub name: String,
    /// The target's name (for the figures).
    pub target_name: String,
    /// Where its events go.
    pub target: Destination,
    when: When,
    /// The moment of sending is drawn uniformly in `[0, spread)` after the
    /// minute \[ns\]: the minute, or the flexible window.
    spread: SimDuration,
    /// Scheduler or rule.
    pub kind: ScheduleType,
    /// The first minute a rate fires at (absolute minutes).
    first: i64,
    /// The minute of the pending firing.
    pub next: Option<i64>,
    rng: SimRng,
    /// Counters.
    pub counters: Counters,
    /// Measured events not yet sent.
    pub pending: u64,
    /// First firing in the measured window \[ns\].
    pub first_fired: Option<SimTime>,
    /// Series.
    pub series: ScheduleSeries,
}

impl Timetable {
    /// From the model; `clock` is the run's calendar, `last` the last
    /// minute that starts before the run's end.
    pub fn new(
        s: &Schedule,
        target_name: String,
        clock: &Clock,
        last: i64,
        rng: SimRng,
        series: ScheduleSeries,
    ) -> Self {
        let first = clock.first_minute();
        Self {
            name: s.name.clone(),
            target_name,
            target: s.target,
            next: cron::next(&s.when, first, first, last),
            when: s.when.clone(),
            spread: s.flexible_window.max(MINUTE),
            kind: s.kind,
            first,
            rng,
            counters: Counters::default(),
            pending: 0,
            first_fired: None,
            series,
        }
    }

    /// The pending firing came (counted when `measured`, at `now`):
    /// returns how long after it the event is sent \[ns\], and moves on
    /// to the next firing up to minute `last`.
    pub fn fire(&mut self, now: SimTime, measured: bool, last: i64) -> SimDuration {
        if measured {
            self.counters.fired += 1;
            self.pending += 1;
            self.first_fired.get_or_insert(now);
        }
        self.next = self
            .next
            .and_then(|m| cron::next(&self.when, self.first, m + 1, last));
        (self.rng.random::<f64>() * self.spread as f64) as SimDuration
    }

    /// An event fired in the measured window (`measured`) was sent.
    pub fn on_sent(&mut self, measured: bool) {
        if measured {
            self.counters.delivered += 1;
            self.pending -= 1;
        }
    }

    fn footprint(&self) -> usize {
        std::mem::size_of::<Self>()
    }
}

/// Every schedule.
pub struct Schedules {
    /// In model order.
    pub list: Vec<Timetable>,
    /// The run's calendar.
    pub clock: Clock,
    /// The last minute that starts before the run's end.
    pub last: i64,
}

index_by!(Schedules, list, Timetable);
