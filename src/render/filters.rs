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
    Ok(crate::markdown::escape_inline(&text.to_string()))
}

/// Make user text safe for a terminal: drop control characters (ANSI escape
/// sequences in an explainer must not drive the reader's terminal).
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
pub(crate) fn strip_controls(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
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

    #[test]
    fn controls_are_stripped() {
        assert_eq!(
            strip_controls("a\u{1b}[31mred\u{7}\nb\tc"),
            "a[31mred\nb\tc"
        );
    }
}
