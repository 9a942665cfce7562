//! Conservation for the message services in summary.json (docs/model.md,
//! "Asynchronous invocation", "SQS queues ...", "SNS topics"):
//!
//! * per queue: `sent = deleted + dead_lettered + expired + visible_end +
//!   delayed_end + in_flight_end`;
//! * per function with an `async` object: `accepted = succeeded +
//!   retries_exhausted + expired + pending_end` and `retries_exhausted +
//!   expired = to_on_failure + dropped`;
//! * per subscription: `matched + filtered = published` (the topic's),
//!   `matched = delivered + failed_deliveries + pending_end`,
//!   `failed_deliveries = dead_lettered + discarded`; the topic's totals are
//!   the sums over its subscriptions;
//! * per bucket (docs/model.md, "S3 buckets"): `requests = succeeded +
//!   failed + in_flight_end`, `slow_down = retries + failed`, and per
//!   notification rule `events = filtered + sent`, `sent = delivered +
//!   failed + pending_end`; the bucket's totals are the rules' sums.
//! * per external service: `calls = ok + failed + in_flight_end`,
//!   `throttled = throttled_rate + throttled_daily_quota = retries +
//!   failed`, `failed = gave_up_attempts + gave_up_quota`;
//! * per schedule: `fired = delivered + pending_end`, and a Scheduler's
//!   billed invocations are its deliveries (a rule's none).
//!
//! Field names are those of a real run's summary.json; a missing field
//! reads as `u64::MAX` and so breaks the identity it is in.

use super::u;
use serde_json::Value;

/// `Some(sum)` unless it overflows.
fn sum(v: &Value, keys: &[&str]) -> Option<u64> {
    keys.iter().try_fold(0u64, |a, k| a.checked_add(u(v, k)))
}

/// `lhs = sum of rhs` in `v`, else a problem naming the values.
fn identity(v: &Value, at: &str, lhs: &[&str], rhs: &[&str], p: &mut Vec<String>) {
    let (l, r) = (sum(v, lhs), sum(v, rhs));
    if l.is_none() || l != r {
        let show = |ks: &[&str]| {
            ks.iter()
                .map(|k| format!("{k} {}", v[*k]))
                .collect::<Vec<_>>()
                .join(" + ")
        };
        p.push(format!(
            "{at}: conservation: {} != {}",
            show(lhs),
            show(rhs)
        ));
    }
}

/// All the identities above, for every function with an `async` object and
/// for the scenario's `queues` and `topics` (by name), each of which
/// summary.json must report.
pub fn service_checks(json: &Value, queues: &[String], topics: &[String]) -> Vec<String> {
    let mut p = Vec::new();
    for name in queues {
        let qu = &json["queues"][name];
        if !qu.is_object() {
            p.push(format!("summary.json: no queues.{name:?}"));
            continue;
        }
        let rest = [
            "deleted",
            "dead_lettered",
            "expired",
            "visible_end",
            "delayed_end",
            "in_flight_end",
        ];
        identity(qu, &format!("queue {name:?}"), &["sent"], &rest, &mut p);
    }
    for (name, f) in json["functions"].as_object().into_iter().flatten() {
        let a = &f["async"];
        if a.is_null() {
            continue;
        }
        let at = format!("function {name:?} async");
        let ends = ["succeeded", "retries_exhausted", "expired", "pending_end"];
        identity(a, &at, &["accepted"], &ends, &mut p);
        identity(
            a,
            &at,
            &["retries_exhausted", "expired"],
            &["to_on_failure", "dropped"],
            &mut p,
        );
    }
    for name in topics {
        let t = &json["topics"][name];
        if !t.is_object() {
            p.push(format!("summary.json: no topics.{name:?}"));
            continue;
        }
        p.extend(topic_checks(t, name));
    }
    p
}

