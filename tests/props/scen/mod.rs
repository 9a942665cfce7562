//! Random VALID scenarios for the property tests, as TOML text.
//!
//! A [`Scen`] holds raw choices; cross-references (route targets, call
//! targets, workload targets, route weights, destinations, triggers,
//! subscriptions, dead-letter queues) are indices resolved when the text is
//! rendered, so every strategy is independent and shrinks well. Values stay
//! inside the documented ranges (docs/scenario-format.md) and inside AWS
//! quotas, and each scenario is small: a few seconds of simulated time and
//! at most a few thousand requests per workload, or (a long run, [`Long`])
//! hours or days with a few hundred requests per workload, where the
//! periodic processes that would fire millions of times (environment
//! recycling, a message failing every few milliseconds until retention
//! ends) are slowed down.
//!
//! Messages only flow forward in one order of the functions, queues and
//! topics ([`Scen::rank`]): a call, send, publish, destination, trigger,
//! subscription or redrive never points back, so no loop of messages can
//! grow without end (such a loop is valid, but its run is neither small nor
//! bounded).
//!
//! One file per kind: `values` (distributions, arrivals), `sim` (and
//! `[cost]`), `workload`, `api` (limits, usage plans, authorizers),
//! `lambda` (steps, asynchronous settings), `table`, `queue` (and
//! triggers), `topic`, `bucket` (and its notification rules).
//! triggers), `topic`, `cdn` (CloudFront in front of a bucket or an api), `service`
//! (external services and calls to them), `schedule` (EventBridge schedules and
//! `start_date`), `stream` (Kinesis streams, PutRecords steps and stream triggers),
//! `geo` (workloads' locations, every api and function in ap-northeast-2, global
//! tables, a table's stream read by the last function).

mod api;
mod bucket;
mod cdn;
mod geo;
mod lambda;
mod queue;
mod schedule;
mod service;
mod sim;
mod stream;
mod table;
mod topic;
mod values;
mod workload;

use api::{api, Api};
use bucket::{bucket, Bucket};
use cdn::{cdn, Cdn};
use geo::{geo, Geo};
use lambda::{lambda, Lambda};
use proptest::collection::vec;
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use queue::{queue, Queue};
use schedule::{schedule, start_date, Schedule};
use service::{service, Service};
use sim::{long, simulation, Long, Simulation};
use stream::{stream, Stream};
use table::{table, Table};
use topic::{topic, Topic};
use workload::{workload, Workload};

/// A whole scenario, plus an optional `--seed` for the command line.
#[derive(Clone)]
pub struct Scen {
    pub sim: Simulation,
    pub workloads: Vec<Workload>,
    pub apis: Vec<Api>,
    pub lambdas: Vec<Lambda>,
    pub tables: Vec<Table>,
    pub queues: Vec<Queue>,
    pub topics: Vec<Topic>,
    pub buckets: Vec<Bucket>,
    pub services: Vec<Service>,
    pub schedules: Vec<Schedule>,
    pub streams: Vec<Stream>,
    /// A CloudFront distribution (rendered when there is a bucket or an
    /// api for its origin).
    pub cdn: Option<Cdn>,
    /// Locations, Regions, global tables and a table's stream.
    pub geo: Option<Geo>,
    /// `[simulation] start_date`, an index into the schedule module's dates.
    pub start_date: Option<usize>,
    /// `simulation.esm_max_concurrency` (5..=1250), if set.
    pub esm_max: Option<u32>,
    /// A long run (hours to days, few requests) instead of `sim`'s
    /// duration, series interval and the workloads' arrivals.
    pub long: Option<Long>,
    pub cli_seed: Option<u64>,
    /// Suffixes that make names awkward for CSV and JSON (kept unique by a
    /// kind prefix and index).
    pub odd_names: bool,
}

impl std::fmt::Debug for Scen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\n{}", self.render())?;
        if let Some(s) = self.cli_seed {
            writeln!(f, "# command line: --seed {s}")?;
        }
        Ok(())
    }
}

