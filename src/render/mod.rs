//! Render: every human-facing output goes through an askama template in
//! `templates/`. This module turns engine values ([`ChangeSet`], [`Summary`]) into
//! small display views (dates formatted, changes grouped by section, words split
//! into equal/inserted/deleted pieces) and hands those to the templates.
//!
//! Escaping: `.html`/`.xml` templates are escaped by askama; `.md` templates pass
//! every user string through our `md` filter and `.txt` templates through `plain`
//! (see `filters`). The one piece of HTML inserted unescaped is an explainer
//! body rendered by pulldown-cmark with raw HTML turned into text
//! ([`RenderedMarkdown`]); no template uses `|safe`.

pub(crate) mod filters;
/// What the binary's own `.txt` templates and verbatim output need.
pub use filters::{strip_controls, Terminal};
pub(crate) mod track_changes;

use askama::filters::Safe;
use filters::Ansi;

use std::fmt;

use askama::Template;
use chrono::{DateTime, FixedOffset};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag as MarkdownTag};

use crate::diff::{
    Change, ChangeKind, ChangeSet, SectionChange, SectionChangeKind, SectionRef, Span, SpanOp, Tag,
};
use crate::error::Result;
use crate::model::{UpdateKind, Version};
use crate::summary::{BlockGroup, GroupBlock, Highlight, HighlightKind, Summary, Withdrawn};

/// What a diff compares: a title and the two sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffHeader {
    /// The explainer's title (of the newer side).
    pub title: String,
    /// The older side.
    pub old: DiffSide,
    /// The newer side.
    pub new: DiffSide,
}

/// One side of a diff: a stored version, or a file that is not (yet) in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffSide {
    /// How the side is named to the reader: `v3`, or a file name.
    pub label: String,
    /// The stored version, when the side is one (gives date, editor and note).
    pub version: Option<Version>,
}

impl DiffSide {
    /// A stored version.
    pub fn version(version: &Version) -> DiffSide {
        DiffSide {
            label: version.label(),
            version: Some(version.clone()),
        }
    }

    /// A file or other unstored input, named by `label`.
    pub fn file(label: impl Into<String>) -> DiffSide {
        DiffSide {
            label: label.into(),
            version: None,
        }
    }
}

impl DiffHeader {
    /// A diff between two stored versions.
    pub fn between(title: impl Into<String>, old: &Version, new: &Version) -> DiffHeader {
        DiffHeader {
            title: title.into(),
            old: DiffSide::version(old),
            new: DiffSide::version(new),
        }
    }
}

// ---------------------------------------------------------------------------
// Public API: `redline diff` and `redline since` outputs.

/// Terminal text of a diff, grouped by section; ANSI colours when `color`, otherwise
/// `[-deleted-]`/`[+inserted+]` markers so plain text still shows the change.
pub fn diff_text(changes: &ChangeSet, header: &DiffHeader, color: bool) -> Result<String> {
    let view = DiffView::new(changes, header);
    DiffText {
        view: &view,
        style: TextStyle::new(color),
    }
    .render()
    .map_err(crate::error::Error::render)
}

/// Markdown report of a diff (for CI pull-request comments).
pub fn diff_markdown(changes: &ChangeSet, header: &DiffHeader) -> Result<String> {
    let view = DiffView::new(changes, header);
    DiffMarkdown { view: &view }
        .render()
        .map_err(crate::error::Error::render)
}

/// Standalone HTML page of a diff.
pub fn diff_html(changes: &ChangeSet, header: &DiffHeader) -> Result<String> {
    let view = DiffView::new(changes, header);
    diff_page(&view, Chrome::standalone(&header.title), None)
}

/// Terminal text of a "what changed since" summary: about one screen (the top
/// highlights, the latest updates, counts of the rest).
pub fn summary_text(summary: &Summary, color: bool) -> Result<String> {
    summary_text_with(summary, color, Detail::Short)
}

/// Terminal text of a summary at the given detail.
pub fn summary_text_with(summary: &Summary, color: bool, detail: Detail) -> Result<String> {
    let view = SummaryView::with_detail(summary, detail);
    SummaryText {
        view: &view,
        style: TextStyle::new(color),
    }
    .render()
    .map_err(crate::error::Error::render)
}

/// Markdown of a "what changed since" summary, as short as the text one.
pub fn summary_markdown(summary: &Summary) -> Result<String> {
    summary_markdown_with(summary, Detail::Short)
}

/// Markdown of a summary at the given detail.
pub fn summary_markdown_with(summary: &Summary, detail: Detail) -> Result<String> {
    let view = SummaryView::with_detail(summary, detail);
    SummaryMarkdown { view: &view }
        .render()
        .map_err(crate::error::Error::render)
}

/// Standalone HTML page of a "what changed since" summary.
pub fn summary_html(summary: &Summary) -> Result<String> {
    let view = SummaryView::new(summary);
    summary_page(&view, Chrome::standalone(&summary.title), None, None)
}

