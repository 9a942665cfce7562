//! The AWS SDK's retries as its client keeps them at run time: one
//! [`SdkClient`] per (function, table) pair, held in [`SdkClients`] (one
//! `Vec`, indexed by a slot number fixed at build time), with the retry
//! quota and the adaptive rate limiter where the mode has them.
//!
//! Owns: the decision after a failed attempt ([`SdkClient::on_error`]:
//! retry after a backoff, or give up because the attempts are exhausted or
//! the quota is empty), the quota's refund on success
//! ([`SdkClient::on_success`]), the wait for a send token in adaptive mode
//! ([`SdkClient::send_delay`]), and the backoff draw. Must not know: the
//! event queue, frames, or which service failed the attempt: it takes
//! times and a random stream and returns durations, so that the caller's
//! `flow.rs` schedules.
//!
//! The model and its sources are in `model::sdk_retry`; in words:
//!
//! - legacy: `min(cap, base × 2^n)`, no quota, no limiter;
//! - standard (before 2026): `min(cap, U × base × 2^n)`, a quota of 500
//!   tokens, 5 a retry (10 after a timeout);
//! - standard-2026: `U × min(cap, base × 2^n)` with `base` = 25 ms after
//!   transient errors and 1 s after throttling errors, 14 tokens a retry
//!   (5 after a throttling error);
//! - adaptive: standard-2026 plus a client-side rate limiter, described in
//!   [`RateLimiter`].
//!
//! A success gives back the cost of the request's last retry, or 1 token
//! when it needed none (never above the capacity). No allocation after
//! [`SdkClients::build`].

use rand::Rng;

use crate::engine::{SimDuration, SimTime};
use crate::model::sdk_retry::adaptive::{
    BETA, INTERVAL_S, MAX_RATE_ADJUST, MIN_RATE, SCALE, SMOOTHING,
};
use crate::model::{Jitter, RetryQuota, Scenario, SdkRetry, Step};
use crate::services::token_bucket::TokenBucket;

/// What failed an attempt, as the SDK classifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A throttling error (DynamoDB's `ProvisionedThroughputExceededException`,
    /// `ThrottlingException`).
    Throttle,
    /// Another retryable error (HTTP 500/502/503/504, a connection error).
    Transient,
    /// The client's own timeout of an attempt (a transient error that
    /// costs more quota before 2026).
    Timeout,
}

/// Why the SDK stopped retrying: the error reaches the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GiveUp {
    /// That was the last of `max_attempts`.
    AttemptsExhausted,
    /// The retry quota holds fewer tokens than the retry would cost.
    QuotaEmpty,
}

/// The SDK's answer to a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Send the next attempt after `backoff`, which took `cost` quota
    /// tokens (0 without a quota); keep `cost` for
    /// [`SdkClient::on_success`].
    Retry {
        /// Wait before the next attempt \[ns\].
        backoff: SimDuration,
        /// Quota tokens taken by this retry.
        cost: u16,
    },
    /// Return the error.
    GiveUp(GiveUp),
}

/// Seconds of simulated time.
#[inline]
fn secs(t: SimTime) -> f64 {
    t as f64 * 1e-9
}

/// Adaptive mode's client-side rate limiter (the reference guide's
/// `GetSendToken` and `RequestBookkeeping`; botocore `adaptive.py`,
/// `bucket.py`, `throttling.py`; constants in `model::sdk_retry::adaptive`).
///
/// - Off until the first throttling error; then every attempt takes a
///   send token first, from a bucket refilled at the *send rate* and
///   holding at most `max(1, rate)` tokens. A send that finds the bucket
///   short waits until its token has accrued; sends that wait together are
///   served in order (the bucket may go negative by the tokens promised)
///   \[A\]: a wait, once given, is not shortened when the rate rises.
/// - Every response updates the *measured rate*: responses counted over
///   0.5 s intervals, smoothed (0.8 × the newest interval + 0.2 × the old
///   value).
/// - A throttling error sets `w_max` to the rate the client was sending at
///   (the measured rate, or the send rate if lower, once on), and the send
///   rate to `0.7 × w_max`; a success sets it to the CUBIC curve
///   `0.4 × (t − t_fail − k)³ + w_max`, with `k = ∛(w_max × 0.3 / 0.4)` the
///   time it takes to grow back to `w_max`. Either way the send rate is at
///   most 2 × the measured rate, and at least 0.5 per second.
#[derive(Clone, Debug)]
pub struct RateLimiter {
    enabled: bool,
    bucket: TokenBucket,
    w_max: f64,
    k: f64,
    last_fail: f64,
    measured: f64,
    interval_start: f64,
    count: f64,
}

