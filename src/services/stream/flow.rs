//! A stream's part of the event flow: the service's registry entry, the
//! mapping's polls and its batches
//! (invoked synchronously, retried while they block their lane, split on
//! error, discarded to the on-failure destination). Records come in
//! through `put.rs`.
//!
//! A poll never invokes a function from inside another component's call
//! chain: a put or a freed lane asks for a `POLL` timer, and the poll
//! starts the batches.

use indexmap::IndexMap;

use super::{KStream, Mapping, StreamBatch, StreamSeries, StreamStats, Streams};
use crate::engine::MILLIS;
use crate::model::stream::OnFailure;
use crate::model::{Scenario, Step, StreamMode, StreamSource};
use crate::services::sdk_retry::SdkClients;
use crate::services::{
    lambda, Build, Collect, Cx, End, Event, Finding, FindingsCx, Frame, FrameRef, FrameState, Kind,
    Outcome, Service, Timer, World,
};

/// Timer: stream `index`'s mapping polls its lanes.
pub const POLL: u8 = 0;

/// The SDK clients of every (function, Kinesis stream) pair a function's
/// steps write to: the function's `sdk_retry`, else the SDK's defaults for
/// services other than DynamoDB (`model::service::default_sdk_retry`).
pub fn clients(m: &Scenario) -> SdkClients {
    SdkClients::build_by(
        m,
        |s| match s {
            Step::PutRecords(p) => Some(p.stream),
            _ => None,
        },
        |f, _| {
            f.sdk_retry
                .unwrap_or_else(crate::model::service::default_sdk_retry)
        },
    )
}

impl Service for Streams {
    const LABEL: &'static str = "stream";
    const BACKLOG: &'static str = "PutRecords calls and batches in progress";
    const HELD: &'static str = "records held in shards";
    const SERIES: usize = 5;
    type Stats = StreamStats;

    fn count(m: &Scenario) -> usize {
        m.streams.len() + m.tables.iter().filter(|t| t.stream).count()
    }