/// An explainer body rendered to HTML by pulldown-cmark, with any raw HTML in
/// the Markdown turned into visible text. The only way to build one is
/// [`RenderedMarkdown::from_markdown`], so it is the single value templates may
/// insert without escaping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMarkdown(String);

impl RenderedMarkdown {
    /// Render a Markdown body. pulldown-cmark escapes text itself; `Html` and
    /// `InlineHtml` events become `Text` so a `<script>` in an explainer shows as text.
    pub fn from_markdown(body: &str) -> RenderedMarkdown {
        let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
            .map(|event| match event {
                Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
                Event::Start(MarkdownTag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(MarkdownTag::Link {
                    link_type,
                    dest_url: safe_url(dest_url),
                    title,
                    id,
                }),
                Event::Start(MarkdownTag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(MarkdownTag::Image {
                    link_type,
                    dest_url: safe_url(dest_url),
                    title,
                    id,
                }),
                other => other,
            });
        let mut html = String::with_capacity(body.len() + body.len() / 4);
        pulldown_cmark::html::push_html(&mut html, parser);
        RenderedMarkdown(html)
    }

    /// The HTML.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Keep relative URLs and http(s)/mailto ones; anything else (`javascript:`,
/// `data:`) becomes an empty link so an explainer cannot run script in the site.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    if is_safe_url(&url) {
        url
    } else {
        CowStr::Borrowed("")
    }
}

/// A URL a reader's browser may follow: relative, or http, https or mailto.
pub(crate) fn is_safe_url(url: &str) -> bool {
    let url = url.trim();
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(pos) if url[pos..].starts_with(':') => {
            let scheme = url[..pos].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => !url.chars().any(|c| c.is_control()),
    }
}

impl fmt::Display for RenderedMarkdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Safe by construction: see [`RenderedMarkdown::from_markdown`].
impl askama::filters::HtmlSafe for RenderedMarkdown {}

// ---------------------------------------------------------------------------
// Page chrome and helpers shared with the site builder.

/// What every HTML page around its content needs: title and relative navigation.
pub(crate) struct Chrome {
    /// `<title>`.
    pub title: String,
    /// Relative link to the site's index page, when part of a site.
    pub home: Option<String>,
    /// Relative link to the explainer's page and its title, when part of a site.
    pub explainer: Option<Crumb>,
    /// Relative link to an Atom feed to advertise.
    pub feed: Option<String>,
    /// Relative link to the site's stylesheet; `None`: the page carries it inline.
    pub stylesheet: Option<String>,
}

/// A navigation link.
pub(crate) struct Crumb {
    /// Relative URL.
    pub href: String,
    /// Link text.
    pub text: String,
}

impl Chrome {
    /// Chrome of a page written on its own (CLI output): no site navigation.
    pub(crate) fn standalone(title: &str) -> Chrome {
        Chrome {
            title: title.to_string(),
            home: None,
            explainer: None,
            feed: None,
            stylesheet: None,
        }
    }
}

/// Render a diff view as an HTML page. `links` are the site page's links,
/// `None` for a standalone page.
pub(crate) fn diff_page(
    view: &DiffView,
    chrome: Chrome,
    links: Option<crate::pages::PageLinks>,
) -> Result<String> {
    DiffHtml {
        chrome,
        view,
        links,
    }
    .render()
    .map_err(crate::error::Error::render)
}

/// Render a summary view as an HTML page; `track_changes` is the href of the
/// same window's track-changes page (used only with `links`).
pub(crate) fn summary_page(
    view: &SummaryView,
    chrome: Chrome,
    links: Option<crate::pages::PageLinks>,
    track_changes: Option<String>,
) -> Result<String> {
    SummaryHtml {
        chrome,
        view,
        links,
        track_changes,
    }
    .render()
    .map_err(crate::error::Error::render)
}

/// "4 March 2025".
pub(crate) fn long_date(t: &DateTime<FixedOffset>) -> String {
    t.format("%-d %B %Y").to_string()
}

/// "2025-03-04": the date part used in site URLs.
pub(crate) fn day(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d").to_string()
}

// ---------------------------------------------------------------------------
// Views: engine values made ready for display.

/// A version as shown to readers.
#[derive(Debug, Clone)]
pub(crate) struct VersionView {
    /// 1-based number.
    pub number: usize,
    /// "v3".
    pub label: String,
    /// "4 March 2025".
    pub date: String,
    /// "2025-03-04".
    pub day: String,
    /// RFC 3339 timestamp.
    pub iso: String,
    /// Editor.
    pub editor: String,
    /// "major" / "minor".
    pub kind: &'static str,
    /// Change note.
    pub note: String,
}

impl VersionView {
    pub(crate) fn new(version: &Version) -> VersionView {
        VersionView {
            number: version.number,
            label: version.label(),
            date: long_date(&version.updated),
            day: day(&version.updated),
            iso: version.updated.to_rfc3339(),
            editor: version.editor.clone(),
            kind: match version.kind {
                UpdateKind::Major => "major",
                UpdateKind::Minor => "minor",
            },
            note: version.note.trim().to_string(),
        }
    }
}

/// A moment a reader asked about.
#[derive(Debug, Clone)]
pub(crate) struct AskedView {
    /// "1 March 2025".
    pub date: String,
    /// RFC 3339 timestamp.
    pub iso: String,
}

impl AskedView {
    /// `None` when the moment falls on the base version's own day, where
    /// naming both would say the same date twice.
    pub(crate) fn new(asked: &DateTime<FixedOffset>, base: &VersionView) -> Option<AskedView> {
        let date = long_date(asked);
        (date != base.date).then(|| AskedView {
            date,
            iso: asked.to_rfc3339(),
        })
    }
}

/// A piece of text: unchanged, inserted or deleted.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    /// The text.
    pub text: String,
    /// Inserted.
    pub ins: bool,
    /// Deleted.
    pub del: bool,
    /// An insertion right after a deletion with no whitespace between them:
    /// the templates put a space there so "post's" → "posts" does not read
    /// "post'sposts" (as the track-changes page does).
    pub gap: bool,
    /// Starts with screen-reader words ("deleted: ", "inserted: ") in HTML:
    /// set inside an edit, where colour alone tells the two apart.
    pub label: bool,
}

