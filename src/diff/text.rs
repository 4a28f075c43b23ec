//! Sentence keys and word similarity: what counts as "the same sentence".
//!
//! Whitespace, line wrapping, NBSP, curly vs straight quotes and dash variants
//! are typography, not content, so they are folded (by [`crate::typography`],
//! the one folding table) before hashing or comparing.

use std::borrow::Cow;
use std::hash::Hasher;

use rustc_hash::FxHasher;

use crate::typography::{fold, normalise_caseless_cow, normalise_into, NormalSink};

/// Hash of the normalised text: equal keys mean "no change a reader would see".
/// The normal form is hashed as it is produced, never stored.
pub fn key(text: &str) -> u64 {
    let mut hasher = KeyHasher::default();
    normalise_into(text, &mut hasher);
    hasher.finish()
}

/// FxHash over the bytes written, eight at a time whatever pieces they came
/// in: the normal form arrives as plain runs, single characters and spaces,
/// and equal normal forms must hash equal however they were cut.
#[derive(Default)]
struct KeyHasher {
    hasher: FxHasher,
    /// Bytes not hashed yet (fewer than eight), little-endian from bit 0.
    pending: u64,
    pending_len: u32,
    len: u64,
}

impl KeyHasher {
    fn write(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.pending_len > 0 {
            while self.pending_len < 8 {
                let Some((&b, rest)) = bytes.split_first() else {
                    return;
                };
                self.pending |= u64::from(b) << (8 * self.pending_len);
                self.pending_len += 1;
                bytes = rest;
            }
            self.hasher.write_u64(self.pending);
            (self.pending, self.pending_len) = (0, 0);
        }
        let (words, rest) = bytes.as_chunks::<8>();
        for word in words {
            self.hasher.write_u64(u64::from_le_bytes(*word));
        }
        for &b in rest {
            self.pending |= u64::from(b) << (8 * self.pending_len);
            self.pending_len += 1;
        }
    }

    /// The hash; the length tells a trailing NUL from the zero padding of the last word.
    fn finish(mut self) -> u64 {
        if self.pending_len > 0 {
            self.hasher.write_u64(self.pending);
        }
        self.hasher.write_u64(self.len);
        self.hasher.finish()
    }
}

impl NormalSink for KeyHasher {
    fn push_str(&mut self, s: &str) {
        self.write(s.as_bytes());
    }
}

/// Hash maps keyed by our own hashes or short tokens, with FxHash (`rustc-hash`, as
/// [`key`] and the word hashes): they run over every sentence of both versions,
/// where SipHash showed in profiles.
pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Is `c` part of a word? Letters, digits and combining marks.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && matches!(c, '\u{300}'..='\u{36f}'))
}

/// Characters that join two word characters into one token: "30,000", "5.2",
/// "don't", "Zelenskyy’s".
fn joiner(c: char) -> bool {
    matches!(c, ',' | '.' | '\'' | '’')
}

/// Whether `d` (after `prev`, before `next`) continues the word being read: a
/// word character, a joiner between word characters, or `,`/`.` between digits.
fn continues_word(prev: char, d: char, next: Option<char>) -> bool {
    word_char(d)
        || match d {
            ',' | '.' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
            _ => joiner(d) && next.is_some_and(word_char),
        }
}

/// Byte offsets where tokens start: a word (word characters, with inner joiners
/// between word characters), a whitespace run, or any other single character.
/// Cheaper and more predictable for prose than UAX#29 word bounds.
pub fn token_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at;
        let c = char_at(text, start)?;
        at += c.len_utf8();
        if word_char(c) {
            let mut prev = c;
            while let Some(d) = char_at(text, at) {
                if !continues_word(prev, d, char_at(text, at + d.len_utf8())) {
                    break;
                }
                at += d.len_utf8();
                prev = d;
            }
        } else if c.is_whitespace() {
            while let Some(d) = char_at(text, at).filter(|d| d.is_whitespace()) {
                at += d.len_utf8();
            }
        }
        Some(start)
    })
}

/// The character starting at byte `i` of `text` (a character boundary), ASCII
/// without UTF-8 decoding: the word diff tokenises every text it compares.
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        Some(_) => text.get(i..).and_then(|rest| rest.chars().next()),
        None => None,
    }
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
    let mut hasher = FxHasher::default();
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
    // A merge without branches on the comparison, which is a coin toss for
    // the CPU: the alignment compares many sentence pairs.
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        common += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// The highest [`dice`] two bags of these sizes can reach (all of the smaller
/// one shared), computed as `dice` computes: a pair below a threshold by this
/// bound is below it by `dice`, without the merge.
pub fn dice_bound(a: usize, b: usize) -> f64 {
    if a == 0 && b == 0 {
        return 1.0;
    }
    2.0 * a.min(b) as f64 / (a + b) as f64
}

