//! Stage one of loading: serde structs that mirror the TOML exactly
//! (`deny_unknown_fields`). Values that need parsing (durations,
//! distributions, enums) stay strings here; `validate` turns them into the
//! typed model. Integers are `i64` (what TOML holds), so that validation,
//! not serde, reports a value out of range, with the range.

#![allow(missing_docs)]

use indexmap::IndexMap;
use serde::de::{self, Deserialize, Deserializer, Visitor};

/// `[simulation]`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub name: Option<String>,
    pub duration: Option<String>,
    pub warmup: Option<String>,
    pub seed: Option<i64>,
    pub account_concurrency: Option<i64>,
    pub scaling: Option<String>,
    pub region: Option<String>,
    pub free_tier: Option<bool>,
    pub max_events: Option<i64>,
    pub max_wall: Option<String>,
    pub max_memory: Option<String>,
    pub timeseries_interval: Option<String>,
}

/// `[[workload]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkload {
    pub name: String,
    pub target: String,
    pub arrival: String,
    pub scale: Option<f64>,
    pub routes: Option<IndexMap<String, f64>>,
    pub retry: Option<RawRetry>,
}

/// `retry = { ... }` of a workload.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetry {
    pub max_attempts: Option<i64>,
    pub backoff: Option<String>,
}

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

/// `[[lambda]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLambda {
    pub name: String,
    pub runtime: Option<String>,
    pub architecture: Option<String>,
    pub memory_mb: Option<i64>,
    pub timeout: Option<String>,
    pub init: Option<String>,
    pub keep_alive: Option<String>,
    pub routing: Option<String>,
    pub max_lifetime: Option<String>,
    pub reserved_concurrency: Option<i64>,
    pub provisioned_concurrency: Option<i64>,
    pub snap_start: Option<bool>,
    #[serde(default)]
    pub steps: Vec<RawStep>,
    /// Not supported yet.
    pub triggers: Option<toml::Value>,
    /// Not supported yet.
    pub destinations: Option<toml::Value>,
}

/// One entry of a lambda's `steps`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub compute: Option<String>,
    pub threads: Option<f64>,
    pub io: Option<String>,
    pub call: Option<String>,
    pub op: Option<String>,
    pub items: Option<i64>,
    pub item_kb: Option<f64>,
    pub mode: Option<String>,
    pub fail: Option<f64>,
}

/// `[[table]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTable {
    pub name: String,
    pub capacity: Option<String>,
    pub rcu: Option<f64>,
    pub wcu: Option<f64>,
    pub initial_read_peak: Option<f64>,
    pub initial_write_peak: Option<f64>,
    pub consistency: Option<String>,
    pub burst_seconds: Option<f64>,
    pub read_latency: Option<String>,
    pub write_latency: Option<String>,
    pub dax: Option<RawDax>,
    pub sdk_retry: Option<RawSdkRetry>,
    /// Not supported yet.
    pub autoscaling: Option<toml::Value>,
    /// Only `false` is supported yet.
    pub stream: Option<bool>,
}

/// `dax = { ... }` of a table.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDax {
    pub hit_ratio: f64,
    pub ttl: Option<String>,
    pub hit_latency: Option<String>,
}

/// `sdk_retry = { ... }` of a table.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSdkRetry {
    pub max_attempts: Option<i64>,
    pub base: Option<String>,
    pub max_backoff: Option<String>,
}

/// The fields a raw struct cannot do without. Serde stops at the first
/// missing one; `shape` reports them all.
pub trait Required {
    /// Required field names.
    const REQUIRED: &'static [&'static str] = &[];
}

impl Required for RawSimulation {}
impl Required for RawWorkload {
    const REQUIRED: &'static [&'static str] = &["name", "target", "arrival"];
}
impl Required for RawRetry {}
impl Required for RawApi {
    const REQUIRED: &'static [&'static str] = &["name", "routes"];
}
impl Required for RawApiCache {
    const REQUIRED: &'static [&'static str] = &["hit_ratio"];
}
impl Required for RawRoute {
    const REQUIRED: &'static [&'static str] = &["route", "target"];
}
impl Required for RawLambda {
    const REQUIRED: &'static [&'static str] = &["name"];
}
impl Required for RawStep {}
impl Required for RawTable {
    const REQUIRED: &'static [&'static str] = &["name"];
}
impl Required for RawDax {
    const REQUIRED: &'static [&'static str] = &["hit_ratio"];
}
impl Required for RawSdkRetry {}

/// The field names serde expects for `T` (a derived struct), recovered by
/// asking `T` to deserialize itself from a deserializer that only records
/// the `fields` argument of `deserialize_struct`.
pub fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Probe(Option<&'static [&'static str]>);
    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("probe")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    impl<'de> Deserializer<'de> for &mut Probe {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0 = Some(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let mut p = Probe(None);
    let _ = T::deserialize(&mut p);
    p.0.unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every required field is a field, and serde agrees it is required.
    #[test]
    fn required_fields_are_required() {
        fn check<'de, T: Deserialize<'de> + Required>() {
            let names = field_names::<T>();
            for f in T::REQUIRED {
                assert!(names.contains(f), "{f}");
            }
        }
        check::<RawWorkload>();
        check::<RawApi>();
        check::<RawApiCache>();
        check::<RawRoute>();
        check::<RawLambda>();
        check::<RawTable>();
        check::<RawDax>();
        let e = toml::from_str::<RawWorkload>("").unwrap_err().to_string();
        assert!(e.contains("missing field `name`"), "{e}");
    }

    #[test]
    fn field_names_are_recovered() {
        let f = field_names::<RawApi>();
        assert!(f.contains(&"type"));
        assert!(f.contains(&"routes"));
        assert!(field_names::<RawStep>().contains(&"item_kb"));
    }
}
