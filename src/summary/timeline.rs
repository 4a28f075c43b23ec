//! A window's view of the sentence timeline ([`crate::blame`]): which updates
//! made a highlight (credits), and which sentences came and went inside the
//! window (withdrawn). One mechanism for `since`, the site and blame: the
//! diff's sentence pairing of consecutive versions, built once per history
//! and cached with it, so a window costs walks over links, not diffs.

use std::collections::HashSet;

use super::rank::Trace;
use crate::blame::timeline::LinkKind;
use crate::blame::walk::{self, Event, EventKind};
use crate::blame::{CreditChange, SentenceTimeline};
use crate::diff::Span;
use crate::error::{Error, Result};
use crate::model::Version;

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

/// One update credited with a highlight, by window index.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowCredit {
    /// Window index of the update (≥ 1).
    pub index: usize,
    /// What it did.
    pub change: CreditChange,
    /// Its word-level change.
    pub words: Vec<Span>,
    /// It brought new words (or added or removed the text).
    pub substantive: bool,
}

/// The updates that made a highlight: the one to name first (`index`) and
/// every one that changed its text inside the window, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Credits {
    /// Window index of the update that gave the text its reported form.
    pub index: usize,
    /// Every update of the window that changed it.
    pub all: Vec<WindowCredit>,
}

impl Credits {
    /// The credits of a highlight traced by `trace`; without a timeline (a
    /// window of one update), everything came with head, window index `last`,
    /// whose word change is the highlight's own (`words`).
    pub fn of(
        timeline: Option<&Timeline<'_>>,
        trace: &Trace,
        section: Option<&str>,
        words: &[Span],
        last: usize,
    ) -> Credits {
        match timeline {
            Some(t) => t.credits(trace, section),
            None => Credits {
                index: last,
                all: vec![WindowCredit {
                    index: last,
                    change: match trace {
                        Trace::Appears(_) => CreditChange::Added,
                        Trace::Disappears(_) => CreditChange::Removed,
                    },
                    words: words.to_vec(),
                    substantive: true,
                }],
            },
        }
    }
}

impl WindowCredit {
    /// The credit naming `version` (the update at this window index).
    pub fn credit(self, version: Version) -> crate::blame::Credit {
        crate::blame::Credit {
            version,
            change: self.change,
            words: self.words,
            substantive: self.substantive,
        }
    }
}

/// The versions `base..=head` of a sentence timeline.
#[derive(Debug)]
pub struct Timeline<'a> {
    sentences: &'a SentenceTimeline,
    base: usize,
    head: usize,
    /// Sentences (version, index) already credited to a highlight.
    taken: std::cell::RefCell<HashSet<(usize, usize)>>,
}

