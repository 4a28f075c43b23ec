//! `redline ingest`: print what `commit` would store.

use std::io::Write;
use std::path::PathBuf;

use redline::error::Result;
use redline::ingest;

use super::{emit, verbatim, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A Markdown file (optionally with +++ TOML front matter) or a plain-text capture.
    file: PathBuf,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let ingested = ingest::ingest_file(&args.file, &context.rules()?)?;
    emit(out, &verbatim(ingest::stored_text(&ingested.document)))?;
    Ok(0)
}
