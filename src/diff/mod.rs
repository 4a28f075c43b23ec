//! Diff: align two versions by section, sentence and word, type every change,
//! and keep a lossless span list. OWNER: diff engineer.
//!
//! How it works, in order:
//! 1. Both bodies are already outlined into sections, blocks and sentences
//!    (the crate's `structure` stage); every sentence keeps its source byte range.
//! 2. Sections are aligned by heading: exact, then renamed (similar heading, or same
//!    place and similar content); unmatched are added/removed; matched sections off
//!    the longest in-order run are moved ([`SectionChange`]).
//! 3. Sentences are aligned inside aligned sections by a diff over hashes of their
//!    normalised text (typography folded, so re-wrapping or curly quotes are no
//!    change); leftovers that appear elsewhere are moved; leftovers near each other
//!    with word similarity ≥ 0.5 are edited (including one sentence split in two);
//!    similar leftovers far apart (≥ 0.6) are moved and reworded.
//! 4. Edited sentences get a word diff with semantic clean-up; every change is
//!    tagged (number, date, quote, attribution, negation, name).
//! 5. The span list walks both bodies along in-order matched sentences ("anchors")
//!    and word-diffs what lies between them, so it is lossless by construction.
//!
//! A deadline bounds the work: past it, the remaining steps take their coarse
//! fallback (no pairing, delete + insert instead of word diffs) and `coarse` is set.

mod align;
mod markup;
// The sentence pairing, for the sentence timeline (blame).
pub(crate) mod pairs;
mod tags;
pub(crate) mod text;

/// Dice word similarity of two sorted word-hash multisets (shared with the summary
/// timeline, which judges rewordings by the same measure the diff pairs edits with).
pub use text::dice;
mod words;

use std::cell::Cell;
use std::ops::Range;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::model::Document;

use align::{PairKind, Side};

/// Everything that changed between two versions. Lossless: `spans` rebuild both bodies.
///
/// Semantics readers and renderers can rely on:
/// - `sections` are in new-document order; a removed section sits after the new
///   position of the section that preceded it. A section both renamed and moved
///   has two entries (renamed, then moved). The lead (text before the first
///   heading) has heading `None` and is only ever matched to the lead.
/// - `changes` are in new-document order; a removal sits where its text used to be,
///   i.e. after the change or text that precedes it in the new version. Sentences of
///   added/removed sections are listed too (as added/removed), each with its section.
/// - Typography (whitespace, wrapping, curly/straight quotes, dash variants, NBSP)
///   and Markdown-only edits produce no `Change`, but the `spans` still show the bytes.
///   The exception is a link or image target: a sentence whose only change is the
///   URL of a link it already had is an edited change, cosmetic, reason
///   "link changed: old → new".
/// - Changes in code, tables and raw HTML (see [`crate::model::BlockKind::is_prose`])
///   carry no lexical tags: code is cosmetic "code changed" (aligned line by line;
///   a run of adjacent changed lines of one block on the same side is one change),
///   a table row says which cells changed ("row 'Daily values': 'numerator' →
///   'denominator'"), a figure says what about its images changed ("figure changed:
///   alt text …"), other markup is cosmetic "markup changed". Their ranges lie
///   inside those blocks, so `Document::block_at` tells them from prose.
/// - A moved change has `from` (where it was), `section` (where it is) and
///   both ranges; `words` is empty when the text is unchanged, else a word diff.
///   Consecutive sentences that moved together form one moved change. In `spans`
///   a move shows as a delete at the old place and an insert at the new place.
///   Sentences of a moved section are not listed as moved (the section change says it).
/// - `old_range` / `new_range` are byte ranges into the old / new `Document::body`.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ChangeSet {
    /// Section-level changes (added, removed, renamed, moved).
    pub sections: Vec<SectionChange>,
    /// Sentence/block-level changes in new-document order.
    pub changes: Vec<Change>,
    /// Flat lossless span list over the bodies, in document order.
    pub spans: Vec<Span>,
    /// True when the deadline was hit and a coarser (still lossless) diff was returned.
    pub coarse: bool,
}

