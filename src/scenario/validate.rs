//! Stage two: raw structs to the typed [`Scenario`], reporting every
//! problem. Defaults live here; each cites the row of
//! `aws-facts.md` it comes from (see also `docs/scenario-format.md`).

use std::collections::HashMap;

use crate::dist::Dist;
use crate::engine::{SimDuration, MILLIS, SECONDS};

use super::context::Cx;
use super::error::suggest;
use super::locate::FieldPath;
use super::model::*;
use super::raw::*;
use super::shape::Raws;
use super::values;

/// Supported regions (those with a price table).
pub const REGIONS: [&str; 1] = ["us-east-1"];

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
    match values::dist(s, &cx.base_dir) {
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
        cx.err(path, format!("{v} is out of range"), hint);
    }
    v
}

/// Validates everything; `None` when any problem was reported.
pub fn scenario(cx: &mut Cx<'_>, raws: &Raws) -> Option<Scenario> {
    let before = cx.problems.len();
    check_names(cx);
    let default_sim = RawSimulation::default();
    // A [simulation] that exists but failed to parse has been reported
    // already; do not also report its fields as missing.
    let unparsed = raws.simulation.is_none() && cx.tree.contains_key("simulation");
    let simulation = simulation(
        cx,
        raws.simulation.as_ref().unwrap_or(&default_sim),
        unparsed,
    );
    let workloads: Vec<_> = raws
        .workloads
        .iter()
        .enumerate()
        .map(|(i, w)| w.as_ref().and_then(|w| workload(cx, i, w, raws)))
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
    check_cycles(cx, raws);
    if cx.problems.len() > before {
        return None;
    }
    Some(Scenario {
        simulation,
        workloads: workloads.into_iter().collect::<Option<_>>()?,
        apis: apis.into_iter().collect::<Option<_>>()?,
        lambdas: lambdas.into_iter().collect::<Option<_>>()?,
        tables: tables.into_iter().collect::<Option<_>>()?,
        warnings: Vec::new(),
    })
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

fn simulation(cx: &mut Cx<'_>, r: &RawSimulation, unparsed: bool) -> Simulation {
    let p = |f: &str| crate::fp!["simulation", f];
    let name = r.name.clone().unwrap_or_else(|| {
        std::path::Path::new(cx.file)
            .file_stem()
            .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
    });
    let duration = match &r.duration {
        None if unparsed => SECONDS,
        None => {
            cx.err(
                &p("duration"),
                "`duration` is required",
                "add `duration = \"1h\"` to [simulation]",
            );
            SECONDS
        }
        Some(_) => {
            let d = dur(cx, &p("duration"), &r.duration, SECONDS);
            if d == 0 {
                cx.err(
                    &p("duration"),
                    "duration must be > 0",
                    "e.g. duration = \"1h\"",
                );
            }
            d
        }
    };
    let warmup = dur(cx, &p("warmup"), &r.warmup, 0);
    if warmup >= duration && r.warmup.is_some() {
        cx.err(
            &p("warmup"),
            "warmup must be shorter than duration",
            "warm-up is part of duration and excluded from statistics",
        );
    }
    // aws-facts 1.1: default account concurrency 1,000 per Region.
    let account_concurrency = r.account_concurrency.unwrap_or(1000);
    if account_concurrency == 0 {
        cx.err(
            &p("account_concurrency"),
            "account_concurrency must be >= 1",
            "the AWS default is 1000",
        );
    }
    let scaling = choice(
        cx,
        &p("scaling"),
        &r.scaling,
        &[
            ("per-function", ScalingModel::PerFunction),
            ("legacy-2019", ScalingModel::Legacy2019),
        ],
        ScalingModel::PerFunction,
    );
    let region = r.region.clone().unwrap_or_else(|| "us-east-1".into());
    if !REGIONS.contains(&region.as_str()) {
        cx.err(
            &p("region"),
            format!("region `{region}` has no price table"),
            format!("supported regions: {}", super::error::list(&REGIONS)),
        );
    }
    let max_events = r.max_events.unwrap_or(2_000_000_000);
    if max_events == 0 {
        cx.err(
            &p("max_events"),
            "max_events must be > 0",
            "default 2000000000",
        );
    }
    let max_wall_s = r.max_wall.as_ref().map(|s| {
        let ns = dur(cx, &p("max_wall"), &Some(s.clone()), SECONDS);
        if ns == 0 {
            cx.err(
                &p("max_wall"),
                "max_wall must be > 0",
                "omit it for no limit",
            );
        }
        ns as f64 / 1e9
    });
    let timeseries_interval = dur(
        cx,
        &p("timeseries_interval"),
        &r.timeseries_interval,
        SECONDS,
    );
    if timeseries_interval == 0 {
        cx.err(
            &p("timeseries_interval"),
            "timeseries_interval must be > 0",
            "e.g. \"1s\"",
        );
    }
    Simulation {
        name,
        duration,
        warmup,
        seed: r.seed.unwrap_or(1),
        account_concurrency,
        scaling,
        region,
        free_tier: r.free_tier.unwrap_or(false),
        max_events,
        max_wall_s,
        max_memory_bytes: None,
        timeseries_interval,
    }
}

fn workload(cx: &mut Cx<'_>, i: usize, r: &RawWorkload, raws: &Raws) -> Option<Workload> {
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["workload", i, f];
    let target = cx.resolve(
        &p("target"),
        &r.target,
        &["api", "lambda"],
        "a workload target",
    );
    let arrival = match values::arrival(&r.arrival) {
        Ok(a) => Some(a),
        Err(b) => {
            cx.err(&p("arrival"), b.message, b.hint.unwrap_or_default());
            None
        }
    };
    /// One request per microsecond: far beyond any real workload, and
    /// far below where nanosecond time stops resolving arrivals.
    const MAX_RATE: f64 = 1e6;
    let scale = r.scale.unwrap_or(1.0);
    if !(scale.is_finite() && scale >= 0.0) {
        cx.err(
            &p("scale"),
            format!("scale {scale} must be >= 0"),
            "scale multiplies the arrival rate; 1.0 = as written",
        );
    }
    let mut routes = Vec::new();
    match (target, &r.routes) {
        (Some(("api", a)), given) => {
            if let Some(Some(api)) = raws.apis.get(a) {
                let names: Vec<&str> = api.routes.iter().map(|r| r.route.as_str()).collect();
                match given {
                    None => {
                        let w = 1.0 / names.len().max(1) as f64;
                        routes = (0..names.len()).map(|k| (k, w)).collect();
                    }
                    Some(m) => {
                        let total: f64 = m.values().filter(|w| w.is_finite() && **w > 0.0).sum();
                        if m.is_empty() {
                            cx.err(
                                &p("routes"),
                                "routes is empty",
                                "omit it to spread requests uniformly over the api's routes",
                            );
                        }
                        for (route, w) in m {
                            let rp = p("routes").join(route);
                            if !(w.is_finite() && *w > 0.0) {
                                cx.err(
                                    &rp,
                                    format!("weight {w} must be > 0"),
                                    "weights are relative; they are normalised to sum to 1",
                                );
                            }
                            match names.iter().position(|n| n == route) {
                                Some(k) => routes.push((k, w / total)),
                                None => cx.key_err(
                                    &rp,
                                    format!("api `{}` has no route `{route}`", api.name),
                                    suggest(route, &names),
                                ),
                            }
                        }
                    }
                }
            }
        }
        (Some(_), Some(_)) => cx.key_err(
            &p("routes"),
            "routes only applies when the target is an api",
            "remove `routes`, or point `target` at an api",
        ),
        _ => {}
    }
    let retry = r.retry.as_ref().map(|rr| {
        let rp = p("retry");
        let max_attempts = rr.max_attempts.unwrap_or(3);
        if !(1..=MAX_CLIENT_ATTEMPTS).contains(&max_attempts) {
            cx.err(
                &rp.join("max_attempts"),
                format!("max_attempts must be 1..={MAX_CLIENT_ATTEMPTS} (got {max_attempts})"),
                "it counts the first attempt too; 1 = no retries",
            );
        }
        let backoff = dist(
            cx,
            &rp.join("backoff"),
            &rr.backoff,
            Dist::Exp { mean: 0.2 },
        );
        ClientRetry {
            max_attempts,
            backoff,
        }
    });
    let target = match target? {
        ("api", k) => Target::Api(k),
        (_, k) => Target::Lambda(k),
    };
    let arrival = arrival.map(|a| a.scaled(scale));
    if let Some(a) = &arrival {
        if a.peak_rate() > MAX_RATE {
            cx.err(
                &p("scale"),
                format!(
                    "the scaled arrival rate peaks at {:.3e} requests/s",
                    a.peak_rate()
                ),
                format!("keep arrival rate x scale <= {MAX_RATE:.0e} requests/s"),
            );
        }
    }
    if cx.problems.len() > before {
        return None;
    }
    Some(Workload {
        name: r.name.clone(),
        target,
        arrival: arrival?,
        routes,
        retry,
    })
}

const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];

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
    // aws-facts section 4: account-level 10,000 RPS steady, bucket of 5,000.
    let rate_limit = r.rate_limit.unwrap_or(10_000.0);
    in_range(
        cx,
        &p("rate_limit"),
        rate_limit,
        f64::MIN_POSITIVE,
        f64::MAX,
        "requests per second, > 0 (AWS account default 10000)",
    );
    let burst = r.burst.unwrap_or(5_000.0);
    in_range(
        cx,
        &p("burst"),
        burst,
        1.0,
        f64::MAX,
        "bucket size in requests, >= 1 (AWS account default 5000)",
    );
    // aws-facts section 4: REST 50 ms..29 s (raisable to 300 s since 2024-06); HTTP max 30 s.
    let (default_t, max_t, max_s) = match kind {
        ApiType::Rest => (29 * SECONDS, 300 * SECONDS, "300s"),
        ApiType::Http => (30 * SECONDS, 30 * SECONDS, "30s"),
    };
    let timeout = dur(cx, &p("timeout"), &r.timeout, default_t);
    if r.timeout.is_some() && !(50 * MILLIS..=max_t).contains(&timeout) {
        cx.err(
            &p("timeout"),
            "integration timeout out of range",
            format!(
                "allowed 50ms..={max_s} for a {} api",
                if kind == ApiType::Rest {
                    "rest"
                } else {
                    "http"
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
        // aws-facts section 4: cache TTL default 300 s, 0..3600 s.
        let ttl = dur(cx, &cp.join("ttl"), &c.ttl, 300 * SECONDS);
        if ttl > 3600 * SECONDS {
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
            Dist::lognormal_median_sigma(0.002, 0.3),
        );
        let size_gb = c.size_gb.unwrap_or(0.5);
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
        let route = rt.route.trim();
        let ok_form = route
            .split_once(' ')
            .is_some_and(|(m, path)| METHODS.contains(&m) && path.trim_start().starts_with('/'));
        if !ok_form {
            cx.err(
                &rp.join("route"),
                format!("`{route}` is not a route"),
                format!(
                    "write METHOD /path, e.g. \"GET /todos\"; methods: {}",
                    super::error::list(&METHODS)
                ),
            );
        }
        if let Some(j) = r.routes[..k].iter().position(|o| o.route.trim() == route) {
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

/// Synchronous call cycles (a calls b calls a) would never finish; found
/// on the raw steps so they are reported alongside other problems.
fn check_cycles(cx: &mut Cx<'_>, raws: &Raws) {
    let mut edges = Vec::new();
    // The first lambda of each name.
    let mut lambda_ix: HashMap<&str, usize> = HashMap::new();
    for n in cx.names.of_kinds(&["lambda"]) {
        lambda_ix.entry(n.name.as_str()).or_insert(n.index);
    }
    for (i, l) in raws.lambdas.iter().enumerate() {
        for s in l.iter().flat_map(|l| &l.steps) {
            let Some(name) = &s.call else { continue };
            if s.mode.as_deref() == Some("async") {
                continue;
            }
            if let Some(&k) = lambda_ix.get(name.as_str()) {
                edges.push((i, k));
            }
        }
    }
    let name = |i: usize| {
        raws.lambdas[i]
            .as_ref()
            .map_or_else(|| format!("lambda[{i}]"), |l| l.name.clone())
    };
    for cycle in crate::topology::cycles(raws.lambdas.len(), &edges) {
        let first = cycle[0];
        let names: Vec<String> = cycle.iter().chain([&first]).map(|&i| name(i)).collect();
        cx.err(
            &crate::fp!["lambda", first, "steps"],
            format!("synchronous call cycle: {}", names.join(" -> ")),
            "a function cannot (indirectly) call itself synchronously; break the cycle",
        );
    }
}