impl Piece {
    fn new(op: SpanOp, text: String) -> Piece {
        Piece {
            text,
            ins: op == SpanOp::Insert,
            del: op == SpanOp::Delete,
            gap: false,
            label: false,
        }
    }
}

/// Mark every insertion that directly follows a deletion, with no whitespace
/// at the seam, as needing a gap; label the changed pieces of an edit for
/// screen readers.
fn mark_gaps(pieces: &mut [Piece]) {
    let edit = pieces.len() > 1;
    for piece in pieces.iter_mut() {
        piece.label = edit && (piece.ins || piece.del);
    }
    for i in 1..pieces.len() {
        let Some((before, after)) = pieces.get(i - 1..=i).and_then(|w| w.split_first()) else {
            continue;
        };
        let Some(after) = after.first() else { continue };
        let seam = before.text.ends_with(char::is_whitespace)
            || after.text.starts_with(char::is_whitespace);
        let gap = before.del && after.ins && !seam;
        if let Some(piece) = pieces.get_mut(i) {
            piece.gap = gap;
        }
    }
}

/// Spans as pieces, neighbours of the same kind merged (a word diff can yield
/// whitespace as separate spans).
pub(crate) fn pieces(spans: &[Span]) -> Vec<Piece> {
    let mut out: Vec<(SpanOp, String)> = Vec::new();
    for span in spans {
        if span.text.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some((op, text)) if *op == span.op => text.push_str(&span.text),
            _ => out.push((span.op, span.text.clone())),
        }
    }
    let mut pieces: Vec<Piece> = out
        .into_iter()
        .map(|(op, text)| Piece::new(op, text))
        .collect();
    mark_gaps(&mut pieces);
    pieces
}

/// Name of a diff tag for readers.
fn tag_name(tag: Tag) -> &'static str {
    match tag {
        Tag::Number => "number",
        Tag::Date => "date",
        Tag::Quote => "quote",
        Tag::Attribution => "attribution",
        Tag::Negation => "negation",
        Tag::Name => "name",
    }
}

/// How a section is called when it has no heading.
const LEAD: &str = "Introduction";

/// One sentence-level change for display.
#[derive(Debug, Clone)]
pub(crate) struct ChangeView {
    /// Added, removed, edited or moved (shown as "added", …).
    pub kind: ChangeKind,
    /// One-character sign for text output.
    pub sign: &'static str,
    /// Word-level pieces (edited), or the whole sentence as one piece.
    pub pieces: Vec<Piece>,
    /// The whole sentence is one piece (added/removed/moved): colour it, no inline markers.
    pub whole: bool,
    /// Tags.
    pub tags: Vec<&'static str>,
    /// Punctuation/typography only.
    pub cosmetic: bool,
    /// Section a moved sentence came from.
    pub moved_from: Option<String>,
}

impl ChangeView {
    fn new(change: &Change) -> ChangeView {
        let (pieces, whole) = match change {
            Change::Added { text, .. } => (vec![Piece::new(SpanOp::Insert, text.clone())], true),
            Change::Removed { text, .. } => (vec![Piece::new(SpanOp::Delete, text.clone())], true),
            Change::Moved {
                old_text, new_text, ..
            } => {
                let text = if new_text.is_empty() {
                    old_text
                } else {
                    new_text
                };
                (vec![Piece::new(SpanOp::Equal, text.clone())], true)
            }
            Change::Edited {
                old_text,
                new_text,
                words,
                ..
            } if words.is_empty() => {
                let words = [
                    Span {
                        op: SpanOp::Delete,
                        text: old_text.clone(),
                    },
                    Span {
                        op: SpanOp::Insert,
                        text: " ".to_string() + new_text,
                    },
                ];
                (pieces(&words), false)
            }
            Change::Edited { words, .. } => (pieces(words), false),
        };
        let kind = change.kind();
        let sign = match kind {
            ChangeKind::Added => "+",
            ChangeKind::Removed => "-",
            ChangeKind::Edited => "~",
            ChangeKind::Moved => ">",
        };
        let mut tags: Vec<Tag> = change.tags().to_vec();
        tags.sort();
        tags.dedup();
        ChangeView {
            kind,
            sign,
            pieces,
            whole,
            tags: tags.into_iter().map(tag_name).collect(),
            cosmetic: change.is_cosmetic(),
            moved_from: change.moved_from().map(|from| section_name(from.heading())),
        }
    }
}

