//! Text normalisation and word similarity: what counts as "the same sentence".
//!
//! Whitespace, line wrapping, NBSP, curly vs straight quotes and dash variants
//! are typography, not content, so they are folded before hashing or comparing.

use std::hash::{BuildHasherDefault, Hasher};

/// Fold one character to its typographic class; `None` drops it (zero-width marks).
fn fold(c: char) -> Option<char> {
    Some(match c {
        '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => '\'',
        '“' | '”' | '„' | '‟' | '″' | '«' | '»' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => '-',
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => return None,
        c => c,
    })
}

/// Append the normalised form of `text` to `out`: folded characters, whitespace runs
/// as one space, no space around dashes ("a – b" = "a—b"), "…" as "...".
/// Runs of plain ASCII are copied in bulk: this runs over every sentence of both versions.
fn normalise_into(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let plain = |b: u8| b > b' ' && b < 0x7f && b != b'-' && b != b'`';
    let mut pending_space = false;
    let mut after_dash = false;
    let mut any = false;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        // A run of plain ASCII words with single spaces between them is its own
        // normal form: copied in one piece (most sentences are one or a few runs).
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
            if pending_space && any && !after_dash {
                out.push(' ');
            }
            out.push_str(text.get(start..i).unwrap_or(""));
            pending_space = false;
            after_dash = false;
            any = true;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let Some(c) = fold(c) else { continue };
        if c == '-' {
            // "--", "—" and " - " are one dash.
            if !after_dash {
                out.push('-');
            }
            after_dash = true;
            pending_space = false;
            any = true;
            continue;
        }
        if pending_space && any && !after_dash {
            out.push(' ');
        }
        pending_space = false;
        after_dash = false;
        any = true;
        if c == '…' {
            out.push_str("...");
        } else {
            out.push(c);
        }
    }
}

/// Normalised text (for tests and for comparing short strings).
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalise_into(text, &mut out);
    out
}

/// Hash of the normalised text: equal keys mean "no change a reader would see".
pub fn key(text: &str) -> u64 {
    key_with(text, &mut String::new())
}

/// [`key`] using `buffer` as scratch space, so keying every sentence of a
/// document allocates once.
pub fn key_with(text: &str, buffer: &mut String) -> u64 {
    buffer.clear();
    normalise_into(text, buffer);
    let mut hasher = FastHasher::default();
    hasher.write(buffer.as_bytes());
    hasher.finish()
}

/// A fast, non-cryptographic hasher (the FxHash mix): sentence keys and word hashes
/// are computed for every sentence of both versions, where SipHash showed in profiles.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes per step; the length goes in last so "ab" and "ab\0" differ.
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.write_u64(u64::from_le_bytes(tail));
        self.write_u64(bytes.len() as u64);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Hash maps keyed by our own hashes or short tokens.
pub type FastMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Is `c` part of a word? Letters, digits and combining marks.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && matches!(c, '\u{300}'..='\u{36f}'))
}

/// Characters that join two word characters into one token: "30,000", "5.2",
/// "don't", "Zelenskyy’s".
fn joiner(c: char) -> bool {
    matches!(c, ',' | '.' | '\'' | '’')
}

/// Byte offsets where tokens start: a word (word characters, with inner joiners
/// between word characters), a whitespace run, or any other single character.
/// Cheaper and more predictable for prose than UAX#29 word bounds.
pub fn token_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, c) = chars.next()?;
        if word_char(c) {
            let mut prev = c;
            while let Some(&(i, d)) = chars.peek() {
                let joins = word_char(d) || {
                    let next = text.get(i + d.len_utf8()..).and_then(|r| r.chars().next());
                    match d {
                        ',' | '.' => {
                            prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit())
                        }
                        _ => joiner(d) && next.is_some_and(word_char),
                    }
                };
                if !joins {
                    break;
                }
                chars.next();
                prev = d;
            }
        } else if c.is_whitespace() {
            while chars.next_if(|&(_, d)| d.is_whitespace()).is_some() {}
        }
        Some(start)
    })
}

/// The tokens of a text (see [`token_starts`]).
pub fn tokens(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut starts = token_starts(text).peekable();
    std::iter::from_fn(move || {
        let start = starts.next()?;
        let end = starts.peek().copied().unwrap_or(text.len());
        text.get(start..end)
    })
}

