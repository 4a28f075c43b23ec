//! Store: a bare git repository holding `explainers/<slug>.md`, one commit per
//! update on `refs/heads/main`, written without a work tree, ref moved by
//! compare-and-swap. git2 types stay inside this module.
//!
//! Commit format (details in the `message` submodule): author = the editor,
//! with a placeholder e-mail derived from the name
//! (`jane.doe@editors.redline.invalid`) and the update's time and offset as
//! author date; committer = `redline <redline@redline.invalid>` at the time of
//! writing; message = the change note, a blank line, then the trailers
//! `Redline-Change: major|minor` and `Redline-Explainer: <slug>` (plus
//! `Redline-Editor: <exact name>` when the name has `<` or `>`, which git
//! does not allow in an author name). Commits made with plain git read as
//! major updates whose note is the message without trailers.
//!
//! Writes never lose an update: the new commit is built off-branch, then
//! `refs/heads/main` is moved only if it still points where the writer read it
//! (libgit2 checks this under the ref's lock file). A writer that loses the race
//! re-reads `main` and rebuilds its tree on top, unless its own explainer moved
//! on, in which case the write is refused as [`Error::Conflict`].
//!
//! Histories are derived from the trees (the `history` submodule), never from
//! trailers, and kept in a disposable cache (`<store>/redline-histories.json`,
//! keyed by commit id; the `cache` submodule) so commands read only the
//! commits made since it was written.

mod cache;
mod history;
mod message;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use git2::{
    ErrorCode, FileMode, ObjectType, Oid, Repository, RepositoryInitOptions, RepositoryOpenFlags,
    Signature,
};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Document, Snapshot, UpdateKind, Version, VersionRef};
use crate::slug::Slug;

use history::{Histories, MAIN_REF};

/// How often a writer re-reads `main` and tries again after losing a race to
/// another writer before giving up (nothing is written when it gives up).
const MAX_WRITE_ATTEMPTS: u32 = 1000;

/// How long a writer waits for another writer's lock on `main` before it
/// reports the lock (a writer holds it for milliseconds; longer means a crash).
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// An open redline store.
///
/// Holds an open repository: `Send` but not `Sync`, so a server opens one per
/// worker (or uses it inside `spawn_blocking`); any number of `Store`s, in any
/// number of processes, may write to the same path concurrently.
pub struct Store {
    path: PathBuf,
    repo: Repository,
    /// The histories as of the last `main` tip this handle read, so repeated
    /// queries (a site build, a server) replay only what is new.
    memo: RefCell<Option<(Oid, Arc<Histories>)>>,
    /// The commit the on-disk cache is known to describe, so the cache is
    /// rewritten only when this handle knows more (see `Drop`).
    cached_tip: Cell<Option<Oid>>,
    /// Titles read so far (and from the cache), and whether any is new.
    titles: RefCell<cache::Titles>,
    titles_changed: Cell<bool>,
}

/// Replaying more commits than this writes the cache at once rather than when
/// the handle is dropped, so a long-lived handle (a server) keeps it fresh.
const SAVE_AFTER_REPLAYING: usize = 64;

impl Drop for Store {
    /// Leave the cache describing the newest histories this handle computed:
    /// one write per process even when it committed thousands of versions.
    fn drop(&mut self) {
        if let Some((tip, histories)) = self.memo.get_mut() {
            if self.cached_tip.get() != Some(*tip) || self.titles_changed.get() {
                cache::save(&self.repo, *tip, histories, self.titles.get_mut());
            }
        }
    }
}

/// What an editor asks to record with an update.
#[derive(Debug, Clone)]
pub struct UpdateRequest {
    /// Editor name (commit author).
    pub editor: String,
    /// Updated time (commit author date; git keeps whole seconds).
    pub updated: DateTime<FixedOffset>,
    /// Public change note (commit message).
    pub note: String,
    /// Major or minor (trailer `Redline-Change`).
    pub kind: UpdateKind,
    /// The version the editor started from; `None` applies to the current head.
    pub expect: Option<VersionRef>,
}

/// Result of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitOutcome {
    /// A new version was written.
    Committed(Version),
    /// The content equals the head version: nothing was written.
    Unchanged(Version),
}

