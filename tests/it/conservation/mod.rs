//! Conservation of requests, and cross-checks between components, over a
//! table of scenarios that exercise every way a request can end, plus
//! randomized scenarios over seeds.

mod checks;

use checks::{conserve, End};
use rand::Rng;

use crate::common::stats::*;
use crate::common::*;
use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::workload::Arrival;

const T: u64 = 400;
/// Arrivals stop this long before the end: longer than any timeout plus
/// retries used below.
const DRAIN: f64 = 150.0;
fn direct(f: Lambda, rate: f64) -> Scenario {
    scenario(
        simulation(T, 0, 1),
        vec![workload(
            "w",
            Target::Lambda(0),
            poisson_until(rate, (T as f64) - DRAIN),
        )],
        vec![f],
    )
}

fn behind_api(f: Lambda, a: Api, rate: f64) -> Scenario {
    let mut s = scenario(
        simulation(T, 0, 1),
        vec![api_workload(
            "w",
            0,
            poisson_until(rate, (T as f64) - DRAIN),
        )],
        vec![f],
    );
    s.apis = vec![a];
    s
}

#[test]
fn api_throttling() {
    let f = lambda("f", vec![Step::Io(Dist::Exp { mean: 0.1 })]);
    let s = behind_api(f, api("api", 50.0, 10.0, 29.0, 0), 70.0);
    let r = run(&s);
    conserve("api_throttling", &s, &r, End::Drained);
    let (w, a) = (&r.workloads["w"], &r.apis["api"]);
    assert!(a.throttled > 0);
    assert_eq!(w.throttled, a.throttled);
    assert_eq!(w.status["429"], a.throttled);
}

#[test]
fn function_errors() {
    let p = 0.3;
    let f = lambda(
        "f",
        vec![
            Step::Io(Dist::Exp { mean: 0.05 }),
            Step::Fail(p),
            Step::Io(Dist::Const(0.01)),
        ],
    );
    let s = direct(f, 200.0);
    let r = run(&s);
    conserve("function_errors", &s, &r, End::Drained);
    let f = &r.functions["f"];
    check_fraction(
        "fail step error fraction",
        p,
        f.errors as f64 / f.invocations as f64,
        f.invocations,
        0.0,
    );
}

#[test]
fn function_timeouts() {
    let mut f = lambda("f", vec![Step::Io(Dist::Exp { mean: 1.0 })]);
    f.timeout = 1500 * slsim::engine::MILLIS;
    let s = direct(f, 100.0);
    let r = run(&s);
    conserve("function_timeouts", &s, &r, End::Drained);
    let f = &r.functions["f"];
    // Exp(1) service against a 1.5 s timeout (init is not counted).
    check_fraction(
        "function timeout fraction",
        (-1.5f64).exp(),
        f.timeouts as f64 / f.invocations as f64,
        f.invocations,
        0.0,
    );
    // A timed-out invocation runs (and is billed) until the timeout:
    // E[min(S, k)] = 1 - e^-k, E[min(S, k)^2] = 2 (1 - e^-k (1 + k)).
    let k = 1.5f64;
    let m1 = 1.0 - (-k).exp();
    let m2 = 2.0 * (1.0 - (-k).exp() * (1.0 + k));
    check(
        "mean duration with timeout E[min(S, 1.5)] [s]",
        m1,
        f.mean_duration_ms.unwrap_or(0.0) / 1e3,
        f.invocations,
        ((m2 - m1 * m1) / f.invocations as f64).sqrt(),
        Z,
    );
}

/// API timeout 1 s in front of a function allowed 60 s: the client gets a
/// 504 while the function runs on to completion.
#[test]
fn api_integration_timeout() {
    let mut f = lambda("f", vec![Step::Io(Dist::Exp { mean: 1.0 })]);
    f.timeout = 60 * SECONDS;
    f.init = Dist::Const(0.0);
    let s = behind_api(f, api("api", 1e4, 1e4, 1.0, 0), 100.0);
    let r = run(&s);
    conserve("api_integration_timeout", &s, &r, End::Drained);
    let (w, a, f) = (&r.workloads["w"], &r.apis["api"], &r.functions["f"]);
    assert_eq!(f.timeouts, 0);
    assert_eq!(w.timed_out, a.status["504"]);
    assert_eq!(w.succeeded + w.timed_out, f.invocations);
    check_fraction(
        "api 504 fraction P(S > 1 s)",
        (-1.0f64).exp(),
        w.timed_out as f64 / w.requests as f64,
        w.requests,
        0.0,
    );
}

