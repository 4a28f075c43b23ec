//! The sentence timeline: every sentence of every version linked to the
//! sentences of the previous version it came from, by the diff's own pairing
//! (`crate::diff::pairs`). Built once per history and extended by one
//! version's links per update; cached in `<store>/redline-timeline/<slug>.bin`
//! (see `super::load`).
//!
//! Compact on purpose (a 1,000-version history is read per `since`): each
//! distinct sentence text is stored once, a version is its list of text ids,
//! and its links are runs (a run of unchanged sentences is one link).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::diff::pairs::{self, PairedKind, SentencePair};
use crate::diff::text::FastMap;
use crate::model::Document;

/// Cache format; a file of another format is rebuilt, never read.
pub const FORMAT: u32 = 2;

/// How a group of sentences of a version came from the previous version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Unchanged (typography aside), in place.
    Same,
    /// Reworded in place, one sentence for one.
    Edited,
    /// One sentence became several.
    Split,
    /// Several sentences became one (or several became several).
    Merged,
    /// Moved elsewhere (maybe reworded).
    Moved,
}

/// A run of new sentences `new..new+new_len` that came from old sentences
/// `old..old+old_len` of the previous version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Kind.
    #[serde(rename = "k")]
    pub kind: LinkKind,
    /// First new sentence.
    #[serde(rename = "n")]
    pub new: u32,
    /// Number of new sentences.
    #[serde(rename = "nl")]
    pub new_len: u32,
    /// First old sentence.
    #[serde(rename = "o")]
    pub old: u32,
    /// Number of old sentences.
    #[serde(rename = "ol")]
    pub old_len: u32,
    /// Bit i set: new sentence `new + i` got new wording from this update:
    /// it holds a word its old sentences did not, or their words in another
    /// order. Punctuation and case alone are not new wording, nor is cutting
    /// a sentence down to a run of its words (the half of a split, a dropped
    /// clause). Sentences past bit 63 count as reworded.
    #[serde(rename = "w")]
    pub reworded: u64,
}

impl Link {
    /// Whether new sentence `unit` (inside this link) got new wording here.
    pub fn rewords(&self, unit: usize) -> bool {
        let bit = unit.saturating_sub(self.new as usize);
        bit >= 64 || self.reworded & (1u64 << bit) != 0
    }

    /// The old sentence a new one of a same-text run came from; for other
    /// links, the first old sentence.
    pub fn old_of(&self, unit: usize) -> usize {
        if self.kind == LinkKind::Same && self.new_len == self.old_len {
            self.old as usize + unit.saturating_sub(self.new as usize)
        } else {
            self.old as usize
        }
    }

    /// New sentence indexes.
    pub fn new_range(&self) -> std::ops::Range<usize> {
        self.new as usize..(self.new + self.new_len) as usize
    }

    /// Old sentence indexes.
    pub fn old_range(&self) -> std::ops::Range<usize> {
        self.old as usize..(self.old + self.old_len) as usize
    }
}

/// One version: its sentences, its sections and its links to the previous version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionLinks {
    /// Commit id of the version (the cache is checked against the history by these).
    pub id: String,
    /// Text id of each sentence, in the diff's order.
    #[serde(rename = "s")]
    pub sentences: Vec<u32>,
    /// Sections: first sentence index and heading text id (`None`: the lead).
    #[serde(rename = "h")]
    pub sections: Vec<(u32, Option<u32>)>,
    /// Links to the previous version, by first new sentence; sentences no link
    /// covers are new in this version.
    #[serde(rename = "l")]
    pub links: Vec<Link>,
}

impl VersionLinks {
    /// The link covering new sentence `unit`, if any.
    pub fn link_of(&self, unit: usize) -> Option<&Link> {
        let at = self.links.partition_point(|l| (l.new as usize) <= unit);
        at.checked_sub(1)
            .and_then(|i| self.links.get(i))
            .filter(|l| l.new_range().contains(&unit))
    }

