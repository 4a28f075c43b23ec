//! Outline: parse a canonical Markdown body into sections, blocks and sentences
//! with byte ranges, so the diff can align them and still be lossless.
//!
//! Sections are a heading plus every block up to the next heading of any level
//! (a lead section without heading holds text before the first heading). Blocks
//! are the leaf text containers a reader sees as one unit: paragraphs, the
//! paragraphs of block quotations, list items, figures (a fenced code block with
//! info string `figure`) and anything else (code, HTML, tables) kept verbatim.
//! OWNER: diff engineer.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use unicode_segmentation::UnicodeSegmentation;

use crate::model::{Block, BlockKind, Section, Sentence};

/// Parse a Markdown body into its outline (pulldown-cmark with offsets).
pub fn outline(body: &str) -> Vec<Section> {
    let mut outliner = Outliner::new(body);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        outliner.event(event, range);
    }
    outliner.finish()
}

/// Split one block's plain text into sentences, news-prose aware
/// ("Mr Trump", "U.S.", "5.2 per cent", "No. 10", initials, sentences ending inside quotes).
/// Returns byte ranges into `text`, trimmed of surrounding whitespace, in order.
pub fn sentence_ranges(text: &str) -> Vec<Range<usize>> {
    // UAX#29 only breaks after a terminator (or at a paragraph separator): without
    // one the text is one sentence, and a long unpunctuated run costs nothing.
    // ASCII first: Unicode property lookups only for the rest.
    let terminators = |c: char| {
        if c.is_ascii() {
            matches!(c, '.' | '!' | '?' | '\n' | '\r')
        } else {
            matches!(c, '…' | '\u{85}' | '\u{2028}' | '\u{2029}')
                || (!c.is_alphanumeric() && !c.is_whitespace())
        }
    };
    if !text.contains(terminators) {
        return trim_range(text, 0..text.len()).into_iter().collect();
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut quotes = QuoteDepth::new(text);
    let starts = uax29_starts(text);
    let ends = starts
        .iter()
        .skip(1)
        .copied()
        .chain(std::iter::once(text.len()));
    for (idx, end) in starts.iter().copied().zip(ends) {
        let segment = text.get(idx..end).unwrap_or("");
        let in_quote = quotes.inside_at(idx);
        match current.as_mut() {
            Some(cur)
                if in_quote
                    || segment.trim().is_empty()
                    || should_join(text.get(cur.clone()).unwrap_or(""), segment) =>
            {
                cur.end = end;
            }
            _ => {
                if let Some(done) = current.take() {
                    out.push(done);
                }
                current = Some(idx..end);
            }
        }
    }
    if let Some(done) = current {
        out.push(done);
    }
    out.into_iter()
        .filter_map(|r| trim_range(text, r))
        .collect()
}

/// Non-ASCII punctuation that is never a sentence terminator, paragraph separator
/// or format/extend character under UAX#29, so the windowed search below is exact.
#[rustfmt::skip]
fn is_plain_punctuation(c: char) -> bool {
    matches!(
        c,
        '‘' | '’' | '‚' | '‛' | '“' | '”' | '„' | '‟' | '«' | '»' | '‹' | '›' | '‐' | '‑' | '‒'
        | '–' | '—' | '―' | '′' | '″' | '·' | '€' | '£' | '¥' | '°' | '§' | '¶' | '©' | '®'
        | '™' | '•' | '−' | '×' | '÷' | '±' | '½' | '¼' | '¾' | '²' | '³'
        | '\u{a0}' | '\u{2009}' | '\u{202f}'
    )
}

/// Starts of UAX#29 sentence segments of `text` (the first is 0), the same as
/// `split_sentence_bound_indices`. For ordinary prose UAX#29 can only break near a
/// `.`, `!` or `?`, so the segmenter runs on small windows around those (from the
/// character before to the first letter after), which profiles showed to be most of
/// the outline's cost; other text takes the full segmenter.
fn uax29_starts(text: &str) -> Vec<usize> {
    // Line breaks and other controls; non-ASCII whitespace or punctuation outside the
    // plain list (whitespace is never alphanumeric, so one test covers both).
    let unusual = |c: char| {
        if c.is_ascii() {
            c.is_ascii_control() && c != '\t'
        } else {
            !is_plain_punctuation(c) && !c.is_alphanumeric()
        }
    };
    if text.contains(unusual) {
        return text
            .split_sentence_bound_indices()
            .map(|(i, _)| i)
            .collect();
    }
    // Windows around each terminator, merged where they touch.
    let mut windows: Vec<Range<usize>> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(k) = bytes.get(i..).and_then(find_terminator) {
        i += k;
        let start = text
            .get(..i)
            .and_then(|h| h.char_indices().next_back())
            .map_or(0, |(p, _)| p);
        // Past the terminators, closing marks, spaces and anything else up to and
        // including the first letter (UAX#29's look-ahead).
        let mut end = text.len();
        if let Some(rest) = text.get(i..) {
            for (k, c) in rest.char_indices() {
                if c.is_alphabetic() {
                    end = i + k + c.len_utf8();
                    break;
                }
            }
        }
        match windows.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => windows.push(start..end),
        }
        i = end.max(i + 1);
    }
    let mut starts = vec![0];
    for w in windows {
        let Some(slice) = text.get(w.clone()) else {
            continue;
        };
        for (k, _) in slice.split_sentence_bound_indices() {
            if k > 0 {
                starts.push(w.start + k);
            }
        }
    }
    starts
}

