//! `[[workload]]`: traffic entering the system.

use crate::dist::Dist;
use crate::workload::trace::{Names, Pick};
use crate::workload::Arrival;

use super::Target;

/// `[[workload]]`: traffic entering the system.
#[derive(Clone, Debug)]
pub struct Workload {
    /// Unique name.
    pub name: String,
    /// Where requests go.
    pub target: Target,
    /// Arrival process, already multiplied by `scale`.
    pub arrival: Arrival,
    /// Route mix: (route index in the target api's `routes`, probability);
    /// probabilities sum to 1. For a bucket, the operation mix: ([`super::BucketOp`]
    /// index, probability). Empty when the target is neither.
    pub routes: Vec<(usize, f64)>,
    /// Client retries on throttles and 5xx; `None`: no retries.
    pub retry: Option<ClientRetry>,
    /// Where the clients are (`location`); `None`: in the home Region, with
    /// no network round trip added \[A\] (docs/model.md, "Global users
    /// and global tables").
    pub location: Option<super::geo::Location>,
}

/// Largest client `retry.max_attempts` accepted.
pub const MAX_CLIENT_ATTEMPTS: u32 = 1000;

/// Client-side retry policy.
#[derive(Clone, Debug)]
pub struct ClientRetry {
    /// Total attempts including the first (>= 1).
    pub max_attempts: u32,
    /// Wait before each retry \[s\].
    pub backoff: Dist,
}

impl Workload {
    /// A workload with one route (or a direct target) and no retries.
    pub fn new(name: &str, target: Target, arrival: Arrival) -> Self {
        Self {
            name: name.into(),
            target,
            arrival,
            routes: match target {
                // The first route of an api, or a get (through a cdn too).
                Target::Api(_) | Target::Cdn(_) => vec![(0, 1.0)],
                Target::Bucket(_) => vec![(super::BucketOp::Get.index(), 1.0)],
                Target::Lambda(_) | Target::Queue(_) | Target::Topic(_) => Vec::new(),
            },
            retry: None,
            location: None,
        }
    }
}

impl Workload {
    /// The names a trace replayed by this workload may use in its
    /// `function` and `route` columns (docs/scenario-format.md, "Traces"):
    /// for an api target, a `route` is one of the workload's routes and a
    /// `function` picks the first of them integrated with that function;
    /// for a lambda target, `function` is the target (replayed) or another
    /// `[[lambda]]` (the row is skipped: it is another workload's); other
    /// targets take neither column.
    pub fn trace_names(&self, m: &super::Scenario) -> Names {
        let mut n = Names::default();
        match self.target {
            Target::Api(a) => {
                let api = &m.apis[a];
                for (k, &(r, _)) in self.routes.iter().enumerate() {
                    let route = &api.routes[r];
                    n.routes.insert(route.route.clone(), Pick::Route(k as u16));
                    n.functions
                        .entry(m.lambdas[route.target].name.clone())
                        .or_insert(Pick::Route(k as u16));
                }
                let mut routes: Vec<&str> = n.routes.keys().map(String::as_str).collect();
                routes.sort_unstable();
                let mut funcs: Vec<&str> = n.functions.keys().map(String::as_str).collect();
                funcs.sort_unstable();
                n.hint = format!(
                    "workload `{}` sends to api `{}`: `route` is one of its routes ({}), `function` one of the functions they integrate ({})",
                    self.name,
                    api.name,
                    routes.join(", "),
                    funcs.join(", ")
                );
            }
            Target::Lambda(f) => {
                for (i, l) in m.lambdas.iter().enumerate() {
                    let pick = if i == f { Pick::Route(0) } else { Pick::Skip };
                    n.functions.insert(l.name.clone(), pick);
                }
                n.hint = format!(
                    "workload `{}` invokes lambda `{}`: `function` is its name (or another [[lambda]]'s, whose rows it skips)",
                    self.name, m.lambdas[f].name
                );
            }
            _ => {
                n.refuse = Some(format!(
                    "workload `{}`'s target is neither an api nor a lambda: a trace's `function` and `route` columns have nothing to pick",
                    self.name
                ));
            }
        }
        n
    }

    /// The functions whose invocations a replayed trace's `duration_ms`
    /// sets: the workload's lambda, or the functions its api's routes
    /// integrate.
    pub fn replayed_functions(&self, m: &super::Scenario) -> Vec<usize> {
        let mut out: Vec<usize> = match self.target {
            Target::Lambda(f) => vec![f],
            Target::Api(a) => m.apis[a].routes.iter().map(|r| r.target).collect(),
            _ => Vec::new(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}
