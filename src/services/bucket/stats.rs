//! A bucket's figures (requests by operation, 503s, retries, bytes, the
//! busiest prefixes, notifications per rule), its rows of the text summary
//! and its findings (a prefix that answered 503 Slow Down).
//!
//! Conservation (tested), over the requests that arrived in the measured
//! window: `requests = succeeded + failed + in_flight_end` and `slow_down
//! = retries + failed` (every 503 is retried or ends its request); per
//! notification rule, over the events of the measured window: `events =
//! filtered + sent` and `sent = delivered + failed + pending_end`.

use indexmap::IndexMap;
use serde::Serialize;

use super::S3Bucket;
use crate::metrics::text::{thousands, Table};
use crate::model::bucket::{GET_RATE, PUT_RATE};
use crate::model::Destination;
use crate::services::findings::{count, pct, Finding, FindingsCx};

/// Counts by operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OpCounts {
    /// GetObject.
    pub get: u64,
    /// PutObject.
    pub put: u64,
    /// ListObjectsV2.
    pub list: u64,
    /// DeleteObject.
    pub delete: u64,
}

impl OpCounts {
    fn from(a: &[u64; 4]) -> Self {
        Self {
            get: a[0],
            put: a[1],
            list: a[2],
            delete: a[3],
        }
    }

    /// The sum over operations.
    pub fn total(&self) -> u64 {
        self.get + self.put + self.list + self.delete
    }
}

/// One notification rule's figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RuleStats {
    /// `"put"` or `"delete"`.
    pub on: &'static str,
    /// The destination's name.
    pub target: String,
    /// `"lambda"`, `"queue"` or `"topic"`.
    pub kind: &'static str,
    /// Events of the rule's kind (served puts or deletes).
    pub events: u64,
    /// Events the rule's filter passed over.
    pub filtered: u64,
    /// Notifications sent.
    pub sent: u64,
    /// Notifications that reached the destination.
    pub delivered: u64,
    /// Notifications lost (`delivery_failure`).
    pub failed: u64,
    /// Notifications on their way at the end.
    pub pending_end: u64,
    /// Mean delay from the event to the destination \[ms\]; `None` when
    /// none was sent.
    pub mean_delay_ms: Option<f64>,
}

/// One of the busiest prefixes.
#[derive(Clone, Debug, Default, Serialize)]
pub struct HotPrefix {
    /// Its rank in the key model (1 = the most popular).
    pub prefix: u64,
    /// Its share of the bucket's attempts.
    pub share: f64,
    /// Attempts on it.
    pub attempts: u64,
    /// Of those, refused with 503 Slow Down.
    pub slow_down: u64,
    /// Its share of the bucket's refused attempts.
    pub slow_down_share: f64,
}

/// A bucket's figures, over the requests that arrived (and the events that
/// came) in the measured window.
#[derive(Clone, Debug, Default, Serialize)]
pub struct BucketStats {
    /// Requests (first attempts).
    pub requests: u64,
    /// Requests by operation.
    pub by_op: OpCounts,
    /// Requests that succeeded.
    pub succeeded: u64,
    /// Requests that ended in a 503 (the SDK gave up, or a workload's
    /// direct request).
    pub failed: u64,
    /// Requests in progress at the end.
    pub in_flight_end: u64,
    /// 503 Slow Down responses that reached the client (each retried or
    /// ending its request).
    pub slow_down: u64,
    /// SDK retries after a 503.
    pub retries: u64,
    /// Of `failed`: the SDK's retry quota was empty.
    pub quota_exhausted: u64,
    /// Attempts that waited for the adaptive mode's send token.
    pub rate_limited: u64,
    /// Served attempts by operation (the billed requests).
    pub billed: OpCounts,
    /// Object data written \[GB\].
    pub gb_in: f64,
    /// Object data read \[GB\].
    pub gb_out: f64,
    /// Of `gb_out`: to the internet (a workload's direct gets; billed as
    /// data transfer out) \[GB\].
    pub gb_out_internet: f64,
    /// Data stored (`size_gb`, billed for the month) \[GB\].
    pub size_gb: f64,
    /// Prefixes the requests were spread over (the largest key model).
    pub prefixes: u64,
    /// The busiest prefixes (at most 3), most 503s first.
    pub hot_prefixes: Vec<HotPrefix>,
    /// Notifications sent, all rules.
    pub notifications_sent: u64,
    /// Notifications that reached their destination, all rules.
    pub notifications_delivered: u64,
    /// Notifications lost, all rules.
    pub notifications_failed: u64,
    /// Notifications on their way at the end, all rules.
    pub notifications_pending_end: u64,
    /// Per notification rule, in file order.
    pub notify: Vec<RuleStats>,
}

const GB_PER_KB: f64 = 1e-6;