impl RateLimiter {
    /// A limiter created at `now`: off, with an empty bucket.
    pub fn new(now: SimTime) -> Self {
        let mut bucket = TokenBucket::full(1.0, 1.0);
        bucket.available(now);
        bucket.take(1.0);
        let t = secs(now);
        Self {
            enabled: false,
            bucket,
            w_max: 0.0,
            k: 0.0,
            last_fail: t,
            measured: 0.0,
            interval_start: (t / INTERVAL_S).floor() * INTERVAL_S,
            count: 0.0,
        }
    }

    /// True once a throttling error has turned it on.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The send rate \[tokens/s\].
    pub fn send_rate(&self) -> f64 {
        self.bucket.rate
    }

    /// The smoothed measured response rate \[1/s\].
    pub fn measured_rate(&self) -> f64 {
        self.measured
    }

    /// Counts one response at `t` \[s\]; returns the measured rate.
    fn record(&mut self, t: f64) -> f64 {
        self.count += 1.0;
        let start = (t / INTERVAL_S).floor() * INTERVAL_S;
        if start > self.interval_start {
            let current = self.count / (start - self.interval_start);
            self.measured = SMOOTHING * current + (1.0 - SMOOTHING) * self.measured;
            self.count = 0.0;
            self.interval_start = start;
        }
        self.measured
    }

    /// A response arrived at `now`; `throttled` when it was a throttling
    /// error.
    pub fn on_response(&mut self, now: SimTime, throttled: bool) {
        let t = secs(now);
        let measured = self.record(t);
        let rate = if throttled {
            let sending = if self.enabled {
                measured.min(self.bucket.rate)
            } else {
                measured
            };
            self.w_max = sending;
            self.k = (sending * (1.0 - BETA) / SCALE).cbrt();
            self.last_fail = t;
            self.enabled = true;
            sending * BETA
        } else {
            SCALE * (t - self.last_fail - self.k).powi(3) + self.w_max
        };
        let rate = rate.min(MAX_RATE_ADJUST * measured);
        self.bucket
            .reconfigure(now, rate.max(MIN_RATE), rate.max(1.0));
    }

    /// Takes a send token at `now`; returns how long the send waits for
    /// it \[ns\] (0 while the limiter is off).
    pub fn send_delay(&mut self, now: SimTime) -> SimDuration {
        if !self.enabled {
            return 0;
        }
        self.bucket.available(now);
        self.bucket.take(1.0);
        let short = -self.bucket.available(now);
        if short <= 0.0 {
            0
        } else {
            (short / self.bucket.rate * 1e9).ceil() as SimDuration
        }
    }
}

/// One SDK client's retry state (for one function's requests to one
/// table).
#[derive(Clone, Debug)]
pub struct SdkClient {
    policy: SdkRetry,
    /// Quota tokens left.
    tokens: u32,
    limiter: Option<RateLimiter>,
}

impl SdkClient {
    /// A new client at `now`: a full quota, the limiter off.
    pub fn new(policy: &SdkRetry, now: SimTime) -> Self {
        Self {
            policy: *policy,
            tokens: policy.quota.map_or(0, |q| q.capacity),
            limiter: policy.rate_limiter.then(|| RateLimiter::new(now)),
        }
    }

    /// Starts over at `now` as a newly created client (e.g. a new
    /// execution environment, whose code creates its own SDK client).
    pub fn reset(&mut self, now: SimTime) {
        *self = Self::new(&self.policy, now);
    }

    /// The policy.
    pub fn policy(&self) -> &SdkRetry {
        &self.policy
    }

    /// Quota tokens left; `None` without a quota (legacy mode).
    pub fn quota_tokens(&self) -> Option<u32> {
        self.policy.quota.map(|_| self.tokens)
    }

