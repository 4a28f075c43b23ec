//! Summary: "what changed since X" for readers: net ChangeSet base → head, the
//! updates in between with their notes, ranked verbatim highlights, and changes
//! withdrawn inside the window. OWNER: summary engineer.
//!
//! Cost model (a long window must stay cheap): one history walk; base and head
//! are read and outlined in full and diffed once; every intermediate version's
//! blob is read once (by reader threads on long windows) and only hashed
//! paragraph by paragraph ([`Timeline`]), with only paragraphs never seen
//! before outlined into sentences. No consecutive pair is ever diffed.
//!
//! Ranking ([`rank_highlights`]) is a pure function of the net change set, so
//! its rules are tested without git.

mod rank;
mod timeline;

#[cfg(test)]
mod tests;

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::diff::{ChangeKind, ChangeSet, Span, Tag};
use crate::error::{Error, Result};
use crate::model::{Document, Version, VersionRef};
use crate::slug::Slug;
use crate::store::Store;

pub use rank::{
    normalise, rank_highlights, BlockGroup, GroupMember, PendingHighlight, Score, Trace,
};
use timeline::{index_body, IndexedBody};
pub use timeline::{Timeline, WithdrawnSpan};

/// What changed in an explainer between two moments.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The explainer.
    pub slug: Slug,
    /// Title of the head version.
    pub title: String,
    /// The moment the reader asked about, when they gave a date or time rather
    /// than a version: "since 1 March" can mean the version of 25 February,
    /// the one current at the start of 1 March, and a reader should see both.
    pub asked: Option<DateTime<FixedOffset>>,
    /// The version current at `when`.
    pub base: Version,
    /// The newest version (or the one current at `until`).
    pub head: Version,
    /// Every update after base up to head, oldest first.
    pub updates: Vec<Version>,
    /// Ranked highlights.
    pub highlights: Vec<Highlight>,
    /// Changes that appeared and were withdrawn inside the window.
    pub withdrawn: Vec<Withdrawn>,
    /// Net change base → head.
    pub changes: ChangeSet,
}

/// One highlight: verbatim text from the explainer.
#[derive(Debug, Clone, Serialize)]
pub struct Highlight {
    /// Position in the ranking, 1 = most important.
    pub rank: usize,
    /// Ranking class.
    pub kind: HighlightKind,
    /// Direction: `added`, `removed`, `edited` or `moved` text.
    pub change: ChangeKind,
    /// Why it ranks where it does: class and lexical evidence.
    pub score: Score,
    /// Section heading (`None` = the lead).
    pub section: Option<String>,
    /// Other sections where the very same change was made, collapsed into this
    /// highlight ("in 14 sections").
    pub also_in: Vec<Option<String>>,
    /// The sentence verbatim: new text; the old text for removals.
    pub text: String,
    /// The sentence before an edit (`None` unless edited).
    pub old_text: Option<String>,
    /// Word-level change for edited sentences (empty otherwise).
    pub words: Vec<Span>,
    /// Speakers named, in order ("Mr Macron", "the UK government").
    pub speakers: Vec<String>,
    /// Who makes the claim ("Mr Macron").
    pub claimant: Vec<String>,
    /// Who disputes it, for contested claims ("the UK government").
    pub disputed_by: Vec<String>,
    /// Diff tags.
    pub tags: Vec<Tag>,
    /// The update that introduced it.
    pub version: Version,
    /// Indices into `changes.changes` of every change this highlight shows.
    pub changes: Vec<usize>,
    /// Changed rows of one table or lines of one code block told as one item
    /// (`null` for a single change).
    pub group: Option<BlockGroup>,
}

