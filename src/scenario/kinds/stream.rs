//! `[[stream]]` (Kinesis Data Streams), a function's PutRecords step
//! (`{ call = "<stream>", records, size_kb, keys }`) and a function's
//! `triggers` entries whose source is a stream or a table with
//! `stream = true`: their validation into [`Stream`], [`PutRecords`] and
//! [`StreamTrigger`]. Every bound cites its source (`model::stream`).
//!
//! Must not know: how records move.

use super::{Given, Kind};
use crate::dist::keys::Keys;
use crate::model::limits::secs;
use crate::model::stream::{self as s, OnFailure, PutRecords, StreamMode, StreamSource};
use crate::model::{Stream, StreamTrigger};
use crate::scenario::context::Cx;
use crate::scenario::locate::FieldPath;
use crate::scenario::raw::Required;
use crate::scenario::validate::{choice, dist, dur_in, in_range, int_in};

/// `[[stream]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStream {
    pub name: String,
    pub mode: Option<String>,
    pub shards: Option<i64>,
    pub retention: Option<String>,
    pub put_latency: Option<String>,
}

impl Required for RawStream {
    const REQUIRED: &'static [&'static str] = &["name"];
}

impl Kind for RawStream {
    type Model = Stream;

    fn validate(&self, cx: &mut Cx<'_>, i: usize, _given: &Given<'_>) -> Option<Stream> {
        let p = crate::fp!["stream", i];
        let before = cx.problems.len();
        let modes = [
            ("provisioned", StreamMode::Provisioned),
            ("on-demand", StreamMode::OnDemand),
        ];
        let mode = choice(
            cx,
            &p.join("mode"),
            &self.mode,
            &modes,
            StreamMode::Provisioned,
        );
        if mode == StreamMode::OnDemand && self.shards.is_some() {
            cx.err(
                &p.join("shards"),
                "an on-demand stream has no shard count to set",
                "remove `shards` (on demand, AWS manages the shards; slsim starts with 4), or use mode = \"provisioned\"",
            );
        }
        let shards = match mode {
            StreamMode::OnDemand => s::ON_DEMAND_SHARDS,
            StreamMode::Provisioned => int_in(
                cx,
                &p.join("shards"),
                self.shards,
                s::DEFAULT_SHARDS.into(),
                (1, s::MAX_SHARDS.into()),
                "shards of a provisioned stream: 1 to 20000 (the us-east-1 shard quota, aws-facts 6)",
            ) as u32,
        };
        let retention = dur_in(
            cx,
            &p.join("retention"),
            &self.retention,
            s::DEFAULT_RETENTION,
            (secs(24 * 3600), secs(s::MAX_RETENTION_S)),
            "24h..=365d",
            "a Kinesis stream keeps records 24 hours to 365 days (aws-facts 6)",
        );
        let put_latency = dist(
            cx,
            &p.join("put_latency"),
            &self.put_latency,
            Stream::default_put_latency(),
        );
        (cx.problems.len() == before).then(|| Stream {
            name: self.name.clone(),
            mode,
            shards,
            retention,
            put_latency,
        })
    }

    /// One mapping per stream: a second function reading the same stream
    /// is not supported yet (each would need its own iterator).
    fn check_all(cx: &mut Cx<'_>, _all: &[Option<Self>], given: &Given<'_>) {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for (i, l) in given.raws.lambdas.iter().enumerate() {
            let Some(l) = l else { continue };
            for (k, t) in l.triggers.iter().enumerate() {
                if !is_stream_source(cx, &t.source) {
                    continue;
                }
                match seen.iter().find(|(src, _)| *src == t.source) {
                    Some((_, first)) => cx.err(
                        &crate::fp!["lambda", i, "triggers", k, "source"],
                        format!(
                            "`{}` is already read by function `{first}`: slsim supports one function per stream",
                            t.source
                        ),
                        "read the stream with one function, or give each consumer its own stream",
                    ),
                    None => seen.push((&t.source, &l.name)),
                }
            }
        }
    }
}

/// A PutRecords step to stream `idx` (its `records`, `size_kb` and `keys`
/// at `p`).
pub fn put_step(
    cx: &mut Cx<'_>,
    p: &FieldPath,
    idx: usize,
    records: Option<i64>,
    size_kb: Option<f64>,
    keys: &Option<String>,
) -> Option<crate::model::Step> {
    let before = cx.problems.len();
    let records = int_in(
        cx,
        &p.join("records"),
        records,
        1,
        (1, s::MAX_PUT_RECORDS.into()),
        "records per PutRecords call: 1 to 500",
    ) as u32;
    let size_kb = size_kb.unwrap_or(1.0);
    in_range(
        cx,
        &p.join("size_kb"),
        size_kb,
        f64::MIN_POSITIVE,
        s::MAX_RECORD_KB,
        "record size in KB: > 0 and <= 1024 (a Kinesis record is at most 1 MB, aws-facts 6)",
    );
    let keys = match keys {
        None => Keys::Many,
        Some(k) => match crate::scenario::values::keys(k) {
            Ok(k) => k,
            Err(b) => {
                cx.err(&p.join("keys"), b.message, b.hint.unwrap_or_default());
                Keys::Many
            }
        },
    };
    (cx.problems.len() == before).then_some(crate::model::Step::PutRecords(PutRecords {
        stream: idx,
        records,
        size_kb,
        keys,
    }))
}

/// Whether a `triggers` entry's `source` names a stream or a table (then
/// it is a stream trigger, validated here; else a queue trigger).
pub fn is_stream_source(cx: &Cx<'_>, source: &str) -> bool {
    cx.names
        .lookup(source)
        .is_some_and(|(_, n, count)| count == 1 && (n.kind == "stream" || n.kind == "table"))
}

