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

    /// Record base or head (call for both before any intermediate version).
    pub fn add_known(&mut self, index: usize, body: &str) {
        let hashes = self.index_chunks(body);
        for h in &hashes {
            self.known_chunks.insert(*h);
            if let Some(units) = self.units.get(h) {
                self.known_keys.extend(units.iter().map(|u| u.key.clone()));
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
        let gone: Vec<String> = self
            .open
            .keys()
            .filter(|k| !present.contains_key(*k))
            .cloned()
            .collect();
        for key in gone {
            if let Some(open) = self.open.remove(&key) {
                self.closed.push(WithdrawnSpan {
                    section: open.section,
                    text: open.text,
                    added: open.since,
                    removed: index,
                });
            }
        }
        for (key, (text, section)) in present {
            self.open.entry(key).or_insert(Open {
                since: index,
                text,
                section,
            });
        }
        if let Some(slot) = self.chunks.get_mut(index) {
            *slot = hashes;
        }
    }

    /// Everything that came and went, in order of appearance; sentences still
    /// open when the window ends were removed by the head.
    pub fn withdrawn(&mut self) -> Vec<WithdrawnSpan> {
        let head = self.chunks.len().saturating_sub(1);
        let mut spans = std::mem::take(&mut self.closed);
        spans.extend(self.open.drain().map(|(_, open)| WithdrawnSpan {
            section: open.section,
            text: open.text,
            added: open.since,
            removed: head,
        }));
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
}