/// A section-level change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionChange {
    /// What happened to the section.
    pub kind: SectionChangeKind,
    /// Which section (as [`Change::section`] names it: the new version's, or the
    /// old one's for a removed section). Not in JSON.
    #[serde(skip)]
    pub id: SectionId,
    /// Heading in the old version (`None`: the lead, or the section is new).
    pub old_heading: Option<String>,
    /// Heading in the new version (`None`: the lead, or the section was removed).
    pub new_heading: Option<String>,
}

/// What happened to a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionChangeKind {
    /// New section.
    Added,
    /// Section gone.
    Removed,
    /// Heading reworded, same section.
    Renamed,
    /// Section changed position.
    Moved,
}

/// Which section a change sits in, as one diff sees it.
///
/// Sections are told apart by position, not heading text, so two sections
/// with one heading stay two. A section the new version has is `New(j)`, its
/// index in the new `Document::sections`, whichever side the change's text is
/// on (a removal from a section that is still there names the new section); a
/// section only the old version has (removed) is `Old(i)`, its index in the old
/// `Document::sections`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionId {
    /// Index in the new version's sections.
    New(usize),
    /// Index in the old version's sections (the new version no longer has it).
    Old(usize),
}

/// A section as a change names it: its identity and its heading as the change's
/// side shows it (the old heading for removed or moved-away text).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SectionRef {
    /// Identity within the diff.
    pub id: SectionId,
    /// Heading without Markdown markup; `None` for the lead.
    pub heading: Option<String>,
}

impl SectionRef {
    /// The heading (`None` for the lead).
    pub fn heading(&self) -> Option<&str> {
        self.heading.as_deref()
    }
}

/// What a change means to a reader, whatever its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Reader-relevant tags.
    pub tags: Vec<Tag>,
    /// Cosmetic or substantive.
    pub significance: Significance,
    /// Why it matters, in a few words: "number changed: 30,000 → 35,000",
    /// "new attributed quotation", "moved from “…”; moved, text unchanged".
    pub reason: String,
}

/// One sentence- (or block-) level change; each kind carries exactly its own
/// fields (as `similar::DiffOp` does).
///
/// Texts are plain (no Markdown). When one sentence was split in two (or two
/// joined), a side's text is the group's sentences joined by one space. Ranges
/// are byte ranges into the old / new `Document::body`. `words` is a word-level
/// diff of old → new text (whole words/phrases; equal + delete rebuild the old
/// text, equal + insert the new).
///
/// JSON keeps one flat shape for every kind (`kind`, `section`, `old_section`,
/// `old_text`, `new_text`, `words`, `tags`, `significance`, `reason`,
/// `old_range`, `new_range`; `null` or `[]` where a kind has no such field), so
/// consumers of earlier output read it unchanged. Section ids are not in JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// New text.
    Added {
        /// Section in the new version.
        section: SectionRef,
        /// The new text.
        text: String,
        /// Its range in the new body.
        range: Range<usize>,
        /// Tags, significance, reason.
        assessment: Assessment,
    },
    /// Text gone.
    Removed {
        /// Section in the old version (its id is the new version's section
        /// when that section is still there).
        section: SectionRef,
        /// The old text.
        text: String,
        /// Its range in the old body.
        range: Range<usize>,
        /// Tags, significance, reason.
        assessment: Assessment,
    },
    /// Same sentence, reworded in place.
    Edited {
        /// Section in the new version.
        section: SectionRef,
        /// Text before.
        old_text: String,
        /// Text after.
        new_text: String,
        /// Word diff old → new.
        words: Vec<Span>,
        /// Range in the old body.
        old_range: Range<usize>,
        /// Range in the new body.
        new_range: Range<usize>,
        /// Tags, significance, reason.
        assessment: Assessment,
    },
    /// Same text (maybe reworded), different place.
    Moved {
        /// Section it came from (old heading).
        from: SectionRef,
        /// Section it is in now.
        section: SectionRef,
        /// Text before.
        old_text: String,
        /// Text after.
        new_text: String,
        /// Word diff old → new; empty when the text is unchanged.
        words: Vec<Span>,
        /// Range in the old body.
        old_range: Range<usize>,
        /// Range in the new body.
        new_range: Range<usize>,
        /// Tags, significance, reason.
        assessment: Assessment,
    },
}

