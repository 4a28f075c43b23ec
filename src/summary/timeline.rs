//! The window's versions as paragraph hashes: which update introduced a
//! sentence, and which sentences came and went inside the window — without
//! diffing consecutive versions.
//!
//! Each version's body is cut into chunks (runs of non-blank lines: Markdown
//! blocks) and each chunk is hashed. A chunk is outlined into sentence and
//! heading keys once, the first time its hash is seen, so the cost is one pass
//! over each body (hashing) plus outlining only the distinct chunks; base and
//! head chunks are outlined to know what "still there" means. Everything else
//! is look-ups in maps keyed by 64-bit hashes.

// Rewordings are judged by the same word similarity the diff pairs edits with.
use crate::diff::dice as similarity;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use super::rank::{normalise, Trace};

/// Keys here are already hashes: pass them through (with a final mix) instead
/// of SipHashing them again, which dominated a 1,000-version window.
#[derive(Debug, Default, Clone, Copy)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        (self.0 ^ (self.0 >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type HashMap64<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;
type HashSet64 = HashSet<u64, BuildHasherDefault<PassThrough>>;

/// One sentence or heading of a chunk.
#[derive(Debug, Clone)]
struct Unit {
    /// Hash of the typography-insensitive text ([`normalise`]).
    key: u64,
    /// The text as the outline gives it (plain, whitespace collapsed).
    text: String,
    /// A section heading rather than a sentence.
    heading: bool,
    /// Sorted hashes of its lower-case words, for rewording checks; computed
    /// on first use (few units are ever compared).
    words: OnceCell<Vec<u64>>,
    /// [`normalise`]d text for containment checks, computed on first use: a
    /// unit is shared by every version holding its chunk.
    normalised: OnceCell<String>,
}

impl Unit {
    fn new(text: String, heading: bool) -> Unit {
        Unit {
            key: text_key(&text),
            text,
            heading,
            words: OnceCell::new(),
            normalised: OnceCell::new(),
        }
    }

    fn words(&self) -> &[u64] {
        self.words.get_or_init(|| word_hashes(&self.text))
    }

    fn normalised(&self) -> &str {
        self.normalised.get_or_init(|| normalise(&self.text))
    }
}

/// A version's body cut into hashed chunks by a reader thread, with the
/// outlines of the chunks it was first to claim.
#[derive(Debug)]
pub(crate) struct IndexedBody {
    body: String,
    hashes: Vec<u64>,
    units: Vec<(u64, Vec<Unit>)>,
}

/// Chunk hashes already outlined by some reader (shared between threads).
#[derive(Debug)]
pub(crate) struct Claims(Mutex<HashSet64>);

/// Cut and hash a body off the main thread, outlining the chunks no reader
/// claimed before.
pub(crate) fn index_body(body: String, claims: &Claims) -> IndexedBody {
    let mut hashes = Vec::new();
    let mut units = Vec::new();
    for chunk in chunks(&body) {
        let h = chunk_hash(chunk);
        hashes.push(h);
        // A poisoned lock only costs a duplicate outline.
        let first = claims.0.lock().map_or(true, |mut seen| seen.insert(h));
        if first {
            units.push((h, units_of(chunk)));
        }
    }
    IndexedBody {
        body,
        hashes,
        units,
    }
}

/// A sentence that appeared inside the window and is in neither base nor head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawnSpan {
    /// Section heading where it appeared (`None` = the lead).
    pub section: Option<String>,
    /// The text, verbatim as first seen.
    pub text: String,
    /// Window index of the version that added it.
    pub added: usize,
    /// Window index of the version that removed it.
    pub removed: usize,
}

/// A sentence currently present in some intermediate version.
#[derive(Debug, Clone)]
struct Open {
    since: usize,
    text: String,
    words: Vec<u64>,
    section: Option<String>,
}

/// Where each unit and chunk occurs, built once for introduced-by queries.
#[derive(Debug, Default)]
struct Occurrences {
    /// Unit key → chunks containing it.
    chunks_of: HashMap64<Vec<u64>>,
    /// Chunk → window indexes of the versions containing it.
    versions_of: HashMap64<Vec<usize>>,
}

