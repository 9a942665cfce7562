//! Arrival processes: when the next request enters the system.
//!
//! Every process is a (possibly non-homogeneous) point process sampled one
//! arrival at a time, so memory does not grow with the run length.
//! Piecewise-constant rates (`steps`, `burst`) are sampled exactly by
//! integrating the rate against an Exp(1) draw; `diurnal` uses thinning.

use rand::Rng;

use crate::engine::{ns_to_secs, secs_to_ns, SimRng, SimTime};

/// An arrival process. Rates are in requests per second; times in ns.
#[derive(Clone, Debug, PartialEq)]
pub enum Arrival {
    /// Homogeneous Poisson process.
    Poisson {
        /// Rate [1/s].
        rate: f64,
    },
    /// Deterministic arrivals every `1/rate` seconds, the first at `1/rate`.
    Constant {
        /// Rate [1/s].
        rate: f64,
    },
    /// Sinusoidal non-homogeneous Poisson process with the given mean and
    /// peak: `rate(t) = max(0, offset - amplitude * cos(2 pi t / period))`,
    /// trough at t = 0, peak at t = period / 2. When `peak <= 2 * mean` the
    /// rate never reaches zero (`offset = mean`, `amplitude = peak - mean`);
    /// otherwise the sinusoid is lowered so that it is zero for part of the
    /// period ("night") and its mean is still `mean`. Build it with
    /// [`Arrival::diurnal`].
    Diurnal {
        /// Mean rate [1/s].
        mean: f64,
        /// Peak rate [1/s].
        peak: f64,
        /// Period \[ns\].
        period: SimTime,
        /// Offset of the sinusoid [1/s] (derived).
        offset: f64,
        /// Amplitude of the sinusoid [1/s] (derived).
        amplitude: f64,
    },
    /// On/off Poisson process: `peak` during the first `length` of every
    /// `every`, `base` otherwise.
    Burst {
        /// Rate outside bursts [1/s].
        base: f64,
        /// Rate during bursts [1/s].
        peak: f64,
        /// Burst period \[ns\].
        every: SimTime,
        /// Burst length \[ns\].
        length: SimTime,
    },
    /// Piecewise-constant Poisson rate: `(start time [ns], rate [1/s])`,
    /// sorted by time; the rate before the first step is 0.
    Steps(Vec<(SimTime, f64)>),
}

impl Arrival {
    /// A diurnal process with this mean and peak (`peak >= mean >= 0`).
    pub fn diurnal(mean: f64, peak: f64, period: SimTime) -> Arrival {
        let (offset, amplitude) = diurnal_shape(mean, peak);
        Arrival::Diurnal {
            mean,
            peak,
            period,
            offset,
            amplitude,
        }
    }

    /// The same process with every rate multiplied by `k`.
    pub fn scaled(&self, k: f64) -> Arrival {
        match self {
            Arrival::Poisson { rate } => Arrival::Poisson { rate: rate * k },
            Arrival::Constant { rate } => Arrival::Constant { rate: rate * k },
            Arrival::Diurnal {
                mean,
                peak,
                period,
                offset,
                amplitude,
            } => Arrival::Diurnal {
                mean: mean * k,
                peak: peak * k,
                period: *period,
                offset: offset * k,
                amplitude: amplitude * k,
            },
            Arrival::Burst {
                base,
                peak,
                every,
                length,
            } => Arrival::Burst {
                base: base * k,
                peak: peak * k,
                every: *every,
                length: *length,
            },
            Arrival::Steps(s) => Arrival::Steps(s.iter().map(|&(t, r)| (t, r * k)).collect()),
        }
    }

    /// The highest rate the process ever has [1/s].
    pub fn peak_rate(&self) -> f64 {
        match self {
            Arrival::Poisson { rate } | Arrival::Constant { rate } => *rate,
            Arrival::Diurnal { peak, .. } => *peak,
            Arrival::Burst { base, peak, .. } => base.max(*peak),
            Arrival::Steps(s) => s.iter().map(|&(_, r)| r).fold(0.0, f64::max),
        }
    }