    /// Index of the section sentence `unit` is in.
    pub fn section_of(&self, unit: usize) -> Option<usize> {
        let at = self
            .sections
            .partition_point(|(first, _)| (*first as usize) <= unit);
        at.checked_sub(1)
    }
}

/// The timeline of one explainer's history (index 0 = v1).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SentenceTimeline {
    /// [`FORMAT`].
    pub format: u32,
    /// The explainer.
    pub slug: String,
    /// Distinct sentence and heading texts.
    pub texts: Vec<String>,
    /// One entry per version, oldest first.
    pub versions: Vec<VersionLinks>,
    /// Text → id, for extending (rebuilt on demand after a load).
    #[serde(skip)]
    interned: HashMap<String, u32>,
    /// Comparison key of each text, computed on first use.
    #[serde(skip)]
    keys: std::sync::OnceLock<Vec<u64>>,
    /// The runs of consecutive versions holding each comparison key as a
    /// sentence or heading, computed on first use (a long window asks "since
    /// when is this text here?" of hundreds of highlights).
    #[serde(skip)]
    holders: std::sync::OnceLock<Holders>,
}

impl SentenceTimeline {
    /// An empty timeline of `slug`.
    pub fn new(slug: &str) -> SentenceTimeline {
        SentenceTimeline {
            format: FORMAT,
            slug: slug.to_string(),
            ..SentenceTimeline::default()
        }
    }

    /// Add the next version (`previous` is the document of the last version
    /// added, `None` for the first): one alignment, nothing recomputed.
    pub fn push(&mut self, id: &str, previous: Option<&Document>, document: &Document) {
        if self.interned.len() != self.texts.len() {
            self.interned = self
                .texts
                .iter()
                .enumerate()
                .map(|(i, t)| (t.clone(), i as u32))
                .collect();
        }
        let units = pairs::units(document);
        let sentences: Vec<u32> = units.iter().map(|u| self.intern(&u.text)).collect();
        let mut sections: Vec<(u32, Option<u32>)> = Vec::new();
        let mut first = 0u32;
        for (s, section) in document.sections.iter().enumerate() {
            // The diff skips sentences with invalid ranges; count what it kept.
            while units.get(first as usize).is_some_and(|u| u.section < s) {
                first += 1;
            }
            let heading = section.heading.as_deref().map(|h| self.intern(h));
            sections.push((first, heading));
        }
        let links = match (previous, self.versions.last()) {
            (Some(old_doc), Some(old)) => {
                let old_texts: Vec<&str> = old
                    .sentences
                    .iter()
                    .map(|t| self.text(*t))
                    .collect::<Vec<_>>();
                let new_texts: Vec<&str> = units.iter().map(|u| u.text.as_str()).collect();
                let mut links = links_of(
                    &pairs::sentence_pairs(old_doc, document),
                    &old_texts,
                    &new_texts,
                );
                pair_leftovers(&mut links, &old_texts, &new_texts);
                links
            }
            _ => Vec::new(),
        };
        self.versions.push(VersionLinks {
            id: id.to_string(),
            sentences,
            sections,
            links,
        });
        self.keys = std::sync::OnceLock::new();
        self.holders = std::sync::OnceLock::new();
    }

    fn intern(&mut self, text: &str) -> u32 {
        if let Some(id) = self.interned.get(text) {
            return *id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.to_string());
        self.interned.insert(text.to_string(), id);
        id
    }

    /// Text of an id ("" for an unknown id; [`Self::is_consistent`] rules them out).
    pub fn text(&self, id: u32) -> &str {
        self.texts.get(id as usize).map_or("", String::as_str)
    }

    /// Comparison key of a text id (typography-insensitive, as the diff's).
    pub fn key(&self, id: u32) -> u64 {
        let keys = self
            .keys
            .get_or_init(|| self.texts.iter().map(|t| pairs::sentence_key(t)).collect());
        keys.get(id as usize).copied().unwrap_or(0)
    }

