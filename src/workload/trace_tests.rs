use super::*;
use crate::engine::stream;

fn write(name: &str, text: &str) -> TraceSpec {
    let dir = std::env::temp_dir().join(format!("slsim-trace-unit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    TraceSpec {
        raw: name.into(),
        path,
        scale: 1.0,
    }
}

fn rows(spec: &TraceSpec, names: Names) -> Result<Vec<Row>, TraceError> {
    let mut r = TraceReader::open(spec, names)?;
    let mut rng = stream(1, "w", "arrivals");
    let mut out = Vec::new();
    while let Some(row) = r.next_row(&mut rng)? {
        out.push(row);
    }
    Ok(out)
}

#[test]
fn replays_timestamps_and_durations() {
    let s = write("a.csv", "timestamp,duration_ms\n0.5,10\n0.5,\n2.25,1.5\n\n");
    let r = rows(&s, Names::default()).unwrap();
    let at: Vec<u64> = r.iter().map(|r| r.at).collect();
    assert_eq!(at, [500_000_000, 500_000_000, 2_250_000_000]);
    let d: Vec<u32> = r.iter().map(|r| r.duration_us).collect();
    assert_eq!(d, [10_000, NO_DURATION, 1_500]);
}

#[test]
fn errors_name_line_and_column() {
    let s = write("b.csv", "timestamp\n1\n3\n2\n");
    let e = rows(&s, Names::default()).unwrap_err();
    assert_eq!((e.line, e.column), (4, Some("timestamp")));
    assert!(e.to_string().contains("sorted"), "{e}");
    let s = write("c.csv", "timestamp,duration_ms\n1,abc\n");
    let e = rows(&s, Names::default()).unwrap_err();
    assert_eq!((e.line, e.column), (2, Some("duration_ms")));
    let s = write("d.csv", "time,duration_ms\n1,2\n");
    let e = rows(&s, Names::default()).unwrap_err();
    assert_eq!(e.line, 1);
    assert!(e.to_string().contains("did you mean `timestamp`"), "{e}");
    let s = write("e.csv", "function\nf\n");
    let e = rows(&s, Names::default()).unwrap_err();
    assert!(e.message.contains("no `timestamp` column"), "{e}");
    let s = write("f.csv", "timestamp\n-1\n");
    assert_eq!(rows(&s, Names::default()).unwrap_err().line, 2);
}

#[test]
fn names_pick_routes_skip_or_fail() {
    let mut n = Names::default();
    n.functions.insert("mine".into(), Pick::Route(0));
    n.functions.insert("other".into(), Pick::Skip);
    n.routes.insert("GET /x".into(), Pick::Route(3));
    let s = write(
        "g.csv",
        "timestamp,function,route\n1,mine,\n2,other,\n3,,GET /x\n4,,\n",
    );
    let r = rows(&s, n.clone()).unwrap();
    let got: Vec<(u64, u16)> = r.iter().map(|r| (r.at / 1_000_000_000, r.route)).collect();
    assert_eq!(got, [(1, 0), (3, 3), (4, NO_ROUTE)]);
    let s = write("h.csv", "timestamp,function\n1,nobody\n");
    let e = rows(&s, n).unwrap_err();
    assert_eq!((e.line, e.column), (2, Some("function")));
}

/// scale = 2.5: every row twice, plus a third time with probability 0.5;
/// scale = 0.25 keeps a quarter. Binomial tolerances at 5 sd.
#[test]
fn scale_multiplies_and_thins() {
    let n = 4000;
    let mut text = String::from("timestamp\n");
    for i in 0..n {
        text.push_str(&format!("{i}\n"));
    }
    let mut s = write("i.csv", &text);
    s.scale = 2.5;
    let r = rows(&s, Names::default()).unwrap();
    let extra = r.len() as f64 - 2.0 * n as f64;
    let sd = (n as f64 * 0.25).sqrt();
    assert!((extra - 0.5 * n as f64).abs() < 5.0 * sd, "{}", r.len());
    assert!(r.windows(2).all(|w| w[0].at <= w[1].at));
    s.scale = 0.25;
    let r = rows(&s, Names::default()).unwrap();
    let sd = (n as f64 * 0.25 * 0.75).sqrt();
    assert!(
        (r.len() as f64 - 0.25 * n as f64).abs() < 5.0 * sd,
        "{}",
        r.len()
    );
}
