//! `[[api]]` throttles, authorizers, usage plans and response sizes in
//! scenario files: a full valid example with its defaults, and each bound
//! and cross-check rejected with a located message and hint.

use slsim::engine::SECONDS;
use slsim::model::{
    ApiType, Auth, Cognito, CognitoPlan, QuotaPeriod, Throttle, UsagePlan, DEFAULT_IDENTITIES,
    DEFAULT_RESPONSE_KB,
};
use slsim::scenario;
use slsim::topology;

#[path = "support/rejected.rs"]
mod rejected;

const SIM: &str = "[simulation]\nduration = \"1h\"\n";

const GOOD: &str = r#"[simulation]
duration = "1h"
api_rate_limit = 20000
api_burst = 8000

[[workload]]
name = "users"
target = "shop"
arrival = "poisson(rate=5)"

[[api]]
name = "shop"
rate_limit = 500
auth = { lambda = "authz", cache_ttl = "60s", identities = 250 }
usage_plan = { keys = 20, rate_limit = 10, burst = 20, quota = 5000, quota_period = "week" }
routes = [
  { route = "GET /items", target = "items", rate_limit = 100, response_kb = 25 },
  { route = "POST /items", target = "items" },
]

[[api]]
name = "public"
type = "http"
auth = { cognito = "plus", mau = 1200 }
routes = [{ route = "GET /", target = "items" }]

[[lambda]]
name = "items"

[[lambda]]
name = "authz"
"#;

#[test]
fn an_api_scenario_parses_with_its_defaults() {
    let s = scenario::parse_str(GOOD, "good.toml", &[]).unwrap();
    assert_eq!(
        s.simulation.api_account,
        Throttle {
            rate: 20_000.0,
            burst: 8_000.0
        }
    );
    let (shop, public) = (&s.apis[0], &s.apis[1]);
    // A missing burst takes the enclosing bucket's: the stage's from the
    // account, the route's from the stage.
    assert_eq!(
        shop.stage,
        Some(Throttle {
            rate: 500.0,
            burst: 8_000.0
        })
    );
    assert_eq!(
        shop.routes[0].limit,
        Some(Throttle {
            rate: 100.0,
            burst: 8_000.0
        })
    );
    assert_eq!(shop.routes[1].limit, None);
    assert_eq!(shop.routes[0].response_kb, 25.0);
    assert_eq!(shop.routes[1].response_kb, DEFAULT_RESPONSE_KB);
    assert!(matches!(
        shop.auth,
        Some(Auth::Lambda { function: 1, cache_ttl, identities: 250 }) if cache_ttl == 60 * SECONDS
    ));
    assert_eq!(
        shop.usage_plan,
        Some(UsagePlan {
            keys: 20,
            limit: Some(Throttle {
                rate: 10.0,
                burst: 20.0
            }),
            quota: Some((5000, QuotaPeriod::Week)),
        })
    );
    assert_eq!(public.stage, None);
    match &public.auth {
        Some(Auth::Builtin { latency, cognito }) => {
            assert_eq!(
                *cognito,
                Some(Cognito {
                    plan: CognitoPlan::Plus,
                    mau: 1200.0
                })
            );
            assert_eq!(dbg(latency), dbg(&Auth::default_builtin_latency()));
        }
        other => panic!("{other:?}"),
    }
    // Default gateway overhead per type.
    assert_eq!(dbg(&shop.latency), dbg(&ApiType::Rest.default_overhead()));
    assert_eq!(dbg(&public.latency), dbg(&ApiType::Http.default_overhead()));
    // The authorizer is a synchronous edge of the call graph.
    let dot = topology::to_dot(&s);
    assert!(dot.contains("authorizer"), "{dot}");
}

fn dbg(d: &slsim::dist::Dist) -> String {
    format!("{d:?}")
}

#[test]
fn the_account_limit_is_bounded() {
    let text = "[simulation]\nduration = \"1h\"\napi_rate_limit = 2e6\n";
    let e = scenario::parse_str(text, "bad.toml", &[])
        .unwrap_err()
        .to_string();
    for x in ["bad.toml:3:", "api_rate_limit", "out of range", "10000"] {
        assert!(e.contains(x), "{x:?} in {e}");
    }
}

