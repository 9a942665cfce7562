//! Parsing of the value strings of the scenario format: durations
//! (`"250ms"`), distributions (`"lognormal(median=15ms, p99=80ms)"`),
//! arrival processes (`"poisson(rate=200)"`) and key models
//! (`"zipf(n=1e5, s=1.1)"`). See `docs/scenario-format.md`.

use std::path::Path;

use crate::dist::Dist;
use crate::engine::{secs_to_ns, SimDuration};

use super::error::did_you_mean;
use super::numbers::{self, NumErr};
use super::samples::Samples;
use crate::model::limits;

/// What is wrong with a value, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bad {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

fn bad(message: impl Into<String>, hint: impl Into<String>) -> Bad {
    Bad {
        message: message.into(),
        hint: Some(hint.into()),
    }
}

const DURATION_FORM: &str =
    "a duration is a number and a unit: ns, us (or µs), ms, s, m, h or d, e.g. \"250us\", \"15ms\", \"1.5s\", \"10m\", \"1e3s\"";

/// Parses a duration to seconds: a number (TOML style: `_` only between
/// digits, exponent allowed) and a unit; 0 or 1 ns ..= 366 days.
pub fn duration_secs(s: &str) -> Result<f64, Bad> {
    let t = s.trim();
    if t.starts_with('-') {
        return Err(bad(
            format!("duration `{s}` is negative"),
            "durations must be >= 0",
        ));
    }
    let (num, unit) = t.split_at(numbers::prefix_len(t));
    let value = match numbers::parse(num) {
        Ok(v) => v,
        Err(NumErr::TooLarge) => return Err(too_long(s)),
        Err(NumErr::Malformed) => {
            return Err(bad(
                format!("`{s}` is not a duration"),
                format!("{DURATION_FORM}; `_` may only separate two digits (\"1_000ms\")"),
            ))
        }
    };
    let scale = match unit.trim() {
        "ns" => 1e-9,
        // U+00B5 MICRO SIGN and U+03BC GREEK SMALL LETTER MU.
        "us" | "\u{b5}s" | "\u{3bc}s" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        "" if value == 0.0 => 1.0,
        "" => {
            return Err(bad(
                format!("duration `{s}` has no unit"),
                format!("write e.g. \"{num}ms\" or \"{num}s\"; {DURATION_FORM}"),
            ))
        }
        other => {
            let h = did_you_mean(other, ["ns", "us", "ms", "s", "m", "h", "d"])
                .map(|h| format!("{h} "))
                .unwrap_or_default();
            return Err(bad(
                format!("unknown time unit `{other}` in `{s}`"),
                format!("{h}{DURATION_FORM}"),
            ));
        }
    };
    let secs = value * scale;
    if secs > limits::MAX_DURATION_S {
        return Err(too_long(s));
    }
    if secs > 0.0 && secs < limits::MIN_DURATION_S {
        return Err(bad(
            format!("duration `{s}` is shorter than 1ns, the clock's resolution"),
            "write 0 or at least \"1ns\"",
        ));
    }
    Ok(secs)
}

fn too_long(s: &str) -> Bad {
    bad(
        format!("duration `{s}` is longer than 366 days"),
        "durations are at most \"366d\", the longest run slsim simulates",
    )
}

const SIZE_UNITS: [(&str, f64); 9] = [
    ("B", 1.0),
    ("KB", 1e3),
    ("MB", 1e6),
    ("GB", 1e9),
    ("TB", 1e12),
    ("KiB", 1024.0),
    ("MiB", 1048576.0),
    ("GiB", 1073741824.0),
    ("TiB", 1099511627776.0),
];
const SIZE_FORM: &str = "a size is a number and a unit: B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), e.g. \"4GiB\", \"512MB\"";

/// Parses a size (`"4GiB"`, `"512MB"`, `"1.5GiB"`) to bytes.
pub fn size_bytes(s: &str) -> Result<u64, Bad> {
    let t = s.trim();
    if t.starts_with('-') {
        return Err(bad(format!("size `{s}` is negative"), SIZE_FORM));
    }
    let (num, unit) = t.split_at(numbers::prefix_len(t));
    let Ok(v) = numbers::parse(num) else {
        return Err(bad(format!("`{s}` is not a size"), SIZE_FORM));
    };
    let unit = unit.trim();
    let Some((_, mult)) = SIZE_UNITS.iter().find(|(u, _)| *u == unit) else {
        let msg = if unit.is_empty() {
            format!("size `{s}` has no unit")
        } else {
            format!("unknown size unit `{unit}` in `{s}`")
        };
        let h = did_you_mean(unit, SIZE_UNITS.iter().map(|(u, _)| *u))
            .map(|h| format!("{h} "))
            .unwrap_or_default();
        return Err(bad(msg, format!("{h}{SIZE_FORM}")));
    };
    let bytes = (v * mult).round();
    if bytes >= 2f64.powi(63) {
        return Err(bad(format!("size `{s}` is too large"), SIZE_FORM));
    }
    Ok(bytes as u64)
}