    /// The adaptive rate limiter, in adaptive mode.
    pub fn limiter(&self) -> Option<&RateLimiter> {
        self.limiter.as_ref()
    }

    /// Before every attempt, the first included: how long it waits for a
    /// send token \[ns\] (0 unless adaptive mode's limiter is on).
    #[inline]
    pub fn send_delay(&mut self, now: SimTime) -> SimDuration {
        match &mut self.limiter {
            Some(l) => l.send_delay(now),
            None => 0,
        }
    }

    /// Attempt number `attempt` (0 = the first) failed with `kind`, its
    /// response arriving at `now`: retry after a backoff, or give up.
    /// Attempts are checked before the quota, so the last attempt takes no
    /// tokens. The same as [`SdkClient::on_response`], then
    /// [`SdkClient::admit_retry`] and [`SdkClient::backoff`].
    #[inline]
    pub fn on_error<R: Rng>(
        &mut self,
        kind: ErrorKind,
        attempt: u32,
        now: SimTime,
        rng: &mut R,
    ) -> Decision {
        self.on_response(now, kind == ErrorKind::Throttle);
        match self.admit_retry(kind, attempt) {
            Ok(cost) => Decision::Retry {
                backoff: self.backoff(kind, attempt, rng),
                cost,
            },
            Err(why) => Decision::GiveUp(why),
        }
    }

    /// The adaptive limiter's bookkeeping of a response at `now`
    /// (`throttled`: a throttling error); nothing in other modes.
    #[inline]
    pub fn on_response(&mut self, now: SimTime, throttled: bool) {
        if let Some(l) = &mut self.limiter {
            l.on_response(now, throttled);
        }
    }

    /// Whether attempt number `attempt`, failed with `kind`, is retried:
    /// the quota tokens the retry takes (0 without a quota), or why not.
    #[inline]
    pub fn admit_retry(&mut self, kind: ErrorKind, attempt: u32) -> Result<u16, GiveUp> {
        if attempt.saturating_add(1) >= self.policy.max_attempts {
            return Err(GiveUp::AttemptsExhausted);
        }
        match self.policy.quota {
            None => Ok(0),
            Some(q) => {
                let cost = quota_cost(&q, kind);
                if self.tokens < cost {
                    return Err(GiveUp::QuotaEmpty);
                }
                self.tokens -= cost;
                Ok(cost.min(u16::MAX.into()) as u16)
            }
        }
    }

    /// The wait before retry number `n` after an error of `kind` \[ns\].
    #[inline]
    pub fn backoff<R: Rng>(&self, kind: ErrorKind, n: u32, rng: &mut R) -> SimDuration {
        backoff(&self.policy, kind, n, rng)
    }

    /// The request succeeded with a response at `now`; `last_cost` is the
    /// `cost` of its last [`Decision::Retry`] (0 when it needed none).
    #[inline]
    pub fn on_success(&mut self, now: SimTime, last_cost: u16) {
        self.on_response(now, false);
        if let Some(q) = self.policy.quota {
            let back = if last_cost == 0 {
                q.no_retry_refund
            } else {
                last_cost.into()
            };
            self.tokens = self.tokens.saturating_add(back).min(q.capacity);
        }
    }
}

/// Quota tokens a retry after `kind` costs.
fn quota_cost(q: &RetryQuota, kind: ErrorKind) -> u32 {
    match kind {
        ErrorKind::Throttle => q.throttle_cost,
        ErrorKind::Transient => q.transient_cost,
        ErrorKind::Timeout => q.timeout_cost,
    }
}

/// The backoff before retry number `n` (0 = the first retry, after
/// attempt 0 failed) after an error of `kind` \[ns\].
pub fn backoff<R: Rng>(p: &SdkRetry, kind: ErrorKind, n: u32, rng: &mut R) -> SimDuration {
    let base = match kind {
        ErrorKind::Throttle => p.throttle_base,
        ErrorKind::Transient | ErrorKind::Timeout => p.base,
    };
    let uncapped = base.saturating_mul(1u64 << n.min(63));
    match p.jitter {
        Jitter::None => uncapped.min(p.max_backoff),
        Jitter::Full => (rng.random::<f64>() * uncapped.min(p.max_backoff) as f64) as SimDuration,
        Jitter::FullThenCap => {
            ((rng.random::<f64>() * uncapped as f64) as SimDuration).min(p.max_backoff)
        }
    }
}

