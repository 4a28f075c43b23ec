//! Outline: parse a canonical Markdown body into sections, blocks and sentences
//! with byte ranges, so the diff can align them and still be lossless.
//! OWNER: diff engineer.

use crate::model::Section;

/// Parse a Markdown body into its outline (pulldown-cmark with offsets).
pub fn outline(_body: &str) -> Vec<Section> {
    todo!()
}

/// Split one block's plain text into sentences, news-prose aware
/// ("Mr Trump", "U.S.", "5.2 per cent", "No. 10", initials, sentences ending inside quotes).
/// Returns byte ranges into `text`.
pub fn sentence_ranges(_text: &str) -> Vec<std::ops::Range<usize>> {
    todo!()
}
