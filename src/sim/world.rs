//! The world: every component's state, and the routing of events and
//! outcomes between them. This is where "the life of a request" happens:
//! client -> API Gateway -> Lambda -> DynamoDB and back.

use crate::services::api_gateway::{Admit, ApiGateway};
use crate::services::client::Client;
use crate::services::lambda::{Account, Acquire, Function, Plan, PreparedStep, Release};
use crate::services::table::{Attempt, Table};
use crate::services::{EndState, Event, Frame, FrameRef, FrameState, Frames, Outcome};
use crate::engine::{Lane, Scheduler, SimTime};
use crate::metrics::SeriesRecorder;
use crate::model::Target;

/// `Invocation.step` while the environment initialises.
const INIT_STEP: u16 = u16::MAX;

/// Everything that changes during a run.
pub struct World {
    /// Calls in progress.
    pub frames: Frames,
    /// Workloads.
    pub clients: Vec<Client>,
    /// API Gateways.
    pub apis: Vec<ApiGateway>,
    /// Functions.
    pub functions: Vec<Function>,
    /// Tables.
    pub tables: Vec<Table>,
    /// Account-wide Lambda state.
    pub account: Account,
    /// Time series.
    pub rec: SeriesRecorder,
    /// End of the warm-up \[ns\].
    pub warmup: SimTime,
}

type Cx = Scheduler<Event>;

impl World {
    /// Handles one event.
    #[inline]
    pub fn handle(&mut self, cx: &mut Cx, ev: Event) {
        match ev {
            Event::Arrival(w) => self.on_arrival(cx, w as usize),
            Event::Step(fr) => self.on_step(cx, fr),
            Event::Timeout(fr) => self.on_timeout(cx, fr),
            Event::KeepAlive(f) => {
                let now = cx.now();
                if let Some(at) = self.functions[f as usize].keep_alive_timer(now, &mut self.rec) {
                    cx.schedule_at(at, Event::KeepAlive(f));
                }
            }
            Event::Deadline(f) => self.on_deadline(cx, f),
            Event::ApiDeadline(a) => self.on_api_deadline(cx, a),
            Event::EnvReady(f, env) => self.functions[f as usize].reinit_done(env, cx.now()),
        }
    }

    fn on_arrival(&mut self, cx: &mut Cx, w: usize) {
        let now = cx.now();
        let measured = now >= self.warmup;
        let c = &mut self.clients[w];
        if let Some(next) = c.next_arrival(now) {
            // Workload w's arrivals use lane w: one pending arrival each.
            cx.schedule_lane_at(Lane(w as u32), next, Event::Arrival(w as u16));
        }
        let route = c.pick_route();
        self.rec.add(c.series.rps, now, 1.0);
        if measured {
            c.counters.requests += 1;
            c.counters.in_flight += 1;
            c.routes[route as usize].1 += 1;
        }
        let fr = self.frames.alloc(Frame {
            parent: FrameRef::NONE,
            start: now,
            state: FrameState::Request {
                workload: w as u16,
                route,
                attempt: 1,
                measured,
            },
        });
        self.send(cx, fr, w, route);
    }

    /// Sends (or re-sends) a client request to its target.
    fn send(&mut self, cx: &mut Cx, fr: FrameRef, w: usize, route: u16) {
        let c = &self.clients[w];
        match c.target {
            Target::Api(a) => {
                let api_route = c.route_api_index[route as usize] as usize;
                self.start_api(cx, a, api_route, fr);
            }
            Target::Lambda(f) => self.start_invocation(cx, f, fr),
        }
    }

    fn start_api(&mut self, cx: &mut Cx, a: usize, route: usize, parent: FrameRef) {
        let now = cx.now();
        let api = &mut self.apis[a];
        if now >= self.warmup {
            api.counters.requests += 1;
        }
        let (cache_hit, delay) = match api.admit(route, now) {
            Admit::Throttled => {
                if now >= self.warmup {
                    api.counters.throttled += 1;
                    api.counters.by_outcome[Outcome::ApiThrottled as usize] += 1;
                }
                self.deliver(cx, parent, Outcome::ApiThrottled);
                return;
            }
            Admit::CacheHit(d) => {
                if now >= self.warmup {
                    api.counters.cache_hits += 1;
                }
                (true, d)
            }
            Admit::Integrate(d) => (false, d),
        };
        let fr = self.frames.alloc(Frame {
            parent,
            start: now,
            state: FrameState::ApiCall {
                api: a as u16,
                route: route as u16,
                cache_hit,
                integrating: false,
            },
        });
        if delay == 0 && !cache_hit {
            self.integrate(cx, fr);
        } else {
            cx.schedule(delay, Event::Step(fr));
        }
    }

