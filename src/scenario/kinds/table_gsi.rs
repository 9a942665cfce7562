//! `[[table.gsi]]` (or `gsi = [ ... ]`): a table's global secondary
//! indexes, their raw struct and their validation into [`Gsi`]s.
//!
//! Must not know: how index writes are admitted.

use toml::Value;

use super::autoscale::{auto_scaling, RawAutoScaling};
use super::RawTable;
use crate::model::limits;
use crate::model::*;
use crate::scenario::context::Cx;
use crate::scenario::error::suggest;
use crate::scenario::numbers;
use crate::scenario::raw::Required;
use crate::scenario::validate::{in_range, int_in};

/// One `[[table.gsi]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGsi {
    pub name: String,
    /// Provisioned read capacity (provisioned tables; default the table's).
    pub rcu: Option<f64>,
    /// Provisioned write capacity (provisioned tables; default the table's).
    pub wcu: Option<f64>,
    /// `"all"`, `"keys"` or a size in KB.
    pub projection: Option<Value>,
    /// Popularity of the index key.
    pub keys: Option<String>,
    /// Partitions, set explicitly.
    pub partitions: Option<i64>,
    /// Its own auto scaling (provisioned tables).
    pub auto_scaling: Option<RawAutoScaling>,
}

impl Required for RawGsi {
    const REQUIRED: &'static [&'static str] = &["name"];
}

const PROJECTION_FORM: &str =
    "projection = \"all\" (the whole item), \"keys\" (keys only: 1 write unit per item) or a size in KB, e.g. 0.5";

/// The GSIs of table `i` (`r`), whose capacity is `capacity`; `clock` is
/// `[simulation] start`.
pub fn gsis(
    cx: &mut Cx<'_>,
    i: usize,
    r: &RawTable,
    capacity: &Capacity,
    clock: crate::engine::SimDuration,
) -> Vec<Gsi> {
    let Some(list) = &r.gsi else {
        return Vec::new();
    };
    if list.len() > MAX_GSIS {
        cx.err(
            &crate::fp!["table", i, "gsi"],
            format!("{} GSIs on one table (at most {MAX_GSIS})", list.len()),
            "AWS's default quota is 20 GSIs per table",
        );
    }
    let mut out: Vec<Gsi> = Vec::with_capacity(list.len());
    for (k, g) in list.iter().enumerate() {
        let p = |f: &str| crate::fp!["table", i, "gsi", k, f];
        if g.name.is_empty() {
            cx.err(&p("name"), "a GSI needs a name", "add name = \"by-status\"");
        } else if list[..k].iter().any(|o| o.name == g.name) {
            cx.err(
                &p("name"),
                format!("GSI `{}` is defined twice on table `{}`", g.name, r.name),
                "give each index of a table its own name",
            );
        }
        let gcap = match *capacity {
            Capacity::Provisioned { rcu, wcu } => {
                let hint = "the index's own provisioned capacity, 1..=40000 per second (default: the table's; AWS advises at least the table's write capacity)";
                let mut unit = |f: &str, v: Option<f64>, d: f64| {
                    v.map_or(d, |v| {
                        in_range(cx, &p(f), v, 1.0, limits::TABLE_MAX_UNITS, hint)
                    })
                };
                Capacity::Provisioned {
                    rcu: unit("rcu", g.rcu, rcu),
                    wcu: unit("wcu", g.wcu, wcu),
                }
            }
            Capacity::OnDemand { .. } => {
                for (f, v) in [("rcu", g.rcu), ("wcu", g.wcu)] {
                    if v.is_some() {
                        cx.key_err(
                            &p(f),
                            format!("`{f}` only applies to GSIs of provisioned tables"),
                            "remove it: an on-demand table's indexes are on demand too",
                        );
                    }
                }
                capacity.clone()
            }
        };
        let projection = projection(cx, &p("projection"), g.projection.as_ref());
        let keys = match &g.keys {
            None => crate::dist::keys::Keys::Many,
            Some(s) => crate::scenario::values::keys(s).unwrap_or_else(|b| {
                cx.err(&p("keys"), b.message, b.hint.unwrap_or_default());
                crate::dist::keys::Keys::Many
            }),
        };
        let partitions = g.partitions.map(|n| {
            int_in(
                cx,
                &p("partitions"),
                Some(n),
                1,
                (1, i64::from(MAX_PARTITIONS)),
                "the index's partitions, 1..=100000; omit it to derive them from its capacity",
            ) as u32
        });
        let auto = g
            .auto_scaling
            .as_ref()
            .and_then(|a| auto_scaling(cx, &p("auto_scaling"), a, &gcap, "GSI", clock));
        if auto.is_none()
            && r.auto_scaling.is_some()
            && matches!(gcap, Capacity::Provisioned { .. })
        {
            cx.warn(
                &p("name"),
                format!(
                    "table `{}` scales but its GSI `{}` does not: once the table's writes outgrow the index's wcu, the index throttles them; give the GSI its own `auto_scaling` (AWS's console offers to apply the table's settings to its indexes)",
                    r.name, g.name
                ),
            );
        }
        out.push(Gsi {
            name: g.name.clone(),
            capacity: gcap,
            projection,
            keys,
            partitions,
            auto_scaling: auto,
        });
    }
    out
}

/// `projection`: `"all"` (default), `"keys"` or a size in KB.
fn projection(
    cx: &mut Cx<'_>,
    p: &crate::scenario::locate::FieldPath,
    v: Option<&Value>,
) -> GsiProjection {
    match v {
        None => GsiProjection::All,
        Some(Value::String(s)) => match s.as_str() {
            "all" => GsiProjection::All,
            "keys" | "keys_only" => GsiProjection::KeysOnly,
            other => {
                cx.err(
                    p,
                    format!("unknown projection `{other}`"),
                    format!("{}; {PROJECTION_FORM}", suggest(other, &["all", "keys"])),
                );
                GsiProjection::All
            }
        },
        Some(Value::Integer(n)) => kb(cx, p, *n as f64),
        Some(Value::Float(x)) => kb(cx, p, *x),
        Some(other) => {
            cx.err(
                p,
                format!(
                    "projection must be a string or a number, not {}",
                    other.type_str()
                ),
                PROJECTION_FORM,
            );
            GsiProjection::All
        }
    }
}

fn kb(cx: &mut Cx<'_>, p: &crate::scenario::locate::FieldPath, v: f64) -> GsiProjection {
    if v > 0.0 && v <= limits::MAX_ITEM_KB {
        GsiProjection::Kb(v)
    } else {
        cx.err(
            p,
            format!(
                "projection {} KB is out of range (allowed > 0, <= 400)",
                numbers::show(v)
            ),
            "the projected size of each item in KB, at most the 400 KB item limit (aws-facts 5.1)",
        );
        GsiProjection::All
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::assert_required;

    #[test]
    fn required_fields_are_required() {
        assert_required::<RawGsi>();
    }
}
