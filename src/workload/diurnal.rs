//! The diurnal (sinusoidal) rate and its exact sampling by inversion of the
//! integrated rate.
//!
//! Time within a period is measured as a phase `phi = 2 pi (t mod P) / P - pi`
//! in `[-pi, pi)`, so the trough is at `t = 0` (`phi = -pi`) and the peak at
//! `t = P / 2` (`phi = 0`). The rate is
//!
//! ```text
//! rate(phi) = max(0, c + A cos phi),   c + A = peak
//! ```
//!
//! positive on the window `|phi| < half` (`half = pi` when it never reaches
//! zero). Two forms keep every quantity free of cancellation, from a peak of
//! exactly the mean up to a peak 1e100 times the mean:
//!
//! * the rate: `base + 2A sin((half + phi) / 2) sin((half - phi) / 2)`, where
//!   `base = c - A >= 0` when the rate never reaches zero (`half = pi`) and
//!   `base = 0` otherwise (then `c = -A cos half`);
//! * its integral over `[x, x + d]` inside the window:
//!   `d (rate(m) - A cos(m) (1 - sin(h) / h))` with `m = x + d / 2`, `h = d / 2`.
//!
//! The next arrival after `now` is where the integrated rate from `now` reaches
//! an Exp(1) draw: the rest of the current period is tried first (a
//! second-order Taylor step with an error bound, else a safeguarded Newton
//! search), then whole periods are skipped by division, then the last period
//! is searched. Each step is bounded, whatever the rate and period.

use std::f64::consts::PI;

use crate::engine::SimTime;

/// Maximum iterations of the safeguarded Newton search. Bisection alone
/// shrinks the bracket (at most 2 pi) below 1e-15 rad in 53 steps.
const MAX_ITER: usize = 64;

/// Smallest half-width of the rate's window \[rad\]: keeps `A` finite when the
/// mean is a vanishing fraction of the peak (below about 1e-100 of it the
/// process keeps that floor's mean, 2e-101 x peak).
const MIN_HALF: f64 = 1e-100;

/// The derived shape of a diurnal rate (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shape {
    /// Half-width of the window where the rate is positive \[rad\]; pi when the
    /// rate is positive throughout.
    half: f64,
    /// Amplitude `A` [1/s].
    amp: f64,
    /// `c - A` [1/s]: the trough rate when `half = pi`, else 0.
    base: f64,
    /// Integrated rate over one period [1/s x rad].
    per_period: f64,
    /// Period \[ns\].
    period: SimTime,
    /// Phase per nanosecond [rad/ns].
    rad_per_ns: f64,
    /// Nanoseconds per radian of phase.
    ns_per_rad: f64,
    /// Tolerance of the root search \[rad\]: 0.01 ns, or 1e-15 rad when that
    /// is below what a phase near pi can resolve.
    tol: f64,
}

impl Shape {
    /// The shape with this mean and peak [1/s] (`peak >= mean >= 0`) and
    /// period \[ns\] (> 0).
    pub fn new(mean: f64, peak: f64, period: SimTime) -> Shape {
        let period = period.max(1);
        let rad_per_ns = 2.0 * PI / period as f64;
        let (half, amp, base) = if !(mean > 0.0 && peak > 0.0) {
            (PI, 0.0, 0.0)
        } else if peak <= 2.0 * mean {
            (PI, peak - mean, 2.0 * mean - peak)
        } else {
            let half = clamped_half_width(mean / peak);
            (half, peak / (2.0 * (0.5 * half).sin().powi(2)), 0.0)
        };
        let mut s = Shape {
            half,
            amp,
            base,
            per_period: 0.0,
            period,
            rad_per_ns,
            ns_per_rad: period as f64 / (2.0 * PI),
            tol: (0.01 * rad_per_ns).max(1e-15),
        };
        s.per_period = s.integral(-half, 2.0 * half);
        s
    }

    /// The mean rate the shape actually has [1/s].
    pub fn mean(&self) -> f64 {
        self.per_period / (2.0 * PI)
    }