    fn integrate(&mut self, cx: &mut Cx, fr: FrameRef) {
        let Some(frame) = self.frames.get_mut(fr) else {
            return;
        };
        let FrameState::ApiCall {
            api,
            route,
            ref mut integrating,
            ..
        } = frame.state
        else {
            return;
        };
        *integrating = true;
        let a = &mut self.apis[api as usize];
        if a.route_needs_timer[route as usize] {
            let deadline = cx.now().saturating_add(a.timeout);
            if let Some(at) = a.deadlines.push(deadline, fr) {
                cx.schedule_at(at, Event::ApiDeadline(api));
            }
        }
        let target = a.route_target[route as usize] as usize;
        self.start_invocation(cx, target, fr);
    }

    fn finish_api(&mut self, cx: &mut Cx, fr: FrameRef, outcome: Outcome) {
        let Some(frame) = self.frames.free(fr) else {
            return;
        };
        if let FrameState::ApiCall { api, .. } = frame.state {
            let a = &mut self.apis[api as usize];
            if frame.start >= self.warmup {
                a.counters.by_outcome[outcome as usize] += 1;
            }
            let frames = &self.frames;
            a.deadlines.drop_stale(|fr| frames.get(fr).is_none());
        }
        self.deliver(cx, frame.parent, outcome);
    }

    fn start_invocation(&mut self, cx: &mut Cx, f: usize, parent: FrameRef) {
        let now = cx.now();
        let measured = now >= self.warmup;
        let func = &mut self.functions[f];
        let acquired = func.acquire(now, &mut self.account, &mut self.rec);
        while let Some((env, after)) = func.reinit_queue.pop() {
            cx.schedule(after, Event::EnvReady(f as u16, env));
        }
        let (env, init) = match acquired {
            Acquire::Throttled => {
                if measured {
                    func.counters.throttles += 1;
                }
                self.rec.add(func.series.throttles, now, 1.0);
                self.deliver(cx, parent, Outcome::FunctionThrottled);
                return;
            }
            Acquire::Warm { env } => (env, 0),
            Acquire::Cold { env, init } => (env, init),
        };
        let cold = matches!(acquired, Acquire::Cold { .. });
        if measured {
            func.counters.invocations += 1;
            func.counters.cold_starts += cold as u64;
        }
        self.rec.add(func.series.invocations, now, 1.0);
        if cold {
            self.rec.add(func.series.cold_starts, now, 1.0);
        }
        let run_start = now + init;
        let fr = self.frames.alloc(Frame {
            parent,
            start: now,
            state: FrameState::Invocation {
                func: f as u16,
                step: if cold { INIT_STEP } else { 0 },
                failing: false,
                cold,
                timer: false,
                env,
                run_start,
                init,
                deadline: run_start.saturating_add(func.timeout),
            },
        });
        if cold {
            cx.schedule(init, Event::Step(fr));
        } else {
            self.continue_invocation(cx, fr, 0);
        }
    }

    /// Runs the invocation from step `from` up to its next call or its end.
    fn continue_invocation(&mut self, cx: &mut Cx, fr: FrameRef, from: usize) {
        let Some(frame) = self.frames.get_mut(fr) else {
            return;
        };
        let FrameState::Invocation {
            func,
            ref mut step,
            ref mut failing,
            deadline,
            ..
        } = frame.state
        else {
            return;
        };
        let function = &mut self.functions[func as usize];
        let (after, next, fail, call) = match function.plan(from) {
            Plan::Call { after, step } => (after, step, false, true),
            Plan::Finish { after, error } => (after, function.steps.len() as u16, error, false),
        };
        *step = next;
        *failing = fail;
        let now = cx.now();
        if now.saturating_add(after) > deadline {
            cx.schedule_at(deadline, Event::Timeout(fr));
        } else if after > 0 {
            cx.schedule(after, Event::Step(fr));
        } else if call {
            self.start_call(cx, fr);
        } else {
            let outcome = if fail {
                Outcome::FunctionError
            } else {
                Outcome::Ok
            };
            self.end_invocation(cx, fr, outcome);
        }
    }

