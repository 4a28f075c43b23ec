//! Outline: parse a canonical Markdown body into sections, blocks and sentences
//! with byte ranges, so the diff can align them and still be lossless.
//!
//! Sections are a heading plus every block up to the next heading of any level
//! (a lead section without heading holds text before the first heading). Blocks
//! are the leaf text containers a reader sees as one unit: paragraphs, the
//! paragraphs of block quotations, list items (prose, split into sentences),
//! and markup that is never prose:
//! - code (fenced or indented): one "sentence" per non-blank line, so code is
//!   compared by line;
//! - tables (pipe tables and HTML `<table>`): one "sentence" per row, its cells'
//!   text joined by [`CELL_SEPARATOR`];
//! - figures (a fenced block with info string `figure`, an HTML `<figure>`, or
//!   HTML holding only images): one unit, images read as `Image: alt (src)`;
//! - other raw HTML (and paragraphs of Liquid template tags only): one unit.
//!
//! HTML comments are no block at all. Liquid tags (`{% … %}`) inside prose are
//! not sentence text. Inline code, autolinks and bare URLs never end a sentence.
//! OWNER: diff engineer.

mod html;

#[cfg(test)]
mod corpus_tests;

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use unicode_segmentation::UnicodeSegmentation;

use crate::lanes::{outside_printable, space_bits, word_at};
use crate::model::{Block, BlockKind, Document, DocumentMeta, Section, Sentence};

pub use html::Image;