pub fn scen() -> impl Strategy<Value = Scen> {
    (
        (
            simulation(),
            vec(workload(), 1..=3),
            vec(api(), 0..=2),
            vec(lambda(), 1..=4),
            vec(table(), 0..=2),
        ),
        (
            // About half the scenarios have no queue, and half no topic.
            prop_oneof![1 => Just(0usize), 1 => 1usize..=3],
            vec(queue(), 3),
            prop_oneof![1 => Just(0usize), 1 => 1usize..=2],
            vec(topic(), 2),
            maybe(0.2, prop_oneof![5u32..=20, 5u32..=1250]),
            maybe(0.25, long()),
        ),
        maybe(0.15, 0u64..=i64::MAX as u64),
        prop::bool::weighted(0.25),
        // About two thirds of the scenarios have no bucket.
        (
            prop_oneof![2 => Just(0usize), 1 => 1usize..=2],
            vec(bucket(), 2),
        ),
        (
            // About half the scenarios have no service, and half no
            // schedule.
            prop_oneof![1 => Just(0usize), 1 => 1usize..=2],
            vec(service(), 2),
            prop_oneof![1 => Just(0usize), 1 => 1usize..=2],
            vec(schedule(), 2),
            start_date(),
        ),
        // About two thirds of the scenarios have no stream.
        (
            prop_oneof![2 => Just(0usize), 1 => 1usize..=2],
            vec(stream(), 2),
        ),
        maybe(0.3, cdn()),
        maybe(0.35, geo()),
    )
        .prop_map(
            |(
                (sim, workloads, apis, lambdas, tables),
                (nq, mut queues, nt, mut topics, esm_max, long),
                cli_seed,
                odd_names,
                (nb, mut buckets),
                (ns, mut services, nsch, mut schedules, start_date),
                (nst, mut streams),
                cdn,
                geo,
            )| {
                streams.truncate(nst);
                queues.truncate(nq);
                topics.truncate(nt);
                buckets.truncate(nb);
                services.truncate(ns);
                schedules.truncate(nsch);
                Scen {
                    sim,
                    workloads,
                    apis,
                    lambdas,
                    tables,
                    queues,
                    topics,
                    buckets,
                    services,
                    schedules,
                    streams,
                    cdn,
                    geo,
                    start_date,
                    esm_max,
                    long,
                    cli_seed,
                    odd_names,
                }
            },
        )
}

/// TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

const ODD: [&str; 4] = [" λ-ünï", ", \"quoted\"", " with space", "#hash"];

/// A component messages flow to or from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Node {
    Fn(usize),
    Queue(usize),
    Topic(usize),
    Bucket(usize),
}

impl Scen {
    /// Simulated duration [s].
    pub fn duration_s(&self) -> f64 {
        self.duration_ms() as f64 / 1e3
    }

    /// Measured window (after warm-up) [s].
    pub fn measured_s(&self) -> f64 {
        let total_us = self.duration_ms() * 1000;
        let warm_us = self
            .sim
            .warmup_pct
            .map_or(0, |p| self.duration_ms() * 10 * u64::from(p));
        ((total_us - warm_us) * 1000) as f64 / 1e9
    }

    /// The seed the run will use.
    pub fn seed(&self) -> u64 {
        self.cli_seed.or(self.sim.seed).unwrap_or(1)
    }

    /// Whether an event guard may stop the run early.
    pub fn may_stop_early(&self) -> bool {
        self.sim.max_events.is_some()
    }

    /// Whether the scenario reads `samples.csv` beside it.
    pub fn uses_samples(&self) -> bool {
        self.render().contains("empirical(samples.csv)")
    }

    /// The names of the queues, as rendered.
    pub fn queue_names(&self) -> Vec<String> {
        (0..self.queues.len()).map(|k| self.name("q", k)).collect()
    }

    /// The names of the apis, as rendered.
    pub fn api_names(&self) -> Vec<String> {
        (0..self.apis.len()).map(|k| self.name("api", k)).collect()
    }

    /// The names of the services, as rendered.
    pub fn service_names(&self) -> Vec<String> {
        (0..self.services.len())
            .map(|k| self.name("svc", k))
            .collect()
    }

