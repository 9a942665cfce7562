//! `[[topic]]`: an Amazon SNS standard topic and its subscriptions, with
//! SNS's defaults and limits (aws-facts 3, cited where used).

use crate::dist::Dist;
use crate::engine::{SimDuration, SECONDS};

/// `[[topic]]`.
#[derive(Clone, Debug)]
pub struct Topic {
    /// Unique name.
    pub name: String,
    /// Who receives each published message, in file order.
    pub subscriptions: Vec<Subscription>,
    /// Publish to delivery (the subscriber is handed the message) \[s\].
    pub latency: Dist,
    /// How long a `Publish` call takes for the publisher \[s\].
    pub publish_latency: Dist,
}

/// One subscription of a topic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Subscription {
    /// Where deliveries go.
    pub endpoint: Endpoint,
    /// Share of published messages the subscription's filter policy
    /// accepts (1: no filter policy).
    pub filter: f64,
    /// Probability that one delivery attempt fails (the endpoint is
    /// unreachable: a missing permission, a disabled key, an outage).
    pub delivery_failure: f64,
    /// `[[queue]]` index of the subscription's dead-letter queue.
    pub dead_letter: Option<usize>,
}

/// A subscription's endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `[[lambda]]` index: invoked asynchronously (aws-facts 3, "SNS
    /// invokes Lambda asynchronously").
    Lambda(usize),
    /// `[[queue]]` index (standard): the message is sent to it.
    Queue(usize),
}

/// Largest message published \[KB\]: 256 KB. \[A\] aws-facts has no SNS size
/// row; 256 KB is SNS's long-standing limit (Publish API reference).
pub const MAX_MESSAGE_KB: f64 = 256.0;
/// Subscriptions per topic accepted by slsim (AWS allows 12,500,000
/// subscriptions per standard topic; a bound keeps a run's fan-out finite).
pub const MAX_SUBSCRIPTIONS: usize = 1000;

/// The delivery retry policy for AWS-managed endpoints (Lambda, SQS), used
/// only when a delivery fails: aws-facts 3 ("Delivery retry policy for
/// AWS-managed endpoints"): 3 immediate attempts, 2 one second apart, 10
/// with backoff from 1 s to 20 s, then 100,000 twenty seconds apart:
/// 100,015 attempts over about 23 days. Read as: the 100,015 include the
/// first attempt; AWS jitters the waits, slsim does not.
pub mod retry {
    use super::{SimDuration, SECONDS};

    /// Attempts in all (the first included).
    pub const ATTEMPTS: u64 = 100_015;
    /// Attempts with no wait before them (the first included).
    pub const IMMEDIATE: u64 = 3;
    /// Then attempts one second apart.
    pub const PRE_BACKOFF: u64 = 2;
    /// Then attempts with a geometric backoff from 1 s to 20 s.
    pub const BACKOFF: u64 = 10;
    /// The last phase's wait, and the backoff's largest \[ns\].
    pub const MAX_WAIT: SimDuration = 20 * SECONDS;

    /// When attempt `k` (0 = the first) is made, after the first \[ns\].
    pub fn offset(k: u64) -> SimDuration {
        let k = k.min(ATTEMPTS - 1);
        let pre = PRE_BACKOFF.min(k.saturating_sub(IMMEDIATE - 1));
        let mut t = pre * SECONDS;
        let backoff = BACKOFF.min(k.saturating_sub(IMMEDIATE - 1 + PRE_BACKOFF));
        // Waits 1 s · r^j, j = 0..10, r = 20^(1/9): 1 s up to 20 s.
        let r = (MAX_WAIT as f64 / SECONDS as f64).powf(1.0 / (BACKOFF - 1) as f64);
        let mut wait = SECONDS as f64;
        for _ in 0..backoff {
            t += wait.round() as SimDuration;
            wait *= r;
        }
        let post = k.saturating_sub(IMMEDIATE - 1 + PRE_BACKOFF + BACKOFF);
        t + post * MAX_WAIT
    }
}

impl Topic {
    /// Default `latency`: lognormal, median 26 ms, σ 0.8 \[A\]. AWS
    /// publishes none; fitted so that, followed by a function's default
    /// asynchronous dispatch (median 40 ms), publish to function start has
    /// the median 73 ms and p99 225 ms measured for SNS to Lambda
    /// (\[NF\] <https://bitesizedserverless.com/bite/serverless-messaging-latency-compared/>,
    /// eu-west-1, 2022; the fit gives p50 72 ms, p90 131 ms, p99 227 ms
    /// against 73, 125, 225).
    pub fn default_latency() -> Dist {
        Dist::lognormal_median_sigma(0.026, 0.8)
    }

    /// Default `publish_latency`: 0 \[A\]. AWS publishes no Publish API
    /// latency; the delivery time is in `latency`.
    pub fn default_publish_latency() -> Dist {
        Dist::constant(0.0)
    }

    /// A topic with these subscriptions and default latencies.
    pub fn new(name: &str, subscriptions: Vec<Subscription>) -> Self {
        Self {
            name: name.into(),
            subscriptions,
            latency: Self::default_latency(),
            publish_latency: Self::default_publish_latency(),
        }
    }
}

impl Subscription {
    /// A subscription with no filter policy, no failures, no dead-letter
    /// queue.
    pub fn new(endpoint: Endpoint) -> Self {
        Self {
            endpoint,
            filter: 1.0,
            delivery_failure: 0.0,
            dead_letter: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::retry::*;
    use super::*;

    #[test]
    fn the_retry_schedule_spans_about_23_days() {
        assert_eq!(offset(0), 0);
        assert_eq!(offset(2), 0);
        assert_eq!(offset(3), SECONDS);
        assert_eq!(offset(4), 2 * SECONDS);
        assert_eq!(offset(5), 3 * SECONDS);
        // The backoff phase: 10 waits from 1 s to 20 s, about 68 s.
        let backoff = offset(14) - offset(4);
        assert!(
            (67 * SECONDS..=69 * SECONDS).contains(&backoff),
            "{backoff}"
        );
        assert_eq!(offset(15) - offset(14), MAX_WAIT);
        let days = offset(ATTEMPTS - 1) as f64 / SECONDS as f64 / 86_400.0;
        assert!((23.0..23.3).contains(&days), "{days}");
        assert_eq!(offset(ATTEMPTS + 7), offset(ATTEMPTS - 1));
    }
}
