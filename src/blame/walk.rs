//! Walks over the sentence timeline: back from a sentence to the updates that
//! made its wording, forward from a sentence to the updates that changed or
//! removed it, and every sentence's lineage across a range of versions. The
//! one mechanism behind `since` credits, withdrawn changes, blame and history.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::timeline::{LinkKind, SentenceTimeline};

/// What an update did to a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The sentence appeared, from no earlier sentence.
    Added,
    /// It appeared again, with the wording of a sentence removed earlier.
    Restored,
    /// Reworded in place.
    Edited,
    /// Split from a longer sentence.
    Split,
    /// Joined from several sentences.
    Merged,
    /// Moved (maybe reworded).
    Moved,
    /// Removed.
    Removed,
}

/// One update's change to a sentence (timeline indexes: 0 = v1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Timeline index of the update.
    pub version: usize,
    /// What it did.
    pub kind: EventKind,
    /// Sentences before (text ids, in order); empty for additions.
    pub old: Vec<u32>,
    /// Sentences after; empty for removals.
    pub new: Vec<u32>,
    /// The update gave the sentence new words (additions always do).
    pub reworded: bool,
}

impl Event {
    /// The update changed the text (typography aside): additions, removals,
    /// rewordings and punctuation; not a move of unchanged text.
    pub fn changes_text(&self, t: &SentenceTimeline) -> bool {
        match self.kind {
            EventKind::Added | EventKind::Restored | EventKind::Removed => true,
            _ => joined_key(t, &self.old) != joined_key(t, &self.new),
        }
    }
}

/// Key of texts joined by one space, as the diff joins a group.
pub(crate) fn joined_key(t: &SentenceTimeline, ids: &[u32]) -> u64 {
    if let [one] = ids {
        return t.key(*one);
    }
    let joined: Vec<&str> = ids.iter().map(|i| t.text(*i)).collect();
    crate::diff::pairs::sentence_key(&joined.join(" "))
}

/// Every update at or after `lowest` that made sentences `units` of version
/// `top` what they are, oldest first: walking back through the links, across
/// moves, splits and joins, until each branch reaches its addition or `lowest`.
pub fn ancestry(t: &SentenceTimeline, top: usize, units: &[usize], lowest: usize) -> Vec<Event> {
    let mut events = Vec::new();
    let mut set: BTreeSet<usize> = units.iter().copied().collect();
    let mut v = top;
    while !set.is_empty() && v >= lowest {
        let Some(version) = t.versions.get(v) else {
            break;
        };
        let mut next = BTreeSet::new();
        // Non-same links met, with the new sentences of `set` they cover.
        let mut groups: BTreeMap<u32, (usize, Vec<usize>)> = BTreeMap::new();
        for &u in &set {
            let link = if v > 0 { version.link_of(u) } else { None };
            match link {
                Some(link) if link.kind == LinkKind::Same => {
                    next.insert(link.old_of(u));
                }
                Some(link) => {
                    let at = version.links.iter().position(|l| l == link).unwrap_or(0);
                    groups.entry(link.new).or_insert((at, Vec::new())).1.push(u);
                    next.extend(link.old_range());
                }
                None => events.push(Event {
                    version: v,
                    kind: EventKind::Added,
                    old: Vec::new(),
                    new: version.sentences.get(u).copied().into_iter().collect(),
                    reworded: true,
                }),
            }
        }
        let previous = v.checked_sub(1).and_then(|p| t.versions.get(p));
        for (_, (at, mine)) in groups {
            let Some(link) = version.links.get(at) else {
                continue;
            };
            let old = previous
                .map(|p| p.sentences.get(link.old_range()).unwrap_or(&[]).to_vec())
                .unwrap_or_default();
            events.push(Event {
                version: v,
                kind: event_kind(link.kind),
                old,
                new: mine
                    .iter()
                    .filter_map(|u| version.sentences.get(*u).copied())
                    .collect(),
                reworded: mine.iter().any(|u| link.rewords(*u)),
            });
        }
        if v == 0 {
            break;
        }
        v -= 1;
        set = next;
    }
    events.sort_by_key(|e| (e.version, e.kind));
    events
}