/// Highlight ranking classes, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HighlightKind {
    /// A new attributed claim with its rebuttal or denial.
    ContestedClaim,
    /// A new attributed claim.
    Claim,
    /// An existing figure, date or name replaced in an edited sentence.
    Correction,
    /// An attributed claim removed.
    RemovedClaim,
    /// An obligation or negation added, removed or changed ("must", "may not").
    Obligation,
    /// A new section.
    NewSection,
    /// Every other substantive change.
    Other,
    /// Code, spelling fixes, renumbering: shown last, never above substance.
    Cosmetic,
}

/// A change that appeared and was withdrawn inside the window.
#[derive(Debug, Clone, Serialize)]
pub struct Withdrawn {
    /// Section (`None` = the lead).
    pub section: Option<String>,
    /// The text that came and went.
    pub text: String,
    /// Update that added it.
    pub added_in: Version,
    /// Update that removed it.
    pub removed_in: Version,
}

/// What changed in `slug` since `when` (until `until`, or the newest).
///
/// `base` is the version current at `when` (a date means the start of that day,
/// UTC; `vN` and commit prefixes name a version directly). When `when` is
/// before the first version, the reader has seen nothing: base is then v1, the
/// earliest text there is, and the summary counts changes from it (a base
/// equal to v1 with `base.updated` later than the requested time tells a
/// renderer so). `head` is the newest version, or the one current at `until`.
/// Errors: unknown explainer, a reference that matches nothing, or an `until`
/// before `when`.
pub fn since(
    store: &Store,
    slug: &Slug,
    when: &VersionRef,
    until: Option<&VersionRef>,
) -> Result<Summary> {
    let history = store.history(slug)?;
    let base_at = match when {
        // Before the first version: start from v1 (see above).
        VersionRef::At(t) => history.iter().rposition(|v| v.updated <= *t).unwrap_or(0),
        other => position(store, slug, &history, other)?,
    };
    let head_at = match until {
        None => history.len().saturating_sub(1),
        Some(reference) => position(store, slug, &history, reference)?,
    };
    let (Some(base), Some(head)) = (history.get(base_at), history.get(head_at)) else {
        return Err(Error::UnknownExplainer(slug.to_string()));
    };
    if head_at < base_at {
        return Err(Error::Version(format!(
            "{slug}: the end of the window ({}, {}) is before its start ({}, {})",
            head.label(),
            head.updated.to_rfc3339(),
            base.label(),
            base.updated.to_rfc3339()
        )));
    }
    let window = history.get(base_at..=head_at).unwrap_or(&[]);
    let base_doc = store.document_from_history(slug, base)?;
    let head_doc = if head_at == base_at {
        base_doc.clone()
    } else {
        store.document_from_history(slug, head)?
    };
    let summary = assemble(slug, window, &base_doc, &head_doc, |timeline| {
        scan_intermediates(store, slug, window, timeline)
    })?;
    Ok(Summary {
        asked: match when {
            VersionRef::At(t) => Some(*t),
            _ => None,
        },
        ..summary
    })
}

/// Summarise a window whose documents are all in memory (the site builder reads
/// every version once and summarises many windows of it).
pub fn summarize(slug: &Slug, window: &[Version], documents: &[Document]) -> Result<Summary> {
    let (Some(base_doc), Some(head_doc)) = (documents.first(), documents.last()) else {
        return Err(Error::Version(format!(
            "{slug}: an empty window has no summary"
        )));
    };
    if window.len() != documents.len() {
        return Err(Error::Version(format!(
            "{slug}: {} versions but {} documents",
            window.len(),
            documents.len()
        )));
    }
    assemble(slug, window, base_doc, head_doc, |timeline| {
        let last = documents.len().saturating_sub(1);
        for (index, document) in documents.iter().enumerate().take(last).skip(1) {
            timeline.add_intermediate(index, &document.body);
        }
        Ok(())
    })
}

