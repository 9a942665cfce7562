//! Build a simulation from a model [`Scenario`], run it, and price it: the
//! one pipeline from a scenario to a [`RunResult`] (`run`), used by the CLI.
//!
//! Owns: wiring the services' [`World`] to the [`Engine`], the guards
//! between slices, collecting the kinds' figures into the result, and
//! pricing them ([`price`]), and the SLOs' verdicts on it (`slo`). Must not know: TOML, files, any one service
//! kind (the registry in `services` lists them).

pub mod guards;
pub mod price;
pub mod result;

use std::time::{Duration, Instant};

pub use result::{Provenance, RunResult, StoppedEarly};

use crate::engine::{ns_to_secs, Engine, Guard, GuardTripped, SimDuration, Slice};
use crate::metrics::SeriesRecorder;
use crate::model::Scenario;
use crate::services::{Build, Event, FindingsCx, World};

/// Why a run did not finish.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The guard stopped it.
    #[error(transparent)]
    Guard(#[from] crate::engine::GuardTripped),
    /// A replayed trace had a bad row (found while the run read it).
    #[error("workload `{workload}`: {error}")]
    Trace {
        /// The workload replaying it.
        workload: String,
        /// What is wrong, where.
        error: Box<crate::workload::trace::TraceError>,
    },
}

/// A built simulation, ready to run.
pub struct Run {
    engine: Engine<Event>,
    world: World,
    /// Memory limit \[bytes\].
    max_memory: u64,
    end: u64,
    measured: SimDuration,
    scenario: String,
    seed: u64,
    /// Clock time of t = 0 \[ns after midnight\].
    start: SimDuration,
    /// What pricing needs of the scenario.
    billing: crate::cost::BillSettings,
    region: String,
    /// The account's concurrency limit (for the findings).
    account_concurrency: u32,
    /// Validation's warnings, carried into the result.
    warnings: Vec<String>,
    /// The SLOs and objective, evaluated on the result.
    slos: Vec<crate::model::Slo>,
    objective: Option<crate::model::Objective>,
    /// The functions `[timeline]` records, in its order.
    timeline: Vec<usize>,
}

// Sweeps run worlds on other threads: a run must stay `Send`.
const _: () = {
    const fn assert_send<T: Send>() {}
    assert_send::<Run>();
};

/// Builds the world of a scenario; its wall-clock limit counts from now.
pub fn build(s: &Scenario) -> Run {
    build_from(s, Instant::now())
}

/// Builds the world of a scenario; its wall-clock limit
/// (`[simulation].max_wall`) counts from `started`, e.g. the start of the
/// process, so that loading and building count too.
pub fn build_from(s: &Scenario, started: Instant) -> Run {
    let sim = &s.simulation;
    let warmup = sim.warmup;
    let planned = World::series_planned(s);
    let rec = SeriesRecorder::new(sim.duration, sim.timeseries_interval, planned);
    let per_s = 1e9 / rec.interval() as f64;
    let mut world = World::build(Build {
        model: s,
        rec,
        per_s,
        warmup,
        end: sim.duration,
    });
    debug_assert_eq!(world.rec.series_count(), planned, "update a kind's SERIES");
    let mut engine = Engine::started_at(
        Guard {
            max_events: sim.max_events,
            max_wall: sim.max_wall_s.map(Duration::from_secs_f64),
        },
        started,
    );
    world.start(engine.scheduler());
    Run {
        engine,
        world,
        max_memory: sim
            .max_memory_bytes
            .unwrap_or_else(guards::default_max_memory),
        end: sim.duration,
        measured: sim.duration - warmup.min(sim.duration),
        scenario: sim.name.clone(),
        seed: sim.seed,
        start: sim.start,
        warnings: s.warnings.clone(),
        slos: s.slos.clone(),
        objective: s.objective.clone(),
        timeline: sim
            .timeline
            .as_ref()
            .map_or_else(Vec::new, |t| t.functions.clone()),
        billing: crate::cost::BillSettings::from_model(s),
        region: sim.region.clone(),
        account_concurrency: sim.account_concurrency,
    }
}

impl Run {
    /// Runs to the end, collects the result and prices it (when a price
    /// table exists for the region).
    ///
    /// A guard (events, wall time, memory) that trips ends the run early:
    /// the result covers the run up to that moment and says so in
    /// `stopped_early`.
    pub fn run(mut self) -> Result<RunResult, SimError> {
        let started = Instant::now();
        let stopped = self.run_guarded().err();
        let wall = started.elapsed().as_secs_f64();
        if let Some(c) = self
            .world
            .clients
            .list
            .iter()
            .find(|c| c.trace_error().is_some())
        {
            return Err(SimError::Trace {
                workload: c.name.clone(),
                error: Box::new(c.trace_error().cloned().expect("found above")),
            });
        }
        if stopped.is_some() {
            // Figures up to the stop: the run "ends" where it stopped.
            self.end = self.engine.now();
            self.measured = self.end.saturating_sub(self.world.warmup);
        }
        let mut result = self.collect(wall);
        let omitted = result.timelines.iter().filter_map(|t| t.omitted());
        result.warnings.extend(omitted.collect::<Vec<_>>());
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
            result.cost = price::price_scenario(&result, &prices, &self.billing);
            for f in result.functions.values_mut() {
                f.cost_per_invocation_usd =
                    crate::services::lambda::cost::per_invocation_usd(f, &prices.lambda);
            }
        }
        result.findings = result.sections.findings(&FindingsCx {
            sections: &result.sections,
            series: &result.timeseries,
            warmup_s: ns_to_secs(self.world.warmup),
            account_concurrency: self.account_concurrency,
        });
        if !self.slos.is_empty() || self.objective.is_some() {
            // Read as summary.json reads, so that a verdict is the same
            // whether the run just happened or is read back from disk.
            let summary = serde_json::to_value(&result).unwrap_or(serde_json::Value::Null);
            result.slos = crate::slo::evaluate(&self.slos, &summary);
            result.objective = self
                .objective
                .as_ref()
                .map(|o| crate::slo::objective(o, &summary));
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
        let sections = self.world.collect(self.end, self.measured);
        RunResult {
            scenario: self.scenario.clone(),
            seed: self.seed,
            start_clock: {
                let s = self.start / crate::engine::SECONDS;
                format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
            },
            simulated_seconds: ns_to_secs(self.end),
            measured_seconds: ns_to_secs(self.measured),
            events: self.engine.events(),
            wall_seconds,
            provenance: Default::default(),
            stopped_early: None,
            warnings: self.warnings.clone(),
            timeseries_interval_s: ns_to_secs(self.world.rec.interval()),
            caches: crate::services::caches::caches(&sections),
            sections,
            cost: Default::default(),
            findings: Vec::new(),
            slos: Vec::new(),
            objective: None,
            recommendation: None,
            timelines: self.world.lambdas.timelines(&self.timeline, self.end),
            timeseries: self.world.rec.export(),
        }
    }
}

/// Builds, runs and prices a scenario.
pub fn run(s: &Scenario) -> Result<RunResult, SimError> {
    build(s).run()
}

/// Builds, runs and prices a scenario whose wall-clock limit counts from
/// `started`.
pub fn run_from(s: &Scenario, started: Instant) -> Result<RunResult, SimError> {
    build_from(s, started).run()
}
