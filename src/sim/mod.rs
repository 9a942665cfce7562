//! Build a simulation from a [`Scenario`] and run it to a [`RunResult`].
//!
//! This is the "ops" layer: it wires components into a [`world::World`],
//! seeds the first events, drives the [`Engine`], and turns the
//! components' counters into the result.

pub mod guards;
pub mod world;

use std::time::{Duration, Instant};

use indexmap::IndexMap;

use crate::services::api_gateway::ApiGateway;
use crate::services::client::{Client, ClientSeries};
use crate::services::lambda::INIT_CAP;
use crate::services::lambda::{Account, Function, FunctionSeries};
use crate::services::table::{Table, TableSeries};
use crate::services::{EndState, Event, Frames, Outcome};
use crate::engine::{ns_to_secs, stream, Engine, Guard, GuardTripped, SimDuration, Slice};
use crate::metrics::series::Combine;
use crate::metrics::{
    ApiStats, CostReport, FunctionStats, Level, RouteStats, RunResult, SeriesRecorder,
    StoppedEarly, TableStats, WorkloadStats,
};
use crate::model::{ApiType, Architecture, Capacity, Scenario, Target};
use world::World;

/// Why a run did not finish.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The guard stopped it.
    #[error(transparent)]
    Guard(#[from] crate::engine::GuardTripped),
}

/// A built simulation, ready to run.
pub struct Simulation {
    engine: Engine<Event>,
    world: World,
    /// Memory limit \[bytes\].
    max_memory: u64,
    end: u64,
    measured: SimDuration,
    scenario: String,
    seed: u64,
    free_tier: bool,
    region: String,
    /// Per API: (type, cache size [GB]), for pricing.
    api_meta: Vec<(String, f64)>,
    /// Per function: (architecture, provisioned concurrency), for pricing.
    fn_meta: Vec<(String, u32)>,
    /// Per table: (mode, rcu, wcu), for pricing.
    table_meta: Vec<(String, f64, f64)>,
    /// Validation's warnings, carried into the result.
    warnings: Vec<String>,
}

/// Time series per kind, as registered by [`build`] (they size the
/// recorder's budget before the first is registered).
const CLIENT_SERIES: usize = 3;
const FUNCTION_SERIES: usize = 6;
const TABLE_SERIES: usize = 3;

/// Builds the world of a scenario; its wall-clock limit counts from now.
pub fn build(s: &Scenario) -> Simulation {
    build_from(s, Instant::now())
}