impl Change {
    /// Added, removed, edited or moved.
    pub fn kind(&self) -> ChangeKind {
        match self {
            Change::Added { .. } => ChangeKind::Added,
            Change::Removed { .. } => ChangeKind::Removed,
            Change::Edited { .. } => ChangeKind::Edited,
            Change::Moved { .. } => ChangeKind::Moved,
        }
    }

    /// The section the change is in (the new version's; the old one's for a removal).
    pub fn section(&self) -> &SectionRef {
        match self {
            Change::Added { section, .. }
            | Change::Removed { section, .. }
            | Change::Edited { section, .. }
            | Change::Moved { section, .. } => section,
        }
    }

    /// The section's heading (`None` = the lead).
    pub fn heading(&self) -> Option<&str> {
        self.section().heading()
    }

    /// For a move: the section the text came from.
    pub fn moved_from(&self) -> Option<&SectionRef> {
        match self {
            Change::Moved { from, .. } => Some(from),
            _ => None,
        }
    }

    /// Old text, for removed, edited and moved changes.
    pub fn old_text(&self) -> Option<&str> {
        match self {
            Change::Added { .. } => None,
            Change::Removed { text, .. } => Some(text),
            Change::Edited { old_text, .. } | Change::Moved { old_text, .. } => Some(old_text),
        }
    }

    /// New text, for added, edited and moved changes.
    pub fn new_text(&self) -> Option<&str> {
        match self {
            Change::Removed { .. } => None,
            Change::Added { text, .. } => Some(text),
            Change::Edited { new_text, .. } | Change::Moved { new_text, .. } => Some(new_text),
        }
    }

    /// The text a reader sees now: the new text; the old text for a removal.
    pub fn text(&self) -> &str {
        match self {
            Change::Added { text, .. } | Change::Removed { text, .. } => text,
            Change::Edited { new_text, .. } | Change::Moved { new_text, .. } => new_text,
        }
    }

    /// Word diff old → new (empty for added, removed and unchanged moved text).
    pub fn words(&self) -> &[Span] {
        match self {
            Change::Added { .. } | Change::Removed { .. } => &[],
            Change::Edited { words, .. } | Change::Moved { words, .. } => words,
        }
    }

    /// Range in the old body (removed, edited, moved).
    pub fn old_range(&self) -> Option<Range<usize>> {
        match self {
            Change::Added { .. } => None,
            Change::Removed { range, .. } => Some(range.clone()),
            Change::Edited { old_range, .. } | Change::Moved { old_range, .. } => {
                Some(old_range.clone())
            }
        }
    }

    /// Range in the new body (added, edited, moved).
    pub fn new_range(&self) -> Option<Range<usize>> {
        match self {
            Change::Removed { .. } => None,
            Change::Added { range, .. } => Some(range.clone()),
            Change::Edited { new_range, .. } | Change::Moved { new_range, .. } => {
                Some(new_range.clone())
            }
        }
    }

    /// Tags, significance and reason.
    pub fn assessment(&self) -> &Assessment {
        match self {
            Change::Added { assessment, .. }
            | Change::Removed { assessment, .. }
            | Change::Edited { assessment, .. }
            | Change::Moved { assessment, .. } => assessment,
        }
    }

    /// Tags, significance and reason, to amend.
    pub fn assessment_mut(&mut self) -> &mut Assessment {
        match self {
            Change::Added { assessment, .. }
            | Change::Removed { assessment, .. }
            | Change::Edited { assessment, .. }
            | Change::Moved { assessment, .. } => assessment,
        }
    }

    /// Reader-relevant tags.
    pub fn tags(&self) -> &[Tag] {
        &self.assessment().tags
    }

    /// Cosmetic or substantive.
    pub fn significance(&self) -> Significance {
        self.assessment().significance
    }

    /// True for punctuation, typography, code, link and markup changes.
    pub fn is_cosmetic(&self) -> bool {
        self.significance() == Significance::Cosmetic
    }

    /// Why it matters, in a few words.
    pub fn reason(&self) -> &str {
        &self.assessment().reason
    }
}

