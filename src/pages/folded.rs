//! A track-changes page's text with the unchanged stretches far from any
//! change folded away: the reader sees every change in place, with the blocks
//! around it and every heading for orientation, and a line saying how many
//! unchanged blocks were left out, linking to the full current text.
//!
//! Only unchanged text is ever folded (a block holding any inserted or deleted
//! piece is always shown), so nothing a reader is told about a change is lost;
//! the page stays about the size of the change, not of the document.

use crate::render::track_changes::{Node, TrackedText};

/// Unchanged blocks kept on each side of a changed block.
const CONTEXT_BLOCKS: usize = 1;

/// The shortest run of unchanged blocks worth folding: a fold's own line is
/// about as long as a short paragraph.
const MIN_FOLD: usize = 3;

/// The text in document order: runs of shown blocks and folds between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoldedText {
    pub parts: Vec<Part>,
}

/// A run of top-level blocks shown as they are, or a number of unchanged
/// blocks left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Shown(Vec<Node>),
    Folded(usize),
}

impl Part {
    /// The nodes shown, if any (for the template).
    pub(crate) fn shown(&self) -> Option<&[Node]> {
        match self {
            Part::Shown(nodes) => Some(nodes),
            Part::Folded(_) => None,
        }
    }

    /// How many unchanged blocks are folded here, if any.
    pub(crate) fn folded(&self) -> Option<usize> {
        match self {
            Part::Folded(n) => Some(*n),
            Part::Shown(_) => None,
        }
    }
}

/// One top-level block: its nodes, whether it holds a change, whether it is a heading.
struct Block {
    nodes: Vec<Node>,
    changed: bool,
    heading: bool,
}

impl FoldedText {
    /// Fold `text`'s unchanged blocks further than [`CONTEXT_BLOCKS`] from a
    /// change, in runs of at least [`MIN_FOLD`]; headings are always shown.
    pub(crate) fn new(text: TrackedText) -> FoldedText {
        let blocks = blocks(text.nodes);
        let changed: Vec<usize> = (0..blocks.len()).filter(|&i| blocks[i].changed).collect();
        // Distance (in blocks) to the nearest changed block.
        let near = |i: usize| changed.iter().any(|&c| c.abs_diff(i) <= CONTEXT_BLOCKS);
        let keep: Vec<bool> = blocks
            .iter()
            .enumerate()
            .map(|(i, b)| b.changed || b.heading || near(i))
            .collect();
        let mut parts: Vec<Part> = Vec::new();
        let mut i = 0;
        let mut blocks = blocks.into_iter().map(Some).collect::<Vec<_>>();
        while i < blocks.len() {
            let run = keep[i..].iter().take_while(|k| !**k).count();
            if run >= MIN_FOLD {
                parts.push(Part::Folded(run));
                i += run;
                continue;
            }
            // Shown: this block, or a run too short to fold.
            let end = i + run.max(1);
            for block in blocks[i..end].iter_mut().filter_map(Option::take) {
                match parts.last_mut() {
                    Some(Part::Shown(nodes)) => nodes.extend(block.nodes),
                    _ => parts.push(Part::Shown(block.nodes)),
                }
            }
            i = end;
        }
        FoldedText { parts }
    }

    /// Whether anything was folded.
    pub(crate) fn is_folded(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Folded(_)))
    }
}

/// Split the node list into top-level blocks (an element opened at depth 0
/// up to its close, or a lone void element or text).
fn blocks(nodes: Vec<Node>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    let mut depth = 0usize;
    for node in nodes {
        let block = current.get_or_insert_with(|| Block {
            nodes: Vec::new(),
            changed: false,
            heading: matches!(&node, Node::Open(e) if matches!(e.tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")),
        });
        match &node {
            Node::Open(_) => depth += 1,
            Node::Close(_) => depth = depth.saturating_sub(1),
            Node::Void(_) => {}
            Node::Text(piece) => block.changed |= piece.ins || piece.del,
        }
        block.nodes.push(node);
        if depth == 0 {
            blocks.extend(current.take());
        }
    }
    blocks.extend(current.take());
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Span, SpanOp};

    fn span(op: SpanOp, text: &str) -> Span {
        Span {
            op,
            text: text.to_string(),
        }
    }

    /// Synthetic: ten paragraphs under a heading, one edited in the middle.
    fn ten_paragraphs_one_edited() -> TrackedText {
        let mut spans = vec![span(SpanOp::Equal, "# Title\n\n")];
        for i in 1..=10 {
            if i == 6 {
                spans.push(span(SpanOp::Equal, "Paragraph "));
                spans.push(span(SpanOp::Delete, "six"));
                spans.push(span(SpanOp::Insert, "6"));
                spans.push(span(SpanOp::Equal, ".\n\n"));
            } else {
                spans.push(span(SpanOp::Equal, &format!("Paragraph {i}.\n\n")));
            }
        }
        TrackedText::new(&spans)
    }

    fn texts(nodes: &[Node]) -> String {
        nodes
            .iter()
            .filter_map(Node::piece)
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("|")
    }

    #[test]
    fn unchanged_blocks_far_from_a_change_are_folded_and_headings_kept() {
        let folded = FoldedText::new(ten_paragraphs_one_edited());
        assert!(folded.is_folded());
        let summary: Vec<String> = folded
            .parts
            .iter()
            .map(|p| match p {
                Part::Shown(nodes) => texts(nodes),
                Part::Folded(n) => format!("<{n} folded>"),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "Title",
                "<4 folded>",
                "Paragraph 5.|Paragraph |six|6|.|Paragraph 7.",
                "<3 folded>",
            ]
        );
    }

    #[test]
    fn short_unchanged_runs_and_unchanged_texts_are_not_folded() {
        let spans = [
            span(SpanOp::Equal, "One.\n\nTwo.\n\n"),
            span(SpanOp::Insert, "New.\n\n"),
            span(SpanOp::Equal, "Three.\n\nFour.\n"),
        ];
        let text = TrackedText::new(&spans);
        let folded = FoldedText::new(text.clone());
        assert_eq!(folded.parts, [Part::Shown(text.nodes)]);
        // No change at all: everything is one fold (the page says nothing changed).
        let same = TrackedText::new(&[span(SpanOp::Equal, "A.\n\nB.\n\nC.\n")]);
        assert_eq!(FoldedText::new(same).parts, [Part::Folded(3)]);
    }

    #[test]
    fn every_changed_piece_survives_folding() {
        let text = ten_paragraphs_one_edited();
        let changed = |nodes: &[Node]| {
            nodes
                .iter()
                .filter_map(Node::piece)
                .filter(|p| p.ins || p.del)
                .count()
        };
        let folded = FoldedText::new(text.clone());
        let kept: usize = folded
            .parts
            .iter()
            .filter_map(Part::shown)
            .map(changed)
            .sum();
        assert_eq!(kept, changed(&text.nodes));
    }
}