/// Chunk hashes of every version of a window, index 0 = base, last = head.
#[derive(Debug, Default)]
pub struct Timeline {
    /// Chunk hashes per window version, in body order.
    chunks: Vec<Vec<u64>>,
    /// Units of each distinct chunk.
    units: HashMap64<Vec<Unit>>,
    /// Chunks of base and head.
    known_chunks: HashSet64,
    /// Unit keys of base and head.
    known_keys: HashSet64,
    /// Unit keys of base alone.
    base_keys: HashSet64,
    /// Withdrawn candidates currently present, by unit key.
    open: HashMap64<Open>,
    /// How many chunks of the latest version hold each candidate key.
    counts: HashMap64<u32>,
    /// Closed withdrawn spans.
    closed: Vec<WithdrawnSpan>,
    /// Built on the first introduced-by query, after every version is added.
    occurrences: OnceCell<Occurrences>,
}

impl Timeline {
    /// A timeline of `len` versions (base, intermediates, head).
    pub fn new(len: usize) -> Timeline {
        Timeline {
            chunks: vec![Vec::new(); len],
            ..Timeline::default()
        }
    }

    /// Record base (index 0) or head (the last index); call for both before
    /// any intermediate version.
    pub fn add_known(&mut self, index: usize, body: &str) {
        let hashes = self.index_chunks(body);
        for h in &hashes {
            self.known_chunks.insert(*h);
            if let Some(units) = self.units.get(h) {
                self.known_keys.extend(units.iter().map(|u| u.key));
                if index == 0 {
                    self.base_keys.extend(units.iter().map(|u| u.key));
                }
            }
        }
        if let Some(slot) = self.chunks.get_mut(index) {
            *slot = hashes;
        }
    }

    /// Record an intermediate version, in window order, tracking sentences that
    /// are in neither base nor head.
    pub fn add_intermediate(&mut self, index: usize, body: &str) {
        let hashes = self.index_chunks(body);
        self.record(index, hashes);
    }

    /// [`Timeline::add_intermediate`] for a body a reader thread already cut,
    /// hashed and (for chunks it claimed first) outlined.
    pub(crate) fn add_indexed(&mut self, index: usize, indexed: IndexedBody) {
        for (h, units) in indexed.units {
            self.units.entry(h).or_insert(units);
        }
        // A chunk another reader claimed whose outline has not arrived yet:
        // outline it here (rare, and the later copy is ignored).
        if indexed.hashes.iter().any(|h| !self.units.contains_key(h)) {
            self.index_chunks(&indexed.body);
        }
        self.record(index, indexed.hashes);
    }

    /// A claim set for reader threads, seeded with the chunks outlined so far
    /// (base and head), so each distinct chunk is outlined once in all.
    pub(crate) fn claims(&self) -> Claims {
        Claims(Mutex::new(self.units.keys().copied().collect()))
    }

