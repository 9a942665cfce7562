//! Stage two for functions: `[[lambda]]` (runtimes, concurrency, SnapStart,
//! steps).

use crate::engine::{MILLIS, SECONDS};

use super::context::Cx;
use super::error::suggest;
use super::locate::FieldPath;
use super::raw::*;
use super::shape::Raws;
use super::validate::{choice, dur_in, in_range, int_in, opt_dist};
use crate::model::limits::{self, secs};
use crate::model::*;

/// Validates all functions, including the account-wide reserved sum.
pub fn lambdas(cx: &mut Cx<'_>, raws: &Raws, sim: &Simulation) -> Vec<Option<Lambda>> {
    let out: Vec<Option<Lambda>> = raws
        .lambdas
        .iter()
        .enumerate()
        .map(|(i, l)| l.as_ref().and_then(|l| lambda(cx, i, l, sim)))
        .collect();
    // aws-facts 1.1: at least 100 must stay unreserved.
    let reserved: u64 = raws
        .lambdas
        .iter()
        .flatten()
        .filter_map(|l| l.reserved_concurrency)
        .map(|v| v.max(0) as u64)
        .sum();
    let cap = u64::from(sim.account_concurrency).saturating_sub(UNRESERVED_FLOOR.into());
    if reserved > cap {
        let last = raws
            .lambdas
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
        let pc_unreserved: u64 = raws
            .lambdas
            .iter()
            .flatten()
            .filter(|l| l.reserved_concurrency.is_none())
            .filter_map(|l| l.provisioned_concurrency)
            .map(|v| v.max(0) as u64)
            .sum();
        if reserved + pc_unreserved > cap {
            let last = raws
                .lambdas
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
    out
}

fn lambda(cx: &mut Cx<'_>, i: usize, r: &RawLambda, sim: &Simulation) -> Option<Lambda> {
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["lambda", i, f];
    for (field, raw) in [("triggers", &r.triggers), ("destinations", &r.destinations)] {
        if raw.is_some() {
            cx.key_err(
                &p(field),
                format!("`{field}` is not supported yet in this version of slsim"),
                "remove it; functions are invoked by workloads, api routes and call steps",
            );
        }
    }
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
        (MILLIS, secs(limits::LAMBDA_MAX_TIMEOUT_S)),
        "1ms..=900s",
        "the Lambda timeout is at most 15 minutes (aws-facts 1.3)",
    );
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
        None => default_init(&runtime, snap_start),
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
    let max_lifetime = r.max_lifetime.as_ref().map(|_| {
        dur_in(
            cx,
            &p("max_lifetime"),
            &r.max_lifetime,
            SECONDS,
            (1, secs(limits::MAX_LIFETIME_S)),
            "1ns..=24h",
            "AWS recycles environments every few hours (aws-facts 10.6); omit it to never recycle",
        )
    });
    if let Some(rc) = reserved_concurrency {
        if provisioned_concurrency > rc {
            cx.err(&p("provisioned_concurrency"), format!("provisioned_concurrency {provisioned_concurrency} is above reserved_concurrency {rc}"), "provisioned environments count against the reservation: make it <= reserved_concurrency");
        }
    }
    let steps: Vec<Step> = r
        .steps
        .iter()
        .enumerate()
        .filter_map(|(k, s)| step(cx, &p("steps").join(k), s))
        .collect();
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
        routing,
        max_lifetime,
        reserved_concurrency,
        provisioned_concurrency,
        snap_start,
        steps,
        async_invoke: AsyncInvoke::default(),
    })
}

const STEP_FORMS: &str = "a step is one of { compute = \"<dist>\" }, { io = \"<dist>\" }, { call = \"<name>\", ... }, { fail = 0.01 }";