/// Every update after `bottom` up to `highest` that changed or removed
/// sentences `units` of version `bottom` (or what became of them), oldest first.
pub fn descendants(
    t: &SentenceTimeline,
    bottom: usize,
    units: &[usize],
    highest: usize,
) -> Vec<Event> {
    let mut events = Vec::new();
    let mut set: BTreeSet<usize> = units.iter().copied().collect();
    for v in bottom + 1..=highest {
        if set.is_empty() {
            break;
        }
        let (Some(version), Some(previous)) = (t.versions.get(v), t.versions.get(v - 1)) else {
            break;
        };
        let mut next = BTreeSet::new();
        let mut covered = BTreeSet::new();
        for link in &version.links {
            // The followed sentences this link covers: a range query, since a
            // run of unchanged sentences can be hundreds long and the set is
            // usually one or two sentences (a long window walks every version).
            let mine: Vec<usize> = set.range(link.old_range()).copied().collect();
            if mine.is_empty() {
                continue;
            }
            covered.extend(mine.iter().copied());
            if link.kind == LinkKind::Same {
                if link.new_len == link.old_len {
                    // One for one: each old sentence has its new one at the same offset.
                    next.extend(
                        mine.iter()
                            .map(|o| o - link.old as usize + link.new as usize),
                    );
                } else {
                    next.extend(link.new_range().filter(|j| mine.contains(&link.old_of(*j))));
                }
                continue;
            }
            next.extend(link.new_range());
            events.push(Event {
                version: v,
                kind: event_kind(link.kind),
                old: previous
                    .sentences
                    .get(link.old_range())
                    .unwrap_or(&[])
                    .to_vec(),
                new: version
                    .sentences
                    .get(link.new_range())
                    .unwrap_or(&[])
                    .to_vec(),
                reworded: link.new_range().any(|j| link.rewords(j)),
            });
        }
        for u in set.difference(&covered) {
            events.push(Event {
                version: v,
                kind: EventKind::Removed,
                old: previous.sentences.get(*u).copied().into_iter().collect(),
                new: Vec::new(),
                reworded: false,
            });
        }
        set = next;
    }
    events
}

fn event_kind(kind: LinkKind) -> EventKind {
    match kind {
        LinkKind::Same | LinkKind::Edited => EventKind::Edited,
        LinkKind::Split => EventKind::Split,
        LinkKind::Merged => EventKind::Merged,
        LinkKind::Moved => EventKind::Moved,
    }
}

/// A sentence followed from where it appeared to where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lineage {
    /// Timeline index where it appeared (`from` for sentences already there).
    pub born: usize,
    /// Its sentence index in that version.
    pub unit: usize,
    /// Where its last sentence went without a successor (`None`: still there at `to`).
    pub died: Option<usize>,
}

/// Lineages of versions `from..=to`: every sentence of `from` starts one, and
/// so does every later sentence no link covers. A sentence inherits the
/// lineage of the (first) sentence it came from; the other sentences of a join
/// live on in it rather than die. Also returns the lineage of every sentence
/// of every version, `ids[v - from][unit]`.
pub fn lineages(t: &SentenceTimeline, from: usize, to: usize) -> (Vec<Lineage>, Vec<Vec<usize>>) {
    let mut all: Vec<Lineage> = Vec::new();
    let mut ids: Vec<Vec<usize>> = Vec::new();
    let Some(first) = t.versions.get(from) else {
        return (all, ids);
    };
    let mut current: Vec<usize> = (0..first.sentences.len())
        .map(|u| {
            all.push(Lineage {
                born: from,
                unit: u,
                died: None,
            });
            all.len() - 1
        })
        .collect();
    ids.push(current.clone());
    for v in from + 1..=to {
        let Some(version) = t.versions.get(v) else {
            break;
        };
        let mut alive = vec![false; all.len()];
        let mut next = Vec::with_capacity(version.sentences.len());
        for u in 0..version.sentences.len() {
            let id = match version.link_of(u) {
                Some(link) => {
                    if link.kind != LinkKind::Same {
                        for o in link.old_range() {
                            if let Some(a) = current.get(o).and_then(|l| alive.get_mut(*l)) {
                                *a = true;
                            }
                        }
                    }
                    current.get(link.old_of(u)).copied()
                }
                None => None,
            };
            let id = id.unwrap_or_else(|| {
                all.push(Lineage {
                    born: v,
                    unit: u,
                    died: None,
                });
                alive.push(true);
                all.len() - 1
            });
            if let Some(a) = alive.get_mut(id) {
                *a = true;
            }
            next.push(id);
        }
        for id in &current {
            if alive.get(*id) == Some(&false) {
                if let Some(l) = all.get_mut(*id) {
                    if l.died.is_none() {
                        l.died = Some(v);
                    }
                }
            }
        }
        current = next;
        ids.push(current.clone());
    }
    (all, ids)
}

