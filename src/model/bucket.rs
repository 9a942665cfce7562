//! `[[bucket]]`: an Amazon S3 bucket, its operations' latencies, object
//! sizes, stored size, the request-rate limits per partitioned prefix, and
//! its event notifications, with S3's defaults (aws-facts 10.7, 6; cited
//! where used; assumptions marked \[A\]).
//!
//! Must not know: TOML, how a run admits a request or delivers an event.

use crate::dist::keys::Keys;
use crate::dist::Dist;
use crate::engine::SECONDS;

use super::{Destination, SdkRetry};

/// An S3 operation as a request makes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum BucketOp {
    /// GetObject (and HEAD): counts against the GET/HEAD rate.
    Get,
    /// PutObject (and COPY, POST): counts against the PUT rate.
    Put,
    /// ListObjectsV2: a GET request on the bucket; counts against the
    /// GET/HEAD rate \[A\], billed as a LIST.
    List,
    /// DeleteObject: counts against the PUT/COPY/POST/DELETE rate; free.
    Delete,
}

impl BucketOp {
    /// Every operation, in index order.
    pub const ALL: [BucketOp; 4] = [
        BucketOp::Get,
        BucketOp::Put,
        BucketOp::List,
        BucketOp::Delete,
    ];
    /// Names in scenario files, in index order.
    pub const NAMES: [(&'static str, BucketOp); 4] = [
        ("get", BucketOp::Get),
        ("put", BucketOp::Put),
        ("list", BucketOp::List),
        ("delete", BucketOp::Delete),
    ];

    /// Its name in scenario files and figures.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize].0
    }

    /// Its index (0..4).
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }

    /// The operation of index `i` (0..4; anything else is a delete).
    pub fn from_index(i: usize) -> Self {
        Self::ALL[i.min(3)]
    }

    /// Whether it counts against the PUT/COPY/POST/DELETE rate (else the
    /// GET/HEAD rate).
    #[inline]
    pub fn is_write(self) -> bool {
        matches!(self, BucketOp::Put | BucketOp::Delete)
    }

    /// Whether the object's bytes travel (in for a put, out for a get).
    #[inline]
    pub fn moves_object(self) -> bool {
        matches!(self, BucketOp::Get | BucketOp::Put)
    }
}

/// What a notification rule fires on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BucketEvent {
    /// `s3:ObjectCreated:*` (a served put).
    Put,
    /// `s3:ObjectRemoved:*` (a served delete).
    Delete,
}

impl BucketEvent {
    /// Names in scenario files.
    pub const NAMES: [(&'static str, BucketEvent); 2] =
        [("put", BucketEvent::Put), ("delete", BucketEvent::Delete)];

    /// Whether a served `op` fires it.
    #[inline]
    pub fn fired_by(self, op: BucketOp) -> bool {
        matches!(
            (self, op),
            (BucketEvent::Put, BucketOp::Put) | (BucketEvent::Delete, BucketOp::Delete)
        )
    }

    /// Its name in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            BucketEvent::Put => "put",
            BucketEvent::Delete => "delete",
        }
    }
}

/// One event notification rule of a bucket.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Notify {
    /// The event.
    pub on: BucketEvent,
    /// Where notifications go: a function (invoked asynchronously), a
    /// standard queue (sent) or a topic (published).
    pub target: Destination,
    /// Share of the events whose key the rule's prefix/suffix filter
    /// passes (1: no filter) \[A\]: drawn independently per event.
    pub filter: f64,
    /// Probability that a notification is lost (the destination is
    /// unreachable: a missing permission) \[A\]; default 0.
    pub delivery_failure: f64,
}

impl Notify {
    /// A rule with no filter and no failures.
    pub fn new(on: BucketEvent, target: Destination) -> Self {
        Self {
            on,
            target,
            filter: 1.0,
            delivery_failure: 0.0,
        }
    }
}

/// `[[bucket]]`.
#[derive(Clone, Debug)]
pub struct Bucket {
    /// Unique name.
    pub name: String,
    /// Latency of a request (first byte for a get) by operation, in
    /// [`BucketOp`] index order \[s\].
    pub latency: [Dist; 4],
    /// Object size of a get or put whose step gives no `size_kb` \[KB\].
    pub object_kb: Dist,
    /// Data stored, billed as storage for the whole month \[GB\]; 0: none.
    pub size_gb: f64,
    /// Which partitioned prefix a request whose step gives no
    /// `prefixes` uses (rank k = prefix k).
    pub prefixes: Keys,
    /// Event notification rules, in file order.
    pub notify: Vec<Notify>,
    /// Delay from the event to the notification reaching its destination
    /// \[s\].
    pub notify_delay: Dist,
}

/// Requests per second per partitioned prefix for PUT/COPY/POST/DELETE
/// (aws-facts 10.7, "Request rate": at least 3,500).
pub const PUT_RATE: u32 = 3_500;
/// Requests per second per partitioned prefix for GET/HEAD (aws-facts
/// 10.7: at least 5,500).
pub const GET_RATE: u32 = 5_500;
/// Size of an event notification message \[KB\] (a queue bills it, a topic
/// publishes it): 1 KB \[A\] (an S3 event record is JSON of about 1 KB).
pub const EVENT_KB: f64 = 1.0;

