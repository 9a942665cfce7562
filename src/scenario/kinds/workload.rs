//! `[[workload]]`: its raw structs and their validation into
//! [`Workload`] (target, arrival process and its scale, route mix, client
//! retries).
//!
//! Must not know: how requests are generated or sent.

use indexmap::IndexMap;
use toml::Value;

use super::api::RawApi;
use super::{Given, Kind};
use crate::dist::Dist;
use crate::model::geo;
use crate::model::limits;
use crate::model::*;
use crate::scenario::context::Cx;
use crate::scenario::error::suggest;
use crate::scenario::locate::FieldPath;
use crate::scenario::numbers;
use crate::scenario::raw::Required;
use crate::scenario::shape::strip_sub;
use crate::scenario::validate::{dist, in_range, int_in};
use crate::scenario::values;
use crate::workload::Arrival;

/// `[[workload]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkload {
    pub name: String,
    pub target: String,
    pub arrival: String,
    pub scale: Option<f64>,
    pub routes: Option<IndexMap<String, f64>>,
    /// Operation mix of a workload aimed at a bucket.
    pub ops: Option<IndexMap<String, f64>>,
    pub retry: Option<RawRetry>,
    /// Where the clients are (a place of the RTT table).
    pub location: Option<String>,
}

/// `retry = { ... }` of a workload.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetry {
    pub max_attempts: Option<i64>,
    pub backoff: Option<String>,
}

impl Required for RawWorkload {
    const REQUIRED: &'static [&'static str] = &["name", "target", "arrival"];
}
impl Required for RawRetry {}

impl Kind for RawWorkload {
    type Model = Workload;

