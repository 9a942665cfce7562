//! Arrival processes: when the next request enters the system.
//!
//! Every process is a (possibly non-homogeneous) Poisson process, or a
//! lattice, sampled one arrival at a time, so memory does not grow with the
//! run length. Non-homogeneous processes are sampled exactly by inversion of
//! the integrated rate: the next arrival is where the rate integrated from
//! `now` reaches an Exp(1) draw. Sampling stops at the end of the simulation
//! and its work per arrival is bounded for every process and parameter:
//! periodic rates (`burst`, `diurnal`) skip whole periods by division, a
//! `ramp` solves a quadratic. A diurnal's phase (`offset`) and a burst's
//! `start` shift time into the shape's own frame and back, so they cost
//! nothing per arrival.

mod diurnal;
mod piecewise;
mod ramp;
pub mod trace;

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
    /// peak: `rate(t) = max(0, c - amplitude * cos(2 pi (t + offset) /
    /// period))`: the trough where `t + offset` is a whole number of periods,
    /// the peak half a period later (with `offset = 0`: trough at t = 0, peak
    /// at t = period / 2). When `peak <= 2 * mean` the rate never reaches
    /// zero (`c = mean`, `amplitude = peak - mean`); otherwise the sinusoid is
    /// lowered so that it is zero for part of the period ("night") and its
    /// mean is still `mean`. Build it with [`Arrival::diurnal`] and
    /// [`Arrival::diurnal_offset`].
    Diurnal {
        /// Mean rate [1/s].
        mean: f64,
        /// Peak rate [1/s].
        peak: f64,
        /// Period \[ns\].
        period: SimTime,
        /// Phase \[ns\], in `0..period`: the rate at t is the unshifted
        /// shape's at `t + offset`. In a validated scenario it includes the
        /// clock time of t = 0 (`[simulation] start`).
        offset: SimTime,
        /// The derived shape, used for sampling.
        shape: Shape,
    },
    /// On/off Poisson process: `base` before `start`; from `start` on,
    /// `peak` during the first `length` of every `every`, `base` otherwise.
    Burst {
        /// Rate outside bursts [1/s].
        base: f64,
        /// Rate during bursts [1/s].
        peak: f64,
        /// Burst period \[ns\] (> 0).
        every: SimTime,
        /// Burst length \[ns\] (<= `every`).
        length: SimTime,
        /// When the first burst begins \[ns\] (0: at t = 0).
        start: SimTime,
    },
    /// Linear ramp: the rate goes linearly from `from` at t = 0 to `to` at
    /// t = `over`, then stays at `to` (a Poisson process at `to`).
    Ramp {
        /// Rate at t = 0 [1/s].
        from: f64,
        /// Rate from t = `over` on [1/s].
        to: f64,
        /// Length of the ramp \[ns\] (> 0).
        over: SimTime,
    },
    /// Piecewise-constant Poisson rate: `(start time [ns], rate [1/s])`,
    /// sorted by time; the rate before the first step is 0.
    Steps(Vec<(SimTime, f64)>),
    /// Replay of a trace file's timestamps (`trace(path=...)`). Its rows
    /// are read by the workload's [`trace::TraceReader`], not here: for
    /// this process [`Arrival::next_after`] is `None` and the rates are 0.
    Trace(std::sync::Arc<trace::TraceSpec>),
}

impl Arrival {
    /// A diurnal process with this mean and peak (`peak >= mean >= 0`) and
    /// period (> 0).
    pub fn diurnal(mean: f64, peak: f64, period: SimTime) -> Arrival {
        Arrival::diurnal_offset(mean, peak, period, 0)
    }

    /// A diurnal process whose rate at t is [`Arrival::diurnal`]'s at
    /// `t + offset` \[ns\] (taken modulo the period).
    pub fn diurnal_offset(mean: f64, peak: f64, period: SimTime, offset: SimTime) -> Arrival {
        Arrival::Diurnal {
            mean,
            peak,
            period,
            offset: offset % period.max(1),
            shape: Shape::new(mean, peak, period),
        }
    }