    /// The names of the schedules, as rendered.
    pub fn schedule_names(&self) -> Vec<String> {
        (0..self.schedules.len())
            .map(|k| self.name("sch", k))
            .collect()
    }

    /// The names of the topics, as rendered.
    pub fn topic_names(&self) -> Vec<String> {
        (0..self.topics.len()).map(|k| self.name("tp", k)).collect()
    }

    /// The names of the buckets, as rendered.
    pub fn bucket_names(&self) -> Vec<String> {
        (0..self.buckets.len())
            .map(|k| self.name("bk", k))
            .collect()
    }

    fn name(&self, kind: &str, i: usize) -> String {
        if self.odd_names {
            format!("{kind}{i}{}", ODD[i % ODD.len()])
        } else {
            format!("{kind}{i}")
        }
    }

    fn node_name(&self, n: Node) -> String {
        match n {
            Node::Fn(i) => self.name("fn", i),
            Node::Queue(k) => self.name("q", k),
            Node::Topic(k) => self.name("tp", k),
            Node::Bucket(k) => self.name("bk", k),
        }
    }

    /// Whether queue `k` is a standard (not FIFO) queue.
    fn standard(&self, k: usize) -> bool {
        !self.queues[k].fifo
    }

    /// The node's place in the flow order: function `i` sits at slot `i`;
    /// a queue or topic at the slot its `pos` picks, before that slot's
    /// function (buckets before topics before queues, so a bucket may
    /// notify a topic or a queue of its slot, and a topic deliver to a
    /// queue of its slot).
    pub fn rank(&self, n: Node) -> usize {
        let slots = self.lambdas.len() + 1;
        match n {
            Node::Fn(i) => 1000 * i + 500,
            Node::Topic(k) => 1000 * (self.topics[k].pos % slots) + 100 + k,
            Node::Queue(k) => 1000 * (self.queues[k].pos % slots) + 200 + k,
            Node::Bucket(k) => 1000 * (self.buckets[k].pos % slots) + 50 + k,
        }
    }

    /// Every node, functions first, then queues, topics and buckets.
    fn nodes(&self) -> Vec<Node> {
        (0..self.lambdas.len())
            .map(Node::Fn)
            .chain((0..self.queues.len()).map(Node::Queue))
            .chain((0..self.topics.len()).map(Node::Topic))
            .chain((0..self.buckets.len()).map(Node::Bucket))
            .collect()
    }

    /// Choice `c` among the nodes after `from` in the flow order that `ok`
    /// accepts (`None`: there is none).
    fn later(&self, from: Node, c: usize, ok: impl Fn(Node) -> bool) -> Option<Node> {
        let r = self.rank(from);
        let v: Vec<Node> = self
            .nodes()
            .into_iter()
            .filter(|&n| self.rank(n) > r && ok(n))
            .collect();
        (!v.is_empty()).then(|| v[c % v.len()])
    }

    /// The scenario as TOML text.
    pub fn render(&self) -> String {
        let mut t = String::new();
        self.render_simulation(&mut t);
        for i in 0..self.workloads.len() {
            self.render_workload(&mut t, i);
        }
        for i in 0..self.apis.len() {
            self.render_api(&mut t, i);
        }
        for i in 0..self.lambdas.len() {
            self.render_lambda(&mut t, i);
        }
        for i in 0..self.tables.len() {
            self.render_table(&mut t, i);
        }
        for i in 0..self.queues.len() {
            self.render_queue(&mut t, i);
        }
        for i in 0..self.topics.len() {
            self.render_topic(&mut t, i);
        }
        for i in 0..self.buckets.len() {
            self.render_bucket(&mut t, i);
        }
        for i in 0..self.services.len() {
            self.render_service(&mut t, i);
        }
        for i in 0..self.schedules.len() {
            self.render_schedule(&mut t, i);
        }
        for i in 0..self.streams.len() {
            self.render_stream(&mut t, i);
        }
        self.render_cdn(&mut t);
        t
    }
}
