//! Plain-text captures of web pages (what a browser's "copy all" gives): one
//! paragraph per line, bare question lines as headings, image markers followed by
//! map labels, page furniture and datelines mixed in. Turned into canonical
//! Markdown through `templates/document.md`.

use askama::Template;
use chrono::{DateTime, FixedOffset};

use super::rules::Rules;
use crate::error::Result;
use crate::typography::normalise_caseless;

/// One block of a plain-text capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TextBlock {
    /// A `## ` heading.
    Heading(String),
    /// A paragraph (one line of the capture).
    Paragraph(String),
    /// An image's labels, one per line, kept verbatim and whole.
    Figure(Vec<String>),
}

/// What a capture says about itself besides its blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Capture {
    /// The title taken from the first line, when the caller had none.
    pub title: Option<String>,
    /// The publisher's updated time lifted from an "Updated …" line or dateline.
    pub updated: Option<DateTime<FixedOffset>>,
    /// The publisher whose page furniture was found.
    pub publisher: Option<String>,
    /// Content blocks in order.
    pub blocks: Vec<TextBlock>,
}

/// A line of the capture after furniture and datelines are gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line<'a> {
    Blank,
    Text(&'a str),
}

/// Read a capture (already normalised to LF, front matter removed). `known_title` is the
/// front matter's title: a first line repeating it is dropped rather than kept as content.
pub(crate) fn read(text: &str, rules: &Rules, known_title: Option<&str>) -> Capture {
    let mut capture = Capture::default();
    let mut lines = Vec::new();
    let mut content_lines = 0usize;
    let furniture = rules.furniture();
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            lines.push(Line::Blank);
            continue;
        }
        if let Some(publisher) = furniture.publisher_of(line) {
            capture
                .publisher
                .get_or_insert_with(|| publisher.name.clone());
            continue;
        }
        content_lines += 1;
        if content_lines <= rules.updated_search_lines {
            if let Some(t) = rules.updated_time(line) {
                // Several dates ("Published …", "Updated …"): the latest is the version's.
                capture.updated = Some(capture.updated.map_or(t, |u| u.max(t)));
                continue;
            }
        }
        lines.push(Line::Text(line));
    }

    let first = lines.iter().position(|l| matches!(l, Line::Text(_)));
    if let Some(i) = first {
        if let Some(Line::Text(line)) = lines.get(i).copied() {
            let drop = match known_title {
                Some(title) => normalise_caseless(title) == normalise_caseless(line),
                None => is_title_like(line),
            };
            if drop {
                if known_title.is_none() {
                    capture.title = Some(line.to_string());
                }
                lines.remove(i);
            }
        }
    }

    capture.blocks = blocks(&lines, rules);
    capture
}

/// Group lines into blocks: figures after image markers, headings, paragraphs.
fn blocks(lines: &[Line<'_>], rules: &Rules) -> Vec<TextBlock> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(line) = lines.get(i).copied() {
        i += 1;
        let Line::Text(text) = line else { continue };
        if rules.is_figure_marker(text) {
            let mut labels = Vec::new();
            while let Some(Line::Text(label)) = lines.get(i).copied() {
                if !is_label(label, rules) {
                    break;
                }
                labels.push(label.to_string());
                i += 1;
            }
            // A marker with no labels is capture noise (an image without text): dropped.
            if !labels.is_empty() {
                out.push(TextBlock::Figure(labels));
            }
        } else if is_heading(text, rules) {
            out.push(TextBlock::Heading(text.to_string()));
        } else {
            out.push(TextBlock::Paragraph(text.to_string()));
        }
    }
    out
}

/// Has `text` at most `max` words? Stops counting early, so long paragraphs cost little.
fn at_most_words(text: &str, max: usize) -> bool {
    text.split_whitespace().nth(max).is_none()
}

/// Does a sentence end before the last character ("Work? Who…", "war. But…")?
fn has_inner_sentence_break(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['?', '!', '.', '"', '”', '’', '\'', ')']);
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, '.' | '?' | '!') {
            // Skip closing quotes, then a space and an upper-case letter start a new sentence.
            let mut rest = chars.clone();
            while rest
                .peek()
                .is_some_and(|n| matches!(n, '"' | '”' | '’' | '\'' | ')'))
            {
                rest.next();
            }
            if rest.next().is_some_and(char::is_whitespace)
                && rest
                    .peek()
                    .is_some_and(|n| n.is_uppercase() || matches!(n, '"' | '“' | '‘'))
            {
                return true;
            }
        }
    }
    false
}

/// Could this first line be the title (one sentence, not a long paragraph)?
fn is_title_like(text: &str) -> bool {
    at_most_words(text, 24) && !has_inner_sentence_break(text)
}

