//! Random VALID scenarios for the property tests, as TOML text.
//!
//! A [`Scen`] holds raw choices; cross-references (route targets, call
//! targets, workload targets, route weights) are indices resolved when the
//! text is rendered, so every strategy is independent and shrinks well.
//! Values stay inside the documented ranges (docs/scenario-format.md) and
//! inside AWS quotas, and each scenario is small: a few seconds of simulated
//! time and at most a few thousand requests per workload.

use proptest::collection::vec;
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use slsim::model::RUNTIMES;
use std::fmt::Write;

/// A random duration distribution; parameters in microseconds.
#[derive(Clone, Debug)]
pub enum D {
    Const(u32),
    Exp(u32),
    Uniform(u32, u32),
    Normal(u32, u32),
    /// median, sigma x 100
    LogSigma(u32, u32),
    /// median, p99 - median (> 0)
    LogP99(u32, u32),
    /// shape x 10, mean
    Gamma(u32, u32),
    /// scale, shape x 10
    Pareto(u32, u32),
    /// `empirical(samples.csv)`: the harness writes the file beside the scenario.
    Empirical,
}

fn us(n: u32) -> String {
    if n == 0 {
        "0ms".into()
    } else if n % 1000 == 0 {
        format!("{}ms", n / 1000)
    } else {
        format!("{n}us")
    }
}

/// `n / 10^k` as plain decimal text (never an exponent).
fn dec(n: u32, k: u32) -> String {
    let p = 10u32.pow(k);
    let (i, f) = (n / p, n % p);
    if f == 0 {
        return i.to_string();
    }
    let frac = format!("{f:0width$}", width = k as usize);
    format!("{i}.{}", frac.trim_end_matches('0'))
}

impl D {
    fn render(&self) -> String {
        match *self {
            D::Const(v) => format!("const({})", us(v)),
            D::Exp(m) => format!("exp(mean={})", us(m.max(1))),
            D::Uniform(a, b) => format!("uniform({}, {})", us(a), us(a + b)),
            D::Normal(m, sd) => format!("normal(mean={}, sd={})", us(m), us(sd.max(1))),
            D::LogSigma(m, s) => {
                format!(
                    "lognormal(median={}, sigma={})",
                    us(m.max(1)),
                    dec(s.max(1), 2)
                )
            }
            D::LogP99(m, d) => format!(
                "lognormal(median={}, p99={})",
                us(m.max(1)),
                us(m.max(1) + d.max(1))
            ),
            D::Gamma(k, m) => format!("gamma(shape={}, mean={})", dec(k.max(1), 1), us(m.max(1))),
            D::Pareto(s, k) => {
                format!("pareto(scale={}, shape={})", us(s.max(1)), dec(k.max(1), 1))
            }
            D::Empirical => "empirical(samples.csv)".into(),
        }
    }
}

/// A distribution with values of about `max_us` microseconds at most
/// (typical values; tails are the distribution's own).
pub fn dist(max_us: u32) -> impl Strategy<Value = D> {
    let m = 1..=max_us;
    prop_oneof![
        (0..=max_us).prop_map(D::Const),
        m.clone().prop_map(D::Exp),
        (0..=max_us, 0..=max_us).prop_map(|(a, b)| D::Uniform(a, b)),
        (0..=max_us, 1..=max_us).prop_map(|(a, b)| D::Normal(a, b)),
        (m.clone(), 5u32..=150).prop_map(|(a, s)| D::LogSigma(a, s)),
        (m.clone(), 1..=max_us * 4).prop_map(|(a, d)| D::LogP99(a, d)),
        (2u32..=50, m.clone()).prop_map(|(k, a)| D::Gamma(k, a)),
        // shape 0.5..=5: below 1 the mean is infinite (valid, and a test of
        // very long durations).
        (1..=max_us / 4 + 1, 5u32..=50).prop_map(|(s, k)| D::Pareto(s, k)),
        Just(D::Empirical),
    ]
}

#[derive(Clone, Debug)]
pub enum Arrival {
    /// rate x 10
    Poisson(u32),
    Constant(u32),
    /// mean, peak - mean, period index
    Diurnal(u32, u32, usize),
    /// base, peak - base, every [ms], length in % of every
    Burst(u32, u32, u32, u32),
    /// (gap to previous step [ms], rate)
    Steps(Vec<(u32, u32)>),
}

const PERIODS: [&str; 7] = ["50ms", "700ms", "2s", "10s", "1m", "1h", "24h"];

