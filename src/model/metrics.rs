//! The metrics an SLO or an objective may name: the sections of
//! `summary.json` that hold figures, and the numeric fields of each.
//!
//! Owns: that vocabulary (kept by hand beside the kinds' stats structs; a
//! test in `tests/slo.rs` walks the `summary.json` of runs that exercise
//! every section and checks both ways that every number there is listed
//! and every listed field appears) and the matching of a path's field part
//! against it. Must not know: TOML, or how a figure is computed.
//!
//! A field is a dotted path inside one component's object (inside the
//! section itself for `cost`). In a pattern, `*` stands for a map key (a
//! route, a GSI, a replica Region, a subscription: absent means
//! undefined) and `#` for a key of a count map that lists its non-zero
//! entries only (absent means 0); either may span several dotted parts,
//! since names may contain dots. `{lat}` stands for the fields of a
//! latency summary ([`LATENCY`]). Arrays (`hot_partitions`, a bucket's
//! `notify` and `hot_prefixes`) are not addressable.

/// The fields of a latency summary (`latency_ms`, `lag_ms`) \[ms\].
pub const LATENCY: [&str; 7] = ["count", "mean", "p50", "p90", "p99", "p999", "max"];

/// A section of `summary.json` that holds metrics.
#[derive(Debug)]
pub struct Section {
    /// Its key in `summary.json`, the first part of a metric path.
    pub name: &'static str,
    /// The scenario kinds whose components key it (`lambda` for
    /// `functions`); empty when it has no components (`cost`).
    pub kinds: &'static [&'static str],
    /// The numeric fields of a component (patterns, see the module docs).
    pub fields: &'static [&'static str],
}

const AUTO_SCALING: &str = "auto_scaling.{target,scale_outs,scale_ins,scale_ins_refused,\
lowest_rcu,highest_rcu,lowest_wcu,highest_wcu,mean_rcu,mean_wcu,end_rcu,end_wcu}";