fn topic_checks(t: &Value, name: &str) -> Vec<String> {
    let mut p = Vec::new();
    let published = u(t, "published");
    let subs = t["subscriptions"].as_object();
    if subs.is_none() {
        p.push(format!("topic {name:?}: no `subscriptions` map"));
    }
    for (end, s) in subs.into_iter().flatten() {
        let at = format!("topic {name:?} subscription {end:?}");
        if sum(s, &["matched", "filtered"]) != Some(published) {
            p.push(format!(
                "{at}: matched {} + filtered {} != the topic's published {published}",
                s["matched"], s["filtered"]
            ));
        }
        let ends = ["delivered", "failed_deliveries", "pending_end"];
        identity(s, &at, &["matched"], &ends, &mut p);
        let failed = ["dead_lettered", "discarded"];
        identity(s, &at, &["failed_deliveries"], &failed, &mut p);
    }
    // The topic's totals are the sums over its subscriptions.
    for (total, per_sub) in [
        ("deliveries", "delivered"),
        ("failed_deliveries", "failed_deliveries"),
        ("filtered", "filtered"),
        ("delivery_retries", "retries"),
        ("dead_lettered", "dead_lettered"),
        ("discarded", "discarded"),
        ("pending_end", "pending_end"),
    ] {
        let s = subs
            .into_iter()
            .flatten()
            .try_fold(0u64, |a, (_, s)| a.checked_add(u(s, per_sub)));
        if s != Some(u(t, total)) {
            p.push(format!(
                "topic {name:?}: {total} {} != the sum of the subscriptions' {per_sub} ({s:?})",
                t[total]
            ));
        }
    }
    p
}

/// The bucket identities above, for the scenario's `buckets` (by name),
/// each of which summary.json must report.
pub fn bucket_checks(json: &Value, buckets: &[String]) -> Vec<String> {
    let mut p = Vec::new();
    for name in buckets {
        let b = &json["buckets"][name];
        if !b.is_object() {
            p.push(format!("summary.json: no buckets.{name:?}"));
            continue;
        }
        let at = format!("bucket {name:?}");
        let ends = ["succeeded", "failed", "in_flight_end"];
        identity(b, &at, &["requests"], &ends, &mut p);
        identity(b, &at, &["slow_down"], &["retries", "failed"], &mut p);
        let ops = ["get", "put", "list", "delete"];
        if sum(&b["by_op"], &ops) != Some(u(b, "requests")) {
            p.push(format!(
                "{at}: by_op {} does not add up to requests",
                b["by_op"]
            ));
        }
        let rules = b["notify"].as_array();
        if rules.is_none() {
            p.push(format!("{at}: no `notify` list"));
        }
        for (k, r) in rules.into_iter().flatten().enumerate() {
            let at = format!("{at} notify[{k}]");
            identity(r, &at, &["events"], &["filtered", "sent"], &mut p);
            let ends = ["delivered", "failed", "pending_end"];
            identity(r, &at, &["sent"], &ends, &mut p);
        }
        for (total, per_rule) in [
            ("notifications_sent", "sent"),
            ("notifications_delivered", "delivered"),
            ("notifications_failed", "failed"),
            ("notifications_pending_end", "pending_end"),
        ] {
            let s = rules
                .into_iter()
                .flatten()
                .try_fold(0u64, |a, r| a.checked_add(u(r, per_rule)));
            if s != Some(u(b, total)) {
                p.push(format!(
                    "{at}: {total} {} != the sum of the rules' {per_rule} ({s:?})",
                    b[total]
                ));
            }
        }
    }
    p
}

