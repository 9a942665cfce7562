//! Stage two for `[simulation]`: run length, seed, account settings and
//! the guards (`max_events`, `max_wall`, `max_memory`); and `[cost]`.

use crate::engine::SECONDS;

use super::context::Cx;
use super::raw::*;
use super::validate::{choice, dur, dur_in, in_range, int_in, printable};
use super::values;
use crate::model::limits::{self, MAX_DURATION_NS};
use crate::model::REGIONS;
use crate::model::*;

/// Validates `[simulation]`; `unparsed` when the section exists but failed
/// to deserialize (its fields are then not reported as missing).
pub fn simulation(cx: &mut Cx<'_>, r: &RawSimulation, unparsed: bool) -> Simulation {
    let p = |f: &str| crate::fp!["simulation", f];
    // The defaults, declared once in the model.
    let d = Simulation::new(SECONDS);
    let name = r.name.clone().unwrap_or_else(|| {
        std::path::Path::new(cx.file)
            .file_stem()
            .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
    });
    printable(cx, &p("name"), &name);
    let before = cx.problems.len();
    let duration = match &r.duration {
        None if unparsed => SECONDS,
        None => {
            cx.err(
                &p("duration"),
                "`duration` is required",
                "add `duration = \"1h\"` to [simulation]",
            );
            SECONDS
        }
        Some(_) => {
            let d = dur(cx, &p("duration"), &r.duration, SECONDS);
            if d == 0 {
                cx.err(
                    &p("duration"),
                    "duration must be > 0",
                    "e.g. duration = \"1h\"",
                );
            }
            d
        }
    };
    let duration_ok = cx.problems.len() == before;
    let warmup = dur(cx, &p("warmup"), &r.warmup, 0);
    // Only against a valid duration: a bad one is reported already.
    if duration_ok && warmup >= duration && r.warmup.is_some() {
        cx.err(
            &p("warmup"),
            "warmup must be shorter than duration",
            "warm-up is part of duration and excluded from statistics",
        );
    }
    let start = r
        .start
        .as_ref()
        .map_or(d.start, |v| clock(cx, &p("start"), v));
    let start_date = r
        .start_date
        .as_ref()
        .map_or(d.start_date, |v| date(cx, &p("start_date"), v));
    let seed = int_in(
        cx,
        &p("seed"),
        r.seed,
        d.seed as i64,
        (0, i64::MAX),
        "any whole number from 0 (TOML integers are 64-bit signed)",
    );
    let account_concurrency = int_in(
        cx,
        &p("account_concurrency"),
        r.account_concurrency,
        d.account_concurrency.into(),
        (1, limits::MAX_ACCOUNT_CONCURRENCY),
        "the AWS default is 1000, raisable to tens of thousands",
    ) as u32;
    let esm_max_concurrency = int_in(
        cx,
        &p("esm_max_concurrency"),
        r.esm_max_concurrency,
        d.esm_max_concurrency.into(),
        crate::model::queue::ESM_MAX_CONCURRENCY_RANGE,
        "one SQS mapping's cap on concurrent batches: AWS documents 1000 (Lambda guide) and 1250 (Knowledge Center, blog), aws-facts 2",
    ) as u32;
    let scaling = choice(
        cx,
        &p("scaling"),
        &r.scaling,
        &[
            ("per-function", ScalingModel::PerFunction),
            ("legacy-2019", ScalingModel::Legacy2019),
        ],
        d.scaling,
    );
    let region = r.region.clone().unwrap_or(d.region);
    if !REGIONS.contains(&region.as_str()) {
        cx.err(
            &p("region"),
            format!("region `{region}` has no price table"),
            format!("supported regions: {}", super::error::list(REGIONS)),
        );
    }
    let max_events = int_in(
        cx,
        &p("max_events"),
        r.max_events,
        d.max_events as i64,
        (1, limits::MAX_EVENTS),
        "default 2000000000",
    );
    let max_wall_s = r.max_wall.as_ref().map(|s| {
        let ns = dur(cx, &p("max_wall"), &Some(s.clone()), SECONDS);
        if ns == 0 {
            cx.err(
                &p("max_wall"),
                "max_wall must be > 0",
                "omit it for no limit",
            );
        }
        ns as f64 / 1e9
    });
    let max_memory_bytes = r.max_memory.as_ref().and_then(|s| {
        let (lo, hi) = limits::MEMORY_BYTES;
        match values::size_bytes(s) {
            Ok(b) if (lo..=hi).contains(&b) => Some(b),
            Ok(_) => {
                cx.err(
                    &p("max_memory"),
                    format!("max_memory `{s}` is out of range (allowed 16MiB..=1TiB)"),
                    "omit it for the default: the smaller of 4GiB and half the machine's RAM",
                );
                None
            }
            Err(b) => {
                cx.err(&p("max_memory"), b.message, b.hint.unwrap_or_default());
                None
            }
        }
    });
    let timeseries_interval = dur_in(
        cx,
        &p("timeseries_interval"),
        &r.timeseries_interval,
        d.timeseries_interval,
        (1, MAX_DURATION_NS),
        "1ns..=366d",
        "e.g. \"1s\"",
    );
    // API Gateway's account-level bucket, shared by every API (aws-facts 4).
    let api_account = Throttle {
        rate: in_range(
            cx,
            &p("api_rate_limit"),
            r.api_rate_limit.unwrap_or(d.api_account.rate),
            limits::MIN_RATE,
            limits::MAX_RATE,
            "API Gateway's account-level rate per Region in requests per second, shared by all APIs (AWS default 10000)",
        ),
        burst: in_range(
            cx,
            &p("api_burst"),
            r.api_burst.unwrap_or(d.api_account.burst),
            1.0,
            limits::MAX_RATE,
            "API Gateway's account-level bucket in requests (AWS default 5000, not adjustable)",
        ),
    };
    Simulation {
        name,
        duration,
        warmup,
        start,
        start_date,
        seed,
        account_concurrency,
        esm_max_concurrency,
        scaling,
        region,
        free_tier: r.free_tier.unwrap_or(d.free_tier),
        cost: d.cost,
        timeline: None,
        max_events,
        max_wall_s,
        max_memory_bytes,
        timeseries_interval,
        api_account,
    }
}