    /// Phase of time `t` in `[-pi, pi)`.
    #[inline]
    fn phase(&self, t: SimTime) -> f64 {
        (t % self.period) as f64 * self.rad_per_ns - PI
    }

    /// The rate at phase `phi` [1/s].
    #[inline]
    fn rate(&self, phi: f64) -> f64 {
        let s = (0.5 * (self.half + phi)).sin() * (0.5 * (self.half - phi)).sin();
        (self.base + 2.0 * self.amp * s).max(0.0)
    }

    /// The rate at time `t` [1/s].
    pub fn rate_at(&self, t: SimTime) -> f64 {
        self.rate(self.phase(t))
    }

    /// Integrated rate over `[x, x + d]`, inside the window [1/s x rad].
    #[inline]
    fn integral(&self, x: f64, d: f64) -> f64 {
        let h = 0.5 * d;
        let m = x + h;
        (d * (self.rate(m) - self.amp * m.cos() * one_minus_sinc(h))).max(0.0)
    }

    /// Expected arrivals in `[0, t)`.
    pub fn expected_count(&self, t: SimTime) -> f64 {
        let whole = (t / self.period) as f64 * self.per_period;
        let phi = self.phase(t).min(self.half);
        let part = if phi > -self.half {
            self.integral(-self.half, phi + self.half)
        } else {
            0.0
        };
        (whole + part) / (self.rad_per_ns * 1e9)
    }

    /// The first arrival after `now` at which the integrated rate from `now`
    /// reaches `e` (an Exp(1) draw), or `None` if it is after `end`.
    #[inline]
    pub fn next_after(&self, now: SimTime, end: SimTime, e: f64) -> Option<SimTime> {
        if self.per_period.is_nan() || self.per_period <= 0.0 {
            return None;
        }
        let into = now % self.period;
        let phi0 = into as f64 * self.rad_per_ns - PI;
        // Integrated rate to cover [1/s x rad].
        let mut need = e * self.rad_per_ns * 1e9;
        if phi0 < self.half {
            let x = phi0.max(-self.half);
            let room = self.half - x;
            let dark = x - phi0; // phase skipped at rate zero before the window
            if let Some(d) = self.taylor_step(x, room, need) {
                return self.after(now, dark + d, end);
            }
            let rest = self.integral(x, room);
            if need < rest {
                let d = self.solve(x, room, need);
                return self.after(now, dark + d, end);
            }
            need -= rest;
        }
        // Whole periods, then the period in which the arrival falls.
        let next = (now - into).checked_add(self.period)?;
        if next > end {
            return None;
        }
        let skip = (need / self.per_period).floor();
        let periods_left = (end - next) / self.period;
        if skip.is_nan() || skip > periods_left as f64 {
            return None;
        }
        let need = (need - skip * self.per_period).clamp(0.0, self.per_period);
        let start = next.saturating_add((skip as u64).saturating_mul(self.period));
        let d = self.solve(-self.half, 2.0 * self.half, need);
        let t = start.saturating_add(to_ns((PI - self.half + d) * self.ns_per_rad));
        (t <= end).then_some(t)
    }

    /// `now` plus `dphi` of phase, at least 1 ns later; `None` past `end`.
    #[inline]
    fn after(&self, now: SimTime, dphi: f64, end: SimTime) -> Option<SimTime> {
        let t = now.saturating_add(to_ns(dphi * self.ns_per_rad).max(1));
        (t <= end).then_some(t)
    }