/// The identities of external services and schedules, for the scenario's
/// `services` and `schedules` (by name), each of which summary.json must
/// report.
pub fn external_checks(json: &Value, services: &[String], schedules: &[String]) -> Vec<String> {
    let mut p = Vec::new();
    for name in services {
        let s = &json["services"][name];
        if !s.is_object() {
            p.push(format!("summary.json: no services.{name:?}"));
            continue;
        }
        let at = format!("service {name:?}");
        identity(
            s,
            &at,
            &["calls"],
            &["ok", "failed", "in_flight_end"],
            &mut p,
        );
        let causes = ["throttled_rate", "throttled_daily_quota"];
        identity(s, &at, &["throttled"], &causes, &mut p);
        identity(s, &at, &["throttled"], &["retries", "failed"], &mut p);
        let gave_up = ["gave_up_attempts", "gave_up_quota"];
        identity(s, &at, &["failed"], &gave_up, &mut p);
    }
    for name in schedules {
        let s = &json["schedules"][name];
        if !s.is_object() {
            p.push(format!("summary.json: no schedules.{name:?}"));
            continue;
        }
        let at = format!("schedule {name:?}");
        identity(s, &at, &["fired"], &["delivered", "pending_end"], &mut p);
        let billed = if s["type"] == "rule" {
            0
        } else {
            u(s, "delivered")
        };
        if u(s, "billed_invocations") != billed {
            p.push(format!(
                "{at}: billed_invocations {} != {billed}",
                s["billed_invocations"]
            ));
        }
    }
    p
}

/// Per stream in summary.json (docs/model.md, "Streams"): `records_in =
/// records_processed + records_failed + records_expired +
/// records_in_stream_end + records_in_flight_end`, `puts = puts_ok +
/// puts_failed + puts_in_flight_end`, `throttled_puts = put_retries +
/// puts_failed`, no batch out of order, and no more records to the
/// destination than were discarded.
pub fn stream_checks(json: &Value) -> Vec<String> {
    let mut p = Vec::new();
    for (name, s) in json["streams"].as_object().into_iter().flatten() {
        let at = format!("streams.{name}");
        identity(
            s,
            &at,
            &["records_in"],
            &[
                "records_processed",
                "records_failed",
                "records_expired",
                "records_in_stream_end",
                "records_in_flight_end",
            ],
            &mut p,
        );
        identity(
            s,
            &at,
            &["puts"],
            &["puts_ok", "puts_failed", "puts_in_flight_end"],
            &mut p,
        );
        identity(
            s,
            &at,
            &["throttled_puts"],
            &["put_retries", "puts_failed"],
            &mut p,
        );
        if u(s, "batches_out_of_order") != 0 {
            p.push(format!("{at}: batches out of order"));
        }
        if u(s, "records_to_destination")
            > u(s, "records_failed").saturating_add(u(s, "records_expired"))
        {
            p.push(format!(
                "{at}: more records to the destination than discarded"
            ));
        }
    }
    p
}

/// Every cdn in summary.json (docs/model.md, "Caches", CloudFront):
/// `requests = lookups + forwarded`, `lookups = edge_hits + edge_misses`,
/// `edge_misses = shield_hits + origin_fetches`, `requests = succeeded +
/// failed + in_flight_end`, `origin_requests = origin_fetches +
/// forwarded`; and every entry of `caches`: `lookups = hits +
/// origin_requests`.
pub fn cache_checks(json: &Value) -> Vec<String> {
    let mut p = Vec::new();
    for (name, c) in json["cdns"].as_object().into_iter().flatten() {
        let at = format!("cdn {name:?}");
        identity(c, &at, &["requests"], &["lookups", "forwarded"], &mut p);
        identity(c, &at, &["lookups"], &["edge_hits", "edge_misses"], &mut p);
        let misses = ["shield_hits", "origin_fetches"];
        identity(c, &at, &["edge_misses"], &misses, &mut p);
        let ends = ["succeeded", "failed", "in_flight_end"];
        identity(c, &at, &["requests"], &ends, &mut p);
        let origin = ["origin_fetches", "forwarded"];
        identity(c, &at, &["origin_requests"], &origin, &mut p);
    }
    match json["caches"].as_array() {
        None => p.push("summary.json: no `caches` list".to_string()),
        Some(list) => {
            for (k, c) in list.iter().enumerate() {
                let at = format!("caches[{k}] {}", c["name"]);
                identity(c, &at, &["lookups"], &["hits", "origin_requests"], &mut p);
            }
        }
    }
    p
}