    /// The runs `(first, last)` of consecutive versions (ascending, disjoint)
    /// holding a sentence or heading whose comparison key is `key`.
    pub fn holders(&self, key: u64) -> &[(u32, u32)] {
        let holders = self.holders.get_or_init(|| Holders::of(self));
        holders
            .class_of_key
            .get(&key)
            .and_then(|c| holders.runs.get(*c as usize))
            .map_or(&[], Vec::as_slice)
    }

    /// Text of sentence `unit` of version `v`.
    pub fn sentence(&self, v: usize, unit: usize) -> &str {
        self.versions
            .get(v)
            .and_then(|x| x.sentences.get(unit))
            .map_or("", |t| self.text(*t))
    }

    /// Heading of the section sentence `unit` of version `v` is in (`None`: the lead).
    pub fn heading_of(&self, v: usize, unit: usize) -> Option<String> {
        let version = self.versions.get(v)?;
        let section = version.section_of(unit)?;
        let (_, heading) = version.sections.get(section)?;
        heading.map(|h| self.text(h).to_string())
    }

    /// Every reference inside bounds and every link inside both versions: a
    /// cache file that fails this is rebuilt.
    pub fn is_consistent(&self) -> bool {
        let texts = self.texts.len();
        let mut previous: Option<usize> = None;
        for version in &self.versions {
            let n = version.sentences.len();
            if version.sentences.iter().any(|t| *t as usize >= texts)
                || version
                    .sections
                    .iter()
                    .any(|(f, h)| *f as usize > n || h.is_some_and(|h| h as usize >= texts))
            {
                return false;
            }
            let mut floor = 0;
            for link in &version.links {
                let ok = previous.is_some_and(|p| link.old_range().end <= p)
                    && link.new_range().end <= n
                    && link.new as usize >= floor
                    && link.new_len > 0
                    && link.old_len > 0;
                if !ok {
                    return false;
                }
                floor = link.new_range().end;
            }
            previous = Some(n);
        }
        true
    }
}

/// Links of one update from the diff's pairs: equal pairs merged into runs,
/// sorted by first new sentence, each with its rewording bits.
fn links_of(pairs: &[SentencePair], old: &[&str], new: &[&str]) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    let mut sorted: Vec<&SentencePair> = pairs.iter().collect();
    sorted.sort_by_key(|p| p.new.start);
    for pair in sorted {
        let (old_len, new_len) = (pair.old.len() as u32, pair.new.len() as u32);
        if old_len == 0 || new_len == 0 || pair.old.end > old.len() || pair.new.end > new.len() {
            continue;
        }
        let join = |texts: &[&str], r: &std::ops::Range<usize>| {
            texts.get(r.clone()).unwrap_or(&[]).join(" ")
        };
        let (old_text, new_text) = (join(old, &pair.old), join(new, &pair.new));
        let same_text = pairs::sentence_key(&old_text) == pairs::sentence_key(&new_text);
        let kind = match pair.kind {
            PairedKind::Equal => LinkKind::Same,
            PairedKind::Moved => LinkKind::Moved,
            PairedKind::Edited if same_text => LinkKind::Same,
            PairedKind::Edited => match (old_len, new_len) {
                (1, 1) => LinkKind::Edited,
                (1, _) => LinkKind::Split,
                _ => LinkKind::Merged,
            },
        };
        let mut reworded = 0u64;
        if !same_text {
            let old_words = words(&old_text);
            for (bit, j) in pair.new.clone().enumerate() {
                let mine = words(new.get(j).copied().unwrap_or(""));
                // New words, or old words in a new order; not a sentence cut
                // down to a run of its old words (a split's half, a dropped
                // clause), whose wording came with an earlier update.
                let changed = brings_words(&mine, &old_words) || !contiguous(&mine, &old_words);
                if changed && bit < 64 {
                    reworded |= 1 << bit;
                }
            }
        }
        let link = Link {
            kind,
            new: pair.new.start as u32,
            new_len,
            old: pair.old.start as u32,
            old_len,
            reworded,
        };
        if let Some(last) = links.last_mut() {
            let continues = last.kind == LinkKind::Same
                && link.kind == LinkKind::Same
                && last.new_len == last.old_len
                && link.new_len == link.old_len
                && last.new + last.new_len == link.new
                && last.old + last.old_len == link.old;
            if continues {
                last.new_len += link.new_len;
                last.old_len += link.old_len;
                continue;
            }
        }
        links.push(link);
    }
    links
}