#[test]
fn the_overhead_defaults_are_rest_10ms_and_http_4ms_at_the_median() {
    for (kind, median, p99) in [(ApiType::Rest, 0.010, 0.025), (ApiType::Http, 0.004, 0.009)] {
        match kind.default_overhead() {
            slsim::dist::Dist::LogNormal { mu, sigma } => {
                assert!((mu.exp() - median).abs() < 1e-12, "{kind:?} median");
                let q99 = (mu + 2.326_347_874 * sigma).exp();
                assert!((q99 - p99).abs() < 1e-6, "{kind:?} p99 {q99}");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_lambda_authorizer_defaults_to_300s_and_1000_identities() {
    let text = format!(
        "{SIM}\n[[api]]\nname = \"a\"\nauth = {{ lambda = \"f\" }}\nroutes = [{{ route = \"GET /\", target = \"f\" }}]\n\n[[lambda]]\nname = \"f\"\n"
    );
    let s = scenario::parse_str(&text, "x.toml", &[]).unwrap();
    assert!(matches!(
        s.apis[0].auth,
        Some(Auth::Lambda { function: 0, cache_ttl, identities }) if cache_ttl == 300 * SECONDS && identities == DEFAULT_IDENTITIES
    ));
}

struct Case {
    name: &'static str,
    body: &'static str,
    expect: &'static [&'static str],
}

const FN: &str = "\n[[lambda]]\nname = \"f\"\n";

const CASES: &[Case] = &[
    Case { name: "route burst below 1", body: "[[api]]\nname = \"a\"\nroutes = [{ route = \"GET /\", target = \"f\", burst = 0.5 }]\n", expect: &["bad.toml:6:", "routes[0].burst", "out of range (allowed 1..=1000000)"] },
    Case { name: "response above 10 MB", body: "[[api]]\nname = \"a\"\nroutes = [{ route = \"GET /\", target = \"f\", response_kb = 20000 }]\n", expect: &["bad.toml:6:", "routes[0].response_kb", "10 MB"] },
    Case { name: "lambda and cognito together", body: "[[api]]\nname = \"a\"\nauth = { lambda = \"f\", cognito = \"lite\" }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", ".auth", "exclusive"] },
    Case { name: "auth table with neither", body: "[[api]]\nname = \"a\"\nauth = { cache_ttl = \"10s\" }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "needs `lambda` or `cognito`"] },
    Case { name: "cognito without mau", body: "[[api]]\nname = \"a\"\nauth = { cognito = \"essentials\" }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "needs `mau`", "monthly active users"] },
    Case { name: "unknown cognito plan", body: "[[api]]\nname = \"a\"\nauth = { cognito = \"essential\", mau = 5 }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "auth.cognito", "did you mean `essentials`?"] },
    Case { name: "negative mau", body: "[[api]]\nname = \"a\"\nauth = { cognito = \"lite\", mau = -1 }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "auth.mau", "out of range"] },
    Case { name: "mau on a lambda authorizer", body: "[[api]]\nname = \"a\"\nauth = { lambda = \"f\", mau = 5 }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "auth.mau", "belongs to a cognito authorizer"] },
    Case { name: "identities on a cognito authorizer", body: "[[api]]\nname = \"a\"\nauth = { cognito = \"lite\", mau = 5, identities = 3 }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "auth.identities", "belongs to a lambda authorizer"] },
    Case { name: "authorizer cache above an hour", body: "[[api]]\nname = \"a\"\nauth = { lambda = \"f\", cache_ttl = \"2h\" }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "auth.cache_ttl", "0s..=3600s"] },
    Case { name: "zero identities", body: "[[api]]\nname = \"a\"\nauth = { lambda = \"f\", identities = 0 }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "identities 0 is out of range (allowed 1..=10000000)"] },
    Case { name: "authorizer on a table", body: "[[api]]\nname = \"a\"\nauth = { lambda = \"t\" }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "auth.lambda", "`t` is a table"] },
    Case { name: "misspelt auth field", body: "[[api]]\nname = \"a\"\nauth = { lambda = \"f\", cache_tll = \"5s\" }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "cache_tll", "did you mean `cache_ttl`?"] },
    Case { name: "keys above 10000", body: "[[api]]\nname = \"a\"\nusage_plan = { keys = 20000, rate_limit = 5 }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "keys 20000 is out of range (allowed 1..=10000)", "10000 per account"] },
    Case { name: "usage plan without keys", body: "[[api]]\nname = \"a\"\nusage_plan = { rate_limit = 5 }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "missing field `keys`"] },
    Case { name: "quota period without quota", body: "[[api]]\nname = \"a\"\nusage_plan = { keys = 2, quota_period = \"day\" }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "quota_period without quota"] },
    Case { name: "unknown quota period", body: "[[api]]\nname = \"a\"\nusage_plan = { keys = 2, quota = 5, quota_period = \"year\" }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "usage_plan.quota_period", "`year` is not a valid value"] },
    Case { name: "zero quota", body: "[[api]]\nname = \"a\"\nusage_plan = { keys = 2, quota = 0 }\nroutes = [{ route = \"GET /\", target = \"f\" }]\n", expect: &["bad.toml:6:", "quota 0 is out of range"] },
];

#[test]
fn api_mistakes_are_rejected_with_located_messages() {
    let failures = rejected::failures(CASES.iter().map(|c| {
        let text = format!("{SIM}\n{}{FN}", c.body);
        (c.name, text, c.expect)
    }));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
