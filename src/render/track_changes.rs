//! Track changes: the newest text rendered as Markdown, with the changes since
//! an older version marked inside the rendered blocks.
//!
//! How: the diff's lossless span list is laid end to end into one *combined*
//! text (the new body with each deleted run at its old place), remembering which
//! byte range came from which span. pulldown-cmark parses the combined text once
//! with source offsets; every text event is cut at span boundaries into equal,
//! inserted and deleted pieces. So headings stay headings, tables stay tables,
//! and `<ins>`/`<del>` only ever sit inside the element a text event belongs to:
//! a change that crosses blocks is split per block by construction.
//!
//! The diff keeps a changed sentence or table whole when it found no anchor
//! inside it, so a run of deletions and insertions that spans lines is first
//! refined here for display: line by line, changed lines word-diffed when
//! alike, else shown whole, old lines before new ones. Laid end to end unrefined, a deleted line and its replacement
//! would merge blocks (a new paragraph read as part of a deleted list item) or
//! split them (a heading's new tail on a line of its own); refined, an edited
//! table row stays one row and shows "3pm 4pm" instead of the table twice.
//! Still lossless: equal + deleted is the old body, equal + inserted the new.
//!
//! The result is a flat list of [`Node`]s (open an element, text piece, close)
//! that `templates/tracked.html` writes out; askama escapes every text and URL.
//! Raw HTML in the Markdown is shown as text (as on the explainer page), links
//! keep only URLs [`super::is_safe_url`] accepts, and an image shows its alt text.

use std::ops::Range;
use std::time::Duration;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use similar::{ChangeTag, TextDiff};

use crate::diff::{Span, SpanOp};

/// The marked-up text of a track-changes page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TrackedText {
    /// Elements and text pieces, in document order.
    pub nodes: Vec<Node>,
}

/// One step of the rendered text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    /// Open an element.
    Open(Element),
    /// Close the element of this name.
    Close(&'static str),
    /// An element without content (`br`, `hr`).
    Void(&'static str),
    /// Text, possibly inserted or deleted.
    Text(TrackedPiece),
}

/// An element the page writes; names are fixed here, never taken from content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    /// Element name.
    pub tag: &'static str,
    /// CSS class, or empty.
    pub class: &'static str,
    /// Link target (only URLs a reader's browser may safely follow).
    pub href: Option<String>,
    /// First number of an ordered list that does not start at 1.
    pub start: Option<u64>,
}

/// A run of text with one change status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TrackedPiece {
    /// The text (escaped by the template).
    pub text: String,
    /// Only in the newer version.
    pub ins: bool,
    /// Only in the older version.
    pub del: bool,
    /// Starts a change: carries the screen-reader words "inserted:" / "deleted:".
    pub label: bool,
    /// A deletion and an insertion meet here without whitespace: the template
    /// puts a space between them so "3pm" → "4pm" does not read "3pm4pm".
    pub gap: bool,
}

impl Node {
    /// The element opened here, if any (for the template).
    pub(crate) fn opened(&self) -> Option<&Element> {
        match self {
            Node::Open(element) => Some(element),
            _ => None,
        }
    }

    /// The name of the element closed here, if any.
    pub(crate) fn closed(&self) -> Option<&'static str> {
        match self {
            Node::Close(tag) => Some(tag),
            _ => None,
        }
    }

    /// The name of the empty element written here, if any.
    pub(crate) fn void(&self) -> Option<&'static str> {
        match self {
            Node::Void(tag) => Some(tag),
            _ => None,
        }
    }

    /// The text piece, if any.
    pub(crate) fn piece(&self) -> Option<&TrackedPiece> {
        match self {
            Node::Text(piece) => Some(piece),
            _ => None,
        }
    }
}

