//! Builders for scenarios in code (tests that do not need the TOML layer).
#![allow(dead_code)]

use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::scenario::*;
use slsim::workload::Arrival;

pub fn simulation(duration_s: u64, warmup_s: u64, seed: u64) -> Simulation {
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

pub fn scenario(sim: Simulation, workloads: Vec<Workload>, lambdas: Vec<Lambda>) -> Scenario {
    Scenario {
        simulation: sim,
        workloads,
        apis: vec![],
        lambdas,
        tables: vec![],
    }
}
