//! CloudFront (`[[cdn]]`) and DAX on the common cache model, end to end,
//! against cache theory under the independent reference model (requests a
//! Poisson stream of rate Λ, object k asked for with probability p_k, so
//! as a Poisson stream of rate λ_k = Λ p_k; `caches.rs` states the
//! formulas and tests the cache alone):
//!
//! - an edge with TTL T filled when the origin's answer arrives, D after
//!   the miss: each miss opens a cycle of 1 + λD misses (those during the
//!   fetch) and λT hits, so the hit ratio is λT / (1 + λ(T + D));
//! - `edges = E` splits object k's stream into E independent Poisson
//!   streams of rate λ_k / E (random thinning), one per edge;
//! - DAX with write-through: an item is fresh from a fill (a read's miss,
//!   or a write with rate μ) until a gap of T without writes, which takes
//!   (e^(μT) − 1) / μ on average, then stale until the next read or write
//!   (mean 1 / (λ + μ)); reads see the fraction of time it is fresh
//!   (PASTA): F / (F + 1/(λ + μ)), which is λT/(1 + λT) when μ = 0.
//!
//! Tolerances: Z × the batch-means standard error of the per-interval
//! hits over lookups (the caches' time series), floored by the binomial
//! one (`check_fraction`). Conservation identities are exact.

use crate::common::stats::*;
use crate::common::*;
use slsim::dist::keys::Keys;
use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::sim::RunResult;
use slsim::workload::Arrival;

/// Zipf probabilities p_1..p_n.
fn zipf_p(n: u64, s: f64) -> Vec<f64> {
    let w: Vec<f64> = (1..=n).map(|k| (k as f64).powf(-s)).collect();
    let h: f64 = w.iter().sum();
    w.into_iter().map(|x| x / h).collect()
}

/// The renewal hit ratio of one TTL cache seeing `rate` \[1/s\] with
/// popularity `p`, TTL `t` \[s\], fill delay `d` \[s\].
fn renewal(p: &[f64], rate: f64, t: f64, d: f64) -> f64 {
    p.iter()
        .map(|&pk| {
            let l = rate * pk;
            pk * l * t / (1.0 + l * (t + d))
        })
        .sum()
}

/// Hit ratio of `name`'s cache over the measured window, with its
/// batch-means standard error, from the cache's series.
fn hit_ratio(r: &RunResult, name: &str) -> (f64, f64, u64) {
    let hits = measured(r, series(r, name, "cache_hits"));
    let lookups = measured(r, series(r, name, "cache_lookups"));
    let n = lookups.iter().sum::<f64>() as u64;
    let (m, se) = batch_ratio(&hits, &lookups, BATCHES);
    (m, se, n)
}

/// A bucket with constant 1 ms latencies and 100 KB objects.
fn bucket(name: &str) -> Bucket {
    Bucket {
        latency: std::array::from_fn(|_| Dist::Const(0.001)),
        object_kb: Dist::Const(100.0),
        ..Bucket::new(name, vec![])
    }
}

/// A cdn in front of bucket 0 with constant 1 ms edge, origin and shield
/// latencies.
fn cdn(keys: Keys, ttl_s: f64, edges: u32, shield: bool) -> Cdn {
    Cdn {
        ttl: (ttl_s * SECONDS as f64) as u64,
        edges,
        origin_shield: shield,
        hit_latency: Dist::Const(0.001),
        origin_latency: Dist::Const(0.001),
        shield_latency: Dist::Const(0.001),
        ..Cdn::new("site", CdnOrigin::Bucket(0), keys)
    }
}

fn cdn_run(c: Cdn, rate: f64, duration_s: u64, warmup_s: u64, seed: u64) -> RunResult {
    let mut s = scenario(
        simulation(duration_s, warmup_s, seed),
        vec![workload(
            "viewers",
            Target::Cdn(0),
            Arrival::Poisson { rate },
        )],
        vec![],
    );
    s.buckets = vec![bucket("assets")];
    s.cdns = vec![c];
    run(&s)
}

