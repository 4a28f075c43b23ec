//! The `redline` binary: parse arguments, run, map errors to exit codes.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Like git itself (which checks object hashes in fsck, not on every
    // read), do not re-hash each object read: SHA-1 with collision detection
    // was a fifth of a long `since` window. Process-wide, so the program's
    // choice, not the library's (`redline verify` re-hashes explicitly).
    git2::opts::strict_hash_verification(false);
    let cli = redline::cli::Cli::parse_args();
    match redline::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("{}", redline::cli::error_line(&error));
            ExitCode::from(error.exit_code())
        }
    }
}