impl TrackedText {
    /// Render the span list of a diff (equal + insert rebuild the new body).
    pub(crate) fn new(spans: &[Span]) -> TrackedText {
        let spans = refined(spans);
        let mut combined = String::new();
        let mut ranges = Vec::with_capacity(spans.len());
        for span in spans.iter().filter(|s| !s.text.is_empty()) {
            let start = combined.len();
            combined.push_str(&span.text);
            ranges.push((start..combined.len(), span.op));
        }
        let mut builder = Builder {
            combined: &combined,
            ranges,
            nodes: Vec::new(),
            open: Vec::new(),
            in_table_head: false,
        };
        for (event, range) in Parser::new_ext(&combined, options()).into_offset_iter() {
            builder.event(event, range);
        }
        // A well-formed event stream closes everything; this only guards the page.
        while let Some(elements) = builder.open.pop() {
            builder
                .nodes
                .extend(elements.into_iter().rev().map(Node::Close));
        }
        TrackedText {
            nodes: finish(builder.nodes),
        }
    }
}

/// How long one refinement diff may take before similar approximates: a
/// page is built for every since date, so a huge rewrite must not stall a build.
const REFINE_TIMEOUT: Duration = Duration::from_millis(50);

/// Below this share of common words a replaced line is shown whole, deleted
/// then inserted: a word-by-word interleaving of unrelated text is unreadable.
const WORD_DIFF_MIN_SHARE: f32 = 0.5;

/// The spans with each run of deletions and insertions that spans lines
/// re-diffed line by line, for display (a run inside one line is kept as the
/// diff gave it).
fn refined(spans: &[Span]) -> Vec<Span> {
    let mut out = Vec::with_capacity(spans.len());
    let (mut deleted, mut inserted) = (String::new(), String::new());
    for span in spans {
        match span.op {
            SpanOp::Delete => deleted.push_str(&span.text),
            SpanOp::Insert => inserted.push_str(&span.text),
            SpanOp::Equal => {
                flush_run(&deleted, &inserted, &mut out);
                deleted.clear();
                inserted.clear();
                push(&mut out, SpanOp::Equal, &span.text);
            }
        }
    }
    flush_run(&deleted, &inserted, &mut out);
    out
}

fn flush_run(deleted: &str, inserted: &str, out: &mut Vec<Span>) {
    let one_line = !deleted.contains('\n') && !inserted.contains('\n');
    if deleted.is_empty() || inserted.is_empty() || one_line {
        push(out, SpanOp::Delete, deleted);
        push(out, SpanOp::Insert, inserted);
        return;
    }
    let lines = TextDiff::configure()
        .timeout(REFINE_TIMEOUT)
        .diff_lines(deleted, inserted);
    for op in lines.ops() {
        let (mut old, mut new) = (Vec::new(), Vec::new());
        for change in lines.iter_changes(op) {
            match change.tag() {
                ChangeTag::Equal => push(out, SpanOp::Equal, change.value()),
                ChangeTag::Delete => old.push(change.value()),
                ChangeTag::Insert => new.push(change.value()),
            }
        }
        let mid_line = out.last().is_some_and(|s| !s.text.ends_with('\n'));
        replace_lines(&old, &new, mid_line, out);
    }
}