/// Every request through the cdn ends in exactly one state; every lookup
/// is a hit or a miss, every miss a shield hit or an origin fetch; the
/// origin saw the fetches and forwards (warm-up 0: both count from t = 0),
/// less those still on their way at the end.
fn conserve(r: &RunResult) {
    for (name, s) in &r.cdns {
        assert_eq!(s.requests, s.lookups + s.forwarded, "{name}: {s:?}");
        assert_eq!(s.lookups, s.edge_hits + s.edge_misses, "{name}: {s:?}");
        assert_eq!(
            s.edge_misses,
            s.shield_hits + s.origin_fetches,
            "{name}: {s:?}"
        );
        assert_eq!(
            s.requests,
            s.succeeded + s.failed + s.in_flight_end,
            "{name}: {s:?}"
        );
        let c = r
            .caches
            .iter()
            .find(|c| c.kind == "cdn" && &c.name == name)
            .unwrap();
        assert_eq!(c.lookups, s.lookups);
        assert_eq!(c.hits, s.edge_hits + s.shield_hits);
        assert_eq!(
            c.origin_requests, s.origin_fetches,
            "origin requests = misses"
        );
        let b = &r.buckets["assets"];
        assert!(b.requests <= s.origin_requests, "{b:?} {s:?}");
        assert!(
            s.origin_requests - b.requests <= s.in_flight_end,
            "{b:?} {s:?}"
        );
    }
}

#[test]
fn a_cdn_edge_hit_ratio_emerges_from_popularity_and_ttl() {
    let (n, s, rate, ttl_s) = (1_000u64, 1.2, 200.0, 2.0);
    let keys = Keys::zipf(n, s).unwrap();
    // The fill comes 3 ms after the miss: edge, edge to origin, S3.
    let theory = renewal(&zipf_p(n, s), rate, ttl_s, 0.003);
    let r = cdn_run(cdn(keys, ttl_s, 1, false), rate, 1_500, 0, 71);
    conserve(&r);
    let (m, se, lookups) = hit_ratio(&r, "site");
    check_fraction(
        "CDN edge hit ratio, zipf(n=1000, s=1.2), 200/s, ttl 2 s",
        theory,
        m,
        lookups,
        se,
    );
    let st = &r.cdns["site"];
    assert_eq!(st.forwarded, 0);
    assert_eq!(st.failed, 0);
    // Bytes: every success sends its 100 KB object.
    assert!(
        (st.gb_out - st.succeeded as f64 * 100.0 * 1e-6).abs() < 1e-9,
        "{st:?}"
    );
    assert!(
        r.cost.by_service.contains_key("cloudfront"),
        "{:?}",
        r.cost.by_service
    );
}

/// Eight edges each see an eighth of every object's requests: each hits
/// as the renewal formula at λ / 8 says. A shield in front of the origin
/// merges the edges' misses: the origin then sees fewer fetches than the
/// eight edges alone, and no more than one cache with all the traffic
/// would make (after an expiry the shield waits for the next edge *miss*,
/// which comes no sooner than the next request: its cycles are at least
/// T + 1/λ_k long, so it fetches at most Σ λ_k / (1 + λ_k T)).
#[test]
fn edges_split_the_traffic_and_a_shield_saves_origin_fetches() {
    let (n, s, rate, ttl_s, edges) = (1_000u64, 1.0, 400.0, 2.0, 8u32);
    let p = zipf_p(n, s);
    let keys = Keys::zipf(n, s).unwrap();
    let dur = 1_500u64;
    let plain = cdn_run(cdn(keys, ttl_s, edges, false), rate, dur, 0, 72);
    let shielded = cdn_run(cdn(keys, ttl_s, edges, true), rate, dur, 0, 73);
    conserve(&plain);
    conserve(&shielded);
    let theory = renewal(&p, rate / f64::from(edges), ttl_s, 0.003);
    let (m, se, lookups) = hit_ratio(&plain, "site");
    check_fraction(
        "CDN edge hit ratio over 8 edges (renewal at rate / 8)",
        theory,
        m,
        lookups,
        se,
    );
    // The shield does not change what the edges see: one edge hit ratio.
    let a = plain.cdns["site"].edge_hit_ratio.unwrap();
    let b = shielded.cdns["site"].edge_hit_ratio.unwrap();
    let se2 = binomial_se(theory, plain.cdns["site"].lookups) * 2f64.sqrt();
    assert!((a - b).abs() <= Z * se2.max(se * 2f64.sqrt()), "{a} vs {b}");
    // Origin fetches per second: one cache with all the traffic fetches
    // Σ λ_k / (1 + λ_k T) (an upper bound for the shield); eight edges
    // fetch 8 Σ (λ_k/8) / (1 + λ_k T / 8).
    let fetch = |e: f64| -> f64 {
        p.iter()
            .map(|&pk| {
                let l = rate * pk / e;
                e * l / (1.0 + l * ttl_s)
            })
            .sum()
    };
    let secs = dur as f64;
    let (one, eight) = (fetch(1.0) * secs, fetch(f64::from(edges)) * secs);
    let with = shielded.cdns["site"].origin_fetches as f64;
    let without = plain.cdns["site"].origin_fetches as f64;
    let tol = |x: f64| Z * x.sqrt() * 3.0;
    eprintln!("origin fetches: one cache {one:.0}, shielded {with}, eight edges {eight:.0} (simulated {without})");
    assert!(with <= one + tol(one), "{with} > {one}");
    assert!(with < without - tol(without), "{with} >= {without}");
    assert!(
        (without - eight).abs() <= tol(eight),
        "{without} vs {eight}"
    );
    assert!(shielded.cdns["site"].shield_hits > 0);
    let cost = |r: &RunResult| r.cost.by_service["cloudfront"];
    assert!(cost(&shielded) > 0.0 && cost(&plain) > 0.0);
}

