//! Alignment: which old section is which new section, and which old sentence is
//! which new sentence (equal, edited, moved), with bounded work.

use std::cell::OnceCell;
use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use similar::{Algorithm, DiffOp};

use super::text::{dice, dice_bound, key, merge_bags, word_bag};
use super::{Budget, SectionChange, SectionChangeKind, SectionId};
use crate::model::{BlockKind, Document};

/// Word similarity (Dice over words) at or above which two leftover sentences near
/// each other are the same sentence, edited. NewsEdits matched sentences under
/// distance 0.44; Dice is kinder to short sentences than an edit distance, so 0.5
/// keeps one-word edits of short sentences ("Updated 1 March 2025") paired while
/// two unrelated news sentences (which share function words) stay apart.
pub(crate) const EDIT_THRESHOLD: f64 = 0.5;

/// Similarity at or above which a sentence that left one place and appears, reworded,
/// somewhere else counts as moved (wikidiff2 uses 0.4 on characters; words are
/// stricter evidence over a whole document, so this is higher than the local threshold).
pub(crate) const MOVE_THRESHOLD: f64 = 0.6;

/// Sentences shorter than this (in whitespace-separated words) are never reported
/// as moved: short repeated lines ("RUSSIA", "Image") would make spurious moves.
pub(crate) const MIN_MOVE_WORDS: usize = 4;

/// Heading similarity at or above which an unmatched section pair is a rename.
const RENAME_THRESHOLD: f64 = 0.5;

/// Leftover pairs compared exhaustively inside one hunk; beyond that, a band.
const FULL_PAIRING_LIMIT: usize = 2_500;

/// Half-width of the band of old sentences compared with each new one in big hunks.
const BAND: usize = 24;

/// Inverted-index postings longer than this are too common to suggest a move.
const MAX_POSTINGS: usize = 64;

/// One sentence (or figure, or verbatim block) of one side.
pub(crate) struct Unit<'a> {
    /// Index of its section in the document.
    pub section: usize,
    /// Global index of its block.
    pub block: usize,
    /// Kind of its block (code, table and markup units are never read as prose).
    pub kind: BlockKind,
    /// Plain text.
    pub text: &'a str,
    /// Source byte range in the body.
    pub span: Range<usize>,
    /// Normalised-text hash.
    pub key: u64,
    bag: OnceCell<Vec<u64>>,
}

impl Unit<'_> {
    /// Sorted word hashes, computed on first use (most sentences never need them).
    pub fn bag(&self) -> &[u64] {
        self.bag.get_or_init(|| word_bag(self.text))
    }

    fn long_enough_to_move(&self) -> bool {
        self.text
            .split_whitespace()
            .nth(MIN_MOVE_WORDS - 1)
            .is_some()
    }
}

/// One side of the diff: the document and its sentences in order.
pub(crate) struct Side<'a> {
    pub doc: &'a Document,
    pub units: Vec<Unit<'a>>,
    /// Unit index range of each section.
    pub section_units: Vec<Range<usize>>,
}