    /// Starts the call step the invocation is at.
    fn start_call(&mut self, cx: &mut Cx, fr: FrameRef) {
        let Some(frame) = self.frames.get_mut(fr) else {
            return;
        };
        let FrameState::Invocation {
            func,
            step,
            ref mut timer,
            deadline,
            ..
        } = frame.state
        else {
            return;
        };
        if !*timer {
            // Registered once per invocation, at its first call: the call
            // may outlast the function timeout.
            *timer = true;
            if let Some(at) = self.functions[func as usize].deadlines.push(deadline, fr) {
                cx.schedule_at(at, Event::Deadline(func));
            }
        }
        match self.functions[func as usize].steps[step as usize] {
            PreparedStep::Table { table, read, units } => {
                self.start_table(cx, table as usize, read, units, fr)
            }
            PreparedStep::Invoke { func } => self.start_invocation(cx, func as usize, fr),
            PreparedStep::Wait(_) | PreparedStep::Fail(_) => {
                unreachable!("plan stops only at call steps")
            }
        }
    }

    fn end_invocation(&mut self, cx: &mut Cx, fr: FrameRef, outcome: Outcome) {
        let Some(frame) = self.frames.free(fr) else {
            return;
        };
        let FrameState::Invocation {
            func,
            env,
            run_start,
            init,
            ..
        } = frame.state
        else {
            return;
        };
        let now = cx.now();
        let f = &mut self.functions[func as usize];
        let frames = &self.frames;
        f.deadlines.drop_stale(|fr| frames.get(fr).is_none());
        if frame.start >= self.warmup {
            match outcome {
                Outcome::FunctionError => f.counters.errors += 1,
                Outcome::FunctionTimeout => f.counters.timeouts += 1,
                _ => {}
            }
            f.bill(env, init, now - run_start);
        }
        let release = if outcome == Outcome::FunctionTimeout {
            f.reset(env, now, &mut self.account, &mut self.rec)
        } else {
            f.release(env, now, &mut self.account, &mut self.rec)
        };
        match release {
            Release::Nothing => {}
            Release::KeepAliveAt(at) => cx.schedule_at(at, Event::KeepAlive(func)),
            Release::Reinit { env, after } => cx.schedule(after, Event::EnvReady(func, env)),
        }
        self.deliver(cx, frame.parent, outcome);
    }

    fn start_table(&mut self, cx: &mut Cx, t: usize, read: bool, units: f32, parent: FrameRef) {
        let now = cx.now();
        if now >= self.warmup {
            let c = &mut self.tables[t].counters;
            if read {
                c.reads += 1;
            } else {
                c.writes += 1;
            }
        }
        let fr = self.frames.alloc(Frame {
            parent,
            start: now,
            state: FrameState::TableCall {
                table: t as u16,
                read,
                attempt: 0,
                done: false,
                failed: false,
                units,
            },
        });
        self.table_attempt(cx, fr);
    }

    fn table_attempt(&mut self, cx: &mut Cx, fr: FrameRef) {
        let Some(frame) = self.frames.get_mut(fr) else {
            return;
        };
        let FrameState::TableCall {
            table,
            read,
            ref mut attempt,
            ref mut done,
            ref mut failed,
            units,
        } = frame.state
        else {
            return;
        };
        let now = cx.now();
        let measured = now >= self.warmup;
        let t = &mut self.tables[table as usize];
        let units = units as f64;
        let delay = match t.attempt(now, read, units, *attempt as u32) {
            Attempt::DaxHit(d) => {
                if measured {
                    t.counters.dax_hits += 1;
                }
                *done = true;
                d
            }
            Attempt::Served(d) => {
                let (counter, series) = if read {
                    (&mut t.counters.consumed_rcu, t.series.consumed_rcu)
                } else {
                    (&mut t.counters.consumed_wcu, t.series.consumed_wcu)
                };
                if measured {
                    *counter += units;
                }
                self.rec.add(series, now, units);
                *done = true;
                d
            }
            Attempt::Retry(d) => {
                if measured {
                    t.counters.throttled += 1;
                    t.counters.retries += 1;
                }
                self.rec.add(t.series.throttled, now, 1.0);
                *attempt = attempt.saturating_add(1);
                d
            }
            Attempt::GiveUp(d) => {
                if measured {
                    t.counters.throttled += 1;
                    t.counters.failed += 1;
                }
                self.rec.add(t.series.throttled, now, 1.0);
                *done = true;
                *failed = true;
                d
            }
        };
        cx.schedule(delay, Event::Step(fr));
    }

