//! S3 buckets (aws-facts 10.7, 6): the request-rate limit per partitioned
//! prefix (3,500 PUT/s; 503 Slow Down beyond, retried by the caller's
//! SDK), event notifications to a function (one asynchronous invocation
//! per put, after the notification delay), to a queue and to a topic, the
//! conservation of requests and notifications, and the S3 bill.

use crate::common::stats::*;
use crate::common::*;
use crate::queues::{queue, with_queues};
use slsim::cost::MONTH_SECONDS;
use slsim::dist::keys::Keys;
use slsim::dist::Dist;
use slsim::model::bucket::PUT_RATE;
use slsim::model::*;
use slsim::sim::RunResult;
use slsim::workload::Arrival;

/// A bucket with constant latencies (10 ms) and immediate notifications.
fn bucket(name: &str, notify: Vec<Notify>) -> Bucket {
    Bucket {
        latency: std::array::from_fn(|_| Dist::Const(0.010)),
        notify_delay: Dist::Const(0.0),
        ..Bucket::new(name, notify)
    }
}

/// A function with no cold start and no asynchronous dispatch delay.
fn instant(name: &str, steps: Vec<Step>) -> Lambda {
    let mut l = lambda(name, steps);
    l.init = Dist::Const(0.0);
    l.async_invoke.dispatch = Dist::Const(0.0);
    l
}

/// A workload sending `mix` ((op, weight)) to bucket `b` directly.
fn direct(name: &str, b: usize, arrival: Arrival, mix: &[(BucketOp, f64)]) -> Workload {
    let total: f64 = mix.iter().map(|m| m.1).sum();
    Workload {
        routes: mix.iter().map(|(o, w)| (o.index(), w / total)).collect(),
        ..workload(name, Target::Bucket(b), arrival)
    }
}

fn with_buckets(
    sim: Simulation,
    workloads: Vec<Workload>,
    lambdas: Vec<Lambda>,
    queues: Vec<Queue>,
    buckets: Vec<Bucket>,
) -> Scenario {
    Scenario {
        buckets,
        ..with_queues(sim, workloads, lambdas, queues)
    }
}

/// Every bucket's requests and notifications end in exactly one state,
/// and every workload's requests too.
pub fn conserved(r: &RunResult) {
    for (name, b) in &r.buckets {
        assert_eq!(
            b.requests,
            b.succeeded + b.failed + b.in_flight_end,
            "bucket {name}: {b:?}"
        );
        assert_eq!(b.slow_down, b.retries + b.failed, "bucket {name}: {b:?}");
        assert!(b.quota_exhausted <= b.failed, "bucket {name}");
        for n in &b.notify {
            assert_eq!(n.events, n.filtered + n.sent, "bucket {name}: {n:?}");
            assert_eq!(
                n.sent,
                n.delivered + n.failed + n.pending_end,
                "bucket {name}: {n:?}"
            );
        }
        let sum =
            |f: fn(&slsim::services::bucket::RuleStats) -> u64| b.notify.iter().map(f).sum::<u64>();
        assert_eq!(b.notifications_sent, sum(|n| n.sent), "{name}");
        assert_eq!(b.notifications_delivered, sum(|n| n.delivered), "{name}");
        assert_eq!(
            b.notifications_pending_end,
            sum(|n| n.pending_end),
            "{name}"
        );
    }
    for (name, w) in &r.workloads {
        assert_eq!(
            w.requests,
            w.succeeded + w.throttled + w.failed + w.timed_out + w.in_flight,
            "workload {name}"
        );
    }
}