/// The words of a text, case-folded, for "only punctuation or case changed" checks.
pub fn folded_words(text: &str) -> Vec<Cow<'_, str>> {
    words(text).map(normalise_caseless_cow).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`KeyHasher`] over `bytes` written in the pieces `cuts` makes.
    fn hash_in_pieces(bytes: &[u8], cuts: &[usize]) -> u64 {
        let mut hasher = KeyHasher::default();
        let mut at = 0;
        for &cut in cuts {
            let cut = (cut % (bytes.len() + 1)).max(at);
            hasher.write(&bytes[at..cut]);
            at = cut;
        }
        hasher.write(&bytes[at..]);
        hasher.finish()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        #[test]
        fn the_key_is_the_hash_of_the_normal_form(text in "([a-z]{1,3}| |  |-|—|`|’|…|\t|\n|\u{a0}|\u{ad}|\\.){0,16}") {
            let normal = crate::typography::normalise(&text);
            proptest::prop_assert_eq!(key(&text), key(&normal));
            proptest::prop_assert_eq!(key(&text), hash_in_pieces(normal.as_bytes(), &[]));
        }

        /// Equal normal forms, and only they, have equal keys: texts drawn from a
        /// few words and typography variants, so equal normal forms are common.
        #[test]
        fn keys_are_equal_exactly_when_normal_forms_are(
            a in "(ab|a|b| |  |-|—|–|`|'|’|…|\\.|\u{a0}|\u{ad}|\u{0}){0,12}",
            b in "(ab|a|b| |  |-|—|–|`|'|’|…|\\.|\u{a0}|\u{ad}|\u{0}){0,12}",
        ) {
            let same_form = crate::typography::normalise(&a) == crate::typography::normalise(&b);
            proptest::prop_assert_eq!(key(&a) == key(&b), same_form);
        }

        /// Dice counts the shared words of two multisets, and the size bound is never below it.
        #[test]
        fn dice_counts_shared_words_and_the_bound_holds(
            a in proptest::collection::vec(0u64..8, 0..12),
            b in proptest::collection::vec(0u64..8, 0..12),
        ) {
            let (mut a, mut b) = (a, b);
            a.sort_unstable();
            b.sort_unstable();
            let mut rest = b.clone();
            let mut common = 0;
            for x in &a {
                if let Some(k) = rest.iter().position(|y| y == x) {
                    rest.remove(k);
                    common += 1;
                }
            }
            let expected = if a.is_empty() && b.is_empty() {
                1.0
            } else {
                2.0 * common as f64 / (a.len() + b.len()) as f64
            };
            proptest::prop_assert_eq!(dice(&a, &b), expected);
            proptest::prop_assert!(dice(&a, &b) <= dice_bound(a.len(), b.len()));
        }

        /// The hash depends on the bytes only, not on the pieces they were written in.
        #[test]
        fn the_key_hash_ignores_how_the_bytes_were_cut(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            cuts in proptest::collection::vec(0usize..64, 0..8),
        ) {
            let mut cuts = cuts;
            cuts.sort_unstable();
            proptest::prop_assert_eq!(hash_in_pieces(&bytes, &cuts), hash_in_pieces(&bytes, &[]));
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

    /// [`token_starts`] as first written, over `char_indices`: the reference.
    fn token_starts_by_char_indices(text: &str) -> Vec<usize> {
        let mut chars = text.char_indices().peekable();
        std::iter::from_fn(move || {
            let (start, c) = chars.next()?;
            if word_char(c) {
                let mut prev = c;
                while let Some(&(i, d)) = chars.peek() {
                    let next = text.get(i + d.len_utf8()..).and_then(|r| r.chars().next());
                    if !continues_word(prev, d, next) {
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
        .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        /// Token starts by byte index are those of the `char_indices` walk.
        #[test]
        fn token_starts_match_the_char_walk(
            text in "([a-zA-Z0-9]{1,6}|[ ,.'’;\t\n]|  |é|\u{301}|\u{a0}|—|3,5|5.2|don’t){0,24}"
        ) {
            proptest::prop_assert_eq!(
                token_starts(&text).collect::<Vec<_>>(),
                token_starts_by_char_indices(&text)
            );
        }
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
