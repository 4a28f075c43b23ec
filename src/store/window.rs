//! Windows of a history: what `since` needs to know about the versions
//! `WHEN..=UNTIL` of one explainer, answered by the store in one call
//! ([`Store::window`]), so the summary is a pure function of what it is given.
//!
//! Also the sentence timeline's cache (`<store>/redline-timeline/<slug>.bin`,
//! see [`crate::blame`]): read, cut back to the versions it shares with the
//! history, extended by the versions it lacks, written back.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::{current_at, position_in, Store};
use crate::blame::{SentenceTimeline, FORMAT};
use crate::error::{Error, Result};
use crate::model::{Document, Version, VersionRef};
use crate::slug::Slug;

/// Folder of timeline caches inside the store.
const TIMELINE_DIR: &str = "redline-timeline";

/// The versions `base..=head` of one explainer, with the documents and the
/// sentence timeline a summary of them reads. Owned when the store answers
/// ([`Store::window`]); borrowed when a caller already holds the history in
/// memory (the site summarises many windows of one history).
#[derive(Debug, Clone)]
pub struct Window<'a> {
    /// The explainer.
    pub slug: Slug,
    /// The moment the reader asked about, when they gave a time rather than
    /// a version (the base is the version current then, or v1 before it).
    pub asked: Option<DateTime<FixedOffset>>,
    /// The versions, oldest first: base, the updates after it, head (base
    /// alone when they are one version). Never empty.
    pub versions: Cow<'a, [Version]>,
    /// The base version's document.
    pub base: Cow<'a, Document>,
    /// The head version's document.
    pub head: Cow<'a, Document>,
    /// The sentence timeline of a history holding the window; present when
    /// the window has updates between base and head (credits and withdrawn
    /// changes read it), `None` otherwise.
    pub sentences: Option<Cow<'a, SentenceTimeline>>,
}

impl Store {
    /// The window of `slug` from `when` up to `until` (or the newest version),
    /// read in one call: the versions, the base and head documents, and the
    /// sentence timeline when there are updates between them.
    ///
    /// The base is the version current at `when` (a time: see
    /// [`current_at`]; `vN` and commit prefixes name a version directly).
    /// When `when` is before the first version the reader has seen nothing,
    /// so the base is v1, the earliest text there is (a base equal to v1 whose
    /// `updated` is later than `asked` tells a renderer so). Errors: unknown
    /// explainer, a reference that matches nothing, or an `until` before `when`.
    pub fn window(
        &self,
        slug: &Slug,
        when: &VersionRef,
        until: Option<&VersionRef>,
    ) -> Result<Window<'static>> {
        let history = self.history(slug)?;
        let (base_at, head_at) = window_bounds(slug, &history, when, until)?;
        let (Some(base), Some(head)) = (history.get(base_at), history.get(head_at)) else {
            return Err(Error::UnknownExplainer(slug.to_string()));
        };
        let base_doc = self.document_from_history(slug, base)?;
        let head_doc = if head_at == base_at {
            base_doc.clone()
        } else {
            self.document_from_history(slug, head)?
        };
        // A window of one update needs no timeline: everything came with head.
        let sentences = if head_at - base_at > 1 {
            Some(Cow::Owned(self.sentence_timeline(slug, &history, None)?))
        } else {
            None
        };
        let versions = history.get(base_at..=head_at).unwrap_or(&[]).to_vec();
        Ok(Window {
            slug: slug.clone(),
            asked: when.moment(),
            versions: Cow::Owned(versions),
            base: Cow::Owned(base_doc),
            head: Cow::Owned(head_doc),
            sentences,
        })
    }

    /// The sentence timeline of `slug`'s `history` (as [`Store::history`]
    /// gives it): read from the cache, extended by the versions it lacks,
    /// rebuilt when it does not match. `documents`, when given, are the
    /// history's documents already in memory (index for index), used instead
    /// of reading versions again.
    pub fn sentence_timeline(
        &self,
        slug: &Slug,
        history: &[Version],
        documents: Option<&[Document]>,
    ) -> Result<SentenceTimeline> {
        let path = self.timeline_path(slug);
        let mut timeline =
            read_timeline(&path, slug).unwrap_or_else(|| SentenceTimeline::new(slug.as_str()));
        let shared = timeline
            .versions
            .iter()
            .zip(history)
            .take_while(|(t, v)| t.id == v.id)
            .count();
        if shared == timeline.versions.len() && shared == history.len() {
            return Ok(timeline);
        }
        timeline.versions.truncate(shared);
        let document = |i: usize| -> Result<Document> {
            match documents.and_then(|d| d.get(i)) {
                Some(d) => Ok(d.clone()),
                None => {
                    let version = history
                        .get(i)
                        .ok_or_else(|| Error::Internal(format!("{slug} has no v{}", i + 1)))?;
                    self.document_from_history(slug, version)
                }
            }
        };
        let mut previous = match shared.checked_sub(1) {
            Some(last) => Some(document(last)?),
            None => None,
        };
        for (i, version) in history.iter().enumerate().skip(shared) {
            let current = document(i)?;
            timeline.push(&version.id, previous.as_ref(), &current);
            previous = Some(current);
        }
        write_timeline(&path, &timeline);
        Ok(timeline)
    }

    fn timeline_path(&self, slug: &Slug) -> PathBuf {
        self.path()
            .join(TIMELINE_DIR)
            .join(format!("{}.bin", slug.as_str()))
    }
}

