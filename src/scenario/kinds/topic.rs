//! `[[topic]]` (SNS): its raw structs and their validation into [`Topic`]
//! (subscriptions to functions and standard queues, filter share, delivery
//! failure probability, subscription dead-letter queue, latencies). Every
//! bound cites its source (`model::topic`).
//!
//! Must not know: how messages are delivered.

use toml::Value;

use super::{queue, Given, Kind};
use crate::model::topic::{self as t, Endpoint, Subscription};
use crate::model::{QueueType, Topic};
use crate::scenario::context::Cx;
use crate::scenario::locate::FieldPath;
use crate::scenario::raw::Required;
use crate::scenario::shape::strip_each;
use crate::scenario::validate::{dist, in_range};

/// `[[topic]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub name: String,
    #[serde(default)]
    pub subscribers: Vec<RawSubscriber>,
    pub latency: Option<String>,
    pub publish_latency: Option<String>,
}

/// One entry of `subscribers`: `"name"` or `{ target = "name", ... }`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSubscriber {
    pub target: String,
    pub filter: Option<f64>,
    pub delivery_failure: Option<f64>,
    pub dead_letter: Option<String>,
}

impl Required for RawTopic {
    const REQUIRED: &'static [&'static str] = &["name"];
}
impl Required for RawSubscriber {
    const REQUIRED: &'static [&'static str] = &["target"];
}

impl Kind for RawTopic {
    type Model = Topic;

    /// A subscriber written as a bare name becomes `{ target = name }`.
    fn strip_nested(cx: &mut Cx<'_>, path: &FieldPath, v: &mut Value) -> Vec<&'static str> {
        if let Some(Value::Array(a)) = v.get_mut("subscribers") {
            for item in a.iter_mut() {
                if let Value::String(s) = item {
                    let mut t = toml::Table::new();
                    t.insert("target".into(), Value::String(std::mem::take(s)));
                    *item = Value::Table(t);
                }
            }
        }
        strip_each::<RawSubscriber>(cx, path, v, "subscribers")
    }

    fn validate(&self, cx: &mut Cx<'_>, i: usize, given: &Given<'_>) -> Option<Topic> {
        topic(cx, i, self, given)
    }
}

/// Validates one `[[topic]]`.
fn topic(cx: &mut Cx<'_>, i: usize, r: &RawTopic, given: &Given<'_>) -> Option<Topic> {
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["topic", i, f];
    if r.subscribers.len() > t::MAX_SUBSCRIPTIONS {
        cx.err(
            &p("subscribers"),
            format!(
                "{} subscribers, above the limit of {}",
                r.subscribers.len(),
                t::MAX_SUBSCRIPTIONS
            ),
            "slsim delivers to at most 1000 subscriptions per topic",
        );
        return None;
    }
    let mut subscriptions = Vec::with_capacity(r.subscribers.len());
    for (k, s) in r.subscribers.iter().enumerate() {
        let sp = p("subscribers").join(k);
        if let Some(sub) = subscriber(cx, &sp, s, given) {
            if subscriptions
                .iter()
                .any(|o: &Subscription| o.endpoint == sub.endpoint)
            {
                cx.err(
                    &sp.join("target"),
                    format!("`{}` is subscribed twice", s.target),
                    "one subscription per endpoint (SNS keeps one)",
                );
            }
            subscriptions.push(sub);
        }
    }
    let latency = dist(cx, &p("latency"), &r.latency, Topic::default_latency());
    let publish_latency = dist(
        cx,
        &p("publish_latency"),
        &r.publish_latency,
        Topic::default_publish_latency(),
    );
    (cx.problems.len() == before).then(|| Topic {
        name: r.name.clone(),
        subscriptions,
        latency,
        publish_latency,
    })
}

/// One subscription at `p`.
fn subscriber(
    cx: &mut Cx<'_>,
    p: &FieldPath,
    r: &RawSubscriber,
    given: &Given<'_>,
) -> Option<Subscription> {
    let before = cx.problems.len();
    let target = cx.resolve(
        &p.join("target"),
        &r.target,
        &["lambda", "queue"],
        "a subscriber",
    );
    let endpoint = match target {
        Some(("queue", k)) => {
            standard_queue(cx, &p.join("target"), &r.target, k, given, "subscribe");
            Some(Endpoint::Queue(k))
        }
        Some((_, k)) => Some(Endpoint::Lambda(k)),
        None => None,
    };
    let filter = in_range(
        cx,
        &p.join("filter"),
        r.filter.unwrap_or(1.0),
        0.0,
        1.0,
        "the share of messages the subscription's filter policy accepts: 0..=1 (1: no filter)",
    );
    let delivery_failure = in_range(
        cx,
        &p.join("delivery_failure"),
        r.delivery_failure.unwrap_or(0.0),
        0.0,
        1.0,
        "the probability that one delivery attempt fails: 0..=1 (1: the endpoint is never reachable)",
    );
    let dead_letter = r.dead_letter.as_ref().and_then(|name| {
        let dp = p.join("dead_letter");
        let (_, k) = cx.resolve(&dp, name, &["queue"], "a dead-letter queue")?;
        standard_queue(
            cx,
            &dp,
            name,
            k,
            given,
            "be a subscription's dead-letter queue",
        );
        Some(k)
    });
    let endpoint = endpoint?;
    (cx.problems.len() == before).then_some(Subscription {
        endpoint,
        filter,
        delivery_failure,
        dead_letter,
    })
}

/// Reports queue `k` (named `name`) when it is FIFO: a standard topic
/// delivers to standard queues only.
pub fn standard_queue(
    cx: &mut Cx<'_>,
    p: &FieldPath,
    name: &str,
    k: usize,
    given: &Given<'_>,
    what: &str,
) {
    if queue::type_of(given, k) == Some(QueueType::Fifo) {
        cx.err(
            p,
            format!("`{name}` is a FIFO queue, which cannot {what}"),
            "use a standard queue (FIFO queues take messages only from FIFO topics, which slsim does not model)",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::assert_required;

    #[test]
    fn required_fields_are_required() {
        assert_required::<RawTopic>();
        assert_required::<RawSubscriber>();
    }
}
