//! `[[service]]` (an external dependency such as Amazon SES): its raw
//! struct and its validation into [`ExternalService`]: the latency, the
//! rate limit and its burst, the daily quota, the price, and the `ses`
//! presets. Every bound cites its source (`model::service`).
//!
//! Must not know: how calls are admitted or retried.

use super::{Given, Kind};
use crate::model::service::{self as s, Preset, RateLimit};
use crate::model::ExternalService;
use crate::scenario::context::Cx;
use crate::scenario::raw::Required;
use crate::scenario::validate::{choice, in_range, int_in, opt_dist};

/// `[[service]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub name: String,
    /// A distribution: one call's duration.
    pub latency: String,
    /// `"ses"` or `"ses-sandbox"`.
    pub preset: Option<String>,
    /// Calls per second.
    pub rate_limit: Option<f64>,
    /// Calls.
    pub burst: Option<f64>,
    /// Calls per day of the run's clock.
    pub daily_quota: Option<i64>,
    /// USD per 1,000 accepted calls.
    pub price_per_1000: Option<f64>,
}

impl Required for RawService {
    const REQUIRED: &'static [&'static str] = &["name", "latency"];
}

impl Kind for RawService {
    type Model = ExternalService;

    fn validate(&self, cx: &mut Cx<'_>, i: usize, _given: &Given<'_>) -> Option<ExternalService> {
        service(cx, i, self)
    }
}

const SES_QUOTA_HINT: &str = "AWS publishes no starting quota for SES out of the sandbox (aws-facts 10.10: UNCONFIRMED; accounts used to start at 14/s and 50,000 a day): copy your account's from the SES console or Service Quotas, e.g. rate_limit = 14, daily_quota = 50000; or use preset = \"ses-sandbox\" (1/s, 200 a day)";

/// Validates one `[[service]]`.
fn service(cx: &mut Cx<'_>, i: usize, r: &RawService) -> Option<ExternalService> {
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["service", i, f];
    let latency = opt_dist(cx, &p("latency"), &Some(r.latency.clone()));
    let preset = r
        .preset
        .as_ref()
        .map(|_| choice(cx, &p("preset"), &r.preset, &Preset::NAMES, Preset::Ses));
    let base = match preset {
        Some(Preset::SesSandbox) => {
            for (f, given) in [
                ("rate_limit", r.rate_limit.is_some()),
                ("daily_quota", r.daily_quota.is_some()),
            ] {
                if given {
                    cx.err(
                        &p(f),
                        format!("`{f}` cannot be set with preset = \"ses-sandbox\""),
                        "the SES sandbox's limits are fixed by AWS: 1 message/s and 200 per 24 h (aws-facts 10.10); for an account out of the sandbox use preset = \"ses\" with its quota",
                    );
                }
            }
            ExternalService::ses_sandbox(&r.name, crate::dist::Dist::Const(0.0))
        }
        Some(Preset::Ses) => {
            for (f, given) in [
                ("rate_limit", r.rate_limit.is_some()),
                ("daily_quota", r.daily_quota.is_some()),
            ] {
                if !given {
                    cx.err(
                        &p(f),
                        format!("preset = \"ses\" needs the account's sending quota: `{f}`"),
                        SES_QUOTA_HINT,
                    );
                }
            }
            ExternalService::ses(&r.name, crate::dist::Dist::Const(0.0), 1.0, 1)
        }
        None => ExternalService::new(&r.name, crate::dist::Dist::Const(0.0)),
    };
    let rate = r.rate_limit.map(|v| {
        let (lo, hi) = s::RATE_LIMIT;
        in_range(
            cx,
            &p("rate_limit"),
            v,
            lo,
            hi,
            "calls per second the service accepts (a token bucket's refill); SES: the account's maximum send rate",
        )
    });
    if r.burst.is_some() && rate.is_none() && base.rate_limit.is_none() {
        cx.err(
            &p("burst"),
            "`burst` without `rate_limit`",
            "burst is the size of the rate limit's token bucket: add rate_limit = <calls per second>, or remove burst",
        );
    }
    let rate_limit = rate
        .map(|rate| RateLimit {
            rate,
            burst: s::default_burst(rate),
        })
        .or(base.rate_limit)
        .map(|mut l| {
            if let Some(b) = r.burst {
                let (lo, hi) = s::BURST;
                l.burst = in_range(
                    cx,
                    &p("burst"),
                    b,
                    lo,
                    hi,
                    "calls the token bucket holds (default: one second's worth, at least 1)",
                );
            }
            l
        });
    let daily_quota = match r.daily_quota {
        Some(q) => Some(int_in(
            cx,
            &p("daily_quota"),
            Some(q),
            1,
            s::DAILY_QUOTA,
            "calls accepted per day of the run's clock (UTC midnight to midnight); SES: the account's 24-hour sending quota",
        )),
        None => base.daily_quota,
    };
    let price_per_1000 = match r.price_per_1000 {
        Some(v) => in_range(
            cx,
            &p("price_per_1000"),
            v,
            0.0,
            s::MAX_PRICE_PER_1000,
            "USD per 1,000 accepted calls (SES: 0.10)",
        ),
        None => base.price_per_1000,
    };
    let latency = latency?;
    (cx.problems.len() == before).then(|| ExternalService {
        name: r.name.clone(),
        latency,
        rate_limit,
        daily_quota,
        price_per_1000,
        preset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::assert_required;

    #[test]
    fn required_fields_are_required() {
        assert_required::<RawService>();
    }
}
