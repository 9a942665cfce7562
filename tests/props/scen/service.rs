//! External services (`[[service]]`) and the `call` steps to them:
//! strategy and rendering. Rules kept (docs/scenario-format.md,
//! "[[service]]"): `latency` always; `burst` only with a rate limit (its
//! own or the sandbox's); `preset = "ses"` with both `rate_limit` and
//! `daily_quota`; `preset = "ses-sandbox"` with neither.

use super::values::{dec, dist, D};
use super::{q, Scen};
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use std::fmt::Write;

#[derive(Clone, Debug)]
pub struct Service {
    pub latency: D,
    /// 0: none, 1: "ses", 2: "ses-sandbox".
    pub preset: usize,
    /// rate_limit x 10 (calls/s).
    pub rate: Option<u32>,
    /// burst x 10.
    pub burst: Option<u32>,
    pub daily_quota: Option<u32>,
    /// price_per_1000 x 100.
    pub price: Option<u32>,
}

pub(super) fn service() -> impl Strategy<Value = Service> {
    (
        dist(200_000),
        prop_oneof![3 => Just(0usize), 1 => Just(1usize), 1 => Just(2usize)],
        maybe(0.7, prop_oneof![1u32..=50, 1u32..=10_000]),
        maybe(0.4, 10u32..=1000),
        maybe(0.4, prop_oneof![1u32..=20, 1u32..=100_000]),
        maybe(0.3, 0u32..=10_000),
    )
        .prop_map(
            |(latency, preset, rate, burst, daily_quota, price)| Service {
                latency,
                preset,
                rate,
                burst,
                daily_quota,
                price,
            },
        )
}

impl Scen {
    pub(super) fn render_service(&self, t: &mut String, k: usize) {
        let s = &self.services[k];
        let _ = writeln!(t, "\n[[service]]\nname = {}", q(&self.name("svc", k)));
        let _ = writeln!(t, "latency = {}", q(&s.latency.render()));
        // The SES preset needs both limits; the sandbox takes neither.
        let (rate, quota) = match s.preset {
            1 => (
                Some(s.rate.unwrap_or(140)),
                Some(s.daily_quota.unwrap_or(50)),
            ),
            2 => (None, None),
            _ => (s.rate, s.daily_quota),
        };
        if s.preset > 0 {
            let p = if s.preset == 1 { "ses" } else { "ses-sandbox" };
            let _ = writeln!(t, "preset = {}", q(p));
        }
        if let Some(r) = rate {
            let _ = writeln!(t, "rate_limit = {}", dec(r, 1));
        }
        if let (Some(b), true) = (s.burst, rate.is_some() || s.preset == 2) {
            let _ = writeln!(t, "burst = {}", dec(b, 1));
        }
        if let Some(d) = quota {
            let _ = writeln!(t, "daily_quota = {d}");
        }
        if let Some(p) = s.price {
            let _ = writeln!(t, "price_per_1000 = {}", dec(p, 2));
        }
    }

    /// A call step to service `k` (modulo their number), else an io step.
    pub(super) fn render_service_call(&self, k: usize) -> String {
        if self.services.is_empty() {
            return format!("{{ io = {} }}", q("const(4ms)"));
        }
        format!(
            "{{ call = {} }}",
            q(&self.name("svc", k % self.services.len()))
        )
    }
}
