//! Lambda's part of the event flow: acquiring an environment (or a
//! throttle), the init wait, running the steps up to each call, the
//! function timeout, ending the invocation and releasing the environment;
//! the keep-alive, deadline and re-initialisation timers.

use indexmap::IndexMap;

use super::async_invoke;
use super::timeline;
use super::{
    Account, Acquire, Function, FunctionSeries, FunctionStats, Invocation, Lambdas, Plan,
    PreparedStep, Release, INIT_STEP,
};
use crate::metrics::Level;
use crate::model::Scenario;
use crate::services::sdk_retry::SdkClients;
use crate::services::{
    table, Build, Cause, Collect, Cx, End, Event, Finding, FindingsCx, Frame, FrameRef, FrameState,
    Kind, Outcome, Service, Timer, World,
};

/// Timer: function `index`'s keep-alive (expire idle environments).
pub const KEEP_ALIVE: u8 = 0;
/// Timer: function `index`'s deadline queue (invocations stuck in calls).
pub const DEADLINE: u8 = 1;
/// Timer: function `index`'s provisioned environment `arg` is ready again.
pub const ENV_READY: u8 = 2;

impl Service for Lambdas {
    const LABEL: &'static str = "function";
    const BACKLOG: &'static str = "invocations in progress or asynchronous events queued";
    const SERIES: usize = 7;
    type Stats = FunctionStats;

    fn count(m: &Scenario) -> usize {
        m.lambdas.len()
    }

    fn build(b: &mut Build<'_>) -> Self {
        let m = b.model;
        let mut functions: Vec<Function> = m
            .lambdas
            .iter()
            .map(|l| {
                let series = FunctionSeries {
                    invocations: b.sum(&l.name, "invocations", "count", 1.0),
                    cold_starts: b.sum(&l.name, "cold_starts", "count", 1.0),
                    throttles: b.sum(&l.name, "throttles", "count", 1.0),
                    concurrency_max: b.max(&l.name, "concurrency_max", "environments"),
                };
                let mean = b.sum(&l.name, "concurrency", "environments", b.per_s);
                let envs = b.sum(&l.name, "environments", "environments", b.per_s);
                // The limit beside the use: the reservation, else the
                // account's concurrency (shared with the other functions).
                let limit = b.max(&l.name, "concurrency_limit", "environments");
                let ceiling = l
                    .reserved_concurrency
                    .unwrap_or(m.simulation.account_concurrency);
                b.rec.fill(limit, f64::from(ceiling));
                Function::new(
                    l,
                    m.simulation.account_concurrency,
                    &m.tables,
                    b.rng(&l.name, "lambda"),
                    Level::new(b.warmup, Some(mean), Some(series.concurrency_max), &b.rec),
                    Level::new(b.warmup, Some(envs), None, &b.rec),
                    series,
                )
            })
            .collect();
        // Functions a replayed trace with durations invokes.
        for wl in &m.workloads {
            if let crate::workload::Arrival::Trace(_) = wl.arrival {
                for f in wl.replayed_functions(m) {
                    functions[f].replay = true;
                }
            }
        }
        // Each table step's SDK client (the table service holds the
        // clients, built in the same order).
        let sdk = SdkClients::build(m);
        for (i, f) in functions.iter_mut().enumerate() {
            for step in &mut f.steps {
                if let PreparedStep::Table(req) = step {
                    req.slot = sdk
                        .slot(i, req.table as usize)
                        .expect("SdkClients::build gives every table step a client")
                        as u32;
                }
            }
        }
        // Each S3 step's SDK client (the bucket service holds them, built
        // in the same order).
        let s3 = crate::services::bucket::sdk_clients(m);
        for (i, f) in functions.iter_mut().enumerate() {
            for step in &mut f.steps {
                if let PreparedStep::Bucket(req) = step {
                    req.slot = s3
                        .slot(i, req.bucket as usize)
                        .expect("sdk_clients gives every S3 step a client")
                        as u32;
                }
            }
        }
        // Each service step's SDK client (the external services hold
        // them, built in the same order).
        let sdk = crate::services::external::clients(m);
        for (i, f) in functions.iter_mut().enumerate() {
            for step in &mut f.steps {
                if let PreparedStep::External(req) = step {
                    req.slot = sdk
                        .slot(i, req.service as usize)
                        .expect("external::clients gives every service step a client")
                        as u32;
                }
            }
        }
        // Each PutRecords step's SDK client (the streams hold them, built
        // in the same order).
        let sdk = crate::services::stream::clients(m);
        for (i, f) in functions.iter_mut().enumerate() {
            for step in &mut f.steps {
                if let PreparedStep::PutRecords(req) = step {
                    req.slot = sdk
                        .slot(i, req.stream as usize)
                        .expect("stream::clients gives every PutRecords step a client")
                        as u32;
                }
            }
        }
        let reserved: u32 = m
            .lambdas
            .iter()
            .filter_map(|l| l.reserved_concurrency)
            .sum();
        timeline::attach(&mut functions, m);
        let mut account = Account::new(&m.simulation, reserved);
        for f in &mut functions {
            f.provision(&mut account, &mut b.rec);
        }
        Lambdas { functions, account }
    }