fn step(cx: &mut Cx<'_>, p: &FieldPath, s: &RawStep) -> Option<Step> {
    let given: Vec<&str> = [
        ("compute", s.compute.is_some()),
        ("io", s.io.is_some()),
        ("call", s.call.is_some()),
        ("fail", s.fail.is_some()),
    ]
    .iter()
    .filter(|(_, g)| *g)
    .map(|(n, _)| *n)
    .collect();
    if given.len() != 1 {
        let msg = if given.is_empty() {
            "step has none of `compute`, `io`, `call`, `fail`".to_string()
        } else {
            format!("step has more than one of {}", super::error::list(&given))
        };
        cx.err(p, msg, STEP_FORMS);
        return None;
    }
    let extra = |cx: &mut Cx<'_>, allowed: &[&str]| {
        for (f, present) in [
            ("threads", s.threads.is_some()),
            ("op", s.op.is_some()),
            ("items", s.items.is_some()),
            ("item_kb", s.item_kb.is_some()),
            ("mode", s.mode.is_some()),
        ] {
            if present && !allowed.contains(&f) {
                cx.key_err(
                    &p.join(f),
                    format!(
                        "`{f}` does not apply to {} `{}` step",
                        super::numbers::article(given[0]),
                        given[0]
                    ),
                    STEP_FORMS,
                );
            }
        }
    };
    match given[0] {
        "compute" => {
            extra(cx, &["threads"]);
            let d = opt_dist(cx, &p.join("compute"), &s.compute)?;
            let threads = s.threads.unwrap_or(1.0);
            let before = cx.problems.len();
            in_range(
                cx,
                &p.join("threads"),
                threads,
                limits::THREADS.0,
                limits::THREADS.1,
                "how many vCPUs the code keeps busy; 1 = single-threaded; a function has at most 6 vCPUs (aws-facts 1.3)",
            );
            if cx.problems.len() > before {
                return None;
            }
            Some(Step::Compute { dist: d, threads })
        }
        "io" => {
            extra(cx, &[]);
            opt_dist(cx, &p.join("io"), &s.io).map(Step::Io)
        }
        "fail" => {
            extra(cx, &[]);
            let f = s.fail.unwrap_or(0.0);
            if !(0.0..=1.0).contains(&f) {
                cx.err(
                    &p.join("fail"),
                    format!(
                        "fail probability {} is out of range (allowed 0..=1)",
                        super::numbers::show(f)
                    ),
                    "a probability between 0 and 1",
                );
                return None;
            }
            Some(Step::Fail(f))
        }
        _ => call(cx, p, s, extra),
    }
}

fn call(
    cx: &mut Cx<'_>,
    p: &FieldPath,
    s: &RawStep,
    extra: impl Fn(&mut Cx<'_>, &[&str]),
) -> Option<Step> {
    let name = s.call.as_deref().unwrap_or("");
    let (kind, idx) = cx.resolve(&p.join("call"), name, &["table", "lambda"], "a call step")?;
    if kind == "lambda" {
        extra(cx, &["mode"]);
        match s.mode.as_deref() {
            None | Some("sync") => Some(Step::Invoke { lambda: idx }),
            Some("async") => {
                cx.err(
                    &p.join("mode"),
                    "call `mode = \"async\"` is not supported yet in this version of slsim",
                    "use mode = \"sync\" (the default)",
                );
                None
            }
            Some(m) => {
                cx.err(
                    &p.join("mode"),
                    format!("`{m}` is not a valid mode"),
                    suggest(m, &["sync", "async"]),
                );
                None
            }
        }
    } else {
        extra(cx, &["op", "items", "item_kb"]);
        let ops = [
            ("get", TableOp::Get),
            ("put", TableOp::Put),
            ("update", TableOp::Update),
            ("delete", TableOp::Delete),
            ("query", TableOp::Query),
            ("scan", TableOp::Scan),
        ];
        if s.op.is_none() {
            cx.err(
                p,
                format!("a call to table `{name}` needs `op`"),
                "add op = \"get\" | \"put\" | \"update\" | \"delete\" | \"query\" | \"scan\"",
            );
            return None;
        }
        let before = cx.problems.len();
        let op = choice(cx, &p.join("op"), &s.op, &ops, TableOp::Get);
        let items = int_in(
            cx,
            &p.join("items"),
            s.items,
            1,
            (1, limits::MAX_ITEMS),
            "the number of items read or written by one request",
        ) as u32;
        let item_kb = s.item_kb.unwrap_or(1.0);
        in_range(
            cx,
            &p.join("item_kb"),
            item_kb,
            f64::MIN_POSITIVE,
            limits::MAX_ITEM_KB,
            "item size in KB: > 0 and <= 400 (the DynamoDB item size limit, aws-facts 5.1)",
        );
        (cx.problems.len() == before).then_some(Step::Table {
            table: idx,
            op,
            items,
            item_kb,
        })
    }
}