/// A group of old lines replaced by new ones. Table rows with as many cells
/// are diffed cell by cell and lines that are alike word by word, pair by
/// pair (an edited table row stays one row); the others
/// are shown whole, old lines then new lines, each on its own line, so a
/// replaced paragraph or code line never runs into its replacement (a new
/// `### heading` after an old paragraph stays a heading). Two lines share a
/// line only where the text around them does: the first pair when the group
/// starts inside a line (`mid_line`: a heading's replaced tail stays in the
/// heading) and the last lines shown whole when both end inside one.
fn replace_lines(old: &[&str], new: &[&str], mid_line: bool, out: &mut Vec<Span>) {
    let (mut old, mut new) = (old, new);
    if mid_line {
        if let (Some((o, old_rest)), Some((n, new_rest))) = (old.split_first(), new.split_first()) {
            replace_line(o, n, out);
            (old, new) = (old_rest, new_rest);
        }
    }
    let (mut deleted, mut inserted) = (String::new(), String::new());
    for (o, n) in old.iter().zip(new) {
        if row_compatible(o, n) || (!rows_differ(o, n) && alike(o, n)) {
            push(out, SpanOp::Delete, &std::mem::take(&mut deleted));
            push(out, SpanOp::Insert, &std::mem::take(&mut inserted));
            pair_diff(o, n, out);
        } else {
            deleted.push_str(o);
            inserted.push_str(n);
        }
    }
    let paired = old.len().min(new.len());
    for o in old.get(paired..).unwrap_or_default() {
        deleted.push_str(o);
    }
    for n in new.get(paired..).unwrap_or_default() {
        inserted.push_str(n);
    }
    // Both sides end inside a line: their last lines lead into the same text.
    let last_line = |text: &str| text.rfind('\n').map_or(0, |i| i + 1);
    let open_ended = !deleted.is_empty()
        && !inserted.is_empty()
        && !deleted.ends_with('\n')
        && !inserted.ends_with('\n');
    if open_ended {
        let (old_lines, old_last) = deleted.split_at(last_line(&deleted));
        let (new_lines, new_last) = inserted.split_at(last_line(&inserted));
        push(out, SpanOp::Delete, old_lines);
        push(out, SpanOp::Insert, new_lines);
        replace_line(old_last, new_last, out);
    } else {
        push(out, SpanOp::Delete, &deleted);
        push(out, SpanOp::Insert, &inserted);
    }
}

/// One line replaced by another on the same line: cell by cell or word by
/// word when alike, else the old text then the new. Table rows with different
/// cells are never joined: one row holding both would have more cells than
/// its table, and GFM drops the excess.
fn replace_line(old: &str, new: &str, out: &mut Vec<Span>) {
    let rows_differ = rows_differ(old, new);
    if row_compatible(old, new) || (!rows_differ && alike(old, new)) {
        pair_diff(old, new, out);
        return;
    }
    match (old.strip_suffix('\n'), new.strip_suffix('\n')) {
        (Some(o), Some(n)) if !rows_differ => {
            push(out, SpanOp::Delete, o);
            push(out, SpanOp::Insert, n);
            push(out, SpanOp::Equal, "\n");
        }
        _ => {
            push(out, SpanOp::Delete, old);
            push(out, SpanOp::Insert, new);
        }
    }
}

/// Whether two lines are worth a word diff: they share at least half their words.
fn alike(old: &str, new: &str) -> bool {
    let words = TextDiff::configure()
        .timeout(REFINE_TIMEOUT)
        .diff_words(old, new);
    let is_word = |w: &&str| !w.trim().is_empty();
    let common = words
        .iter_all_changes()
        .filter(|c| c.tag() == ChangeTag::Equal && is_word(&c.value()))
        .count();
    let total = words.iter_old_slices().filter(is_word).count()
        + words.iter_new_slices().filter(is_word).count();
    total > 0 && (2 * common) as f32 >= WORD_DIFF_MIN_SHARE * total as f32
}

/// Two table rows (or lines with `|`) with as many cells: diffed cell by cell,
/// so a change never moves a pipe and the row keeps its cells.
fn row_compatible(old: &str, new: &str) -> bool {
    let cells_old = cells(old).len();
    cells_old > 1 && cells_old == cells(new).len()
}

/// Two table rows with different numbers of cells: shown as two rows, since
/// any merge of them can hold more cells than the table (GFM drops the excess).
fn rows_differ(old: &str, new: &str) -> bool {
    let (cells_old, cells_new) = (cells(old).len(), cells(new).len());
    cells_old > 1 && cells_new > 1 && cells_old != cells_new
}

/// Diff two paired lines: cell by cell when [`row_compatible`], else by words.
fn pair_diff(old: &str, new: &str, out: &mut Vec<Span>) {
    if row_compatible(old, new) {
        for (i, (o, n)) in cells(old).into_iter().zip(cells(new)).enumerate() {
            if i > 0 {
                push(out, SpanOp::Equal, "|");
            }
            word_diff(o, n, out);
        }
    } else {
        word_diff(old, new, out);
    }
}

