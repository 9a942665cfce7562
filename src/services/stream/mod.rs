//! Kinesis Data Streams (`[[stream]]`) and DynamoDB Streams (a table's
//! `stream = true`), with the Lambda event source mapping that reads them.
//!
//! A stream is shards; a shard is split into *lanes*, one per unit of the
//! mapping's parallelization factor (a record's lane is fixed by its
//! partition key, so order holds per key, and per shard with factor 1).
//! Each lane is a FIFO of records with at most one batch in flight: the
//! batch is the lane's front `inflight` records, which stay in the lane
//! until the batch succeeds or is discarded, so a failing batch blocks
//! its lane. Kinesis shards admit at most 1,000 records and 1 MB per
//! second each (aws-facts 6); a PutRecords call over the limit is
//! throttled and retried by the caller's SDK client (one per (function,
//! stream), as for tables). The model and its assumptions:
//! `docs/model.md`, "Streams".
//!
//! This file owns a stream's state and decisions (shards, lanes, the write
//! windows, counters); `flow.rs` the events; `stats.rs` the figures, text
//! rows and findings; `cost.rs` the bill. Must not know: TOML, files.

pub mod cost;
mod flow;
mod put;
mod stats;

pub use flow::clients;
pub use put::{put, table_write};
pub use stats::StreamStats;

use std::collections::VecDeque;

use crate::dist::keys::Keys;
use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime, SECONDS};
use crate::metrics::SeriesId;
use crate::model::stream::{self as m, OnFailure, StreamMode, StreamTrigger};
use crate::services::registry::index_by;
use crate::services::sdk_retry::SdkClients;

/// One record in a shard.
#[derive(Clone, Copy, Debug)]
pub struct Record {
    /// When the stream accepted it \[ns\].
    pub born: SimTime,
    /// Hash of its partition key.
    pub key: u32,
    /// Size \[KB\].
    pub kb: f32,
    /// Accepted in the measured window (its end is counted).
    pub measured: bool,
}

/// One lane of a shard: records in order, the front `inflight` of them in
/// the batch in progress.
#[derive(Debug, Default)]
pub struct Lane {
    /// Records not yet processed or discarded, oldest first.
    pub buf: VecDeque<Record>,
    /// Records of the batch in progress (0: none).
    pub inflight: u32,
    /// Since when the lane's batch has been failing \[ns\].
    pub blocked_since: Option<SimTime>,
    /// Arrival of the last record the lane processed \[ns\] (the order
    /// check).
    pub last_done: SimTime,
}

/// A shard's write window: what it accepted in the current second.
#[derive(Clone, Copy, Debug, Default)]
struct Window {
    second: u64,
    records: u32,
    kb: f64,
}

/// The event source mapping reading a stream.
#[derive(Clone, Debug)]
pub struct Mapping {
    /// The function invoked (`[[lambda]]` index).
    pub func: usize,
    /// Most records per batch.
    pub batch_size: u32,
    /// Batching window \[ns\].
    pub window: SimDuration,
    /// Lanes per shard.
    pub factor: u32,
    /// Split a failing batch in two.
    pub bisect: bool,
    /// Retries of a failing batch; `None`: until its records expire.
    pub max_retries: Option<u32>,
    /// Oldest a record may be when it is sent \[ns\] (at most the
    /// retention).
    pub max_age: SimDuration,
    /// Where discarded batches go.
    pub on_failure: Option<OnFailure>,
}

impl Mapping {
    /// The mapping of `t` invoking `func`, on a stream keeping records
    /// `retention` long.
    pub fn new(t: &StreamTrigger, func: usize, retention: SimDuration) -> Self {
        Self {
            func,
            batch_size: t.batch_size.max(1),
            window: t.batch_window,
            factor: t.parallelization_factor.clamp(1, 10),
            bisect: t.bisect_on_error,
            max_retries: t.max_retry_attempts,
            max_age: t.max_record_age.unwrap_or(retention).min(retention),
            on_failure: t.on_failure,
        }
    }
}