/// The JSON form of a [`Change`]: one flat record for every kind, as before
/// `Change` was an enum (field order and `null`s included).
#[derive(Serialize)]
struct ChangeRecord<'a> {
    kind: ChangeKind,
    section: Option<&'a str>,
    old_section: Option<&'a str>,
    old_text: Option<&'a str>,
    new_text: Option<&'a str>,
    words: &'a [Span],
    tags: &'a [Tag],
    significance: Significance,
    reason: &'a str,
    old_range: Option<Range<usize>>,
    new_range: Option<Range<usize>>,
}

impl Serialize for Change {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        ChangeRecord {
            kind: self.kind(),
            section: self.heading(),
            old_section: self.moved_from().and_then(SectionRef::heading),
            old_text: self.old_text(),
            new_text: self.new_text(),
            words: self.words(),
            tags: self.tags(),
            significance: self.significance(),
            reason: self.reason(),
            old_range: self.old_range(),
            new_range: self.new_range(),
        }
        .serialize(serializer)
    }
}

/// Kind of a sentence-level change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// New text.
    Added,
    /// Text gone.
    Removed,
    /// Same sentence, reworded.
    Edited,
    /// Same text, different place.
    Moved,
}

impl ChangeKind {
    /// `added`, `removed`, `edited` or `moved` (as in JSON).
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Edited => "edited",
            ChangeKind::Moved => "moved",
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl SectionChangeKind {
    /// `added`, `removed`, `renamed` or `moved` (as in JSON).
    pub fn name(self) -> &'static str {
        match self {
            SectionChangeKind::Added => "added",
            SectionChangeKind::Removed => "removed",
            SectionChangeKind::Renamed => "renamed",
            SectionChangeKind::Moved => "moved",
        }
    }
}

impl std::fmt::Display for SectionChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Tags a reader cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tag {
    /// A figure changed.
    Number,
    /// A date changed.
    Date,
    /// Quoted speech added, removed or changed.
    Quote,
    /// Who said it changed, or a new "X said/claimed/denied".
    Attribution,
    /// A negation added or removed.
    Negation,
    /// A proper name added or removed.
    Name,
}

/// Whether a change matters to a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Significance {
    /// Punctuation, case, typography.
    Cosmetic,
    /// Meaning changed.
    Substantive,
}

/// One piece of the lossless span list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Equal, insert or delete.
    pub op: SpanOp,
    /// The text.
    pub text: String,
}

/// Span operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanOp {
    /// In both.
    Equal,
    /// Only in new.
    Insert,
    /// Only in old.
    Delete,
}

impl ChangeSet {
    /// The old body, rebuilt from the spans (equal + delete).
    pub fn old_text(&self) -> String {
        self.spans
            .iter()
            .filter(|s| s.op != SpanOp::Insert)
            .map(|s| s.text.as_str())
            .collect()
    }

    /// The new body, rebuilt from the spans (equal + insert).
    pub fn new_text(&self) -> String {
        self.spans
            .iter()
            .filter(|s| s.op != SpanOp::Delete)
            .map(|s| s.text.as_str())
            .collect()
    }

    /// True when nothing a reader would notice changed (no section or sentence change).
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty() && self.changes.is_empty()
    }
}

/// Knobs of the diff engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffOptions {
    /// Time budget. Past it the engine finishes with coarser (still lossless) steps
    /// and sets [`ChangeSet::coarse`], so a pathological pair cannot hang a request.
    pub deadline: Duration,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            deadline: Duration::from_secs(1),
        }
    }
}

/// The time budget of one diff, shared by all steps.
pub(crate) struct Budget {
    /// When to stop refining.
    pub deadline: Instant,
    exceeded: Cell<bool>,
}

impl Budget {
    /// A budget of `limit` from now.
    pub(crate) fn new(limit: Duration) -> Budget {
        let now = Instant::now();
        let deadline = now
            .checked_add(limit)
            .or_else(|| now.checked_add(Duration::from_secs(86_400 * 365)))
            .unwrap_or(now);
        Budget {
            deadline,
            exceeded: Cell::new(false),
        }
    }

    /// True (and remembered) once the deadline has passed.
    pub(crate) fn over(&self) -> bool {
        if !self.exceeded.get() && Instant::now() > self.deadline {
            self.exceeded.set(true);
        }
        self.exceeded.get()
    }
}

