//! A stream's producers: PutRecords calls (the SDK's send token, the
//! shard's write window, the SDK's decision after a throttle) and a
//! table's writes becoming records; accepted records wake the mapping
//! (`flow::arm`). Must not know: the mapping's batches.

use super::flow::arm;
use super::{PutCall, PutPhase, StreamPut, Streams};
use crate::services::sdk_retry::ErrorKind;
use crate::services::{Cx, End, Event, Frame, FrameRef, FrameState, Kind, Outcome, World};

/// A PutRecords call `req` by frame `parent` (a function's step): its
/// first attempt.
#[inline]
pub fn put(w: &mut World, cx: &mut Cx, req: StreamPut, parent: FrameRef) {
    let now = cx.now();
    let measured = now >= w.warmup;
    let s = &mut w.streams[req.stream as usize];
    if measured {
        s.counters.puts += 1;
        s.pending += 1;
    }
    let key = s.key(&req.keys);
    let fr = w.frames.alloc(Frame {
        parent,
        start: now,
        state: FrameState::PutCall(PutCall {
            stream: req.stream,
            records: req.records,
            phase: PutPhase::Send,
            attempt: 0,
            cost: 0,
            kb: req.kb,
            key,
            slot: req.slot,
            measured,
        }),
    });
    send(w, cx, fr);
}

/// A successful write of `items` items of `kb` KB with key hash `key` to
/// table `t`: one record per item in the table's stream, if it has one
/// (DynamoDB Streams never throttles the writer).
#[inline]
pub fn table_write(w: &mut World, cx: &mut Cx, t: usize, key: u32, items: u32, kb: f32) {
    let s = w.streams.by_table[t];
    if s == u32::MAX {
        return;
    }
    accept(w, cx, s as usize, key, items, kb);
}

/// Records enter stream `s`; its mapping is asked to poll.
#[inline]
fn accept(w: &mut World, cx: &mut Cx, s: usize, key: u32, n: u32, kb: f32) {
    let now = cx.now();
    let st = &mut w.streams[s];
    let lane = st.append(now, key, n, kb, now >= w.warmup);
    w.rec.add(st.series.records_in, now, f64::from(n));
    if st.lanes[lane].inflight == 0 {
        arm(w, cx, s, false);
    }
}

pub(super) fn put_step(w: &mut World, cx: &mut Cx, fr: FrameRef, parent: FrameRef, c: PutCall) {
    let s = c.stream as usize;
    match c.phase {
        PutPhase::Send => send(w, cx, fr),
        PutPhase::SendNow => attempt(w, cx, fr),
        PutPhase::Served => {
            w.streams.sdk[c.slot as usize].on_success(cx.now(), c.cost);
            w.frames.free(fr);
            if c.measured {
                let st = &mut w.streams[s];
                st.counters.puts_ok += 1;
                st.pending -= 1;
            }
            w.deliver(cx, parent, Outcome::at(End::Ok, Kind::Stream, s));
        }
        PutPhase::Retry => {
            let now = cx.now();
            let Streams { list, sdk, .. } = &mut w.streams;
            let client = &mut sdk[c.slot as usize];
            client.on_response(now, true);
            let backoff =
                client.backoff(ErrorKind::Throttle, u32::from(c.attempt), &mut list[s].rng);
            if let Some(Frame {
                state: FrameState::PutCall(c),
                ..
            }) = w.frames.get_mut(fr)
            {
                c.attempt = c.attempt.saturating_add(1);
                c.phase = PutPhase::Send;
            }
            cx.schedule(backoff, Event::Step(fr));
        }
        PutPhase::GiveUp => {
            w.streams.sdk[c.slot as usize].on_response(cx.now(), true);
            w.frames.free(fr);
            // Counted as failed when the SDK gave up, in `attempt`.
            w.deliver(cx, parent, Outcome::at(End::Failed, Kind::Stream, s));
        }
    }
}

/// The next attempt of put `fr`: at once, or when the SDK client's send
/// token has accrued (adaptive mode).
#[inline]
fn send(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let Some(Frame {
        state: FrameState::PutCall(ref mut c),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    let wait = w.streams.sdk[c.slot as usize].send_delay(cx.now());
    if wait == 0 {
        return attempt(w, cx, fr);
    }
    c.phase = PutPhase::SendNow;
    cx.schedule(wait, Event::Step(fr));
}

/// Put `fr` sends an attempt now: the shard's write window admits its
/// records (they enter the stream now) or throttles it.
#[inline]
fn attempt(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let Some(Frame {
        state: FrameState::PutCall(ref mut c),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    let now = cx.now();
    let c = *c;
    let s = c.stream as usize;
    let Streams { list, sdk, .. } = &mut w.streams;
    let st = &mut list[s];
    let shard = st.shard_of(c.key);
    let after = st.latency();
    let phase = if st.admit(now, shard, u32::from(c.records), c.kb) {
        PutPhase::Served
    } else {
        w.rec.add(st.series.throttled, now, 1.0);
        let retry = sdk[c.slot as usize].admit_retry(ErrorKind::Throttle, u32::from(c.attempt));
        let k = &mut st.counters;
        if c.measured {
            k.throttled += 1;
        }
        match retry {
            Ok(cost) => {
                if c.measured {
                    k.put_retries += 1;
                }
                if let Some(Frame {
                    state: FrameState::PutCall(f),
                    ..
                }) = w.frames.get_mut(fr)
                {
                    f.cost = cost;
                }
                PutPhase::Retry
            }
            Err(_) => {
                if c.measured {
                    k.puts_failed += 1;
                    st.pending -= 1;
                }
                PutPhase::GiveUp
            }
        }
    };
    if let Some(Frame {
        state: FrameState::PutCall(f),
        ..
    }) = w.frames.get_mut(fr)
    {
        f.phase = phase;
    }
    if phase == PutPhase::Served {
        accept(w, cx, s, c.key, u32::from(c.records), c.kb);
    }
    cx.schedule(after, Event::Step(fr));
}