fn section_name(section: Option<&str>) -> String {
    section.unwrap_or(LEAD).to_string()
}

/// Changes of one section, in document order.
#[derive(Debug, Clone)]
pub(crate) struct SectionGroup {
    /// Heading ("Introduction" for the lead).
    pub heading: String,
    /// The section is new.
    pub new_section: bool,
    /// Changes.
    pub changes: Vec<ChangeView>,
}

/// Group changes by section, keeping document order (consecutive runs).
fn group<'a>(
    changes: impl Iterator<Item = &'a Change>,
    sections: &[SectionChange],
) -> Vec<SectionGroup> {
    // By section identity, not heading: two sections with one heading are two groups.
    let mut groups: Vec<(&SectionRef, Vec<ChangeView>)> = Vec::new();
    for change in changes {
        match groups.last_mut() {
            Some((section, list)) if *section == change.section() => {
                list.push(ChangeView::new(change))
            }
            _ => groups.push((change.section(), vec![ChangeView::new(change)])),
        }
    }
    groups
        .into_iter()
        .map(|(section, changes)| SectionGroup {
            new_section: section.heading.is_some()
                && sections
                    .iter()
                    .any(|s| s.kind == SectionChangeKind::Added && s.id == section.id),
            heading: section_name(section.heading()),
            changes,
        })
        .collect()
}

/// A section-level change for display.
#[derive(Debug, Clone)]
pub(crate) struct SectionNote {
    /// Added, removed, renamed or moved.
    pub kind: SectionChangeKind,
    /// Old heading.
    pub old: String,
    /// New heading.
    pub new: String,
}

fn section_notes<'a>(sections: impl IntoIterator<Item = &'a SectionChange>) -> Vec<SectionNote> {
    sections
        .into_iter()
        .map(|s| SectionNote {
            kind: s.kind,
            old: section_name(s.old_heading.as_deref()),
            new: section_name(s.new_heading.as_deref()),
        })
        .collect()
}

/// Counts by kind.
#[derive(Debug, Clone, Default)]
pub(crate) struct Counts {
    pub total: usize,
    pub added: usize,
    pub removed: usize,
    pub edited: usize,
    pub moved: usize,
}

impl Counts {
    fn of<'a>(changes: impl Iterator<Item = &'a Change>) -> Counts {
        let mut counts = Counts::default();
        for change in changes {
            counts.total += 1;
            match change.kind() {
                ChangeKind::Added => counts.added += 1,
                ChangeKind::Removed => counts.removed += 1,
                ChangeKind::Edited => counts.edited += 1,
                ChangeKind::Moved => counts.moved += 1,
            }
        }
        counts
    }
}

/// One side of a diff for display.
#[derive(Debug, Clone)]
pub(crate) struct SideView {
    pub label: String,
    pub version: Option<VersionView>,
}

/// A whole diff for display.
#[derive(Debug, Clone)]
pub(crate) struct DiffView {
    pub title: String,
    pub old: SideView,
    pub new: SideView,
    pub counts: Counts,
    pub sections: Vec<SectionNote>,
    pub groups: Vec<SectionGroup>,
    pub coarse: bool,
}

impl DiffView {
    pub(crate) fn new(changes: &ChangeSet, header: &DiffHeader) -> DiffView {
        let side = |s: &DiffSide| SideView {
            label: s.label.clone(),
            version: s.version.as_ref().map(VersionView::new),
        };
        DiffView {
            title: header.title.clone(),
            old: side(&header.old),
            new: side(&header.new),
            counts: Counts::of(changes.changes.iter()),
            sections: section_notes(&changes.sections),
            groups: group(changes.changes.iter(), &changes.sections),
            coarse: changes.coarse,
        }
    }
}

/// A highlight for display.
#[derive(Debug, Clone)]
pub(crate) struct HighlightView {
    /// 1-based rank.
    pub rank: usize,
    /// Reader-facing label of the ranking class and direction ("Claim removed").
    pub label: &'static str,
    /// CSS class of the ranking class.
    pub class: &'static str,
    /// A minor change (class cosmetic), never a highlight.
    pub minor: bool,
    /// Direction: "added", "removed", "edited", "moved".
    pub change: &'static str,
    /// The direction as the first word of a sentence: "Removed in the update of …".
    pub verb: &'static str,
    /// One-character sign for text output.
    pub sign: &'static str,
    /// Section heading.
    pub section: String,
    /// Sections the same change was also made in (collapsed repeats).
    pub also_in: usize,
    /// Verbatim text (word-level pieces for edited sentences; one deleted piece for removals).
    pub pieces: Vec<Piece>,
    /// Speakers named.
    pub speakers: Vec<String>,
    /// Who makes the claim.
    pub claimant: Vec<String>,
    /// Who disputes it.
    pub disputed_by: Vec<String>,
    /// Tags.
    pub tags: Vec<&'static str>,
    /// The update that introduced it.
    pub version: VersionView,
    /// Show the update's change note here: only at the first highlight from
    /// each update, so a long note is not repeated under every quote.
    pub show_note: bool,
    /// Rows of one table or lines of one code block, told as one item.
    pub group: Option<GroupView>,
    /// Each update that made it, oldest first, when there are several (an
    /// edit spread over several updates); empty when one update made it all.
    pub credits: Vec<CreditView>,
}

