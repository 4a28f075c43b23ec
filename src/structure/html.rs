//! Raw HTML (and Liquid template tags) inside a Markdown body: what a reader
//! sees of it. Never prose: an HTML block is a table, a figure, other markup,
//! or nothing at all (comments only). A small tolerant scanner, not a DOM:
//! real documents hold unbalanced and template-laden HTML (`{%- for %}` rows,
//! `src="{% asset_path x.png %}"`), and all we need is visible text, image
//! labels and table rows, with byte ranges.

use std::borrow::Cow;
use std::ops::Range;

use super::collapse_whitespace;

/// What an HTML block is to a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HtmlKind {
    /// Only comments and whitespace: ignored.
    Nothing,
    /// Holds `<table>`/`<tr>`/`<td>`/`<th>`: read by row.
    Table,
    /// A `<figure>`/`<picture>`, or images without other visible text.
    Figure,
    /// Any other markup.
    Html,
}

/// An `<img>`'s labels.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Image {
    /// The `alt` attribute, entities decoded.
    pub alt: Option<String>,
    /// The `src` attribute, verbatim.
    pub src: Option<String>,
}

/// One HTML block as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HtmlReading {
    pub kind: HtmlKind,
    /// Visible text with images described (`Image: alt (src)`), whitespace collapsed.
    pub text: String,
    /// Table rows: source range (relative to the block) and cells' visible text.
    pub rows: Vec<(Range<usize>, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token<'a> {
    Comment,
    Liquid,
    Tag {
        /// Lower-cased (borrowed when it already is).
        name: Cow<'a, str>,
        closing: bool,
        attrs: &'a str,
        range: Range<usize>,
    },
    Text(&'a str),
}

/// Tags that sit inside a line of text: no space is added where they were.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

fn tokens<'a>(source: &'a str) -> Vec<Token<'a>> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut text_start = 0;
    // Once a `{%` has no `%}` after it, none later has: stop looking (linear time).
    let mut liquid_closes = true;
    let flush = |out: &mut Vec<Token<'a>>, from: usize, to: usize| {
        if to > from {
            if let Some(t) = source.get(from..to) {
                out.push(Token::Text(t));
            }
        }
    };
    while i < bytes.len() {
        // Only `<` and `{` can start a token: jump over the text up to the next one.
        if !matches!(bytes.get(i), Some(b'<' | b'{')) {
            i = memchr::memchr2(b'<', b'{', bytes.get(i..).unwrap_or_default())
                .map_or(bytes.len(), |k| i + k);
            continue;
        }
        let rest = source.get(i..).unwrap_or("");
        if rest.starts_with("<!--") {
            flush(&mut out, text_start, i);
            let end = rest
                .get(4..)
                .and_then(|r| r.find("-->"))
                .map_or(bytes.len(), |e| i + 4 + e + 3);
            out.push(Token::Comment);
            i = end;
            text_start = i;
            continue;
        }
        if liquid_closes && rest.starts_with("{%") {
            match rest.find("%}") {
                None => liquid_closes = false,
                Some(e) => {
                    flush(&mut out, text_start, i);
                    out.push(Token::Liquid);
                    i += e + 2;
                    text_start = i;
                    continue;
                }
            }
        }
        if bytes.get(i) == Some(&b'<')
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'))
        {
            if let Some(end) = tag_end(bytes, i + 1) {
                flush(&mut out, text_start, i);
                let inner = source.get(i + 1..end).unwrap_or("");
                let closing = inner.starts_with('/');
                let inner = inner.trim_start_matches('/');
                let name_len = inner
                    .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                    .unwrap_or(inner.len());
                out.push(Token::Tag {
                    name: lowercase(inner.get(..name_len).unwrap_or("")),
                    closing,
                    attrs: inner.get(name_len..).unwrap_or(""),
                    range: i..end + 1,
                });
                i = end + 1;
                text_start = i;
                continue;
            }
        }
        i += 1;
    }
    flush(&mut out, text_start, bytes.len());
    out
}

/// `name` in ASCII lower case, borrowed when it already is (nearly every tag):
/// an HTML table has a tag every few bytes.
fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Index of the `>` closing a tag that starts before `from`, skipping quoted values.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    // A tag longer than this is not a tag (and the scan stays linear on hostile text).
    const MAX_TAG: usize = 8 * 1024;
    for (k, &b) in bytes.iter().enumerate().skip(from).take(MAX_TAG) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(k),
            (None, b'<') if k > from => return None,
            _ => {}
        }
    }
    None
}

