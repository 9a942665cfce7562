//! `slsim recommend SCENARIO`: search the `[sweep]` grid for the settings
//! that meet every SLO and optimise the objective; write the recommended
//! point's run (replication 0, as `slsim run` would) with `recommend.json`
//! and a `recommendation` in its `summary.json`.

use super::sweep::{load, progress, Loaded};
use super::{emit, signals, Failure, ScenarioArgs};
use crate::recommend::{self, output};
use crate::sim::Provenance;
use crate::sweep::exec::Job;
use crate::{report, scenario, sim};
use clap::Args;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `slsim recommend`.
#[derive(Debug, Args)]
pub(super) struct RecommendArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Vary a field over values, as `slsim sweep --vary` (repeatable).
    #[arg(long = "vary", value_name = "PATH=V1,V2,...")]
    vary: Vec<String>,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Master seed, as `slsim sweep --seed`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Output directory [default: output/<scenario name>-recommend/]. It is
    /// replaced as a whole, so it must be new or hold only slsim's results.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print nothing on success (warnings and errors still go to stderr).
    #[arg(long, short)]
    quiet: bool,
}

/// Searches, writes the recommended point's run, prints the reasoning.
pub(super) fn recommend(args: RecommendArgs) -> Result<(), Failure> {
    let Loaded {
        def,
        text,
        file,
        base,
    } = load(args.scenario, args.seed, &args.vary)?;
    if def.criteria.is_empty() {
        return Err(Failure::Input(anyhow::anyhow!(
            "{file}: nothing to recommend by: the scenario has no [[slo]] and no [objective]\n  \
             hint: add e.g. [[slo]] metric = \"workloads.users.latency_ms.p99\", max = 300 \
             (docs/scenario-format.md, \"[[slo]] and [objective]\")"
        )));
    }
    if let Some(v) = def
        .sweep
        .vary
        .iter()
        .find(|v| v.labels.len() > 1 && recommend::search::is_condition(&v.path))
    {
        let last = output::word(&v.set(v.labels.len() - 1));
        return Err(Failure::Input(anyhow::anyhow!(
            "{file}: [sweep.vary] \"{}\" varies a condition (the traffic), not a setting: \
             recommend finds the cheapest settings that meet the SLOs at one traffic\n  \
             hint: pin it to the traffic to plan for, e.g. --vary {last} (slsim sweep \
             shows every value)",
            v.path
        )));
    }
    let dir = args.out.unwrap_or_else(|| {
        PathBuf::from("output").join(format!("{}-recommend", base.simulation.slug()))
    });
    report::check_out_dir(&dir).map_err(Failure::input)?;
    for w in &base.warnings {
        eprintln!("warning: {w}");
    }
    drop(base);
    signals::install().map_err(|e| {
        Failure::runtime(anyhow::Error::new(e).context("cannot install the SIGINT handler"))
    })?;

    let job = Job {
        def: &def,
        text: &text,
        file: &file,
    };
    let bar = progress(def.runs(), args.quiet);
    let threads = args.threads.map(usize::from);
    let outcome = recommend::recommend(&job, threads, &|| bar.inc(1))
        .map_err(|e| Failure::runtime(anyhow::Error::new(e).context("cannot start the threads")))?;
    bar.finish_and_clear();
    let Some(point) = output::shown_point(&outcome) else {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "no point was evaluated (a bug)"
        )));
    };

    // Replication 0 of the point, as `slsim run` with its --set and seed.
    let started = Instant::now();
    let sets = output::run_sets(&def, point);
    let s = scenario::parse_str(&text, &file, &sets).map_err(Failure::input)?;
    let mut result = sim::run_from(&s, started).map_err(Failure::runtime)?;
    result.provenance = Provenance {
        slsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_path: file.clone(),
        scenario_sha256: def.scenario.sha256.clone(),
        overrides: sets,
    };
    result.recommendation = Some(output::recommendation(&def, &outcome));
    let json = output::recommend_json(&def, &outcome);
    let topology_svg = crate::topology::to_svg(&s);
    let extra = [("recommend.json", json.as_slice())];
    let files = report::RunFiles {
        plots: true,
        topology_svg: Some(&topology_svg),
        report: true,
        extra: &extra,
    };
    let (paths, _) = report::write_run(&dir, &result, &files, None).map_err(Failure::runtime)?;

    if !args.quiet {
        let mut out = output::text(&def, &outcome);
        out.push('\n');
        let plots = dir.join(report::PLOTS_DIR);
        for p in paths.iter().filter(|p| !p.starts_with(&plots)) {
            let _ = writeln!(out, "wrote {}", p.display());
        }
        emit(&out)?;
    }
    if let Some(stop) = &result.stopped_early {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "the recommended point's run stopped early at simulated t = {:.3} s: {}",
            stop.at_s,
            stop.reason
        )));
    }
    if outcome.found.best.is_none() {
        let values: Vec<String> = output::settings(&def, point)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        return Err(Failure::SloFailed(anyhow::anyhow!(
            "no point evaluated meets every SLO; the nearest is {} (results in {})",
            values.join(", "),
            dir.display()
        )));
    }
    Ok(())
}
