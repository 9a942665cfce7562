//! `[[queue]]` (SQS) and a lambda's `triggers` (the event source mapping
//! polling a queue): their raw structs and their validation into [`Queue`]
//! and [`Trigger`] (type, visibility timeout, delay, retention, redrive,
//! latencies, FIFO groups; batch size and window, concurrency bounds,
//! partial batch failures). Every bound cites its quota (`model::queue`).
//!
//! Must not know: how messages move or mappings scale.

use super::{Given, Kind};
use crate::engine::SECONDS;
use crate::model::limits::secs;
use crate::model::queue::{self as q, QueueType, Redrive, Trigger};
use crate::model::Queue;
use crate::scenario::context::Cx;
use crate::scenario::locate::FieldPath;
use crate::scenario::raw::Required;
use crate::scenario::validate::{choice, dist, dur_in, int_in};

/// `[[queue]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueue {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub visibility_timeout: Option<String>,
    pub delay: Option<String>,
    pub retention: Option<String>,
    pub max_receive_count: Option<i64>,
    pub dead_letter: Option<String>,
    pub latency: Option<String>,
    pub send_latency: Option<String>,
    pub groups: Option<i64>,
}

/// One entry of a lambda's `triggers`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrigger {
    pub source: String,
    pub batch_size: Option<i64>,
    pub batch_window: Option<String>,
    pub max_concurrency: Option<i64>,
    pub min_concurrency: Option<i64>,
    pub report_batch_item_failures: Option<bool>,
    // Stream triggers only (`kinds/stream.rs`).
    pub parallelization_factor: Option<i64>,
    pub starting_position: Option<String>,
    pub bisect_on_error: Option<bool>,
    pub max_retry_attempts: Option<i64>,
    pub max_record_age: Option<String>,
    pub on_failure: Option<String>,
}

impl Required for RawQueue {
    const REQUIRED: &'static [&'static str] = &["name"];
}
impl Required for RawTrigger {
    const REQUIRED: &'static [&'static str] = &["source"];
}

const TYPES: [(&str, QueueType); 2] =
    [("standard", QueueType::Standard), ("fifo", QueueType::Fifo)];

impl RawQueue {
    /// The type as written (standard when absent or invalid: reported by
    /// the queue's own validation).
    fn queue_type(&self) -> QueueType {
        match self.kind.as_deref() {
            Some("fifo") => QueueType::Fifo,
            _ => QueueType::Standard,
        }
    }
}

impl Kind for RawQueue {
    type Model = Queue;

    fn validate(&self, cx: &mut Cx<'_>, i: usize, given: &Given<'_>) -> Option<Queue> {
        queue(cx, i, self, given)
    }
}

/// The type of queue `i` as written, if it parsed.
pub(super) fn type_of(given: &Given<'_>, i: usize) -> Option<QueueType> {
    given.raws.queues.get(i)?.as_ref().map(RawQueue::queue_type)
}

/// Validates one `[[queue]]`.
fn queue(cx: &mut Cx<'_>, i: usize, r: &RawQueue, given: &Given<'_>) -> Option<Queue> {
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["queue", i, f];
    let kind = choice(cx, &p("type"), &r.kind, &TYPES, QueueType::Standard);
    // aws-facts 2 "Visibility timeout": default 30 s, 0 to 12 h.
    let visibility_timeout = dur_in(
        cx,
        &p("visibility_timeout"),
        &r.visibility_timeout,
        q::DEFAULT_VISIBILITY_TIMEOUT,
        (0, secs(q::MAX_VISIBILITY_TIMEOUT_S)),
        "0s..=12h",
        "SQS visibility timeouts are 0 to 12 hours (aws-facts 2)",
    );
    let delay = dur_in(
        cx,
        &p("delay"),
        &r.delay,
        0,
        (0, secs(q::MAX_DELAY_S)),
        "0s..=15m",
        "SQS delays messages by at most 15 minutes (DelaySeconds 0..=900)",
    );
    // aws-facts 2 "Retention": default 4 days, 60 s to 14 days.
    let retention = dur_in(
        cx,
        &p("retention"),
        &r.retention,
        q::DEFAULT_RETENTION,
        (secs(q::RETENTION_S.0), secs(q::RETENTION_S.1)),
        "60s..=14d",
        "SQS keeps messages 60 seconds to 14 days (aws-facts 2)",
    );
    let redrive = redrive(cx, i, r, kind, given);
    let latency = dist(cx, &p("latency"), &r.latency, Queue::default_latency(kind));
    let send_latency = dist(
        cx,
        &p("send_latency"),
        &r.send_latency,
        Queue::default_send_latency(),
    );
    if r.groups.is_some() && kind != QueueType::Fifo {
        cx.key_err(
            &p("groups"),
            "`groups` only applies to FIFO queues",
            "remove it, or set type = \"fifo\"",
        );
    }
    let groups = int_in(
        cx,
        &p("groups"),
        r.groups,
        1,
        q::GROUPS,
        "message groups of a FIFO queue; each message joins one at random",
    ) as u32;
    if cx.problems.len() > before {
        return None;
    }
    Some(Queue {
        name: r.name.clone(),
        kind,
        visibility_timeout,
        delay,
        retention,
        redrive,
        latency,
        send_latency,
        groups,
    })
}

