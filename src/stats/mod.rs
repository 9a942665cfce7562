//! Statistics across runs: a sample's mean with its 95 % confidence
//! interval (Student's t), and Welch's t-test of two samples' means.
//!
//! Owns: Student's t distribution (CDF through the regularised incomplete
//! beta function, quantile by bisection on it; `t975.rs` the 95 % factor
//! for whole degrees of freedom as a table, deterministic on every
//! machine, which every confidence interval uses), [`mean_ci`], [`welch`].
//! Must not know: what the samples are (replications of a run's metric).
//!
//! Replications of one scenario with independent seeds are independent,
//! identically distributed draws of each metric; the t interval assumes
//! their mean is close to normal, which holds for averages over many
//! requests and less well for maxima.

mod t975;

pub use t975::t975;

/// ln Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients: about 15
/// significant digits).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 - x) = π / sin(π x).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The continued fraction of the incomplete beta function (modified
/// Lentz), for x < (a + 1) / (a + b + 2).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-16;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=10_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// The regularised incomplete beta function I_x(a, b), a, b > 0, x in
/// \[0, 1\].
pub fn inc_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

/// P(T <= t) for Student's t with `df` > 0 degrees of freedom (not
/// necessarily whole: Welch's are not).
pub fn t_cdf(t: f64, df: f64) -> f64 {
    if t.is_infinite() {
        return if t > 0.0 { 1.0 } else { 0.0 };
    }
    let tail = 0.5 * inc_beta(df / 2.0, 0.5, df / (df + t * t));
    if t > 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// The `p` quantile of Student's t with `df` > 0 degrees of freedom, for
/// `p` in (0, 1): the `t` with `t_cdf(t, df) = p`, by bisection to the
/// last bit.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if p == 0.5 {
        return 0.0;
    }
    if p < 0.5 {
        return -t_quantile(1.0 - p, df);
    }
    let mut hi = 1.0;
    while t_cdf(hi, df) < p && hi < 1e300 {
        hi *= 2.0;
    }
    let mut lo = 0.0;
    for _ in 0..2_000 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// A sample's mean, standard deviation and 95 % confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct MeanCi {
    /// Sample size.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Standard deviation (n - 1 in the denominator); `None` below 2
    /// values.
    pub sd: Option<f64>,
    /// Half-width of the 95 % confidence interval of the mean,
    /// t(0.975, n - 1) x sd / sqrt(n); `None` below 2 values.
    pub ci95: Option<f64>,
}

/// Mean and variance (n - 1), the variance `None` below 2 values.
fn mean_var(xs: &[f64]) -> (f64, Option<f64>) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = (xs.len() >= 2)
        .then(|| xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0));
    (mean + 0.0, var)
}

/// The mean of `xs` with its 95 % confidence interval; `None` for no
/// values.
pub fn mean_ci(xs: &[f64]) -> Option<MeanCi> {
    if xs.is_empty() {
        return None;
    }
    let (mean, var) = mean_var(xs);
    let n = xs.len();
    let sd = var.map(f64::sqrt).filter(|s| s.is_finite());
    Some(MeanCi {
        n,
        mean,
        sd,
        ci95: sd
            .map(|s| t975((n - 1) as u64) * s / (n as f64).sqrt() + 0.0)
            .filter(|h| h.is_finite()),
    })
}

/// Welch's t-test of two samples' means.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Welch {
    /// The statistic (mean of a minus mean of b over the standard error);
    /// `None` when infinite (the samples differ and each is constant).
    pub t: Option<f64>,
    /// Welch-Satterthwaite degrees of freedom; `None` when both samples
    /// are constant.
    pub df: Option<f64>,
    /// Two-sided p-value: the probability of a |t| at least this large if
    /// the means were equal. Constant samples give 1 when equal, 0 when
    /// not.
    pub p: f64,
}

