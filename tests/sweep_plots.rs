//! The charts and the report a whole sweep writes: which charts for one
//! and for two varied fields, SLO lines, categories for values that are
//! not numbers, `--no-plots`, and `slsim report DIR` on a sweep's
//! directory rewriting the same report.

use assert_cmd::Command;
use std::path::Path;

const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");

fn sweep(out: &Path, args: &[&str]) {
    let o = Command::cargo_bin("slsim")
        .unwrap()
        .args(["sweep", "--quiet", "--out"])
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn plot_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = match std::fs::read_dir(dir.join("plots")) {
        Ok(d) => d
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

#[test]
fn two_fields_give_curves_per_value_a_heatmap_and_the_power_tuning_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("todo");
    sweep(
        &out,
        &[
            &format!("{SCENARIOS}/mytodolist.toml"),
            "--set",
            "simulation.duration=20m",
            "--set",
            "simulation.warmup=5m",
        ],
    );
    let names = plot_names(&out);
    // SVG and PNG of: the Power Tuning chart of list-todos, the heatmap
    // of the objective, the objective's curves and one per SLO metric.
    assert_eq!(
        names
            .iter()
            .filter(|n| n.ends_with(".svg"))
            .map(|n| n.trim_end_matches(".svg"))
            .collect::<Vec<_>>(),
        [
            "01-power-tuning-list-todos",
            "02-heatmap-cost-monthly-usd",
            "03-sweep-cost-monthly-usd",
            "04-sweep-workloads-users-latency-ms-p99",
            "05-sweep-workloads-users-error-ratio",
            "06-sweep-workloads-files-latency-ms-p99",
        ]
    );
    assert_eq!(names.len(), 12);
    let svg = |n: &str| std::fs::read_to_string(out.join("plots").join(n)).unwrap();
    // One line per load (legend entries are the arrival strings), the
    // SLO bound as a limit line, a note naming the second field.
    let p99 = svg("04-sweep-workloads-users-latency-ms-p99.svg");
    assert!(p99.contains("SLO users p99 ≤ 100"), "no SLO line");
    assert!(p99.contains("one line per value of workload.users.arrival"));
    for load in ["diurnal(mean=60", "diurnal(mean=120", "diurnal(mean=240"] {
        assert!(p99.contains(load), "no line for {load}");
    }
    let heat = svg("02-heatmap-cost-monthly-usd.svg");
    assert!(heat.contains("Objective: minimize cost.monthly_usd (mean)"));
    // The manifest records the goals the lines come from, and lists the
    // charts and the report.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("sweep.json")).unwrap()).unwrap();
    assert_eq!(manifest["slos"].as_array().unwrap().len(), 3);
    assert_eq!(manifest["objective"]["metric"], "cost.monthly_usd");
    let files = manifest["files"].as_object().unwrap();
    assert!(
        files.contains_key("report.html")
            && files.contains_key("plots/01-power-tuning-list-todos.svg")
    );

    // The report shows the sweep and its charts; `slsim report` on the
    // directory writes the same bytes.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Sweep in brief") && html.contains("sweep-summary"));
    assert!(html.contains("data-file=\"plots/02-heatmap-cost-monthly-usd.svg\""));
    // Its answer: the best feasible point named from sweep.json, with the
    // caution that the traffic is among the varied fields.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("sweep.json")).unwrap()).unwrap();
    let best = &manifest["best"]["values"]["lambda.list-todos.memory_mb"];
    assert!(best.is_string(), "{manifest}");
    assert!(
        html.contains("Best feasible point"),
        "no best point in the report"
    );
    assert!(html.contains("Caution: the traffic is varied (workload.users.arrival)"));
    assert!(!html.contains("No recommendation was asked for"));
    let md = std::fs::read(out.join("report.md")).unwrap();
    let o = Command::cargo_bin("slsim")
        .unwrap()
        .args(["report", "--quiet"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(out.join("report.html")).unwrap(),
        html
    );
    assert_eq!(std::fs::read(out.join("report.md")).unwrap(), md);
}

#[test]
fn values_that_are_not_numbers_are_categories_and_no_plots_writes_none() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cat");
    let minimal = format!("{SCENARIOS}/minimal.toml");
    let vary =
        "workload.users.arrival=\"poisson(rate=5)\",\"poisson(rate=20)\",\"constant(rate=40)\"";
    sweep(&out, &[&minimal, "--vary", vary]);
    let names = plot_names(&out);
    // No SLOs: the monthly cost and each workload's p99 (nothing throttled
    // or failed, so no such chart).
    assert_eq!(
        names,
        [
            "01-sweep-cost-monthly-usd.png",
            "01-sweep-cost-monthly-usd.svg",
            "02-sweep-workloads-users-latency-ms-p99.png",
            "02-sweep-workloads-users-latency-ms-p99.svg",
        ]
    );
    let svg = std::fs::read_to_string(out.join("plots/01-sweep-cost-monthly-usd.svg")).unwrap();
    for tick in ["poisson(rate=5)", "poisson(rate=20)", "constant(rate=40)"] {
        assert!(svg.contains(tick), "no category {tick}");
    }

    let bare = tmp.path().join("bare");
    sweep(&bare, &[&minimal, "--vary", vary, "--no-plots"]);
    assert!(plot_names(&bare).is_empty() && !bare.join("plots").exists());
    assert!(bare.join("report.html").exists() && bare.join("report.md").exists());
    for f in ["sweep.csv", "sweep_summary.csv"] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(bare.join(f)).unwrap()
        );
    }
}