impl<'a> Side<'a> {
    pub fn new(doc: &'a Document) -> Side<'a> {
        // Sized once: growing it by doubling copied a long document's units
        // several times over.
        let sentences = doc
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .map(|b| b.sentences.len())
            .sum();
        let mut units = Vec::with_capacity(sentences);
        let mut section_units = Vec::with_capacity(doc.sections.len());
        let mut floor = 0;
        let mut block_index = 0;
        for (s, section) in doc.sections.iter().enumerate() {
            let first = units.len();
            for block in &section.blocks {
                for sentence in &block.sentences {
                    // Outlines built by hand may be inconsistent: keep only valid, ordered ranges.
                    let span = sentence.span.clone();
                    if span.start < floor || doc.body.get(span.clone()).is_none() {
                        continue;
                    }
                    floor = span.end;
                    units.push(Unit {
                        section: s,
                        block: block_index,
                        kind: block.kind,
                        text: &sentence.text,
                        key: key(&sentence.text),
                        span,
                        bag: OnceCell::new(),
                    });
                }
                block_index += 1;
            }
            section_units.push(first..units.len());
        }
        Side {
            doc,
            units,
            section_units,
        }
    }

    /// Heading of section `s` (None for the lead).
    pub fn heading(&self, s: usize) -> Option<String> {
        self.doc.sections.get(s).and_then(|sec| sec.heading.clone())
    }

    fn section_bag(&self, s: usize) -> Vec<u64> {
        let range = self.section_units.get(s).cloned().unwrap_or(0..0);
        let mut bag: Vec<u64> = self
            .units
            .get(range)
            .unwrap_or(&[])
            .iter()
            .flat_map(|u| u.bag().iter().copied())
            .collect();
        bag.sort_unstable();
        bag
    }
}

/// How the sections of the two sides correspond.
pub(crate) struct SectionAlignment {
    /// For each old section, its new partner.
    pub partner: Vec<Option<usize>>,
    /// Section-level changes, in new-document order.
    pub changes: Vec<SectionChange>,
}

fn heading_key(heading: &Option<String>) -> String {
    match heading {
        Some(h) => crate::typography::normalise_caseless(h),
        None => "\u{0}lead".to_string(),
    }
}

/// Align sections: same heading first, then renamed (similar heading, or same place
/// and similar content); the rest are added or removed; matched sections out of
/// relative order (not on the longest increasing run) are moved.
pub(crate) fn align_sections(old: &Side<'_>, new: &Side<'_>, budget: &Budget) -> SectionAlignment {
    let (old_secs, new_secs) = (&old.doc.sections, &new.doc.sections);
    let mut partner: Vec<Option<usize>> = vec![None; old_secs.len()];
    let mut new_partner: Vec<Option<usize>> = vec![None; new_secs.len()];
    let mut by_heading: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, s) in old_secs.iter().enumerate() {
        by_heading
            .entry(heading_key(&s.heading))
            .or_default()
            .push_back(i);
    }
    for (j, s) in new_secs.iter().enumerate() {
        if let Some(i) = by_heading
            .get_mut(&heading_key(&s.heading))
            .and_then(VecDeque::pop_front)
        {
            partner[i] = Some(j);
            new_partner[j] = Some(i);
        }
    }
    let mut renamed = vec![false; new_secs.len()];
    let unmatched_old: Vec<usize> = (0..old_secs.len())
        .filter(|&i| partner[i].is_none() && old_secs[i].heading.is_some())
        .collect();
    let unmatched_new: Vec<usize> = (0..new_secs.len())
        .filter(|&j| new_partner[j].is_none() && new_secs[j].heading.is_some())
        .collect();
    if !unmatched_old.is_empty()
        && !unmatched_new.is_empty()
        && unmatched_old.len() * unmatched_new.len() <= 40_000
        && !budget.over()
    {
        // The matched section before each unmatched one, as a new index: same value = same place.
        let gap_old = |i: usize| (0..i).rev().find_map(|k| partner[k]);
        let gap_new = |j: usize| (0..j).rev().find(|&k| new_partner[k].is_some());
        let head_bag = |h: &Option<String>| word_bag(h.as_deref().unwrap_or(""));
        let old_bags: Vec<(Vec<u64>, Vec<u64>)> = unmatched_old
            .iter()
            .map(|&i| (head_bag(&old_secs[i].heading), old.section_bag(i)))
            .collect();
        let new_bags: Vec<(Vec<u64>, Vec<u64>)> = unmatched_new
            .iter()
            .map(|&j| (head_bag(&new_secs[j].heading), new.section_bag(j)))
            .collect();
        let mut candidates = Vec::new();
        for (a, &i) in unmatched_old.iter().enumerate() {
            for (b, &j) in unmatched_new.iter().enumerate() {
                let (oh, oc) = &old_bags[a];
                let (nh, nc) = &new_bags[b];
                let heading_sim = dice(oh, nh);
                let content_sim = dice(oc, nc);
                let empty = oc.is_empty() || nc.is_empty();
                let same_place = gap_old(i) == gap_new(j);
                let accept = (heading_sim >= RENAME_THRESHOLD && (empty || content_sim >= 0.25))
                    || (same_place && content_sim >= 0.5)
                    || content_sim >= 0.7;
                if accept {
                    candidates.push((heading_sim + content_sim, i, j));
                }
            }
        }
        candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        for (_, i, j) in candidates {
            if partner[i].is_none() && new_partner[j].is_none() {
                partner[i] = Some(j);
                new_partner[j] = Some(i);
                renamed[j] = true;
            }
        }
    }
    // Moved: matched sections off the longest increasing run of new positions.
    let pairs: Vec<(usize, usize)> = partner
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|j| (i, j)))
        .collect();
    let weights = vec![1u64; pairs.len()];
    let keep = longest_increasing(&pairs.iter().map(|p| p.1).collect::<Vec<_>>(), &weights);
    let mut moved = vec![false; new_secs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        if !keep[k] {
            moved[j] = true;
        }
    }
    // Changes in new-document order; a removed section goes after the new partner
    // of the matched section that preceded it.
    let mut ordered: Vec<((usize, usize, usize), SectionChange)> = Vec::new();
    for (j, s) in new_secs.iter().enumerate() {
        let change = |kind, old_heading| SectionChange {
            kind,
            id: SectionId::New(j),
            old_heading,
            new_heading: s.heading.clone(),
        };
        match new_partner[j] {
            None => ordered.push(((j + 1, 0, 0), change(SectionChangeKind::Added, None))),
            Some(i) => {
                if renamed[j] {
                    ordered.push((
                        (j + 1, 0, 0),
                        change(SectionChangeKind::Renamed, old_secs[i].heading.clone()),
                    ));
                }
                if moved[j] {
                    ordered.push((
                        (j + 1, 0, 1),
                        change(SectionChangeKind::Moved, old_secs[i].heading.clone()),
                    ));
                }
            }
        }
    }
    for (i, s) in old_secs.iter().enumerate() {
        if partner[i].is_none() {
            let at = (0..i).rev().find_map(|k| partner[k]).map_or(0, |j| j + 1);
            ordered.push((
                (at, 1, i),
                SectionChange {
                    kind: SectionChangeKind::Removed,
                    id: SectionId::Old(i),
                    old_heading: s.heading.clone(),
                    new_heading: None,
                },
            ));
        }
    }
    ordered.sort_by_key(|(k, _)| *k);
    SectionAlignment {
        partner,
        changes: ordered.into_iter().map(|(_, c)| c).collect(),
    }
}

