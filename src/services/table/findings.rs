//! A table's findings: throttles and where they were refused (a hot
//! partition while the table had spare capacity, a GSI that could not take
//! its writes), the SDK's retry quota running dry, and the peak
//! consumption against provisioned capacity.
//!
//! Must not know: how the figures were computed.

use indexmap::IndexMap;

use super::stats::{CapacityMode, TableStats};
use crate::services::findings::{clock, count, pct, Finding, FindingsCx};

/// A table's findings: throttles per attempt and per request, and when;
/// the peak consumption per second against provisioned capacity.
pub fn findings(stats: &IndexMap<String, TableStats>, cx: &FindingsCx<'_>, out: &mut Vec<Finding>) {
    for (name, tb) in stats {
        let component = format!("table {name}");
        if tb.throttled > 0 {
            let when = cx.during(name, "throttled");
            out.push(Finding {
                topic: "throttles",
                component: component.clone(),
                message: format!(
                    "{} attempts throttled{when} (per attempt); {} of {} requests failed after \
                     the SDK's last attempt (per request)",
                    count(tb.throttled),
                    count(tb.failed),
                    count(tb.reads + tb.writes)
                ),
            });
        }
        if tb.quota_exhausted > 0 {
            out.push(Finding {
                topic: "throttles",
                component: component.clone(),
                message: format!(
                    "the SDK's retry quota ran dry: {} of the {} failed requests gave up without \
                     using their attempts (a retry takes quota tokens, only successes give them \
                     back), so sustained throttling fails requests fast instead of retrying \
                     them: more attempts will not help, removing the throttles' cause will",
                    count(tb.quota_exhausted),
                    count(tb.failed)
                ),
            });
        }
        hot_partition(name, tb, cx, &component, out);
        for (g, gs) in &tb.gsis {
            if gs.throttled == 0 {
                continue;
            }
            out.push(Finding {
                topic: "throttles",
                component: component.clone(),
                message: format!(
                    "GSI {g} refused {} attempts: a write to the table is throttled when an index \
                     cannot take its entry, so give each GSI at least the table's write capacity \
                     and a key that spreads (its hottest partition used {} of its maximum)",
                    count(gs.throttled),
                    gs.hot_partitions.first().map_or("-".into(), |p| pct(
                        p.utilisation_wcu.max(p.utilisation_rcu),
                        1.0
                    ))
                ),
            });
        }
        if tb.mode != CapacityMode::Provisioned {
            continue;
        }
        let every = if cx.interval_s() > 1.0 {
            format!(" (mean over {} s intervals)", cx.interval_s())
        } else {
            String::new()
        };
        for (metric, unit, cap, series) in [
            ("consumed_rcu", "RCU", tb.rcu, "capacity_rcu"),
            ("consumed_wcu", "WCU", tb.wcu, "capacity_wcu"),
        ] {
            let Some((peak, at)) = cx.peak(name, metric) else {
                continue;
            };
            // Under auto scaling: the capacity in effect then.
            let (cap, then) = match tb.auto_scaling {
                None => (cap, ""),
                Some(_) => {
                    let i = (at / cx.interval_s()).round() as usize;
                    let now = cx.series(name, series).and_then(|v| v.get(i).copied());
                    (now.unwrap_or(cap), " then (auto scaling)")
                }
            };
            if cap <= 0.0 || peak <= 0.0 {
                continue;
            }
            out.push(Finding {
                topic: "capacity",
                component: component.clone(),
                message: format!(
                    "peak {unit} consumed {:.0}/s at {}{every}: {} of the {:.0} provisioned{then}",
                    peak,
                    clock(at),
                    pct(peak, cap),
                    cap
                ),
            });
        }
        if let Some(a) = &tb.auto_scaling {
            if a.scale_ins_refused > 0 {
                out.push(Finding {
                    topic: "capacity",
                    component: component.clone(),
                    message: format!(
                        "the daily decrease quota (4 in the first hour of a UTC day, then 1 an \
                         hour) held back {} of auto scaling's scale-ins: the table kept (and \
                         billed) more capacity than its target needs until the quota allowed them",
                        count(u64::from(a.scale_ins_refused))
                    ),
                });
            }
        }
    }
}

/// A partition that refused attempts while the table had capacity: names
/// it, its share of the keys and of the throttles, and the table's use.
fn hot_partition(
    name: &str,
    tb: &TableStats,
    cx: &FindingsCx<'_>,
    component: &str,
    out: &mut Vec<Finding>,
) {
    let Some(hot) = tb.hot_partitions.first() else {
        return;
    };
    if tb.throttle_causes.partition == 0 || hot.throttled == 0 {
        return;
    }
    let (unit, metric, util) = if hot.utilisation_wcu >= hot.utilisation_rcu {
        ("WCU", "hot_partition_wcu", tb.utilisation_wcu)
    } else {
        ("RCU", "hot_partition_rcu", tb.utilisation_rcu)
    };
    let busiest = cx
        .peak(name, metric)
        .filter(|(v, _)| *v > 0.0)
        .map(|(v, at)| format!("; its busiest interval {v:.0} {unit}/s at {}", clock(at)))
        .unwrap_or_default();
    let why = if tb.adaptive_capacity {
        "one partition serves at most 3,000 RCU and 1,000 WCU a second, and adaptive capacity \
         cannot lift a single key above that"
    } else {
        "with adaptive capacity off each partition gets only its equal share of the table's \
         capacity"
    };
    out.push(Finding {
        topic: "throttles",
        component: component.to_string(),
        message: format!(
            "hot partition: partition {} of {} ({} of the key space) refused {} attempts ({} of \
             the table's throttled attempts) while the table used {} of its {unit} capacity{busiest}: \
             {why}; spread the load over more partition-key values (e.g. write sharding)",
            hot.partition,
            tb.partitions,
            pct(hot.key_share, 1.0),
            count(hot.throttled),
            pct(tb.throttle_causes.partition as f64, tb.throttled as f64),
            pct(util, 1.0),
        ),
    });
}
