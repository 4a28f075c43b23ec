//! Spelling fixes: an edited sentence whose every changed word was replaced by a
//! near-identical word ("exhange" → "exchange"). The diff calls any rewording
//! substantive; for an editorial policy a corrected typo is not, so reports
//! count these with the cosmetic changes and `check` asks no note for them.
//! A change with any tag (number, date, name, quote, attribution, negation) is
//! never a spelling fix.

use crate::diff::{Change, ChangeKind, SpanOp};

/// Is `change` only spelling corrections?
pub(crate) fn is_spelling_fix(change: &Change) -> bool {
    if change.kind != ChangeKind::Edited || !change.tags.is_empty() || change.words.is_empty() {
        return false;
    }
    // Runs of deleted and inserted text between equal spans.
    let mut runs: Vec<(String, String)> = Vec::new();
    let mut open = false;
    for span in &change.words {
        match span.op {
            SpanOp::Equal => open = false,
            op => {
                if !open {
                    runs.push((String::new(), String::new()));
                    open = true;
                }
                if let Some((deleted, inserted)) = runs.last_mut() {
                    match op {
                        SpanOp::Delete => deleted.push_str(&span.text),
                        _ => inserted.push_str(&span.text),
                    }
                }
            }
        }
    }
    !runs.is_empty()
        && runs.iter().all(|(deleted, inserted)| {
            let old: Vec<&str> = deleted.split_whitespace().collect();
            let new: Vec<&str> = inserted.split_whitespace().collect();
            !old.is_empty()
                && old.len() == new.len()
                && old.iter().zip(&new).all(|(a, b)| near(a, b))
        })
}

/// Two spellings of one word: no digits, within one edit (words up to four
/// letters) or two edits (longer words), ignoring case.
fn near(old: &str, new: &str) -> bool {
    if old.chars().chain(new.chars()).any(|c| c.is_numeric()) {
        return false;
    }
    let old: Vec<char> = old.to_lowercase().chars().collect();
    let new: Vec<char> = new.to_lowercase().chars().collect();
    let shorter = old.len().min(new.len());
    let allowed = if shorter <= 4 { 1 } else { 2 };
    shorter > 1 && edits(&old, &new) <= allowed
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent swaps).
fn edits(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        rows[at(i, 0)] = i;
    }
    for j in 0..=b.len() {
        rows[at(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[at(i - 1, j)] + 1)
                .min(rows[at(i, j - 1)] + 1)
                .min(rows[at(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[at(i - 2, j - 2)] + 1);
            }
            rows[at(i, j)] = best;
        }
    }
    rows[at(a.len(), b.len())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Significance, Span};

    fn edited(words: &[(SpanOp, &str)]) -> Change {
        Change {
            kind: ChangeKind::Edited,
            section: None,
            old_section: None,
            old_text: None,
            new_text: None,
            words: words
                .iter()
                .map(|(op, text)| Span {
                    op: *op,
                    text: text.to_string(),
                })
                .collect(),
            tags: Vec::new(),
            significance: Significance::Substantive,
            reason: String::new(),
            old_range: None,
            new_range: None,
        }
    }

    #[test]
    fn typos_are_spelling_fixes_rewordings_are_not() {
        use SpanOp::*;
        let fix = edited(&[
            (Equal, "a prisoner "),
            (Delete, "exhange"),
            (Insert, "exchange"),
            (Equal, "."),
        ]);
        assert!(is_spelling_fix(&fix));
        let swap = edited(&[(Equal, "the "), (Delete, "recieved"), (Insert, "received")]);
        assert!(is_spelling_fix(&swap));
        let reworded = edited(&[(Equal, "talks "), (Delete, "began"), (Insert, "collapsed")]);
        assert!(!is_spelling_fix(&reworded));
        let added_word = edited(&[(Equal, "talks "), (Insert, "never "), (Equal, "began")]);
        assert!(!is_spelling_fix(&added_word));
        let short = edited(&[(Delete, "a"), (Insert, "I")]);
        assert!(!is_spelling_fix(&short));
        let mut tagged = fix.clone();
        tagged.tags.push(crate::diff::Tag::Name);
        assert!(!is_spelling_fix(&tagged));
    }
}