#[test]
fn dynamodb_throttling_and_give_ups() {
    let f = lambda("f", vec![get(0, 4.0), Step::Io(Dist::Const(0.01))]);
    let mut s = direct(f, 30.0);
    let mut t = table(
        "t",
        Capacity::Provisioned {
            rcu: 20.0,
            wcu: 5.0,
        },
    );
    t.burst_seconds = 1.0;
    s.tables = vec![t];
    let r = run(&s);
    conserve("dynamodb_throttling", &s, &r, End::Drained);
    let (w, f, t) = (&r.workloads["w"], &r.functions["f"], &r.tables["t"]);
    assert!(t.retries > 0 && t.failed > 0, "{t:?}");
    assert_eq!(f.errors, t.failed);
    assert_eq!(w.failed, t.failed);
}

#[test]
fn client_retries_on_concurrency_throttles() {
    let mut f = lambda("f", vec![Step::Io(Dist::Exp { mean: 0.5 })]);
    f.reserved_concurrency = Some(3);
    let mut s = direct(f, 5.0);
    s.workloads[0].retry = Some(ClientRetry {
        max_attempts: 3,
        backoff: Dist::Exp { mean: 0.3 },
    });
    let r = run(&s);
    conserve("client_retries", &s, &r, End::Drained);
    let (w, f) = (&r.workloads["w"], &r.functions["f"]);
    assert!(w.retries > 0 && w.throttled > 0);
    assert!(w.throttled < f.throttles);
    // Every throttle is followed by a retry unless it was the last attempt.
    assert_eq!(f.throttles, w.retries + w.throttled);
}

#[test]
fn concurrency_throttles_behind_api() {
    let mut f = lambda("f", vec![Step::Io(Dist::Exp { mean: 0.5 })]);
    f.reserved_concurrency = Some(2);
    let s = behind_api(f, api("api", 1e4, 1e4, 29.0, 0), 6.0);
    let r = run(&s);
    conserve("concurrency_throttles", &s, &r, End::Drained);
    let (w, a, f) = (&r.workloads["w"], &r.apis["api"], &r.functions["f"]);
    assert!(f.throttles > 0);
    assert_eq!(w.throttled, f.throttles);
    assert_eq!(a.status["500"], f.throttles);
}

#[test]
fn with_warm_up() {
    let mut f = lambda(
        "f",
        vec![
            get(0, 2.0),
            Step::Fail(0.1),
            Step::Io(Dist::Exp { mean: 0.4 }),
        ],
    );
    f.timeout = SECONDS;
    f.keep_alive = 3 * SECONDS;
    let mut s = behind_api(f, api("api", 40.0, 20.0, 0.8, 0), 50.0);
    s.simulation.warmup = 100 * SECONDS;
    let mut t = table(
        "t",
        Capacity::Provisioned {
            rcu: 15.0,
            wcu: 5.0,
        },
    );
    t.burst_seconds = 2.0;
    s.tables = vec![t];
    s.workloads[0].retry = Some(ClientRetry {
        max_attempts: 2,
        backoff: Dist::Const(0.1),
    });
    let r = run(&s);
    conserve("warm_up", &s, &r, End::Drained);
}

#[test]
fn ends_with_requests_in_flight() {
    let mut f = lambda("f", vec![get(0, 1.0), Step::Io(Dist::Const(30.0))]);
    f.timeout = 60 * SECONDS;
    let mut s = scenario(
        simulation(100, 0, 1),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 20.0 },
        )],
        vec![f],
    );
    s.tables = vec![table(
        "t",
        Capacity::Provisioned {
            rcu: 1000.0,
            wcu: 10.0,
        },
    )];
    let r = run(&s);
    conserve("in_flight", &s, &r, End::InFlight);
    let w = &r.workloads["w"];
    // Requests of the last 30 s (minus the few still initialising) are in
    // flight: Poisson(20 x 30), within 5 SE.
    check(
        "in flight at the end",
        600.0,
        w.in_flight as f64,
        w.requests,
        600f64.sqrt(),
        Z,
    );
}