const CLOCK_FORM: &str = "a time of day is \"HH:MM\" or \"HH:MM:SS\" (24-hour clock, 00:00 to 24:00), e.g. \"11:30\" or \"06:15:30\"";

/// Parses a time of day (`"11:30"`, `"11:30:00"`, `"11:30:00.5"`) to
/// nanoseconds after midnight, `00:00` to `24:00`.
pub fn clock_time(s: &str) -> Result<SimDuration, Bad> {
    let t = s.trim();
    let parts: Vec<&str> = t.split(':').collect();
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let malformed = || bad(format!("`{s}` is not a time of day"), CLOCK_FORM);
    let (h, m, sec) = match parts.as_slice() {
        [h, m] => (*h, *m, "0"),
        [h, m, sec] => (*h, *m, *sec),
        _ => return Err(malformed()),
    };
    let (whole, frac) = sec.split_once('.').unwrap_or((sec, "0"));
    if !(digits(h, 1..=2)
        && digits(m, 2..=2)
        && digits(whole, 1..=2)
        && (parts.len() == 2 || whole.len() == 2)
        && digits(frac, 1..=9))
    {
        return Err(malformed());
    }
    let num = |p: &str| p.parse::<u64>().unwrap_or(0);
    let (h, m, whole) = (num(h), num(m), num(whole));
    let nanos = num(frac) * 10u64.pow(9 - frac.len() as u32);
    if m > 59 || whole > 59 {
        return Err(bad(
            format!("`{s}` is not a time of day: minutes and seconds are 00 to 59"),
            CLOCK_FORM,
        ));
    }
    let ns = ((h * 60 + m) * 60 + whole) * 1_000_000_000 + nanos;
    if ns > 86_400 * 1_000_000_000 {
        return Err(bad(
            format!("`{s}` is after 24:00"),
            format!("{CLOCK_FORM}; the clock time of t = 0 is within one day"),
        ));
    }
    Ok(ns)
}

/// Parses a date `"YYYY-MM-DD"` (years 1970..=2199, the years a cron
/// expression may name) to days since 1970-01-01.
pub fn calendar_date(s: &str) -> Result<i64, Bad> {
    use crate::model::schedule::{calendar, FIRST_YEAR, LAST_YEAR};
    const FORM: &str =
        "write the date of t = 0 as \"YYYY-MM-DD\", e.g. start_date = \"2026-03-02\"";
    let t = s.trim();
    let parts: Vec<&str> = t.split('-').collect();
    let ok = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let [y, m, d] = parts.as_slice() else {
        return Err(bad(format!("`{s}` is not a date"), FORM));
    };
    if !(ok(y, 4) && ok(m, 2) && ok(d, 2)) {
        return Err(bad(format!("`{s}` is not a date"), FORM));
    }
    let (y, m, d) = (
        y.parse::<i64>().unwrap_or(0),
        m.parse::<u32>().unwrap_or(0),
        d.parse::<u32>().unwrap_or(0),
    );
    if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
        return Err(bad(
            format!("year {y} is out of range (allowed {FIRST_YEAR}..={LAST_YEAR})"),
            "the years a cron expression may name (AWS: 1970-2199)",
        ));
    }
    if !(1..=12).contains(&m) || d == 0 || d > calendar::days_in_month(y, m) {
        return Err(bad(format!("`{s}` is not a date of the calendar"), FORM));
    }
    Ok(calendar::days_from_civil(y, m, d))
}

/// Parses a duration to nanoseconds.
pub fn duration(s: &str) -> Result<SimDuration, Bad> {
    duration_secs(s).map(secs_to_ns)
}

/// `name(args)` split into its parts.
struct Call<'a> {
    name: &'a str,
    inner: &'a str,
    positional: Vec<&'a str>,
    named: Vec<(&'a str, &'a str)>,
}

fn split_call<'a>(s: &'a str, what: &str, form: &str) -> Result<Call<'a>, Bad> {
    let t = s.trim();
    let (name, rest) = match t.find('(') {
        Some(i) if t.ends_with(')') => (t[..i].trim(), &t[i + 1..t.len() - 1]),
        _ => return Err(bad(format!("`{s}` is not {what}"), form)),
    };
    let mut positional = Vec::new();
    let mut named = Vec::new();
    for arg in rest.split(',').map(str::trim).filter(|a| !a.is_empty()) {
        match arg.split_once('=') {
            Some((k, v)) => named.push((k.trim(), v.trim())),
            None => positional.push(arg),
        }
    }
    Ok(Call {
        name,
        inner: rest.trim(),
        positional,
        named,
    })
}

