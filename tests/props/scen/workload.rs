//! Workloads: strategy and rendering (targets, routes of an api target,
//! client retries).

use super::values::{arrival, dec, dist, Arrival, D};
use super::{q, Node, Scen};
use proptest::collection::vec;
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use std::fmt::Write;

#[derive(Clone, Debug)]
pub struct Retry {
    pub max_attempts: Option<u32>,
    pub backoff: Option<D>,
}

#[derive(Clone, Debug)]
pub struct Workload {
    /// Index into apis then lambdas (modulo their total).
    pub target: usize,
    /// Target an api (`target` modulo the apis) when the scenario has one,
    /// so that the apis' limits, plans and authorizers see traffic.
    pub to_api: bool,
    /// When set and the scenario has queues, topics or buckets: index into
    /// queues, topics, then buckets instead (modulo their total).
    pub to_messages: Option<usize>,
    /// Weight x 10 per operation of a bucket target (`None`: absent).
    pub ops: Option<Vec<Option<u32>>>,
    pub arrival: Arrival,
    /// scale x 4
    pub scale: Option<u32>,
    /// Weight x 10 per route index of the target api (`None`: route absent).
    pub routes: Option<Vec<Option<u32>>>,
    pub retry: Option<Retry>,
    /// Target the cdn when the scenario renders one.
    pub to_cdn: bool,
}

pub(super) fn workload() -> impl Strategy<Value = Workload> {
    // A backoff needs a finite mean (at most 1 h): no Pareto shape <= 1.
    let backoff = dist(500_000).prop_map(|d| match d {
        D::Pareto(s, k) => D::Pareto(s, k.max(15)),
        d => d,
    });
    let retry =
        (maybe(0.7, 1u32..=5), maybe(0.6, backoff)).prop_map(|(max_attempts, backoff)| Retry {
            max_attempts,
            backoff,
        });
    (
        0usize..8,
        arrival(),
        maybe(0.3, 0u32..=8),
        maybe(0.5, vec(maybe(0.7, 1u32..=100), 4)),
        maybe(0.5, retry),
        maybe(0.45, 0usize..6),
        prop::bool::weighted(0.5),
        maybe(0.5, vec(maybe(0.7, 1u32..=100), 4)),
        prop::bool::weighted(0.5),
    )
        .prop_map(
            |(target, arrival, scale, routes, retry, to_messages, to_api, ops, to_cdn)| Workload {
                to_cdn,
                target,
                to_api,
                to_messages,
                ops,
                arrival,
                scale,
                routes,
                retry,
            },
        )
}

impl Scen {
    /// `ops` of a workload aimed at a bucket (directly or through a cdn).
    fn render_ops(&self, t: &mut String, w: &Workload) {
        if let Some(ws) = &w.ops {
            let parts: Vec<String> = ws
                .iter()
                .zip(super::bucket::OPS)
                .filter_map(|(w, op)| w.map(|w| format!("{op} = {}", dec(w, 1))))
                .collect();
            if !parts.is_empty() {
                let _ = writeln!(t, "ops = {{ {} }}", parts.join(", "));
            }
        }
    }

    /// `routes` of a workload aimed at api `k` (directly or through a cdn).
    fn render_routes(&self, t: &mut String, w: &Workload, k: usize) {
        if let Some(ws) = &w.routes {
            let n = self.apis[k].routes.len();
            let parts: Vec<String> = ws
                .iter()
                .take(n)
                .enumerate()
                .filter_map(|(r, w)| w.map(|w| format!("{} = {}", q(&self.route(k, r)), dec(w, 1))))
                .collect();
            if !parts.is_empty() {
                let _ = writeln!(t, "routes = {{ {} }}", parts.join(", "));
            }
        }
    }

    pub(super) fn render_workload(&self, t: &mut String, i: usize) {
        let w = &self.workloads[i];
        let _ = writeln!(t, "\n[[workload]]\nname = {}", q(&self.name("wl", i)));
        if let Some(l) = self.location_line(i) {
            let _ = writeln!(t, "{l}");
        }
        let messages = self.queues.len() + self.topics.len() + self.buckets.len();
        let targets = self.apis.len() + self.lambdas.len();
        let k = if w.to_api && !self.apis.is_empty() {
            w.target % self.apis.len()
        } else {
            w.target % targets
        };
        match (w.to_messages, self.cdn_origin()) {
            (_, Some(origin)) if w.to_cdn => {
                let _ = writeln!(t, "target = {}", q(&self.name("cdn", 0)));
                match origin {
                    Ok(_) => self.render_ops(t, w),
                    Err(a) => self.render_routes(t, w, a),
                }
            }
            (Some(m), _) if messages > 0 => {
                let m = m % messages;
                let (nq, nt) = (self.queues.len(), self.topics.len());
                let target = if m < nq {
                    Node::Queue(m)
                } else if m < nq + nt {
                    Node::Topic(m - nq)
                } else {
                    Node::Bucket(m - nq - nt)
                };
                let _ = writeln!(t, "target = {}", q(&self.node_name(target)));
                if let Node::Bucket(_) = target {
                    self.render_ops(t, w);
                }
            }
            _ if k < self.apis.len() => {
                let _ = writeln!(t, "target = {}", q(&self.name("api", k)));
                self.render_routes(t, w, k);
            }
            _ => {
                let f = k - self.apis.len();
                let _ = writeln!(t, "target = {}", q(&self.name("fn", f)));
            }
        }
        let arrival = match self.long {
            Some(l) => format!("poisson(rate={})", self.long_rate(l)),
            None => w.arrival.render(),
        };
        let _ = writeln!(t, "arrival = {}", q(&arrival));
        if let Some(s) = w.scale {
            let _ = writeln!(t, "scale = {}", dec(s * 25, 2));
        }
        if let Some(r) = &w.retry {
            let mut parts = Vec::new();
            if let Some(n) = r.max_attempts {
                parts.push(format!("max_attempts = {n}"));
            }
            if let Some(d) = &r.backoff {
                parts.push(format!("backoff = {}", q(&d.render())));
            }
            let _ = writeln!(t, "retry = {{ {} }}", parts.join(", "));
        }
    }
}
