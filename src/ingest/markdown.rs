//! Markdown input: the body is kept as written (after line-end normalisation);
//! only the title heading moves to the front matter.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::typography::normalise_caseless;

/// A Markdown input's title (when found in the body) and canonical body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MarkdownInput {
    /// The first `# ` heading's text, when the front matter named no title.
    pub title: Option<String>,
    /// The body: trailing whitespace trimmed, no leading blank lines, one final newline
    /// (empty when there is no content).
    pub body: String,
}

/// Read a Markdown body, `text[from..]` (what follows the front matter). Without
/// `known_title`, the first level-1 heading is the title and leaves the body; with
/// one, a level-1 heading repeating it first thing leaves too.
pub(crate) fn read(text: String, from: usize, known_title: Option<&str>) -> MarkdownInput {
    let mut body = tidy(text.get(from..).unwrap_or_default());
    // Freed now, so what follows reuses its memory rather than touching new pages.
    drop(text);
    let found = match known_title {
        None => first_h1(&body),
        Some(_) => leading_h1(&body),
    };
    let Some((range, heading)) = found else {
        return MarkdownInput { title: None, body };
    };
    let remove = match known_title {
        None => true,
        Some(title) => {
            range.start == 0 && normalise_caseless(title) == normalise_caseless(&heading)
        }
    };
    if !remove {
        return MarkdownInput { title: None, body };
    }
    // The heading and the blank lines around it become one blank line (none at the
    // start), in place; then the tidy again, which only a heading inside a
    // container (`> # Title` leaves `> ` behind) can still change.
    let before = body
        .get(..range.start)
        .unwrap_or_default()
        .trim_end_matches('\n')
        .len();
    let after = body.get(range.end..).map_or(body.len(), |rest| {
        body.len() - rest.trim_start_matches('\n').len()
    });
    let joint = if before == 0 { "" } else { "\n\n" };
    if before <= after && body.is_char_boundary(before) && body.is_char_boundary(after) {
        body.replace_range(before..after, joint);
    }
    if !is_tidy(&body) {
        body = tidy(&body);
    }
    MarkdownInput {
        title: known_title.is_none().then_some(heading),
        body,
    }
}

/// Trailing whitespace off every line, no leading blank lines, exactly one final newline.
fn tidy(text: &str) -> String {
    let mut body = String::with_capacity(text.len() + 1);
    // Line ends found with one vectorised scan (`str::lines` searches per line):
    // a last empty piece after a final newline is dropped with the trailing blanks.
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for end in ends {
        let line = text.get(start..end).unwrap_or("").trim_end();
        start = end + 1;
        if body.is_empty() && line.is_empty() {
            continue;
        }
        body.push_str(line);
        body.push('\n');
    }
    let end = body.trim_end().len();
    body.truncate(end);
    if !body.is_empty() {
        body.push('\n');
    }
    body
}

/// Would [`tidy`] leave `text` as it is?
fn is_tidy(text: &str) -> bool {
    if text.is_empty() {
        return true;
    }
    // No leading blank line, and one final newline with no whitespace before it.
    if text.starts_with('\n') || !text.ends_with('\n') || text.trim_end().len() + 1 != text.len() {
        return false;
    }
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes()).all(|end| {
        let line = text.get(start..end).unwrap_or("");
        start = end + 1;
        line.trim_end().len() == line.len()
    })
}

/// Byte range and plain text of the first level-1 heading (ATX or setext).
///
/// Every heading line holds a `#` (ATX) or an `=` (setext underline), and
/// whether a line is a heading depends only on the lines before it: so the
/// text up to the end of the first such line is parsed first, not the whole
/// body (most documents open with their title). A heading with `[` may be a
/// reference link defined further down, so it, or no heading there, falls
/// back to parsing everything.
fn first_h1(body: &str) -> Option<(std::ops::Range<usize>, String)> {
    let marker = memchr::memchr2(b'#', b'=', body.as_bytes())?;
    let line_end = memchr::memchr(b'\n', body.as_bytes().get(marker..).unwrap_or_default())
        .map_or(body.len(), |n| marker + n + 1);
    if let Some(prefix) = body.get(..line_end) {
        if let Some(found) = first_h1_parsed(prefix) {
            if !body.get(found.0.clone()).unwrap_or("[").contains('[') {
                return Some(found);
            }
        }
    }
    first_h1_parsed(body)
}