/// 10,000 PUT/s on one prefix: each one-second window serves 3,500 and
/// answers the rest 503 Slow Down; spread over 4 prefixes (2,500/s each)
/// none is refused.
#[test]
fn one_prefix_serves_3500_puts_per_second_and_four_serve_10000() {
    let (rate, t) = (10_000.0, 20u64);
    let run_with = |prefixes: Keys| {
        let s = with_buckets(
            simulation(t, 0, 41),
            vec![direct(
                "users",
                0,
                Arrival::Poisson { rate },
                &[(BucketOp::Put, 1.0)],
            )],
            vec![],
            vec![],
            vec![Bucket {
                prefixes,
                ..bucket("b", vec![])
            }],
        );
        let r = run(&s);
        conserved(&r);
        r
    };
    let r = run_with(Keys::Uniform { n: 1 });
    let b = &r.buckets["b"];
    let n = b.requests;
    check(
        "PUT arrivals [1/s]",
        rate,
        n as f64 / t as f64,
        n,
        (rate / t as f64).sqrt(),
        Z,
    );
    // Every window has ~10,000 ± 100 arrivals (Poisson), so the cap
    // binds in each of the 20: P(fewer than 3,500) is below 1e-300.
    assert_eq!(b.billed.put, u64::from(PUT_RATE) * t, "{b:?}");
    // A direct request has no SDK: one attempt, and its 503 is its
    // answer.
    let hot = &b.hot_prefixes[0];
    assert_eq!((hot.prefix, hot.share, hot.attempts), (1, 1.0, n));
    assert_eq!(hot.slow_down, n - b.billed.put);
    assert_eq!((b.retries, b.slow_down), (0, b.failed));
    let w = &r.workloads["users"];
    assert_eq!(w.throttled, b.failed);
    assert_eq!(w.status["slow_down"], b.failed);
    let sent = series(&r, "b", "put_rps");
    let refused = series(&r, "b", "slow_down");
    for s in 0..t as usize {
        assert!(sent[s] > 9000.0, "second {s}: {}", sent[s]);
        assert_eq!(refused[s], sent[s] - f64::from(PUT_RATE), "second {s}");
    }
    assert!(r.findings.iter().any(|f| f.component == "bucket b"
        && f.message.contains("spread keys over more prefixes")
        && f.message.contains("100.0 % of the attempts")));

    let r = run_with(Keys::Uniform { n: 4 });
    let b = &r.buckets["b"];
    // 2,500/s per prefix: 20 standard deviations below 3,500.
    assert_eq!((b.slow_down, b.failed), (0, 0), "{b:?}");
    assert_eq!(b.billed.put, b.requests);
    assert_eq!(b.prefixes, 4);
    for p in &b.hot_prefixes {
        check_fraction("prefix share", 0.25, p.share, b.requests, 0.0);
    }
    assert!(!r.findings.iter().any(|f| f.component == "bucket b"));
}

/// A function putting 10 KB objects to one prefix of bucket `b` at
/// Poisson `rate`/s (warm environments to spare), with its own
/// `sdk_retry` if given.
fn uploader(rate: f64, warm: u64, t: u64, seed: u64, sdk_retry: Option<SdkRetry>) -> Scenario {
    let mut sim = simulation(t, warm, seed);
    sim.account_concurrency = 20_000;
    let put = Step::Bucket {
        bucket: 0,
        op: BucketOp::Put,
        size_kb: Some(10.0),
        prefixes: None,
    };
    let mut f = instant("uploader", vec![put]);
    f.provisioned_concurrency = 6_000;
    f.sdk_retry = sdk_retry;
    with_buckets(
        sim,
        vec![workload("w", Target::Lambda(0), Arrival::Poisson { rate })],
        vec![f],
        vec![],
        vec![bucket("b", vec![])],
    )
}

/// A function putting 4,000 objects/s to one prefix: its SDK retries the
/// 503s (3 attempts, standard mode's default for S3), each window still
/// serves 3,500, and in the steady state the requests the prefix cannot
/// take (~500/s) fail after their last attempt, failing the function.
#[test]
fn the_sdk_retries_503s_and_gives_up_after_three_attempts() {
    let (rate, warm, t) = (4_000.0, 40u64, 100u64);
    let r = run(&uploader(rate, warm, t, 42, None));
    conserved(&r);
    let (b, f) = (&r.buckets["b"], &r.functions["uploader"]);
    let measured = (t - warm) as f64;
    // Full windows serve exactly the limit: within one window at each end
    // of the measured window (whose requests straddle it).
    let per_s = b.billed.put as f64 / measured;
    assert!(
        (per_s - f64::from(PUT_RATE)).abs() <= 2.0 * f64::from(PUT_RATE) / measured,
        "{per_s}"
    );
    assert!(b.retries > 0 && b.failed > 0, "{b:?}");
    // Every failed request used its 3 attempts unless the quota ran dry.
    assert!(b.retries >= 2 * (b.failed - b.quota_exhausted), "{b:?}");
    // Arrivals the prefix cannot serve fail: ~500/s, within the Poisson
    // error and the edges of the window (a request retries for at most
    // 1 s + 2 s of backoff: 3 s of windows may serve requests of the
    // warm-up, or requests still in flight at the end).
    let edge = 3.0 * f64::from(PUT_RATE) / measured;
    check(
        "failed S3 requests [1/s]",
        rate - f64::from(PUT_RATE),
        b.failed as f64 / measured,
        b.requests,
        Z * (rate / measured).sqrt() + edge,
        1.0,
    );
    // The SDK's error fails the function's invocation (its cause is the
    // bucket).
    assert_eq!(f.errors, b.failed);
    let w = &r.workloads["w"];
    assert_eq!(w.failed, b.failed);
    assert_eq!(w.status.get("function_error").copied(), Some(b.failed));
}

