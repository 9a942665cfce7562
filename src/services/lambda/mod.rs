//! AWS Lambda: execution environments, concurrency, scaling and billing.
//!
//! An execution environment serves one request at a time. A request takes,
//! in order: an idle provisioned environment; else, if the function's
//! concurrency allows, an idle on-demand environment (chosen by the routing
//! policy); else, if the scaling rate allows, a new environment (a cold
//! start); else it is throttled. Idle on-demand environments expire after
//! `keep_alive`; any environment is recycled once idle after `max_lifetime`
//! (provisioned ones re-initialise). Sources: aws-facts §1.1 (concurrency,
//! scaling), §1.3 (CPU share), §1.10 (billing).

mod account;
mod accounting;
pub mod async_invoke;
pub mod cost;
mod counters;
mod flow;
mod invocation;
mod keep_alive;
pub mod rate;
mod stats;
mod steps;
pub mod timeline;

pub use account::{legacy_burst, Account, LEGACY_ENVS_PER_MINUTE};
pub use accounting::billed_ms;
pub use async_invoke::{AsyncEvent, AsyncStats};
pub use counters::{FunctionCounters, FunctionSeries};
pub use flow::{invoke, invoke_batch, DEADLINE, ENV_READY, KEEP_ALIVE};
pub use invocation::{Invocation, INIT_STEP};
pub use stats::FunctionStats;
pub use steps::{Plan, PreparedStep};

use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime, SECONDS};
use crate::metrics::{Level, SeriesRecorder};
use crate::model::{self, Architecture};
use crate::policy::IdlePool;
use crate::services::deadlines::Deadlines;
use crate::services::registry::index_by;
use crate::services::token_bucket::TokenBucket;
use timeline::Phase;

/// vCPU share of 1 MB of memory: 1,769 MB = 1 vCPU (aws-facts §1.3).
pub const MB_PER_VCPU: f64 = 1769.0;
/// Per-function scaling: new environments per 10 s, refilled continuously
/// (aws-facts §1.1, since 2023-11-27).
pub const SCALING_ENVS_PER_10S: f64 = 1000.0;
/// Longest init phase of an on-demand environment: beyond it Lambda stops
/// the init phase and runs init again inside the first invoke, under the
/// function timeout (aws-facts §1.3, §10.6: 10 s).
pub const INIT_CAP: SimDuration = 10 * SECONDS;
/// Init limit with provisioned concurrency or SnapStart: 130 s or the
/// function timeout, whichever is higher (aws-facts §1.3, §10.6); slsim
/// caps init draws there.
pub const LONG_INIT_CAP: SimDuration = 130 * SECONDS;

/// The longest a synchronous invocation of `l` can take \[ns\]: its
/// longest init (10 s on demand, before init runs again inside the invoke;
/// with SnapStart 130 s or the timeout) plus its timeout.
pub fn longest_call(l: &model::Lambda) -> SimDuration {
    let init = if l.snap_start {
        l.timeout.max(LONG_INIT_CAP)
    } else {
        INIT_CAP
    };
    init.saturating_add(l.timeout)
}

/// How a request got an environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Acquire {
    /// An idle environment.
    Warm {
        /// Environment index.
        env: u32,
    },
    /// A new environment that must initialise first.
    Cold {
        /// Environment index.
        env: u32,
        /// Init duration \[ns\].
        init: SimDuration,
        /// An init phase stopped at its 10 s limit before init runs again
        /// inside the invoke, under the function timeout \[ns\] (0 when
        /// init fits the limit).
        lost: SimDuration,
    },
    /// No room: concurrency limit or scaling rate.
    Throttled,
    /// Over a request-rate limit (the account's invocation rate or the
    /// function's own rate).
    RateLimited,
}