/// Every section with metrics, in `summary.json` order.
pub const SECTIONS: &[Section] = &[
    Section {
        name: "workloads",
        kinds: &["workload"],
        fields: &[
            "requests",
            "succeeded",
            "throttled",
            "failed",
            "timed_out",
            "in_flight",
            "error_ratio",
            "retries",
            "status.#",
            "latency_ms.{lat}",
            "routes.*.requests",
            "routes.*.succeeded",
            "routes.*.latency_ms.{lat}",
            "cold_succeeded",
            "p99_warm_ms",
            "network_rtt_ms",
        ],
    },
    Section {
        name: "apis",
        kinds: &["api"],
        fields: &[
            "requests",
            "throttled",
            "throttled_by.#",
            "billed_requests",
            "cache_hits",
            "cache_hit_ratio",
            "authorizer_invokes",
            "authorizer_cache_hits",
            "data_out_gb",
            "cognito_mau",
            "status.#",
            "cache_size_gb",
        ],
    },
    Section {
        name: "functions",
        kinds: &["lambda"],
        fields: &[
            "invocations",
            "cold_starts",
            "cold_start_ratio",
            "throttles",
            "rate_throttles",
            "errors",
            "timeouts",
            "max_concurrency",
            "mean_concurrency",
            "mean_environments",
            "gb_seconds",
            "provisioned_gb_seconds",
            "provisioned_reinits",
            "idle_gb_seconds",
            "prewarms",
            "mean_duration_ms",
            "mean_init_ms",
            "cost_per_invocation_usd",
            "memory_mb",
            "provisioned_concurrency",
            "reserved_concurrency",
            "async.{accepted,succeeded,retries_exhausted,expired,pending_end,retried_throttle,\
             retried_error,to_on_success,to_on_failure,dropped}",
        ],
    },
    Section {
        name: "tables",
        kinds: &["table"],
        fields: &[
            "reads",
            "writes",
            "throttled",
            "throttle_causes.{partition,table,gsi}",
            "retries",
            "failed",
            "quota_exhausted",
            "rate_limited",
            "dax_hits",
            "consumed_rcu",
            "consumed_wcu",
            "rcu",
            "wcu",
            AUTO_SCALING,
            "utilisation_rcu",
            "utilisation_wcu",
            "partitions",
            "heat_splits",
            "gsis.*.{partitions,consumed_rcu,consumed_wcu,throttled,rcu,wcu,utilisation_rcu,\
             utilisation_wcu}",
            "gsis.*.auto_scaling.{target,scale_outs,scale_ins,scale_ins_refused,lowest_rcu,\
             highest_rcu,lowest_wcu,highest_wcu,mean_rcu,mean_wcu,end_rcu,end_wcu}",
            "replication.replicas.*.{replicated_writes,replicated_write_units,arrived,pending_end}",
            "replication.replicas.*.lag_ms.{lat}",
        ],
    },
    Section {
        name: "queues",
        kinds: &["queue"],
        fields: &[
            "sent",
            "received",
            "deleted",
            "dead_lettered",
            "expired",
            "visible_end",
            "delayed_end",
            "in_flight_end",
            "mean_visible",
            "max_visible",
            "mean_in_flight",
            "oldest_age_s_max",
            "waited",
            "wait_s.{count,mean,p50,p99,max}",
            "batches",
            "max_concurrent_batches",
            "mean_batch_size",
            "failed_batches",
            "throttled_batches",
            "out_of_order",
            "requests.{send,receive,delete,empty_receive,total}",
        ],
    },
    Section {
        name: "topics",
        kinds: &["topic"],
        fields: &[
            "published",
            "publish_requests",
            "deliveries",
            "failed_deliveries",
            "filtered",
            "delivery_retries",
            "dead_lettered",
            "discarded",
            "pending_end",
            "subscriptions.*.{matched,filtered,delivered,retries,failed_deliveries,dead_lettered,\
             discarded,pending_end}",
        ],
    },
    Section {
        name: "buckets",
        kinds: &["bucket"],
        fields: &[
            "requests",
            "by_op.{get,put,list,delete}",
            "succeeded",
            "failed",
            "in_flight_end",
            "slow_down",
            "retries",
            "quota_exhausted",
            "rate_limited",
            "billed.{get,put,list,delete}",
            "gb_in",
            "gb_out",
            "gb_out_internet",
            "size_gb",
            "prefixes",
            "notifications_sent",
            "notifications_delivered",
            "notifications_failed",
            "notifications_pending_end",
        ],
    },
    Section {
        name: "services",
        kinds: &["service"],
        fields: &[
            "calls",
            "ok",
            "failed",
            "in_flight_end",
            "throttled",
            "throttled_rate",
            "throttled_daily_quota",
            "retries",
            "gave_up_attempts",
            "gave_up_quota",
            "rate_limited_sends",
            "rate_limit",
            "burst",
            "daily_quota",
            "first_rate_throttle_s",
            "first_quota_throttle_s",
            "quota_reached_s",
            "quota_reached_days",
            "price_per_1000",
            "cost_usd",
        ],
    },
    Section {
        name: "schedules",
        kinds: &["schedule"],
        fields: &[
            "fired",
            "delivered",
            "pending_end",
            "first_fired_s",
            "billed_invocations",
        ],
    },
    Section {
        name: "streams",
        kinds: &["stream", "table"],
        fields: &[
            "shards",
            "retention_s",
            "puts",
            "puts_ok",
            "puts_failed",
            "puts_in_flight_end",
            "throttled_puts",
            "put_retries",
            "records_in",
            "records_processed",
            "records_failed",
            "records_expired",
            "records_to_destination",
            "records_in_stream_end",
            "records_in_flight_end",
            "destination_messages",
            "batches",
            "mean_batch_records",
            "failed_batches",
            "throttled_batches",
            "retries",
            "splits",
            "iterator_age_max_ms",
            "blocked_shard_s",
            "batches_out_of_order",
            "put_units",
            "gb_in",
            "hours",
        ],
    },
    Section {
        name: "cdns",
        kinds: &["cdn"],
        fields: &[
            "edges",
            "requests",
            "lookups",
            "edge_hits",
            "edge_misses",
            "edge_hit_ratio",
            "shield_hits",
            "shield_hit_ratio",
            "origin_fetches",
            "forwarded",
            "uploads",
            "origin_requests",
            "origin_errors",
            "succeeded",
            "failed",
            "in_flight_end",
            "gb_out",
            "gb_from_origin",
            "gb_uploaded",
            "shield_requests",
        ],
    },
    Section {
        name: "caches",
        kinds: &["cdn", "api", "table"],
        fields: &[
            "lookups",
            "hits",
            "hit_ratio",
            "origin_requests",
            "gb_from_cache",
            "gb_from_origin",
        ],
    },
    Section {
        name: "cost",
        kinds: &[],
        fields: &[
            "total_usd",
            "monthly_usd",
            "month_hours",
            "always_on_monthly_usd",
            "per_million_requests_usd",
            "by_service.#",
            "window_by_service.#",
            "by_component.#",
        ],
    },
];

