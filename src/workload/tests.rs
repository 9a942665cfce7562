use super::*;
use crate::engine::{stream, MICROS, MILLIS, SECONDS};

const HOUR: SimTime = 3600 * SECONDS;
const DAY: SimTime = 24 * HOUR;

/// Arrival times in `(0, end]`, starting from 0.
fn arrivals(a: &Arrival, end: SimTime, seed: u64) -> Vec<SimTime> {
    let mut rng = stream(seed, "arrivals", "");
    let mut t = 0;
    let mut out = Vec::new();
    while let Some(next) = a.next_after(t, end, &mut rng) {
        assert!(
            next > t && next <= end,
            "{a:?}: {next} after {t}, end {end}"
        );
        t = next;
        out.push(t);
    }
    out
}

fn count(a: &Arrival, end: SimTime, seed: u64) -> u64 {
    arrivals(a, end, seed).len() as u64
}

/// Poisson counts: mean = variance = expected; allow 5 sd.
fn assert_poisson_count(a: &Arrival, end: SimTime) {
    let n = count(a, end, 11) as f64;
    let want = a.expected_count(end);
    assert!(
        (n - want).abs() <= 5.0 * want.sqrt(),
        "{a:?}: {n} arrivals, expected {want}"
    );
}

#[test]
fn counts_match_the_integrated_rate() {
    let h = HOUR;
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
            start: 0,
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

/// Periods from 1 ns to decades, rates from a narrow daily peak to a
/// fraction of an arrival per period: counts still match, and each call
/// returns (bounded work; a regression hangs here).
#[test]
fn counts_match_for_extreme_periods_and_shapes() {
    let cases = [
        // A period of 1 ns: about 1e9 periods per second.
        Arrival::diurnal(50.0, 5_000.0, 1),
        Arrival::diurnal(50.0, 70.0, 1),
        Arrival::diurnal(50.0, 100.0, 7),
        // A narrow peak: the rate is zero for ~99.5 % of each period.
        Arrival::diurnal(1.0, 1_000.0, HOUR),
        Arrival::diurnal(0.5, 1e6, 10 * SECONDS),
        // Peak of exactly twice the mean: zero only at the trough.
        Arrival::diurnal(20.0, 40.0, 600 * SECONDS),
        // Constant rate written as a diurnal.
        Arrival::diurnal(20.0, 20.0, 600 * SECONDS),
        // Far fewer arrivals than periods.
        Arrival::diurnal(0.01, 100.0, 1_000),
        // Periods far longer than the run.
        Arrival::diurnal(100.0, 150.0, 1_000_000_000 * SECONDS),
        Arrival::diurnal(100.0, 300.0, 36_500 * DAY),
        // Bursts with tiny periods, and with most periods quiet.
        Arrival::Burst {
            base: 10.0,
            peak: 30.0,
            every: 2,
            length: 1,
            start: 0,
        },
        Arrival::Burst {
            base: 0.0,
            peak: 0.1,
            every: 1,
            length: 1,
            start: 0,
        },
        Arrival::Burst {
            base: 0.0,
            peak: 1_000.0,
            every: 600 * SECONDS,
            length: SECONDS,
            start: 0,
        },
        Arrival::Burst {
            base: 3.0,
            peak: 0.0,
            every: 7 * MICROS,
            length: 3 * MICROS,
            start: 0,
        },
    ];
    for a in &cases {
        assert_poisson_count(a, 10 * HOUR);
    }
    // The daily example of the issue, in a 10 s run: no arrival at all
    // (the first hours have a rate of about zero), and an immediate answer.
    let a = Arrival::diurnal(100.0, 100_000.0, DAY);
    assert!(a.expected_count(10 * SECONDS) < 1e-6);
    assert_eq!(count(&a, 10 * SECONDS, 1), 0);
    // Over a whole day it keeps its mean (8.64e6 arrivals: check the
    // integrated rate only).
    assert!((a.expected_count(DAY) / 86_400.0 - 100.0).abs() < 1e-6);
}

#[test]
fn steps_stop_at_the_end() {
    // Steps far past the end: no arrival, without walking to the step.
    let far = Arrival::Steps(vec![(0, 0.0), (1_000 * DAY, 1e6)]);
    assert_eq!(count(&far, 10 * SECONDS, 1), 0);
    // Many short steps; the count matches.
    let many: Vec<(SimTime, f64)> = (0..10_000u64)
        .map(|i| (i * 100 * MILLIS, if i % 2 == 0 { 0.0 } else { 40.0 }))
        .collect();
    assert_poisson_count(&Arrival::Steps(many), 1000 * SECONDS);
}

/// The horizon is inclusive and nothing is returned past it.
#[test]
fn arrivals_stop_at_the_end() {
    let end = 10 * SECONDS;
    for a in [
        Arrival::Poisson { rate: 1e3 },
        Arrival::Constant { rate: 4.0 },
        Arrival::diurnal(1e3, 3e3, SECONDS),
        Arrival::Burst {
            base: 1e3,
            peak: 2e3,
            every: SECONDS,
            length: MILLIS,
            start: 0,
        },
        Arrival::Steps(vec![(0, 1e3)]),
    ] {
        let v = arrivals(&a, end, 3);
        assert!(v.last().is_some_and(|&t| t <= end && t > end - SECONDS));
    }
    let c = arrivals(&Arrival::Constant { rate: 4.0 }, end, 1);
    assert_eq!(c.len(), 40, "the lattice point at the end is included");
    assert_eq!(c.last(), Some(&end));
}

/// Arrival times within the period follow the rate: per-bin counts (of the
/// phase of each arrival) against the integrated rate over the bin, each
/// within 5 binomial sd, and a chi-square statistic within 5 sd of its
/// mean; bins where the rate is zero get no arrival.
#[test]
fn diurnal_arrival_times_follow_the_rate_within_the_period() {
    for (mean, peak, period, bins) in [
        (20.0, 35.0, 600 * SECONDS, 40),
        (20.0, 60.0, 600 * SECONDS, 40),
        // The rate is positive for 1.5 % of the period: 60 of the bins.
        (20.0, 2_000.0, 600 * SECONDS, 4_000),
        // A million arrivals per period: mostly the second-order step.
        (1_000.0, 1_800.0, 1_000 * SECONDS, 40),
        (1_000.0, 3_000.0, 1_000 * SECONDS, 40),
        // A period of 1 ms: about 0.2 arrivals per period.
        (200.0, 600.0, MILLIS, 40),
    ] {
        let a = Arrival::diurnal(mean, peak, period);
        // About 200,000 arrivals.
        let periods = (2e5 / (mean * ns_to_secs(period))).ceil() as u64;
        let v = arrivals(&a, periods * period, 5);
        let width = period / bins;
        assert_eq!(width * bins, period);
        let mut seen = vec![0u64; bins as usize];
        for t in &v {
            seen[((t % period) / width).min(bins - 1) as usize] += 1;
        }
        let n = v.len() as f64;
        let want = a.expected_count(periods * period);
        assert!(
            (n - want).abs() <= 5.0 * want.sqrt(),
            "{a:?}: {n} arrivals, expected {want}"
        );
        let total = a.expected_count(period);
        let (mut chi2, mut df) = (0.0f64, -1.0f64);
        for (i, &k) in seen.iter().enumerate() {
            let i = i as u64;
            let p = (a.expected_count((i + 1) * width) - a.expected_count(i * width)) / total;
            let k = k as f64;
            if p == 0.0 {
                assert_eq!(k, 0.0, "{a:?}: arrivals in bin {i} where the rate is 0");
                continue;
            }
            let sd = (n * p * (1.0 - p)).sqrt();
            assert!(
                (k - n * p).abs() <= 5.0 * sd + 1.0,
                "{a:?}: bin {i}: {k} arrivals, expected {}",
                n * p
            );
            if n * p >= 5.0 {
                chi2 += (k - n * p).powi(2) / (n * p);
                df += 1.0;
            }
        }
        assert!(df >= 10.0, "{a:?}: {df} df");
        let limit = df + 5.0 * (2.0 * df).sqrt();
        assert!(chi2 <= limit, "{a:?}: chi-square {chi2} on {df} df");
    }
}

/// The closed-form integral against the midpoint rule on `rate_at`.
#[test]
fn diurnal_integral_matches_numeric_integration() {
    for (mean, peak) in [
        (20.0, 20.0),
        (20.0, 35.0),
        (20.0, 40.0),
        (20.0, 60.0),
        (1.0, 50.0),
    ] {
        // Left Riemann sums over 1 ns steps: off by at most about one step
        // of the peak rate.
        let period = 100_000;
        let a = Arrival::diurnal(mean, peak, period);
        for upto in [
            period / 7,
            period / 2,
            3 * period / 4,
            period,
            5 * period / 2,
        ] {
            let numeric: f64 = (0..upto).map(|t| a.rate_at(t)).sum::<f64>() * 1e-9;
            let closed = a.expected_count(upto);
            assert!(
                (numeric - closed).abs() <= 1e-9 * peak + 1e-9 * closed,
                "{mean}/{peak} to {upto}: {numeric} vs {closed}"
            );
        }
    }
}

#[test]
fn diurnal_keeps_its_mean_and_peak() {
    let day = DAY;
    for (mean, peak) in [
        (200.0, 300.0),
        (200.0, 400.0),
        (200.0, 600.0),
        (1.0, 50.0),
        (1.0, 1e6),
        (1e-60, 1.0),
    ] {
        let a = Arrival::diurnal(mean, peak, day);
        let got_mean = a.expected_count(day) / 86_400.0;
        assert!(
            (got_mean - mean).abs() < 1e-9 * mean,
            "{mean}/{peak}: mean {got_mean}"
        );
        assert!(
            (a.rate_at(day / 2) - peak).abs() < 1e-9 * peak,
            "{mean}/{peak}"
        );
        assert!(a.rate_at(0) >= 0.0);
        assert!(a.rate_at(0) <= a.rate_at(day / 4));
    }
    // Zero mean: no arrival.
    let mut rng = stream(1, "z", "");
    assert_eq!(
        Arrival::diurnal(0.0, 0.0, day).next_after(0, day, &mut rng),
        None
    );
}

#[test]
fn constant_is_a_lattice() {
    let a = Arrival::Constant { rate: 4.0 };
    let mut rng = stream(1, "c", "");
    let t1 = a.next_after(0, u64::MAX, &mut rng).unwrap();
    let t2 = a.next_after(t1, u64::MAX, &mut rng).unwrap();
    assert_eq!(t1, SECONDS / 4);
    assert_eq!(t2, SECONDS / 2);
    assert_eq!(count(&a, 10 * SECONDS - 1, 1), 39);
}

#[test]
fn zero_rate_ends_the_process() {
    let mut rng = stream(1, "z", "");
    assert_eq!(
        Arrival::Poisson { rate: 0.0 }.next_after(0, u64::MAX, &mut rng),
        None
    );
    let s = Arrival::Steps(vec![(0, 100.0), (SECONDS, 0.0)]);
    let n = count(&s, u64::MAX, 2) as f64;
    assert!((n - 100.0).abs() <= 50.0);
    let b = Arrival::Burst {
        base: 0.0,
        peak: 0.0,
        every: 1,
        length: 1,
        start: 0,
    };
    assert_eq!(b.next_after(0, u64::MAX, &mut rng), None);
}

/// Arrivals in `[a, b)` of one sample.
fn in_window(v: &[SimTime], a: SimTime, b: SimTime) -> f64 {
    v.iter().filter(|&&t| t >= a && t < b).count() as f64
}

/// A Poisson count against its mean: within 5 sd.
fn assert_near(n: f64, want: f64, what: &str) {
    assert!(
        (n - want).abs() <= 5.0 * want.sqrt(),
        "{what}: {n} arrivals, expected {want}"
    );
}

/// The integrated rate over `[a, b)` by the midpoint rule on `rate_at`
/// with `steps` pieces: independent of the closed forms.
fn numeric(a: &Arrival, lo: SimTime, hi: SimTime, steps: u64) -> f64 {
    let w = (hi - lo) as f64 / steps as f64;
    (0..steps)
        .map(|i| a.rate_at(lo + ((i as f64 + 0.5) * w) as u64))
        .sum::<f64>()
        * w
        * 1e-9
}

#[test]
fn ramp_counts_match_its_integrated_rate() {
    let over = 600 * SECONDS;
    let a = Arrival::Ramp {
        from: 10.0,
        to: 500.0,
        over,
    };
    // (from + to) / 2 x over, then `to` x over.
    assert!((a.expected_count(over) - 255.0 * 600.0).abs() < 1e-6);
    assert!((a.expected_count(2 * over) - 255.0 * 600.0 - 500.0 * 600.0).abs() < 1e-6);
    let v = arrivals(&a, 2 * over, 21);
    assert_near(in_window(&v, 0, over), 255.0 * 600.0, "ramp");
    assert_near(
        in_window(&v, over, 2 * over + 1),
        500.0 * 600.0,
        "after the ramp",
    );
    // Within the ramp: ten bins, each against the integrated rate (which
    // grows bin after bin).
    for i in 0..10 {
        let (lo, hi) = (i * over / 10, (i + 1) * over / 10);
        let want = numeric(&a, lo, hi, 1000);
        assert!((want - (a.expected_count(hi) - a.expected_count(lo))).abs() < 1e-6 * want);
        assert_near(in_window(&v, lo, hi), want, &format!("ramp bin {i}"));
    }
}

/// From 0, flat, down (to zero: then the process ends), a 1 ns ramp, a
/// ramp far longer than the run, rates at the limits: counts match,
/// every call returns, no time is NaN or past the end.
#[test]
fn ramp_edge_cases() {
    let m = 60 * SECONDS;
    let cases = [
        (0.0, 50.0, 10 * m),
        (50.0, 0.0, 10 * m),
        (20.0, 20.0, 10 * m),
        (0.0, 100.0, 1),
        (100.0, 0.0, 1),
        (0.0, 1e6, 366 * DAY),
        (1e-6, 1e5, 30 * SECONDS),
        (1e5, 1e-6, 30 * SECONDS),
        (0.0, 1e-6, 10 * m),
    ];
    for (from, to, over) in cases {
        let a = Arrival::Ramp { from, to, over };
        let end = HOUR.min(over + 10 * SECONDS);
        let v = arrivals(&a, end, 4);
        assert_near(v.len() as f64, a.expected_count(end), &format!("{a:?}"));
        // Monotone integrated rate, exact at the corners.
        assert_eq!(a.expected_count(0), 0.0);
        assert!(a.rate_at(over) == to && a.rate_at(0) == from);
    }
    // Down to zero: nothing after the ramp.
    let down = Arrival::Ramp {
        from: 100.0,
        to: 0.0,
        over: 10 * SECONDS,
    };
    let v = arrivals(&down, u64::MAX, 5);
    assert!(v.iter().all(|&t| t <= 10 * SECONDS));
    assert_near(v.len() as f64, 500.0, "down to zero");
    // A zero draw (e = 0) at the start of a ramp from 0 stays finite.
    let up = (0.0, 10.0, SECONDS);
    assert_eq!(ramp::ramp_next(up, 0, HOUR, 0.0), Some(1));
    assert!(ramp::ramp_next(up, 0, HOUR, 1e-300).is_some());
}

#[test]
fn diurnal_offset_shifts_the_shape() {
    let (mean, peak) = (20.0, 60.0);
    let base = Arrival::diurnal(mean, peak, HOUR);
    // Half a period: the run starts at the peak.
    let half = Arrival::diurnal_offset(mean, peak, HOUR, HOUR / 2);
    assert!((half.rate_at(0) - peak).abs() < 1e-9 * peak);
    assert!(half.rate_at(HOUR / 2) < 1e-9);
    let v = arrivals(&half, 2 * HOUR, 8);
    // The first 10 minutes, near the peak, against the unshifted shape's
    // integrated rate over [30 m, 40 m) (numerically): far above the
    // unshifted run's first 10 minutes.
    let w = 600 * SECONDS;
    let want = numeric(&base, HOUR / 2, HOUR / 2 + w, 10_000);
    assert!(want > 10.0 * base.expected_count(w));
    assert_near(in_window(&v, 0, w), want, "offset = period / 2");
    // Any offset: windows match the shifted integrated rate.
    for off in [1, HOUR / 7, HOUR / 2, HOUR - 1] {
        let a = Arrival::diurnal_offset(mean, peak, HOUR, off);
        let v = arrivals(&a, 3 * HOUR, 9);
        for k in 0..6u64 {
            let (lo, hi) = (k * HOUR / 2, (k + 1) * HOUR / 2);
            let want = numeric(&base, lo + off, hi + off, 10_000);
            let closed = a.expected_count(hi) - a.expected_count(lo);
            assert!(
                (want - closed).abs() < 1e-6 * want,
                "{off}: {want} vs {closed}"
            );
            assert_near(
                in_window(&v, lo, hi),
                want,
                &format!("offset {off}, half-hour {k}"),
            );
        }
    }
    // Scaling keeps the phase.
    assert_eq!(
        half.scaled(2.0),
        Arrival::diurnal_offset(2.0 * mean, 2.0 * peak, HOUR, HOUR / 2)
    );
}

#[test]
fn burst_start_delays_the_bursts() {
    let start = 1800 * SECONDS;
    let a = Arrival::Burst {
        base: 0.0,
        peak: 1000.0,
        every: 600 * SECONDS,
        length: 60 * SECONDS,
        start,
    };
    let v = arrivals(&a, 2 * HOUR, 12);
    // Nothing before the first burst, nothing between bursts.
    assert!(v
        .iter()
        .all(|&t| t >= start && (t - start) % (600 * SECONDS) < 60 * SECONDS + 1));
    assert_near(
        in_window(&v, start, start + 60 * SECONDS),
        60_000.0,
        "first burst",
    );
    assert_near(
        v.len() as f64,
        a.expected_count(2 * HOUR),
        "burst with start",
    );
    assert!((a.expected_count(2 * HOUR) - 9.0 * 60_000.0).abs() < 1e-6);
    // With a base: `base` before the start, bursts after; an exact start.
    let b = Arrival::Burst {
        base: 20.0,
        peak: 500.0,
        every: 600 * SECONDS,
        length: 60 * SECONDS,
        start: start + 7,
    };
    let v = arrivals(&b, 2 * HOUR, 13);
    assert_near(
        in_window(&v, 0, start + 7),
        20.0 * 1800.0,
        "base before start",
    );
    assert_near(
        in_window(&v, start + 7, start + 7 + 60 * SECONDS),
        30_000.0,
        "first burst",
    );
    for k in 0..8 {
        let (lo, hi) = (k * 900 * SECONDS, (k + 1) * 900 * SECONDS);
        let want = numeric(&b, lo, hi, 90_000);
        assert!((want - (b.expected_count(hi) - b.expected_count(lo))).abs() < 1e-3 * want);
        assert_near(in_window(&v, lo, hi), want, &format!("quarter {k}"));
    }
    assert_eq!(b.rate_at(start), 20.0);
    assert_eq!(b.rate_at(start + 7), 500.0);
    // A start after the end: base only, and an immediate answer.
    let late = Arrival::Burst {
        base: 20.0,
        peak: 500.0,
        every: 600 * SECONDS,
        length: 60 * SECONDS,
        start: 300 * DAY,
    };
    assert_near(
        count(&late, HOUR, 3) as f64,
        72_000.0,
        "start after the end",
    );
}

/// `[simulation] start` moves a diurnal's phase on by the clock time of
/// t = 0: with a 24 h period, 11:30 with no offset is the shape at
/// 11.5 h, draw for draw; start and offset add (modulo the period).
#[test]
fn clock_start_adds_to_the_phase() {
    let at = |h: f64| (h * HOUR as f64) as SimTime;
    let clock = Arrival::diurnal(200.0, 600.0, DAY).at_clock(at(11.5));
    let offset = Arrival::diurnal_offset(200.0, 600.0, DAY, at(11.5));
    assert_eq!(
        arrivals(&clock, 2 * HOUR, 3),
        arrivals(&offset, 2 * HOUR, 3)
    );
    let both = Arrival::diurnal_offset(200.0, 600.0, DAY, at(13.0)).at_clock(at(11.5));
    assert_eq!(both, Arrival::diurnal_offset(200.0, 600.0, DAY, at(0.5)));
    // 12:00 with no offset: the peak; and other processes do not move.
    let noon = Arrival::diurnal(200.0, 600.0, DAY).at_clock(at(12.0));
    assert!((noon.rate_at(0) - 600.0).abs() < 1e-9);
    let b = Arrival::Burst {
        base: 1.0,
        peak: 2.0,
        every: HOUR,
        length: 1,
        start: 5,
    };
    assert_eq!(b.at_clock(at(11.5)), b);
}
