//! Summary: "what changed since X" for readers: net ChangeSet base → head, the
//! updates in between with their notes, ranked verbatim highlights, and changes
//! withdrawn inside the window. OWNER: summary engineer.

use serde::Serialize;

use crate::diff::{ChangeSet, Span, Tag};
use crate::error::Result;
use crate::model::{Version, VersionRef};
use crate::slug::Slug;
use crate::store::Store;

/// What changed in an explainer between two moments.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The explainer.
    pub slug: Slug,
    /// Title of the head version.
    pub title: String,
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
    /// Ranking class.
    pub kind: HighlightKind,
    /// Section heading (`None` = the lead).
    pub section: Option<String>,
    /// The sentence verbatim (new text; old text for removed claims).
    pub text: String,
    /// Word-level change for edited sentences (empty otherwise).
    pub words: Vec<Span>,
    /// Speakers named, in order ("Mr Macron", "the UK government").
    pub speakers: Vec<String>,
    /// Diff tags.
    pub tags: Vec<Tag>,
    /// The update that introduced it.
    pub version: Version,
}

/// Highlight ranking classes, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HighlightKind {
    /// A new attributed claim with its rebuttal or denial.
    ContestedClaim,
    /// A new attributed claim.
    Claim,
    /// Numbers, dates, names changed in an existing sentence.
    Correction,
    /// An attributed claim removed.
    RemovedClaim,
    /// A new section.
    NewSection,
    /// Everything else.
    Other,
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
pub fn since(
    _store: &Store,
    _slug: &Slug,
    _when: &VersionRef,
    _until: Option<&VersionRef>,
) -> Result<Summary> {
    todo!()
}