/// The value of attribute `name` in a tag's attribute text.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let bytes = attrs.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            i += 1;
        }
        let key_start = i;
        while bytes
            .get(i)
            .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'/' | b'>'))
        {
            i += 1;
        }
        let key = attrs.get(key_start..i).unwrap_or("");
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let mut value = None;
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = bytes
                        .iter()
                        .skip(start)
                        .position(|b| *b == q)
                        .map_or(bytes.len(), |p| start + p);
                    value = attrs.get(start..end);
                    i = end + 1;
                }
                _ => {
                    let start = i;
                    while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace()) {
                        i += 1;
                    }
                    value = attrs.get(start..i);
                }
            }
        }
        if key.is_empty() {
            i += 1;
            continue;
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value.unwrap_or("").to_string());
        }
    }
    None
}

/// Decode the common named entities and numeric references; others stay as written.
pub(crate) fn decode_entities(text: &str) -> Cow<'_, str> {
    if memchr::memchr(b'&', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + 1..).unwrap_or("");
        let decoded = after.find(';').filter(|e| *e <= 10).and_then(|e| {
            let name = after.get(..e)?;
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => '\u{a0}',
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = after.get(e + 1..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// How an image reads in text: `Image: alt (src)`.
pub(crate) fn describe(image: &Image) -> String {
    let mut out = String::from("Image:");
    if let Some(alt) = image.alt.as_deref().filter(|a| !a.trim().is_empty()) {
        out.push(' ');
        out.push_str(alt.trim());
    }
    if let Some(src) = image.src.as_deref().filter(|s| !s.trim().is_empty()) {
        out.push_str(" (");
        out.push_str(src.trim());
        out.push(')');
    }
    out
}

/// Every `<img>` in some HTML, in order.
pub(crate) fn images(source: &str) -> Vec<Image> {
    tokens(source)
        .into_iter()
        .filter_map(|t| match t {
            Token::Tag {
                name,
                closing: false,
                attrs,
                ..
            } if name == "img" => Some(Image {
                alt: attribute(attrs, "alt").map(|a| decode_entities(&a).into_owned()),
                src: attribute(attrs, "src"),
            }),
            _ => None,
        })
        .collect()
}

/// Read an HTML block (or an HTML-only paragraph).
pub(crate) fn read(source: &str) -> HtmlReading {
    let toks = tokens(source);
    let mut text = String::new();
    let mut plain_text = String::new();
    let mut any_markup = false;
    let mut kind_table = false;
    let mut kind_figure = false;
    let mut has_image = false;
    let mut rows: Vec<(Range<usize>, Vec<String>)> = Vec::new();
    let mut row: Option<(usize, usize, Vec<String>)> = None;
    let close_row = |row: &mut Option<(usize, usize, Vec<String>)>,
                     rows: &mut Vec<(Range<usize>, Vec<String>)>| {
        if let Some((start, end, cells)) = row.take() {
            let cells: Vec<String> = cells.iter().map(|c| collapse_whitespace(c)).collect();
            if cells.iter().any(|c| !c.is_empty()) {
                rows.push((start..end, cells));
            }
        }
    };
    for token in &toks {
        match token {
            Token::Comment => {}
            Token::Liquid => any_markup = true,
            Token::Text(t) => {
                let decoded = decode_entities(t);
                text.push_str(&decoded);
                plain_text.push_str(&decoded);
                if let Some((_, _, cells)) = row.as_mut() {
                    if let Some(cell) = cells.last_mut() {
                        cell.push_str(&decoded);
                    }
                }
            }
            Token::Tag {
                name,
                closing,
                attrs,
                range,
            } => {
                any_markup = true;
                if !INLINE_TAGS.contains(&name.as_ref()) {
                    text.push(' ');
                    plain_text.push(' ');
                }
                match (name.as_ref(), closing) {
                    ("table" | "thead" | "tbody" | "tfoot", _) => {
                        kind_table = true;
                        if *closing || name == "table" {
                            close_row(&mut row, &mut rows);
                        }
                    }
                    ("tr", false) => {
                        kind_table = true;
                        close_row(&mut row, &mut rows);
                        row = Some((range.start, range.end, Vec::new()));
                    }
                    ("tr", true) => {
                        if let Some(r) = row.as_mut() {
                            r.1 = range.end;
                        }
                        close_row(&mut row, &mut rows);
                    }
                    ("td" | "th", false) => {
                        kind_table = true;
                        if let Some((_, _, cells)) = row.as_mut() {
                            cells.push(String::new());
                        }
                    }
                    ("figure" | "picture", false) => kind_figure = true,
                    ("img", false) => {
                        has_image = true;
                        let image = Image {
                            alt: attribute(attrs, "alt").map(|a| decode_entities(&a).into_owned()),
                            src: attribute(attrs, "src"),
                        };
                        text.push_str(&describe(&image));
                        text.push(' ');
                        if let Some((_, _, cells)) = row.as_mut() {
                            if let Some(cell) = cells.last_mut() {
                                cell.push_str(&describe(&image));
                            }
                        }
                    }
                    _ => {}
                }
                if let Some(r) = row.as_mut() {
                    r.1 = r.1.max(range.end);
                }
            }
        }
        if let (Token::Text(t), Some(r)) = (token, row.as_mut()) {
            // A row runs at least to the end of its last text.
            let end = t.as_ptr() as usize - source.as_ptr() as usize + t.len();
            r.1 = r.1.max(end);
        }
    }
    close_row(&mut row, &mut rows);
    let text = collapse_whitespace(&text);
    let kind = if !any_markup && text.is_empty() {
        HtmlKind::Nothing
    } else if kind_table {
        HtmlKind::Table
    } else if kind_figure || (has_image && plain_text.trim().is_empty()) {
        HtmlKind::Figure
    } else {
        HtmlKind::Html
    };
    HtmlReading { kind, text, rows }
}

/// A piece of an HTML block that holds prose, in source order, ranges relative to the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProsePart {
    /// Text a reader reads: its source range and its text (entities decoded).
    Text(Range<usize>, String),
    /// An inline tag that is not text but parts words (`<br>`, `<input>`): a space.
    Space(Range<usize>),
    /// A block-level tag (`<p>`, `</div>`, `<li>` …): the paragraph ends here.
    Break,
    /// An `<img>`: a figure of its own, at the tag's range.
    Image(Range<usize>, Image),
}

/// Tags whose content is never text a reader reads.
const HIDDEN_TAGS: &[&str] = &["script", "style", "template", "noscript", "svg", "math"];

/// Tags that start or end a paragraph of their own.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "ul",
];

/// The parts of an HTML block a reader reads as prose (an `<aside>` pull
/// quote, a `<div class="note">` with paragraphs, `<details>` with text):
/// `None` when it holds fewer than two words outside tags, images and
/// script/style content (a wrapper `<div>` alone, a `<br>`, a script), so it
/// stays markup. Tables and figures are read by [`read`], never here.
pub(crate) fn prose(source: &str) -> Option<Vec<ProsePart>> {
    let mut parts = Vec::new();
    let mut hidden: Option<String> = None;
    let mut words = 0;
    for token in tokens(source) {
        match token {
            Token::Comment | Token::Liquid => {}
            Token::Tag {
                name,
                closing,
                attrs,
                range,
            } => {
                if let Some(open) = hidden.as_deref() {
                    if closing && name == open {
                        hidden = None;
                    }
                    continue;
                }
                if HIDDEN_TAGS.contains(&name.as_ref()) {
                    if !closing && !attrs.trim_end().ends_with('/') {
                        hidden = Some(name.into_owned());
                    }
                    continue;
                }
                if name == "img" && !closing {
                    parts.push(ProsePart::Image(
                        range,
                        Image {
                            alt: attribute(attrs, "alt").map(|a| decode_entities(&a).into_owned()),
                            src: attribute(attrs, "src"),
                        },
                    ));
                } else if BLOCK_TAGS.contains(&name.as_ref()) {
                    parts.push(ProsePart::Break);
                } else if !INLINE_TAGS.contains(&name.as_ref()) {
                    parts.push(ProsePart::Space(range));
                }
            }
            Token::Text(t) => {
                if hidden.is_some() {
                    continue;
                }
                let start = (t.as_ptr() as usize).saturating_sub(source.as_ptr() as usize);
                // Whitespace around the words is its own piece, so a sentence
                // whose text was decoded (`&quot;`) still starts and ends at its words.
                let core = t.trim();
                let lead = t.len() - t.trim_start().len();
                let pieces = [
                    (start..start + lead, None),
                    (start + lead..start + lead + core.len(), Some(core)),
                    (start + lead + core.len()..start + t.len(), None),
                ];
                for (range, words_in) in pieces {
                    if range.is_empty() {
                        continue;
                    }
                    let text = match words_in {
                        Some(core) => decode_entities(core).into_owned(),
                        None => source.get(range.clone()).unwrap_or(" ").to_string(),
                    };
                    words += text
                        .split_whitespace()
                        .filter(|w| w.chars().any(char::is_alphabetic))
                        .count();
                    parts.push(ProsePart::Text(range, text));
                }
            }
        }
    }
    (words >= 2).then_some(parts)
}

/// `source` without its HTML comments (what is left of pure markup to show).
pub(crate) fn without_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find("<!--") {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + 4..).unwrap_or("");
        rest = after
            .find("-->")
            .map_or("", |e| after.get(e + 3..).unwrap_or(""));
    }
    out.push_str(rest);
    out
}