/// Builds the world of a scenario; its wall-clock limit
/// (`[simulation].max_wall`) counts from `started`, e.g. the start of the
/// process, so that loading and building count too.
pub fn build_from(s: &Scenario, started: Instant) -> Simulation {
    let sim = &s.simulation;
    let seed = sim.seed;
    let warmup = sim.warmup;
    let planned = CLIENT_SERIES * s.workloads.len()
        + FUNCTION_SERIES * s.lambdas.len()
        + TABLE_SERIES * s.tables.len();
    let mut rec = SeriesRecorder::new(sim.duration, sim.timeseries_interval, planned);
    let per_s = 1e9 / rec.interval() as f64;

    let clients: Vec<Client> = s
        .workloads
        .iter()
        .map(|w| {
            let series = ClientSeries {
                rps: rec.register(&w.name, "rps", Combine::Sum, per_s),
                ok: rec.register(&w.name, "succeeded_rps", Combine::Sum, per_s),
                errors: rec.register(&w.name, "unsuccessful_rps", Combine::Sum, per_s),
            };
            let route_names = match w.target {
                Target::Api(a) => w
                    .routes
                    .iter()
                    .map(|(r, _)| s.apis[a].routes[*r].route.clone())
                    .collect(),
                Target::Lambda(_) => vec!["-".to_string()],
            };
            Client::new(
                w,
                route_names,
                stream(seed, &w.name, "arrivals"),
                stream(seed, &w.name, "client"),
                series,
                sim.duration,
            )
        })
        .collect();

    let max_call: Vec<SimDuration> = s.lambdas.iter().map(|l| INIT_CAP + l.timeout).collect();
    let apis: Vec<ApiGateway> = s
        .apis
        .iter()
        .map(|a| ApiGateway::new(a, stream(seed, &a.name, "api"), &max_call))
        .collect();

    let mut functions: Vec<Function> = s
        .lambdas
        .iter()
        .map(|l| {
            let series = FunctionSeries {
                invocations: rec.register(&l.name, "invocations", Combine::Sum, 1.0),
                cold_starts: rec.register(&l.name, "cold_starts", Combine::Sum, 1.0),
                throttles: rec.register(&l.name, "throttles", Combine::Sum, 1.0),
                concurrency_max: rec.register(&l.name, "concurrency_max", Combine::Max, 1.0),
            };
            let mean = rec.register(&l.name, "concurrency", Combine::Sum, per_s);
            let envs = rec.register(&l.name, "environments", Combine::Sum, per_s);
            Function::new(
                l,
                &s.tables,
                stream(seed, &l.name, "lambda"),
                Level::new(warmup, Some(mean), Some(series.concurrency_max), &rec),
                Level::new(warmup, Some(envs), None, &rec),
                series,
            )
        })
        .collect();

    let tables: Vec<Table> = s
        .tables
        .iter()
        .map(|t| {
            let series = TableSeries {
                consumed_rcu: rec.register(&t.name, "consumed_rcu", Combine::Sum, per_s),
                consumed_wcu: rec.register(&t.name, "consumed_wcu", Combine::Sum, per_s),
                throttled: rec.register(&t.name, "throttled", Combine::Sum, 1.0),
            };
            Table::new(t, stream(seed, &t.name, "table"), series)
        })
        .collect();

    let reserved: u32 = s
        .lambdas
        .iter()
        .filter_map(|l| l.reserved_concurrency)
        .sum();
    let mut account = Account::new(sim, reserved);
    for f in &mut functions {
        f.provision(&mut account, &mut rec);
    }

    debug_assert_eq!(rec.series_count(), planned, "update the *_SERIES counts");
    let mut engine = Engine::started_at(
        Guard {
            max_events: sim.max_events,
            max_wall: sim.max_wall_s.map(Duration::from_secs_f64),
        },
        started,
    );
    let mut world = World {
        frames: Frames::default(),
        clients,
        apis,
        functions,
        tables,
        account,
        rec,
        warmup,
    };
    for (i, c) in world.clients.iter_mut().enumerate() {
        let lane = engine.scheduler().add_lane();
        debug_assert_eq!(lane.0 as usize, i);
        if let Some(t) = c.next_arrival(0) {
            engine
                .scheduler()
                .schedule_lane_at(lane, t, Event::Arrival(i as u16));
        }
    }
    Simulation {
        engine,
        world,
        max_memory: sim
            .max_memory_bytes
            .unwrap_or_else(guards::default_max_memory),
        end: sim.duration,
        measured: sim.duration - warmup.min(sim.duration),
        scenario: sim.name.clone(),
        seed,
        warnings: s.warnings.clone(),
        free_tier: sim.free_tier,
        region: sim.region.clone(),
        api_meta: s
            .apis
            .iter()
            .map(|a| {
                let kind = match a.kind {
                    ApiType::Rest => "rest",
                    ApiType::Http => "http",
                };
                (
                    kind.to_string(),
                    a.cache.as_ref().map_or(0.0, |c| c.size_gb),
                )
            })
            .collect(),
        fn_meta: s
            .lambdas
            .iter()
            .map(|l| {
                let arch = match l.arch {
                    Architecture::X86_64 => "x86_64",
                    Architecture::Arm64 => "arm64",
                };
                (arch.to_string(), l.provisioned_concurrency)
            })
            .collect(),
        table_meta: s
            .tables
            .iter()
            .map(|t| match t.capacity {
                Capacity::Provisioned { rcu, wcu } => ("provisioned".to_string(), rcu, wcu),
                Capacity::OnDemand { .. } => ("on-demand".to_string(), 0.0, 0.0),
            })
            .collect(),
    }
}

