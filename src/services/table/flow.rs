//! DynamoDB's part of the event flow: a request's attempts (DAX, the
//! SDK's send token, capacity, the SDK's decision after a throttle) and its
//! answer to the calling invocation.
//!
//! A request's frame steps through [`Phase`]: `Send` (wait for a send
//! token in adaptive mode) → `SendNow` (the attempt) → after the round
//! trip, `Served`, or after a throttle `Retry` (then `Send` after the
//! SDK's backoff) or `GiveUp` (the error reaches the caller).
//!
//! Whether a throttled attempt is retried (attempts left, quota tokens)
//! is decided, and counted, when the table throttles it, so that every
//! throttled attempt is counted as retried or given up at once; the
//! response (the adaptive limiter's bookkeeping, the backoff) follows
//! one round trip later. The quota is thus charged one round trip early
//! \[A\] (docs/model.md, "SDK retries").

use indexmap::IndexMap;

use crate::model::Capacity;

use super::partitions::HotSeries;
use super::replicas::Replication;
use super::{
    Attempt, DaxCache, DaxFill, DynamoDbTable, Phase, TableCall, TableRequest, TableSeries,
    TableSeriesExtra, TableStats, Tables,
};
use crate::model::Scenario;
use crate::services::caches::CacheSeries;
use crate::services::sdk_retry::{ErrorKind, SdkClients};
use crate::services::{
    Build, Collect, Cx, End, Event, Frame, FrameRef, FrameState, Kind, Outcome, Service, World,
};

impl Service for Tables {
    const LABEL: &'static str = "table";
    const BACKLOG: &'static str = "requests in progress (including SDK retries)";
    const SERIES: usize = 9;
    type Stats = TableStats;

    fn count(m: &Scenario) -> usize {
        m.tables.len()
    }

    /// A table with DAX in front registers its cache's series too.
    fn series(m: &Scenario) -> usize {
        Self::SERIES * m.tables.len()
            + CacheSeries::COUNT * m.tables.iter().filter(|t| has_dax(t)).count()
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
                // an on-demand table, which has no fixed capacity); with
                // auto scaling it follows the capacity as it changes.
                let (rcu, wcu) = match t.capacity {
                    Capacity::Provisioned { rcu, wcu } => (rcu, wcu),
                    Capacity::OnDemand { .. } => (0.0, 0.0),
                };
                let provisioned = [
                    b.max(&t.name, "provisioned_rcu", "RCU/s"),
                    b.max(&t.name, "provisioned_wcu", "WCU/s"),
                ];
                let scaled = t.auto_scaling.is_some();
                if !scaled {
                    b.rec.fill(provisioned[0], rcu);
                    b.rec.fill(provisioned[1], wcu);
                }
                // What the table serves at once (provisioned, or the
                // on-demand warm throughput as it grows), and the busiest
                // partition's use per interval.
                let capacity = [
                    b.max(&t.name, "capacity_rcu", "RCU/s"),
                    b.max(&t.name, "capacity_wcu", "WCU/s"),
                ];
                let hot = HotSeries {
                    ids: [
                        b.max(&t.name, "hot_partition_rcu", "RCU/s"),
                        b.max(&t.name, "hot_partition_wcu", "WCU/s"),
                    ],
                    interval: b.rec.interval(),
                    per_s: b.per_s,
                };
                let extra = TableSeriesExtra {
                    hot,
                    capacity,
                    provisioned: scaled.then_some(provisioned),
                };
                let rng = b.rng(&t.name, "table");
                let times = (b.warmup, b.end);
                let dax = t
                    .dax
                    .as_ref()
                    .filter(|_| has_dax(t))
                    .map(|d| DaxCache::new(d, CacheSeries::register(b, &t.name)));
                DynamoDbTable::new(t, rng, series, extra, dax, times, &mut b.rec)
            })
            .collect();
        let sdk = SdkClients::build(b.model);
        let geo = Replication::build(b.model, &sdk, b.end, |name| b.rng(name, "replication"));
        Tables { list, sdk, geo }
    }

    fn name(&self, i: usize) -> &str {
        &self.list[i].name
    }

    fn footprint(&self) -> usize {
        self.list
            .iter()
            .map(DynamoDbTable::footprint)
            .sum::<usize>()
            + self.geo.footprint()
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
        match c.phase {
            Phase::Send => send(w, cx, fr),
            Phase::SendNow => attempt(w, cx, fr),
            Phase::Served => {
                w.tables.sdk[c.slot as usize].on_success(cx.now(), c.cost);
                if c.fill != DaxFill::None {
                    if let Some(d) = &mut w.tables[c.table as usize].dax {
                        d.served(cx.now(), c.fill, c.rank);
                    }
                }
                w.frames.free(fr);
                if !c.read && c.index == 0 {
                    // A successful write: its records in the table's
                    // stream, if it has one.
                    let (t, key, items, kb) = (c.table as usize, c.key, c.items, c.item_kb);
                    crate::services::stream::table_write(w, cx, t, key, items.max(1), kb);
                }
                w.deliver(
                    cx,
                    parent,
                    Outcome::at(End::Ok, Kind::Table, c.table as usize),
                );
            }
            Phase::DaxHit => {
                w.frames.free(fr);
                w.deliver(
                    cx,
                    parent,
                    Outcome::at(End::Ok, Kind::Table, c.table as usize),
                );
            }
            Phase::Retry => {
                let now = cx.now();
                let Tables { list, sdk, .. } = &mut w.tables;
                let client = &mut sdk[c.slot as usize];
                client.on_response(now, true);
                let backoff = client.backoff(
                    ErrorKind::Throttle,
                    u32::from(c.attempt),
                    &mut list[c.table as usize].rng,
                );
                if let Some(Frame {
                    state: FrameState::TableCall(c),
                    ..
                }) = w.frames.get_mut(fr)
                {
                    c.attempt = c.attempt.saturating_add(1);
                    c.phase = Phase::Send;
                }
                cx.schedule(backoff, Event::Step(fr));
            }
            Phase::GiveUp => {
                w.tables.sdk[c.slot as usize].on_response(cx.now(), true);
                w.frames.free(fr);
                // The SDK's error: the caller's step fails.
                w.deliver(
                    cx,
                    parent,
                    Outcome::at(End::Failed, Kind::Table, c.table as usize),
                );
            }
        }
    }

    #[inline]
    fn on_reply(_w: &mut World, _cx: &mut Cx, _to: FrameRef, _outcome: Outcome) {}

    fn stats(&mut self, c: &mut Collect<'_>) -> IndexMap<String, TableStats> {
        let geo = &self.geo;
        self.list
            .iter_mut()
            .enumerate()
            .map(|(i, t)| {
                t.finish(c.rec);
                let mut s = super::stats::collect(t, c.end, c.measured);
                s.replication = geo.stats(i);
                (t.name.clone(), s)
            })
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
        super::findings::findings(stats, cx, out);
    }

    fn bill(
        stats: &IndexMap<String, TableStats>,
        p: &crate::cost::Pricing<'_>,
    ) -> Option<crate::cost::Bill> {
        Some(super::cost::bill(stats, p))
    }
}

