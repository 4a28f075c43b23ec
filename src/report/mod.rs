//! Reports over a range of a content repository (`redline report`) and the
//! editorial policy check (`redline check`), for pull-request CI.
//!
//! A [`Report`] is built from a git range `base...head` of a plain content
//! repository ([`git_report`]) or from two versions of an explainer in a redline
//! store ([`store_report`]); every explainer file the range touched is listed with
//! its status and, when its text changed, the ranked summary (highlights first),
//! the full diff and the counts of substantive and cosmetic changes. Renderers
//! ([`markdown`], [`text`], [`github`], [`json`]) and the policy ([`check`]) read
//! only the `Report`, so both sources give the same outputs.

mod config;
mod git;
mod lines;
mod policy;
mod render;

#[cfg(test)]
mod tests;

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::diff::{Change, ChangeKind, ChangeSet, SectionChange, Significance, Tag};
use crate::error::{Error, Result};
use crate::ingest::{self, Rules};
use crate::model::{Document, UpdateKind, Version, VersionRef};
use crate::slug::Slug;
use crate::store::Store;
use crate::summary::{self, HighlightKind, Summary};

pub use config::{glob_match, ContentConfig, Policy, ReportConfig, Severity};
pub use lines::LineMap;
pub use policy::{check, Violation};
pub use render::{check_text, github, json, markdown, text, Markdown, COMMENT_LIMIT, MARKER};

/// Version of the JSON report's shape; bumped when a field changes meaning.
pub const SCHEMA: u32 = 1;

/// The trailer that carries a change note in a commit message of the range.
pub const NOTE_TRAILER: &str = "Redline-Note";
/// The trailer that marks the range's change minor (same name as the store's).
pub const KIND_TRAILER: &str = "Redline-Change";

/// A combined report over every explainer a range touched.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`SCHEMA`].
    pub schema: u32,
    /// Where the report comes from: `"git"` or `"store"`.
    pub source: &'static str,
    /// The older end (a git ref and its commit, or a store version).
    pub base: End,
    /// The newer end.
    pub head: End,
    /// The commit compared with (git: the merge base of base and head).
    pub merge_base: Option<String>,
    /// Change notes of the range: `Redline-Note:` trailers (git) or the
    /// updates' notes (store), oldest last.
    pub notes: Vec<String>,
    /// The range is marked minor (`Redline-Change: minor` trailer, or every
    /// update of a store range minor).
    pub marked_minor: bool,
    /// One entry per explainer file, in path order.
    pub files: Vec<FileReport>,
}

/// One end of the range.
#[derive(Debug, Clone, Serialize)]
pub struct End {
    /// As asked for (`origin/main`, `v3`).
    pub name: String,
    /// Full commit id.
    pub commit: String,
}

/// What happened to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// New explainer.
    Added,
    /// Explainer removed.
    Deleted,
    /// Moved to another path (its text may have changed too).
    Renamed,
    /// Text changed in place.
    Changed,
}

impl FileStatus {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            FileStatus::Added => "added",
            FileStatus::Deleted => "deleted",
            FileStatus::Renamed => "renamed",
            FileStatus::Changed => "changed",
        }
    }
}

/// One explainer file of the range.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// Repository path (at head; at base for deleted files).
    pub path: String,
    /// The path at base, for renamed files.
    pub old_path: Option<String>,
    /// Added, deleted, renamed or changed.
    pub status: FileStatus,
    /// The explainer's title (at head; at base for deleted files).
    pub title: String,
    /// Sentence-level changes that change meaning (None for added/deleted files).
    pub substantive: Option<usize>,
    /// Sentence-level changes of punctuation, case, typography or spelling only (cosmetic).
    pub cosmetic: Option<usize>,
    /// Front matter `updated` at base and head.
    pub updated: UpdatedPair,
    /// The change note written in this range: the front matter's note at head
    /// (`[change] note`, or a YAML `change_note`), when it differs from base's, so
    /// a note left from an earlier update does not count.
    pub change_note: Option<String>,
    /// The front matter's change table at head says `kind = "minor"` and was
    /// written in this range (it differs from base's).
    pub marked_minor: bool,
    /// Line of the `updated` key in the head file's front matter, if any.
    pub updated_line: Option<usize>,
    /// Ranked highlights, as readers will see them.
    pub highlights: Vec<ReportHighlight>,
    /// Section-level changes.
    pub sections: Vec<SectionChange>,
    /// Every sentence-level change, in document order.
    pub changes: Vec<ReportChange>,
    /// The diff gave up on fine alignment (time limit) and compared whole blocks.
    pub coarse: bool,
    /// For renderers: the summary the highlights came from (changed files only).
    #[serde(skip)]
    pub(crate) summary: Option<Summary>,
}

