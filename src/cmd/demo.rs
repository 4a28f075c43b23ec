//! `redline demo`: import the bundled demo history and show what changed.

use std::io::Write;
use std::path::Path;

use redline::error::{Error, Result};
use redline::import::ImportFile;
use redline::ingest::Rules;
use redline::model::VersionRef;
use redline::render;
use redline::slug::Slug;
use redline::store::Store;
use redline::summary;

use super::{emit, import_with_progress, render, use_color, Context, ListView, LogView, Status};

/// The demo history, embedded so `redline demo` works from any directory.
static DEMO_SNAPSHOTS: include_dir::Dir<'_> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/snapshots");

pub fn execute(context: &Context, out: &mut impl Write) -> Result<u8> {
    let keep = context.store_given.then_some(context.store);
    demo(out, &context.rules()?, keep)?;
    Ok(0)
}

/// Import the demo history and show it. The store is a temporary one, or `keep`
/// (a new store the user named with `--store`, left in place to explore).
fn demo(out: &mut impl Write, rules: &Rules, keep: Option<&Path>) -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let store = Store::init(&keep.map_or_else(|| dir.path().join("demo.git"), Path::to_path_buf))?;
    let files = demo_files();
    let report = import_with_progress(&store, files.as_slice(), rules)?;
    let explainers = store.explainers()?;
    let kept = keep.map(|path| path.display().to_string());
    emit(out, &render(&Status::DemoImported { report, kept })?)?;
    emit(
        out,
        &render(&ListView {
            explainers: &explainers,
        })?,
    )?;
    let slug = Slug::new("fullfact-ukraine-peace-talks")?;
    let versions = store.history(&slug)?;
    emit(out, "\n")?;
    emit(
        out,
        &render(&LogView {
            slug: &slug,
            versions: &versions,
        })?,
    )?;
    // The reader's view: what changed since 1 March, highlights first.
    let when: VersionRef = "2025-03-01".parse()?;
    let summary = summary::since(
        &store.window(&slug, &when, None)?,
        &redline::diff::DiffOptions::default(),
    )?;
    emit(out, "\n")?;
    emit(out, &render::summary_text(&summary, use_color())?)?;
    Ok(())
}

/// The embedded demo snapshots as import files (`<slug>/<name>`).
fn demo_files() -> Vec<ImportFile> {
    let mut files: Vec<ImportFile> = DEMO_SNAPSHOTS
        .dirs()
        .flat_map(|d| d.files())
        .filter(|f| {
            matches!(
                f.path().extension().and_then(|e| e.to_str()),
                Some("md" | "txt")
            )
        })
        .map(|f| ImportFile {
            path: f.path().to_path_buf(),
            bytes: f.contents().to_vec(),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}
