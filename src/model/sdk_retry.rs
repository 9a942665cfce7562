//! `sdk_retry`: how the AWS SDK inside a function retries its DynamoDB
//! requests. The four retry modes of the AWS SDKs and Tools reference guide
//! ("Retry behavior", `feature-retry-behavior`), each with its documented
//! defaults for DynamoDB, and the explicit settings that override them.
//!
//! Owns: [`SdkRetryMode`], the typed policy [`SdkRetry`] (attempts,
//! backoff, jitter, retry quota, client-side rate limiting), the modes'
//! defaults and the constants of the adaptive rate limiter, each with its
//! source; the precedence of a function's policy over its table's
//! ([`SdkRetry::for_call`]). Must not know: TOML, how a run draws a backoff
//! or keeps a quota (`services::sdk_retry`).
//!
//! Sources (aws-facts 5.4, "SDK ..." rows, and the SDK code read for this
//! file): the reference guide's pre-2026 and 2026 pages; the AWS Developer
//! Tools Blog "Announcing updated retry behavior for AWS SDKs and Tools"
//! (2026); botocore (`botocore/data/_retry.json` and `retryhandler.py` for
//! legacy mode, `botocore/retries/standard.py` and `quota.py` for standard
//! mode in both versions, `adaptive.py`, `bucket.py` and `throttling.py`
//! for adaptive mode); aws-sdk-go-v2 PR #3400 and aws-cli PR #10342 (the
//! 2026 changes).

use crate::engine::{SimDuration, MILLIS, SECONDS};

use super::{Lambda, Table};

pub use super::limits::{MAX_RETRY_QUOTA, MAX_SDK_ATTEMPTS};

/// An SDK retry mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SdkRetryMode {
    /// botocore's legacy mode for DynamoDB: 10 attempts, 50 ms × 2^n, no
    /// jitter, no retry quota (`_retry.json`, aws-facts 5.4).
    Legacy,
    /// Standard mode before the 2026 update: 3 attempts, `min(20 s,
    /// U(0,1) × 1 s × 2^n)`, a retry quota of 500 tokens costing 5 per retry
    /// (10 after a timeout).
    Standard,
    /// Standard mode as updated in 2026 (the SDKs' default since
    /// 2026-11): DynamoDB gets 4 attempts, a 25 ms base for transient
    /// errors and 1 s for throttling errors, `U(0,1) × min(20 s, base ×
    /// 2^n)`; retries cost 14 quota tokens, 5 after a throttling error.
    Standard2026,
    /// Adaptive mode: [`SdkRetryMode::Standard2026`] plus a client-side
    /// rate limiter that slows every attempt, the first included, after a
    /// throttling error.
    Adaptive,
}

impl SdkRetryMode {
    /// Every mode by its name in scenario files.
    pub const NAMES: [(&'static str, SdkRetryMode); 4] = [
        ("legacy", SdkRetryMode::Legacy),
        ("standard", SdkRetryMode::Standard),
        ("standard-2026", SdkRetryMode::Standard2026),
        ("adaptive", SdkRetryMode::Adaptive),
    ];

    /// Its name in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            SdkRetryMode::Legacy => "legacy",
            SdkRetryMode::Standard => "standard",
            SdkRetryMode::Standard2026 => "standard-2026",
            SdkRetryMode::Adaptive => "adaptive",
        }
    }
}

/// How a backoff is drawn from its ceiling `c = base × 2^n` (n = retries
/// so far, 0 for the first retry) and the cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jitter {
    /// No jitter: exactly `min(cap, c)` (botocore's legacy mode for
    /// DynamoDB, `retryhandler.py` `delay_exponential` with a fixed base).
    None,
    /// Full jitter drawn below the cap: `U(0,1) × min(cap, c)` (the 2026
    /// update: "MAX_BACKOFF is now applied before jitter", aws-sdk-go-v2 PR
    /// #3400; botocore `standard.py`).
    Full,
    /// Full jitter, then the cap: `min(cap, U(0,1) × c)` (the reference
    /// guide before 2026: `seconds_to_sleep_i = min(b*r^i, MAX_BACKOFF)`,
    /// b uniform in [0, 1], r = 2). Differs from [`Jitter::Full`] only
    /// once `c` exceeds the cap.
    FullThenCap,
}

