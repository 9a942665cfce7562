//! A function's accounting: what its flow reports (throttles, starts,
//! failures) and the billed duration of an ended invocation (aws-facts
//! 1.5, 1.10).

use super::Function;
use crate::engine::{SimDuration, SimTime, MILLIS};
use crate::metrics::SeriesRecorder;

impl Function {
    /// Accounting: a request found no room (concurrency or scaling).
    #[inline]
    pub fn on_throttle(
        &mut self,
        now: SimTime,
        measured: bool,
        by_rate: bool,
        rec: &mut SeriesRecorder,
    ) {
        if measured {
            self.counters.throttles += 1;
            self.counters.rate_throttles += by_rate as u64;
        }
        rec.add(self.series.throttles, now, 1.0);
        if let Some(t) = &mut self.timeline {
            t.throttled(now);
        }
    }

    /// Accounting: an invocation started, cold or warm.
    #[inline]
    pub fn on_start(&mut self, now: SimTime, measured: bool, cold: bool, rec: &mut SeriesRecorder) {
        if measured {
            self.counters.invocations += 1;
            self.counters.cold_starts += cold as u64;
        }
        rec.add(self.series.invocations, now, 1.0);
        if cold {
            rec.add(self.series.cold_starts, now, 1.0);
        }
    }

    /// Accounting: a measured invocation ended with an error or a timeout.
    #[inline]
    pub fn on_failure(&mut self, timed_out: bool) {
        if timed_out {
            self.counters.timeouts += 1;
        } else {
            self.counters.errors += 1;
        }
    }

    /// Records billing for an ended invocation of `run` ns after `init` ns
    /// of initialisation: billed duration is rounded up to 1 ms, init
    /// included, and is at least 1 ms (aws-facts §1.5 INIT billing since
    /// 2025-08-01; §1.10 1 ms granularity: an invocation is billed at least
    /// one unit, so a 0 ms invocation bills 1 ms).
    pub fn bill(&mut self, env: u32, init: SimDuration, run: SimDuration) {
        let billed_ms = billed_ms(init + run);
        let gb_s = billed_ms as f64 * 1e-3 * self.memory_gb();
        if self.envs[env as usize].provisioned {
            self.counters.provisioned_gb_seconds += gb_s;
        } else {
            self.counters.gb_seconds += gb_s;
        }
        self.counters.duration_sum += run as f64;
        self.counters.init_sum += init as f64;
        self.counters.ended += 1;
    }
}

impl Function {
    /// Records billing for the re-initialisation of a provisioned
    /// environment that took `init`: billed like an invocation's init
    /// (aws-facts 1.1: the init of recycled provisioned environments is
    /// billed; 1.5: INIT billed like duration), at the provisioned
    /// duration price (an assumption: the environment is a provisioned one).
    #[cold]
    pub(super) fn bill_reinit(&mut self, init: SimDuration) {
        self.counters.reinits += 1;
        self.counters.provisioned_gb_seconds += billed_ms(init) as f64 * 1e-3 * self.memory_gb();
    }
}

/// Billed duration \[ms\] of an invocation that took `ns` (init included):
/// rounded up to 1 ms, at least 1 ms.
#[inline]
pub fn billed_ms(ns: SimDuration) -> u64 {
    ns.div_ceil(MILLIS).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billing_rounds_up_to_1ms_and_bills_at_least_1ms() {
        assert_eq!(billed_ms(0), 1);
        assert_eq!(billed_ms(1), 1);
        assert_eq!(billed_ms(MILLIS), 1);
        assert_eq!(billed_ms(MILLIS + 1), 2);
        assert_eq!(billed_ms(1_500 * MILLIS), 1_500);
        assert_eq!(billed_ms(u64::MAX), u64::MAX.div_ceil(MILLIS));
    }
}
