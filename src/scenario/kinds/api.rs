//! `[[api]]` (API Gateway): its raw structs and their validation into
//! [`Api`] (type, throttling, timeouts, response cache, routes).
//!
//! Must not know: how requests are throttled or routed at run time.

use toml::Value;

use super::{Given, Kind};
use crate::engine::{MILLIS, SECONDS};
use crate::model::limits;
use crate::model::*;
use crate::scenario::context::Cx;
use crate::scenario::error::list;
use crate::scenario::locate::FieldPath;
use crate::scenario::raw::Required;
use crate::scenario::shape::{strip_each, strip_sub};
use crate::scenario::validate::{choice, dist, dur, dur_in, in_range, int_in, opt_dist};

/// `[[api]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApi {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub rate_limit: Option<f64>,
    pub burst: Option<f64>,
    pub timeout: Option<String>,
    pub latency: Option<String>,
    pub auth: Option<RawAuth>,
    pub cache: Option<RawApiCache>,
    pub usage_plan: Option<RawUsagePlan>,
    pub routes: Vec<RawRoute>,
    /// The Region of its stage (default: the home Region).
    pub region: Option<String>,
}

/// `auth = "<latency>"` (an authorizer API Gateway runs itself) or
/// `auth = { ... }`.
#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
pub enum RawAuth {
    Latency(String),
    Table(RawAuthTable),
}

/// `auth = { lambda = "fn", ... }` or `auth = { cognito = "essentials", ... }`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuthTable {
    pub lambda: Option<String>,
    pub cache_ttl: Option<String>,
    pub identities: Option<i64>,
    pub cognito: Option<String>,
    pub mau: Option<f64>,
    pub latency: Option<String>,
}

/// `usage_plan = { ... }` of an api.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUsagePlan {
    pub keys: i64,
    pub rate_limit: Option<f64>,
    pub burst: Option<f64>,
    pub quota: Option<i64>,
    pub quota_period: Option<String>,
}

/// `cache = { ... }` of an api.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApiCache {
    pub ttl: Option<String>,
    pub hit_ratio: Option<f64>,
    /// Popularity of the requested resources (the hit ratio emerges).
    pub keys: Option<String>,
    pub hit_latency: Option<String>,
    pub size_gb: Option<f64>,
}

/// One entry of an api's `routes`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    pub route: String,
    pub target: String,
    pub rate_limit: Option<f64>,
    pub burst: Option<f64>,
    pub response_kb: Option<f64>,
}

impl Required for RawApi {
    const REQUIRED: &'static [&'static str] = &["name", "routes"];
}
impl Required for RawApiCache {}
impl Required for RawAuthTable {}
impl Required for RawUsagePlan {
    const REQUIRED: &'static [&'static str] = &["keys"];
}
impl Required for RawRoute {
    const REQUIRED: &'static [&'static str] = &["route", "target"];
}

impl Kind for RawApi {
    type Model = Api;

    fn strip_nested(cx: &mut Cx<'_>, path: &FieldPath, v: &mut Value) -> Vec<&'static str> {
        let mut m = strip_sub::<RawApiCache>(cx, path, v, "cache");
        m.extend(strip_sub::<RawAuthTable>(cx, path, v, "auth"));
        m.extend(strip_sub::<RawUsagePlan>(cx, path, v, "usage_plan"));
        m.extend(strip_each::<RawRoute>(cx, path, v, "routes"));
        m
    }

    fn validate(&self, cx: &mut Cx<'_>, i: usize, g: &Given<'_>) -> Option<Api> {
        let region = super::geo::region(
            cx,
            &crate::fp!["api", i, "region"],
            &self.region,
            g.simulation,
        );
        let a = api(cx, i, self, g.simulation.api_account)?;
        let unknown = self
            .region
            .as_deref()
            .is_some_and(|r| crate::model::geo::Region::parse(r).is_none());
        if !unknown {
            super::geo::same_region(cx, i, &a, region, g);
        }
        Some(Api { region, ..a })
    }
}

const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];