/// The retry quota ("retry token bucket") of standard and adaptive mode:
/// a retry takes tokens and is not made when too few are left; a
/// successful request gives some back (botocore `quota.py`,
/// `standard.py` `RetryQuotaChecker`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryQuota {
    /// Tokens at the start and at most \[tokens\] (500).
    pub capacity: u32,
    /// Cost of a retry after a throttling error \[tokens\].
    pub throttle_cost: u32,
    /// Cost of a retry after another retryable (transient) error
    /// \[tokens\].
    pub transient_cost: u32,
    /// Cost of a retry after a timeout \[tokens\].
    pub timeout_cost: u32,
    /// Given back by a request that succeeds at its first attempt
    /// \[tokens\] (1); one that succeeds after retries gives back the cost
    /// of its last retry.
    pub no_retry_refund: u32,
}

/// Initial and largest retry quota \[tokens\] (botocore `quota.py`
/// `INITIAL_CAPACITY`; aws-sdk-js-v3 `INITIAL_RETRY_TOKENS`).
pub const RETRY_QUOTA_CAPACITY: u32 = 500;

impl RetryQuota {
    /// Standard mode before 2026: 5 tokens a retry, 10 after a timeout, 1
    /// back for a success without retries (botocore `standard.py`
    /// `_RETRY_COST`, `_TIMEOUT_RETRY_REQUEST`, `_NO_RETRY_INCREMENT`).
    pub const STANDARD: RetryQuota = RetryQuota {
        capacity: RETRY_QUOTA_CAPACITY,
        throttle_cost: 5,
        transient_cost: 5,
        timeout_cost: 10,
        no_retry_refund: 1,
    };
    /// Standard and adaptive mode since the 2026 update: 14 tokens a retry,
    /// 5 after a throttling error; timeouts are transient errors like any
    /// other (the blog post; aws-sdk-go-v2 PR #3400; botocore
    /// `_RETRY_COST_V2`, `_THROTTLING_RETRY_COST`).
    pub const STANDARD_2026: RetryQuota = RetryQuota {
        capacity: RETRY_QUOTA_CAPACITY,
        throttle_cost: 5,
        transient_cost: 14,
        timeout_cost: 14,
        no_retry_refund: 1,
    };
}

/// The SDK's retry policy for one client's DynamoDB requests.
///
/// The backoff before retry `n` (0 for the first) has the ceiling
/// `base × 2^n` (`throttle_base × 2^n` after a throttling error), capped
/// at `max_backoff` and jittered per [`Jitter`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SdkRetry {
    /// The mode these settings started from.
    pub mode: SdkRetryMode,
    /// Total attempts including the first (>= 1).
    pub max_attempts: u32,
    /// Base backoff after a transient (non-throttling) error \[ns\].
    pub base: SimDuration,
    /// Base backoff after a throttling error \[ns\]
    /// (`ProvisionedThroughputExceededException`, `ThrottlingException`).
    pub throttle_base: SimDuration,
    /// Backoff cap \[ns\].
    pub max_backoff: SimDuration,
    /// How the backoff is drawn below its ceiling.
    pub jitter: Jitter,
    /// The retry quota; `None` in legacy mode.
    pub quota: Option<RetryQuota>,
    /// Client-side rate limiting (adaptive mode).
    pub rate_limiter: bool,
}

