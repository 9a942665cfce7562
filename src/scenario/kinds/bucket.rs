//! `[[bucket]]` (S3): its raw structs and their validation into
//! [`Bucket`] (latencies per operation, object sizes, stored size,
//! prefixes, notification rules to functions, standard queues and topics);
//! and the bucket parts of other kinds: a call step to a bucket (`op`,
//! `size_kb`, `prefixes`) and a workload's operation mix (`ops`). Every
//! bound cites its source (`model::bucket`, `model::limits`).
//!
//! Must not know: how requests are admitted or notifications delivered.

use indexmap::IndexMap;
use toml::Value;

use super::{topic, Given, Kind};
use crate::dist::keys::Keys;
use crate::dist::Dist;
use crate::model::bucket::{Bucket, BucketEvent, BucketOp, Notify};
use crate::model::limits::{MAX_BUCKET_GB, MAX_NOTIFY_RULES, MAX_OBJECT_KB, MAX_PREFIXES};
use crate::model::{Destination, Step};
use crate::scenario::context::Cx;
use crate::scenario::error::suggest;
use crate::scenario::locate::FieldPath;
use crate::scenario::numbers;
use crate::scenario::raw::Required;
use crate::scenario::shape::strip_each;
use crate::scenario::validate::{choice, dist, in_range};
use crate::scenario::values::{self, Bad};

/// `[[bucket]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBucket {
    pub name: String,
    pub get_latency: Option<String>,
    pub put_latency: Option<String>,
    pub list_latency: Option<String>,
    pub delete_latency: Option<String>,
    /// A number of KB, or a distribution of sizes.
    pub object_kb: Option<RawSize>,
    pub size_gb: Option<f64>,
    pub prefixes: Option<String>,
    #[serde(default)]
    pub notify: Vec<RawNotify>,
    pub notify_delay: Option<String>,
}

/// A size: a number of KB, or a string (a size with a unit, or a
/// distribution of sizes).
#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
pub enum RawSize {
    Kb(f64),
    Text(String),
}

/// One entry of `notify`: `"name"` (on put) or `{ on = "put", target =
/// "name", ... }`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotify {
    pub on: Option<String>,
    pub target: String,
    pub filter: Option<f64>,
    pub delivery_failure: Option<f64>,
}

impl Required for RawBucket {
    const REQUIRED: &'static [&'static str] = &["name"];
}
impl Required for RawNotify {
    const REQUIRED: &'static [&'static str] = &["target"];
}

impl Kind for RawBucket {
    type Model = Bucket;

