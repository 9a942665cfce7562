//! `[[bucket]]`, its `notify` rules, S3 call steps (`call` and the `s3`
//! alias) and workloads reaching a bucket directly (`ops`) in scenario
//! files: a full valid example with every default, and each bound and
//! cross-check rejected with a located message and a hint.

use slsim::dist::keys::Keys;
use slsim::dist::Dist;
use slsim::model::bucket::{Bucket, BucketEvent, BucketOp, Notify};
use slsim::model::{Destination, Step, Target};
use slsim::scenario;

#[path = "support/rejected.rs"]
mod rejected;

const SIM: &str = "[simulation]\nduration = \"1h\"\n";

const GOOD: &str = r#"[simulation]
duration = "1h"

[[workload]]
name = "owners"
target = "photos"
arrival = "poisson(rate=5)"
ops = { get = 3, put = 1 }

[[bucket]]
name = "photos"
notify = ["thumbnail", { on = "delete", target = "removed", filter = 0.5 }, { target = "uploads", delivery_failure = 0.01 }]

[[bucket]]
name = "site"
get_latency = "const(5ms)"
put_latency = "const(6ms)"
list_latency = "const(7ms)"
delete_latency = "const(8ms)"
object_kb = "lognormal(median=200KB, sigma=1)"
size_gb = 50
prefixes = "zipf(n=100, s=1.1)"
notify_delay = "exp(mean=2s)"

[[lambda]]
name = "thumbnail"
steps = [
  { call = "photos", op = "get", size_kb = 2000 },
  { s3 = "site", op = "put", prefixes = "uniform(n=4)" },
  { call = "site", op = "list" },
]

[[queue]]
name = "removed"

[[topic]]
name = "uploads"
subscribers = ["removed"]
"#;

#[test]
fn a_bucket_scenario_parses_with_its_defaults() {
    let s = scenario::parse_str(GOOD, "good.toml", &[]).unwrap();
    assert_eq!(s.workloads[0].target, Target::Bucket(0));
    assert_eq!(
        s.workloads[0].routes,
        vec![(BucketOp::Get.index(), 0.75), (BucketOp::Put.index(), 0.25)]
    );
    let show = |d: &Dist| format!("{d:?}");
    let photos = &s.buckets[0];
    assert_eq!(
        photos.notify,
        vec![
            Notify::new(BucketEvent::Put, Destination::Lambda(0)),
            Notify {
                filter: 0.5,
                ..Notify::new(BucketEvent::Delete, Destination::Queue(0))
            },
            Notify {
                delivery_failure: 0.01,
                ..Notify::new(BucketEvent::Put, Destination::Topic(0))
            },
        ]
    );
    for (got, want) in photos.latency.iter().zip(Bucket::default_latencies()) {
        assert_eq!(show(got), show(&want));
    }
    assert_eq!(show(&photos.object_kb), show(&Bucket::default_object_kb()));
    assert_eq!(
        show(&photos.notify_delay),
        show(&Bucket::default_notify_delay())
    );
    assert_eq!(photos.prefixes, Keys::Uniform { n: 1 });
    assert_eq!(photos.size_gb, 0.0);
    let site = &s.buckets[1];
    assert_eq!(show(&site.latency[2]), show(&Dist::Const(0.007)));
    assert_eq!(show(&site.latency[3]), show(&Dist::Const(0.008)));
    assert!((site.object_kb.mean() - 200.0 * 0.5f64.exp()).abs() < 1e-6);
    assert_eq!(site.size_gb, 50.0);
    assert!(matches!(site.prefixes, Keys::Zipf { n: 100, .. }));
    assert_eq!(show(&site.notify_delay), show(&Dist::Exp { mean: 2.0 }));
    match &s.lambdas[0].steps[..] {
        [Step::Bucket {
            bucket: 0,
            op: BucketOp::Get,
            size_kb: Some(kb),
            prefixes: None,
        }, Step::Bucket {
            bucket: 1,
            op: BucketOp::Put,
            size_kb: None,
            prefixes: Some(Keys::Uniform { n: 4 }),
        }, Step::Bucket {
            bucket: 1,
            op: BucketOp::List,
            ..
        }] => assert_eq!(*kb, 2000.0),
        other => panic!("{other:?}"),
    }
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // The graph draws the workload, the calls and the notifications.
    let dot = slsim::topology::to_dot(&s);
    for e in [
        "\"owners\" -> \"photos\"",
        "\"thumbnail\" -> \"site\" [label=\"put\"]",
        "\"photos\" -> \"thumbnail\" [label=\"notify put\", style=dotted]",
        "\"photos\" -> \"removed\" [label=\"notify delete\", style=dashed]",
        "\"photos\" -> \"uploads\" [label=\"notify put\", style=dashed]",
    ] {
        assert!(dot.contains(e), "missing {e:?} in\n{dot}");
    }
}

