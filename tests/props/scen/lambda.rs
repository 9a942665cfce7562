//! Lambda functions and their steps: strategies and rendering.

use super::queue::{trigger, Trigger};
use super::values::{dec, dist, D};
use super::{q, Node, Scen};
use proptest::collection::vec;
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use slsim::model::RUNTIMES;
use std::fmt::Write;

/// Whole seconds (1 s..=900 s), in several spellings.
const LAMBDA_TIMEOUTS: [&str; 9] = [
    "1s", "2s", "3s", "30s", "900s", "1000ms", "0.5m", "15m", "2e3ms",
];
const KEEP_ALIVES: [&str; 5] = ["0s", "100ms", "1s", "6m", "1h"];
/// The last ones are at least [`LONG_LIFETIME`] (kept in a long run).
const LIFETIMES: [&str; 7] = ["1ms", "500ms", "2s", "2h", "24h", "never", "4h"];
/// The first lifetime a long run keeps: environments recycled every 2 h
/// at most often, not every 500 ms for days.
const LONG_LIFETIME: usize = 3;

#[derive(Clone, Debug)]
pub enum Step {
    Compute(D, Option<u32>),
    Io(D),
    /// A table (op index, items, item size in 0.1 KB) if any, else compute.
    Table(usize, usize, Option<u32>, Option<u32>),
    /// A lambda later in file order (no cycles), else io; `mode`: `None`
    /// the default (sync), else whether it is `"async"` (`false`: an
    /// explicit `"sync"`).
    Invoke(usize, Option<bool>),
    /// A send to a queue later in the flow order, size in 0.1 KB; else io.
    Send(usize, Option<u32>),
    /// A publish to a topic later in the flow order, size in 0.1 KB; else io.
    Publish(usize, Option<u32>),
    /// probability x 1000
    Fail(u32),
    /// An S3 call to a bucket later in the flow order (else io): choice,
    /// op index, size in 0.1 KB, prefixes, written as `s3 = ...`.
    S3(
        usize,
        usize,
        Option<u32>,
        Option<super::bucket::Prefixes>,
        bool,
    ),
    /// A call to a service (modulo their number), else io.
    Call(usize),
    /// A PutRecords call to a stream (its records), else io.
    Put(usize, Option<u32>),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        10 => (dist(50_000), maybe(0.3, 1u32..=40)).prop_map(|(d, t)| Step::Compute(d, t)),
        10 => dist(50_000).prop_map(Step::Io),
        10 => (
            0usize..4,
            0usize..6,
            maybe(0.5, 1u32..=25),
            maybe(0.5, 1u32..=4000)
        )
            .prop_map(|(t, op, n, kb)| Step::Table(t, op, n, kb)),
        10 => (0usize..4, maybe(0.6, prop::bool::weighted(0.7)))
            .prop_map(|(k, mode)| Step::Invoke(k, mode)),
        10 => (0usize..6, maybe(0.4, prop_oneof![1u32..=100, 1u32..=10240]))
            .prop_map(|(k, kb)| Step::Send(k, kb)),
        10 => (0usize..6, maybe(0.4, prop_oneof![1u32..=100, 1u32..=2560]))
            .prop_map(|(k, kb)| Step::Publish(k, kb)),
        10 => prop_oneof![0u32..=50, 0u32..=1000].prop_map(Step::Fail),
        10 => (
            0usize..6,
            0usize..4,
            maybe(0.4, 1u32..=100_000),
            maybe(0.4, super::bucket::prefixes()),
            any::<bool>(),
        )
            .prop_map(|(k, op, kb, p, alias)| Step::S3(k, op, kb, p, alias)),
        10 => (0usize..4).prop_map(Step::Call),
        // Rarer, so that the other steps keep their shares.
        2 => (0usize..4, maybe(0.4, 1u32..=500)).prop_map(|(k, n)| Step::Put(k, n)),
    ]
}

