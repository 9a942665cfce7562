//! Cost arithmetic against AWS's published examples and hand calculations.

use slsim::cost::{tiered, PriceTable, Tier, MONTH_HOURS, MONTH_SECONDS};
use slsim::model::{ApiType as ApiKind, Architecture as Arch};
use slsim::services::api_gateway::cost::{api_costs, ApiUsage};
use slsim::services::api_gateway::ApiStats;
use slsim::services::client::WorkloadStats;
use slsim::services::lambda::cost::{lambda_costs, FunctionUsage};
use slsim::services::lambda::FunctionStats;
use slsim::services::table::cost::{table_cost, TableUsage};
use slsim::services::table::{CapacityMode, TableStats};
use slsim::sim::price::price as compute;
use slsim::sim::RunResult;

fn prices() -> PriceTable {
    slsim::cost::builtin::for_region("us-east-1").unwrap()
}

fn cents(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn function(requests: f64, gb_seconds: f64) -> FunctionUsage {
    FunctionUsage {
        arch: Arch::X86_64,
        requests,
        gb_seconds,
        provisioned_gb_seconds: 0.0,
        provisioned_configured_gb_seconds: 0.0,
    }
}

/// aws-facts 9.4: 512 MB, 3M invocations of 1 s in a month, free tier on,
/// at the old page's $0.00001667/GB-s: $18.34 compute + $0.40 requests.
#[test]
fn aws_lambda_worked_example() {
    let mut p = prices().lambda;
    p.duration_x86_usd_per_gb_s = vec![Tier {
        up_to: None,
        price: 0.00001667,
    }];
    let gb_s = 3e6 * 1.0 * 512.0 / 1024.0;
    assert_eq!(gb_s, 1.5e6);
    let with_requests = lambda_costs(&[function(3e6, gb_s)], &p, true)[0];
    let compute_only = lambda_costs(&[function(0.0, gb_s)], &p, true)[0];
    assert_eq!(cents(compute_only), 18.34);
    assert_eq!(cents(with_requests - compute_only), 0.40);
    assert_eq!(cents(with_requests), 18.74);
}

/// The same example end to end through `compute`, over a whole month.
#[test]
fn worked_example_through_compute() {
    let mut prices = prices();
    prices.lambda.duration_x86_usd_per_gb_s = vec![Tier {
        up_to: None,
        price: 0.00001667,
    }];
    let mut r = empty_result(MONTH_SECONDS);
    r.functions.insert(
        "fn".into(),
        FunctionStats {
            invocations: 3_000_000,
            gb_seconds: 1.5e6,
            memory_mb: 512,
            arch: Arch::X86_64,
            ..Default::default()
        },
    );
    r.workloads.insert(
        "users".into(),
        WorkloadStats {
            requests: 3_000_000,
            ..Default::default()
        },
    );
    let c = compute(&r, &prices, true);
    assert_eq!(cents(c.monthly_usd), 18.74);
    assert!(close(c.total_usd, c.monthly_usd), "the window is the month");
    assert!(c.free_tier);
    assert_eq!(cents(c.by_service["lambda"]), 18.74);
    assert_eq!(c.by_service["api_gateway"], 0.0);
    assert_eq!(c.by_service["dynamodb"], 0.0);
    assert_eq!(
        c.by_service.keys().collect::<Vec<_>>(),
        // Registry order: the path of a request.
        ["api_gateway", "lambda", "dynamodb"]
    );
    assert!(close(c.by_component["fn"], c.monthly_usd));
    assert!(close(
        c.per_million_requests_usd.unwrap(),
        c.monthly_usd / 3.0
    ));
}

#[test]
fn free_tier_off_vs_on() {
    let p = prices().lambda;
    let f = function(3e6, 1.5e6);
    let off = lambda_costs(&[f], &p, false)[0];
    let on = lambda_costs(&[f], &p, true)[0];
    assert!(close(off, 3.0 * 0.20 + 1.5e6 * 0.0000166667));
    assert!(close(off - on, 1.0 * 0.20 + 400_000.0 * 0.0000166667));
    // Usage under the free tier costs nothing.
    assert_eq!(lambda_costs(&[function(5e5, 1e5)], &p, true)[0], 0.0);
}

#[test]
fn free_tier_is_shared_by_functions_in_proportion() {
    let p = prices().lambda;
    let costs = lambda_costs(&[function(1e6, 2e5), function(3e6, 6e5)], &p, true);
    let whole = lambda_costs(&[function(4e6, 8e5)], &p, true)[0];
    assert!(close(costs[0] + costs[1], whole));
    assert!(close(costs[1], 3.0 * costs[0]));
}

#[test]
fn arm64_duration_is_20_percent_cheaper() {
    let p = prices().lambda;
    let x86 = lambda_costs(&[function(0.0, 1e6)], &p, false)[0];
    let arm = lambda_costs(
        &[FunctionUsage {
            arch: Arch::Arm64,
            ..function(0.0, 1e6)
        }],
        &p,
        false,
    )[0];
    assert!(close(arm, 1e6 * 0.0000133334));
    assert!((arm / x86 - 0.8).abs() < 1e-5);
}

#[test]
fn lambda_duration_tiers() {
    let p = prices().lambda;
    let gbs = 20e9;
    let expect = 6e9 * 0.0000166667 + 9e9 * 0.000015 + 5e9 * 0.0000133334;
    assert!(close(
        lambda_costs(&[function(0.0, gbs)], &p, false)[0],
        expect
    ));
}

#[test]
fn provisioned_concurrency_cost_and_no_free_tier() {
    let p = prices().lambda;
    // 10 environments of 1 GB configured all month, 1M GB-s run on them.
    let configured = 10.0 * 1.0 * MONTH_SECONDS;
    let f = FunctionUsage {
        arch: Arch::X86_64,
        requests: 1e6,
        gb_seconds: 0.0,
        provisioned_gb_seconds: 1e6,
        provisioned_configured_gb_seconds: configured,
    };
    let expect = 0.20 + 1e6 * 0.0000097222 + configured * 0.0000041667;
    assert!(close(lambda_costs(&[f], &p, false)[0], expect));
    // The free tier does not apply to functions with PC.
    assert!(close(lambda_costs(&[f], &p, true)[0], expect));
}

#[test]
fn pc_through_compute_scales_with_window() {
    let prices = prices();
    let mut r = empty_result(3600.0);
    r.functions.insert(
        "pc".into(),
        FunctionStats {
            memory_mb: 2048,
            arch: Arch::X86_64,
            provisioned_concurrency: 5,
            ..Default::default()
        },
    );
    let c = compute(&r, &prices, false);
    // 5 x 2 GB for one hour, and for the month.
    assert!(close(c.total_usd, 5.0 * 2.0 * 3600.0 * 0.0000041667));
    assert!(close(
        c.monthly_usd,
        5.0 * 2.0 * MONTH_SECONDS * 0.0000041667
    ));
}

#[test]
fn tiered_price_boundaries() {
    let tiers = prices().api_gateway.rest_usd_per_million;
    assert_eq!(tiered(0.0, &tiers, 1e6), 0.0);
    assert!(close(tiered(333e6, &tiers, 1e6), 333.0 * 3.50));
    assert!(close(tiered(334e6, &tiers, 1e6), 333.0 * 3.50 + 2.80));
    assert!(close(tiered(1e9, &tiers, 1e6), 333.0 * 3.50 + 667.0 * 2.80));
    assert!(close(
        tiered(21e9, &tiers, 1e6),
        333.0 * 3.50 + 667.0 * 2.80 + 19_000.0 * 2.38 + 1_000.0 * 1.51
    ));
}

fn api(kind: ApiKind, requests: f64) -> ApiUsage {
    ApiUsage {
        kind,
        requests,
        cache_size_gb: 0.0,
    }
}

#[test]
fn api_gateway_tiers_free_tier_and_types() {
    let p = prices().api_gateway;
    assert!(close(
        api_costs(&[api(ApiKind::Http, 300e6)], &p, false)[0],
        300.0
    ));
    assert!(close(
        api_costs(&[api(ApiKind::Http, 400e6)], &p, false)[0],
        390.0
    ));
    assert!(close(
        api_costs(&[api(ApiKind::Rest, 10e6)], &p, false)[0],
        35.0
    ));
    assert!(close(
        api_costs(&[api(ApiKind::Rest, 10e6)], &p, true)[0],
        31.5
    ));
    // Tiers count all APIs of a type together, split back by requests.
    let two = api_costs(
        &[api(ApiKind::Rest, 500e6), api(ApiKind::Rest, 500e6)],
        &p,
        false,
    );
    let expect = 333.0 * 3.50 + 667.0 * 2.80;
    assert!(close(two[0] + two[1], expect));
    assert!(close(two[0], two[1]));
    // REST and HTTP are tiered (and get their free tier) separately.
    let mixed = api_costs(
        &[api(ApiKind::Rest, 2e6), api(ApiKind::Http, 2e6)],
        &p,
        true,
    );
    assert!(close(mixed[0], 3.50));
    assert!(close(mixed[1], 1.00));
}

#[test]
fn api_cache_scales_linearly_with_size() {
    let p = prices().api_gateway;
    let cached = |gb| ApiUsage {
        kind: ApiKind::Rest,
        requests: 0.0,
        cache_size_gb: gb,
    };
    assert!(close(
        api_costs(&[cached(0.5)], &p, false)[0],
        0.02 * MONTH_HOURS
    ));
    assert!(close(
        api_costs(&[cached(1.6)], &p, false)[0],
        0.064 * MONTH_HOURS
    ));
}

#[test]
fn dynamodb_provisioned_hours_and_on_demand_units() {
    let p = prices().dynamodb;
    let prov = TableUsage::Provisioned {
        rcu: 400.0,
        wcu: 100.0,
    };
    assert!(close(
        table_cost(&prov, &p),
        (400.0 * 0.00013 + 100.0 * 0.00065) * 730.0
    ));
    let od = TableUsage::OnDemand {
        read_units: 8e6,
        write_units: 2e6,
    };
    assert!(close(table_cost(&od, &p), 8.0 * 0.125 + 2.0 * 0.625));
}

#[test]
fn compute_projects_a_short_window_to_the_month() {
    let prices = prices();
    let mut r = empty_result(600.0); // 10 minutes
    r.apis.insert(
        "api".into(),
        ApiStats {
            requests: 60_000,
            billed_requests: 60_000,
            kind: ApiKind::Http,
            ..Default::default()
        },
    );
    r.tables.insert(
        "prov".into(),
        TableStats {
            mode: CapacityMode::Provisioned,
            rcu: 10.0,
            wcu: 5.0,
            ..Default::default()
        },
    );
    r.tables.insert(
        "od".into(),
        TableStats {
            mode: CapacityMode::OnDemand,
            consumed_rcu: 1000.0,
            consumed_wcu: 100.0,
            ..Default::default()
        },
    );
    r.workloads.insert(
        "w".into(),
        WorkloadStats {
            requests: 60_000,
            ..Default::default()
        },
    );
    let c = compute(&r, &prices, false);
    let scale = MONTH_SECONDS / 600.0;
    let api = 60_000.0 * scale * 1e-6;
    let prov = (10.0 * 0.00013 + 5.0 * 0.00065) * 730.0;
    let od = (1000.0 * 0.125 + 100.0 * 0.625) * 1e-6 * scale;
    assert!(close(c.by_component["api"], api));
    assert!(close(c.by_component["prov"], prov));
    assert!(close(c.by_component["od"], od));
    assert!(close(c.by_service["dynamodb"], prov + od));
    assert!(close(c.monthly_usd, api + prov + od));
    assert!(close(c.total_usd, c.monthly_usd / scale));
    assert!(close(
        c.per_million_requests_usd.unwrap(),
        c.monthly_usd / (60_000.0 * scale) * 1e6
    ));
    // With the free tier, the API's first 1M monthly calls are free.
    let free = compute(&r, &prices, true);
    assert!(close(free.by_component["api"], api - 1.0));
}

#[test]
fn an_empty_window_costs_nothing() {
    let mut r = empty_result(0.0);
    r.functions.insert(
        "pc".into(),
        FunctionStats {
            memory_mb: 1024,
            provisioned_concurrency: 3,
            ..Default::default()
        },
    );
    let c = compute(&r, &prices(), true);
    assert_eq!(
        (c.total_usd, c.monthly_usd, c.per_million_requests_usd),
        (0.0, 0.0, None)
    );
}

fn empty_result(measured_seconds: f64) -> RunResult {
    RunResult {
        scenario: "cost".into(),
        seed: 1,
        start_clock: "00:00:00".into(),
        simulated_seconds: measured_seconds,
        measured_seconds,
        events: 0,
        wall_seconds: 0.0,
        provenance: Default::default(),
        stopped_early: None,
        warnings: vec![],
        timeseries_interval_s: 60.0,
        sections: Default::default(),
        caches: Vec::new(),
        cost: Default::default(),
        findings: Vec::new(),
        slos: Vec::new(),
        objective: None,
        recommendation: None,
        timeseries: Default::default(),
        timelines: Vec::new(),
    }
}
