//! Statistics across replications as a sweep keeps them: the mean and the
//! half-width of its 95 % confidence interval, computed by
//! [`crate::stats::mean_ci`] (Student's t with n - 1 degrees of freedom,
//! [`crate::stats::t975`]).
//!
//! Deterministic everywhere: only `+ - * /` and `sqrt` (correctly rounded
//! by IEEE 754), summed in replication order, so that a merged sweep's
//! summary equals the unsharded one byte for byte on any machine.

/// Mean and 95 % confidence half-width of a sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Sample size.
    pub n: u64,
    /// Mean (`None` for an empty sample).
    pub mean: Option<f64>,
    /// Half-width of the 95 % interval of the mean, t(0.975, n-1) s / sqrt(n)
    /// (`None` below two values).
    pub ci95: Option<f64>,
}

/// The estimate from `values` (in replication order), through
/// [`crate::stats::mean_ci`].
pub fn estimate(values: &[f64]) -> Estimate {
    match crate::stats::mean_ci(values) {
        None => Estimate {
            n: 0,
            mean: None,
            ci95: None,
        },
        Some(m) => Estimate {
            n: m.n as u64,
            mean: Some(m.mean).filter(|v| v.is_finite()),
            ci95: m.ci95,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_of_a_known_sample() {
        // 1..=5: mean 3, s = sqrt(2.5), half-width 2.776445 * 1.581139 / 2.236068.
        let e = estimate(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.n, 5);
        assert_eq!(e.mean, Some(3.0));
        let want = 2.776_445_105_197_794_4 * 2.5f64.sqrt() / 5f64.sqrt();
        assert!((e.ci95.unwrap() - want).abs() < 1e-12);
        assert!((e.ci95.unwrap() - 1.963_243_161).abs() < 1e-8);
        let one = estimate(&[7.5]);
        assert_eq!((one.mean, one.ci95), (Some(7.5), None));
        let none = estimate(&[]);
        assert_eq!((none.n, none.mean, none.ci95), (0, None, None));
        assert_eq!(estimate(&[2.0, 2.0, 2.0]).ci95, Some(0.0));
    }
}
