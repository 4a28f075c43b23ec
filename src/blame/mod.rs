//! Sentence history: which update gave each sentence its wording (blame), and
//! one sentence's timeline (history). Both, and `since`'s credits and withdrawn
//! changes, read one [`SentenceTimeline`] per explainer: every sentence of
//! every version linked to where it came from by the diff's own pairing.
//!
//! The store caches the timeline beside its history cache, in
//! `<store>/redline-timeline/<slug>.bin` ([`Store::sentence_timeline`]),
//! keyed by the versions' commit ids. A cache that does not match the history is cut back to the versions it
//! shares with it and extended from there (an update adds one version's
//! links); a file of another format, or inconsistent, is rebuilt. Deleting
//! the folder changes nothing but speed.

pub mod render;
pub mod timeline;
pub mod walk;

use serde::Serialize;

use crate::diff::Span;
use crate::error::{Error, Result};
use crate::model::{Document, Version, VersionRef};
use crate::slug::Slug;
use crate::store::Store;

pub use timeline::{SentenceTimeline, FORMAT};
pub use walk::{Event, EventKind};

/// The timeline of documents held in memory (no store, no cache).
pub fn from_documents(
    slug: &Slug,
    history: &[Version],
    documents: &[Document],
) -> SentenceTimeline {
    let mut timeline = SentenceTimeline::new(slug.as_str());
    let mut previous: Option<&Document> = None;
    for (version, document) in history.iter().zip(documents) {
        timeline.push(&version.id, previous, document);
        previous = Some(document);
    }
    timeline
}

/// What an update did to a sentence, as blame and credits tell it: the
/// timeline walk's own event kind (one list of kinds, not a copy).
pub use walk::EventKind as CreditChange;

/// One update credited with (part of) a change.
#[derive(Debug, Clone, Serialize)]
pub struct Credit {
    /// The update.
    pub version: Version,
    /// What it did.
    pub change: CreditChange,
    /// Its word-level change (edits, splits, joins; empty otherwise).
    pub words: Vec<Span>,
    /// It brought new words (or added or removed the sentence); false for
    /// punctuation, case and the leftover half of a split.
    pub substantive: bool,
}

/// The word diff of an event (empty for additions and removals).
pub(crate) fn event_words(t: &SentenceTimeline, event: &Event) -> Vec<Span> {
    if event.old.is_empty() || event.new.is_empty() || !event.changes_text(t) {
        return Vec::new();
    }
    let join = |ids: &[u32]| ids.iter().map(|i| t.text(*i)).collect::<Vec<_>>().join(" ");
    crate::diff::pairs::word_diff(&join(&event.old), &join(&event.new))
}

/// One sentence of a blamed version.
#[derive(Debug, Clone, Serialize)]
pub struct BlamedSentence {
    /// The sentence.
    pub text: String,
    /// Section heading (`None`: the lead).
    pub section: Option<String>,
    /// Paragraph (block) index in the version, for grouping.
    pub paragraph: usize,
    /// The update that gave it its current wording.
    pub changed_in: Version,
    /// The update that first added it (or the oldest it was made from).
    pub added_in: Version,
    /// How many updates reworded it after it was added.
    pub edits: usize,
}

/// Every sentence of one version with the update that gave it its wording.
#[derive(Debug, Clone, Serialize)]
pub struct Blame {
    /// The explainer.
    pub slug: Slug,
    /// Its title at that version.
    pub title: String,
    /// The version blamed.
    pub version: Version,
    /// Its sentences in order.
    pub sentences: Vec<BlamedSentence>,
}

/// Blame version `reference` of `slug`.
pub fn blame(store: &Store, slug: &Slug, reference: &VersionRef) -> Result<Blame> {
    let history = store.history(slug)?;
    let version = store.resolve(slug, reference)?;
    let timeline = store.sentence_timeline(slug, &history, None)?;
    let document = store.document_from_history(slug, &version)?;
    blame_in(&timeline, &history, &version, &document)
}

