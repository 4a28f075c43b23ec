//! Track-changes rendering, checked on the HTML structure (parsed with scraper).
//! Fixtures are synthetic unless they say where they were cut from.

use askama::Template;
use proptest::prelude::*;
use pulldown_cmark::{Event, Parser};
use scraper::{ElementRef, Html, Node as HtmlNode, Selector};

use super::*;

/// The page's text as the page template writes it.
#[derive(Template)]
#[template(
    source = r#"{% import "tracked.html" as t %}<div class="track">{% call t::nodes(text.nodes) %}{% endcall %}</div>"#,
    ext = "html"
)]
struct Page<'a> {
    text: &'a TrackedText,
}

use SpanOp::{Delete as D, Equal as E, Insert as I};

fn spans(list: &[(SpanOp, &str)]) -> Vec<Span> {
    list.iter()
        .map(|(op, text)| Span {
            op: *op,
            text: text.to_string(),
        })
        .collect()
}

fn html_of(list: &[Span]) -> String {
    Page {
        text: &TrackedText::new(list),
    }
    .render()
    .unwrap()
}

fn render(list: &[(SpanOp, &str)]) -> Html {
    Html::parse_fragment(&html_of(&spans(list)))
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

/// Text a sighted reader sees: everything but the screen-reader words.
fn visible(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in element.descendants() {
        if let HtmlNode::Text(text) = node.value() {
            let hidden = node.ancestors().any(|a| {
                ElementRef::wrap(a).is_some_and(|e| {
                    e.value()
                        .has_class("sr-only", scraper::CaseSensitivity::CaseSensitive)
                })
            });
            if !hidden {
                out.push_str(text);
            }
        }
    }
    out
}

/// Everything read aloud, screen-reader words included.
fn spoken(element: ElementRef<'_>) -> String {
    element.text().collect()
}

#[test]
fn a_changed_table_cell_stays_in_its_cell_with_a_gap_and_spoken_words() {
    let html = render(&[
        (E, "| Time | Place |\n|------|-------|\n| "),
        (D, "3pm"),
        (I, "4pm"),
        (E, " | Paris |\n| 5pm | Rome |\n"),
    ]);
    assert_eq!(select(&html, "table").len(), 1);
    assert_eq!(select(&html, "table th").len(), 2);
    let cells = select(&html, "table td");
    assert_eq!(cells.len(), 4, "two body rows of two cells");
    let cell = cells[0];
    assert_eq!(
        visible(cell).trim(),
        "3pm 4pm",
        "a space between old and new"
    );
    assert_eq!(spoken(cell).trim(), "deleted: 3pm inserted: 4pm");
    assert_eq!(select(&html, "td del").len(), 1);
    assert_eq!(select(&html, "td ins").len(), 1);
    assert_eq!(visible(cells[1]).trim(), "Paris");
    assert!(
        !html.root_element().text().any(|t| t.contains('|')),
        "no pipe shows"
    );
}

#[test]
fn a_heading_with_an_inserted_word_stays_a_heading() {
    let html = render(&[
        (E, "Lead.\n\n## What "),
        (I, "comes "),
        (E, "next?\n\nBody text.\n"),
    ]);
    let headings = select(&html, "h2");
    assert_eq!(headings.len(), 1);
    assert_eq!(visible(headings[0]), "What comes next?");
    let ins = select(&html, "h2 > ins");
    assert_eq!(ins.len(), 1);
    assert_eq!(visible(ins[0]), "comes", "the space after it is not marked");
    assert_eq!(select(&html, "p").len(), 2);
}

/// The failure the issue reported: a new numbered section inserted right after
/// a heading's marker rendered as `##<ins># 8. …</ins>`.
#[test]
fn an_inserted_section_is_a_heading_and_a_paragraph_each_marked_inside() {
    let html = render(&[
        (E, "## 7. Old section\n\nOld text.\n\n"),
        (I, "## 8. New section\n\nNew text.\n\n"),
        (E, "## 9. Last\n"),
    ]);
    let headings: Vec<_> = select(&html, "h2").into_iter().map(visible).collect();
    assert_eq!(headings, ["7. Old section", "8. New section", "9. Last"]);
    let new = select(&html, "h2")[1];
    assert_eq!(select(&html, "h2 > ins").len(), 1);
    assert!(new
        .children()
        .all(|c| ElementRef::wrap(c).is_some_and(|e| e.value().name() == "ins")));
    assert_eq!(select(&html, "p > ins").len(), 1);
    // No change element contains a block.
    assert!(select(&html, "ins p, ins h2, del p, del h2").is_empty());
}

#[test]
fn a_deletion_across_blocks_is_split_per_block() {
    let html = render(&[
        (E, "Kept one.\n\n"),
        (D, "Gone one.\n\n## Gone heading\n\nGone two "),
        (E, "kept two.\n"),
    ]);
    let paragraphs: Vec<_> = select(&html, "p").into_iter().map(visible).collect();
    assert_eq!(paragraphs, ["Kept one.", "Gone one.", "Gone two kept two."]);
    assert_eq!(select(&html, "h2 > del").len(), 1);
    assert_eq!(select(&html, "p > del").len(), 2);
    // One spoken label per block where the deletion shows.
    let labels = select(&html, "del > .sr-only");
    assert_eq!(labels.len(), 3);
    assert!(labels.iter().all(|l| spoken(*l) == "deleted: "));
}

#[test]
fn emphasis_links_lists_and_code_render() {
    let html = render(&[
        (E, "Some **bold "),
        (I, "new "),
        (
            E,
            "words** and *slanted* text, a [link](https://example.org/a) and `code ",
        ),
        (D, "old"),
        (E, "`.\n\n- one\n"),
        (I, "- two\n"),
        (E, "\n```\nlet x = 1;\n"),
        (I, "let y = 2;\n"),
        (E, "```\n\n~~struck~~\n"),
    ]);
    assert_eq!(visible(select(&html, "strong")[0]), "bold new words");
    assert_eq!(select(&html, "strong > ins").len(), 1);
    assert_eq!(visible(select(&html, "em")[0]), "slanted");
    let link = select(&html, "a")[0];
    assert_eq!(link.value().attr("href"), Some("https://example.org/a"));
    assert_eq!(select(&html, "p > code > del").len(), 1);
    let items: Vec<_> = select(&html, "ul > li").into_iter().map(visible).collect();
    assert_eq!(items, ["one", "two"]);
    assert_eq!(select(&html, "ul > li > ins").len(), 1);
    assert_eq!(visible(select(&html, "pre > code > ins")[0]), "let y = 2;");
    // Markdown strikethrough is not a deletion.
    assert_eq!(visible(select(&html, "s")[0]), "struck");
    assert_eq!(select(&html, "del").len(), 1);
}

#[test]
fn content_html_is_shown_as_text_and_unsafe_links_lose_their_target() {
    let html_text = html_of(&spans(&[
        (E, "Intro <b>bold?</b>\n\n"),
        (I, "<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>\n"),
    ]));
    let html = Html::parse_fragment(&html_text);
    assert!(select(&html, "script, b, img").is_empty(), "{html_text}");
    let text = visible(html.root_element());
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    assert!(text.contains("<b>bold?</b>"), "{text}");
    let links = select(&html, "a");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].value().attr("href"), None);
    assert!(!html_text.contains("javascript:"), "{html_text}");
}

