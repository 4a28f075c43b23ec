//! Markdown escaping shared by the stored form (plain-text captures become
//! Markdown bodies) and the Markdown reports: askama does not escape `.md`
//! templates, so every user string passes through here.

/// Escape text so CommonMark reads it as text. Only what CommonMark could read as markup is escaped,
/// so the stored Markdown stays readable ("5.2 per cent" is left alone). Covers CommonMark
/// plus the GFM extensions (tables, strikethrough, footnotes, wikilinks); `$` and `^` are
/// left alone because news text is full of them and no reader of the body enables math.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    // An ordered-list marker at the start ("12. " or "3)" alone): escape its punctuation.
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let list_number = (1..=9).contains(&digits)
        && matches!(chars.get(digits), Some('.' | ')'))
        && chars.get(digits + 1).is_none_or(|c| c.is_whitespace());
    for (i, &c) in chars.iter().enumerate() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' => true,
            '#' | '-' | '+' => i == 0,
            '.' | ')' => list_number && i == digits,
            '&' => starts_entity(chars.get(i + 1..).unwrap_or_default()),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    // "## Heading #" would lose its final '#' as a closing sequence.
    if out.ends_with('#') && !out.ends_with("\\#") {
        out.pop();
        out.push_str("\\#");
    }
    out
}

/// Does `&` followed by `rest` look like an entity (`&amp;`, `&#123;`)?
fn starts_entity(rest: &[char]) -> bool {
    let name = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && rest.get(name) == Some(&';')
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