    fn strip_nested(cx: &mut Cx<'_>, path: &FieldPath, v: &mut Value) -> Vec<&'static str> {
        strip_sub::<RawRetry>(cx, path, v, "retry")
    }

    fn validate(&self, cx: &mut Cx<'_>, i: usize, given: &Given<'_>) -> Option<Workload> {
        workload(cx, i, self, given)
    }
}

/// Validates one `[[workload]]`.
fn workload(cx: &mut Cx<'_>, i: usize, r: &RawWorkload, given: &Given<'_>) -> Option<Workload> {
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["workload", i, f];
    let target = cx.resolve(
        &p("target"),
        &r.target,
        &["api", "lambda", "queue", "topic", "bucket", "cdn"],
        "a workload target",
    );
    let arrival = match values::arrival(&r.arrival) {
        Ok(a) => Some(a),
        Err(b) => {
            cx.err(&p("arrival"), b.message, b.hint.unwrap_or_default());
            None
        }
    };
    let scale = r.scale.unwrap_or(1.0);
    in_range(
        cx,
        &p("scale"),
        scale,
        0.0,
        limits::MAX_SCALE,
        "scale multiplies the arrival rate; 1.0 = as written",
    );
    let mut routes = Vec::new();
    // A cdn takes its origin's routes (an api) or operations (a bucket).
    let via = match target {
        Some(("cdn", k)) => super::cdn::origin_of(cx, given, k),
        t => t,
    };
    match (via, &r.routes) {
        (Some(("api", a)), mix) => {
            if let Some(Some(api)) = given.raws.apis.get(a) {
                routes = route_mix(cx, &p("routes"), api, mix.as_ref());
            }
        }
        (Some(_), Some(_)) => cx.key_err(
            &p("routes"),
            "routes only applies when the target is an api (or a cdn in front of one)",
            "remove `routes`, or point `target` at an api",
        ),
        _ => {}
    }
    match (via, &r.ops) {
        (Some(("bucket", _)), mix) => {
            routes = super::bucket::op_mix(cx, &p("ops"), mix.as_ref());
        }
        (Some(_), Some(_)) => cx.key_err(
            &p("ops"),
            "ops only applies when the target is a bucket (or a cdn in front of one)",
            "remove `ops`, or point `target` at a bucket",
        ),
        _ => {}
    }
    let retry = r.retry.as_ref().map(|rr| {
        let rp = p("retry");
        let max_attempts = int_in(
            cx,
            &rp.join("max_attempts"),
            rr.max_attempts,
            3,
            (1, i64::from(MAX_CLIENT_ATTEMPTS)),
            "it counts the first attempt too; 1 = no retries",
        ) as u32;
        let backoff = dist(
            cx,
            &rp.join("backoff"),
            &rr.backoff,
            Dist::Exp { mean: 0.2 },
        );
        let mean = backoff.mean();
        if mean.is_nan() || mean > limits::MAX_RETRY_WAIT_S as f64 {
            cx.err(
                &rp.join("backoff"),
                format!(
                    "the mean backoff is {}, above the limit of 1h",
                    if mean.is_finite() {
                        format!("{}s", numbers::show(mean))
                    } else {
                        "infinite".to_string()
                    }
                ),
                "a client waits at most an hour on average between attempts (AWS SDKs cap backoff at 20s)",
            );
        }
        ClientRetry {
            max_attempts,
            backoff,
        }
    });
    let location = super::geo::location(cx, &p("location"), &r.location);
    if let (Some(l), Some(t)) = (location, target) {
        reachable(cx, &p("location"), l, t, given);
    }
    let target = match target? {
        ("api", k) => Target::Api(k),
        ("queue", k) => Target::Queue(k),
        ("topic", k) => Target::Topic(k),
        ("bucket", k) => Target::Bucket(k),
        ("cdn", k) => Target::Cdn(k),
        (_, k) => Target::Lambda(k),
    };
    if let Some(a) = &arrival {
        check_scaled(cx, &p("scale"), a, scale);
    }
    if cx.problems.len() > before {
        return None;
    }
    Some(Workload {
        name: r.name.clone(),
        target,
        arrival: arrival?.scaled(scale),
        routes,
        retry,
        location,
    })
}

/// The RTT table has a figure from `l` to the Region of the workload's
/// target (an api's or a function's `region`, else the home Region).
fn reachable(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    l: geo::Location,
    t: (&str, usize),
    given: &Given<'_>,
) {
    let raw = match t {
        ("api", k) => given
            .raws
            .apis
            .get(k)
            .and_then(|a| a.as_ref()?.region.clone()),
        ("lambda", k) => given
            .raws
            .lambdas
            .get(k)
            .and_then(|f| f.as_ref()?.region.clone()),
        _ => None,
    };
    let name = raw.unwrap_or_else(|| given.simulation.region.clone());
    let Some(r) = geo::Region::parse(&name) else {
        if raw_is_home(&name, given) {
            super::geo::home(cx, path, given.simulation);
        }
        return; // an unknown Region: the target's own error
    };
    if l.rtt_to(r).is_none() {
        cx.err(
            path,
            format!("the round-trip table has no figure from {} to {}", l.name(), name),
            "it gives round trips to us-east-1 and ap-northeast-2 only (aws-facts 10.11): move the target to one of them, or the clients",
        );
    }
}

fn raw_is_home(name: &str, given: &Given<'_>) -> bool {
    name == given.simulation.region
}

/// The arrival rates after `scale` stay within the limits (each rate was
/// checked as written, so a problem here is the scale's).
fn check_scaled(cx: &mut Cx<'_>, path: &FieldPath, a: &Arrival, scale: f64) {
    if scale == 1.0 || !(0.0..=limits::MAX_SCALE).contains(&scale) {
        return;
    }
    let peak = a.peak_rate() * scale;
    let low = min_positive_rate(a).map(|r| r * scale);
    let show = numbers::show;
    if peak > limits::MAX_RATE {
        cx.err(
            path,
            format!(
                "scale {} makes the arrival rate peak at {} requests/s, above the limit of {} requests/s",
                show(scale),
                show(peak),
                show(limits::MAX_RATE)
            ),
            "one workload sends at most one request per microsecond: lower `scale` or the rates of `arrival`",
        );
    } else if let Some(low) = low.filter(|&l| l > 0.0 && l < limits::MIN_RATE) {
        cx.err(
            path,
            format!(
                "scale {} brings an arrival rate down to {} requests/s, below the smallest non-zero rate, {} requests/s",
                show(scale),
                show(low),
                show(limits::MIN_RATE)
            ),
            "use scale = 0 for no requests",
        );
    }
}

/// The smallest non-zero rate parameter of an arrival process.
fn min_positive_rate(a: &Arrival) -> Option<f64> {
    use Arrival as A;
    let rates: Vec<f64> = match a {
        A::Poisson { rate } | A::Constant { rate } => vec![*rate],
        A::Diurnal { mean, peak, .. } => vec![*mean, *peak],
        A::Burst { base, peak, .. } => vec![*base, *peak],
        A::Ramp { from, to, .. } => vec![*from, *to],
        A::Steps(s) => s.iter().map(|&(_, r)| r).collect(),
        A::Trace(_) => Vec::new(),
    };
    rates
        .into_iter()
        .filter(|&r| r > 0.0)
        .min_by(f64::total_cmp)
}

/// The route mix of a workload aimed at `api`: uniform when not given,
/// else the given weights (each in `MIN_WEIGHT..=MAX_WEIGHT`) normalised
/// to sum to 1. Weights are divided by the largest first, so the sum
/// never overflows.
fn route_mix(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    api: &RawApi,
    given: Option<&IndexMap<String, f64>>,
) -> Vec<(usize, f64)> {
    let names: Vec<&str> = api.routes.iter().map(|r| r.route.as_str()).collect();
    let Some(m) = given else {
        let w = 1.0 / names.len().max(1) as f64;
        return (0..names.len()).map(|k| (k, w)).collect();
    };
    if m.is_empty() {
        cx.err(
            path,
            "routes is empty",
            "omit it to spread requests uniformly over the api's routes",
        );
    }
    let mut routes = Vec::new();
    for (route, &w) in m {
        let rp = path.join(route);
        in_range(
            cx,
            &rp,
            w,
            limits::MIN_WEIGHT,
            limits::MAX_WEIGHT,
            "weights are relative; they are normalised to sum to 1",
        );
        match names.iter().position(|n| n == route) {
            Some(k) => routes.push((k, w)),
            None => cx.key_err(
                &rp,
                format!("api `{}` has no route `{route}`", api.name),
                suggest(route, &names),
            ),
        }
    }
    let max = routes.iter().map(|&(_, w)| w).fold(0.0, f64::max);
    if max > 0.0 {
        let total: f64 = routes.iter().map(|&(_, w)| w / max).sum();
        for (_, w) in &mut routes {
            *w = *w / max / total;
        }
    }
    routes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::assert_required;

    #[test]
    fn required_fields_are_required() {
        assert_required::<RawRetry>();
        let e = toml::from_str::<RawWorkload>("").unwrap_err().to_string();
        assert!(e.contains("missing field `name`"), "{e}");
    }
}
