//! Global users and global tables in scenario files: a workload's
//! `location`, an api's and a function's `region`, a table's `replicas`
//! and `replication_lag`; a full valid example with its defaults, and each
//! bound and cross-check rejected with a located message and a hint.

use slsim::dist::Dist;
use slsim::model::geo::{default_replication_lag, Location, Region};
use slsim::scenario;

#[path = "support/rejected.rs"]
mod rejected;

const GOOD: &str = r#"[simulation]
duration = "1h"

[[workload]]
name = "seoul-users"
target = "api-kr"
arrival = "poisson(rate=5)"
location = "seoul"

[[workload]]
name = "home-users"
target = "read-us"
arrival = "poisson(rate=5)"

[[api]]
name = "api-kr"
region = "ap-northeast-2"
routes = [{ route = "GET /item", target = "read-kr" }]

[[lambda]]
name = "read-kr"
region = "ap-northeast-2"
steps = [{ call = "items", op = "get" }]

[[lambda]]
name = "read-us"
region = "us-east-1"
steps = [{ call = "items", op = "put" }, { call = "plain", op = "get" }]

[[table]]
name = "items"
replicas = ["ap-northeast-2", "eu-west-1"]

[[table]]
name = "plain"
"#;

#[test]
fn a_global_scenario_parses_with_its_defaults() {
    let s = scenario::parse_str(GOOD, "good.toml", &[]).unwrap();
    assert_eq!(s.workloads[0].location, Location::parse("seoul"));
    assert_eq!(s.workloads[1].location, None);
    let kr = Region::parse("ap-northeast-2");
    assert_eq!(s.apis[0].region, kr);
    assert_eq!(s.lambdas[0].region, kr);
    // The home Region written out is the same as not written.
    assert_eq!(s.lambdas[1].region, None);
    let g = s.tables[0].global.as_ref().unwrap();
    assert_eq!(
        g.replicas,
        vec![kr.unwrap(), Region::parse("eu-west-1").unwrap()]
    );
    assert_eq!(g.lag.mean(), default_replication_lag().mean());
    assert!(s.tables[1].global.is_none());
    let s = scenario::parse_str(
        &GOOD.replace(
            "replicas = [\"ap-northeast-2\", \"eu-west-1\"]",
            "replicas = [\"ap-northeast-2\"]\nreplication_lag = \"const(2s)\"",
        ),
        "good.toml",
        &[],
    )
    .unwrap();
    assert!(matches!(s.tables[0].global.as_ref().unwrap().lag, Dist::Const(v) if v == 2.0));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn a_function_in_another_region_that_calls_more_than_tables_is_warned_about() {
    let s = scenario::parse_str(
        &GOOD.replace(
            "steps = [{ call = \"items\", op = \"get\" }]",
            "steps = [{ call = \"items\", op = \"get\" }, { call = \"read-us\" }]",
        ),
        "good.toml",
        &[],
    )
    .unwrap();
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    let w = &s.warnings[0];
    assert!(
        w.contains("lambda[0]") && w.contains("ap-northeast-2") && w.contains("home Region"),
        "{w}"
    );
}

#[test]
fn bad_geography_is_rejected_with_a_hint() {
    let cases: Vec<(&str, String, &[&str])> = vec![
        (
            "unknown location",
            GOOD.replace("location = \"seoul\"", "location = \"seol\""),
            &["workload[0]", ".location", "unknown location `seol`", "did you mean `seoul`"],
        ),
        (
            "unknown region",
            GOOD.replace("region = \"ap-northeast-2\"\nroutes", "region = \"ap-northeast-3\"\nroutes"),
            &["api[0]", ".region", "unknown region `ap-northeast-3`", "ap-northeast-2"],
        ),
        (
            "replica in the home Region",
            GOOD.replace("[\"ap-northeast-2\", \"eu-west-1\"]", "[\"us-east-1\"]"),
            &["table[0]", ".replicas[0]", "home Region", "list only the other Regions"],
        ),
        (
            "replica twice",
            GOOD.replace("\"eu-west-1\"]", "\"ap-northeast-2\"]"),
            &["table[0]", ".replicas[1]", "listed twice"],
        ),
        (
            "too many replicas",
            GOOD.replace(
                "[\"ap-northeast-2\", \"eu-west-1\"]",
                "[\"ap-northeast-2\", \"ap-northeast-1\", \"ap-southeast-1\", \"ap-southeast-2\", \"ap-south-1\", \"eu-central-1\", \"eu-west-2\", \"eu-west-1\", \"sa-east-1\", \"us-west-2\", \"us-west-1\"]",
            ),
            &["table[0]", ".replicas", "11 replicas, above the limit of 10"],
        ),
        (
            "empty replicas",
            GOOD.replace("[\"ap-northeast-2\", \"eu-west-1\"]", "[]"),
            &["table[0]", ".replicas", "replicas is empty"],
        ),
        (
            "bad lag",
            GOOD.replace("\"eu-west-1\"]", "\"eu-west-1\"]\nreplication_lag = \"lognormal(median=2s)\""),
            &["table[0]", ".replication_lag"],
        ),
        (
            "lag too long",
            GOOD.replace("\"eu-west-1\"]", "\"eu-west-1\"]\nreplication_lag = \"const(2h)\""),
            &["table[0]", ".replication_lag", "above the limit of 1h"],
        ),
        (
            "lag without replicas",
            GOOD.replace("name = \"plain\"", "name = \"plain\"\nreplication_lag = \"const(1s)\""),
            &["table[1]", ".replication_lag", "needs replicas"],
        ),
        (
            "api and function in different Regions",
            GOOD.replace("name = \"read-kr\"\nregion = \"ap-northeast-2\"", "name = \"read-kr\""),
            &["api[0]", ".routes[0].target", "function `read-kr` is in us-east-1, the api in ap-northeast-2"],
        ),
        (
            "no round trip in the table",
            GOOD.replace("region = \"ap-northeast-2\"", "region = \"eu-west-1\"")
                .replace("location = \"seoul\"", "location = \"frankfurt\""),
            &["workload[0]", ".location", "no figure from frankfurt to eu-west-1"],
        ),
    ];
    let failures = rejected::failures(cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
