//! Stage two: raw structs to the typed [`Scenario`], reporting every
//! problem. Defaults live here; each cites the row of
//! `aws-facts.md` it comes from (see also `docs/scenario-format.md`).

use crate::dist::Dist;
use crate::engine::{SimDuration, MILLIS};

use super::context::Cx;
use super::error::suggest;
use super::locate::FieldPath;
use super::numbers;
use super::raw::*;
use super::shape::Raws;
use super::values;
use crate::model::limits;
use crate::model::*;

/// Parses an optional duration, with a default [ns].
pub fn dur(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    raw: &Option<String>,
    default: SimDuration,
) -> SimDuration {
    match raw {
        None => default,
        Some(s) => values::duration(s).unwrap_or_else(|b| {
            cx.err(path, b.message, b.hint.unwrap_or_default());
            default
        }),
    }
}

/// Parses an optional distribution.
pub fn opt_dist(cx: &mut Cx<'_>, path: &FieldPath, raw: &Option<String>) -> Option<Dist> {
    let s = raw.as_ref()?;
    match values::dist_in(s, &mut cx.samples) {
        Ok(d) => Some(d),
        Err(b) => {
            cx.err(path, b.message, b.hint.unwrap_or_default());
            None
        }
    }
}

/// Parses an optional distribution, with a default.
pub fn dist(cx: &mut Cx<'_>, path: &FieldPath, raw: &Option<String>, default: Dist) -> Dist {
    opt_dist(cx, path, raw).unwrap_or(default)
}

/// One of a fixed set of strings.
pub fn choice<T: Copy>(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    raw: &Option<String>,
    options: &[(&str, T)],
    default: T,
) -> T {
    let Some(s) = raw else { return default };
    if let Some((_, v)) = options.iter().find(|(k, _)| k == s) {
        return *v;
    }
    let names: Vec<&str> = options.iter().map(|(k, _)| *k).collect();
    cx.err(
        path,
        format!("`{s}` is not a valid value"),
        suggest(s, &names),
    );
    default
}

/// Checks `lo <= v <= hi` (and finiteness).
pub fn in_range(cx: &mut Cx<'_>, path: &FieldPath, v: f64, lo: f64, hi: f64, hint: &str) -> f64 {
    if !(v.is_finite() && v >= lo && v <= hi) {
        cx.err(
            path,
            format!(
                "{} is out of range (allowed {})",
                numbers::show(v),
                numbers::show_range(lo, hi)
            ),
            hint,
        );
    }
    v
}

/// An optional integer with a default, checked against `lo..=hi`; out of
/// range is reported and gives the default.
pub fn int_in(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    v: Option<i64>,
    default: i64,
    (lo, hi): (i64, i64),
    hint: &str,
) -> u64 {
    let v = v.unwrap_or(default);
    if (lo..=hi).contains(&v) {
        return v as u64;
    }
    let field = match path.0.last() {
        Some(super::locate::Seg::Key(k)) => k.as_str(),
        _ => "value",
    };
    cx.err(
        path,
        format!("{field} {v} is out of range (allowed {lo}..={hi})"),
        hint,
    );
    default as u64
}

/// An optional duration with a default, checked against `lo..=hi` \[ns\],
/// which the message shows as `shown`.
pub fn dur_in(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    raw: &Option<String>,
    default: SimDuration,
    (lo, hi): (SimDuration, SimDuration),
    shown: &str,
    hint: &str,
) -> SimDuration {
    let d = dur(cx, path, raw, default);
    if raw.is_some() && !(lo..=hi).contains(&d) {
        let field = match path.0.last() {
            Some(super::locate::Seg::Key(k)) => k.as_str(),
            _ => "duration",
        };
        let v = raw.as_deref().unwrap_or_default();
        cx.err(
            path,
            format!("{field} `{v}` is out of range (allowed {shown})"),
            hint,
        );
        return default;
    }
    d
}

/// Rejects control characters (newline, tab, ...) in a name: names are
/// printed in tables and messages, one per line.
pub fn printable(cx: &mut Cx<'_>, path: &FieldPath, s: &str) {
    if s.chars().any(char::is_control) {
        cx.err(
            path,
            format!("{s:?} contains a control character"),
            "names appear in tables and file names: use letters, digits, spaces, `-`, `_` and `.`",
        );
    }
}

