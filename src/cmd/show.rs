//! `redline show`: print one version.

use std::io::Write;

use redline::error::Result;
use redline::ingest;
use redline::store::Store;

use super::{emit, parse_target, verbatim, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// SLUG[@VERSION].
    target: String,
    /// Print only the Markdown body.
    #[arg(long)]
    body: bool,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let (slug, reference) = parse_target(&args.target)?;
    let store = Store::open(context.store)?;
    let snapshot = store.snapshot(&slug, &reference)?;
    if args.body {
        emit(out, &verbatim(snapshot.document.body))?;
    } else {
        emit(out, &verbatim(ingest::stored_text(&snapshot.document)))?;
    }
    Ok(0)
}
