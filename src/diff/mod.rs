//! Diff: align two versions by section, sentence and word, type every change,
//! and keep a lossless span list. OWNER: diff engineer.
//!
//! How it works, in order:
//! 1. Both bodies are already outlined into sections, blocks and sentences
//!    ([`crate::structure`]); every sentence keeps its source byte range.
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
mod text;

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
/// - A moved change has `old_section` (where it was), `section` (where it is) and
///   both ranges; `words` is empty when the text is unchanged, else a word diff.
///   Consecutive sentences that moved together form one moved change. In `spans`
///   a move shows as a delete at the old place and an insert at the new place.
///   Sentences of a moved section are not listed as moved (the section change says it).
/// - `old_range` / `new_range` are byte ranges into the old / new `Document::body`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionChange {
    /// What happened to the section.
    pub kind: SectionChangeKind,
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

/// One sentence- (or block-) level change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Added, removed, edited or moved.
    pub kind: ChangeKind,
    /// Section heading where the change is (new version's; old for removals). `None` = lead.
    pub section: Option<String>,
    /// For moves: the section it came from.
    pub old_section: Option<String>,
    /// Old sentence text (plain), for removed/edited/moved. When one sentence was split
    /// in two (or two joined), the group's sentences joined by one space.
    pub old_text: Option<String>,
    /// New sentence text (plain), for added/edited/moved.
    pub new_text: Option<String>,
    /// Word-level diff of old → new plain text (whole words/phrases; equal + delete
    /// rebuild `old_text`, equal + insert rebuild `new_text`). Empty for added, removed
    /// and unchanged moved text.
    pub words: Vec<Span>,
    /// Reader-relevant tags.
    pub tags: Vec<Tag>,
    /// Cosmetic or substantive.
    pub significance: Significance,
    /// Why it matters, in a few words: "number changed: 30,000 → 35,000",
    /// "new attributed quotation", "moved from “…”; moved, text unchanged".
    pub reason: String,
    /// Byte range in the old body.
    pub old_range: Option<Range<usize>>,
    /// Byte range in the new body.
    pub new_range: Option<Range<usize>>,
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
    for pair in &alignment.pairs {
        match pair.kind {
            PairKind::Equal => {
                if let Some(change) = link_change(&old_side, &new_side, pair, &budget) {
                    ordered.push((
                        (new_bytes(&pair.new).start, 1, old_bytes(&pair.old).start),
                        change,
                    ));
                }
            }
            PairKind::Edited => {
                if let Some(change) = paired_change(&old_side, &new_side, pair, &budget) {
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
        if let Some(change) = paired_change(&old_side, &new_side, &pair, &budget) {
            ordered.push((
                (new_bytes(&pair.new).start, 1, old_bytes(&pair.old).start),
                change,
            ));
        }
    }
    for (j, unit) in new_side.units.iter().enumerate() {
        if !alignment.new_taken[j] {
            let change = single_change(ChangeKind::Added, &new_side, j, &budget);
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
                single_change(ChangeKind::Removed, &old_side, i, &budget),
            ));
        }
    }
    ordered.sort_by_key(|(k, _)| *k);

    let spans = lossless_spans(&old_side, &new_side, &anchors, &budget);
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

/// Who said what in a sentence, for the attribution tag. Skipped once the deadline
/// has passed: a coarse diff of a pathological pair does not tag attributions.
fn speakers(text: &str, budget: &Budget) -> tags::Speakers {
    if budget.over() {
        return Vec::new();
    }
    crate::claims::attributions(text)
        .into_iter()
        .map(|a| (a.speaker, a.verb))
        .collect()
}

/// The change for an edited or moved pair; `None` when the texts differ only in
/// typography (no change a reader would see).
fn paired_change(
    old: &Side<'_>,
    new: &Side<'_>,
    pair: &align::Pair,
    budget: &Budget,
) -> Option<Change> {
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
    let (old_speakers, new_speakers) = if same {
        (Vec::new(), Vec::new())
    } else {
        (speakers(&old_text, budget), speakers(&new_text, budget))
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
        None => tags::classify(
            kind,
            Some(&old_text),
            Some(&new_text),
            (&old_speakers, &new_speakers),
        ),
    };
    let old_section = old
        .units
        .get(pair.old.start)
        .and_then(|u| old.heading(u.section));
    let section = new
        .units
        .get(pair.new.start)
        .and_then(|u| new.heading(u.section));
    if kind == ChangeKind::Moved {
        let from = old_section
            .as_deref()
            .map_or("the lead".to_string(), |h| format!("“{h}”"));
        reason = format!("moved from {from}; {reason}");
    }
    Some(Change {
        kind,
        section,
        old_section: if kind == ChangeKind::Moved {
            old_section
        } else {
            None
        },
        old_text: Some(old_text),
        new_text: Some(new_text),
        words,
        tags,
        significance,
        reason,
        old_range: Some(unit_bytes(old, &pair.old)),
        new_range: Some(unit_bytes(new, &pair.new)),
    })
}

/// An added or removed sentence.
fn single_change(kind: ChangeKind, side: &Side<'_>, index: usize, budget: &Budget) -> Change {
    let unit = side.units.get(index);
    let text = unit.map(|u| u.text.to_string()).unwrap_or_default();
    let heading = unit.and_then(|u| side.heading(u.section));
    let added = kind == ChangeKind::Added;
    let markup = markup::kind_of(None, unit.map(|u| u.kind));
    let (tags, significance, reason) = match (markup, unit) {
        (Some(block), Some(u)) => {
            let side_text = Some((
                text.as_str(),
                side.doc.body.get(u.span.clone()).unwrap_or(""),
            ));
            if added {
                markup::classify(block, kind, None, side_text)
            } else {
                markup::classify(block, kind, side_text, None)
            }
        }
        _ => {
            let who = speakers(&text, budget);
            let none = Vec::new();
            if added {
                tags::classify(kind, None, Some(&text), (&none, &who))
            } else {
                tags::classify(kind, Some(&text), None, (&who, &none))
            }
        }
    };
    let range = unit.map(|u| u.span.clone());
    Change {
        kind,
        section: heading,
        old_section: None,
        old_text: (!added).then(|| text.clone()),
        new_text: added.then_some(text),
        words: Vec::new(),
        tags,
        significance,
        reason,
        old_range: if added { None } else { range.clone() },
        new_range: if added { range } else { None },
    }
}

/// Source bytes of a run of units.
fn source<'a>(side: &Side<'a>, r: &Range<usize>) -> &'a str {
    side.doc.body.get(unit_bytes(side, r)).unwrap_or("")
}

