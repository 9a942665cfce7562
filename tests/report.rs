//! Output files: presence, shape, atomicity, determinism; the text summary.

use indexmap::IndexMap;
use slsim::metrics::{LatencySummary, Series, TimeSeries};
use slsim::model::{ApiType, Architecture};
use slsim::report::{summary_text, write_outputs, ReportError, FILES};
use slsim::services::api_gateway::ApiStats;
use slsim::services::client::{RouteStats, WorkloadStats};
use slsim::services::lambda::FunctionStats;
use slsim::services::table::{CapacityMode, TableStats};
use slsim::sim::RunResult;

fn latency(scale: f64) -> LatencySummary {
    let table: Vec<(f64, f64)> = [50.0, 90.0, 99.0, 99.9, 100.0]
        .iter()
        .map(|&p| (p, scale * (1.0 + p / 25.0)))
        .collect();
    LatencySummary {
        count: 1000,
        mean: Some(scale * 2.5),
        p50: Some(table[0].1),
        p90: Some(table[1].1),
        p99: Some(table[2].1),
        p999: Some(table[3].1),
        max: Some(table[4].1),
        table,
    }
}

/// A small hand-built result: one workload with two routes, an API, two
/// functions, a table, six time series of 10 buckets, a priced cost.
fn sample() -> RunResult {
    let mut routes = IndexMap::new();
    routes.insert(
        "GET /todos".to_string(),
        RouteStats {
            requests: 90_000,
            succeeded: 89_950,
            latency_ms: latency(10.0),
        },
    );
    routes.insert(
        "POST /todos".to_string(),
        RouteStats {
            requests: 10_000,
            succeeded: 9_950,
            latency_ms: latency(20.0),
        },
    );
    let mut status = IndexMap::new();
    status.insert("200".to_string(), 99_900);
    status.insert("429".to_string(), 60);
    status.insert("502".to_string(), 30);
    let mut workloads = IndexMap::new();
    workloads.insert(
        "users".to_string(),
        WorkloadStats {
            requests: 100_000,
            succeeded: 99_900,
            throttled: 60,
            failed: 30,
            timed_out: 4,
            in_flight: 6,
            retries: 80,
            status: status.clone(),
            latency_ms: latency(12.0),
            routes,
            ..Default::default()
        },
    );
    let mut apis = IndexMap::new();
    apis.insert(
        "todo-api".to_string(),
        ApiStats {
            requests: 100_080,
            throttled: 60,
            cache_hits: 0,
            status,
            kind: ApiType::Rest,
            cache_size_gb: 0.0,
            billed_requests: 100_020,
            ..ApiStats::default()
        },
    );
    let mut functions = IndexMap::new();
    functions.insert(
        "list-todos".to_string(),
        FunctionStats {
            invocations: 89_990,
            cold_starts: 45,
            cold_start_ratio: Some(45.0 / 89_990.0),
            throttles: 0,
            rate_throttles: 0,
            errors: 20,
            timeouts: 0,
            max_concurrency: 14,
            mean_concurrency: 3.27,
            mean_environments: 9.5,
            gb_seconds: 2_700.5,
            provisioned_gb_seconds: 0.0,
            provisioned_reinits: 0,
            idle_gb_seconds: 3_100.0,
            prewarms: 0,
            mean_duration_ms: Some(60.1),
            mean_init_ms: Some(310.0),
            cost_per_invocation_usd: None,
            ended: 0,
            memory_mb: 512,
            arch: Architecture::Arm64,
            provisioned_concurrency: 0,
            reserved_concurrency: None,
            asynchronous: None,
        },
    );
    functions.insert(
        "create-todo".to_string(),
        FunctionStats {
            invocations: 10_000,
            cold_starts: 12,
            throttles: 0,
            errors: 10,
            timeouts: 4,
            max_concurrency: 5,
            mean_concurrency: 0.61,
            mean_environments: 3.1,
            gb_seconds: 1_500.25,
            memory_mb: 1024,
            arch: Architecture::X86_64,
            ..Default::default()
        },
    );
    let mut tables = IndexMap::new();
    tables.insert(
        "todos".to_string(),
        TableStats {
            reads: 89_990,
            writes: 10_000,
            throttled: 3,
            retries: 3,
            failed: 0,
            dax_hits: 0,
            consumed_rcu: 44_995.0,
            consumed_wcu: 10_000.0,
            mode: CapacityMode::Provisioned,
            rcu: 100.0,
            wcu: 25.0,
            ..Default::default()
        },
    );
    let series = ["users", "list-todos", "create-todo"]
        .iter()
        .flat_map(|c| ["rps", "concurrency"].map(|m| (c.to_string(), m.to_string())))
        .enumerate()
        .map(|(k, (component, metric))| Series {
            component,
            metric,
            unit: "requests/s",
            values: (0..10).map(|i| (i * (k + 1)) as f64 / 3.0).collect(),
        })
        .collect();
    let mut r = RunResult {
        scenario: "sample".into(),
        seed: 42,
        start_clock: "00:00:00".into(),
        simulated_seconds: 660.0,
        measured_seconds: 600.0,
        events: 1_234_567,
        wall_seconds: 0.42,
        provenance: Default::default(),
        stopped_early: None,
        warnings: vec![],
        timeseries_interval_s: 60.0,
        sections: slsim::services::Sections {
            workloads,
            apis,
            functions,
            tables,
            ..Default::default()
        },
        caches: Vec::new(),
        cost: Default::default(),
        findings: Vec::new(),
        slos: Vec::new(),
        objective: None,
        recommendation: None,
        timelines: Vec::new(),
        timeseries: TimeSeries {
            interval_s: 60.0,
            series,
        },
    };
    let prices = slsim::cost::builtin::for_region("us-east-1").unwrap();
    r.cost = slsim::sim::price::price(&r, &prices, false);
    r
}

