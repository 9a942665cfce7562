//! `auto_scaling = { ... }` of a `[[table]]` or a `[[table.gsi]]`: its raw
//! struct and its validation into [`AutoScaling`] (target, minimum and
//! maximum per direction, update delay), checked against the capacity it
//! scales.
//!
//! Must not know: when alarms fire or how capacity changes in a run.

use crate::model::limits;
use crate::model::*;
use crate::scenario::context::Cx;
use crate::scenario::locate::FieldPath;
use crate::scenario::numbers::show;
use crate::scenario::raw::Required;
use crate::scenario::validate::{dur_in, in_range};

/// `auto_scaling = { ... }`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAutoScaling {
    /// Target utilisation \[%, or a fraction <= 1\].
    pub target: Option<f64>,
    /// Minimum and maximum of both directions (the spec's form); the
    /// per-direction fields override them.
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub min_rcu: Option<f64>,
    pub max_rcu: Option<f64>,
    pub min_wcu: Option<f64>,
    pub max_wcu: Option<f64>,
    /// From the alarm to the new capacity, e.g. `"1m"`.
    pub update_delay: Option<String>,
}

impl Required for RawAutoScaling {}

/// Validates the `auto_scaling` at `sp` of a table or index whose
/// capacity is `capacity` (`what` names it in messages: "table" or
/// "GSI"); `clock` is `[simulation] start`. Problems go to `cx` (the
/// caller counts them).
pub fn auto_scaling(
    cx: &mut Cx<'_>,
    sp: &FieldPath,
    r: &RawAutoScaling,
    capacity: &Capacity,
    what: &str,
    clock: crate::engine::SimDuration,
) -> Option<AutoScaling> {
    let Capacity::Provisioned { rcu, wcu } = *capacity else {
        cx.err(
            sp,
            format!("`auto_scaling` only applies to a provisioned {what}"),
            "remove it: on demand scales by itself (twice the previous peak, docs/model.md); or set capacity = \"provisioned\" with rcu and wcu",
        );
        return None;
    };
    // A percentage (20..=90), or the same as a fraction (0.2..=0.9, the
    // spec's `target = 0.7`): no value is valid both ways.
    let target = r.target.map_or(DEFAULT_TARGET_UTILISATION * 100.0, |t| {
        let hint = "target utilisation in percent, 20..=90, or as a fraction, 0.2..=0.9 (AWS's range; the console's default is 70 %, aws-facts 5.2)";
        if t > 0.0 && t <= 1.0 {
            in_range(cx, &sp.join("target"), t, 0.2, 0.9, hint) * 100.0
        } else {
            in_range(cx, &sp.join("target"), t, 20.0, 90.0, hint)
        }
    });
    let hint = "capacity units per second, 1..=40000 (the per-table quota, aws-facts 5.1)";
    let units = |cx: &mut Cx<'_>, f: &str, v: Option<f64>, default: f64| {
        v.map_or(default, |v| {
            in_range(cx, &sp.join(f), v, 1.0, limits::TABLE_MAX_UNITS, hint)
        })
    };
    let both_min = units(cx, "min", r.min, DEFAULT_AUTO_SCALING_MIN);
    let both_max = units(cx, "max", r.max, DEFAULT_AUTO_SCALING_MAX);
    let min = (
        units(cx, "min_rcu", r.min_rcu, both_min),
        units(cx, "min_wcu", r.min_wcu, both_min),
    );
    let max = (
        units(cx, "max_rcu", r.max_rcu, both_max),
        units(cx, "max_wcu", r.max_wcu, both_max),
    );
    for (unit, lo, hi, cap) in [("rcu", min.0, max.0, rcu), ("wcu", min.1, max.1, wcu)] {
        let (min_f, max_f) = (format!("min_{unit}"), format!("max_{unit}"));
        if lo > hi {
            cx.err(
                &sp.join(&min_f),
                format!("{min_f} {} is above {max_f} {}", show(lo), show(hi)),
                format!(
                    "auto scaling keeps the capacity between them: lower {min_f} or raise {max_f}"
                ),
            );
        } else if cap < lo || cap > hi {
            cx.err(
                &sp.join(if cap < lo { &min_f } else { &max_f }),
                format!(
                    "the {what}'s {unit} = {} is outside {min_f}..={max_f} ({}..={})",
                    show(cap),
                    show(lo),
                    show(hi)
                ),
                format!(
                    "the {what} starts at its {unit}: set {unit} within the range, or widen it"
                ),
            );
        }
    }
    let update_delay = dur_in(
        cx,
        &sp.join("update_delay"),
        &r.update_delay,
        DEFAULT_UPDATE_DELAY,
        (0, MAX_UPDATE_DELAY),
        "0s..=1h",
        "from the alarm to the new capacity taking effect; AWS does not publish it (default 1m, an assumption: docs/model.md)",
    );
    Some(AutoScaling {
        target: target / 100.0,
        min,
        max,
        update_delay,
        clock,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::assert_required;

    #[test]
    fn no_field_is_required() {
        assert_required::<RawAutoScaling>();
    }
}