/// `updated` at both ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct UpdatedPair {
    /// At base.
    pub old: Option<DateTime<FixedOffset>>,
    /// At head.
    pub new: Option<DateTime<FixedOffset>>,
}

/// A highlight with the file line it points at.
#[derive(Debug, Clone, Serialize)]
pub struct ReportHighlight {
    /// Ranking class.
    pub kind: HighlightKind,
    /// Direction: added, removed, edited or moved.
    pub change: ChangeKind,
    /// Section heading (`None` = the lead).
    pub section: Option<String>,
    /// The sentence verbatim.
    pub text: String,
    /// Speakers named.
    pub speakers: Vec<String>,
    /// Diff tags.
    pub tags: Vec<Tag>,
    /// Line in the head file (for removals: where the text used to be).
    pub line: Option<usize>,
}

/// A sentence-level change with file lines.
#[derive(Debug, Clone, Serialize)]
pub struct ReportChange {
    /// Added, removed, edited or moved.
    pub kind: ChangeKind,
    /// Section (new version's; old for removals).
    pub section: Option<String>,
    /// Old text.
    pub old_text: Option<String>,
    /// New text.
    pub new_text: Option<String>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// Cosmetic or substantive.
    pub significance: Significance,
    /// Why it matters, in a few words.
    pub reason: String,
    /// Line in the head file (for removals: where the text used to be).
    pub line: usize,
    /// Line in the base file, for removed, edited and moved text.
    pub old_line: Option<usize>,
}

/// Where a git report reads from.
#[derive(Debug, Clone)]
pub struct GitRequest<'a> {
    /// The repository (working tree or bare).
    pub repo: &'a Path,
    /// The base ref (the pull request's target).
    pub base: &'a str,
    /// The head ref.
    pub head: &'a str,
    /// Only these paths (files or folders); empty means every explainer.
    pub paths: &'a [String],
    /// `redline.toml` to use instead of the one in the merge base's tree, with its text.
    pub config: Option<(&'a Path, &'a str)>,
}

/// A report over `base...head` of a content repository, and the configuration
/// it was read with. The configuration is `request.config` when given, else the
/// `redline.toml` at the root of the merge base (so a pull request cannot loosen
/// the policy it is checked against), else the defaults; its ingest rules read
/// the explainers.
pub fn git_report(request: &GitRequest<'_>) -> Result<(Report, ReportConfig)> {
    let range = git::GitRange::open(request.repo, request.base, request.head)?;
    let (config, rules) = match request.config {
        Some((path, text)) => (ReportConfig::parse(path, text)?, Rules::parse(path, text)?),
        None => match range.base_config()? {
            Some(text) => {
                let path = format!("{}:redline.toml", git::short(&range.merge_base));
                let path = Path::new(&path);
                (
                    ReportConfig::parse(path, &text)?,
                    Rules::parse(path, &text)?,
                )
            }
            None => (ReportConfig::default(), Rules::shipped()),
        },
    };
    let deltas = range.changed_files(&config.content, request.paths)?;
    let base_version = side_version(1, &range.merge_base, range.time(false)?);
    let head_version = side_version(2, &range.head.commit, range.time(true)?);
    let mut files = Vec::with_capacity(deltas.len());
    for delta in &deltas {
        let at = |commit: &str, path: &str| format!("{path} (at {})", git::short(commit));
        let old = match (&delta.old_path, &delta.old_bytes) {
            (Some(path), Some(bytes)) => Some(read_side(
                path,
                bytes,
                &rules,
                &at(&range.merge_base, path),
            )?),
            _ => None,
        };
        let new = match (&delta.new_path, &delta.new_bytes) {
            (Some(path), Some(bytes)) => Some(read_side(
                path,
                bytes,
                &rules,
                &at(&range.head.commit, path),
            )?),
            _ => None,
        };
        files.push(file_report(
            delta.display_path(),
            delta.old_path.as_deref(),
            delta.status,
            old.as_ref(),
            new.as_ref(),
            |old_doc, new_doc| {
                summary::summarize(
                    &file_slug(),
                    &[base_version.clone(), head_version.clone()],
                    &[old_doc.clone(), new_doc.clone()],
                )
            },
        )?);
    }
    let messages = range.messages()?;
    let notes = messages
        .iter()
        .flat_map(|m| git::trailers(m, NOTE_TRAILER))
        .filter(|n| !n.is_empty())
        .collect();
    let marked_minor = messages.iter().any(|m| {
        git::trailers(m, KIND_TRAILER)
            .iter()
            .any(|k| k.eq_ignore_ascii_case("minor"))
    });
    Ok((
        Report {
            schema: SCHEMA,
            source: "git",
            base: End {
                name: range.base.name.clone(),
                commit: range.base.commit.clone(),
            },
            head: End {
                name: range.head.name.clone(),
                commit: range.head.commit.clone(),
            },
            merge_base: Some(range.merge_base.clone()),
            notes,
            marked_minor,
            files,
        },
        config,
    ))
}

