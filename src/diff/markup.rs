//! Changes in blocks that are not prose (code, tables, figures, raw HTML): the
//! lexical tags of `tags::classify` (numbers, dates, speakers) are about prose,
//! so these get their own reason and significance here.

use std::ops::Range;

use crate::model::{BlockKind, Document};
use crate::structure::{images, table_cells, Image};

use super::{words, Budget, Change, ChangeKind, Significance, Tag};

/// Longest cell or attribute quoted in a reason, in characters.
const MAX_QUOTED: usize = 60;

/// The non-prose kind a change is classified by: the new unit's, else the old's;
/// `None` when both sides are prose (or the kind says nothing, `Other`).
pub(super) fn kind_of(old: Option<BlockKind>, new: Option<BlockKind>) -> Option<BlockKind> {
    let markup = |k: Option<BlockKind>| k.filter(|k| !k.is_prose() && *k != BlockKind::Other);
    markup(new).or(markup(old))
}

/// Tags, significance and reason of a change in a non-prose block. Each side is
/// `(plain text, source)`.
pub(super) fn classify(
    block: BlockKind,
    kind: ChangeKind,
    old: Option<(&str, &str)>,
    new: Option<(&str, &str)>,
) -> (Vec<Tag>, Significance, String) {
    match block {
        BlockKind::Code => (Vec::new(), Significance::Cosmetic, CODE_CHANGED.into()),
        BlockKind::Table => (
            Vec::new(),
            Significance::Substantive,
            table_reason(kind, old.map(|o| o.0), new.map(|n| n.0)),
        ),
        BlockKind::Figure => (
            Vec::new(),
            Significance::Substantive,
            figure_reason(kind, old.map(|o| o.1), new.map(|n| n.1)),
        ),
        _ => (Vec::new(), Significance::Cosmetic, "markup changed".into()),
    }
}

/// Reason of every code change.
const CODE_CHANGED: &str = "code changed";

/// Adjacent code-line changes of one code block become one change (a hunk), so a
/// rewritten function is one "code changed", not one per line. Two changes join
/// when both are code changes (not moves), and on each side both have a range
/// for, those ranges are in the same block with only whitespace between them.
pub(super) fn merge_code_hunks(
    changes: impl IntoIterator<Item = Change>,
    old: &Document,
    new: &Document,
    budget: &Budget,
) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    let mut merged_last = false;
    for change in changes {
        match out.pop() {
            Some(last) if joins(&last, &change, old, new) => {
                out.push(absorb(last, change));
                merged_last = true;
                continue;
            }
            Some(last) => out.push(last),
            None => {}
        }
        if merged_last {
            rediff(out.last_mut(), budget);
        }
        merged_last = false;
        out.push(change);
    }
    if merged_last {
        rediff(out.last_mut(), budget);
    }
    out
}

fn is_code(c: &Change, old: &Document, new: &Document) -> bool {
    let kind = match (c.new_range(), c.old_range()) {
        (Some(r), _) => new.block_at(r.start).map(|b| b.kind),
        (None, Some(r)) => old.block_at(r.start).map(|b| b.kind),
        _ => None,
    };
    c.kind() != ChangeKind::Moved && c.reason() == CODE_CHANGED && kind == Some(BlockKind::Code)
}

/// Same block, nothing but whitespace between `a` and `b` on this side.
fn adjacent(doc: &Document, a: &Range<usize>, b: &Range<usize>) -> bool {
    let block = |r: &Range<usize>| doc.block_at(r.start).map(|b| b.span.clone());
    a.end <= b.start
        && block(a).is_some()
        && block(a) == block(b)
        && doc
            .body
            .get(a.end..b.start)
            .is_some_and(|gap| gap.trim().is_empty())
}

fn joins(a: &Change, b: &Change, old: &Document, new: &Document) -> bool {
    if !is_code(a, old, new) || !is_code(b, old, new) {
        return false;
    }
    let mut shared = false;
    for (doc, x, y) in [
        (new, a.new_range(), b.new_range()),
        (old, a.old_range(), b.old_range()),
    ] {
        if let (Some(x), Some(y)) = (x, y) {
            if !adjacent(doc, &x, &y) {
                return false;
            }
            shared = true;
        }
    }
    shared
}