/// Random scenarios: every feature, random parameters, drained or not.
#[test]
fn randomized_over_seeds() {
    // Across seeds, every way a request can end must have happened.
    let mut seen = [0u64; 8];
    for seed in 0..24u64 {
        let mut g = slsim::engine::stream(seed + seed_offset(), "conservation", "scenario");
        let mut u = |lo: f64, hi: f64| lo + (hi - lo) * g.random::<f64>();
        let drained = seed % 2 == 0;
        let until = if drained { 100.0 } else { 200.0 };
        let use_table = u(0.0, 1.0) < 0.6;
        let mut steps = Vec::new();
        if use_table {
            steps.push(get(0, u(0.5, 12.0)));
        }
        steps.push(Step::Compute {
            dist: Dist::Exp { mean: u(0.01, 0.3) },
            threads: 1.0,
        });
        steps.push(Step::Fail(u(0.0, 0.2)));
        steps.push(Step::Io(Dist::LogNormal {
            mu: u(-4.0, -1.0),
            sigma: u(0.2, 1.5),
        }));
        let mut f = lambda("f", steps);
        f.memory_mb = u(128.0, 3008.0) as u32;
        f.timeout = (u(0.3, 5.0) * SECONDS as f64) as u64;
        f.keep_alive = (u(0.5, 20.0) * SECONDS as f64) as u64;
        f.routing = [Routing::Mru, Routing::Lru, Routing::Random][(u(0.0, 3.0)) as usize % 3];
        if u(0.0, 1.0) < 0.5 {
            f.reserved_concurrency = Some(u(1.0, 30.0) as u32);
        }
        if u(0.0, 1.0) < 0.3 {
            // Provisioned environments, never more than the reservation.
            let cap = f.reserved_concurrency.unwrap_or(20);
            f.provisioned_concurrency = (u(0.0, 1.0) * cap as f64) as u32;
        }
        if u(0.0, 1.0) < 0.3 {
            f.max_lifetime = Some((u(1.0, 60.0) * SECONDS as f64) as u64);
        }
        let rate = u(5.0, 150.0);
        let arrival = poisson_until(rate, until);
        let mut w = if u(0.0, 1.0) < 0.5 {
            workload("w", Target::Lambda(0), arrival)
        } else {
            api_workload("w", 0, arrival)
        };
        if u(0.0, 1.0) < 0.5 {
            w.retry = Some(ClientRetry {
                max_attempts: u(1.0, 4.0) as u32,
                backoff: Dist::Exp { mean: u(0.05, 1.0) },
            });
        }
        let is_api = matches!(w.target, Target::Api(_));
        let mut s = scenario(simulation(200, 0, seed), vec![w], vec![f]);
        if is_api {
            s.apis = vec![api("api", u(5.0, 200.0), u(1.0, 100.0), u(0.5, 10.0), 0)];
        }
        if use_table {
            let mut t = table(
                "t",
                Capacity::Provisioned {
                    rcu: u(5.0, 300.0),
                    wcu: 5.0,
                },
            );
            t.burst_seconds = u(0.0, 20.0);
            t.sdk_retry = sdk_retry(u(1.0, 5.0) as u32);
            s.tables = vec![t];
        }
        // An external service after the first step and a schedule
        // publishing to a topic nobody subscribes, drawn from their own
        // stream so that the draws above stay those of earlier versions.
        let mut g2 = slsim::engine::stream(seed + seed_offset(), "conservation", "services");
        let mut v = |lo: f64, hi: f64| lo + (hi - lo) * g2.random::<f64>();
        if v(0.0, 1.0) < 0.5 {
            let rate = v(1.0, 100.0);
            s.services = vec![ExternalService {
                rate_limit: Some(service::RateLimit {
                    rate,
                    burst: v(1.0, 2.0 * rate),
                }),
                daily_quota: (v(0.0, 1.0) < 0.3).then(|| v(10.0, 2000.0) as u64),
                ..ExternalService::new(
                    "x",
                    Dist::Exp {
                        mean: v(0.001, 0.2),
                    },
                )
            }];
            s.lambdas[0].steps.insert(1, Step::External { service: 0 });
        }
        if v(0.0, 1.0) < 0.5 {
            s.topics = vec![Topic::new("news", vec![])];
            s.schedules = vec![Schedule::every(
                "tick",
                schedule::MINUTE * v(1.0, 3.0) as u64,
                Destination::Topic(0),
            )];
        }
        let r = run(&s);
        let end = if drained { End::Drained } else { End::Any };
        conserve(&format!("random seed {seed}"), &s, &r, end);
        let w = &r.workloads["w"];
        let tab = r.tables.get("t");
        for (k, v) in [
            w.succeeded,
            w.throttled,
            w.failed,
            w.timed_out,
            w.in_flight,
            w.retries,
            tab.map_or(0, |t| t.retries),
            tab.map_or(0, |t| t.failed),
        ]
        .into_iter()
        .enumerate()
        {
            seen[k] += v;
        }
    }
    eprintln!("randomized conservation: ok/throttled/failed/timed out/in flight/retries/sdk retries/sdk give-ups = {seen:?}");
    assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
}