/// A report over one explainer of a redline store, from version `from` to `to`
/// (any reference `redline show` accepts), summarised over every update between.
pub fn store_report(
    store: &Store,
    slug: &Slug,
    from: &VersionRef,
    to: &VersionRef,
) -> Result<Report> {
    let old = store.snapshot(slug, from)?;
    let new = store.snapshot(slug, to)?;
    if old.version.number > new.version.number {
        return Err(Error::bad_input(
            "versions",
            format!("{}..{}", old.version.label(), new.version.label()),
            format!(
                "{slug}: {} is newer than {}: give the older version first",
                old.version.label(),
                new.version.label()
            ),
        ));
    }
    let window = store.window(slug, &VersionRef::Number(old.version.number), Some(to))?;
    let summary = summary::since(&window, &crate::diff::DiffOptions::default())?;
    let path = slug.store_path();
    let side = |document: &Document| Side {
        file: ingest::stored_text(document),
        document: document.clone(),
        change: None,
    };
    let (old_side, new_side) = (side(&old.document), side(&new.document));
    let file = file_report(
        &path,
        Some(&path),
        FileStatus::Changed,
        Some(&old_side),
        Some(&new_side),
        |_, _| Ok(summary.clone()),
    )?;
    Ok(Report {
        schema: SCHEMA,
        source: "store",
        base: End {
            name: old.version.label(),
            commit: old.version.id.to_string(),
        },
        head: End {
            name: new.version.label(),
            commit: new.version.id.to_string(),
        },
        merge_base: None,
        notes: summary
            .updates
            .iter()
            .map(|v| v.note.clone())
            .filter(|n| !n.is_empty())
            .collect(),
        marked_minor: !summary.updates.is_empty()
            && summary.updates.iter().all(|v| v.kind == UpdateKind::Minor),
        files: vec![file],
    })
}

/// One side of a file: its text as committed and the ingested document.
struct Side {
    file: String,
    document: Document,
    change: Option<ingest::ChangeMeta>,
}

impl Side {
    /// The front matter's change note: the change table's `note`, else a
    /// top-level `change_note` key.
    fn note(&self) -> Option<&str> {
        self.change
            .as_ref()
            .and_then(|c| c.note.as_deref())
            .or_else(|| {
                self.document
                    .meta
                    .extra
                    .get("change_note")
                    .map(String::as_str)
            })
    }
}

fn read_side(path: &str, bytes: &[u8], rules: &Rules, label: &str) -> Result<Side> {
    let ingested = ingest::ingest_bytes(Path::new(path), bytes, rules).map_err(|e| match e {
        Error::Input { message, .. } => Error::input(label, message),
        other => other,
    })?;
    Ok(Side {
        file: String::from_utf8_lossy(bytes).replace("\r\n", "\n"),
        document: ingested.document,
        change: ingested.change,
    })
}

/// The summary needs a slug; a repository path need not be one, and this one is
/// never shown (the report names files by path).
fn file_slug() -> Slug {
    Slug::new("explainer").unwrap_or_else(|_| unreachable!("a valid literal slug"))
}

/// A version standing for one end of a git range, for the summary engine.
fn side_version(number: usize, commit: &str, updated: DateTime<FixedOffset>) -> Version {
    Version {
        number,
        id: commit.into(),
        updated,
        editor: String::new(),
        kind: UpdateKind::Major,
        note: String::new(),
        blob: Default::default(),
    }
}

