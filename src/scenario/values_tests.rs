use super::*;
use crate::workload::Arrival;
use std::path::Path;

fn d(s: &str) -> Dist {
    dist(s, Path::new(".")).unwrap()
}

fn err(s: &str) -> String {
    let b = dist(s, Path::new(".")).unwrap_err();
    format!("{} | {}", b.message, b.hint.unwrap_or_default())
}

#[test]
fn durations_in_every_unit() {
    assert_eq!(duration("250ns").unwrap(), 250);
    assert_eq!(duration("250us").unwrap(), 250_000);
    assert_eq!(duration("15ms").unwrap(), 15_000_000);
    assert_eq!(duration("2s").unwrap(), 2_000_000_000);
    assert_eq!(duration("1.5s").unwrap(), 1_500_000_000);
    assert_eq!(duration("10m").unwrap(), 600_000_000_000);
    assert_eq!(duration("1h").unwrap(), 3_600_000_000_000);
    assert_eq!(duration("1d").unwrap(), 86_400_000_000_000);
    assert_eq!(duration("0").unwrap(), 0);
    assert_eq!(duration(" 5 ms ").unwrap(), 5_000_000);
}

/// Finding 7: `µs`/`μs`, exponents, and TOML's rule for `_`.
#[test]
fn duration_numbers_read_like_toml() {
    assert_eq!(duration("5\u{b5}s").unwrap(), 5_000); // micro sign
    assert_eq!(duration("5\u{3bc}s").unwrap(), 5_000); // Greek mu
    assert_eq!(duration("1e3s").unwrap(), 1_000_000_000_000);
    assert_eq!(duration("2.5E-3s").unwrap(), 2_500_000);
    assert_eq!(duration("1_000ms").unwrap(), 1_000_000_000);
    for bad in ["_1s", "1__0s", "1_s", "1_.5s", "1e3", "e3s"] {
        let b = duration(bad).unwrap_err();
        assert!(!b.message.is_empty(), "{bad} accepted");
    }
    assert!(duration("_1s").unwrap_err().hint.unwrap().contains("`_`"));
}

/// Finding 4: durations are 0 or 1ns ..= 366d.
#[test]
fn duration_bounds() {
    assert_eq!(duration("366d").unwrap(), 366 * 86_400 * 1_000_000_000);
    assert!(duration("367d").unwrap_err().message.contains("366 days"));
    assert!(duration("1000d").unwrap_err().message.contains("366 days"));
    assert!(duration("0.5ns").unwrap_err().message.contains("1ns"));
    assert_eq!(duration("1ns").unwrap(), 1);
}

#[test]
fn sizes() {
    assert_eq!(size_bytes("4GiB").unwrap(), 4 << 30);
    assert_eq!(size_bytes("512MB").unwrap(), 512_000_000);
    assert_eq!(size_bytes("1.5KiB").unwrap(), 1536);
    assert_eq!(size_bytes("16 MiB").unwrap(), 16 << 20);
    assert_eq!(size_bytes("1TiB").unwrap(), 1 << 40);
    assert_eq!(size_bytes("7B").unwrap(), 7);
    assert!(size_bytes("4G").unwrap_err().hint.unwrap().contains("GB"));
    assert!(size_bytes("4").unwrap_err().message.contains("no unit"));
    assert!(size_bytes("-4GiB")
        .unwrap_err()
        .message
        .contains("negative"));
    assert!(size_bytes("1e300TiB")
        .unwrap_err()
        .message
        .contains("too large"));
    assert!(size_bytes("GiB").is_err());
}

#[test]
fn bad_durations() {
    assert!(duration("15").unwrap_err().message.contains("no unit"));
    assert!(duration("-1s").unwrap_err().message.contains("negative"));
    let b = duration("5sec").unwrap_err();
    assert!(b.message.contains("unknown time unit"));
    assert!(duration("ms").is_err());
    assert!(duration("").is_err());
    assert!(duration("1e400s").is_err());
    assert!(duration("99999999999d").is_err());
}

