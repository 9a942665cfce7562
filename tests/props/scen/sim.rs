//! The `[simulation]` section: strategy and rendering.

use super::api::{limit, Limit};
use super::values::us;
use super::{q, Scen};
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use std::fmt::Write;

#[derive(Clone, Debug)]
pub struct Simulation {
    /// duration [ms]
    pub duration_ms: u32,
    /// warm-up in % of the duration (< 100)
    pub warmup_pct: Option<u32>,
    pub seed: Option<u64>,
    pub account: Option<u32>,
    pub legacy: Option<bool>,
    pub free_tier: Option<bool>,
    /// timeseries interval [ms]
    pub interval_ms: Option<u32>,
    /// A small event budget, to exercise `stopped_early`.
    pub max_events: Option<u32>,
    /// `start`: the clock time of t = 0.
    pub start: Option<Start>,
    /// `api_rate_limit` and `api_burst`: the account's API bucket.
    pub api_account: Option<Limit>,
    /// `[cost] projection`: `Some(true)` "once", `Some(false)` "repeat".
    pub once: Option<bool>,
}

/// `[simulation] start`, in one of its accepted spellings.
#[derive(Clone, Copy, Debug)]
pub enum Start {
    /// `"H:MM"` or `"HH:MM"` (hour, minute; a one-digit hour when below 10
    /// and `short`).
    HourMinute(u32, u32, bool),
    /// `"HH:MM:SS"` with an optional fraction of 1..=9 digits.
    Seconds(u32, u32, u32, Option<u32>),
    /// `"24:00"` (the end of the day).
    Midnight,
    /// An unquoted TOML local time, `start = HH:MM:SS`.
    Local(u32, u32, u32),
}

fn start() -> impl Strategy<Value = Start> {
    prop_oneof![
        (0u32..24, 0u32..60, any::<bool>()).prop_map(|(h, m, s)| Start::HourMinute(h, m, s)),
        (0u32..24, 0u32..60, 0u32..60, maybe(0.5, 1u32..=999_999_999))
            .prop_map(|(h, m, s, f)| Start::Seconds(h, m, s, f)),
        Just(Start::Midnight),
        (0u32..24, 0u32..60, 0u32..60).prop_map(|(h, m, s)| Start::Local(h, m, s)),
    ]
}

impl Start {
    fn render(self) -> String {
        match self {
            Start::HourMinute(h, m, true) => q(&format!("{h}:{m:02}")),
            Start::HourMinute(h, m, false) => q(&format!("{h:02}:{m:02}")),
            Start::Seconds(h, m, s, None) => q(&format!("{h:02}:{m:02}:{s:02}")),
            Start::Seconds(h, m, s, Some(f)) => {
                let frac = format!("{f:09}");
                q(&format!(
                    "{h:02}:{m:02}:{s:02}.{}",
                    frac.trim_end_matches('0')
                ))
            }
            Start::Midnight => q("24:00"),
            Start::Local(h, m, s) => format!("{h:02}:{m:02}:{s:02}"),
        }
    }
}

pub(super) fn simulation() -> impl Strategy<Value = Simulation> {
    (
        prop_oneof![1 => 1u32..=100, 4 => 100u32..=1000, 4 => 1000u32..=5000],
        maybe(0.3, 0u32..=90),
        maybe(0.8, 0u64..=i64::MAX as u64),
        maybe(0.3, 200u32..=3000),
        maybe(0.3, any::<bool>()),
        maybe(0.3, any::<bool>()),
        maybe(0.4, prop_oneof![Just(1u32), 1u32..=2000]),
        maybe(0.06, 1u32..=20_000),
        (
            maybe(0.25, start()),
            maybe(0.25, limit()),
            maybe(0.5, any::<bool>()),
        ),
    )
        .prop_map(
            |(
                duration_ms,
                warmup_pct,
                seed,
                account,
                legacy,
                free_tier,
                interval_ms,
                max_events,
                (start, api_account, once),
            )| {
                Simulation {
                    duration_ms,
                    warmup_pct,
                    seed,
                    account,
                    legacy,
                    free_tier,
                    interval_ms,
                    max_events,
                    start,
                    api_account,
                    once,
                }
            },
        )
}

