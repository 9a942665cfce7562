//! The cache model (`services::cache::TtlCache`) against cache theory,
//! under the independent reference model: requests arrive as a Poisson
//! stream of rate Λ, each for object k with probability p_k (Zipf), so
//! object k is asked for as a Poisson stream of rate λ_k = Λ p_k.
//!
//! - TTL set at the miss, not extended by hits: a renewal argument gives
//!   object k the hit ratio λ_k T / (1 + λ_k T) (each miss opens a window
//!   of T whose hits number λ_k T on average); the overall ratio is the
//!   request-weighted mean Σ p_k λ_k T / (1 + λ_k T).
//! - LRU with capacity C (no expiry): Che's approximation, with the
//!   characteristic time t_C solving Σ_k (1 − e^(−λ_k t_C)) = C and hit
//!   ratio Σ_k p_k (1 − e^(−λ_k t_C)) (Che, Tung, Wang 2002; shown
//!   asymptotically exact and accurate to about 1 % for Zipf popularity by
//!   Fricker, Robert, Roberts 2012, "A versatile and accurate approximation
//!   for LRU cache performance").
//!
//! Tolerances: Z × the batch-means standard error of the hit indicators
//! (30 batches, each hundreds of TTLs or cache turnovers long), plus, for
//! Che's approximation only, its published accuracy of 1 % (absolute, on
//! a ratio near 0.5).

use crate::common::seed_offset;
use crate::common::stats::*;
use rand::Rng;
use slsim::dist::keys::Keys;
use slsim::engine::{stream, SECONDS};
use slsim::services::cache::TtlCache;

/// Zipf probabilities p_1..p_n.
fn zipf_p(n: u64, s: f64) -> Vec<f64> {
    let w: Vec<f64> = (1..=n).map(|k| (k as f64).powf(-s)).collect();
    let h: f64 = w.iter().sum();
    w.into_iter().map(|x| x / h).collect()
}

/// Runs `requests` requests at rate `rate` through `cache`; returns the
/// hit indicators after the first `skip` (the cache filling).
fn drive(cache: &mut TtlCache, keys: &Keys, rate: f64, requests: usize, skip: usize) -> Vec<f64> {
    let mut rng = stream(11 + seed_offset(), "cache", "theory");
    let mut t = 0.0f64;
    let mut hits = Vec::with_capacity(requests - skip);
    for i in 0..requests {
        t += -(1.0 - rng.random::<f64>()).ln() / rate;
        let key = keys.sample_rank(&mut rng).expect("a key model with ranks");
        let hit = cache.lookup((t * SECONDS as f64) as u64, key);
        if i >= skip {
            hits.push(if hit { 1.0 } else { 0.0 });
        }
    }
    hits
}

#[test]
fn a_ttl_cache_hits_as_the_renewal_argument_says() {
    for (n, s, rate, ttl_s) in [(10_000u64, 0.8, 1000.0, 0.5), (1_000, 1.2, 200.0, 2.0)] {
        let keys = Keys::zipf(n, s).unwrap();
        let theory: f64 = zipf_p(n, s)
            .iter()
            .map(|&p| {
                let lt = rate * p * ttl_s;
                p * lt / (1.0 + lt)
            })
            .sum();
        let mut cache = TtlCache::new((ttl_s * SECONDS as f64) as u64, 0);
        let requests = 2_000_000;
        let skip = (rate * ttl_s * 20.0) as usize;
        let hits = drive(&mut cache, &keys, rate, requests, skip);
        let (m, se) = batch_mean(&hits, BATCHES);
        check_fraction(
            &format!("TTL cache hit ratio, zipf(n={n}, s={s}), rate {rate}/s, ttl {ttl_s} s"),
            theory,
            m,
            hits.len() as u64,
            se,
        );
        // Bounded memory: at most the misses of one TTL are held.
        assert!(
            cache.len() as f64 <= rate * ttl_s * 2.0 + 100.0,
            "{} entries",
            cache.len()
        );
    }
}