/// The text between a line's unescaped `|` (the pipes left out, so joining the
/// cells with `|` gives the line back).
fn cells(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, c) in line.char_indices() {
        if c == '|' && !escaped {
            out.push(line.get(start..i).unwrap_or_default());
            start = i + 1;
        }
        escaped = c == '\\' && !escaped;
    }
    out.push(line.get(start..).unwrap_or_default());
    out
}

fn word_diff(old: &str, new: &str, out: &mut Vec<Span>) {
    let words = TextDiff::configure()
        .timeout(REFINE_TIMEOUT)
        .diff_words(old, new);
    for change in words.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => SpanOp::Equal,
            ChangeTag::Delete => SpanOp::Delete,
            ChangeTag::Insert => SpanOp::Insert,
        };
        push(out, op, change.value());
    }
}

/// Append text as a span, joined to the last one when of the same kind.
fn push(out: &mut Vec<Span>, op: SpanOp, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => out.push(Span {
            op,
            text: text.to_string(),
        }),
    }
}

/// Markdown as the explainer page reads it, plus front matter (`---` / `+++`)
/// recognised as metadata so it is shown as such, not as rules and headings.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

struct Builder<'a> {
    combined: &'a str,
    /// Byte range of each span in `combined`, in order, contiguous.
    ranges: Vec<(Range<usize>, SpanOp)>,
    nodes: Vec<Node>,
    /// Elements opened by each unclosed Markdown tag.
    open: Vec<Vec<&'static str>>,
    /// Cells of a table's head row are `th`.
    in_table_head: bool,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(end) => {
                if end == TagEnd::TableHead {
                    self.in_table_head = false;
                }
                if let Some(elements) = self.open.pop() {
                    self.nodes
                        .extend(elements.into_iter().rev().map(Node::Close));
                }
            }
            // Raw HTML is content to read, not markup to run.
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                self.text(&text, range)
            }
            Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.nodes.push(Node::Open(element("code")));
                self.text(&text, range);
                self.nodes.push(Node::Close("code"));
            }
            Event::FootnoteReference(_) => {
                let source = self.combined.get(range.clone()).unwrap_or_default();
                self.text(source, range);
            }
            Event::SoftBreak => self.text("\n", range),
            Event::HardBreak => self.nodes.push(Node::Void("br")),
            Event::Rule => self.nodes.push(Node::Void("hr")),
            Event::TaskListMarker(done) => {
                self.text(if done { "[x] " } else { "[ ] " }, range);
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let elements = match tag {
            Tag::Paragraph => vec![element("p")],
            // The page title is the h1, so body headings start at h2.
            Tag::Heading { level, .. } => vec![element(match level {
                HeadingLevel::H1 | HeadingLevel::H2 => "h2",
                HeadingLevel::H3 => "h3",
                HeadingLevel::H4 => "h4",
                HeadingLevel::H5 => "h5",
                HeadingLevel::H6 => "h6",
            })],
            Tag::BlockQuote(_) => vec![element("blockquote")],
            Tag::CodeBlock(_) => vec![element("pre"), element("code")],
            Tag::HtmlBlock => vec![classed("div", "raw-html")],
            Tag::MetadataBlock(_) => vec![classed("pre", "metadata")],
            Tag::List(Some(first)) => vec![Element {
                start: (first != 1).then_some(first),
                ..element("ol")
            }],
            Tag::List(None) => vec![element("ul")],
            Tag::Item => vec![element("li")],
            Tag::FootnoteDefinition(_) => vec![classed("div", "footnote")],
            Tag::DefinitionList => vec![element("dl")],
            Tag::DefinitionListTitle => vec![element("dt")],
            Tag::DefinitionListDefinition => vec![element("dd")],
            // Wide tables scroll inside their box instead of widening a phone page.
            Tag::Table(_) => vec![classed("div", "table-wrap"), element("table")],
            Tag::TableHead => {
                self.in_table_head = true;
                vec![element("thead"), element("tr")]
            }
            Tag::TableRow => vec![element("tr")],
            Tag::TableCell => vec![element(if self.in_table_head { "th" } else { "td" })],
            Tag::Emphasis => vec![element("em")],
            Tag::Strong => vec![element("strong")],
            // Not `del`: on this page `del` means "removed since".
            Tag::Strikethrough => vec![element("s")],
            Tag::Superscript => vec![element("sup")],
            Tag::Subscript => vec![element("sub")],
            Tag::Link { dest_url, .. } => vec![Element {
                href: super::is_safe_url(&dest_url).then(|| dest_url.to_string()),
                ..element("a")
            }],
            Tag::Image { .. } => vec![classed("span", "image")],
        };
        self.open
            .push(elements.iter().map(|element| element.tag).collect());
        self.nodes.extend(elements.into_iter().map(Node::Open));
    }

    /// Text an event shows for the source bytes `range`, cut where spans change.
    fn text(&mut self, text: &str, range: Range<usize>) {
        if text.is_empty() {
            return;
        }
        let source = self.combined.get(range.clone()).unwrap_or_default();
        // Most text is its source verbatim; in code spans and indented code it
        // is a part of it. Either way the text's own bytes say which span it is in.
        let located = if source == text {
            Some(range.start)
        } else {
            source.find(text).map(|offset| range.start + offset)
        };
        match located {
            Some(start) => {
                let end = start + text.len();
                let first = self.ranges.partition_point(|(r, _)| r.end <= start);
                for (span, op) in self.ranges.get(first..).unwrap_or_default() {
                    if span.start >= end {
                        break;
                    }
                    let cut = span.start.max(start)..span.end.min(end);
                    if let Some(part) = self.combined.get(cut) {
                        push_piece(&mut self.nodes, part, *op);
                    }
                }
            }
            None => self.transformed_text(text, range),
        }
    }

    /// Text that differs from its source (`&amp;` shows "&", `\*` shows "*", a
    /// code span's line break shows as a space): each character takes the span
    /// of the next source character it matches; one that matches none (a
    /// numeric entity) takes its predecessor's.
    fn transformed_text(&mut self, text: &str, range: Range<usize>) {
        let mut position = range.start;
        let mut op = self.op_at(range.start);
        let mut run = String::new();
        let mut run_op = op;
        for c in text.chars() {
            let rest = self.combined.get(position..range.end).unwrap_or_default();
            let found = rest
                .char_indices()
                .find(|&(_, s)| s == c || (c == ' ' && s.is_whitespace()));
            if let Some((offset, s)) = found {
                op = self.op_at(position + offset);
                position += offset + s.len_utf8();
            }
            if op != run_op && !run.is_empty() {
                push_piece(&mut self.nodes, &std::mem::take(&mut run), run_op);
            }
            run_op = op;
            run.push(c);
        }
        if !run.is_empty() {
            push_piece(&mut self.nodes, &run, run_op);
        }
    }

    /// The operation of the span holding byte `at`.
    fn op_at(&self, at: usize) -> SpanOp {
        let index = self.ranges.partition_point(|(r, _)| r.end <= at);
        self.ranges.get(index).map_or(SpanOp::Equal, |(_, op)| *op)
    }
}