/// A function's own `sdk_retry` governs its S3 calls too: with one attempt
/// (no retries) every 503 fails its request at once, so the failed
/// requests are exactly the 503s.
#[test]
fn a_function_sdk_retry_replaces_s3s_default() {
    let one_attempt = SdkRetry {
        max_attempts: 1,
        ..SdkRetry::other_services()
    };
    let r = run(&uploader(4_000.0, 10, 40, 43, Some(one_attempt)));
    conserved(&r);
    let b = &r.buckets["b"];
    assert!(b.slow_down > 0, "{b:?}");
    assert_eq!(b.retries, 0, "{b:?}");
    assert_eq!(b.failed, b.slow_down, "{b:?}");
}

/// Each put notifies the function once: one asynchronous invocation per
/// put, arriving after the notification delay (mean 2 s, exponential).
#[test]
fn each_put_invokes_the_function_once_after_the_delay() {
    let mean = 2.0;
    let mut b = bucket(
        "photos",
        vec![Notify::new(BucketEvent::Put, Destination::Lambda(0))],
    );
    b.notify_delay = Dist::Exp { mean };
    let (rate, until, t) = (50.0, 100.0, 200u64);
    let s = with_buckets(
        simulation(t, 0, 43),
        vec![direct(
            "uploads",
            0,
            poisson_until(rate, until),
            &[(BucketOp::Put, 1.0)],
        )],
        vec![instant("thumbnail", vec![])],
        vec![],
        vec![b],
    );
    let r = run(&s);
    conserved(&r);
    let (b, f) = (&r.buckets["photos"], &r.functions["thumbnail"]);
    let puts = b.by_op.put;
    assert!(puts > 4000, "{puts}");
    assert_eq!((b.succeeded, b.notifications_sent), (puts, puts));
    assert_eq!(
        (b.notifications_delivered, b.notifications_pending_end),
        (puts, 0)
    );
    let a = f.asynchronous.as_ref().expect("invoked asynchronously");
    assert_eq!((a.accepted, a.succeeded, f.invocations), (puts, puts, puts));
    let rule = &b.notify[0];
    check(
        "mean notification delay [s]",
        mean,
        rule.mean_delay_ms.unwrap() / 1e3,
        puts,
        mean / (puts as f64).sqrt(),
        Z,
    );
    // End to end: the function's invocations come, on average, the mean
    // delay after the puts (series of 1 s buckets, read at their middles;
    // the rounding adds 1/12 s² of variance per put and per invocation).
    let mean_time = |v: &[f64]| {
        let n: f64 = v.iter().sum();
        v.iter()
            .enumerate()
            .map(|(i, x)| (i as f64 + 0.5) * x)
            .sum::<f64>()
            / n
    };
    let put_series: Vec<f64> = series(&r, "photos", "put_rps").to_vec();
    let inv = series(&r, "thumbnail", "invocations");
    let lag = mean_time(inv) - mean_time(&put_series);
    let se = ((mean * mean + 2.0 / 12.0) / puts as f64).sqrt();
    // The notification follows the put's 10 ms round trip.
    check(
        "invocation lag after the put [s]",
        mean + 0.010,
        lag,
        puts,
        se,
        Z,
    );
}