/// Blame `version` (of `history`) whose document is `document`, on a timeline
/// already loaded.
pub fn blame_in(
    timeline: &SentenceTimeline,
    history: &[Version],
    version: &Version,
    document: &Document,
) -> Result<Blame> {
    let at = history
        .iter()
        .position(|v| v.id == version.id)
        .filter(|i| {
            timeline
                .versions
                .get(*i)
                .is_some_and(|t| t.id == version.id)
        })
        .ok_or_else(|| {
            Error::Internal(format!(
                "{} {} is not in its sentence timeline",
                timeline.slug,
                version.label()
            ))
        })?;
    let units = crate::diff::pairs::units(document);
    let get = |i: usize| history.get(i).unwrap_or(version).clone();
    let mut sentences = Vec::with_capacity(units.len());
    for (u, unit) in units.iter().enumerate() {
        let events = walk::ancestry(timeline, at, &[u], 0);
        let key = crate::diff::pairs::sentence_key(&unit.text);
        let credit = primary(timeline, &events, Some(key)).unwrap_or(at);
        let added = events
            .iter()
            .filter(|e| e.kind == EventKind::Added)
            .map(|e| e.version)
            .min()
            .unwrap_or(0);
        let edits = events
            .iter()
            .filter(|e| e.kind != EventKind::Added && e.reworded)
            .map(|e| e.version)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        sentences.push(BlamedSentence {
            text: unit.text.clone(),
            section: timeline.heading_of(at, u),
            paragraph: unit.block,
            changed_in: get(credit),
            added_in: get(added),
            edits,
        });
    }
    Ok(Blame {
        slug: Slug::new(&timeline.slug)?,
        title: document.meta.title.clone(),
        version: version.clone(),
        sentences,
    })
}

/// The update that gave a sentence (whose text has comparison key `current`)
/// its wording, from its ancestry: the latest that brought new words and left
/// exactly this text (an edit later undone by cutting the sentence back does
/// not count); failing that, the latest that brought new words; failing that,
/// the latest that changed its text.
pub(crate) fn primary(
    t: &SentenceTimeline,
    events: &[Event],
    current: Option<u64>,
) -> Option<usize> {
    let reworded = || events.iter().filter(|e| e.reworded);
    reworded()
        .filter(|e| current.is_some_and(|k| walk::joined_key(t, &e.new) == k))
        .map(|e| e.version)
        .max()
        .or_else(|| reworded().map(|e| e.version).max())
        .or_else(|| {
            events
                .iter()
                .filter(|e| e.changes_text(t))
                .map(|e| e.version)
                .max()
        })
}

/// One step of a sentence's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryStep {
    /// The update.
    pub version: Version,
    /// What it did.
    pub change: CreditChange,
    /// Section where it happened (`None`: the lead).
    pub section: Option<String>,
    /// The text before (empty when added).
    pub old_text: String,
    /// The text after (empty when removed).
    pub new_text: String,
    /// Word-level change (edits).
    pub words: Vec<Span>,
    /// Whether it brought new words (false for punctuation only).
    pub substantive: bool,
}

/// The history of one sentence.
#[derive(Debug, Clone, Serialize)]
pub struct SentenceHistory {
    /// Its first wording.
    pub first_text: String,
    /// Its wording in the newest version, `None` when removed.
    pub current_text: Option<String>,
    /// Every update that added, changed, moved or removed it, oldest first.
    pub steps: Vec<HistoryStep>,
}

/// Every sentence matching a fragment, with its history.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// The explainer.
    pub slug: Slug,
    /// Title of the newest version.
    pub title: String,
    /// The fragment searched for.
    pub query: String,
    /// The matching sentences, by first appearance.
    pub sentences: Vec<SentenceHistory>,
}

/// The history of every sentence of `slug` (in any version) containing
/// `fragment` (case and typography aside). No match: an error naming the
/// fragment (exit 2).
pub fn history(store: &Store, slug: &Slug, fragment: &str) -> Result<History> {
    let versions = store.history(slug)?;
    let timeline = store.sentence_timeline(slug, &versions, None)?;
    let last = versions
        .last()
        .ok_or_else(|| Error::UnknownExplainer(slug.to_string()))?;
    let title = store.document_from_history(slug, last)?.meta.title;
    history_in(&timeline, &versions, slug, &title, fragment)
}