/// `start`: a time of day, as a string or a TOML local time \[ns after
/// midnight\]; 0 after reporting a problem.
fn clock(cx: &mut Cx<'_>, path: &crate::scenario::locate::FieldPath, v: &toml::Value) -> u64 {
    let text = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(dt) if dt.date.is_none() && dt.offset.is_none() => dt.to_string(),
        other => {
            cx.err(
                path,
                format!("start must be a time of day, not `{other}`"),
                "write the clock time of t = 0 as \"HH:MM\" or \"HH:MM:SS\", e.g. start = \"11:30\"",
            );
            return 0;
        }
    };
    values::clock_time(&text).unwrap_or_else(|b| {
        cx.err(path, b.message, b.hint.unwrap_or_default());
        0
    })
}

/// `start_date`: a date, as a string or a TOML local date \[days since
/// 1970-01-01\]; the default after reporting a problem.
fn date(cx: &mut Cx<'_>, path: &crate::scenario::locate::FieldPath, v: &toml::Value) -> i64 {
    let text = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        _ => String::new(),
    };
    values::calendar_date(&text).unwrap_or_else(|b| {
        cx.err(path, b.message, b.hint.unwrap_or_default());
        DEFAULT_START_DATE
    })
}

/// Validates `[cost]`.
pub fn cost(cx: &mut Cx<'_>, r: &RawCost) -> CostSettings {
    let d = CostSettings::default();
    let projection = choice(
        cx,
        &crate::fp!["cost", "projection"],
        &r.projection,
        &[("repeat", Projection::Repeat), ("once", Projection::Once)],
        d.projection,
    );
    CostSettings { projection }
}