/// Offset of the first `.`, `!` or `?` in `bytes`. Prose runs long between them,
/// so a vectorised search (memchr) beats testing byte by byte.
fn find_terminator(bytes: &[u8]) -> Option<usize> {
    memchr::memchr3(b'.', b'!', b'?', bytes)
}

/// Tracks whether a position lies inside a double-quoted passage that closes later
/// in the same text: a quotation of several sentences stays one sentence with its
/// attribution ("…saying: “We are ready. We will sign.”"). Unbalanced quotes never join.
struct QuoteDepth<'a> {
    text: &'a str,
    pos: usize,
    open: usize,
    closes_left: usize,
    straight_seen: usize,
    straight_total: usize,
}

impl<'a> QuoteDepth<'a> {
    fn new(text: &'a str) -> QuoteDepth<'a> {
        QuoteDepth {
            text,
            pos: 0,
            open: 0,
            closes_left: text.matches('”').count(),
            straight_seen: 0,
            straight_total: text.matches('"').count(),
        }
    }

    /// Inside a quotation at byte `at` (positions must be asked in increasing order)?
    fn inside_at(&mut self, at: usize) -> bool {
        if let Some(chunk) = self.text.get(self.pos..at) {
            for c in chunk.chars() {
                match c {
                    '“' => self.open += 1,
                    '”' => {
                        self.open = self.open.saturating_sub(1);
                        self.closes_left = self.closes_left.saturating_sub(1);
                    }
                    '"' => self.straight_seen += 1,
                    _ => {}
                }
            }
            self.pos = at;
        }
        let curly = self.open > 0 && self.closes_left > 0;
        let straight =
            self.straight_total.is_multiple_of(2) && !self.straight_seen.is_multiple_of(2);
        curly || straight
    }
}

/// Collapse runs of whitespace to one space and trim: the reader's view of text.
pub fn collapse_whitespace(text: &str) -> String {
    // Sentences of a canonical body are nearly always collapsed already: one check
    // and one copy instead of splitting into words and pushing them back.
    if is_collapsed(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Is `text` its own collapsed form: no whitespace but single spaces between words?
fn is_collapsed(text: &str) -> bool {
    let mut after_space = true; // a leading space is not collapsed
    for c in text.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if c.is_whitespace() {
            return false;
        } else {
            after_space = false;
        }
    }
    text.is_empty() || !after_space
}

/// Narrow `range` to exclude leading and trailing whitespace; `None` if nothing is left.
fn trim_range(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let slice = text.get(range.clone())?;
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    (start < end).then_some(start..end)
}

/// Titles that are always followed by a name, never end a sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "st", "sen", "rep", "gov", "gen", "lt", "col", "capt",
    "sgt", "rev", "hon", "mt", "ft", "messrs", "vs", "cf", "e.g", "i.e", "sir", "supt", "insp",
    "cllr", "adm", "maj", "cpl", "pres",
];

/// Abbreviations that continue when a number follows ("No. 10", "Art. 5").
const BEFORE_NUMBER: &[&str] = &[
    "no", "nos", "art", "vol", "p", "pp", "fig", "para", "ch", "sec",
];

/// Month abbreviations ("Feb. 17, 2025").
const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Words that usually start a new sentence: after an initial or acronym they mean a real break.
const STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "It",
    "Its",
    "This",
    "That",
    "These",
    "Those",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "Or",
    "So",
    "In",
    "On",
    "At",
    "As",
    "If",
    "When",
    "While",
    "There",
    "His",
    "Her",
    "Their",
    "Our",
    "After",
    "Before",
    "However",
    "Meanwhile",
    "Some",
    "Many",
    "Most",
    "For",
    "Yet",
    "Still",
    "What",
    "Who",
    "Why",
    "How",
    "Then",
    "Now",
    "Both",
    "Neither",
    "Officials",
    "Experts",
];