/// Every SDK client of a run: one per (function, table) pair that a
/// function's steps call, with the policy [`SdkRetry::for_call`] gives.
/// AWS keeps this state per client object, which a function's code
/// usually creates once per execution environment; slsim pools it per
/// function \[A\] (see `docs/model.md`, "SDK retries").
#[derive(Clone, Debug, Default)]
pub struct SdkClients {
    clients: Vec<SdkClient>,
    /// Per function, where its pairs start in `pairs` (one more entry
    /// than functions).
    starts: Vec<u32>,
    /// (table, slot) per function, in step order.
    pairs: Vec<(u32, u32)>,
}

impl SdkClients {
    /// The clients of every (function, table) pair in `m`, created at
    /// time 0.
    pub fn build(m: &Scenario) -> Self {
        Self::build_by(
            m,
            |step| match step {
                Step::Table { table, .. } => Some(*table),
                _ => None,
            },
            |f, table| *SdkRetry::for_call(f, &m.tables[table]),
        )
    }

    /// The clients of every (function, callee) pair that `callee` picks
    /// out of the functions' steps (the callee's index, e.g. a
    /// `[[service]]`), created at time 0 with the policy `policy(function,
    /// callee)` gives; [`SdkClients::slot`] finds them as for tables.
    pub fn build_by(
        m: &Scenario,
        callee: impl Fn(&Step) -> Option<usize>,
        policy: impl Fn(&crate::model::Lambda, usize) -> SdkRetry,
    ) -> Self {
        let mut s = Self::default();
        for f in &m.lambdas {
            s.starts.push(s.pairs.len() as u32);
            let first = s.pairs.len();
            for k in f.steps.iter().filter_map(&callee) {
                if s.pairs[first..].iter().any(|&(x, _)| x as usize == k) {
                    continue;
                }
                s.pairs.push((k as u32, s.clients.len() as u32));
                s.clients.push(SdkClient::new(&policy(f, k), 0));
            }
        }
        s.starts.push(s.pairs.len() as u32);
        s
    }

    /// The slot of function `function`'s client for table `table`; `None`
    /// when its steps never call that table. Linear in the function's
    /// distinct tables: look it up once, when preparing the step.
    pub fn slot(&self, function: usize, table: usize) -> Option<usize> {
        let (a, b) = (
            *self.starts.get(function)? as usize,
            *self.starts.get(function + 1)? as usize,
        );
        self.pairs[a..b]
            .iter()
            .find(|&&(t, _)| t as usize == table)
            .map(|&(_, s)| s as usize)
    }

    /// Number of clients.
    pub fn len(&self) -> usize {
        self.clients.len()
    }

    /// True when no function calls a table.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }
}

impl std::ops::Index<usize> for SdkClients {
    type Output = SdkClient;
    fn index(&self, slot: usize) -> &SdkClient {
        &self.clients[slot]
    }
}

impl std::ops::IndexMut<usize> for SdkClients {
    fn index_mut(&mut self, slot: usize) -> &mut SdkClient {
        &mut self.clients[slot]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{MILLIS, SECONDS};
    use crate::model::SdkRetryMode;

    #[test]
    fn legacy_backoff_is_exact_and_doubles() {
        let p = SdkRetry::mode(SdkRetryMode::Legacy);
        let mut rng = crate::engine::rng::stream(1, "t", "t");
        for n in 0..9 {
            let b = backoff(&p, ErrorKind::Throttle, n, &mut rng);
            assert_eq!(b, (50 * MILLIS) << n);
        }
    }

    #[test]
    fn the_limiter_stays_off_until_a_throttle() {
        let mut l = RateLimiter::new(0);
        for i in 0..1000 {
            l.on_response(i * MILLIS, false);
            assert_eq!(l.send_delay(i * MILLIS), 0);
        }
        assert!(!l.enabled());
        l.on_response(SECONDS, true);
        assert!(l.enabled());
    }
}
