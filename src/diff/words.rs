//! Word-level diff of two strings with a semantic clean-up, so a change reads as
//! whole words and phrases ("[-30,000-]{+35,000+}", not digit soup or stray spaces).

use std::ops::Range;

use similar::{Algorithm, DiffOp};

use super::text::{is_word, token_starts, FastMap};
use super::{Budget, Span, SpanOp};

/// Token boundaries (byte offsets, first 0, last `text.len()`): words, whitespace
/// runs and punctuation each become one token (see [`token_starts`]), except that each
/// `atomic` range (sorted, inside `text`) is one token of its own.
fn token_offsets(text: &str, atomic: &[Range<usize>]) -> Vec<usize> {
    let mut offsets: Vec<usize> = Vec::with_capacity(text.len() / 3 + 2);
    let mut a = 0;
    for i in token_starts(text) {
        while atomic.get(a).is_some_and(|r| r.end <= i) {
            a += 1;
        }
        if atomic.get(a).is_some_and(|r| r.start < i && i < r.end) {
            continue;
        }
        offsets.push(i);
    }
    // Atomic edges are sentence edges, nearly always word bounds already; add any that are not.
    let missing = |e: usize| offsets.binary_search(&e).is_err();
    if atomic.iter().any(|r| missing(r.start) || missing(r.end)) {
        let edges = atomic
            .iter()
            .flat_map(|r| [r.start, r.end])
            .filter(|&e| text.is_char_boundary(e));
        offsets.extend(edges);
        offsets.sort_unstable();
        offsets.dedup();
    }
    offsets.retain(|&o| o < text.len());
    offsets.push(text.len());
    offsets
}

/// Word diffs of at most this many tokens (both sides) run without a deadline:
/// Myers is O((N+M)·D), at worst about a million steps here.
const UNTIMED_TOKENS: usize = 1_000;

/// A tokenised string: the text and its token boundaries.
struct Tokens<'a> {
    text: &'a str,
    offsets: Vec<usize>,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str, atomic: &[Range<usize>]) -> Tokens<'a> {
        Tokens {
            text,
            offsets: token_offsets(text, atomic),
        }
    }

    /// Token ids shared by both sides (interned), so the diff compares integers, not strings.
    fn ids(&self, table: &mut FastMap<&'a str, u32>) -> Vec<u32> {
        self.offsets
            .windows(2)
            .map(|w| {
                let token = self.text.get(w[0]..w[1]).unwrap_or("");
                let next = table.len() as u32;
                *table.entry(token).or_insert(next)
            })
            .collect()
    }

    /// Text of the token range `r`.
    fn slice(&self, r: &Range<usize>) -> &'a str {
        let start = self
            .offsets
            .get(r.start)
            .copied()
            .unwrap_or(self.text.len());
        let end = self.offsets.get(r.end).copied().unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or("")
    }
}

/// A run of tokens: equal in both, or changed (old tokens replaced by new tokens).
#[derive(Debug, Clone)]
struct Region {
    equal: bool,
    old: Range<usize>,
    new: Range<usize>,
}

/// Word diff of `old` → `new` as spans (equal, delete, insert), cleaned up and merged.
/// Lossless: equal+delete spans rebuild `old`, equal+insert spans rebuild `new`.
/// Past the deadline the diff is a plain delete + insert and the budget is marked.
pub(crate) fn diff_text(old: &str, new: &str, budget: &Budget) -> Vec<Span> {
    let mut spans = SpanList::default();
    push_diff(&mut spans, old, &[], new, &[], budget);
    spans.finish()
}

/// Append the word diff of `old` → `new` to `spans` (see [`diff_text`]), with each
/// given range (sorted, relative to its string) one indivisible token: whole
/// sentences that were added or removed stay whole instead of being word-matched
/// against unrelated text.
pub(crate) fn push_diff(
    spans: &mut SpanList,
    old: &str,
    old_atomic: &[Range<usize>],
    new: &str,
    new_atomic: &[Range<usize>],
    budget: &Budget,
) {
    if old == new {
        spans.push(SpanOp::Equal, old);
        return;
    }
    if old.is_empty() || new.is_empty() || budget.over() {
        // The coarsest lossless diff: delete all of old, insert all of new.
        spans.push(SpanOp::Delete, old);
        spans.push(SpanOp::Insert, new);
        return;
    }
    let old_tokens = Tokens::new(old, old_atomic);
    let new_tokens = Tokens::new(new, new_atomic);
    let mut table: FastMap<&str, u32> = FastMap::default();
    let a = old_tokens.ids(&mut table);
    let b = new_tokens.ids(&mut table);
    // A small diff is over in well under a millisecond whatever the texts, so it
    // runs without the clock reads of a deadline at every step (~3% of a diff);
    // the budget is checked before each diff, so it can overrun by one at most.
    let deadline = (a.len() + b.len() > UNTIMED_TOKENS).then_some(budget.deadline);
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &a, &b, deadline);
    // Checked after the diff: similar degrades silently past its deadline.
    budget.over();
    for region in clean_up(regions_from(&ops), &old_tokens, &new_tokens) {
        if region.equal {
            spans.push(SpanOp::Equal, old_tokens.slice(&region.old));
        } else {
            spans.push(SpanOp::Delete, old_tokens.slice(&region.old));
            spans.push(SpanOp::Insert, new_tokens.slice(&region.new));
        }
    }
}

