//! `[[lambda]]`: its raw struct and its validation into [`Lambda`]
//! (runtime, memory, timeouts, concurrency, SnapStart; the account-wide
//! concurrency checks). Steps are in `lambda_steps.rs`.
//!
//! Must not know: how environments are kept or invocations run.

use toml::Value;

use super::{Given, Kind};
use crate::engine::SECONDS;
use crate::model::limits::{self, secs};
use crate::model::*;
use crate::scenario::context::Cx;
use crate::scenario::error::suggest;
use crate::scenario::locate::FieldPath;
use crate::scenario::raw::Required;
use crate::scenario::shape::{strip_each, strip_sub};
use crate::scenario::validate::{choice, dur_in, int_in, opt_dist};

#[path = "lambda_steps.rs"]
mod steps;

#[path = "lambda_async.rs"]
mod asynchronous;

pub use steps::RawStep;

use super::table::sdk_retry::{self, RawSdkRetry};

/// `[[lambda]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLambda {
    pub name: String,
    pub runtime: Option<String>,
    pub architecture: Option<String>,
    pub memory_mb: Option<i64>,
    pub timeout: Option<String>,
    pub init: Option<String>,
    pub keep_alive: Option<String>,
    pub keep_alive_policy: Option<String>,
    pub routing: Option<String>,
    pub max_lifetime: Option<String>,
    pub reserved_concurrency: Option<i64>,
    pub provisioned_concurrency: Option<i64>,
    pub snap_start: Option<bool>,
    #[serde(default)]
    pub steps: Vec<RawStep>,
    #[serde(default)]
    pub triggers: Vec<super::queue::RawTrigger>,
    /// Where asynchronous invocations' records go.
    pub destinations: Option<asynchronous::RawDestinations>,
    /// Retries of an asynchronous event after a function error.
    pub max_retry_attempts: Option<i64>,
    /// Oldest an asynchronous event may get before it is discarded.
    pub max_event_age: Option<String>,
    /// Delay from acceptance to the first attempt of an asynchronous event.
    pub async_dispatch: Option<String>,
    /// Log output per invocation \[KB\] (CloudWatch Logs ingestion cost).
    pub log_kb: Option<f64>,
    /// The SDK retry policy of the function's DynamoDB requests (overrides
    /// each table's).
    pub sdk_retry: Option<RawSdkRetry>,
    /// The Region it is deployed in (default: the home Region).
    pub region: Option<String>,
}

impl Required for RawLambda {
    const REQUIRED: &'static [&'static str] = &["name"];
}

impl Kind for RawLambda {
    type Model = Lambda;