/// `max_receive_count` and `dead_letter`: both or neither (AWS's
/// RedrivePolicy needs both); the dead-letter queue is another queue of
/// the same type.
fn redrive(
    cx: &mut Cx<'_>,
    i: usize,
    r: &RawQueue,
    kind: QueueType,
    given: &Given<'_>,
) -> Option<Redrive> {
    let p = |f: &str| crate::fp!["queue", i, f];
    let (count, name) = match (r.max_receive_count, &r.dead_letter) {
        (None, None) => return None,
        (Some(c), Some(n)) => (c, n),
        (Some(_), None) => {
            cx.err(
                &p("max_receive_count"),
                "`max_receive_count` needs `dead_letter`",
                "add dead_letter = \"<queue>\" (where messages go after max_receive_count receives), or remove it",
            );
            return None;
        }
        (None, Some(_)) => {
            cx.err(
                &p("dead_letter"),
                "`dead_letter` needs `max_receive_count`",
                "add max_receive_count = 5 (receives before a message moves to the dead-letter queue)",
            );
            return None;
        }
    };
    // aws-facts 2 "maxReceiveCount": 1 to 1,000.
    let max_receive_count = int_in(
        cx,
        &p("max_receive_count"),
        Some(count),
        1,
        q::MAX_RECEIVE_COUNT,
        "receives before a message moves to the dead-letter queue; SQS allows 1 to 1000 (aws-facts 2)",
    ) as u32;
    let (_, dead_letter) =
        cx.resolve(&p("dead_letter"), name, &["queue"], "a dead-letter queue")?;
    if dead_letter == i {
        cx.err(
            &p("dead_letter"),
            "a queue cannot be its own dead-letter queue",
            "point it at another [[queue]]",
        );
        return None;
    }
    if type_of(given, dead_letter).is_some_and(|t| t != kind) {
        let (is, must) = match kind {
            QueueType::Fifo => ("a standard", "FIFO"),
            QueueType::Standard => ("a FIFO", "standard"),
        };
        cx.err(
            &p("dead_letter"),
            format!("`{name}` is {is} queue; the dead-letter queue of a {must} queue must be {must} too"),
            "SQS requires a FIFO queue's dead-letter queue to be FIFO, and a standard queue's standard",
        );
        return None;
    }
    Some(Redrive {
        max_receive_count,
        dead_letter,
    })
}

/// Validates a lambda's `triggers` (at `path`); `None` when one had a
/// problem.
pub fn triggers(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    raws: &[RawTrigger],
    given: &Given<'_>,
) -> Option<Vec<Trigger>> {
    let before = cx.problems.len();
    let out: Vec<Trigger> = raws
        .iter()
        .enumerate()
        .filter(|(_, t)| !super::stream::is_stream_source(&*cx, &t.source))
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(|(k, t)| {
            super::stream::queue_trigger_extras(cx, &path.join(k), t);
            trigger(cx, &path.join(k), t, given)
        })
        .collect();
    (cx.problems.len() == before).then_some(out)
}

