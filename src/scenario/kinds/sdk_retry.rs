//! `sdk_retry = { ... }` of a `[[table]]` or a `[[lambda]]`: its raw
//! struct and its validation into [`SdkRetry`]: the mode's defaults
//! (`model::sdk_retry`), then each field given, bounded.
//!
//! Must not know: how a backoff is drawn or a quota kept.

use crate::engine::SimDuration;
use crate::model::limits::{self, secs};
use crate::model::sdk_retry::{MAX_RETRY_QUOTA, MAX_SDK_ATTEMPTS};
use crate::model::{SdkRetry, SdkRetryMode};
use crate::scenario::context::Cx;
use crate::scenario::locate::FieldPath;
use crate::scenario::numbers::show_ns;
use crate::scenario::raw::Required;
use crate::scenario::validate::{choice, dur_in, int_in};

/// `sdk_retry = { ... }`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSdkRetry {
    /// `"legacy"`, `"standard"`, `"standard-2026"` or `"adaptive"`.
    pub mode: Option<String>,
    pub max_attempts: Option<i64>,
    /// Base backoff of every retry (both bases).
    pub base: Option<String>,
    /// Base backoff after a throttling error.
    pub throttle_base: Option<String>,
    pub max_backoff: Option<String>,
    /// Retry-quota capacity \[tokens\].
    pub quota: Option<i64>,
}

impl Required for RawSdkRetry {}

/// Validates the `sdk_retry` at `sp`. Problems go to `cx` (the caller
/// counts them); the value returned then holds defaults in their place.
///
/// Precedence: the mode's defaults (default mode `standard-2026`), then
/// `base` (both bases), then `throttle_base` (the base after throttling
/// errors only), `max_attempts`, `max_backoff` and `quota`.
pub fn sdk_retry(cx: &mut Cx<'_>, sp: &FieldPath, r: &RawSdkRetry) -> SdkRetry {
    let mode = choice(
        cx,
        &sp.join("mode"),
        &r.mode,
        &SdkRetryMode::NAMES,
        SdkRetryMode::Standard2026,
    );
    let d = SdkRetry::mode(mode);
    let max_attempts = int_in(
        cx,
        &sp.join("max_attempts"),
        r.max_attempts,
        d.max_attempts.into(),
        (1, MAX_SDK_ATTEMPTS.into()),
        "it counts the first attempt; 1 = no retries (DynamoDB defaults: legacy 10, standard 3, standard-2026 and adaptive 4; aws-facts 5.4)",
    ) as u32;
    let wait = |cx: &mut Cx<'_>, f: &str, raw: &Option<String>, default: SimDuration| {
        dur_in(
            cx,
            &sp.join(f),
            raw,
            default,
            (0, secs(limits::MAX_RETRY_WAIT_S)),
            "0s..=1h",
            "SDKs cap their backoff at 20s (aws-facts 5.4); slsim allows up to 1h",
        )
    };
    let base = wait(cx, "base", &r.base, d.base);
    // An explicit `base` sets both bases; `throttle_base` then overrides
    // the one used after throttling errors.
    let throttle_default = if r.base.is_some() {
        base
    } else {
        d.throttle_base
    };
    let throttle_base = wait(cx, "throttle_base", &r.throttle_base, throttle_default);
    let max_backoff = wait(cx, "max_backoff", &r.max_backoff, d.max_backoff);
    // A value in a message, saying when it is the mode's default.
    let show = |d: SimDuration, raw: &Option<String>| match raw {
        Some(_) => show_ns(d),
        None => format!("{}, mode `{}`'s default", show_ns(d), mode.name()),
    };
    if max_backoff < base {
        cx.err(
            &sp.join("max_backoff"),
            format!(
                "max_backoff ({}) is below base ({})",
                show(max_backoff, &r.max_backoff),
                show(base, &r.base)
            ),
            "the cap must be >= the base backoff: raise max_backoff or lower base",
        );
    }
    if r.throttle_base.is_some() && max_backoff < throttle_base {
        cx.err(
            &sp.join("max_backoff"),
            format!(
                "max_backoff ({}) is below throttle_base ({})",
                show(max_backoff, &r.max_backoff),
                show_ns(throttle_base)
            ),
            "the cap must be >= the base backoff after throttling errors: raise max_backoff or lower throttle_base",
        );
    }
    let quota = match (d.quota, r.quota) {
        (None, Some(_)) => {
            cx.err(
                &sp.join("quota"),
                format!("mode `{}` has no retry quota", mode.name()),
                "remove `quota`, or use mode \"standard\", \"standard-2026\" or \"adaptive\"",
            );
            None
        }
        (q, None) => q,
        (Some(q), Some(_)) => Some(crate::model::RetryQuota {
            capacity: int_in(
                cx,
                &sp.join("quota"),
                r.quota,
                q.capacity.into(),
                (1, MAX_RETRY_QUOTA.into()),
                "retry-quota tokens; the SDKs start with 500 (a retry costs 5 to 14)",
            ) as u32,
            ..q
        }),
    };
    SdkRetry {
        max_attempts,
        base,
        throttle_base,
        max_backoff,
        quota,
        ..d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::assert_required;

    #[test]
    fn nothing_is_required() {
        assert_required::<RawSdkRetry>();
    }
}