fn read(dir: &std::path::Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

#[test]
fn writes_the_three_files_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out").join("nested");
    let written = write_outputs(&dir, &sample(), None).unwrap();
    let expect: Vec<_> = FILES.iter().map(|f| dir.join(f)).collect();
    assert_eq!(written, expect);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["latency.csv", "summary.json", "timeseries.csv"]);
}

#[test]
fn summary_json_has_the_documented_keys() {
    let tmp = tempfile::tempdir().unwrap();
    write_outputs(tmp.path(), &sample(), None).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&read(tmp.path(), "summary.json")).unwrap();
    for k in [
        "scenario",
        "seed",
        "simulated_seconds",
        "events",
        "wall_seconds",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    let w = &v["workloads"]["users"];
    for k in [
        "requests",
        "succeeded",
        "throttled",
        "failed",
        "timed_out",
        "in_flight",
    ] {
        assert!(w[k].is_u64(), "workload.{k}");
    }
    for k in ["mean", "p50", "p90", "p99", "p999", "max"] {
        assert!(w["latency_ms"][k].is_number(), "latency_ms.{k}");
    }
    let f = &v["functions"]["list-todos"];
    for k in [
        "invocations",
        "cold_starts",
        "throttles",
        "errors",
        "timeouts",
        "max_concurrency",
        "mean_concurrency",
        "mean_environments",
        "gb_seconds",
    ] {
        assert!(f[k].is_number(), "function.{k}");
    }
    let t = &v["tables"]["todos"];
    for k in [
        "reads",
        "writes",
        "throttled",
        "consumed_rcu",
        "consumed_wcu",
    ] {
        assert!(t[k].is_number(), "table.{k}");
    }
    let c = &v["cost"];
    for k in ["total_usd", "monthly_usd", "per_million_requests_usd"] {
        assert!(c[k].as_f64().unwrap() > 0.0, "cost.{k}");
    }
    for k in ["lambda", "api_gateway", "dynamodb"] {
        assert!(c["by_service"][k].is_number(), "by_service.{k}");
    }
    // Scenario order is kept in the file (serde_json::Value sorts keys).
    let text = String::from_utf8(read(tmp.path(), "summary.json")).unwrap();
    assert!(text.find("\"list-todos\"").unwrap() < text.find("\"create-todo\"").unwrap());
    assert_eq!(v["seed"], 42);
}