fn element(tag: &'static str) -> Element {
    Element {
        tag,
        class: "",
        href: None,
        start: None,
    }
}

fn classed(tag: &'static str, class: &'static str) -> Element {
    Element {
        class,
        ..element(tag)
    }
}

/// Add a piece of text; a whitespace-only change (re-wrapping) is shown plainly:
/// marking an invisible change tells the reader nothing.
fn push_piece(nodes: &mut Vec<Node>, text: &str, op: SpanOp) {
    let changed = !text.trim().is_empty();
    nodes.push(Node::Text(piece(
        text,
        changed && op == SpanOp::Insert,
        changed && op == SpanOp::Delete,
    )));
}

fn piece(text: &str, ins: bool, del: bool) -> TrackedPiece {
    TrackedPiece {
        text: text.to_string(),
        ins,
        del,
        label: false,
        gap: false,
    }
}

/// Elements inside which text flows on: a change label carries across them.
fn is_inline(tag: &str) -> bool {
    matches!(
        tag,
        "em" | "strong" | "s" | "sup" | "sub" | "a" | "code" | "span" | "br"
    )
}

/// Merge neighbouring pieces of the same kind, leave the whitespace at either
/// end of a change unmarked, then mark where each change starts (screen-reader
/// label) and where a deletion meets an insertion (gap).
fn finish(nodes: Vec<Node>) -> Vec<Node> {
    let nodes = unmark_edge_whitespace(merge(nodes));
    let mut nodes = merge(nodes);
    // The kind of the previous piece in the same block, and whether it ended in
    // whitespace.
    let mut previous: Option<(bool, bool, bool)> = None;
    for node in &mut nodes {
        match node {
            Node::Open(Element { tag, .. }) | Node::Close(tag) | Node::Void(tag) => {
                if !is_inline(tag) {
                    previous = None;
                }
            }
            Node::Text(piece) => {
                let changed = piece.ins || piece.del;
                if let Some((ins, del, ends_in_space)) = previous {
                    piece.label = changed && (ins, del) != (piece.ins, piece.del);
                    piece.gap = ((del && piece.ins) || (ins && piece.del))
                        && !ends_in_space
                        && !piece.text.starts_with(char::is_whitespace);
                } else {
                    piece.label = changed;
                }
                previous = Some((
                    piece.ins,
                    piece.del,
                    piece.text.ends_with(char::is_whitespace),
                ));
            }
        }
    }
    nodes
}

