//! Per-api identities in summary.json (docs/scenario-format.md, "[[api]]",
//! "Throttling"): every api of the scenario is reported, and
//!
//! * `throttled <= requests`, and `billed_requests <= requests -
//!   throttled` (429s are not billed);
//! * the causes under `throttled_by` are the documented ones and add up to
//!   `throttled`, which is also the count of status 429;
//! * responses by status are at most the requests;
//! * response-cache hits, and authorizer invokes plus authorizer-cache
//!   hits, are each at most the admitted requests (each admitted request
//!   is authorised at most once, and answered from the cache at most
//!   once).
//!
//! A missing count reads as `u64::MAX`, and so breaks the check it is in.

use super::u;
use serde_json::Value;

const CAUSES: [&str; 5] = ["api_key", "quota", "route", "stage", "account"];

/// The sum of a map's counts (`None` on overflow or a non-count).
fn total(v: &Value) -> Option<u64> {
    v.as_object()
        .into_iter()
        .flatten()
        .try_fold(0u64, |a, (_, x)| a.checked_add(x.as_u64()?))
}

/// All the checks above for the scenario's `apis` (by name).
pub fn api_checks(json: &Value, apis: &[String]) -> Vec<String> {
    let mut p = Vec::new();
    for name in apis {
        let a = &json["apis"][name];
        if !a.is_object() {
            p.push(format!("summary.json: no apis.{name:?}"));
            continue;
        }
        let at = format!("api {name:?}");
        let (requests, throttled) = (u(a, "requests"), u(a, "throttled"));
        let admitted = requests.checked_sub(throttled);
        let Some(admitted) = admitted else {
            p.push(format!("{at}: throttled {throttled} > requests {requests}"));
            continue;
        };
        let billed = u(a, "billed_requests");
        if billed > admitted {
            p.push(format!(
                "{at}: billed_requests {billed} > admitted {admitted} (requests {requests} - throttled {throttled})"
            ));
        }
        let by = &a["throttled_by"];
        for cause in by.as_object().into_iter().flatten().map(|(k, _)| k) {
            if !CAUSES.contains(&cause.as_str()) {
                p.push(format!("{at}: unknown throttled_by cause {cause:?}"));
            }
        }
        if total(by) != Some(throttled) {
            p.push(format!(
                "{at}: throttled_by {by} does not add up to throttled {throttled}"
            ));
        }
        let status = &a["status"];
        let s429 = status.get("429").map_or(Some(0), Value::as_u64);
        if s429 != Some(throttled) {
            p.push(format!(
                "{at}: status 429 {s429:?} != throttled {throttled}"
            ));
        }
        if total(status).is_none_or(|n| n > requests) {
            p.push(format!(
                "{at}: responses {status} are more than requests {requests}"
            ));
        }
        let cache = u(a, "cache_hits");
        if cache > admitted {
            p.push(format!("{at}: cache_hits {cache} > admitted {admitted}"));
        }
        let auth = u(a, "authorizer_invokes").checked_add(u(a, "authorizer_cache_hits"));
        if auth.is_none_or(|n| n > admitted) {
            p.push(format!(
                "{at}: authorizer_invokes {} + authorizer_cache_hits {} > admitted {admitted}",
                a["authorizer_invokes"], a["authorizer_cache_hits"]
            ));
        }
    }
    p
}
