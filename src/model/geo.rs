//! Global users and global tables: the places clients may be in, the AWS
//! Regions slsim knows round-trip times for, and those times.
//!
//! Owns: the RTT table of aws-facts §10.11 (cloudping.co p50 over one
//! year, snapshot 2025-10-09), exactly its rows: each client place stands
//! for (is proxied by) one AWS Region, and the table gives that Region's
//! p50 round trip to us-east-1 and to ap-northeast-2 (Seoul); the rule for
//! the round trip to the nearest CloudFront edge \[A\]; a global table's
//! settings ([`GlobalTable`]) and their defaults.
//! Must not know: TOML, how a run works.
//!
//! What is not in the table is not guessed: a round trip between two
//! Regions of which neither is us-east-1 or ap-northeast-2 is `None`, and
//! validation rejects a scenario that needs one.

use crate::dist::Dist;
use crate::engine::{SimDuration, MILLIS};

/// An AWS Region of the RTT table (a row's proxy Region or a column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Region(u8);

/// One row of aws-facts §10.11.
#[derive(Clone, Copy, Debug)]
pub struct Place {
    /// Name in scenarios (`location = "seoul"`).
    pub name: &'static str,
    /// The AWS Region that stands for the place.
    pub region: &'static str,
    /// p50 round trip to us-east-1 \[ms\].
    pub to_us_east_1_ms: f64,
    /// p50 round trip to ap-northeast-2 (Seoul) \[ms\].
    pub to_ap_northeast_2_ms: f64,
}

/// aws-facts §10.11, row by row (cloudping.co p50 over 1 year). The two
/// intra-Region figures are Seoul's 4 ms and Virginia's 5 ms.
pub const PLACES: [Place; 11] = [
    place("seoul", "ap-northeast-2", 179.0, 4.0),
    place("tokyo", "ap-northeast-1", 149.0, 36.0),
    place("singapore", "ap-southeast-1", 219.0, 74.0),
    place("sydney", "ap-southeast-2", 200.0, 146.0),
    place("mumbai", "ap-south-1", 190.0, 134.0),
    place("frankfurt", "eu-central-1", 93.0, 231.0),
    place("london", "eu-west-2", 77.0, 242.0),
    place("ireland", "eu-west-1", 70.0, 231.0),
    place("sao-paulo", "sa-east-1", 115.0, 288.0),
    place("oregon", "us-west-2", 64.0, 123.0),
    place("virginia", "us-east-1", 5.0, 179.0),
];

const fn place(name: &'static str, region: &'static str, us: f64, seoul: f64) -> Place {
    Place {
        name,
        region,
        to_us_east_1_ms: us,
        to_ap_northeast_2_ms: seoul,
    }
}

/// Index in [`PLACES`] of Virginia (us-east-1).
const US_EAST_1: u8 = 10;
/// Index in [`PLACES`] of Seoul (ap-northeast-2).
const AP_NORTHEAST_2: u8 = 0;

/// Round trip from a client to the nearest CloudFront edge \[ms\] \[A\]:
/// 5 ms, the larger of the two intra-Region figures aws-facts §10.11
/// gives (Virginia 5 ms, Seoul 4 ms), for every place: an edge location in
/// the metro of the place's proxy Region. The last mile (≈ 10–30 ms,
/// UNCONFIRMED in §10.11) is not added, as it is not for a Region.
pub const EDGE_RTT_MS: f64 = 5.0;

/// Most replicas of a global table (besides the home Region) \[A\]: every
/// other Region of the RTT table. AWS sets no lower documented limit in
/// aws-facts §10.12 for MREC tables (MRSC tables: exactly 3 Regions).
pub const MAX_REPLICAS: usize = PLACES.len() - 1;

/// Default replication lag of a global table \[s\] \[A\]:
/// lognormal(median = 0.5 s, sigma = 0.5), so that about 92 % of
/// replicated writes arrive within 1 s (aws-facts §10.12: asynchronous,
/// "usually ≤ 1 s", longer between distant Regions; no distribution is
/// published).
pub fn default_replication_lag() -> Dist {
    Dist::LogNormal {
        mu: 0.5f64.ln(),
        sigma: 0.5,
    }
}

/// Largest mean replication lag accepted \[s\]: an hour.
pub const MAX_REPLICATION_LAG_S: f64 = 3600.0;

impl Region {
    /// The home Regions the RTT table has a column for.
    pub const COLUMNS: [Region; 2] = [Region(US_EAST_1), Region(AP_NORTHEAST_2)];

    /// The Region named `name` (e.g. `"ap-northeast-2"`), if the RTT table
    /// has it.
    pub fn parse(name: &str) -> Option<Region> {
        PLACES
            .iter()
            .position(|p| p.region == name)
            .map(|i| Region(i as u8))
    }

