//! An external service's figures (calls, throttles by cause, SDK retries,
//! failures, when limits were met, the usage cost), its rows of the text
//! summary and its findings.
//!
//! Conservation (tested), over the calls made in the measured window:
//! `calls = ok + failed + in_flight_end`, `throttled = throttled_rate +
//! throttled_daily_quota = retries + failed` (every throttled attempt is
//! retried or ends its call), `failed = gave_up_attempts +
//! gave_up_quota`.

use indexmap::IndexMap;
use serde::Serialize;

use super::Dependency;
use crate::engine::{ns_to_secs, SimTime};
use crate::metrics::text::{thousands, Table};
use crate::services::findings::{clock, count};
use crate::services::{Finding, FindingsCx};

/// One service's figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ServiceStats {
    /// The preset it came from (`"ses"`, `"ses-sandbox"`), if any.
    pub preset: Option<&'static str>,
    /// Calls made by functions.
    pub calls: u64,
    /// Calls that succeeded (the service accepted an attempt).
    pub ok: u64,
    /// Calls that failed: a throttled attempt the SDK did not retry (the
    /// function's step gets the throttling error; SES drops the message).
    pub failed: u64,
    /// Calls still in progress at the end (an attempt, a backoff).
    pub in_flight_end: u64,
    /// Attempts throttled, both causes.
    pub throttled: u64,
    /// Attempts throttled by the rate limit ("Maximum sending rate
    /// exceeded").
    pub throttled_rate: u64,
    /// Attempts throttled by the daily quota ("Daily message quota
    /// exceeded").
    pub throttled_daily_quota: u64,
    /// Throttled attempts the SDK retried.
    pub retries: u64,
    /// Failed calls whose SDK ran out of attempts.
    pub gave_up_attempts: u64,
    /// Failed calls whose SDK's retry quota was empty.
    pub gave_up_quota: u64,
    /// Attempts that waited for the adaptive SDK's send token.
    pub rate_limited_sends: u64,
    /// The rate limit \[calls/s\], if any.
    pub rate_limit: Option<f64>,
    /// The rate limit's bucket \[calls\], if any.
    pub burst: Option<f64>,
    /// The daily quota \[calls per day of the clock\], if any.
    pub daily_quota: Option<u64>,
    /// First attempt throttled by the rate limit \[s from t = 0\].
    pub first_rate_throttle_s: Option<f64>,
    /// First attempt throttled by the daily quota \[s\].
    pub first_quota_throttle_s: Option<f64>,
    /// First time a day's quota was used up \[s\].
    pub quota_reached_s: Option<f64>,
    /// Day windows (of the run's clock) whose quota was used up.
    pub quota_reached_days: u64,
    /// Price \[USD per 1,000 accepted calls\].
    pub price_per_1000: f64,
    /// The accepted calls at that price \[USD, the measured window\]
    /// (the bill's month is in `cost`).
    pub cost_usd: f64,
}

/// A service's figures at the run's `end`.
pub fn collect(d: &Dependency, _end: SimTime) -> ServiceStats {
    let k = &d.counters;
    let s = |t: Option<SimTime>| t.map(ns_to_secs);
    ServiceStats {
        preset: d.preset.map(|p| p.name()),
        calls: k.calls,
        ok: k.ok,
        failed: k.failed,
        in_flight_end: d.pending,
        throttled: k.throttled_rate + k.throttled_quota,
        throttled_rate: k.throttled_rate,
        throttled_daily_quota: k.throttled_quota,
        retries: k.retries,
        gave_up_attempts: k.gave_up_attempts,
        gave_up_quota: k.gave_up_quota,
        rate_limited_sends: k.rate_limited_sends,
        rate_limit: d.rate_limit.map(|l| l.rate),
        burst: d.rate_limit.map(|l| l.burst),
        daily_quota: d.daily_quota,
        first_rate_throttle_s: s(d.firsts.rate_throttle),
        first_quota_throttle_s: s(d.firsts.quota_throttle),
        quota_reached_s: s(d.firsts.quota_reached),
        quota_reached_days: d.firsts.quota_days,
        price_per_1000: d.price_per_1000,
        cost_usd: k.ok as f64 * d.price_per_1000 / 1000.0,
    }
}

/// One row per service.
pub fn text(stats: &IndexMap<String, ServiceStats>, out: &mut String) {
    if stats.is_empty() {
        return;
    }
    let mut t = Table::new([
        "service",
        "calls",
        "ok",
        "throttled (rate)",
        "throttled (daily quota)",
        "retries",
        "failed",
        "in flight",
    ]);
    for (name, s) in stats {
        t.row([
            name.clone(),
            thousands(s.calls),
            thousands(s.ok),
            thousands(s.throttled_rate),
            thousands(s.throttled_daily_quota),
            thousands(s.retries),
            thousands(s.failed),
            thousands(s.in_flight_end),
        ]);
    }
    t.render(out);
}

/// A finding per service that throttled: which limit, from when, and
/// what the SDK made of it.
pub fn findings(
    stats: &IndexMap<String, ServiceStats>,
    cx: &FindingsCx<'_>,
    out: &mut Vec<Finding>,
) {
    for (name, s) in stats {
        if s.throttled == 0 {
            continue;
        }
        let mut parts = Vec::new();
        if s.throttled_daily_quota > 0 {
            let when = s
                .quota_reached_s
                .map(|t| format!(", first used up at {}", clock(t)))
                .unwrap_or_default();
            parts.push(format!(
                "the daily quota of {} calls was reached in {}{when}: {} throttled (\"Daily message quota exceeded\") from {}",
                count(s.daily_quota.unwrap_or(0)),
                plural(s.quota_reached_days, "day window"),
                plural(s.throttled_daily_quota, "attempt"),
                clock(s.first_quota_throttle_s.unwrap_or(0.0)),
            ));
        }
        if s.throttled_rate > 0 {
            parts.push(format!(
                "the rate limit of {}/s (burst {}) was reached: {} throttled (\"Maximum sending rate exceeded\") from {}{}",
                crate::metrics::text::num(s.rate_limit.unwrap_or(0.0)),
                crate::metrics::text::num(s.burst.unwrap_or(0.0)),
                plural(s.throttled_rate, "attempt"),
                clock(s.first_rate_throttle_s.unwrap_or(0.0)),
                cx.during(name, "throttled_rate"),
            ));
        }
        let dropped = if s.failed > 0 {
            format!(
                "; the SDK retried {} and gave up on {} ({} of the calls made), whose messages were not sent",
                plural(s.retries, "attempt"),
                plural(s.failed, "call"),
                crate::services::findings::pct(s.failed as f64, s.calls as f64),
            )
        } else {
            format!(
                "; the SDK's retries ({}) got every call through",
                count(s.retries)
            )
        };
        out.push(Finding {
            topic: "throttles",
            component: format!("service {name}"),
            message: format!("{}{dropped}", parts.join("; ")),
        });
    }
}

/// `"1 attempt"`, `"2 attempts"`, with digit groups.
fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{} {what}s", count(n))
    }
}