/// How many word changes of one update a credit line quotes.
const CREDIT_EDITS: usize = 3;

/// The longest word change (in words) a credit line quotes.
const CREDIT_WORDS: usize = 12;

/// One update's part in a highlight: "v12 changed 'thirty' → '32'".
#[derive(Debug, Clone)]
pub(crate) struct CreditView {
    pub version: VersionView,
    /// "added", "changed", "removed", "split off", "joined", "moved", "brought back".
    pub verb: &'static str,
    /// Its word changes: (old words, new words); either may be empty.
    pub edits: Vec<(String, String)>,
    /// Word changes not quoted.
    pub more: usize,
}

impl CreditView {
    fn new(credit: &crate::blame::Credit) -> CreditView {
        use crate::blame::CreditChange;
        let verb = match credit.change {
            CreditChange::Added => "added",
            CreditChange::Restored => "brought back",
            CreditChange::Edited => "changed",
            CreditChange::Split => "split off",
            CreditChange::Merged => "joined",
            CreditChange::Moved => "moved",
            CreditChange::Removed => "removed",
        };
        // Consecutive deletions and insertions are one replacement.
        let mut edits: Vec<(String, String)> = Vec::new();
        let mut open = false;
        for span in &credit.words {
            let text = span.text.split_whitespace().collect::<Vec<_>>().join(" ");
            match span.op {
                SpanOp::Equal => open = false,
                op => {
                    if !open {
                        edits.push((String::new(), String::new()));
                        open = true;
                    }
                    if let Some(last) = edits.last_mut() {
                        let side = if op == SpanOp::Delete {
                            &mut last.0
                        } else {
                            &mut last.1
                        };
                        if !side.is_empty() && !text.is_empty() {
                            side.push(' ');
                        }
                        side.push_str(&text);
                    }
                }
            }
        }
        edits.retain(|(old, new)| !old.is_empty() || !new.is_empty());
        // A rewrite (or a split's other half) is told by the verb alone: a
        // credit line quotes word changes, not whole sentences.
        let long = |t: &str| t.split_whitespace().count() > CREDIT_WORDS;
        if edits.iter().any(|(old, new)| long(old) || long(new)) {
            edits.clear();
        }
        let more = edits.len().saturating_sub(CREDIT_EDITS);
        edits.truncate(CREDIT_EDITS);
        CreditView {
            version: VersionView::new(&credit.version),
            verb,
            edits,
            more,
        }
    }
}

/// How many rows (lines) of a grouped table (code) highlight are quoted.
const GROUP_SAMPLES: usize = 3;