impl Arrival {
    fn render(&self) -> String {
        match self {
            Arrival::Poisson(r) => format!("poisson(rate={})", dec((*r).max(1), 1)),
            Arrival::Constant(r) => format!("constant(rate={})", (*r).max(1)),
            Arrival::Diurnal(m, d, p) => format!(
                "diurnal(mean={}, peak={}, period={})",
                m,
                m + d,
                PERIODS[*p % PERIODS.len()]
            ),
            Arrival::Burst(b, d, every, len) => format!(
                "burst(base={b}, peak={}, every={}ms, length={}ms)",
                b + d,
                every,
                (u64::from(*every) * u64::from(*len) / 100)
            ),
            Arrival::Steps(s) => {
                let mut t = 0u32;
                let parts: Vec<String> = s
                    .iter()
                    .enumerate()
                    .map(|(i, &(gap, r))| {
                        if i > 0 {
                            t += gap.max(1);
                        }
                        format!("{}={r}", us(t * 1000))
                    })
                    .collect();
                format!("steps({})", parts.join(", "))
            }
        }
    }
}

fn arrival() -> impl Strategy<Value = Arrival> {
    prop_oneof![
        (1u32..=3000).prop_map(Arrival::Poisson),
        (1u32..=300).prop_map(Arrival::Constant),
        // The mean sets the number of requests; the peak may be far above
        // it (the rate is then zero for most of each period).
        (
            1u32..=200,
            prop_oneof![0u32..=2000, 0u32..=100_000],
            0..PERIODS.len()
        )
            .prop_map(|(m, d, p)| Arrival::Diurnal(m, d, p)),
        (0u32..=50, 0u32..=500, 100u32..=3000, 0u32..=100)
            .prop_map(|(b, d, e, l)| Arrival::Burst(b, d, e, l)),
        vec((1u32..=2000, 0u32..=300), 1..=4).prop_map(Arrival::Steps),
    ]
}

#[derive(Clone, Debug)]
pub struct Retry {
    pub max_attempts: Option<u32>,
    pub backoff: Option<D>,
}

#[derive(Clone, Debug)]
pub struct Workload {
    /// Index into apis then lambdas (modulo their total).
    pub target: usize,
    pub arrival: Arrival,
    /// scale x 4
    pub scale: Option<u32>,
    /// Weight x 10 per route index of the target api (`None`: route absent).
    pub routes: Option<Vec<Option<u32>>>,
    pub retry: Option<Retry>,
}

fn workload() -> impl Strategy<Value = Workload> {
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
    )
        .prop_map(|(target, arrival, scale, routes, retry)| Workload {
            target,
            arrival,
            scale,
            routes,
            retry,
        })
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

fn api() -> impl Strategy<Value = Api> {
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

const LAMBDA_TIMEOUTS: [&str; 8] = ["1ms", "5ms", "50ms", "300ms", "1s", "3s", "30s", "900s"];
const KEEP_ALIVES: [&str; 5] = ["0s", "100ms", "1s", "6m", "1h"];
const LIFETIMES: [&str; 3] = ["500ms", "2s", "2h"];

#[derive(Clone, Debug)]
pub enum Step {
    Compute(D, Option<u32>),
    Io(D),
    /// A table (op index, items, item size in 0.1 KB) if any, else compute.
    Table(usize, usize, Option<u32>, Option<u32>),
    /// A lambda later in file order (no cycles), else io.
    Invoke(usize),
    /// probability x 1000
    Fail(u32),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (dist(50_000), maybe(0.3, 1u32..=40)).prop_map(|(d, t)| Step::Compute(d, t)),
        dist(50_000).prop_map(Step::Io),
        (
            0usize..4,
            0usize..6,
            maybe(0.5, 1u32..=25),
            maybe(0.5, 1u32..=4000)
        )
            .prop_map(|(t, op, n, kb)| Step::Table(t, op, n, kb)),
        (0usize..4).prop_map(Step::Invoke),
        prop_oneof![0u32..=50, 0u32..=1000].prop_map(Step::Fail),
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
}

fn lambda() -> impl Strategy<Value = Lambda> {
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
            maybe(0.2, 0..LIFETIMES.len()),
            maybe(0.3, 0u32..=25),
            maybe(0.3, 0u32..=25),
            prop::bool::weighted(0.15),
            vec(step(), 0..=4),
        ),
    )
        .prop_map(
            |(
                (runtime, arm, memory_mb, timeout, init, keep_alive),
                (routing, max_lifetime, reserved, provisioned, snap_start, steps),
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
            },
        )
}

