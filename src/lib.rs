//! # slsim: a discrete-event simulator of serverless architectures
//!
//! slsim answers "what happens at this traffic?" for an AWS serverless
//! design (API Gateway, Lambda, DynamoDB, ...) before it is deployed:
//! latency percentiles, cold-start rate, throttles, capacity use and cost,
//! offline, in seconds, deterministically.
//!
//! The usual path is the CLI (`slsim run scenario.toml`); as a library:
//!
//! ```
//! let toml = r#"
//! [simulation]
//! duration = "10m"
//! seed = 7
//!
//! [[workload]]
//! name = "users"
//! target = "hello"
//! arrival = "poisson(rate=5)"
//!
//! [[lambda]]
//! name = "hello"
//! runtime = "python3.12"
//! steps = [{ io = "exp(mean=50ms)" }]
//! "#;
//! let scenario = slsim::scenario::parse_str(toml, "inline.toml", &[]).unwrap();
//! let result = slsim::sim::run(&scenario).unwrap();
//! let users = &result.workloads["users"];
//! // Every request ends in exactly one state.
//! assert_eq!(
//!     users.requests,
//!     users.succeeded + users.throttled + users.failed + users.timed_out + users.in_flight
//! );
//! assert!(result.functions["hello"].cold_starts >= 1);
//! ```
//!
//! The layers, from the edge inwards: [`scenario`] (TOML in, a typed
//! [`model::Scenario`] out), [`sim`] (builds, runs and prices a
//! simulation), [`services`] (one folder per AWS service kind, behind one
//! registry), [`engine`] (time and events, knows nothing of AWS), [`model`],
//! [`metrics`], [`cost`], [`topology`], [`report`] (files out) and [`cli`].
//! See `ARCHITECTURE.md`.

pub mod cli;
pub mod cost;
pub mod diff;
pub mod dist;
pub mod engine;
pub mod metrics;
pub mod model;
pub mod plot;
pub mod policy;
pub mod recommend;
pub mod report;
pub mod scenario;
pub mod services;
pub mod sim;
pub mod slo;
pub mod stats;
pub mod sweep;
pub mod teach;
pub mod topology;
pub mod trace;
pub mod workload;
