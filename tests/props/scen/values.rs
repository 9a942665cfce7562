//! Values inside strings: random duration distributions and arrival
//! processes, rendered as scenario text (docs/scenario-format.md, "Values").

use proptest::collection::vec;
use proptest::option::weighted as maybe;
use proptest::prelude::*;

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

pub(super) fn us(n: u32) -> String {
    if n == 0 {
        "0ms".into()
    } else if n % 1000 == 0 {
        format!("{}ms", n / 1000)
    } else {
        format!("{n}us")
    }
}

/// `n / 10^k` as plain decimal text (never an exponent).
pub(super) fn dec(n: u32, k: u32) -> String {
    let p = 10u32.pow(k);
    let (i, f) = (n / p, n % p);
    if f == 0 {
        return i.to_string();
    }
    let frac = format!("{f:0width$}", width = k as usize);
    format!("{i}.{}", frac.trim_end_matches('0'))
}

impl D {
    pub(super) fn render(&self) -> String {
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
    /// mean, peak - mean, period index, offset in % of the period
    Diurnal(u32, u32, usize, Option<u32>),
    /// base, peak - base, every [ms], length in % of every, start [ms]
    Burst(u32, u32, u32, u32, Option<u32>),
    /// from x 10, to x 10 (not both 0), over [ms]
    Ramp(u32, u32, u32),
    /// (gap to previous step [ms], rate)
    Steps(Vec<(u32, u32)>),
}

const PERIODS: [&str; 7] = ["50ms", "700ms", "2s", "10s", "1m", "1h", "24h"];
const PERIODS_MS: [u64; 7] = [50, 700, 2_000, 10_000, 60_000, 3_600_000, 86_400_000];

impl Arrival {
    pub(super) fn render(&self) -> String {
        match self {
            Arrival::Poisson(r) => format!("poisson(rate={})", dec((*r).max(1), 1)),
            Arrival::Constant(r) => format!("constant(rate={})", (*r).max(1)),
            Arrival::Diurnal(m, d, p, off) => {
                let p = *p % PERIODS.len();
                // offset < period: a share below 100 % of it.
                let offset = off.map_or(String::new(), |o| {
                    format!(", offset={}ms", PERIODS_MS[p] * u64::from(o % 100) / 100)
                });
                format!(
                    "diurnal(mean={}, peak={}, period={}{offset})",
                    m,
                    m + d,
                    PERIODS[p]
                )
            }
            Arrival::Burst(b, d, every, len, start) => format!(
                "burst(base={b}, peak={}, every={}ms, length={}ms{})",
                b + d,
                every,
                (u64::from(*every) * u64::from(*len) / 100),
                start.map_or(String::new(), |s| format!(", start={}", us(s * 1000)))
            ),
            Arrival::Ramp(from, to, over) => {
                // Not both 0 (no request at all is an error).
                let to = if *from == 0 { (*to).max(1) } else { *to };
                format!(
                    "ramp(from={}, to={}, over={})",
                    dec(*from, 1),
                    dec(to, 1),
                    us((*over).max(1) * 1000)
                )
            }
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

pub(super) fn arrival() -> impl Strategy<Value = Arrival> {
    prop_oneof![
        (1u32..=3000).prop_map(Arrival::Poisson),
        (1u32..=300).prop_map(Arrival::Constant),
        // The mean sets the number of requests; the peak may be far above
        // it (the rate is then zero for most of each period).
        (
            1u32..=200,
            prop_oneof![0u32..=2000, 0u32..=100_000],
            0..PERIODS.len(),
            maybe(0.5, 0u32..100),
        )
            .prop_map(|(m, d, p, o)| Arrival::Diurnal(m, d, p, o)),
        (
            0u32..=50,
            0u32..=500,
            100u32..=3000,
            0u32..=100,
            // Before, inside or after the run (at most 5 s).
            maybe(0.5, prop_oneof![0u32..=3000, 0u32..=10_000]),
        )
            .prop_map(|(b, d, e, l, s)| Arrival::Burst(b, d, e, l, s)),
        // Up, down or flat, over less or more than the run.
        (
            prop_oneof![Just(0u32), 0u32..=3000],
            prop_oneof![Just(0u32), 0u32..=3000],
            prop_oneof![1u32..=100, 1u32..=10_000],
        )
            .prop_map(|(f, t, o)| Arrival::Ramp(f, t, o)),
        vec((1u32..=2000, 0u32..=300), 1..=4).prop_map(Arrival::Steps),
    ]
}