/// Link a sentence the diff left unpaired on both sides when the other side
/// holds the very same text (typography aside): the diff does not show short
/// sentences as moved (a display choice against spurious moves), but a text
/// that left one place and stands in another in the same update came from
/// there, and its wording from wherever that one got it.
fn pair_leftovers(links: &mut Vec<Link>, old: &[&str], new: &[&str]) {
    let mut old_taken = vec![false; old.len()];
    let mut new_taken = vec![false; new.len()];
    for link in links.iter() {
        for i in link.old_range() {
            if let Some(t) = old_taken.get_mut(i) {
                *t = true;
            }
        }
        for j in link.new_range() {
            if let Some(t) = new_taken.get_mut(j) {
                *t = true;
            }
        }
    }
    let mut free: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, text) in old.iter().enumerate().rev() {
        if old_taken.get(i) == Some(&false) {
            free.entry(pairs::sentence_key(text)).or_default().push(i);
        }
    }
    if free.is_empty() {
        return;
    }
    let mut added = false;
    for (j, text) in new.iter().enumerate() {
        if new_taken.get(j) != Some(&false) {
            continue;
        }
        if let Some(i) = free.get_mut(&pairs::sentence_key(text)).and_then(Vec::pop) {
            links.push(Link {
                kind: LinkKind::Moved,
                new: j as u32,
                new_len: 1,
                old: i as u32,
                old_len: 1,
                reworded: 0,
            });
            added = true;
        }
    }
    if added {
        links.sort_by_key(|l| l.new);
    }
}

/// Lower-case words (alphanumeric runs), in order: wording without punctuation or case.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// True when `mine` is a run of consecutive words of `old` (or empty).
fn contiguous(mine: &[String], old: &[String]) -> bool {
    mine.is_empty() || old.windows(mine.len()).any(|w| w == mine)
}

/// True when `mine` holds a word (counted with repeats) that `old` does not.
fn brings_words(mine: &[String], old: &[String]) -> bool {
    let mut pool: HashMap<&str, usize> = HashMap::new();
    for w in old {
        *pool.entry(w.as_str()).or_default() += 1;
    }
    mine.iter().any(|w| match pool.get_mut(w.as_str()) {
        Some(n) if *n > 0 => {
            *n -= 1;
            false
        }
        _ => true,
    })
}

/// Where each comparison key is held, as runs of versions. A text usually
/// stands in long runs of versions, so a run per stay (not a version per
/// holder) keeps a 1,000-version history's index small; texts are grouped by
/// key once, so building it costs one array step per sentence.
#[derive(Debug, Clone, Default)]
struct Holders {
    /// Comparison key to class (index into `runs`).
    class_of_key: FastMap<u64, u32>,
    /// Per class, the runs `(first, last)` of versions holding it, ascending.
    runs: Vec<Vec<(u32, u32)>>,
}