impl<'a> Call<'a> {
    /// Checks the argument names and count; `keys` are the named forms in
    /// positional order.
    fn check(&self, keys: &[&str], form: &str) -> Result<(), Bad> {
        for (k, _) in &self.named {
            if !keys.contains(k) {
                let h = did_you_mean(k, keys.iter().copied())
                    .map(|h| format!("{h} "))
                    .unwrap_or_default();
                return Err(bad(
                    format!("`{}(...)` has no parameter `{k}`", self.name),
                    format!("{h}expected {form}"),
                ));
            }
        }
        if self.positional.len() + self.named.len() > keys.len() {
            return Err(bad(
                format!("too many parameters for `{}(...)`", self.name),
                format!("expected {form}"),
            ));
        }
        Ok(())
    }

    fn get(&self, key: &str, pos: usize) -> Option<&'a str> {
        self.named
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .or_else(|| self.positional.get(pos).copied())
    }

    fn need(&self, key: &str, pos: usize, form: &str) -> Result<&'a str, Bad> {
        self.get(key, pos).ok_or_else(|| {
            bad(
                format!("`{}(...)` is missing `{key}`", self.name),
                format!("expected {form}"),
            )
        })
    }
}

fn number(s: &str, what: &str) -> Result<f64, Bad> {
    match numbers::parse(s) {
        Ok(v) => Ok(v),
        Err(NumErr::TooLarge) => Err(bad(
            format!("{what} `{s}` is too large"),
            "write a number of ordinary size, such as 2, 0.5 or 1e3",
        )),
        Err(NumErr::Malformed) => Err(bad(
            format!("{what} `{s}` is not a number"),
            "write a plain number such as 2, 0.5 or 1e3; `_` may only separate two digits",
        )),
    }
}

fn positive(v: f64, what: &str, form: &str) -> Result<f64, Bad> {
    if v > 0.0 {
        Ok(v)
    } else {
        Err(bad(
            format!("{what} must be > 0 (got {})", numbers::show(v)),
            form.to_string(),
        ))
    }
}

/// Checks `lo <= v <= hi` for a parameter that is not a duration.
fn within(v: f64, (lo, hi): (f64, f64), what: &str, form: &str) -> Result<f64, Bad> {
    if (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(bad(
            format!(
                "{what} {} is out of range (allowed {})",
                numbers::show(v),
                numbers::show_range(lo, hi)
            ),
            form.to_string(),
        ))
    }
}

const DIST_NAMES: [&str; 8] = [
    "const",
    "exp",
    "uniform",
    "normal",
    "lognormal",
    "gamma",
    "pareto",
    "empirical",
];

const DIST_FORM: &str = "one of const(5ms), exp(mean=10ms), uniform(1ms, 5ms), normal(mean=20ms, sd=5ms), lognormal(median=15ms, sigma=0.5), lognormal(median=15ms, p99=80ms), gamma(shape=2, mean=30ms), pareto(scale=1ms, shape=1.5), empirical(path/to/samples.csv)";

/// Parses a distribution of durations; parameters of the result are in
/// seconds. `base_dir` anchors `empirical(...)` paths.
pub fn dist(s: &str, base_dir: &Path) -> Result<Dist, Bad> {
    dist_in(s, &mut Samples::new(base_dir))
}