/// Validates everything; `None` when any problem was reported.
pub fn scenario(cx: &mut Cx<'_>, raws: &Raws) -> Option<Scenario> {
    let before = cx.problems.len();
    check_names(cx);
    for n in cx.names.clone().iter() {
        printable(cx, &crate::fp![n.kind, n.index, "name"], &n.name);
    }
    let default_sim = RawSimulation::default();
    // A [simulation] that exists but failed to parse has been reported
    // already; do not also report its fields as missing.
    let unparsed = raws.simulation.is_none() && cx.tree.contains_key("simulation");
    let simulation = super::validate_sim::simulation(
        cx,
        raws.simulation.as_ref().unwrap_or(&default_sim),
        unparsed,
    );
    let workloads: Vec<_> = raws
        .workloads
        .iter()
        .enumerate()
        .map(|(i, w)| {
            w.as_ref()
                .and_then(|w| super::validate_workload::workload(cx, i, w, raws))
        })
        .collect();
    let apis: Vec<_> = raws
        .apis
        .iter()
        .enumerate()
        .map(|(i, a)| a.as_ref().and_then(|a| api(cx, i, a)))
        .collect();
    let lambdas = super::validate_fn::lambdas(cx, raws, &simulation);
    let tables: Vec<_> = raws
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.as_ref()
                .and_then(|t| super::validate_table::table(cx, i, t))
        })
        .collect();
    if cx.problems.len() > before {
        return None;
    }
    let model = Scenario {
        simulation,
        workloads: workloads.into_iter().collect::<Option<_>>()?,
        apis: apis.into_iter().collect::<Option<_>>()?,
        lambdas: lambdas.into_iter().collect::<Option<_>>()?,
        tables: tables.into_iter().collect::<Option<_>>()?,
        warnings: Vec::new(),
    };
    check_cycles(cx, &model);
    (cx.problems.len() == before).then_some(model)
}

fn check_names(cx: &mut Cx<'_>) {
    let names = cx.names.clone();
    for (i, n) in names.iter().enumerate() {
        let path = crate::fp![n.kind, n.index, "name"];
        if n.name.trim().is_empty() {
            cx.err(
                &path,
                "name is empty",
                "give every component a unique, non-empty name",
            );
        } else if let Some((_, first, _)) = names.lookup(&n.name).filter(|(at, ..)| *at < i) {
            cx.err(
                &path,
                format!(
                    "name `{}` is already used by {}[{}]",
                    n.name, first.kind, first.index
                ),
                "names must be unique across all components of every kind",
            );
        }
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
                    super::error::list(&METHODS)
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

/// Synchronous call cycles (a calls b calls a) would never finish. Asked
/// of the call graph, so only once the rest of the scenario is valid: the
/// graph is built from the model.
fn check_cycles(cx: &mut Cx<'_>, model: &Scenario) {
    use crate::topology::Origin;
    let topo = crate::topology::build(model);
    let g = &topo.graph;
    for cycle in topo.sync_cycles() {
        let nodes = topo.cycle_nodes(&cycle);
        let names: Vec<&str> = nodes
            .iter()
            .chain(nodes.first())
            .map(|&n| g[n].name.as_str())
            .collect();
        // The first edge leaves the cycle's smallest node: point at the
        // field that holds it (`steps` for a function, as a whole).
        let path = match cycle.first().map(|&e| g[e].origin) {
            Some(Origin::Step { lambda, .. }) => crate::fp!["lambda", lambda, "steps"],
            Some(Origin::Route { api, route }) => crate::fp!["api", api, "routes"].join(route),
            Some(Origin::Workload { workload }) => crate::fp!["workload", workload, "target"],
            // Destinations are asynchronous: never part of a sync cycle.
            Some(Origin::Destination { .. }) | None => continue,
        };
        cx.err(
            &path,
            format!("synchronous call cycle: {}", names.join(" -> ")),
            "a function cannot (indirectly) call itself synchronously; break the cycle",
        );
    }
}