/// Durations of long runs: long enough for the asynchronous retries
/// (1 + 2 min), queue retention (60 s), and SNS's whole delivery policy
/// (23.15 days) to end, with a few hundred requests per workload.
const LONG: [&str; 3] = ["2h", "24d", "24d"];
const LONG_MS: [u64; 3] = [7_200_000, 2_073_600_000, 2_073_600_000];

/// A long run: few requests over hours or days.
#[derive(Clone, Copy, Debug)]
pub struct Long {
    /// Index into [`LONG`].
    pub duration: usize,
    /// Requests per workload (about; before `scale`).
    pub requests: u32,
}

pub(super) fn long() -> impl Strategy<Value = Long> {
    (0..LONG.len(), 20u32..=400).prop_map(|(duration, requests)| Long { duration, requests })
}

impl Scen {
    /// The simulated duration [ms].
    pub fn duration_ms(&self) -> u64 {
        match self.long {
            Some(l) => LONG_MS[l.duration],
            None => u64::from(self.sim.duration_ms),
        }
    }

    /// The arrival rate of a long run's workloads [requests/s].
    pub(super) fn long_rate(&self, l: Long) -> f64 {
        f64::from(l.requests) / (LONG_MS[l.duration] as f64 / 1e3)
    }

    pub(super) fn render_simulation(&self, t: &mut String) {
        let s = &self.sim;
        match self.long {
            Some(l) => {
                let _ = writeln!(t, "[simulation]\nduration = {}", q(LONG[l.duration]));
            }
            None => {
                let _ = writeln!(
                    t,
                    "[simulation]\nduration = {}",
                    q(&us(s.duration_ms * 1000))
                );
            }
        }
        if let Some(p) = s.warmup_pct {
            let warm_us = self.duration_ms() * 10 * u64::from(p);
            let warm = u32::try_from(warm_us).map_or(format!("{warm_us}us"), us);
            let _ = writeln!(t, "warmup = {}", q(&warm));
        }
        if let Some(seed) = s.seed {
            let _ = writeln!(t, "seed = {seed}");
        }
        if let Some(a) = s.account {
            let _ = writeln!(t, "account_concurrency = {a}");
        }
        if let Some(l) = s.legacy {
            let _ = writeln!(
                t,
                "scaling = {}",
                q(if l { "legacy-2019" } else { "per-function" })
            );
        }
        if let Some(f) = s.free_tier {
            let _ = writeln!(t, "free_tier = {f}");
        }
        if self.long.is_some() {
            // Not thousands of series rows per second over days.
            let _ = writeln!(t, "timeseries_interval = \"1h\"");
        } else if let Some(i) = s.interval_ms {
            let _ = writeln!(t, "timeseries_interval = {}", q(&us(i * 1000)));
        }
        if let Some(m) = s.max_events {
            let _ = writeln!(t, "max_events = {m}");
        }
        if let Some(m) = self.esm_max {
            let _ = writeln!(t, "esm_max_concurrency = {m}");
        }
        if let Some(st) = s.start {
            let _ = writeln!(t, "start = {}", st.render());
        }
        for p in s.api_account.iter().flat_map(Limit::parts) {
            let _ = writeln!(t, "api_{p}");
        }
        self.render_start_date(t);
        if let Some(once) = s.once {
            let p = if once { "once" } else { "repeat" };
            let _ = writeln!(t, "\n[cost]\nprojection = {}", q(p));
        }
    }

    /// The cost projection the run uses: `"repeat"` (the default) or
    /// `"once"`.
    pub fn projection(&self) -> &'static str {
        if self.sim.once == Some(true) {
            "once"
        } else {
            "repeat"
        }
    }
}
