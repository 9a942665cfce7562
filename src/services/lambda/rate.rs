//! Lambda's request-rate limits: the account's invocation rate (10 x the
//! account concurrency per second, shared by all functions), a function's
//! own rate (10 x its concurrency ceiling, reached by the RPS part of the
//! scaling rule: 10,000 requests per second at first, 10,000 more every
//! 10 s), and the provisioned-concurrency invoke rate (10 x the allocated
//! environments). Sources: aws-facts 1.1 ("Invocation request rate quota",
//! "Current scaling rate", "PC invoke rate quota") and 10.6 (the per-function
//! throttle reasons `FunctionInvocationRateLimitExceeded` and
//! `ReservedFunctionInvocationRateLimitExceeded`).
//!
//! AWS does not publish how it measures a rate; slsim counts requests in
//! fixed one-second windows (an assumption), so a limit of `n` per second
//! admits at most `n` requests in every second `[k s, (k + 1) s)`.

use crate::engine::{SimTime, SECONDS};

/// Requests per second allowed per unit of concurrency: the account's
/// invocation rate, a function's rate and the provisioned invoke rate
/// (aws-facts 1.1 and 10.6: "10 x").
pub const REQUESTS_PER_CONCURRENCY: u64 = 10;
/// A function's initial request rate, and what the scaling rule adds
/// every 10 s \[requests/s\] (aws-facts 1.1: "10,000 RPS every 10 s").
pub const FUNCTION_RPS_STEP: u64 = 10_000;

/// A limit of `limit` requests in every one-second window.
#[derive(Clone, Debug)]
pub struct RateWindow {
    /// Requests allowed per window.
    pub limit: u64,
    /// End of the window in progress \[ns\].
    end: SimTime,
    count: u64,
}

impl RateWindow {
    /// `limit` requests per second.
    pub fn new(limit: u64) -> Self {
        Self {
            limit,
            end: 0,
            count: 0,
        }
    }

    /// End of the window in progress \[ns\].
    #[inline]
    pub fn end(&self) -> SimTime {
        self.end
    }

    /// Starts the window containing `now` (which is past the one in
    /// progress).
    #[cold]
    pub fn start(&mut self, now: SimTime) {
        self.end = (now / SECONDS + 1) * SECONDS;
        self.count = 0;
    }

    /// Counts a request in the window in progress if it has room.
    #[inline]
    pub fn take(&mut self) -> bool {
        if self.count < self.limit {
            self.count += 1;
            true
        } else {
            false
        }
    }

    /// Counts a request at `now` if the window has room.
    #[inline]
    pub fn try_take(&mut self, now: SimTime) -> bool {
        if now >= self.end {
            self.start(now);
        }
        self.take()
    }
}

/// A function's request rate: a one-second window whose limit starts at
/// [`FUNCTION_RPS_STEP`] and grows by a tenth of it for every second in
/// which it was reached (10,000 more every 10 s, refilled continuously),
/// up to 10 x the function's concurrency ceiling. It does not shrink
/// again within a run (an assumption: AWS publishes no decay).
#[derive(Clone, Debug)]
pub struct FunctionRate {
    window: RateWindow,
    ceiling: u64,
}

impl FunctionRate {
    /// For a function whose concurrency can reach `concurrency` (its
    /// reservation, else the account's concurrency).
    pub fn new(concurrency: u32) -> Self {
        // A reservation of 0 throttles every request for concurrency; the
        // rate stays open so that the throttle is counted as that.
        let ceiling = REQUESTS_PER_CONCURRENCY * u64::from(concurrency.max(1));
        Self {
            window: RateWindow::new(FUNCTION_RPS_STEP.min(ceiling)),
            ceiling,
        }
    }

    /// The limit in force \[requests/s\].
    pub fn limit(&self) -> u64 {
        self.window.limit
    }

    /// Counts a request at `now` if the function's rate allows it (the
    /// simulation calls [`FunctionRate::take`], whose caller knows the
    /// second's end).
    #[cfg(test)]
    fn try_take(&mut self, now: SimTime) -> bool {
        self.take(now, (now / SECONDS + 1) * SECONDS)
    }

    /// Counts a request at `now` if the function's rate allows it; `end` is the end of
    /// the second containing `now`.
    #[inline]
    pub fn take(&mut self, now: SimTime, end: SimTime) -> bool {
        let w = &mut self.window;
        if now >= w.end {
            self.next_window(end);
        }
        let w = &mut self.window;
        // Rejected requests are counted too (count > limit marks a full
        // window); they cannot overflow a u64.
        w.count += 1;
        w.count <= w.limit
    }

    #[cold]
    fn next_window(&mut self, end: SimTime) {
        let w = &mut self.window;
        // The last window was full (a request found no room): the rate
        // scaled up meanwhile.
        if w.count > w.limit {
            w.limit = (w.limit + FUNCTION_RPS_STEP / 10).min(self.ceiling);
        }
        w.end = end;
        w.count = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_admits_its_limit_per_second() {
        let mut r = RateWindow::new(3);
        let taken: Vec<bool> = (0..5).map(|i| r.try_take(i * 1000)).collect();
        assert_eq!(taken, [true, true, true, false, false]);
        assert!(r.try_take(SECONDS));
        assert!(!RateWindow::new(0).try_take(0));
    }

    #[test]
    fn a_function_rate_starts_at_10k_and_grows_1k_per_saturated_second() {
        let mut f = FunctionRate::new(5_000);
        assert_eq!(f.limit(), 10_000);
        for s in 0..3u64 {
            let served = (0..20_000)
                .filter(|i| f.try_take(s * SECONDS + i * 10_000))
                .count() as u64;
            assert_eq!(served, 10_000 + 1_000 * s);
        }
        // An idle second does not grow it.
        assert!(f.try_take(10 * SECONDS));
        assert_eq!(f.limit(), 13_000);
        // The ceiling is 10 x the concurrency.
        let mut small = FunctionRate::new(10);
        assert_eq!(small.limit(), 100);
        for s in 0..3u64 {
            for i in 0..200 {
                small.try_take(s * SECONDS + i);
            }
        }
        assert_eq!(small.limit(), 100);
    }
}