#[test]
fn front_matter_is_metadata_not_headings() {
    let html = render(&[
        (E, "---\ntitle: Policy\ndate: "),
        (D, "2020-01-01"),
        (I, "2021-02-02"),
        (E, "\n---\n\nText.\n"),
    ]);
    assert!(select(&html, "h2, hr").is_empty());
    let meta = select(&html, "pre.metadata");
    assert_eq!(meta.len(), 1);
    assert_eq!(
        visible(meta[0]),
        "title: Policy\ndate: 2020-01-01 2021-02-02\n"
    );
    assert_eq!(select(&html, "pre.metadata del").len(), 1);
}

#[test]
fn whitespace_only_changes_are_not_marked() {
    let html = render(&[(E, "One line"), (D, "\n"), (I, " "), (E, "wrapped.\n")]);
    assert!(select(&html, "ins, del").is_empty());
    assert_eq!(select(&html, "p").len(), 1);
}

/// Cut from ../shared/corpus/jekyll-permalinks, 0036 → 0037 (lines 59-66 of
/// 0036: one cell of its hand-written HTML table, reworded), the table's other
/// rows left out.
#[test]
fn a_corpus_html_table_edit_shows_as_marked_source_text() {
    let html = render(&[
        (E, "Here's the full list of placeholders available:\n\n<table>\n  <tbody>\n    <tr>\n      <td>\n        <p><code>year</code></p>\n      </td>\n      <td>\n        <p>\n"),
        (D, "          Year from the post's filename. May be overridden via the document’s\n          <code>date</code> front matter\n"),
        (I, "          Year from the post’s filename with four digits.\n          May be overridden via the document’s <code>date</code> front matter.\n"),
        (E, "        </p>\n      </td>\n    </tr>\n  </tbody>\n</table>\n"),
    ]);
    let raw = select(&html, "div.raw-html");
    assert_eq!(raw.len(), 1);
    assert!(
        select(&html, "table, td, code").is_empty(),
        "content tags are shown, not obeyed"
    );
    assert!(visible(raw[0]).contains("<p><code>year</code></p>"));
    let deleted: Vec<_> = select(&html, "div.raw-html del")
        .into_iter()
        .map(visible)
        .collect();
    let inserted: Vec<_> = select(&html, "div.raw-html ins")
        .into_iter()
        .map(visible)
        .collect();
    assert!(deleted.iter().any(|d| d.contains("post's")), "{deleted:?}");
    assert!(
        inserted.iter().any(|i| i.contains("with four digits.")),
        "{inserted:?}"
    );
    // Indentation is layout: no change starts or ends with whitespace.
    for text in deleted.iter().chain(&inserted) {
        assert_eq!(text.trim(), text, "{text:?}");
    }
}

