//! Summary: "what changed since X" for readers: net ChangeSet base → head, the
//! updates in between with their notes, ranked verbatim highlights, and changes
//! withdrawn inside the window. OWNER: summary engineer.
//!
//! Cost model (a long window must stay cheap): one history walk; base and head
//! are read and outlined in full and diffed once; credits and withdrawn
//! changes come from the explainer's sentence timeline ([`crate::blame`]),
//! whose consecutive pairs are aligned once per history and cached with it
//! (an update adds one pair), so a window reads one cache file ([`Timeline`]).
//!
//! Ranking ([`rank_highlights`]) is a pure function of the net change set, so
//! its rules are tested without git.

mod rank;
mod timeline;

#[cfg(test)]
mod tests;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::diff::{ChangeKind, ChangeSet, Span, Tag};
use crate::error::{Error, Result};
use crate::model::{Document, Version, VersionRef};
use crate::slug::Slug;
use crate::store::Store;

pub use rank::{
    rank_highlights, BlockGroup, GroupBlock, GroupMember, PendingHighlight, Score, Trace,
};
pub use timeline::{Credits, Timeline, WindowCredit, WithdrawnSpan};

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
    /// Ranked highlights: the substantive changes a reader must be told.
    pub highlights: Vec<Highlight>,
    /// Minor changes (class `cosmetic`: code, spelling and link fixes,
    /// renumbering, a table of contents), ranked and grouped like highlights
    /// but no highlights: a summary counts them, and every one is also in `changes`.
    pub minor: Vec<Highlight>,
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
    /// Indices into `changes.sections` of the section changes it shows (not in JSON).
    #[serde(skip)]
    pub section_changes: Vec<usize>,
    /// Changed rows of one table or lines of one code block told as one item
    /// (`null` for a single change).
    pub group: Option<BlockGroup>,
    /// Every update of the window that made it, oldest first (an edit spread
    /// over several updates names each, with its word change).
    pub credits: Vec<crate::blame::Credit>,
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
    let (base_at, head_at) = window_of(store, slug, &history, when, until)?;
    let (Some(base), Some(head)) = (history.get(base_at), history.get(head_at)) else {
        return Err(Error::UnknownExplainer(slug.to_string()));
    };
    let window = history.get(base_at..=head_at).unwrap_or(&[]);
    let base_doc = store.document_from_history(slug, base)?;
    let head_doc = if head_at == base_at {
        base_doc.clone()
    } else {
        store.document_from_history(slug, head)?
    };
    let summary = assemble(slug, window, &base_doc, &head_doc, || {
        crate::blame::load(store, slug, &history, None).map(std::borrow::Cow::Owned)
    })?;
    Ok(Summary {
        asked: match when {
            VersionRef::At(t) => Some(*t),
            _ => None,
        },
        ..summary
    })
}

/// The window `when`..`until` of `history` (one explainer's, oldest first),
/// as the indexes of its base and head: what [`since`] summarises.
pub(crate) fn window_of(
    store: &Store,
    slug: &Slug,
    history: &[Version],
    when: &VersionRef,
    until: Option<&VersionRef>,
) -> Result<(usize, usize)> {
    let base_at = match when {
        // Before the first version: start from v1 (see above).
        VersionRef::At(t) => history.iter().rposition(|v| v.updated <= *t).unwrap_or(0),
        other => position(store, slug, history, other)?,
    };
    let head_at = match until {
        None => history.len().saturating_sub(1),
        Some(reference) => position(store, slug, history, reference)?,
    };
    let (Some(base), Some(head)) = (history.get(base_at), history.get(head_at)) else {
        return Err(Error::UnknownExplainer(slug.to_string()));
    };
    if head_at < base_at {
        return Err(Error::bad_input(
            "window",
            "",
            format!(
                "{slug}: the end of the window ({}, {}) is before its start ({}, {})",
                head.label(),
                head.updated.to_rfc3339(),
                base.label(),
                base.updated.to_rfc3339()
            ),
        ));
    }
    Ok((base_at, head_at))
}

