//! The component kinds of the scenario format, one file each, and the one
//! list of them ([`kinds!`] below) that everything kind-wide in `scenario`
//! is derived from: the section names ([`KINDS`]), the names index, the
//! raw components ([`Raws`]), the dispatch from a TOML key to its serde
//! struct, the order of validation and the fields of [`Scenario`].
//!
//! Owns: that list and the [`Kind`] trait a kind's raw struct implements.
//! Must not know: any one kind (each file in this folder owns its own raw
//! structs and their validation into the model).
//!
//! Adding a kind: see the module docs of `scenario`.

use toml::Value;

use super::context::Cx;
use super::locate::FieldPath;
use super::raw::{RawCost, RawSimulation, Required};
use super::shape;
use super::slos::{RawObjective, RawSlo};
use crate::model::{Scenario, Simulation};

/// A component kind's TOML side, implemented by its top-level raw struct
/// (named `Raw...`: serde names it in messages, which say "a table"
/// instead).
pub trait Kind: serde::de::DeserializeOwned + Required + Sized {
    /// The validated component.
    type Model;

    /// Reports the unknown fields and missing required fields of the
    /// nested tables of one component (with `shape::strip_sub` and
    /// `shape::strip_each`); returns the missing ones. None by default.
    fn strip_nested(_cx: &mut Cx<'_>, _path: &FieldPath, _v: &mut Value) -> Vec<&'static str> {
        Vec::new()
    }

    /// Validates component `i` of the kind; `None` when it had a problem
    /// (every problem is reported to `cx`).
    fn validate(&self, cx: &mut Cx<'_>, i: usize, given: &Given<'_>) -> Option<Self::Model>;

    /// Checks that span all components of the kind (e.g. the account-wide
    /// sum of reserved concurrency), after each was validated. None by
    /// default.
    fn check_all(_cx: &mut Cx<'_>, _all: &[Option<Self>], _given: &Given<'_>) {}
}

/// What a kind's validation may read besides its own component: every
/// raw component (for cross-checks, such as a workload's route mix against
/// its api's routes) and the validated `[simulation]`.
pub struct Given<'a> {
    /// Every component as deserialized.
    pub raws: &'a Raws,
    /// `[simulation]`, validated (defaults where it had problems).
    pub simulation: &'a Simulation,
}

/// Component kinds the format reserves (`docs/scenario-format.md`) that
/// are reported as "not supported yet" unless they are in [`KINDS`]: a
/// kind added to the list leaves this set by itself.
const RESERVED: [&str; 9] = [
    "queue", "topic", "bucket", "stream", "cdn", "workflow", "database", "schedule", "service",
];

/// The reserved kinds this version cannot simulate, in [`RESERVED`] order.
pub fn unsupported() -> impl Iterator<Item = &'static str> {
    RESERVED.into_iter().filter(|k| !KINDS.contains(k))
}

/// True when `kind` is reserved by the format but not simulated yet.
pub fn is_unsupported(kind: &str) -> bool {
    RESERVED.contains(&kind) && !KINDS.contains(&kind)
}

/// Generates everything kind-wide from the list: one line per kind,
/// `key: RawStruct => field`, where `key` is the TOML section (`[[key]]`)
/// and the module `kinds/key.rs`, `RawStruct` its raw struct (a [`Kind`])
/// and `field` the field of [`Raws`] and of [`Scenario`].
macro_rules! kinds {
    ($($key:ident: $raw:ident => $field:ident,)+) => {
        /// Component kinds this version simulates, in list order (the order
        /// of the names index and of validation).
        pub const KINDS: &[&str] = &[$(stringify!($key)),+];

        /// The raw components; `None` where a component failed to
        /// deserialize.
        #[derive(Default)]
        pub struct Raws {
            /// `[simulation]`.
            pub simulation: Option<RawSimulation>,
            /// `[cost]`.
            pub cost: Option<RawCost>,
            /// `[[slo]]`, in file order.
            pub slos: Vec<Option<RawSlo>>,
            /// `[objective]`.
            pub objective: Option<RawObjective>,
            /// `[timeline]`.
            pub timeline: Option<super::env_timeline::RawTimeline>,
            $(
                #[doc = concat!("`[[", stringify!($key), "]]`, in file order.")]
                pub $field: Vec<Option<$key::$raw>>,
            )+
        }

        impl Raws {
            /// Deserializes the array of tables `key` (at `path`), one of
            /// [`KINDS`], into its field, one component at a time.
            pub fn shape(&mut self, cx: &mut Cx<'_>, key: &str, path: &FieldPath, value: &Value) {
                match key {
                    $(stringify!($key) => {
                        self.$field = shape::array(cx, path, value, $key::$raw::strip_nested);
                    })+
                    _ => {}
                }
            }
        }

        /// Validates every component, kind after kind in list order; the
        /// model when every component is valid (problems found before
        /// this are the caller's to check).
        pub fn validate(cx: &mut Cx<'_>, raws: &Raws, simulation: Simulation) -> Option<Scenario> {
            let given = Given {
                raws,
                simulation: &simulation,
            };
            $(let $field = validate_kind(cx, &raws.$field, &given);)+
            Some(Scenario {
                simulation,
                $($field: $field.into_iter().collect::<Option<_>>()?,)+
                slos: Vec::new(),
                objective: None,
                warnings: Vec::new(),
            })
        }

        #[cfg(test)]
        #[test]
        fn required_fields_of_every_kind_are_fields() {
            $(super::raw::assert_required::<$key::$raw>();)+
        }
    };
}

// The list. A kind is its module (`kinds/<key>.rs`; `mod` lines stay out
// of the macro so that rustfmt finds the files) and one line in `kinds!`.
pub mod api;
pub mod bucket;
pub mod cdn;
pub mod geo;
pub mod lambda;
pub mod queue;
pub mod schedule;
pub mod service;
pub mod stream;
pub mod table;
pub mod topic;
pub mod workload;

kinds! {
    workload: RawWorkload => workloads,
    api: RawApi => apis,
    lambda: RawLambda => lambdas,
    table: RawTable => tables,
    queue: RawQueue => queues,
    topic: RawTopic => topics,
    bucket: RawBucket => buckets,
    service: RawService => services,
    schedule: RawSchedule => schedules,
    stream: RawStream => streams,
    cdn: RawCdn => cdns,
}

/// Validates each component of one kind, then the kind as a whole.
fn validate_kind<K: Kind>(
    cx: &mut Cx<'_>,
    raws: &[Option<K>],
    given: &Given<'_>,
) -> Vec<Option<K::Model>> {
    let out = raws
        .iter()
        .enumerate()
        .map(|(i, r)| r.as_ref().and_then(|r| r.validate(cx, i, given)))
        .collect();
    K::check_all(cx, raws, given);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_kind_is_not_unsupported() {
        for k in KINDS {
            assert!(!is_unsupported(k), "{k}");
        }
        for k in RESERVED {
            assert_eq!(is_unsupported(k), !KINDS.contains(&k), "{k}");
        }
        assert!(!is_unsupported("simulation"));
        assert!(unsupported().all(|k| RESERVED.contains(&k) && !KINDS.contains(&k)));
    }
}
