//! The diff's sentence pairing, exposed for the sentence timeline
//! ([`crate::blame`]): which sentences of the old version became which of the
//! new one. The same alignment `diff` reports changes from (no second
//! aligner), without the change typing and lossless spans a timeline needs
//! no copy of. OWNER: blame.

use super::align::{self, PairKind, Side};
use super::{Budget, DiffOptions, Span};
use crate::model::Document;

/// One sentence of a document, in the order the diff numbers them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PairedUnit {
    /// Plain text.
    pub text: String,
    /// Index of its section in the document.
    pub section: usize,
    /// Global index of its block (paragraph, list item, ...).
    pub block: usize,
}

/// How a group of old sentences became a group of new ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PairedKind {
    /// Same text (typography aside), in place.
    Equal,
    /// Reworded in place (groups: split or joined).
    Edited,
    /// Moved elsewhere, maybe reworded.
    Moved,
}

/// One pairing of consecutive old sentences with consecutive new ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SentencePair {
    /// Kind.
    pub kind: PairedKind,
    /// Old unit indexes.
    pub old: std::ops::Range<usize>,
    /// New unit indexes.
    pub new: std::ops::Range<usize>,
}

/// The sentences of a document as the diff numbers them.
pub(crate) fn units(doc: &Document) -> Vec<PairedUnit> {
    Side::new(doc)
        .units
        .iter()
        .map(|u| PairedUnit {
            text: u.text.to_string(),
            section: u.section,
            block: u.block,
        })
        .collect()
}

/// The sentence pairs `diff(old, new)` is built on (default deadline).
pub(crate) fn sentence_pairs(old: &Document, new: &Document) -> Vec<SentencePair> {
    let budget = Budget::new(DiffOptions::default().deadline);
    let old_side = Side::new(old);
    let new_side = Side::new(new);
    let sections = align::align_sections(&old_side, &new_side, &budget);
    let alignment = align::align_sentences(&old_side, &new_side, &sections, &budget);
    alignment
        .pairs
        .into_iter()
        .map(|p| SentencePair {
            kind: match p.kind {
                PairKind::Equal => PairedKind::Equal,
                PairKind::Edited => PairedKind::Edited,
                PairKind::Moved => PairedKind::Moved,
            },
            old: p.old,
            new: p.new,
        })
        .collect()
}

/// The word diff `diff` shows for an edited sentence.
pub(crate) fn word_diff(old: &str, new: &str) -> Vec<Span> {
    let budget = Budget::new(DiffOptions::default().deadline);
    super::words::diff_text(old, new, &budget)
}

/// The diff's typography-insensitive key of a sentence: equal keys are "no change".
pub(crate) fn sentence_key(text: &str) -> u64 {
    super::text::key(text)
}