/// Whether version `v` holds a sentence or heading with comparison key `key`.
pub fn holds(t: &SentenceTimeline, v: usize, key: u64) -> bool {
    let runs = t.holders(key);
    let at = runs.partition_point(|(first, _)| (*first as usize) <= v);
    at.checked_sub(1)
        .and_then(|i| runs.get(i))
        .is_some_and(|(_, last)| v <= *last as usize)
}

/// The earliest version in `lowest..=top` from which a text is present (or,
/// with `present` false, absent) in every version up to `top`: the fallback
/// credit for headings and texts the walks cannot place. Read off the runs
/// of versions holding the text, not by scanning versions.
pub fn settled(t: &SentenceTimeline, key: u64, present: bool, lowest: usize, top: usize) -> usize {
    if top <= lowest {
        return top;
    }
    let runs = t.holders(key);
    // The last run starting below `top`: the one that can hold `top - 1`.
    let before = runs.partition_point(|(first, _)| (*first as usize) < top);
    let run = before.checked_sub(1).and_then(|i| runs.get(i));
    if present {
        // Present since the start of the run holding `top - 1`.
        match run {
            Some((first, last)) if *last as usize >= top - 1 => (*first as usize).max(lowest),
            _ => top,
        }
    } else {
        // Absent since the last holder below `top` (or since `lowest`).
        run.map_or(lowest, |(_, last)| {
            ((*last as usize).min(top - 1) + 1).max(lowest)
        })
    }
}

/// Whether version `v` has a section headed `text` (typography aside).
pub fn has_heading(t: &SentenceTimeline, v: usize, text: &str) -> bool {
    heads(t, v, crate::diff::pairs::sentence_key(text))
}

fn heads(t: &SentenceTimeline, v: usize, key: u64) -> bool {
    t.versions.get(v).is_some_and(|version| {
        version
            .sections
            .iter()
            .any(|(_, h)| h.is_some_and(|h| t.key(h) == key))
    })
}

/// [`settled`] for a section heading: only headings count.
pub fn settled_heading(
    t: &SentenceTimeline,
    key: u64,
    present: bool,
    lowest: usize,
    top: usize,
) -> usize {
    let mut j = top;
    while j > lowest && heads(t, j - 1, key) == present {
        j -= 1;
    }
    j
}

/// Sentence indexes of version `v` whose text is `text` (typography aside).
pub fn matches(t: &SentenceTimeline, v: usize, text: &str) -> Vec<usize> {
    let Some(version) = t.versions.get(v) else {
        return Vec::new();
    };
    let key = crate::diff::pairs::sentence_key(text);
    (0..version.sentences.len())
        .filter(|u| version.sentences.get(*u).is_some_and(|s| t.key(*s) == key))
        .collect()
}