    /// Its name, e.g. `"us-east-1"` (its row's proxy Region: the row's
    /// `name` is the place's).
    #[allow(clippy::misnamed_getters)]
    pub fn name(self) -> &'static str {
        PLACES[self.0 as usize].region
    }

    /// Every Region of the table, in row order.
    pub fn names() -> Vec<&'static str> {
        PLACES.iter().map(|p| p.region).collect()
    }

    /// p50 round trip between two Regions \[ms\] (aws-facts §10.11; the
    /// table's two directions agree within 2 ms, so it is symmetric here):
    /// known when one of them is a column (us-east-1, ap-northeast-2). The
    /// same Region: its intra-Region figure where the sheet gives one
    /// (us-east-1 5 ms, ap-northeast-2 4 ms), else [`EDGE_RTT_MS`] \[A\].
    pub fn rtt_ms(self, other: Region) -> Option<f64> {
        let col = |row: Region, col: Region| {
            let p = &PLACES[row.0 as usize];
            match col.0 {
                US_EAST_1 => Some(p.to_us_east_1_ms),
                AP_NORTHEAST_2 => Some(p.to_ap_northeast_2_ms),
                _ => None,
            }
        };
        if self == other && col(self, other).is_none() {
            return Some(EDGE_RTT_MS);
        }
        col(self, other).or_else(|| col(other, self))
    }

    /// [`Region::rtt_ms`] in simulated time \[ns\].
    pub fn rtt(self, other: Region) -> Option<SimDuration> {
        self.rtt_ms(other).map(ms)
    }
}

/// A client place (`location = "seoul"`): an index into [`PLACES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location(u8);

impl Location {
    /// The place named `name`, if the RTT table has it.
    pub fn parse(name: &str) -> Option<Location> {
        PLACES
            .iter()
            .position(|p| p.name == name)
            .map(|i| Location(i as u8))
    }

    /// Every place name, in row order.
    pub fn names() -> Vec<&'static str> {
        PLACES.iter().map(|p| p.name).collect()
    }

    /// Its row.
    pub fn place(self) -> &'static Place {
        &PLACES[self.0 as usize]
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        self.place().name
    }

    /// The Region that stands for it.
    pub fn region(self) -> Region {
        Region(self.0)
    }

    /// p50 round trip to a Region \[ns\]: the proxy Region's (aws-facts
    /// §10.11, no last mile); `None` when the table has no figure.
    pub fn rtt_to(self, r: Region) -> Option<SimDuration> {
        self.region().rtt(r)
    }
}

/// Round trip from a client at `location` to the nearest CloudFront edge
/// \[ns\]: [`EDGE_RTT_MS`] \[A\], the same for every place.
pub fn rtt_to_edge(_location: Location) -> SimDuration {
    ms(EDGE_RTT_MS)
}

/// Milliseconds to nanoseconds.
fn ms(v: f64) -> SimDuration {
    (v * MILLIS as f64).round() as SimDuration
}

/// A DynamoDB global table (version 2019.11.21, multi-Region eventual
/// consistency, MREC): its replicas besides the home Region and how long
/// a write takes to reach them.
#[derive(Clone, Debug)]
pub struct GlobalTable {
    /// Replica Regions, distinct, none the home Region, at most
    /// [`MAX_REPLICAS`].
    pub replicas: Vec<Region>,
    /// Delay from a write in the home Region to its arrival at a replica
    /// \[s\] (the `ReplicationLatency` metric).
    pub lag: Dist,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_as_the_fact_sheet() {
        let seoul = Location::parse("seoul").unwrap();
        let us = Region::parse("us-east-1").unwrap();
        let kr = Region::parse("ap-northeast-2").unwrap();
        assert_eq!(seoul.rtt_to(us), Some(179 * MILLIS));
        assert_eq!(seoul.rtt_to(kr), Some(4 * MILLIS));
        assert_eq!(us.rtt_ms(us), Some(5.0));
        assert_eq!(us.rtt_ms(kr), Some(179.0));
        let fra = Region::parse("eu-central-1").unwrap();
        assert_eq!(fra.rtt_ms(us), Some(93.0));
        assert_eq!(us.rtt_ms(fra), Some(93.0));
        let dub = Region::parse("eu-west-1").unwrap();
        assert_eq!(fra.rtt_ms(dub), None);
        assert_eq!(fra.rtt_ms(fra), Some(EDGE_RTT_MS));
        assert_eq!(
            Location::parse("sao-paulo").unwrap().region().name(),
            "sa-east-1"
        );
        assert!(Location::parse("paris").is_none());
        assert_eq!(rtt_to_edge(seoul), 5 * MILLIS);
    }

    #[test]
    fn default_lag_is_mostly_within_a_second() {
        let Dist::LogNormal { mu, sigma } = default_replication_lag() else {
            panic!()
        };
        // P(lag <= 1 s) = Phi((ln 1 - mu) / sigma) = Phi(1.386) ~ 0.917.
        assert!(((0.0 - mu) / sigma - 1.386).abs() < 0.01);
    }
}
