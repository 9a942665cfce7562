//! The statistical and invariant test suite: the simulator against queueing
//! theory, published AWS examples, and its own conservation laws.
//!
//! Tolerance policy: every statistical check is |simulated - theory| <=
//! Z x SE with Z = 5 (`common::stats::Z`) and SE derived from the sample:
//! binomial sqrt(p (1 - p) / n) for independent trials; batch means over 30
//! batches of the exported time series for fractions and time averages of
//! correlated processes (never smaller than the binomial SE); independent
//! replications where no series exists; Poisson sqrt(n) for arrival
//! counts. Deterministic quantities (scaling ramps, legacy burst arithmetic,
//! capacity units, CPU share) are checked exactly or to their stated
//! discretisation. Each check prints a `CHECK | name | theory | simulated |
//! n | tolerance` row (`cargo test --test it -- --nocapture`).
//!
//! `SLSIM_TEST_SEED_OFFSET=k cargo test --test it` reruns everything with
//! shifted seeds, to look for flaky tolerances or small biases.
//!
//! Modules: `theory` (Erlang B, cold starts, token bucket, Little's law, CPU
//! share), `cold_starts` (the keep-alive's e^(-lambda T), provisioned
//! concurrency at the peak), `conservation` (request conservation and cross-checks),
//! `determinism`, `scaling` (Lambda scale-up models), `dynamodb` (capacity), `partitions`, `on_demand`, `gsi`, `autoscale` (DynamoDB partitions and hot keys, on-demand limits, GSIs, transactions, large requests, auto scaling), `sdk_modes` (the SDK's retry modes end to end), `caches` (the TTL and LRU cache model against cache theory),
//! `queues` (SQS and the event source mapping: Erlang C, redrive, ramp,
//! FIFO, message conservation, cost), `topics` (SNS fan-out, filters,
//! delivery retries and dead-letter queues, destinations, cost), `buckets` (S3: the
//! per-prefix rate limits and the SDK's retries of 503s, notifications, cost), `services`
//! (external services: rate limit, daily quota, SDK retries, SES's price),
//! `schedules` (EventBridge rates and cron on the run's calendar, flexible
//! windows, billing), `per_record` (steps run once per record of the
//! invoking batch), `common` (scenario builders, closed
//! forms, statistics).

mod api_gateway;
mod async_invoke;
mod autoscale;
mod buckets;
mod caches;
mod cdn;
mod cold_starts;
mod common;
mod conservation;
mod determinism;
mod dynamodb;
mod findings;
mod geo;
mod gsi;
mod guards;
mod lambda_limits;
mod on_demand;
mod partitions;
mod per_record;
mod queues;
mod scaling;
mod schedules;
mod sdk_modes;
mod services;
mod streams;
mod theory;
mod topics;