/// [`dist`], reading `empirical(...)` files through `samples` (which
/// anchors their paths, reads each file once and bounds their size).
pub fn dist_in(s: &str, samples: &mut Samples) -> Result<Dist, Bad> {
    let c = split_call(s, "a distribution", DIST_FORM)?;
    let d = |key: &str, pos: usize, form: &str| -> Result<f64, Bad> {
        duration_secs(c.need(key, pos, form)?).map_err(|mut b| {
            b.message = format!("{key}: {}", b.message);
            b
        })
    };
    match c.name {
        "const" => {
            let f = "const(5ms)";
            c.check(&["value"], f)?;
            Ok(Dist::constant(d("value", 0, f)?))
        }
        "exp" => {
            let f = "exp(mean=10ms)";
            c.check(&["mean"], f)?;
            Ok(Dist::Exp {
                mean: positive(d("mean", 0, f)?, "exp mean", f)?,
            })
        }
        "uniform" => {
            let f = "uniform(1ms, 5ms) (low, high)";
            c.check(&["lo", "hi"], f)?;
            let (lo, hi) = (d("lo", 0, f)?, d("hi", 1, f)?);
            if lo > hi {
                return Err(bad(
                    format!("uniform low bound {lo}s is above the high bound {hi}s"),
                    "write the smaller bound first: uniform(1ms, 5ms)",
                ));
            }
            Ok(Dist::Uniform { lo, hi })
        }
        "normal" => {
            let f = "normal(mean=20ms, sd=5ms)";
            c.check(&["mean", "sd"], f)?;
            let (mean, sd) = (d("mean", 0, f)?, d("sd", 1, f)?);
            Ok(Dist::Normal {
                mean,
                sd: positive(sd, "normal sd", f)?,
            })
        }
        "lognormal" => lognormal(&c),
        "gamma" => {
            let f = "gamma(shape=2, mean=30ms)";
            c.check(&["shape", "mean"], f)?;
            let shape = number(c.need("shape", 0, f)?, "shape")?;
            let shape = within(shape, limits::GAMMA_SHAPE, "gamma shape", f)?;
            let mean = positive(d("mean", 1, f)?, "gamma mean", f)?;
            Dist::gamma(shape, mean).ok_or_else(|| bad("invalid gamma parameters", f))
        }
        "pareto" => {
            let f = "pareto(scale=1ms, shape=1.5)";
            c.check(&["scale", "shape"], f)?;
            let scale = positive(d("scale", 0, f)?, "pareto scale", f)?;
            let shape = number(c.need("shape", 1, f)?, "shape")?;
            let shape = within(shape, limits::PARETO_SHAPE, "pareto shape", f)?;
            Ok(Dist::Pareto { scale, shape })
        }
        "empirical" => {
            let raw = c.inner.strip_prefix("path").map_or(c.inner, |r| {
                r.trim_start().strip_prefix('=').map_or(c.inner, str::trim)
            });
            let raw = raw.trim_matches(|ch| ch == '"' || ch == '\'');
            if raw.is_empty() {
                return Err(bad(
                    "`empirical(...)` needs a file path",
                    "empirical(path/to/samples.csv), relative to the scenario file",
                ));
            }
            Ok(Dist::Empirical(samples.load(raw)?))
        }
        other => Err(bad(
            format!("unknown distribution `{other}`"),
            match did_you_mean(other, DIST_NAMES) {
                Some(h) => format!("{h} expected {DIST_FORM}"),
                None => format!("expected {DIST_FORM}"),
            },
        )),
    }
}

fn lognormal(c: &Call<'_>) -> Result<Dist, Bad> {
    let f = "lognormal(median=15ms, sigma=0.5) or lognormal(median=15ms, p99=80ms)";
    c.check(&["median", "sigma", "p99"], f)?;
    if !c.positional.is_empty() {
        return Err(bad("lognormal parameters must be named", f));
    }
    let median = positive(
        duration_secs(c.need("median", usize::MAX, f)?)?,
        "median",
        f,
    )?;
    match (c.get("sigma", usize::MAX), c.get("p99", usize::MAX)) {
        (Some(s), None) => {
            let sigma = positive(
                number(s, "sigma")?,
                "lognormal sigma",
                "sigma is the standard deviation of ln(x), e.g. 0.5",
            )?;
            let sigma = within(
                sigma,
                (f64::MIN_POSITIVE, limits::MAX_SIGMA),
                "lognormal sigma",
                "sigma is the standard deviation of ln(x), e.g. 0.5; at 10 the p99 is already 10^10 x the median",
            )?;
            Ok(Dist::lognormal_median_sigma(median, sigma))
        }
        (None, Some(p)) => {
            let p99 = duration_secs(p)?;
            if p99 <= median {
                return Err(bad(
                    format!("lognormal p99 ({p}) must be above the median"),
                    "the 99th percentile of a log-normal is always above its median",
                ));
            }
            if (p99 / median).ln() / crate::dist::Z99 > limits::MAX_SIGMA {
                return Err(bad(
                    format!("lognormal p99 ({p}) is more than 10^10 x the median"),
                    "that is a sigma of ln(x) above 10; bring p99 closer to the median",
                ));
            }
            Ok(Dist::lognormal_median_p99(median, p99))
        }
        _ => Err(bad("lognormal needs exactly one of `sigma` or `p99`", f)),
    }
}

mod arrival;
mod keep_alive;
mod keys;
pub use arrival::{arrival, check_rate};
pub use keep_alive::keep_alive_policy;
pub use keys::keys;

#[cfg(test)]
#[path = "values_tests.rs"]
mod tests;
