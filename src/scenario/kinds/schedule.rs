//! `[[schedule]]` (EventBridge Scheduler or a scheduled rule): its raw
//! struct and its validation into [`Schedule`]: a rate (`every`) or a
//! cron expression (`cron`, parsed in `schedule_cron.rs`), the target (a
//! function, a queue or a topic), the flexible window and the type. Every
//! bound cites its source (`model::schedule`).
//!
//! Must not know: how a run fires a schedule.

use super::{Given, Kind};
use crate::model::schedule::{self as m, When};
use crate::model::{Destination, Schedule, ScheduleType};
use crate::scenario::context::Cx;
use crate::scenario::raw::Required;
use crate::scenario::validate::{choice, dur};

#[path = "schedule_cron.rs"]
pub mod cron;

/// `[[schedule]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSchedule {
    pub name: String,
    pub target: String,
    /// A rate: a duration, whole minutes.
    pub every: Option<String>,
    /// AWS's six-field cron expression.
    pub cron: Option<String>,
    /// `"off"` or a duration, 1 to 1,440 whole minutes.
    pub flexible_window: Option<String>,
    /// `"scheduler"` or `"rule"`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

impl Required for RawSchedule {
    const REQUIRED: &'static [&'static str] = &["name", "target"];
}

impl Kind for RawSchedule {
    type Model = Schedule;

    fn validate(&self, cx: &mut Cx<'_>, i: usize, _given: &Given<'_>) -> Option<Schedule> {
        schedule(cx, i, self)
    }
}

/// Whole minutes in `ns`, if it is a whole number of minutes.
fn whole_minutes(ns: u64) -> bool {
    ns % m::MINUTE == 0
}

/// Validates one `[[schedule]]`.
fn schedule(cx: &mut Cx<'_>, i: usize, r: &RawSchedule) -> Option<Schedule> {
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["schedule", i, f];
    let when = match (&r.every, &r.cron) {
        (Some(_), Some(_)) => {
            cx.err(
                &p("cron"),
                "a schedule has both `every` and `cron`",
                "keep one: `every = \"5m\"` (a rate) or `cron = \"0 9 ? * MON-FRI *\"`",
            );
            None
        }
        (None, None) => {
            cx.err(
                &crate::fp!["schedule", i],
                "a schedule needs `every` or `cron`",
                "add `every = \"5m\"` (a rate, at least 1 minute) or `cron = \"0 9 ? * MON-FRI *\"` (AWS's six-field cron, UTC)",
            );
            None
        }
        (Some(_), None) => every(cx, &p("every"), &r.every),
        (None, Some(text)) => match cron::parse(text) {
            Ok(c) => Some(When::Cron(c)),
            Err((msg, hint)) => {
                cx.err(&p("cron"), msg, hint);
                None
            }
        },
    };
    let target = cx
        .resolve(
            &p("target"),
            &r.target,
            &["lambda", "queue", "topic"],
            "a schedule's target",
        )
        .map(|(kind, k)| match kind {
            "queue" => Destination::Queue(k),
            "topic" => Destination::Topic(k),
            _ => Destination::Lambda(k),
        });
    let kind = choice(
        cx,
        &p("type"),
        &r.kind,
        &ScheduleType::NAMES,
        ScheduleType::Scheduler,
    );
    let flexible_window = match r.flexible_window.as_deref() {
        None | Some("off") => 0,
        Some(_) => {
            let path = p("flexible_window");
            let w = dur(cx, &path, &r.flexible_window, 0);
            let (lo, hi) = m::FLEXIBLE_WINDOW;
            if !(lo..=hi).contains(&w) || !whole_minutes(w) {
                cx.err(
                    &path,
                    format!(
                        "flexible_window `{}` is not 1 to 1440 whole minutes",
                        r.flexible_window.as_deref().unwrap_or_default()
                    ),
                    "EventBridge Scheduler's flexible window is 1-1,440 minutes (aws-facts 10.13), e.g. \"15m\"; \"off\" sends each event inside its minute",
                );
            } else if kind == ScheduleType::Rule {
                cx.err(
                    &path,
                    "a scheduled rule has no flexible window",
                    "flexible windows belong to EventBridge Scheduler: remove `flexible_window`, or use type = \"scheduler\"",
                );
            }
            w
        }
    };
    let (when, target) = (when?, target?);
    (cx.problems.len() == before).then(|| Schedule {
        name: r.name.clone(),
        when,
        target,
        flexible_window,
        kind,
    })
}

/// `every`: a rate of at least a minute, in whole minutes.
fn every(
    cx: &mut Cx<'_>,
    path: &crate::scenario::locate::FieldPath,
    raw: &Option<String>,
) -> Option<When> {
    let before = cx.problems.len();
    let v = dur(cx, path, raw, m::MIN_EVERY);
    if cx.problems.len() > before {
        return None;
    }
    let text = raw.as_deref().unwrap_or_default();
    if v < m::MIN_EVERY {
        cx.err(
            path,
            format!("every `{text}` is below EventBridge's minimum rate of 1 minute"),
            "schedules fire at most once a minute (aws-facts 10.13: minimum rate 1 minute, 60 s precision); use every = \"1m\" or more",
        );
        return None;
    }
    if v > m::MAX_EVERY || !whole_minutes(v) {
        cx.err(
            path,
            format!("every `{text}` is not a whole number of minutes up to 366 days"),
            "a rate expression counts whole minutes, hours or days (e.g. \"5m\", \"1h\", \"1d\")",
        );
        return None;
    }
    Some(When::Every(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::assert_required;

    #[test]
    fn required_fields_are_required() {
        assert_required::<RawSchedule>();
    }
}