// ---------------------------------------------------------------------------
// Properties.

/// Text pulldown-cmark gives for `markdown`, whitespace dropped (how the HTML
/// spaces it is layout, not content).
fn markdown_text(markdown: &str) -> String {
    Parser::new_ext(markdown, options())
        .filter_map(|event| match event {
            Event::Text(t)
            | Event::Code(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => Some(t.to_string()),
            _ => None,
        })
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn without_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Visible text of the page outside `<del>`.
fn visible_new(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in element.descendants() {
        if let HtmlNode::Text(text) = node.value() {
            let skip = node.ancestors().any(|a| {
                ElementRef::wrap(a).is_some_and(|e| {
                    e.value().name() == "del"
                        || e.value()
                            .has_class("sr-only", scraper::CaseSensitivity::CaseSensitive)
                })
            });
            if !skip {
                out.push_str(text);
            }
        }
    }
    out
}

fn is_subsequence(needle: &str, haystack: &str) -> bool {
    let mut rest = haystack.chars();
    needle.chars().all(|c| rest.any(|h| h == c))
}

fn markdownish() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "word",
        "3pm",
        " ",
        "\n",
        "\n\n",
        "# ",
        "## ",
        "- ",
        "1. ",
        "> ",
        "*",
        "**",
        "_",
        "`",
        "```\n",
        "| a | b |\n",
        "|---|---|\n",
        "|",
        "[x](https://e.org)",
        "<b>",
        "</b>",
        "&amp;",
        "\\*",
        "~~",
        "---\n",
        "    ",
        "é",
        "<!-- c -->",
    ]);
    prop::collection::vec(token, 0..12).prop_map(|t| t.concat())
}

fn span_list() -> impl Strategy<Value = Vec<Span>> {
    let op = prop::sample::select(vec![E, I, D]);
    prop::collection::vec((op, markdownish()), 0..6).prop_map(|list| {
        list.into_iter()
            .map(|(op, text)| Span { op, text })
            .collect()
    })
}

