//! Validation at scale (issue 5, finding 6): big scenarios validate, and
//! the work per problem stays bounded in big broken ones. No timing here
//! (the project forbids timed assertions); the speed itself is measured by
//! `cargo bench --bench validate`.

#[path = "../examples/big_scenario/gen.rs"]
mod gen;

use assert_cmd::Command;

fn slsim() -> Command {
    Command::cargo_bin("slsim").unwrap()
}

fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// 50,000 components (a minute of quadratic name lookups before the fix)
/// validate and are all counted.
#[test]
fn fifty_thousand_components_validate() {
    let (_dir, path) = write(&gen::big_scenario(50_000));
    let out = slsim().arg("validate").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("12500 workloads, 12500 apis, 12500 functions, 12500 tables"),
        "{stdout}"
    );
}

/// A big file whose every workload targets an undefined name: every
/// problem is reported at its own line, but "did you mean" guesses stop
/// after 1,000,000 name comparisons, i.e. 100 guesses among these 10,000
/// components (one guess per problem would be quadratic); the others list
/// defined names.
#[test]
fn undefined_references_in_a_big_file_are_located_and_guessed_a_bounded_number_of_times() {
    let text = gen::big_scenario(10_000).replace("\ntarget = \"a", "\ntarget = \"q");
    let (_dir, path) = write(&text);
    let out = slsim().arg("validate").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    let hints: Vec<&str> = stderr.lines().filter(|l| l.contains("hint:")).collect();
    assert_eq!(errors.len(), 2500, "{}", &stderr[..2000.min(stderr.len())]);
    assert_eq!(hints.len(), 2500);
    // Line (1-based) of each workload's `target`, in file order.
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("target = \"q"))
        .map(|(i, _)| i + 1)
        .collect();
    for (i, (e, line)) in errors.iter().zip(&lines).enumerate() {
        let at =
            format!("big.toml:{line}:10: workload[{i}] \"w{i}\" .target: `q{i}` is not defined");
        assert!(e.ends_with(&at), "{e}\nexpected: {at}");
    }
    let guessed = hints.iter().filter(|h| h.contains("did you mean")).count();
    assert_eq!(guessed, 100);
    let listed = hints
        .iter()
        .filter(|h| {
            h.contains("defined api, lambda, queue, topic, bucket or cdn names: `a0`, `a1`")
        })
        .count();
    assert_eq!(listed, 2400);
}

/// A synchronous call cycle through 20,000 functions is one problem.
#[test]
fn one_long_call_cycle_is_one_problem() {
    let n = 20_000;
    let mut text = String::from("[simulation]\nduration = \"1s\"\n");
    for i in 0..n {
        text.push_str(&format!(
            "\n[[lambda]]\nname = \"f{i}\"\nsteps = [{{ call = \"f{}\" }}]\n",
            (i + 1) % n
        ));
    }
    let (_dir, path) = write(&text);
    let out = slsim().arg("validate").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors = stderr.lines().filter(|l| l.starts_with("error:")).count();
    assert_eq!(errors, 1, "{}", &stderr[..2000.min(stderr.len())]);
    assert!(stderr.contains("synchronous call cycle: f0 -> f1 -> f2 -> "));
    assert!(stderr.contains(&format!("-> f{} -> f0\n", n - 1)));
}