#[test]
fn every_distribution_form() {
    assert!(matches!(d("const(5ms)"), Dist::Const(v) if (v - 0.005).abs() < 1e-12));
    assert!(matches!(d("exp(mean=10ms)"), Dist::Exp { mean } if (mean - 0.01).abs() < 1e-12));
    assert!(matches!(d("exp(10ms)"), Dist::Exp { .. }));
    assert!(
        matches!(d("uniform(1ms, 5ms)"), Dist::Uniform { lo, hi } if lo == 0.001 && hi == 0.005)
    );
    assert!(
        matches!(d("normal(mean=20ms, sd=5ms)"), Dist::Normal { mean, sd } if mean == 0.02 && sd == 0.005)
    );
    match d("lognormal(median=15ms, sigma=0.5)") {
        Dist::LogNormal { mu, sigma } => {
            assert!((mu - 0.015f64.ln()).abs() < 1e-12);
            assert_eq!(sigma, 0.5);
        }
        other => panic!("{other:?}"),
    }
    match d("lognormal(median=15ms, p99=80ms)") {
        Dist::LogNormal { sigma, .. } => {
            assert!((sigma - (80.0f64 / 15.0).ln() / crate::dist::Z99).abs() < 1e-12)
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(d("gamma(shape=2, mean=30ms)"), Dist::Gamma { shape, mean, .. } if shape == 2.0 && mean == 0.03)
    );
    assert!(
        matches!(d("pareto(scale=1ms, shape=1.5)"), Dist::Pareto { scale, shape } if scale == 0.001 && shape == 1.5)
    );
}

#[test]
fn empirical_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.csv"), "latency\n# c\n\n10\n2.5ms\n1s\n").unwrap();
    match dist("empirical(s.csv)", dir.path()).unwrap() {
        Dist::Empirical(v) => assert_eq!(&v[..], &[0.01, 0.0025, 1.0]),
        other => panic!("{other:?}"),
    }
    std::fs::write(dir.path().join("e.csv"), "# nothing\n\n").unwrap();
    assert!(dist("empirical(e.csv)", dir.path())
        .unwrap_err()
        .message
        .contains("no values"));
    std::fs::write(dir.path().join("b.csv"), "1\nxx\n").unwrap();
    assert!(dist("empirical(b.csv)", dir.path())
        .unwrap_err()
        .message
        .contains("line 2"));
    assert!(dist("empirical(missing.csv)", dir.path())
        .unwrap_err()
        .message
        .contains("cannot read"));
}

#[test]
fn nonsense_distributions_are_rejected_with_hints() {
    assert!(err("exp(mean=0ms)").contains("> 0"));
    assert!(err("exp(mean=-5ms)").contains("negative"));
    assert!(err("lognormal(median=15ms, sigma=0)").contains("> 0"));
    assert!(err("lognormal(median=15ms, p99=10ms)").contains("above the median"));
    assert!(err("lognormal(median=15ms)").contains("exactly one"));
    assert!(err("lognormal(median=15ms, sigma=0.5, p99=80ms)").contains("exactly one"));
    assert!(err("uniform(5ms, 1ms)").contains("above the high"));
    assert!(err("gamma(shape=0, mean=3ms)").contains("out of range (allowed 0.001..=1000000)"));
    assert!(err("pareto(scale=1ms, shape=-1)").contains("out of range (allowed 0.1..=1000000)"));
    assert!(err("pareto(scale=1ms, shape=0.01)").contains("out of range"));
    assert!(err("lognormal(median=15ms, sigma=11)").contains("out of range"));
    assert!(err("lognormal(median=1ns, p99=300d)").contains("10^10"));
    assert!(err("exp(mean=400d)").contains("longer than 366 days"));
    assert!(err("lognormal(median=15ms, sigma=0.5").contains("not a distribution"));
    assert!(err("lognorm(median=15ms, sigma=0.5)").contains("did you mean `lognormal`"));
    assert!(err("exp(mena=10ms)").contains("did you mean `mean`"));
    assert!(err("const(5ms, 6ms)").contains("too many"));
    assert!(err("normal(mean=20ms)").contains("missing `sd`"));
}

