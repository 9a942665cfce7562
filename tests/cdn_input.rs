//! `[[cdn]]` (CloudFront) and DAX's cache fields in scenario files: a full
//! valid example with every default, and each bound and cross-check
//! rejected with a located message and a hint.

use slsim::dist::keys::Keys;
use slsim::dist::Dist;
use slsim::model::cdn::{Cdn, DEFAULT_TTL};
use slsim::model::{BucketOp, CdnOrigin, Target, DEFAULT_DAX_QUERY_TTL, DEFAULT_DAX_TTL};
use slsim::scenario;

#[path = "support/rejected.rs"]
mod rejected;

const SIM: &str = "[simulation]\nduration = \"1h\"\n";

const GOOD: &str = r#"[simulation]
duration = "1h"

[[workload]]
name = "viewers"
target = "site"
arrival = "poisson(rate=50)"
ops = { get = 9, put = 1 }

[[workload]]
name = "readers"
target = "edge-api"
arrival = "poisson(rate=5)"
routes = { "GET /todos" = 1 }

[[cdn]]
name = "site"
origin = "assets"
keys = "zipf(n=10000, s=0.9)"

[[cdn]]
name = "edge-api"
origin = "api"
keys = "uniform(n=100)"
ttl = "60s"
object_kb = "lognormal(median=20KB, sigma=1)"
size_gb = 10
origin_shield = true
edges = 20
hit_latency = "const(2ms)"
origin_latency = "const(30ms)"
shield_latency = "const(8ms)"

[[bucket]]
name = "assets"

[[api]]
name = "api"
routes = [{ route = "GET /todos", target = "f" }, { route = "POST /todos", target = "f" }]

[[lambda]]
name = "f"
steps = [{ call = "t", op = "get", keys = "zipf(n=1000, s=1)" }]

[[table]]
name = "t"
dax = { item_ttl = "2m", query_ttl = "30s" }
"#;

#[test]
fn a_cdn_scenario_parses_with_its_defaults() {
    let s = scenario::parse_str(GOOD, "good.toml", &[]).unwrap();
    assert_eq!(s.workloads[0].target, Target::Cdn(0));
    assert_eq!(
        s.workloads[0].routes,
        vec![(BucketOp::Get.index(), 0.9), (BucketOp::Put.index(), 0.1)]
    );
    assert_eq!(s.workloads[1].target, Target::Cdn(1));
    assert_eq!(s.workloads[1].routes, vec![(0, 1.0)]);
    let show = |d: &Dist| format!("{d:?}");
    let site = &s.cdns[0];
    let d = Cdn::new("x", CdnOrigin::Bucket(0), Keys::Many);
    assert_eq!(site.origin, CdnOrigin::Bucket(0));
    assert!(matches!(site.keys, Keys::Zipf { n: 10_000, .. }));
    assert_eq!(site.ttl, DEFAULT_TTL);
    assert_eq!(site.ttl, 86_400 * slsim::engine::SECONDS);
    assert!(site.object_kb.is_none());
    assert_eq!(
        (site.size_gb, site.origin_shield, site.edges),
        (0.0, false, 1)
    );
    assert!(!site.transfer_acceleration);
    assert_eq!(show(&site.hit_latency), show(&d.hit_latency));
    assert_eq!(show(&site.origin_latency), show(&d.origin_latency));
    assert_eq!(show(&site.shield_latency), show(&d.shield_latency));
    let e = &s.cdns[1];
    assert_eq!(e.origin, CdnOrigin::Api(0));
    assert_eq!(e.ttl, 60 * slsim::engine::SECONDS);
    assert!((e.object_kb.as_ref().unwrap().mean() - 20.0 * 0.5f64.exp()).abs() < 1e-6);
    assert_eq!((e.size_gb, e.origin_shield, e.edges), (10.0, true, 20));
    assert_eq!(show(&e.shield_latency), show(&Dist::Const(0.008)));
    let dax = s.tables[0].dax.as_ref().unwrap();
    assert_eq!(dax.hit_ratio, None);
    assert_eq!(dax.ttl, 120 * slsim::engine::SECONDS);
    assert_eq!(dax.query_ttl, 30 * slsim::engine::SECONDS);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // The graph draws the workloads and the origins.
    let dot = slsim::topology::to_dot(&s);
    for e in [
        "\"viewers\" -> \"site\"",
        "\"site\" -> \"assets\" [label=\"origin\"]",
        "\"edge-api\" -> \"api\" [label=\"origin\"]",
    ] {
        assert!(dot.contains(e), "missing {e:?} in\n{dot}");
    }
}