/// A function calling a rate-limited external service: the invocations
/// that fail are those whose call the SDK gave up on, and every call and
/// throttle is accounted for; a schedule's firings all end.
#[test]
fn external_service_throttles_and_schedules() {
    let f = lambda(
        "f",
        vec![
            Step::Io(Dist::Exp { mean: 0.02 }),
            Step::External { service: 0 },
        ],
    );
    let mut s = direct(f, 30.0);
    s.services = vec![ExternalService {
        rate_limit: Some(service::RateLimit {
            rate: 10.0,
            burst: 20.0,
        }),
        ..ExternalService::new("ses", Dist::Const(0.05))
    }];
    s.queues = vec![Queue::new("q", QueueType::Standard)];
    s.schedules = vec![Schedule::every(
        "tick",
        schedule::MINUTE,
        Destination::Queue(0),
    )];
    let r = run(&s);
    conserve("external_service_throttles", &s, &r, End::Drained);
    let (x, f) = (&r.services["ses"], &r.functions["f"]);
    assert!(x.throttled > 0 && x.failed > 0 && x.retries > 0, "{x:?}");
    assert_eq!(f.errors, x.failed);
    assert_eq!(x.calls, f.invocations);
    let t = &r.schedules["tick"];
    assert_eq!(t.fired, 7, "minutes 0..=6 of a 400 s run");
    assert_eq!(r.queues["q"].sent, t.delivered);
}

/// API response cache: a fraction `hit_ratio` of admitted GET requests is
/// answered by API Gateway and never reaches the function.
#[test]
fn api_cache_hits_skip_the_function() {
    let h = 0.4;
    let f = lambda("f", vec![Step::Io(Dist::Exp { mean: 0.05 })]);
    let mut a = api("api", 1e4, 1e4, 29.0, 0);
    a.routes[0].cacheable = true;
    a.cache = Some(ApiCache {
        ttl: DEFAULT_CACHE_TTL,
        hits: CacheHits::Fixed(h),
        hit_latency: Dist::Const(0.002),
        size_gb: DEFAULT_CACHE_SIZE_GB,
    });
    let s = behind_api(f, a, 100.0);
    let r = run(&s);
    let (w, a, f) = (&r.workloads["w"], &r.apis["api"], &r.functions["f"]);
    assert_eq!(w.in_flight, 0);
    assert_eq!(w.requests, w.succeeded);
    assert_eq!(f.invocations + a.cache_hits, a.requests);
    assert_eq!(a.status["200"], a.requests);
    check_fraction(
        "API cache hit fraction",
        h,
        a.cache_hits as f64 / a.requests as f64,
        a.requests,
        0.0,
    );
}