proptest! {
    /// Never panics; all shown text is the combined text's own text (after
    /// refinement, which puts a run's deletions before its insertions), and
    /// what is marked inserted / deleted comes from inserted / deleted spans.
    #[test]
    fn rendering_keeps_every_text_and_marks_it_truthfully(list in span_list()) {
        let combined: String = refined(&list).iter().map(|s| s.text.as_str()).collect();
        let inserted: String = list.iter().filter(|s| s.op == I).map(|s| s.text.as_str()).collect();
        let deleted: String = list.iter().filter(|s| s.op == D).map(|s| s.text.as_str()).collect();
        let html = Html::parse_fragment(&html_of(&list));
        let root = html.root_element();
        prop_assert_eq!(without_whitespace(&visible(root)), markdown_text(&combined));
        let ins: String = select(&html, "ins").into_iter().map(visible).collect();
        let del: String = select(&html, "del").into_iter().map(visible).collect();
        prop_assert!(is_subsequence(&without_whitespace(&ins), &inserted), "ins {:?}", ins);
        prop_assert!(is_subsequence(&without_whitespace(&del), &deleted), "del {:?}", del);
    }

    /// With no deletion, the unmarked and inserted text is exactly the new body's text.
    #[test]
    fn without_deletions_the_page_reads_as_the_new_body(list in span_list()) {
        let list: Vec<Span> = list.into_iter().filter(|s| s.op != D).collect();
        let new_body: String = list.iter().map(|s| s.text.as_str()).collect();
        let html = Html::parse_fragment(&html_of(&list));
        prop_assert_eq!(
            without_whitespace(&visible_new(html.root_element())),
            markdown_text(&new_body)
        );
    }
}

proptest! {
    /// Refinement for display keeps the diff lossless.
    #[test]
    fn refinement_rebuilds_both_sides(list in span_list()) {
        let side = |spans: &[Span], skip: SpanOp| -> String {
            spans.iter().filter(|s| s.op != skip).map(|s| s.text.as_str()).collect()
        };
        let refined = refined(&list);
        prop_assert_eq!(side(&refined, I), side(&list, I));
        prop_assert_eq!(side(&refined, D), side(&list, D));
    }
}

/// The diff can hand over a whole table deleted and re-inserted (no anchor in
/// it); the page shows the one changed cell and the one removed row.
#[test]
fn a_table_replaced_whole_shows_its_changed_cell_and_removed_row() {
    let html = render(&[
        (E, "## 7. "),
        (
            D,
            "Schedule\n\n| Day | Time |\n|---|---|\n| Monday | 3pm |\n| Friday | noon |",
        ),
        (
            I,
            "Revised schedule\n\n| Day | Time |\n|---|---|\n| Monday | 4pm |",
        ),
        (E, "\n\nAfter.\n"),
    ]);
    let heading = select(&html, "h2");
    assert_eq!(heading.len(), 1);
    assert_eq!(
        spoken(heading[0]),
        "7. deleted: Schedule inserted: Revised schedule"
    );
    assert_eq!(select(&html, "table").len(), 1);
    let rows: Vec<_> = select(&html, "tr")
        .into_iter()
        .map(|r| visible(r).trim().to_string())
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        select(&html, "th ins, th del").is_empty(),
        "the head row is unchanged"
    );
    let monday = select(&html, "tr")[1];
    assert_eq!(
        select(&html, "tr:nth-child(1) td del").len(),
        1,
        "{}",
        monday.html()
    );
    assert_eq!(visible(select(&html, "td del")[0]), "3pm");
    assert_eq!(visible(select(&html, "td ins")[0]), "4pm");
    let friday = select(&html, "tr")[2];
    assert!(friday
        .select(&Selector::parse("td").unwrap())
        .all(|td| td.select(&Selector::parse("del").unwrap()).count() == 1));
    assert_eq!(select(&html, "p").len(), 1);
}

/// Shape of a change in ../shared/corpus/jekyll-permalinks 0039 → 0040
/// ("pages and collections (excluding `posts` and `drafts`)"), shortened: an
/// insertion running across inline code stays one marked run, spaces included,
/// while the whitespace at its ends is not marked.
#[test]
fn a_change_across_inline_code_stays_continuous() {
    let html = render(&[
        (E, "Pages and collections"),
        (I, " (excluding `posts` and `drafts`) "),
        (E, "have no time.\n"),
    ]);
    let inserted: Vec<_> = select(&html, "p ins").into_iter().map(visible).collect();
    assert_eq!(inserted, ["(excluding ", "posts", " and ", "drafts", ")"]);
    assert_eq!(select(&html, "p > code > ins").len(), 2);
    assert_eq!(
        select(&html, "ins > .sr-only").len(),
        1,
        "one change, one label"
    );
    let p = select(&html, "p")[0];
    assert_eq!(
        visible(p),
        "Pages and collections (excluding posts and drafts) have no time."
    );
}

