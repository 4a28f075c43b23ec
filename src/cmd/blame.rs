//! `redline blame`: every sentence with the update that gave it its wording.

use std::io::Write;

use redline::blame;
use redline::error::Result;
use redline::store::Store;

use super::{emit, json, parse_target, Context, PageFormat};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// SLUG[@VERSION] (VERSION: anything `show` accepts; default the newest).
    target: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PageFormat::Text)]
    format: PageFormat,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let (slug, reference) = parse_target(&args.target)?;
    let blame = blame::blame(&Store::open(context.store)?, &slug, &reference)?;
    let text = match args.format {
        PageFormat::Text => blame::render::blame_text(&blame)?,
        PageFormat::Json => json(&blame)?,
        PageFormat::Html => blame::render::blame_html(&blame)?,
    };
    emit(out, &text)?;
    Ok(0)
}