/// Sentence indexes of version `v` whose text is `text` (typography aside),
/// or else the first run of consecutive sentences that joined by one space
/// make it (a split or joined group, as the diff reports it). Several single
/// matches (a text that stands twice): one not `taken` yet first (each of two
/// identical highlights gets its own sentence), in section `section` first.
pub fn find(
    t: &SentenceTimeline,
    v: usize,
    text: &str,
    section: Option<&str>,
    taken: &dyn Fn(usize) -> bool,
) -> Vec<usize> {
    let Some(version) = t.versions.get(v) else {
        return Vec::new();
    };
    let key = crate::diff::pairs::sentence_key(text);
    let singles = matches(t, v, text);
    if let Some(first) = singles.first() {
        let here = |u: &&usize| t.heading_of(v, **u).as_deref() == section;
        let free = |u: &&usize| !taken(**u);
        let pick = singles
            .iter()
            .filter(free)
            .find(here)
            .or_else(|| singles.iter().find(free))
            .or_else(|| singles.iter().find(here))
            .unwrap_or(first);
        return vec![*pick];
    }
    let wanted = text.split_whitespace().count();
    for start in 0..version.sentences.len() {
        let mut joined: Vec<&str> = Vec::new();
        let mut count = 0;
        for u in start..version.sentences.len() {
            let s = t.sentence(v, u);
            count += s.split_whitespace().count();
            joined.push(s);
            if count > wanted {
                break;
            }
            if joined.len() > 1
                && count == wanted
                && crate::diff::pairs::sentence_key(&joined.join(" ")) == key
            {
                return (start..=u).collect();
            }
        }
    }
    Vec::new()
}