/// How two groups of sentences correspond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PairKind {
    /// Same normalised text, in place.
    Equal,
    /// Reworded in place.
    Edited,
    /// Left one place and appears in another (maybe reworded).
    Moved,
}

/// A group of consecutive old sentences paired with a group of consecutive new ones.
#[derive(Debug, Clone)]
pub(crate) struct Pair {
    pub kind: PairKind,
    /// Old unit indices.
    pub old: Range<usize>,
    /// New unit indices.
    pub new: Range<usize>,
}

/// Sentence alignment result.
pub(crate) struct SentenceAlignment {
    pub pairs: Vec<Pair>,
    /// Old units paired with nothing (removed).
    pub old_taken: Vec<bool>,
    /// New units paired with nothing (added).
    pub new_taken: Vec<bool>,
}

/// A run of leftovers between exact matches: olds and news that may pair as edits.
struct Hunk {
    old: Range<usize>,
    new: Range<usize>,
}

/// Align sentences: exact matches inside aligned sections (a diff over sentence
/// hashes), exact moves anywhere, edits inside each hunk of leftovers (with 1:n and
/// n:1 splits and joins), then reworded moves anywhere.
pub(crate) fn align_sentences(
    old: &Side<'_>,
    new: &Side<'_>,
    sections: &SectionAlignment,
    budget: &Budget,
) -> SentenceAlignment {
    let mut pairs = Vec::new();
    let mut old_taken = vec![false; old.units.len()];
    let mut new_taken = vec![false; new.units.len()];
    let mut hunks: Vec<Hunk> = Vec::new();
    let old_keys: Vec<u64> = old.units.iter().map(|u| u.key).collect();
    let new_keys: Vec<u64> = new.units.iter().map(|u| u.key).collect();
    for (i, p) in sections.partner.iter().enumerate() {
        let Some(j) = *p else { continue };
        let (Some(ro), Some(rn)) = (old.section_units.get(i), new.section_units.get(j)) else {
            continue;
        };
        let ops = similar::capture_diff_deadline(
            Algorithm::Myers,
            &old_keys[..],
            ro.clone(),
            &new_keys[..],
            rn.clone(),
            Some(budget.deadline),
        );
        let mut hunk: Option<Hunk> = None;
        for op in ops {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    if let Some(h) = hunk.take() {
                        hunks.push(h);
                    }
                    for k in 0..len {
                        old_taken[old_index + k] = true;
                        new_taken[new_index + k] = true;
                        pairs.push(Pair {
                            kind: PairKind::Equal,
                            old: old_index + k..old_index + k + 1,
                            new: new_index + k..new_index + k + 1,
                        });
                    }
                }
                other => {
                    let (o, n) = (other.old_range(), other.new_range());
                    match hunk.as_mut() {
                        Some(h) => {
                            h.old.end = o.end.max(h.old.end);
                            h.new.end = n.end.max(h.new.end);
                        }
                        None => hunk = Some(Hunk { old: o, new: n }),
                    }
                }
            }
        }
        if let Some(h) = hunk {
            hunks.push(h);
        }
    }
    budget.over();

    // Exact moves: a leftover sentence whose text appears, leftover, elsewhere.
    let mut by_key: HashMap<u64, VecDeque<usize>> = HashMap::new();
    for (i, u) in old.units.iter().enumerate() {
        if !old_taken[i] && u.long_enough_to_move() {
            by_key.entry(u.key).or_default().push_back(i);
        }
    }
    if !by_key.is_empty() {
        for (j, u) in new.units.iter().enumerate() {
            if new_taken[j] || !u.long_enough_to_move() {
                continue;
            }
            if let Some(i) = by_key.get_mut(&u.key).and_then(VecDeque::pop_front) {
                old_taken[i] = true;
                new_taken[j] = true;
                pairs.push(Pair {
                    kind: PairKind::Moved,
                    old: i..i + 1,
                    new: j..j + 1,
                });
            }
        }
    }

    // Edits inside hunks.
    for hunk in &hunks {
        if budget.over() {
            break;
        }
        let olds: Vec<usize> = hunk.old.clone().filter(|&i| !old_taken[i]).collect();
        let news: Vec<usize> = hunk.new.clone().filter(|&j| !new_taken[j]).collect();
        if olds.is_empty() || news.is_empty() {
            continue;
        }
        let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
        let full = olds.len() * news.len() <= FULL_PAIRING_LIMIT;
        for (b, &j) in news.iter().enumerate() {
            let (lo, hi) = if full {
                (0, olds.len())
            } else {
                let centre = b * olds.len() / news.len();
                (
                    centre.saturating_sub(BAND),
                    (centre + BAND + 1).min(olds.len()),
                )
            };
            if b % 512 == 0 && budget.over() {
                break;
            }
            let new_bag = new.units[j].bag();
            for &i in olds.get(lo..hi).unwrap_or(&[]) {
                let old_bag = old.units[i].bag();
                if dice_bound(old_bag.len(), new_bag.len()) < EDIT_THRESHOLD {
                    continue;
                }
                let sim = dice(old_bag, new_bag);
                if sim >= EDIT_THRESHOLD {
                    candidates.push((sim, i, j));
                }
            }
        }
        candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        for (sim, i, j) in candidates {
            if old_taken[i] || new_taken[j] {
                continue;
            }
            old_taken[i] = true;
            new_taken[j] = true;
            let pair = grow(
                old,
                new,
                &hunk.old,
                &hunk.new,
                i..i + 1,
                j..j + 1,
                sim,
                &mut old_taken,
                &mut new_taken,
            );
            pairs.push(pair);
        }
    }

    // Reworded moves anywhere, found through shared uncommon words.
    if !budget.over() {
        pairs.extend(reworded_moves(
            old,
            new,
            &mut old_taken,
            &mut new_taken,
            budget,
        ));
    }
    SentenceAlignment {
        pairs,
        old_taken,
        new_taken,
    }
}