#[derive(Clone, Debug)]
pub struct Lambda {
    pub runtime: Option<usize>,
    pub arm: Option<bool>,
    pub memory_mb: Option<u32>,
    pub timeout: Option<usize>,
    pub init: Option<D>,
    pub keep_alive: Option<usize>,
    pub routing: Option<usize>,
    pub max_lifetime: Option<usize>,
    /// 0..=25 each: with at most 4 functions and an account of at least 200,
    /// reserved + unreserved provisioned <= account - 100 always holds.
    pub reserved: Option<u32>,
    pub provisioned: Option<u32>,
    pub snap_start: bool,
    pub steps: Vec<Step>,
    pub asynch: Option<Async>,
    pub triggers: Vec<Trigger>,
    /// `log_kb` x 10.
    pub log_kb: Option<u32>,
}

const EVENT_AGES: [&str; 3] = ["60s", "61s", "6h"];

/// The asynchronous-invocation settings of a function.
#[derive(Clone, Debug)]
pub struct Async {
    /// 0..=2
    pub max_retry_attempts: Option<u32>,
    /// Index into [`EVENT_AGES`].
    pub max_event_age: Option<usize>,
    pub dispatch: Option<D>,
    /// (preferred kind: 0 function, 1 standard queue, 2 topic; choice)
    /// among the nodes after the function in the flow order.
    pub on_success: Option<(usize, usize)>,
    pub on_failure: Option<(usize, usize)>,
}

fn asynch() -> impl Strategy<Value = Async> {
    (
        maybe(0.5, 0u32..=2),
        maybe(0.3, 0..EVENT_AGES.len()),
        maybe(0.4, dist(100_000)),
        // Queues are often before every function: prefer them.
        maybe(
            0.4,
            (
                prop_oneof![1 => Just(0), 2 => Just(1), 1 => Just(2)],
                0usize..8,
            ),
        ),
        maybe(
            0.6,
            (
                prop_oneof![1 => Just(0), 2 => Just(1), 1 => Just(2)],
                0usize..8,
            ),
        ),
    )
        .prop_map(
            |(max_retry_attempts, max_event_age, dispatch, on_success, on_failure)| Async {
                max_retry_attempts,
                max_event_age,
                dispatch,
                on_success,
                on_failure,
            },
        )
}

pub(super) fn lambda() -> impl Strategy<Value = Lambda> {
    (
        (
            maybe(0.7, 0..RUNTIMES.len()),
            maybe(0.5, any::<bool>()),
            maybe(0.6, prop_oneof![128u32..=2048, 128u32..=10240]),
            maybe(0.7, 0..LAMBDA_TIMEOUTS.len()),
            maybe(0.4, dist(1_000_000)),
            maybe(0.5, 0..KEEP_ALIVES.len()),
        ),
        (
            maybe(0.3, 0usize..3),
            maybe(0.3, 0..LIFETIMES.len()),
            maybe(0.3, 0u32..=25),
            maybe(0.3, 0u32..=25),
            prop::bool::weighted(0.15),
            vec(step(), 0..=4),
        ),
        (
            maybe(0.4, asynch()),
            prop_oneof![1 => Just(Vec::new()), 1 => vec(trigger(), 1..=2)],
            // Up to the 1 GB per invocation bound.
            maybe(0.2, prop_oneof![0u32..=100, 0u32..=10_485_760]),
        ),
    )
        .prop_map(
            |(
                (runtime, arm, memory_mb, timeout, init, keep_alive),
                (routing, max_lifetime, reserved, provisioned, snap_start, steps),
                (asynch, triggers, log_kb),
            )| Lambda {
                runtime,
                arm,
                memory_mb,
                timeout,
                init,
                keep_alive,
                routing,
                max_lifetime,
                reserved,
                provisioned,
                snap_start,
                steps,
                asynch,
                triggers,
                log_kb,
            },
        )
}

