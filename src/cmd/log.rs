//! `redline log`: an explainer's versions.

use std::io::Write;

use redline::error::Result;
use redline::slug::Slug;
use redline::store::Store;

use super::{emit, json, render, Context, ListFormat, LogView};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Explainer slug.
    slug: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let slug = Slug::new(&args.slug)?;
    let store = Store::open(context.store)?;
    let versions = store.history(&slug)?;
    match args.format {
        ListFormat::Text => emit(
            out,
            &render(&LogView {
                slug: &slug,
                versions: &versions,
            })?,
        )?,
        ListFormat::Json => emit(out, &json(&versions)?)?,
    }
    Ok(0)
}
