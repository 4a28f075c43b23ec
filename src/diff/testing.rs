//! Builders and views for tests elsewhere in the crate that check code working
//! on [`ChangeSet`]s (ranking, rendering) without running the engine.

use super::{Change, ChangeKind, Significance, Span, SpanOp};

/// A substantive change with only its kind, section and texts set.
pub(crate) fn change(
    kind: ChangeKind,
    section: Option<&str>,
    old: Option<&str>,
    new: Option<&str>,
) -> Change {
    Change {
        kind,
        section: section.map(str::to_string),
        old_section: None,
        old_text: old.map(str::to_string),
        new_text: new.map(str::to_string),
        words: Vec::new(),
        tags: Vec::new(),
        significance: Significance::Substantive,
        reason: String::new(),
        old_range: None,
        new_range: None,
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