impl Scen {
    pub(super) fn render_lambda(&self, t: &mut String, i: usize) {
        let l = &self.lambdas[i];
        let _ = writeln!(t, "\n[[lambda]]\nname = {}", q(&self.name("fn", i)));
        if let Some(r) = self.region_line() {
            let _ = writeln!(t, "{r}");
        }
        if let Some(r) = l.runtime {
            let _ = writeln!(t, "runtime = {}", q(RUNTIMES[r].0));
        }
        if let Some(arm) = l.arm {
            let _ = writeln!(
                t,
                "architecture = {}",
                q(if arm { "arm64" } else { "x86_64" })
            );
        }
        if let Some(m) = l.memory_mb {
            let _ = writeln!(t, "memory_mb = {m}");
        }
        if let Some(k) = l.timeout {
            let _ = writeln!(t, "timeout = {}", q(LAMBDA_TIMEOUTS[k]));
        }
        if let Some(d) = &l.init {
            let _ = writeln!(t, "init = {}", q(&d.render()));
        }
        if let Some(k) = l.keep_alive {
            let _ = writeln!(t, "keep_alive = {}", q(KEEP_ALIVES[k]));
        }
        if let Some(k) = l.routing {
            let _ = writeln!(t, "routing = {}", q(["mru", "lru", "random"][k]));
        }
        if let Some(k) = l.max_lifetime {
            let k = if self.long.is_some() {
                k.max(LONG_LIFETIME)
            } else {
                k
            };
            let _ = writeln!(t, "max_lifetime = {}", q(LIFETIMES[k]));
        }
        if let Some(kb) = l.log_kb {
            let _ = writeln!(t, "log_kb = {}", dec(kb, 1));
        }
        if let Some(r) = l.reserved {
            let _ = writeln!(t, "reserved_concurrency = {r}");
        }
        let provisioned = l.provisioned.map(|p| l.reserved.map_or(p, |r| p.min(r)));
        if let Some(p) = provisioned {
            let _ = writeln!(t, "provisioned_concurrency = {p}");
        }
        let runtime = RUNTIMES[l.runtime.unwrap_or(0)].0;
        let snap_ok = runtime.starts_with("java")
            || matches!(runtime, "python3.12" | "python3.13" | "dotnet8");
        if l.snap_start && snap_ok && provisioned.unwrap_or(0) == 0 {
            let _ = writeln!(t, "snap_start = true");
        }
        let _ = writeln!(t, "steps = [");
        for s in &l.steps {
            let _ = writeln!(t, "  {},", self.render_step(i, s));
        }
        let _ = writeln!(t, "]");
        if let Some(a) = &l.asynch {
            self.render_async(t, i, a);
        }
        self.render_triggers(t, i);
    }

    fn render_async(&self, t: &mut String, i: usize, a: &Async) {
        if let Some(n) = a.max_retry_attempts {
            let _ = writeln!(t, "max_retry_attempts = {n}");
        }
        if let Some(k) = a.max_event_age {
            let _ = writeln!(t, "max_event_age = {}", q(EVENT_AGES[k]));
        }
        if let Some(d) = &a.dispatch {
            let _ = writeln!(t, "async_dispatch = {}", q(&d.render()));
        }
        let mut parts = Vec::new();
        for (key, d) in [("on_success", a.on_success), ("on_failure", a.on_failure)] {
            if let Some(n) = d.and_then(|d| self.destination(i, d)) {
                parts.push(format!("{key} = {}", q(&self.node_name(n))));
            }
        }
        if !parts.is_empty() {
            let _ = writeln!(t, "destinations = {{ {} }}", parts.join(", "));
        }
    }