/// What the caller must schedule after an environment is released.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    /// Nothing.
    Nothing,
    /// The function's keep-alive timer at this time.
    KeepAliveAt(SimTime),
    /// A provisioned environment re-initialises; ready after this delay.
    Reinit {
        /// Environment index.
        env: u32,
        /// Delay \[ns\].
        after: SimDuration,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EnvState {
    Free,
    Initialising,
    Busy,
    Idle,
}

#[derive(Clone, Copy, Debug)]
struct Env {
    state: EnvState,
    provisioned: bool,
    /// When it has lived `max_lifetime` (`SimTime::MAX`: never).
    expires: SimTime,
    idle_since: SimTime,
}

/// Every function, and the account they share.
pub struct Lambdas {
    /// In model order.
    pub functions: Vec<Function>,
    /// Account-wide concurrency and legacy burst.
    pub account: Account,
}

index_by!(Lambdas, functions, Function);

/// A Lambda function's runtime state.
pub struct Function {
    /// Name.
    pub name: String,
    /// Instruction set (for pricing).
    pub arch: Architecture,
    /// Memory \[MB\].
    pub memory_mb: u32,
    /// Steps, prepared.
    pub steps: Vec<PreparedStep>,
    /// Per step, whether it runs once per record of the invoking batch;
    /// empty when no step does (then every invocation is one record).
    per_record: Vec<bool>,
    /// Invocation timeout \[ns\].
    pub timeout: SimDuration,
    /// This function's random stream.
    pub rng: SimRng,
    /// Busy environments (initialising for a request, or running).
    pub busy: Level,
    /// Live environments (busy + idle + re-initialising).
    pub live: Level,
    /// Counters.
    pub counters: FunctionCounters,
    /// Series handles.
    pub series: FunctionSeries,
    /// Deadlines of invocations waiting on calls.
    pub deadlines: Deadlines,
    /// Asynchronous invocation settings.
    pub async_policy: async_invoke::AsyncPolicy,
    /// Asynchronous events accepted in the measured window, by fate.
    pub async_counters: async_invoke::AsyncCounters,
    /// Of those, still queued or being attempted.
    pub async_pending: u64,
    init: Dist,
    keep_alive: SimDuration,
    /// `SimDuration::MAX` when environments are never recycled.
    max_lifetime: SimDuration,
    reserved: Option<u32>,
    /// Provisioned environments configured.
    pub provisioned: u32,
    envs: Vec<Env>,
    free_envs: Vec<u32>,
    idle_od: IdlePool,
    idle_pc: IdlePool,
    od_active: u32,
    scaling: TokenBucket,
    rate: rate::FunctionRate,
    pc_rate: rate::RateWindow,
    /// Longest on-demand init draw: SnapStart's 130 s limit, else none.
    init_cap: SimDuration,
    pc_init_cap: SimDuration,
    snap_start: bool,
    timer_at: Option<SimTime>,
    /// Generation of the pending keep-alive timer: a timer firing with
    /// another (`Timer::arg`) is stale. Always 0 under `fixed`.
    pub timer_gen: u32,
    policy: keep_alive::KeepAlive,
    /// Provisioned environments recycled by `acquire` whose re-initialisation
    /// the caller must schedule: (environment, ready after \[ns\]).
    pub reinit_queue: Vec<(u32, SimDuration)>,
    /// A replayed trace with `duration_ms` invokes it: an invocation asks
    /// its request for a duration (`flow::run_replayed`).
    pub replay: bool,
    /// Records its environments' lives when `[timeline]` names it.
    pub timeline: Option<Box<timeline::Recorder>>,
}

impl Function {
    /// Bytes allocated for environments and calls in progress.
    pub fn footprint(&self) -> usize {
        self.envs.capacity() * std::mem::size_of::<Env>()
            + self.free_envs.capacity() * 4
            + self.idle_od.footprint()
            + self.idle_pc.footprint()
            + self.deadlines.footprint()
            + self.reinit_queue.capacity() * 16
            + self.timeline.as_ref().map_or(0, |t| t.footprint())
            + self.policy.footprint()
    }

    /// Builds a function's state; `tables` resolves call steps' capacity.
    pub fn new(
        cfg: &model::Lambda,
        account_concurrency: u32,
        tables: &[model::Table],
        rng: SimRng,
        busy: Level,
        live: Level,
        series: FunctionSeries,
    ) -> Self {
        let cpu = cfg.memory_mb as f64 / MB_PER_VCPU;
        let steps = steps::prepare(cfg, tables, cpu);
        let per_record = if cfg.per_record.is_empty() {
            Vec::new()
        } else {
            (0..steps.len()).map(|i| cfg.is_per_record(i)).collect()
        };
        Self {
            name: cfg.name.clone(),
            arch: cfg.arch,
            memory_mb: cfg.memory_mb,
            steps,
            per_record,
            timeout: cfg.timeout,
            rng,
            busy,
            live,
            counters: FunctionCounters::default(),
            series,
            deadlines: Deadlines::default(),
            async_policy: async_invoke::AsyncPolicy::new(cfg),
            async_counters: Default::default(),
            async_pending: 0,
            init: cfg.init.clone(),
            keep_alive: cfg.keep_alive,
            max_lifetime: cfg.max_lifetime.unwrap_or(SimDuration::MAX),
            reserved: cfg.reserved_concurrency,
            provisioned: cfg.provisioned_concurrency,
            envs: Vec::new(),
            free_envs: Vec::new(),
            idle_od: IdlePool::new(cfg.routing),
            idle_pc: IdlePool::new(cfg.routing),
            od_active: 0,
            scaling: TokenBucket::full(SCALING_ENVS_PER_10S / 10.0, SCALING_ENVS_PER_10S),
            rate: rate::FunctionRate::new(cfg.reserved_concurrency.unwrap_or(account_concurrency)),
            pc_rate: rate::RateWindow::new(
                rate::REQUESTS_PER_CONCURRENCY * u64::from(cfg.provisioned_concurrency),
            ),
            init_cap: if cfg.snap_start {
                cfg.timeout.max(LONG_INIT_CAP)
            } else {
                SimDuration::MAX
            },
            pc_init_cap: cfg.timeout.max(LONG_INIT_CAP),
            snap_start: cfg.snap_start,
            timer_at: None,
            timer_gen: 0,
            policy: keep_alive::KeepAlive::new(&cfg.keep_alive_policy),
            replay: false,
            timeline: None,
            reinit_queue: Vec::new(),
        }
    }

    /// Creates the provisioned environments, ready at time zero.
    pub fn provision(&mut self, account: &mut Account, rec: &mut SeriesRecorder) {
        for _ in 0..self.provisioned {
            let env = self.new_env(0, true, EnvState::Idle);
            self.idle_pc.push_back(env);
        }
        if self.reserved.is_none() {
            account.unreserved_in_use += self.provisioned;
        }
        self.live.change(0, self.provisioned as i64, rec);
    }

    /// Memory \[GB\] as billed.
    pub fn memory_gb(&self) -> f64 {
        self.memory_mb as f64 / 1024.0
    }

    fn new_env(&mut self, now: SimTime, provisioned: bool, state: EnvState) -> u32 {
        let env = Env {
            state,
            provisioned,
            expires: now.saturating_add(self.max_lifetime),
            idle_since: now,
        };
        let i = if let Some(i) = self.free_envs.pop() {
            self.envs[i as usize] = env;
            i
        } else {
            self.envs.push(env);
            (self.envs.len() - 1) as u32
        };
        if let Some(t) = &mut self.timeline {
            let phase = if state == EnvState::Idle {
                Phase::Idle
            } else {
                Phase::Init
            };
            t.born(i, phase, now);
        }
        i
    }

    /// The timeline, if any, records that `env` changes to `phase`.
    #[inline]
    fn note(&mut self, env: u32, phase: Phase, now: SimTime) {
        if let Some(t) = &mut self.timeline {
            t.phase(env, phase, now);
        }
    }

    fn too_old(&self, env: u32, now: SimTime) -> bool {
        now >= self.envs[env as usize].expires
    }

    fn concurrency_room(&self, account: &Account) -> bool {
        match self.reserved {
            Some(r) => self.od_active + self.provisioned < r,
            None => account.unreserved_in_use < account.unreserved_limit,
        }
    }

    /// Finds an environment for a request arriving at `now`.
    ///
    /// `counted`: the request counts against the request-rate limits (every
    /// synchronous invoke; not an asynchronous event the internal queue
    /// dispatches, whose limit applied when it was accepted).
    pub fn acquire(
        &mut self,
        now: SimTime,
        counted: bool,
        account: &mut Account,
        rec: &mut SeriesRecorder,
    ) -> Acquire {
        if counted && !self.admit_rate(now, account) {
            return Acquire::RateLimited;
        }
        // 1. Provisioned environments first (aws-facts §1.1: spill-over to
        // on-demand), at most 10 x their number per second (aws-facts 1.1
        // "PC invoke rate quota"; beyond it slsim spills over, an assumption).
        while !self.idle_pc.is_empty() && self.pc_rate.try_take(now) {
            let Some(env) = self.idle_pc.take(&mut self.rng) else {
                break;
            };
            if self.too_old(env, now) {
                let after = self.reinit_now(env, now);
                self.reinit_queue.push((env, after));
                continue;
            }
            self.envs[env as usize].state = EnvState::Busy;
            self.note(env, Phase::Busy, now);
            self.busy.change(now, 1, rec);
            self.note_start(now, false);
            return Acquire::Warm { env };
        }
        // 2. On-demand: concurrency first, then a warm environment or a new one.
        if !self.concurrency_room(account) {
            return Acquire::Throttled;
        }
        while let Some(env) = self.idle_od.take(&mut self.rng) {
            if self.too_old(env, now) {
                self.destroy(env, now, rec, Phase::Recycled);
                continue;
            }
            self.envs[env as usize].state = EnvState::Busy;
            self.note(env, Phase::Busy, now);
            self.take_concurrency(account);
            self.busy.change(now, 1, rec);
            self.note_start(now, false);
            return Acquire::Warm { env };
        }
        let may_scale = match account.legacy.as_mut() {
            Some(legacy) => legacy.try_take(now),
            None => self.scaling.try_take(now, 1.0),
        };
        if !may_scale {
            return Acquire::Throttled;
        }
        let env = self.new_env(now, false, EnvState::Initialising);
        self.take_concurrency(account);
        self.busy.change(now, 1, rec);
        self.live.change(now, 1, rec);
        self.note_start(now, true);
        let init = self.init.sample_ns(&mut self.rng).min(self.init_cap);
        // An on-demand init phase longer than 10 s is stopped there and
        // init runs again inside the first invoke (aws-facts 10.6).
        let lost = if init > INIT_CAP && !self.snap_start {
            INIT_CAP
        } else {
            0
        };
        Acquire::Cold { env, init, lost }
    }

    /// The request-rate limits of a synchronous invoke: the account's, then
    /// the function's own. Both windows are the second containing `now`,
    /// found at most once.
    #[inline]
    fn admit_rate(&mut self, now: SimTime, account: &mut Account) -> bool {
        let a = &mut account.rate;
        if now >= a.end() {
            a.start(now);
        }
        a.take() && self.rate.take(now, a.end())
    }

    fn take_concurrency(&mut self, account: &mut Account) {
        self.od_active += 1;
        if self.reserved.is_none() {
            account.unreserved_in_use += 1;
        }
    }

    fn give_concurrency(&mut self, account: &mut Account) {
        self.od_active -= 1;
        if self.reserved.is_none() {
            account.unreserved_in_use -= 1;
        }
    }

    /// A cold environment finished initialising and runs its request.
    pub fn init_done(&mut self, env: u32, now: SimTime) {
        self.envs[env as usize].state = EnvState::Busy;
        self.note(env, Phase::Busy, now);
    }

    /// The invocation on `env` ended normally (success or function error).
    pub fn release(
        &mut self,
        env: u32,
        now: SimTime,
        account: &mut Account,
        rec: &mut SeriesRecorder,
    ) -> Release {
        self.busy.change(now, -1, rec);
        self.note_end(now);
        let provisioned = self.envs[env as usize].provisioned;
        if !provisioned {
            self.give_concurrency(account);
        }
        if self.too_old(env, now) {
            return if provisioned {
                self.reinit(env, now)
            } else {
                self.destroy(env, now, rec, Phase::Recycled);
                Release::Nothing
            };
        }
        self.note(env, Phase::Idle, now);
        let e = &mut self.envs[env as usize];
        e.state = EnvState::Idle;
        e.idle_since = now;
        if provisioned {
            self.idle_pc.push_back(env);
            Release::Nothing
        } else {
            match self.policy {
                keep_alive::KeepAlive::Fixed => {
                    self.idle_od.push_back(env);
                    if self.timer_at.is_none() {
                        let at = now.saturating_add(self.keep_alive);
                        self.timer_at = Some(at);
                        Release::KeepAliveAt(at)
                    } else {
                        Release::Nothing
                    }
                }
                _ => self.release_by_policy(env, now, rec),
            }
        }
    }

    /// The invocation on `env` timed out: the environment is reset (an
    /// on-demand one is discarded; a provisioned one re-initialises).
    pub fn reset(
        &mut self,
        env: u32,
        now: SimTime,
        account: &mut Account,
        rec: &mut SeriesRecorder,
    ) -> Release {
        self.busy.change(now, -1, rec);
        self.note_end(now);
        if self.envs[env as usize].provisioned {
            self.reinit(env, now)
        } else {
            self.give_concurrency(account);
            self.destroy(env, now, rec, Phase::Reset);
            Release::Nothing
        }
    }

    /// Ends environment `env` (`how`: expired, recycled or reset, as
    /// the timeline records it).
    fn destroy(&mut self, env: u32, now: SimTime, rec: &mut SeriesRecorder, how: Phase) {
        if let Some(t) = &mut self.timeline {
            t.ended(env, how, now);
        }
        self.envs[env as usize].state = EnvState::Free;
        self.free_envs.push(env);
        self.live.change(now, -1, rec);
    }

    fn reinit(&mut self, env: u32, now: SimTime) -> Release {
        let after = self.reinit_now(env, now);
        Release::Reinit { env, after }
    }

    /// Marks a provisioned environment as re-initialising; returns the
    /// init duration. The caller must schedule [`Function::reinit_done`].
    fn reinit_now(&mut self, env: u32, now: SimTime) -> SimDuration {
        let after = self.init.sample_ns(&mut self.rng).min(self.pc_init_cap);
        if now >= self.busy.warmup() {
            self.bill_reinit(after);
        }
        self.note(env, Phase::Init, now);
        let e = &mut self.envs[env as usize];
        e.state = EnvState::Initialising;
        e.expires = (now + after).saturating_add(self.max_lifetime);
        after
    }

    /// A re-initialised provisioned environment is ready.
    pub fn reinit_done(&mut self, env: u32, now: SimTime) {
        let e = &mut self.envs[env as usize];
        if e.provisioned && e.state == EnvState::Initialising {
            e.state = EnvState::Idle;
            e.idle_since = now;
            self.idle_pc.push_back(env);
            self.note(env, Phase::Idle, now);
        }
    }

    /// The keep-alive timer fired: expire due environments (load the
    /// pre-warmed ones due) and return when the timer should fire next.
    pub fn keep_alive_timer(&mut self, now: SimTime, rec: &mut SeriesRecorder) -> Option<SimTime> {
        self.timer_at = match self.policy {
            keep_alive::KeepAlive::Hybrid(_) => self.prewarm_timer(now, rec),
            _ => self.expire_idle(now, rec),
        };
        self.timer_at
    }

    /// Destroys the idle on-demand environments whose keep-alive is over;
    /// returns when the next one is.
    fn expire_idle(&mut self, now: SimTime, rec: &mut SeriesRecorder) -> Option<SimTime> {
        while let Some(env) = self.idle_od.front() {
            let due = self.envs[env as usize]
                .idle_since
                .saturating_add(self.keep_alive);
            if due > now {
                return Some(due);
            }
            self.idle_od.remove(env);
            self.destroy(env, now, rec, Phase::Expired);
        }
        None
    }
}
