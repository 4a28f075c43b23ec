//! Import: build an explainer history from a folder of version files
//! (`DIR/<slug>/<anything>.md|.txt`, each with front matter carrying `updated`
//! and a `[change]` table). Versions are committed in updated-time order (file
//! name order among equal times) as one batch, and re-running an import adds
//! nothing that is already stored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::error::{Error, Result};
use crate::ingest::{self, Rules};
use crate::model::{DocumentMeta, UpdateKind, Version};
use crate::slug::Slug;
use crate::store::{BatchVersion, Store};

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
    /// Files whose text repeats the version before them, as
    /// `<path>: no change from vN`: not stored, since readers could see no change.
    pub unchanged: Vec<String>,
    /// Entries of the folder that are not version files, as `<path>: <reason>`.
    pub ignored: Vec<String>,
}

/// The version files of an import folder and the entries that are not.
#[derive(Debug, Clone, Default)]
pub struct ImportSource {
    /// Version files (`<dir>/<slug>/<name>`), by slug folder then file name:
    /// [`import`] reads each one as it plans it, so only the stored form of
    /// each version is held at once, not the file as well.
    pub paths: Vec<PathBuf>,
    /// Entries left out, as `<path>: <reason>`.
    pub ignored: Vec<String>,
}

/// What [`import`] imports: version files in memory, or the paths of
/// version files, read one at a time (bounded as every input file is).
#[derive(Debug, Clone, Copy)]
pub enum ImportInput<'a> {
    /// Files already read.
    Files(&'a [ImportFile]),
    /// Files to read.
    Paths(&'a [PathBuf]),
}

impl ImportInput<'_> {
    /// How many version files.
    pub fn len(&self) -> usize {
        match self {
            ImportInput::Files(files) => files.len(),
            ImportInput::Paths(paths) => paths.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a> From<&'a [ImportFile]> for ImportInput<'a> {
    fn from(files: &'a [ImportFile]) -> Self {
        ImportInput::Files(files)
    }
}

impl<'a> From<&'a [PathBuf]> for ImportInput<'a> {
    fn from(paths: &'a [PathBuf]) -> Self {
        ImportInput::Paths(paths)
    }
}

/// A version ready to commit, checked before anything is written.
struct PlannedVersion {
    path: PathBuf,
    slug: Slug,
    updated: DateTime<FixedOffset>,
    /// Facts (the canonical body is the end of `text`).
    meta: DocumentMeta,
    /// The file as it will be stored (front matter, then the canonical
    /// body from `body_start`), and its blob id (computed once).
    text: String,
    body_start: usize,
    blob: String,
    blob_id: git2::Oid,
    editor: String,
    note: String,
    kind: UpdateKind,
}

impl PlannedVersion {
    /// The canonical Markdown body.
    fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or_default()
    }
}

/// How often an import re-plans after other writers moved `main` under it.
const MAX_IMPORT_ATTEMPTS: u32 = 100;

/// Read every `*.md` / `*.txt` file one level below each `<slug>/` folder of `dir`.
pub fn read_dir(dir: &Path) -> Result<Vec<ImportFile>> {
    read_source(dir)?
        .paths
        .into_iter()
        .map(|path| {
            let mut bytes = Vec::new();
            read_version_file(&path, &mut bytes)?;
            Ok(ImportFile { path, bytes })
        })
        .collect()
}

/// A version file's bytes into `bytes`, refused by its size before it is read.
fn read_version_file(path: &Path, bytes: &mut Vec<u8>) -> Result<()> {
    crate::input_file::read_bounded_into(path, ingest::MAX_INPUT_BYTES as u64, bytes)
}

/// Find the version files of `dir` (`DIR/<slug>/<name>.md|.markdown|.txt`),
/// and say why every other entry is left out. Symbolic links are followed
/// only when they stay inside `dir`; one that leaves it refuses the import,
/// since it would record a file the folder does not hold.
pub fn read_source(dir: &Path) -> Result<ImportSource> {
    let root = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    let mut source = ImportSource::default();
    for (slug_dir, kind) in entries(dir, &root)? {
        let Some(kind) = kind_or_ignore(&slug_dir, kind, &mut source.ignored) else {
            continue;
        };
        if kind != EntryKind::Dir {
            source.ignored.push(format!(
                "{}: not inside a <slug>/ folder (import reads DIR/<slug>/<name>.md)",
                slug_dir.display()
            ));
            continue;
        }
        let name = slug_dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if Slug::new(name).is_err() {
            source.ignored.push(format!(
                "{}: folder name is not a slug (lower-case letters, digits and '-')",
                slug_dir.display()
            ));
            continue;
        }
        for (path, kind) in entries(&slug_dir, &root)? {
            let Some(kind) = kind_or_ignore(&path, kind, &mut source.ignored) else {
                continue;
            };
            if kind == EntryKind::Dir {
                source.ignored.push(format!(
                    "{}: nested folder (import reads only DIR/<slug>/<name>.md)",
                    path.display()
                ));
            } else if !is_version_file(&path) {
                source.ignored.push(format!(
                    "{}: not a .md, .markdown or .txt file (extensions are lower-case)",
                    path.display()
                ));
            } else {
                source.paths.push(path);
            }
        }
    }
    Ok(source)
}

/// What a folder entry is, symbolic links resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Dir,
    File,
    /// A FIFO, socket, device, broken link or hidden entry: the reason.
    Other(&'static str),
}

/// Report an entry that is neither a file nor a folder; pass the others on.
fn kind_or_ignore(path: &Path, kind: EntryKind, ignored: &mut Vec<String>) -> Option<EntryKind> {
    match kind {
        EntryKind::Other(reason) => {
            ignored.push(format!("{}: {reason}", path.display()));
            None
        }
        kind => Some(kind),
    }
}

/// The entries of `dir`, sorted by name, with what each is. A symbolic link
/// leaving `root` is an error naming the link and its target.
fn entries(dir: &Path, root: &Path) -> Result<Vec<(PathBuf, EntryKind)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            out.push((path, EntryKind::Other("hidden entry")));
            continue;
        }
        let meta = std::fs::symlink_metadata(&path).map_err(|e| Error::io(&path, e))?;
        let meta = if meta.file_type().is_symlink() {
            let Ok(target) = path.canonicalize() else {
                out.push((path, EntryKind::Other("broken symbolic link")));
                continue;
            };
            if !target.starts_with(root) {
                return Err(Error::input(
                    &path,
                    format!(
                        "is a symbolic link to {}, outside {}; import reads only what the folder holds (copy the file in instead)",
                        target.display(),
                        root.display()
                    ),
                ));
            }
            std::fs::metadata(&target).map_err(|e| Error::io(&path, e))?
        } else {
            meta
        };
        let kind = if meta.is_dir() {
            EntryKind::Dir
        } else if meta.is_file() {
            EntryKind::File
        } else {
            EntryKind::Other("not a regular file (a FIFO, socket or device)")
        };
        out.push((path, kind));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn is_version_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown" | "txt")
    )
}