struct Case {
    name: &'static str,
    body: &'static str,
    expect: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case { name: "notify target not defined", body: "[[bucket]]\nname = \"b\"\nnotify = [\"thumbnial\"]\n\n[[lambda]]\nname = \"thumbnail\"\n", expect: &["bad.toml:6:", "notify[0].target", "`thumbnial` is not defined", "did you mean `thumbnail`?"] },
    Case { name: "notify target is a table", body: "[[bucket]]\nname = \"b\"\nnotify = [{ target = \"d\" }]\n\n[[table]]\nname = \"d\"\n", expect: &["bad.toml:6:", "`d` is a table", "must be a lambda, queue or topic"] },
    Case { name: "notify target is a bucket", body: "[[bucket]]\nname = \"b\"\nnotify = [\"b\"]\n", expect: &["bad.toml:6:", "`b` is a bucket", "must be a lambda, queue or topic"] },
    Case { name: "FIFO notify target", body: "[[bucket]]\nname = \"b\"\nnotify = [\"q\"]\n\n[[queue]]\nname = \"q\"\ntype = \"fifo\"\n", expect: &["bad.toml:6:", "`q` is a FIFO queue, which cannot receive S3 event notifications", "standard queue"] },
    Case { name: "unknown event", body: "[[bucket]]\nname = \"b\"\nnotify = [{ on = \"puts\", target = \"f\" }]\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:6:", "notify[0].on", "`puts` is not a valid value", "did you mean `put`?"] },
    Case { name: "filter above 1", body: "[[bucket]]\nname = \"b\"\nnotify = [{ target = \"f\", filter = 1.5 }]\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:6:", "notify[0].filter", "1.5 is out of range (allowed 0..=1)"] },
    Case { name: "negative delivery failure", body: "[[bucket]]\nname = \"b\"\nnotify = [{ target = \"f\", delivery_failure = -0.5 }]\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:6:", "notify[0].delivery_failure", "-0.5 is out of range"] },
    Case { name: "misspelt notify field", body: "[[bucket]]\nname = \"b\"\nnotify = [{ target = \"f\", filtre = 0.5 }]\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:6:", "filtre", "did you mean `filter`?"] },
    Case { name: "misspelt bucket field", body: "[[bucket]]\nname = \"b\"\nget_latncy = \"const(5ms)\"\n", expect: &["bad.toml:6:", "get_latncy", "did you mean `get_latency`?"] },
    Case { name: "negative size_gb", body: "[[bucket]]\nname = \"b\"\nsize_gb = -1\n", expect: &["bad.toml:6:", "size_gb", "-1 is out of range"] },
    Case { name: "size_gb above an exabyte", body: "[[bucket]]\nname = \"b\"\nsize_gb = 2e9\n", expect: &["bad.toml:6:", "size_gb", "out of range"] },
    Case { name: "object above 5 TB", body: "[[bucket]]\nname = \"b\"\nobject_kb = \"6TB\"\n", expect: &["bad.toml:6:", "object_kb", "out of range", "5 TB"] },
    Case { name: "object size without a size", body: "[[bucket]]\nname = \"b\"\nobject_kb = \"big\"\n", expect: &["bad.toml:6:", "object_kb", "lognormal(median=200KB, sigma=1)"] },
    Case { name: "object size empirical", body: "[[bucket]]\nname = \"b\"\nobject_kb = \"empirical(x.csv)\"\n", expect: &["bad.toml:6:", "object_kb", "cannot be empirical"] },
    Case { name: "too many prefixes", body: "[[bucket]]\nname = \"b\"\nprefixes = \"uniform(n=1e6)\"\n", expect: &["bad.toml:6:", "prefixes", "above the limit of 100,000"] },
    Case { name: "bad prefix model", body: "[[bucket]]\nname = \"b\"\nprefixes = \"zipff(n=3, s=1)\"\n", expect: &["bad.toml:6:", "prefixes", "did you mean `zipf`?"] },
    Case { name: "bad latency", body: "[[bucket]]\nname = \"b\"\nput_latency = \"fast\"\n", expect: &["bad.toml:6:", "put_latency"] },
    Case { name: "call without op", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"b\" }]\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:6:", "a call to bucket `b` needs `op`", "\"get\" | \"put\" | \"list\" | \"delete\""] },
    Case { name: "unknown op", body: "[[lambda]]\nname = \"f\"\nsteps = [{ s3 = \"b\", op = \"gett\" }]\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:6:", "steps[0].op", "`gett` is not an S3 operation", "did you mean `get`?"] },
    Case { name: "s3 alias to a table", body: "[[lambda]]\nname = \"f\"\nsteps = [{ s3 = \"d\", op = \"get\" }]\n\n[[table]]\nname = \"d\"\n", expect: &["bad.toml:6:", "steps[0].s3", "`d` is a table", "must be a bucket"] },
    Case { name: "call and s3 together", body: "[[lambda]]\nname = \"f\"\nsteps = [{ s3 = \"b\", call = \"b\", op = \"get\" }]\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:6:", "more than one of `call`, `s3`"] },
    Case { name: "size_kb above 5 TB", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"b\", op = \"put\", size_kb = 6e9 }]\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:6:", "steps[0].size_kb", "out of range", "5 TB"] },
    Case { name: "size_kb on a delete", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"b\", op = \"delete\", size_kb = 6 }]\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:6:", "`size_kb` does not apply to a delete"] },
    Case { name: "items on a bucket call", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"b\", op = \"get\", items = 2 }]\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:6:", "`items` does not apply"] },
    Case { name: "step prefixes above the limit", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"b\", op = \"get\", prefixes = \"uniform(n=200000)\" }]\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:6:", "steps[0].prefixes", "above the limit"] },
    Case { name: "prefixes on a table call", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"d\", op = \"get\", prefixes = \"uniform(n=2)\" }]\n\n[[table]]\nname = \"d\"\n", expect: &["bad.toml:6:", "`prefixes` does not apply"] },
    Case { name: "unknown op in a workload mix", body: "[[workload]]\nname = \"w\"\ntarget = \"b\"\narrival = \"poisson(rate=1)\"\nops = { gets = 1 }\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "ops.gets", "`gets` is not an S3 operation", "did you mean `get`?"] },
    Case { name: "negative op weight", body: "[[workload]]\nname = \"w\"\ntarget = \"b\"\narrival = \"poisson(rate=1)\"\nops = { get = -1 }\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "ops.get", "out of range"] },
    Case { name: "ops on a lambda target", body: "[[workload]]\nname = \"w\"\ntarget = \"f\"\narrival = \"poisson(rate=1)\"\nops = { get = 1 }\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:8:", "ops only applies when the target is a bucket"] },
    Case { name: "routes on a bucket target", body: "[[workload]]\nname = \"w\"\ntarget = \"b\"\narrival = \"poisson(rate=1)\"\nroutes = { \"GET /\" = 1 }\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "routes only applies when the target is an api"] },
];

#[test]
fn bucket_mistakes_are_rejected_with_located_messages() {
    let failures = rejected::failures(CASES.iter().map(|c| {
        let text = format!(
            "{SIM}{}{}",
            if c.body.starts_with('[') { "\n" } else { "" },
            c.body
        );
        (c.name, text, c.expect)
    }));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
