//! Our own askama filters. askama escapes `.html` and `.xml` templates itself;
//! `.md` and `.txt` templates are not escaped, so every user string in them goes
//! through `md` (Markdown) or `plain` (terminal text) here.

use std::fmt::Display;

use askama::{Result, Values};

/// Escape user text for inline Markdown (GitHub-flavoured): backslash every
/// character that could start markup, keep the text on one line so it cannot
/// break the surrounding structure (list item, quote, table cell).
#[askama::filter_fn]
pub fn md(text: impl Display, _: &dyn Values) -> Result<String> {
    Ok(escape_markdown(&text.to_string()))
}

/// Make user text safe for a terminal: drop control characters (ANSI escape
/// sequences in an explainer must not drive the reader's terminal).
#[askama::filter_fn]
pub fn plain(text: impl Display, _: &dyn Values) -> Result<String> {
    Ok(strip_controls(&text.to_string()))
}

/// The Markdown escaping behind the `md` filter.
pub(crate) fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut at_start = true;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            // Newlines would end a list item or quote; collapse all runs to one space
            // (kept at the edges: a word-diff piece needs its separating space).
            pending_space = true;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if c.is_control() {
            continue;
        }
        let escape = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!'
        ) || (at_start && matches!(c, '-' | '+' | '='));
        if escape {
            out.push('\\');
        }
        out.push(c);
        at_start = false;
    }
    if pending_space {
        out.push(' ');
    }
    // "1. text" at the start would become an ordered list: escape the dot.
    let digits = out.trim_start().len();
    let lead = out.len() - digits;
    if let Some(pos) = out[lead..]
        .find(|c: char| !c.is_ascii_digit())
        .map(|p| p + lead)
    {
        if pos > lead && matches!(out.as_bytes().get(pos), Some(b'.') | Some(b')')) {
            out.insert(pos, '\\');
        }
    }
    out
}

/// Remove control characters except newline and tab.
pub(crate) fn strip_controls(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_markup_is_escaped() {
        assert_eq!(
            escape_markdown("a *b* [c](d) <script>"),
            r"a \*b\* \[c\](d) \<script\>"
        );
        assert_eq!(escape_markdown("- item"), r"\- item");
        assert_eq!(escape_markdown("2025. A year"), r"2025\. A year");
        assert_eq!(escape_markdown("line one\n\n# two"), r"line one \# two");
        assert_eq!(escape_markdown(" began "), " began ");
        assert_eq!(
            escape_markdown("plain words, 5.2 per cent"),
            "plain words, 5.2 per cent"
        );
    }

    #[test]
    fn controls_are_stripped() {
        assert_eq!(
            strip_controls("a\u{1b}[31mred\u{7}\nb\tc"),
            "a[31mred\nb\tc"
        );
    }
}
