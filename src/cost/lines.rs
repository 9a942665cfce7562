//! The pure price arithmetic: monthly usage in, monthly USD out.
//!
//! Every function here takes usage for a whole (730-hour) month, because
//! free tiers and price tiers are monthly, account-wide quantities. Each
//! returns one cost per input item, in input order: where a free tier or a
//! price tier is shared by several components, the shared line is priced on
//! the sum and split back in proportion to each item's billable usage.

use super::prices::Tier;

/// Hours in the month used for projections (AWS's convention).
pub const MONTH_HOURS: f64 = 730.0;
/// Seconds in that month.
pub const MONTH_SECONDS: f64 = MONTH_HOURS * 3600.0;

/// Fraction of a monthly `total` left to bill once a free allowance of
/// `free` is taken off (1 when there is no usage): a free tier shared by
/// several components in proportion to their usage.
pub fn billable_fraction(total: f64, free: f64) -> f64 {
    if total > 0.0 {
        (1.0 - free.min(total) / total).max(0.0)
    } else {
        1.0
    }
}

/// Cost of `quantity` under a tiered price whose prices are per `per` units
/// (1e6 for "per million requests", 1 for "per GB-s").
pub fn tiered(quantity: f64, tiers: &[Tier], per: f64) -> f64 {
    let mut cost = 0.0;
    let mut lower = 0.0;
    for t in tiers {
        if quantity <= lower {
            break;
        }
        let upper = t.up_to.unwrap_or(f64::INFINITY);
        cost += (quantity.min(upper) - lower) * t.price / per;
        lower = upper;
    }
    cost
}
