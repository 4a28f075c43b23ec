//! A derived, disposable cache of every explainer's history, so listing,
//! `since` and commits cost a file read plus the commits made since, not a
//! walk of the whole of `main`.
//!
//! The cache lives beside the repository data as `<store>/redline-histories.json`
//! (git ignores unknown files in its directory; clones and pushes never carry
//! it). It records the histories *as of one commit id*, which makes it valid
//! forever: commits are immutable, so a reader resumes from that commit if it
//! is on `main`'s first-parent chain and replays everything otherwise. A
//! missing, unreadable or foreign-format cache is ignored; failing to write
//! one (a read-only mirror) is harmless. Writes go to a unique temporary file
//! renamed into place, so concurrent writers never leave a torn cache.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use git2::{Oid, Repository};
use serde::{Deserialize, Serialize};

use super::history::Histories;
use crate::model::{UpdateKind, Version};
use crate::slug::Slug;

/// File name inside the git directory.
const CACHE_FILE: &str = "redline-histories.json";

/// Bump whenever what a history contains or how commits are read changes, so
/// caches written by older builds are ignored instead of trusted.
const FORMAT: u32 = 3;

/// What is written to disk.
#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    /// The commit these histories describe.
    tip: String,
    histories: BTreeMap<Slug, Vec<CachedVersion>>,
    /// Titles already read, so `redline list` need not open every file.
    #[serde(default)]
    titles: Titles,
}

/// Each explainer's title as of one version: slug → (commit id, title).
pub(crate) type Titles = BTreeMap<Slug, (String, String)>;

/// A version as a JSON array `[id, unix seconds, offset seconds, editor, kind, note, blob]`:
/// no key names and no date parsing, because reading this file is on the path
/// of every command (a 5,000-version store reads in a few ms). The number is
/// the position in the list.
#[derive(Serialize, Deserialize)]
struct CachedVersion(String, i64, i32, String, UpdateKind, String, String);

impl CachedVersion {
    fn new(v: &Version) -> CachedVersion {
        CachedVersion(
            v.id.clone(),
            v.updated.timestamp(),
            v.updated.offset().local_minus_utc(),
            v.editor.clone(),
            v.kind,
            v.note.clone(),
            v.blob.clone(),
        )
    }

    fn into_version(self, number: usize) -> Option<Version> {
        let CachedVersion(id, seconds, offset, editor, kind, note, blob) = self;
        let offset = FixedOffset::east_opt(offset)?;
        let updated: DateTime<FixedOffset> =
            DateTime::from_timestamp(seconds, 0)?.with_timezone(&offset);
        Some(Version {
            number,
            id,
            updated,
            editor,
            kind,
            note,
            blob,
        })
    }
}

fn cache_path(repo: &Repository) -> PathBuf {
    repo.path().join(CACHE_FILE)
}

/// The cached histories, the commit they describe and the titles known, if a
/// usable cache exists.
pub(crate) fn load(repo: &Repository) -> Option<(Oid, Histories, Titles)> {
    let bytes = std::fs::read(cache_path(repo)).ok()?;
    let file: CacheFile = serde_json::from_slice(&bytes).ok()?;
    if file.format != FORMAT {
        return None;
    }
    let tip = Oid::from_str(&file.tip).ok()?;
    let mut histories = Histories::new();
    for (slug, cached) in file.histories {
        let versions = cached
            .into_iter()
            .enumerate()
            .map(|(i, c)| c.into_version(i + 1))
            .collect::<Option<Vec<Version>>>()?;
        histories.insert(slug, versions);
    }
    Some((tip, histories, file.titles))
}

/// Record the histories as of `tip`; best effort, errors are ignored because
/// the cache can always be rebuilt from the repository.
pub(crate) fn save(repo: &Repository, tip: Oid, histories: &Histories, titles: &Titles) {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let file = CacheFile {
        format: FORMAT,
        tip: tip.to_string(),
        histories: histories
            .iter()
            .map(|(slug, versions)| {
                (
                    slug.clone(),
                    versions.iter().map(CachedVersion::new).collect(),
                )
            })
            .collect(),
        // Titles of explainers no longer on main are dropped.
        titles: titles
            .iter()
            .filter(|(slug, _)| histories.contains_key(*slug))
            .map(|(slug, title)| (slug.clone(), title.clone()))
            .collect(),
    };
    let Ok(json) = serde_json::to_vec(&file) else {
        return;
    };
    let target = cache_path(repo);
    let temp = target.with_extension(format!(
        "{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    if std::fs::write(&temp, json).is_err() || std::fs::rename(&temp, &target).is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}