/// One line of `redline list`.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainerEntry {
    /// The explainer.
    pub slug: Slug,
    /// Title of the newest version.
    pub title: String,
    /// How many versions.
    pub versions: usize,
    /// The newest version.
    pub latest: Version,
}

/// `v3 (abc1234)`: how conflicts name versions.
fn describe(version: &Version) -> String {
    format!("{} ({})", version.label(), version.short_id())
}

/// The refusal a stale writer gets.
fn conflict(slug: &Slug, expected: &Version, newer: &str) -> Error {
    Error::Conflict {
        slug: slug.to_string(),
        expected: describe(expected),
        newer: newer.to_string(),
    }
}

/// `v1–v4` or `v1`.
fn range_label(count: usize) -> String {
    if count == 1 {
        "v1".to_string()
    } else {
        format!("v1–v{count}")
    }
}

/// Resolve a version reference against one explainer's history (oldest first).
fn resolve_in(slug: &Slug, history: &[Version], reference: &VersionRef) -> Result<Version> {
    let Some(latest) = history.last() else {
        return Err(Error::UnknownExplainer(slug.to_string()));
    };
    let count = history.len();
    let plural = if count == 1 { "version" } else { "versions" };
    match reference {
        VersionRef::Latest => Ok(latest.clone()),
        VersionRef::Number(n) => n
            .checked_sub(1)
            .and_then(|i| history.get(i))
            .cloned()
            .ok_or_else(|| {
                Error::Version(format!(
                    "{slug} has {count} {plural} ({}); there is no v{n}",
                    range_label(count)
                ))
            }),
        VersionRef::Commit(prefix) => {
            let prefix = prefix.trim().to_ascii_lowercase();
            if prefix.is_empty() {
                return Err(Error::Version(format!("empty commit id given for {slug}")));
            }
            let matches: Vec<&Version> = history
                .iter()
                .filter(|v| v.id.starts_with(&prefix))
                .collect();
            match matches.as_slice() {
                [one] => Ok((*one).clone()),
                [] => Err(Error::Version(format!(
                    "no version of {slug} has a commit id starting with {prefix} (it has {count} {plural}, {}; see `redline log {slug}`)",
                    range_label(count)
                ))),
                many => Err(Error::Version(format!(
                    "commit id {prefix} is ambiguous for {slug}: it matches {}; give more digits",
                    many.iter().map(|v| describe(v)).collect::<Vec<_>>().join(", ")
                ))),
            }
        }
        VersionRef::At(time) => history
            .iter()
            .rev()
            .find(|v| v.updated <= *time)
            .cloned()
            .ok_or_else(|| {
                let first = history.first().unwrap_or(latest);
                Error::Version(format!(
                    "{slug} has no version at or before {}: its first version, v1, is from {}",
                    time.to_rfc3339(),
                    first.updated.to_rfc3339()
                ))
            }),
    }
}

impl Store {
    /// Create a new bare store (HEAD -> refs/heads/main). Refuses a path that
    /// exists and is not an empty directory, so it never adopts or clobbers data.
    pub fn init(path: &Path) -> Result<Store> {
        if path.exists() {
            let empty_dir = path.is_dir()
                && std::fs::read_dir(path)
                    .map_err(|e| Error::io(path, e))?
                    .next()
                    .is_none();
            if !empty_dir {
                return Err(Error::io(
                    path,
                    std::io::Error::new(
                        std::io::ErrorKind::AlreadyExists,
                        "already exists and is not an empty directory; refusing to create a store there",
                    ),
                ));
            }
        }
        let mut options = RepositoryInitOptions::new();
        options.bare(true).initial_head("main").mkpath(true);
        let repo = Repository::init_opts(path, &options).map_err(|e| {
            Error::Git(format!(
                "cannot create a store at {}: {}",
                path.display(),
                e.message()
            ))
        })?;
        Ok(Store::with_repo(path, repo))
    }