impl Simulation {
    /// Runs to the end and collects the result (cost filled in when a price
    /// table exists for the region).
    ///
    /// A guard (events, wall time, memory) that trips ends the run early:
    /// the result covers the run up to that moment and says so in
    /// `stopped_early`.
    pub fn run(mut self) -> Result<RunResult, SimError> {
        let started = Instant::now();
        let stopped = self.run_guarded().err();
        let wall = started.elapsed().as_secs_f64();
        if stopped.is_some() {
            // Figures up to the stop: the run "ends" where it stopped.
            self.end = self.engine.now();
            self.measured = self.end.saturating_sub(self.world.warmup);
        }
        let mut result = self.collect(wall);
        result.stopped_early = stopped.map(|g| StoppedEarly {
            reason: g.to_string(),
            at_s: g.at_s(),
        });
        if result.stopped_early.is_none() && result.workloads.values().all(|w| w.requests == 0) {
            result.warnings.push(
                "no request arrived in the measured window: check the workloads' arrival \
                 rates, [simulation].duration and warmup (figures and cost are empty)"
                    .into(),
            );
        }
        if let Some(prices) = crate::cost::builtin::for_region(&self.region) {
            result.cost = crate::cost::compute(&result, &prices, self.free_tier);
        }
        Ok(result)
    }

    /// Runs the engine in slices, checking the wall-clock and memory limits
    /// between slices (the event limit is checked before every event).
    fn run_guarded(&mut self) -> Result<(), GuardTripped> {
        let world = &mut self.world;
        loop {
            self.engine.check_wall()?;
            let slice = self
                .engine
                .run_slice(self.end, Engine::<Event>::SLICE, |cx, ev| {
                    world.handle(cx, ev)
                })?;
            if slice == Slice::Done {
                return Ok(());
            }
            let held = guards::footprint(&self.engine, world);
            if held <= self.max_memory {
                continue;
            }
            return Err(GuardTripped::Memory {
                events: self.engine.events(),
                what: format!(
                    "the run's memory reached {}, above the limit of {} \
                     ([simulation].max_memory); the largest backlogs: {}",
                    guards::bytes(held),
                    guards::bytes(self.max_memory),
                    guards::backlog(world)
                ),
                at_s: ns_to_secs(self.engine.now()),
            });
        }
    }