/// Extend an edited pair with neighbouring leftover sentences of the same block while
/// that raises similarity: one sentence split in two, or two joined into one.
#[allow(clippy::too_many_arguments)]
fn grow(
    old: &Side<'_>,
    new: &Side<'_>,
    old_limit: &Range<usize>,
    new_limit: &Range<usize>,
    mut o: Range<usize>,
    mut n: Range<usize>,
    mut sim: f64,
    old_taken: &mut [bool],
    new_taken: &mut [bool],
) -> Pair {
    let bag_of = |side: &Side<'_>, r: &Range<usize>| {
        side.units
            .get(r.clone())
            .unwrap_or(&[])
            .iter()
            .fold(Vec::new(), |acc, u| merge_bags(&acc, u.bag()))
    };
    let mut old_bag = bag_of(old, &o);
    let mut new_bag = bag_of(new, &n);
    loop {
        let mut best: Option<(f64, bool, Range<usize>, Vec<u64>)> = None;
        // Candidates: one more old or new sentence before or after the group.
        let options = [
            (true, o.start.checked_sub(1), o.start),
            (true, Some(o.end), o.end.saturating_sub(1)),
            (false, n.start.checked_sub(1), n.start),
            (false, Some(n.end), n.end.saturating_sub(1)),
        ];
        for (is_old, cand, edge) in options {
            let Some(c) = cand else { continue };
            let (side, limit, taken, range) = if is_old {
                (old, old_limit, &*old_taken, &o)
            } else {
                (new, new_limit, &*new_taken, &n)
            };
            if !limit.contains(&c) || taken.get(c).copied().unwrap_or(true) {
                continue;
            }
            let (Some(cu), Some(eu)) = (side.units.get(c), side.units.get(edge)) else {
                continue;
            };
            if cu.block != eu.block {
                continue;
            }
            let grown = merge_bags(if is_old { &old_bag } else { &new_bag }, cu.bag());
            let s = if is_old {
                dice(&grown, &new_bag)
            } else {
                dice(&old_bag, &grown)
            };
            let r = if c < range.start {
                c..range.end
            } else {
                range.start..c + 1
            };
            if s > sim + 0.02 && best.as_ref().is_none_or(|b| s > b.0) {
                best = Some((s, is_old, r, grown));
            }
        }
        let Some((s, is_old, r, grown)) = best else {
            break;
        };
        sim = s;
        if is_old {
            for k in r.clone() {
                old_taken[k] = true;
            }
            o = r;
            old_bag = grown;
        } else {
            for k in r.clone() {
                new_taken[k] = true;
            }
            n = r;
            new_bag = grown;
        }
    }
    Pair {
        kind: PairKind::Edited,
        old: o,
        new: n,
    }
}

