//! DynamoDB's part of the event flow: a request's attempts (DAX, capacity,
//! SDK backoff) and its answer to the calling invocation.

use indexmap::IndexMap;

use crate::model::Capacity;

use super::{Attempt, DynamoDbTable, TableCall, TableSeries, TableStats, Tables};
use crate::model::Scenario;
use crate::services::{
    Build, Collect, Cx, End, Event, Frame, FrameRef, FrameState, Kind, Outcome, Service, World,
};

impl Service for Tables {
    const LABEL: &'static str = "table";
    const BACKLOG: &'static str = "requests in progress (including SDK retries)";
    const SERIES: usize = 5;
    type Stats = TableStats;

    fn count(m: &Scenario) -> usize {
        m.tables.len()
    }

    fn build(b: &mut Build<'_>) -> Self {
        let list = b
            .model
            .tables
            .iter()
            .map(|t| {
                let series = TableSeries {
                    consumed_rcu: b.sum(&t.name, "consumed_rcu", "RCU/s", b.per_s),
                    consumed_wcu: b.sum(&t.name, "consumed_wcu", "WCU/s", b.per_s),
                    throttled: b.sum(&t.name, "throttled", "count", 1.0),
                };
                // The provisioned capacity beside the consumption (0 for
                // an on-demand table, which has no fixed capacity).
                let (rcu, wcu) = match t.capacity {
                    Capacity::Provisioned { rcu, wcu } => (rcu, wcu),
                    Capacity::OnDemand { .. } => (0.0, 0.0),
                };
                let id = b.max(&t.name, "provisioned_rcu", "RCU/s");
                b.rec.fill(id, rcu);
                let id = b.max(&t.name, "provisioned_wcu", "WCU/s");
                b.rec.fill(id, wcu);
                DynamoDbTable::new(t, b.rng(&t.name, "table"), series)
            })
            .collect();
        Tables { list }
    }

    fn name(&self, i: usize) -> &str {
        &self.list[i].name
    }

    fn footprint(&self) -> usize {
        0
    }

    fn owner(f: &FrameState) -> usize {
        match f {
            FrameState::TableCall(s) => s.table as usize,
            _ => unreachable!("not a frame of this kind"),
        }
    }

    #[inline]
    fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef) {
        let Some(Frame {
            parent,
            state: FrameState::TableCall(c),
            ..
        }) = w.frames.get(fr).copied()
        else {
            return;
        };
        if c.done {
            w.frames.free(fr);
            let end = if c.failed { End::Failed } else { End::Ok };
            // A failure here is the SDK giving up after throttles.
            w.deliver(cx, parent, Outcome::at(end, Kind::Table, c.table as usize));
        } else {
            attempt(w, cx, fr);
        }
    }

    #[inline]
    fn on_reply(_w: &mut World, _cx: &mut Cx, _to: FrameRef, _outcome: Outcome) {}

    fn stats(&mut self, _c: &mut Collect<'_>) -> IndexMap<String, TableStats> {
        self.list
            .iter()
            .map(|t| (t.name.clone(), super::stats::collect(t)))
            .collect()
    }

    fn text(stats: &IndexMap<String, TableStats>, out: &mut String) {
        super::stats::text(stats, out);
    }

    fn findings(
        stats: &IndexMap<String, TableStats>,
        cx: &crate::services::FindingsCx<'_>,
        out: &mut Vec<crate::services::Finding>,
    ) {
        super::stats::findings(stats, cx, out);
    }

    fn bill(
        stats: &IndexMap<String, TableStats>,
        p: &crate::cost::Pricing<'_>,
    ) -> Option<crate::cost::Bill> {
        Some(super::cost::bill(stats, p))
    }
}

/// A request of `units` capacity units to table `t` by frame `parent`.
#[inline]
pub fn call(w: &mut World, cx: &mut Cx, t: usize, read: bool, units: f32, parent: FrameRef) {
    let now = cx.now();
    if now >= w.warmup {
        w.tables[t].on_request(read);
    }
    let fr = w.frames.alloc(Frame {
        parent,
        start: now,
        state: FrameState::TableCall(TableCall {
            table: t as u16,
            read,
            attempt: 0,
            done: false,
            failed: false,
            units,
        }),
    });
    attempt(w, cx, fr);
}

#[inline]
fn attempt(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let Some(Frame {
        state: FrameState::TableCall(ref mut c),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    let now = cx.now();
    let measured = now >= w.warmup;
    let t = &mut w.tables[c.table as usize];
    let units = c.units as f64;
    let delay = match t.attempt(now, c.read, units, c.attempt as u32) {
        Attempt::DaxHit(d) => {
            t.on_dax_hit(measured);
            c.done = true;
            d
        }
        Attempt::Served(d) => {
            t.on_served(now, measured, c.read, units, &mut w.rec);
            c.done = true;
            d
        }
        Attempt::Retry(d) => {
            t.on_throttle(now, measured, false, &mut w.rec);
            c.attempt = c.attempt.saturating_add(1);
            d
        }
        Attempt::GiveUp(d) => {
            t.on_throttle(now, measured, true, &mut w.rec);
            c.done = true;
            c.failed = true;
            d
        }
    };
    cx.schedule(delay, Event::Step(fr));
}