    fn build(b: &mut Build<'_>) -> Self {
        let m = b.model;
        let series = |b: &mut Build<'_>, name: &str| StreamSeries {
            records_in: b.sum(name, "records_in", "records/s", b.per_s),
            processed: b.sum(name, "processed", "records/s", b.per_s),
            iterator_age: b.max(name, "iterator_age_ms", "ms"),
            throttled: b.sum(name, "throttled_puts", "count", 1.0),
            discarded: b.sum(name, "discarded", "count", 1.0),
        };
        let mut list: Vec<KStream> = Vec::new();
        for s in &m.streams {
            let sr = series(b, &s.name);
            list.push(KStream::kinesis(s, b.rng(&s.name, "stream"), sr));
        }
        let mut by_table = vec![u32::MAX; m.tables.len()];
        for (i, t) in m.tables.iter().enumerate().filter(|(_, t)| t.stream) {
            by_table[i] = list.len() as u32;
            let sr = series(b, &t.name);
            // DynamoDB Streams: one shard per partition (at the start:
            // splits are not followed) [A]; retention 24 h (aws-facts 5.6).
            list.push(KStream::new(
                &t.name,
                false,
                StreamMode::Provisioned,
                t.derived_partitions(),
                crate::model::stream::DEFAULT_RETENTION,
                b.rng(&t.name, "stream"),
                sr,
            ));
        }
        for (f, l) in m.lambdas.iter().enumerate() {
            for t in &l.stream_triggers {
                let s = match t.source {
                    StreamSource::Kinesis(k) => k,
                    StreamSource::Table(k) => by_table[k] as usize,
                };
                let retention = list[s].retention;
                list[s].attach(Mapping::new(t, f, retention));
                list[s].consumer = Some(l.name.clone());
            }
        }
        Streams {
            list,
            by_table,
            sdk: clients(m),
        }
    }

    fn name(&self, i: usize) -> &str {
        &self.list[i].name
    }

    fn footprint(&self) -> usize {
        self.list.iter().map(KStream::footprint).sum()
    }

    fn held(&self) -> Vec<(usize, u64)> {
        self.list
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.held()))
            .filter(|c| c.1 > 0)
            .collect()
    }

    fn owner(f: &FrameState) -> usize {
        match f {
            FrameState::PutCall(c) => c.stream as usize,
            FrameState::StreamBatch(b) => b.stream as usize,
            _ => unreachable!("not a frame of this kind"),
        }
    }

    #[inline]
    fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef) {
        let Some(frame) = w.frames.get(fr).copied() else {
            return;
        };
        match frame.state {
            FrameState::PutCall(c) => super::put::put_step(w, cx, fr, frame.parent, c),
            FrameState::StreamBatch(b) if b.waiting => retry_batch(w, cx, fr, b),
            _ => {}
        }
    }

    #[inline]
    fn on_reply(w: &mut World, cx: &mut Cx, to: FrameRef, outcome: Outcome) {
        batch_done(w, cx, to, outcome);
    }

    #[inline]
    fn on_timer(w: &mut World, cx: &mut Cx, t: Timer) {
        let s = t.index as usize;
        if t.what == POLL && w.streams[s].poll_at == Some(cx.now()) {
            w.streams[s].poll_at = None;
            poll(w, cx, s);
        }
    }

    fn stats(&mut self, c: &mut Collect<'_>) -> IndexMap<String, StreamStats> {
        self.list
            .iter_mut()
            .map(|s| (s.name.clone(), super::stats::collect(s, c)))
            .collect()
    }

    fn text(stats: &IndexMap<String, StreamStats>, out: &mut String) {
        super::stats::text(stats, out);
    }

    fn findings(
        stats: &IndexMap<String, StreamStats>,
        cx: &FindingsCx<'_>,
        out: &mut Vec<Finding>,
    ) {
        super::stats::findings(stats, cx, out);
    }

    fn bills(
        stats: &IndexMap<String, StreamStats>,
        p: &crate::cost::Pricing<'_>,
    ) -> Vec<crate::cost::Bill> {
        super::cost::bills(stats, p)
    }
}

/// Asks stream `s`'s mapping to poll: at once (`now`: a lane freed with
/// records waiting), else at the next poll of the shard's poll grid.
pub(super) fn arm(w: &mut World, cx: &mut Cx, s: usize, now: bool) {
    let t = cx.now();
    let st = &mut w.streams[s];
    if st.mapping.is_none() {
        return;
    }
    let at = if now { t } else { (t / st.poll + 1) * st.poll };
    if st.poll_at.is_none_or(|p| p > at) {
        st.poll_at = Some(at);
        cx.schedule_at(at, Timer::event(Kind::Stream, POLL, s, 0));
    }
}

/// The mapping's poll: every idle lane with records drops what is too old
/// and starts a batch (unless its batching window is still open).
fn poll(w: &mut World, cx: &mut Cx, s: usize) {
    let now = cx.now();
    let mut again = false;
    for l in 0..w.streams[s].lanes.len() {
        let st = &mut w.streams[s];
        let Some(map) = st.mapping.clone() else {
            return;
        };
        if st.lanes[l].inflight > 0 {
            continue;
        }
        expire_front(w, cx, s, l, map.max_age);
        let lane = &w.streams[s].lanes[l];
        let Some(front) = lane.buf.front() else {
            continue;
        };
        let full = lane.buf.len() >= map.batch_size as usize;
        if !full && map.window > 0 && now < front.born.saturating_add(map.window) {
            again = true;
            continue;
        }
        start_batch(w, cx, s, l, &map);
    }
    if again {
        arm(w, cx, s, false);
    }
}