/// Validates a lambda's stream `triggers` (at `path`, those whose source
/// is a stream or a table); `None` when one had a problem.
pub fn triggers(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    raws: &[super::queue::RawTrigger],
    given: &Given<'_>,
) -> Option<Vec<StreamTrigger>> {
    let before = cx.problems.len();
    let out: Vec<StreamTrigger> = raws
        .iter()
        .enumerate()
        .filter(|(_, t)| is_stream_source(&*cx, &t.source))
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(|(k, t)| trigger(cx, &path.join(k), t, given))
        .collect();
    (cx.problems.len() == before).then_some(out)
}

fn trigger(
    cx: &mut Cx<'_>,
    p: &FieldPath,
    r: &super::queue::RawTrigger,
    given: &Given<'_>,
) -> Option<StreamTrigger> {
    let before = cx.problems.len();
    for (f, set) in [
        ("max_concurrency", r.max_concurrency.is_some()),
        ("min_concurrency", r.min_concurrency.is_some()),
        (
            "report_batch_item_failures",
            r.report_batch_item_failures.is_some(),
        ),
    ] {
        if set {
            cx.key_err(
                &p.join(f),
                format!("`{f}` applies to a queue's trigger, not a stream's"),
                "a stream's mapping reads each shard in order: use parallelization_factor (1..=10) for more concurrent batches per shard",
            );
        }
    }
    let (kind, idx) = cx.resolve(
        &p.join("source"),
        &r.source,
        &["stream", "table"],
        "a stream trigger source",
    )?;
    let source = if kind == "stream" {
        StreamSource::Kinesis(idx)
    } else {
        let has = given
            .raws
            .tables
            .get(idx)
            .and_then(|t| t.as_ref())
            .is_some_and(|t| t.stream == Some(true));
        if !has {
            cx.err(
                &p.join("source"),
                format!("table `{}` has no stream", r.source),
                format!(
                    "add stream = true to [[table]] `{}` (DynamoDB Streams)",
                    r.source
                ),
            );
            return None;
        }
        StreamSource::Table(idx)
    };
    let d = StreamTrigger::new(source);
    let batch_size = int_in(
        cx,
        &p.join("batch_size"),
        r.batch_size,
        d.batch_size.into(),
        (1, s::MAX_BATCH_SIZE.into()),
        "a stream's batches hold 1 to 10000 records (aws-facts 10.9)",
    ) as u32;
    let batch_window = dur_in(
        cx,
        &p.join("batch_window"),
        &r.batch_window,
        0,
        (0, secs(s::MAX_BATCH_WINDOW_S)),
        "0s..=300s",
        "the batching window is at most 5 minutes (aws-facts 10.9)",
    );
    let parallelization_factor = int_in(
        cx,
        &p.join("parallelization_factor"),
        r.parallelization_factor,
        1,
        s::PARALLELIZATION,
        "concurrent batches per shard: 1 to 10 (aws-facts 5.6)",
    ) as u32;
    let positions = [("trim-horizon", true), ("latest", false)];
    let trim_horizon = choice(
        cx,
        &p.join("starting_position"),
        &r.starting_position,
        &positions,
        true,
    );
    let max_retry_attempts = match r.max_retry_attempts {
        None | Some(-1) => None,
        Some(v) => Some(int_in(
            cx,
            &p.join("max_retry_attempts"),
            Some(v),
            0,
            (0, s::MAX_RETRY_ATTEMPTS),
            "-1 (retry until the records expire, the default) or 0 to 10000 (aws-facts 10.9)",
        ) as u32),
    };
    let max_record_age = r.max_record_age.as_ref().map(|_| {
        dur_in(
            cx,
            &p.join("max_record_age"),
            &r.max_record_age,
            0,
            (secs(s::RECORD_AGE_S.0), secs(s::RECORD_AGE_S.1)),
            "60s..=604800s",
            "60 s to 7 days (aws-facts 10.9); omit it to keep records until the stream's retention",
        )
    });
    let on_failure = r.on_failure.as_deref().and_then(|name| {
        match cx.resolve(
            &p.join("on_failure"),
            name,
            &["queue", "topic"],
            "an on-failure destination",
        )? {
            ("queue", q) => Some(OnFailure::Queue(q)),
            (_, t) => Some(OnFailure::Topic(t)),
        }
    });
    (cx.problems.len() == before).then_some(StreamTrigger {
        source,
        batch_size,
        batch_window,
        parallelization_factor,
        trim_horizon,
        bisect_on_error: r.bisect_on_error.unwrap_or(false),
        max_retry_attempts,
        max_record_age,
        on_failure,
    })
}

/// The stream-only fields of a queue trigger, reported as problems.
pub fn queue_trigger_extras(cx: &mut Cx<'_>, p: &FieldPath, r: &super::queue::RawTrigger) {
    for (f, set) in [
        ("parallelization_factor", r.parallelization_factor.is_some()),
        ("starting_position", r.starting_position.is_some()),
        ("bisect_on_error", r.bisect_on_error.is_some()),
        ("max_retry_attempts", r.max_retry_attempts.is_some()),
        ("max_record_age", r.max_record_age.is_some()),
        ("on_failure", r.on_failure.is_some()),
    ] {
        if set {
            cx.key_err(
                &p.join(f),
                format!("`{f}` applies to a stream's trigger, not a queue's"),
                "a queue's failed messages go to its dead-letter queue: set max_receive_count and dead_letter on the [[queue]]",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::assert_required;

    #[test]
    fn required_fields_are_required() {
        assert_required::<RawStream>();
    }
}
