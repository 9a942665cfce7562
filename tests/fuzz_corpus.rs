//! Replays the fuzz corpus (`fuzz/corpus/scenario/`) and every crash input
//! kept in `fuzz/artifacts/scenario/` through the fuzzed entry point (scenario
//! parsing and validation, `fuzz/harness.rs`) on the stable toolchain, on
//! every CI run: none may panic or hang. Errors are fine.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// A hang guard, not a speed check: an input takes well under a millisecond;
/// one still running after this long is reported as a hang.
const HANG: Duration = Duration::from_secs(60);

fn inputs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["corpus/scenario", "artifacts/scenario"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.') {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn fuzz_corpus_replays_without_panic_or_hang() {
    let files = inputs();
    assert!(
        files.len() >= 50,
        "fuzz corpus missing or too small: {} inputs",
        files.len()
    );
    let mut bad = Vec::new();
    for path in &files {
        let data = std::fs::read(path).unwrap();
        let (tx, rx) = mpsc::channel();
        // A thread per input: a panic is caught at the join, and a hang
        // leaves the thread behind instead of blocking the whole suite.
        let worker = std::thread::Builder::new()
            .name(path.display().to_string())
            // The stack of a main thread, as the CLI has.
            .stack_size(8 << 20)
            .spawn(move || {
                let ok = std::panic::catch_unwind(|| harness::parse_and_validate(&data));
                let _ = tx.send(ok.is_ok());
            })
            .unwrap();
        match rx.recv_timeout(HANG) {
            Ok(true) => {
                worker.join().unwrap();
            }
            Ok(false) => bad.push(format!("{}: panicked", path.display())),
            Err(mpsc::RecvTimeoutError::Timeout) => bad.push(format!(
                "{}: still running after {HANG:?} (hang)",
                path.display()
            )),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                bad.push(format!("{}: worker died", path.display()))
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} inputs failed:\n{}",
        bad.len(),
        files.len(),
        bad.join("\n")
    );
}