    fn name(&self, i: usize) -> &str {
        &self.functions[i].name
    }

    fn footprint(&self) -> usize {
        self.functions.iter().map(Function::footprint).sum()
    }

    fn owner(f: &FrameState) -> usize {
        match f {
            FrameState::Invocation(s) => s.func as usize,
            FrameState::AsyncEvent(s) => s.func as usize,
            _ => unreachable!("not a frame of this kind"),
        }
    }

    #[inline]
    fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef) {
        let inv = match w.frames.get(fr).map(|f| f.state) {
            Some(FrameState::Invocation(inv)) => inv,
            Some(FrameState::AsyncEvent(e)) => return async_invoke::on_step(w, cx, fr, e),
            _ => return,
        };
        let f = &mut w.lambdas[inv.func as usize];
        if inv.step == INIT_STEP {
            f.init_done(inv.env, cx.now());
            if f.replay {
                return run_replayed(w, cx, fr);
            }
            run(w, cx, fr, 0);
        } else if (inv.step as usize) < f.steps.len() {
            start_call(w, cx, fr);
        } else {
            let end = if inv.failing { End::Failed } else { End::Ok };
            finish(w, cx, fr, Outcome::new(end, Kind::Lambda));
        }
    }

    /// The invocation's deadline fell inside its current compute stretch.
    fn on_expire(w: &mut World, cx: &mut Cx, fr: FrameRef) {
        finish(w, cx, fr, Outcome::new(End::TimedOut, Kind::Lambda));
    }

    #[inline]
    fn on_reply(w: &mut World, cx: &mut Cx, to: FrameRef, outcome: Outcome) {
        let inv = match w.frames.get(to).map(|f| f.state) {
            Some(FrameState::Invocation(inv)) => inv,
            Some(FrameState::AsyncEvent(_)) => return async_invoke::on_reply(w, cx, to, outcome),
            _ => return,
        };
        if outcome.is_ok() {
            // (A per-record step's next repetition starts in `run_batch`.)
            run(w, cx, to, inv.step as usize + 1);
        } else {
            // An exception from a downstream call fails the function; the
            // failure keeps the call's cause.
            let failed = Outcome::at(End::Failed, Kind::Lambda, inv.func as usize);
            finish(w, cx, to, failed.because(outcome));
        }
    }

    #[inline]
    fn on_timer(w: &mut World, cx: &mut Cx, t: Timer) {
        let f = t.index as usize;
        let now = cx.now();
        match t.what {
            KEEP_ALIVE => {
                let func = &mut w.lambdas[f];
                // A timer superseded by an earlier one (adaptive policies).
                if t.arg != func.timer_gen {
                    return;
                }
                if let Some(at) = func.keep_alive_timer(now, &mut w.rec) {
                    let gen = func.timer_gen;
                    cx.schedule_at(at, Timer::event(Kind::Lambda, KEEP_ALIVE, f, gen));
                }
            }
            DEADLINE => on_deadline(w, cx, f),
            _ => w.lambdas[f].reinit_done(t.arg, now),
        }
    }

    fn stats(&mut self, c: &mut Collect<'_>) -> IndexMap<String, FunctionStats> {
        self.functions
            .iter_mut()
            .map(|f| (f.name.clone(), super::stats::collect(f, c)))
            .collect()
    }

    fn text(stats: &IndexMap<String, FunctionStats>, out: &mut String) {
        super::stats::text(stats, out);
    }

    fn findings(
        stats: &IndexMap<String, FunctionStats>,
        cx: &FindingsCx<'_>,
        out: &mut Vec<Finding>,
    ) {
        super::stats::findings(stats, cx, out);
    }

    fn bill(
        stats: &IndexMap<String, FunctionStats>,
        p: &crate::cost::Pricing<'_>,
    ) -> Option<crate::cost::Bill> {
        Some(super::cost::bill(stats, p))
    }
}