fn file_report(
    path: &str,
    old_path: Option<&str>,
    status: FileStatus,
    old: Option<&Side>,
    new: Option<&Side>,
    summarize: impl FnOnce(&Document, &Document) -> Result<Summary>,
) -> Result<FileReport> {
    let title = new
        .or(old)
        .map(|s| s.document.meta.title.clone())
        .unwrap_or_default();
    let updated = UpdatedPair {
        old: old.and_then(|s| s.document.meta.updated),
        new: new.and_then(|s| s.document.meta.updated),
    };
    let updated_line = new.and_then(|s| ingest::front_matter_key_line(&s.file, "updated"));
    let mut report = FileReport {
        path: path.to_string(),
        old_path: (status == FileStatus::Renamed)
            .then(|| old_path.map(str::to_string))
            .flatten(),
        status,
        title,
        substantive: None,
        cosmetic: None,
        updated,
        change_note: None,
        marked_minor: false,
        updated_line,
        highlights: Vec::new(),
        sections: Vec::new(),
        changes: Vec::new(),
        coarse: false,
        summary: None,
    };
    let (Some(old), Some(new)) = (old, new) else {
        return Ok(report);
    };
    report.change_note = new
        .note()
        .filter(|note| Some(*note) != old.note() && !note.trim().is_empty())
        .map(str::to_string);
    report.marked_minor = new.change != old.change
        && new
            .change
            .as_ref()
            .is_some_and(|c| c.kind == UpdateKind::Minor);
    let summary = summarize(&old.document, &new.document)?;
    let new_lines = LineMap::new(&new.file, &new.document.body);
    let old_lines = LineMap::new(&old.file, &old.document.body);
    let changes = &summary.changes;
    report.changes = changes
        .changes
        .iter()
        .map(|c| ReportChange {
            kind: c.kind(),
            section: c.heading().map(str::to_string),
            old_text: c.old_text().map(str::to_string),
            new_text: c.new_text().map(str::to_string),
            tags: c.tags().to_vec(),
            significance: c.significance(),
            reason: c.reason().to_string(),
            line: new_lines.line_at(new_offset(c, changes)),
            old_line: c.old_range().map(|r| old_lines.line_at(r.start)),
        })
        .collect();
    // A highlight quotes its first change's text: that change gives its line.
    let line_of = |h: &crate::summary::Highlight| {
        h.changes
            .first()
            .and_then(|&i| report.changes.get(i))
            .map(|c| c.line)
    };
    report.highlights = summary
        .highlights
        .iter()
        .map(|h| ReportHighlight {
            kind: h.kind,
            change: h.change,
            section: h.section.clone(),
            text: h.text.clone(),
            speakers: h.speakers.clone(),
            tags: h.tags.clone(),
            line: line_of(h),
        })
        .collect();
    let substantive = report.changes.iter().filter(|c| c.is_substantive()).count();
    report.substantive = Some(substantive);
    report.cosmetic = Some(report.changes.len() - substantive);
    report.sections = changes.sections.clone();
    report.coarse = changes.coarse;
    report.summary = Some(summary);
    Ok(report)
}

/// Byte offset in the new body a change points at: its own text, or for a
/// removal the place its text used to be.
fn new_offset(change: &Change, changes: &ChangeSet) -> usize {
    match (change.new_range(), change.old_range()) {
        (Some(range), _) => range.start,
        (None, Some(old)) => lines::old_to_new(&changes.spans, old.start),
        (None, None) => 0,
    }
}

impl Report {
    /// Does any file have a substantive change?
    pub fn has_substantive(&self) -> bool {
        self.files.iter().any(|f| f.substantive.unwrap_or(0) > 0)
    }
}

impl FileReport {
    /// The highlights and changes of the removed attributed claims.
    pub(crate) fn removed_claims(&self) -> impl Iterator<Item = &ReportHighlight> {
        self.highlights
            .iter()
            .filter(|h| h.kind == HighlightKind::RemovedClaim)
    }

    /// The first substantive change (for a line to point at).
    pub(crate) fn first_substantive(&self) -> Option<&ReportChange> {
        self.changes.iter().find(|c| c.is_substantive())
    }
}

impl ReportChange {
    /// Changes meaning (the diff's significance: typos, punctuation, case and
    /// typography are cosmetic).
    pub fn is_substantive(&self) -> bool {
        self.significance == Significance::Substantive
    }
}