/// Counters of one stream, over the records and calls of the measured
/// window.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    /// PutRecords calls made by functions.
    pub puts: u64,
    /// Of those, accepted.
    pub puts_ok: u64,
    /// Of those, failed: the SDK gave up after a throttled attempt.
    pub puts_failed: u64,
    /// Attempts throttled by a shard's write limit
    /// (ProvisionedThroughputExceededException).
    pub throttled: u64,
    /// Throttled attempts the SDK retried.
    pub put_retries: u64,
    /// Records accepted into the stream.
    pub records_in: u64,
    /// PUT payload units (25 KB each, per record; aws-facts 6).
    pub put_units: u64,
    /// Bytes accepted \[KB\].
    pub kb_in: f64,
    /// Records in a batch the function processed.
    pub processed: u64,
    /// Records discarded after the retries ran out.
    pub failed: u64,
    /// Records discarded past the maximum record age or the retention.
    pub expired: u64,
    /// Of the discarded records, sent to the on-failure destination.
    pub to_destination: u64,
    /// Messages or publishes sent to the on-failure destination (one per
    /// discarded batch).
    pub destination_messages: u64,
    /// Batches handed to the function (retries included).
    pub batches: u64,
    /// Records in those batches.
    pub batch_records: u64,
    /// Batches that ended in a function error or timeout.
    pub failed_batches: u64,
    /// Batches the function's concurrency throttled.
    pub throttled_batches: u64,
    /// Retries of a batch.
    pub retries: u64,
    /// Batches split in two (bisect on error).
    pub splits: u64,
    /// Largest iterator age seen \[ns\].
    pub iterator_age_max: SimDuration,
    /// Lane time spent blocked by a failing batch \[ns\].
    pub blocked: SimDuration,
    /// Processed batches whose first record arrived before the lane's
    /// last processed one (a check: always 0).
    pub out_of_order: u64,
}

/// Time-series handles of a stream.
#[derive(Clone, Copy, Debug)]
pub struct StreamSeries {
    /// Records accepted per second.
    pub records_in: SeriesId,
    /// Records processed per second.
    pub processed: SeriesId,
    /// Largest iterator age in the interval \[ms\].
    pub iterator_age: SeriesId,
    /// Throttled PutRecords attempts per interval.
    pub throttled: SeriesId,
    /// Records discarded (failed or expired) per interval.
    pub discarded: SeriesId,
}

/// One stream: a Kinesis data stream or a table's DynamoDB stream.
pub struct KStream {
    /// Its name (the table's for a DynamoDB stream).
    pub name: String,
    /// Kinesis (`true`) or DynamoDB Streams.
    pub kinesis: bool,
    /// Kinesis capacity mode.
    pub mode: StreamMode,
    /// Shards.
    pub shards: u32,
    /// Records older than this are trimmed \[ns\].
    pub retention: SimDuration,
    put_latency: Dist,
    /// Between two polls of a shard \[ns\].
    pub poll: SimDuration,
    /// Lanes, `shards × factor`, shard-major.
    pub lanes: Vec<Lane>,
    windows: Vec<Window>,
    /// The mapping reading it, if a function has it as a trigger.
    pub mapping: Option<Mapping>,
    /// The name of the mapping's function.
    pub consumer: Option<String>,
    /// When the pending poll is due.
    pub poll_at: Option<SimTime>,
    /// The random stream (keys, latencies, SDK backoffs).
    pub rng: SimRng,
    /// Counters.
    pub counters: Counters,
    /// Measured calls in progress.
    pub pending: u64,
    /// Series.
    pub series: StreamSeries,
}

impl KStream {
    /// A Kinesis stream from the model.
    pub fn kinesis(s: &m::Stream, rng: SimRng, series: StreamSeries) -> Self {
        Self::new(&s.name, true, s.mode, s.shards, s.retention, rng, series)
            .with_latency(s.put_latency.clone())
    }

    /// A stream of `shards` shards with no mapping yet.
    pub fn new(
        name: &str,
        kinesis: bool,
        mode: StreamMode,
        shards: u32,
        retention: SimDuration,
        rng: SimRng,
        series: StreamSeries,
    ) -> Self {
        let shards = shards.max(1);
        Self {
            name: name.into(),
            kinesis,
            mode,
            shards,
            retention,
            put_latency: m::Stream::default_put_latency(),
            poll: if kinesis {
                m::KINESIS_POLL
            } else {
                m::DDB_POLL
            },
            lanes: (0..shards).map(|_| Lane::default()).collect(),
            windows: vec![Window::default(); if kinesis { shards as usize } else { 0 }],
            mapping: None,
            consumer: None,
            poll_at: None,
            rng,
            counters: Counters::default(),
            pending: 0,
            series,
        }
    }

    fn with_latency(mut self, d: Dist) -> Self {
        self.put_latency = d;
        self
    }