/// A synchronous invocation of function `f` by frame `parent`; it counts
/// against the request-rate limits.
#[inline]
pub fn invoke(w: &mut World, cx: &mut Cx, f: usize, parent: FrameRef) {
    invoke_as(w, cx, f, parent, true, 1)
}

/// A synchronous invocation of function `f` by an event source mapping's
/// batch frame `parent` holding `records` records (an SQS batch's
/// messages, a stream batch's records): its per-record steps run once per
/// record. The count is kept only for a function with such a step.
#[inline]
pub fn invoke_batch(w: &mut World, cx: &mut Cx, f: usize, parent: FrameRef, records: usize) {
    let records = if w.lambdas.functions[f].has_per_record() {
        records.clamp(1, usize::from(u16::MAX)) as u16
    } else {
        1
    };
    invoke_as(w, cx, f, parent, true, records)
}

/// Invokes function `f` for frame `parent`; `counted`: whether the
/// request-rate limits apply (not to an accepted asynchronous event);
/// `records`: how many times its per-record steps run (1 unless a batch
/// invokes a function with such a step).
#[inline]
pub(super) fn invoke_as(
    w: &mut World,
    cx: &mut Cx,
    f: usize,
    parent: FrameRef,
    counted: bool,
    records: u16,
) {
    let now = cx.now();
    let measured = now >= w.warmup;
    let l = &mut w.lambdas;
    let func = &mut l.functions[f];
    let acquired = func.acquire(now, counted, &mut l.account, &mut w.rec);
    while let Some((env, after)) = func.reinit_queue.pop() {
        cx.schedule(after, Timer::event(Kind::Lambda, ENV_READY, f, env));
    }
    let (env, init, lost) = match acquired {
        Acquire::Throttled | Acquire::RateLimited => {
            let by_rate = acquired == Acquire::RateLimited;
            func.on_throttle(now, measured, by_rate, &mut w.rec);
            w.deliver(cx, parent, Outcome::at(End::Throttled, Kind::Lambda, f));
            return;
        }
        Acquire::Warm { env } => (env, 0, 0),
        Acquire::Cold { env, init, lost } => (env, init, lost),
    };
    let cold = matches!(acquired, Acquire::Cold { .. });
    let replay = func.replay;
    func.on_start(now, measured, cold, &mut w.rec);
    // The timeout counts from the invoke phase: after init, or, when the
    // init phase was stopped at its limit, from then on, with init run
    // again inside the invoke.
    let run_start = now + lost + init;
    let invoke_start = if lost > 0 { now + lost } else { run_start };
    let deadline = invoke_start.saturating_add(func.timeout);
    let fr = w.frames.alloc(Frame {
        parent,
        start: now,
        state: FrameState::Invocation(Invocation {
            func: f as u16,
            step: if cold { INIT_STEP } else { 0 },
            failing: false,
            timer: false,
            env,
            run_start,
            init: lost + init,
            deadline,
            records,
            rep: 0,
        }),
    });
    if cold {
        // The request that caused this cold start met it (for the share
        // of its latency due to cold starts): rare, so paid only here.
        crate::services::client::mark_cold(w, parent);
        if w.lambdas[f].timeline.is_some() {
            timeline::note_cause(w, f, env, parent);
        }
        if run_start > deadline {
            cx.schedule_at(deadline, Event::Expire(fr));
        } else {
            cx.schedule(lost + init, Event::Step(fr));
        }
    } else if replay {
        run_replayed(w, cx, fr);
    } else {
        run(w, cx, fr, 0);
    }
}

