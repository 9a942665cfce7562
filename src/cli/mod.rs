//! The command line.

/// Entry point of the `slsim` binary.
pub fn main() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