    /// Track withdrawn candidates of an intermediate version given its chunk
    /// hashes. Only the chunks that changed since the previous version are
    /// looked at: a candidate sentence arrives with an added chunk and leaves
    /// when the last chunk holding it goes (counted per occurrence, so a
    /// sentence moving between paragraphs in one update stays open).
    fn record(&mut self, index: usize, hashes: Vec<u64>) {
        let previous: HashSet64 = index
            .checked_sub(1)
            .and_then(|p| self.chunks.get(p))
            .map(|hs| hs.iter().copied().collect())
            .unwrap_or_default();
        let current: HashSet64 = hashes.iter().copied().collect();
        // Added chunks in body order, with the section in effect where each starts.
        let mut added: Vec<(u64, Option<String>)> = Vec::new();
        let mut section: Option<&str> = None;
        for h in &hashes {
            let Some(units) = self.units.get(h) else {
                continue;
            };
            if !previous.contains(h) && !added.iter().any(|(a, _)| a == h) {
                added.push((*h, section.map(str::to_string)));
            }
            if let Some(heading) = units.iter().rev().find(|u| u.heading) {
                section = Some(&heading.text);
            }
        }
        let removed: Vec<u64> = previous
            .iter()
            .filter(|h| !current.contains(h))
            .copied()
            .collect();
        let mut touched: Vec<(u64, Option<&Unit>, Option<String>)> = Vec::new();
        for (h, start) in &added {
            if self.known_chunks.contains(h) {
                continue;
            }
            let mut at = start.clone();
            for unit in self.units.get(h).into_iter().flatten() {
                // A heading that came and went names its own section.
                if unit.heading {
                    at = Some(unit.text.clone());
                }
                if !self.known_keys.contains(&unit.key) {
                    *self.counts.entry(unit.key).or_default() += 1;
                    touched.push((unit.key, Some(unit), at.clone()));
                }
            }
        }
        for h in &removed {
            if self.known_chunks.contains(h) {
                continue;
            }
            for unit in self.units.get(h).into_iter().flatten() {
                if !self.known_keys.contains(&unit.key) {
                    if let Some(c) = self.counts.get_mut(&unit.key) {
                        *c = c.saturating_sub(1);
                    }
                    touched.push((unit.key, None, None));
                }
            }
        }
        let added_chunks: Vec<u64> = added.iter().map(|(h, _)| *h).collect();
        let mut arrivals: Vec<(u64, Open)> = Vec::new();
        let mut departures: Vec<u64> = Vec::new();
        for (key, unit, at) in touched {
            let count = self.counts.get(&key).copied().unwrap_or(0);
            let open = self.open.contains_key(&key) || arrivals.iter().any(|(k, _)| *k == key);
            if count == 0 && open && !departures.contains(&key) {
                departures.push(key);
            } else if count > 0 && !open {
                if let Some(unit) = unit {
                    let open = Open {
                        since: index,
                        text: unit.text.clone(),
                        words: unit.words().to_vec(),
                        section: at,
                    };
                    arrivals.push((key, open));
                }
            }
        }
        if let Some(slot) = self.chunks.get_mut(index) {
            *slot = hashes;
        }
        for key in departures {
            self.close(key, index, &added_chunks);
        }
        self.open.extend(arrivals);
    }

    /// End a span at version `removed`. A sentence the removing update
    /// reworded (it brought a similar sentence that was not in base) was
    /// superseded, not withdrawn: "expected to sign on 28 February, but …"
    /// rewritten on 4 March is an edit the net change already shows. A
    /// sentence replaced by its base wording (an edit reverted) is withdrawn.
    fn close(&mut self, key: u64, removed: usize, added_chunks: &[u64]) {
        let Some(open) = self.open.remove(&key) else {
            return;
        };
        if !self.reworded(&open.words, added_chunks) {
            self.closed.push(WithdrawnSpan {
                section: open.section,
                text: open.text,
                added: open.since,
                removed,
            });
        }
    }

    /// True when the chunks an update added hold a sentence whose words are
    /// similar to `words` and that is not in base.
    fn reworded(&self, words: &[u64], added_chunks: &[u64]) -> bool {
        added_chunks
            .iter()
            .filter_map(|h| self.units.get(h))
            .flatten()
            .filter(|u| !u.heading && !self.base_keys.contains(&u.key))
            .any(|u| similarity(u.words(), words) >= REWORDED)
    }

    /// Everything that came and went, in order of appearance; sentences still
    /// open when the window ends were removed by the head.
    pub fn withdrawn(&mut self) -> Vec<WithdrawnSpan> {
        let head = self.chunks.len().saturating_sub(1);
        let before: HashSet64 = head
            .checked_sub(1)
            .and_then(|p| self.chunks.get(p))
            .map(|hs| hs.iter().copied().collect())
            .unwrap_or_default();
        let added_chunks: Vec<u64> = self
            .chunks
            .get(head)
            .into_iter()
            .flatten()
            .filter(|h| !before.contains(h))
            .copied()
            .collect();
        let still_open: Vec<u64> = self.open.keys().copied().collect();
        for key in still_open {
            self.close(key, head, &added_chunks);
        }
        let mut spans = std::mem::take(&mut self.closed);
        spans.sort_by(|a, b| (a.added, a.removed, &a.text).cmp(&(b.added, b.removed, &b.text)));
        spans
    }