/// Opening punctuation to skip when looking at a word.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '"' | '\'' | '“' | '‘' | '«' | '‹' | '„' | '‚'
    )
}

/// Decide whether a UAX#29 break after `prev` (the sentence so far) is false
/// because `prev` ends with an abbreviation, initial or title.
fn should_join(prev: &str, next: &str) -> bool {
    let prev = prev.trim_end();
    if !prev.ends_with('.') {
        return false;
    }
    let next_word = next
        .trim_start()
        .trim_start_matches(is_opening)
        .split_whitespace()
        .next()
        .unwrap_or("");
    let Some(first) = next_word.chars().next() else {
        return true;
    };
    if first.is_lowercase() {
        return true;
    }
    let last = prev
        .split_whitespace()
        .last()
        .unwrap_or("")
        .trim_start_matches(is_opening);
    let last = last.strip_suffix('.').unwrap_or(last);
    if last.is_empty() || last.contains(['.', '!', '?']) && !is_dotted_letters(last) {
        return false;
    }
    let lower = last.to_lowercase();
    if TITLES.contains(&lower.as_str()) {
        return true;
    }
    let digit_next = first.is_ascii_digit();
    if digit_next && (BEFORE_NUMBER.contains(&lower.as_str()) || MONTHS.contains(&lower.as_str())) {
        return true;
    }
    if digit_next && (lower == "a.m" || lower == "p.m") {
        return true;
    }
    let starter = STARTERS.contains(&next_word.trim_end_matches(|c: char| !c.is_alphanumeric()));
    // A single capital ("Vladimir V. Putin") or dotted letters ("U.S.", "J.K. Rowling")
    // continue the sentence unless the next word is a typical sentence opener.
    let single_initial = {
        let mut chars = last.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
    };
    if (single_initial || is_dotted_letters(last)) && first.is_uppercase() && !starter {
        return true;
    }
    false
}

/// "U.S", "J.K", "a.m": single letters separated by dots.
fn is_dotted_letters(word: &str) -> bool {
    let mut parts = 0;
    for part in word.split('.') {
        let mut chars = part.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_alphabetic() => parts += 1,
            _ => return false,
        }
    }
    parts >= 2
}

/// A run of plain text and where it came from in the source.
struct Piece {
    /// Offset in the plain text.
    plain: usize,
    /// Length in the plain text.
    len: usize,
    /// Source range in the body.
    src: Range<usize>,
    /// True when the plain bytes are the source bytes (so offsets map one to one).
    exact: bool,
}

/// Plain text of a leaf block (or heading) being collected, with the offset map.
struct Leaf {
    kind: BlockKind,
    start: usize,
    end: usize,
    text: String,
    pieces: Vec<Piece>,
}

impl Leaf {
    fn new(kind: BlockKind, start: usize) -> Leaf {
        Leaf {
            kind,
            start,
            end: start,
            text: String::new(),
            pieces: Vec::new(),
        }
    }

    /// Append plain text that came from `src` in `body`.
    fn push(&mut self, body: &str, text: &str, src: Range<usize>) {
        if text.is_empty() {
            return;
        }
        let exact = body.get(src.clone()) == Some(text);
        if self.pieces.is_empty() && src.start < self.start {
            self.start = src.start;
        }
        self.end = self.end.max(src.end);
        self.pieces.push(Piece {
            plain: self.text.len(),
            len: text.len(),
            src,
            exact,
        });
        self.text.push_str(text);
    }