/// Records at the front of idle lane `l` older than `max_age` are
/// discarded (to the on-failure destination, as one batch).
fn expire_front(w: &mut World, cx: &mut Cx, s: usize, l: usize, max_age: u64) {
    let now = cx.now();
    let st = &mut w.streams[s];
    let lane = &mut st.lanes[l];
    let mut n = 0u32;
    let mut measured = 0u64;
    while lane
        .buf
        .front()
        .is_some_and(|r| now.saturating_sub(r.born) >= max_age)
    {
        let r = lane.buf.pop_front().expect("front exists");
        n += 1;
        measured += u64::from(r.measured);
    }
    if n > 0 {
        st.counters.expired += measured;
        discard(w, cx, s, measured, n);
    }
}

/// Lane `l` (idle, with records) starts a batch of its front records.
fn start_batch(w: &mut World, cx: &mut Cx, s: usize, l: usize, map: &Mapping) {
    let now = cx.now();
    let lane = &mut w.streams[s].lanes[l];
    let mut n = 0u32;
    let mut kb = 0.0f64;
    for r in lane.buf.iter().take(map.batch_size as usize) {
        if n > 0 && kb + f64::from(r.kb) > crate::model::stream::MAX_BATCH_KB {
            break;
        }
        kb += f64::from(r.kb);
        n += 1;
    }
    lane.inflight = n;
    let fr = w.frames.alloc(Frame {
        parent: FrameRef::NONE,
        start: now,
        state: FrameState::StreamBatch(StreamBatch {
            stream: s as u16,
            lane: l as u32,
            n,
            attempt: 0,
            waiting: false,
        }),
    });
    invoke_batch(w, cx, fr);
}