/// Diff two documents with the default options (1 s deadline).
pub fn diff(old: &Document, new: &Document) -> ChangeSet {
    diff_with(old, new, &DiffOptions::default())
}

/// Diff two documents.
///
/// `changes` come in new-document order (a removal sits where the text used to be,
/// relative to the surrounding new text). `spans` rebuild both bodies exactly.
pub fn diff_with(old: &Document, new: &Document, options: &DiffOptions) -> ChangeSet {
    let budget = Budget::new(options.deadline);
    let old_side = Side::new(old);
    let new_side = Side::new(new);
    let sections = align::align_sections(&old_side, &new_side, &budget);
    let alignment = align::align_sentences(&old_side, &new_side, &sections, &budget);
    let names = SectionNames {
        old: &old_side,
        new: &new_side,
        partner: &sections.partner,
    };

    // Anchors: in-place pairs (equal, edited) that keep their relative order, by the
    // heaviest in-order run; everything else shows in the spans as delete + insert.
    let mut in_place: Vec<&align::Pair> = alignment
        .pairs
        .iter()
        .filter(|p| p.kind != PairKind::Moved)
        .collect();
    in_place.sort_by_key(|p| p.old.start);
    let old_bytes = |r: &Range<usize>| unit_bytes(&old_side, r);
    let new_bytes = |r: &Range<usize>| unit_bytes(&new_side, r);
    let weights: Vec<u64> = in_place
        .iter()
        .map(|p| (old_bytes(&p.old).len() + new_bytes(&p.new).len()) as u64)
        .collect();
    let keep = align::longest_increasing(
        &in_place.iter().map(|p| p.new.start).collect::<Vec<_>>(),
        &weights,
    );
    let anchors: Vec<&align::Pair> = in_place
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(p, _)| *p)
        .collect();

    let mut ordered: Vec<((usize, u8, usize), Change)> = Vec::new();
    // The change of each edited pair, by its first old and new units: its word
    // diff is the anchor's in the spans when the texts are the sources.
    let mut edited: text::FastMap<(usize, usize), usize> = text::FastMap::default();
    for pair in &alignment.pairs {
        match pair.kind {
            PairKind::Equal => {
                if let Some(change) = link_change(&names, pair, &budget) {
                    ordered.push((
                        (new_bytes(&pair.new).start, 1, old_bytes(&pair.old).start),
                        change,
                    ));
                }
            }
            PairKind::Edited => {
                if let Some(change) = paired_change(&names, pair, &budget) {
                    edited.insert((pair.old.start, pair.new.start), ordered.len());
                    ordered.push((
                        (new_bytes(&pair.new).start, 1, old_bytes(&pair.old).start),
                        change,
                    ));
                }
            }
            PairKind::Moved => {}
        }
    }
    for pair in group_moves(&old_side, &new_side, &alignment.pairs) {
        if let Some(change) = paired_change(&names, &pair, &budget) {
            ordered.push((
                (new_bytes(&pair.new).start, 1, old_bytes(&pair.old).start),
                change,
            ));
        }
    }
    for (j, unit) in new_side.units.iter().enumerate() {
        if !alignment.new_taken[j] {
            let change = single_change(&names, false, unit, &budget);
            ordered.push(((unit.span.start, 1, 0), change));
        }
    }
    // A removal is placed after the new text of the last anchored sentence before it.
    let mut anchor_new_end: Vec<Option<usize>> = vec![None; old_side.units.len()];
    for a in &anchors {
        let end = new_bytes(&a.new).end;
        for i in a.old.clone() {
            if let Some(slot) = anchor_new_end.get_mut(i) {
                *slot = Some(end);
            }
        }
    }
    let mut at = 0;
    for (i, unit) in old_side.units.iter().enumerate() {
        if let Some(end) = anchor_new_end[i] {
            at = end;
        }
        if !alignment.old_taken[i] {
            ordered.push((
                (at, 0, unit.span.start),
                single_change(&names, true, unit, &budget),
            ));
        }
    }
    let edited_change = |pair: &align::Pair| {
        let k = edited.get(&(pair.old.start, pair.new.start))?;
        ordered.get(*k).map(|(_, change)| change)
    };
    let spans = lossless_spans(&old_side, &new_side, &anchors, edited_change, &budget);
    ordered.sort_by_key(|(k, _)| *k);
    ChangeSet {
        sections: sections.changes,
        changes: markup::merge_code_hunks(ordered.into_iter().map(|(_, c)| c), old, new, &budget),
        spans,
        coarse: budget.over(),
    }
}