/// [`history`] on a timeline already loaded.
pub fn history_in(
    t: &SentenceTimeline,
    versions: &[Version],
    slug: &Slug,
    title: &str,
    fragment: &str,
) -> Result<History> {
    let needle = fold(fragment);
    if needle.is_empty() {
        return Err(Error::bad_input(
            "text",
            "",
            format!("{slug}: give some words of a sentence to look for"),
        ));
    }
    let last = t.versions.len().saturating_sub(1);
    let (lineages, ids) = walk::lineages(t, 0, last);
    // Lineages holding a matching sentence, by first appearance.
    let mut matched: Vec<usize> = Vec::new();
    let mut seen: std::collections::HashSet<usize> = std::collections::HashSet::new();
    let mut folded: std::collections::HashMap<u32, bool> = std::collections::HashMap::new();
    for (v, version) in t.versions.iter().enumerate() {
        for (u, text) in version.sentences.iter().enumerate() {
            let hit = *folded
                .entry(*text)
                .or_insert_with(|| fold(t.text(*text)).contains(&needle));
            if let Some(id) = ids.get(v).and_then(|l| l.get(u)) {
                if hit && seen.insert(*id) {
                    matched.push(*id);
                }
            }
        }
    }
    if matched.is_empty() {
        return Err(Error::bad_input(
            "text",
            fragment,
            format!("{slug}: no sentence in any version contains \"{fragment}\""),
        ));
    }
    matched.sort_by_key(|id| lineages.get(*id).map(|l| (l.born, l.unit)));
    let get = |i: usize| versions.get(i).cloned();
    let mut out: Vec<SentenceHistory> = Vec::new();
    // Key of the last wording of each sentence shown, to join a restored one to it.
    let mut last_keys: Vec<(u64, Option<usize>)> = Vec::new();
    for id in matched {
        let Some(lineage) = lineages.get(id) else {
            continue;
        };
        let birth = t
            .versions
            .get(lineage.born)
            .and_then(|v| v.sentences.get(lineage.unit))
            .copied();
        let Some(birth) = birth else { continue };
        let mut events = vec![Event {
            version: lineage.born,
            kind: EventKind::Added,
            old: Vec::new(),
            new: vec![birth],
            reworded: true,
        }];
        events.extend(walk::descendants(t, lineage.born, &[lineage.unit], last));
        // A sentence that comes back with the wording of one removed earlier
        // continues that one's history.
        let joins = last_keys.iter().position(|(key, died)| {
            *key == t.key(birth) && died.is_some_and(|d| d <= lineage.born)
        });
        if let (Some(_), Some(first)) = (joins, events.first_mut()) {
            first.kind = EventKind::Restored;
        }
        let mut steps = Vec::new();
        // The wording last seen, and the sentence's text in the newest version.
        let mut wording = birth;
        let died = lineage.died;
        let current = ids
            .get(last)
            .and_then(|l| l.iter().position(|i| *i == id))
            .and_then(|u| t.versions.get(last)?.sentences.get(u).copied());
        for event in &events {
            let Some(version) = get(event.version) else {
                continue;
            };
            let unit = event.new.first().and_then(|n| {
                t.versions
                    .get(event.version)?
                    .sentences
                    .iter()
                    .position(|s| s == n)
            });
            let section = match unit {
                Some(u) => t.heading_of(event.version, u),
                None => event.old.first().and_then(|o| {
                    let p = event.version.checked_sub(1)?;
                    let u = t.versions.get(p)?.sentences.iter().position(|s| s == o)?;
                    t.heading_of(p, u)
                }),
            };
            let join = |ids: &[u32]| ids.iter().map(|i| t.text(*i)).collect::<Vec<_>>().join(" ");
            if let Some(n) = event.new.last() {
                wording = *n;
            }
            steps.push(HistoryStep {
                version,
                change: event.kind,
                section,
                old_text: join(&event.old),
                new_text: join(&event.new),
                words: event_words(t, event),
                substantive: event.reworded,
            });
        }
        let sentence = SentenceHistory {
            first_text: t.text(birth).to_string(),
            current_text: current.map(|c| t.text(c).to_string()),
            steps,
        };
        let key = t.key(wording);
        match joins {
            Some(k) => {
                if let Some(earlier) = out.get_mut(k) {
                    earlier.current_text = sentence.current_text;
                    earlier.steps.extend(sentence.steps);
                }
                if let Some(slot) = last_keys.get_mut(k) {
                    *slot = (key, died);
                }
            }
            None => {
                out.push(sentence);
                last_keys.push((key, died));
            }
        }
    }
    Ok(History {
        slug: slug.clone(),
        title: title.to_string(),
        query: fragment.to_string(),
        sentences: out,
    })
}

/// Lower-case, typography-folded text for fragment search.
fn fold(text: &str) -> String {
    crate::typography::normalise_caseless(text)
}

#[cfg(test)]
pub(crate) mod testing {
    use crate::model::{UpdateKind, Version};

    /// A synthetic version at window index `i` (v{i+1}), one day apart.
    pub(crate) fn version(i: usize) -> Version {
        let day = chrono::DateTime::parse_from_rfc3339("2025-02-01T12:00:00Z").unwrap()
            + chrono::Duration::days(i as i64);
        Version {
            number: i + 1,
            id: format!("{:040x}", i + 1).into(),
            updated: day,
            editor: "Ed".into(),
            kind: UpdateKind::Major,
            note: format!("update {}", i + 1),
            blob: Default::default(),
        }
    }
}
