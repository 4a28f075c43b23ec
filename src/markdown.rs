//! Markdown escaping shared by the stored form (plain-text captures become
//! Markdown bodies) and the Markdown reports: askama does not escape `.md`
//! templates, so every user string passes through here.

/// Escape text so CommonMark reads it as text. Only what CommonMark could read as markup is escaped,
/// so the stored Markdown stays readable ("5.2 per cent" is left alone). Covers CommonMark
/// plus the GFM extensions (tables, strikethrough, footnotes, wikilinks); `$` and `^` are
/// left alone because news text is full of them and no reader of the body enables math.
pub(crate) fn escape(text: &str) -> String {
    // Every character that may need a backslash is ASCII, so the text is scanned as
    // bytes and the runs between those characters are copied whole (a UTF-8
    // continuation byte is never ASCII, so no character is split).
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 8);
    // An ordered-list marker at the start ("12. " or "3)" alone): escape its punctuation.
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let list_number = (1..=9).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && text
            .get(digits + 1..)
            .and_then(|rest| rest.chars().next())
            .is_none_or(char::is_whitespace);
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = match b {
            b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'<' | b'>' | b'~' => true,
            b'#' | b'-' | b'+' => i == 0,
            b'.' | b')' => list_number && i == digits,
            b'&' => starts_entity(bytes.get(i + 1..).unwrap_or_default()),
            _ => false,
        };
        if escape {
            out.push_str(text.get(copied..i).unwrap_or_default());
            out.push('\\');
            copied = i;
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    // "## Heading #" would lose its final '#' as a closing sequence.
    if out.ends_with('#') && !out.ends_with("\\#") {
        out.pop();
        out.push_str("\\#");
    }
    out
}

/// Does `&` followed by `rest` look like an entity (`&amp;`, `&#123;`)?
fn starts_entity(rest: &[u8]) -> bool {
    let name = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
        .count();
    name > 0 && rest.get(name) == Some(&b';')
}

/// Escape user text for one inline slot of a Markdown report (a list item, a
/// quote, a table cell): whitespace runs become one space, so a newline cannot end
/// the surrounding block, control characters go, and `|` cannot split a table cell.
pub(crate) fn escape_inline(text: &str) -> String {
    let mut one_line = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = true;
        } else if !c.is_control() {
            if pending_space {
                one_line.push(' ');
                pending_space = false;
            }
            one_line.push(c);
        }
    }
    // Kept at the edges: a word-diff piece needs its separating space.
    if pending_space {
        one_line.push(' ');
    }
    escape(&one_line).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character form `escape` had before it scanned bytes.
    fn escape_by_chars(text: &str) -> String {
        let mut out = String::new();
        let chars: Vec<char> = text.chars().collect();
        let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        let list_number = (1..=9).contains(&digits)
            && matches!(chars.get(digits), Some('.' | ')'))
            && chars.get(digits + 1).is_none_or(|c| c.is_whitespace());
        for (i, &c) in chars.iter().enumerate() {
            let entity = || {
                let rest = chars.get(i + 1..).unwrap_or_default();
                let name = rest
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
                    .count();
                name > 0 && rest.get(name) == Some(&';')
            };
            let escape = match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' => true,
                '#' | '-' | '+' => i == 0,
                '.' | ')' => list_number && i == digits,
                '&' => entity(),
                _ => false,
            };
            if escape {
                out.push('\\');
            }
            out.push(c);
        }
        if out.ends_with('#') && !out.ends_with("\\#") {
            out.pop();
            out.push_str("\\#");
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// Scanning bytes escapes exactly what scanning characters did.
        #[test]
        fn byte_scan_matches_char_scan(text in "([0-9]{0,3}[.)]?|[#+-])([\\\\`*_\\[\\]<>~#&;.)a-z0-9 ]|&amp;|&#35;|é|’|\u{a0}|\u{2003}|\n){0,16}") {
            proptest::prop_assert_eq!(escape(&text), escape_by_chars(&text));
        }
    }
}