/// A table or code block told as one highlight.
#[derive(Debug, Clone)]
pub(crate) struct GroupView {
    /// "Table" or "Code".
    pub what: &'static str,
    /// "row", "line" or "entry".
    pub unit: &'static str,
    /// Its plural: "rows", "lines", "entries".
    pub units: &'static str,
    /// Non-zero counts with their verbs, removals first: (35, "removed"), (1, "added").
    pub counts: Vec<(usize, &'static str)>,
    /// The first few members: sign and one piece (deleted for a removal).
    pub samples: Vec<(&'static str, Piece)>,
    /// Members not quoted.
    pub more: usize,
}

impl GroupView {
    fn new(group: &BlockGroup) -> GroupView {
        let (what, unit, units) = match group.block {
            GroupBlock::Code => ("Code", "line", "lines"),
            GroupBlock::Table => ("Table", "row", "rows"),
            GroupBlock::Contents => ("Table of contents", "entry", "entries"),
        };
        let counts = [
            (group.removed, "removed"),
            (group.added, "added"),
            (group.edited, "edited"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .collect();
        // The first member of each direction, then the next in document order,
        // so "1 added" always shows what was added.
        let mut chosen: Vec<usize> = Vec::new();
        for change in [ChangeKind::Removed, ChangeKind::Added, ChangeKind::Edited] {
            if let Some(at) = group.members.iter().position(|m| m.change == change) {
                chosen.push(at);
            }
        }
        for at in 0..group.members.len() {
            if chosen.len() >= GROUP_SAMPLES {
                break;
            }
            if !chosen.contains(&at) {
                chosen.push(at);
            }
        }
        chosen.sort_unstable();
        let samples = chosen
            .iter()
            .filter_map(|&at| group.members.get(at))
            .map(|m| {
                let (sign, op) = match m.change {
                    ChangeKind::Removed => ("-", SpanOp::Delete),
                    ChangeKind::Added => ("+", SpanOp::Insert),
                    _ => ("~", SpanOp::Equal),
                };
                (sign, Piece::new(op, one_line(&m.text)))
            })
            .collect();
        GroupView {
            what,
            unit,
            units,
            counts,
            samples,
            more: group.members.len().saturating_sub(chosen.len()),
        }
    }
}

/// Highlights for display, in rank order, each update's note shown once.
pub(crate) fn highlight_views(highlights: &[Highlight]) -> Vec<HighlightView> {
    let mut seen = std::collections::HashSet::new();
    highlights
        .iter()
        .map(|h| {
            let mut view = HighlightView::new(h);
            view.show_note = seen.insert(h.version.number) && !view.version.note.is_empty();
            view
        })
        .collect()
}

/// Text on one line: a code line or a stray newline must not break a list.
fn one_line(text: &str) -> String {
    if !text.contains(['\n', '\r']) {
        return text.to_string();
    }
    let mut out = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.starts_with(char::is_whitespace) {
        out.insert(0, ' ');
    }
    if text.ends_with(char::is_whitespace) && !out.is_empty() {
        out.push(' ');
    }
    out
}

impl HighlightView {
    pub(crate) fn new(highlight: &Highlight) -> HighlightView {
        let change = highlight.change.name();
        let (verb, sign) = match highlight.change {
            ChangeKind::Added => ("Added", "+"),
            ChangeKind::Removed => ("Removed", "-"),
            ChangeKind::Edited => ("Edited", "~"),
            ChangeKind::Moved => ("Moved", ">"),
        };
        let (label, class) = match (highlight.kind, highlight.change) {
            (HighlightKind::ContestedClaim, _) => ("New claim, disputed", "contested-claim"),
            (HighlightKind::Claim, _) => ("New claim", "claim"),
            (HighlightKind::Correction, _) => ("Correction", "correction"),
            (HighlightKind::RemovedClaim, _) => ("Claim removed", "removed-claim"),
            (HighlightKind::Obligation, change) => {
                let binds = highlight
                    .score
                    .evidence
                    .iter()
                    .any(|e| e.starts_with("obligation"));
                let label = match (binds, change) {
                    (true, ChangeKind::Added) => "New obligation",
                    (true, ChangeKind::Removed) => "Obligation removed",
                    (true, _) => "Obligation changed",
                    (false, ChangeKind::Added) => "Added, with a negation",
                    (false, ChangeKind::Removed) => "Removed, with a negation",
                    (false, _) => "Negation changed",
                };
                (label, "obligation")
            }
            (HighlightKind::NewSection, _) => ("New section", "new-section"),
            (HighlightKind::Other, ChangeKind::Added) => ("Added", "other"),
            (HighlightKind::Other, ChangeKind::Removed) => ("Removed", "other"),
            (HighlightKind::Other, ChangeKind::Edited) => ("Edited", "other"),
            (HighlightKind::Other, ChangeKind::Moved) => ("Moved", "other"),
            (HighlightKind::Cosmetic, _) => ("Minor change", "cosmetic"),
        };
        let pieces = if highlight.words.is_empty() {
            let op = match highlight.change {
                ChangeKind::Removed => SpanOp::Delete,
                _ => SpanOp::Equal,
            };
            vec![Piece::new(op, one_line(&highlight.text))]
        } else {
            pieces(&highlight.words)
                .into_iter()
                .map(|p| Piece {
                    text: one_line(&p.text),
                    ..p
                })
                .collect()
        };
        let mut tags = highlight.tags.clone();
        tags.sort();
        tags.dedup();
        HighlightView {
            rank: highlight.rank,
            label,
            class,
            minor: highlight.kind == HighlightKind::Cosmetic,
            change,
            verb,
            sign,
            section: section_name(highlight.section.as_deref()),
            also_in: highlight.also_in.len(),
            pieces,
            speakers: highlight.speakers.clone(),
            claimant: highlight.claimant.clone(),
            disputed_by: highlight.disputed_by.clone(),
            tags: tags.into_iter().map(tag_name).collect(),
            version: VersionView::new(&highlight.version),
            show_note: true,
            group: highlight.group.as_ref().map(GroupView::new),
            credits: if highlight.credits.len() > 1 {
                highlight.credits.iter().map(CreditView::new).collect()
            } else {
                Vec::new()
            },
        }
    }
}

/// The kinds of minor change among `minor`, for "12 minor changes (code, links)".
fn minor_kinds(minor: &[Highlight]) -> Vec<&'static str> {
    let kind = |h: &Highlight| -> &'static str {
        let evidence = |prefix: &str| h.score.evidence.iter().any(|e| e.starts_with(prefix));
        match h.group.as_ref().map(|g| g.block) {
            Some(GroupBlock::Contents) => "table of contents",
            Some(GroupBlock::Code) => "code",
            _ if evidence("block: code") => "code",
            _ if evidence("cosmetic: link changed") => "links",
            _ if evidence("cosmetic: markup") => "markup",
            _ => "spelling",
        }
    };
    let found: Vec<&'static str> = minor.iter().map(kind).collect();
    ["table of contents", "code", "links", "markup", "spelling"]
        .into_iter()
        .filter(|k| found.contains(k))
        .collect()
}

/// A withdrawn change for display.
#[derive(Debug, Clone)]
pub(crate) struct WithdrawnView {
    pub section: String,
    pub text: String,
    pub added: VersionView,
    pub removed: VersionView,
}

impl WithdrawnView {
    fn new(w: &Withdrawn) -> WithdrawnView {
        WithdrawnView {
            section: section_name(w.section.as_deref()),
            text: w.text.clone(),
            added: VersionView::new(&w.added_in),
            removed: VersionView::new(&w.removed_in),
        }
    }
}

/// How many highlights a reader is shown before the rest are counted by section.
pub(crate) const SHOWN_HIGHLIGHTS: usize = 10;

/// How many updates' notes a short summary shows (the latest), counting the rest.
const SHOWN_UPDATES: usize = 3;

/// How many withdrawn changes a short summary shows, counting the rest.
const SHOWN_WITHDRAWN: usize = 3;

/// How many sections a short summary names in its counts of the other changes.
const COUNTED_SECTIONS: usize = 5;

/// How much of a summary a reader is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// About one screen: the top highlights, the latest updates, counts of the rest.
    Short,
    /// Every highlight and every change.
    All,
}

/// Changes not shown, counted in one section.
#[derive(Debug, Clone)]
pub(crate) struct SectionCount {
    /// Heading ("Introduction" for the lead).
    pub heading: String,
    /// Changes not shown there.
    pub count: usize,
}

/// A whole summary for display.
#[derive(Debug, Clone)]
pub(crate) struct SummaryView {
    pub title: String,
    /// The day the reader asked about, when it is not the base version's day
    /// ("since 1 March", compared with the version of 25 February).
    pub asked: Option<AskedView>,
    pub base: VersionView,
    pub head: VersionView,
    /// Updates shown (all, or the latest few in a short summary), oldest first.
    pub updates: Vec<VersionView>,
    /// Earlier updates not shown.
    pub earlier_updates: usize,
    /// The top highlights.
    pub highlights: Vec<HighlightView>,
    /// The other highlights (listed in full output and HTML; counted otherwise).
    pub more_highlights: Vec<HighlightView>,
    /// All highlights there are.
    pub total_highlights: usize,
    pub withdrawn: Vec<WithdrawnView>,
    /// Withdrawn changes not shown.
    pub more_withdrawn: usize,
    pub sections: Vec<SectionNote>,
    /// Changes not already shown as highlights, by section (full output only).
    pub others: Vec<SectionGroup>,
    /// Short output: changes not shown as a top highlight, counted by section,
    /// biggest first.
    pub rest: Vec<SectionCount>,
    /// Short output: changes not shown in sections beyond `rest`.
    pub rest_elsewhere: SectionCount,
    /// Changes told by no highlight because they are minor (cosmetic: code,
    /// links, spelling, a table of contents): how many.
    pub minor: usize,
    /// What kinds of minor change there are, in a fixed order ("table of
    /// contents", "code", "links", "markup", "spelling").
    pub minor_kinds: Vec<&'static str>,
    /// Every change is listed (no counts).
    pub full: bool,
    /// Nothing changed at all.
    pub unchanged: bool,
}

impl SummaryView {
    /// The full view: every highlight and change (HTML pages, `--all`).
    pub(crate) fn new(summary: &Summary) -> SummaryView {
        SummaryView::with_detail(summary, Detail::All)
    }

