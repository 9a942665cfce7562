//! Traffic shapes through the TOML loader (issue 7, item 7): a diurnal's
//! `offset`, `ramp(...)`, a burst's `start` and `[simulation] start`, end
//! to end (parse, validate, run), and their bad input with file, line,
//! field and hint. Counts are Poisson: within 5 sd of the integrated rate.

use slsim::model::Scenario;
use slsim::scenario;
use slsim::workload::Arrival;

#[path = "support/rejected.rs"]
mod rejected;

const H: u64 = 3_600_000_000_000;

fn text(sim: &str, arrival: &str) -> String {
    format!(
        "[simulation]\nduration = \"2h\"\nseed = 3\n{sim}\n\n[[workload]]\nname = \"users\"\ntarget = \"fn\"\narrival = \"{arrival}\"\n\n[[lambda]]\nname = \"fn\"\n"
    )
}

fn parse(sim: &str, arrival: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    scenario::parse_str(&text(sim, arrival), "shapes.toml", &sets).unwrap()
}

fn requests(s: &Scenario) -> u64 {
    slsim::sim::run(s).unwrap().workloads["users"].requests
}

fn assert_near(n: f64, want: f64, what: &str) {
    assert!(
        (n - want).abs() <= 5.0 * want.sqrt(),
        "{what}: {n} requests, expected {want}"
    );
}

/// 11:30-13:30 of a day: `start = "11:30"` with no offset is the same
/// process as offset 11.5 h, draw for draw, whichever way start is written.
#[test]
fn a_clock_window_equals_the_offset_diurnal() {
    let d = "diurnal(mean=2, peak=6, period=24h)";
    let clock = parse("start = \"11:30\"", d, &[]);
    let offset = parse("", "diurnal(mean=2, peak=6, period=24h, offset=11.5h)", &[]);
    let want = Arrival::diurnal_offset(2.0, 6.0, 24 * H, 23 * H / 2);
    assert_eq!(clock.workloads[0].arrival, want);
    assert_eq!(offset.workloads[0].arrival, want);
    assert_eq!(clock.simulation.start, 23 * H / 2);
    // A TOML local time, and --set.
    let local = parse("start = 11:30:00", d, &[]);
    let set = parse("", d, &["simulation.start=11:30"]);
    let set_local = parse("", d, &["simulation.start=11:30:00"]);
    for s in [&local, &set, &set_local] {
        assert_eq!(s.workloads[0].arrival, want);
    }
    // The same requests, run through the simulator.
    let (a, b) = (
        slsim::sim::run(&clock).unwrap(),
        slsim::sim::run(&offset).unwrap(),
    );
    let (wa, wb) = (&a.workloads["users"], &b.workloads["users"]);
    assert_eq!(wa.requests, wb.requests);
    // The result names the clock time of t = 0.
    assert_eq!(a.start_clock, "11:30:00");
    assert_eq!(b.start_clock, "00:00:00");
    assert!(slsim::report::summary_text(&a).contains("t = 0 is 11:30:00"));
    assert!(!slsim::report::summary_text(&b).contains("t = 0 is"));
    assert_eq!(format!("{wa:?}"), format!("{wb:?}"));
    // Around noon: near the peak; the integrated rate from the shape.
    let expected = want.expected_count(2 * H);
    assert!(expected > 2.0 * 2.0 * 7200.0 * 1.2, "{expected}");
    assert_near(wa.requests as f64, expected, "11:30-13:30");
    // Start and offset add: 11:30 + 13 h = 00:30 of the shape.
    let both = parse(
        "start = \"11:30\"",
        "diurnal(mean=2, peak=6, period=24h, offset=13h)",
        &[],
    );
    assert_eq!(
        both.workloads[0].arrival,
        Arrival::diurnal_offset(2.0, 6.0, 24 * H, H / 2)
    );
    // Processes measured from t = 0 do not move.
    let p = parse("start = \"11:30\"", "poisson(rate=3)", &[]);
    assert_eq!(p.workloads[0].arrival, Arrival::Poisson { rate: 3.0 });
}

#[test]
fn a_ramp_and_a_late_burst_run_end_to_end() {
    // (10 + 30) / 2 x 10 min, then 30/s for 110 min.
    let ramp = parse("", "ramp(from=10, to=30, over=10m)", &[]);
    let want = 20.0 * 600.0 + 30.0 * 6600.0;
    assert!((ramp.workloads[0].arrival.expected_count(2 * H) - want).abs() < 1e-6);
    assert_near(requests(&ramp) as f64, want, "ramp");
    // Scale applies to both ends.
    let scaled = parse(
        "",
        "ramp(from=10, to=30, over=10m)",
        &["workload.users.scale=0.5"],
    );
    assert_near(requests(&scaled) as f64, want / 2.0, "scaled ramp");
    // A burst that starts at 90 min: 1/s until then, then 100/s for 2 of
    // every 10 minutes: 5,400 + 3 x (120 x 100 + 480 x 1).
    let burst = parse(
        "",
        "burst(base=1, peak=100, every=10m, length=2m, start=90m)",
        &[],
    );
    let want = 5400.0 + 3.0 * (12_000.0 + 480.0);
    assert_near(requests(&burst) as f64, want, "late burst");
}

#[test]
fn bad_shapes_are_rejected_with_location_and_hint() {
    let sim = |extra: &str| text(extra, "poisson(rate=1)");
    let cases: Vec<(&str, String, &[&str])> = vec![
        (
            "start past midnight",
            sim("start = \"25:00\""),
            &[
                "bad.toml:4:",
                "simulation.start",
                "`25:00` is after 24:00",
                "HH:MM",
            ],
        ),
        (
            "start minutes",
            sim("start = \"11:75\""),
            &["bad.toml:4:", "simulation.start", "00 to 59"],
        ),
        (
            "start a duration",
            sim("start = \"11h\""),
            &[
                "bad.toml:4:",
                "`11h` is not a time of day",
                "e.g. \"11:30\"",
            ],
        ),
        (
            "start a number",
            sim("start = 11"),
            &[
                "bad.toml:4:",
                "simulation.start",
                "start must be a time of day, not `11`",
            ],
        ),
        (
            "start a date",
            sim("start = 2024-05-27"),
            &[
                "bad.toml:4:",
                "`2024-05-27` is not a time of day",
                "\"HH:MM\"",
            ],
        ),
        (
            "offset not below the period",
            text("", "diurnal(mean=1, peak=2, period=1h, offset=90m)"),
            &[
                "bad.toml:9:",
                "workload[0] \"users\" .arrival",
                "offset 90m is not shorter than the period 1h",
                "0 <= offset < period",
            ],
        ),
        (
            "burst start negative",
            text("", "burst(base=1, peak=2, every=1h, length=1m, start=-5m)"),
            &["bad.toml:9:", "start: duration `-5m` is negative"],
        ),
        (
            "ramp over zero",
            text("", "ramp(from=1, to=5, over=0s)"),
            &[
                "bad.toml:9:",
                "workload[0] \"users\" .arrival",
                "`over` must be > 0",
            ],
        ),
        (
            "ramp rate",
            text("", "ramp(from=1, to=5e6, over=1m)"),
            &[
                "bad.toml:9:",
                "above the limit",
                "one request per microsecond",
            ],
        ),
        (
            "ramp scaled past the limit",
            text("", "ramp(from=1, to=50, over=1m)").replacen(
                "target = \"fn\"\n",
                "target = \"fn\"\nscale = 1e5\n",
                1,
            ),
            &["workload[0] \"users\" .scale", "above the limit"],
        ),
    ];
    let failures = rejected::failures(cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
