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
        },
        Arrival::Burst {
            base: 0.0,
            peak: 0.1,
            every: 1,
            length: 1,
        },
        Arrival::Burst {
            base: 0.0,
            peak: 1_000.0,
            every: 600 * SECONDS,
            length: SECONDS,
        },
        Arrival::Burst {
            base: 3.0,
            peak: 0.0,
            every: 7 * MICROS,
            length: 3 * MICROS,
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
    };
    assert_eq!(b.next_after(0, u64::MAX, &mut rng), None);
}
