//! Scenarios built in code for the benchmarks and `examples/simfaas.rs`
//! (they do not depend on the TOML loader). Included with `#[path]`.
//!
//! Each starts from the model's constructors (the documented defaults) and
//! overrides only what the models need: the benchmark figures and the
//! SimFaaS comparison depend on these exact values. Must not know: TOML.
#![allow(dead_code)]

use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::workload::Arrival;

/// `[simulation]` with the given length [s], warm-up [s], seed and account
/// concurrency.
pub fn simulation(
    name: &str,
    duration_s: f64,
    warmup_s: f64,
    seed: u64,
    account: u32,
) -> Simulation {
    Simulation {
        name: name.into(),
        warmup: (warmup_s * 1e9) as u64,
        seed,
        account_concurrency: account,
        max_events: u64::MAX,
        ..Simulation::new((duration_s * 1e9) as u64)
    }
}

/// A nodejs20.x function with the given memory \[MB\], init \[s\] and steps
/// (timeout 900 s, keep-alive 10 min).
pub fn lambda(name: &str, memory_mb: u32, init: Dist, steps: Vec<Step>) -> Lambda {
    Lambda {
        runtime: "nodejs20.x".into(),
        memory_mb,
        timeout: 900 * SECONDS,
        init,
        keep_alive: 600 * SECONDS,
        ..Lambda::new(name, steps)
    }
}

/// The SimFaaS reference model (Mahmoudi & Khazaei, "SimFaaS", 2021): one
/// function invoked directly by a Poisson stream; a warm request takes
/// exp(mean 1.991 s); a cold one first initialises for a constant 0.253 s;
/// idle environments expire after 600 s; concurrency is effectively
/// unlimited. No warm-up, like SimFaaS.
pub fn simfaas(rate: f64, duration_s: f64, seed: u64) -> Scenario {
    // `lambda` keeps idle environments 600 s, like SimFaaS.
    let f = lambda(
        "simfaas-fn",
        1769,
        Dist::Const(0.253),
        vec![Step::Io(Dist::Exp { mean: 1.991 })],
    );
    let mut sim = simulation("simfaas reference", duration_s, 0.0, seed, 1_000_000);
    // Long runs: coarse time series (memory is bounded anyway).
    sim.timeseries_interval = 60 * SECONDS;
    direct(sim, f, rate)
}

/// One function invoked directly by a Poisson stream of `rate`/s.
fn direct(simulation: Simulation, f: Lambda, rate: f64) -> Scenario {
    Scenario {
        simulation,
        workloads: vec![Workload::new(
            "poisson",
            Target::Lambda(0),
            Arrival::Poisson { rate },
        )],
        apis: vec![],
        lambdas: vec![f],
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

/// M/M/c/c: one function with reserved = provisioned = `c`, Poisson
/// arrivals at `rate`/s, exponential service with mean `service_s`
/// (requests beyond `c` busy environments are throttled: Erlang B).
pub fn mmc(c: u32, rate: f64, service_s: f64, duration_s: f64, seed: u64) -> Scenario {
    let mut f = lambda(
        "mmc-fn",
        1769,
        Dist::Const(0.25),
        vec![Step::Io(Dist::Exp { mean: service_s })],
    );
    f.reserved_concurrency = Some(c);
    f.provisioned_concurrency = c;
    direct(
        simulation("m/m/c", duration_s, 0.0, seed, c + 1000),
        f,
        rate,
    )
}

/// A MyTodoList-like chain: REST API Gateway -> five functions (one per
/// route) -> one DynamoDB table (on-demand) with DAX in front. Read-heavy
/// route mix (80 % reads); diurnal traffic with the given mean and peak
/// [requests/s] and period [s]. `timeout_s` is every function's timeout
/// (6 s is the Serverless Framework default and typical of an API backend).
pub fn todo(
    mean: f64,
    peak: f64,
    period_s: f64,
    duration_s: f64,
    timeout_s: u64,
    seed: u64,
) -> Scenario {
    let ms = |v: f64| v * 1e-3;
    let compute = |median_ms: f64| Step::Compute {
        dist: Dist::lognormal_median_sigma(ms(median_ms), 0.5),
        threads: 1.0,
    };
    let init = Dist::lognormal_median_sigma(ms(250.0), 0.4);
    let table = |op, items, item_kb| Step::table(0, op, items, item_kb);
    let mut lambdas = vec![
        lambda(
            "list-todos",
            512,
            init.clone(),
            vec![compute(4.0), table(TableOp::Query, 20, 0.5), compute(2.0)],
        ),
        lambda(
            "get-todo",
            512,
            init.clone(),
            vec![compute(3.0), table(TableOp::Get, 1, 0.5)],
        ),
        lambda(
            "create-todo",
            512,
            init.clone(),
            vec![compute(5.0), table(TableOp::Put, 1, 0.5), Step::Fail(0.001)],
        ),
        lambda(
            "update-todo",
            512,
            init.clone(),
            vec![compute(5.0), table(TableOp::Update, 1, 0.5)],
        ),
        lambda(
            "delete-todo",
            512,
            init,
            vec![compute(3.0), table(TableOp::Delete, 1, 0.5)],
        ),
    ];
    for l in &mut lambdas {
        l.timeout = timeout_s * SECONDS;
    }
    let routes = [
        ("GET /todos", 0, 0.55),
        ("GET /todos/{id}", 1, 0.25),
        ("POST /todos", 2, 0.10),
        ("PUT /todos/{id}", 3, 0.07),
        ("DELETE /todos/{id}", 4, 0.03),
    ];
    let api_routes = routes
        .iter()
        .map(|(r, f, _)| ApiRoute::new(r, *f, false))
        .collect();
    // The REST defaults: the account's 10,000 requests/s, burst 5,000,
    // timeout 29 s.
    let api = Api {
        latency: Dist::lognormal_median_sigma(ms(6.0), 0.3),
        ..Api::new("todo-api", ApiType::Rest, api_routes)
    };
    let capacity = Capacity::OnDemand {
        initial_read_peak: 4_000.0,
        initial_write_peak: 4_000.0,
    };
    // Eventually consistent (the default), so DAX answers reads.
    let todos = Table {
        read_latency: Dist::lognormal_median_sigma(ms(5.0), 0.4),
        write_latency: Dist::lognormal_median_sigma(ms(8.0), 0.4),
        dax: Some(Dax {
            hit_ratio: Some(0.85),
            ttl: DEFAULT_DAX_TTL,
            query_ttl: DEFAULT_DAX_TTL,
            hit_latency: Dist::lognormal_median_sigma(ms(0.8), 0.3),
        }),
        sdk_retry: SdkRetry {
            max_attempts: 10,
            ..SdkRetry::standard()
        },
        ..Table::new("todos", capacity)
    };
    Scenario {
        simulation: simulation("mytodolist-like", duration_s, 0.0, seed, 1000),
        workloads: vec![Workload {
            routes: routes
                .iter()
                .enumerate()
                .map(|(i, (_, _, p))| (i, *p))
                .collect(),
            ..Workload::new(
                "mobile-users",
                Target::Api(0),
                Arrival::diurnal(mean, peak, (period_s * 1e9) as u64),
            )
        }],
        apis: vec![api],
        lambdas,
        tables: vec![todos],
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
