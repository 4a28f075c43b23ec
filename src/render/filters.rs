//! Our own askama filters and escapers. `askama.toml` makes [`Terminal`] the
//! escaper of every `.txt` template and [`Xml`] that of every `.xml` one, so
//! nothing printed to a terminal or written into a feed can skip them; `.html`
//! templates keep askama's HTML escaper. `.md` templates are not escaped by
//! askama (Markdown escaping depends on where the text sits), so every user
//! string in them goes through `md` here.

use std::fmt::{self, Display};

use askama::filters::Escaper;
use askama::{Result, Values};

/// Escape user text for inline Markdown (GitHub-flavoured): backslash every
/// character that could start markup, keep the text on one line so it cannot
/// break the surrounding structure (list item, quote, table cell), and
/// neutralise `@mentions` and issue references (see [`neutralise_references`]).
#[askama::filter_fn]
pub fn md(text: impl Display, _: &dyn Values) -> Result<String> {
    Ok(neutralise_references(&crate::markdown::escape_inline(
        &text.to_string(),
    )))
}

/// U+2060 WORD JOINER: invisible, and not a character GitHub's autolinker
/// accepts after `@`, `#` or `GH-`.
const WORD_JOINER: char = '\u{2060}';

/// Keep a Markdown report posted as a pull-request comment from pinging people
/// or cross-linking issues because of what an explainer, note or editor name
/// says: a word joiner goes after `@` before a name (`@alice`, `@org/team`),
/// after `#` before a digit (`#123`, `owner/repo#123`) and after `GH-` before a
/// digit (any case). Readers see the same text.
pub(crate) fn neutralise_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    // The last four characters written, lower-cased, to spot a `gh-` that
    // starts a word (`high-5` is no reference).
    let mut recent = [' '; 4];
    while let Some(c) = chars.next() {
        out.push(c);
        recent = [recent[1], recent[2], recent[3], c.to_ascii_lowercase()];
        let Some(&next) = chars.peek() else {
            break;
        };
        let reference = match c {
            '@' => next.is_ascii_alphanumeric(),
            '#' => next.is_ascii_digit(),
            '-' => {
                next.is_ascii_digit() && recent[1..3] == ['g', 'h'] && !recent[0].is_alphanumeric()
            }
            _ => false,
        };
        if reference {
            out.push(WORD_JOINER);
        }
    }
    out
}

/// The escaper of `.txt` templates (terminal output): control characters go,
/// newline and tab stay, so text from the store cannot move the cursor, clear
/// the screen or retitle the window. Colour codes that redline itself writes
/// are marked safe (`Ansi`).
#[derive(Debug, Clone, Copy)]
pub struct Terminal;

impl Escaper for Terminal {
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        for piece in string.split(is_terminal_control) {
            dest.write_str(piece)?;
        }
        Ok(())
    }
}

/// An ANSI sequence redline writes on purpose (colours), left alone by [`Terminal`].
pub(crate) type Ansi = askama::filters::Safe<&'static str>;

/// The escaper of `.xml` templates (Atom feeds): characters XML 1.0 forbids
/// (controls other than tab, newline and carriage return; U+FFFE, U+FFFF) are
/// dropped, since not even a character reference may name them; the rest is
/// escaped as askama escapes HTML.
#[derive(Debug, Clone, Copy)]
pub struct Xml;

impl Escaper for Xml {
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        for piece in string.split(|c: char| !is_xml_char(c)) {
            askama::filters::Html.write_escaped_str(&mut dest, piece)?;
        }
        Ok(())
    }
}

/// The `Char` production of XML 1.0 (surrogates cannot occur in a `str`).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{fffd}' | '\u{10000}'..)
}

/// Make user text safe for a terminal: drop control characters (ANSI escape
/// sequences in an explainer must not drive the reader's terminal). `.txt`
/// templates get this from their [`Terminal`] escaper anyway.
#[askama::filter_fn]
pub fn plain(text: impl Display, _: &dyn Values) -> Result<String> {
    Ok(strip_controls(&text.to_string()))
}

/// Keep user text on one line (a change note or a code line in a list item):
/// runs of whitespace with a line break become one space.
#[askama::filter_fn]
pub fn oneline(text: impl Display, _: &dyn Values) -> Result<String> {
    let text = text.to_string();
    if !text.contains(['\n', '\r']) {
        return Ok(text);
    }
    Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Remove control characters except newline and tab.
pub fn strip_controls(text: &str) -> String {
    text.chars().filter(|&c| !is_terminal_control(c)).collect()
}

/// A character terminal output drops: any control character (C0, DEL, C1)
/// but newline and tab.
fn is_terminal_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::escape_inline as escape_markdown;

    #[test]
    fn markdown_markup_is_escaped() {
        assert_eq!(
            escape_markdown("a *b* [c](d) <script>"),
            r"a \*b\* \[c\](d) \<script\>"
        );
        assert_eq!(escape_markdown("- item"), r"\- item");
        assert_eq!(escape_markdown("2025. A year"), r"2025\. A year");
        assert_eq!(escape_markdown("line one\n\n# two"), "line one # two");
        assert_eq!(escape_markdown("# two"), r"\# two");
        assert_eq!(escape_markdown("a | b"), r"a \| b");
        assert_eq!(escape_markdown(" began "), " began ");
        assert_eq!(
            escape_markdown("plain words, 5.2 per cent"),
            "plain words, 5.2 per cent"
        );
    }

    fn escaped(escaper: impl Escaper, text: &str) -> String {
        let mut out = String::new();
        escaper.write_escaped_str(&mut out, text).unwrap();
        out
    }

    #[test]
    fn terminal_escaper_drops_controls_and_keeps_lines() {
        assert_eq!(
            escaped(Terminal, "a\u{1b}]0;title\u{7}b\u{9b}2J\nc\td\u{7f}"),
            "a]0;titleb2J\nc\td"
        );
    }

    #[test]
    fn xml_escaper_drops_what_xml_forbids_and_escapes_markup() {
        assert_eq!(
            escaped(
                Xml,
                "a\u{7}<b>&\u{1b}\u{b}\u{c}\u{fffe}\u{ffff}\r\n\t\u{85}é"
            ),
            "a&#60;b&#62;&#38;\r\n\t\u{85}é"
        );
    }

    #[test]
    fn references_and_mentions_are_broken_and_the_rest_kept() {
        let j = WORD_JOINER;
        assert_eq!(
            neutralise_references("@alice, #12, GH-3, gh-4, org/repo#5, @org/team"),
            format!("@{j}alice, #{j}12, GH-{j}3, gh-{j}4, org/repo#{j}5, @{j}org/team")
        );
        for kept in [
            "a @ b",
            "# heading",
            "C# and F#",
            "GH-x",
            "high-5",
            "v2-3",
            "@",
            "#",
        ] {
            assert_eq!(neutralise_references(kept), kept);
        }
    }

    #[test]
    fn controls_are_stripped() {
        assert_eq!(
            strip_controls("a\u{1b}[31mred\u{7}\nb\tc"),
            "a[31mred\nb\tc"
        );
    }
}
