//! `[[workload]]`: traffic entering the system.

use crate::dist::Dist;
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
