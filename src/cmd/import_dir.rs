//! `redline import`: a folder of version files.

use std::io::Write;
use std::path::PathBuf;

use redline::error::Result;
use redline::import;
use redline::store::Store;

use super::{emit, import_with_progress, print_notices, render, Context, Status};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder.
    dir: PathBuf,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let dir = args.dir;
    let store = Store::open(context.store)?;
    let source = import::read_source(&dir)?;
    let report = import_with_progress(&store, source.paths.as_slice(), &context.rules()?);
    print_notices(&store);
    let mut report = report?;
    report.ignored = source.ignored;
    let source = dir.display().to_string();
    emit(out, &render(&Status::Imported { report, source })?)?;
    Ok(0)
}