fn join_text(a: Option<&str>, b: Option<&str>) -> String {
    match (a, b) {
        // One space, as for a sentence split in two: every renderer shows text on one line.
        (Some(a), Some(b)) => format!("{a} {b}"),
        (a, b) => a.or(b).unwrap_or_default().to_string(),
    }
}

fn join_range(a: Option<Range<usize>>, b: Option<Range<usize>>) -> Range<usize> {
    match (a, b) {
        (Some(a), Some(b)) => a.start.min(b.start)..a.end.max(b.end),
        (a, b) => a.or(b).unwrap_or_default(),
    }
}

/// `b` folded into `a`: one hunk, added or removed when both were, else edited
/// (its words are recomputed once the hunk is complete). It keeps `a`'s
/// section and assessment (both are code changes of one block).
fn absorb(a: Change, b: Change) -> Change {
    let (old_text, new_text) = (
        join_text(a.old_text(), b.old_text()),
        join_text(a.new_text(), b.new_text()),
    );
    let (old_range, new_range) = (
        join_range(a.old_range(), b.old_range()),
        join_range(a.new_range(), b.new_range()),
    );
    let same = a.kind() == b.kind();
    let (section, assessment) = (a.section().clone(), a.assessment().clone());
    match a.kind() {
        ChangeKind::Added if same => Change::Added {
            section,
            text: new_text,
            range: new_range,
            assessment,
        },
        ChangeKind::Removed if same => Change::Removed {
            section,
            text: old_text,
            range: old_range,
            assessment,
        },
        _ => Change::Edited {
            section,
            old_text,
            new_text,
            words: Vec::new(),
            old_range,
            new_range,
            assessment,
        },
    }
}

/// Word diff of a merged hunk: edited hunks compare their lines; added or removed ones have none.
fn rediff(change: Option<&mut Change>, budget: &Budget) {
    if let Some(Change::Edited {
        old_text,
        new_text,
        words,
        ..
    }) = change
    {
        *words = words::diff_text(old_text, new_text, budget);
    }
}

/// `'text'`, cut to [`MAX_QUOTED`] characters.
fn quoted(text: &str) -> String {
    let mut out: String = text.chars().take(MAX_QUOTED).collect();
    if text.chars().nth(MAX_QUOTED).is_some() {
        out.push('…');
    }
    format!("'{out}'")
}

/// "row 'Daily values': 'numerator' → 'denominator'", "row 'Node 24' added".
fn table_reason(kind: ChangeKind, old: Option<&str>, new: Option<&str>) -> String {
    let old_cells = old.map(table_cells).unwrap_or_default();
    let new_cells = new.map(table_cells).unwrap_or_default();
    let label = new_cells
        .first()
        .or(old_cells.first())
        .copied()
        .unwrap_or("");
    let row = format!("row {}", quoted(label));
    match kind {
        ChangeKind::Added => return format!("{row} added"),
        ChangeKind::Removed => return format!("{row} removed"),
        _ => {}
    }
    let width = old_cells.len().max(new_cells.len());
    let changed: Vec<String> = (0..width)
        .filter_map(|i| {
            let (a, b) = (
                old_cells.get(i).copied().unwrap_or(""),
                new_cells.get(i).copied().unwrap_or(""),
            );
            (a != b).then(|| format!("{} → {}", quoted(a), quoted(b)))
        })
        .collect();
    if changed.is_empty() {
        return if kind == ChangeKind::Moved {
            format!("{row} moved")
        } else {
            format!("{row} changed")
        };
    }
    format!("{row}: {}", changed.join("; "))
}