#[test]
fn every_arrival_form() {
    assert_eq!(
        arrival("poisson(rate=200)").unwrap(),
        Arrival::Poisson { rate: 200.0 }
    );
    assert_eq!(
        arrival("constant(rate=50)").unwrap(),
        Arrival::Constant { rate: 50.0 }
    );
    assert_eq!(
        arrival("diurnal(mean=200, peak=600, period=24h)").unwrap(),
        Arrival::diurnal(200.0, 600.0, 86_400 * 1_000_000_000)
    );
    assert_eq!(
        arrival("burst(base=50, peak=2000, every=1h, length=2m)").unwrap(),
        Arrival::Burst {
            base: 50.0,
            peak: 2000.0,
            every: 3_600_000_000_000,
            length: 120_000_000_000,
            start: 0
        }
    );
    // The new parameters, named and positional.
    let h = 3_600_000_000_000;
    assert_eq!(
        arrival("diurnal(mean=200, peak=600, period=24h, offset=6h)").unwrap(),
        Arrival::diurnal_offset(200.0, 600.0, 24 * h, 6 * h)
    );
    assert_eq!(
        arrival("diurnal(200, 600, 24h, 6h)").unwrap(),
        Arrival::diurnal_offset(200.0, 600.0, 24 * h, 6 * h)
    );
    assert_eq!(
        arrival("burst(base=50, peak=2000, every=1h, length=2m, start=30m)").unwrap(),
        Arrival::Burst {
            base: 50.0,
            peak: 2000.0,
            every: h,
            length: h / 30,
            start: h / 2
        }
    );
    assert_eq!(
        arrival("ramp(from=10, to=500, over=10m)").unwrap(),
        Arrival::Ramp {
            from: 10.0,
            to: 500.0,
            over: h / 6
        }
    );
    assert_eq!(
        arrival("ramp(0, 500, 10m)").unwrap(),
        Arrival::Ramp {
            from: 0.0,
            to: 500.0,
            over: h / 6
        }
    );
    // Down ramps too.
    assert!(arrival("ramp(from=500, to=0, over=1h)").is_ok());
    assert_eq!(
        arrival("steps(0s=10, 10m=500, 20m=10)").unwrap(),
        Arrival::Steps(vec![
            (0, 10.0),
            (600_000_000_000, 500.0),
            (1_200_000_000_000, 10.0)
        ])
    );
}