/// Import version files into the store. Every file is ingested and checked
/// first, so bad input writes nothing. Each explainer's files are ordered by
/// `updated`, then by file name among equal times (so a sequence number in
/// the name orders versions made in the same second or on the same day);
/// the stored `updated` is what each file says. A file already stored (same
/// time and text) is skipped, one repeating the version before it is reported
/// as "no change from vN", and one older than a version stored after it is
/// refused: import only appends, as `commit` does.
///
/// Everything new is written as one batch that moves `main` once by
/// compare-and-swap: all of it lands or none. If another writer moved `main`
/// meanwhile, the import is planned again against what is stored then, so
/// concurrent imports of one folder store each version once.
pub fn import<'a>(
    store: &Store,
    input: impl Into<ImportInput<'a>>,
    rules: &Rules,
    progress: &dyn Fn(usize, usize),
) -> Result<ImportReport> {
    let mut by_slug: BTreeMap<Slug, Vec<PlannedVersion>> = BTreeMap::new();
    let mut add = |planned: PlannedVersion| {
        by_slug
            .entry(planned.slug.clone())
            .or_default()
            .push(planned);
    };
    match input.into() {
        ImportInput::Files(files) => {
            for file in files {
                add(plan(&file.path, &file.bytes, rules)?);
            }
        }
        ImportInput::Paths(paths) => {
            // One buffer for every file: nothing but the plan is kept.
            let mut bytes = Vec::new();
            for path in paths {
                read_version_file(path, &mut bytes)?;
                add(plan(path, &bytes, rules)?);
            }
        }
    }
    import_planned(store, by_slug, progress)
}

/// [`import`] of planned versions, by explainer in file order.
fn import_planned(
    store: &Store,
    mut by_slug: BTreeMap<Slug, Vec<PlannedVersion>>,
    progress: &dyn Fn(usize, usize),
) -> Result<ImportReport> {
    for versions in by_slug.values_mut() {
        versions.sort_by(|a, b| (a.updated, &a.path).cmp(&(b.updated, &b.path)));
    }
    let total: usize = by_slug.values().map(Vec::len).sum();

    for _ in 0..MAX_IMPORT_ATTEMPTS {
        let (tip, histories) = store.histories_with_tip()?;
        let mut report = ImportReport {
            explainers: by_slug.len(),
            ..ImportReport::default()
        };
        let mut to_write: Vec<&PlannedVersion> = Vec::new();
        for (slug, versions) in &by_slug {
            let stored = histories.get(slug).map_or(&[][..], Vec::as_slice);
            select_new(store, slug, stored, versions, &mut report, &mut to_write)?;
        }
        // One chain for all explainers, in time order (stable: each explainer's
        // own order among equal times is kept).
        to_write.sort_by_key(|v| v.updated);
        let batch: Vec<BatchVersion<'_>> = to_write
            .iter()
            .map(|v| BatchVersion {
                slug: &v.slug,
                text: &v.text,
                blob: v.blob_id,
                editor: &v.editor,
                updated: v.updated,
                note: &v.note,
                kind: v.kind,
            })
            .collect();
        let already = total - batch.len();
        progress(already, total);
        if batch.is_empty() {
            return Ok(report);
        }
        if store.append_batch(tip.as_deref(), &batch, &|done| {
            progress(already + done, total)
        })? {
            report.committed = batch.len();
            return Ok(report);
        }
        // Another writer moved main while this batch was built: plan again.
    }
    Err(Error::storage(format!(
        "could not import: other writers moved main first {MAX_IMPORT_ATTEMPTS} times in a row; nothing was written"
    )))
}

