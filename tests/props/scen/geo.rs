//! Global users, global tables and DynamoDB streams: a workload's
//! `location`, every api and function moved to ap-northeast-2 (`apac`), a
//! table's `replicas` and `replication_lag`, and a table's `stream = true`
//! read by the last function. Rules kept (docs/scenario-format.md): an api
//! and its routes' functions in one Region (all move or none); only Regions
//! the round-trip table has figures for against every place (the home
//! us-east-1 and ap-northeast-2); no table stream read by a function that
//! writes that table (no loop of records; the last function invokes,
//! notifies and sends to nothing after it, so its direct writes are the
//! only way back).

use super::lambda::Step;
use super::{q, Scen};
use proptest::collection::vec;
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use slsim::model::geo::PLACES;

/// The one Region besides the home one that functions, apis and replicas use.
const APAC: &str = "ap-northeast-2";

#[derive(Clone, Debug)]
pub struct Geo {
    /// Every api and function in ap-northeast-2.
    pub apac: bool,
    /// Per workload (modulo), an index into the places.
    pub locations: Vec<Option<usize>>,
    /// Per table (modulo): a replica in ap-northeast-2.
    pub replicas: Vec<bool>,
    /// `replication_lag` set on the replicated tables.
    pub lag: bool,
    /// A table (modulo their number) with `stream = true`, and the batch
    /// size of the last function's trigger on it.
    pub stream: Option<(usize, Option<u32>)>,
}

pub(super) fn geo() -> impl Strategy<Value = Geo> {
    (
        prop::bool::weighted(0.5),
        vec(maybe(0.6, 0usize..PLACES.len()), 3),
        vec(prop::bool::weighted(0.6), 2),
        prop::bool::weighted(0.4),
        maybe(0.6, (0usize..2, maybe(0.5, 1u32..=100))),
    )
        .prop_map(|(apac, locations, replicas, lag, stream)| Geo {
            apac,
            locations,
            replicas,
            lag,
            stream,
        })
}

impl Scen {
    /// The `location` line of workload `i`, if any.
    pub(super) fn location_line(&self, i: usize) -> Option<String> {
        let g = self.geo.as_ref()?;
        let k = g.locations[i % g.locations.len()]?;
        Some(format!("location = {}", q(PLACES[k].name)))
    }

    /// The `region` line of every api and function, if they moved.
    pub(super) fn region_line(&self) -> Option<String> {
        self.geo
            .as_ref()
            .filter(|g| g.apac)
            .map(|_| format!("region = {}", q(APAC)))
    }

    /// The global-table and stream lines of table `i`.
    pub(super) fn table_geo_lines(&self, i: usize) -> Vec<String> {
        let Some(g) = &self.geo else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        if g.replicas[i % g.replicas.len()] {
            lines.push(format!("replicas = [{}]", q(APAC)));
            if g.lag {
                lines.push(format!(
                    "replication_lag = {}",
                    q("lognormal(median=300ms, sigma=0.8)")
                ));
            }
        }
        if self.table_stream() == Some(i) {
            lines.push("stream = true".into());
        }
        lines
    }

    /// The table with a stream, if any.
    fn table_stream(&self) -> Option<usize> {
        let (k, _) = self.geo.as_ref()?.stream?;
        (!self.tables.is_empty()).then(|| k % self.tables.len())
    }

    /// The trigger of function `i` on the table's stream: only the last
    /// function, and only if it writes no item of that table.
    pub(super) fn table_stream_trigger(&self, i: usize) -> Option<String> {
        let k = self.table_stream()?;
        let last = self.lambdas.len() - 1;
        if i != last {
            return None;
        }
        let writes = self.lambdas[last].steps.iter().any(|s| match s {
            // put, update, delete (as rendered: get put update delete query scan)
            Step::Table(t, op, ..) => t % self.tables.len() == k && (1..=3).contains(op),
            _ => false,
        });
        if writes {
            return None;
        }
        let mut parts = vec![format!("source = {}", q(&self.name("tbl", k)))];
        if let Some(b) = self.geo.as_ref()?.stream?.1 {
            parts.push(format!("batch_size = {b}"));
        }
        Some(format!("{{ {} }}", parts.join(", ")))
    }
}