#[test]
fn an_lru_cache_agrees_with_ches_approximation() {
    let (n, s, rate, c) = (10_000u64, 0.8, 1000.0, 500u32);
    let p = zipf_p(n, s);
    // Characteristic time by bisection: the expected number of distinct
    // objects asked for within t_C is C.
    let filled = |t: f64| {
        p.iter()
            .map(|&pk| 1.0 - (-rate * pk * t).exp())
            .sum::<f64>()
    };
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while filled(hi) < f64::from(c) {
        hi *= 2.0;
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if filled(mid) < f64::from(c) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let t_c = 0.5 * (lo + hi);
    let theory: f64 = p
        .iter()
        .map(|&pk| pk * (1.0 - (-rate * pk * t_c).exp()))
        .sum();
    let keys = Keys::zipf(n, s).unwrap();
    let mut cache = TtlCache::new(u64::MAX / 4, c);
    let hits = drive(&mut cache, &keys, rate, 2_000_000, 50 * c as usize);
    let (m, se) = batch_mean(&hits, BATCHES);
    let se = se.max(binomial_se(theory, hits.len() as u64));
    // Che's approximation's own accuracy (1 %) on top of the sampling
    // error: the check's standard error is widened so that Z x se covers
    // both.
    check(
        &format!("LRU hit ratio vs Che, zipf(n={n}, s={s}), C = {c}"),
        theory,
        m,
        hits.len() as u64,
        se + 0.01 / Z,
        Z,
    );
    assert_eq!(cache.len(), c as usize);
    assert!(cache.evictions > 0);
}

/// End to end: API Gateway's response cache keyed by a Zipf model over
/// the requested resources, with a TTL and a cache far larger than what
/// one TTL fetches: its hit ratio is the renewal formula's. Independent
/// replications (the summary has no per-interval hits) give the standard
/// error.
#[test]
fn the_api_response_cache_hit_ratio_emerges_from_popularity_and_ttl() {
    use crate::common::*;
    use slsim::dist::Dist;
    use slsim::model::*;
    use slsim::workload::Arrival;

    let (n, s, rate, ttl_s) = (1_000u64, 1.2, 200.0, 2.0);
    let theory: f64 = zipf_p(n, s)
        .iter()
        .map(|&p| {
            let lt = rate * p * ttl_s;
            p * lt / (1.0 + lt)
        })
        .sum();
    let mut ratios = Vec::new();
    let mut lookups = 0u64;
    for rep in 0..8u64 {
        let mut a = api("api", 10_000.0, 5_000.0, 29.0, 0);
        a.routes[0].cacheable = true;
        a.cache = Some(ApiCache {
            ttl: (ttl_s * SECONDS as f64) as u64,
            hits: CacheHits::Keys(Keys::zipf(n, s).unwrap()),
            hit_latency: Dist::Const(0.001),
            size_gb: 0.5,
        });
        let mut sc = scenario(
            simulation(1_000, 20, 500 + rep + seed_offset()),
            vec![api_workload("w", 0, Arrival::Poisson { rate })],
            vec![lambda("f", vec![Step::Io(Dist::Const(0.01))])],
        );
        sc.apis = vec![a];
        let r = run(&sc);
        let st = &r.apis["api"];
        ratios.push(st.cache_hit_ratio.expect("lookups"));
        lookups += st.cache_hits;
        // Conservation: a hit is answered without invoking the function.
        assert_eq!(
            r.functions["f"].invocations + st.cache_hits,
            st.requests - st.throttled,
            "{st:?}"
        );
    }
    let k = ratios.len() as f64;
    let m = ratios.iter().sum::<f64>() / k;
    let sd = (ratios.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (k - 1.0)).sqrt();
    check(
        "API cache hit ratio (zipf 1000, s 1.2, 200/s, ttl 2 s), 8 replications",
        theory,
        m,
        lookups,
        sd / k.sqrt(),
        Z,
    );
}