    /// Window index (≥ 1 unless base is head) of the update that introduced a
    /// highlight: the earliest version from which the text is present (or, for
    /// removals, absent) in every later version up to head. Exact, also when a
    /// text came and went more than once; costs the versions containing it.
    /// An appearing sentence also counts as present where it stood as the
    /// start or part of a longer sentence that was split later ("…on 28
    /// February, but Mr Zelenskyy…" before "…on 28 February."): its words
    /// came with that earlier update, not with the split.
    pub fn introduced(&self, trace: &Trace) -> usize {
        let last = self.chunks.len().saturating_sub(1);
        if last == 0 {
            return 0;
        }
        let occurrences = self.occurrences.get_or_init(|| self.occurrences());
        let mut present = vec![false; self.chunks.len()];
        let key = text_key(trace.text());
        for chunk in occurrences.chunks_of.get(&key).into_iter().flatten() {
            for v in occurrences.versions_of.get(chunk).into_iter().flatten() {
                if let Some(p) = present.get_mut(*v) {
                    *p = true;
                }
            }
        }
        let wanted = matches!(trace, Trace::Appears(_));
        let part = if wanted {
            sentence_part(trace.text())
        } else {
            None
        };
        let mut j = last;
        while j > 1 {
            let before = j - 1;
            let held = present.get(before) == Some(&wanted)
                || part
                    .as_deref()
                    .is_some_and(|p| self.holds_within(before, p));
            if !held {
                break;
            }
            j = before;
        }
        j
    }

    /// Whether some sentence of version `index` contains `part` (normalised,
    /// from [`sentence_part`]) between word boundaries.
    fn holds_within(&self, index: usize, part: &str) -> bool {
        let Some(chunks) = self.chunks.get(index) else {
            return false;
        };
        chunks
            .iter()
            .filter_map(|h| self.units.get(h))
            .flatten()
            .filter(|unit| !unit.heading && unit.text.len() > part.len())
            .any(|unit| {
                let text = unit.normalised();
                text.match_indices(part).any(|(at, _)| {
                    let starts = at == 0 || text[..at].ends_with(' ');
                    let ends = !text[at + part.len()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                    starts && ends
                })
            })
    }

    /// Invert the timeline: which chunks hold each unit, which versions each chunk.
    fn occurrences(&self) -> Occurrences {
        let mut out = Occurrences::default();
        for (chunk, units) in &self.units {
            for unit in units {
                out.chunks_of.entry(unit.key).or_default().push(*chunk);
            }
        }
        for (v, hashes) in self.chunks.iter().enumerate() {
            for h in hashes {
                let versions = out.versions_of.entry(*h).or_default();
                // A chunk repeated within one version is counted once.
                if versions.last() != Some(&v) {
                    versions.push(v);
                }
            }
        }
        out
    }

    /// Hash the body's chunks, outlining each chunk not seen before.
    fn index_chunks(&mut self, body: &str) -> Vec<u64> {
        let mut out = Vec::new();
        for chunk in chunks(body) {
            let h = chunk_hash(chunk);
            self.units.entry(h).or_insert_with(|| units_of(chunk));
            out.push(h);
        }
        out
    }
}

/// Word similarity at or above which a replacement counts as a rewording
/// (the diff pairs edited sentences from about this level too).
const REWORDED: f64 = 0.5;

/// Sorted hashes of the lower-case words (alphanumeric runs) of a text.
fn word_hashes(text: &str) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::new();
    let mut buf = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            buf.extend(c.to_lowercase());
        } else if !buf.is_empty() {
            out.push(chunk_hash(&buf));
            buf.clear();
        }
    }
    if !buf.is_empty() {
        out.push(chunk_hash(&buf));
    }
    out.sort_unstable();
    out
}

