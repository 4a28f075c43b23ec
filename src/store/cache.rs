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
//!
//! The file is not trusted: it carries a checksum keyed by a random key kept
//! in the store's git config (`redline.cachekey`), so a cache edited by hand
//! or by another program (still valid JSON) no longer matches and is ignored;
//! the histories are then replayed from git and the cache rewritten. Its tip
//! must also be on `main`'s first-parent chain (else everything is replayed),
//! and `redline verify` compares it with a replay from scratch.

use std::path::PathBuf;

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
const FORMAT: u32 = 5;

/// The git config key holding the checksum key.
const KEY_CONFIG: &str = "redline.cachekey";

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
    /// [`checksum`] of the file's bytes before this field. Must stay the
    /// last field.
    #[serde(default)]
    checksum: String,
}

/// The checksum key, made (and kept in the config) on first use; `None` when
/// it can be neither read nor made (a read-only store: no cache then).
fn key(repo: &Repository) -> Option<String> {
    let mut config = repo.config().ok()?;
    if let Ok(key) = config.get_string(KEY_CONFIG) {
        if !key.is_empty() {
            return Some(key);
        }
    }
    // Unpredictable enough to tell a forged file from ours: this process,
    // the time to the nanosecond and the store's path, hashed.
    let seed = format!(
        "{} {:?} {}",
        std::process::id(),
        std::time::SystemTime::now(),
        repo.path().display()
    );
    let key = Oid::hash_object(git2::ObjectType::Blob, seed.as_bytes())
        .ok()?
        .to_string();
    config.set_str(KEY_CONFIG, &key).ok()?;
    // Another process may have set its own key at the same moment: use what is stored.
    repo.config()
        .ok()?
        .snapshot()
        .ok()?
        .get_string(KEY_CONFIG)
        .ok()
}

/// How the file ends: its checksum is the last field, so what it covers is
/// every byte before it, hashed as read (reading a 1,000-version cache must
/// not serialise it again to check it).
const CHECKSUM_FIELD: &[u8] = b",\"checksum\":\"";

/// The keyed checksum (BLAKE2b-256 of the key, a newline and the bytes) of
/// the file's bytes before its checksum field.
fn checksum(signed_part: &[u8], key: &str) -> String {
    use blake2::digest::{consts::U32, Digest};
    let mut hasher = blake2::Blake2b::<U32>::new();
    hasher.update(key.as_bytes());
    hasher.update(b"\n");
    hasher.update(signed_part);
    crate::ids::hex(&hasher.finalize())
}

/// The bytes a file's checksum covers: everything before its last field.
fn signed_part(bytes: &[u8]) -> Option<&[u8]> {
    memchr::memmem::rfind(bytes, CHECKSUM_FIELD).and_then(|at| bytes.get(..at))
}

/// The cache file as written, checksum unchecked (for `verify`), if it parses
/// in this format; `Err` says why it does not.
pub(crate) fn load_unchecked(
    repo: &Repository,
) -> Result<Option<(Oid, Histories, Titles, bool)>, String> {
    let bytes = match std::fs::read(cache_path(repo)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let file: CacheFile =
        serde_json::from_slice(&bytes).map_err(|e| format!("not a cache file: {e}"))?;
    if file.format != FORMAT {
        // Written by another version of redline: not a difference, just not usable.
        return Ok(None);
    }
    let signed = key(repo).is_some_and(|k| {
        signed_part(&bytes).is_some_and(|part| checksum(part, &k) == file.checksum)
    });
    let tip =
        Oid::from_str(&file.tip).map_err(|_| format!("tip {:?} is not a commit id", file.tip))?;
    let histories = decode(file.histories).ok_or("a version has an impossible time or offset")?;
    Ok(Some((tip, histories, file.titles, signed)))
}

fn decode(histories: BTreeMap<Slug, Vec<CachedVersion>>) -> Option<Histories> {
    let mut out = Histories::new();
    for (slug, cached) in histories {
        let versions = cached
            .into_iter()
            .enumerate()
            .map(|(i, c)| c.into_version(i + 1))
            .collect::<Option<Vec<Version>>>()?;
        out.insert(slug, versions);
    }
    Some(out)
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
            v.id.to_string(),
            v.updated.timestamp(),
            v.updated.offset().local_minus_utc(),
            v.editor.clone(),
            v.kind,
            v.note.clone(),
            v.blob.to_string(),
        )
    }

    fn into_version(self, number: usize) -> Option<Version> {
        let CachedVersion(id, seconds, offset, editor, kind, note, blob) = self;
        let offset = FixedOffset::east_opt(offset)?;
        let updated: DateTime<FixedOffset> =
            DateTime::from_timestamp(seconds, 0)?.with_timezone(&offset);
        Some(Version {
            number,
            id: id.into(),
            updated,
            editor,
            kind,
            note,
            blob: blob.into(),
        })
    }
}

fn cache_path(repo: &Repository) -> PathBuf {
    repo.path().join(CACHE_FILE)
}

/// The cached histories, the commit they describe and the titles known, if a
/// usable cache exists.
pub(crate) fn load(repo: &Repository) -> Option<(Oid, Histories, Titles)> {
    match load_unchecked(repo) {
        Ok(Some((tip, histories, titles, true))) => Some((tip, histories, titles)),
        _ => None,
    }
}

/// Record the histories as of `tip`; best effort, errors are ignored because
/// the cache can always be rebuilt from the repository.
pub(crate) fn save(repo: &Repository, tip: Oid, histories: &Histories, titles: &Titles) {
    let Some(key) = key(repo) else {
        return;
    };
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
        checksum: String::new(),
    };
    // Written with an empty checksum (the last field), then signed.
    let Ok(mut json) = serde_json::to_vec(&file) else {
        return;
    };
    let Some(unsigned) = signed_part(&json).map(<[u8]>::len) else {
        return;
    };
    let sum = checksum(&json[..unsigned], &key);
    json.truncate(unsigned);
    json.extend_from_slice(CHECKSUM_FIELD);
    json.extend_from_slice(sum.as_bytes());
    json.extend_from_slice(b"\"}");
    // A failure (a read-only store) only costs speed next time.
    let _ = crate::atomic_file::write(&cache_path(repo), &json);
}
