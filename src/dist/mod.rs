//! Random durations and sizes.
//!
//! A [`Dist`] is a closed enum sampled by `match`; parameters are stored in
//! seconds (for durations) or in the quantity's own unit (for sizes).
//! Parsing the scenario strings (`"lognormal(median=15ms, sigma=0.5)"`) is the
//! scenario module's job, not this one's. [`keys::Keys`] draws the partition
//! keys of DynamoDB requests.

pub mod keys;

use std::sync::Arc;

use rand::Rng;
use rand_distr::{Distribution, Exp1, StandardNormal};

use crate::engine::{secs_to_ns, SimRng};

/// z-score of the 99th percentile of the standard normal distribution.
pub const Z99: f64 = 2.326_347_874_040_841;

/// A probability distribution of a non-negative quantity.
#[derive(Clone, Debug)]
pub enum Dist {
    /// Always `value`.
    Const(f64),
    /// Exponential with the given mean.
    Exp {
        /// Mean.
        mean: f64,
    },
    /// Uniform on `[lo, hi]`.
    Uniform {
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// Normal, truncated at zero (negative draws are redrawn).
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Log-normal: `exp(mu + sigma * Z)`; the median is `exp(mu)`.
    LogNormal {
        /// Log of the median.
        mu: f64,
        /// Shape (standard deviation of the log).
        sigma: f64,
    },
    /// Gamma with a shape and a mean (scale = mean / shape).
    Gamma {
        /// Shape parameter.
        shape: f64,
        /// Mean.
        mean: f64,
        /// The prepared sampler.
        sampler: rand_distr::Gamma<f64>,
    },
    /// Pareto (type I): `scale / U^(1/shape)`.
    Pareto {
        /// Minimum value.
        scale: f64,
        /// Tail index.
        shape: f64,
    },
    /// Resampling of observed values, each equally likely.
    Empirical(Arc<[f64]>),
}

impl Dist {
    /// A constant.
    pub fn constant(v: f64) -> Self {
        Dist::Const(v)
    }

    /// A log-normal from its median and sigma.
    pub fn lognormal_median_sigma(median: f64, sigma: f64) -> Self {
        Dist::LogNormal {
            mu: median.ln(),
            sigma,
        }
    }

    /// A log-normal from its median and 99th percentile (`p99 > median`).
    pub fn lognormal_median_p99(median: f64, p99: f64) -> Self {
        Self::lognormal_median_sigma(median, (p99 / median).ln() / Z99)
    }

    /// A gamma distribution from shape and mean (both > 0).
    pub fn gamma(shape: f64, mean: f64) -> Option<Self> {
        let sampler = rand_distr::Gamma::new(shape, mean / shape).ok()?;
        Some(Dist::Gamma {
            shape,
            mean,
            sampler,
        })
    }

    /// Draws one value.
    #[inline]
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        match self {
            Dist::Const(v) => *v,
            Dist::Exp { mean } => {
                // Ziggurat: no logarithm on the common path.
                let e: f64 = rng.sample(Exp1);
                mean * e
            }
            Dist::Uniform { lo, hi } => lo + (hi - lo) * rng.random::<f64>(),
            Dist::Normal { mean, sd } => {
                for _ in 0..64 {
                    let z: f64 = rng.sample(StandardNormal);
                    let x = mean + sd * z;
                    if x >= 0.0 {
                        return x;
                    }
                }
                0.0
            }
            Dist::LogNormal { mu, sigma } => {
                let z: f64 = rng.sample(StandardNormal);
                (mu + sigma * z).exp()
            }
            Dist::Gamma { sampler, .. } => sampler.sample(rng),
            Dist::Pareto { scale, shape } => {
                let u: f64 = 1.0 - rng.random::<f64>();
                scale / u.powf(1.0 / shape)
            }
            Dist::Empirical(values) => values[rng.random_range(0..values.len())],
        }
    }

    /// Draws a duration given in seconds and returns nanoseconds.
    #[inline]
    pub fn sample_ns(&self, rng: &mut SimRng) -> u64 {
        secs_to_ns(self.sample(rng))
    }