/// Pair leftover sentences across the document by word similarity (moved and
/// reworded). Candidates come from an inverted index of uncommon words, so the work
/// stays near linear even when everything changed.
fn reworded_moves(
    old: &Side<'_>,
    new: &Side<'_>,
    old_taken: &mut [bool],
    new_taken: &mut [bool],
    budget: &Budget,
) -> Vec<Pair> {
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, u) in old.units.iter().enumerate() {
        if old_taken[i] || !u.long_enough_to_move() {
            continue;
        }
        let mut last = None;
        for &w in u.bag() {
            if last != Some(w) {
                postings.entry(w).or_default().push(i);
                last = Some(w);
            }
        }
    }
    if postings.is_empty() {
        return Vec::new();
    }
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    let mut hits: HashMap<usize, u32> = HashMap::new();
    for (j, u) in new.units.iter().enumerate() {
        if new_taken[j] || !u.long_enough_to_move() {
            continue;
        }
        if j % 256 == 0 && budget.over() {
            return Vec::new();
        }
        hits.clear();
        let mut last = None;
        for &w in u.bag() {
            if last == Some(w) {
                continue;
            }
            last = Some(w);
            if let Some(list) = postings.get(&w).filter(|l| l.len() <= MAX_POSTINGS) {
                for &i in list {
                    *hits.entry(i).or_default() += 1;
                }
            }
        }
        for (&i, &h) in &hits {
            if h < 2 {
                continue;
            }
            let old_bag = old.units[i].bag();
            if dice_bound(old_bag.len(), u.bag().len()) < MOVE_THRESHOLD {
                continue;
            }
            let sim = dice(old_bag, u.bag());
            if sim >= MOVE_THRESHOLD {
                candidates.push((sim, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut out = Vec::new();
    for (_, i, j) in candidates {
        if old_taken[i] || new_taken[j] {
            continue;
        }
        old_taken[i] = true;
        new_taken[j] = true;
        out.push(Pair {
            kind: PairKind::Moved,
            old: i..i + 1,
            new: j..j + 1,
        });
    }
    out
}

/// Maximum-weight strictly increasing subsequence of `values` (in the given order):
/// which items keep their relative order. O(n log n) with a Fenwick tree of maxima.
pub(crate) fn longest_increasing(values: &[usize], weights: &[u64]) -> Vec<bool> {
    let n = values.len();
    let mut keep = vec![false; n];
    if n == 0 {
        return keep;
    }
    let mut ranks: Vec<usize> = values.to_vec();
    ranks.sort_unstable();
    ranks.dedup();
    let rank = |v: usize| ranks.partition_point(|&x| x < v);
    // tree[k] holds (best total, item index) over a range of ranks.
    let mut tree: Vec<(u64, usize)> = vec![(0, usize::MAX); ranks.len() + 1];
    let mut back: Vec<usize> = vec![usize::MAX; n];
    let mut best_end = (0u64, usize::MAX);
    for (idx, &v) in values.iter().enumerate() {
        let r = rank(v);
        // Query the best chain over ranks < r.
        let mut q = r;
        let mut best = (0u64, usize::MAX);
        while q > 0 {
            if let Some(&t) = tree.get(q) {
                if t.0 > best.0 {
                    best = t;
                }
            }
            q &= q - 1;
        }
        let total = best.0 + weights.get(idx).copied().unwrap_or(1);
        back[idx] = best.1;
        if total > best_end.0 {
            best_end = (total, idx);
        }
        let mut u = r + 1;
        while u < tree.len() {
            if let Some(t) = tree.get_mut(u) {
                if total > t.0 {
                    *t = (total, idx);
                }
            }
            u += u & u.wrapping_neg();
        }
    }
    let mut cur = best_end.1;
    while let Some(k) = keep.get_mut(cur) {
        *k = true;
        cur = back.get(cur).copied().unwrap_or(usize::MAX);
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn increasing_run_prefers_weight() {
        assert_eq!(
            longest_increasing(&[0, 1, 2], &[1, 1, 1]),
            vec![true, true, true]
        );
        assert_eq!(
            longest_increasing(&[2, 0, 1], &[1, 1, 1]),
            vec![false, true, true]
        );
        assert_eq!(
            longest_increasing(&[2, 0, 1], &[10, 1, 1]),
            vec![true, false, false]
        );
        assert_eq!(longest_increasing(&[], &[]), Vec::<bool>::new());
    }
}
