//! Arrival processes in the scenario format: `poisson(rate=200)`,
//! `diurnal(...)`, `burst(...)`, `ramp(...)`, `steps(...)`, `trace(...)`, with their
//! bounds and hints. Part of [`super`]'s value syntax.

use super::{bad, duration, number, positive, split_call, Bad};
use crate::model::limits;
use crate::scenario::error::did_you_mean;
use crate::scenario::numbers;
use crate::workload::trace::TraceSpec;
use crate::workload::Arrival;

const ARRIVAL_NAMES: [&str; 7] = [
    "poisson", "constant", "diurnal", "burst", "ramp", "steps", "trace",
];
const ARRIVAL_FORM: &str = "one of poisson(rate=200), constant(rate=50), diurnal(mean=200, peak=600, period=24h, offset=6h), burst(base=50, peak=2000, every=1h, length=2m, start=30m), ramp(from=10, to=500, over=10m), steps(0s=10, 10m=500, 20m=10), trace(path=requests.csv)";

/// Parses an arrival process (rates in requests per second).
pub fn arrival(s: &str) -> Result<Arrival, Bad> {
    let c = split_call(s, "an arrival process", ARRIVAL_FORM)?;
    let rate = |key: &str, pos: usize, f: &str| -> Result<f64, Bad> {
        let v = number(c.need(key, pos, f)?, key)?;
        check_rate(v, &format!("{} {key}", c.name), f)
    };
    let dur_of = |key: &str, v: &str| -> Result<u64, Bad> {
        duration(v).map_err(|mut b| {
            b.message = format!("{key}: {}", b.message);
            b
        })
    };
    let dur = |key: &str, pos: usize, f: &str| dur_of(key, c.need(key, pos, f)?);
    // An optional duration, 0 when not given.
    let opt_dur = |key: &str, pos: usize| c.get(key, pos).map_or(Ok(0), |v| dur_of(key, v));
    match c.name {
        "poisson" | "constant" => {
            let f = if c.name == "poisson" {
                "poisson(rate=200)"
            } else {
                "constant(rate=50)"
            };
            c.check(&["rate"], f)?;
            let rate = positive(rate("rate", 0, f)?, "rate", f)?;
            Ok(if c.name == "poisson" {
                Arrival::Poisson { rate }
            } else {
                Arrival::Constant { rate }
            })
        }
        "diurnal" => {
            let f =
                "diurnal(mean=200, peak=600, period=24h, offset=6h) (offset optional, 0..period)";
            c.check(&["mean", "peak", "period", "offset"], f)?;
            let (mean, peak) = (rate("mean", 0, f)?, rate("peak", 1, f)?);
            let period = dur("period", 2, f)?;
            if peak < mean {
                return Err(bad(
                    format!("diurnal peak {peak} is below the mean {mean}"),
                    "peak must be >= mean; above 2*mean the rate is zero for part of each period",
                ));
            }
            if period == 0 {
                return Err(bad("diurnal period must be > 0", f));
            }
            let offset = opt_dur("offset", 3)?;
            if offset >= period {
                return Err(bad(
                    format!(
                        "diurnal offset {} is not shorter than the period {}",
                        c.get("offset", 3).unwrap_or_default(),
                        c.get("period", 2).unwrap_or_default()
                    ),
                    "offset is a phase within one period (0 <= offset < period): the rate at t is the rate at t + offset of the shape without offset, whose trough is at 0 and peak at period/2",
                ));
            }
            Ok(Arrival::diurnal_offset(mean, peak, period, offset))
        }
        "burst" => {
            let f = "burst(base=50, peak=2000, every=1h, length=2m, start=30m) (start optional, default 0)";
            c.check(&["base", "peak", "every", "length", "start"], f)?;
            let (base, peak) = (rate("base", 0, f)?, rate("peak", 1, f)?);
            let (every, length) = (dur("every", 2, f)?, dur("length", 3, f)?);
            let start = opt_dur("start", 4)?;
            if every == 0 {
                return Err(bad("burst `every` must be > 0", f));
            }
            if length > every {
                return Err(bad(
                    "burst `length` is longer than `every`",
                    "a burst of `length` starts every `every`: length <= every",
                ));
            }
            Ok(Arrival::Burst {
                base,
                peak,
                every,
                length,
                start,
            })
        }
        "ramp" => {
            let f = "ramp(from=10, to=500, over=10m): from `from` to `to` requests/s linearly over `over`, then `to`";
            c.check(&["from", "to", "over"], f)?;
            let (from, to) = (rate("from", 0, f)?, rate("to", 1, f)?);
            let over = dur("over", 2, f)?;
            if over == 0 {
                return Err(bad("ramp `over` must be > 0", f));
            }
            if from == 0.0 && to == 0.0 {
                return Err(bad(
                    "ramp from 0 to 0 sends no request",
                    "give `to` (or `from`) a rate > 0",
                ));
            }
            Ok(Arrival::Ramp { from, to, over })
        }
        "steps" => {
            let f = "steps(0s=10, 10m=500, 20m=10): start time = rate, times increasing";
            if !c.positional.is_empty() || c.named.is_empty() {
                return Err(bad("steps(...) needs `time=rate` pairs", f));
            }
            let mut out: Vec<(u64, f64)> = Vec::new();
            for (t, r) in &c.named {
                let at = duration(t)?;
                let v = number(r, "rate")?;
                if v < 0.0 {
                    return Err(bad(
                        format!("step rate at {t} is negative"),
                        "rates must be >= 0",
                    ));
                }
                let v = check_rate(v, &format!("steps rate at {t}"), f)?;
                if out.last().is_some_and(|&(prev, _)| at <= prev) {
                    return Err(bad(
                        format!("step time {t} is not after the previous one"),
                        f,
                    ));
                }
                out.push((at, v));
            }
            Ok(Arrival::Steps(out))
        }
        "trace" => {
            let f = "trace(path=traces/requests.csv, scale=0.5) (path relative to the scenario file; scale optional, default 1)";
            c.check(&["path", "scale"], f)?;
            let raw = c.need("path", 0, f)?.trim();
            if raw.is_empty() {
                return Err(bad("trace path is empty", f));
            }
            let scale = match c.get("scale", 1) {
                None => 1.0,
                Some(v) => number(v, "scale")?,
            };
            if !(0.0..=limits::MAX_SCALE).contains(&scale) {
                return Err(bad(
                    format!("trace scale {} is outside 0..={}", numbers::show(scale), numbers::show(limits::MAX_SCALE)),
                    "scale < 1 keeps each row with probability scale; scale > 1 replays each row floor(scale) times, plus once more with probability frac(scale)",
                ));
            }
            Ok(Arrival::Trace(std::sync::Arc::new(TraceSpec {
                raw: raw.to_string(),
                path: raw.into(),
                scale,
            })))
        }
        other => Err(bad(
            format!("unknown arrival process `{other}`"),
            match did_you_mean(other, ARRIVAL_NAMES) {
                Some(h) => format!("{h} expected {ARRIVAL_FORM}"),
                None => format!("expected {ARRIVAL_FORM}"),
            },
        )),
    }
}

/// Checks an arrival rate: 0, or `MIN_RATE..=MAX_RATE` requests/s.
pub fn check_rate(v: f64, what: &str, form: &str) -> Result<f64, Bad> {
    if v < 0.0 {
        return Err(bad(
            format!("{what} must be >= 0 (got {})", numbers::show(v)),
            form.to_string(),
        ));
    }
    if v > limits::MAX_RATE {
        return Err(bad(
            format!(
                "{what} {} requests/s is above the limit of {} requests/s",
                numbers::show(v),
                numbers::show(limits::MAX_RATE)
            ),
            "one workload sends at most one request per microsecond",
        ));
    }
    if v > 0.0 && v < limits::MIN_RATE {
        return Err(bad(
            format!(
                "{what} {} requests/s is below the smallest non-zero rate, {} requests/s (one request per 11.6 days)",
                numbers::show(v),
                numbers::show(limits::MIN_RATE)
            ),
            "use 0 for no requests",
        ));
    }
    Ok(v)
}
