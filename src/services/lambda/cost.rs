//! Lambda's bill: requests and duration (tiered per architecture, free
//! tier), provisioned concurrency configured and used.

use indexmap::IndexMap;

use super::FunctionStats;
use crate::cost::{tiered, Bill, LambdaPrices, Pricing};
use crate::model::Architecture;

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
                    * p.window_s
                    * p.scale,
            }
        })
        .collect();
    let costs = lambda_costs(&usage, &p.prices.lambda, p.free_tier);
    Bill {
        service: "lambda",
        components: stats.keys().cloned().zip(costs).collect(),
    }
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
    use crate::cost::billable_fraction;
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