/// The services a bill names (`cost.by_service`, `cost.window_by_service`),
/// from every kind's `cost.rs` and `sim/price.rs`.
pub const BILLED_SERVICES: &[&str] = &[
    "api_gateway",
    "cognito",
    "data_transfer",
    "lambda",
    "cloudwatch_logs",
    "dynamodb",
    "dax",
    "s3",
    "sqs",
    "sns",
    "kinesis",
    "eventbridge",
    "cloudfront",
    "ses",
    "external",
];

/// The keys a request's end state takes in `status` (an API's status
/// codes; a direct caller's outcome names).
pub const STATUS_KEYS: &[&str] = &[
    "200",
    "429",
    "500",
    "502",
    "504",
    "ok",
    "api_throttled",
    "slow_down",
    "throttled",
    "table_error",
    "bucket_error",
    "authorizer_error",
    "function_error",
    "gateway_timeout",
    "function_timeout",
];

/// The causes of an API's 429s (`apis.<name>.throttled_by`).
pub const THROTTLED_BY_KEYS: &[&str] = &["api_key", "quota", "route", "stage", "account"];

/// The keys a count map (a `#` in a pattern) may hold, when they are a
/// fixed set: `None` for `cost.by_component` (a component's name).
pub fn count_keys(section: &str, map: &str) -> Option<&'static [&'static str]> {
    match (section, map) {
        (_, "status") => Some(STATUS_KEYS),
        (_, "throttled_by") => Some(THROTTLED_BY_KEYS),
        ("cost", "by_service" | "window_by_service") => Some(BILLED_SERVICES),
        _ => None,
    }
}

/// The section called `name`.
pub fn section(name: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.name == name)
}

/// The section names, in order.
pub fn section_names() -> Vec<&'static str> {
    SECTIONS.iter().map(|s| s.name).collect()
}

/// A field that matched: the keys to follow in the component's object,
/// and whether the last is a count map's (absent reads as 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMatch {
    /// Object keys, a dynamic key joined back with its dots.
    pub keys: Vec<String>,
    /// The last key is a `#` key.
    pub absent_is_zero: bool,
}

impl Section {
    /// Every field pattern, with the `{a,b,...}` and `{lat}` groups
    /// expanded, in list order.
    pub fn patterns(&self) -> Vec<String> {
        let mut out = Vec::new();
        for f in self.fields {
            let f: String = f.split_whitespace().collect();
            match (f.find('{'), f.find('}')) {
                (Some(open), Some(close)) if open < close => {
                    let inner = &f[open + 1..close];
                    let alts: Vec<&str> = if inner == "lat" {
                        LATENCY.to_vec()
                    } else {
                        inner.split(',').collect()
                    };
                    for a in alts {
                        out.push(format!("{}{a}{}", &f[..open], &f[close + 1..]));
                    }
                }
                _ => out.push(f),
            }
        }
        out
    }

