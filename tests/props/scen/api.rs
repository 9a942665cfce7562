//! Workloads and API Gateway apis: strategies and rendering.

use super::values::{arrival, dec, dist, us, Arrival, D};
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
    /// When set and the scenario has queues or topics: index into queues
    /// then topics instead (modulo their total).
    pub to_messages: Option<usize>,
    pub arrival: Arrival,
    /// scale x 4
    pub scale: Option<u32>,
    /// Weight x 10 per route index of the target api (`None`: route absent).
    pub routes: Option<Vec<Option<u32>>>,
    pub retry: Option<Retry>,
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
    )
        .prop_map(
            |(target, arrival, scale, routes, retry, to_messages)| Workload {
                target,
                to_messages,
                arrival,
                scale,
                routes,
                retry,
            },
        )
}

#[derive(Clone, Debug)]
pub struct Cache {
    pub ttl_s: Option<u32>,
    /// hit ratio x 100
    pub hit_ratio: u32,
    pub hit_latency: Option<D>,
    pub size: Option<usize>,
}

const CACHE_SIZES: [&str; 8] = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"];
const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];

#[derive(Clone, Debug)]
pub struct Api {
    pub rest: bool,
    pub rate_limit: Option<u32>,
    pub burst: Option<u32>,
    /// ms; clamped to the type's range when rendered
    pub timeout_ms: Option<u32>,
    pub latency: Option<D>,
    pub auth: Option<D>,
    pub cache: Option<Cache>,
    /// (method index, path variant, target lambda index)
    pub routes: Vec<(usize, u8, usize)>,
}

pub(super) fn api() -> impl Strategy<Value = Api> {
    let cache = (
        maybe(0.5, 0u32..=3600),
        0u32..=100,
        maybe(0.4, dist(5_000)),
        maybe(0.4, 0..CACHE_SIZES.len()),
    )
        .prop_map(|(ttl_s, hit_ratio, hit_latency, size)| Cache {
            ttl_s,
            hit_ratio,
            hit_latency,
            size,
        });
    (
        any::<bool>(),
        maybe(0.5, prop_oneof![1u32..=50, 1u32..=10_000]),
        maybe(0.4, 1u32..=5000),
        maybe(0.4, prop_oneof![50u32..=500, 50u32..=300_000]),
        maybe(0.4, dist(20_000)),
        maybe(0.4, dist(20_000)),
        maybe(0.4, cache),
        vec((0..METHODS.len(), 0u8..4, 0usize..4), 1..=4),
    )
        .prop_map(
            |(rest, rate_limit, burst, timeout_ms, latency, auth, cache, routes)| Api {
                rest,
                rate_limit,
                burst,
                timeout_ms,
                latency,
                auth,
                cache,
                routes,
            },
        )
}

impl Scen {
    pub(super) fn render_workload(&self, t: &mut String, i: usize) {
        let w = &self.workloads[i];
        let _ = writeln!(t, "\n[[workload]]\nname = {}", q(&self.name("wl", i)));
        let messages = self.queues.len() + self.topics.len();
        let targets = self.apis.len() + self.lambdas.len();
        let k = w.target % targets;
        match w.to_messages {
            Some(m) if messages > 0 => {
                let m = m % messages;
                let target = if m < self.queues.len() {
                    Node::Queue(m)
                } else {
                    Node::Topic(m - self.queues.len())
                };
                let _ = writeln!(t, "target = {}", q(&self.node_name(target)));
            }
            _ if k < self.apis.len() => {
                let _ = writeln!(t, "target = {}", q(&self.name("api", k)));
                if let Some(ws) = &w.routes {
                    let n = self.apis[k].routes.len();
                    let parts: Vec<String> = ws
                        .iter()
                        .take(n)
                        .enumerate()
                        .filter_map(|(r, w)| {
                            w.map(|w| format!("{} = {}", q(&self.route(k, r)), dec(w, 1)))
                        })
                        .collect();
                    if !parts.is_empty() {
                        let _ = writeln!(t, "routes = {{ {} }}", parts.join(", "));
                    }
                }
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

    fn route(&self, a: usize, k: usize) -> String {
        let (m, v, _) = self.apis[a].routes[k];
        let path = ["/items", "/items/{id}", "/x/y", "/"][usize::from(v) % 4];
        // Distinct per index, so no duplicate routes.
        format!(
            "{} {path}{}",
            METHODS[m],
            if k == 0 {
                String::new()
            } else {
                format!("/v{k}")
            }
        )
    }

    pub(super) fn render_api(&self, t: &mut String, i: usize) {
        let a = &self.apis[i];
        let _ = writeln!(t, "\n[[api]]\nname = {}", q(&self.name("api", i)));
        let _ = writeln!(t, "type = {}", q(if a.rest { "rest" } else { "http" }));
        if let Some(r) = a.rate_limit {
            let _ = writeln!(t, "rate_limit = {r}");
        }
        if let Some(b) = a.burst {
            let _ = writeln!(t, "burst = {b}");
        }
        if let Some(ms) = a.timeout_ms {
            let max = if a.rest { 300_000 } else { 30_000 };
            let _ = writeln!(t, "timeout = {}", q(&us(ms.min(max) * 1000)));
        }
        if let Some(d) = &a.latency {
            let _ = writeln!(t, "latency = {}", q(&d.render()));
        }
        if let Some(d) = &a.auth {
            let _ = writeln!(t, "auth = {}", q(&d.render()));
        }
        if let (Some(c), true) = (&a.cache, a.rest) {
            let mut parts = vec![format!("hit_ratio = {}", dec(c.hit_ratio, 2))];
            if let Some(s) = c.ttl_s {
                parts.push(format!("ttl = \"{s}s\""));
            }
            if let Some(d) = &c.hit_latency {
                parts.push(format!("hit_latency = {}", q(&d.render())));
            }
            if let Some(k) = c.size {
                parts.push(format!("size_gb = {}", CACHE_SIZES[k]));
            }
            let _ = writeln!(t, "cache = {{ {} }}", parts.join(", "));
        }
        let _ = writeln!(t, "routes = [");
        for (k, &(_, _, f)) in a.routes.iter().enumerate() {
            let target = self.name("fn", f % self.lambdas.len());
            let _ = writeln!(
                t,
                "  {{ route = {}, target = {} }},",
                q(&self.route(i, k)),
                q(&target)
            );
        }
        let _ = writeln!(t, "]");
    }
}