/// "figure changed: alt text 'a' → 'b'", "figure changed: image source 'x' → 'y'".
fn figure_reason(kind: ChangeKind, old: Option<&str>, new: Option<&str>) -> String {
    match kind {
        ChangeKind::Added => return "figure added".into(),
        ChangeKind::Removed => return "figure removed".into(),
        _ => {}
    }
    let before = old.map(images).unwrap_or_default();
    let after = new.map(images).unwrap_or_default();
    let field = |image: Option<&Image>, alt: bool| {
        image
            .and_then(|i| if alt { i.alt.clone() } else { i.src.clone() })
            .unwrap_or_default()
    };
    let mut details = Vec::new();
    for i in 0..before.len().max(after.len()) {
        let (a, b) = (before.get(i), after.get(i));
        match (a, b) {
            (Some(_), None) => details.push("image removed".to_string()),
            (None, Some(_)) => details.push("image added".to_string()),
            _ => {
                for (alt, what) in [(true, "alt text"), (false, "image source")] {
                    let (x, y) = (field(a, alt), field(b, alt));
                    if x != y {
                        details.push(format!("{what} {} → {}", quoted(&x), quoted(&y)));
                    }
                }
            }
        }
    }
    if details.is_empty() {
        "figure changed".into()
    } else {
        format!("figure changed: {}", details.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_say_which_cells_changed() {
        let r = table_reason(
            ChangeKind::Edited,
            Some("Daily values | numerator | 3"),
            Some("Daily values | denominator | 3"),
        );
        assert_eq!(r, "row 'Daily values': 'numerator' → 'denominator'");
        assert_eq!(
            table_reason(ChangeKind::Added, None, Some("Node 24 | Current")),
            "row 'Node 24' added"
        );
        assert_eq!(
            table_reason(ChangeKind::Removed, Some("Node 16 | EOL"), None),
            "row 'Node 16' removed"
        );
        let long = "x".repeat(100);
        let r = table_reason(
            ChangeKind::Edited,
            Some("a | b"),
            Some(&format!("a | {long}")),
        );
        assert!(r.ends_with("…'"), "{r}");
    }

    #[test]
    fn figures_say_what_about_the_image_changed() {
        let r = figure_reason(
            ChangeKind::Edited,
            Some("<img src=\"a.png\" alt=\"Old chart\">"),
            Some("<img src=\"b.png\" alt=\"New chart\">"),
        );
        assert_eq!(
            r,
            "figure changed: alt text 'Old chart' → 'New chart'; image source 'a.png' → 'b.png'"
        );
        assert_eq!(
            figure_reason(
                ChangeKind::Edited,
                Some("```figure\na\n```"),
                Some("```figure\nb\n```")
            ),
            "figure changed"
        );
        assert_eq!(
            figure_reason(ChangeKind::Added, None, Some("<img src=x>")),
            "figure added"
        );
    }

    #[test]
    fn only_markup_kinds_override() {
        assert_eq!(
            kind_of(Some(BlockKind::Paragraph), Some(BlockKind::Quote)),
            None
        );
        assert_eq!(
            kind_of(Some(BlockKind::Paragraph), Some(BlockKind::Code)),
            Some(BlockKind::Code)
        );
        assert_eq!(
            kind_of(Some(BlockKind::Table), None),
            Some(BlockKind::Table)
        );
        assert_eq!(
            kind_of(Some(BlockKind::Other), Some(BlockKind::Other)),
            None
        );
    }

    use crate::diff::{diff, Change, ChangeKind, SpanOp};
    use crate::model::{Document, DocumentMeta};

    fn doc(body: &str) -> Document {
        Document::new(DocumentMeta::default(), body.to_string())
    }

    /// Diff and check the span list rebuilds both bodies.
    fn diff_checked(old: &Document, new: &Document) -> crate::diff::ChangeSet {
        let set = diff(old, new);
        assert_eq!(set.old_text(), old.body);
        assert_eq!(set.new_text(), new.body);
        assert!(set.spans.windows(2).all(|w| w[0].op != w[1].op));
        assert!(set
            .spans
            .iter()
            .all(|s| !s.text.is_empty() || s.op == SpanOp::Equal));
        set
    }

    #[test]
    fn a_link_whose_only_change_is_its_url_is_a_cosmetic_link_change() {
        // Synthetic.
        let old = doc("## S\n\nRead the [policy](https://a.example/old) today.\n");
        let new = doc("## S\n\nRead the [policy](https://a.example/new) today.\n");
        let set = diff_checked(&old, &new);
        assert_eq!(set.changes.len(), 1, "{:#?}", set.changes);
        let c = &set.changes[0];
        assert_eq!(c.kind(), ChangeKind::Edited);
        assert_eq!(c.significance(), Significance::Cosmetic);
        assert_eq!(
            c.reason(),
            "link changed: https://a.example/old → https://a.example/new"
        );
        assert_eq!(c.old_text(), c.new_text());
    }

    /// The block kind holding a change (by its new range, else its old one).
    fn block_kind(old: &Document, new: &Document, c: &Change) -> Option<BlockKind> {
        match (&c.new_range(), &c.old_range()) {
            (Some(r), _) => new.block_at(r.start).map(|b| b.kind),
            (None, Some(r)) => old.block_at(r.start).map(|b| b.kind),
            _ => None,
        }
    }

    #[test]
    fn code_changes_are_cosmetic_lines_inside_the_code_block() {
        // Synthetic.
        let old = doc("## S\n\nProse stays.\n\n```js\nconst total = 5000;\nkeep();\n```\n");
        let new =
            doc("## S\n\nProse stays.\n\n```js\nconst total = 500;\nkeep();\nadded();\n```\n");
        let set = diff_checked(&old, &new);
        assert_eq!(set.changes.len(), 2, "{:#?}", set.changes);
        for c in &set.changes {
            assert_eq!(c.significance(), Significance::Cosmetic);
            assert_eq!(c.reason(), "code changed");
            assert!(c.tags().is_empty(), "{:?}", c.tags());
            assert_eq!(block_kind(&old, &new, c), Some(BlockKind::Code));
        }
        assert_eq!(set.changes[0].kind(), ChangeKind::Edited);
        assert_eq!(set.changes[1].kind(), ChangeKind::Added);
        assert_eq!(set.changes[1].new_text(), Some("added();"));
    }

    #[test]
    fn adjacent_code_line_changes_are_one_hunk() {
        // Synthetic: two adjacent edited lines and an added one after them, then an
        // unchanged line and one more edit (a second hunk).
        let old = doc("```js\nlet a = 1;\nlet b = 2;\nkeep();\nlet c = 3;\n```\n");
        let new = doc("```js\nlet a = 10;\nlet b = 20;\nextra();\nkeep();\nlet c = 30;\n```\n");
        let set = diff_checked(&old, &new);
        assert_eq!(set.changes.len(), 2, "{:#?}", set.changes);
        let first = &set.changes[0];
        assert_eq!(first.kind(), ChangeKind::Edited);
        assert_eq!(first.old_text(), Some("let a = 1; let b = 2;"));
        assert_eq!(first.new_text(), Some("let a = 10; let b = 20; extra();"));
        assert_eq!(
            &new.body[first.new_range().clone().unwrap()],
            "let a = 10;\nlet b = 20;\nextra();"
        );
        let rebuilt_old: String = first
            .words()
            .iter()
            .filter(|w| w.op != SpanOp::Insert)
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(rebuilt_old, "let a = 1; let b = 2;");
        assert_eq!(set.changes[1].new_text(), Some("let c = 30;"));
    }

    #[test]
    fn table_row_change_names_row_and_cells() {
        // Synthetic pipe table.
        let old = doc("## Data\n\n| Measure | Basis |\n|---|---|\n| Daily values | numerator |\n| Weekly values | total |\n");
        let new = doc("## Data\n\n| Measure | Basis |\n|---|---|\n| Daily values | denominator |\n| Weekly values | total |\n| Monthly values | total |\n");
        let set = diff_checked(&old, &new);
        let reasons: Vec<&str> = set.changes.iter().map(|c| c.reason()).collect();
        assert_eq!(
            reasons,
            vec![
                "row 'Daily values': 'numerator' → 'denominator'",
                "row 'Monthly values' added"
            ],
            "{:#?}",
            set.changes
        );
        for c in &set.changes {
            assert!(c.tags().is_empty());
            assert_eq!(block_kind(&old, &new, c), Some(BlockKind::Table));
        }
    }

    #[test]
    fn html_table_cell_change_names_its_row() {
        // Cut from ../shared/corpus/jekyll-permalinks/0030_*.md (one row), the edit synthetic.
        let row = |d: &str| {
            format!("Intro.\n\n<table>\n  <tr>\n    <td><p><code>year</code></p></td>\n    <td><p>{d}</p></td>\n  </tr>\n</table>\n")
        };
        let old = doc(&row("Year from the post's filename"));
        let new = doc(&row("Year from the post's filename with four digits"));
        let set = diff_checked(&old, &new);
        assert_eq!(set.changes.len(), 1, "{:#?}", set.changes);
        assert_eq!(
            set.changes[0].reason(),
            "row 'year': 'Year from the post's filename' → 'Year from the post's filename with four digits'"
        );
    }

    #[test]
    fn figure_alt_or_src_change_is_a_figure_change() {
        // Cut from ../shared/corpus/basecamp-privacy/0001_*.md, the src edit synthetic.
        let fig = |src: &str| {
            format!("Lead.\n\n<figure class=\"centered\">\n  <img alt=\"illustration of a woman\" src=\"{src}\" class=\"image-size-25\">\n</figure>\n\nText.\n")
        };
        let old = doc(&fig("{% asset_path about/policies/privacy/shh.png %}"));
        let new = doc(&fig("/images/shh.png"));
        let set = diff_checked(&old, &new);
        assert_eq!(set.changes.len(), 1, "{:#?}", set.changes);
        let c = &set.changes[0];
        assert_eq!(
            c.reason(),
            "figure changed: image source '{% asset_path about/policies/privacy/shh.png %}' → '/images/shh.png'"
        );
        assert_eq!(block_kind(&old, &new, c), Some(BlockKind::Figure));
    }

    #[test]
    fn markdown_chart_source_change_is_a_figure_change() {
        // Cut from ../shared/corpus/buzzfeed-nics-readme/0100_*.md, the new file name synthetic.
        let old = doc("## Charts\n\n![Monthly NICS Background Check Totals Since Nov. 1998](charts/total-checks-all.png)\n");
        let new = doc("## Charts\n\n![Monthly NICS Background Check Totals Since Nov. 1998](charts/total-checks-all-v2.png)\n");
        let set = diff_checked(&old, &new);
        assert_eq!(set.changes.len(), 1, "{:#?}", set.changes);
        assert_eq!(
            set.changes[0].reason(),
            "figure changed: image source 'charts/total-checks-all.png' → 'charts/total-checks-all-v2.png'"
        );
    }

    #[test]
    fn multi_line_img_addition_is_reported() {
        // Synthetic: a multi-line <img> (attributes on their own lines) added after a paragraph.
        let old = doc("## Charts\n\nMonthly checks are below.\n");
        let new = doc("## Charts\n\nMonthly checks are below.\n\n<img\n  src=\"charts/monthly.png\"\n  alt=\"Monthly background checks\">\n");
        let set = diff_checked(&old, &new);
        assert_eq!(set.changes.len(), 1, "{:#?}", set.changes);
        let c = &set.changes[0];
        assert_eq!(c.kind(), ChangeKind::Added);
        assert_eq!(c.reason(), "figure added");
        assert_eq!(
            c.new_text(),
            Some("Image: Monthly background checks (charts/monthly.png)")
        );
    }

    #[test]
    fn html_comments_are_no_change() {
        // Synthetic, shaped like the markdownlint comments in ../shared/corpus.
        let old = doc("## S\n\nText.\n");
        let new = doc("<!-- markdownlint-disable -->\n\n## S\n\nText.\n");
        let set = diff_checked(&old, &new);
        assert!(set.is_empty(), "{:#?}", set.changes);
    }

    /// Synthetic Markdown blocks of every kind the outline treats specially.
    fn block() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let word = prop_oneof![
            "[A-Za-z]{1,6}",
            Just("`a?b`".to_string()),
            Just("`x. Y`".to_string()),
            Just("[link](https://x.org/a?b)".to_string()),
            Just("[doc]({% link _docs/x.md %})".to_string()),
            Just("{% raw %}".to_string()),
            Just("<!-- note -->".to_string()),
            Just("https://e.com/x.Y?z".to_string()),
            Just("<https://e.com/A?b>".to_string()),
            Just("Mr. Smith".to_string()),
            Just(".".to_string()),
            Just("?".to_string()),
            Just("“q.”".to_string()),
        ];
        let words = proptest::collection::vec(word, 1..10).prop_map(|w| w.join(" "));
        let cell = "[a-z0-9 ]{0,6}";
        prop_oneof![
            words.clone(),
            words.clone().prop_map(|w| format!("## {w}")),
            words.clone().prop_map(|w| format!("- {w}\n- {w}")),
            words.clone().prop_map(|w| format!("> {w}")),
            proptest::collection::vec("[a-z(){};=. ]{0,12}", 0..4)
                .prop_map(|l| format!("```js\n{}\n```", l.join("\n"))),
            proptest::collection::vec("[a-z();]{1,8}", 1..3)
                .prop_map(|l| format!("    {}", l.join("\n    "))),
            proptest::collection::vec((cell, cell), 0..4).prop_map(|rows| {
                let mut t = "| A | B |\n|---|---|".to_string();
                for (a, b) in rows {
                    t.push_str(&format!("\n| {a} | {b} |"));
                }
                t
            }),
            proptest::collection::vec((cell, cell), 0..3).prop_map(|rows| {
                let mut t = "<table>".to_string();
                for (a, b) in rows {
                    t.push_str(&format!("\n  <tr><td>{a}</td><td>{b}</td></tr>"));
                }
                t + "\n</table>"
            }),
            Just("<!-- markdownlint-disable -->".to_string()),
            "[a-z ]{0,8}".prop_map(|alt| format!(
                "<figure>\n  <img src=\"a.png\" alt=\"{alt}\">\n</figure>"
            )),
            "[a-z ]{0,8}".prop_map(|alt| format!("<img\n  src=\"b.png\"\n  alt=\"{alt}\">")),
            Just("<div class=\"note\">\nA note.\n</div>".to_string()),
            Just("{% raw %}".to_string()),
        ]
    }

    fn markdown_file() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let front = prop_oneof![
            Just(String::new()),
            Just("---\ntitle: T\ndate: 2025-01-01\npermalink: /x/\n---\n".to_string()),
            Just("--- \ntitle: T\n---\n\n".to_string()),
            Just("+++\ntitle = \"T\"\ndate = 2025-01-01\n+++\n".to_string()),
        ];
        let sep = prop_oneof![Just("\n\n"), Just("\n")];
        (front, proptest::collection::vec((block(), sep), 0..8)).prop_map(|(front, blocks)| {
            let mut out = front;
            for (b, s) in blocks {
                out.push_str(&b);
                out.push_str(s);
            }
            out
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

        /// Generated Markdown with front matter, tables, code, HTML, comments, Liquid
        /// and inline code goes through ingest, outline and diff: no panic, lossless,
        /// front matter never in the outline, non-prose changes carry no prose tags
        /// and sit inside their blocks.
        #[test]
        fn structured_markdown_round_trips(a in markdown_file(), b in markdown_file()) {
            let rules = crate::ingest::Rules::shipped();
            let read = |text: &str| {
                crate::ingest::ingest_bytes(std::path::Path::new("x.md"), text.as_bytes(), &rules)
                    .map(|i| i.document)
            };
            let (Ok(old), Ok(new)) = (read(&a), read(&b)) else {
                // Only empty input is refused: generated files are never empty here unless blank.
                proptest::prop_assert!(a.trim().is_empty() || b.trim().is_empty());
                return Ok(());
            };
            for d in [&old, &new] {
                for block in d.sections.iter().flat_map(|s| &s.blocks) {
                    for s in &block.sentences {
                        proptest::prop_assert!(block.span.start <= s.span.start && s.span.end <= block.span.end);
                        // Code may show a comment (a fence swallowing the rest); nothing else.
                        proptest::prop_assert!(block.kind == BlockKind::Code || !s.text.contains("<!--"), "{:?}", s.text);
                        proptest::prop_assert!(!s.text.starts_with("title"), "{:?}", s.text);
                        if block.kind.is_prose() {
                            proptest::prop_assert!(!s.text.contains("{%"), "{:?}", s.text);
                        }
                    }
                }
            }
            let set = diff(&old, &new);
            proptest::prop_assert_eq!(set.old_text(), old.body.clone());
            proptest::prop_assert_eq!(set.new_text(), new.body.clone());
            for c in &set.changes {
                if let Some(kind) = block_kind(&old, &new, c) {
                    if !kind.is_prose() && kind != BlockKind::Other {
                        proptest::prop_assert!(c.tags().is_empty(), "{:?}", c);
                    }
                }
            }
        }
    }
}
