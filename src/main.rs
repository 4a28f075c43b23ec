//! The `redline` binary: parse arguments, run, map errors to exit codes.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = redline::cli::Cli::parse_args();
    match redline::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("{}", redline::cli::error_line(&error));
            ExitCode::from(error.exit_code())
        }
    }
}