    /// Source offset where plain offset `p` starts.
    fn map_start(&self, p: usize) -> usize {
        let idx = self
            .pieces
            .partition_point(|piece| piece.plain + piece.len <= p);
        match self.pieces.get(idx) {
            Some(piece) if piece.exact && p >= piece.plain => piece.src.start + (p - piece.plain),
            Some(piece) => piece.src.start,
            None => self.pieces.last().map_or(self.start, |piece| piece.src.end),
        }
    }

    /// Source offset where plain text ending (exclusively) at `p` ends.
    fn map_end(&self, p: usize) -> usize {
        let idx = self.pieces.partition_point(|piece| piece.plain < p);
        match idx.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(piece) if piece.exact && p <= piece.plain + piece.len => {
                piece.src.start + (p - piece.plain)
            }
            Some(piece) => piece.src.end,
            None => self.start,
        }
    }

    /// Turn the collected text into a block with sentences; `None` if it holds no text.
    fn into_block(self, body: &str) -> Option<Block> {
        let mut sentences = Vec::new();
        let mut floor = self.start;
        for range in sentence_ranges(&self.text) {
            let text = collapse_whitespace(self.text.get(range.clone()).unwrap_or(""));
            if text.is_empty() {
                continue;
            }
            let start = self.map_start(range.start).max(floor);
            let end = self.map_end(range.end).max(start);
            floor = end;
            sentences.push(Sentence {
                span: start..end,
                text,
            });
        }
        if sentences.is_empty() {
            return None;
        }
        let start = self
            .start
            .min(sentences.first().map_or(self.start, |s| s.span.start));
        let end = self.end.max(floor);
        let span = trim_range(body, start..end).unwrap_or(start..end);
        Some(Block {
            kind: self.kind,
            span,
            sentences,
        })
    }
}

/// A block kept whole: code, HTML, table, or a figure.
struct RawBlock {
    kind: BlockKind,
    span: Range<usize>,
    depth: usize,
    content: Option<Range<usize>>,
    text: String,
}

impl RawBlock {
    fn into_block(self, body: &str) -> Option<Block> {
        let text = if self.kind == BlockKind::Figure {
            // One label per line; the labels joined by single spaces.
            collapse_whitespace(
                &self
                    .text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        } else {
            collapse_whitespace(&self.text)
        };
        let block_span = trim_range(body, self.span.clone())?;
        let sentence_span = if self.kind == BlockKind::Figure {
            self.content
                .and_then(|c| trim_range(body, c))
                .unwrap_or(block_span.clone())
        } else {
            block_span.clone()
        };
        // Code or HTML without text (e.g. an empty fence) still counts as a block.
        let text = if text.is_empty() {
            collapse_whitespace(body.get(block_span.clone()).unwrap_or(""))
        } else {
            text
        };
        if text.is_empty() {
            return None;
        }
        Some(Block {
            kind: self.kind,
            span: block_span,
            sentences: vec![Sentence {
                span: sentence_span,
                text,
            }],
        })
    }
}

/// Container the current leaf sits in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Item,
    Quote,
    Other,
}

struct Outliner<'a> {
    body: &'a str,
    sections: Vec<Section>,
    current: Section,
    containers: Vec<Container>,
    leaf: Option<Leaf>,
    heading: Option<Leaf>,
    raw: Option<RawBlock>,
}

