//! Stage one of loading: what the serde structs that mirror the TOML
//! exactly (`deny_unknown_fields`) share: the [`Required`] fields and the
//! field names serde expects ([`field_names`]), and `[simulation]`'s struct.
//! Each component kind's structs live in its file under `kinds/`.
//!
//! Conventions for every raw struct: values that need parsing (durations,
//! distributions, enums) stay strings; validation turns them into the typed
//! model. Integers are `i64` (what TOML holds), so that validation, not
//! serde, reports a value out of range, with the range.

#![allow(missing_docs)]

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// `[simulation]`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub name: Option<String>,
    pub duration: Option<String>,
    pub warmup: Option<String>,
    /// A time of day: a string (`"11:30"`) or a TOML local time (`11:30:00`).
    pub start: Option<toml::Value>,
    /// A date: a string (`"2026-03-02"`) or a TOML local date.
    pub start_date: Option<toml::Value>,
    pub seed: Option<i64>,
    pub account_concurrency: Option<i64>,
    pub esm_max_concurrency: Option<i64>,
    pub scaling: Option<String>,
    pub region: Option<String>,
    pub free_tier: Option<bool>,
    pub max_events: Option<i64>,
    pub max_wall: Option<String>,
    pub max_memory: Option<String>,
    pub timeseries_interval: Option<String>,
    pub api_rate_limit: Option<f64>,
    pub api_burst: Option<f64>,
}

/// `[cost]`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCost {
    pub projection: Option<String>,
}

impl Required for RawCost {}

/// The fields a raw struct cannot do without. Serde stops at the first
/// missing one; `shape` reports them all.
pub trait Required {
    /// Required field names.
    const REQUIRED: &'static [&'static str] = &[];
}

impl Required for RawSimulation {}

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

/// Asserts that every required field of `T` is a field of `T`, and that
/// serde agrees: an empty table deserializes when nothing is required,
/// else fails on a required field.
#[cfg(test)]
pub fn assert_required<T: serde::de::DeserializeOwned + Required>() {
    let names = field_names::<T>();
    for f in T::REQUIRED {
        assert!(names.contains(f), "{f}");
    }
    let got = toml::Value::Table(toml::Table::new()).try_into::<T>();
    match (T::REQUIRED, got) {
        ([], r) => assert!(r.is_ok(), "{:?}", r.err()),
        (req, Ok(_)) => panic!("an empty table deserialized, but {req:?} are required"),
        (req, Err(e)) => {
            let e = e.to_string();
            assert!(
                req.iter()
                    .any(|f| e.contains(&format!("missing field `{f}`"))),
                "{e}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_recovered() {
        let f = field_names::<RawSimulation>();
        assert!(f.contains(&"duration"));
        assert!(f.contains(&"timeseries_interval"));
        assert!(f.contains(&"api_rate_limit") && f.contains(&"api_burst"));
        assert!(f.contains(&"start") && f.contains(&"start_date"));
        assert_eq!(f.len(), 17);
    }
}