    /// Matches a field, given as its dotted parts, against the section's
    /// patterns: the first pattern that matches, a dynamic key taking as
    /// few parts as it can.
    pub fn field(&self, parts: &[&str]) -> Option<FieldMatch> {
        self.patterns().iter().find_map(|p| {
            let pat: Vec<&str> = p.split('.').collect();
            let mut keys = Vec::new();
            matches(&pat, parts, &mut keys).then(|| FieldMatch {
                keys,
                absent_is_zero: pat.last() == Some(&"#"),
            })
        })
    }
}

/// Whether `parts` match `pat`, pushing the keys to `keys`.
fn matches(pat: &[&str], parts: &[&str], keys: &mut Vec<String>) -> bool {
    let Some((&p, rest)) = pat.split_first() else {
        return parts.is_empty();
    };
    if p == "*" || p == "#" {
        // A key of one or more parts; the rest of the pattern after it.
        for take in 1..=parts.len().saturating_sub(rest.len()) {
            let mark = keys.len();
            keys.push(parts[..take].join("."));
            if matches(rest, &parts[take..], keys) {
                return true;
            }
            keys.truncate(mark);
        }
        return false;
    }
    match parts.split_first() {
        Some((&first, tail)) if first == p => {
            keys.push(first.to_string());
            matches(rest, tail, keys) || {
                keys.pop();
                false
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(section: &str, field: &str) -> Option<(Vec<String>, bool)> {
        let parts: Vec<&str> = field.split('.').collect();
        super::section(section)?
            .field(&parts)
            .map(|m| (m.keys, m.absent_is_zero))
    }

    #[test]
    fn groups_expand() {
        let w = section("workloads").unwrap().patterns();
        assert!(w.contains(&"latency_ms.p99".to_string()));
        assert!(w.contains(&"routes.*.latency_ms.max".to_string()));
        let f = section("functions").unwrap().patterns();
        assert!(f.contains(&"async.to_on_failure".to_string()), "{f:?}");
        assert!(f.iter().all(|p| !p.contains(['{', '}', ' '])), "{f:?}");
    }

    #[test]
    fn fields_match_with_dotted_keys() {
        assert_eq!(
            keys("workloads", "latency_ms.p99"),
            Some((vec!["latency_ms".into(), "p99".into()], false))
        );
        assert_eq!(
            keys("workloads", "routes.GET /a.json.latency_ms.p50"),
            Some((
                vec![
                    "routes".into(),
                    "GET /a.json".into(),
                    "latency_ms".into(),
                    "p50".into()
                ],
                false
            ))
        );
        assert_eq!(
            keys("workloads", "status.429"),
            Some((vec!["status".into(), "429".into()], true))
        );
        assert_eq!(keys("workloads", "latency_ms.p98"), None);
        assert_eq!(keys("workloads", "latency_ms"), None);
        assert_eq!(keys("workloads", "routes.x"), None);
        assert_eq!(
            keys("cost", "by_component.a.b"),
            Some((vec!["by_component".into(), "a.b".into()], true))
        );
    }

    #[test]
    fn sections_are_unique_and_patterns_well_formed() {
        let names = section_names();
        for (i, n) in names.iter().enumerate() {
            assert!(!names[..i].contains(n), "{n}");
        }
        for s in SECTIONS {
            let p = s.patterns();
            for (i, f) in p.iter().enumerate() {
                assert!(!p[..i].contains(f), "{} {f}", s.name);
                assert!(
                    f.split('.').all(|x| !x.is_empty()),
                    "{} {f}: an empty part",
                    s.name
                );
            }
        }
    }
}
