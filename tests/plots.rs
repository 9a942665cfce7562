//! Plots (issue 10, item 3): every plot `slsim run` writes is a valid,
//! non-empty SVG (parsed: a `<title>`, `<text>` with the chart's title and
//! axis labels, no NaN) and a valid PNG (decoded: the right size, not
//! blank, text actually rendered); the same run twice gives identical
//! plot bytes; plots are written through the all-or-nothing staging and
//! listed with their digests in `summary.json`; `--no-plots` writes none.

use sha2::{Digest, Sha256};
use slsim::plot::{
    cdf, Axis, CellMark, Chart, Curve, Estimate, Heatmap, Limit, Line, LineChart, PowerPoint,
    PowerTuning, Size,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn scenario(name: &str) -> String {
    format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"))
}

fn run(name: &str, out: &Path, extra: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_slsim"))
        .args(["run", &scenario(name), "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// The files of `dir/plots`, by name.
fn plots(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir.join("plots"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Every `<text>` of an SVG, trimmed, and its `<title>`.
fn svg_texts(name: &str, svg: &str) -> (String, Vec<String>) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{name}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{name}");
    assert_eq!(root.attribute("viewBox"), Some("0 0 800 450"), "{name}");
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or_else(|| panic!("{name}: no <title>"))
        .to_string();
    let texts: Vec<String> = root
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect();
    for n in root.descendants().filter(|n| n.has_tag_name("text")) {
        let family = n.attribute("font-family").unwrap_or("");
        assert!(
            family.starts_with("DejaVu Sans") && family.ends_with("sans-serif"),
            "{name}: font-family {family:?}"
        );
    }
    (title, texts)
}

/// Decoded RGB pixels of a PNG, checked to be 800 x 450, 8-bit RGB.
fn png_pixels(name: &str, png: &[u8]) -> Vec<[u8; 3]> {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (800, 450), "{name}");
    assert_eq!(info.color_type, png::ColorType::Rgb, "{name}");
    buf[..info.buffer_size()]
        .chunks(3)
        .map(|c| [c[0], c[1], c[2]])
        .collect()
}

/// Dark pixels (text ink, #222222 antialiased) in rows `rows` of an 800
/// px wide image.
fn ink_in(pixels: &[[u8; 3]], rows: std::ops::Range<usize>) -> usize {
    pixels[rows.start * 800..rows.end * 800]
        .iter()
        .filter(|p| p.iter().all(|&c| c < 0x70))
        .count()
}

/// No word of the SVG is a non-finite number.
fn assert_no_nan(name: &str, svg: &str) {
    for word in svg.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')) {
        let w = word.trim_start_matches('-').to_ascii_lowercase();
        assert!(
            !matches!(w.as_str(), "nan" | "inf" | "infinity"),
            "{name}: {word} in the SVG"
        );
    }
}

fn check_plots(scenario: &str, dir: &Path, expect: &[&str]) {
    let files = plots(dir);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    let stems: Vec<&str> = files
        .keys()
        .filter_map(|n| n.strip_suffix(".svg"))
        .collect();
    for e in expect {
        assert!(
            stems.iter().any(|s| s.contains(e)),
            "{scenario}: no {e} chart in {stems:?}"
        );
    }
    for stem in &stems {
        let name = format!("{scenario}/{stem}");
        assert!(files.contains_key(&format!("{stem}.png")), "{name}: no PNG");
        let svg = std::str::from_utf8(&files[&format!("{stem}.svg")]).unwrap();
        assert!(!svg.starts_with("<?xml"), "{name}: inlinable in HTML");
        assert_no_nan(&name, svg);
        let (title, texts) = svg_texts(&name, svg);
        assert!(!title.is_empty(), "{name}");
        assert!(texts.contains(&title), "{name}: the title is drawn as text");
        let axis = texts
            .iter()
            .any(|t| t.starts_with("time since start [") || t.starts_with("latency of"));
        assert!(axis, "{name}: no x axis label in {texts:?}");
        assert!(texts.len() >= 10, "{name}: ticks and labels: {texts:?}");

        let png = &files[&format!("{stem}.png")];
        let pixels = png_pixels(&name, png);
        let white = pixels.iter().filter(|p| **p == [255; 3]).count();
        assert!(white < pixels.len() * 99 / 100, "{name}: blank PNG");
        // The title's glyphs: dark pixels in the top rows.
        assert!(
            ink_in(&pixels, 0..40) > 100,
            "{name}: no title text in the PNG"
        );

        // Both files are listed with their digests.
        for ext in ["svg", "png"] {
            let rel = format!("plots/{stem}.{ext}");
            let bytes = &files[&format!("{stem}.{ext}")];
            let entry = &summary["files"][&rel];
            assert_eq!(entry["bytes"], bytes.len() as u64, "{name}: {rel}");
            let sha: String = Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(entry["sha256"], sha, "{name}: {rel}");
        }
    }
    assert_eq!(
        files.len(),
        2 * stems.len(),
        "{scenario}: only SVG and PNG pairs"
    );
}

#[test]
fn every_plot_of_bundled_scenarios_is_valid_svg_and_png_with_rendered_text() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&str, &[&str], &[&str]); 4] = [
        (
            "mytodolist",
            &["--set", "simulation.duration=20m"],
            &[
                "01-latency-cdf",
                "requests-users",
                "latency-users",
                "concurrency",
                "cold-starts",
                "capacity-todos",
            ],
        ),
        (
            "myblog",
            &["--set", "simulation.duration=15m"],
            &["iterator-age"],
        ),
        (
            "orders",
            &["--set", "simulation.duration=15m"],
            &["queue-depth"],
        ),
        ("clickstream", &[], &["iterator-age"]),
    ];
    for (name, extra, expect) in cases {
        let out = tmp.path().join(name);
        run(name, &out, extra);
        check_plots(name, &out, expect);
    }
}