/// A bare question line or a short line without final punctuation.
fn is_heading(text: &str, rules: &Rules) -> bool {
    if !text.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) {
        return false;
    }
    if text.ends_with('?') {
        return at_most_words(text, rules.question_heading_max_words)
            && !has_inner_sentence_break(text);
    }
    let last = text.chars().last();
    last.is_some_and(|c| c.is_alphanumeric()) && at_most_words(text, rules.plain_heading_max_words)
}

/// A map label: short in words and characters.
fn is_label(text: &str, rules: &Rules) -> bool {
    text.chars().nth(rules.figure_label_max_chars).is_none()
        && at_most_words(text, rules.figure_label_max_words)
}

/// A block as the template sees it (figures carry their fence).
#[derive(Debug)]
enum BodyBlock<'a> {
    Heading(&'a str),
    Paragraph(&'a str),
    Figure { fence: String, labels: &'a [String] },
}

/// The canonical Markdown body of a capture.
#[derive(Template)]
#[template(path = "document.md", escape = "none")]
struct BodyTemplate<'a> {
    blocks: Vec<BodyBlock<'a>>,
}

/// Render blocks as canonical Markdown: blocks separated by one blank line, headings
/// `## `, figures fenced with info string `figure`, text escaped so it stays text.
pub(crate) fn render(blocks: &[TextBlock]) -> Result<String> {
    let blocks = blocks
        .iter()
        .map(|b| match b {
            TextBlock::Heading(t) => BodyBlock::Heading(t),
            TextBlock::Paragraph(t) => BodyBlock::Paragraph(t),
            TextBlock::Figure(labels) => BodyBlock::Figure {
                fence: fence_for(labels),
                labels,
            },
        })
        .collect();
    let mut body = BodyTemplate { blocks }
        .render()
        .map_err(crate::error::Error::render)?;
    // Exactly one final newline, whatever the template's trailing whitespace.
    let end = body.trim_end().len();
    body.truncate(end);
    body.push('\n');
    Ok(body)
}

/// A backtick fence longer than any backtick run in the labels, so no label closes it.
fn fence_for(labels: &[String]) -> String {
    let longest = labels
        .iter()
        .flat_map(|l| l.split(|c| c != '`').map(str::len))
        .max()
        .unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// Template filters.
mod filters {
    /// Escape text so CommonMark reads it as text: inline markup characters anywhere,
    /// block markers (`#`, `-`, `+`, `*`, `>`, `1.`) at the start, a closing `#` at the end.
    #[askama::filter_fn]
    pub fn md_escape<T: std::fmt::Display>(
        text: T,
        _: &dyn askama::Values,
    ) -> askama::Result<String> {
        Ok(crate::markdown::escape(&text.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::escape as escape_markdown;

    fn rules() -> Rules {
        Rules::shipped()
    }

    #[test]
    fn question_lines_become_headings_but_multi_question_paragraphs_do_not() {
        let r = rules();
        assert!(is_heading(
            "What talks have taken place and who is involved?",
            &r
        ));
        assert!(is_heading("What about troops from other countries?", &r));
        assert!(!is_heading("But how would those talks actually work? Who would be involved? What could a deal look like?", &r));
        assert!(!is_heading("Is this a very long question line that goes on and on for more than fourteen words in total?", &r));
        assert!(is_heading("The state of play", &r));
        assert!(!is_heading(
            "These annexations have been widely condemned.",
            &r
        ));
        assert!(!is_heading("lower case fragment", &r));
    }

    #[test]
    fn figure_runs_to_the_end_of_the_short_lines() {
        let text = "Title here\nA paragraph that is long enough to not be a label at all, surely.\nImage\nUkraine holds\nterritory in Russia’s\nKursk region.\nBELARUS\nAfter the map there is a long paragraph that ends the figure run.\n";
        let c = read(text, &rules(), None);
        assert_eq!(c.title.as_deref(), Some("Title here"));
        assert_eq!(
            c.blocks,
            vec![
                TextBlock::Paragraph(
                    "A paragraph that is long enough to not be a label at all, surely.".into()
                ),
                TextBlock::Figure(vec![
                    "Ukraine holds".into(),
                    "territory in Russia’s".into(),
                    "Kursk region.".into(),
                    "BELARUS".into()
                ]),
                TextBlock::Paragraph(
                    "After the map there is a long paragraph that ends the figure run.".into()
                ),
            ]
        );
    }

    #[test]
    fn long_first_line_is_not_a_title() {
        let c = read(
            "This is a dek. It has two sentences and should stay content.\nMore.\n",
            &rules(),
            None,
        );
        assert_eq!(c.title, None);
        assert_eq!(c.blocks.len(), 2);
    }

    #[test]
    fn escaping_keeps_text_text() {
        assert_eq!(escape_markdown("# not a heading"), "\\# not a heading");
        assert_eq!(escape_markdown("- not a list"), "\\- not a list");
        assert_eq!(escape_markdown("+ nor this"), "\\+ nor this");
        assert_eq!(
            escape_markdown("* nor this *emph*"),
            "\\* nor this \\*emph\\*"
        );
        assert_eq!(escape_markdown("> no quote"), "\\> no quote");
        assert_eq!(escape_markdown("1. not a list"), "1\\. not a list");
        assert_eq!(escape_markdown("2025) was a year"), "2025\\) was a year");
        assert_eq!(escape_markdown("In 2022. Then"), "In 2022. Then");
        assert_eq!(escape_markdown("1.5 million"), "1.5 million");
        assert_eq!(escape_markdown("7."), "7\\.");
        assert_eq!(
            escape_markdown("a_b [link](x) <b> `code` \\ ~~s~~ ![i]"),
            "a\\_b \\[link\\](x) \\<b\\> \\`code\\` \\\\ \\~\\~s\\~\\~ !\\[i\\]"
        );
        assert_eq!(escape_markdown("AT&T &amp; co"), "AT&T \\&amp; co");
        assert_eq!(escape_markdown("ends with #"), "ends with \\#");
        assert_eq!(
            escape_markdown("Mr Trump’s “deal” – 5.2 per cent"),
            "Mr Trump’s “deal” – 5.2 per cent"
        );
    }

    #[test]
    fn rendered_body_shape() {
        let body = render(&[
            TextBlock::Paragraph("Lead *para*.".into()),
            TextBlock::Heading("What next?".into()),
            TextBlock::Paragraph("Text.".into()),
            TextBlock::Figure(vec!["Ukraine holds".into(), "a ``` label".into()]),
        ])
        .unwrap();
        assert_eq!(body, "Lead \\*para\\*.\n\n## What next?\n\nText.\n\n````figure\nUkraine holds\na ``` label\n````\n");
    }

    #[test]
    fn escaped_text_parses_back_as_plain_paragraphs() {
        let nasty = [
            "# h",
            "- l",
            "1. o",
            "7.",
            "> q",
            "***",
            "---",
            "<div>",
            "a *b* _c_ `d` [e](f) &amp; \\",
            "===",
            "Heading #",
            "+",
            "<https://x.y>",
            "&#35; x",
            "1) y",
        ];
        for text in nasty {
            let body = render(&[TextBlock::Paragraph(text.into())]).unwrap();
            assert_plain_paragraph(&body, text);
        }
    }

    /// `body` parses as exactly one paragraph of plain text equal to `text`.
    fn assert_plain_paragraph(body: &str, text: &str) {
        use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
        // Every extension a reader of the body might enable, except those that change text
        // by design (smart punctuation) or claim ordinary news characters (`$` math, `^`).
        let options = Options::all()
            - Options::ENABLE_SMART_PUNCTUATION
            - Options::ENABLE_MATH
            - Options::ENABLE_SUPERSCRIPT;
        let events: Vec<Event> = Parser::new_ext(body, options).collect();
        let first = events.first();
        let last = events.last();
        assert!(
            matches!(first, Some(Event::Start(Tag::Paragraph))),
            "{text:?} -> {body:?}: {events:?}"
        );
        assert!(
            matches!(last, Some(Event::End(TagEnd::Paragraph))),
            "{text:?} -> {body:?}: {events:?}"
        );
        let inner = events.get(1..events.len() - 1).unwrap_or_default();
        let mut plain = String::new();
        for e in inner {
            match e {
                Event::Text(t) => plain.push_str(t),
                other => panic!("{text:?} -> {body:?}: markup {other:?}"),
            }
        }
        assert_eq!(plain, text, "{body:?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Whatever a capture line holds, it comes back as the same plain text.
        #[test]
        fn any_line_stays_plain_text(text in "[a-zA-Z0-9 #*_`\\[\\]()<>!&;.:=+~|\\\\-]{1,24}") {
            let text = text.trim();
            proptest::prop_assume!(!text.is_empty());
            let body = render(&[TextBlock::Paragraph(text.to_string())]).unwrap();
            assert_plain_paragraph(&body, text);
            let heading = render(&[TextBlock::Heading(text.to_string())]).unwrap();
            let inner = heading.strip_prefix("## ").unwrap();
            // The heading line holds the same escaped text and parses as one H2 with it.
            let events: Vec<pulldown_cmark::Event> = pulldown_cmark::Parser::new(&heading).collect();
            let texts: String = events.iter().filter_map(|e| match e { pulldown_cmark::Event::Text(t) => Some(t.to_string()), _ => None }).collect();
            assert!(matches!(events.first(), Some(pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { level: pulldown_cmark::HeadingLevel::H2, .. }))), "{heading:?}");
            assert_eq!(texts, text, "{heading:?}");
            assert_eq!(inner.trim_end(), escape_markdown(text));
        }
    }
}
