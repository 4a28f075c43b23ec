//! Text normalisation and word similarity: what counts as "the same sentence".
//!
//! Whitespace, line wrapping, NBSP, curly vs straight quotes and dash variants
//! are typography, not content, so they are folded before hashing or comparing.

use std::hash::{Hash, Hasher};

use unicode_segmentation::UnicodeSegmentation;

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

/// Feed the normalised form of `text` to `sink`: folded characters, whitespace runs as
/// one space, no space around dashes ("a – b" = "a—b"), "…" as "...".
fn normalised_chars(text: &str, mut sink: impl FnMut(char)) {
    let mut pending_space = false;
    let mut after_dash = false;
    let mut any = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let Some(c) = fold(c) else { continue };
        if c == '-' {
            // "--", "—" and " - " are one dash.
            if !after_dash {
                sink('-');
            }
            after_dash = true;
            pending_space = false;
            any = true;
            continue;
        }
        if pending_space && any && !after_dash {
            sink(' ');
        }
        pending_space = false;
        after_dash = false;
        any = true;
        if c == '…' {
            sink('.');
            sink('.');
            sink('.');
        } else {
            sink(c);
        }
    }
}

/// Normalised text (for tests and for comparing short strings).
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalised_chars(text, |c| out.push(c));
    out
}

/// Hash of the normalised text: equal keys mean "no change a reader would see".
pub fn key(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    normalised_chars(text, |c| c.hash(&mut hasher));
    hasher.finish()
}

/// True when the token is a word (has a letter or digit), not space or punctuation.
pub fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

/// Hash of a word for similarity: case-folded, apostrophes folded.
fn word_hash(word: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for c in word.chars() {
        let c = fold(c).unwrap_or(c);
        for l in c.to_lowercase() {
            l.hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// The sorted word hashes of a text: a multiset for Dice similarity.
/// Whitespace and punctuation are not words, so they cannot inflate the score.
pub fn word_bag(text: &str) -> Vec<u64> {
    let mut bag: Vec<u64> = text
        .split_word_bounds()
        .filter(|t| is_word(t))
        .map(word_hash)
        .collect();
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
    text.split_word_bounds()
        .filter(|t| is_word(t))
        .map(|w| normalise(w).to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