#[test]
fn bad_arrivals() {
    let m = |s: &str| arrival(s).unwrap_err().message;
    assert!(m("diurnal(mean=200, peak=100, period=24h)").contains("below the mean"));
    assert!(m("burst(base=1, peak=2, every=1m, length=2m)").contains("longer"));
    assert!(m("steps(10m=5, 5m=1)").contains("not after"));
    assert!(m("steps(0s=-1)").contains("negative"));
    assert!(m("poisson(rate=0)").contains("> 0"));
    assert!(m("poisson(rate=abc)").contains("not a number"));
    assert!(m("trace(scale=2)").contains("path"));
    assert!(arrival("poison(rate=5)")
        .unwrap_err()
        .hint
        .unwrap()
        .contains("did you mean `poisson`"));
    assert!(m("poisson").contains("not an arrival"));
    // Finding 7: the limit is named unambiguously, numbers printed compactly.
    let over = m("poisson(rate=1000001)");
    assert!(
        over.contains("1000001 requests/s is above the limit of 1000000"),
        "{over}"
    );
    assert!(m("constant(rate=1e-300)").contains("1e-300 requests/s is below"));
    assert!(m("diurnal(mean=10, peak=2e6, period=1h)").contains("diurnal peak 2000000"));
    assert!(m("steps(0s=10, 1m=1e7)").contains("above the limit"));
    assert!(m("poisson(rate=1__0)").contains("not a number"));
    assert!(m("poisson(rate=1e400)").contains("too large"));
    // Every new parameter, bounded.
    let full = |s: &str| {
        let b = arrival(s).unwrap_err();
        format!("{} | {}", b.message, b.hint.unwrap_or_default())
    };
    let off = full("diurnal(mean=1, peak=2, period=1h, offset=1h)");
    assert!(
        off.contains("offset 1h is not shorter than the period 1h"),
        "{off}"
    );
    assert!(off.contains("0 <= offset < period"), "{off}");
    assert!(m("diurnal(mean=1, peak=2, period=1h, offset=-5m)")
        .contains("offset: duration `-5m` is negative"));
    assert!(m("diurnal(mean=1, peak=2, period=1h, offset=5)")
        .contains("offset: duration `5` has no unit"));
    assert!(full("diurnal(mean=1, peak=2, period=1h, ofset=5m)").contains("did you mean `offset`"));
    assert!(m("burst(base=1, peak=2, every=1h, length=1m, start=-1s)")
        .contains("start: duration `-1s` is negative"));
    assert!(m("burst(base=1, peak=2, every=1h, length=1m, start=400d)")
        .contains("start: duration `400d` is longer than 366 days"));
    assert!(
        m("burst(base=1, peak=2, every=1h, length=1m, start=1x)").contains("unknown time unit `x`")
    );
    assert!(m("burst(1, 2, 1h, 1m, 5m, 6m)").contains("too many parameters"));
    assert!(m("ramp(from=1, to=2, over=0s)").contains("`over` must be > 0"));
    assert!(m("ramp(from=1, to=2)").contains("missing `over`"));
    assert!(m("ramp(to=2, over=1m)").contains("missing `from`"));
    assert!(m("ramp(from=-1, to=2, over=1m)").contains("ramp from must be >= 0"));
    assert!(m("ramp(from=1, to=2e6, over=1m)")
        .contains("ramp to 2000000 requests/s is above the limit"));
    assert!(m("ramp(from=1, to=1e-9, over=1m)").contains("below the smallest non-zero rate"));
    assert!(m("ramp(from=0, to=0, over=1m)").contains("sends no request"));
    assert!(m("ramp(from=1, to=2, over=1m, by=3)").contains("has no parameter `by`"));
    assert!(m("ramp(from=1, to=2, over=5)").contains("over: duration `5` has no unit"));
    assert!(full("rampp(from=1, to=2, over=1m)").contains("did you mean `ramp`"));
    assert_eq!(
        arrival("poisson(rate=1e3)").unwrap(),
        Arrival::Poisson { rate: 1000.0 }
    );
    assert_eq!(
        arrival("poisson(rate=1_000)").unwrap(),
        Arrival::Poisson { rate: 1000.0 }
    );
}

#[test]
fn clock_times() {
    let h = 3_600_000_000_000u64;
    assert_eq!(clock_time("11:30").unwrap(), 23 * h / 2);
    assert_eq!(clock_time("11:30:00").unwrap(), 23 * h / 2);
    assert_eq!(clock_time(" 9:05 ").unwrap(), 9 * h + 5 * h / 60);
    assert_eq!(clock_time("00:00").unwrap(), 0);
    assert_eq!(clock_time("24:00").unwrap(), 24 * h);
    assert_eq!(
        clock_time("06:15:30.5").unwrap(),
        6 * h + h / 4 + 30_500_000_000
    );
    let m = |s: &str| clock_time(s).unwrap_err().message;
    for s in [
        "11",
        "11:3",
        "11:30:0",
        "1130",
        "ab:cd",
        "",
        "-1:00",
        "11:30:00:00",
        "11:30.5",
        "11:30:00.",
        "123:00",
    ] {
        assert!(m(s).contains("is not a time of day"), "{s}: {}", m(s));
    }
    assert!(m("11:60").contains("minutes and seconds are 00 to 59"));
    assert!(m("11:30:60").contains("minutes and seconds are 00 to 59"));
    assert!(m("24:01").contains("after 24:00"));
    assert!(m("25:00").contains("after 24:00"));
    assert!(clock_time("7pm")
        .unwrap_err()
        .hint
        .unwrap()
        .contains("\"HH:MM\""));
}
