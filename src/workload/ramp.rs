//! A linear ramp: the rate goes linearly from `from` to `to` over `[0,
//! over)`, then stays at `to`. Sampled exactly by inverting the integrated
//! rate, a quadratic inside the ramp (solved in the form without
//! cancellation, `d = 2 need / (r0 + sqrt(r0^2 + 2 k need))`), then a
//! Poisson process at `to`: a constant amount of work per arrival.

use crate::engine::{ns_to_secs, secs_to_ns, SimTime};

/// `(from [1/s], to [1/s], over [ns])`, `over > 0`.
pub type Ramp = (f64, f64, SimTime);

/// The rate at time `t` [1/s].
pub fn ramp_rate((from, to, over): Ramp, t: SimTime) -> f64 {
    if t >= over {
        to
    } else {
        from + (to - from) * (t as f64 / over as f64)
    }
}

/// Expected arrivals in `[0, t)`: the mean of the end rates times the
/// length, inside the ramp and after it.
pub fn ramp_expected((from, to, over): Ramp, t: SimTime) -> f64 {
    let inside = t.min(over);
    let r = ramp_rate((from, to, over), inside);
    0.5 * (from + r) * ns_to_secs(inside) + to * ns_to_secs(t - inside)
}

/// The first arrival after `now` where the integrated rate from `now`
/// reaches `e` (an Exp(1) draw), or `None` if it is after `end`.
pub fn ramp_next((from, to, over): Ramp, now: SimTime, end: SimTime, e: f64) -> Option<SimTime> {
    let by = |t: SimTime| (t <= end).then_some(t);
    let mut need = e;
    let mut t = now;
    if now < over {
        let room = ns_to_secs(over - now);
        let r0 = ramp_rate((from, to, over), now);
        let mass = 0.5 * (r0 + to) * room;
        if mass > 0.0 && need <= mass {
            // Slope [1/s^2]; the root of r0 d + k d^2 / 2 = need in
            // [0, room]: it exists since the rate stays >= 0 on the ramp.
            let k = (to - from) / ns_to_secs(over);
            let disc = (r0 * r0 + 2.0 * k * need).max(0.0);
            let den = r0 + disc.sqrt();
            let d = if den > 0.0 {
                (2.0 * need / den).clamp(0.0, room)
            } else {
                0.0
            };
            return by(now.saturating_add(secs_to_ns(d).max(1)).min(over));
        }
        need -= mass.max(0.0);
        if over > end {
            return None;
        }
        t = over;
    }
    // After the ramp: Poisson at `to`.
    if to.is_nan() || to <= 0.0 {
        return None;
    }
    by(t.saturating_add(secs_to_ns(need / to).max(1)))
}
