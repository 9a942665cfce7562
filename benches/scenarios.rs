//! Whole-simulation throughput on scenarios built in code.
//!
//! - `mmc`: M/M/c/c, one function with reserved = provisioned = c, Poisson
//!   arrivals, exponential service; reported as events/s and requests/s.
//! - `mytodolist`: REST API -> 5 functions -> DynamoDB + DAX, read-heavy
//!   route mix, diurnal traffic; reported as requests/s.
//!
//! One criterion iteration is one whole run (build + run + collect); the
//! element counts come from a first, untimed run with the same seed (runs
//! are deterministic).

// `criterion_group!` generates an undocumented `pub fn`.
#![allow(missing_docs)]

#[path = "models/mod.rs"]
mod models;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use slsim::model::Scenario;

fn counts(s: &Scenario) -> (u64, u64) {
    let r = slsim::sim::run(s).expect("bench scenario runs");
    let requests = r.workloads.values().map(|w| w.requests).sum();
    (requests, r.events)
}

fn bench_one(c: &mut Criterion, group: &str, label: &str, s: &Scenario, per: &[&str]) {
    let (requests, events) = counts(s);
    eprintln!("{group}: {requests} requests, {events} events per run");
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(12));
    for &unit in per {
        let n = match unit {
            "events" => events,
            _ => requests,
        };
        g.throughput(Throughput::Elements(n));
        g.bench_function(BenchmarkId::new(unit, label), |b| {
            b.iter(|| slsim::sim::run(s).expect("runs"))
        });
    }
    g.finish();
}

fn scenarios(c: &mut Criterion) {
    // c = 50, offered load 45 Erlang (rho = 0.9), 20,000 simulated seconds:
    // ~900k requests per run.
    let mmc = models::mmc(50, 45.0, 1.0, 20_000.0, 1);
    bench_one(c, "mmc", "c50-rho0.9", &mmc, &["events", "requests"]);

    // Diurnal 300/s mean, 600/s peak over a compressed one-hour "day":
    // ~1.08M requests per run. Function timeout 6 s.
    let todo = models::todo(300.0, 600.0, 3600.0, 3600.0, 6, 1);
    bench_one(c, "mytodolist", "timeout-6s", &todo, &["requests"]);

    // The same with 900 s function timeouts, longer than API Gateway's 29 s
    // integration timeout, so every API call needs an integration timer.
    // Timers live in per-component deadline queues (one heap event per
    // function or API), so this should run about as fast as the 6 s case;
    // it guards against timers creeping back into the event heap.
    let todo900 = models::todo(300.0, 600.0, 3600.0, 3600.0, 900, 1);
    bench_one(c, "mytodolist", "timeout-900s", &todo900, &["requests"]);
}

criterion_group!(benches, scenarios);
criterion_main!(benches);