    fn collect(&mut self, wall_seconds: f64) -> RunResult {
        let end = self.end;
        let w = &mut self.world;
        let measured_s = ns_to_secs(self.measured);
        let per = |area: f64| {
            if measured_s > 0.0 {
                area / measured_s
            } else {
                0.0
            }
        };

        let mut workloads = IndexMap::new();
        for c in &w.clients {
            let k = &c.counters;
            let count = |state: EndState| -> u64 {
                Outcome::ALL
                    .iter()
                    .filter(|o| o.end_state() == state)
                    .map(|o| k.by_outcome[*o as usize])
                    .sum()
            };
            let mut status = IndexMap::new();
            for o in Outcome::ALL {
                let n = k.by_outcome[o as usize];
                if n == 0 {
                    continue;
                }
                let key = match c.target {
                    Target::Api(_) => o.api_status().to_string(),
                    Target::Lambda(_) => o.name().to_string(),
                };
                *status.entry(key).or_insert(0) += n;
            }
            let routes = c
                .route_names
                .iter()
                .zip(&c.routes)
                .map(|(name, (h, req, ok))| {
                    (
                        name.clone(),
                        RouteStats {
                            requests: *req,
                            succeeded: *ok,
                            latency_ms: h.summary(),
                        },
                    )
                })
                .collect();
            workloads.insert(
                c.name.clone(),
                WorkloadStats {
                    requests: k.requests,
                    succeeded: count(EndState::Succeeded),
                    throttled: count(EndState::Throttled),
                    failed: count(EndState::Failed),
                    timed_out: count(EndState::TimedOut),
                    in_flight: k.in_flight,
                    retries: k.retries,
                    status,
                    latency_ms: c.latency().summary(),
                    routes,
                },
            );
        }

        let mut apis = IndexMap::new();
        for (a, cfg) in w.apis.iter().zip(self.api_meta.iter()) {
            let mut status = IndexMap::new();
            for o in Outcome::ALL {
                let n = a.counters.by_outcome[o as usize];
                if n > 0 {
                    *status.entry(o.api_status().to_string()).or_insert(0) += n;
                }
            }
            apis.insert(
                a.name.clone(),
                ApiStats {
                    requests: a.counters.requests,
                    throttled: a.counters.throttled,
                    cache_hits: a.counters.cache_hits,
                    status,
                    kind: cfg.0.clone(),
                    cache_size_gb: cfg.1,
                },
            );
        }

        let mut functions = IndexMap::new();
        for (f, meta) in w.functions.iter_mut().zip(self.fn_meta.iter()) {
            f.busy.finish(end, &mut w.rec);
            f.live.finish(end, &mut w.rec);
            let k = &f.counters;
            functions.insert(
                f.name.clone(),
                FunctionStats {
                    invocations: k.invocations,
                    cold_starts: k.cold_starts,
                    throttles: k.throttles,
                    errors: k.errors,
                    timeouts: k.timeouts,
                    max_concurrency: f.busy.max().max(0) as u64,
                    mean_concurrency: per(f.busy.area()),
                    mean_environments: per(f.live.area()),
                    gb_seconds: k.gb_seconds,
                    provisioned_gb_seconds: k.provisioned_gb_seconds,
                    mean_duration_ms: (k.ended > 0).then(|| k.duration_sum / k.ended as f64 / 1e6),
                    mean_init_ms: (k.cold_starts > 0)
                        .then(|| k.init_sum / k.cold_starts as f64 / 1e6),
                    memory_mb: f.memory_mb,
                    arch: meta.0.clone(),
                    provisioned_concurrency: meta.1,
                },
            );
        }

        let mut tables = IndexMap::new();
        for (t, meta) in w.tables.iter().zip(self.table_meta.iter()) {
            let k = &t.counters;
            tables.insert(
                t.name.clone(),
                TableStats {
                    reads: k.reads,
                    writes: k.writes,
                    throttled: k.throttled,
                    retries: k.retries,
                    failed: k.failed,
                    dax_hits: k.dax_hits,
                    consumed_rcu: k.consumed_rcu,
                    consumed_wcu: k.consumed_wcu,
                    mode: meta.0.clone(),
                    rcu: meta.1,
                    wcu: meta.2,
                },
            );
        }

        RunResult {
            scenario: self.scenario.clone(),
            seed: self.seed,
            simulated_seconds: ns_to_secs(end),
            measured_seconds: measured_s,
            events: self.engine.events(),
            wall_seconds,
            provenance: Default::default(),
            stopped_early: None,
            warnings: self.warnings.clone(),
            timeseries_interval_s: ns_to_secs(w.rec.interval()),
            workloads,
            apis,
            functions,
            tables,
            cost: CostReport::default(),
            timeseries: w.rec.export(),
        }
    }
}

/// Builds and runs a scenario.
pub fn run(s: &Scenario) -> Result<RunResult, SimError> {
    build(s).run()
}

/// Builds and runs a scenario whose wall-clock limit counts from `started`.
pub fn run_from(s: &Scenario, started: Instant) -> Result<RunResult, SimError> {
    build_from(s, started).run()
}