/// Puts notify a queue (one message each), deletes a topic whose
/// subscriber queue gets one message each; a filter passes its share.
#[test]
fn puts_and_deletes_notify_queues_and_topics_with_filters() {
    let p = 0.3;
    let rules = vec![
        Notify::new(BucketEvent::Put, Destination::Queue(0)),
        Notify::new(BucketEvent::Delete, Destination::Topic(0)),
        Notify {
            filter: p,
            ..Notify::new(BucketEvent::Put, Destination::Queue(1))
        },
    ];
    let mut s = with_buckets(
        simulation(300, 0, 44),
        vec![direct(
            "app",
            0,
            poisson_until(40.0, 250.0),
            &[
                (BucketOp::Put, 0.6),
                (BucketOp::Delete, 0.3),
                (BucketOp::Get, 0.1),
            ],
        )],
        vec![],
        vec![
            queue("created", QueueType::Standard, 30),
            queue("filtered", QueueType::Standard, 30),
            queue("removed", QueueType::Standard, 30),
        ],
        vec![Bucket {
            notify_delay: Dist::Exp { mean: 1.0 },
            ..bucket("b", rules)
        }],
    );
    s.topics = vec![Topic {
        latency: Dist::Const(0.0),
        ..Topic::new("deletions", vec![Subscription::new(Endpoint::Queue(2))])
    }];
    let r = run(&s);
    conserved(&r);
    crate::queues::conserved(&r);
    let b = &r.buckets["b"];
    let (puts, deletes) = (b.billed.put, b.billed.delete);
    assert!(puts > 5000 && deletes > 2500, "{b:?}");
    assert_eq!(b.notify[0].events, puts);
    assert_eq!(r.queues["created"].sent, puts);
    assert_eq!(b.notify[1].events, deletes);
    assert_eq!(r.topics["deletions"].published, deletes);
    assert_eq!(r.queues["removed"].sent, deletes);
    let f = &b.notify[2];
    assert_eq!(r.queues["filtered"].sent, f.sent);
    check(
        "notification filter share",
        p,
        f.sent as f64 / puts as f64,
        puts,
        binomial_se(p, puts),
        Z,
    );
    // Gets notify nothing.
    assert_eq!(b.notifications_sent, puts + deletes + f.sent);
}

/// Requests and storage are billed as aws-facts 10.7 says: PUT and LIST
/// $0.005 per 1,000, GET $0.0004 per 1,000, DELETE free, storage $0.023
/// per GB-month; a direct get's bytes as data transfer out at $0.09/GB
/// (aws-facts 10.2; free tier off).
#[test]
fn requests_storage_and_data_out_are_priced_per_the_fact_sheet() {
    let s = with_buckets(
        simulation(1000, 0, 45),
        vec![direct(
            "visitors",
            0,
            Arrival::Constant { rate: 10.0 },
            &[
                (BucketOp::Get, 0.5),
                (BucketOp::Put, 0.3),
                (BucketOp::List, 0.1),
                (BucketOp::Delete, 0.1),
            ],
        )],
        vec![],
        vec![],
        vec![Bucket {
            object_kb: Dist::Const(100.0),
            size_gb: 100.0,
            ..bucket("site", vec![])
        }],
    );
    let r = run(&s);
    let b = &r.buckets["site"];
    assert!(b.billed.total() >= 9_990, "{b:?}");
    assert!(b.billed.get > 0 && b.billed.put > 0 && b.billed.list > 0 && b.billed.delete > 0);
    let scale = MONTH_SECONDS / r.measured_seconds;
    let requests = ((b.billed.put + b.billed.list) as f64 * 0.005 + b.billed.get as f64 * 0.0004)
        / 1000.0
        * scale;
    let storage = 100.0 * 0.023;
    let got = r.cost.by_component["site"];
    let s3 = r.cost.by_service["s3"];
    assert!(
        (s3 - (requests + storage)).abs() < 1e-9,
        "{s3} vs {requests} + {storage}"
    );
    // 100 KB per get, to the internet.
    assert!((b.gb_out_internet - b.billed.get as f64 * 1e-4).abs() < 1e-12);
    let dto = b.gb_out_internet * scale * 0.09;
    assert!(
        b.gb_out_internet * scale < 10_240.0,
        "within the first tier"
    );
    let got_dto = r.cost.by_service["data_transfer"];
    assert!((got_dto - dto).abs() < 1e-9 * dto, "{got_dto} vs {dto}");
    assert!((got - (requests + storage + dto)).abs() < 1e-9 * got);
    // Bytes move with each served attempt (billed with it).
    assert!((b.gb_in - b.billed.put as f64 * 1e-4).abs() < 1e-12);
}