/// Byte range in the body covered by a run of units.
fn unit_bytes(side: &Side<'_>, r: &Range<usize>) -> Range<usize> {
    let start = side.units.get(r.start).map_or(0, |u| u.span.start);
    let end = r
        .end
        .checked_sub(1)
        .and_then(|k| side.units.get(k))
        .map_or(start, |u| u.span.end);
    start..end.max(start)
}

/// Plain text of a run of units, sentences joined by one space.
fn unit_text(side: &Side<'_>, r: &Range<usize>) -> String {
    side.units
        .get(r.clone())
        .unwrap_or(&[])
        .iter()
        .map(|u| u.text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the tags read in a sentence. Who said what is skipped once the deadline
/// has passed: a coarse diff of a pathological pair does not tag attributions.
fn reading<'t>(text: &'t str, budget: &Budget) -> tags::Reading<'t> {
    tags::Reading::of(text, !budget.over())
}

/// How the diff names sections: by the section alignment, so a removal from a
/// section the new version still has names that section ([`SectionId`]).
struct SectionNames<'s, 'd> {
    old: &'s Side<'d>,
    new: &'s Side<'d>,
    /// For each old section, its new partner.
    partner: &'s [Option<usize>],
}

impl SectionNames<'_, '_> {
    /// New section `j`.
    fn new_section(&self, j: usize) -> SectionRef {
        SectionRef {
            id: SectionId::New(j),
            heading: self.new.heading(j),
        }
    }

    /// Old section `i`, under its old heading.
    fn old_section(&self, i: usize) -> SectionRef {
        SectionRef {
            id: self
                .partner
                .get(i)
                .copied()
                .flatten()
                .map_or(SectionId::Old(i), SectionId::New),
            heading: self.old.heading(i),
        }
    }

    /// The section of the unit starting a run on the new side.
    fn new_of(&self, r: &Range<usize>) -> SectionRef {
        self.new_section(self.new.units.get(r.start).map_or(0, |u| u.section))
    }

    /// The section of the unit starting a run on the old side.
    fn old_of(&self, r: &Range<usize>) -> SectionRef {
        self.old_section(self.old.units.get(r.start).map_or(0, |u| u.section))
    }
}

/// The change for an edited or moved pair; `None` when the texts differ only in
/// typography (no change a reader would see).
fn paired_change(
    names: &SectionNames<'_, '_>,
    pair: &align::Pair,
    budget: &Budget,
) -> Option<Change> {
    let (old, new) = (names.old, names.new);
    let old_text = unit_text(old, &pair.old);
    let new_text = unit_text(new, &pair.new);
    let same = text::key(&old_text) == text::key(&new_text);
    let kind = if pair.kind == PairKind::Moved {
        ChangeKind::Moved
    } else {
        ChangeKind::Edited
    };
    if same && kind == ChangeKind::Edited {
        return None;
    }
    let words = if same {
        Vec::new()
    } else {
        words::diff_text(&old_text, &new_text, budget)
    };
    let (tags, significance, mut reason) = match markup::kind_of(
        old.units.get(pair.old.start).map(|u| u.kind),
        new.units.get(pair.new.start).map(|u| u.kind),
    ) {
        Some(block) => markup::classify(
            block,
            kind,
            Some((&old_text, source(old, &pair.old))),
            Some((&new_text, source(new, &pair.new))),
        ),
        None => {
            // Unchanged text (moved): no attribution can have changed.
            let (old_reading, new_reading) = if same {
                (
                    tags::Reading::of(&old_text, false),
                    tags::Reading::of(&new_text, false),
                )
            } else {
                (reading(&old_text, budget), reading(&new_text, budget))
            };
            tags::classify(kind, Some(&old_reading), Some(&new_reading))
        }
    };
    let section = names.new_of(&pair.new);
    let (old_range, new_range) = (unit_bytes(old, &pair.old), unit_bytes(new, &pair.new));
    if kind == ChangeKind::Moved {
        let from = names.old_of(&pair.old);
        let place = from
            .heading()
            .map_or("the lead".to_string(), |h| format!("“{h}”"));
        reason = format!("moved from {place}; {reason}");
        return Some(Change::Moved {
            from,
            section,
            old_text,
            new_text,
            words,
            old_range,
            new_range,
            assessment: Assessment {
                tags,
                significance,
                reason,
            },
        });
    }
    Some(Change::Edited {
        section,
        old_text,
        new_text,
        words,
        old_range,
        new_range,
        assessment: Assessment {
            tags,
            significance,
            reason,
        },
    })
}

