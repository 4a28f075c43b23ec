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
//! A store is recognisable: `init` sets the git config key `redline.store`
//! (see [`Store::open`] for stores made before it existed), and anything else
//! is refused rather than written into. Writers take the store's writers' lock
//! (the `lock` submodule) around each move of `main`, so a lock file left by a
//! killed writer is recovered and a live writer's is never broken.
//!
//! Time order: an update older than the explainer's newest version is refused
//! unless the writer asks for it ([`TimeOrder::Backdate`]); see
//! [`Store::updated_for_commit`] for the `show` → edit → `commit` loop.
//!
//! Histories are derived from the trees (the `history` submodule), never from
//! trailers, and kept in a disposable cache (`<store>/redline-histories.json`,
//! keyed by commit id; the `cache` submodule) so commands read only the
//! commits made since it was written.
//!
//! Reads for `since` are answered in one call ([`Store::window`]: the
//! versions of a window, its base and head documents and the sentence
//! timeline, cached in `<store>/redline-timeline/`); [`current_at`] is the
//! one place "the version current at time T" is decided. A bulk write
//! (import) stores its objects as one pack of its own making (`packfile`).

mod cache;
mod history;
mod lock;
mod message;
mod objects;
mod pack;
mod packfile;
mod window;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use git2::{
    ErrorCode, FileMode, ObjectType, Oid, Repository, RepositoryInitOptions, RepositoryOpenFlags,
    Signature,
};
use serde::Serialize;

use crate::error::{ConflictBase, Error, Newest, Result};
use crate::model::{Document, Snapshot, UpdateKind, Version, VersionRef};
use crate::slug::Slug;

use history::{Histories, MAIN_REF};
pub use window::{window_bounds, Window};

/// The git config key `init` sets to mark a repository as a redline store.
const MARKER_KEY: &str = "redline.store";

/// How often a writer re-reads `main` and tries again after losing a race to
/// another writer before giving up (nothing is written when it gives up).
const MAX_WRITE_ATTEMPTS: u32 = 1000;

/// How long a writer waits for another writer's lock on `main` before it
/// reports the lock (a writer holds it for milliseconds; longer means a crash).
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// How old a `main.lock` left by a killed redline must be before it is removed
/// (see [`Store::remove_stale_main_lock`]).
const STALE_LOCK_AGE: Duration = Duration::from_secs(1);

/// An open redline store.
///
/// `Send + Sync`, so one `Arc<Store>` serves every thread of a server: git
/// work runs on repository handles from a small pool (git2's `Repository` is
/// not `Sync`; a handle is opened when every pooled one is in use), and the
/// history memo sits behind a lock. Any number of `Store`s, in any number of
/// processes, may write to the same path concurrently.
///
/// The history cache file is written by the operations that bring it up to
/// date (a read that replayed new commits, a listing that read new titles,
/// a commit), never on drop; [`Store::save_cache`] writes it on demand.
pub struct Store {
    path: PathBuf,
    /// The git directory, for opening more handles and for lock files.
    git_dir: PathBuf,
    /// Open repositories not in use (see [`RepoHandle`]).
    repos: Mutex<Vec<Repository>>,
    /// What this handle knows about histories and titles.
    memo: Mutex<Memo>,
    /// Things done on the user's behalf worth telling them (a recovered lock).
    notices: Mutex<Vec<String>>,
}

// `Store` is shared between a server's threads as `Arc<Store>`.
const _: fn() = || {
    fn assert<T: Send + Sync>() {}
    assert::<crate::store::Store>();
};

/// The histories as of the last `main` tip a store handle read, so repeated
/// queries (a site build, a server) replay only what is new.
#[derive(Default)]
struct Memo {
    histories: Option<(Oid, Arc<Histories>)>,
    /// The commit the on-disk cache is known to describe, so the cache is
    /// rewritten only when this handle knows more.
    cached_tip: Option<Oid>,
    /// Titles read so far (and from the cache), and whether any is new.
    titles: cache::Titles,
    titles_changed: bool,
}

impl Memo {
    /// Write the cache if this memo knows more than the file says.
    fn save_if_newer(&mut self, repo: &Repository) {
        if let Some((tip, histories)) = &self.histories {
            if self.cached_tip != Some(*tip) || self.titles_changed {
                cache::save(repo, *tip, histories, &self.titles);
                self.cached_tip = Some(*tip);
                self.titles_changed = false;
            }
        }
    }
}

/// Repository handles a store keeps for reuse (more are opened while needed).
const POOLED_REPOS: usize = 16;

/// A repository from a store's pool, returned to it when dropped.
struct RepoHandle<'a> {
    pool: &'a Mutex<Vec<Repository>>,
    repo: Option<Repository>,
}

impl std::ops::Deref for RepoHandle<'_> {
    type Target = Repository;
    fn deref(&self) -> &Repository {
        // Always `Some` until dropped.
        self.repo.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for RepoHandle<'_> {
    fn drop(&mut self) {
        if let Some(repo) = self.repo.take() {
            let mut pool = lock(self.pool);
            // Bounded: a burst of concurrent requests leaves no crowd of handles.
            if pool.len() < POOLED_REPOS {
                pool.push(repo);
            }
        }
    }
}

/// A lock whose holder panicked is still usable: the memo and the pool are
/// caches, consistent after every statement.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether an update may be older than the explainer's newest version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeOrder {
    /// Refuse an `updated` older than the newest version's ([`Error::TimeBackwards`]).
    #[default]
    Append,
    /// Record it anyway, after the newest version (`--backdate`).
    Backdate,
}

/// One version of an explainer that could not be read (a malformed file
/// committed with plain git): reported, while the other explainers are served.
#[derive(Debug, Clone, Serialize)]
pub struct Unreadable {
    /// The explainer.
    pub slug: Slug,
    /// The version.
    pub version: Version,
    /// Why it cannot be read.
    pub reason: String,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} ({}): {}",
            self.slug.store_path(),
            self.version.label(),
            self.version.short_id(),
            self.reason
        )
    }
}

/// What `redline verify` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    /// Explainers on `main`.
    pub explainers: usize,
    /// Versions checked.
    pub versions: usize,
    /// Where the history cache disagreed with git (all repaired: the cache is rebuilt).
    pub differences: Vec<String>,
    /// Versions whose stored file cannot be read (or whose object is damaged).
    pub unreadable: Vec<String>,
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