/// Runs an invocation of a function a trace with `duration_ms` invokes:
/// when the request at its origin (its parent, or the api call's parent
/// for a route's integration) carries a duration, the invocation lasts
/// exactly that long in place of its steps; else it runs its steps.
#[cold]
#[inline(never)]
fn run_replayed(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let us = replayed_duration(w, fr);
    if us == crate::workload::trace::NO_DURATION {
        return run(w, cx, fr, 0);
    }
    let Some(Frame {
        state: FrameState::Invocation(ref mut inv),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    let after = u64::from(us) * 1_000;
    inv.step = w.lambdas[inv.func as usize].steps.len() as u16;
    inv.failing = false;
    let deadline = inv.deadline;
    if cx.now().saturating_add(after) > deadline {
        cx.schedule_at(deadline, Event::Expire(fr));
    } else if after > 0 {
        cx.schedule(after, Event::Step(fr));
    } else {
        finish(w, cx, fr, Outcome::new(End::Ok, Kind::Lambda));
    }
}

/// The duration \[µs\] the client request behind invocation `fr` gives
/// it, or `NO_DURATION`.
fn replayed_duration(w: &World, fr: FrameRef) -> u32 {
    use crate::services::api_gateway::Phase;
    let none = crate::workload::trace::NO_DURATION;
    let Some(parent) = w.frames.get(fr).map(|f| f.parent) else {
        return none;
    };
    match w.frames.get(parent).map(|f| (f.parent, f.state)) {
        Some((_, FrameState::Request(r))) => r.replay_us,
        Some((up, FrameState::ApiCall(c)))
            if matches!(c.phase, Phase::Integrate | Phase::Integrating) =>
        {
            match w.frames.get(up).map(|f| f.state) {
                Some(FrameState::Request(r)) => r.replay_us,
                _ => none,
            }
        }
        _ => none,
    }
}

/// Runs the invocation from step `from` up to its next call or its end.
/// `from` > 0 only after step `from - 1`, a call, succeeded.
#[inline]
fn run(w: &mut World, cx: &mut Cx, fr: FrameRef, from: usize) {
    run_as::<false>(w, cx, fr, from)
}

/// [`run`] for an invocation by a batch of more than one record (with a
/// per-record step). If the call that just succeeded (step `from - 1`) is
/// per record and records remain, it starts again for the next record,
/// with no wait between (through the event queue, so that calls answered
/// at once do not nest one per record); else the invocation goes on from
/// `from`, its per-record waits drawn once per record. Out of line, so
/// that `run` keeps its code for every other invocation.
#[cold]
#[inline(never)]
fn run_batch(w: &mut World, cx: &mut Cx, fr: FrameRef, from: usize) {
    let Some(Frame {
        state: FrameState::Invocation(ref mut inv),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    let again = from > 0
        && inv.rep + 1 < inv.records
        && w.lambdas[inv.func as usize].is_per_record(from as u16 - 1);
    if again {
        inv.rep += 1;
        cx.schedule(0, Event::Step(fr));
        return;
    }
    // The count restarts for the next per-record step.
    inv.rep = 0;
    run_as::<true>(w, cx, fr, from)
}

#[inline(always)]
fn run_as<const BATCH: bool>(w: &mut World, cx: &mut Cx, fr: FrameRef, from: usize) {
    let Some(Frame {
        state: FrameState::Invocation(ref mut inv),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    if !BATCH && inv.records > 1 {
        return run_batch(w, cx, fr, from);
    }
    let function = &mut w.lambdas[inv.func as usize];
    let plan = if BATCH {
        function.plan_batch(from, inv.records)
    } else {
        function.plan(from)
    };
    let (after, next, fail, call) = match plan {
        Plan::Call { after, step } => (after, step, false, true),
        Plan::Finish { after, error } => (after, function.steps.len() as u16, error, false),
    };
    inv.step = next;
    inv.failing = fail;
    let deadline = inv.deadline;
    let now = cx.now();
    if now.saturating_add(after) > deadline {
        cx.schedule_at(deadline, Event::Expire(fr));
    } else if after > 0 {
        cx.schedule(after, Event::Step(fr));
    } else if call {
        start_call(w, cx, fr);
    } else {
        let end = if fail { End::Failed } else { End::Ok };
        finish(w, cx, fr, Outcome::new(end, Kind::Lambda));
    }
}

/// Starts the call step the invocation is at.
#[inline]
fn start_call(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let Some(Frame {
        state: FrameState::Invocation(ref mut inv),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    let f = inv.func as usize;
    if !inv.timer {
        // Registered once per invocation, at its first call: the call
        // may outlast the function timeout.
        inv.timer = true;
        if let Some(at) = w.lambdas[f].deadlines.push(inv.deadline, fr) {
            cx.schedule_at(at, Timer::event(Kind::Lambda, DEADLINE, f, 0));
        }
    }
    match w.lambdas[f].steps[inv.step as usize] {
        PreparedStep::Table(req) => table::call(w, cx, req, fr),
        PreparedStep::Invoke { func } => invoke(w, cx, func as usize, fr),
        PreparedStep::Send { queue, size_kb } => {
            crate::services::queue::send(w, cx, queue as usize, size_kb, fr)
        }
        PreparedStep::Publish { topic, size_kb } => {
            crate::services::topic::call(w, cx, topic as usize, size_kb, fr)
        }
        PreparedStep::External(req) => crate::services::external::call(w, cx, req, fr),
        PreparedStep::InvokeAsync { func } => {
            // Accepted at once (202) within the request-rate limits: the
            // caller goes on.
            let l = &mut w.lambdas;
            let now = cx.now();
            let callee = &mut l.functions[func as usize];
            // The account's invocation rate applies to asynchronous invokes
            // from function code (aws-facts 1.1); once accepted, an event
            // runs as concurrency allows.
            if l.account.rate.try_take(now) {
                async_invoke::accept(w, cx, func as usize);
                w.deliver(cx, fr, Outcome::ok(Kind::Lambda));
            } else {
                callee.on_throttle(now, now >= w.warmup, true, &mut w.rec);
                let throttled = Outcome::at(End::Throttled, Kind::Lambda, func as usize);
                w.deliver(cx, fr, throttled);
            }
        }
        PreparedStep::Bucket(req) => crate::services::bucket::call(w, cx, req, fr),
        PreparedStep::PutRecords(req) => crate::services::stream::put(w, cx, req, fr),
        PreparedStep::Wait(_) | PreparedStep::Fail(_) => {
            unreachable!("plan stops only at call steps")
        }
    }
}

/// Ends the invocation: bills it, releases (or resets) its environment,
/// and answers the caller (an outcome this function caused names it, and
/// is cold if the invocation was).
#[inline]
fn finish(w: &mut World, cx: &mut Cx, fr: FrameRef, outcome: Outcome) {
    let Some(frame) = w.frames.free(fr) else {
        return;
    };
    let FrameState::Invocation(inv) = frame.state else {
        return;
    };
    let mut outcome = outcome;
    // Only this function's own outcomes reach here without an index.
    if outcome.cause.index == Cause::UNKNOWN {
        outcome.cause.index = inv.func;
    }
    let now = cx.now();
    let l = &mut w.lambdas;
    let f = &mut l.functions[inv.func as usize];
    let frames = &w.frames;
    f.deadlines.drop_stale(|fr| frames.get(fr).is_none());
    let timed_out = outcome.end == End::TimedOut;
    if frame.start >= w.warmup {
        if !outcome.is_ok() {
            f.on_failure(timed_out);
        }
        // A timeout during init bills the time spent.
        let spent = now - frame.start;
        f.bill(inv.env, inv.init.min(spent), spent - inv.init.min(spent));
    }
    let release = if timed_out {
        f.reset(inv.env, now, &mut l.account, &mut w.rec)
    } else {
        f.release(inv.env, now, &mut l.account, &mut w.rec)
    };
    let func = inv.func as usize;
    match release {
        Release::Nothing => {}
        Release::KeepAliveAt(at) => {
            let gen = l.functions[func].timer_gen;
            cx.schedule_at(at, Timer::event(Kind::Lambda, KEEP_ALIVE, func, gen))
        }
        Release::Reinit { env, after } => {
            cx.schedule(after, Timer::event(Kind::Lambda, ENV_READY, func, env))
        }
    }
    w.deliver(cx, frame.parent, outcome);
}

/// A function's deadline timer: times out every invocation whose deadline
/// has come while it waited on a call.
fn on_deadline(w: &mut World, cx: &mut Cx, f: usize) {
    let now = cx.now();
    w.lambdas[f].deadlines.fired(now);
    while let Some(fr) = w.lambdas[f].deadlines.pop_due(now) {
        if w.frames.get(fr).is_some() {
            finish(w, cx, fr, Outcome::new(End::TimedOut, Kind::Lambda));
        }
    }
    if let Some(at) = w.lambdas[f].deadlines.rearm() {
        cx.schedule_at(at, Timer::event(Kind::Lambda, DEADLINE, f, 0));
    }
}