/// Every image in a fragment of the body, in order: HTML `<img>` tags, then
/// Markdown images (`![alt](src)`), with their alt text and source.
pub fn images(source: &str) -> Vec<Image> {
    let mut out = if source.contains('<') {
        html::images(source)
    } else {
        Vec::new()
    };
    if !source.contains("![") {
        return out;
    }
    let mut depth = 0usize;
    for event in Parser::new_ext(source, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                depth += 1;
                out.push(Image {
                    alt: Some(String::new()),
                    src: Some(dest_url.to_string()),
                });
            }
            Event::End(TagEnd::Image) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if depth > 0 => {
                if let Some(alt) = out.last_mut().and_then(|i| i.alt.as_mut()) {
                    alt.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

/// Between the cells of a table row's text: `Daily values | numerator`.
pub const CELL_SEPARATOR: &str = " | ";

/// The cells of a table row's text (the inverse of joining by [`CELL_SEPARATOR`];
/// a cell that itself holds " | " reads as two).
pub fn table_cells(row_text: &str) -> Vec<&str> {
    row_text.split(CELL_SEPARATOR).map(str::trim).collect()
}

/// Link and image targets of a Markdown fragment, in order (for "link changed":
/// a sentence whose only change is a URL reads the same).
pub fn link_targets(source: &str) -> Vec<String> {
    Parser::new_ext(
        source,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .filter_map(|event| match event {
        Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
            Some(dest_url.to_string())
        }
        _ => None,
    })
    .collect()
}

// `Document::new` lives here, beside the outliner, so that `model` (the types every
// stage shares) does not depend on `structure`: no import cycle.
impl Document {
    /// Build a document from its facts and canonical body; the outline is parsed here, once.
    pub fn new(meta: DocumentMeta, body: String) -> Document {
        let sections = outline(&body);
        Document {
            meta,
            body,
            sections,
        }
    }
}

/// Parse a Markdown body into its outline (pulldown-cmark with offsets).
pub fn outline(body: &str) -> Vec<Section> {
    let mut outliner = Outliner::new(body);
    // A body that still opens with YAML front matter (stored before ingest removed
    // it) reads it as metadata, never as a rule and a heading.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let parsed = template_links_parseable(body);
    for (event, range) in Parser::new_ext(&parsed, options).into_offset_iter() {
        outliner.event(event, range);
    }
    outliner.finish()
}

/// `body` with the spaces inside template tags that open a link destination
/// (`]({% link x.md %})`, `]({{ site.url }}/x)`) made `_`, so CommonMark still reads
/// the link (Jekyll expands them before Markdown). Same byte length: offsets hold.
fn template_links_parseable(body: &str) -> Cow<'_, str> {
    if !body.contains("]({") {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut done = 0;
    let mut from = 0;
    // Per closer: up to where it is known not to occur (the end of a line searched
    // in vain), so hostile text stays linear.
    let mut absent_until = [0usize; 2];
    while let Some(found) = body.get(from..).and_then(|r| r.find("]({")) {
        let brace = from + found + 2;
        from = brace + 1;
        let tail = body.get(brace..).unwrap_or("");
        let which = if tail.starts_with("{%") {
            0
        } else if tail.starts_with("{{") {
            1
        } else {
            continue;
        };
        if brace < absent_until[which] {
            continue;
        }
        // A link destination is on one line: look for the closer there only.
        let line = tail.split('\n').next().unwrap_or("");
        let close = ["%}", "}}"][which];
        let Some(end) = line.find(close) else {
            absent_until[which] = brace + line.len();
            continue;
        };
        let tag_end = brace + end + close.len();
        out.push_str(body.get(done..brace).unwrap_or(""));
        out.push_str(&body.get(brace..tag_end).unwrap_or("").replace(' ', "_"));
        done = tag_end;
        from = tag_end;
    }
    out.push_str(body.get(done..).unwrap_or(""));
    Cow::Owned(out)
}

/// Split one block's plain text into sentences, news-prose aware
/// ("Mr Trump", "U.S.", "5.2 per cent", "No. 10", initials, sentences ending inside quotes).
/// Returns byte ranges into `text`, trimmed of surrounding whitespace, in order.
pub fn sentence_ranges(text: &str) -> Vec<Range<usize>> {
    // UAX#29 only breaks after a terminator (or at a paragraph separator): without
    // one the text is one sentence, and a long unpunctuated run costs nothing.
    // ASCII first: Unicode property lookups only for the rest.
    let terminators = |c: char| {
        matches!(c, '…' | '\u{85}' | '\u{2028}' | '\u{2029}')
            || (!c.is_alphanumeric() && !c.is_whitespace())
    };
    let has_terminator = find_terminator(text.as_bytes()).is_some()
        || any_char(text, |b| matches!(b, b'\n' | b'\r'), terminators);
    if !has_terminator {
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
    let unusual_ascii = |b: u8| b.is_ascii_control() && b != b'\t';
    let unusual = |c: char| !is_plain_punctuation(c) && !c.is_alphanumeric();
    if any_char(text, unusual_ascii, unusual) {
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
        if let Some(answer) = common_window_break(slice) {
            starts.extend(answer.map(|k| w.start + k));
            continue;
        }
        for (k, _) in slice.split_sentence_bound_indices() {
            if k > 0 {
                starts.push(w.start + k);
            }
        }
    }
    starts
}

/// UAX#29's answer for the commonest window, without the segmenter's table
/// look-ups: a letter, digit or closing mark, one `.`, `!` or `?`, closing
/// marks (`)`, `"`, `'`), one or more spaces, then an ASCII letter (the window's
/// last character). Before an upper-case letter the sentence breaks (SB11);
/// before a lower-case one it breaks after `!` or `?` (SB11) but not after `.`
/// (SB8: "e.g. the"). `Some(Some(k))`: one break, at `k`; `Some(None)`: none;
/// `None`: another shape, for the segmenter.
fn common_window_break(window: &str) -> Option<Option<usize>> {
    let mut chars = window.char_indices();
    // A letter, digit or closing mark before: never a terminator or a paragraph
    // separator, after which the text could break too.
    let (_, before) = chars.next()?;
    if !(before.is_alphanumeric() || matches!(before, ')' | ']' | '"' | '\'' | '’' | '”')) {
        return None;
    }
    let (_, terminator) = chars.next()?;
    if !matches!(terminator, '.' | '!' | '?') {
        return None;
    }
    let mut rest = chars.skip_while(|&(_, c)| matches!(c, ')' | '"' | '\''));
    let mut spaces = 0;
    let letter = loop {
        match rest.next()? {
            (_, ' ') => spaces += 1,
            (at, c) if c.is_ascii_alphabetic() => break (at, c),
            _ => return None,
        }
    };
    if spaces == 0 || rest.next().is_some() {
        return None;
    }
    let breaks = letter.1.is_ascii_uppercase() || terminator != '.';
    Some(breaks.then_some(letter.0))
}

/// Whether `text` holds a character that `ascii` (for ASCII bytes) or `other`
/// (for the rest) accepts. `ascii` may accept control bytes only: runs of
/// printable ASCII are skipped eight bytes at a time, and only non-ASCII
/// characters are decoded (the outline asks this of every block, and a
/// character walk was a profiled hot spot).
fn any_char(text: &str, ascii: impl Fn(u8) -> bool, other: impl Fn(char) -> bool) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if word_at(bytes, i).is_some_and(|x| outside_printable(x) == 0) {
            i += 8;
        } else if b.is_ascii() {
            if ascii(b) {
                return true;
            }
            i += 1;
        } else {
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                return false;
            };
            if other(c) {
                return true;
            }
            i += c.len_utf8();
        }
    }
    false
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

/// How many ” (E2 80 9D) `bytes` hold: found by their lead byte, which no other
/// UTF-8 sequence byte can be (cheaper than building a substring searcher per block).
fn closing_quotes(bytes: &[u8]) -> usize {
    memchr::memchr_iter(0xE2, bytes)
        .filter(|&i| bytes.get(i + 1..i + 3) == Some(&[0x80, 0x9D][..]))
        .count()
}

impl<'a> QuoteDepth<'a> {
    fn new(text: &'a str) -> QuoteDepth<'a> {
        QuoteDepth {
            text,
            pos: 0,
            open: 0,
            closes_left: closing_quotes(text.as_bytes()),
            straight_seen: 0,
            straight_total: memchr::memchr_iter(b'"', text.as_bytes()).count(),
        }
    }

    /// Inside a quotation at byte `at` (positions must be asked in increasing order)?
    fn inside_at(&mut self, at: usize) -> bool {
        if let Some(chunk) = self.text.get(self.pos..at) {
            // Only `"` and the lead byte 0xE2 of “ and ” matter: jump between them
            // (a character walk was a profiled hot spot).
            let bytes = chunk.as_bytes();
            for i in memchr::memchr2_iter(b'"', 0xE2, bytes) {
                match bytes.get(i..i + 3) {
                    _ if bytes.get(i) == Some(&b'"') => self.straight_seen += 1,
                    Some([0xE2, 0x80, 0x9C]) => self.open += 1,
                    Some([0xE2, 0x80, 0x9D]) => {
                        self.open = self.open.saturating_sub(1);
                        self.closes_left = self.closes_left.saturating_sub(1);
                    }
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
    let bytes = text.as_bytes();
    let mut after_space = true; // a leading space is not collapsed
    let mut i = 0;
    // Eight printable ASCII bytes at a time (nearly all of it), else byte by byte;
    // characters decoded only past ASCII.
    while let Some(&b) = bytes.get(i) {
        if let Some(x) = word_at(bytes, i).filter(|&x| outside_printable(x) == 0) {
            let spaces = space_bits(x);
            // A space right after a space: within the eight, or at their start.
            if spaces & (spaces << 8) != 0 || (after_space && spaces & 0x80 != 0) {
                return false;
            }
            after_space = spaces >> 63 != 0;
            i += 8;
        } else if b == b' ' {
            if after_space {
                return false;
            }
            after_space = true;
            i += 1;
        } else if b.is_ascii() {
            // ASCII whitespace as `char::is_whitespace` has it (with VT, 0x0b).
            if matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
                return false;
            }
            after_space = false;
            i += 1;
        } else {
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                return false;
            };
            if c.is_whitespace() {
                return false;
            }
            after_space = false;
            i += c.len_utf8();
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

/// Abbreviations besides short titles (`titles`) that are always followed by more
/// of the sentence, never end it ("St. Paul's", "cf. Smith").
const CONTINUING_ABBREVIATIONS: &[&str] = &["st", "mt", "ft", "vs", "cf", "e.g", "i.e"];

/// Abbreviations that continue when a number follows ("No. 10", "Art. 5").
const BEFORE_NUMBER: &[&str] = &[
    "no", "nos", "art", "vol", "p", "pp", "fig", "para", "ch", "sec",
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
    if crate::titles::is_short_title(&lower) || CONTINUING_ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    let digit_next = first.is_ascii_digit();
    if digit_next
        && (BEFORE_NUMBER.contains(&lower.as_str())
            || crate::calendar::is_month_abbreviation(&lower))
    {
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
    /// Plain-text ranges that never end a sentence (inline code, autolinks).
    protected: Vec<Range<usize>>,
    /// Markdown images in the leaf (alt text, source).
    images: Vec<Image>,
    /// Whether any non-blank text lies outside images (else the leaf is a figure).
    text_outside_images: bool,
}

impl Leaf {
    fn new(kind: BlockKind, start: usize) -> Leaf {
        Leaf {
            kind,
            start,
            end: start,
            text: String::new(),
            pieces: Vec::new(),
            protected: Vec::new(),
            images: Vec::new(),
            text_outside_images: false,
        }
    }

    /// A new leaf in the buffers of a finished one (cleared): a document has
    /// hundreds of leaves, and growing fresh buffers for each cost a tenth of
    /// ingest's time with glibc's allocator (reallocation and copying).
    fn reuse(mut self, kind: BlockKind, start: usize) -> Leaf {
        self.text.clear();
        self.pieces.clear();
        self.protected.clear();
        self.images.clear();
        Leaf {
            kind,
            start,
            end: start,
            text_outside_images: false,
            ..self
        }
    }

    /// Mark the plain text from `from` to the current end as never ending a sentence.
    fn protect_from(&mut self, from: usize) {
        if from < self.text.len() {
            self.protected.push(from..self.text.len());
        }
    }

    /// The plain text as a reader sees it: Liquid tags and kramdown attribute lists blanked (same byte length,
    /// so offsets still map to the source). Borrowed when there are none.
    fn visible_text(&self) -> Cow<'_, str> {
        if !html::may_hold_templates(&self.text) {
            return Cow::Borrowed(&self.text);
        }
        let mut out = self.text.clone();
        // Inside inline code a template tag is what the text is about: kept.
        // (Protected runs are pushed in text order and never overlap: one look-up.)
        let in_code = |r: &Range<usize>| {
            let after = self.protected.partition_point(|p| p.start <= r.start);
            after
                .checked_sub(1)
                .and_then(|i| self.protected.get(i))
                .is_some_and(|p| r.end <= p.end)
        };
        for r in html::template_ranges(&self.text) {
            if in_code(&r) {
                continue;
            }
            if let Some(tag) = self.text.get(r.clone()) {
                out.replace_range(r, &blank(tag));
            }
        }
        Cow::Owned(out)
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

    /// The block of sentences the collected text makes; `None` if it holds no text.
    fn block(&self, body: &str) -> Option<Block> {
        let visible = self.visible_text();
        // Sentence ends are searched in a copy where protected runs (inline code,
        // URLs) hold no terminator; the sentence text comes from the visible text.
        let mut protected = self.protected.clone();
        if visible.contains("http") {
            protected.extend(url_ranges(&visible));
        }
        let searched: Cow<'_, str> = if protected.is_empty() {
            Cow::Borrowed(&visible)
        } else {
            let mut searched = visible.to_string();
            for r in protected {
                if let Some(run) = visible.get(r.clone()) {
                    searched.replace_range(r, &without_terminators(run));
                }
            }
            Cow::Owned(searched)
        };
        let mut sentences = Vec::new();
        let mut floor = self.start;
        for range in sentence_ranges(&searched) {
            let text = collapse_whitespace(visible.get(range.clone()).unwrap_or(""));
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

/// A heading as readers see it: whitespace collapsed, no Liquid, no trailing
/// `{#id}` attribute block.
fn heading_text(raw: &str) -> String {
    let visible = if html::may_hold_templates(raw) {
        let mut out = raw.to_string();
        for r in html::template_ranges(raw).into_iter().rev() {
            out.replace_range(r, " ");
        }
        out
    } else {
        raw.to_string()
    };
    collapse_whitespace(html::heading_without_attributes(&visible))
}

/// Spaces of the same byte length as `text`.
fn blank(text: &str) -> String {
    " ".repeat(text.len())
}

/// `text` with every character that could end a sentence replaced by `x`s of the
/// same byte length (so offsets are unchanged).
fn without_terminators(text: &str) -> String {
    // One buffer, not a string per character (a profiled hot spot).
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let terminator = matches!(c, '.' | '!' | '?' | '\n' | '\r')
            || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace());
        if terminator {
            out.extend(std::iter::repeat_n('x', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// Byte ranges of bare URLs (`http://`, `https://`) in plain text, without
/// trailing punctuation that ends the sentence around them.
fn url_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|r| r.find("http")) {
        let start = from + found;
        let rest = text.get(start..).unwrap_or("");
        if !(rest.starts_with("http://") || rest.starts_with("https://")) {
            from = start + 4;
            continue;
        }
        let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let url = rest.get(..len).unwrap_or("");
        let kept = url.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '”', '"', '’', '\'']);
        out.push(start..start + kept.len());
        from = start + len.max(1);
    }
    out
}

/// A block kept whole: code, HTML, table, or a figure.
struct RawBlock {
    kind: BlockKind,
    span: Range<usize>,
    depth: usize,
    content: Option<Range<usize>>,
    text: String,
    /// Source ranges of the text events (code: each holds one or more lines).
    pieces: Vec<Range<usize>>,
}

impl RawBlock {
    fn into_block(self, body: &str) -> Option<Block> {
        if self.kind == BlockKind::Code {
            if let Some(block) = self.code_block(body) {
                return Some(block);
            }
        }
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

impl RawBlock {
    /// Code as one unit per non-blank line (compared by line); `None` when it has no text.
    fn code_block(&self, body: &str) -> Option<Block> {
        let mut sentences = Vec::new();
        for piece in &self.pieces {
            let mut at = piece.start;
            let Some(src) = body.get(piece.clone()) else {
                continue;
            };
            for line in src.split_inclusive('\n') {
                let range = at..at + line.len();
                at = range.end;
                if let Some(trimmed) = trim_range(body, range) {
                    let text = collapse_whitespace(body.get(trimmed.clone()).unwrap_or(""));
                    if !text.is_empty() {
                        sentences.push(Sentence {
                            span: trimmed,
                            text,
                        });
                    }
                }
            }
        }
        if sentences.is_empty() {
            return None;
        }
        Some(Block {
            kind: BlockKind::Code,
            span: trim_range(body, self.span.clone())?,
            sentences,
        })
    }
}

/// A pipe table being read: its span and finished rows.
struct PipeTable {
    span: Range<usize>,
    rows: Vec<Sentence>,
    /// The row being read: its source range and cells.
    row: Option<(Range<usize>, Vec<String>)>,
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
    /// The last finished leaf, whose buffers the next one reuses.
    spare_leaf: Option<Leaf>,
    raw: Option<RawBlock>,
    /// Start of an HTML block being skipped over (read whole at its end).
    html: Option<Range<usize>>,
    table: Option<PipeTable>,
    /// Plain-text starts of the autolinks being read.
    links: Vec<Option<usize>>,
    /// Inside a metadata (front matter) block: nothing in it is text.
    metadata: bool,
    /// Depth of Markdown images being read (their text is alt text).
    image_depth: usize,
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
            spare_leaf: None,
            raw: None,
            html: None,
            table: None,
            links: Vec::new(),
            metadata: false,
            image_depth: 0,
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
            if !leaf.images.is_empty() && !leaf.text_outside_images {
                // Only Markdown images (`![Chart](chart.png)`): a figure, not prose.
                self.push_image_figure(&leaf);
            } else if leaf.visible_text().trim().is_empty() {
                // Only inline HTML or Liquid (a multi-line `<img>`, `{% raw %}`): markup.
                self.push_html(leaf.start..leaf.end);
            } else {
                self.push_leaf_block(&leaf);
            }
            self.spare_leaf = Some(leaf);
        }
    }

    /// The block of a finished leaf of prose, if it holds any.
    fn push_leaf_block(&mut self, leaf: &Leaf) {
        if let Some(block) = leaf.block(self.body) {
            self.current.blocks.push(block);
        }
    }

    /// A leaf (paragraph, list item, quote or heading text) starting at `start`,
    /// in the buffers of the last one finished.
    fn new_leaf(&mut self, kind: BlockKind, start: usize) -> Leaf {
        match self.spare_leaf.take() {
            Some(spare) => spare.reuse(kind, start),
            None => Leaf::new(kind, start),
        }
    }

    /// A paragraph of Markdown images only, as one figure unit (`Image: alt (src)`).
    fn push_image_figure(&mut self, leaf: &Leaf) {
        let Some(span) = trim_range(self.body, leaf.start..leaf.end.max(leaf.start)) else {
            return;
        };
        let text = collapse_whitespace(
            &leaf
                .images
                .iter()
                .map(html::describe)
                .collect::<Vec<_>>()
                .join(" "),
        );
        self.current.blocks.push(Block {
            kind: BlockKind::Figure,
            span: span.clone(),
            sentences: vec![Sentence { span, text }],
        });
    }

    /// The leaf or heading that plain text goes to now.
    fn target(&mut self) -> Option<&mut Leaf> {
        match self.heading.as_mut() {
            Some(h) => Some(h),
            None => self.leaf.as_mut(),
        }
    }

    /// Read raw HTML at `span` as a table, figure or markup block (comments: nothing).
    fn push_html(&mut self, span: Range<usize>) {
        let Some(block_span) = trim_range(self.body, span) else {
            return;
        };
        let source = self.body.get(block_span.clone()).unwrap_or("");
        let reading = html::read(source);
        let whole = |text: String| Sentence {
            span: block_span.clone(),
            text: if text.is_empty() {
                collapse_whitespace(&html::without_comments(source))
            } else {
                text
            },
        };
        let (kind, sentences) = match reading.kind {
            html::HtmlKind::Nothing => return,
            html::HtmlKind::Table => {
                let mut rows: Vec<Sentence> = reading
                    .rows
                    .into_iter()
                    .filter_map(|(r, cells)| {
                        let span = trim_range(
                            self.body,
                            block_span.start + r.start..block_span.start + r.end,
                        )?;
                        Some(Sentence {
                            span,
                            text: cells.join(CELL_SEPARATOR),
                        })
                    })
                    .collect();
                if rows.is_empty() {
                    rows.push(whole(reading.text));
                }
                (BlockKind::Table, rows)
            }
            html::HtmlKind::Figure => (BlockKind::Figure, vec![whole(reading.text)]),
            html::HtmlKind::Html => match html::prose(source) {
                // Text inside markup (a pull quote, a note, `<details>`) is read as prose.
                Some(parts) => return self.push_html_prose(block_span.start, parts),
                None => (BlockKind::Html, vec![whole(reading.text)]),
            },
        };
        self.current.blocks.push(Block {
            kind,
            span: block_span,
            sentences,
        });
    }

    /// An HTML block that holds prose, as blocks of sentences (one per
    /// paragraph-level element) whose ranges point into the body; each image
    /// in it is a figure of its own. `start` is the block's offset in the body.
    fn push_html_prose(&mut self, start: usize, parts: Vec<html::ProsePart>) {
        let kind = self.leaf_kind();
        let mut leaf: Option<Leaf> = None;
        for part in parts {
            match part {
                html::ProsePart::Text(r, text) => {
                    let src = start + r.start..start + r.end;
                    leaf.get_or_insert_with(|| Leaf::new(kind, src.start))
                        .push(self.body, &text, src);
                }
                html::ProsePart::Space(r) => {
                    if let Some(l) = leaf.as_mut() {
                        l.push(self.body, " ", start + r.start..start + r.end);
                    }
                }
                html::ProsePart::Break => self.push_prose_leaf(leaf.take()),
                html::ProsePart::Image(r, image) => {
                    self.push_prose_leaf(leaf.take());
                    if let Some(span) = trim_range(self.body, start + r.start..start + r.end) {
                        self.current.blocks.push(Block {
                            kind: BlockKind::Figure,
                            span: span.clone(),
                            sentences: vec![Sentence {
                                span,
                                text: html::describe(&image),
                            }],
                        });
                    }
                }
            }
        }
        self.push_prose_leaf(leaf);
    }

    /// A paragraph read from inside HTML, if it holds text.
    fn push_prose_leaf(&mut self, leaf: Option<Leaf>) {
        if let Some(leaf) = leaf {
            self.push_leaf_block(&leaf);
        }
    }

    /// Pipe-table events (the table is open).
    fn table_event(&mut self, event: &Event<'_>, range: Range<usize>) {
        let body = self.body;
        let Some(table) = self.table.as_mut() else {
            return;
        };
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => table.row = Some((range, Vec::new())),
            Event::Start(Tag::TableCell) => {
                if let Some((_, cells)) = table.row.as_mut() {
                    cells.push(String::new());
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(cell) = table.row.as_mut().and_then(|(_, c)| c.last_mut()) {
                    cell.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(cell) = table.row.as_mut().and_then(|(_, c)| c.last_mut()) {
                    cell.push(' ');
                }
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some((span, cells)) = table.row.take() {
                    let cells: Vec<String> = cells
                        .iter()
                        .map(|c| {
                            let visible = html::template_ranges(c).into_iter().rev().fold(
                                c.clone(),
                                |mut v, r| {
                                    v.replace_range(r, " ");
                                    v
                                },
                            );
                            collapse_whitespace(&visible)
                        })
                        .collect();
                    if let (true, Some(span)) =
                        (cells.iter().any(|c| !c.is_empty()), trim_range(body, span))
                    {
                        table.rows.push(Sentence {
                            span,
                            text: cells.join(CELL_SEPARATOR),
                        });
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(done) = self.table.take() {
                    if let Some(span) = trim_range(body, done.span) {
                        let sentences = if done.rows.is_empty() {
                            vec![Sentence {
                                span: span.clone(),
                                text: collapse_whitespace(body.get(span.clone()).unwrap_or("")),
                            }]
                        } else {
                            done.rows
                        };
                        self.current.blocks.push(Block {
                            kind: BlockKind::Table,
                            span,
                            sentences,
                        });
                    }
                }
            }
            _ => {}
        }
    }

    /// Plain text goes to the heading being read, or to the current leaf (opened on demand).
    fn text(&mut self, text: &str, range: Range<usize>) {
        if let Some(heading) = self.heading.as_mut() {
            heading.push(self.body, text, range);
            return;
        }
        if self.leaf.is_none() {
            self.leaf = Some(self.new_leaf(self.leaf_kind(), range.start));
        }
        let in_image = self.image_depth > 0;
        if let Some(leaf) = self.leaf.as_mut() {
            leaf.push(self.body, text, range);
            if in_image {
                if let Some(image) = leaf.images.last_mut() {
                    image.alt.get_or_insert_with(String::new).push_str(text);
                }
            } else if !text.trim().is_empty() {
                leaf.text_outside_images = true;
            }
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
            pieces: Vec::new(),
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
                raw.pieces.push(range.clone());
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
        if self.table.is_some() {
            self.table_event(&event, range);
            return;
        }
        if self.metadata {
            self.metadata = !matches!(event, Event::End(TagEnd::MetadataBlock(_)));
            return;
        }
        if let Some(span) = self.html.as_ref() {
            if matches!(event, Event::End(TagEnd::HtmlBlock)) {
                let span = span.start..span.end.max(range.end);
                self.html = None;
                self.push_html(span);
            }
            return;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) if self.containers.is_empty() => {
                self.flush_leaf();
                self.start_section(level as u8, range.start);
                self.heading = Some(self.new_leaf(BlockKind::Paragraph, range.start));
            }
            Event::End(TagEnd::Heading(_)) if self.heading.is_some() => {
                if let Some(heading) = self.heading.take() {
                    self.current.heading = Some(heading_text(&heading.text));
                    self.spare_leaf = Some(heading);
                }
            }
            Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_)) => self.flush_leaf(),
            Event::Start(Tag::Paragraph) => {
                self.flush_leaf();
                self.leaf = Some(self.new_leaf(self.leaf_kind(), range.start));
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
                    BlockKind::Code
                };
                self.start_raw(kind, range);
            }
            Event::Start(Tag::HtmlBlock) => {
                self.flush_leaf();
                self.html = Some(range);
            }
            Event::Start(Tag::MetadataBlock(_)) => {
                self.flush_leaf();
                self.metadata = true;
            }
            Event::Start(Tag::Table(_)) => {
                self.flush_leaf();
                self.table = Some(PipeTable {
                    span: range,
                    rows: Vec::new(),
                    row: None,
                });
            }
            Event::Start(Tag::Image { dest_url, .. }) if self.heading.is_none() => {
                if self.leaf.is_none() {
                    self.leaf = Some(self.new_leaf(self.leaf_kind(), range.start));
                }
                if let Some(leaf) = self.leaf.as_mut() {
                    leaf.images.push(Image {
                        alt: None,
                        src: Some(dest_url.to_string()),
                    });
                }
                self.image_depth += 1;
            }
            Event::End(TagEnd::Image) => self.image_depth = self.image_depth.saturating_sub(1),
            Event::Start(Tag::Link { link_type, .. }) => {
                // An autolink's text is its URL: it never ends a sentence.
                let auto = matches!(link_type, LinkType::Autolink | LinkType::Email);
                let at = self.target().map(|t| t.text.len());
                self.links.push(if auto { at.or(Some(0)) } else { None });
            }
            Event::End(TagEnd::Link) => {
                if let Some(Some(from)) = self.links.pop() {
                    if let Some(t) = self.target() {
                        t.protect_from(from);
                    }
                }
            }
            Event::Code(t) => {
                let before = self.target().map(|l| l.text.len());
                self.text(&t, range);
                if let Some(t) = self.target() {
                    let from = before.unwrap_or(0).min(t.text.len());
                    t.protect_from(from);
                }
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
                | Tag::DefinitionListDefinition,
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
                | TagEnd::DefinitionListDefinition,
            ) => {
                self.flush_leaf();
                self.containers.pop();
            }
            Event::Text(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.text(&t, range);
            }
            Event::SoftBreak | Event::HardBreak => self.text(" ", range),
            Event::Html(_) => {
                // HTML outside an HTML block (rare): its own markup block.
                self.flush_leaf();
                self.push_html(range);
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
        if let Some(span) = self.html.take() {
            self.push_html(span);
        }
        if let Some(raw) = self.raw.take() {
            if let Some(block) = raw.into_block(self.body) {
                self.current.blocks.push(block);
            }
        }
        if let Some(heading) = self.heading.take() {
            self.current.heading = Some(heading_text(&heading.text));
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

    /// Each leaf reuses the buffers of the one before (cleared): nothing of an
    /// earlier leaf (its text, protected runs, images, kind) may reach the next,
    /// so every block of a document is the block its paragraph makes alone.
    #[test]
    fn a_leaf_keeps_nothing_of_the_one_before() {
        let paragraphs = [
            "![Chart of talks](chart.png)",
            "![Map](map.png)",
            "See `a. B` here, at https://example.org/x. Next one.",
            "First. Second, with no image.",
            "## A heading. With a dot",
            "- In a list. Two sentences.",
            "> Quoted. Also two.",
            "Plain again. The end.",
        ];
        let blocks =
            |body: &str| -> Vec<(BlockKind, Vec<String>)> {
                outline(body)
                    .into_iter()
                    .flat_map(|s| {
                        s.heading
                            .into_iter()
                            .map(|h| (BlockKind::Other, vec![h]))
                            .chain(s.blocks.into_iter().map(|b| {
                                (b.kind, b.sentences.into_iter().map(|s| s.text).collect())
                            }))
                    })
                    .collect()
            };
        let alone: Vec<_> = paragraphs.iter().flat_map(|p| blocks(p)).collect();
        assert_eq!(blocks(&paragraphs.join("\n\n")), alone);
        assert_eq!(
            alone[2].1,
            ["See a. B here, at https://example.org/x.", "Next one."]
        );
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
            // Synthetic: every short title from `titles`, any case, before a name.
            "Cllr. Ahmed, Rev. Green, Sgt. Lee and MAJ. Cole met Gov. Hale.",
        ] {
            assert_eq!(sentences(p), vec![p], "{p}");
        }
        // A full title is a word, not an abbreviation: its full stop ends a sentence.
        assert_eq!(sentences("Yes, sir. The plan stands.").len(), 2);
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
                BlockKind::Code
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

    fn blocks(body: &str) -> Vec<Block> {
        outline(body).into_iter().flat_map(|s| s.blocks).collect()
    }

    #[test]
    fn code_is_compared_by_line() {
        // Synthetic: a fenced block and an indented block.
        let body = "Intro.\n\n```js\nconst a = 1;\n\nif (a) { go(); }\n```\n\n    indented();\n    more();\n";
        let b = blocks(body);
        assert_eq!(b.len(), 3);
        assert_eq!(b[1].kind, BlockKind::Code);
        let lines: Vec<&str> = b[1].sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(lines, vec!["const a = 1;", "if (a) { go(); }"]);
        assert!(body[b[1].span.clone()].starts_with("```js"));
        assert_eq!(&body[b[1].sentences[1].span.clone()], "if (a) { go(); }");
        assert_eq!(b[2].kind, BlockKind::Code);
        assert_eq!(b[2].sentences.len(), 2);
        assert_eq!(&body[b[2].sentences[0].span.clone()], "indented();");
    }

    #[test]
    fn pipe_tables_are_read_by_row() {
        // Synthetic release-schedule-style table.
        let body = "Intro.\n\n| Name | Value |\n|------|------:|\n| Daily values | numerator |\n| `code` | 2 |\n\nAfter.\n";
        let b = blocks(body);
        assert_eq!(b.len(), 3);
        assert_eq!(b[1].kind, BlockKind::Table);
        let rows: Vec<&str> = b[1].sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            rows,
            vec!["Name | Value", "Daily values | numerator", "code | 2"]
        );
        assert_eq!(
            &body[b[1].sentences[1].span.clone()],
            "| Daily values | numerator |"
        );
        assert_eq!(table_cells(rows[1]), vec!["Daily values", "numerator"]);
        assert_eq!(b[2].sentences[0].text, "After.");
    }

    #[test]
    fn html_comments_are_no_block_and_html_is_markup() {
        // Synthetic, shaped like the corpus' markdownlint comments and figures.
        // A `<div>` holding text is read as prose; a wrapper line alone is markup.
        let body = "<!-- markdownlint-disable -->\n\nText here.\n\n<figure>\n  <img src=\"a.png\" alt=\"A chart\">\n</figure>\n\n<div class=\"note\">\nA note.\n</div>\n\nTail <!-- inline --> words.\n\n<div class=\"wrapper\">\n\n";
        let b = blocks(body);
        let kinds: Vec<BlockKind> = b.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Paragraph,
                BlockKind::Figure,
                BlockKind::Paragraph,
                BlockKind::Paragraph,
                BlockKind::Html
            ]
        );
        assert_eq!(&body[b[2].sentences[0].span.clone()], "A note.");
        assert_eq!(b[1].sentences[0].text, "Image: A chart (a.png)");
        assert_eq!(b[2].sentences[0].text, "A note.");
        assert_eq!(b[3].sentences[0].text, "Tail words.");
        for block in &b {
            for s in &block.sentences {
                assert!(!s.text.contains("<!--"), "{}", s.text);
            }
        }
    }

    #[test]
    fn prose_inside_html_is_read_as_sentences_pointing_into_the_body() {
        // Cut from ../shared/corpus/opensource-guide-legal (a pull quote, link shortened).
        let body = "Intro.\n\n<aside markdown=\"1\" class=\"pquote\">\n  <img src=\"https://avatars.githubusercontent.com/benbalter?s=180\" class=\"pquote-avatar\" alt=\"avatar\">\n  A standardized license serves as a proxy for those without legal training to know precisely what they can and can't do with the software. Unless absolutely required, avoid custom, modified, or non-standard terms.\n  <p markdown=\"1\" class=\"pquote-credit\">\n— @benbalter, &quot;Everything a government attorney needs to know&quot;\n  </p>\n</aside>\n";
        let b = blocks(body);
        let kinds: Vec<BlockKind> = b.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Paragraph,
                BlockKind::Figure,
                BlockKind::Paragraph,
                BlockKind::Paragraph
            ]
        );
        assert_eq!(
            b[1].sentences[0].text,
            "Image: avatar (https://avatars.githubusercontent.com/benbalter?s=180)"
        );
        let quote: Vec<&str> = b[2].sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            quote,
            [
                "A standardized license serves as a proxy for those without legal training to know precisely what they can and can't do with the software.",
                "Unless absolutely required, avoid custom, modified, or non-standard terms."
            ]
        );
        for s in &b[2].sentences {
            assert_eq!(&body[s.span.clone()], s.text, "spans point into the body");
        }
        // Entities are decoded in the text; the span covers the source.
        let credit = &b[3].sentences[0];
        assert_eq!(
            credit.text,
            "— @benbalter, \"Everything a government attorney needs to know\""
        );
        assert_eq!(
            &body[credit.span.clone()],
            "— @benbalter, &quot;Everything a government attorney needs to know&quot;"
        );
    }

    #[test]
    fn details_are_prose_and_scripts_styles_and_breaks_stay_markup() {
        // Synthetic.
        let body = "<details>\n<summary>Why it matters</summary>\nThe fee is $5 per month.\n</details>\n\n<script>\nvar note = \"Not prose at all here\";\n</script>\n\n<style>\np { color: red; } /* words words words */\n</style>\n\n<br>\n\n<div><span>Mixed</span> <script>var a = 'b c d';</script></div>\n";
        let b = blocks(body);
        let kinds: Vec<BlockKind> = b.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Paragraph,
                BlockKind::Paragraph,
                BlockKind::Html,
                BlockKind::Html,
                BlockKind::Html,
                BlockKind::Html
            ]
        );
        assert_eq!(b[0].sentences[0].text, "Why it matters");
        assert_eq!(b[1].sentences[0].text, "The fee is $5 per month.");
    }

    #[test]
    fn multi_line_img_after_a_paragraph_line_is_a_figure() {
        // Synthetic: `<img` without `>` on its line cannot start an HTML block, so it
        // is inline HTML in a paragraph of its own.
        let body = "Text.\n\n<img\n  src=\"chart.png\"\n  alt=\"Checks by month\">\n";
        let b = blocks(body);
        assert_eq!(b.len(), 2);
        assert_eq!(b[1].kind, BlockKind::Figure);
        assert_eq!(b[1].sentences[0].text, "Image: Checks by month (chart.png)");
    }

    #[test]
    fn html_tables_are_table_blocks_by_row() {
        // Cut from ../shared/corpus/jekyll-permalinks/0030_*.md (shortened).
        let body = "Intro.\n\n<div class=\"mobile-side-scroller\">\n<table>\n  <thead>\n    <tr>\n      <th>Variable</th>\n      <th>Description</th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n      <td>\n        <p><code>year</code></p>\n      </td>\n      <td>\n        <p>Year from the post's filename.</p>\n      </td>\n    </tr>\n  </tbody>\n</table>\n</div>\n";
        let b = blocks(body);
        assert_eq!(b.len(), 2);
        assert_eq!(b[1].kind, BlockKind::Table);
        let rows: Vec<&str> = b[1].sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            rows,
            vec![
                "Variable | Description",
                "year | Year from the post's filename."
            ]
        );
    }

    #[test]
    fn liquid_tags_are_markup_not_prose() {
        // Shapes cut from ../shared/corpus/jekyll-permalinks (raw blocks and links).
        let body = "{% raw %}\n\nSee the [Configuration]({% link _docs/configuration.md %}) file.\n\nUse {% include x.html %} here.\n\nWrite `{% raw %}` first.\n";
        let b = blocks(body);
        assert_eq!(b[0].kind, BlockKind::Html);
        assert_eq!(b[1].sentences[0].text, "See the Configuration file.");
        assert_eq!(b[2].sentences[0].text, "Use here.");
        // In inline code the tag is the subject: kept.
        assert_eq!(b[3].sentences[0].text, "Write {% raw %} first.");
        assert!(b[2].sentences[0].span.end <= body.len());
    }

    #[test]
    fn inline_code_and_urls_never_end_a_sentence() {
        // Synthetic.
        let body = "Match `a?b` or `c. D` first. Then see https://example.com/a.b?c=D! Or <https://x.org/Y?Z> too. End.\n";
        let b = blocks(body);
        let texts: Vec<&str> = b[0].sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Match a?b or c. D first.",
                "Then see https://example.com/a.b?c=D!",
                "Or https://x.org/Y?Z too.",
                "End."
            ]
        );
    }

    #[test]
    fn a_body_opening_with_yaml_front_matter_has_no_sentence_from_it() {
        // Shape of ../shared/corpus/jekyll-permalinks (front matter), e.g. stored by an
        // older redline that kept it in the body.
        let body = "---\ntitle: Permalinks\npermalink: /docs/permalinks/\n---\n\nPermalinks refer to URLs.\n";
        let s = outline(body);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].heading, None);
        let texts: Vec<&str> = s[0]
            .blocks
            .iter()
            .flat_map(|b| &b.sentences)
            .map(|x| x.text.as_str())
            .collect();
        assert_eq!(texts, vec!["Permalinks refer to URLs."]);
    }

    #[test]
    fn paragraphs_of_markdown_images_are_figures() {
        // Cut from ../shared/corpus/buzzfeed-nics-readme/0100_*.md (the two charts).
        let body = "Text first.\n\n![Monthly NICS Background Check Totals Since Nov. 1998](charts/total-checks-all.png)\n\n![NICS Background Check Totals — Past 36 Months](charts/total-checks-36-months.png)\n\nSee ![icon](i.png) inline.\n";
        let b = blocks(body);
        let kinds: Vec<BlockKind> = b.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Paragraph,
                BlockKind::Figure,
                BlockKind::Figure,
                BlockKind::Paragraph
            ]
        );
        assert_eq!(
            b[1].sentences[0].text,
            "Image: Monthly NICS Background Check Totals Since Nov. 1998 (charts/total-checks-all.png)"
        );
        assert!(body[b[1].span.clone()].starts_with("![Monthly"));
        assert_eq!(b[3].sentences[0].text, "See icon inline.");
        let imgs = images(&body[b[2].span.clone()]);
        assert_eq!(imgs.len(), 1);
        assert_eq!(
            imgs[0].src.as_deref(),
            Some("charts/total-checks-36-months.png")
        );
        assert_eq!(
            imgs[0].alt.as_deref(),
            Some("NICS Background Check Totals — Past 36 Months")
        );
    }

    #[test]
    fn heading_ids_and_kramdown_markers_are_not_text() {
        // Cut from ../shared/corpus/jekyll-permalinks (heading ids) and
        // ../shared/corpus/opensource-guide-legal (`{:toc}`).
        let body = "## Built-in permalink styles {#builtinpermalinkstyles}\n\nText. {: .note}\n\n## Costs {in £}\n\n* TOC\n{:toc}\n";
        let s = outline(body);
        assert_eq!(s[0].heading.as_deref(), Some("Built-in permalink styles"));
        assert_eq!(s[0].blocks[0].sentences[0].text, "Text.");
        assert_eq!(s[1].heading.as_deref(), Some("Costs {in £}"));
        assert_eq!(s[1].blocks[0].sentences[0].text, "TOC");
    }

    #[test]
    fn hostile_bodies_outline_in_linear_time() {
        // Synthetic: openers without closers, many times over.
        for unit in ["]({%", "`{:", "`{:}`", "http", "<img \"", "{% x %}"] {
            let body = unit.repeat(50_000);
            let _ = outline(&body);
        }
    }

    #[test]
    fn template_link_destinations_become_parseable() {
        assert_eq!(
            template_links_parseable("[a]({% link x.md %}) [b]({{ site.url }}/y) [c](z)"),
            "[a]({%_link_x.md_%}) [b]({{_site.url_}}/y) [c](z)"
        );
        assert_eq!(
            template_links_parseable("[a]({% open\n%})"),
            "[a]({% open\n%})"
        );
    }

    #[test]
    fn link_targets_are_listed() {
        assert_eq!(
            link_targets("See [a](https://a.org) and ![b](b.png)."),
            vec!["https://a.org", "b.png"]
        );
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
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The shortcut for the commonest window gives UAX#29's breaks, or declines.
        #[test]
        fn common_window_shortcut_matches_uax29(window in "(é|a|A|1|\\.|,|\\)|\\]|\\(|\"|'|’|”| |-|:|…|\u{a0}|\n|\r|\u{2028}|\u{85})?[.!?;a]([)\"'(”’]{0,2})( {0,2}|\u{a0}|\t)([a-zA-Zé1(]){0,2}") {
            if let Some(answer) = common_window_break(&window) {
                let full: Vec<usize> = window
                    .split_sentence_bound_indices()
                    .map(|(i, _)| i)
                    .filter(|&i| i > 0)
                    .collect();
                proptest::prop_assert_eq!(answer.into_iter().collect::<Vec<_>>(), full);
            }
        }
    }

    #[test]
    fn common_window_shortcut_fires_on_plain_prose() {
        for (window, answer) in [
            ("a. B", Some(Some(3))),
            ("d.\"  T", Some(Some(5))),
            ("g. t", Some(None)),
            ("s! b", Some(Some(3))),
            ("é? B", Some(Some(4))),
            ("a.B", None),
            ("a.. B", None),
            ("a. 5", None),
        ] {
            assert_eq!(common_window_break(window), answer, "{window}");
            if let Some(answer) = answer {
                let full: Vec<usize> = window
                    .split_sentence_bound_indices()
                    .map(|(i, _)| i)
                    .filter(|&i| i > 0)
                    .collect();
                assert_eq!(answer.into_iter().collect::<Vec<_>>(), full, "{window}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// The one-buffer rewrite keeps every non-terminator and replaces each
        /// terminator byte for byte (offsets unchanged), as the per-character one did.
        #[test]
        fn without_terminators_keeps_offsets(text in "([a-z]|[.!?\n\r]|é|…|“|’| ){0,30}") {
            let expected: String = text.chars().map(|c| {
                if matches!(c, '.' | '!' | '?' | '\n' | '\r')
                    || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace()) {
                    "x".repeat(c.len_utf8())
                } else {
                    c.to_string()
                }
            }).collect();
            proptest::prop_assert_eq!(without_terminators(&text), expected);
        }

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

        /// The byte-level quote tracking agrees with the character walk it replaced,
        /// asked at increasing character boundaries.
        #[test]
        fn quote_depth_matches_character_walk(
            text in "([a-z]{1,3}| |\"|“|”|‘|’|—|é|\u{201e}){0,30}",
            cuts in proptest::collection::vec(0usize..100, 0..8),
        ) {
            let mut at: Vec<usize> = cuts
                .into_iter()
                .map(|c| c.min(text.len()))
                .filter(|&c| text.is_char_boundary(c))
                .collect();
            at.sort_unstable();
            let walk = |end: usize| {
                let (mut open, mut closes_seen, mut straight_seen) = (0usize, 0, 0);
                for c in text[..end].chars() {
                    match c {
                        '“' => open += 1,
                        '”' => {
                            open = open.saturating_sub(1);
                            closes_seen += 1;
                        }
                        '"' => straight_seen += 1,
                        _ => {}
                    }
                }
                let closes_left = text.matches('”').count() - closes_seen;
                let straight_total = text.matches('"').count();
                (open > 0 && closes_left > 0)
                    || (straight_total % 2 == 0 && straight_seen % 2 == 1)
            };
            let mut quotes = QuoteDepth::new(&text);
            for end in at {
                proptest::prop_assert_eq!(quotes.inside_at(end), walk(end), "at {}", end);
            }
        }

        /// The byte-level character test agrees with `str::contains` on characters.
        #[test]
        fn any_char_matches_contains(text in "([a-z]{1,3}| |\\.|\n|\t|\u{1}|…|“|é|\u{a0}|\u{2028}|€){0,20}") {
            let ascii = |b: u8| b == b'.' || b.is_ascii_control();
            let other = |c: char| !c.is_alphanumeric();
            let by_char = text.contains(|c: char| if c.is_ascii() { ascii(c as u8) } else { other(c) });
            proptest::prop_assert_eq!(any_char(&text, ascii, other), by_char);
        }

        /// The already-collapsed shortcut agrees with splitting into words, and
        /// says "collapsed" exactly when the text is its own collapsed form.
        #[test]
        fn collapse_shortcut_is_exact(text in "([a-z’]{1,9}| |  |\t|\n|\r|\u{b}|\u{c}|\u{7f}|~|!|\u{a0}|\u{2003}|\u{85}){0,24}") {
            let words: Vec<&str> = text.split_whitespace().collect();
            proptest::prop_assert_eq!(collapse_whitespace(&text), words.join(" "));
            proptest::prop_assert_eq!(is_collapsed(&text), text.is_empty() || text == words.join(" "));
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