/// Sort one explainer's files (oldest first) into already stored, repeats of
/// the version before them, and new versions to append (pushed to `to_write`).
fn select_new<'p>(
    store: &Store,
    slug: &Slug,
    stored: &[Version],
    versions: &'p [PlannedVersion],
    report: &mut ImportReport,
    to_write: &mut Vec<&'p PlannedVersion>,
) -> Result<()> {
    let newest = stored.last();
    let mut appended = 0;
    // The version the next file follows: its number, facts and body.
    let mut previous: Option<(usize, DocumentMeta, String)> = match newest {
        Some(v) => Some(numbered(v, store.parts_from_history(slug, v)?)),
        None => None,
    };
    for version in versions {
        // Stored already (same time, same file): later files follow it.
        if let Some(same) = stored
            .iter()
            .find(|v| v.updated == version.updated && v.blob == version.blob)
        {
            report.skipped += 1;
            previous = Some(numbered(same, store.parts_from_history(slug, same)?));
            continue;
        }
        if let Some((number, meta, body)) = &previous {
            if meta.same_content(body, &version.meta, version.body()) {
                report.unchanged.push(format!(
                    "{}: no change from v{number}",
                    version.path.display()
                ));
                continue;
            }
        }
        if let Some(newest) = newest {
            if version.updated < newest.updated {
                if unchanged_when_imported(store, slug, stored, version)? {
                    report.skipped += 1;
                    continue;
                }
                return Err(Error::input(
                    &version.path,
                    format!(
                        "updated {} is older than {} of {slug}, updated {}; import only appends after the newest version",
                        version.updated.to_rfc3339(),
                        newest.label(),
                        newest.updated.to_rfc3339()
                    ),
                ));
            }
        }
        let number = stored.len() + appended + 1;
        appended += 1;
        previous = Some((number, version.meta.clone(), version.body().to_string()));
        to_write.push(version);
    }
    Ok(())
}

fn numbered(
    version: &Version,
    (meta, body): (DocumentMeta, String),
) -> (usize, DocumentMeta, String) {
    (version.number, meta, body)
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
    let Some(current) =
        crate::store::current_at(stored, &version.updated).and_then(|i| stored.get(i))
    else {
        return Ok(false);
    };
    let (meta, body) = store.parts_from_history(slug, current)?;
    Ok(meta.same_content(&body, &version.meta, version.body()))
}

/// Ingest and check the version file at `path` (holding `bytes`).
fn plan(path: &Path, bytes: &[u8], rules: &Rules) -> Result<PlannedVersion> {
    let slug_name = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::input(path, "version files live in <dir>/<slug>/<name>.md|.txt"))?;
    let slug = Slug::new(slug_name).map_err(|e| Error::input(path, e.to_string()))?;
    let ingested = ingest::ingest_parts(path, bytes, rules)?;
    let updated = ingested.meta.updated.ok_or_else(|| {
        Error::input(
            path,
            "front matter needs `updated` (a TOML date or datetime) for import",
        )
    })?;
    let change = ingested.change.clone().ok_or_else(|| {
        Error::input(
            path,
            "front matter needs a [change] table with editor, kind and note for import",
        )
    })?;
    let editor = change
        .editor
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| Error::input(path, "[change] needs `editor`"))?;
    let note = change
        .note
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| Error::input(path, "[change] needs `note`, the public change note"))?;
    let text = ingest::stored_text_parts(&ingested.meta, &ingested.body);
    // The stored form ends with the body: one copy serves both.
    let body_start = text
        .len()
        .checked_sub(ingested.body.len())
        .filter(|at| text.get(*at..) == Some(ingested.body.as_str()))
        .ok_or_else(|| {
            Error::Internal(format!(
                "{}: the stored form of this file does not end with its body",
                path.display()
            ))
        })?;
    let blob_id = crate::store::blob_id(text.as_bytes())?;
    Ok(PlannedVersion {
        path: path.to_path_buf(),
        slug,
        updated,
        meta: ingested.meta,
        text,
        body_start,
        blob: blob_id.to_string(),
        blob_id,
        editor,
        note,
        kind: change.kind,
    })
}
