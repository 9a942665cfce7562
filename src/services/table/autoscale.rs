//! DynamoDB auto scaling of one provisioned table or GSI: Application Auto
//! Scaling's target tracking, one policy per direction (docs/model.md,
//! "Auto scaling").
//!
//! Owns the per-minute consumption (CloudWatch's one-minute datapoints,
//! aligned to the clock), the two alarms of each direction evaluated on
//! the last datapoints against the capacity in effect (scale-out: 2
//! minutes above the target; scale-in: 15 minutes below the target less
//! 20 points, aws-facts 5.2 and 10.14), the UpdateTable in progress per
//! direction, the UTC day's decrease quota (aws-facts 5.2, one per table
//! or GSI, shared by both directions), and the counts of what it did.
//!
//! It runs only when asked: [`AutoScaler::step`] catches up to a time,
//! minute by minute (minutes without traffic are zero datapoints), and
//! hands back each capacity change in time order. Between changes the
//! caller compares one integer ([`AutoScaler::next`]).
//!
//! Must not know: token buckets, partitions, series, events:
//! `capacity.rs` applies the [`Change`]s.

use crate::engine::{SimDuration, SimTime, SECONDS};
use crate::model::{
    AutoScaling, DECREASES_FIRST_HOUR, DECREASE_SPACING, SCALE_IN_MARGIN, SCALE_IN_MINUTES,
    SCALE_OUT_MINUTES,
};

/// One CloudWatch datapoint \[ns\].
pub const MINUTE: SimDuration = 60 * SECONDS;
/// A UTC day \[ns\].
const DAY: SimDuration = 86_400 * SECONDS;
/// Datapoints kept: the longer alarm's.
const WINDOW: usize = SCALE_IN_MINUTES as usize;

/// A capacity change taking effect.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    /// When \[ns\].
    pub at: SimTime,
    /// Direction (0 reads, 1 writes).
    pub d: usize,
    /// The new capacity \[units/s\].
    pub to: f64,
}

/// What auto scaling did over the run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Counts {
    /// Increases decided (UpdateTable calls), both directions.
    pub scale_outs: u32,
    /// Decreases decided, both directions.
    pub scale_ins: u32,
    /// Scale-ins the decrease quota refused (each wait once, however many
    /// minutes it lasted).
    pub scale_ins_refused: u32,
    /// Lowest capacity in effect \[units/s\] (reads, writes).
    pub lowest: [f64; 2],
    /// Highest capacity in effect \[units/s\] (reads, writes).
    pub highest: [f64; 2],
}

/// The decrease quota of one table or GSI per UTC day (DynamoDB developer
/// guide, `ServiceQuotas.md`, aws-facts 5.2): up to four decreases within
/// one hour of the day's first one, then one when none happened in the
/// preceding hour: at most 27 a day.
#[derive(Clone, Copy, Debug)]
struct DecreaseQuota {
    /// Clock time of t = 0 \[ns after midnight UTC\].
    clock: SimDuration,
    /// The UTC day of the counts below (`u64::MAX`: none yet).
    day: u64,
    /// Decreases that day.
    today: u32,
    /// The day's first decrease, and the last \[ns\].
    first: SimTime,
    last: SimTime,
}

impl DecreaseQuota {
    /// Takes a decrease at `t` if the quota allows it.
    fn take(&mut self, t: SimTime) -> bool {
        let day = (self.clock + t) / DAY;
        if day != self.day {
            self.day = day;
            self.today = 0;
        }
        let ok = self.today == 0
            || (self.today < DECREASES_FIRST_HOUR && t < self.first + DECREASE_SPACING)
            || t >= self.last + DECREASE_SPACING;
        if ok {
            if self.today == 0 {
                self.first = t;
            }
            self.today += 1;
            self.last = t;
        }
        ok
    }
}

/// The auto-scaling state of one table or GSI.
#[derive(Clone, Debug)]
pub struct AutoScaler {
    /// Target utilisation \[fraction\].
    target: f64,
    min: [f64; 2],
    max: [f64; 2],
    delay: SimDuration,
    /// Capacity in effect \[units/s\].
    cap: [f64; 2],
    /// End of the current minute \[ns\].
    minute_end: SimTime,
    /// Units consumed in the current minute.
    units: [f64; 2],
    /// The last [`WINDOW`] minutes' units, oldest first from `head`.
    past: [[f64; WINDOW]; 2],
    head: usize,
    /// Datapoints so far (at most [`WINDOW`]).
    seen: usize,
    /// UpdateTable in progress: when it takes effect \[ns\] and the new
    /// capacity.
    pending: [Option<(SimTime, f64)>; 2],
    /// A scale-in is due and the quota refuses it.
    refusing: [bool; 2],
    quota: DecreaseQuota,
    /// What it did.
    pub counts: Counts,
    /// The next time anything happens (a minute ends, an update takes
    /// effect) \[ns\].
    pub next: SimTime,
}