/// Welch's two-sided t-test of equal means (variances not assumed
/// equal); `None` unless each sample has at least 2 values.
pub fn welch(a: &[f64], b: &[f64]) -> Option<Welch> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (ma, va) = mean_var(a);
    let (mb, vb) = mean_var(b);
    let (va, vb) = (va? / a.len() as f64, vb? / b.len() as f64);
    let se2 = va + vb;
    if se2 == 0.0 {
        let same = ma == mb;
        return Some(Welch {
            t: same.then_some(0.0),
            df: None,
            p: if same { 1.0 } else { 0.0 },
        });
    }
    let t = (ma - mb) / se2.sqrt();
    if !t.is_finite() {
        // A standard error that underflowed: as for constant samples.
        return Some(Welch {
            t: None,
            df: None,
            p: 0.0,
        });
    }
    let df = se2 * se2 / (va * va / (a.len() - 1) as f64 + vb * vb / (b.len() - 1) as f64);
    // Squares that underflowed: the pooled degrees of freedom instead.
    let df = if df.is_finite() && df > 0.0 {
        df
    } else {
        (a.len() + b.len() - 2) as f64
    };
    let p = (2.0 * (1.0 - t_cdf(t.abs(), df))).clamp(0.0, 1.0);
    Some(Welch {
        t: Some(t + 0.0),
        df: Some(df),
        p: p + 0.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn t_cdf_matches_closed_forms() {
        // df = 1 is Cauchy, df = 2 has a closed form too.
        for t in [-30.0, -2.0, -0.5, 0.0, 0.3, 1.0, 4.0, 100.0] {
            let cauchy = 0.5 + f64::atan(t) / std::f64::consts::PI;
            assert!(close(t_cdf(t, 1.0), cauchy, 1e-12), "{t}");
            let two = 0.5 + t / (2.0 * (2.0 + t * t).sqrt());
            assert!(close(t_cdf(t, 2.0), two, 1e-12), "{t}");
        }
    }

    #[test]
    fn t_cdf_matches_reference_values() {
        // mpmath (40 digits): 1 - I_{df/(df+t^2)}(df/2, 1/2) / 2.
        assert!(close(t_cdf(2.0, 10.0), 0.963_305_982_614_629_8, 1e-12));
        assert!(close(t_cdf(-1.5, 3.7), 0.106_799_084_601_006_8, 1e-11));
        assert!(close(t_cdf(0.3, 1000.0), 0.617_880_247_916_378, 1e-12));
    }

    #[test]
    fn t_quantiles_match_the_published_table() {
        // Two-sided 95 % (p = 0.975), 99 % (0.995) and one-sided 95 %
        // critical values, as printed in t tables (3 decimals), and to 12
        // digits against mpmath.
        for (p, df, table, exact) in [
            (0.975, 1.0, 12.706, 12.706_204_736_174_69),
            (0.975, 2.0, 4.303, 4.302_652_729_749_462),
            (0.975, 5.0, 2.571, 2.570_581_835_636_315),
            (0.975, 10.0, 2.228, 2.228_138_851_986_274),
            (0.975, 30.0, 2.042, 2.042_272_456_301_238),
            (0.975, 120.0, 1.980, 1.979_930_405_082_440_5),
            (0.995, 10.0, 3.169, 3.169_272_672_616_951),
            (0.95, 20.0, 1.725, 1.724_718_242_920_787),
        ] {
            let q = t_quantile(p, df);
            assert!(
                (q - table).abs() < 5e-4,
                "t({p}, {df}) = {q}, table {table}"
            );
            assert!(close(q, exact, 1e-11), "t({p}, {df}) = {q}, exact {exact}");
            assert!(close(t_quantile(1.0 - p, df), -exact, 1e-11));
        }
        // Welch's degrees of freedom are fractional.
        assert!(close(t_quantile(0.975, 2.5), 3.574_654_842_003_682, 1e-11));
        assert!(close(t_quantile(0.975, 24.3), 2.062_551_011_051_82, 1e-11));
        // Towards the normal distribution's 1.959964.
        assert!((t_quantile(0.975, 1e7) - 1.959_964).abs() < 1e-5);
    }

    #[test]
    fn welch_matches_a_hand_computed_example() {
        // Wikipedia's first Welch example (t = -2.46, df = 25.0, p =
        // 0.021), to 12 digits computed with mpmath from the formulas:
        // t = (ma - mb) / sqrt(va/na + vb/nb), Welch-Satterthwaite df,
        // p = 2 (1 - F(|t|; df)).
        let a = [
            27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7,
            21.4,
        ];
        let b = [
            27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5,
            24.4,
        ];
        let w = welch(&a, &b).unwrap();
        assert!(close(w.t.unwrap(), -2.455_356_398_286_005, 1e-12), "{w:?}");
        assert!(close(w.df.unwrap(), 24.988_529_290_231_414, 1e-12), "{w:?}");
        assert!(close(w.p, 0.021_378_001_462_867_03, 1e-9), "{w:?}");
        // Unequal sizes and variances.
        let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.5];
        let b = [4.0, 6.0, 8.0, 11.0, 13.0];
        let w = welch(&a, &b).unwrap();
        assert!(
            close(w.t.unwrap(), -1.496_033_791_989_279_6, 1e-12),
            "{w:?}"
        );
        assert!(close(w.df.unwrap(), 7.030_960_090_516_685, 1e-12), "{w:?}");
        assert!(close(w.p, 0.178_117_096_872_086_2, 1e-9), "{w:?}");
        // Swapping the samples changes the sign only.
        let s = welch(&b, &a).unwrap();
        assert!(close(s.t.unwrap(), 1.496_033_791_989_279_6, 1e-12));
        assert_eq!(s.p, w.p);
    }

    #[test]
    fn welch_edge_cases() {
        assert_eq!(welch(&[1.0], &[1.0, 2.0]), None);
        let same = welch(&[3.0, 3.0], &[3.0, 3.0, 3.0]).unwrap();
        assert_eq!((same.t, same.p), (Some(0.0), 1.0));
        let apart = welch(&[3.0, 3.0], &[4.0, 4.0]).unwrap();
        assert_eq!((apart.t, apart.df, apart.p), (None, None, 0.0));
    }

    #[test]
    fn mean_ci_uses_t() {
        let m = mean_ci(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!(m.mean, 2.5);
        let sd = (5.0f64 / 3.0).sqrt();
        assert!(close(m.sd.unwrap(), sd, 1e-15));
        // t(0.975, 3) = 3.18244630528371
        assert!(close(
            m.ci95.unwrap(),
            3.182_446_305_283_71 * sd / 2.0,
            1e-11
        ));
        let one = mean_ci(&[7.0]).unwrap();
        assert_eq!((one.mean, one.sd, one.ci95), (7.0, None, None));
        assert_eq!(mean_ci(&[]), None);
    }
}
