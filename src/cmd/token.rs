//! `redline token`: the tokens file of `redline serve`.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use redline::error::Result;
use redline::serve::tokens::{self, Role};

use super::{emit, verbatim};

/// `redline token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Add a token for NAME and print it once (only its hash is stored).
    Add {
        /// The owner's name, recorded as the editor of their updates.
        name: String,
        /// editor (may publish) or reader (may read).
        #[arg(long, default_value = "editor")]
        role: String,
        /// The tokens file (created if absent).
        #[arg(long)]
        tokens: PathBuf,
    },
}

pub fn execute(command: TokenCommand, out: &mut impl Write) -> Result<u8> {
    let TokenCommand::Add {
        name,
        role,
        tokens: path,
    } = command;
    let role: Role = role.parse()?;
    let token = tokens::add(&path, &name, role)?;
    eprintln!(
        "redline: added {} token for {name} to {}; it is shown once, here:",
        match role {
            Role::Editor => "an editor",
            Role::Reader => "a reader",
        },
        path.display()
    );
    emit(out, &verbatim(format!("{token}\n")))?;
    Ok(0)
}