    /// Attaches the mapping (its factor splits each shard into lanes).
    pub fn attach(&mut self, map: Mapping) {
        let n = (self.shards * map.factor) as usize;
        self.lanes = (0..n).map(|_| Lane::default()).collect();
        self.mapping = Some(map);
    }

    /// Lanes per shard.
    pub fn factor(&self) -> u32 {
        self.mapping.as_ref().map_or(1, |m| m.factor)
    }

    /// The shard of partition key hash `key`: equal hash ranges.
    #[inline]
    pub fn shard_of(&self, key: u32) -> usize {
        ((u64::from(key) * u64::from(self.shards)) >> 32) as usize
    }

    /// The lane of partition key hash `key`.
    #[inline]
    pub fn lane_of(&self, key: u32) -> usize {
        let f = self.factor();
        self.shard_of(key) * f as usize + (key % f) as usize
    }

    /// Whether shard `shard`'s write window admits `records` records of
    /// `kb` KB each at `now` (and counts them): 1,000 records and 1 MB per
    /// second (aws-facts 6). DynamoDB streams admit everything.
    #[inline]
    pub fn admit(&mut self, now: SimTime, shard: usize, records: u32, kb: f32) -> bool {
        let Some(w) = self.windows.get_mut(shard) else {
            return true;
        };
        let second = now / SECONDS;
        if w.second != second {
            *w = Window {
                second,
                records: 0,
                kb: 0.0,
            };
        }
        let add_kb = f64::from(records) * f64::from(kb);
        if w.records + records > m::SHARD_RECORDS_PER_S || w.kb + add_kb > m::SHARD_KB_PER_S {
            return false;
        }
        w.records += records;
        w.kb += add_kb;
        true
    }

    /// Appends `n` records of key `key` to their lane at `now`; the lane.
    #[inline]
    pub fn append(&mut self, now: SimTime, key: u32, n: u32, kb: f32, measured: bool) -> usize {
        let l = self.lane_of(key);
        let retention = self.retention;
        let lane = &mut self.lanes[l];
        // Records past the retention leave first (lazily, here and when
        // polled).
        if lane.inflight == 0 {
            while lane
                .buf
                .front()
                .is_some_and(|r| now.saturating_sub(r.born) >= retention)
            {
                let r = lane.buf.pop_front().expect("front exists");
                if r.measured {
                    self.counters.expired += 1;
                }
            }
        }
        for _ in 0..n {
            lane.buf.push_back(Record {
                born: now,
                key,
                kb,
                measured,
            });
        }
        if measured {
            let c = &mut self.counters;
            c.records_in += u64::from(n);
            c.kb_in += f64::from(n) * f64::from(kb);
            c.put_units += u64::from(n) * (f64::from(kb) / 25.0).ceil().max(1.0) as u64;
        }
        l
    }

    /// One PutRecords call's duration \[ns\].
    #[inline]
    pub fn latency(&mut self) -> SimDuration {
        self.put_latency.sample_ns(&mut self.rng)
    }

    /// A partition key hash from `keys`.
    #[inline]
    pub fn key(&mut self, keys: &Keys) -> u32 {
        keys.sample(&mut self.rng)
    }

    /// Records held (for the memory guard).
    pub fn held(&self) -> u64 {
        self.lanes.iter().map(|l| l.buf.len() as u64).sum()
    }

    fn footprint(&self) -> usize {
        std::mem::size_of::<Self>()
            + self
                .lanes
                .iter()
                .map(|l| {
                    std::mem::size_of::<Lane>() + l.buf.capacity() * std::mem::size_of::<Record>()
                })
                .sum::<usize>()
    }
}

/// A PutRecords step, prepared: which stream, how many records of which
/// size and keys, and the caller's SDK client.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StreamPut {
    /// Stream index (Kinesis streams come first in [`Streams::list`]).
    pub stream: u16,
    /// Records per call.
    pub records: u16,
    /// Size of one record \[KB\].
    pub kb: f32,
    /// Partition keys.
    pub keys: Keys,
    /// The SDK client's slot in [`Streams::sdk`] (fixed at build time).
    pub slot: u32,
}

/// Where a PutRecords call is (its frame's next step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PutPhase {
    /// Wait for the SDK's send token (adaptive mode), then send.
    Send,
    /// The send token has come: send now.
    SendNow,
    /// Accepted: answer the caller when the response arrives.
    Served,
    /// Throttled and the SDK retries: back off when the error arrives.
    Retry,
    /// Throttled and the SDK gives up.
    GiveUp,
}

