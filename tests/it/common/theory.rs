//! Closed forms and numerical solutions the simulator is checked against.

/// Erlang B: blocking probability of M/G/c/c with offered load `a` erlangs
/// (insensitive to the service-time distribution). Stable recursion
/// B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    b
}

/// Erlang C: probability of waiting in M/M/c (requires a < c):
/// C = c B / (c - a (1 - B)).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    assert!(a < c as f64, "Erlang C needs a < c");
    let b = erlang_b(c, a);
    c as f64 * b / (c as f64 - a * (1.0 - b))
}

/// One function, reserved concurrency 1, Poisson arrivals `lambda`, mean
/// service `mean_s`, constant init `init_s`, keep-alive `keep_alive_s`.
/// Returns (P(throttled), P(cold | admitted)).
///
/// After every invocation the single environment is idle. The next arrival
/// comes Exp(lambda) later (memoryless, so whatever happened before does not
/// matter): if that is within the keep-alive it runs warm, otherwise the
/// environment has expired and it runs cold (init, then service). Hence
/// P(cold | admitted) = P(T > K) = exp(-lambda K).
/// A request is throttled iff it arrives while the environment is busy
/// (initialising or running). The process regenerates at each admitted
/// arrival: a cycle is one busy period B (E[B] = E[S] + init * P(cold))
/// followed by an idle wait of mean 1/lambda; by PASTA and renewal-reward,
/// throttled per cycle = lambda E[B], admitted per cycle = 1, so
/// P(throttled) = lambda E[B] / (1 + lambda E[B]).
pub fn single_env_cold_start(
    lambda: f64,
    mean_s: f64,
    init_s: f64,
    keep_alive_s: f64,
) -> (f64, f64) {
    let p_cold = (-lambda * keep_alive_s).exp();
    let eb = mean_s + init_s * p_cold;
    (lambda * eb / (1.0 + lambda * eb), p_cold)
}

/// Fraction of Poisson(`lambda`) requests rejected by a continuous token
/// bucket refilled at `r` tokens/s up to `b` tokens, each request taking one
/// token and being rejected when fewer than one token is left.
///
/// Let D = b - tokens be the deficit in [0, b]: it drains at rate r (down to
/// an atom at 0) and jumps by +1 at each admitted arrival, admitted iff
/// D <= b - 1. With G(x) = P(D <= x) (atom included) and f = G', level
/// crossing (downcrossings r f(x) = upcrossings) gives, with a = lambda / r,
///   f(x) = a G(x)                  for 0 < x < 1,
///   f(x) = a (G(x) - G(x - 1))     for 1 < x < b - 1,
///   f(x) = a (G(b - 1) - G(x - 1)) for b - 1 < x < b,
/// a linear delay equation solved here from G(0) = 1 (unnormalised) with the
/// trapezoidal rule; by PASTA the rejected fraction is P(D > b - 1).
pub fn token_bucket_reject(lambda: f64, r: f64, b: f64) -> f64 {
    assert!(b >= 1.0);
    let n = 4000usize; // grid points per token
    let h = 1.0 / n as f64;
    let m = (b * n as f64).round() as usize;
    let m1 = ((b - 1.0) * n as f64).round() as usize;
    let a = lambda / r;
    let mut g = vec![0.0f64; m + 1];
    g[0] = 1.0;
    for i in 0..m {
        // Delayed G(x - 1) on the step [i, i + 1]: the right limit at its
        // start, the left limit at its end (G jumps by the atom at x = 1).
        let d0 = if i >= n { g[i - n] } else { 0.0 };
        let d1 = if i + 1 > n { g[i + 1 - n] } else { 0.0 };
        if i < m1 {
            // f = a (G - G(x - 1)): implicit trapezoid, linear in G_{i+1}.
            let f0 = a * (g[i] - d0);
            g[i + 1] = (g[i] + 0.5 * h * f0 - 0.5 * h * a * d1) / (1.0 - 0.5 * h * a);
        } else {
            let (f0, f1) = (a * (g[m1] - d0), a * (g[m1] - d1));
            g[i + 1] = g[i] + 0.5 * h * (f0 + f1);
        }
    }
    (g[m] - g[m1]) / g[m]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: f64, y: f64, tol: f64) {
        assert!((x - y).abs() <= tol, "{x} vs {y}");
    }

    #[test]
    fn erlang_b_published_values() {
        close(erlang_b(10, 8.0), 0.12166, 5e-6);
        close(erlang_b(50, 60.0), 0.21612, 5e-6);
        close(erlang_b(1, 1.0), 0.5, 1e-15);
        // Classic table value: 5 erlangs on 10 lines -> 1.84 %.
        close(erlang_b(10, 5.0), 0.018385, 5e-7);
    }

    #[test]
    fn erlang_c_published_values() {
        close(erlang_c(10, 8.0), 0.40918, 5e-5);
        // M/M/1: P(wait) = rho.
        close(erlang_c(1, 0.7), 0.7, 1e-12);
        // Classic call-centre example: 10 erlangs, 11 agents -> 68.2 %.
        close(erlang_c(11, 10.0), 0.6821, 1e-4);
    }

    #[test]
    fn cold_start_closed_form() {
        let (pt, pc) = single_env_cold_start(0.1, 1.0, 0.5, 10.0);
        close(pt, 0.10586, 5e-6);
        close(pc, 0.36788, 5e-6);
    }

    #[test]
    fn token_bucket_numerics() {
        close(token_bucket_reject(8.0, 10.0, 5.0), 0.03529, 5e-5);
        // b = 1: an M/D/1/1 loss system with service 1/r: reject = a / (1 + a).
        close(token_bucket_reject(3.0, 10.0, 1.0), 0.3 / 1.3, 1e-6);
        // A huge bucket with lambda > r rejects the excess 1 - r/lambda.
        close(token_bucket_reject(20.0, 10.0, 60.0), 0.5, 1e-4);
    }
}
