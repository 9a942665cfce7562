//! Keep-alive policies of on-demand environments: `fixed` (AWS's
//! behaviour: idle environments expire `keep_alive` after their last use;
//! the code path of `Function::release` and `Function::keep_alive_timer`
//! in `mod.rs`), `none` (destroyed when released) and the hybrid
//! histogram policy of Shahrad et al., "Serverless in the Wild", USENIX
//! ATC '20, section 4.2 (here).
//!
//! The hybrid policy keeps, per function, a histogram of idle times (from
//! the end of an invocation to the start of the function's next one), one
//! preallocated count per bin. At each release it derives two windows:
//! pre-warm = the head percentile's bin start shortened by the margin,
//! keep-alive = the tail percentile's bin end lengthened by the margin,
//! minus the pre-warm. With a pre-warm window the released environment is
//! unloaded at once and a warm one is loaded that much later (a pending
//! pre-warm of the function's queue, drained by its keep-alive timer);
//! without one the environment stays idle. The windows are the function's:
//! each release recomputes them, and every idle environment and pending
//! pre-warm of the function follows the latest (so the idle list stays in
//! expiry order and one timer per function suffices). When the histogram is
//! not representative (too few idle times, or a coefficient of variation of
//! the bin counts below the threshold) or too many idle times fall beyond
//! its range, the policy falls back to a fixed keep-alive of the range and
//! no pre-warm (the paper uses ARIMA for the out-of-bounds case; slsim does
//! not model it). A cold start cancels the oldest pending pre-warm: that
//! environment came back early. Provisioned environments are untouched.
//!
//! Must not know: events or other kinds; the caller schedules the timer.

use std::collections::VecDeque;

use super::timeline::Phase;
use super::{EnvState, Function, Release};
use crate::engine::{SimDuration, SimTime};
use crate::metrics::SeriesRecorder;
use crate::model::{Hybrid, KeepAlivePolicy};

/// A function's keep-alive policy at run time.
pub(super) enum KeepAlive {
    /// `keep_alive` after the last use.
    Fixed,
    /// Destroyed when released.
    None,
    /// The hybrid histogram policy.
    Hybrid(Box<Histogram>),
}

impl KeepAlive {
    pub(super) fn new(p: &KeepAlivePolicy) -> Self {
        match p {
            KeepAlivePolicy::Fixed => KeepAlive::Fixed,
            KeepAlivePolicy::None => KeepAlive::None,
            KeepAlivePolicy::Hybrid(h) => KeepAlive::Hybrid(Box::new(Histogram::new(*h))),
        }
    }

    /// Bytes allocated.
    pub(super) fn footprint(&self) -> usize {
        match self {
            KeepAlive::Hybrid(h) => h.bins.capacity() * 8 + h.pending.capacity() * 8,
            _ => 0,
        }
    }
}

/// The hybrid policy's state: the idle-time histogram, the current
/// windows and the pending pre-warms.
pub(super) struct Histogram {
    p: Hybrid,
    /// Idle times per bin (preallocated: `range / bin` bins).
    bins: Vec<u64>,
    /// Idle times within the range.
    in_range: u64,
    /// Sum of the squared bin counts (for their coefficient of variation).
    sum_sq: u128,
    /// Idle times beyond the range.
    oob: u64,
    /// End of the last invocation not yet followed by a start.
    last_end: Option<SimTime>,
    /// The histogram changed since the windows were computed.
    dirty: bool,
    /// Pre-warm window \[ns\].
    prewarm: SimDuration,
    /// Keep-alive window \[ns\].
    keep: SimDuration,
    /// Release times of environments unloaded for a pre-warm, oldest
    /// first; each is loaded again `prewarm` after its release.
    pending: VecDeque<SimTime>,
}

impl Histogram {
    fn new(p: Hybrid) -> Self {
        Self {
            p,
            bins: vec![0; p.bins()],
            in_range: 0,
            sum_sq: 0,
            oob: 0,
            last_end: None,
            dirty: false,
            prewarm: 0,
            keep: p.range,
            pending: VecDeque::new(),
        }
    }

