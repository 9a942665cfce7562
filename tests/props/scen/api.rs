//! API Gateway apis: strategies and rendering (type, stage, route and
//! usage-plan limits, authorizers, the response cache, routes).

use super::values::{dec, dist, us, D};
use super::{q, Scen};
use proptest::collection::vec;
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use std::fmt::Write;

#[derive(Clone, Debug)]
pub struct Cache {
    pub ttl_s: Option<u32>,
    /// hit ratio x 100
    pub hit_ratio: u32,
    /// Instead of the hit ratio: Zipf over this many resources, s = 1.
    pub keys: Option<u32>,
    pub hit_latency: Option<D>,
    pub size: Option<usize>,
}

const CACHE_SIZES: [&str; 8] = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"];
const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];
const COGNITO_PLANS: [&str; 3] = ["lite", "essentials", "plus"];
const QUOTA_PERIODS: [&str; 3] = ["day", "week", "month"];

/// `auth`, in its three forms.
#[derive(Clone, Debug)]
pub enum Auth {
    /// `auth = "<latency>"`: an authorizer the gateway runs itself.
    Latency(D),
    /// `auth = { lambda = ..., cache_ttl = ..., identities = ... }`.
    Lambda {
        /// Index of the function (modulo the functions).
        function: usize,
        /// [ms], 0..=3,600,000 (0: no cache).
        cache_ttl_ms: Option<u32>,
        /// 1..=1e7
        identities: Option<u32>,
    },
    /// `auth = { cognito = ..., mau = ..., latency = ... }`.
    Cognito {
        /// Index into [`COGNITO_PLANS`].
        plan: usize,
        /// 0..=1e9
        mau: u32,
        latency: Option<D>,
    },
}

fn auth() -> impl Strategy<Value = Auth> {
    prop_oneof![
        2 => dist(20_000).prop_map(Auth::Latency),
        2 => (
            0usize..4,
            // Off, expiring within the run, or up to the 3600 s bound.
            maybe(0.7, prop_oneof![Just(0u32), 1u32..=3000, 0u32..=3_600_000]),
            maybe(0.7, prop_oneof![1u32..=50, 1u32..=10_000_000]),
        )
            .prop_map(|(function, cache_ttl_ms, identities)| Auth::Lambda {
                function,
                cache_ttl_ms,
                identities,
            }),
        1 => (
            0..COGNITO_PLANS.len(),
            prop_oneof![0u32..=100_000, 0u32..=1_000_000_000],
            maybe(0.4, dist(20_000)),
        )
            .prop_map(|(plan, mau, latency)| Auth::Cognito { plan, mau, latency }),
    ]
}

/// A token bucket's `rate_limit` x 10 [requests/s] and `burst`, each
/// optional (both `None`: no bucket).
#[derive(Clone, Debug)]
pub struct Limit {
    pub rate: Option<u32>,
    pub burst: Option<u32>,
}

/// A bucket: a third of them tight (both values low enough to throttle
/// the few thousand requests of a run: a missing burst takes the outer
/// bucket's, 5000 for the account's), the others anything up to the
/// bounds (1e6 requests/s, 1e6 requests).
pub(super) fn limit() -> impl Strategy<Value = Limit> {
    prop_oneof![
        1 => (1u32..=500, 1u32..=50).prop_map(|(r, b)| Limit {
            rate: Some(r),
            burst: Some(b),
        }),
        2 => (
            maybe(0.7, prop_oneof![1u32..=500, 1u32..=10_000_000]),
            maybe(0.5, prop_oneof![1u32..=50, 1u32..=1_000_000]),
        )
            .prop_map(|(rate, burst)| Limit { rate, burst }),
    ]
}

impl Limit {
    pub(super) fn parts(&self) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(r) = self.rate {
            v.push(format!("rate_limit = {}", dec(r, 1)));
        }
        if let Some(b) = self.burst {
            v.push(format!("burst = {b}"));
        }
        v
    }
}

/// `usage_plan = { ... }`.
#[derive(Clone, Debug)]
pub struct UsagePlan {
    /// 1..=10000
    pub keys: u32,
    pub limit: Limit,
    /// Requests per key per period, and the period (index into
    /// [`QUOTA_PERIODS`]; `None`: the default, a day).
    pub quota: Option<(u64, Option<usize>)>,
}

fn usage_plan() -> impl Strategy<Value = UsagePlan> {
    (
        prop_oneof![1u32..=5, 1u32..=10_000],
        limit(),
        maybe(
            0.6,
            (
                prop_oneof![1u64..=300, 1u64..=1_000_000_000_000],
                maybe(0.6, 0..QUOTA_PERIODS.len()),
            ),
        ),
    )
        .prop_map(|(keys, limit, quota)| UsagePlan { keys, limit, quota })
}

/// One route of an api.
#[derive(Clone, Debug)]
pub struct Route {
    /// Index into [`METHODS`].
    pub method: usize,
    /// Path variant.
    pub path: u8,
    /// Target function index (modulo the functions).
    pub target: usize,
    /// The route's own bucket, if any.
    pub limit: Option<Limit>,
    /// `response_kb` x 10 (0..=10240 KB).
    pub response_kb: Option<u32>,
}

fn route() -> impl Strategy<Value = Route> {
    (
        0..METHODS.len(),
        0u8..4,
        0usize..4,
        maybe(0.25, limit()),
        maybe(0.3, prop_oneof![0u32..=100, 0u32..=102_400]),
    )
        .prop_map(|(method, path, target, limit, response_kb)| Route {
            method,
            path,
            target,
            limit,
            response_kb,
        })
}