impl<'a> Outliner<'a> {
    fn new(body: &'a str) -> Outliner<'a> {
        Outliner {
            body,
            sections: Vec::new(),
            current: Section {
                heading: None,
                level: 0,
                span: 0..0,
                blocks: Vec::new(),
            },
            containers: Vec::new(),
            leaf: None,
            heading: None,
            raw: None,
        }
    }

    fn leaf_kind(&self) -> BlockKind {
        match self
            .containers
            .iter()
            .rev()
            .find(|c| **c != Container::Other)
        {
            Some(Container::Item) => BlockKind::ListItem,
            Some(Container::Quote) => BlockKind::Quote,
            _ => BlockKind::Paragraph,
        }
    }

    fn flush_leaf(&mut self) {
        if let Some(leaf) = self.leaf.take() {
            if let Some(block) = leaf.into_block(self.body) {
                self.current.blocks.push(block);
            }
        }
    }

    /// Plain text goes to the heading being read, or to the current leaf (opened on demand).
    fn text(&mut self, text: &str, range: Range<usize>) {
        if let Some(heading) = self.heading.as_mut() {
            heading.push(self.body, text, range);
            return;
        }
        if self.leaf.is_none() {
            self.leaf = Some(Leaf::new(self.leaf_kind(), range.start));
        }
        if let Some(leaf) = self.leaf.as_mut() {
            leaf.push(self.body, text, range);
        }
    }

    fn start_raw(&mut self, kind: BlockKind, span: Range<usize>) {
        self.flush_leaf();
        self.raw = Some(RawBlock {
            kind,
            span,
            depth: 1,
            content: None,
            text: String::new(),
        });
    }

    fn raw_event(&mut self, event: &Event<'_>, range: Range<usize>) {
        let Some(raw) = self.raw.as_mut() else { return };
        match event {
            Event::Start(_) => raw.depth += 1,
            Event::End(_) => raw.depth -= 1,
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if raw.kind == BlockKind::Other && !raw.text.is_empty() {
                    raw.text.push(' ');
                }
                raw.text.push_str(t);
                raw.content = Some(match raw.content.take() {
                    Some(c) => c.start.min(range.start)..c.end.max(range.end),
                    None => range,
                });
            }
            _ => {}
        }
        if raw.depth == 0 {
            if let Some(done) = self.raw.take() {
                if let Some(block) = done.into_block(self.body) {
                    self.current.blocks.push(block);
                }
            }
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if self.raw.is_some() {
            self.raw_event(&event, range);
            return;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) if self.containers.is_empty() => {
                self.flush_leaf();
                self.start_section(level as u8, range.start);
                self.heading = Some(Leaf::new(BlockKind::Paragraph, range.start));
            }
            Event::End(TagEnd::Heading(_)) if self.heading.is_some() => {
                if let Some(heading) = self.heading.take() {
                    self.current.heading = Some(collapse_whitespace(&heading.text));
                }
            }
            Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_)) => self.flush_leaf(),
            Event::Start(Tag::Paragraph) => {
                self.flush_leaf();
                self.leaf = Some(Leaf::new(self.leaf_kind(), range.start));
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(leaf) = self.leaf.as_mut() {
                    leaf.end = leaf.end.max(range.end);
                }
                self.flush_leaf();
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let figure = matches!(&kind, CodeBlockKind::Fenced(info)
                    if info.split_whitespace().next() == Some("figure"));
                let kind = if figure {
                    BlockKind::Figure
                } else {
                    BlockKind::Other
                };
                self.start_raw(kind, range);
            }
            Event::Start(Tag::HtmlBlock) | Event::Start(Tag::Table(_)) => {
                self.start_raw(BlockKind::Other, range);
            }
            Event::Start(Tag::Item) => {
                self.flush_leaf();
                self.containers.push(Container::Item);
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush_leaf();
                self.containers.push(Container::Quote);
            }
            Event::Start(
                Tag::List(_)
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition
                | Tag::MetadataBlock(_),
            ) => {
                self.flush_leaf();
                self.containers.push(Container::Other);
            }
            Event::End(
                TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionList
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition
                | TagEnd::MetadataBlock(_),
            ) => {
                self.flush_leaf();
                self.containers.pop();
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.text(&t, range);
            }
            Event::SoftBreak | Event::HardBreak => self.text(" ", range),
            Event::Html(t) => {
                // HTML outside an HTML block (rare): keep it as its own verbatim block.
                self.flush_leaf();
                self.raw = Some(RawBlock {
                    kind: BlockKind::Other,
                    span: range.clone(),
                    depth: 0,
                    content: Some(range),
                    text: t.to_string(),
                });
                if let Some(done) = self.raw.take() {
                    if let Some(block) = done.into_block(self.body) {
                        self.current.blocks.push(block);
                    }
                }
            }
            Event::Rule => self.flush_leaf(),
            // Inline markup (emphasis, links, inline HTML, footnote marks) is not reader text.
            _ => {}
        }
    }

    /// Close the current section at `at` and open a new one there.
    fn start_section(&mut self, level: u8, at: usize) {
        let next = Section {
            heading: None,
            level,
            span: at..at,
            blocks: Vec::new(),
        };
        let mut done = std::mem::replace(&mut self.current, next);
        done.span.end = at.max(done.span.start);
        if done.heading.is_some() || done.level > 0 || !done.blocks.is_empty() {
            self.sections.push(done);
        }
    }

    fn finish(mut self) -> Vec<Section> {
        self.flush_leaf();
        if let Some(raw) = self.raw.take() {
            if let Some(block) = raw.into_block(self.body) {
                self.current.blocks.push(block);
            }
        }
        if let Some(heading) = self.heading.take() {
            self.current.heading = Some(collapse_whitespace(&heading.text));
        }
        let end = self.body.len();
        self.start_section(0, end);
        // A heading with empty text still names a section: keep it as "" rather than the lead.
        for section in &mut self.sections {
            if section.level > 0 && section.heading.is_none() {
                section.heading = Some(String::new());
            }
        }
        self.sections
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        sentence_ranges(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn nyt_putin_sentence_is_one() {
        let p = "President Trump says he wants to “make a deal” to “STOP this ridiculous war” in Ukraine. His call with President Vladimir V. Putin, and a meeting expected this week between U.S. and Russian officials in Saudi Arabia, have raised expectations that negotiations could end three years of fighting.";
        assert_eq!(
            sentences(p),
            vec![
                "President Trump says he wants to “make a deal” to “STOP this ridiculous war” in Ukraine.",
                "His call with President Vladimir V. Putin, and a meeting expected this week between U.S. and Russian officials in Saudi Arabia, have raised expectations that negotiations could end three years of fighting."
            ]
        );
    }

    #[test]
    fn nyt_mr_sentences_split_at_real_ends() {
        let p = "Right now, Ukraine has few options for reversing Russia’s recent gains on the battlefield. That means that any deal is likely to involve painful concessions by Ukraine, which could be seen as Mr. Trump’s rewarding Mr. Putin’s aggression. It also means that Russia will almost certainly drive a hard bargain.";
        let got = sentences(p);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[1].ends_with("Mr. Putin’s aggression."));
        assert!(got[2].starts_with("It also means"));
    }

    #[test]
    fn fullfact_truce_sentence_is_one() {
        let p = "Following the summit Mr Macron said France and the UK had proposed a one-month truce “in the air, at sea and on energy infrastructure”—however the UK government later said “no agreement” on this had been reached.";
        assert_eq!(sentences(p), vec![p]);
    }

    #[test]
    fn fullfact_starmer_plan_is_separate() {
        let p = "In a statement following the summit, Mr Starmer said the leaders had reaffirmed that there must be “no talks on Ukraine without Ukraine” and “agreed that the UK, France and others will work with Ukraine on a plan to stop the fighting which we will discuss further with the US and take forward together”. Mr Starmer also set out a four-point plan for ongoing support for Ukraine.";
        let got = sentences(p);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(
            got[1],
            "Mr Starmer also set out a four-point plan for ongoing support for Ukraine."
        );
    }

    #[test]
    fn quotes_end_sentences_after_the_quote() {
        let p = "He said: “We are ready.” Then he left. She asked “why?” Nobody answered.";
        assert_eq!(
            sentences(p),
            vec![
                "He said: “We are ready.”",
                "Then he left.",
                "She asked “why?”",
                "Nobody answered."
            ]
        );
        let q = "The FT quoted “the fund would invest in projects in Ukraine.” It also said more.";
        assert_eq!(sentences(q).len(), 2);
    }

    #[test]
    fn quoted_passages_stay_whole() {
        let p = "On 3 March, a White House official said: “The president has been clear that he is focused on peace. We need our partners to be committed to that goal as well.” Aid was paused.";
        let got = sentences(p);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].ends_with("as well.”"));
        // An unbalanced quotation does not swallow the paragraph.
        assert_eq!(sentences("He said “yes. Then he left. It rained.").len(), 3);
    }

    #[test]
    fn abbreviations_and_numbers_do_not_split() {
        for p in [
            "Growth was 5.2 per cent in the year to March.",
            "He spoke at No. 10 Downing Street on Monday.",
            "It was published on Feb. 17, 2025, at 5:15 a.m. and read widely.",
            "The U.S. Treasury said J.K. Rowling met Dr. Jones and St. John.",
            "Mr. Smith and Mrs. Smith met Ms. Jones.",
            "The U.K. government said so.",
        ] {
            assert_eq!(sentences(p), vec![p], "{p}");
        }
        assert_eq!(
            sentences("He lives in the U.S. The weather is fine.").len(),
            2
        );
        assert_eq!(sentences("We chose plan B. It worked.").len(), 2);
    }

    #[test]
    fn outline_sections_blocks_sentences() {
        let body = "Lead text. Second sentence.\n\n## What talks?\n\nFirst *para* here.\nWrapped line.\n\n> Quoted words. More.\n\n- item one\n- item two\n\n```figure\nUkraine holds\nterritory\n```\n\n```\nlet x = 1;\n```\n\n### Sub\n\nLast.\n";
        let sections = outline(body);
        assert_eq!(sections.len(), 3);
        assert_eq!(sections[0].heading, None);
        assert_eq!(sections[0].level, 0);
        assert_eq!(sections[1].heading.as_deref(), Some("What talks?"));
        assert_eq!(sections[1].level, 2);
        assert_eq!(sections[2].heading.as_deref(), Some("Sub"));
        assert_eq!(sections[2].span.end, body.len());
        assert_eq!(sections[0].span.end, sections[1].span.start);
        assert!(body[sections[1].span.clone()].starts_with("## What talks?"));
        let kinds: Vec<BlockKind> = sections[1].blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Paragraph,
                BlockKind::Quote,
                BlockKind::ListItem,
                BlockKind::ListItem,
                BlockKind::Figure,
                BlockKind::Other
            ]
        );
        let para = &sections[1].blocks[0];
        assert_eq!(para.sentences.len(), 2);
        assert_eq!(para.sentences[0].text, "First para here.");
        assert_eq!(&body[para.sentences[0].span.clone()], "First *para* here.");
        assert_eq!(para.sentences[1].text, "Wrapped line.");
        assert_eq!(&body[para.sentences[1].span.clone()], "Wrapped line.");
        let quote = &sections[1].blocks[1];
        assert_eq!(quote.sentences.len(), 2);
        assert_eq!(&body[quote.sentences[0].span.clone()], "Quoted words.");
        let figure = &sections[1].blocks[4];
        assert_eq!(figure.sentences.len(), 1);
        assert_eq!(figure.sentences[0].text, "Ukraine holds territory");
        assert_eq!(
            &body[figure.sentences[0].span.clone()],
            "Ukraine holds\nterritory"
        );
        assert_eq!(sections[1].blocks[5].sentences[0].text, "let x = 1;");
        assert_eq!(sections[0].blocks[0].sentences.len(), 2);
    }

    #[test]
    fn outline_edge_cases() {
        assert!(outline("").is_empty());
        assert!(outline("\n\n  \n").is_empty());
        let s = outline("## Only heading\n");
        assert_eq!(s.len(), 1);
        assert!(s[0].blocks.is_empty());
        let s = outline("# A\n## B\ntext");
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].blocks[0].sentences[0].text, "text");
        // Entities and escapes map back to the whole source run.
        let body = "Tom &amp; Jerry said \\*hi\\*. Next.";
        let s = outline(body);
        let sent = &s[0].blocks[0].sentences;
        assert_eq!(sent[0].text, "Tom & Jerry said *hi*.");
        assert_eq!(
            &body[sent[0].span.clone()],
            "Tom &amp; Jerry said \\*hi\\*."
        );
        assert_eq!(&body[sent[1].span.clone()], "Next.");
    }

    /// The body of a demo snapshot: everything after the closing `+++` of the front matter.
    pub(crate) fn snapshot_body(slug: &str, date: &str) -> String {
        let path = format!("{}/snapshots/{slug}/{date}.txt", env!("CARGO_MANIFEST_DIR"));
        let raw = std::fs::read_to_string(&path).unwrap();
        let rest = raw.strip_prefix("+++\n").unwrap();
        let end = rest.find("\n+++\n").unwrap();
        rest[end + 5..].to_string()
    }

    #[test]
    fn seeds_outline_and_spans_hold_the_text() {
        for (slug, date) in [
            ("fullfact-ukraine-peace-talks", "2025-03-04"),
            ("nyt-ukraine-peace-talks-guide", "2025-02-17"),
        ] {
            let body = snapshot_body(slug, date);
            let sections = outline(&body);
            let count: usize = sections
                .iter()
                .flat_map(|s| &s.blocks)
                .map(|b| b.sentences.len())
                .sum();
            assert!(count > 20, "{slug}: {count}");
            for section in sections {
                for block in section.blocks {
                    for s in block.sentences {
                        let src = &body[s.span.clone()];
                        if block.kind != BlockKind::Figure {
                            assert_eq!(collapse_whitespace(src), s.text);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn windowed_segmentation_matches_uax29_on_the_seeds() {
        for (slug, date) in [
            ("fullfact-ukraine-peace-talks", "2025-03-04"),
            ("nyt-ukraine-peace-talks-guide", "2025-02-17"),
        ] {
            for section in outline(&snapshot_body(slug, date)) {
                for block in section.blocks {
                    let text: String = block
                        .sentences
                        .iter()
                        .map(|s| s.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let full: Vec<usize> = text
                        .split_sentence_bound_indices()
                        .map(|(i, _)| i)
                        .collect();
                    assert_eq!(uax29_starts(&text), full, "{text}");
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// The windowed search finds exactly UAX#29's boundaries.
        #[test]
        fn windowed_segmentation_matches_uax29(text in "([a-zA-Z0-9]{1,4}|[ .!?,;:()\"'’”“‘—–…]|Mr\\. |U\\.S\\. |\u{a0}|é|\n|\u{ad}){0,40}") {
            let full: Vec<usize> = text.split_sentence_bound_indices().map(|(i, _)| i).collect();
            let mut ours = uax29_starts(&text);
            if text.is_empty() {
                ours.clear();
            }
            proptest::prop_assert_eq!(ours, full);
        }

        /// The vectorised search finds the same first terminator as a plain scan.
        #[test]
        fn find_terminator_matches_plain_scan(text in "[a-c .!?’\u{2e}\u{ae}\u{21}\u{1}\u{ff}]{0,40}") {
            let bytes = text.as_bytes();
            let plain = bytes.iter().position(|b| matches!(b, b'.' | b'!' | b'?'));
            proptest::prop_assert_eq!(find_terminator(bytes), plain);
            for skip in 0..bytes.len() {
                let plain = bytes[skip..].iter().position(|b| matches!(b, b'.' | b'!' | b'?'));
                proptest::prop_assert_eq!(find_terminator(&bytes[skip..]), plain);
            }
        }

        /// Any input outlines without panicking, and every range is a valid,
        /// ordered, non-overlapping slice of the body.
        #[test]
        fn outline_never_panics(body in "(?s)(#{0,3} |> |- |```figure\n|```\n|\\*|\\[|\\]|&amp;|\\.|[a-zA-Z .!?\n“”’]|Mr\\. |U\\.S\\. |é|\u{a0}){0,60}") {
            let mut floor = 0;
            for section in outline(&body) {
                proptest::prop_assert!(body.get(section.span.clone()).is_some());
                for block in section.blocks {
                    proptest::prop_assert!(body.get(block.span.clone()).is_some());
                    for s in block.sentences {
                        proptest::prop_assert!(s.span.start >= floor);
                        proptest::prop_assert!(body.get(s.span.clone()).is_some());
                        floor = s.span.end;
                    }
                }
            }
        }

        /// The already-collapsed shortcut agrees with splitting into words.
        #[test]
        fn collapse_shortcut_is_exact(text in "([a-z’]{1,3}| |  |\t|\n|\u{a0}|\u{2003}|\u{85}){0,12}") {
            let words: Vec<&str> = text.split_whitespace().collect();
            proptest::prop_assert_eq!(collapse_whitespace(&text), words.join(" "));
        }

        #[test]
        fn sentence_ranges_are_ordered_slices(text in "\\PC{0,80}") {
            let mut floor = 0;
            for r in sentence_ranges(&text) {
                proptest::prop_assert!(r.start >= floor && r.start < r.end);
                proptest::prop_assert!(text.get(r.clone()).is_some());
                floor = r.end;
            }
        }
    }
}