#[test]
fn the_same_run_twice_gives_identical_plots_and_no_plots_writes_none() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let args = ["--set", "simulation.duration=15m"];
    run("mytodolist", &a, &args);
    run("mytodolist", &b, &args);
    let (pa, pb) = (plots(&a), plots(&b));
    assert!(pa.len() >= 12, "{:?}", pa.keys());
    assert_eq!(pa, pb, "plot bytes differ between identical runs");

    let o = run(
        "mytodolist",
        &c,
        &["--set", "simulation.duration=15m", "--no-plots"],
    );
    assert!(o.stdout.is_empty());
    assert!(!c.join("plots").exists());
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(c.join("summary.json")).unwrap()).unwrap();
    let mut listed: Vec<&String> = summary["files"].as_object().unwrap().keys().collect();
    listed.sort();
    // No plots, but the report and the topology drawing are still written.
    assert_eq!(
        listed,
        [
            "latency.csv",
            "report.html",
            "report.md",
            "timeseries.csv",
            "topology.svg"
        ]
    );
    // A directory with plots may be replaced by one without, and back.
    run(
        "mytodolist",
        &a,
        &["--set", "simulation.duration=15m", "--no-plots"],
    );
    assert!(!a.join("plots").exists());
    run("mytodolist", &a, &args);
    assert_eq!(plots(&a), pb);
}

/// `ulimit -f` makes a write past the limit fail (EFBIG): with small CSV
/// files, the first plot file fails, halfway through the write.
#[cfg(unix)]
#[test]
fn a_write_failing_among_the_plots_keeps_the_previous_results_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let small = ["--set", "simulation.timeseries_interval=60s"];
    run("minimal", &out, &small);
    let before_plots = plots(&out);
    let before_summary = std::fs::read(out.join("summary.json")).unwrap();
    assert!(!before_plots.is_empty());
    let csv_max = ["timeseries.csv", "latency.csv"]
        .iter()
        .map(|f| std::fs::metadata(out.join(f)).unwrap().len())
        .max()
        .unwrap();
    let plot_max = before_plots.values().map(|b| b.len() as u64).max().unwrap();
    // 40 blocks: 20 KiB (512-byte blocks) or 40 KiB (1 KiB blocks).
    assert!(
        csv_max < 20 * 1024 && plot_max > 40 * 1024,
        "{csv_max} {plot_max}"
    );
    let o = Command::new("sh")
        .arg("-c")
        .arg(r#"trap "" XFSZ; ulimit -f 40; exec "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_slsim"))
        .args([
            "run",
            &scenario("minimal"),
            "--quiet",
            "--seed",
            "9",
            "--out",
        ])
        .arg(&out)
        .args(small)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("/plots/"), "names the plot file: {err}");
    assert_eq!(plots(&out), before_plots, "previous plots changed");
    assert_eq!(
        std::fs::read(out.join("summary.json")).unwrap(),
        before_summary
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "staging left behind");
}