/// A cached timeline of `slug`, or `None` when missing, unreadable, of
/// another format or explainer, or inconsistent.
fn read_timeline(path: &Path, slug: &Slug) -> Option<SentenceTimeline> {
    let bytes = std::fs::read(path).ok()?;
    // postcard, not JSON: parsing a 1,000-version timeline as JSON was a
    // seventh of a long `since`.
    let timeline: SentenceTimeline = postcard::from_bytes(&bytes).ok()?;
    (timeline.format == FORMAT && timeline.slug == slug.as_str() && timeline.is_consistent())
        .then_some(timeline)
}

/// Write the cache whole (a reader never sees half a file). Failure (a
/// read-only store) only costs speed next time.
fn write_timeline(path: &Path, timeline: &SentenceTimeline) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(bytes) = postcard::to_stdvec(timeline) else {
        return;
    };
    if crate::atomic_file::write(path, &bytes).is_ok() {
        // The JSON cache of format 1, now never read.
        let _ = std::fs::remove_file(path.with_extension("json"));
    }
}

/// The window `when`..`until` of `history` (one explainer's, oldest first), as
/// the indexes of its base and head: the base is the version current at `when`
/// (a time: see [`current_at`]; before the first version, v1), or the version
/// `when` names; the head is the newest, or the version current at `until`.
/// Errors: a reference that matches nothing, or an `until` before `when`.
pub fn window_bounds(
    slug: &Slug,
    history: &[Version],
    when: &VersionRef,
    until: Option<&VersionRef>,
) -> Result<(usize, usize)> {
    let base_at = match when {
        VersionRef::At(t) => current_at(history, t).unwrap_or(0),
        other => position_in(slug, history, other)?,
    };
    let head_at = match until {
        None => history.len().saturating_sub(1),
        Some(reference) => position_in(slug, history, reference)?,
    };
    let (Some(base), Some(head)) = (history.get(base_at), history.get(head_at)) else {
        return Err(Error::UnknownExplainer(slug.to_string()));
    };
    if head_at < base_at {
        return Err(Error::bad_input(
            "window",
            "",
            format!(
                "{slug}: the end of the window ({}, {}) is before its start ({}, {})",
                head.label(),
                head.updated.to_rfc3339(),
                base.label(),
                base.updated.to_rfc3339()
            ),
        ));
    }
    Ok((base_at, head_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_current_at_a_time_is_the_newest_not_after_it() {
        // Synthetic: v1..v4 one day apart, from 2025-02-01T12:00Z.
        let mut history: Vec<Version> = (0..4).map(crate::blame::testing::version).collect();
        let time = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        assert_eq!(current_at(&history, &time("2025-01-01T00:00:00Z")), None);
        assert_eq!(current_at(&history, &time("2025-02-01T12:00:00Z")), Some(0));
        assert_eq!(current_at(&history, &time("2025-02-03T00:00:00Z")), Some(1));
        assert_eq!(current_at(&history, &time("2030-01-01T00:00:00Z")), Some(3));
        // A backdated v4 (older than v3): the newest version not after the
        // time is v4 once its time has come, as `resolve` has always said.
        history[3].updated = time("2025-02-02T18:00:00Z");
        assert_eq!(current_at(&history, &time("2025-02-02T20:00:00Z")), Some(3));
        assert_eq!(current_at(&history, &time("2025-02-03T13:00:00Z")), Some(3));
        assert_eq!(current_at(&history, &time("2025-02-02T13:00:00Z")), Some(1));
    }
}
