//! What the buckets cost (aws-facts 10.7, "Prices"): storage by the
//! GB-month (S3 Standard, tiered on the account's monthly GB), requests
//! (PUT, COPY, POST and LIST per 1,000; GET per 1,000; DELETE free; only
//! served attempts: a 503 Slow Down is not billed \[A\]); and the data a
//! workload's direct gets send to the internet, as data transfer out
//! (aws-facts 10.2; the same tiers as API responses, priced jointly with
//! them in `sim::price`). One bill, `s3`.
//!
//! S3's free tier is for an account's first 12 months (not in the fact
//! sheet) and is not applied; nor is storage grown by the run's puts: the
//! month is billed for `size_gb` \[A\].

use indexmap::IndexMap;

use super::BucketStats;
use crate::cost::prices::S3Prices;
use crate::cost::{tiered, Bill, Pricing};

/// The monthly bills of every bucket: S3 (their data transfer out is
/// priced with the APIs' in `sim::price`).
pub fn bills(stats: &IndexMap<String, BucketStats>, p: &Pricing<'_>) -> Vec<Bill> {
    let names = || stats.keys().cloned();
    let usage: Vec<S3Usage> = stats
        .values()
        .map(|b| S3Usage {
            put_list: (b.billed.put + b.billed.list) as f64 * p.scale,
            get: b.billed.get as f64 * p.scale,
            delete: b.billed.delete as f64 * p.scale,
            storage_gb: b.size_gb * p.always_on(),
        })
        .collect();
    vec![Bill {
        service: "s3",
        components: names().zip(s3_costs(&usage, &p.prices.s3)).collect(),
    }]
}

/// One bucket's monthly usage.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct S3Usage {
    /// PUT, COPY, POST and LIST requests [per month].
    pub put_list: f64,
    /// GET requests [per month].
    pub get: f64,
    /// DELETE requests [per month].
    pub delete: f64,
    /// Storage \[GB-month\].
    pub storage_gb: f64,
}

/// Monthly S3 cost of each bucket \[USD\]: requests at their price per
/// 1,000; storage tiered on the sum over buckets, split back in
/// proportion.
pub fn s3_costs(usage: &[S3Usage], p: &S3Prices) -> Vec<f64> {
    let total_gb: f64 = usage.iter().map(|u| u.storage_gb).sum();
    let per_gb = if total_gb > 0.0 {
        tiered(total_gb, &p.storage_usd_per_gb_month, 1.0) / total_gb
    } else {
        0.0
    };
    usage
        .iter()
        .map(|u| {
            (u.put_list * p.put_usd_per_thousand
                + u.get * p.get_usd_per_thousand
                + u.delete * p.delete_usd_per_thousand)
                / 1e3
                + u.storage_gb * per_gb
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Tier;

    fn prices() -> S3Prices {
        S3Prices {
            storage_usd_per_gb_month: vec![
                Tier {
                    up_to: Some(51_200.0),
                    price: 0.023,
                },
                Tier {
                    up_to: Some(512_000.0),
                    price: 0.022,
                },
                Tier {
                    up_to: None,
                    price: 0.021,
                },
            ],
            put_usd_per_thousand: 0.005,
            get_usd_per_thousand: 0.0004,
            delete_usd_per_thousand: 0.0,
        }
    }

    #[test]
    fn requests_and_storage_are_priced_per_the_fact_sheet() {
        // 2,000 puts, 1,000 lists, 10,000 gets, 500 deletes, 100 GB:
        // 3 x $0.005 + 10 x $0.0004 + 0 + 100 x $0.023 = $2.319.
        let u = S3Usage {
            put_list: 3000.0,
            get: 10_000.0,
            delete: 500.0,
            storage_gb: 100.0,
        };
        let c = s3_costs(&[u], &prices());
        assert!((c[0] - 2.319).abs() < 1e-12, "{c:?}");
        // Storage tiers on the sum: 60,000 GB in two buckets = 51,200 x
        // 0.023 + 8,800 x 0.022 = $1,371.20, split 1:2.
        let a = S3Usage {
            storage_gb: 20_000.0,
            ..Default::default()
        };
        let b = S3Usage {
            storage_gb: 40_000.0,
            ..Default::default()
        };
        let c = s3_costs(&[a, b], &prices());
        assert!((c[0] + c[1] - 1371.2).abs() < 1e-9, "{c:?}");
        assert!((c[1] - 2.0 * c[0]).abs() < 1e-9, "{c:?}");
        assert_eq!(s3_costs(&[S3Usage::default()], &prices()), vec![0.0]);
    }
}
