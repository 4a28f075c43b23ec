//! `redline history`: the history of every sentence containing TEXT.

use std::io::Write;

use redline::blame;
use redline::error::Result;
use redline::slug::Slug;
use redline::store::Store;

use super::{emit, json, Context, PageFormat};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Explainer slug.
    slug: String,
    /// Some words of the sentence (case and typography aside).
    text: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PageFormat::Text)]
    format: PageFormat,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let slug = Slug::new(&args.slug)?;
    let history = blame::history(&Store::open(context.store)?, &slug, &args.text)?;
    let text = match args.format {
        PageFormat::Text => blame::render::history_text(&history)?,
        PageFormat::Json => json(&history)?,
        PageFormat::Html => blame::render::history_html(&history)?,
    };
    emit(out, &text)?;
    Ok(0)
}
