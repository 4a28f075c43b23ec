//! The window's versions as paragraph hashes: which update introduced a
//! sentence, and which sentences came and went inside the window — without
//! diffing consecutive versions.
//!
//! Each version's body is cut into chunks (runs of non-blank lines: Markdown
//! blocks) and each chunk is hashed. A chunk is outlined into sentence and
//! heading keys once, the first time its hash is seen, so the cost is one pass
//! over each body (hashing) plus outlining only the distinct chunks; base and
//! head chunks are outlined to know what "still there" means. Everything else
//! is set look-ups.

use std::collections::{HashMap, HashSet};

use super::rank::{normalise, Trace};

/// One sentence or heading of a chunk.
#[derive(Debug, Clone)]
struct Unit {
    /// Comparison key (typography-insensitive).
    key: String,
    /// The text as the outline gives it (plain, whitespace collapsed).
    text: String,
    /// A section heading rather than a sentence.
    heading: bool,
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
    section: Option<String>,
}

/// Chunk hashes of every version of a window, index 0 = base, last = head.
#[derive(Debug, Default)]
pub struct Timeline {
    /// Chunk hashes per window version, in body order.
    chunks: Vec<Vec<u64>>,
    /// Units of each distinct chunk.
    units: HashMap<u64, Vec<Unit>>,
    /// Chunks of base and head.
    known_chunks: HashSet<u64>,
    /// Unit keys of base and head.
    known_keys: HashSet<String>,
    /// Unit keys of base alone.
    base_keys: HashSet<String>,
    /// Withdrawn candidates currently present, by key.
    open: HashMap<String, Open>,
    /// Closed withdrawn spans.
    closed: Vec<WithdrawnSpan>,
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
                self.known_keys.extend(units.iter().map(|u| u.key.clone()));
                if index == 0 {
                    self.base_keys.extend(units.iter().map(|u| u.key.clone()));
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
        let mut present: HashMap<String, (String, Option<String>)> = HashMap::new();
        let mut section: Option<String> = None;
        for h in &hashes {
            let Some(units) = self.units.get(h) else {
                continue;
            };
            let known = self.known_chunks.contains(h);
            for unit in units {
                if unit.heading {
                    section = Some(unit.text.clone());
                }
                if !known && !self.known_keys.contains(&unit.key) {
                    let at = if unit.heading { None } else { section.clone() };
                    present
                        .entry(unit.key.clone())
                        .or_insert_with(|| (unit.text.clone(), at));
                }
            }
        }
        if let Some(slot) = self.chunks.get_mut(index) {
            *slot = hashes;
        }
        let gone: Vec<String> = self
            .open
            .keys()
            .filter(|k| !present.contains_key(*k))
            .cloned()
            .collect();
        for key in gone {
            self.close(&key, index);
        }
        for (key, (text, section)) in present {
            self.open.entry(key).or_insert(Open {
                since: index,
                text,
                section,
            });
        }
    }

    /// End a span at version `removed`. A sentence the removing update
    /// reworded (it brought a similar sentence that was not in base) was
    /// superseded, not withdrawn: "expected to sign on 28 February, but …"
    /// rewritten on 4 March is an edit the net change already shows. A
    /// sentence replaced by its base wording (an edit reverted) is withdrawn.
    fn close(&mut self, key: &str, removed: usize) {
        let Some(open) = self.open.remove(key) else {
            return;
        };
        if !self.reworded(key, removed) {
            self.closed.push(WithdrawnSpan {
                section: open.section,
                text: open.text,
                added: open.since,
                removed,
            });
        }
    }

    /// True when version `at` brought, in a chunk the previous version lacked,
    /// a sentence similar to `key` that is not in base.
    fn reworded(&self, key: &str, at: usize) -> bool {
        let now = self.chunks.get(at);
        let before = at.checked_sub(1).and_then(|p| self.chunks.get(p));
        let (Some(now), Some(before)) = (now, before) else {
            return false;
        };
        let before: HashSet<u64> = before.iter().copied().collect();
        now.iter()
            .filter(|h| !before.contains(h))
            .filter_map(|h| self.units.get(h))
            .flatten()
            .filter(|u| !u.heading && !self.base_keys.contains(&u.key))
            .any(|u| similarity(&u.key, key) >= REWORDED)
    }

    /// Everything that came and went, in order of appearance; sentences still
    /// open when the window ends were removed by the head.
    pub fn withdrawn(&mut self) -> Vec<WithdrawnSpan> {
        let head = self.chunks.len().saturating_sub(1);
        let still_open: Vec<String> = self.open.keys().cloned().collect();
        for key in still_open {
            self.close(&key, head);
        }
        let mut spans = std::mem::take(&mut self.closed);
        spans.sort_by(|a, b| (a.added, a.removed, &a.text).cmp(&(b.added, b.removed, &b.text)));
        spans
    }

    /// Window index (≥ 1 unless base is head) of the update that introduced a
    /// highlight: the earliest version from which the text is present (or, for
    /// removals, absent) in every later version up to head.
    pub fn introduced(&self, trace: &Trace) -> usize {
        let last = self.chunks.len().saturating_sub(1);
        if last == 0 {
            return 0;
        }
        let key = normalise(trace.text());
        let containing: HashSet<u64> = self
            .units
            .iter()
            .filter(|(_, units)| units.iter().any(|u| u.key == key))
            .map(|(h, _)| *h)
            .collect();
        let present = |v: usize| {
            self.chunks
                .get(v)
                .is_some_and(|hs| hs.iter().any(|h| containing.contains(h)))
        };
        let wanted = matches!(trace, Trace::Appears(_));
        let mut j = last;
        while j > 1 && present(j - 1) == wanted {
            j -= 1;
        }
        j
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

/// Dice coefficient of the two texts' lower-case word multisets.
fn similarity(a: &str, b: &str) -> f64 {
    let words = |t: &str| {
        let mut w: Vec<String> = t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        w.sort();
        w
    };
    let (x, y) = (words(a), words(b));
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while let (Some(p), Some(q)) = (x.get(i), y.get(j)) {
        match p.cmp(q) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * common) as f64 / (x.len() + y.len()) as f64
}

/// Sentences and headings of one chunk, via the same outline the diff uses.
fn units_of(chunk: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    for section in crate::structure::outline(chunk) {
        if let Some(heading) = section.heading {
            out.push(Unit {
                key: normalise(&heading),
                text: heading,
                heading: true,
            });
        }
        for block in section.blocks {
            for sentence in block.sentences {
                out.push(Unit {
                    key: normalise(&sentence.text),
                    text: sentence.text,
                    heading: false,
                });
            }
        }
    }
    out
}

/// Runs of non-blank lines (Markdown blocks), as slices of the body.
fn chunks(body: &str) -> impl Iterator<Item = &str> {
    body.split("\n\n")
        .flat_map(|part| part.split("\r\n\r\n"))
        .map(|c| c.trim_matches(|ch| ch == '\n' || ch == '\r'))
        .filter(|c| !c.trim().is_empty())
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
            chunks(body).collect::<Vec<_>>(),
            vec!["# Title", "First para\nwraps here.", "Second."]
        );
        assert_ne!(chunk_hash("abc"), chunk_hash("abd"));
        assert_ne!(chunk_hash("12345678"), chunk_hash("12345678\0"));
    }

    #[test]
    fn similarity_is_over_words() {
        assert_eq!(similarity("a b c", "c b a"), 1.0);
        assert_eq!(similarity("a b", "c d"), 0.0);
        let s = similarity(
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
    }
}