    /// The same process when t = 0 is `start` \[ns\] after midnight
    /// (`[simulation] start`): a diurnal's phase moves on by `start`, so that
    /// with a 24 h period and no offset its trough is at midnight. Other
    /// processes are measured from t = 0 and do not change.
    pub fn at_clock(&self, start: SimTime) -> Arrival {
        match *self {
            Arrival::Diurnal {
                mean,
                peak,
                period,
                offset,
                ..
            } => {
                let p = period.max(1);
                Arrival::diurnal_offset(mean, peak, period, offset % p + start % p)
            }
            ref other => other.clone(),
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
                ..
            } => Arrival::diurnal_offset(mean * k, peak * k, *period, *offset),
            Arrival::Burst {
                base,
                peak,
                every,
                length,
                start,
            } => Arrival::Burst {
                base: base * k,
                peak: peak * k,
                every: *every,
                length: *length,
                start: *start,
            },
            Arrival::Ramp { from, to, over } => Arrival::Ramp {
                from: from * k,
                to: to * k,
                over: *over,
            },
            Arrival::Steps(s) => Arrival::Steps(s.iter().map(|&(t, r)| (t, r * k)).collect()),
            Arrival::Trace(t) => Arrival::Trace(std::sync::Arc::new(trace::TraceSpec {
                scale: t.scale * k,
                ..(**t).clone()
            })),
        }
    }

    /// The highest rate the process ever has [1/s].
    pub fn peak_rate(&self) -> f64 {
        match self {
            Arrival::Poisson { rate } | Arrival::Constant { rate } => *rate,
            Arrival::Diurnal { peak, .. } => *peak,
            Arrival::Burst { base, peak, .. } => base.max(*peak),
            Arrival::Ramp { from, to, .. } => from.max(*to),
            Arrival::Steps(s) => s.iter().map(|&(_, r)| r).fold(0.0, f64::max),
            Arrival::Trace(_) => 0.0,
        }
    }

    /// The instantaneous rate at time `t` [1/s].
    pub fn rate_at(&self, t: SimTime) -> f64 {
        match self {
            Arrival::Poisson { rate } | Arrival::Constant { rate } => *rate,
            Arrival::Diurnal { shape, offset, .. } => shape.rate_at(t.saturating_add(*offset)),
            Arrival::Burst {
                base,
                peak,
                every,
                length,
                start,
            } => piecewise::burst_rate((*base, *peak, *every, *length, *start), t),
            Arrival::Ramp { from, to, over } => ramp::ramp_rate((*from, *to, *over), t),
            Arrival::Steps(s) => s
                .iter()
                .take_while(|(start, _)| *start <= t)
                .last()
                .map_or(0.0, |&(_, r)| r),
            Arrival::Trace(_) => 0.0,
        }
    }

    /// Expected number of arrivals in `[0, t)` (the integrated rate, in
    /// closed form; for `constant`, the lattice points in `(0, t)` rounded
    /// down). Used by tests and reports, not on the hot path.
    pub fn expected_count(&self, t: SimTime) -> f64 {
        match self {
            Arrival::Poisson { rate } => rate * ns_to_secs(t),
            Arrival::Constant { rate } => (rate * ns_to_secs(t)).floor(),
            Arrival::Diurnal { shape, offset, .. } => {
                (shape.expected_count(t.saturating_add(*offset)) - shape.expected_count(*offset))
                    .max(0.0)
            }
            Arrival::Burst {
                base,
                peak,
                every,
                length,
                start,
            } => piecewise::burst_expected((*base, *peak, *every, *length, *start), t),
            Arrival::Ramp { from, to, over } => ramp::ramp_expected((*from, *to, *over), t),
            Arrival::Steps(s) => piecewise::steps_expected(s, t),
            Arrival::Trace(_) => 0.0,
        }
    }

    /// The time of the next arrival strictly after `now` and at most `end`
    /// (the end of the simulation), or `None` if there is none by then.
    /// The work is bounded whatever the process and `end`.
    #[inline(always)]
    pub fn next_after(&self, now: SimTime, end: SimTime, rng: &mut SimRng) -> Option<SimTime> {
        if let Arrival::Constant { rate } = self {
            return Self::next_constant(*rate, now, end);
        }
        // One Exp(1) draw for every random process (one inlined sampler
        // keeps this small enough to inline into the caller).
        let e: f64 = rng.sample(rand_distr::Exp1);
        match self {
            Arrival::Poisson { rate } => {
                if *rate <= 0.0 {
                    return None;
                }
                let t = now.saturating_add(secs_to_ns(e / rate).max(1));
                (t <= end).then_some(t)
            }
            Arrival::Constant { rate } => Self::next_constant(*rate, now, end),
            // In the shape's frame, `offset` later, and back.
            Arrival::Diurnal { shape, offset, .. } => shape
                .next_after(now.saturating_add(*offset), end.saturating_add(*offset), e)
                .map(|t| t - offset),
            Arrival::Burst {
                base,
                peak,
                every,
                length,
                start,
            } => piecewise::burst_next((*base, *peak, *every, *length, *start), now, end, e),
            Arrival::Ramp { from, to, over } => ramp::ramp_next((*from, *to, *over), now, end, e),
            Arrival::Steps(s) => piecewise::steps_next(s, now, end, e),
            Arrival::Trace(_) => None,
        }
    }

    /// Arrivals on the lattice k / rate, k = 1, 2, ...; computed from k so
    /// rounding does not drift over long runs.
    fn next_constant(rate: f64, now: SimTime, end: SimTime) -> Option<SimTime> {
        if rate <= 0.0 {
            return None;
        }
        let period = 1e9 / rate;
        let k = (now as f64 / period).floor() + 1.0;
        let mut t = (k * period).round() as SimTime;
        if t <= now {
            t = ((k + 1.0) * period).round() as SimTime;
        }
        (t <= end).then_some(t)
    }
}

#[cfg(test)]
mod tests;