/// `METHOD /path`: a known method, exactly one space, a path that starts
/// with `/` and holds no whitespace or control character.
fn route_form(route: &str) -> Result<(), &'static str> {
    if route.trim() != route {
        return Err("leading or trailing space");
    }
    let Some((method, path)) = route.split_once(' ') else {
        return Err("no space between method and path");
    };
    if !METHODS.contains(&method) {
        return Err("unknown method");
    }
    if path.starts_with(' ') {
        return Err("more than one space after the method");
    }
    if !path.starts_with('/') {
        return Err("the path must start with `/`");
    }
    if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("the path contains a space or control character");
    }
    Ok(())
}

/// A token bucket from optional `rate_limit` and `burst` under `path`
/// (`path.join("rate_limit")`, ...): `None` when neither is given; a
/// missing one takes the value of `outer` (the bucket it sits inside).
fn throttle(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    rate: Option<f64>,
    burst: Option<f64>,
    outer: Throttle,
    whose: &str,
) -> Option<Throttle> {
    if rate.is_none() && burst.is_none() {
        return None;
    }
    let field = |f: &str| path.join(f);
    let rate = in_range(
        cx,
        &field("rate_limit"),
        rate.unwrap_or(outer.rate),
        limits::MIN_RATE,
        limits::MAX_RATE,
        &format!(
            "{whose}'s steady rate in requests per second (the account-level default is 10000)"
        ),
    );
    let burst = in_range(
        cx,
        &field("burst"),
        burst.unwrap_or(outer.burst),
        1.0,
        limits::MAX_RATE,
        &format!("{whose}'s bucket size in requests (the account-level default is 5000)"),
    );
    Some(Throttle { rate, burst })
}

/// Validates `auth`.
fn auth(cx: &mut Cx<'_>, p: &FieldPath, r: &RawAuth) -> Option<Auth> {
    let t = match r {
        RawAuth::Latency(s) => {
            let latency = opt_dist(cx, p, &Some(s.clone()))?;
            return Some(Auth::Builtin {
                latency,
                cognito: None,
            });
        }
        RawAuth::Table(t) => t,
    };
    let example = "auth = { lambda = \"my-authorizer\", cache_ttl = \"300s\" } or auth = { cognito = \"essentials\", mau = 50000 }";
    match (&t.lambda, &t.cognito) {
        (Some(f), None) => {
            for (given, name) in [(t.mau.is_some(), "mau"), (t.latency.is_some(), "latency")] {
                if given {
                    cx.err(
                        &p.join(name),
                        format!("`{name}` belongs to a cognito authorizer"),
                        "a lambda authorizer's latency is its function's; remove it",
                    );
                }
            }
            let function = cx
                .resolve(&p.join("lambda"), f, &["lambda"], "an authorizer")?
                .1;
            let cache_ttl = dur_in(
                cx,
                &p.join("cache_ttl"),
                &t.cache_ttl,
                DEFAULT_AUTH_CACHE_TTL,
                (0, limits::MAX_AUTH_CACHE_TTL_S * SECONDS),
                "0s..=3600s",
                "API Gateway caches authorizer results 0s (off) to 3600s, default 300s",
            );
            let identities = int_in(
                cx,
                &p.join("identities"),
                t.identities,
                DEFAULT_IDENTITIES.into(),
                (1, limits::MAX_IDENTITIES),
                "distinct callers (tokens) the requests come from, drawn uniformly",
            ) as u32;
            Some(Auth::Lambda {
                function,
                cache_ttl,
                identities,
            })
        }
        (None, Some(plan)) => {
            for (given, name) in [
                (t.cache_ttl.is_some(), "cache_ttl"),
                (t.identities.is_some(), "identities"),
            ] {
                if given {
                    cx.err(
                        &p.join(name),
                        format!("`{name}` belongs to a lambda authorizer"),
                        "a cognito authorizer is checked by API Gateway itself; remove it",
                    );
                }
            }
            let plan = choice(
                cx,
                &p.join("cognito"),
                &Some(plan.clone()),
                &[
                    ("lite", CognitoPlan::Lite),
                    ("essentials", CognitoPlan::Essentials),
                    ("plus", CognitoPlan::Plus),
                ],
                CognitoPlan::Essentials,
            );
            let latency = dist(
                cx,
                &p.join("latency"),
                &t.latency,
                Auth::default_builtin_latency(),
            );
            let Some(mau) = t.mau else {
                cx.err(
                    p,
                    "a cognito authorizer needs `mau`",
                    "add `mau = 50000`: the user pool's monthly active users, billed per user",
                );
                return None;
            };
            in_range(
                cx,
                &p.join("mau"),
                mau,
                0.0,
                limits::MAX_MAU,
                "monthly active users of the user pool",
            );
            Some(Auth::Builtin {
                latency,
                cognito: Some(Cognito { plan, mau }),
            })
        }
        (Some(_), Some(_)) => {
            cx.err(p, "`lambda` and `cognito` are exclusive", example);
            None
        }
        (None, None) => {
            cx.err(p, "an auth table needs `lambda` or `cognito`", example);
            None
        }
    }
}