/// The one place a [`Summary`] is put together: net diff base → head, ranked
/// highlights, and the timeline of the versions in between for introduced-by and
/// withdrawn changes. `intermediates` feeds the versions strictly between base
/// and head to the timeline. A window of one update skips the timeline: all its
/// changes came with head and nothing can have come and gone.
fn assemble(
    slug: &Slug,
    window: &[Version],
    base_doc: &Document,
    head_doc: &Document,
    intermediates: impl FnOnce(&mut Timeline) -> Result<()>,
) -> Result<Summary> {
    let (Some(base), Some(head)) = (window.first(), window.last()) else {
        return Err(Error::UnknownExplainer(slug.to_string()));
    };
    let last = window.len() - 1;
    let changes = crate::diff::diff(base_doc, head_doc);
    let ranked = rank_highlights(&changes, base_doc, head_doc);
    let mut timeline = if window.len() > 2 {
        let mut timeline = Timeline::new(window.len());
        timeline.add_known(0, &base_doc.body);
        timeline.add_known(last, &head_doc.body);
        intermediates(&mut timeline)?;
        Some(timeline)
    } else {
        None
    };
    let at = |index: usize| window.get(index).unwrap_or(head).clone();
    let highlights = ranked
        .into_iter()
        .enumerate()
        .map(|(i, h)| Highlight {
            version: at(timeline.as_ref().map_or(last, |t| t.introduced(&h.trace))),
            rank: i + 1,
            kind: h.kind,
            change: h.change,
            score: h.score,
            section: h.section,
            also_in: h.also_in,
            text: h.text,
            old_text: h.old_text,
            words: h.words,
            speakers: h.speakers,
            claimant: h.claimant,
            disputed_by: h.disputed_by,
            tags: h.tags,
            changes: h.changes,
            group: h.group,
        })
        .collect();
    let withdrawn = timeline
        .as_mut()
        .map(Timeline::withdrawn)
        .unwrap_or_default()
        .into_iter()
        // A "last updated" stamp that came and went is page furniture.
        .filter(|w| !rank::is_stamp_line(&w.text))
        .map(|w| Withdrawn {
            section: w.section,
            text: w.text,
            added_in: at(w.added),
            removed_in: at(w.removed),
        })
        .collect();
    Ok(Summary {
        slug: slug.clone(),
        title: head_doc.meta.title.clone(),
        asked: None,
        base: base.clone(),
        head: head.clone(),
        updates: window.get(1..).unwrap_or(&[]).to_vec(),
        highlights,
        withdrawn,
        changes,
    })
}

/// Windows with at least this many intermediate versions are read in parallel.
const PARALLEL_FROM: usize = 32;

/// How many indexed versions a reader may hold ready before it waits: bounds
/// memory (a few MB of bodies per reader) on very long windows.
const READ_AHEAD: usize = 256;

/// Feed every intermediate version's body to `timeline`, in window order.
///
/// Reading blobs dominates a long window (inflate and hash checks in
/// libgit2). So reader threads, each with its own store handle (a git
/// repository handle cannot be shared), each take a contiguous block of the
/// window: they read, cut and hash every version and outline the chunks they
/// claim first, while this thread only tracks sets, block by block. Contiguous
/// blocks keep the chunks two readers both meet (and so the outlines this
/// thread must redo) to those alive at a block boundary.
fn scan_intermediates(
    store: &Store,
    slug: &Slug,
    window: &[Version],
    timeline: &mut Timeline,
) -> Result<()> {
    let last = window.len().saturating_sub(1);
    let middle = window.get(1..last).unwrap_or(&[]);
    let readers = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if readers < 2 || middle.len() < PARALLEL_FROM {
        for (offset, version) in middle.iter().enumerate() {
            timeline.add_intermediate(offset + 1, &stored_body(store, slug, version)?);
        }
        return Ok(());
    }
    let path = store.path().to_path_buf();
    let claims = timeline.claims();
    let block = middle.len().div_ceil(readers);
    std::thread::scope(|scope| {
        let mut inboxes = Vec::with_capacity(readers);
        for versions in middle.chunks(block) {
            let (outbox, inbox) = std::sync::mpsc::sync_channel::<Result<IndexedBody>>(READ_AHEAD);
            let (path, claims) = (&path, &claims);
            scope.spawn(move || {
                let own = match Store::open(path) {
                    Ok(own) => own,
                    Err(e) => {
                        // The receiver reports it; nothing else to do here.
                        let _ = outbox.send(Err(e));
                        return;
                    }
                };
                for version in versions {
                    let indexed = stored_body(&own, slug, version).map(|b| index_body(b, claims));
                    if outbox.send(indexed).is_err() {
                        return; // the summary gave up (an earlier error)
                    }
                }
            });
            inboxes.push((versions.len(), inbox));
        }
        let mut index = 1;
        for (count, inbox) in inboxes {
            for _ in 0..count {
                let indexed = inbox.recv().map_err(|_| {
                    Error::Git(format!("reading {slug}: a store reader stopped early"))
                })??;
                timeline.add_indexed(index, indexed);
                index += 1;
            }
        }
        Ok(())
    })
}

