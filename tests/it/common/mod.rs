//! Builders for scenarios in code (tests that do not need the TOML layer).
//!
//! Each starts from the model's constructor (the documented defaults) and
//! overrides only what the tests rely on: the theory tests' tolerances are
//! computed for these exact values. Must not know: TOML.
#![allow(dead_code)]

use slsim::dist::Dist;
use slsim::engine::{secs_to_ns, SECONDS};
use slsim::model::*;
use slsim::workload::Arrival;

/// `SLSIM_TEST_SEED_OFFSET=k` shifts every scenario seed by k: rerun the
/// suite with other seeds to look for flaky tolerances.
pub fn seed_offset() -> u64 {
    std::env::var("SLSIM_TEST_SEED_OFFSET")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A run of `duration_s` \[s\] with `warmup_s` \[s\] excluded from
/// statistics, seeded with `seed` (plus [`seed_offset`]) and no event limit.
pub fn simulation(duration_s: u64, warmup_s: u64, seed: u64) -> Simulation {
    Simulation {
        name: "test".into(),
        warmup: warmup_s * SECONDS,
        seed: seed.wrapping_add(seed_offset()),
        max_events: u64::MAX,
        ..Simulation::new(duration_s * SECONDS)
    }
}

/// A python3.12 function with one full vCPU (1,769 MB), a constant 0.5 s
/// cold start, a 900 s timeout, a 600 s keep-alive and no maximum lifetime
/// (the cold-start closed forms assume environments end only idle).
pub fn lambda(name: &str, steps: Vec<Step>) -> Lambda {
    Lambda {
        runtime: "python3.12".into(),
        memory_mb: 1769,
        timeout: 900 * SECONDS,
        init: Dist::Const(0.5),
        keep_alive: 600 * SECONDS,
        max_lifetime: None,
        ..Lambda::new(name, steps)
    }
}

/// A workload without retries (all of it to route 0 if `target` is an api).
pub fn workload(name: &str, target: Target, arrival: Arrival) -> Workload {
    Workload::new(name, target, arrival)
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
        queues: vec![],
        topics: vec![],
        buckets: vec![],
        services: vec![],
        schedules: vec![],
        streams: vec![],
        cdns: vec![],
        slos: vec![],
        objective: None,
        warnings: vec![],
    }
}

/// A REST API with one uncached route `GET /` to function `target`, the
/// given stage token bucket [requests/s, requests], integration timeout
/// \[s\] and no gateway overhead. (The account's bucket, 10,000/s and
/// 5,000, applies too.)
pub fn api(name: &str, rate_limit: f64, burst: f64, timeout_s: f64, target: usize) -> Api {
    let route = ApiRoute::new("GET /", target, false);
    Api {
        stage: Some(Throttle {
            rate: rate_limit,
            burst,
        }),
        latency: Dist::Const(0.0),
        timeout: secs_to_ns(timeout_s),
        ..Api::new(name, ApiType::Rest, vec![route])
    }
}

/// A workload sending everything to route 0 of api `a`.
pub fn api_workload(name: &str, a: usize, arrival: Arrival) -> Workload {
    Workload::new(name, Target::Api(a), arrival)
}

/// The SDK's standard retries, but `max_attempts` and a 2 s backoff cap.
pub fn sdk_retry(max_attempts: u32) -> SdkRetry {
    SdkRetry {
        max_attempts,
        max_backoff: 2 * SECONDS,
        ..SdkRetry::standard()
    }
}

/// A strongly consistent table with constant latencies (5 ms reads, 8 ms
/// writes) and 3 SDK attempts.
pub fn table(name: &str, capacity: Capacity) -> Table {
    Table {
        consistency: Consistency::Strong,
        read_latency: Dist::Const(0.005),
        write_latency: Dist::Const(0.008),
        sdk_retry: sdk_retry(3),
        ..Table::new(name, capacity)
    }
}

pub fn get(table: usize, item_kb: f64) -> Step {
    Step::table(table, TableOp::Get, 1, item_kb)
}

/// Poisson at `rate` during `[0, until_s)`, then nothing (lets a run drain).
pub fn poisson_until(rate: f64, until_s: f64) -> Arrival {
    Arrival::Steps(vec![(0, rate), (secs_to_ns(until_s), 0.0)])
}

/// Poisson at `rate` during `[from_s, from_s + len_s)`: a burst of about
/// `rate * len_s` requests.
pub fn burst_at(from_s: f64, len_s: f64, rate: f64) -> Vec<(u64, f64)> {
    vec![
        (secs_to_ns(from_s), rate),
        (secs_to_ns(from_s + len_s), 0.0),
    ]
}

pub fn run(s: &Scenario) -> slsim::sim::RunResult {
    slsim::sim::run(s).expect("run")
}