/// The comparison key of a sentence or heading.
fn text_key(text: &str) -> u64 {
    chunk_hash(&normalise(text))
}

/// The part of a sentence that can stand inside a longer one: normalised,
/// without its final full stop, ! or ?. `None` for short sentences (under six
/// words), which could match by chance.
fn sentence_part(text: &str) -> Option<String> {
    let text = normalise(text);
    let part = text.trim_end_matches(['.', '!', '?']).trim_end();
    (part.split(' ').count() >= 6).then(|| part.to_string())
}

/// Sentences and headings of one chunk, via the same outline the diff uses.
fn units_of(chunk: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    for section in crate::structure::outline(chunk) {
        if let Some(heading) = section.heading {
            out.push(Unit::new(heading, true));
        }
        for block in section.blocks {
            for sentence in block.sentences {
                out.push(Unit::new(sentence.text, false));
            }
        }
    }
    out
}

/// Runs of non-blank lines (Markdown blocks), as slices of the body without
/// trailing whitespace.
fn chunks(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let (mut end, mut pos) = (0, 0);
    for line in body.split_inclusive('\n') {
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                out.extend(body.get(s..end));
            }
        } else {
            start.get_or_insert(pos);
            end = pos + line.trim_end().len();
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.extend(body.get(s..end));
    }
    out
}

