//! Piecewise-constant rates (`burst`, `steps`): the next arrival is where
//! the integrated rate from `now` reaches an Exp(1) draw. A burst's whole
//! periods are skipped by division, so the work per arrival is bounded
//! whatever its period (before its `start`, one piece at `base`, then the
//! periodic part in a frame shifted by `start`); steps walk at most the
//! listed pieces, and stop at the end of the simulation.

use crate::engine::{ns_to_secs, secs_to_ns, SimTime};

/// Takes the piece `[t, until)` at `rate` out of `need`: the arrival time if
/// it falls inside the piece (at least 1 ns after `t`), else `None` with
/// `need` reduced by the piece's integrated rate.
#[inline]
fn take(t: SimTime, until: SimTime, rate: f64, need: &mut f64) -> Option<SimTime> {
    if until <= t {
        return None;
    }
    let mass = rate * ns_to_secs(until - t);
    if rate > 0.0 && mass >= *need {
        return Some(t.saturating_add(secs_to_ns(*need / rate).max(1)).min(until));
    }
    *need -= mass;
    None
}

/// `Some(t)` if `t <= end`.
#[inline]
fn by(t: SimTime, end: SimTime) -> Option<SimTime> {
    (t <= end).then_some(t)
}

/// A burst process `(base [1/s], peak [1/s], every [ns], length [ns],
/// start [ns])`: `base` before `start`; from `start` on, `peak` during the
/// first `length` of every `every`, `base` otherwise.
pub type Burst = (f64, f64, SimTime, SimTime, SimTime);

/// The rate of a burst process at `t` [1/s].
pub fn burst_rate((base, peak, every, length, start): Burst, t: SimTime) -> f64 {
    if t >= start && (t - start) % every < length {
        peak
    } else {
        base
    }
}

/// The next arrival of a burst process after `now`. `e` is an Exp(1) draw.
pub fn burst_next(
    (base, peak, every, length, start): Burst,
    now: SimTime,
    end: SimTime,
    e: f64,
) -> Option<SimTime> {
    let mut need = e;
    let mut now = now;
    if now < start {
        if let Some(t) = take(now, start, base, &mut need) {
            return by(t, end);
        }
        if start > end {
            return None;
        }
        now = start;
    }
    // In the frame where the bursts start at 0.
    periodic((base, peak, every, length), now - start, end - start, need)
        .map(|t| t.saturating_add(start))
}

/// [`burst_next`] from the first burst on, with `need` left to cover.
fn periodic(
    (base, peak, every, length): (f64, f64, SimTime, SimTime),
    now: SimTime,
    end: SimTime,
    mut need: f64,
) -> Option<SimTime> {
    let into = now % every;
    let start = now - into;
    // The rest of the current period.
    let burst_end = start.saturating_add(length);
    if let Some(t) = take(now, burst_end, peak, &mut need) {
        return by(t, end);
    }
    let next = start.saturating_add(every);
    if let Some(t) = take(now.max(burst_end), next, base, &mut need) {
        return by(t, end);
    }
    // Whole periods, then the period in which the arrival falls.
    if next > end {
        return None;
    }
    let per_period = peak * ns_to_secs(length) + base * ns_to_secs(every - length);
    if per_period.is_nan() || per_period <= 0.0 {
        return None;
    }
    let skip = (need / per_period).floor();
    let periods_left = (end - next) / every;
    if skip.is_nan() || skip > periods_left as f64 {
        return None;
    }
    need = (need - skip * per_period).max(0.0);
    let start = next.saturating_add((skip as u64).saturating_mul(every));
    let burst_end = start.saturating_add(length);
    let next = start.saturating_add(every);
    let t = take(start, burst_end, peak, &mut need)
        .or_else(|| take(burst_end, next, base, &mut need))
        // Only rounding can leave `need` uncovered: the period's end.
        .unwrap_or(next);
    by(t, end)
}

/// A piecewise-constant rate `(start [ns], rate [1/s])`, sorted by start,
/// zero before the first step. `e` is an Exp(1) draw.
pub fn steps_next(steps: &[(SimTime, f64)], now: SimTime, end: SimTime, e: f64) -> Option<SimTime> {
    let mut need = e;
    let mut i = steps.partition_point(|(start, _)| *start <= now);
    let mut t = now;
    loop {
        let rate = if i == 0 { 0.0 } else { steps[i - 1].1 };
        let Some(&(until, _)) = steps.get(i) else {
            // The last piece lasts for ever.
            if rate.is_nan() || rate <= 0.0 {
                return None;
            }
            return by(t.saturating_add(secs_to_ns(need / rate).max(1)), end);
        };
        if let Some(at) = take(t, until, rate, &mut need) {
            return by(at, end);
        }
        if until > end {
            return None;
        }
        t = until;
        i += 1;
    }
}

/// Expected arrivals of a burst process in `[0, t)`.
pub fn burst_expected((base, peak, every, length, start): Burst, t: SimTime) -> f64 {
    let before = base * ns_to_secs(t.min(start));
    let Some(t) = t.checked_sub(start) else {
        return before;
    };
    let per_period = peak * ns_to_secs(length) + base * ns_to_secs(every - length);
    let into = t % every;
    let part = peak * ns_to_secs(into.min(length)) + base * ns_to_secs(into.saturating_sub(length));
    before + (t / every) as f64 * per_period + part
}

/// Expected arrivals of a steps process in `[0, t)`.
pub fn steps_expected(steps: &[(SimTime, f64)], t: SimTime) -> f64 {
    steps
        .iter()
        .enumerate()
        .map(|(i, &(start, rate))| {
            let until = steps.get(i + 1).map_or(t, |s| s.0.min(t));
            rate * ns_to_secs(until.saturating_sub(start))
        })
        .sum()
}