impl Holders {
    fn of(t: &SentenceTimeline) -> Holders {
        let mut class_of_key: FastMap<u64, u32> = FastMap::default();
        let class_of_text: Vec<u32> = (0..t.texts.len())
            .map(|id| {
                let next = class_of_key.len() as u32;
                *class_of_key.entry(t.key(id as u32)).or_insert(next)
            })
            .collect();
        let mut runs: Vec<Vec<(u32, u32)>> = vec![Vec::new(); class_of_key.len()];
        for (v, version) in t.versions.iter().enumerate() {
            let v = v as u32;
            let headings = version.sections.iter().filter_map(|(_, h)| *h);
            for id in version.sentences.iter().copied().chain(headings) {
                let Some(at) = class_of_text
                    .get(id as usize)
                    .and_then(|c| runs.get_mut(*c as usize))
                else {
                    continue;
                };
                match at.last_mut() {
                    Some((_, last)) if *last == v => {}
                    Some((_, last)) if *last + 1 == v => *last = v,
                    _ => at.push((v, v)),
                }
            }
        }
        Holders { class_of_key, runs }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    fn doc(body: &str) -> Document {
        Document::new(Default::default(), body.to_string())
    }

    /// Synthetic bodies, one version each.
    fn timeline(bodies: &[&str]) -> SentenceTimeline {
        let mut t = SentenceTimeline::new("t");
        let mut previous: Option<Document> = None;
        for (i, body) in bodies.iter().enumerate() {
            let d = doc(body);
            t.push(&format!("{i}"), previous.as_ref(), &d);
            previous = Some(d);
        }
        t
    }

    #[test]
    fn unchanged_sentences_are_one_run_and_texts_are_stored_once() {
        let t = timeline(&[
            "One. Two. Three. Four.\n",
            "One. Two. New here entirely. Three. Four.\n",
        ]);
        let v = &t.versions[1];
        let kinds: Vec<(LinkKind, u32, u32)> =
            v.links.iter().map(|l| (l.kind, l.new, l.new_len)).collect();
        assert_eq!(kinds, vec![(LinkKind::Same, 0, 2), (LinkKind::Same, 3, 2)]);
        assert!(
            v.link_of(2).is_none(),
            "the new sentence has no predecessor"
        );
        assert_eq!(t.texts.len(), 5);
        assert!(t.is_consistent());
    }

    #[test]
    fn rewording_bits_ignore_punctuation_and_cut_down_sentences() {
        let t = timeline(&[
            "The envoy will travel to Moscow next week, officials said.\n",
            "The envoy will travel to Moscow next week, officials said\n",
            "The envoy will travel to Moscow next week.\n",
            "The envoy will fly to Moscow next week.\n",
        ]);
        let bit = |v: usize| t.versions[v].link_of(0).map(|l| (l.kind, l.rewords(0)));
        assert_eq!(bit(1), Some((LinkKind::Edited, false)), "punctuation only");
        assert_eq!(bit(2), Some((LinkKind::Edited, false)), "cut down");
        assert_eq!(bit(3), Some((LinkKind::Edited, true)), "new word");
        assert!(contiguous(&words("b c"), &words("a b c d")));
        assert!(!contiguous(&words("c b"), &words("a b c d")));
        assert!(brings_words(&words("a a"), &words("a b")));
    }

    #[test]
    fn identical_short_texts_the_diff_leaves_unpaired_are_moves() {
        // Synthetic: a two-word line leaves one section for another.
        let t = timeline(&[
            "## A\n\nIntro text here.\n\nOptions include:\n\n## B\n\nOther text.\n",
            "## A\n\nIntro text here.\n\n## B\n\nOther text.\n\nOptions include:\n",
        ]);
        let v = &t.versions[1];
        let last = v.sentences.len() - 1;
        assert_eq!(t.sentence(1, last), "Options include:");
        assert_eq!(v.link_of(last).map(|l| l.kind), Some(LinkKind::Moved));
    }

    #[test]
    fn an_inconsistent_timeline_is_detected() {
        let mut t = timeline(&["One. Two.\n", "One. Two. Three.\n"]);
        assert!(t.is_consistent());
        t.versions[1].links[0].old_len = 9;
        assert!(!t.is_consistent());
        let mut t = timeline(&["One.\n"]);
        t.versions[0].sentences.push(99);
        assert!(!t.is_consistent());
    }
}
