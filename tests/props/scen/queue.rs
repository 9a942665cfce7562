//! SQS queues and the triggers (event source mappings) that poll them:
//! strategies and rendering. Rules kept (docs/scenario-format.md,
//! "[[queue]]", "Triggers"): a dead-letter queue of the same type and not
//! the queue itself; `groups` on FIFO queues only; FIFO batches of 1..=10
//! without a window; a standard batch above 10 with a window of at least
//! 1 s; `min_concurrency` at most the cap.

use super::values::{dist, D};
use super::{q, Node, Scen};
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use std::fmt::Write;

const VISIBILITY: [&str; 6] = ["0s", "1ms", "200ms", "2s", "30s", "12h"];
const DELAYS: [&str; 5] = ["0s", "1ms", "300ms", "3s", "15m"];
const RETENTIONS: [&str; 3] = ["60s", "4d", "14d"];
const WINDOWS: [&str; 6] = ["0s", "1ms", "100ms", "1s", "2s", "300s"];

#[derive(Clone, Debug)]
pub struct Queue {
    /// Slot in the flow order (modulo the number of functions + 1).
    pub pos: usize,
    pub fifo: bool,
    /// `Some(false)`: an explicit `type = "standard"`.
    pub explicit_type: bool,
    /// Indices into the constants above.
    pub visibility: Option<usize>,
    pub delay: Option<usize>,
    pub retention: Option<usize>,
    /// (max_receive_count, choice of a later queue of the same type)
    pub redrive: Option<(u32, usize)>,
    pub latency: Option<D>,
    pub send_latency: Option<D>,
    /// FIFO only.
    pub groups: Option<u32>,
}

pub(super) fn queue() -> impl Strategy<Value = Queue> {
    (
        (
            // Slot 0 (before every function) often: any function may then
            // poll it.
            prop_oneof![1 => Just(0usize), 1 => 0usize..5],
            prop::bool::weighted(0.35),
            any::<bool>(),
            maybe(0.6, 0..VISIBILITY.len()),
            maybe(0.3, 0..DELAYS.len()),
            maybe(0.3, 0..RETENTIONS.len()),
        ),
        (
            maybe(
                0.7,
                (prop_oneof![3 => 1u32..=3, 1 => 1u32..=1000], 0usize..4),
            ),
            // Small latencies mostly: the defaults are tested too.
            maybe(0.6, dist(50_000)),
            maybe(0.3, dist(20_000)),
            maybe(0.6, prop_oneof![4 => 1u32..=20, 1 => 1u32..=1_000_000]),
        ),
    )
        .prop_map(
            |(
                (pos, fifo, explicit_type, visibility, delay, retention),
                (redrive, latency, send_latency, groups),
            )| Queue {
                pos,
                fifo,
                explicit_type,
                visibility,
                delay,
                retention,
                redrive,
                latency,
                send_latency,
                groups,
            },
        )
}

/// One `triggers` entry of a function.
#[derive(Clone, Debug)]
pub struct Trigger {
    /// Choice among the queues before the function in the flow order.
    pub source: usize,
    pub batch_size: Option<u32>,
    /// Index into [`WINDOWS`].
    pub window: Option<usize>,
    /// 2..=1000
    pub max_concurrency: Option<u32>,
    pub min_concurrency: Option<u32>,
    pub item_failures: Option<bool>,
}

pub(super) fn trigger() -> impl Strategy<Value = Trigger> {
    (
        0usize..4,
        maybe(
            0.7,
            prop_oneof![3 => 1u32..=10, 1 => 11u32..=200, 1 => 1u32..=10_000],
        ),
        maybe(0.5, 0..WINDOWS.len()),
        maybe(0.5, prop_oneof![2u32..=10, 2u32..=1000]),
        maybe(0.3, prop_oneof![0u32..=10, 0u32..=1000]),
        maybe(0.5, any::<bool>()),
    )
        .prop_map(
            |(source, batch_size, window, max_concurrency, min_concurrency, item_failures)| {
                Trigger {
                    source,
                    batch_size,
                    window,
                    max_concurrency,
                    min_concurrency,
                    item_failures,
                }
            },
        )
}