/// One trigger: an event source mapping of a queue.
fn trigger(cx: &mut Cx<'_>, p: &FieldPath, r: &RawTrigger, given: &Given<'_>) -> Option<Trigger> {
    let before = cx.problems.len();
    if cx
        .names
        .lookup(&r.source)
        .is_some_and(|(_, n, count)| n.kind == "topic" && count == 1)
    {
        cx.err(
            &p.join("source"),
            format!(
                "`{}` is a topic: a topic pushes its messages to its subscribers, nothing polls it",
                r.source
            ),
            format!(
                "subscribe the function instead: in [[topic]] `{}`, add it to `subscribers`",
                r.source
            ),
        );
        return None;
    }
    let source = cx.resolve(
        &p.join("source"),
        &r.source,
        &["queue", "stream", "table"],
        "a trigger source",
    );
    let kind = source
        .and_then(|(_, k)| type_of(given, k))
        .unwrap_or(QueueType::Standard);
    let fifo = kind == QueueType::Fifo;
    // aws-facts 2 "Batch size": default 10; standard up to 10,000, FIFO 10.
    let max_batch = if fifo {
        q::MAX_BATCH_SIZE_FIFO
    } else {
        q::MAX_BATCH_SIZE_STANDARD
    };
    let batch_size = int_in(
        cx,
        &p.join("batch_size"),
        r.batch_size,
        q::DEFAULT_BATCH_SIZE.into(),
        (1, max_batch),
        if fifo {
            "a FIFO queue's batches hold 1 to 10 messages (aws-facts 2)"
        } else {
            "a standard queue's batches hold 1 to 10000 messages (aws-facts 2)"
        },
    ) as u32;
    // aws-facts 2 "Batching window": default 0, at most 300 s.
    let batch_window = dur_in(
        cx,
        &p.join("batch_window"),
        &r.batch_window,
        0,
        (0, secs(q::MAX_BATCH_WINDOW_S)),
        "0s..=300s",
        "the batching window is at most 5 minutes (aws-facts 2)",
    );
    if fifo && batch_window > 0 {
        cx.err(
            &p.join("batch_window"),
            "a FIFO queue's trigger takes no batching window",
            "remove batch_window (Lambda does not support it for FIFO queues)",
        );
    }
    if batch_size > 10 && batch_window < SECONDS && cx.problems.len() == before {
        cx.err(
            &p.join("batch_size"),
            format!("batch_size {batch_size} needs a batch_window of at least 1s"),
            "batches of more than 10 messages need batch_window >= \"1s\" (aws-facts 2)",
        );
    }
    // aws-facts 2 "MaximumConcurrency": 2 to 1,000.
    let max_concurrency = r.max_concurrency.map(|_| {
        int_in(
            cx,
            &p.join("max_concurrency"),
            r.max_concurrency,
            q::ESM_MAX_CONCURRENCY.into(),
            q::MAX_CONCURRENCY,
            "a mapping's maximum concurrency is 2 to 1000 (aws-facts 2); omit it for the mapping's own cap (simulation.esm_max_concurrency, default 1000)",
        ) as u32
    });
    let min_concurrency = int_in(
        cx,
        &p.join("min_concurrency"),
        r.min_concurrency,
        0,
        q::MIN_CONCURRENCY,
        "concurrent batches kept when traffic drops (0: none kept)",
    ) as u32;
    let mapping_cap = given.simulation.esm_max_concurrency;
    let cap = max_concurrency.unwrap_or(mapping_cap).min(mapping_cap);
    if min_concurrency > cap {
        cx.err(
            &p.join("min_concurrency"),
            format!(
                "min_concurrency {min_concurrency} is above the cap of {cap} concurrent batches"
            ),
            "make it <= max_concurrency",
        );
    }
    let (_, queue) = source?;
    (cx.problems.len() == before).then_some(Trigger {
        queue,
        batch_size,
        batch_window,
        max_concurrency,
        mapping_cap,
        min_concurrency,
        report_batch_item_failures: r.report_batch_item_failures.unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::assert_required;

    #[test]
    fn required_fields_are_required() {
        assert_required::<RawQueue>();
        assert_required::<RawTrigger>();
    }
}