/// The note to record: readers are told about a major update by its note, so
/// one without a note (or with only spaces) is refused; a minor one may go without.
pub fn change_note(note: Option<String>, kind: UpdateKind) -> Result<String> {
    let note = note.unwrap_or_default();
    if kind == UpdateKind::Major && note.trim().is_empty() {
        return Err(Error::bad_input("--note", "", 
            "a major update needs a change note for readers: give --note TEXT (or note = \"…\" in the file's [change] table), or --minor for a fix readers need not be told about".to_string(),
        ));
    }
    Ok(note)
}

/// The id git gives a stored file holding `text`.
pub(crate) fn blob_id(text: &[u8]) -> Result<Oid> {
    objects::object_id(ObjectType::Blob, text).map_err(Error::git)
}

/// An editor and change note a commit can carry (a single write and a bulk
/// append check the same), or an error naming the explainer's file.
fn check_recordable(slug: &Slug, editor: &str, note: &str) -> Result<()> {
    if let Some(problem) = message::editor_problem(editor) {
        return Err(Error::input(
            slug.store_path(),
            format!("cannot record an update by {editor:?}: {problem}"),
        ));
    }
    if note.contains('\0') {
        return Err(Error::input(
            slug.store_path(),
            "the change note contains a NUL character",
        ));
    }
    Ok(())
}