/// A workload's puts through a cdn in front of a bucket are uploads: never
/// cached, all forwarded to the origin, not sent back as downloads.
#[test]
fn uploads_go_to_the_origin_and_are_not_cached() {
    let keys = Keys::zipf(100, 1.0).unwrap();
    let mut s = scenario(
        simulation(200, 0, 74),
        vec![Workload {
            routes: vec![(BucketOp::Get.index(), 0.5), (BucketOp::Put.index(), 0.5)],
            ..workload("w", Target::Cdn(0), Arrival::Poisson { rate: 50.0 })
        }],
        vec![],
    );
    s.buckets = vec![bucket("assets")];
    s.cdns = vec![Cdn {
        transfer_acceleration: true,
        ..cdn(keys, 60.0, 1, false)
    }];
    let r = run(&s);
    conserve(&r);
    let st = &r.cdns["site"];
    assert_eq!(st.uploads, st.forwarded);
    assert!(st.uploads > 3_000, "{st:?}");
    assert_eq!(r.buckets["assets"].by_op.put, st.uploads);
    assert!((st.gb_uploaded - st.uploads as f64 * 1e-4).abs() < 1e-9);
    // Downloads only: the successful gets' bytes.
    let gets = st.succeeded - (st.uploads - r.cdns["site"].in_flight_end.min(st.uploads));
    assert!(st.gb_out <= gets as f64 * 1e-4 + 1e-9, "{st:?}");
}

/// DAX's item cache with write-through: reads and writes of the same
/// Zipf keys; a read hits when its item was read (and fetched) or written
/// within the item TTL.
#[test]
fn dax_item_cache_hits_as_the_write_through_renewal_says() {
    let (n, s, reads, writes, ttl_s) = (1_000u64, 1.0, 200.0, 50.0, 2.0);
    let p = zipf_p(n, s);
    let theory: f64 = p
        .iter()
        .map(|&pk| {
            let (l, mu) = (reads * pk, writes * pk);
            let fresh = ((mu * ttl_s).exp() - 1.0) / mu;
            pk * fresh / (fresh + 1.0 / (l + mu))
        })
        .sum();
    let keys = Keys::zipf(n, s).unwrap();
    let step = |op| match Step::table(0, op, 1, 1.0) {
        Step::Table {
            table,
            op,
            items,
            item_kb,
            transactional,
            index,
            ..
        } => Step::Table {
            table,
            op,
            items,
            item_kb,
            keys,
            transactional,
            index,
        },
        other => other,
    };
    let mut sc = scenario(
        simulation(1_500, 20, 75),
        vec![
            workload("r", Target::Lambda(0), Arrival::Poisson { rate: reads }),
            workload("w", Target::Lambda(1), Arrival::Poisson { rate: writes }),
        ],
        vec![
            lambda("reader", vec![step(TableOp::Get)]),
            lambda("writer", vec![step(TableOp::Put)]),
        ],
    );
    let mut t = table("items", Capacity::Provisioned { rcu: 1e5, wcu: 1e5 });
    t.consistency = Consistency::Eventual;
    t.read_latency = Dist::Const(0.0005);
    t.dax = Some(Dax {
        hit_ratio: None,
        ttl: (ttl_s * SECONDS as f64) as u64,
        query_ttl: DEFAULT_DAX_QUERY_TTL,
        hit_latency: Dist::Const(0.0005),
    });
    sc.tables = vec![t];
    let r = run(&sc);
    let (m, se, lookups) = hit_ratio(&r, "items");
    check_fraction(
        "DAX item hit ratio with write-through, zipf(1000, 1), 200 reads/s, 50 writes/s, ttl 2 s",
        theory,
        m,
        lookups,
        se,
    );
    // Without write-through the same reads would hit less: the writes
    // matter (the check could fail if they did not).
    let reads_only = renewal(&p, reads, ttl_s, 0.0005);
    assert!(
        m > reads_only + Z * se.max(binomial_se(m, lookups)),
        "{m} vs {reads_only}"
    );
    let c = &r.caches[0];
    assert_eq!(
        (c.kind, c.name.as_str(), c.emergent),
        ("dax", "items", true)
    );
    assert_eq!(c.hits, r.tables["items"].dax_hits);
    assert_eq!(c.lookups, c.hits + c.origin_requests);
}

