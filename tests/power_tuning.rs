//! `scenarios/power-tuning.toml` swept over memory (128 to 10,240 MB) for a
//! CPU-bound single-threaded function: duration halves when memory doubles
//! below 1,769 MB and is flat above; cost per invocation is flat below
//! 1,769 MB (the request charge adds the same amount at every size) and
//! rises in proportion to memory above; the Power Tuning chart is written
//! with its three picks.
//!
//! Tolerances come from the sweep itself: each mean's 95 % confidence
//! half-width across replications (`.ci95` in `sweep_summary.csv`), plus,
//! for cost, the two known biases of the bill: duration is billed rounded
//! up to 1 ms (at most 1 ms x memory per invocation), and the few cold
//! starts after the warm-up bill their 100 ms init (`cold_starts /
//! invocations` x 100 ms x memory per invocation).

use assert_cmd::Command;
use std::collections::HashMap;

const SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/power-tuning.toml");
/// aws-facts 10.6: x86_64 duration, first tier, and the request charge.
const USD_PER_GB_S: f64 = 0.0000166667;
const USD_PER_REQUEST: f64 = 0.20 / 1e6;
/// The scenario's init (a constant).
const INIT_S: f64 = 0.100;
const ONE_VCPU_MB: f64 = 1769.0;

struct Point {
    mb: f64,
    col: HashMap<String, Option<f64>>,
}

impl Point {
    fn get(&self, c: &str) -> f64 {
        self.col[c].unwrap_or_else(|| panic!("{c} empty at {} MB", self.mb))
    }
    fn dur(&self) -> (f64, f64) {
        let f = "functions.crunch.mean_duration_ms";
        (
            self.get(&format!("{f}.mean")),
            self.get(&format!("{f}.ci95")),
        )
    }
    fn cost(&self) -> (f64, f64) {
        let f = "functions.crunch.cost_per_invocation_usd";
        (
            self.get(&format!("{f}.mean")),
            self.get(&format!("{f}.ci95")),
        )
    }
    /// The most the bill's rounding and the cold starts' init add to one
    /// invocation's cost at this size.
    fn bias(&self) -> f64 {
        let cold = self.get("functions.crunch.cold_starts.mean");
        let inv = self.get("functions.crunch.invocations.mean");
        self.mb / 1024.0 * USD_PER_GB_S * (0.001 + cold / inv * INIT_S)
    }
}

fn both(a: f64, b: f64) -> f64 {
    (a * a + b * b).sqrt()
}

#[test]
fn memory_sweep_of_a_cpu_bound_function() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pt");
    let run = Command::cargo_bin("slsim")
        .unwrap()
        .args(["sweep", SCENARIO, "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut r = csv::Reader::from_path(out.join("sweep_summary.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let points: Vec<Point> = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            let col: HashMap<String, Option<f64>> = header
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.clone(), v.parse().ok()))
                .collect();
            assert_eq!(col["ok"], Some(3.0), "every replication ran");
            Point {
                mb: col["lambda.crunch.memory_mb"].unwrap(),
                col,
            }
        })
        .collect();
    let mbs: Vec<f64> = points.iter().map(|p| p.mb).collect();
    assert_eq!(
        mbs,
        [128., 256., 512., 1024., 1769., 2048., 3008., 4096., 5120., 6144., 8192., 10240.]
    );
    let below: Vec<&Point> = points.iter().filter(|p| p.mb <= ONE_VCPU_MB).collect();
    let above: Vec<&Point> = points.iter().filter(|p| p.mb >= ONE_VCPU_MB).collect();

    // Duration halves when memory doubles below one vCPU: the ratio of the
    // means is 2 within its 95 % interval (delta method).
    for w in below.windows(2).filter(|w| w[1].mb == 2.0 * w[0].mb) {
        let ((a, ca), (b, cb)) = (w[0].dur(), w[1].dur());
        let ratio = a / b;
        let tol = ratio * both(ca / a, cb / b);
        assert!(
            (ratio - 2.0).abs() <= tol,
            "{} -> {} MB: duration ratio {ratio} not 2 ± {tol}",
            w[0].mb,
            w[1].mb
        );
    }
    // And 1024 MB -> 1769 MB by 1769 / 1024.
    let (a, ca) = below[3].dur();
    let (b, cb) = below[4].dur();
    let want = ONE_VCPU_MB / 1024.0;
    assert!((a / b - want).abs() <= a / b * both(ca / a, cb / b));
    // Flat from one vCPU up: single-threaded code cannot use more.
    let (base, cbase) = above[0].dur();
    for p in &above[1..] {
        let (d, c) = p.dur();
        assert!(
            (d - base).abs() <= both(c, cbase),
            "{} MB: duration {d} ms, at 1769 MB {base} ± {cbase} ms",
            p.mb
        );
    }

    // Cost per invocation is flat below one vCPU (duration x memory is
    // constant; the request charge is the same at every size).
    let (ref_cost, ref_ci) = below[0].cost();
    assert!(ref_cost > USD_PER_REQUEST);
    for p in &below[1..] {
        let (c, ci) = p.cost();
        let tol = both(ci, ref_ci) + p.bias() + below[0].bias();
        assert!(
            (c - ref_cost).abs() <= tol,
            "{} MB: cost {c} vs {ref_cost} at 128 MB (tolerance {tol})",
            p.mb
        );
    }
    // Above, it rises with memory, in proportion to it (less the request
    // charge, which does not depend on memory).
    for w in above.windows(2) {
        let ((a, ca), (b, cb)) = (w[0].cost(), w[1].cost());
        assert!(
            b - a > both(ca, cb),
            "{} -> {} MB: {a} -> {b}",
            w[0].mb,
            w[1].mb
        );
        let ratio = (b - USD_PER_REQUEST) / (a - USD_PER_REQUEST);
        let want = w[1].mb / w[0].mb;
        let tol = ratio * both(ca / a, cb / b) + (w[0].bias() / a + w[1].bias() / b) * ratio;
        assert!(
            (ratio - want).abs() <= tol,
            "{} -> {} MB: duration cost ratio {ratio}, want {want} ± {tol}",
            w[0].mb,
            w[1].mb
        );
    }

    // The Power Tuning chart, with its three picks: cheapest at or below
    // one vCPU, fastest at or above.
    let svg = std::fs::read_to_string(out.join("plots/01-power-tuning-crunch.svg")).unwrap();
    assert!(svg.contains("<title>Power Tuning: crunch</title>"));
    // Each pick labels a ring (two picks on one dot share a label:
    // `fastest, balanced`).
    for pick in ["fastest", "cheapest", "balanced"] {
        let labelled = svg.lines().any(|l| l.trim().split(", ").any(|w| w == pick));
        assert!(labelled, "no ring labelled {pick}");
    }
    assert!(
        svg.matches(r##"r="8" opacity="1" fill="none" stroke="#D55E00""##)
            .count()
            >= 2
    );
    let mb_after = |word: &str| -> f64 {
        let at = svg.find(&format!("{word} ")).unwrap() + word.len() + 1;
        let end = at + svg[at..].find(" MB").unwrap();
        svg[at..end].parse().unwrap()
    };
    assert!(
        mb_after("cheapest") <= ONE_VCPU_MB,
        "cheapest {}",
        mb_after("cheapest")
    );
    assert!(
        mb_after("fastest") >= ONE_VCPU_MB,
        "fastest {}",
        mb_after("fastest")
    );
    assert!(out.join("plots/01-power-tuning-crunch.png").exists());
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("Power Tuning: crunch"));
}