/// What became of a heading of version `lowest - 1` up to version `top`:
/// the updates that renamed it (version, old heading id, new heading id) and
/// the update that removed it (`None`: a name of it is still there at
/// `top`). A heading is renamed, not removed, when a heading new in the next
/// version keeps all its words in order ("Template variables" → "Template
/// variables for permalinks"); one that comes back was not removed.
pub fn heading_fate(
    t: &SentenceTimeline,
    text: &str,
    lowest: usize,
    top: usize,
) -> (Vec<(usize, u32, u32)>, Option<usize>) {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let headings = |v: usize| -> Vec<u32> {
        t.versions
            .get(v)
            .map(|x| x.sections.iter().filter_map(|(_, h)| *h).collect())
            .unwrap_or_default()
    };
    let mut key = crate::diff::pairs::sentence_key(text);
    let Some(mut current) = headings(lowest.saturating_sub(1))
        .into_iter()
        .find(|h| t.key(*h) == key)
    else {
        return (Vec::new(), None);
    };
    let mut renames = Vec::new();
    let mut removed = None;
    for v in lowest..=top {
        let here = headings(v);
        if here.iter().any(|h| t.key(*h) == key) {
            removed = None;
            continue;
        }
        if removed.is_some() {
            continue;
        }
        let before: Vec<u64> = headings(v - 1).iter().map(|h| t.key(*h)).collect();
        let old = words(t.text(current));
        let renamed = here.into_iter().find(|h| {
            let new = words(t.text(*h));
            !before.contains(&t.key(*h))
                && !old.is_empty()
                && new.len() > old.len()
                && new.windows(old.len()).any(|w| w == old.as_slice())
        });
        match renamed {
            Some(h) => {
                renames.push((v, current, h));
                current = h;
                key = t.key(h);
            }
            None => removed = Some(v),
        }
    }
    (renames, removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Version};

    /// `settled` as first written: a scan of every version, sentence by
    /// sentence (the holders index must answer the same).
    fn settled_by_scan(
        t: &SentenceTimeline,
        key: u64,
        present: bool,
        lowest: usize,
        top: usize,
    ) -> usize {
        let scan = |v: usize| {
            t.versions.get(v).is_some_and(|version| {
                version.sentences.iter().any(|s| t.key(*s) == key)
                    || version
                        .sections
                        .iter()
                        .any(|(_, h)| h.is_some_and(|h| t.key(h) == key))
            })
        };
        let mut j = top;
        while j > lowest && scan(j - 1) == present {
            j -= 1;
        }
        j
    }

    #[test]
    fn settled_reads_the_holders_index_as_a_scan_would() {
        // Synthetic: a sentence and a heading that come and go.
        let bodies = [
            "Lead.\n",
            "Lead. It rained.\n",
            "Lead. It rained.\n\n## Rain\n\nWet.\n",
            "Lead.\n\n## Rain\n\nWet.\n",
            "Lead. It rained.\n",
            "Lead. It rained.\n",
            "Lead. It “rained”.\n",
        ];
        let documents: Vec<Document> = bodies
            .iter()
            .map(|b| Document::new(Default::default(), b.to_string()))
            .collect();
        let versions: Vec<Version> = (0..bodies.len())
            .map(crate::blame::testing::version)
            .collect();
        let slug = crate::slug::Slug::new("t").unwrap();
        let t = crate::blame::from_documents(&slug, &versions, &documents);
        for text in ["It rained.", "Rain", "Wet.", "Lead.", "Never there."] {
            let key = crate::diff::pairs::sentence_key(text);
            for present in [true, false] {
                for lowest in 0..bodies.len() + 1 {
                    for top in 0..bodies.len() + 1 {
                        assert_eq!(
                            settled(&t, key, present, lowest, top),
                            settled_by_scan(&t, key, present, lowest, top),
                            "{text:?} present={present} lowest={lowest} top={top}"
                        );
                    }
                }
            }
            for v in 0..bodies.len() + 1 {
                assert_eq!(
                    holds(&t, v, key),
                    settled_by_scan(&t, key, true, v, v + 1) == v,
                    "{text:?} v={v}"
                );
            }
        }
    }

    /// `descendants` as first written: every link's old sentences scanned.
    fn descendants_by_scan(
        t: &SentenceTimeline,
        bottom: usize,
        units: &[usize],
        highest: usize,
    ) -> Vec<Event> {
        let mut events = Vec::new();
        let mut set: BTreeSet<usize> = units.iter().copied().collect();
        for v in bottom + 1..=highest {
            if set.is_empty() {
                break;
            }
            let (Some(version), Some(previous)) = (t.versions.get(v), t.versions.get(v - 1)) else {
                break;
            };
            let mut next = BTreeSet::new();
            let mut covered = BTreeSet::new();
            for link in &version.links {
                let mine: Vec<usize> = link.old_range().filter(|o| set.contains(o)).collect();
                if mine.is_empty() {
                    continue;
                }
                covered.extend(mine.iter().copied());
                if link.kind == LinkKind::Same {
                    next.extend(link.new_range().filter(|j| mine.contains(&link.old_of(*j))));
                    continue;
                }
                next.extend(link.new_range());
                events.push(Event {
                    version: v,
                    kind: event_kind(link.kind),
                    old: previous
                        .sentences
                        .get(link.old_range())
                        .unwrap_or(&[])
                        .to_vec(),
                    new: version
                        .sentences
                        .get(link.new_range())
                        .unwrap_or(&[])
                        .to_vec(),
                    reworded: link.new_range().any(|j| link.rewords(j)),
                });
            }
            for u in set.difference(&covered) {
                events.push(Event {
                    version: v,
                    kind: EventKind::Removed,
                    old: previous.sentences.get(*u).copied().into_iter().collect(),
                    new: Vec::new(),
                    reworded: false,
                });
            }
            set = next;
        }
        events
    }

    #[test]
    fn descendants_follow_runs_as_a_scan_would() {
        // Synthetic: unchanged runs, an edit, a split, a join, a move, a removal.
        let bodies = [
            "One. Two. Three. Four. Five.\n\nSix. Seven.\n",
            "One. Two. Three, changed. Four. Five.\n\nSix. Seven.\n",
            "One. Two. Three, changed. Four and Five.\n\nSix. Seven.\n",
            "Seven. One. Two. Three, changed. Four and Five.\n\nSix.\n",
            "Seven. One. Three, changed. Four and Five.\n\nSix. An eighth.\n",
            "Seven. One. Three. Changed. Four and Five.\n\nSix. An eighth.\n",
        ];
        let documents: Vec<Document> = bodies
            .iter()
            .map(|b| Document::new(Default::default(), b.to_string()))
            .collect();
        let versions: Vec<Version> = (0..bodies.len())
            .map(crate::blame::testing::version)
            .collect();
        let slug = crate::slug::Slug::new("t").unwrap();
        let t = crate::blame::from_documents(&slug, &versions, &documents);
        let last = bodies.len() - 1;
        let mut walked = 0;
        for bottom in 0..last {
            let count = t.versions[bottom].sentences.len();
            for unit in 0..count {
                for pair in [vec![unit], vec![unit, (unit + 2) % count]] {
                    let fast = descendants(&t, bottom, &pair, last);
                    walked += fast.len();
                    assert_eq!(fast, descendants_by_scan(&t, bottom, &pair, last));
                }
            }
        }
        assert!(walked > 0, "the fixture has changes to follow");
    }
}