    /// The instantaneous rate at time `t` [1/s].
    pub fn rate_at(&self, t: SimTime) -> f64 {
        match self {
            Arrival::Poisson { rate } | Arrival::Constant { rate } => *rate,
            Arrival::Diurnal {
                period,
                offset,
                amplitude,
                ..
            } => {
                let phase = 2.0 * std::f64::consts::PI * (t % period) as f64 / *period as f64;
                (offset - amplitude * phase.cos()).max(0.0)
            }
            Arrival::Burst {
                base,
                peak,
                every,
                length,
            } => {
                if t % every < *length {
                    *peak
                } else {
                    *base
                }
            }
            Arrival::Steps(s) => s
                .iter()
                .take_while(|(start, _)| *start <= t)
                .last()
                .map_or(0.0, |&(_, r)| r),
        }
    }

    /// Expected number of arrivals in `[0, t)`, by numeric integration where
    /// needed (used by tests and reports, not on the hot path).
    pub fn expected_count(&self, t: SimTime) -> f64 {
        let n = 100_000u64;
        let dt = t as f64 / n as f64;
        match self {
            Arrival::Poisson { rate } => rate * ns_to_secs(t),
            Arrival::Constant { rate } => (rate * ns_to_secs(t)).floor(),
            _ => {
                (0..n)
                    .map(|i| self.rate_at(((i as f64 + 0.5) * dt) as SimTime))
                    .sum::<f64>()
                    * dt
                    * 1e-9
            }
        }
    }

    /// The time of the next arrival strictly after `now`, or `None` if there
    /// is none (rate zero for ever).
    pub fn next_after(&self, now: SimTime, rng: &mut SimRng) -> Option<SimTime> {
        match self {
            Arrival::Poisson { rate } => {
                if *rate <= 0.0 {
                    return None;
                }
                let e: f64 = rng.sample(rand_distr::Exp1);
                Some(now.saturating_add(secs_to_ns(e / rate).max(1)))
            }
            Arrival::Constant { rate } => {
                if *rate <= 0.0 {
                    return None;
                }
                // Arrivals on the lattice k / rate, k = 1, 2, ...; computed from
                // k so rounding does not drift over long runs.
                let period = 1e9 / rate;
                let k = (now as f64 / period).floor() + 1.0;
                let mut t = (k * period).round() as SimTime;
                if t <= now {
                    t = ((k + 1.0) * period).round() as SimTime;
                }
                Some(t)
            }
            Arrival::Diurnal { mean, peak, .. } => {
                let max = *peak;
                if max <= 0.0 || *mean <= 0.0 {
                    return None;
                }
                let mut t = now;
                // Thinning (Lewis-Shedler): candidates at the peak rate,
                // accepted with probability rate(t) / peak; on average
                // peak / mean candidates per arrival.
                loop {
                    let e: f64 = rng.sample(rand_distr::Exp1);
                    t = t.saturating_add(secs_to_ns(e / max).max(1));
                    let accept: f64 = rng.random();
                    if accept * max <= self.rate_at(t) {
                        return Some(t);
                    }
                    if t >= SimTime::MAX / 2 {
                        return None;
                    }
                }
            }
            Arrival::Burst { .. } | Arrival::Steps(_) => self.next_piecewise(now, rng),
        }
    }

    /// The constant piece containing `t`: (rate, end of the piece), end
    /// `None` when the rate is constant for ever after `t`.
    fn piece_at(&self, t: SimTime) -> (f64, Option<SimTime>) {
        match self {
            Arrival::Burst {
                base,
                peak,
                every,
                length,
            } => {
                let start = t - t % every;
                if t % every < *length {
                    (*peak, Some(start + length))
                } else {
                    (*base, Some(start + every))
                }
            }
            Arrival::Steps(s) => {
                let i = s.partition_point(|(start, _)| *start <= t);
                let rate = if i == 0 { 0.0 } else { s[i - 1].1 };
                (rate, s.get(i).map(|(start, _)| *start))
            }
            _ => (self.rate_at(t), None),
        }
    }

    fn next_piecewise(&self, now: SimTime, rng: &mut SimRng) -> Option<SimTime> {
        let mut need: f64 = rng.sample(rand_distr::Exp1); // integrated rate to the next arrival
        let mut t = now;
        // A burst with base 0 and peak 0, or steps ending at rate 0, have no
        // further arrivals: the loop ends when a piece is open-ended.
        for _ in 0..10_000_000 {
            let (rate, end) = self.piece_at(t);
            match end {
                None => {
                    if rate <= 0.0 {
                        return None;
                    }
                    return Some(t.saturating_add(secs_to_ns(need / rate).max(1)));
                }
                Some(end) => {
                    let span = ns_to_secs(end - t);
                    if rate > 0.0 && rate * span >= need {
                        return Some(t.saturating_add(secs_to_ns(need / rate).max(1)));
                    }
                    need -= rate * span;
                    t = end;
                }
            }
        }
        None
    }
}