impl Bucket {
    /// Default GET latency: lognormal, median 20 ms, p99 150 ms \[A\]. AWS
    /// publishes no latency distribution for S3; its performance
    /// whitepaper says that for small requests (< 512 KB) "median latencies
    /// are often in the range of tens of milliseconds" and advises
    /// retrying a small GET or PUT after 2 s (\[NF\]
    /// <https://docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/timeouts-and-retries-for-latency-sensitive-applications.html>).
    pub fn default_get_latency() -> Dist {
        Dist::lognormal_median_p99(0.020, 0.150)
    }

    /// Default PUT latency: lognormal, median 30 ms, p99 200 ms \[A\] (same
    /// source as the GET's; a write is taken to be a little slower).
    pub fn default_put_latency() -> Dist {
        Dist::lognormal_median_p99(0.030, 0.200)
    }

    /// Default LIST latency: lognormal, median 40 ms, p99 250 ms \[A\] (a
    /// listing returns up to 1,000 keys).
    pub fn default_list_latency() -> Dist {
        Dist::lognormal_median_p99(0.040, 0.250)
    }

    /// Default DELETE latency: the PUT's \[A\].
    pub fn default_delete_latency() -> Dist {
        Self::default_put_latency()
    }

    /// The defaults in [`BucketOp`] index order.
    pub fn default_latencies() -> [Dist; 4] {
        [
            Self::default_get_latency(),
            Self::default_put_latency(),
            Self::default_list_latency(),
            Self::default_delete_latency(),
        ]
    }

    /// Default object size: 100 KB, constant \[A\] (a web asset or a
    /// small photo; give `object_kb` for real objects).
    pub fn default_object_kb() -> Dist {
        Dist::constant(100.0)
    }

    /// Default prefixes: one \[A\]. AWS guarantees its rates per
    /// *partitioned* prefix and partitions a bucket only gradually as
    /// load grows (aws-facts 10.7), so a bucket whose keys are not laid out
    /// over prefixes, or a fast ramp, sees the one-prefix limits; the
    /// default makes the limit visible rather than hiding it (say
    /// `prefixes = "uniform(n=...)"` for keys spread over prefixes).
    pub fn default_prefixes() -> Keys {
        Keys::Uniform { n: 1 }
    }

    /// Default notification delay: lognormal, median 1 s, p99 60 s \[A\].
    /// S3 publishes no distribution: notifications are "typically
    /// delivered in seconds but can sometimes take a minute or longer"
    /// (aws-facts 6, "S3 → Lambda").
    pub fn default_notify_delay() -> Dist {
        Dist::lognormal_median_p99(1.0, 60.0)
    }

    /// A bucket with these notification rules and every other setting at
    /// its default.
    pub fn new(name: &str, notify: Vec<Notify>) -> Self {
        Self {
            name: name.into(),
            latency: Self::default_latencies(),
            object_kb: Self::default_object_kb(),
            size_gb: 0.0,
            prefixes: Self::default_prefixes(),
            notify,
            notify_delay: Self::default_notify_delay(),
        }
    }

    /// Number of prefixes a request to this bucket may use: the most over
    /// its own model and `more` (the call steps' models).
    pub fn prefix_count<'a>(&'a self, more: impl Iterator<Item = &'a Keys>) -> u64 {
        std::iter::once(&self.prefixes)
            .chain(more)
            .map(|k| match k {
                Keys::Many => 1,
                Keys::Uniform { n } | Keys::Zipf { n, .. } => *n,
            })
            .max()
            .unwrap_or(1)
    }
}

/// The AWS SDK's retries of S3 calls from a function: standard mode with
/// the 2026 defaults for every service but DynamoDB: 3 attempts, a 50 ms
/// base after transient errors and 1 s after throttling errors (a 503 Slow
/// Down is one: \[NF\] the SDKs list `SlowDown` among their throttling
/// error codes, e.g. aws-sdk-js-v3 `service-error-classification`
/// `THROTTLING_ERROR_CODES`), 20 s cap, the 2026 retry quota (aws-facts 5.4, "SDK (all,
/// standard mode)" and "SDK (2026 update)").
pub fn s3_sdk_retry() -> SdkRetry {
    SdkRetry::other_services()
}

/// Seconds in a window of the per-prefix rates \[ns\].
pub const RATE_WINDOW: u64 = SECONDS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_and_events_round_trip() {
        for (i, (name, op)) in BucketOp::NAMES.iter().enumerate() {
            assert_eq!(op.name(), *name);
            assert_eq!(op.index(), i);
            assert_eq!(BucketOp::from_index(i), *op);
        }
        assert!(BucketOp::Put.is_write() && BucketOp::Delete.is_write());
        assert!(!BucketOp::Get.is_write() && !BucketOp::List.is_write());
        assert!(BucketEvent::Put.fired_by(BucketOp::Put));
        assert!(!BucketEvent::Put.fired_by(BucketOp::Delete));
        assert!(BucketEvent::Delete.fired_by(BucketOp::Delete));
    }

    #[test]
    fn s3_retries_are_the_general_default() {
        let p = s3_sdk_retry();
        assert_eq!(p.max_attempts, 3);
        assert_eq!(p.base, 50 * crate::engine::MILLIS);
        assert_eq!(p.throttle_base, SECONDS);
        assert_eq!(p.quota.map(|q| q.throttle_cost), Some(5));
    }

    #[test]
    fn the_prefix_count_is_the_largest_model() {
        let b = Bucket::new("b", vec![]);
        assert_eq!(b.prefix_count(std::iter::empty()), 1);
        let k = [Keys::Uniform { n: 4 }, Keys::zipf(10, 1.0).unwrap()];
        assert_eq!(b.prefix_count(k.iter()), 10);
    }
}
