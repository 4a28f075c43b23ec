//! `redline build`: the readers' static site.

use std::io::Write;
use std::path::PathBuf;

use redline::error::Result;
use redline::site;
use redline::store::Store;

use super::{emit, render, Context, Status};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output folder (created if needed).
    #[arg(long)]
    out: PathBuf,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let store = Store::open(context.store)?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let report = site::build(&store, &args.out, true, workers)?;
    for why in &report.left_out {
        eprintln!("redline: warning: left out {why}");
    }
    let out_dir = report.out_dir.display().to_string();
    emit(out, &render(&Status::Built { report, out_dir })?)?;
    Ok(0)
}
