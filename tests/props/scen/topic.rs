//! SNS topics and their subscriptions: strategy and rendering. Rules kept
//! (docs/scenario-format.md, "[[topic]]"): each endpoint once, a function
//! or a standard queue; a subscription's dead-letter queue standard; filter
//! and delivery_failure in 0..=1.

use super::values::{dec, dist, D};
use super::{q, Node, Scen};
use proptest::collection::vec;
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use std::fmt::Write;

#[derive(Clone, Debug)]
pub struct Sub {
    /// Choice among the functions and standard queues after the topic in
    /// the flow order.
    pub target: usize,
    /// filter x 100
    pub filter: Option<u32>,
    /// delivery_failure x 100
    pub failure: Option<u32>,
    /// Choice among the standard queues after the topic.
    pub dead_letter: Option<usize>,
    /// Written as a table even without options.
    pub table: bool,
}

#[derive(Clone, Debug)]
pub struct Topic {
    /// Slot in the flow order (modulo the number of functions + 1).
    pub pos: usize,
    pub subs: Vec<Sub>,
    pub latency: Option<D>,
    pub publish_latency: Option<D>,
}

fn sub() -> impl Strategy<Value = Sub> {
    (
        0usize..8,
        maybe(0.4, 0u32..=100),
        // 1.0 often: only a delivery that always fails ends (in a long
        // run) in the dead-letter queue or discarded.
        maybe(
            0.5,
            prop_oneof![1 => Just(0u32), 1 => 1u32..=100, 3 => Just(100u32)],
        ),
        maybe(0.7, 0usize..4),
        any::<bool>(),
    )
        .prop_map(|(target, filter, failure, dead_letter, table)| Sub {
            target,
            filter,
            failure,
            dead_letter,
            table,
        })
}

pub(super) fn topic() -> impl Strategy<Value = Topic> {
    (
        prop_oneof![1 => Just(0usize), 1 => 0usize..5],
        vec(sub(), 0..=3),
        maybe(0.6, dist(50_000)),
        maybe(0.3, dist(20_000)),
    )
        .prop_map(|(pos, subs, latency, publish_latency)| Topic {
            pos,
            subs,
            latency,
            publish_latency,
        })
}

impl Scen {
    pub(super) fn render_topic(&self, t: &mut String, k: usize) {
        let tp = &self.topics[k];
        let me = Node::Topic(k);
        let _ = writeln!(t, "\n[[topic]]\nname = {}", q(&self.name("tp", k)));
        let mut used = Vec::new();
        let mut lines = Vec::new();
        for s in &tp.subs {
            let endpoint = self.later(me, s.target, |n| match n {
                Node::Fn(_) => true,
                Node::Queue(j) => self.standard(j),
                Node::Topic(_) | Node::Bucket(_) => false,
            });
            let Some(n) = endpoint.filter(|n| !used.contains(n)) else {
                continue;
            };
            used.push(n);
            let name = q(&self.node_name(n));
            let mut parts = vec![format!("target = {name}")];
            if let Some(f) = s.filter {
                parts.push(format!("filter = {}", dec(f, 2)));
            }
            if let Some(f) = s.failure {
                parts.push(format!("delivery_failure = {}", dec(f, 2)));
            }
            let dlq = s.dead_letter.and_then(|c| {
                self.later(me, c, |n| matches!(n, Node::Queue(j) if self.standard(j)))
            });
            if let Some(d) = dlq {
                parts.push(format!("dead_letter = {}", q(&self.node_name(d))));
            }
            if parts.len() == 1 && !s.table {
                lines.push(name);
            } else {
                lines.push(format!("{{ {} }}", parts.join(", ")));
            }
        }
        if !tp.subs.is_empty() {
            let _ = writeln!(t, "subscribers = [");
            for l in lines {
                let _ = writeln!(t, "  {l},");
            }
            let _ = writeln!(t, "]");
        }
        if let Some(d) = &tp.latency {
            let _ = writeln!(t, "latency = {}", q(&d.render()));
        }
        if let Some(d) = &tp.publish_latency {
            let _ = writeln!(t, "publish_latency = {}", q(&d.render()));
        }
    }
}
