//! Arrival processes: when the next request enters the system.
//!
//! Every process is a (possibly non-homogeneous) Poisson process, or a
//! lattice, sampled one arrival at a time, so memory does not grow with the
//! run length. Non-homogeneous processes are sampled exactly by inversion of
//! the integrated rate: the next arrival is where the rate integrated from
//! `now` reaches an Exp(1) draw. Sampling stops at the end of the simulation
//! and its work per arrival is bounded for every process and parameter:
//! periodic rates (`burst`, `diurnal`) skip whole periods by division.

mod diurnal;
mod piecewise;

use rand::Rng;

use crate::engine::{ns_to_secs, secs_to_ns, SimRng, SimTime};
pub use diurnal::Shape;

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
        /// The derived shape, used for sampling.
        shape: Shape,
    },
    /// On/off Poisson process: `peak` during the first `length` of every
    /// `every`, `base` otherwise.
    Burst {
        /// Rate outside bursts [1/s].
        base: f64,
        /// Rate during bursts [1/s].
        peak: f64,
        /// Burst period \[ns\] (> 0).
        every: SimTime,
        /// Burst length \[ns\] (<= `every`).
        length: SimTime,
    },
    /// Piecewise-constant Poisson rate: `(start time [ns], rate [1/s])`,
    /// sorted by time; the rate before the first step is 0.
    Steps(Vec<(SimTime, f64)>),
}

impl Arrival {
    /// A diurnal process with this mean and peak (`peak >= mean >= 0`) and
    /// period (> 0).
    pub fn diurnal(mean: f64, peak: f64, period: SimTime) -> Arrival {
        Arrival::Diurnal {
            mean,
            peak,
            period,
            shape: Shape::new(mean, peak, period),
        }
    }

    /// The same process with every rate multiplied by `k`.
    pub fn scaled(&self, k: f64) -> Arrival {
        match self {
            Arrival::Poisson { rate } => Arrival::Poisson { rate: rate * k },
            Arrival::Constant { rate } => Arrival::Constant { rate: rate * k },
            Arrival::Diurnal {
                mean, peak, period, ..
            } => Arrival::diurnal(mean * k, peak * k, *period),
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
            Arrival::Diurnal { shape, .. } => shape.rate_at(t),
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

    /// Expected number of arrivals in `[0, t)` (the integrated rate, in
    /// closed form; for `constant`, the lattice points in `(0, t)` rounded
    /// down). Used by tests and reports, not on the hot path.
    pub fn expected_count(&self, t: SimTime) -> f64 {
        match self {
            Arrival::Poisson { rate } => rate * ns_to_secs(t),
            Arrival::Constant { rate } => (rate * ns_to_secs(t)).floor(),
            Arrival::Diurnal { shape, .. } => shape.expected_count(t),
            Arrival::Burst {
                base,
                peak,
                every,
                length,
            } => piecewise::burst_expected((*base, *peak, *every, *length), t),
            Arrival::Steps(s) => piecewise::steps_expected(s, t),
        }
    }

    /// The time of the next arrival strictly after `now` and at most `end`
    /// (the end of the simulation), or `None` if there is none by then.
    /// The work is bounded whatever the process and `end`.
    #[inline]
    pub fn next_after(&self, now: SimTime, end: SimTime, rng: &mut SimRng) -> Option<SimTime> {
        match self {
            Arrival::Poisson { rate } => {
                if *rate <= 0.0 {
                    return None;
                }
                let e: f64 = rng.sample(rand_distr::Exp1);
                let t = now.saturating_add(secs_to_ns(e / rate).max(1));
                (t <= end).then_some(t)
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
                (t <= end).then_some(t)
            }
            Arrival::Diurnal { shape, .. } => {
                let e: f64 = rng.sample(rand_distr::Exp1);
                shape.next_after(now, end, e)
            }
            Arrival::Burst {
                base,
                peak,
                every,
                length,
            } => {
                let e: f64 = rng.sample(rand_distr::Exp1);
                piecewise::burst_next((*base, *peak, *every, *length), now, end, e)
            }
            Arrival::Steps(s) => {
                let e: f64 = rng.sample(rand_distr::Exp1);
                piecewise::steps_next(s, now, end, e)
            }
        }
    }
}

#[cfg(test)]
mod tests;
