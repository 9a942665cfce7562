//! Sample-size-derived tolerances: binomial standard errors and batch means
//! over the exported time series, plus the assertion every statistical test
//! uses (it prints one row of the results table).

use slsim::sim::RunResult;

/// Standard errors allowed between simulation and theory.
pub const Z: f64 = 5.0;
/// Batches for batch means.
pub const BATCHES: usize = 30;

/// Binomial standard error of a fraction `p` estimated from `n` trials.
pub fn binomial_se(p: f64, n: u64) -> f64 {
    (p * (1.0 - p) / n as f64).sqrt()
}

/// A series' values (`component`, `metric`).
pub fn series<'a>(r: &'a RunResult, component: &str, metric: &str) -> &'a [f64] {
    &r.timeseries
        .series
        .iter()
        .find(|s| s.component == component && s.metric == metric)
        .unwrap_or_else(|| panic!("no series {component}/{metric}"))
        .values
}

/// Buckets of the measured window (those starting at or after warm-up and
/// ending by the end of the run).
pub fn measured(r: &RunResult, v: &[f64]) -> Vec<f64> {
    let dt = r.timeseries.interval_s;
    let first = ((r.simulated_seconds - r.measured_seconds) / dt - 1e-9).ceil() as usize;
    let last = ((r.simulated_seconds / dt) + 1e-9).floor() as usize;
    v[first..last.min(v.len())].to_vec()
}

fn batches(v: &[f64], k: usize) -> Vec<std::ops::Range<usize>> {
    assert!(v.len() >= k, "{} buckets < {k} batches", v.len());
    (0..k)
        .map(|i| i * v.len() / k..(i + 1) * v.len() / k)
        .collect()
}

fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0);
    (m, var.sqrt())
}

/// Batch means of a time-average: (mean, standard error over `k` batches).
pub fn batch_mean(v: &[f64], k: usize) -> (f64, f64) {
    let means: Vec<f64> = batches(v, k)
        .into_iter()
        .map(|b| v[b.clone()].iter().sum::<f64>() / b.len() as f64)
        .collect();
    let (m, sd) = mean_sd(&means);
    (m, sd / (k as f64).sqrt())
}

/// Batch means of a ratio of sums (e.g. throttles / requests): (ratio,
/// standard error over `k` batches).
pub fn batch_ratio(num: &[f64], den: &[f64], k: usize) -> (f64, f64) {
    assert_eq!(num.len(), den.len());
    let ratios: Vec<f64> = batches(num, k)
        .into_iter()
        .map(|b| num[b.clone()].iter().sum::<f64>() / den[b].iter().sum::<f64>())
        .collect();
    let (_, sd) = mean_sd(&ratios);
    (
        num.iter().sum::<f64>() / den.iter().sum::<f64>(),
        sd / (k as f64).sqrt(),
    )
}

/// Asserts |sim - theory| <= z * se and prints a results row.
pub fn check(name: &str, theory: f64, sim: f64, n: u64, se: f64, z: f64) {
    let tol = z * se;
    let ok = (sim - theory).abs() <= tol;
    eprintln!(
        "CHECK | {name} | {theory:.6} | {sim:.6} | {n} | {tol:.3e} ({z} x {se:.2e}) | {}",
        if ok { "ok" } else { "FAIL" }
    );
    assert!(
        ok,
        "{name}: theory {theory}, simulated {sim}, |diff| {} > {tol} (n = {n})",
        (sim - theory).abs()
    );
}

/// A fraction checked with the larger of the binomial and the batch-means
/// standard error (arrivals close in time are correlated, so the batch
/// estimate is the honest one; the binomial one is a floor against an
/// unluckily small batch estimate).
pub fn check_fraction(name: &str, theory: f64, sim: f64, n: u64, batch_se: f64) {
    let se = batch_se.max(binomial_se(theory, n));
    check(name, theory, sim, n, se, Z);
}
