//! `[timeline]`: its raw struct and its validation into
//! [`model::Timeline`](crate::model::Timeline) (after the kinds: it names
//! functions).

use super::context::Cx;
use super::raw::Required;
use super::validate::{dur, int_in};
use crate::engine::SimDuration;
use crate::model::timeline::{self as t, Timeline};

/// `[timeline]`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTimeline {
    pub functions: Option<Vec<String>>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub max_environments: Option<i64>,
    pub max_records: Option<i64>,
}

impl Required for RawTimeline {}

/// Validates `[timeline]` against the run's `duration` \[ns\] and the
/// `lambdas` functions there are.
pub fn timeline(
    cx: &mut Cx<'_>,
    r: &RawTimeline,
    duration: SimDuration,
    lambdas: usize,
) -> Option<Timeline> {
    let p = |f: &str| crate::fp!["timeline", f];
    let before = cx.problems.len();
    let mut out = Timeline::all(lambdas);
    if let Some(names) = &r.functions {
        if names.is_empty() {
            cx.err(
                &p("functions"),
                "`functions` is empty: nothing would be recorded",
                "name at least one [[lambda]], or remove `functions` to record every function",
            );
        }
        out.functions.clear();
        for (i, name) in names.iter().enumerate() {
            let path = crate::fp!["timeline", "functions", i];
            if let Some((_, f)) = cx.resolve(&path, name, &["lambda"], "a timeline") {
                if out.functions.contains(&f) {
                    cx.err(
                        &path,
                        format!("`{name}` is named twice"),
                        "name each function once",
                    );
                }
                out.functions.push(f);
            }
        }
    } else if lambdas == 0 {
        cx.err(
            &crate::fp!["timeline"],
            "[timeline] records Lambda execution environments, and the scenario has no [[lambda]]",
            "remove [timeline], or add a [[lambda]]",
        );
    }
    out.from = dur(cx, &p("from"), &r.from, 0);
    out.to = dur(cx, &p("to"), &r.to, SimDuration::MAX);
    if r.from.is_some() && out.from >= duration {
        cx.err(
            &p("from"),
            "`from` is at or after the end of the run: nothing would be recorded",
            "the window must start before [simulation] duration ends, e.g. from = \"0s\"",
        );
    }
    if r.to.is_some() && out.to <= out.from {
        cx.err(
            &p("to"),
            "`to` must be after `from`",
            "e.g. from = \"10m\", to = \"20m\"",
        );
    }
    out.max_environments = int_in(
        cx,
        &p("max_environments"),
        r.max_environments,
        t::DEFAULT_MAX_ENVIRONMENTS.into(),
        (1, t::MAX_ENVIRONMENTS),
        "rows of the chart per function; later environments are counted, not drawn",
    ) as u32;
    out.max_records = int_in(
        cx,
        &p("max_records"),
        r.max_records,
        t::DEFAULT_MAX_RECORDS.into(),
        (1, t::MAX_RECORDS),
        "spans kept per function (32 bytes each); later ones are counted, not kept",
    ) as u32;
    (cx.problems.len() == before).then_some(out)
}
