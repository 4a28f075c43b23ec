//! `redline list`: the explainers of the store.

use std::io::Write;

use redline::error::Result;
use redline::store::Store;

use super::{emit, json, render, Context, ListFormat, ListView};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let store = Store::open(context.store)?;
    let (explainers, unreadable) = store.readable_explainers()?;
    for problem in &unreadable {
        eprintln!("redline: warning: left out {problem}");
    }
    match args.format {
        ListFormat::Text => emit(
            out,
            &render(&ListView {
                explainers: &explainers,
            })?,
        )?,
        ListFormat::Json => emit(out, &json(&explainers)?)?,
    }
    Ok(0)
}
