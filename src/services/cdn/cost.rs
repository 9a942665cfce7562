//! What the distributions cost (aws-facts 10.8, pay-as-you-go, North
//! America and Europe): every request at the HTTPS price per 10,000; the
//! bytes sent to clients as CloudFront data transfer out (tiered on the
//! sum over distributions, split back in proportion); the requests that
//! reach an origin shield; uploads, at S3 Transfer Acceleration's price
//! per GB (aws-facts 10.7) or as data sent to the origin (UNCONFIRMED
//! \[A\]). With `free_tier`, CloudFront's always-free 1 TB and 10 million
//! requests a month come off the sums. Fetches from the origin are free
//! (aws-facts 10.7, 10.8: transfer from AWS origins to CloudFront); the
//! origin's own requests are on its line (S3 requests, API Gateway
//! requests). One bill, `cloudfront`.

use indexmap::IndexMap;

use super::CdnStats;
use crate::cost::prices::CloudFrontPrices;
use crate::cost::{billable_fraction, tiered, Bill, Pricing};

/// The monthly bill of every distribution.
pub fn bills(stats: &IndexMap<String, CdnStats>, p: &Pricing<'_>) -> Vec<Bill> {
    let usage: Vec<CdnUsage> = stats
        .values()
        .map(|s| CdnUsage {
            requests: s.requests as f64 * p.scale,
            gb_out: s.gb_out * p.scale,
            shield_requests: s.shield_requests as f64 * p.scale,
            gb_uploaded: s.gb_uploaded * p.scale,
            transfer_acceleration: s.transfer_acceleration,
        })
        .collect();
    let costs = cdn_costs(&usage, &p.prices.cloudfront, p.free_tier);
    vec![Bill {
        service: "cloudfront",
        components: stats.keys().cloned().zip(costs).collect(),
    }]
}

/// One distribution's monthly usage.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CdnUsage {
    /// Requests [per month].
    pub requests: f64,
    /// Data transfer out to the internet \[GB per month\].
    pub gb_out: f64,
    /// Requests reaching the origin shield [per month].
    pub shield_requests: f64,
    /// Uploads \[GB per month\].
    pub gb_uploaded: f64,
    /// Uploads use S3 Transfer Acceleration.
    pub transfer_acceleration: bool,
}

/// Monthly cost of each distribution \[USD\].
pub fn cdn_costs(usage: &[CdnUsage], p: &CloudFrontPrices, free_tier: bool) -> Vec<f64> {
    let requests: f64 = usage.iter().map(|u| u.requests).sum();
    let gb: f64 = usage.iter().map(|u| u.gb_out).sum();
    let (req_left, gb_free) = if free_tier {
        (
            billable_fraction(requests, p.free_requests_per_month),
            p.free_gb_per_month,
        )
    } else {
        (1.0, 0.0)
    };
    let billed_gb = (gb - gb_free).max(0.0);
    let per_gb = if gb > 0.0 {
        tiered(billed_gb, &p.out_usd_per_gb, 1.0) / gb
    } else {
        0.0
    };
    usage
        .iter()
        .map(|u| {
            let upload = if u.transfer_acceleration {
                p.transfer_acceleration_usd_per_gb
            } else {
                p.to_origin_usd_per_gb
            };
            u.requests * req_left * p.https_usd_per_10k / 1e4
                + u.gb_out * per_gb
                + u.shield_requests * p.origin_shield_usd_per_10k / 1e4
                + u.gb_uploaded * upload
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Tier;

    fn prices() -> CloudFrontPrices {
        CloudFrontPrices {
            https_usd_per_10k: 0.01,
            out_usd_per_gb: vec![
                Tier {
                    up_to: Some(10_240.0),
                    price: 0.085,
                },
                Tier {
                    up_to: None,
                    price: 0.080,
                },
            ],
            free_gb_per_month: 1024.0,
            free_requests_per_month: 1e7,
            origin_shield_usd_per_10k: 0.0075,
            to_origin_usd_per_gb: 0.02,
            transfer_acceleration_usd_per_gb: 0.04,
        }
    }

    #[test]
    fn requests_transfer_shield_and_uploads_are_priced() {
        // 1 M requests ($1), 100 GB out ($8.50), 200,000 shield requests
        // ($0.15), 10 GB uploaded with acceleration ($0.40).
        let u = CdnUsage {
            requests: 1e6,
            gb_out: 100.0,
            shield_requests: 2e5,
            gb_uploaded: 10.0,
            transfer_acceleration: true,
        };
        let c = cdn_costs(&[u], &prices(), false);
        assert!((c[0] - (1.0 + 8.5 + 0.15 + 0.4)).abs() < 1e-9, "{c:?}");
        // Through CloudFront instead: $0.20 for the uploads.
        let v = CdnUsage {
            transfer_acceleration: false,
            ..u
        };
        let c = cdn_costs(&[v], &prices(), false);
        assert!((c[0] - (1.0 + 8.5 + 0.15 + 0.2)).abs() < 1e-9, "{c:?}");
        // The free tier covers 10 M requests and 1 TB: 20,000 GB out in two
        // distributions = 10,240 x 0.085 + 8,736 x 0.080 after the free
        // 1,024 GB, split 1:3; 20 M requests, half free.
        let a = CdnUsage {
            requests: 5e6,
            gb_out: 5000.0,
            ..Default::default()
        };
        let b = CdnUsage {
            requests: 1.5e7,
            gb_out: 15_000.0,
            ..Default::default()
        };
        let c = cdn_costs(&[a, b], &prices(), true);
        let dto = 10_240.0 * 0.085 + 8_736.0 * 0.080;
        let req = 1e7 * 0.01 / 1e4;
        assert!((c[0] + c[1] - dto - req).abs() < 1e-6, "{c:?}");
        assert!((c[1] - 3.0 * c[0]).abs() < 1e-6, "{c:?}");
        assert_eq!(
            cdn_costs(&[CdnUsage::default()], &prices(), true),
            vec![0.0]
        );
    }
}