/// Hands batch `fr` to the function (a synchronous invoke); its iterator
/// age is its last record's age.
fn invoke_batch(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let Some(Frame {
        state: FrameState::StreamBatch(ref mut b),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    b.waiting = false;
    let (s, l, n) = (b.stream as usize, b.lane as usize, b.n);
    let now = cx.now();
    let st = &mut w.streams[s];
    let last = st.lanes[l].buf[n as usize - 1].born;
    let age = now.saturating_sub(last);
    w.rec
        .max(st.series.iterator_age, now, age as f64 / MILLIS as f64);
    if now >= w.warmup {
        let c = &mut st.counters;
        c.batches += 1;
        c.batch_records += u64::from(n);
        c.iterator_age_max = c.iterator_age_max.max(age);
    }
    let f = st.mapping.as_ref().map_or(0, |m| m.func);
    lambda::invoke_batch(w, cx, f, fr, n as usize);
}

/// The function answered batch `fr`: success frees its records; an error
/// (or a throttle \[A\]) is a failed attempt: retried at the next poll
/// (split in two first with bisect), or discarded when the retries run
/// out.
fn batch_done(w: &mut World, cx: &mut Cx, fr: FrameRef, outcome: Outcome) {
    let Some(Frame {
        state: FrameState::StreamBatch(b),
        ..
    }) = w.frames.get(fr).copied()
    else {
        return;
    };
    let now = cx.now();
    let measured = now >= w.warmup;
    let (s, l) = (b.stream as usize, b.lane as usize);
    let st = &mut w.streams[s];
    let Some(map) = st.mapping.clone() else {
        return;
    };
    if outcome.end == End::Ok {
        let lane = &mut st.lanes[l];
        let mut done = 0u64;
        if lane.buf.front().is_some_and(|r| r.born < lane.last_done) {
            st.counters.out_of_order += 1;
        }
        for _ in 0..b.n {
            let r = lane
                .buf
                .pop_front()
                .expect("a batch's records are in its lane");
            done += u64::from(r.measured);
            lane.last_done = r.born;
        }
        lane.inflight = 0;
        st.counters.processed += done;
        w.rec.add(st.series.processed, now, f64::from(b.n));
        unblock(w, s, l, now);
        w.frames.free(fr);
        lane_free(w, cx, s, l);
        return;
    }
    if measured {
        match outcome.end {
            End::Throttled => st.counters.throttled_batches += 1,
            _ => st.counters.failed_batches += 1,
        }
    }
    st.lanes[l].blocked_since.get_or_insert(now);
    let attempt = b.attempt + 1;
    if map.max_retries.is_some_and(|m| attempt > m) {
        // The retries ran out: the batch is discarded.
        let lane = &mut st.lanes[l];
        let mut gone = 0u64;
        for _ in 0..b.n {
            let r = lane
                .buf
                .pop_front()
                .expect("a batch's records are in its lane");
            gone += u64::from(r.measured);
        }
        lane.inflight = 0;
        st.counters.failed += gone;
        discard(w, cx, s, gone, b.n);
        unblock(w, s, l, now);
        w.frames.free(fr);
        lane_free(w, cx, s, l);
        return;
    }
    let split = map.bisect && outcome.end != End::Throttled && b.n > 1;
    let n = if split { b.n.div_ceil(2) } else { b.n };
    if measured {
        st.counters.retries += 1;
        st.counters.splits += u64::from(split);
    }
    st.lanes[l].inflight = n;
    if let Some(Frame {
        state: FrameState::StreamBatch(ref mut b),
        ..
    }) = w.frames.get_mut(fr)
    {
        b.attempt = attempt;
        b.n = n;
        b.waiting = true;
    }
    let poll = w.streams[s].poll;
    cx.schedule(poll, Event::Step(fr));
}

/// Batch `fr`'s retry is due: records now too old are discarded first
/// (the batch shrinks, or ends if none is left), then it is invoked again.
fn retry_batch(w: &mut World, cx: &mut Cx, fr: FrameRef, b: StreamBatch) {
    let now = cx.now();
    let (s, l) = (b.stream as usize, b.lane as usize);
    let st = &mut w.streams[s];
    let max_age = st.mapping.as_ref().map_or(u64::MAX, |m| m.max_age);
    let lane = &mut st.lanes[l];
    let (mut n, mut old, mut measured) = (b.n, 0u32, 0u64);
    while n > 0
        && lane
            .buf
            .front()
            .is_some_and(|r| now.saturating_sub(r.born) >= max_age)
    {
        let r = lane.buf.pop_front().expect("front exists");
        n -= 1;
        old += 1;
        measured += u64::from(r.measured);
    }
    lane.inflight = n;
    if old > 0 {
        st.counters.expired += measured;
        discard(w, cx, s, measured, old);
    }
    if n == 0 {
        unblock(w, s, l, now);
        w.frames.free(fr);
        lane_free(w, cx, s, l);
        return;
    }
    if let Some(Frame {
        state: FrameState::StreamBatch(ref mut b),
        ..
    }) = w.frames.get_mut(fr)
    {
        b.n = n;
    }
    invoke_batch(w, cx, fr);
}

/// `n` records of stream `s` (`measured` of them counted) were
/// discarded: one message or publish to the on-failure destination.
fn discard(w: &mut World, cx: &mut Cx, s: usize, measured: u64, n: u32) {
    let now = cx.now();
    let st = &mut w.streams[s];
    w.rec.add(st.series.discarded, now, f64::from(n));
    let Some(dest) = st.mapping.as_ref().and_then(|m| m.on_failure) else {
        return;
    };
    st.counters.to_destination += measured;
    if now >= w.warmup {
        st.counters.destination_messages += 1;
    }
    // The record sent holds the batch's metadata, not its records: 1 KB
    // [A].
    match dest {
        OnFailure::Queue(q) => crate::services::queue::enqueue(w, cx, q, 1.0),
        OnFailure::Topic(t) => crate::services::topic::publish(w, cx, t, 1.0),
    }
}

/// Lane `l`'s blocked time ends at `now`.
fn unblock(w: &mut World, s: usize, l: usize, now: u64) {
    let warmup = w.warmup;
    let st = &mut w.streams[s];
    if let Some(since) = st.lanes[l].blocked_since.take() {
        st.counters.blocked += now.saturating_sub(since.max(warmup));
    }
}

/// Lane `l` has no batch: poll again at once if records wait.
fn lane_free(w: &mut World, cx: &mut Cx, s: usize, l: usize) {
    if !w.streams[s].lanes[l].buf.is_empty() {
        arm(w, cx, s, true);
    }
}