/// A sentence that reads the same but whose link or image targets changed: a
/// cosmetic "link changed" (a plain-text diff cannot see it).
fn link_change(
    old: &Side<'_>,
    new: &Side<'_>,
    pair: &align::Pair,
    budget: &Budget,
) -> Option<Change> {
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
    Some(Change {
        kind: ChangeKind::Edited,
        section: new
            .units
            .get(pair.new.start)
            .and_then(|u| new.heading(u.section)),
        old_section: None,
        words: words::diff_text(&old_text, &new_text, budget),
        old_text: Some(old_text),
        new_text: Some(new_text),
        tags: Vec::new(),
        significance: Significance::Cosmetic,
        reason: format!("link changed: {detail}"),
        old_range: Some(unit_bytes(old, &pair.old)),
        new_range: Some(unit_bytes(new, &pair.new)),
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
fn lossless_spans(
    old: &Side<'_>,
    new: &Side<'_>,
    anchors: &[&align::Pair],
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
    let mut spans: Vec<Span> = Vec::new();
    let gap = |spans: &mut Vec<Span>, o: Range<usize>, n: Range<usize>| {
        let (Some(a), Some(b)) = (old_body.get(o.clone()), new_body.get(n.clone())) else {
            return;
        };
        let oa = inside(&old_free, &o);
        let na = inside(&new_free, &n);
        spans.extend(words::diff_text_atomic(a, &oa, b, &na, budget));
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
        if x == y {
            spans.push(Span {
                op: SpanOp::Equal,
                text: x.to_string(),
            });
        } else {
            spans.extend(words::diff_text(x, y, budget));
        }
        oi = o.end;
        ni = n.end;
    }
    gap(&mut spans, oi..old_body.len(), ni..new_body.len());
    words::merge_spans(spans)
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