/// A bucket's figures.
pub fn collect(b: &S3Bucket) -> BucketStats {
    let k = &b.counters;
    let notify: Vec<RuleStats> = b
        .rules
        .iter()
        .map(|r| {
            let c = &r.counters;
            RuleStats {
                on: r.on.name(),
                target: r.target_name.clone(),
                kind: match r.target {
                    Destination::Lambda(_) => "lambda",
                    Destination::Queue(_) => "queue",
                    Destination::Topic(_) => "topic",
                },
                events: c.events,
                filtered: c.filtered,
                sent: c.sent,
                delivered: c.delivered,
                failed: c.failed,
                pending_end: r.pending,
                mean_delay_ms: (c.sent > 0).then(|| c.delay_s / c.sent as f64 * 1e3),
            }
        })
        .collect();
    let sum = |f: fn(&RuleStats) -> u64| notify.iter().map(f).sum::<u64>();
    let by_op = OpCounts::from(&k.requests);
    BucketStats {
        requests: by_op.total(),
        by_op,
        succeeded: k.succeeded,
        failed: k.failed,
        in_flight_end: k.in_flight,
        slow_down: k.slow_down,
        retries: k.retries,
        quota_exhausted: k.quota_exhausted,
        rate_limited: k.rate_limited,
        billed: OpCounts::from(&k.served),
        gb_in: k.kb_in * GB_PER_KB,
        gb_out: k.kb_out * GB_PER_KB,
        gb_out_internet: k.kb_out_internet * GB_PER_KB,
        size_gb: b.size_gb,
        prefixes: b.prefix_counts.len() as u64,
        hot_prefixes: hot_prefixes(&b.prefix_counts, 3),
        notifications_sent: sum(|r| r.sent),
        notifications_delivered: sum(|r| r.delivered),
        notifications_failed: sum(|r| r.failed),
        notifications_pending_end: sum(|r| r.pending_end),
        notify,
    }
}

/// The `top` busiest prefixes of `counts` ((attempts, 503s) per prefix):
/// most 503s first, then most attempts, then lowest rank.
fn hot_prefixes(counts: &[[u64; 2]], top: usize) -> Vec<HotPrefix> {
    let total: u64 = counts.iter().map(|c| c[0]).sum();
    let refused: u64 = counts.iter().map(|c| c[1]).sum();
    let mut v: Vec<(usize, [u64; 2])> = counts
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, c)| c[0] > 0)
        .collect();
    v.sort_by(|a, b| (b.1[1], b.1[0], a.0).cmp(&(a.1[1], a.1[0], b.0)));
    v.into_iter()
        .take(top)
        .map(|(i, c)| HotPrefix {
            prefix: i as u64 + 1,
            share: c[0] as f64 / total as f64,
            attempts: c[0],
            slow_down: c[1],
            slow_down_share: if refused > 0 {
                c[1] as f64 / refused as f64
            } else {
                0.0
            },
        })
        .collect()
}

/// One row per bucket.
pub fn text(stats: &IndexMap<String, BucketStats>, out: &mut String) {
    if stats.is_empty() {
        return;
    }
    let mut t = Table::new([
        "bucket",
        "requests",
        "get",
        "put",
        "list",
        "delete",
        "503s",
        "retries",
        "failed",
        "notified",
        "delivered",
    ]);
    for (name, s) in stats {
        t.row([
            name.clone(),
            thousands(s.requests),
            thousands(s.by_op.get),
            thousands(s.by_op.put),
            thousands(s.by_op.list),
            thousands(s.by_op.delete),
            thousands(s.slow_down),
            thousands(s.retries),
            thousands(s.failed),
            thousands(s.notifications_sent),
            thousands(s.notifications_delivered),
        ]);
    }
    t.render(out);
}

/// A bucket's findings: 503 Slow Down, with the prefix that took them and
/// its share of the requests.
pub fn findings(
    stats: &IndexMap<String, BucketStats>,
    cx: &FindingsCx<'_>,
    out: &mut Vec<Finding>,
) {
    for (name, s) in stats {
        if s.slow_down == 0 {
            continue;
        }
        let attempts = s.billed.total() + s.slow_down;
        let when = cx.during(name, "slow_down");
        let prefix = s.hot_prefixes.first().map_or(String::new(), |p| {
            format!(
                "; prefix {} of {} took {} of the attempts and {} of the 503s",
                p.prefix,
                s.prefixes,
                pct(p.share, 1.0),
                pct(p.slow_down_share, 1.0)
            )
        });
        out.push(Finding {
            topic: "throttles",
            component: format!("bucket {name}"),
            message: format!(
                "{} of {} attempts answered 503 Slow Down{when} (S3 serves {} PUT/DELETE and {} \
                 GET/LIST requests per second per partitioned prefix){prefix}; {} requests \
                 failed after the last attempt: spread keys over more prefixes (e.g. prefixes = \
                 \"uniform(n={})\")",
                count(s.slow_down),
                count(attempts),
                count(u64::from(PUT_RATE)),
                count(u64::from(GET_RATE)),
                count(s.failed),
                (s.prefixes * 4).max(4)
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hot_prefixes_rank_by_503s_then_attempts() {
        let h = hot_prefixes(&[[10, 0], [40, 5], [0, 0], [50, 5]], 3);
        let ranks: Vec<u64> = h.iter().map(|p| p.prefix).collect();
        assert_eq!(ranks, vec![4, 2, 1]);
        assert!((h[0].share - 0.5).abs() < 1e-12);
        assert!((h[0].slow_down_share - 0.5).abs() < 1e-12);
        assert!(hot_prefixes(&[[0, 0]], 3).is_empty());
    }
}