    /// The theoretical mean (for empirical: the sample mean).
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Const(v) => *v,
            Dist::Exp { mean } => *mean,
            Dist::Uniform { lo, hi } => 0.5 * (lo + hi),
            // Mean of the normal truncated at 0.
            Dist::Normal { mean, sd } => {
                if *sd == 0.0 {
                    return mean.max(0.0);
                }
                let a = -mean / sd;
                let pdf = (-0.5 * a * a).exp() / (2.0 * std::f64::consts::PI).sqrt();
                let tail = 1.0 - std_normal_cdf(a);
                if tail <= 0.0 {
                    0.0
                } else {
                    mean + sd * pdf / tail
                }
            }
            Dist::LogNormal { mu, sigma } => (mu + 0.5 * sigma * sigma).exp(),
            Dist::Gamma { mean, .. } => *mean,
            Dist::Pareto { scale, shape } => {
                if *shape > 1.0 {
                    shape * scale / (shape - 1.0)
                } else {
                    f64::INFINITY
                }
            }
            Dist::Empirical(v) => v.iter().sum::<f64>() / v.len() as f64,
        }
    }

    /// Multiplies every value by `k` (e.g. CPU scaling by memory).
    pub fn scaled(&self, k: f64) -> Dist {
        match self {
            Dist::Const(v) => Dist::Const(v * k),
            Dist::Exp { mean } => Dist::Exp { mean: mean * k },
            Dist::Uniform { lo, hi } => Dist::Uniform {
                lo: lo * k,
                hi: hi * k,
            },
            Dist::Normal { mean, sd } => Dist::Normal {
                mean: mean * k,
                sd: sd * k,
            },
            Dist::LogNormal { mu, sigma } => Dist::LogNormal {
                mu: mu + k.ln(),
                sigma: *sigma,
            },
            Dist::Gamma { shape, mean, .. } => {
                Dist::gamma(*shape, mean * k).expect("valid gamma stays valid when scaled")
            }
            Dist::Pareto { scale, shape } => Dist::Pareto {
                scale: scale * k,
                shape: *shape,
            },
            Dist::Empirical(v) => Dist::Empirical(v.iter().map(|x| x * k).collect()),
        }
    }

    /// True when every draw is exactly zero.
    pub fn is_zero(&self) -> bool {
        matches!(self, Dist::Const(v) if *v == 0.0)
    }
}

/// Standard normal CDF (Abramowitz-Stegun 7.1.26 via erf; |error| < 1.5e-7).
pub fn std_normal_cdf(x: f64) -> f64 {
    let t = x / std::f64::consts::SQRT_2;
    let sign = if t < 0.0 { -1.0 } else { 1.0 };
    let t_abs = t.abs();
    let p = 0.327_591_1;
    let (a1, a2, a3, a4, a5) = (
        0.254_829_592,
        -0.284_496_736,
        1.421_413_741,
        -1.453_152_027,
        1.061_405_429,
    );
    let k = 1.0 / (1.0 + p * t_abs);
    let y = 1.0 - (((((a5 * k + a4) * k) + a3) * k + a2) * k + a1) * k * (-t_abs * t_abs).exp();
    0.5 * (1.0 + sign * y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::stream;

    fn sample_mean(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = stream(7, "dist-test", "");
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n as f64 - 1.0);
        (m, (var / n as f64).sqrt())
    }

    #[test]
    fn sample_means_match_theory_within_5_standard_errors() {
        let cases = vec![
            Dist::Const(0.25),
            Dist::Exp { mean: 0.01 },
            Dist::Uniform { lo: 1.0, hi: 5.0 },
            Dist::Normal {
                mean: 0.02,
                sd: 0.005,
            },
            Dist::Normal { mean: 0.0, sd: 1.0 },
            Dist::lognormal_median_sigma(0.015, 0.5),
            Dist::gamma(2.0, 0.03).unwrap(),
            Dist::Pareto {
                scale: 1.0,
                shape: 3.0,
            },
            Dist::Empirical(vec![1.0, 2.0, 6.0].into()),
        ];
        for d in cases {
            let (m, se) = sample_mean(&d, 200_000);
            let want = d.mean();
            assert!(
                (m - want).abs() <= 5.0 * se + 1e-12,
                "{d:?}: sample mean {m} vs theory {want} (se {se})"
            );
        }
    }

    #[test]
    fn lognormal_p99_form_puts_one_percent_above_p99() {
        let d = Dist::lognormal_median_p99(0.015, 0.080);
        let mut rng = stream(3, "p99", "");
        let n = 200_000;
        let above = (0..n).filter(|_| d.sample(&mut rng) > 0.080).count() as f64 / n as f64;
        let se = (0.01f64 * 0.99 / n as f64).sqrt();
        assert!(
            (above - 0.01).abs() < 5.0 * se,
            "fraction above p99 = {above}"
        );
    }

    #[test]
    fn normal_cdf_is_accurate() {
        assert!((std_normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((std_normal_cdf(Z99) - 0.99).abs() < 1e-6);
        assert!((std_normal_cdf(-1.0) - 0.158_655_25).abs() < 1e-6);
    }
}