    pub(crate) fn with_detail(summary: &Summary, detail: Detail) -> SummaryView {
        let full = detail == Detail::All;
        // Highlights name the changes they stand for by index: nothing is matched by text.
        let highlighted =
            |index: usize, shown: &[Highlight]| shown.iter().any(|h| h.changes.contains(&index));
        let top = summary
            .highlights
            .get(..SHOWN_HIGHLIGHTS.min(summary.highlights.len()))
            .unwrap_or(&[]);
        let mut views = highlight_views(&summary.highlights);
        let more_highlights = views.split_off(top.len());
        let others = if full {
            group(
                summary
                    .changes
                    .changes
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !highlighted(*i, &summary.highlights))
                    .map(|(_, c)| c),
                &summary.changes.sections,
            )
        } else {
            Vec::new()
        };
        // Short output: every change and section change no top highlight shows, by section.
        let mut rest: Vec<SectionCount> = Vec::new();
        if !full {
            let unshown = summary
                .changes
                .changes
                .iter()
                .enumerate()
                .filter(|(i, _)| !highlighted(*i, top))
                .map(|(_, c)| section_name(c.heading()))
                .chain(
                    summary
                        .changes
                        .sections
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| !top.iter().any(|h| h.section_changes.contains(i)))
                        .map(|(_, s)| s)
                        .map(|s| {
                            section_name(s.new_heading.as_deref().or(s.old_heading.as_deref()))
                        }),
                );
            for heading in unshown {
                match rest.iter_mut().find(|r| r.heading == heading) {
                    Some(r) => r.count += 1,
                    None => rest.push(SectionCount { heading, count: 1 }),
                }
            }
            rest.sort_by_key(|r| std::cmp::Reverse(r.count));
        }
        let elsewhere = rest.split_off(COUNTED_SECTIONS.min(rest.len()));
        let rest_elsewhere = SectionCount {
            heading: elsewhere.len().to_string(),
            count: elsewhere.iter().map(|r| r.count).sum(),
        };
        // Views only of what is shown: a 1,000-version window formats 3
        // dates per update otherwise.
        let earlier_updates = if full {
            0
        } else {
            summary.updates.len().saturating_sub(SHOWN_UPDATES)
        };
        let updates: Vec<VersionView> = summary
            .updates
            .iter()
            .skip(earlier_updates)
            .map(VersionView::new)
            .collect();
        let more_withdrawn = if full {
            0
        } else {
            summary.withdrawn.len().saturating_sub(SHOWN_WITHDRAWN)
        };
        let withdrawn: Vec<WithdrawnView> = summary
            .withdrawn
            .iter()
            .take(summary.withdrawn.len() - more_withdrawn)
            .map(WithdrawnView::new)
            .collect();
        let base = VersionView::new(&summary.base);
        SummaryView {
            title: summary.title.clone(),
            asked: summary.asked.and_then(|t| AskedView::new(&t, &base)),
            base,
            head: VersionView::new(&summary.head),
            updates,
            earlier_updates,
            highlights: views,
            more_highlights,
            total_highlights: summary.highlights.len(),
            withdrawn,
            more_withdrawn,
            // A section already shown as a highlight is not listed again.
            sections: if full {
                section_notes(
                    summary
                        .changes
                        .sections
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| {
                            !summary
                                .highlights
                                .iter()
                                .any(|h| h.section_changes.contains(i))
                        })
                        .map(|(_, s)| s),
                )
            } else {
                Vec::new()
            },
            others,
            rest,
            rest_elsewhere,
            minor: summary.minor.iter().map(|h| h.changes.len().max(1)).sum(),
            minor_kinds: minor_kinds(&summary.minor),
            full,
            unchanged: summary.changes.changes.is_empty()
                && summary.changes.sections.is_empty()
                && summary.withdrawn.is_empty(),
        }
    }
}