/// Offset and amplitude of `max(0, offset - amplitude cos)` with maximum
/// `peak` and mean `mean`. Without clamping, offset = mean. With clamping
/// (peak > 2 mean) the mean of the clamped sinusoid, for offset `c` and
/// amplitude `a = peak - c`, is `(c * th + a * sin th) / pi` with
/// `th = acos(-c / a)`; it grows with `c`, so `c` is found by bisection.
fn diurnal_shape(mean: f64, peak: f64) -> (f64, f64) {
    if peak <= 2.0 * mean || mean <= 0.0 {
        return (mean, peak - mean);
    }
    let clamped_mean = |c: f64| {
        let a = peak - c;
        let th = (-c / a).clamp(-1.0, 1.0).acos();
        (c * th + a * th.sin()) / std::f64::consts::PI
    };
    let (mut lo, mut hi) = (-1e9 * peak, peak / 2.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if clamped_mean(mid) < mean {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let c = 0.5 * (lo + hi);
    (c, peak - c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{stream, SECONDS};

    fn count(a: &Arrival, horizon: SimTime, seed: u64) -> u64 {
        let mut rng = stream(seed, "arrivals", "");
        let mut t = 0;
        let mut n = 0;
        while let Some(next) = a.next_after(t, &mut rng) {
            if next >= horizon {
                break;
            }
            t = next;
            n += 1;
        }
        n
    }

    /// Poisson counts: mean = variance = expected; allow 5 sd.
    fn assert_poisson_count(a: &Arrival, horizon: SimTime) {
        let n = count(a, horizon, 11) as f64;
        let want = a.expected_count(horizon);
        assert!(
            (n - want).abs() <= 5.0 * want.sqrt(),
            "{a:?}: {n} arrivals, expected {want}"
        );
    }

    #[test]
    fn counts_match_the_integrated_rate() {
        let h = 3600 * SECONDS;
        assert_poisson_count(&Arrival::Poisson { rate: 50.0 }, h);
        assert_poisson_count(&Arrival::diurnal(20.0, 35.0, 1800 * SECONDS), h);
        // Peak above twice the mean: zero at night, same mean.
        assert_poisson_count(&Arrival::diurnal(20.0, 60.0, 1800 * SECONDS), h);
        assert_poisson_count(
            &Arrival::Burst {
                base: 5.0,
                peak: 100.0,
                every: 600 * SECONDS,
                length: 60 * SECONDS,
            },
            h,
        );
        assert_poisson_count(
            &Arrival::Steps(vec![
                (0, 10.0),
                (600 * SECONDS, 50.0),
                (1200 * SECONDS, 0.0),
                (2400 * SECONDS, 5.0),
            ]),
            h,
        );
    }

    #[test]
    fn diurnal_keeps_its_mean_and_peak() {
        let day = 86_400 * SECONDS;
        for (mean, peak) in [(200.0, 300.0), (200.0, 400.0), (200.0, 600.0), (1.0, 50.0)] {
            let a = Arrival::diurnal(mean, peak, day);
            let got_mean = a.expected_count(day) / 86_400.0;
            assert!(
                (got_mean - mean).abs() < 1e-3 * mean,
                "{mean}/{peak}: mean {got_mean}"
            );
            assert!((a.rate_at(day / 2) - peak).abs() < 1e-9, "{mean}/{peak}");
            assert!(a.rate_at(0) >= 0.0);
        }
    }

    #[test]
    fn constant_is_a_lattice() {
        let a = Arrival::Constant { rate: 4.0 };
        let mut rng = stream(1, "c", "");
        let t1 = a.next_after(0, &mut rng).unwrap();
        let t2 = a.next_after(t1, &mut rng).unwrap();
        assert_eq!(t1, SECONDS / 4);
        assert_eq!(t2, SECONDS / 2);
        assert_eq!(count(&a, 10 * SECONDS, 1), 39);
    }

    #[test]
    fn zero_rate_ends_the_process() {
        let mut rng = stream(1, "z", "");
        assert_eq!(Arrival::Poisson { rate: 0.0 }.next_after(0, &mut rng), None);
        let s = Arrival::Steps(vec![(0, 100.0), (SECONDS, 0.0)]);
        let n = count(&s, 100 * SECONDS, 2) as f64;
        assert!((n - 100.0).abs() < 50.0);
    }
}