impl AutoScaler {
    /// Auto scaling `cfg` of a table or GSI provisioned at `cap` \[units/s\]
    /// (reads, writes).
    pub fn new(cfg: &AutoScaling, cap: [f64; 2]) -> Self {
        // The first minute ends at the clock's next whole minute.
        let minute_end = MINUTE - cfg.clock % MINUTE;
        Self {
            target: cfg.target,
            min: [cfg.min.0, cfg.min.1],
            max: [cfg.max.0, cfg.max.1],
            delay: cfg.update_delay,
            cap,
            minute_end,
            units: [0.0; 2],
            past: [[0.0; WINDOW]; 2],
            head: 0,
            seen: 0,
            pending: [None; 2],
            refusing: [false; 2],
            quota: DecreaseQuota {
                clock: cfg.clock,
                day: u64::MAX,
                today: 0,
                first: 0,
                last: 0,
            },
            counts: Counts {
                lowest: cap,
                highest: cap,
                ..Counts::default()
            },
            next: minute_end,
        }
    }

    /// Target utilisation \[fraction\].
    pub fn target(&self) -> f64 {
        self.target
    }

    /// `units` consumed in direction `d` (in the current minute: call
    /// [`AutoScaler::step`] up to the attempt's time first).
    #[inline(always)]
    pub fn record(&mut self, d: usize, units: f64) {
        self.units[d] += units;
    }

    /// Catches up to `now`: closes every minute that ended and applies
    /// every update that took effect, up to the next capacity change,
    /// which it returns (call again until `None`). A minute that ends when
    /// an update takes effect is judged against the capacity it was
    /// consumed under.
    pub fn step(&mut self, now: SimTime) -> Option<Change> {
        while self.next <= now {
            let due = (0..2)
                .filter_map(|d| self.pending[d].map(|(at, to)| (at, d, to)))
                .filter(|&(at, ..)| at < self.minute_end)
                .min_by_key(|&(at, ..)| at);
            if let Some((at, d, to)) = due {
                self.pending[d] = None;
                self.cap[d] = to;
                self.refusing[d] = false;
                let c = &mut self.counts;
                c.lowest[d] = c.lowest[d].min(to);
                c.highest[d] = c.highest[d].max(to);
                self.set_next();
                return Some(Change { at, d, to });
            }
            self.close_minute();
            self.set_next();
        }
        None
    }

    fn set_next(&mut self) {
        self.next = self
            .pending
            .iter()
            .flatten()
            .map(|&(at, _)| at)
            .fold(self.minute_end, SimTime::min);
    }

    /// The minute ending at `minute_end` becomes a datapoint; each
    /// direction's alarms are evaluated on it.
    fn close_minute(&mut self) {
        let t = self.minute_end;
        for d in 0..2 {
            self.past[d][self.head] = self.units[d];
        }
        self.head = (self.head + 1) % WINDOW;
        self.seen = (self.seen + 1).min(WINDOW);
        self.units = [0.0; 2];
        self.minute_end += MINUTE;
        for d in 0..2 {
            if self.pending[d].is_none() {
                self.decide(t, d);
            }
        }
    }