/// Turn similar's ops into alternating equal / changed regions.
fn regions_from(ops: &[DiffOp]) -> Vec<Region> {
    let mut regions: Vec<Region> = Vec::with_capacity(ops.len());
    for op in ops {
        let (equal, old, new) = match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => (true, old_index..old_index + len, new_index..new_index + len),
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (false, old_index..old_index + old_len, new_index..new_index),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (false, old_index..old_index, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                false,
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        push_region(&mut regions, Region { equal, old, new });
    }
    regions
}

/// Append a region, merging it into the previous one when both are changes.
fn push_region(regions: &mut Vec<Region>, region: Region) {
    if let Some(last) = regions.last_mut() {
        if last.equal == region.equal && !region.equal {
            last.old.end = region.old.end;
            last.new.end = region.new.end;
            return;
        }
    }
    regions.push(region);
}

/// Semantic clean-up: an equal run between two changes is absorbed into them when it
/// holds no word (only spaces or punctuation) or is no longer than the changes on
/// both sides (the diff-match-patch rule), so "[-a-] [-b-]" reads "[-a b-]".
fn clean_up(regions: Vec<Region>, old: &Tokens<'_>, new: &Tokens<'_>) -> Vec<Region> {
    let size = |r: &Region| {
        old.slice(&r.old)
            .chars()
            .count()
            .max(new.slice(&r.new).chars().count())
    };
    let mut out: Vec<Region> = Vec::with_capacity(regions.len());
    for region in regions {
        push_region(&mut out, region);
        // Collapse C E C at the end of the stack while the E is small.
        while out.len() >= 3 {
            let n = out.len();
            let (c1, e, c2) = (&out[n - 3], &out[n - 2], &out[n - 1]);
            if c1.equal || !e.equal || c2.equal {
                break;
            }
            let text = old.slice(&e.old);
            let small = !old.list_has_word(&e.old) || {
                let len = text.chars().count();
                len <= size(c1) && len <= size(c2)
            };
            if !small {
                break;
            }
            let merged = Region {
                equal: false,
                old: c1.old.start..c2.old.end,
                new: c1.new.start..c2.new.end,
            };
            out.truncate(n - 3);
            push_region(&mut out, merged);
        }
    }
    out
}

impl Tokens<'_> {
    /// True when the token range holds at least one word.
    fn list_has_word(&self, r: &Range<usize>) -> bool {
        (r.start..r.end).any(|i| {
            let start = self.offsets.get(i).copied().unwrap_or(0);
            let end = self.offsets.get(i + 1).copied().unwrap_or(start);
            self.text.get(start..end).is_some_and(is_word)
        })
    }
}

/// A span list being built in order: neighbouring spans of the same op merged,
/// empty ones dropped, and inside each run of changes all deletions before all
/// insertions (still lossless on both sides). Texts are copied once, into the
/// span they end up in.
#[derive(Debug, Default)]
pub(crate) struct SpanList {
    spans: Vec<Span>,
    /// Deleted text of the current run of changes.
    deleted: String,
    /// Inserted text of the current run of changes.
    inserted: String,
}

impl SpanList {
    /// Append a span.
    pub(crate) fn push(&mut self, op: SpanOp, text: &str) {
        if text.is_empty() {
            return;
        }
        match op {
            SpanOp::Delete => self.deleted.push_str(text),
            SpanOp::Insert => self.inserted.push_str(text),
            SpanOp::Equal => {
                self.flush_changes();
                match self.spans.last_mut() {
                    Some(last) if last.op == SpanOp::Equal => last.text.push_str(text),
                    _ => self.spans.push(Span {
                        op,
                        text: text.to_string(),
                    }),
                }
            }
        }
    }

    fn flush_changes(&mut self) {
        for (op, text) in [
            (SpanOp::Delete, &mut self.deleted),
            (SpanOp::Insert, &mut self.inserted),
        ] {
            if !text.is_empty() {
                self.spans.push(Span {
                    op,
                    text: std::mem::take(text),
                });
            }
        }
    }

    /// The merged spans.
    pub(crate) fn finish(mut self) -> Vec<Span> {
        self.flush_changes();
        self.spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::testing::word_diff as show;

    #[test]
    fn numbers_change_as_whole_words() {
        let b = Budget::new(std::time::Duration::from_secs(5));
        let spans = diff_text(
            "up to 30,000 European troops",
            "up to 35,000 European troops",
            &b,
        );
        assert_eq!(show(&spans), "up to [-30,000-]{+35,000+} European troops");
    }

    #[test]
    fn neighbouring_changes_read_as_a_phrase() {
        let b = Budget::new(std::time::Duration::from_secs(5));
        let spans = diff_text(
            "on Saturday 1 March at noon",
            "on Tuesday 4 March at noon",
            &b,
        );
        assert_eq!(show(&spans), "on [-Saturday 1-]{+Tuesday 4+} March at noon");
        let spans = diff_text(
            "the pair. Then",
            "the pair, though he has since said so. Then",
            &b,
        );
        assert_eq!(
            show(&spans),
            "the pair{+, though he has since said so+}. Then"
        );
    }

    #[test]
    fn spans_are_lossless_and_merged() {
        let b = Budget::new(std::time::Duration::from_secs(5));
        let (old, new) = ("a b c d e f", "a x c y e z");
        let spans = diff_text(old, new, &b);
        let rebuilt_old: String = spans
            .iter()
            .filter(|s| s.op != SpanOp::Insert)
            .map(|s| s.text.as_str())
            .collect();
        let rebuilt_new: String = spans
            .iter()
            .filter(|s| s.op != SpanOp::Delete)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!((rebuilt_old.as_str(), rebuilt_new.as_str()), (old, new));
        assert!(spans.windows(2).all(|w| w[0].op != w[1].op));
    }
}