#[test]
fn csv_headers_and_row_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let r = sample();
    write_outputs(tmp.path(), &r, None).unwrap();

    let ts = String::from_utf8(read(tmp.path(), "timeseries.csv")).unwrap();
    let lines: Vec<&str> = ts.lines().collect();
    assert_eq!(lines[0], "t_s,component,metric,value,unit");
    assert_eq!(lines.len(), 1 + 6 * 10);
    assert_eq!(lines[1], "0,users,rps,0,requests/s");
    assert_eq!(lines[7], "60,users,rps,0.3333333333333333,requests/s");
    assert!(lines
        .last()
        .unwrap()
        .starts_with("540,create-todo,concurrency,"));

    let lat = String::from_utf8(read(tmp.path(), "latency.csv")).unwrap();
    let lines: Vec<&str> = lat.lines().collect();
    assert_eq!(lines[0], "workload,route,percentile,latency_ms");
    // 5 percentiles for the workload (*) and for each of its 2 routes.
    assert_eq!(lines.len(), 1 + 3 * 5);
    assert_eq!(lines[1], "users,*,50,36");
    assert!(lines[4].starts_with("users,*,99.9,59.95"), "{}", lines[4]);
    assert_eq!(lines[6], "users,GET /todos,50,30");
    assert!(lines[11].starts_with("users,POST /todos,50,"));
}

#[test]
fn no_temp_files_remain_and_rewrites_replace() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("summary.json"), "stale, half-written").unwrap();
    write_outputs(tmp.path(), &sample(), None).unwrap();
    write_outputs(tmp.path(), &sample(), None).unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(serde_json::from_slice::<serde_json::Value>(&read(tmp.path(), "summary.json")).is_ok());
}

#[test]
fn identical_results_give_identical_bytes_except_wall_time() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_outputs(a.path(), &sample(), None).unwrap();
    let mut other = sample();
    other.wall_seconds = 99.5;
    write_outputs(b.path(), &other, None).unwrap();
    for f in ["timeseries.csv", "latency.csv"] {
        assert_eq!(read(a.path(), f), read(b.path(), f), "{f}");
    }
    let strip = |bytes: Vec<u8>| {
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("\"wall_seconds\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip(read(a.path(), "summary.json")),
        strip(read(b.path(), "summary.json"))
    );
    let again = tempfile::tempdir().unwrap();
    write_outputs(again.path(), &sample(), None).unwrap();
    for f in FILES {
        assert_eq!(read(a.path(), f), read(again.path(), f), "{f}");
    }
}

#[test]
fn unwritable_directory_names_the_path_and_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let err = write_outputs(&file.join("out"), &sample(), None).unwrap_err();
    assert!(matches!(err, ReportError::CreateDir { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains(&file.join("out").display().to_string()),
        "{msg}"
    );
    assert!(msg.contains("hint:"), "{msg}");
}

#[test]
fn summary_text_one_line_per_component() {
    let text = summary_text(&sample());
    println!("{text}");
    let line = |start: &str| {
        text.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line starting with {start:?} in\n{text}"))
            .to_string()
    };
    assert!(line("sample:").contains("1,234,567 events"));
    let users = line("users ");
    for cell in ["100,000", "99.90%", "60", "30", "36.0", "59.5"] {
        assert!(users.contains(cell), "{cell} not in {users:?}");
    }
    assert!(line("list-todos ").contains("0.05%"));
    assert!(line("create-todo ").contains("0.12%"));
    assert!(line("todos ").contains("89,990"));
    assert!(line("todos ").contains("44,995"));
    assert!(line("todo-api ").contains("100,080"));
    assert!(line("total ").contains('.'));
    assert!(line("per million requests:").contains("free tier: off"));
    // Aligned: every row of the workload table is as wide as its header.
    assert!(!text.contains('\t') && !text.contains('\x1b'));
}

#[cfg(unix)]
#[test]
fn new_files_are_world_readable_and_existing_modes_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let kept = tmp.path().join("latency.csv");
    std::fs::write(&kept, "old").unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
    write_outputs(tmp.path(), &sample(), None).unwrap();
    let mode = |f: &str| {
        std::fs::metadata(tmp.path().join(f))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    // A plain new file shows the umask; ours is rw-r--r-- under it.
    std::fs::write(tmp.path().join("plain"), "").unwrap();
    assert_eq!(mode("summary.json"), mode("plain") & 0o644);
    assert_eq!(mode("latency.csv"), 0o640);
}
