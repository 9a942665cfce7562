//! SIGINT and SIGTERM during `slsim run`: stop at once, leave no mix.
//!
//! A handler thread waits for the signal, then takes the report's write
//! lock ([`report::stop_writing`]): it waits for a commit in progress (a
//! few renames) to end, removes any staging directory, and exits with
//! 128 + the signal number (130 for SIGINT, 143 for SIGTERM) while still
//! holding the lock. The output directory keeps either its previous
//! results or the new ones. A signal during the simulation stops the
//! process just as promptly: nothing has been written yet.

use crate::report;
#[cfg(unix)]
use std::io::Write;

/// Installs the handler (Unix; elsewhere the default action applies).
pub(super) fn install() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
        std::thread::Builder::new()
            .name("slsim-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let name = if signal == SIGINT {
                        "SIGINT"
                    } else {
                        "SIGTERM"
                    };
                    stop(name, 128 + signal);
                }
            })?;
    }
    Ok(())
}

/// Removes unfinished results and exits with `code`.
#[cfg(unix)]
fn stop(name: &str, code: i32) -> ! {
    let stopped = report::stop_writing();
    let what = if stopped.removed() > 0 {
        "; the unfinished results were removed and the output directory keeps its previous \
         contents"
    } else {
        ""
    };
    let _ = writeln!(std::io::stderr(), "error: interrupted by {name}{what}");
    std::process::exit(code)
}
