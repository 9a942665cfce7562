//! The SimFaaS reference model, built in code and run once.
//!
//! ```text
//! cargo run --release --example simfaas                 # 0.9 req/s, 1e6 s
//! cargo run --release --example simfaas -- --rate 100   # 1e8 requests
//! cargo run --release --example simfaas -- --duration 1e5 --seed 3
//! ```
//!
//! Prints P(cold), mean live environments, mean busy environments,
//! requests, events, wall seconds and requests per wall-second, as
//! `key value` lines (read by `tools/simfaas-comparison/compare-simfaas.sh`).

#[path = "../benches/models/mod.rs"]
mod models;

use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: simfaas [--rate REQ_PER_S] [--duration SIM_SECONDS] [--seed N]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut rate = 0.9_f64;
    let mut duration = 1e6_f64;
    let mut seed = 1_u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let Some(v) = args.next() else {
            return usage();
        };
        let ok = match a.as_str() {
            "--rate" => v.parse().map(|x| rate = x).is_ok(),
            "--duration" => v.parse().map(|x| duration = x).is_ok(),
            "--seed" => v.parse().map(|x| seed = x).is_ok(),
            _ => false,
        };
        if !ok {
            return usage();
        }
    }

    let scenario = models::simfaas(rate, duration, seed);
    let started = std::time::Instant::now();
    let r = match slsim::sim::run(&scenario) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let wall = started.elapsed().as_secs_f64();
    let f = &r.functions["simfaas-fn"];
    let w = &r.workloads["poisson"];
    println!("model poisson({rate}/s) warm exp(1.991s) init const(0.253s) keep_alive 600s");
    println!("simulated_seconds {:.0}", r.simulated_seconds);
    println!("seed {seed}");
    println!("requests {}", w.requests);
    println!("cold_starts {}", f.cold_starts);
    println!("throttled {}", w.throttled);
    println!(
        "p_cold {:.6}",
        f.cold_starts as f64 / f.invocations.max(1) as f64
    );
    println!("mean_environments {:.4}", f.mean_environments);
    println!("mean_concurrency {:.4}", f.mean_concurrency);
    println!("max_concurrency {}", f.max_concurrency);
    println!("events {}", r.events);
    println!("run_wall_seconds {:.3}", r.wall_seconds);
    println!("wall_seconds {wall:.3}");
    println!("requests_per_wall_second {:.0}", w.requests as f64 / wall);
    println!("events_per_wall_second {:.0}", r.events as f64 / wall);
    ExitCode::SUCCESS
}
