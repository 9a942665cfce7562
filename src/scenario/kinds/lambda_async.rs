//! A function's asynchronous-invocation settings: `destinations`,
//! `max_retry_attempts`, `max_event_age`, `async_dispatch`.

use super::{Given, RawLambda};
use crate::model::*;
use crate::scenario::context::Cx;
use crate::scenario::locate::FieldPath;
use crate::scenario::raw::Required;
use crate::scenario::validate::{dist, dur_in, int_in};

/// `destinations = { on_success = "...", on_failure = "..." }`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDestinations {
    pub on_success: Option<String>,
    pub on_failure: Option<String>,
}

impl Required for RawDestinations {
    const REQUIRED: &'static [&'static str] = &[];
}

/// Kinds a destination may name.
const DESTINATION_KINDS: &[&str] = &["lambda", "queue", "topic"];

/// Validates the asynchronous settings of `lambda[i]`.
pub fn async_invoke(cx: &mut Cx<'_>, i: usize, r: &RawLambda, given: &Given<'_>) -> AsyncInvoke {
    let p = |f: &str| crate::fp!["lambda", i, f];
    let d = AsyncInvoke::default();
    let max_retry_attempts = int_in(
        cx,
        &p("max_retry_attempts"),
        r.max_retry_attempts,
        d.max_retry_attempts.into(),
        (0, MAX_RETRY_ATTEMPTS.into()),
        "retries after a function error: 0, 1 or 2 (aws-facts 1.2)",
    ) as u32;
    let max_event_age = dur_in(
        cx,
        &p("max_event_age"),
        &r.max_event_age,
        d.max_event_age,
        (MIN_EVENT_AGE, MAX_EVENT_AGE),
        "60s..=6h",
        "AWS keeps an asynchronous event for 60 s to 6 h (aws-facts 1.2)",
    );
    let dispatch = dist(cx, &p("async_dispatch"), &r.async_dispatch, d.dispatch);
    let (mut on_success, mut on_failure) = (None, None);
    if let Some(dst) = &r.destinations {
        let dp = p("destinations");
        on_success = destination(cx, &dp, "on_success", &dst.on_success, given);
        on_failure = destination(cx, &dp, "on_failure", &dst.on_failure, given);
    }
    AsyncInvoke {
        max_retry_attempts,
        max_event_age,
        on_success,
        on_failure,
        dispatch,
    }
}

fn destination(
    cx: &mut Cx<'_>,
    dp: &FieldPath,
    which: &str,
    name: &Option<String>,
    given: &Given<'_>,
) -> Option<Destination> {
    let name = name.as_deref()?;
    let path = dp.join(which);
    let (kind, idx) = cx.resolve(&path, name, DESTINATION_KINDS, "a destination")?;
    match kind {
        "queue" => {
            // A FIFO queue is no destination (Lambda developer guide,
            // "invocation-async-retain-records").
            crate::scenario::kinds::topic::standard_queue(
                cx,
                &path,
                name,
                idx,
                given,
                "be a destination",
            );
            Some(Destination::Queue(idx))
        }
        "topic" => Some(Destination::Topic(idx)),
        _ => Some(Destination::Lambda(idx)),
    }
}