/// The same keys, TTL and rate through a CloudFront edge, an API's
/// response cache and DAX: the `caches` section reports the three alike,
/// each with the renewal formula's hit ratio.
#[test]
fn cdn_api_cache_and_dax_are_comparable() {
    let (n, s, rate, ttl_s) = (1_000u64, 1.2, 200.0, 2.0);
    let keys = Keys::zipf(n, s).unwrap();
    let ttl = (ttl_s * SECONDS as f64) as u64;
    let mut a = api("api", 10_000.0, 5_000.0, 29.0, 0);
    a.routes[0].cacheable = true;
    a.cache = Some(ApiCache {
        ttl,
        hits: CacheHits::Keys(keys),
        hit_latency: Dist::Const(0.001),
        size_gb: 0.5,
    });
    let get = match Step::table(0, TableOp::Get, 1, 1.0) {
        Step::Table {
            table,
            op,
            items,
            item_kb,
            ..
        } => Step::Table {
            table,
            op,
            items,
            item_kb,
            keys,
            transactional: false,
            index: None,
        },
        other => other,
    };
    let mut sc = scenario(
        simulation(1_500, 20, 76),
        vec![
            workload("cdn-users", Target::Cdn(0), Arrival::Poisson { rate }),
            api_workload("api-users", 0, Arrival::Poisson { rate }),
            workload("dax-users", Target::Lambda(1), Arrival::Poisson { rate }),
        ],
        vec![
            lambda("f", vec![Step::Io(Dist::Const(0.001))]),
            lambda("reader", vec![get]),
        ],
    );
    sc.apis = vec![a];
    sc.buckets = vec![bucket("assets")];
    sc.cdns = vec![cdn(keys, ttl_s, 1, false)];
    let mut t = table("items", Capacity::Provisioned { rcu: 1e5, wcu: 1e5 });
    t.consistency = Consistency::Eventual;
    t.read_latency = Dist::Const(0.001);
    t.dax = Some(Dax {
        hit_ratio: None,
        ttl,
        query_ttl: ttl,
        hit_latency: Dist::Const(0.0005),
    });
    sc.tables = vec![t];
    let r = run(&sc);
    let kinds: Vec<&str> = r.caches.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, ["cdn", "api", "dax"]);
    let p = zipf_p(n, s);
    // Fill delays: the cdn's 3 ms; the API entry counts from the miss; DAX
    // fills 1 ms after the miss.
    for (name, d) in [("site", 0.003), ("api", 0.0), ("items", 0.001)] {
        let (m, se, lookups) = hit_ratio(&r, name);
        let c = r.caches.iter().find(|c| c.name == name).unwrap();
        assert!(c.emergent);
        assert_eq!(c.lookups, c.hits + c.origin_requests, "{c:?}");
        check_fraction(
            &format!("{} hit ratio, same keys and ttl", c.kind),
            renewal(&p, rate, ttl_s, d),
            m,
            lookups,
            se,
        );
    }
    // The API's own field agrees with its caches entry.
    let api_entry = r.caches.iter().find(|c| c.kind == "api").unwrap();
    assert_eq!(r.apis["api"].cache_hit_ratio, api_entry.hit_ratio);
}
