//! A function's execution-environment timeline as a Gantt chart: one row
//! per recorded environment (init, busy, idle; how it ended), throttled
//! arrivals on a row of their own, what the bounds left out in the notes.

use super::gantt::{Gantt, GanttRow, Phase, RowEnd, Span};
use super::run::time_unit;
use crate::metrics::text::thousands as count;
use crate::services::lambda::timeline::{seconds, EnvTimeline, Phase as P};

/// The Gantt chart of `t`.
pub fn chart(t: &EnvTimeline) -> Gantt {
    let (from, to) = (seconds(t.from), seconds(t.to));
    let (unit_s, unit) = time_unit(to - from);
    let x = |ns: u64| seconds(ns) / unit_s;
    let mut g = Gantt::new(
        format!("Execution environments of {}", t.function),
        format!("time [{unit}]"),
        from / unit_s,
        to / unit_s,
    );
    g.y_label = "environment".into();
    g.rows = (0..t.environments)
        .map(|e| GanttRow {
            label: format!("env {e}"),
            ..GanttRow::default()
        })
        .collect();
    for s in &t.spans {
        let Some(row) = s.env.and_then(|e| g.rows.get_mut(e as usize)) else {
            if s.phase == P::Throttled {
                g.throttled.push(x(s.start));
            }
            continue;
        };
        let phase = match s.phase {
            P::Init => Phase::Init,
            P::Busy => Phase::Busy,
            P::Idle => Phase::Idle,
            P::Expired => {
                row.end = Some((x(s.start), RowEnd::Expired));
                continue;
            }
            P::Recycled => {
                row.end = Some((x(s.start), RowEnd::Recycled));
                continue;
            }
            P::Reset => {
                row.end = Some((x(s.start), RowEnd::Reset));
                continue;
            }
            P::Throttled => continue,
        };
        row.spans.push(Span {
            from: x(s.start),
            to: x(s.end),
            phase,
        });
    }
    let colds = t.spans.iter().filter(|s| s.phase == P::Init).count();
    g.notes.push(format!(
        "{} environments, {} initialisations, {} throttled arrivals in the window",
        count(u64::from(t.environments)),
        count(colds as u64),
        count(g.throttled.len() as u64),
    ));
    if let Some(w) = t.omitted() {
        g.notes.push(w);
    }
    g
}