/// Byte ranges of template markup in `text`, never prose: Liquid tags (`{% … %}`)
/// and kramdown attribute lists (`{:toc}`, `{: .note}`, on one line).
pub(crate) fn template_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (open, close, one_line) in [("{%", "%}", false), ("{:", "}", true)] {
        let mut from = 0;
        while let Some(start) = text.get(from..).and_then(|r| r.find(open)) {
            let start = from + start;
            let inner = text.get(start + open.len()..).unwrap_or("");
            // One-line markers are looked for on their line only (linear on long text).
            let scope = if one_line {
                inner.split('\n').next().unwrap_or("")
            } else {
                inner
            };
            let Some(end) = scope.find(close) else {
                if one_line {
                    from = start + open.len() + scope.len();
                    continue;
                }
                break;
            };
            let end = start + open.len() + end + close.len();
            out.push(start..end);
            from = end;
        }
    }
    out.sort_by_key(|r| r.start);
    // Overlaps (a `{:` inside a Liquid tag) keep the first range.
    let mut kept: Vec<Range<usize>> = Vec::new();
    for r in out {
        match kept.last() {
            Some(last) if r.start < last.end => {}
            _ => kept.push(r),
        }
    }
    kept
}

/// Whether `text` may hold template markup (cheap test before [`template_ranges`]).
pub(crate) fn may_hold_templates(text: &str) -> bool {
    // One vectorised scan for `{` instead of two substring searches (hot: every leaf).
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|i| matches!(bytes.get(i + 1), Some(b'%' | b':')))
}

