//! S3 buckets and their notification rules: strategy and rendering. Rules
//! kept (docs/scenario-format.md, "[[bucket]]"): a rule's target a
//! function, a standard queue or a topic after the bucket in the flow
//! order; filter and delivery_failure in 0..=1; at most 100,000 prefixes;
//! object sizes within 5 TB.

use super::values::{dec, dist, D};
use super::{q, Node, Scen};
use proptest::collection::vec;
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use std::fmt::Write;

/// Operations in scenario files, by index.
pub const OPS: [&str; 4] = ["get", "put", "list", "delete"];

#[derive(Clone, Debug)]
pub struct Rule {
    /// `on = "delete"` (else put, sometimes written out).
    pub on_delete: Option<bool>,
    /// Choice among the functions, standard queues and topics after the
    /// bucket in the flow order.
    pub target: usize,
    /// filter x 100
    pub filter: Option<u32>,
    /// delivery_failure x 100
    pub failure: Option<u32>,
}

/// A prefix model: (zipf, n).
pub type Prefixes = (bool, u32);

#[derive(Clone, Debug)]
pub struct Bucket {
    /// Slot in the flow order (modulo the number of functions + 1).
    pub pos: usize,
    /// get, put, list, delete latencies.
    pub latency: Vec<Option<D>>,
    /// 0: constant KB; 1: a size with a unit; 2: a distribution.
    pub object_kb: Option<(u8, u32)>,
    pub size_gb: Option<u32>,
    pub prefixes: Option<Prefixes>,
    pub notify: Vec<Rule>,
    pub notify_delay: Option<D>,
}

pub(super) fn prefixes() -> impl Strategy<Value = Prefixes> {
    (any::<bool>(), prop_oneof![1u32..=4, 1u32..=100_000])
}

fn rule() -> impl Strategy<Value = Rule> {
    (
        maybe(0.6, prop::bool::weighted(0.4)),
        0usize..8,
        maybe(0.4, 0u32..=100),
        maybe(0.3, prop_oneof![Just(0u32), 0u32..=100, Just(100u32)]),
    )
        .prop_map(|(on_delete, target, filter, failure)| Rule {
            on_delete,
            target,
            filter,
            failure,
        })
}

pub(super) fn bucket() -> impl Strategy<Value = Bucket> {
    (
        prop_oneof![1 => Just(0usize), 1 => 0usize..5],
        vec(maybe(0.3, dist(100_000)), 4),
        maybe(0.5, (0u8..3, 1u32..=100_000)),
        maybe(0.3, 0u32..=100_000),
        maybe(0.6, prefixes()),
        vec(rule(), 0..=3),
        maybe(0.5, dist(3_000_000)),
    )
        .prop_map(
            |(pos, latency, object_kb, size_gb, prefixes, notify, notify_delay)| Bucket {
                pos,
                latency,
                object_kb,
                size_gb,
                prefixes,
                notify,
                notify_delay,
            },
        )
}

/// A prefix model as scenario text.
pub fn render_prefixes(&(zipf, n): &Prefixes) -> String {
    if zipf {
        format!("zipf(n={n}, s=1.1)")
    } else {
        format!("uniform(n={n})")
    }
}

impl Scen {
    pub(super) fn render_bucket(&self, t: &mut String, k: usize) {
        let b = &self.buckets[k];
        let me = Node::Bucket(k);
        let _ = writeln!(t, "\n[[bucket]]\nname = {}", q(&self.name("bk", k)));
        for (op, d) in OPS.iter().zip(&b.latency) {
            if let Some(d) = d {
                let _ = writeln!(t, "{op}_latency = {}", q(&d.render()));
            }
        }
        match b.object_kb {
            Some((0, kb)) => {
                let _ = writeln!(t, "object_kb = {}", dec(kb, 1));
            }
            Some((1, kb)) => {
                let _ = writeln!(t, "object_kb = {}", q(&format!("{kb}KiB")));
            }
            Some((_, kb)) => {
                let _ = writeln!(
                    t,
                    "object_kb = {}",
                    q(&format!("lognormal(median={kb}KB, sigma=1)"))
                );
            }
            None => {}
        }
        if let Some(g) = b.size_gb {
            let _ = writeln!(t, "size_gb = {}", dec(g, 2));
        }
        if let Some(p) = &b.prefixes {
            let _ = writeln!(t, "prefixes = {}", q(&render_prefixes(p)));
        }
        let mut lines = Vec::new();
        for r in &b.notify {
            let target = self.later(me, r.target, |n| match n {
                Node::Fn(_) | Node::Topic(_) => true,
                Node::Queue(j) => self.standard(j),
                Node::Bucket(_) => false,
            });
            let Some(n) = target else {
                continue;
            };
            let name = q(&self.node_name(n));
            let mut parts = vec![format!("target = {name}")];
            if let Some(d) = r.on_delete {
                parts.push(format!("on = {}", q(if d { "delete" } else { "put" })));
            }
            if let Some(f) = r.filter {
                parts.push(format!("filter = {}", dec(f, 2)));
            }
            if let Some(f) = r.failure {
                parts.push(format!("delivery_failure = {}", dec(f, 2)));
            }
            if parts.len() == 1 {
                lines.push(name);
            } else {
                lines.push(format!("{{ {} }}", parts.join(", ")));
            }
        }
        if !lines.is_empty() {
            let _ = writeln!(t, "notify = [{}]", lines.join(", "));
        }
        if let Some(d) = &b.notify_delay {
            let _ = writeln!(t, "notify_delay = {}", q(&d.render()));
        }
    }
}
