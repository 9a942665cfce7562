//! Lambda's bill: requests and duration (tiered per architecture, free
//! tier), provisioned concurrency configured and used, SnapStart's cache
//! and restores (Python and .NET); and the CloudWatch Logs bill of the
//! functions' log output ([`logs_bill`]).

use indexmap::IndexMap;

use super::FunctionStats;
use crate::cost::settings::FunctionBilling;
use crate::cost::{billable_fraction, tiered, Bill, LambdaPrices, Pricing, MONTH_SECONDS};
use crate::model::Architecture;

/// KB in a GB (binary units, as for memory: 1 GB = 1,024 MB).
const KB_PER_GB: f64 = 1024.0 * 1024.0;

/// The settings of the function at `i` named `name`, if the pricing has
/// the scenario's.
fn settings<'a>(p: &Pricing<'a>, i: usize, name: &str) -> Option<&'a FunctionBilling> {
    p.settings.and_then(|s| s.function(i, name))
}

/// The monthly bill of every function.
pub fn bill(stats: &IndexMap<String, FunctionStats>, p: &Pricing<'_>) -> Bill {
    let usage: Vec<FunctionUsage> = stats
        .values()
        .map(|f| {
            let gb = f64::from(f.memory_mb) / 1024.0;
            FunctionUsage {
                arch: f.arch,
                requests: f.invocations as f64 * p.scale,
                gb_seconds: f.gb_seconds * p.scale,
                provisioned_gb_seconds: f.provisioned_gb_seconds * p.scale,
                provisioned_configured_gb_seconds: f64::from(f.provisioned_concurrency)
                    * gb
                    * MONTH_SECONDS
                    * p.always_on(),
            }
        })
        .collect();
    let mut costs = lambda_costs(&usage, &p.prices.lambda, p.free_tier);
    for (i, ((name, f), c)) in stats.iter().zip(costs.iter_mut()).enumerate() {
        if settings(p, i, name).is_some_and(|s| s.snap_start_charged) {
            let gb = f64::from(f.memory_mb) / 1024.0;
            *c += snap_start_cost(
                gb,
                f.cold_starts as f64 * p.scale,
                p.always_on(),
                &p.prices.lambda,
            );
        }
    }
    Bill {
        service: "lambda",
        components: stats.keys().cloned().zip(costs).collect(),
    }
}

/// Lambda's charge for one invocation of `f` at list price \[USD\]: its
/// billed duration (on-demand at the first tier of its architecture, init
/// included; on provisioned environments at the provisioned duration
/// price) over the invocations that ended (those billed: not the ones
/// still running at the end), plus the request charge; no free tier, no
/// provisioned concurrency kept configured (AWS Lambda Power Tuning's
/// cost). `None` when no invocation ended.
pub fn per_invocation_usd(f: &FunctionStats, p: &LambdaPrices) -> Option<f64> {
    if f.ended == 0 {
        return None;
    }
    let tiers = match f.arch {
        Architecture::X86_64 => &p.duration_x86_usd_per_gb_s,
        Architecture::Arm64 => &p.duration_arm64_usd_per_gb_s,
    };
    let rate = tiers.first().map_or(0.0, |t| t.price);
    let duration =
        f.gb_seconds * rate + f.provisioned_gb_seconds * p.provisioned_duration_usd_per_gb_s;
    let usd = duration / f.ended as f64 + p.request_usd_per_million / 1e6;
    Some(usd + 0.0).filter(|v| v.is_finite())
}

/// Monthly SnapStart charges of a Python or .NET function \[USD\] of `gb`
/// memory: the cache of one active published version for `on` of the
/// 730-hour month, and one restore of `gb` per cold start (`restores` a
/// month). aws-facts 10.6 "SnapStart charges"; billing both on the memory
/// allocated follows the pricing page's worked example \[A\].
pub fn snap_start_cost(gb: f64, restores: f64, on: f64, p: &LambdaPrices) -> f64 {
    gb * MONTH_SECONDS * on * p.snapstart_cache_usd_per_gb_s
        + restores * gb * p.snapstart_restore_usd_per_gb
}