    /// A rule written as a bare name becomes `{ target = name }`.
    fn strip_nested(cx: &mut Cx<'_>, path: &FieldPath, v: &mut Value) -> Vec<&'static str> {
        if let Some(Value::Array(a)) = v.get_mut("notify") {
            for item in a.iter_mut() {
                if let Value::String(s) = item {
                    let mut t = toml::Table::new();
                    t.insert("target".into(), Value::String(std::mem::take(s)));
                    *item = Value::Table(t);
                }
            }
        }
        strip_each::<RawNotify>(cx, path, v, "notify")
    }

    fn validate(&self, cx: &mut Cx<'_>, i: usize, given: &Given<'_>) -> Option<Bucket> {
        bucket(cx, i, self, given)
    }
}

/// Validates one `[[bucket]]`.
fn bucket(cx: &mut Cx<'_>, i: usize, r: &RawBucket, given: &Given<'_>) -> Option<Bucket> {
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["bucket", i, f];
    let d = Bucket::default_latencies();
    let latency = [
        dist(cx, &p("get_latency"), &r.get_latency, d[0].clone()),
        dist(cx, &p("put_latency"), &r.put_latency, d[1].clone()),
        dist(cx, &p("list_latency"), &r.list_latency, d[2].clone()),
        dist(cx, &p("delete_latency"), &r.delete_latency, d[3].clone()),
    ];
    let object_kb = match &r.object_kb {
        None => Bucket::default_object_kb(),
        Some(s) => object_kb(cx, &p("object_kb"), s).unwrap_or_else(Bucket::default_object_kb),
    };
    let size_gb = r.size_gb.unwrap_or(0.0);
    in_range(
        cx,
        &p("size_gb"),
        size_gb,
        0.0,
        MAX_BUCKET_GB,
        "data stored in the bucket, billed by the GB-month (0: none)",
    );
    let prefixes = r
        .prefixes
        .as_deref()
        .and_then(|k| prefixes(cx, &p("prefixes"), k))
        .unwrap_or_else(Bucket::default_prefixes);
    if r.notify.len() > MAX_NOTIFY_RULES {
        cx.err(
            &p("notify"),
            format!(
                "{} notification rules, above the limit of {MAX_NOTIFY_RULES}",
                r.notify.len()
            ),
            "slsim keeps at most 100 rules per bucket",
        );
        return None;
    }
    let notify: Vec<Notify> = r
        .notify
        .iter()
        .enumerate()
        .filter_map(|(k, n)| rule(cx, &p("notify").join(k), n, given))
        .collect();
    let notify_delay = dist(
        cx,
        &p("notify_delay"),
        &r.notify_delay,
        Bucket::default_notify_delay(),
    );
    (cx.problems.len() == before).then(|| Bucket {
        name: r.name.clone(),
        latency,
        object_kb,
        size_gb,
        prefixes,
        notify,
        notify_delay,
    })
}

/// One notification rule at `p`.
fn rule(cx: &mut Cx<'_>, p: &FieldPath, r: &RawNotify, given: &Given<'_>) -> Option<Notify> {
    let before = cx.problems.len();
    let on = choice(
        cx,
        &p.join("on"),
        &r.on,
        &BucketEvent::NAMES,
        BucketEvent::Put,
    );
    let tp = p.join("target");
    let target = match cx.resolve(
        &tp,
        &r.target,
        &["lambda", "queue", "topic"],
        "a notification target",
    ) {
        Some(("queue", k)) => {
            let what = "receive S3 event notifications";
            topic::standard_queue(cx, &tp, &r.target, k, given, what);
            Some(Destination::Queue(k))
        }
        Some(("topic", k)) => Some(Destination::Topic(k)),
        Some((_, k)) => Some(Destination::Lambda(k)),
        None => None,
    };
    let filter = in_range(
        cx,
        &p.join("filter"),
        r.filter.unwrap_or(1.0),
        0.0,
        1.0,
        "the share of events whose key the rule's prefix/suffix filter passes: 0..=1 (1: no filter)",
    );
    let delivery_failure = in_range(
        cx,
        &p.join("delivery_failure"),
        r.delivery_failure.unwrap_or(0.0),
        0.0,
        1.0,
        "the probability that a notification is lost (its destination unreachable): 0..=1",
    );
    let target = target?;
    (cx.problems.len() == before).then_some(Notify {
        on,
        target,
        filter,
        delivery_failure,
    })
}

/// A prefix model at `p` (`uniform(n=4)`, `zipf(n=100, s=1.1)`), with at
/// most [`MAX_PREFIXES`] prefixes.
pub fn prefixes(cx: &mut Cx<'_>, p: &FieldPath, raw: &str) -> Option<Keys> {
    let k = match values::keys(raw) {
        Ok(k) => k,
        Err(b) => {
            cx.err(p, b.message, b.hint.unwrap_or_default());
            return None;
        }
    };
    let n = match k {
        Keys::Uniform { n } | Keys::Zipf { n, .. } => n,
        Keys::Many => 1,
    };
    if n > MAX_PREFIXES {
        cx.err(
            p,
            format!(
                "{} prefixes, above the limit of 100,000 ({MAX_PREFIXES})",
                numbers::show(n as f64),
            ),
            "slsim keeps a rate window per prefix, at most 100,000 (S3 partitions a bucket into far fewer)",
        );
        return None;
    }
    Some(k)
}

/// An object size or size distribution at `p`: a number of KB, a size
/// with a unit (`"2MB"`), or a distribution whose size parameters are KB
/// numbers or sizes (`"lognormal(median=200KB, sigma=1)"`). Its mean is
/// at most [`MAX_OBJECT_KB`].
pub fn object_kb(cx: &mut Cx<'_>, p: &FieldPath, raw: &RawSize) -> Option<Dist> {
    let d = match raw {
        RawSize::Kb(kb) => Ok(Dist::constant(*kb)),
        RawSize::Text(s) if !s.contains('(') => size_kb(s).map(Dist::constant),
        RawSize::Text(s) => size_dist_kb(s),
    };
    let d = match d {
        Ok(d) => d,
        Err(b) => {
            cx.err(p, b.message, b.hint.unwrap_or_default());
            return None;
        }
    };
    let before = cx.problems.len();
    in_range(
        cx,
        p,
        d.mean(),
        0.0,
        MAX_OBJECT_KB,
        "object sizes in KB, mean 0..=5e9 (5 TB, S3's object size limit)",
    );
    (cx.problems.len() == before).then_some(d)
}

const SIZE_HINT: &str = "a size in KB (200), with a unit (\"2MB\", \"512KiB\"), or a distribution of sizes such as \"lognormal(median=200KB, sigma=1)\" or \"uniform(10KB, 2MB)\"";

/// A size in KB: a plain number (KB) or a size with a unit.
fn size_kb(s: &str) -> Result<f64, Bad> {
    let t = s.trim();
    if let Ok(v) = numbers::parse(t) {
        if v < 0.0 {
            return Err(bad(format!("size `{s}` is negative"), SIZE_HINT));
        }
        return Ok(v);
    }
    values::size_bytes(t)
        .map(|b| b as f64 / 1e3)
        .map_err(|e| bad(e.message, SIZE_HINT))
}

fn bad(message: impl Into<String>, hint: &str) -> Bad {
    Bad {
        message: message.into(),
        hint: Some(hint.into()),
    }
}

/// A distribution of sizes \[KB\]: the distribution syntax with sizes for
/// its scale parameters. Each size is rewritten as a duration of as many
/// seconds as it has MB, parsed as a distribution of durations, and scaled
/// back to KB.
fn size_dist_kb(s: &str) -> Result<Dist, Bad> {
    let t = s.trim();
    let (name, inner) = match (t.find('('), t.strip_suffix(')')) {
        (Some(i), Some(body)) => (t[..i].trim(), &body[i + 1..]),
        _ => return Err(bad(format!("`{s}` is not a size distribution"), SIZE_HINT)),
    };
    if name == "empirical" {
        return Err(bad("object sizes cannot be empirical(...)", SIZE_HINT));
    }
    // Parameters that are not sizes, by position where positional.
    let unitless = |key: Option<&str>, pos: usize| match key {
        Some(k) => k == "sigma" || k == "shape",
        None => matches!((name, pos), ("gamma", 0) | ("pareto", 1)),
    };
    let mut args = Vec::new();
    for (pos, arg) in inner
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .enumerate()
    {
        let (key, v) = match arg.split_once('=') {
            Some((k, v)) => (Some(k.trim()), v.trim()),
            None => (None, arg),
        };
        let v = if unitless(key, pos) {
            v.to_string()
        } else {
            let kb = size_kb(v).map_err(|b| {
                bad(
                    format!("{}: {}", key.unwrap_or("size"), b.message),
                    SIZE_HINT,
                )
            })?;
            format!("{}s", kb / 1e3)
        };
        args.push(match key {
            Some(k) => format!("{k}={v}"),
            None => v,
        });
    }
    let text = format!("{name}({})", args.join(", "));
    values::dist(&text, std::path::Path::new("."))
        .map(|d| d.scaled(1e3))
        .map_err(|b| bad(b.message, SIZE_HINT))
}

/// A call step to bucket `idx` (named `name`) at `p`: `op` required,
/// `size_kb` on a get or put, `prefixes`.
pub fn call_step(
    cx: &mut Cx<'_>,
    p: &FieldPath,
    idx: usize,
    name: &str,
    op: &Option<String>,
    size_kb: Option<f64>,
    raw_prefixes: &Option<String>,
) -> Option<Step> {
    let Some(o) = op else {
        cx.err(
            p,
            format!("a call to bucket `{name}` needs `op`"),
            "add op = \"get\" | \"put\" | \"list\" | \"delete\"",
        );
        return None;
    };
    let before = cx.problems.len();
    let names: Vec<&str> = BucketOp::NAMES.iter().map(|(n, _)| *n).collect();
    let Some(&(_, op)) = BucketOp::NAMES.iter().find(|(n, _)| n == o) else {
        cx.err(
            &p.join("op"),
            format!("`{o}` is not an S3 operation"),
            suggest(o, &names),
        );
        return None;
    };
    if let Some(kb) = size_kb {
        if op.moves_object() {
            in_range(
                cx,
                &p.join("size_kb"),
                kb,
                f64::MIN_POSITIVE,
                MAX_OBJECT_KB,
                "object size in KB: > 0 and <= 5e9 (5 TB, S3's object size limit)",
            );
        } else {
            cx.key_err(
                &p.join("size_kb"),
                format!("`size_kb` does not apply to a {}", op.name()),
                "only a get or a put moves an object; remove `size_kb`",
            );
        }
    }
    let prefixes = raw_prefixes
        .as_deref()
        .and_then(|k| prefixes(cx, &p.join("prefixes"), k));
    (cx.problems.len() == before).then_some(Step::Bucket {
        bucket: idx,
        op,
        size_kb,
        prefixes,
    })
}

/// The operation mix of a workload aimed at a bucket (`ops = { get = 0.8,
/// put = 0.2 }`) at `p`, as ([`BucketOp`] index, probability); default:
/// all gets.
pub fn op_mix(
    cx: &mut Cx<'_>,
    p: &FieldPath,
    given: Option<&IndexMap<String, f64>>,
) -> Vec<(usize, f64)> {
    let Some(m) = given else {
        return vec![(BucketOp::Get.index(), 1.0)];
    };
    if m.is_empty() {
        cx.err(
            p,
            "ops is empty",
            "omit it for gets only, or give weights such as { get = 0.8, put = 0.2 }",
        );
        return Vec::new();
    }
    let names: Vec<&str> = BucketOp::NAMES.iter().map(|(n, _)| *n).collect();
    let mut ops = Vec::new();
    for (op, &w) in m {
        let op_p = p.join(op.as_str());
        in_range(
            cx,
            &op_p,
            w,
            crate::model::limits::MIN_WEIGHT,
            crate::model::limits::MAX_WEIGHT,
            "weights are relative; they are normalised to sum to 1",
        );
        match BucketOp::NAMES.iter().find(|(n, _)| n == op) {
            Some((_, o)) => ops.push((o.index(), w)),
            None => cx.key_err(
                &op_p,
                format!("`{op}` is not an S3 operation"),
                suggest(op, &names),
            ),
        }
    }
    let total: f64 = ops.iter().map(|&(_, w)| w).sum();
    if total.is_finite() && total > 0.0 {
        for (_, w) in &mut ops {
            *w /= total;
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::assert_required;

    #[test]
    fn required_fields_are_required() {
        assert_required::<RawBucket>();
        assert_required::<RawNotify>();
    }

    #[test]
    fn sizes_and_size_distributions_are_in_kb() {
        assert_eq!(size_kb("200").unwrap(), 200.0);
        assert_eq!(size_kb("2MB").unwrap(), 2000.0);
        assert_eq!(size_kb("1KiB").unwrap(), 1.024);
        assert!(size_kb("-3").is_err() && size_kb("3 parsecs").is_err());
        let d = size_dist_kb("uniform(10KB, 2MB)").unwrap();
        assert!((d.mean() - 1005.0).abs() < 1e-9, "{d:?}");
        let d = size_dist_kb("lognormal(median=200, sigma=1)").unwrap();
        assert!((d.mean() - 200.0 * 0.5f64.exp()).abs() < 1e-6, "{d:?}");
        let d = size_dist_kb("gamma(2, 300KB)").unwrap();
        assert!((d.mean() - 300.0).abs() < 1e-9, "{d:?}");
        assert!(size_dist_kb("empirical(x.csv)").is_err());
        assert!(size_dist_kb("lognormal(median=-2, sigma=1)").is_err());
        assert!(size_dist_kb("uniform(2MB, 10KB)").is_err());
    }
}