/// An added sentence (a unit of the new side), or a removed one (`removed`: a
/// unit of the old side).
fn single_change(
    names: &SectionNames<'_, '_>,
    removed: bool,
    unit: &align::Unit<'_>,
    budget: &Budget,
) -> Change {
    let side = if removed { names.old } else { names.new };
    let kind = if removed {
        ChangeKind::Removed
    } else {
        ChangeKind::Added
    };
    let text = unit.text.to_string();
    let (tags, significance, reason) = match markup::kind_of(None, Some(unit.kind)) {
        Some(block) => {
            let side_text = Some((
                text.as_str(),
                side.doc.body.get(unit.span.clone()).unwrap_or(""),
            ));
            if removed {
                markup::classify(block, kind, side_text, None)
            } else {
                markup::classify(block, kind, None, side_text)
            }
        }
        None => {
            let side_reading = reading(&text, budget);
            if removed {
                tags::classify(kind, Some(&side_reading), None)
            } else {
                tags::classify(kind, None, Some(&side_reading))
            }
        }
    };
    let assessment = Assessment {
        tags,
        significance,
        reason,
    };
    let range = unit.span.clone();
    if removed {
        Change::Removed {
            section: names.old_section(unit.section),
            text,
            range,
            assessment,
        }
    } else {
        Change::Added {
            section: names.new_section(unit.section),
            text,
            range,
            assessment,
        }
    }
}

/// Source bytes of a run of units.
fn source<'a>(side: &Side<'a>, r: &Range<usize>) -> &'a str {
    side.doc.body.get(unit_bytes(side, r)).unwrap_or("")
}

/// A sentence that reads the same but whose link or image targets changed: a
/// cosmetic "link changed" (a plain-text diff cannot see it).
fn link_change(
    names: &SectionNames<'_, '_>,
    pair: &align::Pair,
    budget: &Budget,
) -> Option<Change> {
    let (old, new) = (names.old, names.new);
    let (old_src, new_src) = (source(old, &pair.old), source(new, &pair.new));
    if old_src == new_src || !(old_src.contains("](") || new_src.contains("](")) {
        return None;
    }
    let (before, after) = (
        crate::structure::link_targets(old_src),
        crate::structure::link_targets(new_src),
    );
    // Only a link whose target changed: adding or removing a link around the same
    // words is Markdown-only, like emphasis.
    if before == after || before.len() != after.len() {
        return None;
    }
    let detail = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("{a} → {b}"))
        .collect::<Vec<_>>()
        .join("; ");
    let old_text = unit_text(old, &pair.old);
    let new_text = unit_text(new, &pair.new);
    Some(Change::Edited {
        section: names.new_of(&pair.new),
        words: words::diff_text(&old_text, &new_text, budget),
        old_text,
        new_text,
        old_range: unit_bytes(old, &pair.old),
        new_range: unit_bytes(new, &pair.new),
        assessment: Assessment {
            tags: Vec::new(),
            significance: Significance::Cosmetic,
            reason: format!("link changed: {detail}"),
        },
    })
}