/// S3 requests and notifications over seeds: a function putting and
/// getting on a few prefixes (its SDK retrying 503s), a workload reaching
/// the bucket directly, notifications to a function and a queue (with
/// filters and losses): every request and every notification ends in
/// exactly one state, and every delivered notification reached its
/// destination.
#[test]
fn randomized_buckets_over_seeds() {
    use slsim::dist::keys::Keys;
    // succeeded, SDK give-ups, retries, direct 503s, delivered, lost,
    // filtered.
    let mut seen = [0u64; 7];
    for seed in 0..10u64 {
        let mut g = slsim::engine::stream(seed + seed_offset(), "conservation", "buckets");
        let mut u = |lo: f64, hi: f64| lo + (hi - lo) * g.random::<f64>();
        let drained = seed % 2 == 0;
        let until = if drained { 30.0 } else { 90.0 };
        let prefixes = Some(Keys::Uniform {
            n: u(1.0, 3.0) as u64,
        });
        let call = |op| Step::Bucket {
            bucket: 0,
            op,
            size_kb: None,
            prefixes,
        };
        let mut f = lambda(
            "f",
            vec![
                Step::Io(Dist::Exp {
                    mean: u(0.001, 0.02),
                }),
                call(BucketOp::Put),
                call(BucketOp::Get),
            ],
        );
        f.init = Dist::Const(0.0);
        f.provisioned_concurrency = 900;
        let consumer = lambda("consumer", vec![Step::Fail(u(0.0, 0.3))]);
        let mut direct = workload(
            "direct",
            Target::Bucket(0),
            poisson_until(u(100.0, 7000.0), until),
        );
        direct.routes = vec![(0, 0.3), (1, 0.5), (2, 0.1), (3, 0.1)];
        let mut b = Bucket::new(
            "b",
            vec![
                Notify {
                    filter: u(0.3, 1.0),
                    delivery_failure: u(0.0, 0.2),
                    ..Notify::new(BucketEvent::Put, Destination::Lambda(1))
                },
                Notify {
                    filter: u(0.3, 1.0),
                    ..Notify::new(BucketEvent::Delete, Destination::Queue(0))
                },
            ],
        );
        b.notify_delay = Dist::Exp { mean: u(0.1, 5.0) };
        // A warm-up second: the exact caller/callee cross-checks of
        // `conserve` assume no asynchronous callers.
        let mut s = scenario(
            simulation(120, 1, seed),
            vec![
                workload(
                    "w",
                    Target::Lambda(0),
                    poisson_until(u(1000.0, 6000.0), until),
                ),
                direct,
            ],
            vec![f, consumer],
        );
        s.queues = vec![Queue::new("q", QueueType::Standard)];
        s.buckets = vec![b];
        let r = run(&s);
        let end = if drained { End::Drained } else { End::Any };
        conserve(&format!("bucket seed {seed}"), &s, &r, end);
        let b = &r.buckets["b"];
        let (to_f, to_q) = (&b.notify[0], &b.notify[1]);
        // Measured notifications reach their destination in the measured
        // window (which may also receive those of the warm-up's events).
        let a = r.functions["consumer"].asynchronous.as_ref().unwrap();
        assert!(a.accepted >= to_f.delivered, "seed {seed}");
        assert!(r.queues["q"].sent >= to_q.delivered, "seed {seed}");
        let direct_503 = r.workloads["direct"].throttled;
        for (k, v) in [
            b.succeeded,
            b.failed - direct_503,
            b.retries,
            direct_503,
            b.notifications_delivered,
            b.notifications_failed,
            to_f.filtered + to_q.filtered,
        ]
        .into_iter()
        .enumerate()
        {
            seen[k] += v;
        }
    }
    eprintln!("randomized buckets: ok/SDK give-ups/retries/direct 503s/delivered/lost/filtered = {seen:?}");
    assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
}

/// Every bundled scenario (MyTodoList, MyBlog, ...), at most two hours: every
/// request, message, record and notification ends in exactly one state,
/// whatever the kinds it uses; and the same seed gives the same figures.
#[test]
fn bundled_scenarios_conserve() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.iter().any(|p| p.ends_with("myblog.toml")));
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut s = slsim::scenario::parse_str(&text, &name, &[]).unwrap();
        if s.simulation.duration > 2 * 3600 * SECONDS {
            let sets = ["simulation.duration=\"2h\"".to_string()];
            s = slsim::scenario::parse_str(&text, &name, &sets).unwrap();
        }
        let r = run(&s);
        conserve(&name, &s, &r, End::Any);
        if name == "myblog.toml" {
            let again = run(&s);
            assert_eq!(
                serde_json::to_string(&r.workloads).unwrap(),
                serde_json::to_string(&again.workloads).unwrap(),
                "{name}: same seed, same figures"
            );
        }
    }
}
