//! The `slsim` command: parse arguments, run, exit.

fn main() -> std::process::ExitCode {
    slsim::cli::main()
}