    /// Adds one idle time \[ns\].
    fn record(&mut self, idle: SimDuration) {
        let i = (idle / self.p.bin) as usize;
        match self.bins.get_mut(i) {
            Some(c) => {
                self.sum_sq += 2 * u128::from(*c) + 1;
                *c += 1;
                self.in_range += 1;
            }
            None => self.oob += 1,
        }
        self.dirty = true;
    }

    /// Coefficient of variation of the bin counts (sample standard
    /// deviation over the mean); 0 when empty.
    fn cv(&self) -> f64 {
        let n = self.bins.len() as f64;
        let s = self.in_range as f64;
        if s == 0.0 || n < 2.0 {
            return 0.0;
        }
        let mean = s / n;
        let var = (self.sum_sq as f64 - s * mean) / (n - 1.0);
        var.max(0.0).sqrt() / mean
    }

    /// The first bin at which the cumulative share reaches `q` \[%\].
    fn percentile(&self, q: f64) -> u64 {
        let want = q / 100.0 * self.in_range as f64;
        let mut sum = 0u64;
        for (i, &c) in self.bins.iter().enumerate() {
            sum += c;
            if sum as f64 >= want && sum > 0 {
                return i as u64;
            }
        }
        self.bins.len() as u64 - 1
    }

    /// True when the windows come from the histogram (not the fallback).
    fn representative(&self) -> bool {
        let total = self.in_range + self.oob;
        total > 0
            && (self.oob as f64) * 100.0 < self.p.oob * total as f64
            && self.in_range >= u64::from(self.p.min_samples)
            && self.cv() >= self.p.cv
    }

    /// (pre-warm, keep-alive) windows \[ns\], recomputed when the histogram
    /// changed (at most one scan of the bins per release).
    fn windows(&mut self) -> (SimDuration, SimDuration) {
        if self.dirty {
            self.dirty = false;
            (self.prewarm, self.keep) = if self.representative() {
                let bin = self.p.bin as f64;
                let m = self.p.margin / 100.0;
                let head = self.percentile(self.p.head) as f64 * bin;
                let tail = (self.percentile(self.p.tail) + 1) as f64 * bin;
                let pre = (head * (1.0 - m)).round() as SimDuration;
                let end = (tail * (1.0 + m)).round() as SimDuration;
                (pre, end.saturating_sub(pre).max(1))
            } else {
                (0, self.p.range)
            };
        }
        (self.prewarm, self.keep)
    }
}

impl Function {
    /// An invocation started at `now` (`cold`: on a new environment): the
    /// idle time since the last end joins the histogram; a cold start
    /// cancels the oldest pending pre-warm.
    #[inline]
    pub(super) fn note_start(&mut self, now: SimTime, cold: bool) {
        if let KeepAlive::Hybrid(h) = &mut self.policy {
            if let Some(end) = h.last_end.take() {
                h.record(now.saturating_sub(end));
            }
            if cold {
                h.pending.pop_front();
            }
        }
    }

    /// An invocation ended at `now`.
    #[inline]
    pub(super) fn note_end(&mut self, now: SimTime) {
        if let KeepAlive::Hybrid(h) = &mut self.policy {
            h.last_end = Some(now);
        }
    }

    /// Releases an on-demand environment, still young enough, under a
    /// policy other than `fixed`.
    pub(super) fn release_by_policy(
        &mut self,
        env: u32,
        now: SimTime,
        rec: &mut SeriesRecorder,
    ) -> Release {
        let (prewarm, keep) = match &mut self.policy {
            KeepAlive::Hybrid(h) => h.windows(),
            _ => {
                self.destroy(env, now, rec, Phase::Expired);
                return Release::Nothing;
            }
        };
        self.keep_alive = keep;
        if prewarm == 0 {
            self.idle_od.push_back(env);
        } else {
            self.destroy(env, now, rec, Phase::Expired);
            if let KeepAlive::Hybrid(h) = &mut self.policy {
                h.pending.push_back(now);
            }
        }
        // The windows may have shrunk: fire earlier than the pending timer
        // (which then goes stale, see `timer_gen`).
        // (A window that shrank may put the next due time in the past.)
        match self.next_due().map(|at| at.max(now)) {
            Some(at) if self.timer_at.is_none_or(|t| at < t) => {
                self.timer_at = Some(at);
                self.timer_gen = self.timer_gen.wrapping_add(1);
                Release::KeepAliveAt(at)
            }
            _ => Release::Nothing,
        }
    }

