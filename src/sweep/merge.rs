//! `slsim merge`: shards back into one sweep.
//!
//! Each shard directory holds `sweep.json` (the definition, its
//! fingerprint, which shard) and `sweep.csv` (its runs). Merging checks
//! that the shards are of one sweep (same fingerprint and shard count),
//! that each of the N shards is there exactly once, that every `sweep.csv`
//! is the one its manifest names (size and SHA-256) and holds exactly its
//! shard's runs; then the rows, in run order, are the whole sweep's, which
//! [`super::write`] writes as the unsharded run would.

use super::grid::Shard;
use super::manifest::{Definition, Manifest, FORMAT};
use super::{table, Row};
use std::path::{Path, PathBuf};

/// Why shards cannot be merged: bad input, with a hint.
#[derive(Debug, thiserror::Error)]
#[error("{message}\n  hint: {hint}")]
pub struct MergeError {
    /// What is wrong, naming the directory.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

fn err(message: String, hint: &str) -> MergeError {
    MergeError {
        message,
        hint: hint.to_string(),
    }
}

/// One shard directory, read and checked on its own.
struct Part {
    dir: PathBuf,
    manifest: Manifest,
    shard: Shard,
}

fn read_manifest(dir: &Path) -> Result<Part, MergeError> {
    let path = dir.join("sweep.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        err(
            format!("cannot read {}: {e}", path.display()),
            "pass the directories that `slsim sweep --shard I/N --out DIR` wrote",
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        err(
            format!("{} is not a sweep manifest: {e}", path.display()),
            "pass the directories that `slsim sweep --shard I/N --out DIR` wrote, unchanged",
        )
    })?;
    if manifest.format != FORMAT {
        return Err(err(
            format!(
                "{} is in format {:?}, this slsim reads {FORMAT:?}",
                path.display(),
                manifest.format
            ),
            "merge with the slsim version that ran the shards",
        ));
    }
    let Some(s) = &manifest.shard else {
        return Err(err(
            format!("{} holds a whole sweep, not a shard", dir.display()),
            "merge only the directories of `slsim sweep --shard I/N`",
        ));
    };
    let shard = Shard::parse(&format!("{}/{}", s.index, s.count))
        .map_err(|e| err(format!("{}: {e}", path.display()), "re-run the shard"))?;
    if manifest.definition().fingerprint() != manifest.fingerprint {
        return Err(err(
            format!(
                "{}: its fingerprint does not match its definition (edited, or written by another \
                 slsim version)",
                path.display()
            ),
            "re-run the shard with this slsim, and do not edit sweep.json",
        ));
    }
    Ok(Part {
        dir: dir.to_path_buf(),
        manifest,
        shard,
    })
}

/// What differs between two definitions, for the "foreign shard" message.
fn difference(a: &Definition, b: &Definition, va: &str, vb: &str) -> String {
    if va != vb {
        return format!("slsim {va} vs {vb}");
    }
    if a.scenario.sha256 != b.scenario.sha256 || a.scenario.name != b.scenario.name {
        return format!(
            "scenario {} (sha256 {:.12}) vs {} (sha256 {:.12})",
            a.scenario.path, a.scenario.sha256, b.scenario.path, b.scenario.sha256
        );
    }
    if a.overrides != b.overrides {
        return format!("--set {:?} vs {:?}", a.overrides, b.overrides);
    }
    if a.seed != b.seed {
        return format!("master seed {} vs {}", a.seed, b.seed);
    }
    if a.sweep.replications != b.sweep.replications {
        return format!(
            "{} vs {} replications",
            a.sweep.replications, b.sweep.replications
        );
    }
    if a.sweep != b.sweep {
        return "the varied fields or their values".into();
    }
    "the metric columns".into()
}

/// Reads and checks the shard directories; the sweep's definition (the
/// first shard's, whose scenario path is kept) and all its rows in run
/// order.
pub fn read(dirs: &[PathBuf]) -> Result<(Definition, Vec<Row>), MergeError> {
    let parts = dirs
        .iter()
        .map(|d| read_manifest(d))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(first) = parts.first() else {
        return Err(err(
            "no shard directories given".into(),
            "e.g. slsim merge out/shard-1 out/shard-2 out/shard-3 --out out/sweep",
        ));
    };
    let count = first.shard.count;
    let mut by_index: Vec<Option<&Part>> = vec![None; count as usize];
    for p in &parts {
        if p.manifest.fingerprint != first.manifest.fingerprint {
            let what = difference(
                &first.manifest.definition(),
                &p.manifest.definition(),
                &first.manifest.slsim_version,
                &p.manifest.slsim_version,
            );
            return Err(err(
                format!(
                    "{} is a shard of another sweep than {} ({what})",
                    p.dir.display(),
                    first.dir.display()
                ),
                "merge the shards of one `slsim sweep` command, run with the same scenario, \
                 --set, --vary and --seed",
            ));
        }
        if p.shard.count != count {
            return Err(err(
                format!(
                    "{} is shard {} while {} is shard {}",
                    p.dir.display(),
                    p.shard,
                    first.dir.display(),
                    first.shard
                ),
                "all shards of a sweep are split with the same N in --shard I/N",
            ));
        }
        let slot = &mut by_index[p.shard.index as usize - 1];
        if let Some(other) = slot {
            return Err(err(
                format!(
                    "shard {} is given twice: {} and {}",
                    p.shard,
                    other.dir.display(),
                    p.dir.display()
                ),
                "pass each shard directory once",
            ));
        }
        *slot = Some(p);
    }
    let missing: Vec<String> = by_index
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(i, _)| format!("{}/{count}", i + 1))
        .collect();
    if !missing.is_empty() {
        let shown: Vec<&str> = missing.iter().take(10).map(String::as_str).collect();
        let more = if missing.len() > 10 {
            format!(" and {} more", missing.len() - 10)
        } else {
            String::new()
        };
        return Err(err(
            format!(
                "{} of {count} shards missing: {}{more}",
                missing.len(),
                shown.join(", ")
            ),
            "run `slsim sweep ... --shard I/N` for each missing shard (with the same scenario and \
             options) and pass every shard directory to merge",
        ));
    }
    let def = first.manifest.definition();
    let mut rows = Vec::with_capacity(def.runs() as usize);
    for p in by_index.into_iter().flatten() {
        rows.extend(read_rows(p, &def)?);
    }
    rows.sort_by_key(|r| r.run);
    Ok((def, rows))
}

/// The rows of one shard, checked against its manifest and its share of
/// the grid.
fn read_rows(p: &Part, def: &Definition) -> Result<Vec<Row>, MergeError> {
    let path = p.dir.join("sweep.csv");
    let hint = "re-run this shard: its files are incomplete or were changed";
    let bytes = std::fs::read(&path)
        .map_err(|e| err(format!("cannot read {}: {e}", path.display()), hint))?;
    let digest = p.manifest.files.get("sweep.csv");
    let sha = crate::report::sha256_hex(&bytes);
    if digest.is_none_or(|d| d.bytes != bytes.len() as u64 || d.sha256 != sha) {
        return Err(err(
            format!(
                "{} is not the file its sweep.json names (size or SHA-256 differ)",
                path.display()
            ),
            hint,
        ));
    }
    let rows = table::read_runs(&bytes[..], def)
        .map_err(|e| err(format!("{}: {e}", path.display()), hint))?;
    if rows.iter().map(|r| r.run).ne(p.shard.runs(def.runs())) {
        return Err(err(
            format!(
                "{} does not hold exactly the runs of shard {}",
                path.display(),
                p.shard
            ),
            hint,
        ));
    }
    Ok(rows)
}
