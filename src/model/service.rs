//! `[[service]]`: a generic external dependency a function calls (Amazon
//! SES, a payment API, ...): the latency of one call, a sending-rate limit
//! (a token bucket), a quota per day of the run's clock, a price per call,
//! and the `ses` presets with SES's documented figures (aws-facts 10.10,
//! cited where used).
//!
//! Owns: the typed settings, their defaults and bounds, each with its
//! source. Must not know: TOML, how a run admits or retries a call
//! (`services::external`).

use crate::dist::Dist;
use crate::engine::{SimDuration, SECONDS};

use super::SdkRetry;

/// `[[service]]`.
#[derive(Clone, Debug)]
pub struct ExternalService {
    /// Unique name.
    pub name: String,
    /// Duration of one call, request to response, throttled or not \[s\].
    pub latency: Dist,
    /// The sending-rate limit; `None`: no rate limit.
    pub rate_limit: Option<RateLimit>,
    /// Calls accepted per day of the run's clock (UTC days, midnight to
    /// midnight); `None`: no daily quota.
    pub daily_quota: Option<u64>,
    /// Price of one accepted call \[USD per 1,000 calls\].
    pub price_per_1000: f64,
    /// The preset the settings started from, if any (names the bill's
    /// line and the throttling errors).
    pub preset: Option<Preset>,
}

/// A token bucket: `rate` tokens a second, at most `burst` held; a call
/// takes one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    /// Refill rate \[calls/s\].
    pub rate: f64,
    /// Bucket size \[calls\].
    pub burst: f64,
}

/// A service whose documented figures slsim knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// Amazon SES out of the sandbox: SES's price; the account's sending
    /// quota (rate and daily quota) must be given, since AWS publishes no
    /// starting value (aws-facts 10.10, "Production quota": UNCONFIRMED).
    Ses,
    /// Amazon SES in the sandbox (new accounts): 1 message/s and 200
    /// messages per 24 h (aws-facts 10.10, "Sandbox").
    SesSandbox,
}

impl Preset {
    /// Every preset by its name in scenario files.
    pub const NAMES: [(&'static str, Preset); 2] =
        [("ses", Preset::Ses), ("ses-sandbox", Preset::SesSandbox)];

    /// Its name in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Ses => "ses",
            Preset::SesSandbox => "ses-sandbox",
        }
    }
}

/// SES's sending price \[USD per 1,000 e-mails\]: $0.10 (aws-facts 10.10,
/// "Sending price"; attachments, $0.12/GB, are not modelled, nor the free
/// tier, whose current form is UNCONFIRMED).
pub const SES_USD_PER_1000: f64 = 0.10;
/// The SES sandbox's sending rate \[messages/s\] (aws-facts 10.10).
pub const SES_SANDBOX_RATE: f64 = 1.0;
/// The SES sandbox's quota \[messages per 24 h\] (aws-facts 10.10).
pub const SES_SANDBOX_DAILY_QUOTA: u64 = 200;

/// Length of one quota window \[ns\]: a day of the run's clock.
pub const DAY: SimDuration = 86_400 * SECONDS;

/// Bounds of `rate_limit` \[calls/s\]: one call per microsecond at most;
/// below 1e-6 a second token takes longer than the longest run \[A\] (the
/// same range as API Gateway's rates).
pub const RATE_LIMIT: (f64, f64) = (1e-6, 1e6);
/// Bounds of `burst` \[calls\] (as API Gateway's bursts).
pub const BURST: (f64, f64) = (1.0, 1e6);
/// Bounds of `daily_quota` \[calls per day\]: counts stay exact \[A\].
pub const DAILY_QUOTA: (i64, i64) = (1, 1_000_000_000_000);
/// Largest `price_per_1000` \[USD\] \[A\]: a sanity bound.
pub const MAX_PRICE_PER_1000: f64 = 1e6;

/// The AWS SDK's retry policy for services other than DynamoDB in
/// standard mode since the 2026 update (the SDKs' default since
/// 2026-11): 3 attempts, 50 ms base for transient errors, 1 s base for
/// throttling errors, 20 s cap, full jitter, 14 quota tokens a retry (5
/// after a throttling error) (aws-facts 5.4, rows "SDK (all, standard
/// mode)" and "SDK (2026 update)").
pub fn default_sdk_retry() -> SdkRetry {
    SdkRetry::other_services()
}

impl ExternalService {
    /// A service with this latency, no limits and no price.
    pub fn new(name: &str, latency: Dist) -> Self {
        Self {
            name: name.into(),
            latency,
            rate_limit: None,
            daily_quota: None,
            price_per_1000: 0.0,
            preset: None,
        }
    }

    /// Amazon SES in the sandbox: SES's price, 1 message/s (a bucket of
    /// one) and 200 messages a day.
    pub fn ses_sandbox(name: &str, latency: Dist) -> Self {
        Self {
            rate_limit: Some(RateLimit {
                rate: SES_SANDBOX_RATE,
                burst: default_burst(SES_SANDBOX_RATE),
            }),
            daily_quota: Some(SES_SANDBOX_DAILY_QUOTA),
            price_per_1000: SES_USD_PER_1000,
            preset: Some(Preset::SesSandbox),
            ..Self::new(name, latency)
        }
    }

    /// Amazon SES with the account's sending quota (`rate` per second,
    /// `daily_quota` per day) and SES's price.
    pub fn ses(name: &str, latency: Dist, rate: f64, daily_quota: u64) -> Self {
        Self {
            rate_limit: Some(RateLimit {
                rate,
                burst: default_burst(rate),
            }),
            daily_quota: Some(daily_quota),
            price_per_1000: SES_USD_PER_1000,
            preset: Some(Preset::Ses),
            ..Self::new(name, latency)
        }
    }

    /// The error a throttled call gets, as the service words it: SES's
    /// `ThrottlingException` messages (aws-facts 10.10, "Over quota"), or
    /// a generic throttling error.
    pub fn throttling_error(&self, daily: bool) -> &'static str {
        match (self.preset, daily) {
            (Some(_), false) => "ThrottlingException: Maximum sending rate exceeded",
            (Some(_), true) => "ThrottlingException: Daily message quota exceeded",
            (None, false) => "throttling error: rate limit exceeded",
            (None, true) => "throttling error: daily quota exceeded",
        }
    }
}

/// Default `burst` for a rate limit of `rate` per second: one second's
/// worth, at least one call \[A\]: SES says its rate "can be exceeded for
/// short bursts" without a figure (aws-facts 10.10 gives none).
pub fn default_burst(rate: f64) -> f64 {
    rate.max(1.0)
}