/// Legacy mode's attempts for DynamoDB (botocore `_retry.json`: 10).
pub const LEGACY_MAX_ATTEMPTS: u32 = 10;
/// Legacy mode's base for DynamoDB \[ns\] (botocore `_retry.json`:
/// `"base": 0.05`, growth factor 2).
pub const LEGACY_BASE: SimDuration = 50 * MILLIS;
/// Legacy mode's cap \[ns\]: botocore has none; slsim caps at 1 h, its
/// bound on any retry wait (`limits::MAX_RETRY_WAIT_S`), reached only from
/// the 17th retry on \[A\].
pub const LEGACY_MAX_BACKOFF: SimDuration = 3600 * SECONDS;
/// Standard mode's default attempts before 2026 (reference guide: "three
/// attempts", for every service).
pub const STANDARD_MAX_ATTEMPTS: u32 = 3;
/// Standard mode's base before 2026 \[ns\]: `b × 2^i` seconds with b in
/// [0, 1], for every error (reference guide; botocore `standard.py`).
pub const STANDARD_BASE: SimDuration = SECONDS;
/// Standard mode's backoff cap, before and since 2026 \[ns\]
/// (`MAX_BACKOFF` = 20 s).
pub const STANDARD_MAX_BACKOFF: SimDuration = 20 * SECONDS;
/// DynamoDB's attempts in standard mode since 2026 (blog post; botocore
/// `_SERVICE_MAX_ATTEMPTS`).
pub const STANDARD_2026_MAX_ATTEMPTS: u32 = 4;
/// DynamoDB's base for transient errors since 2026 \[ns\] (25 ms; other
/// services 50 ms).
pub const STANDARD_2026_BASE: SimDuration = 25 * MILLIS;
/// The base for throttling errors since 2026, every service, DynamoDB
/// included \[ns\] (1 s).
pub const STANDARD_2026_THROTTLE_BASE: SimDuration = SECONDS;

/// Adaptive mode's client-side rate limiter (botocore `adaptive.py`
/// `ClientRateLimiter`, `bucket.py` `TokenBucket`, `throttling.py`
/// `CubicCalculator`): every attempt first takes a send token from a
/// bucket refilled at the allowed rate, once a throttling error has turned
/// the limiter on. A throttle cuts the rate to `BETA` × the measured rate;
/// then it grows back along a cubic curve (as TCP CUBIC) towards and past
/// the rate at which the throttle came.
pub mod adaptive {
    /// Lowest send rate \[tokens/s\] (`TokenBucket._MIN_RATE`).
    pub const MIN_RATE: f64 = 0.5;
    /// The rate a throttle leaves, as a fraction of the rate it came at
    /// (`CubicCalculator._BETA`).
    pub const BETA: f64 = 0.7;
    /// CUBIC's scale constant \[tokens/s^4\] (`_SCALE_CONSTANT`).
    pub const SCALE: f64 = 0.4;
    /// The send rate never exceeds this many times the measured rate
    /// (`_MAX_RATE_ADJUST_SCALE`).
    pub const MAX_RATE_ADJUST: f64 = 2.0;
    /// Weight of the newest interval in the smoothed measured rate
    /// (`RateClocker._DEFAULT_SMOOTHING`).
    pub const SMOOTHING: f64 = 0.8;
    /// Interval over which responses are counted \[s\]
    /// (`_TIME_BUCKET_RANGE`).
    pub const INTERVAL_S: f64 = 0.5;
}

impl SdkRetry {
    /// A mode with its documented defaults for DynamoDB.
    pub fn mode(mode: SdkRetryMode) -> Self {
        match mode {
            SdkRetryMode::Legacy => Self {
                mode,
                max_attempts: LEGACY_MAX_ATTEMPTS,
                base: LEGACY_BASE,
                throttle_base: LEGACY_BASE,
                max_backoff: LEGACY_MAX_BACKOFF,
                jitter: Jitter::None,
                quota: None,
                rate_limiter: false,
            },
            SdkRetryMode::Standard => Self {
                mode,
                max_attempts: STANDARD_MAX_ATTEMPTS,
                base: STANDARD_BASE,
                throttle_base: STANDARD_BASE,
                max_backoff: STANDARD_MAX_BACKOFF,
                jitter: Jitter::FullThenCap,
                quota: Some(RetryQuota::STANDARD),
                rate_limiter: false,
            },
            SdkRetryMode::Standard2026 | SdkRetryMode::Adaptive => Self {
                mode,
                max_attempts: STANDARD_2026_MAX_ATTEMPTS,
                base: STANDARD_2026_BASE,
                throttle_base: STANDARD_2026_THROTTLE_BASE,
                max_backoff: STANDARD_MAX_BACKOFF,
                jitter: Jitter::Full,
                quota: Some(RetryQuota::STANDARD_2026),
                rate_limiter: mode == SdkRetryMode::Adaptive,
            },
        }
    }

    /// The SDK's current default: standard mode with the 2026 defaults
    /// for DynamoDB (4 attempts, 25 ms / 1 s bases, 20 s cap; aws-facts
    /// 5.4, last row: the default since 2026-11).
    pub fn standard() -> Self {
        Self::mode(SdkRetryMode::Standard2026)
    }