/// Shape of a rewrite in ../shared/corpus/shared-storage-explainer (a
/// paragraph replaced by a new `###` section and a code line by an unrelated
/// one), shortened and reworded: synthetic text.
#[test]
fn unrelated_replacement_lines_keep_their_own_blocks() {
    let html = render(&[
        (E, "Intro.\n\n"),
        (D, "An old paragraph about something else entirely.\n"),
        (I, "### Private Aggregation\n"),
        (E, "\nText.\n\n```js\n"),
        (D, "function generateSeed() {}\n"),
        (I, "// Example 1: writing an experiment id\n"),
        (E, "```\n"),
    ]);
    assert_eq!(visible(select(&html, "h3")[0]), "Private Aggregation");
    assert_eq!(select(&html, "h3 > ins").len(), 1);
    let paragraphs: Vec<_> = select(&html, "p").into_iter().map(visible).collect();
    assert_eq!(
        paragraphs,
        [
            "Intro.",
            "An old paragraph about something else entirely.",
            "Text."
        ]
    );
    let code = visible(select(&html, "pre > code")[0]);
    assert_eq!(
        code,
        "function generateSeed() {}\n// Example 1: writing an experiment id\n"
    );
}

#[test]
fn cells_split_on_unescaped_pipes_and_join_back() {
    let line = "| a \\| b | `c` |\n";
    assert_eq!(cells(line), ["", " a \\| b ", " `c` ", "\n"]);
    assert_eq!(cells(line).join("|"), line);
    assert_eq!(cells("no pipes"), ["no pipes"]);
}

/// Cells swapped between rows: a word diff of the whole row could align the
/// pipes so that the combined row has more cells than the table, and GFM
/// drops the excess. Diffed cell by cell, every cell's text is shown.
#[test]
fn a_reordered_row_loses_no_cell() {
    let html = render(&[
        (E, "| X | Y |\n|---|---|\n"),
        (D, "| a | b |\n| keep | row |"),
        (I, "| b | c |\n| keep | row |"),
        (E, "\n"),
    ]);
    let cells: Vec<_> = select(&html, "tbody td, table > tr td, tr td")
        .into_iter()
        .map(|td| spoken(td).trim().to_string())
        .collect();
    assert_eq!(
        cells[..2],
        ["deleted: a inserted: b", "deleted: b inserted: c"],
        "{cells:?}"
    );
    assert!(select(&html, "table").len() == 1);
    assert_eq!(select(&html, "tr").len(), 3);
}

/// Rows of different widths are shown as two rows, not joined into one.
#[test]
fn rows_with_different_cells_stay_separate_rows() {
    let html = render(&[
        (E, "| X | Y | Z |\n|---|---|---|\n| "),
        (D, "one | two |\n| second | row | here |"),
        (I, "one | two | three |\n| second | row | here |"),
        (E, "\n"),
    ]);
    let text = visible(html.root_element());
    for word in ["one", "two", "three", "second", "row", "here"] {
        assert!(text.contains(word), "{word} missing: {text}");
    }
}

/// A row gaining a cell next to a row losing one: each shown as its own row.
#[test]
fn rows_of_different_widths_are_not_merged() {
    let html = render(&[
        (E, "| X | Y | Z |\n|---|---|---|\n"),
        (D, "| p | q | r |\n"),
        (I, "| p | q | r | s | t |\n"),
        (E, "| u | v | w |\n"),
    ]);
    assert_eq!(
        select(&html, "tr").len(),
        4,
        "head, old row, new row, kept row"
    );
    let text = visible(html.root_element());
    // The new row is wider than the table: GFM itself drops its extra cells
    // ("s", "t"), as it would on the explainer page; the old row is whole.
    assert_eq!(
        select(&html, "tr")[1]
            .select(&Selector::parse("del").unwrap())
            .count(),
        3,
        "{text}"
    );
}