/// A version's body, read raw: the timeline only hashes it, so neither the
/// outline nor the front matter's TOML is parsed (both cost more than the
/// read over a long window). The split follows `ingest::parse_stored_parts`,
/// which is asked only when the front matter is malformed, for its error.
fn stored_body(store: &Store, slug: &Slug, version: &Version) -> Result<String> {
    let text = store.text_from_history(slug, version)?;
    if let Some(body) = body_after_front_matter(&text) {
        return Ok(body.to_string());
    }
    let name = format!("{}@{}", slug.store_path(), version.short_id());
    let (_, body) = crate::ingest::parse_stored_parts(Path::new(&name), &text)?;
    Ok(body)
}

/// Everything after the closing `+++` line, the whole text when it has no
/// front matter, `None` when the front matter never closes.
fn body_after_front_matter(text: &str) -> Option<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    if first.trim_end() != "+++" {
        return Some(text);
    }
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "+++" {
            return rest.get(offset..);
        }
    }
    None
}

/// Index in `history` of a version reference, resolved locally (no second
/// history walk); the store's resolver only supplies the error when nothing matches.
fn position(
    store: &Store,
    slug: &Slug,
    history: &[Version],
    reference: &VersionRef,
) -> Result<usize> {
    let found = match reference {
        VersionRef::Latest => history.len().checked_sub(1),
        VersionRef::Number(n) => n.checked_sub(1).filter(|i| *i < history.len()),
        VersionRef::Commit(prefix) => {
            let prefix = prefix.trim().to_ascii_lowercase();
            let mut matches = history
                .iter()
                .enumerate()
                .filter(|(_, v)| !prefix.is_empty() && v.id.starts_with(&prefix));
            match (matches.next(), matches.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        }
        VersionRef::At(t) => history.iter().rposition(|v| v.updated <= *t),
    };
    match found {
        Some(i) => Ok(i),
        None => {
            let version = store.resolve(slug, reference)?;
            history
                .iter()
                .position(|v| v.id == version.id)
                .ok_or_else(|| Error::Version(format!("{slug} has no version {reference}")))
        }
    }
}

#[cfg(test)]
mod front_matter_tests {
    use super::body_after_front_matter;

    #[test]
    fn body_follows_the_closing_fence() {
        assert_eq!(
            body_after_front_matter("+++\ntitle = \"T\"\n+++\nBody\n\nMore.\n"),
            Some("Body\n\nMore.\n")
        );
        assert_eq!(
            body_after_front_matter("\u{feff}+++\r\na = 1\r\n+++\r\nB"),
            Some("B")
        );
        // No front matter: all body, as ingest reads it.
        assert_eq!(
            body_after_front_matter("Just text.\n"),
            Some("Just text.\n")
        );
        // Never closed: ingest is asked, for its error.
        assert_eq!(body_after_front_matter("+++\ntitle = \"T\"\nBody\n"), None);
    }
}