#[test]
fn dax_defaults_and_the_fixed_ratio_still_parse() {
    let text = format!("{SIM}\n[[table]]\nname = \"t\"\ndax = {{}}\n\n[[table]]\nname = \"u\"\ndax = {{ hit_ratio = 0.8, ttl = \"5m\" }}\n");
    let s = scenario::parse_str(&text, "good.toml", &[]).unwrap();
    let (a, b) = (
        s.tables[0].dax.as_ref().unwrap(),
        s.tables[1].dax.as_ref().unwrap(),
    );
    assert_eq!(
        (a.hit_ratio, a.ttl, a.query_ttl),
        (None, DEFAULT_DAX_TTL, DEFAULT_DAX_QUERY_TTL)
    );
    assert_eq!(a.ttl, 300 * slsim::engine::SECONDS);
    assert_eq!(b.hit_ratio, Some(0.8));
    // A TTL with a fixed hit ratio is still not used: warned.
    assert!(
        s.warnings.iter().any(|w| w.contains("dax.ttl")),
        "{:?}",
        s.warnings
    );
}

struct Case {
    name: &'static str,
    body: &'static str,
    expect: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case { name: "missing origin", body: "[[cdn]]\nname = \"c\"\nkeys = \"uniform(n=10)\"\n", expect: &["bad.toml:4:", "cdn[0]", "missing field `origin`"] },
    Case { name: "missing keys", body: "[[cdn]]\nname = \"c\"\norigin = \"b\"\n", expect: &["bad.toml:4:", "keys"] },
    Case { name: "origin not defined", body: "[[cdn]]\nname = \"c\"\norigin = \"bb\"\nkeys = \"uniform(n=10)\"\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:6:", "cdn[0] \"c\" .origin", "`bb` is not defined"] },
    Case { name: "origin is a lambda", body: "[[cdn]]\nname = \"c\"\norigin = \"f\"\nkeys = \"uniform(n=10)\"\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:6:", "cdn[0] \"c\" .origin", "`f` is a lambda", "must be a bucket or api"] },
    Case { name: "bad keys", body: "[[cdn]]\nname = \"c\"\norigin = \"b\"\nkeys = \"zipff(n=10, s=1)\"\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:7:", "cdn[0] \"c\" .keys", "did you mean `zipf`?"] },
    Case { name: "ttl above the MaxTTL", body: "[[cdn]]\nname = \"c\"\norigin = \"b\"\nkeys = \"uniform(n=10)\"\nttl = \"366d\"\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "cdn[0] \"c\" .ttl", "out of range", "MaxTTL"] },
    Case { name: "object size not a size", body: "[[cdn]]\nname = \"c\"\norigin = \"b\"\nkeys = \"uniform(n=10)\"\nobject_kb = \"big\"\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "cdn[0] \"c\" .object_kb", "lognormal(median=200KB, sigma=1)"] },
    Case { name: "negative size_gb", body: "[[cdn]]\nname = \"c\"\norigin = \"b\"\nkeys = \"uniform(n=10)\"\nsize_gb = -1\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "cdn[0] \"c\" .size_gb", "out of range", "cache size of one edge"] },
    Case { name: "zero edges", body: "[[cdn]]\nname = \"c\"\norigin = \"b\"\nkeys = \"uniform(n=10)\"\nedges = 0\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "cdn[0] \"c\" .edges", "out of range", "edge locations"] },
    Case { name: "too many edges", body: "[[cdn]]\nname = \"c\"\norigin = \"b\"\nkeys = \"uniform(n=10)\"\nedges = 5000\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "cdn[0] \"c\" .edges", "out of range"] },
    Case { name: "bad hit latency", body: "[[cdn]]\nname = \"c\"\norigin = \"b\"\nkeys = \"uniform(n=10)\"\nhit_latency = \"quick\"\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "cdn[0] \"c\" .hit_latency"] },
    Case { name: "bad origin latency", body: "[[cdn]]\nname = \"c\"\norigin = \"b\"\nkeys = \"uniform(n=10)\"\norigin_latency = \"-3ms\"\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "cdn[0] \"c\" .origin_latency"] },
    Case { name: "shield latency without a shield", body: "[[cdn]]\nname = \"c\"\norigin = \"b\"\nkeys = \"uniform(n=10)\"\nshield_latency = \"const(5ms)\"\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "cdn[0] \"c\" .shield_latency", "origin_shield = true"] },
    Case { name: "origin shield not a boolean", body: "[[cdn]]\nname = \"c\"\norigin = \"b\"\nkeys = \"uniform(n=10)\"\norigin_shield = \"yes\"\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "origin_shield"] },
    Case { name: "acceleration with an api origin", body: "[[cdn]]\nname = \"c\"\norigin = \"a\"\nkeys = \"uniform(n=10)\"\ntransfer_acceleration = true\n\n[[api]]\nname = \"a\"\nroutes = [{ route = \"GET /\", target = \"f\" }]\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:8:", "cdn[0] \"c\" .transfer_acceleration", "bucket origin"] },
    Case { name: "misspelt cdn field", body: "[[cdn]]\nname = \"c\"\norigin = \"b\"\nkeys = \"uniform(n=10)\"\nedge = 4\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "edge", "did you mean `edges`?"] },
    Case { name: "ops through a cdn in front of an api", body: "[[workload]]\nname = \"w\"\ntarget = \"c\"\narrival = \"poisson(rate=1)\"\nops = { get = 1 }\n\n[[cdn]]\nname = \"c\"\norigin = \"a\"\nkeys = \"uniform(n=10)\"\n\n[[api]]\nname = \"a\"\nroutes = [{ route = \"GET /\", target = \"f\" }]\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:8:", "workload[0] \"w\" .ops", "ops only applies when the target is a bucket"] },
    Case { name: "unknown route through a cdn", body: "[[workload]]\nname = \"w\"\ntarget = \"c\"\narrival = \"poisson(rate=1)\"\nroutes = { \"GET /x\" = 1 }\n\n[[cdn]]\nname = \"c\"\norigin = \"a\"\nkeys = \"uniform(n=10)\"\n\n[[api]]\nname = \"a\"\nroutes = [{ route = \"GET /\", target = \"f\" }]\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:8:", "routes.\"GET /x\"", "api `a` has no route `GET /x`"] },
    Case { name: "routes through a cdn in front of a bucket", body: "[[workload]]\nname = \"w\"\ntarget = \"c\"\narrival = \"poisson(rate=1)\"\nroutes = { \"GET /\" = 1 }\n\n[[cdn]]\nname = \"c\"\norigin = \"b\"\nkeys = \"uniform(n=10)\"\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:8:", "workload[0] \"w\" .routes", "routes only applies when the target is an api"] },
    Case { name: "dax ttl and item_ttl", body: "[[table]]\nname = \"t\"\ndax = { ttl = \"5m\", item_ttl = \"5m\" }\n", expect: &["bad.toml:6:", "dax.ttl", "older name of `item_ttl`"] },
    Case { name: "dax item ttl above 30 days", body: "[[table]]\nname = \"t\"\ndax = { item_ttl = \"40d\" }\n", expect: &["bad.toml:6:", "dax.item_ttl", "out of range", "0s..=30d"] },
    Case { name: "dax bad query ttl", body: "[[table]]\nname = \"t\"\ndax = { query_ttl = \"soon\" }\n", expect: &["bad.toml:6:", "dax.query_ttl"] },
    Case { name: "dax hit ratio above 1", body: "[[table]]\nname = \"t\"\ndax = { hit_ratio = 1.5 }\n", expect: &["bad.toml:6:", "dax.hit_ratio", "out of range", "omit it for a hit ratio that emerges"] },
    Case { name: "misspelt dax field", body: "[[table]]\nname = \"t\"\ndax = { item_tll = \"5m\" }\n", expect: &["bad.toml:6:", "item_tll", "did you mean `item_ttl`?"] },
];

#[test]
fn cdn_and_dax_mistakes_are_rejected_with_located_messages() {
    let failures = rejected::failures(CASES.iter().map(|c| {
        let text = format!("{SIM}\n{}", c.body);
        (c.name, text, c.expect)
    }));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
