//! Keep-alive policies in the scenario format: `fixed`, `none` and
//! `hybrid(range=4h, bin=1m, head=5, tail=99, margin=10, cv=2,
//! min_samples=10, oob=50)`, with their bounds and hints. Part of
//! [`super`]'s value syntax.

use super::{bad, duration, number, split_call, within, Bad};
use crate::model::limits::{
    MAX_HISTOGRAM_BINS, MAX_HISTOGRAM_CV, MAX_HISTOGRAM_MARGIN, MAX_HISTOGRAM_MIN_SAMPLES,
    MAX_KEEP_ALIVE_S, MIN_HISTOGRAM_BINS,
};
use crate::model::{Hybrid, KeepAlivePolicy};
use crate::scenario::error::did_you_mean;
use crate::scenario::numbers;

const POLICY_FORM: &str = "one of \"fixed\" (idle environments expire `keep_alive` after their last use), \"none\" (destroyed at once) or \"hybrid\" / \"hybrid(range=4h, bin=1m, head=5, tail=99, margin=10, cv=2, min_samples=10, oob=50)\"";

const HYBRID_FORM: &str = "hybrid(range=4h, bin=1m, head=5, tail=99, margin=10, cv=2, min_samples=10, oob=50): range and bin durations (2..=10000 bins, range <= 24h), head <= tail percentiles 0..=100, margin 0..=99 %, cv 0..=100, min_samples 1..=1e6, oob 0..=100 %; every parameter optional";

const KEYS: [&str; 8] = [
    "range",
    "bin",
    "head",
    "tail",
    "margin",
    "cv",
    "min_samples",
    "oob",
];

/// Parses a keep-alive policy.
pub fn keep_alive_policy(s: &str) -> Result<KeepAlivePolicy, Bad> {
    match s.trim() {
        "fixed" => return Ok(KeepAlivePolicy::Fixed),
        "none" => return Ok(KeepAlivePolicy::None),
        "hybrid" => return Ok(KeepAlivePolicy::Hybrid(Hybrid::PAPER)),
        t if !t.contains('(') => {
            let hint = did_you_mean(t, ["fixed", "none", "hybrid"]).map_or_else(
                || POLICY_FORM.to_string(),
                |h| format!("{h}; {POLICY_FORM}"),
            );
            return Err(bad(format!("unknown keep-alive policy `{s}`"), hint));
        }
        _ => {}
    }
    let c = split_call(s, "a keep-alive policy", POLICY_FORM)?;
    if c.name != "hybrid" {
        let hint = did_you_mean(c.name, ["fixed", "none", "hybrid"]).map_or_else(
            || POLICY_FORM.to_string(),
            |h| format!("{h}; {POLICY_FORM}"),
        );
        return Err(bad(format!("unknown keep-alive policy `{s}`"), hint));
    }
    c.check(&KEYS, HYBRID_FORM)?;
    let f = HYBRID_FORM;
    let mut h = Hybrid::PAPER;
    let dur = |k: &str, pos: usize, default: u64| -> Result<u64, Bad> {
        match c.get(k, pos) {
            None => Ok(default),
            Some(v) => {
                let ns = duration(v).map_err(|b| bad(format!("{k}: {}", b.message), f))?;
                if ns == 0 {
                    return Err(bad(format!("{k} must be > 0"), f));
                }
                Ok(ns)
            }
        }
    };
    let num = |k: &str, pos: usize, default: f64, range: (f64, f64)| -> Result<f64, Bad> {
        match c.get(k, pos) {
            None => Ok(default),
            Some(v) => within(number(v, k)?, range, k, f),
        }
    };
    h.range = dur("range", 0, h.range)?;
    h.bin = dur("bin", 1, h.bin)?;
    h.head = num("head", 2, h.head, (0.0, 100.0))?;
    h.tail = num("tail", 3, h.tail, (0.0, 100.0))?;
    h.margin = num("margin", 4, h.margin, (0.0, MAX_HISTOGRAM_MARGIN))?;
    h.cv = num("cv", 5, h.cv, (0.0, MAX_HISTOGRAM_CV))?;
    let min = num(
        "min_samples",
        6,
        f64::from(h.min_samples),
        (1.0, MAX_HISTOGRAM_MIN_SAMPLES),
    )?;
    if min.fract() != 0.0 {
        return Err(bad(
            format!("min_samples {} is not a whole number", numbers::show(min)),
            f,
        ));
    }
    h.min_samples = min as u32;
    h.oob = num("oob", 7, h.oob, (0.0, 100.0))?;
    if h.range > MAX_KEEP_ALIVE_S * 1_000_000_000 {
        return Err(bad(
            format!("range `{}` is longer than 24h", numbers::show_ns(h.range)),
            f,
        ));
    }
    let bins = h.bins() as u64;
    if !(MIN_HISTOGRAM_BINS..=MAX_HISTOGRAM_BINS).contains(&bins) {
        return Err(bad(
            format!("range / bin gives {bins} bins (allowed {MIN_HISTOGRAM_BINS}..={MAX_HISTOGRAM_BINS})"),
            f,
        ));
    }
    if h.head > h.tail {
        return Err(bad(
            format!(
                "head {} is above tail {}",
                numbers::show(h.head),
                numbers::show(h.tail)
            ),
            f,
        ));
    }
    Ok(KeepAlivePolicy::Hybrid(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_parse_with_bounds() {
        assert_eq!(keep_alive_policy("fixed").unwrap(), KeepAlivePolicy::Fixed);
        assert_eq!(keep_alive_policy(" none ").unwrap(), KeepAlivePolicy::None);
        assert_eq!(
            keep_alive_policy("hybrid").unwrap(),
            KeepAlivePolicy::Hybrid(Hybrid::PAPER)
        );
        assert_eq!(
            keep_alive_policy("hybrid()").unwrap(),
            KeepAlivePolicy::Hybrid(Hybrid::PAPER)
        );
        match keep_alive_policy("hybrid(range=2h, bin=30s, margin=5, min_samples=3)").unwrap() {
            KeepAlivePolicy::Hybrid(h) => {
                assert_eq!(h.range, 7200 * 1_000_000_000);
                assert_eq!(h.bin, 30 * 1_000_000_000);
                assert_eq!(h.bins(), 240);
                assert_eq!((h.margin, h.min_samples, h.head), (5.0, 3, 5.0));
            }
            p => panic!("{p:?}"),
        }
        for bad in [
            "fixd",
            "hybrid(range=0s)",
            "hybrid(range=25h)",
            "hybrid(bin=1s)",
            "hybrid(bin=4h)",
            "hybrid(head=50, tail=10)",
            "hybrid(tail=101)",
            "hybrid(margin=100)",
            "hybrid(cv=-1)",
            "hybrid(min_samples=0)",
            "hybrid(min_samples=2.5)",
            "hybrid(oob=150)",
            "hybrid(rnage=1h)",
            "hybrid(range=1x)",
            "",
        ] {
            let e = keep_alive_policy(bad).unwrap_err();
            assert!(e.hint.is_some(), "{bad}: {e:?}");
        }
        assert!(keep_alive_policy("hybrd")
            .unwrap_err()
            .hint
            .unwrap()
            .contains("hybrid"));
    }
}
