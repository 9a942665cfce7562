//! The built-in price tables (`prices/*.toml`), compiled into the binary.
//!
//! The only TOML `cost` reads: its own tables, whose shape is
//! [`PriceTable`] (scenario files are read by `scenario` alone).

use super::PriceTable;

const US_EAST_1: &str = include_str!("../../prices/us-east-1.toml");

/// The price table of `region`, or `None` when slsim has none for it (see
/// [`crate::model::REGIONS`]).
pub fn for_region(region: &str) -> Option<PriceTable> {
    let text = match region {
        "us-east-1" => US_EAST_1,
        _ => return None,
    };
    // The tables are compiled in and checked by the tests below, so a parse
    // failure here is a build defect, not a user error.
    Some(parse(text).unwrap_or_else(|e| panic!("built-in price table {region} is invalid: {e}")))
}

/// Parses and checks a price table in the `prices/*.toml` format.
pub fn parse(text: &str) -> Result<PriceTable, String> {
    let table: PriceTable = toml::from_str(text).map_err(|e| e.to_string())?;
    table.check()?;
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::REGIONS;

    #[test]
    fn every_shipped_table_parses_and_names_its_region() {
        for region in REGIONS {
            let t = for_region(region).expect("listed region has a table");
            assert_eq!(t.region, *region);
        }
        assert!(for_region("mars-north-1").is_none());
    }

    #[test]
    fn us_east_1_has_the_fact_sheet_numbers() {
        let t = for_region("us-east-1").unwrap();
        assert_eq!(t.lambda.request_usd_per_million, 0.20);
        assert_eq!(t.lambda.duration_x86_usd_per_gb_s[0].price, 0.0000166667);
        assert_eq!(t.lambda.duration_arm64_usd_per_gb_s[0].price, 0.0000133334);
        assert_eq!(t.lambda.provisioned_concurrency_usd_per_gb_s, 0.0000041667);
        assert_eq!(t.lambda.provisioned_duration_usd_per_gb_s, 0.0000097222);
        assert_eq!(t.lambda.free_requests_per_month, 1e6);
        assert_eq!(t.lambda.free_gb_seconds_per_month, 400_000.0);
        let rest = &t.api_gateway.rest_usd_per_million;
        assert_eq!(rest.len(), 4);
        assert_eq!((rest[0].up_to, rest[0].price), (Some(333e6), 3.50));
        assert_eq!((rest[3].up_to, rest[3].price), (None, 1.51));
        let http = &t.api_gateway.http_usd_per_million;
        assert_eq!((http[0].up_to, http[0].price), (Some(300e6), 1.00));
        assert_eq!((http[1].up_to, http[1].price), (None, 0.90));
        assert_eq!(t.dynamodb.read_request_usd_per_million, 0.125);
        assert_eq!(t.dynamodb.write_request_usd_per_million, 0.625);
        assert_eq!(t.dynamodb.rcu_usd_per_hour, 0.00013);
        assert_eq!(t.dynamodb.wcu_usd_per_hour, 0.00065);
    }

    #[test]
    fn unknown_fields_and_bad_tiers_are_rejected() {
        let good = US_EAST_1;
        let unknown = good.replace("cache_gb = 0.5", "cache_gb = 0.5\ncache_gib = 1");
        assert!(parse(&unknown).unwrap_err().contains("cache_gib"));
        let unbounded = good.replace("{ price = 0.90 }", "{ up_to = 1e12, price = 0.90 }");
        let e = parse(&unbounded).unwrap_err();
        assert!(e.contains("http_usd_per_million"), "{e}");
    }
}