    /// The common case, when arrivals are frequent compared with the
    /// period: the root `d` of `r0 d + r0' d^2 / 2 = need` (Taylor to second
    /// order at `x`), accepted only when the third-order error provably moves
    /// the true root by at most `tol` and the root stays within `room`.
    ///
    /// The bound: `|rate''| <= A`, so the integral differs from its Taylor
    /// polynomial by at most `A d^3 / 6`; if the rate stays above `r0 / 2`
    /// on `[0, d + tol]` (it does when `A (d + tol) <= r0 / 2`, since
    /// `|rate'| <= A`), the true root is within `A d^3 / (3 r0)` of `d`.
    #[inline]
    fn taylor_step(&self, x: f64, room: f64, need: f64) -> Option<f64> {
        let (r0, slope) = if self.half == PI {
            // base + 2A cos^2(x/2); rate' = -A sin x = -2A sin(x/2) cos(x/2).
            let (s, c) = (0.5 * x).sin_cos();
            (self.base + 2.0 * self.amp * c * c, -2.0 * self.amp * s * c)
        } else {
            (self.rate(x), -self.amp * x.sin())
        };
        let disc = r0 * r0 + 2.0 * slope * need;
        if !(r0 > 0.0 && disc >= 0.0) {
            return None;
        }
        let d = 2.0 * need / (r0 + disc.sqrt());
        let a = self.amp;
        let ok = a * (d + self.tol) <= 0.5 * r0
            && a * d * d * d <= 3.0 * r0 * self.tol
            && d + self.tol < room;
        ok.then_some(d)
    }

    /// The `d` in `[0, room]` with `integral(x, d) = need`: Newton steps
    /// inside a shrinking bracket, bisection when a step leaves it; at most
    /// `MAX_ITER` iterations.
    fn solve(&self, x: f64, room: f64, need: f64) -> f64 {
        let (mut lo, mut hi) = (0.0, room);
        // First guess: the second-order Taylor root, else the middle.
        let r0 = self.rate(x);
        let slope = -self.amp * x.sin();
        let disc = r0 * r0 + 2.0 * slope * need;
        let guess = 2.0 * need / (r0 + disc.max(0.0).sqrt());
        let mut d = if guess > 0.0 && guess < room {
            guess
        } else {
            0.5 * room
        };
        for _ in 0..MAX_ITER {
            let f = self.integral(x, d) - need;
            if f > 0.0 {
                hi = d;
            } else if f < 0.0 {
                lo = d;
            } else {
                return d;
            }
            let step = f / self.rate(x + d);
            let next = d - step;
            if next > lo && next < hi {
                d = next;
                if step.abs() <= self.tol {
                    return d;
                }
            } else {
                d = 0.5 * (lo + hi);
            }
            if hi - lo <= self.tol {
                return d;
            }
        }
        d
    }
}

/// Rounds a non-negative span in ns to an integer, saturating.
#[inline]
fn to_ns(x: f64) -> u64 {
    // `as` saturates (and maps NaN to 0); `+ 0.5` rounds half up.
    (x + 0.5) as u64
}

/// `1 - sin(h) / h` for `h >= 0`, without cancellation for small `h`.
#[inline]
fn one_minus_sinc(h: f64) -> f64 {
    if h < 0.5 {
        // Taylor series: h^2/3! - h^4/5! + ...; the first omitted term is
        // below 1e-17 of the sum.
        let z = h * h;
        z * (1.0 / 6.0
            - z * (1.0 / 120.0
                - z * (1.0 / 5040.0
                    - z * (1.0 / 362_880.0
                        - z * (1.0 / 39_916_800.0
                            - z * (1.0 / 6_227_020_800.0 - z / 1_307_674_368_000.0))))))
    } else {
        1.0 - h.sin() / h
    }
}

/// Half-width of the window of a clamped sinusoid whose mean is `ratio`
/// (< 1/2) times its peak. With `A = peak / (1 - cos half)` the mean over a
/// period is `peak * half * (1 - (1 - sinc half) / (1 - cos half)) / pi`,
/// which grows with `half` (from 0 to 1/2 at `half = pi`); bisection on a
/// log scale finds it to full precision from 1e-100 up.
fn clamped_half_width(ratio: f64) -> f64 {
    let mean_ratio = |h: f64| {
        let one_minus_cos = 2.0 * (0.5 * h).sin().powi(2);
        h * (1.0 - one_minus_sinc(h) / one_minus_cos) / PI
    };
    let (mut lo, mut hi) = (MIN_HALF, PI);
    if mean_ratio(lo) >= ratio {
        return lo;
    }
    for _ in 0..200 {
        let mid = (lo * hi).sqrt();
        if mid <= lo || mid >= hi {
            break;
        }
        if mean_ratio(mid) < ratio {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}