/// Join neighbouring text pieces of the same kind.
fn merge(nodes: Vec<Node>) -> Vec<Node> {
    let mut merged: Vec<Node> = Vec::with_capacity(nodes.len());
    for node in nodes {
        match (merged.last_mut(), node) {
            (Some(Node::Text(last)), Node::Text(next))
                if last.ins == next.ins && last.del == next.del =>
            {
                last.text.push_str(&next.text);
            }
            (_, node) => merged.push(node),
        }
    }
    merged
}

/// Where a change begins or ends (its neighbour in the block is of another
/// kind, or there is none), its leading or trailing whitespace is shown
/// plainly: an underlined indentation in code or a struck-out trailing space
/// reads as a change. Inside a change that runs on across an inline element
/// (`<ins>new <code>x</code></ins>`) the space stays marked.
fn unmark_edge_whitespace(nodes: Vec<Node>) -> Vec<Node> {
    let kind = |node: &Node| match node {
        Node::Text(p) => Some((p.ins, p.del)),
        _ => None,
    };
    let breaks_block = |node: &Node| matches!(node, Node::Open(Element { tag, .. }) | Node::Close(tag) | Node::Void(tag) if !is_inline(tag));
    // The kind of the nearest text piece before / after each node within its block.
    let mut before = vec![None; nodes.len()];
    let mut last = None;
    for (i, node) in nodes.iter().enumerate() {
        if breaks_block(node) {
            last = None;
        }
        before[i] = last;
        last = kind(node).or(last);
    }
    let mut after = vec![None; nodes.len()];
    let mut next = None;
    for (i, node) in nodes.iter().enumerate().rev() {
        if breaks_block(node) {
            next = None;
        }
        after[i] = next;
        next = kind(node).or(next);
    }
    let mut out = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.into_iter().enumerate() {
        let Node::Text(piece) = node else {
            out.push(node);
            continue;
        };
        let here = Some((piece.ins, piece.del));
        if !(piece.ins || piece.del) {
            out.push(Node::Text(piece));
            continue;
        }
        let text = piece.text.as_str();
        let start = if before.get(i).copied().flatten() == here {
            0
        } else {
            text.len() - text.trim_start().len()
        };
        let end = if after.get(i).copied().flatten() == here {
            text.len()
        } else {
            text.trim_end().len().max(start)
        };
        let parts = [
            (text.get(..start), false, false),
            (text.get(start..end), piece.ins, piece.del),
            (text.get(end..), false, false),
        ];
        for (part, ins, del) in parts {
            if let Some(part) = part.filter(|p| !p.is_empty()) {
                out.push(Node::Text(TrackedPiece {
                    text: part.to_string(),
                    ins,
                    del,
                    label: false,
                    gap: false,
                }));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
