//! `report.html` in a real browser: headless Chromium opens the report of
//! a bundled scenario's run, logs no console message (the report has no
//! script, so any message is the browser complaining: a blocked reference,
//! a malformed SVG attribute), its rendered DOM holds the headline table,
//! the topology and one inline SVG per plot, and its screenshot is not
//! blank.
//!
//! Chromium is Debian's `chromium` (`.ci/run` installs it); the binary is
//! `$SLSIM_CHROMIUM`, else `/usr/bin/chromium`, else `chromium` on the
//! PATH. Without it the test fails when `CI` is set, and otherwise passes
//! after printing a loud SKIPPED message.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");

/// Longest a browser may take before it is killed (a guard against a hung
/// browser, not an assertion on speed).
const BROWSER_GUARD: Duration = Duration::from_secs(180);

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SLSIM_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let default = Path::new("/usr/bin/chromium");
    if default.is_file() {
        return Some(default.to_path_buf());
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("chromium"))
            .find(|p| p.is_file())
    })
}

/// Chromium, or `None` after a loud skip message (a failure under CI).
fn chromium_or_skip() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!(
                "chromium not found (CI is set, so this is a failure): install Debian's \
                 `chromium` (.ci/run does) or set SLSIM_CHROMIUM"
            );
        }
        eprintln!(
            "\n==================== SKIPPED ====================\n\
             report_browser: chromium not found (tried $SLSIM_CHROMIUM, /usr/bin/chromium, \
             PATH).\nInstall it (apt-get install chromium) to run this test; under CI it \
             fails instead.\n=================================================\n"
        );
    }
    found
}

/// Output of one headless Chromium run on `page` with `extra` flags.
struct Browser {
    stdout: String,
    stderr: String,
}

fn open(chromium: &Path, page: &Path, extra: &[String]) -> Browser {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let mut child = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromium.display()));
    // Drain both pipes while waiting, so that a chatty browser never blocks.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > BROWSER_GUARD {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {BROWSER_GUARD:?} on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let b = Browser {
        stdout: t_out.join().unwrap(),
        stderr: t_err.join().unwrap(),
    };
    assert!(
        status.success(),
        "chromium failed ({status}):\n{}",
        b.stderr
    );
    b
}

/// Console messages Chromium logged for the page (`...:CONSOLE...] "msg"`).
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

/// Opens `page`, checks the console and the DOM, takes a screenshot and
/// checks it is not blank. `plots` are the plot files the page must show;
/// `workloads` the rows of a run's headline table, `None` for a sweep's
/// report (its headline, its summary table, no topology).
fn check_page(chromium: &Path, page: &Path, workloads: Option<&[String]>, plots: &[String]) {
    let b = open(chromium, page, &["--dump-dom".to_string()]);
    let console = console_lines(&b.stderr);
    assert!(
        console.is_empty(),
        "{}: console messages:\n{}",
        page.display(),
        console.join("\n")
    );
    let dom = &b.stdout;
    let drawings = match workloads {
        Some(workloads) => {
            assert!(
                dom.contains("<table class=\"headline\">"),
                "no headline table in the DOM"
            );
            for w in workloads {
                assert!(
                    dom.contains(&format!("<td>{w}</td>")),
                    "headline: no row for {w}"
                );
            }
            let topology = dom
                .find("<section id=\"topology\">")
                .expect("topology section");
            let after = &dom[topology..];
            let end = after.find("</section>").unwrap();
            assert!(
                after[..end].contains("<svg") && after[..end].contains("class=\"slsim-topology\""),
                "the topology is not an inline SVG"
            );
            1
        }
        None => {
            assert!(dom.contains("Sweep in brief"), "no sweep headline");
            assert!(
                dom.contains("<table class=\"sweep-runs\">")
                    && dom.contains("<table class=\"sweep-summary\">"),
                "no sweep tables in the DOM"
            );
            0
        }
    };
    let figures = dom.matches("<figure").count();
    let svgs = dom.matches("<svg").count();
    assert_eq!(figures, drawings + plots.len(), "figures in the DOM");
    assert!(
        svgs >= drawings + plots.len(),
        "{svgs} inline SVGs for {} plots",
        plots.len()
    );
    for p in plots {
        let at = dom
            .find(&format!("<figure data-file=\"{p}\">"))
            .unwrap_or_else(|| panic!("plot {p} not in the DOM"));
        let fig = &dom[at..];
        let fig = &fig[..fig.find("</figure>").unwrap()];
        assert!(fig.contains("<svg"), "plot {p} is not an inline SVG");
    }

    // The screenshot: a PNG with content, not one colour.
    let shot_dir = tempfile::tempdir().unwrap();
    let shot = shot_dir.path().join("report.png");
    let b = open(
        chromium,
        page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400".into(),
            "--hide-scrollbars".into(),
        ],
    );
    let console = console_lines(&b.stderr);
    assert!(
        console.is_empty(),
        "console messages:\n{}",
        console.join("\n")
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("no screenshot written"),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(px).collect();
    assert_eq!(pixels.len(), (info.width * info.height) as usize);
    let background = pixels[0];
    let inked = pixels.iter().filter(|p| *p != &background).count();
    let mut colours: Vec<&[u8]> = pixels.clone();
    colours.sort_unstable();
    colours.dedup();
    // Text, tables and drawings: far more than a blank page's none.
    assert!(
        inked * 100 > pixels.len(),
        "screenshot nearly blank: {inked} of {} pixels differ from the background",
        pixels.len()
    );
    assert!(
        colours.len() > 16,
        "screenshot has {} colours",
        colours.len()
    );
}

