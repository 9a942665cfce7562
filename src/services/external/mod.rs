//! External services (`[[service]]`: Amazon SES or any dependency a
//! function calls): each call's attempts are admitted by the service's
//! daily quota and its rate limit (a token bucket), or throttled with the
//! service's throttling error, which the caller's SDK retries as a
//! throttling error (`services::sdk_retry`, one client per (function,
//! service)) or returns to the function. A throttled SES message is
//! dropped, not queued (aws-facts 10.10, "Over quota"): only the SDK's
//! retries send it again. The model and its assumptions: `docs/model.md`,
//! "External services".
//!
//! This file owns a service's state and decisions (admission, the day
//! window, counters); `flow.rs` the events; `stats.rs` the figures, text
//! rows and findings; `cost.rs` the bill. Must not know: TOML, files,
//! which function calls.

pub mod cost;
mod flow;
mod stats;

pub use flow::{call, clients};
pub use stats::ServiceStats;

use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime};
use crate::metrics::{SeriesId, SeriesRecorder};
use crate::model::service::{Preset, RateLimit, DAY};
use crate::model::ExternalService;
use crate::services::registry::index_by;
use crate::services::sdk_retry::SdkClients;
use crate::services::token_bucket::TokenBucket;

/// A call step, prepared: which service, and the caller's SDK client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExternalRequest {
    /// Service index.
    pub service: u16,
    /// The SDK client's slot in [`Externals::sdk`] (fixed at build time).
    pub slot: u32,
}

/// Where a call is (its frame's next step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Wait for the SDK's send token (adaptive mode), then send.
    Send,
    /// The send token has come: send the attempt now.
    SendNow,
    /// The attempt was accepted: answer the caller when its response
    /// arrives.
    Served,
    /// The attempt was throttled and the SDK retries: back off when the
    /// error arrives.
    Retry,
    /// The attempt was throttled and the SDK gives up: the error reaches
    /// the caller when it arrives.
    GiveUp,
}

/// A call in progress (its frame).
#[derive(Clone, Copy, Debug)]
pub struct ExternalCall {
    /// Service index.
    pub service: u16,
    /// Next step.
    pub phase: Phase,
    /// Attempts made before the current one.
    pub attempt: u8,
    /// Quota tokens the SDK's last retry took (refunded on success).
    pub cost: u16,
    /// The SDK client's slot.
    pub slot: u32,
    /// Made in the measured window (its attempts and end are counted).
    pub measured: bool,
}

/// Why an attempt was throttled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admit {
    /// Accepted.
    Ok,
    /// The rate limit's bucket was empty ("Maximum sending rate
    /// exceeded").
    Rate,
    /// The day's quota was used up ("Daily message quota exceeded").
    Quota,
}

/// Counters of one service, over the calls made in the measured window.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    /// Calls made.
    pub calls: u64,
    /// Calls answered with success.
    pub ok: u64,
    /// Attempts throttled by the rate limit.
    pub throttled_rate: u64,
    /// Attempts throttled by the daily quota.
    pub throttled_quota: u64,
    /// Throttled attempts the SDK retried.
    pub retries: u64,
    /// Calls that failed: the SDK gave up after a throttled attempt.
    pub failed: u64,
    /// Of those, because the attempts ran out.
    pub gave_up_attempts: u64,
    /// Of those, because the SDK's retry quota was empty.
    pub gave_up_quota: u64,
    /// Attempts that waited for the adaptive SDK's send token.
    pub rate_limited_sends: u64,
}

/// When limits were first met, in the measured window \[ns\].
#[derive(Clone, Debug, Default)]
pub struct Firsts {
    /// First attempt throttled by the rate limit.
    pub rate_throttle: Option<SimTime>,
    /// First attempt throttled by the daily quota.
    pub quota_throttle: Option<SimTime>,
    /// First time a day's quota was used up (its last call accepted).
    pub quota_reached: Option<SimTime>,
    /// Day windows whose quota was used up.
    pub quota_days: u64,
}

/// Time-series handles of a service.
#[derive(Clone, Copy, Debug)]
pub struct ServiceSeries {
    /// Calls made per second.
    pub calls: SeriesId,
    /// Attempts accepted per interval.
    pub accepted: SeriesId,
    /// Attempts throttled by the rate limit per interval.
    pub throttled_rate: SeriesId,
    /// Attempts throttled by the daily quota per interval.
    pub throttled_quota: SeriesId,
}