/// Validates `usage_plan`.
fn usage_plan(cx: &mut Cx<'_>, p: &FieldPath, u: &RawUsagePlan, stage: Throttle) -> UsagePlan {
    let keys = int_in(
        cx,
        &p.join("keys"),
        Some(u.keys),
        1,
        (1, limits::MAX_API_KEYS),
        "API keys the callers are spread over (AWS: at most 10000 per account and Region)",
    ) as u32;
    let limit = throttle(cx, p, u.rate_limit, u.burst, stage, "a key");
    let period = choice(
        cx,
        &p.join("quota_period"),
        &u.quota_period,
        &[
            ("day", QuotaPeriod::Day),
            ("week", QuotaPeriod::Week),
            ("month", QuotaPeriod::Month),
        ],
        QuotaPeriod::Day,
    );
    if u.quota.is_none() && u.quota_period.is_some() {
        cx.err(
            &p.join("quota_period"),
            "quota_period without quota",
            "add `quota = N` (requests per key per period) or remove quota_period",
        );
    }
    let quota = u.quota.map(|q| {
        let q = int_in(
            cx,
            &p.join("quota"),
            Some(q),
            1,
            (1, limits::MAX_QUOTA),
            "requests per key per quota_period (day, week or month)",
        );
        (q, period)
    });
    UsagePlan { keys, limit, quota }
}

