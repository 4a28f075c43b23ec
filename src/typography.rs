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

use std::borrow::Cow;

use crate::lanes::{word_at, HIGH_BITS, ONES};

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

/// Where a normal form goes: a `String`, or a hasher that never stores it (the
/// diff's sentence keys, [`crate::diff::text::key`]). Both see the same bytes.
pub(crate) trait NormalSink {
    /// Append normal-form text.
    fn push_str(&mut self, s: &str);

    /// Append one normal-form character.
    fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }
}

impl NormalSink for String {
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }

    fn push(&mut self, c: char) {
        String::push(self, c);
    }
}

/// The normal form being written: one step per character, so the bulk copy of
/// plain runs in [`normalise_into`] and the character walk share every rule.
struct Writer<'o, S: NormalSink> {
    out: &'o mut S,
    /// Whitespace seen since the last character written.
    pending_space: bool,
    /// The last character written is a dash.
    after_dash: bool,
    /// Anything written yet (leading whitespace is dropped).
    any: bool,
}

impl<S: NormalSink> Writer<'_, S> {
    fn new(out: &mut S) -> Writer<'_, S> {
        Writer {
            out,
            pending_space: false,
            after_dash: false,
            any: false,
        }
    }

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

/// A byte that is its own normal form: printable ASCII but space, dash and backtick.
fn plain(b: u8) -> bool {
    b > b' ' && b < 0x7f && b != b'-' && b != b'`'
}

/// The high bit of each byte of `word` set where that byte is [`plain`] (first)
/// and where it is a space (second). Every sum stays inside its byte: lanes are
/// masked to 7 bits first, and no addend takes a lane past 0xfe.
fn plain_and_space_lanes(word: u64) -> (u64, u64) {
    let ascii = !word & HIGH_BITS;
    let low = word & !HIGH_BITS;
    let at_least = |b: u8| (low + ONES * u64::from(0x80 - b)) & HIGH_BITS;
    let differs = |b: u8| ((low ^ (ONES * u64::from(b))) + ONES * 0x7f) & HIGH_BITS;
    let plain = ascii & at_least(0x21) & !at_least(0x7f) & differs(b'-') & differs(b'`');
    (plain, ascii & !differs(b' '))
}

/// End of the plain run starting at `start`: plain bytes with single spaces
/// between them (`plain (plain | ' ' plain)*`), which is its own normal form;
/// `start` when the byte there is not plain. Eight bytes at a time while they
/// are all plain or lone spaces: the diff runs this over every sentence of
/// both versions.
fn plain_run_end(bytes: &[u8], start: usize) -> usize {
    if !bytes.get(start).is_some_and(|&b| plain(b)) {
        return start;
    }
    // Invariant: the byte before `i` is plain.
    let mut i = start + 1;
    while let Some(word) = word_at(bytes, i) {
        let (plain, space) = plain_and_space_lanes(word);
        if plain | space != HIGH_BITS || space & (space >> 8) != 0 {
            break;
        }
        // A space in the last byte needs the byte after it: take it next round.
        i += if space >> 56 != 0 { 7 } else { 8 };
    }
    loop {
        match bytes.get(i) {
            Some(&b) if plain(b) => i += 1,
            Some(b' ') if bytes.get(i + 1).is_some_and(|&n| plain(n)) => i += 2,
            _ => return i,
        }
    }
}

/// Append the normal form of `text` to `out`: folded characters, whitespace runs
/// as one space (none at either end), no space around dashes ("a – b" = "a—b"),
/// "…" as "...". Case is kept.
/// Runs of plain ASCII are copied in bulk: the diff runs this over every sentence
/// of both versions.
pub(crate) fn normalise_into(text: &str, out: &mut impl NormalSink) {
    let bytes = text.as_bytes();
    let mut writer = Writer::new(out);
    let mut i = 0;
    while i < bytes.len() {
        let end = plain_run_end(bytes, i);
        if end > i {
            writer.push_plain(text.get(i..end).unwrap_or(""));
            i = end;
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

/// [`normalise_caseless`], borrowing `text` when it is its own caseless normal
/// form (plain lower-case ASCII, as most words are): the diff folds every word
/// of every edited sentence.
pub(crate) fn normalise_caseless_cow(text: &str) -> Cow<'_, str> {
    if text.bytes().all(|b| plain(b) && !b.is_ascii_uppercase()) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(normalise_caseless(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The normal form character by character, without the bulk copy.
    fn normalise_by_char(text: &str) -> String {
        let mut out = String::new();
        let mut writer = Writer::new(&mut out);
        text.chars().for_each(|c| writer.push(c));
        out
    }

    /// The end of a plain run byte by byte, without the eight-byte lanes.
    fn plain_run_end_by_byte(bytes: &[u8], start: usize) -> usize {
        let mut i = start;
        loop {
            match bytes.get(i) {
                Some(&b) if plain(b) => i += 1,
                Some(b' ') if i > start && bytes.get(i + 1).is_some_and(|&n| plain(n)) => i += 2,
                _ => return i,
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The eight-byte scan ends plain runs where the byte walk does, from any
        /// start, on long runs broken by every kind of byte that ends one.
        #[test]
        fn plain_runs_end_where_the_byte_walk_ends_them(
            text in "([a-zA-Z0-9]{1,12}|[ .,;'\"()~!]|  |-|`|\u{7f}|\u{0}|\t|\n|é|’|—){0,40}"
        ) {
            let bytes = text.as_bytes();
            for start in 0..=bytes.len() {
                proptest::prop_assert_eq!(
                    plain_run_end(bytes, start),
                    plain_run_end_by_byte(bytes, start),
                    "start {}", start
                );
            }
        }

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
            proptest::prop_assert_eq!(normalise_caseless_cow(&text), normalise_caseless(&text));
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
