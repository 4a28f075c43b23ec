//! Summary: "what changed since X" for readers: net ChangeSet base → head, the
//! updates in between with their notes, ranked verbatim highlights, and changes
//! withdrawn inside the window. OWNER: summary engineer.
//!
//! Data flows one way: the store reads a window once ([`Window`]: the
//! versions, the base and head documents, the sentence timeline) and
//! [`since`] is a pure function of it and the [`DiffOptions`] (no store, no
//! threads, no clock but the deadline the options give), so the CLI, the
//! site, the service and CI reports run the same code, and tests need no git.
//!
//! Cost model (a long window must stay cheap): base and head are outlined and
//! diffed once; credits and withdrawn changes come from the explainer's
//! sentence timeline ([`crate::blame`]), whose consecutive pairs are aligned
//! once per history and cached with it (an update adds one pair), so a window
//! costs walks over links, not diffs (`Timeline`).
//!
//! Ranking (`rank_highlights`) is a pure function of the net change set, so
//! its rules are tested without git.

mod rank;
mod timeline;

#[cfg(test)]
mod tests;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use std::borrow::Cow;

use crate::diff::{ChangeKind, ChangeSet, DiffOptions, Span, Tag};
use crate::error::{Error, Result};
use crate::model::{Document, Version};
use crate::slug::Slug;
use crate::store::Window;

pub use rank::{BlockGroup, GroupBlock, GroupMember, Score};
// The ranker and the window's timeline are stages of `since`, not API.
pub(crate) use rank::{rank_highlights, PendingHighlight};
pub(crate) use timeline::{Credits, Timeline};

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

/// What changed across `window` (as [`Store::window`](crate::store::Store::window)
/// reads it): a pure function of the window and the diff options, with no
/// store, thread or clock of its own (the diff's deadline is in `options`).
///
/// The net change is base → head; highlights are ranked and credited to the
/// updates of the window that made them; changes that came and went inside
/// the window are listed as withdrawn. Errors: an empty window, or a window
/// with updates between base and head but no sentence timeline holding it.
pub fn since(window: &Window<'_>, options: &DiffOptions) -> Result<Summary> {
    let slug = &window.slug;
    let versions: &[Version] = &window.versions;
    let timeline = match (&window.sentences, versions.len()) {
        // One update or none: everything came with head, nothing came and went.
        (_, 0..=2) => None,
        (Some(sentences), _) => Some(Timeline::new(sentences, versions)?),
        (None, _) => {
            return Err(Error::Internal(format!(
                "{slug}: a window of {} versions without its sentence timeline",
                versions.len()
            )))
        }
    };
    let summary = assemble(
        slug,
        versions,
        &window.base,
        &window.head,
        timeline,
        options,
    )?;
    Ok(Summary {
        asked: window.asked,
        ..summary
    })
}

/// Summarise a window whose documents are all in memory, with the default
/// diff options (an editor's preview, a CI report of two files).
pub fn summarize(slug: &Slug, window: &[Version], documents: &[Document]) -> Result<Summary> {
    let sentences =
        (window.len() > 2).then(|| crate::blame::from_documents(slug, window, documents));
    summarize_with(
        slug,
        window,
        documents,
        sentences.as_ref(),
        &DiffOptions::default(),
    )
}

/// [`since`] over documents held in memory (index for index with `window`)
/// and, for windows with updates between base and head, the sentence
/// timeline of a history holding them (the site builder summarises many
/// windows of one history).
pub fn summarize_with(
    slug: &Slug,
    window: &[Version],
    documents: &[Document],
    sentences: Option<&crate::blame::SentenceTimeline>,
    options: &DiffOptions,
) -> Result<Summary> {
    let (Some(base), Some(head)) = (documents.first(), documents.last()) else {
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
    since(
        &Window {
            slug: slug.clone(),
            asked: None,
            versions: Cow::Borrowed(window),
            base: Cow::Borrowed(base),
            head: Cow::Borrowed(head),
            sentences: sentences.map(Cow::Borrowed),
        },
        options,
    )
}

/// The one place a [`Summary`] is put together: net diff base → head, ranked
/// highlights, and the window's view of the sentence timeline (`timeline`,
/// `None` for a window of one update) for credits and withdrawn changes.
fn assemble(
    slug: &Slug,
    window: &[Version],
    base_doc: &Document,
    head_doc: &Document,
    timeline: Option<Timeline<'_>>,
    options: &DiffOptions,
) -> Result<Summary> {
    let (Some(base), Some(head)) = (window.first(), window.last()) else {
        return Err(Error::bad_input(
            "window",
            "",
            format!("{slug}: an empty window has no summary"),
        ));
    };
    let last = window.len() - 1;
    let changes = crate::diff::diff_with(base_doc, head_doc, options);
    let ranked = rank_highlights(&changes, base_doc, head_doc);
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