    /// The last `n` datapoints of direction `d` (n <= what was seen).
    fn last(&self, d: usize, n: usize) -> impl Iterator<Item = f64> + '_ {
        (1..=n).map(move |k| self.past[d][(self.head + WINDOW - k) % WINDOW])
    }

    /// The alarms of direction `d` at `t`, the end of a minute.
    fn decide(&mut self, t: SimTime, d: usize) {
        let cap = self.cap[d];
        // Thresholds on a minute's units.
        let high = self.target * cap * 60.0;
        let low = (self.target - SCALE_IN_MARGIN) * cap * 60.0;
        let out = SCALE_OUT_MINUTES as usize;
        if self.seen >= out && self.last(d, out).all(|u| u > high) {
            self.refusing[d] = false;
            let want = self.want(d);
            if want > cap {
                self.pending[d] = Some((t + self.delay, want));
                self.counts.scale_outs += 1;
            }
        } else if self.seen >= WINDOW && self.last(d, WINDOW).all(|u| u < low) {
            let want = self.want(d);
            if want >= cap {
                return;
            }
            if self.quota.take(t) {
                self.refusing[d] = false;
                self.pending[d] = Some((t + self.delay, want));
                self.counts.scale_ins += 1;
            } else if !self.refusing[d] {
                self.refusing[d] = true;
                self.counts.scale_ins_refused += 1;
            }
        } else {
            self.refusing[d] = false;
        }
    }

    /// Target tracking's capacity for direction `d`: the last minute's
    /// consumed rate over the target, in whole units, within min..=max.
    fn want(&self, d: usize) -> f64 {
        let rate = self.last(d, 1).next().unwrap_or(0.0) / 60.0;
        // The epsilon keeps an exact quotient (35 / 0.7) from rounding up.
        (rate / self.target - 1e-9)
            .ceil()
            .clamp(self.min[d], self.max[d])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: SimDuration = MINUTE;

    fn scaler(target: f64, min: f64, max: f64, cap: f64, clock: SimDuration) -> AutoScaler {
        let cfg = AutoScaling {
            min: (min, min),
            max: (max, max),
            clock,
            ..AutoScaling::new(target)
        };
        // Reads idle at their minimum: they never change.
        AutoScaler::new(&cfg, [min, cap])
    }

    /// Consumes `rate` units/s of writes during minute `m` (whole minutes
    /// from t = 0) and catches up to its start; returns the changes.
    fn minute(a: &mut AutoScaler, m: u64, rate: f64) -> Vec<Change> {
        let mut out = Vec::new();
        while let Some(c) = a.step(m * M) {
            out.push(c);
        }
        a.record(1, rate * 60.0);
        out
    }

    #[test]
    fn scale_out_needs_two_minutes_above_the_target_and_the_delay() {
        let mut a = scaler(0.7, 1.0, 40_000.0, 100.0, 0);
        let delay = a.delay;
        // 60 % for 10 minutes: nothing.
        for m in 0..10 {
            assert!(minute(&mut a, m, 60.0).is_empty());
        }
        // 200/s from minute 10: decided at 12:00, in effect a delay later.
        assert!(minute(&mut a, 10, 200.0).is_empty());
        assert!(minute(&mut a, 11, 200.0).is_empty());
        assert_eq!(a.counts.scale_outs, 0);
        assert!(minute(&mut a, 12, 200.0).is_empty());
        assert_eq!(a.counts.scale_outs, 1, "decided at the end of minute 11");
        let c = a.step(12 * M + delay).expect("in effect");
        // ceil(200 / 0.7) = 286.
        assert_eq!(
            c,
            Change {
                at: 12 * M + delay,
                d: 1,
                to: 286.0
            }
        );
        assert_eq!(a.counts.highest, [1.0, 286.0]);
        assert_eq!(a.cap, [1.0, 286.0]);
    }

    #[test]
    fn one_minute_above_is_not_an_alarm_and_maximum_and_minimum_clamp() {
        let mut a = scaler(0.5, 50.0, 120.0, 100.0, 0);
        // Alternating above and below: never two in a row.
        for m in 0..20 {
            let rate = if m % 2 == 0 { 80.0 } else { 40.0 };
            assert!(minute(&mut a, m, rate).is_empty(), "{m}");
        }
        // 1000/s: ceil(1000 / 0.5) clamps to the maximum, 120.
        for m in 20..22 {
            minute(&mut a, m, 1000.0);
        }
        let c = a.step(22 * M + a.delay).unwrap();
        assert_eq!(c.to, 120.0);
        // At the maximum, more load changes nothing.
        for m in 23..40 {
            assert!(minute(&mut a, m, 1000.0).is_empty());
        }
        // Idle: after 15 minutes below (0.5 - 0.2) x 120, down to the
        // minimum, 50 (not 0).
        let mut got = Vec::new();
        for m in 40..60 {
            got.extend(minute(&mut a, m, 0.0));
        }
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].to, 50.0);
        // The 15th idle minute (54) ends at 55:00.
        assert_eq!(got[0].at, 55 * M + a.delay);
    }

    #[test]
    fn the_exact_quotient_does_not_round_up() {
        let mut a = scaler(0.7, 1.0, 40_000.0, 10.0, 0);
        for m in 0..2 {
            minute(&mut a, m, 35.0);
        }
        assert_eq!(a.step(2 * M + a.delay).unwrap().to, 50.0);
    }

    /// Decreases asked for every minute: four within the first hour of
    /// the UTC day's first one, then one an hour; the count starts again
    /// at UTC midnight, which `clock` moves.
    #[test]
    fn the_decrease_quota_of_a_utc_day() {
        let clock = 22 * 3600 * SECONDS; // t = 0 is 22:00 UTC
        let mut q = DecreaseQuota {
            clock,
            day: u64::MAX,
            today: 0,
            first: 0,
            last: 0,
        };
        let taken: Vec<u64> = (0..4 * 60)
            .map(|m| m * M)
            .filter(|&t| q.take(t))
            .map(|t| t / M)
            .collect();
        // 22:00, 22:01, 22:02, 22:03; 23:03; then midnight (t = 120 min):
        // four more, and 01:03.
        assert_eq!(taken, vec![0, 1, 2, 3, 63, 120, 121, 122, 123, 183]);
        // A whole day asking every minute: 27.
        let mut q = DecreaseQuota {
            day: u64::MAX,
            today: 0,
            ..q
        };
        let day: Vec<u64> = (0..1440)
            .map(|m| (120 + m) * M)
            .filter(|&t| q.take(t))
            .collect();
        assert_eq!(day.len(), 27);
    }

    /// A load that halves after every decrease: each decrease needs 15
    /// new minutes below the new threshold; the fifth waits until an hour
    /// after the fourth, and each wait is counted once.
    #[test]
    fn a_refused_scale_in_waits_for_the_quota_and_counts_once() {
        let mut a = scaler(0.7, 1.0, 1000.0, 1000.0, 0);
        let mut rate = 400.0; // 40 % of 1000: below 50 %
        let mut got = Vec::new();
        for m in 0..200 {
            // The load of minute m follows a change at its start.
            while let Some(c) = a.step(m * M) {
                rate /= 2.0;
                got.push(c);
            }
            a.record(1, rate * 60.0);
        }
        let decided: Vec<u64> = got.iter().map(|c| (c.at - a.delay) / M).collect();
        let to: Vec<f64> = got.iter().map(|c| c.to).collect();
        // 15:00 (minutes 0-14), then 15 minutes after each takes effect
        // (a delay later): 31, 47, 63 (the fourth, within an hour of the
        // first); the next, due at 79, waits for 63 + 60; then 139 waits
        // for 183; 199 is refused too.
        assert_eq!(decided, vec![15, 31, 47, 63, 123, 183]);
        // ceil(400 / 0.7), ceil(200 / 0.7), ...
        assert_eq!(to, vec![572.0, 286.0, 143.0, 72.0, 36.0, 18.0]);
        assert_eq!(a.counts.scale_ins, 6);
        assert_eq!(a.counts.scale_ins_refused, 3);
        assert_eq!(a.counts.lowest, [1.0, 18.0]);
    }

    /// Idle minutes are zero datapoints whether they are caught up one by
    /// one or in one call; CloudWatch's minutes follow the clock, not t = 0.
    #[test]
    fn idle_minutes_count_and_minutes_follow_the_clock() {
        let clock = 30 * SECONDS; // t = 0 is 00:00:30
        let mut one = scaler(0.7, 5.0, 1000.0, 500.0, clock);
        assert_eq!(one.next, 30 * SECONDS, "the first minute ends at 00:01:00");
        let mut many = one.clone();
        let end = 3 * 3600 * SECONDS;
        let mut a: Vec<Change> = std::iter::from_fn(|| one.step(end)).collect();
        let mut b = Vec::new();
        for t in (0..=end).step_by(7 * SECONDS as usize) {
            b.extend(std::iter::from_fn(|| many.step(t)));
        }
        b.extend(std::iter::from_fn(|| many.step(end)));
        assert_eq!(a, b);
        // Idle from t = 0: the 15th zero minute ends at 00:15:00 on the
        // clock (t = 14 min 30 s); then the minimum.
        assert_eq!(a.len(), 1);
        let c = a.pop().unwrap();
        assert_eq!(c.at, 30 * SECONDS + 14 * M + one.delay);
        assert_eq!(c.to, 5.0);
    }

    /// Reads and writes of one table share its decrease quota: both idle
    /// from the start ask at the same minute; reads go first.
    #[test]
    fn reads_and_writes_share_the_decrease_quota() {
        let cfg = AutoScaling {
            update_delay: 0,
            ..AutoScaling::new(0.7)
        };
        let mut a = AutoScaler::new(&cfg, [100.0, 100.0]);
        let got: Vec<Change> = std::iter::from_fn(|| a.step(15 * M)).collect();
        assert_eq!(
            got,
            vec![
                Change {
                    at: 15 * M,
                    d: 0,
                    to: 1.0
                },
                Change {
                    at: 15 * M,
                    d: 1,
                    to: 1.0
                }
            ]
        );
        assert_eq!(a.quota.today, 2);
        assert_eq!(a.counts.scale_ins, 2);
    }
}