/// The level-1 heading the body opens with, if any: the only one that can repeat
/// a title the front matter already gave. It lies in the first block, up to the
/// first blank line, so only that is parsed (a body with no heading near its top
/// was parsed whole); a heading with `[` may hold a reference link defined
/// further down, so it is read from the whole body.
fn leading_h1(body: &str) -> Option<(std::ops::Range<usize>, String)> {
    let first_block = memchr::memmem::find(body.as_bytes(), b"\n\n").map_or(body.len(), |i| i + 1);
    let found = first_h1_parsed(body.get(..first_block)?).filter(|(r, _)| r.start == 0)?;
    if body.get(found.0.clone()).unwrap_or("[").contains('[') {
        return first_h1_parsed(body).filter(|(r, _)| r.start == 0);
    }
    Some(found)
}

fn first_h1_parsed(body: &str) -> Option<(std::ops::Range<usize>, String)> {
    let mut inside: Option<(std::ops::Range<usize>, String)> = None;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => inside = Some((range, String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = inside.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, text)) = inside.as_mut() {
                    text.push(' ');
                }
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                return inside
                    .map(|(r, t)| (r, t.split_whitespace().collect::<Vec<_>>().join(" ")));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_h1_becomes_title_and_leaves_body() {
        let m = read(
            "\n# The *real* title\n\nLead para.  \n\n## Section\n\nText.\n\n\n".to_string(),
            0,
            None,
        );
        assert_eq!(m.title.as_deref(), Some("The real title"));
        assert_eq!(m.body, "Lead para.\n\n## Section\n\nText.\n");
    }

    #[test]
    fn h1_after_lead_is_cut_cleanly() {
        let m = read("Lead.\n\nTitle\n=====\n\nMore.".to_string(), 0, None);
        assert_eq!(m.title.as_deref(), Some("Title"));
        assert_eq!(m.body, "Lead.\n\nMore.\n");
    }

    #[test]
    fn no_h1_keeps_body_and_no_title() {
        let m = read(
            "## Only a section\n\nText with # not heading\n".to_string(),
            0,
            None,
        );
        assert_eq!(m.title, None);
        assert_eq!(m.body, "## Only a section\n\nText with # not heading\n");
        // A "#" inside a code block is not a heading.
        let m = read("```\n# comment\n```\n".to_string(), 0, None);
        assert_eq!(m.title, None);
    }

    proptest::proptest! {
        /// Synthetic Markdown: the prefix shortcut finds what a full parse finds.
        #[test]
        fn first_h1_shortcut_matches_a_full_parse(
            body in "(# |## |=+|-+|> |```\n|    |\\[x\\]|\\[x\\]: /u\n|Title|text|#|\n|\n\n| ){0,24}"
        ) {
            proptest::prop_assert_eq!(first_h1(&body), first_h1_parsed(&body));
        }

        #[test]
        fn leading_h1_matches_a_full_parse(
            body in "(# |## |=+|-+|> |```\n|    |\\[x\\]|\\[x\\]: /u\n|Title|text|#|\n|\n\n| ){0,24}"
        ) {
            let full = first_h1_parsed(&body).filter(|(r, _)| r.start == 0);
            proptest::prop_assert_eq!(leading_h1(&body), full);
        }

        #[test]
        fn tidy_matches_line_joining(text in "( |\t|a|b|\n|\r\n){0,24}") {
            let lines: Vec<&str> = text.lines().map(str::trim_end).skip_while(|l| l.is_empty()).collect();
            let mut expected = lines.join("\n");
            expected.truncate(expected.trim_end().len());
            if !expected.is_empty() {
                expected.push('\n');
            }
            proptest::prop_assert_eq!(tidy(&text), expected);
        }

        #[test]
        fn is_tidy_means_tidy_changes_nothing(text in "( |\t|a|\u{a0}|\n|\n\n){0,24}") {
            proptest::prop_assert_eq!(is_tidy(&text), tidy(&text) == text);
        }
    }

    #[test]
    fn the_body_starts_after_the_front_matter_and_a_quoted_title_leaves_its_marker() {
        let m = read(
            "+++\ntitle = \"x\"\n+++\n\n# Title\n\nText.  \n".to_string(),
            20,
            None,
        );
        assert_eq!(m.title.as_deref(), Some("Title"));
        assert_eq!(m.body, "Text.\n");
        // The heading's range starts after `> `: what is left is tidied as before.
        let m = read("> # Title\n\nText.\n".to_string(), 0, None);
        assert_eq!(m.title.as_deref(), Some("Title"));
        assert_eq!(m.body, ">\n\nText.\n");
    }

    #[test]
    fn known_title_drops_only_a_repeating_first_heading() {
        let m = read(
            "# Ukraine peace talks explained\n\nText.\n".to_string(),
            0,
            Some("Ukraine peace talks explained"),
        );
        assert_eq!(
            m,
            MarkdownInput {
                title: None,
                body: "Text.\n".into()
            }
        );
        let m = read(
            "# Another heading\n\nText.\n".to_string(),
            0,
            Some("Ukraine"),
        );
        assert_eq!(m.body, "# Another heading\n\nText.\n");
    }
}