/// The words of a text, in order, as written.
pub fn words(text: &str) -> impl Iterator<Item = &str> + '_ {
    tokens(text).filter(|t| is_word(t))
}

/// True when the token is a word (has a letter or digit), not space or punctuation.
pub fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

/// Hash of a word for similarity: case-folded, apostrophes folded.
fn word_hash(word: &str) -> u64 {
    let mut hasher = FastHasher::default();
    for c in word.chars() {
        let c = fold(c).unwrap_or(c);
        if c.is_ascii() {
            hasher.write_u32(c.to_ascii_lowercase() as u32);
        } else {
            for l in c.to_lowercase() {
                hasher.write_u32(l as u32);
            }
        }
    }
    hasher.finish()
}

/// The sorted word hashes of a text: a multiset for Dice similarity.
/// Whitespace and punctuation are not words, so they cannot inflate the score.
pub fn word_bag(text: &str) -> Vec<u64> {
    let mut bag: Vec<u64> = words(text).map(word_hash).collect();
    bag.sort_unstable();
    bag
}

/// Merge two sorted bags.
pub fn merge_bags(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    out.extend_from_slice(a);
    out.extend_from_slice(b);
    out.sort_unstable();
    out
}

/// Dice coefficient of two sorted word multisets: 2·|common| / (|a| + |b|), in 0..=1.
pub fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// The words of a text, case-folded, for "only punctuation or case changed" checks.
pub fn folded_words(text: &str) -> Vec<String> {
    words(text).map(|w| normalise(w).to_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The normal form character by character, without the bulk-copy fast path:
    /// the reference [`normalise`] must match on any text.
    fn normalise_by_char(text: &str) -> String {
        let mut out = String::new();
        let (mut pending_space, mut after_dash, mut any) = (false, false, false);
        for c in text.chars() {
            if c.is_whitespace() {
                pending_space = true;
                continue;
            }
            let Some(c) = fold(c) else { continue };
            if c == '-' {
                if !after_dash {
                    out.push('-');
                }
                (after_dash, pending_space, any) = (true, false, true);
                continue;
            }
            if pending_space && any && !after_dash {
                out.push(' ');
            }
            (pending_space, after_dash, any) = (false, false, true);
            if c == '…' {
                out.push_str("...");
            } else {
                out.push(c);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn bulk_copy_matches_the_character_walk(text in "([a-z]{1,3}| |  |-|—|`|’|…|\t|\n|\u{a0}|\u{ad}|\\.){0,16}") {
            proptest::prop_assert_eq!(normalise(&text), normalise_by_char(&text));
            let mut scratch = String::from("left over");
            proptest::prop_assert_eq!(key_with(&text, &mut scratch), key(&text));
        }
    }

    #[test]
    fn typography_is_not_content() {
        assert_eq!(key("He said “no” — twice."), key("He said \"no\"-twice."));
        assert_eq!(key("a -- b"), key("a—b"));
        assert_eq!(key("the US’s role"), key("the US's  role"));
        assert_eq!(key("a\u{a0}b"), key("a b"));
        assert_eq!(key("wrapped\nline"), key("wrapped line"));
        assert_ne!(key("30,000 troops"), key("35,000 troops"));
        assert_ne!(key("Case"), key("case"));
    }

    #[test]
    fn similarity_counts_words_only() {
        let a = word_bag("The cat sat on the mat.");
        let b = word_bag("The dog sat on the rug!");
        assert!((dice(&a, &b) - 8.0 / 12.0).abs() < 1e-9);
        // Two unrelated sentences share whitespace and punctuation but no words.
        assert_eq!(
            dice(
                &word_bag("Alpha beta, gamma."),
                &word_bag("Delta epsilon, zeta.")
            ),
            0.0
        );
        assert_eq!(dice(&word_bag("It’s"), &word_bag("it's")), 1.0);
    }

    #[test]
    fn tokens_keep_figures_and_contractions_whole() {
        let t: Vec<&str> = tokens("up to 30,000 troops, 5.2 per cent; don’t  stop. U.S.").collect();
        assert_eq!(
            t,
            vec![
                "up", " ", "to", " ", "30,000", " ", "troops", ",", " ", "5.2", " ", "per", " ",
                "cent", ";", " ", "don’t", "  ", "stop", ".", " ", "U", ".", "S", "."
            ]
        );
        assert_eq!(tokens("").count(), 0);
        assert_eq!(tokens("é́x").collect::<Vec<_>>(), vec!["é́x"]);
    }
}