    /// A destination of function `i`: of the preferred kind if there is
    /// one after it in the flow order, else of any kind (a function, a
    /// standard queue or a topic).
    fn destination(&self, i: usize, (kind, c): (usize, usize)) -> Option<Node> {
        let of = |n: Node, k: usize| match n {
            Node::Fn(_) => k == 0,
            Node::Queue(q) => k == 1 && self.standard(q),
            Node::Topic(_) => k == 2,
            Node::Bucket(_) => false,
        };
        self.later(Node::Fn(i), c, |n| of(n, kind))
            .or_else(|| self.later(Node::Fn(i), c, |n| (0..3).any(|k| of(n, k))))
    }

    fn render_step(&self, i: usize, s: &Step) -> String {
        match s {
            Step::Compute(d, threads) => match threads {
                Some(th) => format!(
                    "{{ compute = {}, threads = {} }}",
                    q(&d.render()),
                    dec(*th, 1)
                ),
                None => format!("{{ compute = {} }}", q(&d.render())),
            },
            Step::Io(d) => format!("{{ io = {} }}", q(&d.render())),
            Step::Table(k, op, items, kb) => {
                if self.tables.is_empty() {
                    return format!("{{ compute = {} }}", q("const(1ms)"));
                }
                let ops = ["get", "put", "update", "delete", "query", "scan"];
                let mut parts = vec![
                    format!("call = {}", q(&self.name("tbl", k % self.tables.len()))),
                    format!("op = {}", q(ops[*op])),
                ];
                if let Some(n) = items {
                    parts.push(format!("items = {n}"));
                }
                if let Some(kb) = kb {
                    parts.push(format!("item_kb = {}", dec(*kb, 1)));
                }
                format!("{{ {} }}", parts.join(", "))
            }
            Step::Invoke(k, mode) => {
                let later = self.lambdas.len() - i - 1;
                if later == 0 {
                    return format!("{{ io = {} }}", q("const(2ms)"));
                }
                let j = i + 1 + k % later;
                let call = q(&self.name("fn", j));
                match mode {
                    None => format!("{{ call = {call} }}"),
                    Some(a) => {
                        let m = q(if *a { "async" } else { "sync" });
                        format!("{{ call = {call}, mode = {m} }}")
                    }
                }
            }
            Step::Send(k, kb) | Step::Publish(k, kb) => {
                let send = matches!(s, Step::Send(..));
                let target = self.later(Node::Fn(i), *k, |n| match n {
                    Node::Queue(_) => send,
                    Node::Topic(_) => !send,
                    Node::Fn(_) | Node::Bucket(_) => false,
                });
                let Some(n) = target else {
                    return format!("{{ io = {} }}", q("const(3ms)"));
                };
                match kb {
                    Some(kb) => format!(
                        "{{ call = {}, size_kb = {} }}",
                        q(&self.node_name(n)),
                        dec(*kb, 1)
                    ),
                    None => format!("{{ call = {} }}", q(&self.node_name(n))),
                }
            }
            Step::Fail(p) => format!("{{ fail = {} }}", dec(*p, 3)),
            Step::S3(k, op, kb, prefixes, alias) => {
                let target = self.later(Node::Fn(i), *k, |n| matches!(n, Node::Bucket(_)));
                let Some(n) = target else {
                    return format!("{{ io = {} }}", q("const(4ms)"));
                };
                let field = if *alias { "s3" } else { "call" };
                let mut parts = vec![
                    format!("{field} = {}", q(&self.node_name(n))),
                    format!("op = {}", q(super::bucket::OPS[*op])),
                ];
                if let (Some(kb), 0 | 1) = (kb, op) {
                    parts.push(format!("size_kb = {}", dec(*kb, 1)));
                }
                if let Some(p) = prefixes {
                    parts.push(format!(
                        "prefixes = {}",
                        q(&super::bucket::render_prefixes(p))
                    ));
                }
                format!("{{ {} }}", parts.join(", "))
            }
            Step::Call(k) => self.render_service_call(*k),
            Step::Put(k, n) => self.render_put(i, *k, *n),
        }
    }
}