/// The monthly CloudWatch Logs bill of the functions' log output
/// (`log_kb` per invocation), or `None` without a scenario or function.
pub fn logs_bill(stats: &IndexMap<String, FunctionStats>, p: &Pricing<'_>) -> Option<Bill> {
    p.settings?;
    if stats.is_empty() {
        return None;
    }
    let gb: Vec<f64> = stats
        .iter()
        .enumerate()
        .map(|(i, (name, f))| {
            settings(p, i, name).map_or(0.0, |s| {
                f.invocations as f64 * p.scale * s.log_kb / KB_PER_GB
            })
        })
        .collect();
    let costs = log_costs(&gb, &p.prices.cloudwatch_logs, p.free_tier);
    Some(Bill {
        service: "cloudwatch_logs",
        components: stats.keys().cloned().zip(costs).collect(),
    })
}

/// Monthly CloudWatch Logs ingestion cost of each function \[USD\] from
/// its GB ingested a month: the free GB (when `free_tier`) are shared in
/// proportion, the Lambda-logs volume tiers apply to the sum, split back
/// by share (aws-facts 10.3).
pub fn log_costs(gb: &[f64], p: &crate::cost::LogsPrices, free_tier: bool) -> Vec<f64> {
    let total: f64 = gb.iter().sum();
    let left = if free_tier {
        billable_fraction(total, p.free_ingestion_gb_per_month)
    } else {
        1.0
    };
    let billable = total * left;
    let rate = if billable > 0.0 {
        tiered(billable, &p.lambda_ingestion_usd_per_gb, 1.0) / billable
    } else {
        0.0
    };
    gb.iter().map(|g| g * left * rate).collect()
}

/// One function's monthly usage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FunctionUsage {
    /// Instruction set.
    pub arch: Architecture,
    /// Invocations [per month].
    pub requests: f64,
    /// On-demand billed duration, init included [GB-s per month].
    pub gb_seconds: f64,
    /// Duration run on provisioned environments [GB-s per month].
    pub provisioned_gb_seconds: f64,
    /// Provisioned concurrency kept configured [GB-s per month]
    /// (environments x memory GB x seconds).
    pub provisioned_configured_gb_seconds: f64,
}

/// Monthly Lambda cost of each function \[USD\].
///
/// The free tier (1M requests and 400,000 GB-s a month, shared by the
/// account) is subtracted when `free_tier` is on, only from functions
/// without provisioned concurrency (AWS: "not applicable to PC"), and shared
/// among them in proportion to their usage; the free GB-s are shared across
/// x86_64 and arm64 the same way. Duration tiers apply per architecture to
/// the sum of the functions' billable GB-s.
pub fn lambda_costs(fns: &[FunctionUsage], p: &LambdaPrices, free_tier: bool) -> Vec<f64> {
    let eligible = |f: &FunctionUsage| free_tier && f.provisioned_configured_gb_seconds <= 0.0;
    // Fraction of each eligible function's usage left after the free tier.
    let elig_req: f64 = fns.iter().filter(|f| eligible(f)).map(|f| f.requests).sum();
    let elig_gbs: f64 = fns
        .iter()
        .filter(|f| eligible(f))
        .map(|f| f.gb_seconds)
        .sum();
    let req_left = billable_fraction(elig_req, p.free_requests_per_month);
    let gbs_left = billable_fraction(elig_gbs, p.free_gb_seconds_per_month);

    let billable: Vec<(f64, f64)> = fns
        .iter()
        .map(|f| {
            if eligible(f) {
                (f.requests * req_left, f.gb_seconds * gbs_left)
            } else {
                (f.requests, f.gb_seconds)
            }
        })
        .collect();

    // Duration: tiers on the per-architecture sum, split back by share.
    let arch_rate = |arch: Architecture| {
        let total: f64 = fns
            .iter()
            .zip(&billable)
            .filter(|(f, _)| f.arch == arch)
            .map(|(_, b)| b.1)
            .sum();
        let tiers = match arch {
            Architecture::X86_64 => &p.duration_x86_usd_per_gb_s,
            Architecture::Arm64 => &p.duration_arm64_usd_per_gb_s,
        };
        if total > 0.0 {
            tiered(total, tiers, 1.0) / total
        } else {
            0.0
        }
    };
    let (x86_rate, arm_rate) = (
        arch_rate(Architecture::X86_64),
        arch_rate(Architecture::Arm64),
    );

    fns.iter()
        .zip(&billable)
        .map(|(f, &(req, gbs))| {
            let rate = match f.arch {
                Architecture::X86_64 => x86_rate,
                Architecture::Arm64 => arm_rate,
            };
            req * p.request_usd_per_million / 1e6
                + gbs * rate
                + f.provisioned_gb_seconds * p.provisioned_duration_usd_per_gb_s
                + f.provisioned_configured_gb_seconds * p.provisioned_concurrency_usd_per_gb_s
        })
        .collect()
}