#[test]
fn an_output_directory_with_foreign_files_in_plots_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run("minimal", &out, &[]);
    std::fs::write(out.join("plots").join("notes.txt"), "mine").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_slsim"))
        .args(["run", &scenario("minimal"), "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("plots/notes.txt"), "{err}");
    assert_eq!(std::fs::read(out.join("plots/notes.txt")).unwrap(), b"mine");
}

fn line_chart(title: &str) -> LineChart {
    let mut c = LineChart::new(title, Axis::linear("x [s]"), Axis::linear("y [ms]"));
    c.lines.push(Line::new(
        "a",
        (0..50).map(|i| (f64::from(i), Some(f64::from(i % 7)))),
    ));
    c
}

fn ink_pixels(png: &[u8], rows: std::ops::Range<usize>) -> usize {
    ink_in(&png_pixels("chart", png), rows)
}

#[test]
fn the_title_is_rendered_as_text_in_the_png() {
    let size = Size::DEFAULT;
    let with = Chart::from(line_chart("Throughput of the orders queue"))
        .png(size)
        .unwrap();
    let without = Chart::from(line_chart("")).png(size).unwrap();
    let other = Chart::from(line_chart("Something else entirely"))
        .png(size)
        .unwrap();
    assert_eq!(ink_pixels(&without, 0..30), 0, "no title, no ink up there");
    assert!(ink_pixels(&with, 0..30) > 200, "the title's glyphs");
    let (a, b) = (png_pixels("a", &with), png_pixels("b", &other));
    assert_ne!(
        a[..30 * 800],
        b[..30 * 800],
        "different titles, different pixels"
    );
}

#[test]
fn undefined_values_are_gaps_and_never_reach_the_chart() {
    let mut c = LineChart::new("gaps", Axis::log("x"), Axis::linear("y"));
    let ys = [
        Some(1.0),
        Some(2.0),
        None,
        Some(f64::NAN),
        Some(3.0),
        Some(4.0),
        Some(f64::INFINITY),
        Some(5.0),
        Some(6.0),
    ];
    let pts = ys.iter().enumerate().map(|(i, y)| (i as f64 + 1.0, *y));
    c.lines
        .push(Line::new("series", pts).colour(slsim::plot::Colour(1, 2, 3)));
    // x = 0 cannot be shown on a log axis: a gap too.
    c.lines
        .push(Line::new("zero x", [(0.0, Some(1.0)), (-1.0, Some(2.0))]));
    c.limits.push(Limit::new("not a number", f64::NAN));
    let chart = Chart::from(c);
    let svg = chart.svg(Size::DEFAULT).unwrap();
    assert_no_nan("gaps", &svg);
    // Three runs of the series (1-2, 3-4, 5-6) and the legend's swatch.
    let runs = svg
        .matches("stroke=\"#010203\" stroke-width=\"2\" points")
        .count();
    assert_eq!(runs, 4, "{svg}");
    png_pixels("gaps", &chart.png(Size::DEFAULT).unwrap());
}

#[test]
fn rendering_is_deterministic_across_threads() {
    let chart = Chart::from(line_chart("determinism"));
    let first = chart.render(Size::DEFAULT).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let c = chart.clone();
            std::thread::spawn(move || c.render(Size::DEFAULT).unwrap())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), first);
    }
}

#[test]
fn sweep_charts_render_with_their_text() {
    let mut curves = LineChart::new(
        "p99 against load",
        Axis::linear("load [requests/s]"),
        Axis::linear("p99 [ms]"),
    );
    curves.lines.push(Line::with_band(
        "512 MB",
        (1..=5).map(|i| {
            let m = f64::from(i) * 10.0;
            (f64::from(i), Some(m), Some((m - 2.0, m + 2.0)))
        }),
    ));
    curves.limits.push(Limit::new("SLO 300 ms", 300.0));
    let heatmap = Heatmap {
        title: "p99 by memory and load".into(),
        x_label: "memory [MB]".into(),
        x_values: vec!["128".into(), "256".into()],
        y_label: "load [requests/s]".into(),
        y_values: vec!["10".into(), "20".into(), "40".into()],
        cells: vec![
            vec![Some(300.0), Some(150.0)],
            vec![None, Some(200.0)],
            vec![Some(900.0)],
        ],
        value_label: "p99 [ms]".into(),
        marks: vec![CellMark {
            x: 1,
            y: 0,
            label: "cheapest feasible".into(),
        }],
        ..Heatmap::default()
    };
    let power = PowerTuning::new(
        "Power Tuning",
        [128.0, 256.0, 512.0, 1024.0]
            .iter()
            .map(|&mb| PowerPoint {
                memory_mb: mb,
                duration_ms: Some(Estimate {
                    mean: 128_000.0 / mb,
                    ci: Some((120_000.0 / mb, 136_000.0 / mb)),
                }),
                cost_usd: Some(Estimate {
                    mean: 2e-6 + mb * 1e-9,
                    ci: None,
                }),
            })
            .collect(),
    );
    let cdf = cdf(
        "CDF",
        "latency [ms]",
        vec![Curve {
            label: "users".into(),
            points: vec![(5.0, 0.1), (20.0, 0.5), (400.0, 1.0)],
        }],
    );
    let cases: [(Chart, &[&str]); 4] = [
        (
            curves.into(),
            &[
                "p99 against load",
                "load [requests/s]",
                "512 MB",
                "SLO 300 ms",
            ],
        ),
        (
            heatmap.into(),
            &[
                "memory [MB]",
                "256",
                "cheapest feasible",
                "p99 [ms]",
                "900",
                "–",
            ],
        ),
        (
            power.into(),
            &[
                "memory [MB] (log scale)",
                "cost (right axis)",
                "cheapest",
                "fastest",
            ],
        ),
        (
            cdf.into(),
            &["at or below [%]", "latency [ms] (log scale)", "users"],
        ),
    ];
    for (chart, expect) in cases {
        let r = chart.render(Size::DEFAULT).unwrap();
        let (title, texts) = svg_texts(chart.title(), &r.svg);
        assert_eq!(title, chart.title());
        for e in expect {
            assert!(
                texts.iter().any(|t| t == e),
                "{title}: no {e:?} in {texts:?}"
            );
        }
        let pixels = png_pixels(&title, &r.png);
        assert!(ink_in(&pixels, 0..40) > 100, "{title}: title not rendered");
        assert_eq!(
            r,
            chart.render(Size::DEFAULT).unwrap(),
            "{title}: deterministic"
        );
    }
}
