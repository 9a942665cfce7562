//! A function's figures and its rows of the text summary.

use indexmap::IndexMap;
use serde::Serialize;

use super::{AsyncStats, Function};
use crate::metrics::text::{percent, thousands, Table};
use crate::model::Architecture;
use crate::services::findings::{count, pct, Finding, FindingsCx};
use crate::services::Collect;

/// A function's figures.
#[derive(Clone, Debug, Serialize)]
pub struct FunctionStats {
    /// Invocations that got an execution environment.
    pub invocations: u64,
    /// Of which started cold (new environment).
    pub cold_starts: u64,
    /// `cold_starts / invocations`; `None` without invocations.
    pub cold_start_ratio: Option<f64>,
    /// Invocations rejected for concurrency, scaling or request-rate limits.
    pub throttles: u64,
    /// Of which over a request-rate limit (the account's invocation rate,
    /// the function's own rate).
    pub rate_throttles: u64,
    /// Invocations that ended in a function error.
    pub errors: u64,
    /// Invocations killed by the function timeout.
    pub timeouts: u64,
    /// Maximum busy environments (initialising + running) at any instant.
    pub max_concurrency: u64,
    /// Time-weighted mean of busy environments.
    pub mean_concurrency: f64,
    /// Time-weighted mean of live environments (busy + idle).
    pub mean_environments: f64,
    /// Billed compute [GB-s], init included, on-demand environments.
    pub gb_seconds: f64,
    /// Billed compute [GB-s] run on provisioned environments, their
    /// re-initialisations included.
    pub provisioned_gb_seconds: f64,
    /// Provisioned environments re-initialised in the run (after
    /// `max_lifetime` or a timeout).
    pub provisioned_reinits: u64,
    /// Idle memory-time [GB-s]: live environments not busy (idle,
    /// pre-warmed, re-initialising), time x memory, over the measured
    /// window. AWS does not bill it; it is the provider's cost that
    /// keep-alive policies trade against cold starts.
    pub idle_gb_seconds: f64,
    /// Environments loaded ahead of use by the hybrid keep-alive policy.
    pub prewarms: u64,
    /// Mean invocation duration, init excluded \[ms\]; `None` without
    /// ended invocations.
    pub mean_duration_ms: Option<f64>,
    /// Mean init duration of cold starts \[ms\]; `None` without cold starts.
    pub mean_init_ms: Option<f64>,
    /// Lambda's charge for one invocation at list price \[USD\]: the
    /// on-demand duration (init included, first tier of its architecture)
    /// and the request charge, over invocations; the free tier is not
    /// subtracted (AWS Lambda Power Tuning's cost). Set when the run is
    /// priced; `None` without invocations or prices.
    pub cost_per_invocation_usd: Option<f64>,
    /// Measured invocations that ended and were billed (the divisor of
    /// `mean_duration_ms` and `cost_per_invocation_usd`; not written).
    #[serde(skip)]
    pub ended: u64,
    /// Memory \[MB\] (for pricing).
    pub memory_mb: u32,
    /// `"x86_64"` or `"arm64"` (for pricing).
    pub arch: Architecture,
    /// Provisioned environments configured (for pricing).
    pub provisioned_concurrency: u32,
    /// Reserved concurrency, if set.
    pub reserved_concurrency: Option<u32>,
    /// Asynchronous invocations (present when the function accepted any).
    #[serde(rename = "async", skip_serializing_if = "Option::is_none")]
    pub asynchronous: Option<AsyncStats>,
}

impl Default for FunctionStats {
    fn default() -> Self {
        Self {
            invocations: 0,
            cold_starts: 0,
            cold_start_ratio: None,
            throttles: 0,
            rate_throttles: 0,
            errors: 0,
            timeouts: 0,
            max_concurrency: 0,
            mean_concurrency: 0.0,
            mean_environments: 0.0,
            gb_seconds: 0.0,
            provisioned_gb_seconds: 0.0,
            provisioned_reinits: 0,
            idle_gb_seconds: 0.0,
            prewarms: 0,
            mean_duration_ms: None,
            mean_init_ms: None,
            cost_per_invocation_usd: None,
            ended: 0,
            memory_mb: 0,
            arch: Architecture::X86_64,
            provisioned_concurrency: 0,
            reserved_concurrency: None,
            asynchronous: None,
        }
    }
}

