//! Kinesis streams (`[[stream]]`), the PutRecords steps writing them and
//! the stream triggers reading them: strategy and rendering. Rules kept
//! (docs/scenario-format.md, "[[stream]]"): `shards` only when
//! provisioned; one function per stream; a trigger's `on_failure` a
//! standard queue or a topic, if there is one.

use super::{q, Node, Scen};
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use std::fmt::Write;

#[derive(Clone, Debug)]
pub struct Stream {
    pub shards: Option<u32>,
    pub on_demand: bool,
    /// The function reading it (modulo their number), if any.
    pub consumer: Option<usize>,
    pub batch_size: Option<u32>,
    pub factor: Option<u32>,
    pub bisect: bool,
    /// -1 or 0..=3.
    pub retries: Option<i64>,
    /// `max_record_age = "60s"`.
    pub age: bool,
    /// An on-failure destination (a standard queue or a topic, by choice).
    pub on_failure: Option<usize>,
}

pub(super) fn stream() -> impl Strategy<Value = Stream> {
    (
        maybe(0.6, 1u32..=4),
        prop::bool::weighted(0.2),
        maybe(0.8, 0usize..4),
        maybe(0.5, prop_oneof![1u32..=10, 1u32..=10_000]),
        maybe(0.4, 1u32..=10),
        any::<bool>(),
        maybe(0.5, -1i64..=3),
        prop::bool::weighted(0.3),
        maybe(0.5, 0usize..4),
    )
        .prop_map(
            |(
                shards,
                on_demand,
                consumer,
                batch_size,
                factor,
                bisect,
                retries,
                age,
                on_failure,
            )| {
                Stream {
                    shards,
                    on_demand,
                    consumer,
                    batch_size,
                    factor,
                    bisect,
                    retries,
                    age,
                    on_failure,
                }
            },
        )
}

impl Scen {
    pub(super) fn render_stream(&self, t: &mut String, k: usize) {
        let s = &self.streams[k];
        let _ = writeln!(t, "\n[[stream]]\nname = {}", q(&self.name("st", k)));
        if s.on_demand {
            let _ = writeln!(t, "mode = {}", q("on-demand"));
        } else if let Some(n) = s.shards {
            let _ = writeln!(t, "shards = {n}");
        }
    }

    /// A PutRecords step of function `i` to stream `k` (modulo their
    /// number), else io: only to a stream whose consumer comes later in the
    /// flow order (no loop of records).
    pub(super) fn render_put(&self, i: usize, k: usize, records: Option<u32>) -> String {
        let n = self.lambdas.len();
        let ok = |k: &usize| self.streams[*k].consumer.is_none_or(|c| c % n > i);
        let targets: Vec<usize> = (0..self.streams.len()).filter(ok).collect();
        if targets.is_empty() {
            return format!("{{ io = {} }}", q("const(3ms)"));
        }
        let name = q(&self.name("st", targets[k % targets.len()]));
        match records {
            Some(n) => format!("{{ call = {name}, records = {n} }}"),
            None => format!("{{ call = {name} }}"),
        }
    }

    /// The stream triggers of function `i`: every stream whose consumer
    /// it is.
    pub(super) fn stream_triggers(&self, i: usize) -> Vec<String> {
        let mut out: Vec<String> = self.table_stream_trigger(i).into_iter().collect();
        for (k, s) in self.streams.iter().enumerate() {
            if s.consumer.map(|c| c % self.lambdas.len()) != Some(i) {
                continue;
            }
            let mut parts = vec![format!("source = {}", q(&self.name("st", k)))];
            if let Some(b) = s.batch_size {
                parts.push(format!("batch_size = {b}"));
            }
            if let Some(f) = s.factor {
                parts.push(format!("parallelization_factor = {f}"));
            }
            if s.bisect {
                parts.push("bisect_on_error = true".into());
            }
            if let Some(r) = s.retries {
                parts.push(format!("max_retry_attempts = {r}"));
            }
            if s.age {
                parts.push(format!("max_record_age = {}", q("60s")));
            }
            // Later in the flow order than the consumer: no loop.
            let c = s.consumer.unwrap_or(0) % self.lambdas.len();
            let dest = s.on_failure.and_then(|choice| {
                self.later(Node::Fn(c), choice, |n| match n {
                    Node::Queue(j) => self.standard(j),
                    Node::Topic(_) => true,
                    _ => false,
                })
            });
            if let Some(d) = dest {
                parts.push(format!("on_failure = {}", q(&self.node_name(d))));
            }
            out.push(format!("{{ {} }}", parts.join(", ")));
        }
        out
    }
}