/// Whether DAX answers a table's reads: it has a cluster and its reads are
/// eventually consistent (strongly consistent reads bypass DAX).
fn has_dax(t: &crate::model::Table) -> bool {
    t.dax.is_some() && t.consistency == crate::model::Consistency::Eventual
}

/// A request `req` by frame `parent` (a call step): DAX may answer it;
/// else it draws its partition key and sends its first attempt.
#[inline]
pub fn call(w: &mut World, cx: &mut Cx, req: TableRequest, parent: FrameRef) {
    let now = cx.now();
    let measured = now >= w.warmup;
    let t = &mut w.tables[req.table as usize];
    if measured {
        t.on_request(req.read);
    }
    let first = t.start(&req, now, measured, &mut w.rec);
    let call = match first {
        Ok(c) => c,
        Err(_) => TableCall {
            phase: Phase::DaxHit,
            ..TableCall::new(&req, 0)
        },
    };
    let fr = w.frames.alloc(Frame {
        parent,
        start: now,
        state: FrameState::TableCall(call),
    });
    match first {
        // Answered by DAX: the frame ends after the hit latency (and the
        // round trip from a caller in another Region).
        Err(hit) => cx.schedule(hit + w.tables.geo.rtt(req.slot), Event::Step(fr)),
        Ok(_) => send(w, cx, fr),
    }
}

/// The next attempt of frame `fr`: at once, or when the SDK client's send
/// token has accrued (adaptive mode, once it has seen a throttle).
#[inline]
fn send(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let Some(Frame {
        state: FrameState::TableCall(ref mut c),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    let now = cx.now();
    let wait = w.tables.sdk[c.slot as usize].send_delay(now);
    if wait == 0 {
        return attempt(w, cx, fr);
    }
    c.phase = Phase::SendNow;
    w.tables[c.table as usize].on_rate_limited(now >= w.warmup);
    cx.schedule(wait, Event::Step(fr));
}

/// Frame `fr` sends an attempt now; its response arrives after the round
/// trip.
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
    let Tables { list, sdk, geo } = &mut w.tables;
    let t = &mut list[c.table as usize];
    let rtt = match t.attempt(now, c, measured, &mut w.rec) {
        Attempt::Served(rtt) => {
            c.phase = Phase::Served;
            if !c.read && c.index == 0 {
                geo.on_write(c.table as usize, now, c.items, c.item_kb, measured);
            }
            rtt
        }
        Attempt::Throttled(rtt) => {
            let retry = sdk[c.slot as usize].admit_retry(ErrorKind::Throttle, u32::from(c.attempt));
            t.on_decision(measured, retry.err());
            match retry {
                Ok(cost) => {
                    c.cost = cost;
                    c.phase = Phase::Retry;
                }
                Err(_) => c.phase = Phase::GiveUp,
            }
            rtt
        }
    };
    // A caller in another Region than the table (and its replicas) waits
    // the inter-Region round trip on every attempt.
    cx.schedule(rtt + geo.rtt(c.slot), Event::Step(fr));
}