/// One version of a bulk append ([`Store::append_batch`]).
pub(crate) struct BatchVersion<'a> {
    pub slug: &'a Slug,
    /// The stored file.
    pub text: &'a str,
    /// Its blob id ([`blob_id`]).
    pub blob: Oid,
    pub editor: &'a str,
    pub updated: DateTime<FixedOffset>,
    pub note: &'a str,
    pub kind: UpdateKind,
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
fn conflict(slug: &Slug, expected: &Version, newer: Newest) -> Error {
    Error::Conflict {
        slug: slug.to_string(),
        expected: ConflictBase::Version(Box::new(expected.clone())),
        newer,
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

/// [`resolve_in`] for tests elsewhere in the crate (error kinds).
#[cfg(test)]
pub(crate) fn resolve_for_tests(
    slug: &Slug,
    history: &[Version],
    reference: &VersionRef,
) -> Result<Version> {
    resolve_in(slug, history, reference)
}

/// Resolve a version reference against one explainer's history (oldest first).
fn resolve_in(slug: &Slug, history: &[Version], reference: &VersionRef) -> Result<Version> {
    let at = position_in(slug, history, reference)?;
    history
        .get(at)
        .cloned()
        .ok_or_else(|| Error::UnknownExplainer(slug.to_string()))
}

/// The index of the version current at `time` in a history (oldest first):
/// the newest version whose `updated` is not after it; `None` before the
/// first. The one place "the version at time T" is decided (resolving
/// references, `since` windows, the site's day pages, import's repeat check).
/// A linear scan from the newest, not a binary search: a backdated update
/// (`--backdate`) can leave times out of order.
pub fn current_at(history: &[Version], time: &DateTime<FixedOffset>) -> Option<usize> {
    history.iter().rposition(|v| v.updated <= *time)
}

/// The index in `history` (oldest first) of the version `reference` names;
/// errors name what the history holds.
fn position_in(slug: &Slug, history: &[Version], reference: &VersionRef) -> Result<usize> {
    let Some(latest) = history.last() else {
        return Err(Error::UnknownExplainer(slug.to_string()));
    };
    let count = history.len();
    let plural = if count == 1 { "version" } else { "versions" };
    match reference {
        VersionRef::Latest => Ok(count - 1),
        VersionRef::Number(n) => n.checked_sub(1).filter(|i| *i < count).ok_or_else(|| {
            Error::no_such_version(
                slug,
                reference,
                format!(
                    "{slug} has {count} {plural} ({}); there is no v{n}",
                    range_label(count)
                ),
            )
        }),
        VersionRef::Commit(prefix) => {
            let prefix = prefix.trim().to_ascii_lowercase();
            if prefix.is_empty() {
                return Err(Error::bad_input(
                    "version",
                    "",
                    format!("empty commit id given for {slug}"),
                ));
            }
            let matches: Vec<(usize, &Version)> = history
                .iter()
                .enumerate()
                .filter(|(_, v)| v.id.starts_with(&prefix))
                .collect();
            match matches.as_slice() {
                [(one, _)] => Ok(*one),
                [] => Err(Error::no_such_version(slug, reference, format!(
                    "no version of {slug} has a commit id starting with {prefix} (it has {count} {plural}, {}; see `redline log {slug}`)",
                    range_label(count)
                ))),
                many => Err(Error::bad_input("version", prefix.as_str(), format!(
                    "commit id {prefix} is ambiguous for {slug}: it matches {}; give more digits",
                    many.iter().map(|(_, v)| describe(v)).collect::<Vec<_>>().join(", ")
                ))),
            }
        }
        VersionRef::At(time) => current_at(history, time).ok_or_else(|| {
            let first = history.first().unwrap_or(latest);
            Error::no_such_version(
                slug,
                reference,
                format!(
                    "{slug} has no version at or before {}: its first version, v1, is from {}",
                    time.to_rfc3339(),
                    first.updated.to_rfc3339()
                ),
            )
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
            Error::git_write(&format!("cannot create a store at {}", path.display()), &e)
        })?;
        mark(&repo, path)?;
        Ok(Store::with_repo(path, repo))
    }

    /// Make an existing bare git repository a store, deliberately: sets the
    /// marker [`Store::open`] looks for. Versions are then committed on its
    /// `refs/heads/main`, on top of whatever that branch holds (other files are
    /// kept). A repository with a work tree is refused: redline writes commits
    /// without updating any work tree or index.
    pub fn adopt(path: &Path) -> Result<Store> {
        let repo = open_repo(path)?;
        if !repo.is_bare() {
            return Err(Error::NotAStore {
                path: path.to_path_buf(),
                reason: "it has a work tree, which redline would leave out of date; adopt a bare clone instead (`git clone --bare`)".into(),
            });
        }
        mark(&repo, path)?;
        Ok(Store::with_repo(path, repo))
    }

    /// Open an existing store; `Error::MissingStore` if absent,
    /// `Error::NotAStore` for a git repository redline did not make.
    ///
    /// A store is recognised by the `redline.store` config key. Stores made
    /// before the key existed are recognised by their shape (bare, and `main`
    /// unborn or holding nothing but `explainers/`) and get the key on the way.
    pub fn open(path: &Path) -> Result<Store> {
        let repo = open_repo(path)?;
        if repo
            .config()
            .and_then(|c| c.get_bool(MARKER_KEY))
            .unwrap_or(false)
        {
            return Ok(Store::with_repo(path, repo));
        }
        if !repo.is_bare() {
            return Err(Error::NotAStore {
                path: path.to_path_buf(),
                reason: "it has a work tree, and redline stores are bare repositories made by `redline init`".into(),
            });
        }
        if let Some(reason) = foreign_shape(&repo)? {
            return Err(Error::NotAStore {
                path: path.to_path_buf(),
                reason,
            });
        }
        // Made by an older redline: mark it (best effort: a read-only mirror stays as it is).
        let _ = repo.config().and_then(|mut c| c.set_bool(MARKER_KEY, true));
        Ok(Store::with_repo(path, repo))
    }

    /// What this handle did on the user's behalf since last asked (for example
    /// a lock left by a killed writer that it removed), to be shown as notes.
    pub fn take_notices(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.notices))
    }

    /// The `updated` time to record for a commit, and a note when it is not
    /// the one the file gave. An explicit time (`--updated`) is used as given.
    /// A file whose `updated` equals the newest version's is, in practice, that
    /// version saved with `redline show` and edited: its time is the old
    /// version's, so the new version is recorded as `now` instead (and the note
    /// says so). Any other file time is used as given (an older one is then
    /// refused by the commit unless backdated). No time at all means `now`.
    pub fn updated_for_commit(
        &self,
        slug: &Slug,
        explicit: Option<DateTime<FixedOffset>>,
        from_file: Option<DateTime<FixedOffset>>,
        now: DateTime<FixedOffset>,
    ) -> Result<(DateTime<FixedOffset>, Option<String>)> {
        if let Some(t) = explicit {
            return Ok((t, None));
        }
        let Some(t) = from_file else {
            return Ok((now, None));
        };
        let newest = match self.history(slug) {
            Ok(history) => history.last().cloned(),
            Err(Error::UnknownExplainer(_)) => None,
            Err(e) => return Err(e),
        };
        match newest {
            Some(v) if v.updated == t => Ok((
                now,
                Some(format!(
                    "the file's updated time ({}) is {}'s own, so this version is recorded as updated now ({}); give --updated to choose another time",
                    t.to_rfc3339(),
                    describe(&v),
                    now.to_rfc3339()
                )),
            )),
            _ => Ok((t, None)),
        }
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
        self.commit_with(slug, document, request, TimeOrder::Append)
    }

    /// [`Store::commit`] of a new explainer: refused with [`Error::Conflict`]
    /// (from [`ConflictBase::Nothing`] to its newest version) when `slug` has a
    /// version by the time `main` moves, so two creations never stack.
    pub fn create(
        &self,
        slug: &Slug,
        document: &Document,
        request: &UpdateRequest,
    ) -> Result<CommitOutcome> {
        let same_content = |_: &str| false;
        let text = crate::ingest::stored_text(document);
        self.write_new(slug, &text, request, TimeOrder::Append, &same_content, true)
    }

    /// [`Store::commit`], saying whether an `updated` older than the newest
    /// version is refused ([`TimeOrder::Append`], what `commit` does) or recorded.
    pub fn commit_with(
        &self,
        slug: &Slug,
        document: &Document,
        request: &UpdateRequest,
        order: TimeOrder,
    ) -> Result<CommitOutcome> {
        let same_content = |head_text: &str| {
            crate::ingest::parse_stored_parts(Path::new(&slug.store_path()), head_text)
                .is_ok_and(|(meta, body)| meta.same_content(&body, &document.meta, &document.body))
        };
        self.write(
            slug,
            &crate::ingest::stored_text(document),
            request,
            order,
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
        // Titles read now go to the cache file, for the next listing.
        self.save_cache()?;
        Ok(entries)
    }

    /// [`Store::explainers`] for a reader that serves what it can: an
    /// explainer whose newest version cannot be read (a malformed file
    /// committed with plain git) is left out and reported, not an error for all.
    pub fn readable_explainers(&self) -> Result<(Vec<ExplainerEntry>, Vec<Unreadable>)> {
        let (_, histories) = self.current()?;
        let mut entries = Vec::new();
        let mut unreadable = Vec::new();
        for (slug, versions) in histories.iter() {
            let Some(latest) = versions.last().cloned() else {
                continue;
            };
            match self.title(slug, &latest) {
                Ok(title) => entries.push(ExplainerEntry {
                    slug: slug.clone(),
                    title,
                    versions: versions.len(),
                    latest,
                }),
                Err(e) => unreadable.push(Unreadable {
                    slug: slug.clone(),
                    version: latest,
                    reason: reason_of(&e),
                }),
            }
        }
        self.save_cache()?;
        Ok((entries, unreadable))
    }

    /// Check everything from git: replay every history from scratch, compare
    /// the history cache with it (the cache is then rewritten from the
    /// replay), re-hash every version's stored file and parse it. Differences
    /// are repaired (the cache is disposable); unreadable versions are listed.
    pub fn verify(&self) -> Result<VerifyReport> {
        let repo = self.repo()?;
        let mut report = VerifyReport::default();
        let Some(tip) = history::main_tip(&repo)? else {
            return Ok(report);
        };
        let (truth, _) = history::histories_at(&repo, tip, None)?;
        let mut titles = cache::Titles::new();
        match cache::load_unchecked(&repo) {
            Ok(None) => {}
            Err(why) => report
                .differences
                .push(format!("the cache file cannot be used: {why}")),
            Ok(Some((cached_tip, cached, cached_titles, signed))) => {
                if !signed {
                    report.differences.push(
                        "the cache file's checksum does not match its contents (edited outside redline)".into(),
                    );
                }
                // A cache for an older commit is normal: compare what it says
                // once brought up to date the way a reader would.
                let (replayed, _) = history::histories_at(&repo, tip, Some((cached_tip, cached)))?;
                report
                    .differences
                    .extend(history_differences(&replayed, &truth));
                titles = cached_titles;
            }
        }
        // Titles: the cached ones are checked against each newest version's file.
        let cached_titles = std::mem::take(&mut titles);
        for (slug, versions) in &truth {
            report.explainers += 1;
            for version in versions {
                report.versions += 1;
                if let Err(why) = self.check_version(slug, version) {
                    report.unreadable.push(
                        Unreadable {
                            slug: slug.clone(),
                            version: version.clone(),
                            reason: why,
                        }
                        .to_string(),
                    );
                }
            }
            if let (Some(latest), Some((id, title))) = (versions.last(), cached_titles.get(slug)) {
                if *id == latest.id {
                    let name = format!("{}@{}", slug.store_path(), latest.short_id());
                    let actual = self
                        .text_from_history(slug, latest)
                        .and_then(|text| crate::ingest::parse_stored_parts(Path::new(&name), &text))
                        .map(|(meta, _)| meta.title);
                    match actual {
                        Ok(actual) if actual == *title => {
                            titles.insert(slug.clone(), (id.clone(), actual));
                        }
                        Ok(actual) => report.differences.push(format!(
                            "{slug}: cache says the title is {title:?}, the file says {actual:?}"
                        )),
                        Err(_) => {}
                    }
                }
            }
        }
        cache::save(&repo, tip, &truth, &titles);
        *lock(&self.memo) = Memo {
            histories: Some((tip, Arc::new(truth))),
            cached_tip: Some(tip),
            titles,
            titles_changed: false,
        };
        Ok(report)
    }

    /// Re-hash one version's stored file and parse it.
    fn check_version(&self, slug: &Slug, version: &Version) -> std::result::Result<(), String> {
        let repo = self.repo().map_err(|e| e.to_string())?;
        let oid = Oid::from_str(&version.blob).map_err(|_| "no blob id".to_string())?;
        let blob = repo
            .find_blob(oid)
            .map_err(|e| format!("its file cannot be read: {}", e.message()))?;
        let rehashed = Oid::hash_object(ObjectType::Blob, blob.content())
            .map_err(|e| e.message().to_string())?;
        if rehashed != oid {
            return Err(format!(
                "its file's object is damaged (it hashes to {rehashed})"
            ));
        }
        let text = utf8_file(slug, version, blob.content()).map_err(|e| reason_of(&e))?;
        parse_version(slug, version, &text).map_err(|e| reason_of(&e))?;
        Ok(())
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

    /// [`Store::document_from_history`] without the outline: facts and body.
    pub(crate) fn parts_from_history(
        &self,
        slug: &Slug,
        version: &Version,
    ) -> Result<(crate::model::DocumentMeta, String)> {
        let text = self.text_from_history(slug, version)?;
        let name = format!("{}@{}", slug.store_path(), version.short_id());
        crate::ingest::parse_stored_parts(Path::new(&name), &text)
    }

    /// The stored file of a version of `slug`'s history as this store gave it
    /// out: one object read through the blob id the history walk recorded,
    /// where [`Store::text`] reads four (commit, root tree, folder, blob) and
    /// checks the commit holds the file. A long `since` window or a site build
    /// reads hundreds of versions. Not for versions from elsewhere: the blob id
    /// is trusted.
    pub(crate) fn text_from_history(&self, slug: &Slug, version: &Version) -> Result<String> {
        let repo = self.repo()?;
        match Oid::from_str(&version.blob) {
            Ok(oid) => {
                let blob = repo.find_blob(oid).map_err(|_| {
                    Error::no_such_version(
                        slug,
                        version.label(),
                        format!("{slug} has no stored file with blob id {}", version.blob),
                    )
                })?;
                utf8_file(slug, version, blob.content())
            }
            Err(_) => self.text(slug, version),
        }
    }

    /// The stored file of one version exactly as committed (front matter and
    /// body), found through the version's commit.
    pub fn text(&self, slug: &Slug, version: &Version) -> Result<String> {
        let repo = self.repo()?;
        let unknown = || {
            Error::no_such_version(
                slug,
                version.label(),
                format!("{slug} has no version with commit id {}", version.id),
            )
        };
        let oid = Oid::from_str(&version.id).map_err(|_| unknown())?;
        let commit = repo.find_commit(oid).map_err(|_| unknown())?;
        let tree = commit.tree().map_err(Error::git)?;
        let entry = tree.get_path(Path::new(&slug.store_path())).map_err(|_| {
            Error::no_such_version(
                slug,
                version.label(),
                format!("{slug} does not exist at commit {}", version.short_id()),
            )
        })?;
        if entry.kind() != Some(ObjectType::Blob) {
            return Err(Error::bad_input(
                "version",
                version.label(),
                format!(
                    "{} at commit {} is not a file",
                    slug.store_path(),
                    version.short_id()
                ),
            ));
        }
        let blob = repo.find_blob(entry.id()).map_err(Error::git)?;
        utf8_file(slug, version, blob.content())
    }

    /// The commit id `main` points at, `None` while the store is empty.
    pub fn tip(&self) -> Result<Option<String>> {
        Ok(history::main_tip(&*self.repo()?)?.map(|oid| oid.to_string()))
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
        if let Some((id, title)) = lock(&self.memo).titles.get(slug) {
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
        let mut memo = lock(&self.memo);
        memo.titles
            .insert(slug.clone(), (version.id.to_string(), title.clone()));
        memo.titles_changed = true;
        Ok(title)
    }

    fn with_repo(path: &Path, repo: Repository) -> Store {
        Store {
            path: path.to_path_buf(),
            git_dir: repo.path().to_path_buf(),
            repos: Mutex::new(vec![repo]),
            memo: Mutex::new(Memo::default()),
            notices: Mutex::new(Vec::new()),
        }
    }

    /// A repository handle for this call: a pooled one, or a new one when
    /// every pooled one is in use (by another thread, or further up this one).
    fn repo(&self) -> Result<RepoHandle<'_>> {
        let pooled = lock(&self.repos).pop();
        let repo = match pooled {
            Some(repo) => repo,
            None => Repository::open_ext(
                &self.git_dir,
                RepositoryOpenFlags::NO_SEARCH,
                std::iter::empty::<&str>(),
            )
            .map_err(Error::git)?,
        };
        Ok(RepoHandle {
            pool: &self.repos,
            repo: Some(repo),
        })
    }

    /// Write the history cache file if this handle knows more than it says
    /// (newer commits replayed, or titles read). The operations that learn
    /// something call it themselves; a caller needs it only to be sure.
    pub fn save_cache(&self) -> Result<()> {
        let repo = self.repo()?;
        lock(&self.memo).save_if_newer(&repo);
        Ok(())
    }

    /// The current `main` tip and every history as of it.
    fn current(&self) -> Result<(Option<Oid>, Arc<Histories>)> {
        let tip = history::main_tip(&*self.repo()?)?;
        match tip {
            Some(tip) => Ok((Some(tip), self.histories_as_of(tip)?)),
            None => Ok((None, Arc::default())),
        }
    }

    /// Every history as of commit `tip`: from this handle's memo, else replayed
    /// from the memo or the on-disk cache (only commits since), else from scratch.
    fn histories_as_of(&self, tip: Oid) -> Result<Arc<Histories>> {
        // Held while replaying, so concurrent readers replay new commits once.
        let mut memo = lock(&self.memo);
        if let Some((memo_tip, histories)) = memo.histories.as_ref() {
            if *memo_tip == tip {
                return Ok(Arc::clone(histories));
            }
        }
        let repo = self.repo()?;
        let base = match memo.histories.take() {
            Some((memo_tip, histories)) => Some((memo_tip, Arc::unwrap_or_clone(histories))),
            None => {
                let loaded = cache::load(&repo);
                memo.cached_tip = loaded.as_ref().map(|(id, _, _)| *id);
                loaded.map(|(id, histories, titles)| {
                    memo.titles = titles;
                    (id, histories)
                })
            }
        };
        let (histories, _) = history::histories_at(&repo, tip, base)?;
        let histories = Arc::new(histories);
        memo.histories = Some((tip, Arc::clone(&histories)));
        // What this replay learned goes to the cache file now, not on drop.
        memo.save_if_newer(&repo);
        Ok(histories)
    }

    /// Every history as of `main`'s tip, with that tip's id: what a bulk writer
    /// plans against before [`Store::append_batch`].
    pub(crate) fn histories_with_tip(&self) -> Result<(Option<String>, Arc<Histories>)> {
        let (tip, histories) = self.current()?;
        Ok((tip.map(|t| t.to_string()), histories))
    }

    /// Append `batch` as consecutive commits on top of commit `base` (`None`:
    /// the store is empty), then move `main` once, by compare-and-swap: all of
    /// the batch lands or none of it. `Ok(false)` when `main` is no longer at
    /// `base` (another writer got there first): nothing is on `main`, and the
    /// caller re-plans against what is stored now. Objects of a batch that did
    /// not land are unreferenced; `git gc` removes them.
    pub(crate) fn append_batch(
        &self,
        base: Option<&str>,
        batch: &[BatchVersion<'_>],
        progress: &dyn Fn(usize),
    ) -> Result<bool> {
        let writing = format!("could not import into {}", self.path.display());
        let base = base
            .map(|b| {
                Oid::from_str(b)
                    .map_err(|_| Error::bad_input("commit", b, format!("{b:?} is not a commit id")))
            })
            .transpose()?;
        if batch.is_empty() {
            return Ok(true);
        }
        for version in batch {
            check_recordable(version.slug, version.editor, version.note)?;
        }
        // Every object is serialised and named here (`objects`) and written
        // into one pack with its index (`packfile`), as `git fast-import`
        // does: nothing goes through libgit2's object database until the
        // pack lands, and nothing re-reads the pack to index it.
        let repo = self.repo()?;
        let (mut root, mut folder) = base_trees(&repo, base, &writing)?;
        let committer = Signature::now(message::COMMITTER_NAME, message::COMMITTER_EMAIL)
            .map_err(Error::git)?;
        debug_assert!(batch
            .iter()
            .all(|v| blob_id(v.text.as_bytes()).ok() == Some(v.blob)));
        let object_id = |kind, data: &[u8]| {
            objects::object_id(kind, data).map_err(|e| Error::git_write(&writing, &e))
        };
        let mut pack = packfile::PackBuilder::new();
        pack_blobs(&mut pack, batch);
        // Every object the new commits need, checked readable before `main` moves.
        let mut wanted: Vec<Oid> = Vec::with_capacity(batch.len() * 4);
        let mut parent = base;
        let mut previous_folder: Option<(Oid, Vec<u8>)> = None;
        for (done, version) in batch.iter().enumerate() {
            let path = version.slug.store_path();
            let name = path
                .strip_prefix(history::EXPLAINERS_DIR)
                .and_then(|p| p.strip_prefix('/'))
                .unwrap_or(&path);
            folder.upsert(name.as_bytes(), objects::MODE_FILE, version.blob);
            // Each explainers folder as a delta against the one before it.
            let folder_data = folder.data();
            let folder_id = object_id(ObjectType::Tree, &folder_data)?;
            match &previous_folder {
                Some((base_id, base_data)) => pack.add_delta(
                    folder_id,
                    ObjectType::Tree,
                    &folder_data,
                    *base_id,
                    base_data,
                ),
                None => pack.add_whole(folder_id, ObjectType::Tree, &folder_data),
            }
            root.upsert(
                history::EXPLAINERS_DIR.as_bytes(),
                objects::MODE_TREE,
                folder_id,
            );
            let root_data = root.data();
            let root_id = object_id(ObjectType::Tree, &root_data)?;
            pack.add_whole(root_id, ObjectType::Tree, &root_data);
            let editor = version.editor.trim();
            let author = author_signature(editor, &version.updated)?;
            let commit_message = message::compose(version.note, version.kind, version.slug, editor);
            let parents: Vec<Oid> = parent.into_iter().collect();
            let commit =
                objects::commit_data(root_id, &parents, &author, &committer, &commit_message);
            let id = object_id(ObjectType::Commit, &commit)?;
            pack.add_whole(id, ObjectType::Commit, &commit);
            wanted.extend([version.blob, folder_id, root_id, id]);
            previous_folder = Some((folder_id, folder_data));
            parent = Some(id);
            progress(done + 1);
        }
        let Some(new) = parent else {
            return Ok(true);
        };
        let pack_dir = repo.path().join("objects").join("pack");
        let not_written = |problem: String| {
            Error::storage(format!(
                "{writing}: the pack of the new versions could not be written to {}: {problem}; nothing was written",
                pack_dir.display()
            ))
        };
        let pack = pack.finish().map_err(|e| not_written(e.to_string()))?;
        packfile::install(&pack_dir, &pack).map_err(|e| not_written(e.to_string()))?;
        // Before `main` may point at them: every object the versions need is
        // in the store, and the newest commit reads back (through the new
        // index) as exactly what was written.
        let odb = repo.odb().map_err(Error::git)?;
        odb.refresh().map_err(Error::git)?;
        if let Some(missing) = wanted.iter().find(|id| !odb.exists(**id)) {
            return Err(not_written(format!("object {missing} is missing")));
        }
        let tip = odb
            .read(new)
            .map_err(|e| not_written(e.message().to_string()))?;
        if objects::object_id(tip.kind(), tip.data()).ok() != Some(new) {
            return Err(not_written(format!("commit {new} reads back changed")));
        }
        drop(tip);
        drop(odb);
        drop(repo);
        let reflog = format!("redline: import of {} versions", batch.len());
        let moved =
            self.move_main_locked("the import", new, base.unwrap_or(Oid::ZERO_SHA1), &reflog)?;
        if moved {
            self.histories_as_of(new)?;
        }
        Ok(moved)
    }

    /// [`Store::commit`] of a raw stored text (unchanged only if byte-equal),
    /// in any time order (tests mix it with plain-git commits made now).
    #[cfg(test)]
    pub(crate) fn commit_text(
        &self,
        slug: &Slug,
        text: &str,
        request: &UpdateRequest,
    ) -> Result<CommitOutcome> {
        self.write(slug, text, request, TimeOrder::Backdate, &|_| false)
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
        order: TimeOrder,
        same_content: &dyn Fn(&str) -> bool,
    ) -> Result<CommitOutcome> {
        self.write_new(slug, text, request, order, same_content, false)
    }

    /// [`Store::write`]; `new_only` refuses an explainer that has a version.
    fn write_new(
        &self,
        slug: &Slug,
        text: &str,
        request: &UpdateRequest,
        order: TimeOrder,
        same_content: &dyn Fn(&str) -> bool,
        new_only: bool,
    ) -> Result<CommitOutcome> {
        check_recordable(slug, &request.editor, &request.note)?;
        if let Err(problem) = crate::time_range::check_storable(&request.updated) {
            return Err(Error::input(
                slug.store_path(),
                format!("updated {problem}"),
            ));
        }
        let editor = request.editor.trim();
        let author = author_signature(editor, &request.updated)?;
        let commit_message = message::compose(&request.note, request.kind, slug, editor);
        let new_blob = Oid::hash_object(ObjectType::Blob, text.as_bytes()).map_err(Error::git)?;
        let mut blob_written = false;
        // The expected version, resolved once: after a lost race `Latest` must
        // still mean the version the writer saw, not the new head.
        let mut expected: Option<Version> = None;

        for _ in 0..MAX_WRITE_ATTEMPTS {
            let (tip, histories) = self.current()?;
            let versions: &[Version] = histories.get(slug).map_or(&[], Vec::as_slice);
            let head = versions.last();
            if let (true, Some(h)) = (new_only, head) {
                return Err(Error::Conflict {
                    slug: slug.to_string(),
                    expected: ConflictBase::Nothing,
                    newer: Newest::Version(Box::new(h.clone())),
                });
            }
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
                    Some(h) => {
                        return Err(conflict(slug, &want, Newest::Version(Box::new(h.clone()))))
                    }
                    None => return Err(conflict(slug, &want, Newest::Removed)),
                }
            }

            let repo = self.repo()?;
            let tip_commit = tip
                .map(|t| repo.find_commit(t))
                .transpose()
                .map_err(Error::git)?;
            let base_tree = match &tip_commit {
                Some(c) => c.tree().map_err(Error::git)?,
                None => {
                    let empty = repo
                        .treebuilder(None)
                        .map_err(Error::git)?
                        .write()
                        .map_err(Error::git)?;
                    repo.find_tree(empty).map_err(Error::git)?
                }
            };
            if let Some(h) = head {
                if order == TimeOrder::Append && request.updated < h.updated {
                    return Err(Error::TimeBackwards {
                        slug: slug.to_string(),
                        updated: request.updated.to_rfc3339(),
                        newest: Box::new(h.clone()),
                    });
                }
                let current = base_tree
                    .get_path(Path::new(&slug.store_path()))
                    .ok()
                    .map(|e| e.id());
                if current == Some(new_blob) {
                    return Ok(CommitOutcome::Unchanged(h.clone()));
                }
                if let Some(id) = current {
                    let blob = repo.find_blob(id).map_err(Error::git)?;
                    if std::str::from_utf8(blob.content()).is_ok_and(same_content) {
                        return Ok(CommitOutcome::Unchanged(h.clone()));
                    }
                }
            }

            let writing = format!("could not record {slug} in {}", self.path.display());
            if !blob_written {
                repo.blob(text.as_bytes())
                    .map_err(|e| Error::git_write(&writing, &e))?;
                blob_written = true;
            }
            let tree_id = git2::build::TreeUpdateBuilder::new()
                .upsert(slug.store_path(), new_blob, FileMode::Blob)
                .create_updated(&repo, &base_tree)
                .map_err(|e| Error::git_write(&writing, &e))?;
            let tree = repo.find_tree(tree_id).map_err(Error::git)?;
            let committer = Signature::now(message::COMMITTER_NAME, message::COMMITTER_EMAIL)
                .map_err(Error::git)?;
            let parents: Vec<&git2::Commit<'_>> = tip_commit.iter().collect();
            let new_id = repo
                .commit(None, &author, &committer, &commit_message, &tree, &parents)
                .map_err(|e| Error::git_write(&writing, &e))?;

            // Zero as the old value means "only if main does not exist yet".
            let old = tip.unwrap_or(Oid::ZERO_SHA1);
            let number = versions.len() + 1;
            let reflog = format!("redline: {slug} v{number}");
            // Release this view so the replay below extends it in place instead of copying it.
            drop(histories);
            // `false`: another writer moved main first; re-read it and try again.
            if self.move_main_locked(slug.as_str(), new_id, old, &reflog)? {
                // Replays just the new commit on top of `tip`, and refreshes the cache.
                let after = self.histories_as_of(new_id)?;
                self.pack_if_many_loose();
                let version = match after.get(slug).and_then(|v| v.last()) {
                    Some(v) => v.clone(),
                    None => history::version_from_commit(
                        &repo.find_commit(new_id).map_err(Error::git)?,
                        number,
                    ),
                };
                return Ok(CommitOutcome::Committed(version));
            }
        }
        Err(Error::storage(format!(
            "could not record {slug}: other writers moved {MAIN_REF} first {MAX_WRITE_ATTEMPTS} times in a row; nothing was written"
        )))
    }

    /// After a single commit: pack the loose objects once they pile up (see
    /// the `pack` submodule). The commit is stored either way; a failure only
    /// leaves reads slower until `git gc`, and says so.
    fn pack_if_many_loose(&self) {
        let Ok(repo) = self.repo() else {
            return;
        };
        if !pack::too_many_loose(&repo) {
            return;
        }
        if let Err(e) = pack::pack_loose(&repo) {
            lock(&self.notices).push(format!(
                "could not pack loose objects of {}: {}; `git gc` packs them later",
                self.path.display(),
                e.message()
            ));
        }
    }

    /// Make this store's `main` what `main` is at `primary` (a git URL or
    /// path): how a read replica follows the single writer. The primary's
    /// history only grows, so the fetch is a fast-forward; a forced update
    /// (history rewritten on the primary) is followed too, as a mirror must.
    pub fn fetch_main(&self, primary: &str) -> Result<()> {
        let repo = self.repo()?;
        let mut remote = repo
            .remote_anonymous(primary)
            .map_err(|e| Error::storage(format!("cannot fetch from {primary}: {}", e.message())))?;
        remote
            .fetch(&[format!("+{MAIN_REF}:{MAIN_REF}")], None, None)
            .map_err(|e| Error::storage(format!("cannot fetch from {primary}: {}", e.message())))?;
        Ok(())
    }

    /// [`Store::move_main`] under the writers' lock: recovers a `main.lock`
    /// left by a redline killed while moving `main` (see the `lock` submodule),
    /// and maps failures to one line naming the cause. `what` names the write.
    fn move_main_locked(&self, what: &str, new: Oid, old: Oid, reflog: &str) -> Result<bool> {
        let mut writers = lock::WriterLock::acquire(&self.git_dir)?;
        if let Some(dead) = writers.previous_died_updating.take() {
            self.remove_stale_main_lock(dead.pid)?;
        }
        writers.record(true)?;
        let moved = self.repo().and_then(|repo| {
            Self::move_main(&repo, new, old, reflog).map_err(|e| self.write_error(what, e))
        });
        // Not recorded as finished when it failed to say so: the next writer
        // then checks for a leftover `main.lock`, which is harmless.
        let _ = writers.record(false);
        moved
    }

    /// Remove the `main.lock` a redline killed while moving `main` left (it
    /// is known dead: see the `lock` submodule). Such a file is at least as old
    /// as the crash; one younger than [`STALE_LOCK_AGE`] may instead be a plain
    /// git's that took the lock after the crash (git holds it for
    /// milliseconds), so it is waited for rather than removed.
    fn remove_stale_main_lock(&self, dead_pid: u32) -> Result<()> {
        let stale = self.main_lock_path();
        loop {
            let age = match std::fs::metadata(&stale) {
                Ok(meta) => meta
                    .modified()
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .unwrap_or_default(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(Error::store_io(&stale, "cannot read", e)),
            };
            if age < STALE_LOCK_AGE {
                std::thread::sleep(STALE_LOCK_AGE - age);
                continue;
            }
            return match std::fs::remove_file(&stale) {
                Ok(()) => {
                    lock(&self.notices).push(format!(
                        "removed {}, left by redline process {dead_pid} which was killed while moving {MAIN_REF}",
                        stale.display()
                    ));
                    Ok(())
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(Error::store_io(
                    &stale,
                    "cannot remove the lock left by a killed redline:",
                    e,
                )),
            };
        }
    }

    fn main_lock_path(&self) -> PathBuf {
        self.git_dir.join(MAIN_REF).with_extension("lock")
    }

    /// Move `main` from `old` to `new` if nobody else moved it: `Ok(false)`
    /// when another writer did (or created it first). A lock held by another
    /// writer is waited for (up to [`LOCK_WAIT`]), since the ref may still be `old`.
    fn move_main(
        repo: &Repository,
        new: Oid,
        old: Oid,
        reflog: &str,
    ) -> std::result::Result<bool, git2::Error> {
        let deadline = Instant::now() + LOCK_WAIT;
        let mut pause = Duration::from_micros(200);
        loop {
            match repo.reference_matching(MAIN_REF, new, true, old, reflog) {
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
    fn write_error(&self, what: &str, e: git2::Error) -> Error {
        if e.code() == ErrorCode::Locked {
            // Taken under the writers' lock: no live redline holds it.
            Error::Locked(format!(
                "could not record {what}: {} has been held for over {} s by a program other than redline (such as git), or was left by one that crashed; no redline writer holds the store, so if no git command is running, delete that file; nothing was written",
                self.main_lock_path().display(),
                LOCK_WAIT.as_secs()
            ))
        } else {
            Error::git_write(
                &format!("could not record {what}: moving {MAIN_REF} failed"),
                &e,
            )
        }
    }
}

/// Open the repository at `path` (exactly there: a path inside some other
/// repository must not open that repository).
fn open_repo(path: &Path) -> Result<Repository> {
    if !path.is_dir() {
        return Err(Error::MissingStore(path.to_path_buf()));
    }
    Repository::open_ext(
        path,
        RepositoryOpenFlags::NO_SEARCH,
        std::iter::empty::<&str>(),
    )
    .map_err(|e| match e.code() {
        ErrorCode::Owner => Error::storage(format!(
            "{} belongs to another user, and git refuses to open it (see git's safe.directory setting)",
            path.display()
        )),
        ErrorCode::NotFound => Error::MissingStore(path.to_path_buf()),
        _ if e.message().contains("not owned by current user") => Error::storage(format!(
            "{} belongs to another user, and git refuses to open it (see git's safe.directory setting)",
            path.display()
        )),
        _ => Error::storage(format!("cannot open {}: {}", path.display(), e.message())),
    })
}

/// Set the store marker.
fn mark(repo: &Repository, path: &Path) -> Result<()> {
    repo.config()
        .and_then(|mut c| c.set_bool(MARKER_KEY, true))
        .map_err(|e| {
            Error::git_write(
                &format!("cannot mark {} as a redline store", path.display()),
                &e,
            )
        })
}

/// Why an unmarked bare repository does not look like a store made by an
/// older redline, or `None` when it does: `main` unborn with no other branch
/// or tag, or `main` holding nothing but an `explainers` folder.
fn foreign_shape(repo: &Repository) -> Result<Option<String>> {
    match history::main_tip(repo)? {
        None => {
            let any_ref = repo
                .references()
                .map_err(Error::git)?
                .flatten()
                .next()
                .is_some();
            let head_on_main = repo
                .find_reference("HEAD")
                .ok()
                .and_then(|h| h.symbolic_target().ok().flatten().map(|t| t == MAIN_REF))
                .unwrap_or(false);
            Ok(if any_ref {
                Some("it has branches or tags but no main branch".to_string())
            } else if !head_on_main {
                Some("its HEAD is not refs/heads/main".to_string())
            } else {
                None
            })
        }
        Some(tip) => {
            let tree = repo
                .find_commit(tip)
                .map_err(Error::git)?
                .tree()
                .map_err(Error::git)?;
            let foreign: Vec<String> = tree
                .iter()
                .filter(|e| {
                    !(e.name().ok() == Some(history::EXPLAINERS_DIR)
                        && e.kind() == Some(ObjectType::Tree))
                })
                .take(3)
                .map(|e| String::from_utf8_lossy(e.name_bytes()).into_owned())
                .collect();
            Ok((!foreign.is_empty()).then(|| {
                format!(
                    "its main branch holds files outside explainers/: {}",
                    foreign.join(", ")
                )
            }))
        }
    }
}

/// The commit author for an update: the editor at the update's time.
fn author_signature(editor: &str, updated: &DateTime<FixedOffset>) -> Result<Signature<'static>> {
    Signature::new(
        &message::author_name(editor),
        &message::editor_email(editor),
        &message::time_to_git(updated),
    )
    .map_err(Error::git)
}

/// An error's text without the `path@id: ` an [`Unreadable`] already names.
fn reason_of(e: &Error) -> String {
    match e {
        Error::Input { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// Where `cached` (histories as the cache gives them) differs from `truth`
/// (a replay from git), one line each.
fn history_differences(cached: &Histories, truth: &Histories) -> Vec<String> {
    let mut out = Vec::new();
    for slug in cached.keys().filter(|s| !truth.contains_key(*s)) {
        out.push(format!("{slug}: listed in the cache, not in git"));
    }
    for (slug, real) in truth {
        let Some(said) = cached.get(slug) else {
            out.push(format!("{slug}: missing from the cache"));
            continue;
        };
        if said.len() != real.len() {
            out.push(format!(
                "{slug}: cache has {} version(s), git has {}",
                said.len(),
                real.len()
            ));
        }
        for (c, r) in said.iter().zip(real) {
            let mut fields = Vec::new();
            if c.id != r.id {
                fields.push("commit id");
            }
            if c.updated != r.updated {
                fields.push("updated time");
            }
            if c.editor != r.editor {
                fields.push("editor");
            }
            if c.kind != r.kind {
                fields.push("kind");
            }
            if c.note != r.note {
                fields.push("note");
            }
            if c.blob != r.blob {
                fields.push("file (blob id)");
            }
            if !fields.is_empty() {
                out.push(format!(
                    "{slug} {} ({}): cache differs in {}",
                    r.label(),
                    r.short_id(),
                    fields.join(", ")
                ));
            }
        }
    }
    out
}

/// The trees a bulk write starts from: the root tree of commit `base` and
/// its explainers folder (both empty for an empty store).
fn base_trees(
    repo: &Repository,
    base: Option<Oid>,
    writing: &str,
) -> Result<(objects::Tree, objects::Tree)> {
    let Some(base) = base else {
        return Ok(Default::default());
    };
    let tree = repo
        .find_commit(base)
        .and_then(|c| c.tree())
        .map_err(Error::git)?;
    let root = objects::Tree::read(&tree);
    let folder = match root.get(history::EXPLAINERS_DIR.as_bytes()) {
        None => objects::Tree::default(),
        Some(entry) if entry.mode == objects::MODE_TREE => {
            objects::Tree::read(&repo.find_tree(entry.id).map_err(Error::git)?)
        }
        Some(_) => {
            return Err(Error::storage(format!(
                "{writing}: {}/ on main is not a folder; nothing was written",
                history::EXPLAINERS_DIR
            )))
        }
    };
    Ok((root, folder))
}

/// A bulk write's blobs into its pack ([`packfile`]): each explainer's
/// newest whole and older ones as deltas against the next newer (a read of
/// the newest applies none).
fn pack_blobs(pack: &mut packfile::PackBuilder, batch: &[BatchVersion<'_>]) {
    let mut newer: std::collections::HashMap<&Slug, (Oid, &str)> = Default::default();
    for version in batch.iter().rev() {
        let (id, text) = (&version.blob, version.text);
        match newer.get(version.slug) {
            Some((base, base_text)) => pack.add_delta(
                *id,
                ObjectType::Blob,
                text.as_bytes(),
                *base,
                base_text.as_bytes(),
            ),
            None => pack.add_whole(*id, ObjectType::Blob, text.as_bytes()),
        }
        newer.insert(version.slug, (*id, text));
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
