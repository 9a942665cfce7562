//! The geography fields several kinds share: a workload's `location`, a
//! function's or an api's `region`, a table's `replicas` and
//! `replication_lag`, validated against the RTT table of
//! `model::geo` (aws-facts §10.11).
//!
//! Also the check that an api and its routes' functions share a Region.
//!
//! Must not know: how round trips are used at run time.

use crate::model::geo::{self, GlobalTable, Location, Region};
use crate::model::Simulation;
use crate::scenario::context::Cx;
use crate::scenario::error::suggest;
use crate::scenario::locate::FieldPath;
use crate::scenario::numbers;
use crate::scenario::validate::opt_dist;

/// The home Region (`[simulation] region`) as a Region of the RTT table;
/// `None` (with an error at `path`, the field that needs it) when the
/// table has no column for it.
pub fn home(cx: &mut Cx<'_>, path: &FieldPath, sim: &Simulation) -> Option<Region> {
    let r = Region::parse(&sim.region).filter(|r| Region::COLUMNS.contains(r));
    if r.is_none() {
        cx.err(
            path,
            format!(
                "the home Region `{}` has no column in the round-trip table",
                sim.region
            ),
            "slsim knows round trips to us-east-1 and ap-northeast-2 (aws-facts 10.11); set [simulation] region to one of them, or remove this field",
        );
    }
    r
}

/// `location = "seoul"`: a place of the RTT table.
pub fn location(cx: &mut Cx<'_>, path: &FieldPath, raw: &Option<String>) -> Option<Location> {
    let name = raw.as_ref()?;
    let l = Location::parse(name);
    if l.is_none() {
        cx.err(
            path,
            format!("unknown location `{name}`"),
            suggest(name, &Location::names()),
        );
    }
    l
}

/// `region = "ap-northeast-2"` of a function or an api: a Region of the
/// RTT table with a known round trip to the home Region; `None` when not
/// given or the home Region itself.
pub fn region(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    raw: &Option<String>,
    sim: &Simulation,
) -> Option<Region> {
    let name = raw.as_ref()?;
    let Some(r) = Region::parse(name) else {
        cx.err(
            path,
            format!("unknown region `{name}`"),
            suggest(name, &Region::names()),
        );
        return None;
    };
    let h = home(cx, path, sim)?;
    (r != h).then_some(r)
}

/// `replicas = [...]` and `replication_lag` of a table: `None` without
/// replicas (a lag without replicas is an error).
pub fn global(
    cx: &mut Cx<'_>,
    table: &FieldPath,
    replicas: &Option<Vec<String>>,
    lag: &Option<String>,
    sim: &Simulation,
) -> Option<GlobalTable> {
    let path = table.join("replicas");
    let Some(names) = replicas else {
        if lag.is_some() {
            cx.key_err(
                &table.join("replication_lag"),
                "replication_lag needs replicas",
                "add replicas = [\"ap-northeast-2\"], or remove replication_lag",
            );
        }
        return None;
    };
    let h = home(cx, &path, sim)?;
    if names.len() > geo::MAX_REPLICAS {
        cx.err(
            &path,
            format!(
                "{} replicas, above the limit of {}",
                names.len(),
                geo::MAX_REPLICAS
            ),
            "slsim knows the Regions of the round-trip table (aws-facts 10.11); each may hold one replica",
        );
        return None;
    }
    let mut list: Vec<Region> = Vec::new();
    for (k, name) in names.iter().enumerate() {
        let rp = path.join(k);
        match Region::parse(name) {
            None => cx.err(
                &rp,
                format!("unknown region `{name}`"),
                suggest(name, &Region::names()),
            ),
            Some(r) if r == h => cx.err(
                &rp,
                format!("`{name}` is the home Region: the table itself is there"),
                "list only the other Regions that hold a replica",
            ),
            Some(r) if list.contains(&r) => cx.err(
                &rp,
                format!("`{name}` is listed twice"),
                "each Region holds at most one replica",
            ),
            Some(r) => list.push(r),
        }
    }
    if names.is_empty() {
        cx.err(
            &path,
            "replicas is empty",
            "remove it for a single-Region table",
        );
    }
    let lag_path = table.join("replication_lag");
    let lag = opt_dist(cx, &lag_path, lag).unwrap_or_else(geo::default_replication_lag);
    let mean = lag.mean();
    if !(0.0..=geo::MAX_REPLICATION_LAG_S).contains(&mean) {
        cx.err(
            &lag_path,
            format!(
                "the mean replication lag is {}, above the limit of 1h",
                if mean.is_finite() {
                    format!("{}s", numbers::show(mean))
                } else {
                    "infinite".into()
                }
            ),
            "DynamoDB replicates usually within a second (aws-facts 10.12); e.g. lognormal(median=500ms, sigma=0.5)",
        );
    }
    Some(GlobalTable {
        replicas: list,
        lag,
    })
}

/// Every route's function is in the api's Region (slsim does not model a
/// cross-Region integration).
pub fn same_region(
    cx: &mut Cx<'_>,
    i: usize,
    a: &crate::model::Api,
    region: Option<crate::model::geo::Region>,
    g: &super::Given<'_>,
) {
    let name =
        |r: Option<crate::model::geo::Region>| r.map_or(g.simulation.region.as_str(), |r| r.name());
    for (k, route) in a.routes.iter().enumerate() {
        let Some(Some(f)) = g.raws.lambdas.get(route.target) else {
            continue;
        };
        let fr = f
            .region
            .as_deref()
            .and_then(crate::model::geo::Region::parse)
            .filter(|r| r.name() != g.simulation.region);
        if f.region.is_some()
            && fr.is_none()
            && f.region.as_deref() != Some(g.simulation.region.as_str())
        {
            continue; // an unknown Region: the function's own error
        }
        if fr != region {
            cx.err(
                &crate::fp!["api", i, "routes", k, "target"],
                format!(
                    "function `{}` is in {}, the api in {}",
                    f.name,
                    name(fr),
                    name(region)
                ),
                "slsim models an api and its functions in one Region: give both the same `region`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_lag_is_finite() {
        assert!(crate::model::geo::default_replication_lag()
            .mean()
            .is_finite());
    }
}