/// A function's figures (finishes its levels at the end of the run).
pub fn collect(f: &mut Function, c: &mut Collect<'_>) -> FunctionStats {
    f.busy.finish(c.end, c.rec);
    f.live.finish(c.end, c.rec);
    let k = &f.counters;
    FunctionStats {
        invocations: k.invocations,
        cold_starts: k.cold_starts,
        cold_start_ratio: (k.invocations > 0).then(|| k.cold_starts as f64 / k.invocations as f64),
        throttles: k.throttles,
        rate_throttles: k.rate_throttles,
        errors: k.errors,
        timeouts: k.timeouts,
        max_concurrency: f.busy.max().max(0) as u64,
        mean_concurrency: c.mean(f.busy.area()),
        mean_environments: c.mean(f.live.area()),
        gb_seconds: k.gb_seconds,
        provisioned_gb_seconds: k.provisioned_gb_seconds,
        provisioned_reinits: k.reinits,
        idle_gb_seconds: idle_gb_seconds(f),
        prewarms: k.prewarms,
        mean_duration_ms: (k.ended > 0).then(|| k.duration_sum / k.ended as f64 / 1e6),
        mean_init_ms: (k.cold_starts > 0).then(|| k.init_sum / k.cold_starts as f64 / 1e6),
        cost_per_invocation_usd: None,
        ended: k.ended,
        memory_mb: f.memory_mb,
        arch: f.arch,
        provisioned_concurrency: f.provisioned,
        reserved_concurrency: f.reserved,
        asynchronous: (f.async_counters.accepted > 0)
            .then(|| AsyncStats::new(&f.async_counters, f.async_pending)),
    }
}

/// Live but not busy environment-time x memory [GB-s] (never -0.0).
fn idle_gb_seconds(f: &Function) -> f64 {
    let idle = f.live.area() - f.busy.area();
    if idle > 0.0 {
        idle * f.memory_gb()
    } else {
        0.0
    }
}

/// One row per function.
pub fn text(stats: &IndexMap<String, FunctionStats>, out: &mut String) {
    if stats.is_empty() {
        return;
    }
    let mut t = Table::new([
        "function",
        "invocations",
        "cold starts",
        "cold",
        "throttles",
        "errors",
        "max conc",
        "mean conc",
    ]);
    for (name, f) in stats {
        t.row([
            name.clone(),
            thousands(f.invocations),
            thousands(f.cold_starts),
            percent(f.cold_starts, f.invocations),
            thousands(f.throttles),
            thousands(f.errors),
            thousands(f.max_concurrency),
            format!("{:.2}", f.mean_concurrency),
        ]);
    }
    t.render(out);
}

/// A function's findings: throttles (how many, for which reason, when) and
/// its peak concurrency against its limit; then all functions' peak against
/// the account's concurrency.
pub fn findings(
    stats: &IndexMap<String, FunctionStats>,
    cx: &FindingsCx<'_>,
    out: &mut Vec<Finding>,
) {
    let account = cx.account_concurrency;
    for (name, f) in stats {
        let component = format!("function {name}");
        if f.throttles > 0 {
            let when = cx.during(name, "throttles");
            out.push(Finding {
                topic: "throttles",
                component: component.clone(),
                message: format!(
                    "{} invocations throttled{when}: {} over a request-rate limit, {} for \
                     concurrency or the scaling rate",
                    count(f.throttles),
                    count(f.rate_throttles),
                    count(f.throttles - f.rate_throttles)
                ),
            });
        }
        let (limit, of) = match f.reserved_concurrency {
            Some(r) => (r, "its reserved concurrency"),
            None => (account, "the account's concurrency"),
        };
        let peak = f.max_concurrency;
        if limit > 0 && peak * 2 >= u64::from(limit) {
            out.push(Finding {
                topic: "concurrency",
                component,
                message: format!(
                    "peak concurrency {} of {of} {} ({})",
                    count(peak),
                    count(limit.into()),
                    pct(peak as f64, limit as f64)
                ),
            });
        }
    }
    // All functions together: the per-interval maxima summed, an upper
    // bound of the account-wide peak.
    let mut total: Vec<f64> = Vec::new();
    for name in stats.keys() {
        if let Some(v) = cx.series(name, "concurrency_max") {
            total.resize(total.len().max(v.len()), 0.0);
            for (t, x) in total.iter_mut().zip(v) {
                *t += x;
            }
        }
    }
    let from = ((cx.warmup_s / cx.interval_s()).floor() as usize).min(total.len());
    let peak = total[from..].iter().copied().fold(0.0, f64::max);
    if stats.len() > 1 && account > 0 && peak * 2.0 >= f64::from(account) {
        out.push(Finding {
            topic: "concurrency",
            component: "account".into(),
            message: format!(
                "all functions together peaked at no more than {} of the account's {} ({})",
                count(peak as u64),
                count(account.into()),
                pct(peak, account.into())
            ),
        });
    }
}