impl Scen {
    pub(super) fn render_queue(&self, t: &mut String, k: usize) {
        let qu = &self.queues[k];
        let _ = writeln!(t, "\n[[queue]]\nname = {}", q(&self.name("q", k)));
        if qu.fifo || qu.explicit_type {
            let _ = writeln!(t, "type = {}", q(if qu.fifo { "fifo" } else { "standard" }));
        }
        if let Some(v) = qu.visibility {
            // A long run: at least 30 s, so that a message failing for days
            // (until retention ends) is not received millions of times.
            let v = if self.long.is_some() { v.max(4) } else { v };
            let _ = writeln!(t, "visibility_timeout = {}", q(VISIBILITY[v]));
        }
        if let Some(d) = qu.delay {
            let _ = writeln!(t, "delay = {}", q(DELAYS[d]));
        }
        if let Some(r) = qu.retention {
            let _ = writeln!(t, "retention = {}", q(RETENTIONS[r]));
        }
        if let Some((count, c)) = qu.redrive {
            let same = |n: Node| matches!(n, Node::Queue(j) if self.queues[j].fifo == qu.fifo);
            if let Some(dlq) = self.later(Node::Queue(k), c, same) {
                let _ = writeln!(
                    t,
                    "max_receive_count = {count}\ndead_letter = {}",
                    q(&self.node_name(dlq))
                );
            }
        }
        if let Some(d) = &qu.latency {
            let _ = writeln!(t, "latency = {}", q(&d.render()));
        }
        if let Some(d) = &qu.send_latency {
            let _ = writeln!(t, "send_latency = {}", q(&d.render()));
        }
        if let (Some(g), true) = (qu.groups, qu.fifo) {
            let _ = writeln!(t, "groups = {g}");
        }
    }

    /// The `triggers` of function `i`: each from a queue before it in the
    /// flow order, one per queue.
    pub(super) fn render_triggers(&self, t: &mut String, i: usize) {
        let me = self.rank(Node::Fn(i));
        let sources: Vec<usize> = (0..self.queues.len())
            .filter(|&k| self.rank(Node::Queue(k)) < me)
            .collect();
        let mut used = Vec::new();
        let mut lines = self.stream_triggers(i);
        for tr in self.lambdas[i]
            .triggers
            .iter()
            .filter(|_| !sources.is_empty())
        {
            let k = sources[tr.source % sources.len()];
            if used.contains(&k) {
                continue;
            }
            used.push(k);
            lines.push(self.trigger_text(k, tr));
        }
        if lines.is_empty() {
            return;
        }
        let _ = writeln!(t, "triggers = [");
        for l in lines {
            let _ = writeln!(t, "  {l},");
        }
        let _ = writeln!(t, "]");
    }

    fn trigger_text(&self, k: usize, tr: &Trigger) -> String {
        let fifo = self.queues[k].fifo;
        let mut parts = vec![format!("source = {}", q(&self.name("q", k)))];
        let batch = tr
            .batch_size
            .map(|b| if fifo { 1 + (b - 1) % 10 } else { b });
        if let Some(b) = batch {
            parts.push(format!("batch_size = {b}"));
        }
        // FIFO: no window; a standard batch above 10: a window >= 1 s.
        let window = match (fifo, batch.unwrap_or(10) > 10, tr.window) {
            (true, _, _) => None,
            (false, true, w) => Some(w.map_or(3, |w| w.max(3))),
            (false, false, w) => w,
        };
        if let Some(w) = window {
            parts.push(format!("batch_window = {}", q(WINDOWS[w])));
        }
        if let Some(m) = tr.max_concurrency {
            parts.push(format!("max_concurrency = {m}"));
        }
        if let Some(m) = tr.min_concurrency {
            // The cap: the mapping's own, lowered by max_concurrency.
            let esm = self.esm_max.unwrap_or(1000);
            let cap = tr.max_concurrency.unwrap_or(esm).min(esm);
            parts.push(format!("min_concurrency = {}", m.min(cap)));
        }
        if let Some(r) = tr.item_failures {
            parts.push(format!("report_batch_item_failures = {r}"));
        }
        format!("{{ {} }}", parts.join(", "))
    }
}