    /// The SDK's current default for services other than DynamoDB (S3,
    /// SES, ...): standard mode since the 2026 update with 3 attempts and a
    /// 50 ms base for transient errors (1 s after a throttling error, 20 s
    /// cap, full jitter, 5 quota tokens a throttling retry) (aws-facts 5.4,
    /// rows "SDK (all, standard mode)" and "SDK (2026 update)").
    pub fn other_services() -> Self {
        Self {
            max_attempts: OTHER_SERVICES_MAX_ATTEMPTS,
            base: OTHER_SERVICES_TRANSIENT_BASE,
            ..Self::standard()
        }
    }

    /// The policy of function `lambda`'s requests to `table`: the
    /// function's `sdk_retry` when it sets one (the retry settings belong
    /// to the SDK client in the function's code), else the table's. The
    /// two are not merged: a function's `sdk_retry` is a whole policy, its
    /// unset fields taking its own mode's defaults.
    pub fn for_call<'a>(lambda: &'a Lambda, table: &'a Table) -> &'a SdkRetry {
        lambda.sdk_retry.as_ref().unwrap_or(&table.sdk_retry)
    }

    /// The ceiling of the backoff before retry `n` (0 for the first) from
    /// `base`: `min(max_backoff, base × 2^n)` \[ns\].
    pub fn ceiling(&self, base: SimDuration, n: u32) -> SimDuration {
        base.saturating_mul(1u64 << n.min(63)).min(self.max_backoff)
    }
}

/// The SDK's default attempts for services other than DynamoDB (aws-facts
/// 5.4: standard mode, 3).
pub const OTHER_SERVICES_MAX_ATTEMPTS: u32 = 3;
/// The SDK's base backoff after a transient error for services other than
/// DynamoDB since 2026 \[ns\] (aws-facts 5.4, "SDK (2026 update)": 50 ms).
pub const OTHER_SERVICES_TRANSIENT_BASE: u64 = 50 * crate::engine::MILLIS;

impl Default for SdkRetry {
    fn default() -> Self {
        Self::standard()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_modes_have_their_documented_defaults() {
        let l = SdkRetry::mode(SdkRetryMode::Legacy);
        assert_eq!(
            (l.max_attempts, l.base, l.jitter),
            (10, 50 * MILLIS, Jitter::None)
        );
        assert!(l.quota.is_none() && !l.rate_limiter);
        let s = SdkRetry::mode(SdkRetryMode::Standard);
        assert_eq!(
            (s.max_attempts, s.base, s.throttle_base),
            (3, SECONDS, SECONDS)
        );
        assert_eq!(
            s.quota
                .map(|q| (q.capacity, q.transient_cost, q.timeout_cost)),
            Some((500, 5, 10))
        );
        let n = SdkRetry::standard();
        assert_eq!(n.mode, SdkRetryMode::Standard2026);
        assert_eq!(
            (n.max_attempts, n.base, n.throttle_base),
            (4, 25 * MILLIS, SECONDS)
        );
        assert_eq!(
            n.quota.map(|q| (q.transient_cost, q.throttle_cost)),
            Some((14, 5))
        );
        let a = SdkRetry::mode(SdkRetryMode::Adaptive);
        assert!(a.rate_limiter && !n.rate_limiter);
        assert_eq!(
            SdkRetry {
                rate_limiter: false,
                mode: n.mode,
                ..a
            },
            n
        );
    }

    #[test]
    fn ceilings_double_up_to_the_cap_and_never_overflow() {
        let s = SdkRetry::standard();
        assert_eq!(s.ceiling(s.base, 0), 25 * MILLIS);
        assert_eq!(s.ceiling(s.base, 3), 200 * MILLIS);
        assert_eq!(s.ceiling(s.throttle_base, 4), 16 * SECONDS);
        assert_eq!(s.ceiling(s.throttle_base, 5), 20 * SECONDS);
        assert_eq!(s.ceiling(s.throttle_base, 200), 20 * SECONDS);
    }

    #[test]
    fn names_round_trip() {
        for (name, m) in SdkRetryMode::NAMES {
            assert_eq!(m.name(), name);
        }
    }
}
