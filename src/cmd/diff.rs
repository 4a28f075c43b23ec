//! `redline diff`: what changed between two versions or two files.

use std::io::Write;
use std::path::Path;

use redline::diff;
use redline::error::{Error, Result};
use redline::ingest;
use redline::render::{self, DiffHeader, DiffSide};
use redline::slug::Slug;
use redline::store::Store;

use super::{emit, json, use_color, verbatim, Context, ReportFormat};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// SLUG FROM TO (FROM/TO: any version `show` accepts), or OLD NEW with --files.
    #[arg(num_args = 2..=3, required = true)]
    args: Vec<String>,
    /// Compare two files (any input `ingest` accepts) without a store.
    #[arg(long)]
    files: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

impl Args {
    /// `--files`: two files, no store.
    pub fn compares_files(&self) -> bool {
        self.files
    }
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let Args {
        args,
        files,
        format,
    } = args;
    let (changes, header) = if files {
        let [old, new] = args.as_slice() else {
            return Err(Error::bad_input(
                "arguments",
                "",
                "diff --files takes two files: OLD NEW".to_string(),
            ));
        };
        let (old_doc, new_doc) =
            ingest::ingest_pair(Path::new(old), Path::new(new), &context.rules()?)?;
        let header = DiffHeader {
            title: new_doc.meta.title.clone(),
            old: DiffSide::file(old.as_str()),
            new: DiffSide::file(new.as_str()),
        };
        (diff::diff(&old_doc, &new_doc), header)
    } else {
        let [slug, from, to] = args.as_slice() else {
            return Err(Error::bad_input(
                "arguments",
                "",
                "diff takes SLUG FROM TO (or --files OLD NEW)".to_string(),
            ));
        };
        let slug = Slug::new(slug)?;
        let store = Store::open(context.store)?;
        let old = store.snapshot(&slug, &from.parse()?)?;
        let new = store.snapshot(&slug, &to.parse()?)?;
        let header =
            DiffHeader::between(new.document.meta.title.clone(), &old.version, &new.version);
        (diff::diff(&old.document, &new.document), header)
    };
    let text = match format {
        ReportFormat::Text => render::diff_text(&changes, &header, use_color())?,
        ReportFormat::Json => json(&changes)?,
        ReportFormat::Markdown => render::diff_markdown(&changes, &header)?,
        ReportFormat::Html => verbatim(render::diff_html(&changes, &header)?),
    };
    emit(out, &text)?;
    Ok(0)
}