#[derive(Clone, Debug)]
pub struct Api {
    /// `type`: `Some(true)` rest, `Some(false)` http, `None` not written
    /// (rest).
    pub kind: Option<bool>,
    /// The stage's bucket.
    pub stage: Limit,
    /// ms; clamped to the type's range when rendered
    pub timeout_ms: Option<u32>,
    /// The gateway overhead (`None`: the type's default).
    pub latency: Option<D>,
    pub auth: Option<Auth>,
    pub usage_plan: Option<UsagePlan>,
    pub cache: Option<Cache>,
    pub routes: Vec<Route>,
}

impl Api {
    pub fn rest(&self) -> bool {
        self.kind.unwrap_or(true)
    }
}

pub(super) fn api() -> impl Strategy<Value = Api> {
    let cache = (
        maybe(0.5, 0u32..=3600),
        0u32..=100,
        maybe(0.4, dist(5_000)),
        maybe(0.4, 0..CACHE_SIZES.len()),
        maybe(0.3, 1u32..=100_000),
    )
        .prop_map(|(ttl_s, hit_ratio, hit_latency, size, keys)| Cache {
            ttl_s,
            hit_ratio,
            keys,
            hit_latency,
            size,
        });
    // The stage: often none (only the account's bucket).
    let stage = prop_oneof![
        1 => Just(Limit { rate: None, burst: None }),
        1 => limit(),
    ];
    (
        maybe(0.85, any::<bool>()),
        stage,
        maybe(0.4, prop_oneof![50u32..=500, 50u32..=300_000]),
        maybe(0.4, dist(20_000)),
        maybe(0.6, auth()),
        maybe(0.4, usage_plan()),
        maybe(0.4, cache),
        vec(route(), 1..=4),
    )
        .prop_map(
            |(kind, stage, timeout_ms, latency, auth, usage_plan, cache, routes)| Api {
                kind,
                stage,
                timeout_ms,
                latency,
                auth,
                usage_plan,
                cache,
                routes,
            },
        )
}

impl Scen {
    pub(super) fn route(&self, a: usize, k: usize) -> String {
        let r = &self.apis[a].routes[k];
        let path = ["/items", "/items/{id}", "/x/y", "/"][usize::from(r.path) % 4];
        // Distinct per index, so no duplicate routes.
        format!(
            "{} {path}{}",
            METHODS[r.method],
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
        if let Some(r) = self.region_line() {
            let _ = writeln!(t, "{r}");
        }
        if let Some(rest) = a.kind {
            let _ = writeln!(t, "type = {}", q(if rest { "rest" } else { "http" }));
        }
        for p in a.stage.parts() {
            let _ = writeln!(t, "{p}");
        }
        if let Some(ms) = a.timeout_ms {
            let max = if a.rest() { 300_000 } else { 30_000 };
            let _ = writeln!(t, "timeout = {}", q(&us(ms.min(max) * 1000)));
        }
        if let Some(d) = &a.latency {
            let _ = writeln!(t, "latency = {}", q(&d.render()));
        }
        if let Some(au) = &a.auth {
            let _ = writeln!(t, "auth = {}", self.render_auth(au));
        }
        if let Some(u) = &a.usage_plan {
            let mut parts = vec![format!("keys = {}", u.keys)];
            parts.extend(u.limit.parts());
            if let Some((n, period)) = u.quota {
                parts.push(format!("quota = {n}"));
                if let Some(k) = period {
                    parts.push(format!("quota_period = {}", q(QUOTA_PERIODS[k])));
                }
            }
            let _ = writeln!(t, "usage_plan = {{ {} }}", parts.join(", "));
        }
        if let (Some(c), true) = (&a.cache, a.rest()) {
            let mut parts = vec![match c.keys {
                Some(n) => format!("keys = \"zipf(n={n}, s=1)\""),
                None => format!("hit_ratio = {}", dec(c.hit_ratio, 2)),
            }];
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
        for (k, r) in a.routes.iter().enumerate() {
            let target = self.name("fn", r.target % self.lambdas.len());
            let mut parts = vec![
                format!("route = {}", q(&self.route(i, k))),
                format!("target = {}", q(&target)),
            ];
            parts.extend(r.limit.iter().flat_map(Limit::parts));
            if let Some(kb) = r.response_kb {
                parts.push(format!("response_kb = {}", dec(kb, 1)));
            }
            let _ = writeln!(t, "  {{ {} }},", parts.join(", "));
        }
        let _ = writeln!(t, "]");
    }

    fn render_auth(&self, a: &Auth) -> String {
        match a {
            Auth::Latency(d) => q(&d.render()),
            Auth::Lambda {
                function,
                cache_ttl_ms,
                identities,
            } => {
                let f = self.name("fn", function % self.lambdas.len());
                let mut parts = vec![format!("lambda = {}", q(&f))];
                if let Some(ms) = cache_ttl_ms {
                    parts.push(format!("cache_ttl = \"{ms}ms\""));
                }
                if let Some(n) = identities {
                    parts.push(format!("identities = {n}"));
                }
                format!("{{ {} }}", parts.join(", "))
            }
            Auth::Cognito { plan, mau, latency } => {
                let mut parts = vec![
                    format!("cognito = {}", q(COGNITO_PLANS[*plan])),
                    format!("mau = {mau}"),
                ];
                if let Some(d) = latency {
                    parts.push(format!("latency = {}", q(&d.render())));
                }
                format!("{{ {} }}", parts.join(", "))
            }
        }
    }
}
