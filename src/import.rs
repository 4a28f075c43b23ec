//! Import: build an explainer history from a folder of version files
//! (`DIR/<slug>/<anything>.md|.txt`, each with front matter carrying `updated`
//! and a `[change]` table). Versions are committed in updated-time order, and
//! re-running an import adds nothing that is already stored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::error::{Error, Result};
use crate::ingest::{self, Ingested, Rules};
use crate::model::{UpdateKind, Version};
use crate::slug::Slug;
use crate::store::{CommitOutcome, Store, UpdateRequest};

/// One version file to import: where it came from and its bytes.
#[derive(Debug, Clone)]
pub struct ImportFile {
    /// Path as shown in messages, `<slug>/<name>` relative to the import root.
    pub path: PathBuf,
    /// Raw file contents.
    pub bytes: Vec<u8>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Versions written.
    pub committed: usize,
    /// Versions already in the store.
    pub skipped: usize,
    /// Explainers seen.
    pub explainers: usize,
    /// Why packing what was written failed (see [`Store::pack`]), if it did:
    /// every version is stored all the same, only reads are slower.
    pub pack_error: Option<String>,
}

/// A version ready to commit, checked before anything is written.
struct PlannedVersion {
    path: PathBuf,
    slug: Slug,
    updated: DateTime<FixedOffset>,
    ingested: Ingested,
    editor: String,
    note: String,
    kind: UpdateKind,
}

/// Read every `*.md` / `*.txt` file one level below each `<slug>/` folder of `dir`.
pub fn read_dir(dir: &Path) -> Result<Vec<ImportFile>> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut slug_dirs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    slug_dirs.sort();
    for slug_dir in slug_dirs {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&slug_dir)
            .map_err(|e| Error::io(&slug_dir, e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && is_version_file(p))
            .collect();
        names.sort();
        for path in names {
            let bytes = crate::input_file::read_bounded(&path, ingest::MAX_INPUT_BYTES as u64)?;
            files.push(ImportFile { path, bytes });
        }
    }
    Ok(files)
}

fn is_version_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown" | "txt")
    )
}

/// Import version files into the store. Every file is ingested and checked first,
/// so bad input writes nothing; then versions are committed oldest first.
pub fn import(
    store: &Store,
    files: &[ImportFile],
    rules: &Rules,
    progress: &dyn Fn(usize, usize),
) -> Result<ImportReport> {
    let mut by_slug: BTreeMap<Slug, Vec<PlannedVersion>> = BTreeMap::new();
    for file in files {
        let planned = plan(file, rules)?;
        by_slug
            .entry(planned.slug.clone())
            .or_default()
            .push(planned);
    }
    let total: usize = by_slug.values().map(Vec::len).sum();
    let mut report = ImportReport {
        explainers: by_slug.len(),
        ..ImportReport::default()
    };

    // Check every explainer against what is stored before writing anything.
    let mut to_write = Vec::new();
    for (slug, mut versions) in by_slug {
        versions.sort_by_key(|v| v.updated);
        if let Some(pair) = versions.windows(2).find(|w| w[0].updated == w[1].updated) {
            return Err(Error::input(
                &pair[1].path,
                format!(
                    "same updated time as {} ({})",
                    pair[0].path.display(),
                    pair[0].updated.to_rfc3339()
                ),
            ));
        }
        let stored = match store.history(&slug) {
            Ok(history) => history,
            Err(Error::UnknownExplainer(_)) => Vec::new(),
            Err(e) => return Err(e),
        };
        let newest = stored.last().map(|v| v.updated);
        for version in versions {
            if stored.iter().any(|v| v.updated == version.updated)
                || unchanged_when_imported(store, &slug, &stored, &version)?
            {
                report.skipped += 1;
                continue;
            }
            if let Some(newest) = newest {
                if version.updated < newest {
                    return Err(Error::input(
                        &version.path,
                        format!(
                            "updated {} is older than the newest stored version of {} ({}); import only appends",
                            version.updated.to_rfc3339(),
                            slug,
                            newest.to_rfc3339()
                        ),
                    ));
                }
            }
            to_write.push(version);
        }
    }

    let before = store.tip()?;
    let mut done = report.skipped;
    progress(done, total);
    for version in to_write {
        let request = UpdateRequest {
            editor: version.editor,
            updated: version.updated,
            note: version.note,
            kind: version.kind,
            expect: None,
        };
        match store.commit(&version.slug, &version.ingested.document, &request)? {
            CommitOutcome::Committed(_) => report.committed += 1,
            CommitOutcome::Unchanged(_) => report.skipped += 1,
        }
        done += 1;
        progress(done, total);
    }
    if report.committed > 0 {
        // Every version is already committed: packing only speeds up reads.
        report.pack_error = store.pack(before.as_deref()).err().map(|e| e.to_string());
    }
    Ok(report)
}

/// An older file that repeats the version current at its time: the first import
/// found "no change" and wrote nothing for it, so it is not in the history, and
/// a re-run must skip it again rather than refuse it as out of order.
fn unchanged_when_imported(
    store: &Store,
    slug: &Slug,
    stored: &[Version],
    version: &PlannedVersion,
) -> Result<bool> {
    let Some(current) = stored.iter().rev().find(|v| v.updated <= version.updated) else {
        return Ok(false);
    };
    if stored.last().is_some_and(|newest| newest.id == current.id) {
        // At or after the newest version: committing decides (and says "no change").
        return Ok(false);
    }
    let then = store.document_from_history(slug, current)?;
    let document = &version.ingested.document;
    Ok(then
        .meta
        .same_content(&then.body, &document.meta, &document.body))
}

fn plan(file: &ImportFile, rules: &Rules) -> Result<PlannedVersion> {
    let slug_name = file
        .path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            Error::input(
                &file.path,
                "version files live in <dir>/<slug>/<name>.md|.txt",
            )
        })?;
    let slug = Slug::new(slug_name).map_err(|e| Error::input(&file.path, e.to_string()))?;
    let ingested = ingest::ingest_bytes(&file.path, &file.bytes, rules)?;
    let updated = ingested.document.meta.updated.ok_or_else(|| {
        Error::input(
            &file.path,
            "front matter needs `updated` (a TOML date or datetime) for import",
        )
    })?;
    let change = ingested.change.clone().ok_or_else(|| {
        Error::input(
            &file.path,
            "front matter needs a [change] table with editor, kind and note for import",
        )
    })?;
    let editor = change
        .editor
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| Error::input(&file.path, "[change] needs `editor`"))?;
    let note = change
        .note
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| Error::input(&file.path, "[change] needs `note`, the public change note"))?;
    Ok(PlannedVersion {
        path: file.path.clone(),
        slug,
        updated,
        ingested,
        editor,
        note,
        kind: change.kind,
    })
}
