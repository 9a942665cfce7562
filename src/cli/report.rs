//! `slsim report DIR [--out DIR]`: `report.md` and a self-contained
//! `report.html` from a result directory's files.

use super::{emit, Failure};
use crate::report::{self, ReportError};
use clap::Args;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Arguments of `slsim report`.
#[derive(Debug, Args)]
pub(super) struct ReportArgs {
    /// Result directory (written by `slsim run`, e.g. output/<scenario name>).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Where to write report.md and report.html [default: DIR itself].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print nothing on success.
    #[arg(long, short)]
    quiet: bool,
}

/// Writes the report of a result directory.
pub(super) fn report(args: ReportArgs) -> Result<(), Failure> {
    let written = report::write_report(&args.dir, args.out.as_deref()).map_err(|e| match e {
        // What the user named is not a readable result directory.
        ReportError::Read { .. }
        | ReportError::NotAResultDir { .. }
        | ReportError::BadFile { .. } => Failure::input(e),
        e => Failure::runtime(e),
    })?;
    if !args.quiet {
        let mut text = String::new();
        for f in &written {
            let _ = writeln!(text, "wrote {}", f.display());
        }
        emit(&text)?;
    }
    Ok(())
}