/// A heading without a trailing kramdown/Pandoc attribute block (`{#id}`,
/// `{.class}`, `{: #id}`); other braces ("Costs {in £}") are text.
pub(crate) fn heading_without_attributes(text: &str) -> &str {
    let trimmed = text.trim_end();
    if let (true, Some(open)) = (trimmed.ends_with('}'), trimmed.rfind('{')) {
        let inner = trimmed.get(open + 1..).unwrap_or("").trim_start();
        if inner.starts_with(['#', '.', ':']) {
            return trimmed.get(..open).unwrap_or(trimmed).trim_end();
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_removed_from_markup() {
        assert_eq!(without_comments("<a><!-- x --> b<!-- open"), "<a> b");
    }

    #[test]
    fn comments_are_nothing() {
        assert_eq!(
            read("<!-- markdownlint-disable -->\n").kind,
            HtmlKind::Nothing
        );
        assert_eq!(read("<!-- a -->\n<!-- b\nc -->").kind, HtmlKind::Nothing);
    }

    #[test]
    fn figure_with_liquid_src_reads_its_image() {
        // Cut from ../shared/corpus/basecamp-privacy/0001_*.md.
        let src = "<figure class=\"centered\">\n  <img alt=\"illustration of a woman holding her finger over her mouth with the word 'shhhh...' above\" src=\"{% asset_path about/policies/privacy/shh.png %}\" als=\"Privacy\" class=\"image-size-25\">\n</figure>";
        let r = read(src);
        assert_eq!(r.kind, HtmlKind::Figure);
        assert_eq!(
            r.text,
            "Image: illustration of a woman holding her finger over her mouth with the word 'shhhh...' above ({% asset_path about/policies/privacy/shh.png %})"
        );
        let imgs = images(src);
        assert_eq!(imgs.len(), 1);
        assert_eq!(
            imgs[0].src.as_deref(),
            Some("{% asset_path about/policies/privacy/shh.png %}")
        );
    }

    #[test]
    fn multi_line_img_is_a_figure() {
        // Synthetic: an <img> whose attributes are on their own lines.
        let r = read("<img\n  src=\"chart.png\"\n  alt=\"Monthly checks &amp; permits\"\n>");
        assert_eq!(r.kind, HtmlKind::Figure);
        assert_eq!(r.text, "Image: Monthly checks & permits (chart.png)");
    }

    #[test]
    fn html_table_reads_by_row() {
        // Cut from ../shared/corpus/jekyll-permalinks/0030_*.md (first rows of the table).
        let src = "<table>\n  <thead>\n    <tr>\n      <th>Variable</th>\n      <th>Description</th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n      <td>\n        <p><code>year</code></p>\n      </td>\n      <td>\n        <p>\n          Year from the post's filename. May be overridden via the document’s\n          <code>date</code> YAML front matter\n        </p>\n      </td>\n    </tr>\n  </tbody>\n</table>";
        let r = read(src);
        assert_eq!(r.kind, HtmlKind::Table);
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].1, vec!["Variable", "Description"]);
        assert_eq!(r.rows[1].1[0], "year");
        assert!(r.rows[1].1[1].ends_with("document’s date YAML front matter"));
        let row_src = &src[r.rows[1].0.clone()];
        assert!(
            row_src.starts_with("<tr>") && row_src.ends_with("</tr>"),
            "{row_src}"
        );
    }

    #[test]
    fn aside_with_text_is_markup_not_a_figure() {
        // Cut from ../shared/corpus/opensource-guide-legal/0060_*.md (shortened).
        let src = "<aside markdown=\"1\" class=\"pquote\">\n  <img src=\"https://avatars.githubusercontent.com/benbalter?s=180\" class=\"pquote-avatar\" alt=\"avatar\">\n  A standardized license serves as a proxy.\n</aside>";
        let r = read(src);
        assert_eq!(r.kind, HtmlKind::Html);
        assert!(r
            .text
            .ends_with("A standardized license serves as a proxy."));
    }

    #[test]
    fn entities_and_attributes() {
        assert_eq!(
            decode_entities("a &amp; b &#39;c&#x27; &bogus; &"),
            "a & b 'c' &bogus; &"
        );
        assert_eq!(
            attribute(" alt='x y' src=a.png", "src").as_deref(),
            Some("a.png")
        );
        assert_eq!(attribute(" ALT=\"q\"", "alt").as_deref(), Some("q"));
        assert_eq!(attribute(" hidden", "alt"), None);
        assert_eq!(
            template_ranges("a {% raw %} b {%- for x %}"),
            vec![2..11, 14..26]
        );
        assert_eq!(
            template_ranges("TOC {:toc} and {: .note}"),
            vec![4..10, 15..24]
        );
        assert_eq!(template_ranges("{:\nnot one line}"), vec![]);
        assert_eq!(
            heading_without_attributes("Built-in permalink styles {#builtinpermalinkstyles}"),
            "Built-in permalink styles"
        );
        assert_eq!(heading_without_attributes("Costs {in £}"), "Costs {in £}");
        assert_eq!(heading_without_attributes("X {: .c}"), "X");
    }

    #[test]
    fn hostile_markup_reads_in_linear_time() {
        // Synthetic: long runs of openers without closers; a quadratic scan would not finish.
        for unit in ["{%", "{:", "<a \"", "<!--"] {
            let text = unit.repeat(100_000);
            let _ = read(&text);
            let _ = template_ranges(&text);
        }
    }

    proptest::proptest! {
        #[test]
        fn reading_any_html_never_panics(src in "(<|>|/|!--|-->|\"|'|=|\\{%|%\\}|&|;|#|[a-z ]|é|\n|tr|td|img|alt|src){0,60}") {
            let r = read(&src);
            for (range, _) in r.rows {
                proptest::prop_assert!(src.get(range).is_some());
            }
            let _ = images(&src);
        }

        /// The byte scan answers as the two substring searches it replaced.
        #[test]
        fn template_test_matches_substring_search(src in "(\\{|%|:|\\}|a| |é){0,20}") {
            proptest::prop_assert_eq!(
                may_hold_templates(&src),
                src.contains("{%") || src.contains("{:")
            );
        }
    }
}