    /// Open an existing store; `Error::MissingStore` if absent.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.is_dir() {
            return Err(Error::MissingStore(path.to_path_buf()));
        }
        // NO_SEARCH: a path inside some other repository must not open that repository.
        let repo = Repository::open_ext(
            path,
            RepositoryOpenFlags::NO_SEARCH,
            std::iter::empty::<&str>(),
        )
        .map_err(|_| Error::MissingStore(path.to_path_buf()))?;
        Ok(Store::with_repo(path, repo))
    }

    /// Store path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Commit a new version of `slug` (compare-and-swap on the ref).
    ///
    /// With `request.expect`, the write is refused with [`Error::Conflict`] when
    /// that version is no longer the explainer's newest. A document equal to
    /// the newest version (same body and facts; a different `updated` time
    /// alone is not a change readers could see) writes nothing and returns
    /// [`CommitOutcome::Unchanged`].
    pub fn commit(
        &self,
        slug: &Slug,
        document: &Document,
        request: &UpdateRequest,
    ) -> Result<CommitOutcome> {
        let same_content = |head_text: &str| {
            crate::ingest::parse_stored_parts(Path::new(&slug.store_path()), head_text)
                .is_ok_and(|(meta, body)| meta.same_content(&body, &document.meta, &document.body))
        };
        self.write(
            slug,
            &crate::ingest::stored_text(document),
            request,
            &same_content,
        )
    }

    /// All explainers, sorted by slug.
    pub fn explainers(&self) -> Result<Vec<ExplainerEntry>> {
        let (_, histories) = self.current()?;
        let mut entries = Vec::new();
        for (slug, versions) in histories.iter() {
            let Some(latest) = versions.last().cloned() else {
                continue;
            };
            let title = self.title(slug, &latest)?;
            entries.push(ExplainerEntry {
                slug: slug.clone(),
                title,
                versions: versions.len(),
                latest,
            });
        }
        Ok(entries)
    }

    /// Every explainer's versions (oldest first), from one walk of `main`:
    /// what listings and the site build use instead of one walk per explainer.
    pub fn histories(&self) -> Result<BTreeMap<Slug, Vec<Version>>> {
        Ok(self.current()?.1.as_ref().clone())
    }

    /// The explainer's versions, oldest first (v1..vN).
    pub fn history(&self, slug: &Slug) -> Result<Vec<Version>> {
        self.current()?
            .1
            .get(slug)
            .cloned()
            .ok_or_else(|| Error::UnknownExplainer(slug.to_string()))
    }

    /// Resolve a version reference against a history.
    pub fn resolve(&self, slug: &Slug, reference: &VersionRef) -> Result<Version> {
        resolve_in(slug, &self.history(slug)?, reference)
    }

    /// Read one version's document, found through its commit.
    pub fn document(&self, slug: &Slug, version: &Version) -> Result<Document> {
        let text = self.text(slug, version)?;
        parse_version(slug, version, &text)
    }

    /// Read one version's document, where `version` is one of `slug`'s history
    /// as this store gave it out (see [`Store::text_from_history`]).
    pub(crate) fn document_from_history(&self, slug: &Slug, version: &Version) -> Result<Document> {
        let text = self.text_from_history(slug, version)?;
        parse_version(slug, version, &text)
    }

    /// The stored file of a version of `slug`'s history as this store gave it
    /// out: one object read through the blob id the history walk recorded,
    /// where [`Store::text`] reads four (commit, root tree, folder, blob) and
    /// checks the commit holds the file. A long `since` window or a site build
    /// reads hundreds of versions. Not for versions from elsewhere: the blob id
    /// is trusted.
    pub(crate) fn text_from_history(&self, slug: &Slug, version: &Version) -> Result<String> {
        match Oid::from_str(&version.blob) {
            Ok(oid) => {
                let blob = self.repo.find_blob(oid).map_err(|_| {
                    Error::Version(format!(
                        "{slug} has no stored file with blob id {}",
                        version.blob
                    ))
                })?;
                utf8_file(slug, version, blob.content())
            }
            Err(_) => self.text(slug, version),
        }
    }

    /// The stored file of one version exactly as committed (front matter and
    /// body), found through the version's commit.
    pub fn text(&self, slug: &Slug, version: &Version) -> Result<String> {
        let unknown = || {
            Error::Version(format!(
                "{slug} has no version with commit id {}",
                version.id
            ))
        };
        let oid = Oid::from_str(&version.id).map_err(|_| unknown())?;
        let commit = self.repo.find_commit(oid).map_err(|_| unknown())?;
        let tree = commit.tree()?;
        let entry = tree.get_path(Path::new(&slug.store_path())).map_err(|_| {
            Error::Version(format!(
                "{slug} does not exist at commit {}",
                version.short_id()
            ))
        })?;
        if entry.kind() != Some(ObjectType::Blob) {
            return Err(Error::Version(format!(
                "{} at commit {} is not a file",
                slug.store_path(),
                version.short_id()
            )));
        }
        let blob = self.repo.find_blob(entry.id())?;
        utf8_file(slug, version, blob.content())
    }

    /// The commit id `main` points at, `None` while the store is empty: what a
    /// bulk writer notes before writing, to [`Store::pack`] only what it added.
    pub fn tip(&self) -> Result<Option<String>> {
        Ok(history::main_tip(&self.repo)?.map(|oid| oid.to_string()))
    }

    /// Write the objects reachable from `main` but not from commit `after`
    /// (all of them when `None`) into one pack file, as `git gc` would but
    /// without removing the loose copies (plain `git gc` prunes them later).
    /// Bulk imports leave thousands of loose objects, one file each; reading
    /// through a pack made a 1,000-version `since` about a third faster. Safe at
    /// any time: libgit2 writes the pack and its index under temporary names and
    /// renames them into place, and objects already stored are never touched,
    /// so a failure leaves the store as it was.
    pub fn pack(&self, after: Option<&str>) -> Result<()> {
        let Some(tip) = history::main_tip(&self.repo)? else {
            return Ok(());
        };
        let mut walk = self.repo.revwalk()?;
        walk.push(tip)?;
        if let Some(after) = after {
            let after = Oid::from_str(after)
                .map_err(|_| Error::Version(format!("{after:?} is not a commit id")))?;
            walk.hide(after)?;
        }
        let mut builder = self.repo.packbuilder()?;
        // 0 = one thread per core.
        builder.set_threads(0);
        builder.insert_walk(&mut walk)?;
        builder
            .write(&self.repo.path().join("objects").join("pack"), 0)
            .map_err(|e| {
                Error::Git(format!(
                    "could not pack {}: {}; every version is stored, and `git gc` packs it later",
                    self.path.display(),
                    e.message()
                ))
            })
    }

    /// Resolve and read.
    pub fn snapshot(&self, slug: &Slug, reference: &VersionRef) -> Result<Snapshot> {
        let version = self.resolve(slug, reference)?;
        let document = self.document_from_history(slug, &version)?;
        Ok(Snapshot {
            slug: slug.clone(),
            version,
            document,
        })
    }

    /// The title of one version, from the titles already known or its front matter.
    fn title(&self, slug: &Slug, version: &Version) -> Result<String> {
        if let Some((id, title)) = self.titles.borrow().get(slug) {
            if *id == version.id {
                return Ok(title.clone());
            }
        }
        // Only the title is needed: the front matter, not the outline.
        let text = self.text_from_history(slug, version)?;
        let name = format!("{}@{}", slug.store_path(), version.short_id());
        let title = crate::ingest::parse_stored_parts(Path::new(&name), &text)?
            .0
            .title;
        self.titles
            .borrow_mut()
            .insert(slug.clone(), (version.id.clone(), title.clone()));
        self.titles_changed.set(true);
        Ok(title)
    }

    fn with_repo(path: &Path, repo: Repository) -> Store {
        // Like git itself (which checks object hashes in fsck, not on every
        // read), do not re-hash each object read: SHA-1 with collision
        // detection was a fifth of a long `since` window. Process-wide, once.
        static READ_WITHOUT_REHASHING: std::sync::Once = std::sync::Once::new();
        READ_WITHOUT_REHASHING.call_once(|| git2::opts::strict_hash_verification(false));
        Store {
            path: path.to_path_buf(),
            repo,
            memo: RefCell::new(None),
            cached_tip: Cell::new(None),
            titles: RefCell::new(cache::Titles::new()),
            titles_changed: Cell::new(false),
        }
    }

    /// The current `main` tip and every history as of it.
    fn current(&self) -> Result<(Option<Oid>, Arc<Histories>)> {
        match history::main_tip(&self.repo)? {
            Some(tip) => Ok((Some(tip), self.histories_as_of(tip)?)),
            None => Ok((None, Arc::default())),
        }
    }

    /// Every history as of commit `tip`: from this handle's memo, else replayed
    /// from the memo or the on-disk cache (only commits since), else from scratch.
    fn histories_as_of(&self, tip: Oid) -> Result<Arc<Histories>> {
        if let Some((memo_tip, histories)) = self.memo.borrow().as_ref() {
            if *memo_tip == tip {
                return Ok(Arc::clone(histories));
            }
        }
        let memo = self.memo.borrow_mut().take();
        let base = match memo {
            Some((memo_tip, histories)) => Some((memo_tip, Arc::unwrap_or_clone(histories))),
            None => {
                let loaded = cache::load(&self.repo);
                self.cached_tip.set(loaded.as_ref().map(|(id, _, _)| *id));
                loaded.map(|(id, histories, titles)| {
                    self.titles.replace(titles);
                    (id, histories)
                })
            }
        };
        let (histories, replayed) = history::histories_at(&self.repo, tip, base)?;
        if replayed > SAVE_AFTER_REPLAYING {
            cache::save(&self.repo, tip, &histories, &self.titles.borrow());
            self.cached_tip.set(Some(tip));
            self.titles_changed.set(false);
        }
        let histories = Arc::new(histories);
        *self.memo.borrow_mut() = Some((tip, Arc::clone(&histories)));
        Ok(histories)
    }

    /// [`Store::commit`] of a raw stored text (unchanged only if byte-equal).
    #[cfg(test)]
    pub(crate) fn commit_text(
        &self,
        slug: &Slug,
        text: &str,
        request: &UpdateRequest,
    ) -> Result<CommitOutcome> {
        self.write(slug, text, request, &|_| false)
    }

    /// Record `text` as the new content of `explainers/<slug>.md`: blob, tree
    /// and commit are written off-branch, then `main` is moved by
    /// compare-and-swap; a lost race is retried on the new `main` unless this
    /// explainer itself moved past the expected version. `same_content` says
    /// whether a differing head text is nonetheless the same update.
    fn write(
        &self,
        slug: &Slug,
        text: &str,
        request: &UpdateRequest,
        same_content: &dyn Fn(&str) -> bool,
    ) -> Result<CommitOutcome> {
        if let Some(problem) = message::editor_problem(&request.editor) {
            return Err(Error::input(
                slug.store_path(),
                format!("cannot record an update by {:?}: {problem}", request.editor),
            ));
        }
        if request.note.contains('\0') {
            return Err(Error::input(
                slug.store_path(),
                "the change note contains a NUL character",
            ));
        }
        if let Err(problem) = crate::time_range::check_storable(&request.updated) {
            return Err(Error::input(
                slug.store_path(),
                format!("updated {problem}"),
            ));
        }
        let editor = request.editor.trim();
        let author = Signature::new(
            &message::author_name(editor),
            &message::editor_email(editor),
            &message::time_to_git(&request.updated),
        )?;
        let commit_message = message::compose(&request.note, request.kind, slug, editor);
        let new_blob = Oid::hash_object(ObjectType::Blob, text.as_bytes())?;
        let mut blob_written = false;
        // The expected version, resolved once: after a lost race `Latest` must
        // still mean the version the writer saw, not the new head.
        let mut expected: Option<Version> = None;

        for _ in 0..MAX_WRITE_ATTEMPTS {
            let (tip, histories) = self.current()?;
            let versions: &[Version] = histories.get(slug).map_or(&[], Vec::as_slice);
            let head = versions.last();
            if let Some(reference) = &request.expect {
                let want = match &expected {
                    Some(v) => v.clone(),
                    None => {
                        let v = resolve_in(slug, versions, reference)?;
                        expected = Some(v.clone());
                        v
                    }
                };
                match head {
                    Some(h) if h.id == want.id => {}
                    Some(h) => return Err(conflict(slug, &want, &describe(h))),
                    None => {
                        return Err(conflict(
                            slug,
                            &want,
                            "no version (it was removed from the store)",
                        ))
                    }
                }
            }

            let tip_commit = tip.map(|t| self.repo.find_commit(t)).transpose()?;
            let base_tree = match &tip_commit {
                Some(c) => c.tree()?,
                None => {
                    let empty = self.repo.treebuilder(None)?.write()?;
                    self.repo.find_tree(empty)?
                }
            };
            if let Some(h) = head {
                let current = base_tree
                    .get_path(Path::new(&slug.store_path()))
                    .ok()
                    .map(|e| e.id());
                if current == Some(new_blob) {
                    return Ok(CommitOutcome::Unchanged(h.clone()));
                }
                if let Some(id) = current {
                    let blob = self.repo.find_blob(id)?;
                    if std::str::from_utf8(blob.content()).is_ok_and(same_content) {
                        return Ok(CommitOutcome::Unchanged(h.clone()));
                    }
                }
            }

            if !blob_written {
                self.repo.blob(text.as_bytes())?;
                blob_written = true;
            }
            let tree_id = git2::build::TreeUpdateBuilder::new()
                .upsert(slug.store_path(), new_blob, FileMode::Blob)
                .create_updated(&self.repo, &base_tree)?;
            let tree = self.repo.find_tree(tree_id)?;
            let committer = Signature::now(message::COMMITTER_NAME, message::COMMITTER_EMAIL)?;
            let parents: Vec<&git2::Commit<'_>> = tip_commit.iter().collect();
            let new_id =
                self.repo
                    .commit(None, &author, &committer, &commit_message, &tree, &parents)?;

            // Zero as the old value means "only if main does not exist yet".
            let old = tip.unwrap_or(Oid::ZERO_SHA1);
            let number = versions.len() + 1;
            let reflog = format!("redline: {slug} v{number}");
            // Release this view so the replay below extends it in place instead of copying it.
            drop(histories);
            match self.move_main(new_id, old, &reflog) {
                Ok(true) => {
                    // Replays just the new commit on top of `tip`, and refreshes the cache.
                    let after = self.histories_as_of(new_id)?;
                    let version = match after.get(slug).and_then(|v| v.last()) {
                        Some(v) => v.clone(),
                        None => {
                            history::version_from_commit(&self.repo.find_commit(new_id)?, number)
                        }
                    };
                    return Ok(CommitOutcome::Committed(version));
                }
                // Another writer moved main first: re-read it and try again.
                Ok(false) => {}
                Err(e) => return Err(self.write_error(slug, e)),
            }
        }
        Err(Error::Git(format!(
            "could not record {slug}: other writers moved {MAIN_REF} first {MAX_WRITE_ATTEMPTS} times in a row; nothing was written"
        )))
    }

    /// Move `main` from `old` to `new` if nobody else moved it: `Ok(false)`
    /// when another writer did (or created it first). A lock held by another
    /// writer is waited for (up to [`LOCK_WAIT`]), since the ref may still be `old`.
    fn move_main(
        &self,
        new: Oid,
        old: Oid,
        reflog: &str,
    ) -> std::result::Result<bool, git2::Error> {
        let deadline = Instant::now() + LOCK_WAIT;
        let mut pause = Duration::from_micros(200);
        loop {
            match self
                .repo
                .reference_matching(MAIN_REF, new, true, old, reflog)
            {
                Ok(_) => return Ok(true),
                Err(e) if matches!(e.code(), ErrorCode::Modified | ErrorCode::Exists) => {
                    return Ok(false)
                }
                Err(e) if e.code() == ErrorCode::Locked && Instant::now() < deadline => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// A failed ref update as one line that says what to do.
    fn write_error(&self, slug: &Slug, e: git2::Error) -> Error {
        if e.code() == ErrorCode::Locked {
            Error::Git(format!(
                "could not record {slug}: {} has been locked for over {} s by another writer, or is left over from one that crashed (if no redline is running, delete it); nothing was written",
                self.path.join(MAIN_REF).with_extension("lock").display(),
                LOCK_WAIT.as_secs()
            ))
        } else {
            Error::Git(format!(
                "could not record {slug}: moving {MAIN_REF} failed: {}; nothing was written",
                e.message()
            ))
        }
    }
}

/// Parse a stored file read back, naming it `<path>@<short id>` in errors.
fn parse_version(slug: &Slug, version: &Version, text: &str) -> Result<Document> {
    let name = format!("{}@{}", slug.store_path(), version.short_id());
    crate::ingest::parse_stored(Path::new(&name), text)
}

/// A stored file's bytes as text, or an error naming the file and version.
fn utf8_file(slug: &Slug, version: &Version, bytes: &[u8]) -> Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        Error::input(
            format!("{}@{}", slug.store_path(), version.short_id()),
            "stored file is not valid UTF-8",
        )
    })
}

#[cfg(test)]
mod tests;