    /// When the oldest idle environment expires or the oldest pending
    /// pre-warm is due, whichever is first.
    fn next_due(&self) -> Option<SimTime> {
        let idle = self.idle_od.front().map(|env| {
            self.envs[env as usize]
                .idle_since
                .saturating_add(self.keep_alive)
        });
        let warm = match &self.policy {
            KeepAlive::Hybrid(h) => h.pending.front().map(|t| t.saturating_add(h.prewarm)),
            _ => None,
        };
        match (idle, warm) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The hybrid policy's part of the keep-alive timer: loads the
    /// environments whose pre-warm is due (idle from `now`), expires the
    /// idle ones due, and returns the next due time.
    pub(super) fn prewarm_timer(
        &mut self,
        now: SimTime,
        rec: &mut SeriesRecorder,
    ) -> Option<SimTime> {
        let mut due = 0u32;
        if let KeepAlive::Hybrid(h) = &mut self.policy {
            while h
                .pending
                .front()
                .is_some_and(|t| t.saturating_add(h.prewarm) <= now)
            {
                h.pending.pop_front();
                due += 1;
            }
        }
        for _ in 0..due {
            let env = self.new_env(now, false, EnvState::Idle);
            self.idle_od.push_back(env);
            self.live.change(now, 1, rec);
            if now >= self.busy.warmup() {
                self.counters.prewarms += 1;
            }
        }
        self.expire_idle(now, rec);
        self.next_due()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SECONDS;

    fn hist(p: Hybrid, idle_s: &[u64]) -> Histogram {
        let mut h = Histogram::new(p);
        for &s in idle_s {
            h.record(s * SECONDS);
        }
        h
    }

    #[test]
    fn windows_from_head_and_tail_with_margin() {
        // Idle times 9..=10 min, 1-minute bins: head bin 9, tail bin 10.
        let idle: Vec<u64> = (0..100).map(|i| 540 + (i % 2) * 60 + i % 30).collect();
        let mut h = hist(Hybrid::PAPER, &idle);
        let (pre, keep) = h.windows();
        let min = 60 * SECONDS;
        assert_eq!(pre, 9 * min * 9 / 10);
        assert_eq!(pre + keep, 11 * min * 11 / 10);
    }

    #[test]
    fn falls_back_when_not_representative_or_out_of_bounds() {
        let range = Hybrid::PAPER.range;
        // Too few samples.
        let mut h = hist(Hybrid::PAPER, &[600; 9]);
        assert_eq!(h.windows(), (0, range));
        h.record(600 * SECONDS);
        assert_ne!(h.windows(), (0, range));
        // Flat histogram: CV below 2.
        let flat: Vec<u64> = (0..240 * 4).map(|i| (i % 240) * 60).collect();
        assert!(hist(Hybrid::PAPER, &flat).cv() < 1e-9);
        assert_eq!(hist(Hybrid::PAPER, &flat).windows(), (0, range));
        // Half the idle times beyond 4 h.
        let mut far = vec![600; 20];
        far.extend([5 * 3600; 20]);
        assert_eq!(hist(Hybrid::PAPER, &far).windows(), (0, range));
    }

    #[test]
    fn cv_matches_the_direct_formula() {
        let idle: Vec<u64> = (0..500).map(|i| (i * i) % 7000).collect();
        let h = hist(Hybrid::PAPER, &idle);
        let n = h.bins.len() as f64;
        let mean = h.in_range as f64 / n;
        let var = h
            .bins
            .iter()
            .map(|&c| (c as f64 - mean).powi(2))
            .sum::<f64>()
            / (n - 1.0);
        assert!((h.cv() - var.sqrt() / mean).abs() < 1e-9);
    }
}
