//! The pure price arithmetic: monthly usage in, monthly USD out.
//!
//! Every function here takes usage for a whole (730-hour) month, because
//! free tiers and price tiers are monthly, account-wide quantities. Each
//! returns one cost per input item, in input order: where a free tier or a
//! price tier is shared by several components, the shared line is priced on
//! the sum and split back in proportion to each item's billable usage.

use super::prices::{ApiGatewayPrices, DynamoDbPrices, LambdaPrices, Tier};

/// Hours in the month used for projections (AWS's convention).
pub const MONTH_HOURS: f64 = 730.0;
/// Seconds in that month.
pub const MONTH_SECONDS: f64 = MONTH_HOURS * 3600.0;

/// Cost of `quantity` under a tiered price whose prices are per `per` units
/// (1e6 for "per million requests", 1 for "per GB-s").
pub fn tiered(quantity: f64, tiers: &[Tier], per: f64) -> f64 {
    let mut cost = 0.0;
    let mut lower = 0.0;
    for t in tiers {
        if quantity <= lower {
            break;
        }
        let upper = t.up_to.unwrap_or(f64::INFINITY);
        cost += (quantity.min(upper) - lower) * t.price / per;
        lower = upper;
    }
    cost
}

/// Instruction set of a function (sets the duration price).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    /// x86_64.
    X86_64,
    /// arm64 (Graviton), about 20 % cheaper per GB-s.
    Arm64,
}

impl Arch {
    /// From [`crate::metrics::FunctionStats::arch`]: `"arm64"` (or
    /// `"aarch64"`) is arm64, anything else x86_64.
    pub fn from_name(s: &str) -> Arch {
        match s {
            "arm64" | "aarch64" => Arch::Arm64,
            _ => Arch::X86_64,
        }
    }
}

/// One function's monthly usage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FunctionUsage {
    /// Instruction set.
    pub arch: Arch,
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
    let billable_fraction = |total: f64, free: f64| {
        if total > 0.0 {
            (1.0 - free.min(total) / total).max(0.0)
        } else {
            1.0
        }
    };
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
    let arch_rate = |arch: Arch| {
        let total: f64 = fns
            .iter()
            .zip(&billable)
            .filter(|(f, _)| f.arch == arch)
            .map(|(_, b)| b.1)
            .sum();
        let tiers = match arch {
            Arch::X86_64 => &p.duration_x86_usd_per_gb_s,
            Arch::Arm64 => &p.duration_arm64_usd_per_gb_s,
        };
        if total > 0.0 {
            tiered(total, tiers, 1.0) / total
        } else {
            0.0
        }
    };
    let (x86_rate, arm_rate) = (arch_rate(Arch::X86_64), arch_rate(Arch::Arm64));

    fns.iter()
        .zip(&billable)
        .map(|(f, &(req, gbs))| {
            let rate = match f.arch {
                Arch::X86_64 => x86_rate,
                Arch::Arm64 => arm_rate,
            };
            req * p.request_usd_per_million / 1e6
                + gbs * rate
                + f.provisioned_gb_seconds * p.provisioned_duration_usd_per_gb_s
                + f.provisioned_configured_gb_seconds * p.provisioned_concurrency_usd_per_gb_s
        })
        .collect()
}

/// API Gateway flavour (sets the request price).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKind {
    /// REST API (v1).
    Rest,
    /// HTTP API (v2).
    Http,
}

impl ApiKind {
    /// From [`crate::metrics::ApiStats::kind`]: `"http"` is HTTP, anything
    /// else REST (the dearer one).
    pub fn from_name(s: &str) -> ApiKind {
        match s {
            "http" => ApiKind::Http,
            _ => ApiKind::Rest,
        }
    }
}

/// One API's monthly usage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ApiUsage {
    /// REST or HTTP.
    pub kind: ApiKind,
    /// Requests received [per month].
    pub requests: f64,
    /// Response cache size \[GB\]; 0 without a cache.
    pub cache_size_gb: f64,
}

/// Monthly API Gateway cost of each API \[USD\].
///
/// Request tiers and the free tier (1M calls a month, when `free_tier` is
/// on) apply per API type to the sum over APIs of that type, then split back
/// by requests. The cache is billed for every hour of the month, priced
/// linearly in its size (an approximation of AWS's fixed cache sizes).
pub fn api_costs(apis: &[ApiUsage], p: &ApiGatewayPrices, free_tier: bool) -> Vec<f64> {
    let kind_rate = |kind: ApiKind| {
        let total: f64 = apis
            .iter()
            .filter(|a| a.kind == kind)
            .map(|a| a.requests)
            .sum();
        if total <= 0.0 {
            return 0.0;
        }
        let free = if free_tier {
            p.free_requests_per_month.min(total)
        } else {
            0.0
        };
        let tiers = match kind {
            ApiKind::Rest => &p.rest_usd_per_million,
            ApiKind::Http => &p.http_usd_per_million,
        };
        tiered(total - free, tiers, 1e6) / total
    };
    let (rest_rate, http_rate) = (kind_rate(ApiKind::Rest), kind_rate(ApiKind::Http));
    apis.iter()
        .map(|a| {
            let rate = match a.kind {
                ApiKind::Rest => rest_rate,
                ApiKind::Http => http_rate,
            };
            let cache = a.cache_size_gb.max(0.0) / p.cache_gb * p.cache_usd_per_hour * MONTH_HOURS;
            a.requests * rate + cache
        })
        .collect()
}

/// One table's monthly usage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TableUsage {
    /// Provisioned capacity, billed per capacity-hour, used or not.
    Provisioned {
        /// Read capacity units kept all month.
        rcu: f64,
        /// Write capacity units kept all month.
        wcu: f64,
    },
    /// On-demand: billed per request unit.
    OnDemand {
        /// Read request units [RRU per month].
        read_units: f64,
        /// Write request units [WRU per month].
        write_units: f64,
    },
}

/// Monthly DynamoDB cost of a table \[USD\] (storage and the DynamoDB free
/// tier are not modelled).
pub fn table_cost(t: &TableUsage, p: &DynamoDbPrices) -> f64 {
    match *t {
        TableUsage::Provisioned { rcu, wcu } => {
            (rcu * p.rcu_usd_per_hour + wcu * p.wcu_usd_per_hour) * MONTH_HOURS
        }
        TableUsage::OnDemand {
            read_units,
            write_units,
        } => {
            read_units * p.read_request_usd_per_million / 1e6
                + write_units * p.write_request_usd_per_million / 1e6
        }
    }
}
