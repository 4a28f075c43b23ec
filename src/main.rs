//! The `redline` binary: parse arguments, run, map errors to exit codes.
//! Each subcommand lives in `cmd/<subcommand>.rs` with its arguments and its
//! `execute`; the library exports no command-line types.

use std::process::ExitCode;

mod cmd;

// The static (musl) build only: musl's allocator is slow for the outline's many
// small strings; the glibc build keeps glibc's.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The `.txt` templates' escaper (askama.toml names `crate::render::filters`):
/// in the binary, the library's.
mod render {
    pub(crate) mod filters {
        pub(crate) use redline::render::Terminal;
    }
}

fn main() -> ExitCode {
    let cli = cmd::Cli::parse_args();
    // Like git itself (which checks object hashes in fsck, not on every
    // read), do not re-hash each object read: SHA-1 with collision detection
    // was a fifth of a long `since` window. Process-wide, so the program's
    // choice, not the library's (`redline verify` re-hashes explicitly).
    // Setting it starts libgit2, so only commands that read a store do.
    if cli.command.reads_store() {
        git2::opts::strict_hash_verification(false);
    }
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("{}", cmd::error_line(&error));
            ExitCode::from(error.exit_code())
        }
    }
}