/// Summarise a window whose documents are all in memory (the site builder reads
/// every version once and summarises many windows of it).
pub fn summarize(slug: &Slug, window: &[Version], documents: &[Document]) -> Result<Summary> {
    let (Some(base_doc), Some(head_doc)) = (documents.first(), documents.last()) else {
        return Err(Error::bad_input(
            "window",
            "",
            format!("{slug}: an empty window has no summary"),
        ));
    };
    if window.len() != documents.len() {
        return Err(Error::Internal(format!(
            "{slug}: {} versions but {} documents",
            window.len(),
            documents.len()
        )));
    }
    assemble(slug, window, base_doc, head_doc, || {
        Ok(std::borrow::Cow::Owned(crate::blame::from_documents(
            slug, window, documents,
        )))
    })
}

/// [`summarize`] with the sentence timeline of the whole history already at
/// hand (the site builder summarises many windows of one history).
pub fn summarize_with(
    slug: &Slug,
    window: &[Version],
    documents: &[Document],
    sentences: &crate::blame::SentenceTimeline,
) -> Result<Summary> {
    let (Some(base_doc), Some(head_doc)) = (documents.first(), documents.last()) else {
        return Err(Error::bad_input(
            "window",
            "",
            format!("{slug}: an empty window has no summary"),
        ));
    };
    assemble(slug, window, base_doc, head_doc, || {
        Ok(std::borrow::Cow::Borrowed(sentences))
    })
}

/// The one place a [`Summary`] is put together: net diff base → head, ranked
/// highlights, and the window's view of the sentence timeline for credits and
/// withdrawn changes. `sentences` gives the timeline of a history holding the
/// window. A window of one update skips the timeline: all its changes came
/// with head and nothing can have come and gone.
fn assemble<'t>(
    slug: &Slug,
    window: &[Version],
    base_doc: &Document,
    head_doc: &Document,
    sentences: impl FnOnce() -> Result<std::borrow::Cow<'t, crate::blame::SentenceTimeline>>,
) -> Result<Summary> {
    let (Some(base), Some(head)) = (window.first(), window.last()) else {
        return Err(Error::UnknownExplainer(slug.to_string()));
    };
    let last = window.len() - 1;
    let changes = crate::diff::diff(base_doc, head_doc);
    let ranked = rank_highlights(&changes, base_doc, head_doc);
    let sentences = if window.len() > 2 {
        Some(sentences()?)
    } else {
        None
    };
    let timeline = sentences
        .as_deref()
        .map(|s| Timeline::new(s, window))
        .transpose()?;
    let at = |index: usize| window.get(index).unwrap_or(head).clone();
    let credit = |(i, h): (usize, PendingHighlight)| {
        let credits = Credits::of(
            timeline.as_ref(),
            &h.trace,
            h.section.as_deref(),
            &h.words,
            last,
        );
        Highlight {
            version: at(credits.index),
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
            section_changes: h.section_changes,
            group: h.group,
            credits: credits
                .all
                .into_iter()
                .map(|c| {
                    let version = at(c.index);
                    c.credit(version)
                })
                .collect(),
        }
    };
    // Cosmetic changes are never highlights (they change no meaning a reader
    // reads); they are ranked the same way and kept apart.
    let (minor, substantive): (Vec<PendingHighlight>, Vec<PendingHighlight>) = ranked
        .into_iter()
        .partition(|h| h.kind == HighlightKind::Cosmetic);
    let highlights = substantive.into_iter().enumerate().map(credit).collect();
    let minor = minor.into_iter().enumerate().map(credit).collect();
    let withdrawn = timeline
        .as_ref()
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
        minor,
        withdrawn,
        changes,
    })
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
                .ok_or_else(|| {
                    Error::no_such_version(
                        slug,
                        reference,
                        format!("{slug} has no version {reference}"),
                    )
                })
        }
    }
}
