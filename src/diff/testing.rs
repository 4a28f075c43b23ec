//! Builders and views for tests elsewhere in the crate that check code working
//! on [`ChangeSet`](super::ChangeSet)s (ranking, rendering) without running the engine.

use std::ops::Range;

use super::{
    Assessment, Change, ChangeKind, SectionId, SectionRef, Significance, Span, SpanOp, Tag,
};

/// The id a built change's section gets: tests name sections by heading, so one
/// heading is one section (FNV-1a of the heading; the lead is `New(0)`). Tests of
/// two sections with one heading diff real documents instead.
pub(crate) fn section_id(heading: Option<&str>) -> SectionId {
    let Some(h) = heading else {
        return SectionId::New(0);
    };
    let hash = h.bytes().fold(0xcbf2_9ce4_8422_2325u64, |acc, b| {
        (acc ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    SectionId::New(1 + (hash % 1_000_000) as usize)
}

/// A section named by its heading, with [`section_id`].
pub(crate) fn section(heading: Option<&str>) -> SectionRef {
    SectionRef {
        id: section_id(heading),
        heading: heading.map(str::to_string),
    }
}

/// A substantive change with only its kind, section and texts set (a missing
/// text is empty; ranges are empty at 0, a move comes from the lead).
pub(crate) fn change(
    kind: ChangeKind,
    section_heading: Option<&str>,
    old: Option<&str>,
    new: Option<&str>,
) -> Change {
    let section = section(section_heading);
    let (old_text, new_text) = (
        old.unwrap_or_default().to_string(),
        new.unwrap_or_default().to_string(),
    );
    let assessment = Assessment {
        tags: Vec::new(),
        significance: Significance::Substantive,
        reason: String::new(),
    };
    match kind {
        ChangeKind::Added => Change::Added {
            section,
            text: new_text,
            range: 0..0,
            assessment,
        },
        ChangeKind::Removed => Change::Removed {
            section,
            text: old_text,
            range: 0..0,
            assessment,
        },
        ChangeKind::Edited => Change::Edited {
            section,
            old_text,
            new_text,
            words: Vec::new(),
            old_range: 0..0,
            new_range: 0..0,
            assessment,
        },
        ChangeKind::Moved => Change::Moved {
            from: self::section(None),
            section,
            old_text,
            new_text,
            words: Vec::new(),
            old_range: 0..0,
            new_range: 0..0,
            assessment,
        },
    }
}

/// Amendments to a built change.
pub(crate) trait Amend {
    /// Its word diff (edited and moved changes).
    fn with_words(self, words: Vec<Span>) -> Change;
    /// Its tags.
    fn with_tags(self, tags: Vec<Tag>) -> Change;
    /// Cosmetic.
    fn cosmetic(self) -> Change;
    /// For a move: where it came from.
    fn moved_from(self, heading: Option<&str>) -> Change;
    /// Its range in the new body (added, edited, moved).
    fn with_new_range(self, range: Range<usize>) -> Change;
}

impl Amend for Change {
    fn with_words(mut self, new_words: Vec<Span>) -> Change {
        if let Change::Edited { words, .. } | Change::Moved { words, .. } = &mut self {
            *words = new_words;
        }
        self
    }

    fn with_tags(mut self, tags: Vec<Tag>) -> Change {
        self.assessment_mut().tags = tags;
        self
    }

    fn cosmetic(mut self) -> Change {
        self.assessment_mut().significance = Significance::Cosmetic;
        self
    }

    fn moved_from(mut self, heading: Option<&str>) -> Change {
        if let Change::Moved { from, .. } = &mut self {
            *from = section(heading);
        }
        self
    }

    fn with_new_range(mut self, to: Range<usize>) -> Change {
        match &mut self {
            Change::Added { range, .. } => *range = to,
            Change::Edited { new_range, .. } | Change::Moved { new_range, .. } => *new_range = to,
            Change::Removed { .. } => {}
        }
        self
    }
}

/// Spans in git's word-diff notation, `[-old-]{+new+}`, so a test states the
/// expected word-level change in one readable string.
pub(crate) fn word_diff(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s.op {
            SpanOp::Equal => s.text.clone(),
            SpanOp::Delete => format!("[-{}-]", s.text),
            SpanOp::Insert => format!("{{+{}+}}", s.text),
        })
        .collect()
}