impl<'a> Timeline<'a> {
    /// The window `window` (consecutive versions of the timeline's history).
    /// Errors when the window's versions are not in the timeline.
    pub fn new(sentences: &'a SentenceTimeline, window: &[Version]) -> Result<Timeline<'a>> {
        let find = |v: Option<&Version>| {
            v.and_then(|v| sentences.versions.iter().position(|t| t.id == v.id))
        };
        match (find(window.first()), find(window.last())) {
            (Some(base), Some(head)) if head >= base && head - base + 1 == window.len() => {
                Ok(Timeline {
                    sentences,
                    base,
                    head,
                    taken: Default::default(),
                })
            }
            _ => Err(Error::Internal(format!(
                "{}: the summary's versions are not in its sentence timeline",
                sentences.slug
            ))),
        }
    }

    /// Who made a highlight. An appearing text is found in head (alone, or as
    /// a split group) and followed back to base; a disappearing one is found
    /// in base and followed forward to head. The credit is the latest update
    /// that brought its words (so a later punctuation fix, or the split that
    /// cut it from a longer sentence, never takes it), or for a removal the
    /// update that removed it. Texts the walks cannot place (headings) are
    /// credited to the update from which they stayed present (or absent).
    /// Never outside the window.
    pub fn credits(&self, trace: &Trace, section: Option<&str>) -> Credits {
        let t = self.sentences;
        let lowest = self.base + 1;
        // A section's heading (its highlight's section is itself) is no
        // sentence: a sentence with the same words must not answer for it.
        let heading = section == Some(trace.text()) && {
            let at = match trace {
                Trace::Appears(_) => self.head,
                Trace::Disappears(_) => self.base,
            };
            walk::has_heading(t, at, trace.text())
        };
        let (events, removal) = match trace {
            _ if heading => (Vec::new(), matches!(trace, Trace::Disappears(_))),
            Trace::Appears(text) => {
                let units = self.find(self.head, text, section);
                let events = if units.is_empty() {
                    Vec::new()
                } else {
                    walk::ancestry(t, self.head, &units, lowest)
                };
                (events, false)
            }
            Trace::Disappears(text) => {
                let units = self.find(self.base, text, section);
                let mut events = if units.is_empty() {
                    Vec::new()
                } else {
                    walk::descendants(t, self.base, &units, self.head)
                };
                if units.len() == 1 && !events.iter().any(|e| e.kind == EventKind::Removed) {
                    // A sentence that stood twice and lost one copy: the copy
                    // found first survived, so the one removed is another.
                    if let Some((unit, gone)) = self.removed_copy(text, &units) {
                        self.taken.borrow_mut().insert((self.base, unit));
                        events = gone;
                    }
                }
                (events, true)
            }
        };
        let primary = if removal {
            events
                .iter()
                .filter(|e| e.kind == EventKind::Removed)
                .map(|e| e.version)
                .max()
                .or_else(|| crate::blame::primary(t, &events, None))
        } else {
            let current = crate::diff::pairs::sentence_key(trace.text());
            crate::blame::primary(t, &events, Some(current))
        };
        let key = crate::diff::pairs::sentence_key(trace.text());
        let index = match primary {
            // Removed, brought back and removed again: the last removal made it go.
            // (Only when no copy of it is left: another copy standing in
            // head says nothing about when this one went.)
            Some(v) if removal && !walk::holds(t, self.head, key) => {
                v.max(walk::settled(t, key, false, lowest, self.head))
            }
            Some(v) => v,
            None if heading => walk::settled_heading(t, key, !removal, lowest, self.head),
            None => walk::settled(t, key, !removal, lowest, self.head),
        } - self.base;
        let mut all: Vec<WindowCredit> = Vec::new();
        // A removed heading may first have been renamed: each rename is a
        // credit, and the update that removed its last name made it go.
        let mut index = index;
        if heading && removal {
            let (renames, removed) = walk::heading_fate(t, trace.text(), lowest, self.head);
            if let Some(gone) = removed {
                index = gone - self.base;
                for (v, old, new) in renames {
                    all.push(WindowCredit {
                        index: v - self.base,
                        change: CreditChange::Edited,
                        words: crate::diff::pairs::word_diff(t.text(old), t.text(new)),
                        substantive: true,
                    });
                }
            }
        }
        for event in events.iter().filter(|e| e.changes_text(t)) {
            let credit = WindowCredit {
                index: event.version - self.base,
                change: event.kind,
                words: crate::blame::event_words(t, event),
                substantive: event.reworded || event.kind == EventKind::Removed,
            };
            if !all.contains(&credit) {
                all.push(credit);
            }
        }
        if !all.iter().any(|c| c.index == index) {
            all.push(WindowCredit {
                index,
                change: if removal {
                    CreditChange::Removed
                } else {
                    CreditChange::Added
                },
                words: Vec::new(),
                substantive: true,
            });
        }
        all.sort_by_key(|c| c.index);
        Credits { index, all }
    }

    /// Another sentence of base with the text `text` (not in `skip`, not
    /// credited yet) that is removed inside the window, with its events.
    fn removed_copy(&self, text: &str, skip: &[usize]) -> Option<(usize, Vec<Event>)> {
        let t = self.sentences;
        walk::matches(t, self.base, text)
            .into_iter()
            .filter(|u| !skip.contains(u) && !self.taken.borrow().contains(&(self.base, *u)))
            .find_map(|u| {
                let events = walk::descendants(t, self.base, &[u], self.head);
                events
                    .iter()
                    .any(|e| e.kind == EventKind::Removed)
                    .then_some((u, events))
            })
    }

    /// [`walk::find`], each sentence credited to one highlight when the text
    /// stands more than once.
    fn find(&self, v: usize, text: &str, section: Option<&str>) -> Vec<usize> {
        let taken = |u: usize| self.taken.borrow().contains(&(v, u));
        let units = walk::find(self.sentences, v, text, section, &taken);
        self.taken
            .borrow_mut()
            .extend(units.iter().map(|u| (v, *u)));
        units
    }

    /// Sentences (and headings) added after base and removed by head, whose
    /// text is in neither: in order of appearance. A sentence reworded before
    /// it went is one span, with its first wording; one that merely moved,
    /// or was joined into another, did not go.
    pub fn withdrawn(&self) -> Vec<WithdrawnSpan> {
        let t = self.sentences;
        let keys = |v: usize| -> HashSet<u64> {
            t.versions
                .get(v)
                .map(|x| {
                    x.sentences
                        .iter()
                        .copied()
                        .chain(x.sections.iter().filter_map(|(_, h)| *h))
                        .map(|id| t.key(id))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut known = keys(self.base);
        known.extend(keys(self.head));
        let (lineages, _) = walk::lineages(t, self.base, self.head);
        let mut spans = Vec::new();
        for lineage in &lineages {
            let Some(died) = lineage.died else { continue };
            if lineage.born <= self.base {
                continue;
            }
            let Some(id) = t
                .versions
                .get(lineage.born)
                .and_then(|v| v.sentences.get(lineage.unit))
            else {
                continue;
            };
            if known.contains(&t.key(*id)) {
                continue;
            }
            spans.push(WithdrawnSpan {
                section: t.heading_of(lineage.born, lineage.unit),
                text: t.text(*id).to_string(),
                added: lineage.born - self.base,
                removed: died - self.base,
            });
        }
        // An edit reverted to the base wording: the edit came and went. (An
        // edit superseded by a further rewording is shown by the net change.)
        let base_keys = keys(self.base);
        for v in self.base + 2..=self.head {
            let Some(version) = t.versions.get(v) else {
                continue;
            };
            for link in version.links.iter().filter(|l| l.kind == LinkKind::Edited) {
                let (Some(old), Some(new)) = (
                    t.versions
                        .get(v - 1)
                        .and_then(|p| p.sentences.get(link.old as usize)),
                    version.sentences.get(link.new as usize),
                ) else {
                    continue;
                };
                if !base_keys.contains(&t.key(*new)) || known.contains(&t.key(*old)) {
                    continue;
                }
                let events = walk::ancestry(t, v - 1, &[link.old as usize], self.base + 1);
                let Some(added) = events
                    .iter()
                    .filter(|e| e.changes_text(t))
                    .map(|e| e.version)
                    .max()
                else {
                    continue;
                };
                spans.push(WithdrawnSpan {
                    section: t.heading_of(v - 1, link.old as usize),
                    text: t.text(*old).to_string(),
                    added: added - self.base,
                    removed: v - self.base,
                });
            }
        }
        // Headings that came and went: a section added and removed in the window.
        let mut open: Vec<(u64, u32, usize)> = Vec::new();
        for v in self.base + 1..=self.head {
            let here: Vec<u32> = t
                .versions
                .get(v)
                .map(|x| x.sections.iter().filter_map(|(_, h)| *h).collect())
                .unwrap_or_default();
            let here_keys: HashSet<u64> = here.iter().map(|h| t.key(*h)).collect();
            open.retain(|(key, text, added)| {
                if here_keys.contains(key) {
                    return true;
                }
                let heading = t.text(*text).to_string();
                spans.push(WithdrawnSpan {
                    section: Some(heading.clone()),
                    text: heading,
                    added: added - self.base,
                    removed: v - self.base,
                });
                false
            });
            if v == self.head {
                break;
            }
            for h in here {
                let key = t.key(h);
                if !known.contains(&key) && !open.iter().any(|(k, _, _)| *k == key) {
                    open.push((key, h, v));
                }
            }
        }
        spans.sort_by(|a, b| (a.added, a.removed, &a.text).cmp(&(b.added, b.removed, &b.text)));
        spans
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;
    use crate::model::Document;

    /// A timeline over whole bodies (synthetic), and its window of all versions.
    fn timeline(bodies: &[&str]) -> (SentenceTimeline, Vec<Version>) {
        let documents: Vec<Document> = bodies
            .iter()
            .map(|b| Document::new(Default::default(), b.to_string()))
            .collect();
        let versions: Vec<Version> = (0..bodies.len())
            .map(crate::blame::testing::version)
            .collect();
        let slug = crate::slug::Slug::new("t").unwrap();
        (
            crate::blame::from_documents(&slug, &versions, &documents),
            versions,
        )
    }

    fn credited(bodies: &[&str], trace: Trace) -> usize {
        let (t, versions) = timeline(bodies);
        Timeline::new(&t, &versions)
            .unwrap()
            .credits(&trace, None)
            .index
    }

    const CLAIM: &str = "Mr Rubio said talks would continue in Riyadh.";

    #[test]
    fn credit_is_exact_when_text_comes_and_goes() {
        let with = format!("## Talks\n\n{CLAIM}\n");
        let without = "## Talks\n\nNothing yet.\n";
        assert_eq!(
            credited(
                &[without, &with, without, &with, &with],
                Trace::Appears(CLAIM.into())
            ),
            3
        );
        // Typography does not hide a sentence.
        let curly = "Mr Rubio said talks would “continue” in Riyadh.";
        let straight = "## Talks\n\nMr Rubio said talks would \"continue\" in Riyadh.\n";
        assert_eq!(
            credited(&[without, straight, straight], Trace::Appears(curly.into())),
            1
        );
        // A removal: credited where it went for good.
        assert_eq!(
            credited(
                &[&with, without, &with, without, without],
                Trace::Disappears(CLAIM.into())
            ),
            3
        );
        // Base is head.
        assert_eq!(credited(&[&with], Trace::Appears(CLAIM.into())), 0);
    }

    #[test]
    fn a_sentence_split_from_a_longer_one_was_introduced_with_it() {
        // Synthetic, after the demo's minerals sentence (1 March → 4 March).
        let none = "## Minerals\n\nThe deal was discussed.\n";
        let long = "## Minerals\n\nThe deal was discussed. Mr Trump and Mr Zelenskyy were expected to sign the agreement on 28 February, but the meeting ended early.\n";
        let split = "## Minerals\n\nThe deal was discussed. Mr Trump and Mr Zelenskyy were expected to sign the agreement on 28 February. The meeting ended early, though talks may resume.\n";
        let sentence =
            "Mr Trump and Mr Zelenskyy were expected to sign the agreement on 28 February.";
        assert_eq!(
            credited(
                &[none, none, long, split, split],
                Trace::Appears(sentence.into())
            ),
            2
        );
        // The new second half did not exist before the split.
        let rest = "The meeting ended early, though talks may resume.";
        assert_eq!(
            credited(
                &[none, none, long, split, split],
                Trace::Appears(rest.into())
            ),
            3
        );
        // An edit: a changed figure came with its own update.
        let old = "## Minerals\n\nThe fund would hold 50 per cent of proceeds from state mineral resources.\n";
        let new = "## Minerals\n\nThe fund would hold 40 per cent of proceeds from state mineral resources.\n";
        let edited = "The fund would hold 40 per cent of proceeds from state mineral resources.";
        assert_eq!(
            credited(&[old, old, new, new], Trace::Appears(edited.into())),
            2
        );
    }

    #[test]
    fn a_text_that_stands_twice_credits_each_sentence_once() {
        let one = "## Talks\n\nOptions include:\n\nMore text here.\n";
        let two = "## Talks\n\nOptions include:\n\nMore text here.\n\nOptions include:\n";
        let (t, versions) = timeline(&["## Talks\n\nMore text here.\n", one, two]);
        let window = Timeline::new(&t, &versions).unwrap();
        let trace = Trace::Appears("Options include:".into());
        assert_eq!(window.credits(&trace, Some("Talks")).index, 1);
        assert_eq!(window.credits(&trace, Some("Talks")).index, 2);
    }

    #[test]
    fn withdrawn_spans_name_their_section_and_versions() {
        let base = "Lead.\n\n## Talks\n\nThe talks began.\n";
        let with = format!("Lead.\n\n## Talks\n\nThe talks began. {CLAIM}\n");
        let (t, versions) = timeline(&[base, &with, &with, base, &with, base]);
        let spans = Timeline::new(&t, &versions).unwrap().withdrawn();
        let expected = |added, removed| WithdrawnSpan {
            section: Some("Talks".into()),
            text: CLAIM.into(),
            added,
            removed,
        };
        assert_eq!(spans, vec![expected(1, 3), expected(4, 5)]);
        // A section that came and went: its heading and its sentence.
        let with = "Lead.\n\n## Talks\n\nThe talks began.\n\n## Aid\n\nAid was paused.\n";
        let (t, versions) = timeline(&[base, with, base]);
        let spans = Timeline::new(&t, &versions).unwrap().withdrawn();
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
        let (t, versions) = timeline(&[base, &here, &there, base]);
        let spans = Timeline::new(&t, &versions).unwrap().withdrawn();
        let got: Vec<(usize, usize)> = spans.iter().map(|s| (s.added, s.removed)).collect();
        assert_eq!(got, vec![(1, 3)]);
    }
}