    fn strip_nested(cx: &mut Cx<'_>, path: &FieldPath, v: &mut Value) -> Vec<&'static str> {
        let mut missing = strip_each::<RawStep>(cx, path, v, "steps");
        missing.extend(strip_each::<super::queue::RawTrigger>(
            cx, path, v, "triggers",
        ));
        missing.extend(strip_sub::<asynchronous::RawDestinations>(
            cx,
            path,
            v,
            "destinations",
        ));
        missing.extend(strip_sub::<RawSdkRetry>(cx, path, v, "sdk_retry"));
        missing
    }

    fn validate(&self, cx: &mut Cx<'_>, i: usize, given: &Given<'_>) -> Option<Lambda> {
        let triggers = super::queue::triggers(
            cx,
            &crate::fp!["lambda", i, "triggers"],
            &self.triggers,
            given,
        );
        let stream_triggers = super::stream::triggers(
            cx,
            &crate::fp!["lambda", i, "triggers"],
            &self.triggers,
            given,
        );
        lambda(cx, i, self, given)
            .zip(triggers)
            .zip(stream_triggers)
            .map(|((l, triggers), stream_triggers)| Lambda {
                triggers,
                stream_triggers,
                ..l
            })
    }

    fn check_all(cx: &mut Cx<'_>, all: &[Option<Self>], given: &Given<'_>) {
        account(cx, all, given.simulation);
    }
}

/// The account-wide checks: reserved concurrency, and provisioned
/// concurrency of functions without a reservation, leave the unreserved
/// floor.
fn account(cx: &mut Cx<'_>, all: &[Option<RawLambda>], sim: &Simulation) {
    // aws-facts 1.1: at least 100 must stay unreserved.
    let reserved: u64 = all
        .iter()
        .flatten()
        .filter_map(|l| l.reserved_concurrency)
        .map(|v| v.max(0) as u64)
        .sum();
    let cap = u64::from(sim.account_concurrency).saturating_sub(UNRESERVED_FLOOR.into());
    if reserved > cap {
        let last = all
            .iter()
            .rposition(|l| l.as_ref().is_some_and(|l| l.reserved_concurrency.is_some()))
            .unwrap_or(0);
        cx.err(
            &crate::fp!["lambda", last, "reserved_concurrency"],
            format!(
                "the functions reserve {reserved} in total, more than account_concurrency - 100 = {cap}"
            ),
            "AWS keeps at least 100 unreserved; lower the reservations or raise simulation.account_concurrency",
        );
    } else {
        // Provisioned environments of functions without a reservation come
        // out of the unreserved pool, which must keep its floor of 100 too.
        let pc_unreserved: u64 = all
            .iter()
            .flatten()
            .filter(|l| l.reserved_concurrency.is_none())
            .filter_map(|l| l.provisioned_concurrency)
            .map(|v| v.max(0) as u64)
            .sum();
        if reserved + pc_unreserved > cap {
            let last = all
                .iter()
                .rposition(|l| {
                    l.as_ref().is_some_and(|l| {
                        l.reserved_concurrency.is_none() && l.provisioned_concurrency.is_some()
                    })
                })
                .unwrap_or(0);
            cx.err(
                &crate::fp!["lambda", last, "provisioned_concurrency"],
                format!(
                    "reserved ({reserved}) plus provisioned concurrency of unreserved functions ({pc_unreserved}) exceeds account_concurrency - 100 = {cap}"
                ),
                "provisioned environments use account concurrency; lower provisioned_concurrency or raise simulation.account_concurrency",
            );
        }
    }
}

/// Validates one `[[lambda]]`.
fn lambda(cx: &mut Cx<'_>, i: usize, r: &RawLambda, given: &Given<'_>) -> Option<Lambda> {
    let sim = given.simulation;
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["lambda", i, f];
    let async_invoke = asynchronous::async_invoke(cx, i, r, given);
    let runtime = r.runtime.clone().unwrap_or_else(|| DEFAULT_RUNTIME.into());
    let known = RUNTIMES.iter().find(|(n, _, _)| *n == runtime);
    if known.is_none() {
        let names: Vec<&str> = RUNTIMES.iter().map(|r| r.0).collect();
        cx.err(
            &p("runtime"),
            format!("unknown runtime `{runtime}`"),
            suggest(&runtime, &names),
        );
    }
    let arch = choice(
        cx,
        &p("architecture"),
        &r.architecture,
        &[
            ("x86_64", Architecture::X86_64),
            ("arm64", Architecture::Arm64),
        ],
        Architecture::X86_64,
    );
    // aws-facts 1.3: 128..=10,240 MB, default 128.
    let memory_mb = int_in(
        cx,
        &p("memory_mb"),
        r.memory_mb,
        DEFAULT_MEMORY_MB.into(),
        limits::LAMBDA_MEMORY_MB,
        "Lambda memory is 128..=10240 MB (aws-facts 1.3)",
    ) as u32;
    // aws-facts 1.3: default 3 s, max 900 s.
    let timeout = dur_in(
        cx,
        &p("timeout"),
        &r.timeout,
        DEFAULT_TIMEOUT,
        (SECONDS, secs(limits::LAMBDA_MAX_TIMEOUT_S)),
        "1s..=900s",
        "the Lambda timeout is 1 s to 15 minutes (aws-facts 1.3)",
    );
    if timeout % SECONDS != 0 {
        cx.err(
            &p("timeout"),
            format!(
                "timeout `{}` is not a whole number of seconds",
                r.timeout.as_deref().unwrap_or_default()
            ),
            "AWS sets a function's timeout in whole seconds, 1 to 900 (aws-facts 1.3); round it, e.g. \"1s\"",
        );
    }
    let snap_start = r.snap_start.unwrap_or(false);
    if snap_start && known.is_some() && !snap_start_supported(&runtime) {
        cx.err(
            &p("snap_start"),
            format!("SnapStart is not available for `{runtime}`"),
            "SnapStart supports java*, python3.12+ and dotnet8 (aws-facts 1.8)",
        );
    }
    let account = i64::from(sim.account_concurrency);
    let provisioned_concurrency = int_in(
        cx,
        &p("provisioned_concurrency"),
        r.provisioned_concurrency,
        0,
        (0, account),
        "pre-initialised environments; at most account_concurrency",
    ) as u32;
    let reserved_concurrency = r.reserved_concurrency.map(|_| {
        int_in(
            cx,
            &p("reserved_concurrency"),
            r.reserved_concurrency,
            0,
            (0, account),
            "at most account_concurrency (aws-facts 1.1); raise simulation.account_concurrency for more",
        ) as u32
    });
    if snap_start && provisioned_concurrency > 0 {
        cx.err(
            &p("snap_start"),
            "SnapStart cannot be combined with provisioned_concurrency",
            "AWS does not support both on one function (aws-facts 1.8); use one of them",
        );
    }
    let init = match opt_dist(cx, &p("init"), &r.init) {
        Some(d) => d,
        None => default_init(&runtime, arch, snap_start),
    };
    // aws-facts 1.4: latest measurement, idle environments expire after 5-7 min.
    let keep_alive = dur_in(
        cx,
        &p("keep_alive"),
        &r.keep_alive,
        DEFAULT_KEEP_ALIVE,
        (0, secs(limits::MAX_KEEP_ALIVE_S)),
        "0s..=24h",
        "measured idle lifetimes are 5 min to ~1 h (aws-facts 1.4); for environments that never expire use provisioned_concurrency",
    );
    let keep_alive_policy = match r.keep_alive_policy.as_deref() {
        None => KeepAlivePolicy::Fixed,
        Some(s) => crate::scenario::values::keep_alive_policy(s).unwrap_or_else(|b| {
            cx.err(
                &p("keep_alive_policy"),
                b.message,
                b.hint.unwrap_or_default(),
            );
            KeepAlivePolicy::Fixed
        }),
    };
    if r.keep_alive.is_some() && keep_alive_policy != KeepAlivePolicy::Fixed {
        cx.warn(
            &p("keep_alive"),
            "`keep_alive` has no effect: it applies to keep_alive_policy = \"fixed\" only (the hybrid policy's fallback keeps environments for its `range`)",
        );
    }
    let routing = choice(
        cx,
        &p("routing"),
        &r.routing,
        &[
            ("mru", Routing::Mru),
            ("lru", Routing::Lru),
            ("random", Routing::Random),
        ],
        Routing::Mru,
    );
    // aws-facts 10.6: environments are recycled "every few hours".
    let max_lifetime = match r.max_lifetime.as_deref() {
        Some("never") => None,
        _ => Some(dur_in(
            cx,
            &p("max_lifetime"),
            &r.max_lifetime,
            DEFAULT_MAX_LIFETIME,
            (1, secs(limits::MAX_LIFETIME_S)),
            "1ns..=24h, or \"never\"",
            "AWS recycles environments every few hours (aws-facts 10.6); \"never\" keeps them until they expire idle",
        )),
    };
    if let Some(rc) = reserved_concurrency {
        if provisioned_concurrency > rc {
            cx.err(&p("provisioned_concurrency"), format!("provisioned_concurrency {provisioned_concurrency} is above reserved_concurrency {rc}"), "provisioned environments count against the reservation: make it <= reserved_concurrency");
        }
    }
    let steps: Vec<Step> = r
        .steps
        .iter()
        .enumerate()
        .filter_map(|(k, s)| steps::step(cx, &p("steps").join(k), s))
        .collect();
    // Indices match `steps` when every step is valid (else no lambda).
    let per_record: Vec<usize> = r
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.per_record == Some(true))
        .map(|(k, _)| k)
        .collect();
    let log_kb = crate::scenario::validate::in_range(
        cx,
        &p("log_kb"),
        r.log_kb.unwrap_or(DEFAULT_LOG_KB),
        0.0,
        MAX_LOG_KB,
        "KB logged per invocation (CloudWatch Logs ingestion); default 0.3 = Lambda's START/END/REPORT lines alone (aws-facts 10.3)",
    );
    let sdk_retry = r
        .sdk_retry
        .as_ref()
        .map(|s| sdk_retry::sdk_retry(cx, &p("sdk_retry"), s));
    if sdk_retry.is_some()
        && !steps.iter().any(|s| {
            matches!(
                s,
                Step::Table { .. }
                    | Step::External { .. }
                    | Step::Bucket { .. }
                    | Step::PutRecords(_)
            )
        })
    {
        cx.warn(
            &p("sdk_retry"),
            "`sdk_retry` has no effect: the function makes no DynamoDB, service, S3 or Kinesis calls (it applies to its table, service, S3 and stream call steps only)",
        );
    }
    let region = super::geo::region(cx, &p("region"), &r.region, sim);
    if cx.problems.len() > before {
        return None;
    }
    Some(Lambda {
        name: r.name.clone(),
        runtime,
        arch,
        memory_mb,
        timeout,
        init,
        keep_alive,
        keep_alive_policy,
        routing,
        max_lifetime,
        reserved_concurrency,
        provisioned_concurrency,
        snap_start,
        steps,
        per_record,
        triggers: Vec::new(),
        stream_triggers: Vec::new(),
        async_invoke,
        log_kb,
        sdk_retry,
        region,
    })
}