/// One external service.
pub struct Dependency {
    /// Its name.
    pub name: String,
    /// The preset it came from.
    pub preset: Option<Preset>,
    latency: Dist,
    /// The rate limit (for the figures).
    pub rate_limit: Option<RateLimit>,
    bucket: Option<TokenBucket>,
    /// The daily quota (for the figures).
    pub daily_quota: Option<u64>,
    /// Clock time of t = 0 \[ns after midnight\].
    clock: SimDuration,
    /// The current day window and the calls it accepted.
    day: u64,
    used: u64,
    /// USD per 1,000 accepted calls.
    pub price_per_1000: f64,
    /// The random stream (latencies, SDK backoffs).
    pub rng: SimRng,
    /// Counters.
    pub counters: Counters,
    /// When limits were met.
    pub firsts: Firsts,
    /// Measured calls in progress.
    pub pending: u64,
    /// Series.
    pub series: ServiceSeries,
}

impl Dependency {
    /// From the model; `clock` is `[simulation] start`.
    pub fn new(
        s: &ExternalService,
        clock: SimDuration,
        rng: SimRng,
        series: ServiceSeries,
    ) -> Self {
        Self {
            name: s.name.clone(),
            preset: s.preset,
            latency: s.latency.clone(),
            rate_limit: s.rate_limit,
            bucket: s.rate_limit.map(|l| TokenBucket::full(l.rate, l.burst)),
            daily_quota: s.daily_quota,
            clock,
            day: 0,
            used: 0,
            price_per_1000: s.price_per_1000,
            rng,
            counters: Counters::default(),
            firsts: Firsts::default(),
            pending: 0,
            series,
        }
    }

    /// The day window of time `now`: days of the run's clock, midnight to
    /// midnight (day 0 holds t = 0).
    pub fn day_of(&self, now: SimTime) -> u64 {
        now.saturating_add(self.clock) / DAY
    }

    /// Admits an attempt at `now` (`measured`: counted): the daily quota
    /// first (a call refused by it takes no rate token \[A\]), then the
    /// rate limit.
    #[inline]
    pub fn admit(&mut self, now: SimTime, measured: bool, rec: &mut SeriesRecorder) -> Admit {
        let day = self.day_of(now);
        if day != self.day {
            self.day = day;
            self.used = 0;
        }
        let verdict = if self.daily_quota.is_some_and(|q| self.used >= q) {
            Admit::Quota
        } else if self.bucket.as_mut().is_some_and(|b| !b.try_take(now, 1.0)) {
            Admit::Rate
        } else {
            Admit::Ok
        };
        let (id, first) = match verdict {
            Admit::Ok => {
                self.used += 1;
                if measured && self.daily_quota == Some(self.used) {
                    self.firsts.quota_days += 1;
                    self.firsts.quota_reached.get_or_insert(now);
                }
                (self.series.accepted, None)
            }
            Admit::Rate => {
                if measured {
                    self.counters.throttled_rate += 1;
                }
                (
                    self.series.throttled_rate,
                    Some(&mut self.firsts.rate_throttle),
                )
            }
            Admit::Quota => {
                if measured {
                    self.counters.throttled_quota += 1;
                }
                (
                    self.series.throttled_quota,
                    Some(&mut self.firsts.quota_throttle),
                )
            }
        };
        if let (true, Some(f)) = (measured, first) {
            f.get_or_insert(now);
        }
        rec.add(id, now, 1.0);
        verdict
    }

    /// One attempt's duration, request to response \[ns\].
    #[inline]
    pub fn latency(&mut self) -> SimDuration {
        self.latency.sample_ns(&mut self.rng)
    }

    fn footprint(&self) -> usize {
        std::mem::size_of::<Self>()
    }
}

/// Every external service, and the SDK clients that call them.
pub struct Externals {
    /// In model order.
    pub list: Vec<Dependency>,
    /// One SDK client per (function, service) pair ([`clients`]).
    pub sdk: SdkClients,
}

index_by!(Externals, list, Dependency);