/// Moved sentences that travelled together (consecutive on both sides, same block
/// on both sides, text unchanged) become one moved change: a moved paragraph is one move.
fn group_moves(old: &Side<'_>, new: &Side<'_>, pairs: &[align::Pair]) -> Vec<align::Pair> {
    let mut moves: Vec<&align::Pair> = pairs.iter().filter(|p| p.kind == PairKind::Moved).collect();
    moves.sort_by_key(|p| p.new.start);
    let exact = |p: &align::Pair| {
        unit_text(old, &p.old) == unit_text(new, &p.new)
            || text::key(&unit_text(old, &p.old)) == text::key(&unit_text(new, &p.new))
    };
    let block = |side: &Side<'_>, i: usize| side.units.get(i).map(|u| u.block);
    let mut out: Vec<align::Pair> = Vec::new();
    for p in moves {
        if let Some(last) = out.last_mut() {
            let joins = last.old.end == p.old.start
                && last.new.end == p.new.start
                && block(old, last.old.start) == block(old, p.old.start)
                && block(new, last.new.start) == block(new, p.new.start)
                && exact(p)
                && exact(last);
            if joins {
                last.old.end = p.old.end;
                last.new.end = p.new.end;
                continue;
            }
        }
        out.push(p.clone());
    }
    out
}

/// Walk both bodies along the anchors: equal anchors are equal spans, edited ones
/// get a word diff, and the text between anchors is word-diffed with every
/// unanchored sentence kept whole. Lossless by construction.
fn lossless_spans<'c>(
    old: &Side<'_>,
    new: &Side<'_>,
    anchors: &[&align::Pair],
    edited_change: impl Fn(&align::Pair) -> Option<&'c Change>,
    budget: &Budget,
) -> Vec<Span> {
    let (old_body, new_body) = (old.doc.body.as_str(), new.doc.body.as_str());
    let mut old_anchored = vec![false; old.units.len()];
    let mut new_anchored = vec![false; new.units.len()];
    for a in anchors {
        for i in a.old.clone() {
            if let Some(x) = old_anchored.get_mut(i) {
                *x = true;
            }
        }
        for j in a.new.clone() {
            if let Some(x) = new_anchored.get_mut(j) {
                *x = true;
            }
        }
    }
    let free = |side: &Side<'_>, anchored: &[bool]| -> Vec<Range<usize>> {
        side.units
            .iter()
            .zip(anchored)
            .filter(|(_, a)| !**a)
            .map(|(u, _)| u.span.clone())
            .collect()
    };
    let old_free = free(old, &old_anchored);
    let new_free = free(new, &new_anchored);
    let (mut oi, mut ni) = (0usize, 0usize);
    let mut spans = words::SpanList::default();
    let gap = |spans: &mut words::SpanList, o: Range<usize>, n: Range<usize>| {
        let (Some(a), Some(b)) = (old_body.get(o.clone()), new_body.get(n.clone())) else {
            return;
        };
        if a == b {
            // Most gaps are the same separator on both sides.
            spans.push(SpanOp::Equal, a);
            return;
        }
        let oa = inside(&old_free, &o);
        let na = inside(&new_free, &n);
        words::push_diff(spans, a, &oa, b, &na, budget);
    };
    for a in anchors {
        let o = unit_bytes(old, &a.old);
        let n = unit_bytes(new, &a.new);
        if o.start < oi || n.start < ni {
            continue;
        }
        gap(&mut spans, oi..o.start, ni..n.start);
        let (x, y) = (
            old_body.get(o.clone()).unwrap_or(""),
            new_body.get(n.clone()).unwrap_or(""),
        );
        match edited_change(a) {
            // The same texts were word-diffed for the change already.
            Some(change) if change.old_text() == Some(x) && change.new_text() == Some(y) => {
                for span in change.words() {
                    spans.push(span.op, &span.text);
                }
            }
            _ => words::push_diff(&mut spans, x, &[], y, &[], budget),
        }
        oi = o.end;
        ni = n.end;
    }
    gap(&mut spans, oi..old_body.len(), ni..new_body.len());
    spans.finish()
}

/// The ranges of `all` (sorted) that lie inside `window`, relative to its start.
fn inside(all: &[Range<usize>], window: &Range<usize>) -> Vec<Range<usize>> {
    let first = all.partition_point(|r| r.start < window.start);
    all.get(first..)
        .unwrap_or(&[])
        .iter()
        .take_while(|r| r.end <= window.end)
        .filter(|r| r.start >= window.start && r.start < r.end)
        .map(|r| r.start - window.start..r.end - window.start)
        .collect()
}

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
