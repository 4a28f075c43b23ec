//! `redline commit`: record a new version of an explainer.

use std::io::Write;
use std::path::PathBuf;

use askama::Template;

use redline::error::{Error, Result};
use redline::ingest;
use redline::model::{UpdateKind, Version, VersionRef};
use redline::slug::Slug;
use redline::store::{change_note, CommitOutcome, Store, UpdateRequest};

use super::{emit, print_notices, render, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Explainer slug: lower-case letters, digits and '-'.
    slug: String,
    /// The new version (Markdown or plain-text capture).
    file: PathBuf,
    /// Public change note shown to readers (a major update needs one). Defaults to the file's [change] note.
    #[arg(long)]
    note: Option<String>,
    /// Mark the update as minor (typos, formatting). Defaults to the file's [change] kind, else major.
    #[arg(long, conflicts_with = "major")]
    minor: bool,
    /// Mark the update as major, whatever the file's [change] table says.
    #[arg(long)]
    major: bool,
    /// Editor's name. Defaults to the file's [change] editor, else $REDLINE_EDITOR, else git's user.name, else $USER.
    #[arg(long)]
    editor: Option<String>,
    /// Updated time (2025-03-04 or 2025-03-04T16:00:00Z; 1970-01-01 to 2106-02-07 UTC, what git stores). Defaults to the file's `updated`, else now.
    #[arg(long)]
    updated: Option<String>,
    /// The version you edited (vN or commit id). If the explainer has moved on, the commit is refused (exit 3).
    #[arg(long)]
    expect: Option<String>,
    /// Record an updated time older than the newest version's (refused otherwise, exit 2).
    #[arg(long)]
    backdate: bool,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let Args {
        slug,
        file,
        note,
        minor,
        major,
        editor,
        updated,
        expect,
        backdate,
    } = args;
    let slug = Slug::new(&slug)?;
    let store = Store::open(context.store)?;
    let mut ingested = ingest::ingest_file(&file, &context.rules()?)?;
    let explicit = match updated {
        Some(raw) => {
            let updated = redline::model::parse_when(&raw)?;
            redline::time_range::check_storable(&updated).map_err(|problem| {
                Error::bad_input(
                    "--updated",
                    raw.as_str(),
                    format!("--updated {raw}: {problem}"),
                )
            })?;
            Some(updated)
        }
        None => None,
    };
    let (updated, notice) = store.updated_for_commit(
        &slug,
        explicit,
        ingested.document.meta.updated,
        redline::time_range::now(),
    )?;
    ingested.document.meta.updated = Some(updated);
    // Flags win; the file's [change] table fills in what they leave out.
    let from_file = ingested.change.take();
    let kind = match (minor, major, &from_file) {
        (true, _, _) => UpdateKind::Minor,
        (_, true, _) => UpdateKind::Major,
        (_, _, Some(change)) => change.kind,
        (_, _, None) => UpdateKind::Major,
    };
    let from_file = from_file.unwrap_or_default();
    let request = UpdateRequest {
        editor: editor.or(from_file.editor).unwrap_or_else(default_editor),
        updated,
        note: change_note(note.or(from_file.note), kind)?,
        kind,
        expect: expect.map(|e| e.parse::<VersionRef>()).transpose()?,
    };
    let order = if backdate {
        redline::store::TimeOrder::Backdate
    } else {
        redline::store::TimeOrder::Append
    };
    let outcome = store.commit_with(&slug, &ingested.document, &request, order);
    print_notices(&store);
    let outcome = outcome?;
    let (version, written) = match outcome {
        CommitOutcome::Committed(v) => (v, true),
        CommitOutcome::Unchanged(v) => (v, false),
    };
    if let Some(notice) = notice.filter(|_| written) {
        eprintln!("redline: note: {}: {notice}", file.display());
    }
    emit(
        out,
        &render(&CommittedView {
            slug: &slug,
            version: &version,
            written,
        })?,
    )?;
    Ok(0)
}

fn default_editor() -> String {
    if let Ok(name) = std::env::var("REDLINE_EDITOR") {
        if !name.trim().is_empty() {
            return name;
        }
    }
    if let Some(name) = git2::Config::open_default()
        .ok()
        .and_then(|c| c.get_string("user.name").ok())
    {
        if !name.trim().is_empty() {
            return name;
        }
    }
    std::env::var("USER").unwrap_or_else(|_| "unknown editor".to_string())
}

#[derive(Template)]
#[template(path = "cli/committed.txt")]
struct CommittedView<'a> {
    slug: &'a Slug,
    version: &'a Version,
    written: bool,
}
