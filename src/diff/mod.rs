//! Diff: align two versions by section, sentence and word, type every change,
//! and keep a lossless span list. OWNER: diff engineer.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::model::Document;

/// Everything that changed between two versions. Lossless: `spans` rebuild both bodies.
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
    /// Old sentence text (plain), for removed/edited/moved.
    pub old_text: Option<String>,
    /// New sentence text (plain), for added/edited/moved.
    pub new_text: Option<String>,
    /// Word-level diff of an edited sentence (merged into whole words/phrases).
    pub words: Vec<Span>,
    /// Reader-relevant tags.
    pub tags: Vec<Tag>,
    /// Cosmetic or substantive.
    pub significance: Significance,
    /// Why it has that significance, in a few words.
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

/// Diff two documents.
pub fn diff(_old: &Document, _new: &Document) -> ChangeSet {
    todo!()
}