/// A PutRecords call in progress (its frame).
#[derive(Clone, Copy, Debug)]
pub struct PutCall {
    /// Stream index.
    pub stream: u16,
    /// Records.
    pub records: u16,
    /// Next step.
    pub phase: PutPhase,
    /// Attempts made before the current one.
    pub attempt: u8,
    /// Quota tokens the SDK's last retry took.
    pub cost: u16,
    /// Size of one record \[KB\].
    pub kb: f32,
    /// Partition key hash (drawn once per call).
    pub key: u32,
    /// The SDK client's slot.
    pub slot: u32,
    /// Made in the measured window.
    pub measured: bool,
}

/// A batch in progress (its frame): the front `n` records of its lane.
#[derive(Clone, Copy, Debug)]
pub struct StreamBatch {
    /// Stream index.
    pub stream: u16,
    /// Lane index.
    pub lane: u32,
    /// Records in the batch.
    pub n: u32,
    /// Failed attempts so far.
    pub attempt: u32,
    /// Waiting for its retry (else the function has it).
    pub waiting: bool,
}

/// Every stream, and the SDK clients that write to them.
pub struct Streams {
    /// Kinesis streams in model order, then the tables' DynamoDB streams.
    pub list: Vec<KStream>,
    /// Per table, its stream's index in `list` (`u32::MAX`: none).
    pub by_table: Vec<u32>,
    /// One SDK client per (function, Kinesis stream) pair ([`clients`]).
    pub sdk: SdkClients,
}

index_by!(Streams, list, KStream);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::SeriesRecorder;

    fn stream(shards: u32) -> KStream {
        let mut rec = SeriesRecorder::new(10 * SECONDS, SECONDS, 5);
        let mut id =
            |m: &str| rec.register("s", m, "count", crate::metrics::series::Combine::Sum, 1.0);
        let series = StreamSeries {
            records_in: id("a"),
            processed: id("b"),
            iterator_age: id("c"),
            throttled: id("d"),
            discarded: id("e"),
        };
        let m = m::Stream::new("s", shards);
        KStream::kinesis(&m, crate::engine::stream(1, "s", "t"), series)
    }

    #[test]
    fn a_shard_admits_1000_records_or_1_mb_a_second() {
        let mut s = stream(1);
        assert!(s.admit(0, 0, 500, 1.0));
        assert!(s.admit(SECONDS - 1, 0, 500, 1.0));
        assert!(!s.admit(SECONDS - 1, 0, 1, 1.0), "the 1,001st record");
        assert!(s.admit(SECONDS, 0, 1000, 1.0), "a new second");
        // 1 MB: 4 records of 256 KB, not 5.
        assert!(s.admit(2 * SECONDS, 0, 4, 256.0));
        assert!(!s.admit(2 * SECONDS, 0, 1, 1.0));
    }

    #[test]
    fn keys_spread_over_shards_and_lanes_and_stay_put() {
        let mut s = stream(4);
        let t = StreamTrigger {
            parallelization_factor: 3,
            ..StreamTrigger::new(m::StreamSource::Kinesis(0))
        };
        s.attach(Mapping::new(&t, 0, s.retention));
        assert_eq!(s.lanes.len(), 12);
        let mut seen = [0u32; 12];
        for k in 0..12_000u32 {
            let key = crate::dist::keys::key_hash(u64::from(k));
            let l = s.lane_of(key);
            assert_eq!(l / 3, s.shard_of(key));
            assert_eq!(l, s.lane_of(key));
            seen[l] += 1;
        }
        // About 1,000 each (binomial sd ~30).
        assert!(seen.iter().all(|&n| (800..1200).contains(&n)), "{seen:?}");
    }

    #[test]
    fn appends_keep_order_and_trim_past_the_retention() {
        let mut s = stream(1);
        s.append(0, 7, 2, 1.0, true);
        s.append(SECONDS, 7, 1, 1.0, true);
        let born: Vec<u64> = s.lanes[0].buf.iter().map(|r| r.born).collect();
        assert_eq!(born, [0, 0, SECONDS]);
        // A day later the first three are trimmed by the next append.
        s.append(s.retention + SECONDS, 7, 1, 1.0, true);
        assert_eq!(s.lanes[0].buf.len(), 1);
        assert_eq!(s.counters.expired, 3);
        assert_eq!(s.counters.records_in, 4);
        assert_eq!(s.counters.put_units, 4);
    }
}
