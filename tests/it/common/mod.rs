//! Builders for scenarios in code (tests that do not need the TOML layer).
#![allow(dead_code)]

use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::scenario::*;
use slsim::workload::Arrival;

/// `SLSIM_TEST_SEED_OFFSET=k` shifts every scenario seed by k: rerun the
/// suite with other seeds to look for flaky tolerances.
pub fn seed_offset() -> u64 {
    std::env::var("SLSIM_TEST_SEED_OFFSET")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

pub fn simulation(duration_s: u64, warmup_s: u64, seed: u64) -> Simulation {
    let seed = seed.wrapping_add(seed_offset());
    Simulation {
        name: "test".into(),
        duration: duration_s * SECONDS,
        warmup: warmup_s * SECONDS,
        seed,
        account_concurrency: 1000,
        scaling: ScalingModel::PerFunction,
        region: "us-east-1".into(),
        free_tier: false,
        max_events: u64::MAX,
        max_wall_s: None,
        max_memory_bytes: None,
        timeseries_interval: SECONDS,
    }
}

pub fn lambda(name: &str, steps: Vec<Step>) -> Lambda {
    Lambda {
        name: name.into(),
        runtime: "python3.12".into(),
        arch: Architecture::X86_64,
        memory_mb: 1769,
        timeout: 900 * SECONDS,
        init: Dist::Const(0.5),
        keep_alive: 600 * SECONDS,
        routing: Routing::Mru,
        max_lifetime: None,
        reserved_concurrency: None,
        provisioned_concurrency: 0,
        snap_start: false,
        steps,
    }
}

pub fn workload(name: &str, target: Target, arrival: Arrival) -> Workload {
    Workload {
        name: name.into(),
        target,
        arrival,
        routes: vec![],
        retry: None,
    }
}

pub mod stats;
pub mod theory;

pub fn scenario(sim: Simulation, workloads: Vec<Workload>, lambdas: Vec<Lambda>) -> Scenario {
    Scenario {
        simulation: sim,
        workloads,
        apis: vec![],
        lambdas,
        tables: vec![],
        warnings: vec![],
    }
}

pub fn api(name: &str, rate_limit: f64, burst: f64, timeout_s: f64, target: usize) -> Api {
    Api {
        name: name.into(),
        kind: ApiType::Rest,
        rate_limit,
        burst,
        timeout: slsim::engine::secs_to_ns(timeout_s),
        latency: Dist::Const(0.0),
        auth: None,
        cache: None,
        routes: vec![ApiRoute {
            route: "GET /".into(),
            target,
            cacheable: false,
        }],
    }
}

/// A workload sending everything to route 0 of api `a`.
pub fn api_workload(name: &str, a: usize, arrival: Arrival) -> Workload {
    Workload {
        name: name.into(),
        target: Target::Api(a),
        arrival,
        routes: vec![(0, 1.0)],
        retry: None,
    }
}

pub fn sdk_retry(max_attempts: u32) -> SdkRetry {
    SdkRetry {
        max_attempts,
        base: 25 * slsim::engine::MILLIS,
        max_backoff: 2 * SECONDS,
    }
}

pub fn table(name: &str, capacity: Capacity) -> Table {
    Table {
        name: name.into(),
        capacity,
        consistency: Consistency::Strong,
        burst_seconds: 300.0,
        read_latency: Dist::Const(0.005),
        write_latency: Dist::Const(0.008),
        dax: None,
        sdk_retry: sdk_retry(3),
    }
}

pub fn get(table: usize, item_kb: f64) -> Step {
    Step::Table {
        table,
        op: TableOp::Get,
        items: 1,
        item_kb,
    }
}

/// Poisson at `rate` during `[0, until_s)`, then nothing (lets a run drain).
pub fn poisson_until(rate: f64, until_s: f64) -> Arrival {
    Arrival::Steps(vec![(0, rate), (slsim::engine::secs_to_ns(until_s), 0.0)])
}

/// Poisson at `rate` during `[from_s, from_s + len_s)`: a burst of about
/// `rate * len_s` requests.
pub fn burst_at(from_s: f64, len_s: f64, rate: f64) -> Vec<(u64, f64)> {
    use slsim::engine::secs_to_ns;
    vec![
        (secs_to_ns(from_s), rate),
        (secs_to_ns(from_s + len_s), 0.0),
    ]
}

pub fn run(s: &Scenario) -> slsim::sim::RunResult {
    slsim::sim::run(s).expect("run")
}