    fn on_step(&mut self, cx: &mut Cx, fr: FrameRef) {
        let Some(frame) = self.frames.get(fr).copied() else {
            return;
        };
        match frame.state {
            FrameState::Request {
                workload, route, ..
            } => self.send(cx, fr, workload as usize, route),
            FrameState::ApiCall {
                cache_hit: true, ..
            } => self.finish_api(cx, fr, Outcome::Ok),
            FrameState::ApiCall {
                integrating: false, ..
            } => self.integrate(cx, fr),
            FrameState::ApiCall { .. } => {}
            FrameState::Invocation {
                func,
                step,
                failing,
                env,
                ..
            } => {
                let f = &mut self.functions[func as usize];
                if step == INIT_STEP {
                    f.init_done(env);
                    self.continue_invocation(cx, fr, 0);
                } else if (step as usize) < f.steps.len() {
                    self.start_call(cx, fr);
                } else {
                    let outcome = if failing {
                        Outcome::FunctionError
                    } else {
                        Outcome::Ok
                    };
                    self.end_invocation(cx, fr, outcome);
                }
            }
            FrameState::TableCall { done, failed, .. } => {
                if done {
                    self.frames.free(fr);
                    let outcome = if failed {
                        Outcome::FunctionError
                    } else {
                        Outcome::Ok
                    };
                    self.deliver(cx, frame.parent, outcome);
                } else {
                    self.table_attempt(cx, fr);
                }
            }
        }
    }

    /// A function's deadline timer: times out every invocation whose
    /// deadline has come while it waited on a call.
    fn on_deadline(&mut self, cx: &mut Cx, f: u16) {
        let now = cx.now();
        self.functions[f as usize].deadlines.fired(now);
        while let Some(fr) = self.functions[f as usize].deadlines.pop_due(now) {
            if self.frames.get(fr).is_some() {
                self.end_invocation(cx, fr, Outcome::FunctionTimeout);
            }
        }
        if let Some(at) = self.functions[f as usize].deadlines.rearm() {
            cx.schedule_at(at, Event::Deadline(f));
        }
    }

    /// An API's integration timer: answers 504 to every call whose
    /// integration timeout has come; the functions run on.
    fn on_api_deadline(&mut self, cx: &mut Cx, a: u16) {
        let now = cx.now();
        self.apis[a as usize].deadlines.fired(now);
        while let Some(fr) = self.apis[a as usize].deadlines.pop_due(now) {
            if self.frames.get(fr).is_some() {
                self.finish_api(cx, fr, Outcome::GatewayTimeout);
            }
        }
        if let Some(at) = self.apis[a as usize].deadlines.rearm() {
            cx.schedule_at(at, Event::ApiDeadline(a));
        }
    }

    fn on_timeout(&mut self, cx: &mut Cx, fr: FrameRef) {
        let Some(frame) = self.frames.get(fr) else {
            return;
        };
        if let FrameState::Invocation { .. } = frame.state {
            self.end_invocation(cx, fr, Outcome::FunctionTimeout);
        }
    }

    /// Delivers a finished call's outcome to the frame that made it.
    fn deliver(&mut self, cx: &mut Cx, to: FrameRef, outcome: Outcome) {
        let Some(frame) = self.frames.get_mut(to) else {
            return; // the caller gave up already (timeout)
        };
        match frame.state {
            FrameState::Request {
                workload,
                route,
                ref mut attempt,
                measured,
            } => {
                let now = cx.now();
                let start = frame.start;
                let c = &mut self.clients[workload as usize];
                if let Some(backoff) = c.retry_after(outcome, *attempt as u32) {
                    *attempt += 1;
                    if measured {
                        c.counters.retries += 1;
                    }
                    cx.schedule(backoff, Event::Step(to));
                    return;
                }
                self.frames.free(to);
                let series = if outcome.end_state() == EndState::Succeeded {
                    c.series.ok
                } else {
                    c.series.errors
                };
                self.rec.add(series, now, 1.0);
                if measured {
                    c.finish(route, outcome, now - start);
                }
            }
            FrameState::ApiCall { .. } => self.finish_api(cx, to, outcome),
            FrameState::Invocation { step, .. } => {
                if outcome == Outcome::Ok {
                    self.continue_invocation(cx, to, step as usize + 1);
                } else {
                    // An exception from a downstream call fails the function.
                    self.end_invocation(cx, to, Outcome::FunctionError);
                }
            }
            FrameState::TableCall { .. } => {}
        }
    }
}
