//! `redline init`: create an empty store.

use std::io::Write;

use redline::error::Result;
use redline::store::Store;

use super::{emit, render, Context, Status};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Make an existing bare git repository a store instead (versions go on its `main` branch).
    #[arg(long)]
    adopt: bool,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let store = if args.adopt {
        Store::adopt(context.store)?
    } else {
        Store::init(context.store)?
    };
    let path = store.path().display().to_string();
    emit(out, &render(&Status::Initialised { path })?)?;
    Ok(0)
}