// ---------------------------------------------------------------------------
// Templates.

/// ANSI styles or plain markers for text output (written as they are: the
/// `.txt` templates' escaper drops control characters from everything else).
pub(crate) struct TextStyle {
    pub ins_open: Ansi,
    pub ins_close: Ansi,
    pub del_open: Ansi,
    pub del_close: Ansi,
    /// Whole added sentence.
    pub add_open: Ansi,
    /// Whole removed sentence.
    pub rem_open: Ansi,
    /// Closes `add_open`/`rem_open`/`bold`/`dim`.
    pub reset: Ansi,
    pub bold: Ansi,
    pub dim: Ansi,
}

impl TextStyle {
    fn new(color: bool) -> TextStyle {
        if color {
            TextStyle {
                ins_open: Safe("\x1b[32;1m"),
                ins_close: Safe("\x1b[0m"),
                del_open: Safe("\x1b[31;9m"),
                del_close: Safe("\x1b[0m"),
                add_open: Safe("\x1b[32m"),
                rem_open: Safe("\x1b[31m"),
                reset: Safe("\x1b[0m"),
                bold: Safe("\x1b[1m"),
                dim: Safe("\x1b[2m"),
            }
        } else {
            TextStyle {
                ins_open: Safe("[+"),
                ins_close: Safe("+]"),
                del_open: Safe("[-"),
                del_close: Safe("-]"),
                add_open: Safe(""),
                rem_open: Safe(""),
                reset: Safe(""),
                bold: Safe(""),
                dim: Safe(""),
            }
        }
    }
}

#[derive(Template)]
#[template(path = "diff.txt")]
struct DiffText<'a> {
    view: &'a DiffView,
    style: TextStyle,
}

#[derive(Template)]
#[template(path = "diff.md")]
struct DiffMarkdown<'a> {
    view: &'a DiffView,
}

#[derive(Template)]
#[template(path = "diff.html")]
struct DiffHtml<'a> {
    chrome: Chrome,
    view: &'a DiffView,
    links: Option<crate::pages::PageLinks>,
}

#[derive(Template)]
#[template(path = "summary.txt")]
struct SummaryText<'a> {
    view: &'a SummaryView,
    style: TextStyle,
}

#[derive(Template)]
#[template(path = "summary.md")]
struct SummaryMarkdown<'a> {
    view: &'a SummaryView,
}

#[derive(Template)]
#[template(path = "summary.html")]
struct SummaryHtml<'a> {
    chrome: Chrome,
    view: &'a SummaryView,
    links: Option<crate::pages::PageLinks>,
    track_changes: Option<String>,
}

#[cfg(test)]
mod tests;