#[derive(Clone, Debug)]
pub struct Table {
    /// (rcu, wcu) when provisioned
    pub provisioned: Option<(u32, u32)>,
    pub peaks: Option<(u32, u32)>,
    pub strong: Option<bool>,
    pub burst_seconds: Option<u32>,
    pub read_latency: Option<D>,
    pub write_latency: Option<D>,
    /// hit ratio x 100, ttl [s], hit latency
    pub dax: Option<(u32, Option<u32>, Option<D>)>,
    /// max_attempts, base [ms], max_backoff - base [ms]
    pub sdk_retry: Option<(Option<u32>, Option<u32>, Option<u32>)>,
}

fn table() -> impl Strategy<Value = Table> {
    (
        maybe(0.5, (1u32..=1000, 1u32..=1000)),
        maybe(0.3, (0u32..=6000, 0u32..=2000)),
        maybe(0.5, any::<bool>()),
        maybe(0.3, 0u32..=300),
        maybe(0.3, dist(20_000)),
        maybe(0.3, dist(20_000)),
        maybe(
            0.3,
            (0u32..=100, maybe(0.5, 0u32..=3600), maybe(0.5, dist(2_000))),
        ),
        maybe(
            0.3,
            (
                maybe(0.7, 1u32..=10),
                maybe(0.7, 1u32..=100),
                maybe(0.7, 0u32..=2000),
            ),
        ),
    )
        .prop_map(
            |(provisioned, peaks, strong, burst_seconds, read_latency, write_latency, dax, sdk)| {
                Table {
                    provisioned,
                    peaks,
                    strong,
                    burst_seconds,
                    read_latency,
                    write_latency,
                    dax,
                    sdk_retry: sdk,
                }
            },
        )
}

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
}

fn simulation() -> impl Strategy<Value = Simulation> {
    (
        prop_oneof![1 => 1u32..=100, 4 => 100u32..=1000, 4 => 1000u32..=5000],
        maybe(0.3, 0u32..=90),
        maybe(0.8, 0u64..=i64::MAX as u64),
        maybe(0.3, 200u32..=3000),
        maybe(0.3, any::<bool>()),
        maybe(0.3, any::<bool>()),
        maybe(0.4, prop_oneof![Just(1u32), 1u32..=2000]),
        maybe(0.06, 1u32..=20_000),
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
                }
            },
        )
}

/// A whole scenario, plus an optional `--seed` for the command line.
#[derive(Clone)]
pub struct Scen {
    pub sim: Simulation,
    pub workloads: Vec<Workload>,
    pub apis: Vec<Api>,
    pub lambdas: Vec<Lambda>,
    pub tables: Vec<Table>,
    pub cli_seed: Option<u64>,
    /// Suffixes that make names awkward for CSV and JSON (kept unique by a
    /// kind prefix and index).
    pub odd_names: bool,
}

impl std::fmt::Debug for Scen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\n{}", self.render())?;
        if let Some(s) = self.cli_seed {
            writeln!(f, "# command line: --seed {s}")?;
        }
        Ok(())
    }
}

pub fn scen() -> impl Strategy<Value = Scen> {
    (
        simulation(),
        vec(workload(), 1..=3),
        vec(api(), 0..=2),
        vec(lambda(), 1..=4),
        vec(table(), 0..=2),
        maybe(0.15, 0u64..=i64::MAX as u64),
        prop::bool::weighted(0.25),
    )
        .prop_map(
            |(sim, workloads, apis, lambdas, tables, cli_seed, odd_names)| Scen {
                sim,
                workloads,
                apis,
                lambdas,
                tables,
                cli_seed,
                odd_names,
            },
        )
}

/// TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

const ODD: [&str; 4] = [" λ-ünï", ", \"quoted\"", " with space", "#hash"];

impl Scen {
    /// Simulated duration [s].
    pub fn duration_s(&self) -> f64 {
        f64::from(self.sim.duration_ms) / 1e3
    }

    /// Measured window (after warm-up) [s].
    pub fn measured_s(&self) -> f64 {
        let total_us = u64::from(self.sim.duration_ms) * 1000;
        let warm_us = self
            .sim
            .warmup_pct
            .map_or(0, |p| u64::from(self.sim.duration_ms) * 10 * u64::from(p));
        ((total_us - warm_us) * 1000) as f64 / 1e9
    }

    /// The seed the run will use.
    pub fn seed(&self) -> u64 {
        self.cli_seed.or(self.sim.seed).unwrap_or(1)
    }

    /// Whether an event guard may stop the run early.
    pub fn may_stop_early(&self) -> bool {
        self.sim.max_events.is_some()
    }

    /// Whether the scenario reads `samples.csv` beside it.
    pub fn uses_samples(&self) -> bool {
        self.render().contains("empirical(samples.csv)")
    }