/// A fast 64-bit hash of a chunk's bytes (FxHash-style, 8 bytes per step):
/// hashing every body of a long window must cost little next to reading it.
fn chunk_hash(text: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let bytes = text.as_bytes();
    let mut h: u64 = (bytes.len() as u64).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(w);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        if let Some(dst) = buf.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_blank_line_separated_blocks() {
        let body = "# Title\n\nFirst para\nwraps here.\n\n\n\nSecond.\n";
        assert_eq!(
            chunks(body),
            vec!["# Title", "First para\nwraps here.", "Second."]
        );
        assert_ne!(chunk_hash("abc"), chunk_hash("abd"));
        assert_ne!(chunk_hash("12345678"), chunk_hash("12345678\0"));
    }

    #[test]
    fn similarity_is_over_words() {
        let sim = |a: &str, b: &str| similarity(&word_hashes(a), &word_hashes(b));
        assert_eq!(sim("a b c", "C, b; a!"), 1.0);
        assert_eq!(sim("a b", "c d"), 0.0);
        let s = sim(
            "The talks began on 12 February.",
            "The talks began on 18 February.",
        );
        assert!((s - 10.0 / 12.0).abs() < 1e-9, "{s}");
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;

    /// A timeline over whole bodies: base, intermediates, head.
    fn timeline(bodies: &[&str]) -> Timeline {
        let mut t = Timeline::new(bodies.len());
        let last = bodies.len() - 1;
        t.add_known(0, bodies[0]);
        t.add_known(last, bodies[last]);
        for (i, body) in bodies.iter().enumerate().take(last).skip(1) {
            t.add_intermediate(i, body);
        }
        t
    }

    const CLAIM: &str = "Mr Rubio said talks would continue in Riyadh.";

    #[test]
    fn introduced_is_exact_when_text_comes_and_goes() {
        let with = format!("## Talks\n\n{CLAIM}\n");
        let without = "## Talks\n\nNothing yet.\n";
        let t = timeline(&[without, &with, without, &with, &with]);
        assert_eq!(t.introduced(&Trace::Appears(CLAIM.into())), 3);
        // Typography does not hide a sentence.
        let curly = "Mr Rubio said talks would “continue” in Riyadh.";
        let straight = "## Talks\n\nMr Rubio said talks would \"continue\" in Riyadh.\n";
        let t = timeline(&[without, straight, straight]);
        assert_eq!(t.introduced(&Trace::Appears(curly.into())), 1);
        // A removal: introduced where it stays gone.
        let t = timeline(&[&with, without, &with, without, without]);
        assert_eq!(t.introduced(&Trace::Disappears(CLAIM.into())), 3);
        // Base is head.
        assert_eq!(
            timeline(&[&with]).introduced(&Trace::Appears(CLAIM.into())),
            0
        );
    }

    #[test]
    fn a_sentence_split_from_a_longer_one_was_introduced_with_it() {
        // Synthetic, after the demo's minerals sentence (1 March → 4 March).
        let none = "## Minerals\n\nThe deal was discussed.\n";
        let long = "## Minerals\n\nThe deal was discussed. Mr Trump and Mr Zelenskyy were expected to sign the agreement on 28 February, but the meeting ended early.\n";
        let split = "## Minerals\n\nThe deal was discussed. Mr Trump and Mr Zelenskyy were expected to sign the agreement on 28 February. The meeting ended early, though talks may resume.\n";
        let t = timeline(&[none, none, long, split, split]);
        let sentence =
            "Mr Trump and Mr Zelenskyy were expected to sign the agreement on 28 February.";
        assert_eq!(t.introduced(&Trace::Appears(sentence.into())), 2);
        // The new second half did not exist before the split.
        let rest = "The meeting ended early, though talks may resume.";
        assert_eq!(t.introduced(&Trace::Appears(rest.into())), 3);
        // An edit is no containment: a changed figure came with its own update.
        let old = "## Minerals\n\nThe fund would hold 50 per cent of proceeds from state mineral resources.\n";
        let new = "## Minerals\n\nThe fund would hold 40 per cent of proceeds from state mineral resources.\n";
        let t = timeline(&[old, old, new, new]);
        let edited = "The fund would hold 40 per cent of proceeds from state mineral resources.";
        assert_eq!(t.introduced(&Trace::Appears(edited.into())), 2);
        // Nor is a word that merely begins with the text's last word.
        let longer = "## Minerals\n\nThe fund would hold 40 per cent of proceeds from state mineral resourcesful things.\n";
        let t = timeline(&[none, longer, new]);
        assert_eq!(t.introduced(&Trace::Appears(edited.into())), 2);
    }

    #[test]
    fn withdrawn_spans_name_their_section_and_versions() {
        let base = "Lead.\n\n## Talks\n\nThe talks began.\n";
        let with = format!("Lead.\n\n## Talks\n\nThe talks began. {CLAIM}\n");
        let t = &mut timeline(&[base, &with, &with, base, &with, base]);
        let spans = t.withdrawn();
        let expected = |added, removed| WithdrawnSpan {
            section: Some("Talks".into()),
            text: CLAIM.into(),
            added,
            removed,
        };
        assert_eq!(spans, vec![expected(1, 3), expected(4, 5)]);
        // Sentences of a changed paragraph that are still in base or head are no news.
        assert!(spans.iter().all(|s| s.text != "The talks began."));
        // A section that came and went: its heading and its sentence.
        let base = "Lead.\n\n## Talks\n\nThe talks began.\n";
        let with = "Lead.\n\n## Talks\n\nThe talks began.\n\n## Aid\n\nAid was paused.\n";
        let spans = timeline(&[base, with, base]).withdrawn();
        let texts: Vec<(&str, Option<&str>)> = spans
            .iter()
            .map(|s| (s.text.as_str(), s.section.as_deref()))
            .collect();
        assert_eq!(
            texts,
            vec![("Aid", Some("Aid")), ("Aid was paused.", Some("Aid"))]
        );
        // A sentence that moves to another paragraph in one update stays open.
        let base = "## Talks\n\nOne.\n\nTwo.\n";
        let here = format!("## Talks\n\nOne. {CLAIM}\n\nTwo.\n");
        let there = format!("## Talks\n\nOne.\n\nTwo. {CLAIM}\n");
        let spans = timeline(&[base, &here, &there, base]).withdrawn();
        let got: Vec<(usize, usize)> = spans.iter().map(|s| (s.added, s.removed)).collect();
        assert_eq!(got, vec![(1, 3)]);
    }
}
