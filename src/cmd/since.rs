//! `redline since`: what changed since WHEN, highlights first.

use std::io::Write;

use redline::error::Result;
use redline::model::VersionRef;
use redline::render;
use redline::slug::Slug;
use redline::store::Store;
use redline::summary::{self, Summary};

use super::{emit, json, use_color, verbatim, Context, ReportFormat};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Explainer slug.
    slug: String,
    /// The moment the reader last saw the explainer.
    when: String,
    /// Stop at the version current then instead of the newest.
    #[arg(long)]
    until: Option<String>,
    /// List every highlight and change (text and Markdown show about one screen by default).
    #[arg(long)]
    all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let slug = Slug::new(&args.slug)?;
    let store = Store::open(context.store)?;
    let until = args.until.map(|u| u.parse::<VersionRef>()).transpose()?;
    let window = store.window(&slug, &args.when.parse()?, until.as_ref())?;
    let summary = summary::since(&window, &redline::diff::DiffOptions::default())?;
    let detail = if args.all {
        render::Detail::All
    } else {
        render::Detail::Short
    };
    emit(out, &render_summary(&summary, args.format, detail)?)?;
    Ok(0)
}

fn render_summary(
    summary: &Summary,
    format: ReportFormat,
    detail: render::Detail,
) -> Result<String> {
    match format {
        ReportFormat::Text => render::summary_text_with(summary, use_color(), detail),
        ReportFormat::Json => json(summary),
        ReportFormat::Markdown => render::summary_markdown_with(summary, detail),
        ReportFormat::Html => render::summary_html(summary).map(verbatim),
    }
}