#[test]
fn report_html_renders_in_headless_chromium() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("myblog");
    let o = Command::cargo_bin("slsim")
        .unwrap()
        .args(["run", &format!("{SCENARIOS}/myblog.toml"), "--quiet"])
        .args([
            "--set",
            "simulation.duration=6m",
            "--set",
            "simulation.warmup=1m",
        ])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let workloads: Vec<String> = summary["workloads"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert!(!workloads.is_empty());
    let plots = |dir: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir.join("plots"))
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".svg"))
                    .map(|n| format!("plots/{n}"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };

    // The report exactly as the run wrote it.
    check_page(
        &chromium,
        &out.join("report.html"),
        Some(&workloads),
        &plots(&out),
    );

    // With a plot whose title needs escaping, regenerated by `slsim report`:
    // the plots path is exercised even where the run wrote none.
    std::fs::create_dir_all(out.join("plots")).unwrap();
    std::fs::write(
        out.join("plots/99-extra.svg"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
         width=\"400\" height=\"200\" viewBox=\"0 0 400 200\"><title>p99 &lt; 300 ms &amp; \
         more</title><rect width=\"400\" height=\"200\" fill=\"#ffffff\"/><polyline \
         points=\"10,190 100,120 200,150 390,20\" fill=\"none\" stroke=\"#d62728\" \
         stroke-width=\"3\"/><text x=\"200\" y=\"20\" text-anchor=\"middle\">rps</text></svg>\n",
    )
    .unwrap();
    let o = Command::cargo_bin("slsim")
        .unwrap()
        .arg("report")
        .arg(&out)
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<figcaption>p99 &lt; 300 ms &amp; more</figcaption>"));
    check_page(
        &chromium,
        &out.join("report.html"),
        Some(&workloads),
        &plots(&out),
    );
}

#[test]
fn console_lines_are_recognised() {
    // The line format Chromium 120+ logs a console message in.
    let stderr = "[1:1:1202/114816.189970:INFO:CONSOLE:1] \"boom\", source: file:///t.html (1)\n\
                  [1:2:1202/114815.571573:ERROR:dbus/bus.cc:405] Failed to connect to the bus\n\
                  [1:1:1202/114816.1:INFO:CONSOLE(7)] \"Uncaught x\", source: a.html (7)\n";
    assert_eq!(console_lines(stderr).len(), 2);
}

#[test]
fn sweep_report_renders_in_headless_chromium() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sweep");
    // Two fields (memory, numeric; load, categories), two replications:
    // curves with bands and SLO lines, a heatmap, the Power Tuning chart.
    let o = Command::cargo_bin("slsim")
        .unwrap()
        .args(["sweep", &format!("{SCENARIOS}/mytodolist.toml"), "--quiet"])
        .args([
            "--set",
            "simulation.duration=20m",
            "--set",
            "simulation.warmup=5m",
        ])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut plots: Vec<String> = std::fs::read_dir(out.join("plots"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".svg"))
        .map(|n| format!("plots/{n}"))
        .collect();
    plots.sort();
    assert!(plots.iter().any(|p| p.contains("heatmap")), "{plots:?}");
    assert!(
        plots.iter().any(|p| p.contains("power-tuning")),
        "{plots:?}"
    );
    check_page(&chromium, &out.join("report.html"), None, &plots);
}