    fn name(&self, kind: &str, i: usize) -> String {
        if self.odd_names {
            format!("{kind}{i}{}", ODD[i % ODD.len()])
        } else {
            format!("{kind}{i}")
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

    /// The scenario as TOML text.
    pub fn render(&self) -> String {
        let mut t = String::new();
        self.render_simulation(&mut t);
        let targets = self.apis.len() + self.lambdas.len();
        for (i, w) in self.workloads.iter().enumerate() {
            let k = w.target % targets;
            let _ = writeln!(t, "\n[[workload]]\nname = {}", q(&self.name("wl", i)));
            if k < self.apis.len() {
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
            } else {
                let f = k - self.apis.len();
                let _ = writeln!(t, "target = {}", q(&self.name("fn", f)));
            }
            let _ = writeln!(t, "arrival = {}", q(&w.arrival.render()));
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
        for i in 0..self.apis.len() {
            self.render_api(&mut t, i);
        }
        for i in 0..self.lambdas.len() {
            self.render_lambda(&mut t, i);
        }
        for i in 0..self.tables.len() {
            self.render_table(&mut t, i);
        }
        t
    }

    fn render_simulation(&self, t: &mut String) {
        let s = &self.sim;
        let _ = writeln!(
            t,
            "[simulation]\nduration = {}",
            q(&us(s.duration_ms * 1000))
        );
        if let Some(p) = s.warmup_pct {
            let _ = writeln!(t, "warmup = {}", q(&us(s.duration_ms * 10 * p)));
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
        if let Some(i) = s.interval_ms {
            let _ = writeln!(t, "timeseries_interval = {}", q(&us(i * 1000)));
        }
        if let Some(m) = s.max_events {
            let _ = writeln!(t, "max_events = {m}");
        }
    }

    fn render_api(&self, t: &mut String, i: usize) {
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

    fn render_lambda(&self, t: &mut String, i: usize) {
        let l = &self.lambdas[i];
        let _ = writeln!(t, "\n[[lambda]]\nname = {}", q(&self.name("fn", i)));
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
            let _ = writeln!(t, "max_lifetime = {}", q(LIFETIMES[k]));
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
            Step::Invoke(k) => {
                let later = self.lambdas.len() - i - 1;
                if later == 0 {
                    return format!("{{ io = {} }}", q("const(2ms)"));
                }
                let j = i + 1 + k % later;
                format!("{{ call = {} }}", q(&self.name("fn", j)))
            }
            Step::Fail(p) => format!("{{ fail = {} }}", dec(*p, 3)),
        }
    }

    fn render_table(&self, t: &mut String, i: usize) {
        let tb = &self.tables[i];
        let _ = writeln!(t, "\n[[table]]\nname = {}", q(&self.name("tbl", i)));
        match tb.provisioned {
            Some((r, w)) => {
                let _ = writeln!(t, "capacity = \"provisioned\"\nrcu = {r}\nwcu = {w}");
            }
            None => {
                let _ = writeln!(t, "capacity = \"on-demand\"");
                if let Some((r, w)) = tb.peaks {
                    let _ = writeln!(t, "initial_read_peak = {r}\ninitial_write_peak = {w}");
                }
            }
        }
        if let Some(s) = tb.strong {
            let _ = writeln!(
                t,
                "consistency = {}",
                q(if s { "strong" } else { "eventual" })
            );
        }
        if let Some(b) = tb.burst_seconds {
            let _ = writeln!(t, "burst_seconds = {b}");
        }
        if let Some(d) = &tb.read_latency {
            let _ = writeln!(t, "read_latency = {}", q(&d.render()));
        }
        if let Some(d) = &tb.write_latency {
            let _ = writeln!(t, "write_latency = {}", q(&d.render()));
        }
        if let Some((hr, ttl, lat)) = &tb.dax {
            let mut parts = vec![format!("hit_ratio = {}", dec(*hr, 2))];
            if let Some(s) = ttl {
                parts.push(format!("ttl = \"{s}s\""));
            }
            if let Some(d) = lat {
                parts.push(format!("hit_latency = {}", q(&d.render())));
            }
            let _ = writeln!(t, "dax = {{ {} }}", parts.join(", "));
        }
        if let Some((n, base, extra)) = &tb.sdk_retry {
            let mut parts = Vec::new();
            if let Some(n) = n {
                parts.push(format!("max_attempts = {n}"));
            }
            let b = base.unwrap_or(25);
            if base.is_some() {
                parts.push(format!("base = \"{b}ms\""));
            }
            if let Some(x) = extra {
                parts.push(format!("max_backoff = \"{}ms\"", b + x));
            }
            let _ = writeln!(t, "sdk_retry = {{ {} }}", parts.join(", "));
        }
    }
}
