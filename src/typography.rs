//! Typography folding: the one table of characters that are typography, not
//! content, and the one normal form built from it.
//!
//! Whitespace runs and line wrapping, no-break spaces, curly vs straight quotes,
//! dash and minus variants, "…" vs "..." and invisible marks (zero-width spaces,
//! soft hyphens, BOM) never make two texts different to a reader. The diff keys
//! sentences by this form, the ranker tells moves and repeats by it, ingest
//! matches titles, boilerplate and figure markers by it and sentence search
//! matches fragments by it, so all of them agree on what "the same text" is.
//!
//! Two named forms over the one table, because case is content in one place and
//! not in the other:
//! - [`normalise`] keeps case: the diff must see "Case" → "case" (a proper noun
//!   becoming a common one is an edit a reader can see).
//! - [`normalise_caseless`] also folds case: for matching labels and lines
//!   (headings, titles, publishers' boilerplate, figure markers, search) that
//!   are the same whatever their capitalisation.

/// Fold one character to its typographic class; `None` drops it (invisible marks).
/// Every other character is itself.
pub(crate) fn fold(c: char) -> Option<char> {
    Some(match c {
        '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => '\'',
        '“' | '”' | '„' | '‟' | '″' | '«' | '»' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => '-',
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => return None,
        c => c,
    })
}

/// The normal form being written: one step per character, so the bulk copy of
/// plain runs in [`normalise_into`] and the character walk share every rule.
struct Writer<'o> {
    out: &'o mut String,
    /// Whitespace seen since the last character written.
    pending_space: bool,
    /// The last character written is a dash.
    after_dash: bool,
    /// Anything written yet (leading whitespace is dropped).
    any: bool,
}

impl Writer<'_> {
    /// Write one character of the source text.
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.pending_space = true;
            return;
        }
        let Some(c) = fold(c) else { return };
        if c == '-' {
            // "--", "—" and " - " are one dash, with no space around it.
            if !self.after_dash {
                self.out.push('-');
            }
            (self.after_dash, self.pending_space, self.any) = (true, false, true);
            return;
        }
        self.space_before_word();
        if c == '…' {
            self.out.push_str("...");
        } else {
            self.out.push(c);
        }
    }

    /// Write a run of plain ASCII words with single spaces between them: it is
    /// its own normal form (what [`Writer::push`] would write char by char).
    fn push_plain(&mut self, run: &str) {
        self.space_before_word();
        self.out.push_str(run);
    }

    fn space_before_word(&mut self) {
        if self.pending_space && self.any && !self.after_dash {
            self.out.push(' ');
        }
        (self.pending_space, self.after_dash, self.any) = (false, false, true);
    }
}

/// Append the normal form of `text` to `out`: folded characters, whitespace runs
/// as one space (none at either end), no space around dashes ("a – b" = "a—b"),
/// "…" as "...". Case is kept.
/// Runs of plain ASCII are copied in bulk: the diff runs this over every sentence
/// of both versions.
pub(crate) fn normalise_into(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    // Bytes that are their own normal form: not space, control, dash or backtick.
    let plain = |b: u8| b > b' ' && b < 0x7f && b != b'-' && b != b'`';
    let mut writer = Writer {
        out,
        pending_space: false,
        after_dash: false,
        any: false,
    };
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while let Some(&b) = bytes.get(i) {
            if plain(b) {
                i += 1;
            } else if b == b' ' && i > start && bytes.get(i + 1).is_some_and(|&n| plain(n)) {
                i += 2;
            } else {
                break;
            }
        }
        if i > start {
            writer.push_plain(text.get(start..i).unwrap_or(""));
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        writer.push(c);
    }
}

/// The normal form of `text`, case kept (see [`normalise_into`]).
pub(crate) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalise_into(text, &mut out);
    out
}

/// The normal form of `text` in lower case: for matching labels and lines whose
/// capitalisation is not content (headings, titles, boilerplate, search).
pub(crate) fn normalise_caseless(text: &str) -> String {
    let mut out = normalise(text);
    if out.is_ascii() {
        out.make_ascii_lowercase();
        out
    } else {
        out.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The normal form character by character, without the bulk copy.
    fn normalise_by_char(text: &str) -> String {
        let mut out = String::new();
        let mut writer = Writer {
            out: &mut out,
            pending_space: false,
            after_dash: false,
            any: false,
        };
        text.chars().for_each(|c| writer.push(c));
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The bulk copy of plain runs writes exactly what the character walk writes,
        /// on text mixing plain words with every class of the folding table.
        #[test]
        fn bulk_copy_matches_the_character_walk(
            text in "([a-zA-Z]{1,3}|[0-9]|[ .,;:!?'\"()]|  |-|--|`|´|‘|’|‚|‛|′|“|”|„|‟|″|«|»|‐|‑|‒|–|—|―|−|﹘|﹣|－|…|\t|\n|\r|\u{a0}|\u{2009}|\u{200b}|\u{200c}|\u{200d}|\u{2060}|\u{feff}|\u{ad}|é|İ|Σ|\u{301}){0,24}"
        ) {
            proptest::prop_assert_eq!(normalise(&text), normalise_by_char(&text));
            let mut appended = String::from("kept");
            normalise_into(&text, &mut appended);
            proptest::prop_assert_eq!(appended, format!("kept{}", normalise(&text)));
            proptest::prop_assert_eq!(normalise_caseless(&text), normalise(&text).to_lowercase());
        }

        /// The normal form is a fixed point: normalising twice changes nothing.
        #[test]
        fn normalising_is_idempotent(text in "\\PC{0,24}") {
            let once = normalise(&text);
            proptest::prop_assert_eq!(normalise(&once), once.clone());
            let caseless = normalise_caseless(&text);
            proptest::prop_assert_eq!(normalise_caseless(&caseless), caseless);
        }
    }

    #[test]
    fn typography_is_not_content() {
        for (a, b) in [
            ("He said “no” — twice.", "He said \"no\"-twice."),
            ("a -- b", "a—b"),
            ("the US’s role", "the US's  role"),
            ("a\u{a0}b", "a b"),
            ("wrapped\nline", "wrapped line"),
            ("soft\u{ad}hyphen", "softhyphen"),
            ("wait…", "wait..."),
            ("«quoted»", "\"quoted\""),
            ("“no  agreement”\u{a0}—it’s", "\"no agreement\" -it's"),
        ] {
            assert_eq!(normalise(a), normalise(b), "{a:?} vs {b:?}");
        }
        assert_ne!(normalise("30,000 troops"), normalise("35,000 troops"));
        assert_ne!(normalise("Case"), normalise("case"));
        assert_eq!(normalise("  It’s “here” – now…  "), "It's \"here\"-now...");
    }

    #[test]
    fn caseless_folds_case_too() {
        assert_eq!(
            normalise_caseless("  It’s “HERE” – now…  "),
            "it's \"here\"-now..."
        );
        assert_eq!(normalise_caseless("Case"), normalise_caseless("case"));
        assert_eq!(normalise_caseless("İstanbul"), "i\u{307}stanbul");
    }
}
