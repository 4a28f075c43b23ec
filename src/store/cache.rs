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

use git2::{Oid, Repository};
use serde::{Deserialize, Serialize};

use super::history::Histories;

/// File name inside the git directory.
const CACHE_FILE: &str = "redline-histories.json";

/// Bump whenever what a history contains or how commits are read changes, so
/// caches written by older builds are ignored instead of trusted.
const FORMAT: u32 = 1;

/// What is written to disk.
#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    /// The commit these histories describe.
    tip: String,
    histories: Histories,
}

fn cache_path(repo: &Repository) -> PathBuf {
    repo.path().join(CACHE_FILE)
}

/// The cached histories and the commit they describe, if a usable cache exists.
pub(crate) fn load(repo: &Repository) -> Option<(Oid, Histories)> {
    let bytes = std::fs::read(cache_path(repo)).ok()?;
    let file: CacheFile = serde_json::from_slice(&bytes).ok()?;
    if file.format != FORMAT {
        return None;
    }
    let tip = Oid::from_str(&file.tip).ok()?;
    Some((tip, file.histories))
}

/// Record the histories as of `tip`; best effort, errors are ignored because
/// the cache can always be rebuilt from the repository.
pub(crate) fn save(repo: &Repository, tip: Oid, histories: &Histories) {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    #[derive(Serialize)]
    struct CacheRef<'a> {
        format: u32,
        tip: String,
        histories: &'a Histories,
    }
    let Ok(json) = serde_json::to_vec(&CacheRef {
        format: FORMAT,
        tip: tip.to_string(),
        histories,
    }) else {
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