/// Validates one `[[api]]`.
fn api(cx: &mut Cx<'_>, i: usize, r: &RawApi, account: Throttle) -> Option<Api> {
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["api", i, f];
    let kind = choice(
        cx,
        &p("type"),
        &r.kind,
        &[("rest", ApiType::Rest), ("http", ApiType::Http)],
        ApiType::Rest,
    );
    let stage = throttle(
        cx,
        &crate::fp!["api", i],
        r.rate_limit,
        r.burst,
        account,
        "the stage",
    );
    let (default_t, max_t, max_s) = kind.timeouts();
    let timeout = dur(cx, &p("timeout"), &r.timeout, default_t);
    if r.timeout.is_some() && !(50 * MILLIS..=max_t).contains(&timeout) {
        cx.err(
            &p("timeout"),
            "integration timeout out of range",
            format!(
                "allowed 50ms..={max_s} for {} api",
                if kind == ApiType::Rest {
                    "a rest"
                } else {
                    "an http"
                }
            ),
        );
    }
    // Gateway overhead: an assumption per API type (see
    // `ApiType::default_overhead`; aws-facts 4 and 10.5).
    let latency = dist(cx, &p("latency"), &r.latency, kind.default_overhead());
    let auth = r.auth.as_ref().and_then(|a| auth(cx, &p("auth"), a));
    let usage_plan = r
        .usage_plan
        .as_ref()
        .map(|u| usage_plan(cx, &p("usage_plan"), u, stage.unwrap_or(account)));
    let cache = r.cache.as_ref().map(|c| {
        let cp = p("cache");
        if kind == ApiType::Http {
            cx.key_err(
                &cp,
                "a response cache is only available on rest apis",
                "remove `cache`, or set type = \"rest\"",
            );
        }
        let ttl = dur(cx, &cp.join("ttl"), &c.ttl, DEFAULT_CACHE_TTL);
        if ttl > MAX_CACHE_TTL {
            cx.err(
                &cp.join("ttl"),
                "cache ttl above 3600s",
                "API Gateway allows 0s..=3600s",
            );
        }
        let hits = match (c.hit_ratio, &c.keys) {
            (Some(h), None) => CacheHits::Fixed(in_range(
                cx,
                &cp.join("hit_ratio"),
                h,
                0.0,
                1.0,
                "a fraction between 0 and 1",
            )),
            (None, Some(k)) => match crate::scenario::values::keys(k) {
                Ok(k) => CacheHits::Keys(k),
                Err(b) => {
                    cx.err(&cp.join("keys"), b.message, b.hint.unwrap_or_default());
                    CacheHits::Fixed(0.0)
                }
            },
            (Some(_), Some(_)) => {
                cx.err(
                    &cp.join("hit_ratio"),
                    "both `hit_ratio` and `keys`",
                    "give `keys` (the hit ratio then emerges from the popularity of the requested resources and the ttl) or a fixed `hit_ratio`, not both",
                );
                CacheHits::Fixed(0.0)
            }
            (None, None) => {
                cx.key_err(
                    &cp,
                    "a cache needs `keys` or `hit_ratio`",
                    "cache = { ttl = \"300s\", keys = \"zipf(n=10000, s=1)\" } (the hit ratio emerges), or cache = { hit_ratio = 0.6 }",
                );
                CacheHits::Fixed(0.0)
            }
        };
        let hit_latency = dist(
            cx,
            &cp.join("hit_latency"),
            &c.hit_latency,
            ApiCache::default_hit_latency(),
        );
        let size_gb = c.size_gb.unwrap_or(DEFAULT_CACHE_SIZE_GB);
        in_range(
            cx,
            &cp.join("size_gb"),
            size_gb,
            f64::MIN_POSITIVE,
            237.0,
            "cache size in GB, > 0 (AWS sizes 0.5 ..= 237)",
        );
        ApiCache {
            ttl,
            hits,
            hit_latency,
            size_gb,
        }
    });
    if r.routes.is_empty() {
        cx.err(
            &p("routes"),
            "an api needs at least one route",
            "routes = [{ route = \"GET /items\", target = \"my-function\" }]",
        );
    }
    let mut routes = Vec::new();
    for (k, rt) in r.routes.iter().enumerate() {
        let rp = p("routes").join(k);
        let route = rt.route.as_str();
        if let Err(why) = route_form(route) {
            cx.err(
                &rp.join("route"),
                format!("{route:?} is not a route: {why}"),
                format!(
                    "write METHOD, one space, then a path starting with `/` and without spaces, e.g. \"GET /todos\"; methods: {}",
                    list(&METHODS)
                ),
            );
        }
        if let Some(j) = r.routes[..k].iter().position(|o| o.route == route) {
            cx.err(
                &rp.join("route"),
                format!("duplicate route `{route}` (also routes[{j}])"),
                "each route may appear once per api",
            );
        }
        let target = cx.resolve(
            &rp.join("target"),
            &rt.target,
            &["lambda"],
            "a route target",
        );
        let limit = throttle(
            cx,
            &rp,
            rt.rate_limit,
            rt.burst,
            stage.unwrap_or(account),
            "the route",
        );
        let response_kb = in_range(
            cx,
            &rp.join("response_kb"),
            rt.response_kb.unwrap_or(DEFAULT_RESPONSE_KB),
            0.0,
            limits::MAX_RESPONSE_KB,
            "size of a successful response in KB (1 KB = 1024 bytes; API Gateway's payload limit is 10 MB)",
        );
        routes.push(ApiRoute {
            route: route.to_string(),
            target: target.map_or(0, |t| t.1),
            cacheable: r.cache.is_some() && route.starts_with("GET "),
            limit,
            response_kb,
        });
    }
    if cx.problems.len() > before {
        return None;
    }
    Some(Api {
        name: r.name.clone(),
        kind,
        stage,
        timeout,
        latency,
        auth,
        cache,
        usage_plan,
        routes,
        region: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::{assert_required, field_names};

    #[test]
    fn nested_required_fields_are_required() {
        assert_required::<RawApiCache>();
        assert_required::<RawRoute>();
        assert_required::<RawUsagePlan>();
    }

    #[test]
    fn field_names_are_recovered() {
        let f = field_names::<RawApi>();
        assert!(f.contains(&"type"));
        assert!(f.contains(&"routes"));
    }

    #[test]
    fn routes_are_method_space_path() {
        assert_eq!(route_form("GET /items"), Ok(()));
        assert_eq!(route_form("FETCH /items"), Err("unknown method"));
        assert_eq!(
            route_form("GET  /items"),
            Err("more than one space after the method")
        );
        assert_eq!(route_form("GET items"), Err("the path must start with `/`"));
    }
}
