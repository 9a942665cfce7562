//! `[[api]]` (API Gateway): its raw structs and their validation into
//! [`Api`] (type, throttling, timeouts, response cache, routes).
//!
//! Must not know: how requests are throttled or routed at run time.

use toml::Value;

use super::{Given, Kind};
use crate::dist::Dist;
use crate::engine::MILLIS;
use crate::model::limits;
use crate::model::*;
use crate::scenario::context::Cx;
use crate::scenario::error::list;
use crate::scenario::locate::FieldPath;
use crate::scenario::raw::Required;
use crate::scenario::shape::{strip_each, strip_sub};
use crate::scenario::validate::{choice, dist, dur, in_range, opt_dist};

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
    pub auth: Option<String>,
    pub cache: Option<RawApiCache>,
    pub routes: Vec<RawRoute>,
}

/// `cache = { ... }` of an api.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApiCache {
    pub ttl: Option<String>,
    pub hit_ratio: f64,
    pub hit_latency: Option<String>,
    pub size_gb: Option<f64>,
}

/// One entry of an api's `routes`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    pub route: String,
    pub target: String,
}

impl Required for RawApi {
    const REQUIRED: &'static [&'static str] = &["name", "routes"];
}
impl Required for RawApiCache {
    const REQUIRED: &'static [&'static str] = &["hit_ratio"];
}
impl Required for RawRoute {
    const REQUIRED: &'static [&'static str] = &["route", "target"];
}

impl Kind for RawApi {
    type Model = Api;

    fn strip_nested(cx: &mut Cx<'_>, path: &FieldPath, v: &mut Value) -> Vec<&'static str> {
        let mut m = strip_sub::<RawApiCache>(cx, path, v, "cache");
        m.extend(strip_each::<RawRoute>(cx, path, v, "routes"));
        m
    }

    fn validate(&self, cx: &mut Cx<'_>, i: usize, _: &Given<'_>) -> Option<Api> {
        api(cx, i, self)
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

/// Validates one `[[api]]`.
fn api(cx: &mut Cx<'_>, i: usize, r: &RawApi) -> Option<Api> {
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["api", i, f];
    let kind = choice(
        cx,
        &p("type"),
        &r.kind,
        &[("rest", ApiType::Rest), ("http", ApiType::Http)],
        ApiType::Rest,
    );
    let rate_limit = r.rate_limit.unwrap_or(DEFAULT_RATE_LIMIT);
    in_range(
        cx,
        &p("rate_limit"),
        rate_limit,
        limits::MIN_RATE,
        limits::MAX_RATE,
        "requests per second (AWS account default 10000)",
    );
    let burst = r.burst.unwrap_or(DEFAULT_BURST);
    in_range(
        cx,
        &p("burst"),
        burst,
        1.0,
        limits::MAX_RATE,
        "bucket size in requests (AWS account default 5000)",
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
    // Gateway overhead: UNCONFIRMED in aws-facts section 4, so 0 by default.
    let latency = dist(cx, &p("latency"), &r.latency, Dist::constant(0.0));
    let auth = opt_dist(cx, &p("auth"), &r.auth);
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
        in_range(
            cx,
            &cp.join("hit_ratio"),
            c.hit_ratio,
            0.0,
            1.0,
            "a fraction between 0 and 1",
        );
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
            hit_ratio: c.hit_ratio,
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
        routes.push(ApiRoute {
            route: route.to_string(),
            target: target.map_or(0, |t| t.1),
            cacheable: r.cache.is_some() && route.starts_with("GET "),
        });
    }
    if cx.problems.len() > before {
        return None;
    }
    Some(Api {
        name: r.name.clone(),
        kind,
        rate_limit,
        burst,
        timeout,
        latency,
        auth,
        cache,
        routes,
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
